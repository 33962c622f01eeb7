"""Follow-ups end to end: log each outcome, accept, change or skip a proposal, the due list with
done, snooze and skip, after-sales care after a won deal, the scheduler's reminder and morning
count, the figures in /week, a note on a touch, and dates that do not exist."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.sandbox import SandboxMessage, SandboxUser
from bot.scheduler.checkins import CHECKINS_KEY, Checkins, TickReport
from bot.storage.contacts import Contact, FollowUp
from tests.handlers.conftest import Harness, onboarded

# The harness clock: Monday 23 November 2026, 10:30 in Berlin. The calling block is 09:00-10:00.
MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An instant in UTC (Berlin is UTC+1 in winter)."""
    return datetime(day.year, day.month, day.day, hour, minute, 10, tzinfo=UTC)


async def tick(harness: Harness, now: datetime) -> TickReport:
    harness.clock.now = now
    assert harness.app is not None
    checkins = harness.app.bot_data[CHECKINS_KEY]
    assert isinstance(checkins, Checkins)
    return await checkins.tick(now)


async def received(user: SandboxUser, report: TickReport) -> list[SandboxMessage]:
    """The messages one tick sent to the user."""
    return [await user.next_message() for _ in range(report.sent)]


async def card_of(user: SandboxUser, text: str) -> SandboxMessage:
    user.send_command("kontakte", text)
    return await user.next_message()


async def contact(harness: Harness, user_id: int, name: str) -> Contact:
    return next(c for c in await harness.storage.contacts.listed(user_id) if c.name == name)


async def planned(harness: Harness, user_id: int, name: str) -> list[FollowUp]:
    found = await contact(harness, user_id, name)
    return await harness.storage.contacts.planned(user_id, found.id)


async def test_not_reached_proposes_the_next_try_and_accepting_plans_it(harness: Harness) -> None:
    user = await onboarded(harness, 8001)
    card = await card_of(user, "Müller, Bäckerei Sonnenschein, 0171 2345678")
    user.press("📵 Nicht erreicht", message=card)
    proposal = await user.next_message()
    assert "Notiert: Müller – nicht erreicht (📞 Anruf)" in proposal.text
    assert "👉 Di 24.11." in proposal.text
    assert "Versuch 2 steht an: Du hast Müller 1× nicht erreicht" in proposal.text
    assert "3. bis 5. Versuch" in proposal.text
    assert "💡" in proposal.text
    assert proposal.button_labels == ["✅ Übernehmen", "📅 Anderes Datum", "⏭ Überspringen"]
    (retry,) = await planned(harness, 8001, "Müller")
    assert (retry.reason, retry.due, retry.status, retry.attempts) == ("retry", TUE, "proposed", 1)
    assert await harness.storage.checkins.open_items(8001, "followup") == [], "not yet accepted"

    user.press("✅ Übernehmen", message=proposal)
    confirm = await user.next_message()
    assert "Eingeplant für Müller: Di 24.11." in confirm.text
    await user.wait_for(lambda: proposal.edit_count > 0)
    assert proposal.button_labels == [], "a proposal is accepted once"
    (item,) = await harness.storage.checkins.open_items(8001, "followup")
    assert (item.ref, item.due_at) == (str(retry.id), at(TUE, 8, 0).replace(second=0))
    assert item.payload["name"] == "Müller"

    # A second "not reached" settles the planned try and proposes the third (a while later: a
    # double tap within a second or two counts once).
    harness.clock.now += timedelta(seconds=5)
    user.press("📵 Nicht erreicht", message=card)
    second = await user.next_message()
    assert "Versuch 3 steht an: Du hast Müller 2× nicht erreicht" in second.text
    assert "👉 Mi 25.11." in second.text
    first = await harness.storage.contacts.followup(8001, retry.id)
    assert first is not None
    assert first.status == "done"
    assert await harness.storage.checkins.open_items(8001, "followup") == []


async def test_five_unanswered_attempts_bring_a_clear_suggestion(harness: Harness) -> None:
    user = await onboarded(harness, 8002)
    card = await card_of(user, "Krause")
    for _ in range(5):
        harness.clock.now += timedelta(seconds=5)  # deliberate taps, not a double tap
        user.press("📵 Nicht erreicht", message=card)
        last = await user.next_message()
    assert "Du hast es schon 5× versucht, ohne Krause zu erreichen" in last.text
    assert "Wechsle den Kanal" in last.text
    assert "👉 Mo 07.12." in last.text
    assert "💌 Brief" in last.text or "✉️ Mail" in last.text


async def test_each_outcome(harness: Harness) -> None:
    user = await onboarded(harness, 8003)
    expected = {
        "💬 Gespräch": ("talked", "after_talk", [date(2026, 11, 30)], "talking"),
        "📅 Termin": ("appointment", "appointment", [TUE], "talking"),
        "👎 Verloren": ("lost", "stay_in_touch", [date(2027, 2, 23)], "lost"),
        "🏆 Gewonnen": (
            "won",
            "aftersales_1w",
            [date(2026, 11, 30), date(2026, 12, 23), date(2027, 2, 23)],
            "won",
        ),
    }
    for number, (button, (outcome, reason, dues, status)) in enumerate(expected.items()):
        name = f"Kontakt {number}"
        card = await card_of(user, name)
        user.press(button, message=card)
        reply = await user.next_message()
        assert f"Notiert: {name}" in reply.text
        stored = await contact(harness, 8003, name)
        assert stored.status == status
        (touch,) = await harness.storage.contacts.touches(8003, stored.id)
        assert (touch.outcome, touch.channel) == (outcome, "call")
        found = await harness.storage.contacts.planned(8003, stored.id)
        assert [f.due for f in found] == dues
        assert found[0].reason == reason
    lost = await user.next_message() if user.unread else None
    assert lost is None


async def test_later_with_a_typed_date_and_with_a_button(harness: Harness) -> None:
    user = await onboarded(harness, 8004)
    card = await card_of(user, "Schulz")
    user.press("⏰ Später …", message=card)
    ask = await user.next_message()
    assert "Wann ist es für Schulz OK" in ask.text
    assert ask.button_labels == [
        "In 1 Woche", "In 2 Wochen", "In 1 Monat", "In 3 Monaten", "In 6 Monaten"
    ]  # fmt: skip
    await harness.restart()  # the question is stored, not kept in memory
    user.send_text("31.02.")
    assert "Dieses Datum gibt es nicht" in (await user.next_message()).text
    user.send_text("15.01.2025")
    assert "Vergangenheit" in (await user.next_message()).text
    user.send_text("irgendwann mal")
    assert "nicht verstanden" in (await user.next_message()).text
    stored = await contact(harness, 8004, "Schulz")
    assert await harness.storage.contacts.touches(8004, stored.id) == [], "nothing stored yet"
    user.send_text("März")
    reply = await user.next_message()
    assert "später wieder melden" in reply.text
    assert "👉 Mo 01.03." in reply.text
    assert "Wie vereinbart: Schulz hat zugestimmt" in reply.text
    assert reply.button_labels == ["📅 Anderes Datum", "⏭ Überspringen"], "planned, not proposed"
    (touch,) = await harness.storage.contacts.touches(8004, stored.id)
    assert (touch.outcome, touch.next_date) == ("later", date(2027, 3, 1))
    (agreed,) = await harness.storage.contacts.planned(8004, stored.id)
    assert (agreed.reason, agreed.due, agreed.status) == ("agreed", date(2027, 3, 1), "open")
    assert len(await harness.storage.checkins.open_items(8004, "followup")) == 1

    card = await card_of(user, "Vogel")
    user.press("⏰ Später …", message=card)
    ask = await user.next_message()
    user.press("In 3 Monaten", message=ask)
    reply = await user.next_message()
    assert "👉 Di 23.02." in reply.text
    (agreed,) = await planned(harness, 8004, "Vogel")
    assert agreed.due == date(2027, 2, 23)


async def test_change_the_date_of_a_proposal(harness: Harness) -> None:
    user = await onboarded(harness, 8005)
    card = await card_of(user, "Lang")
    user.press("💬 Gespräch", message=card)
    proposal = await user.next_message()
    assert "👉 Mo 30.11." in proposal.text
    assert "das OK für den übernächsten" in proposal.text
    user.press("📅 Anderes Datum", message=proposal)
    ask = await user.next_message()
    assert "Wann willst du dich bei Lang melden?" in ask.text
    user.send_text("30.02.")
    assert "gibt es nicht" in (await user.next_message()).text
    (still,) = await planned(harness, 8005, "Lang")
    assert (still.due, still.status) == (date(2026, 11, 30), "proposed"), "unchanged"
    user.send_text("Freitag")
    done = await user.next_message()
    assert "Lang ist eingeplant für Fr 27.11." in done.text
    (moved,) = await planned(harness, 8005, "Lang")
    assert (moved.due, moved.status) == (date(2026, 11, 27), "open")
    (item,) = await harness.storage.checkins.open_items(8005, "followup")
    assert item.due_at.date() == date(2026, 11, 27)

    # Again with a button, and onto a holiday: the next working day.
    user.press("📅 Anderes Datum", message=proposal)
    ask = await user.next_message()
    user.press("In 1 Monat", message=ask)
    done = await user.next_message()
    assert "Mi 23.12." in done.text
    user.press("📅 Anderes Datum", message=proposal)
    await user.next_message()
    user.send_text("25.12.")
    done = await user.next_message()
    assert "Mo 28.12." in done.text
    assert "nächsten Arbeitstag" in done.text


async def test_skip_a_proposal(harness: Harness) -> None:
    user = await onboarded(harness, 8006)
    card = await card_of(user, "Kurz")
    user.press("👎 Verloren", message=card)
    proposal = await user.next_message()
    assert "Nicht verstummen" in proposal.text
    user.press("⏭ Überspringen", message=proposal)
    assert "Übersprungen: Kurz" in (await user.next_message()).text
    assert await planned(harness, 8006, "Kurz") == []
    press = user.press("✅ Übernehmen", message=proposal) if proposal.buttons else None
    if press is not None:
        answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
        assert answer.text == "Dieser Knopf ist nicht mehr aktuell."


async def test_a_note_on_the_touch(harness: Harness) -> None:
    user = await onboarded(harness, 8007)
    card = await card_of(user, "Berg")
    user.press("💬 Gespräch", message=card)
    reply = await user.next_message()
    assert "Eine Notiz dazu?" in reply.text
    user.send_text("x" * 4096)
    assert "höchstens 1000 Zeichen" in (await user.next_message()).text
    stored = await contact(harness, 8007, "Berg")
    (touch,) = await harness.storage.contacts.touches(8007, stored.id)
    assert touch.note is None
    user.send_text("Will im Januar budgetieren, Chefin heißt Frau Roth")
    assert "Notiz gespeichert" in (await user.next_message()).text
    (touch,) = await harness.storage.contacts.touches(8007, stored.id)
    assert touch.note == "Will im Januar budgetieren, Chefin heißt Frau Roth"
    assert await harness.storage.flows.get(8007) is None

    # Half an hour later a text is not taken as a note any more.
    harness.clock.now += timedelta(seconds=5)
    user.press("💬 Gespräch", message=card)
    await user.next_message()
    harness.clock.now += timedelta(minutes=31)
    user.send_text("zu teuer")
    reply = await user.next_message()
    assert "Notiz" not in reply.text
    assert [t.note for t in await harness.storage.contacts.touches(8007, stored.id)] == [
        "Will im Januar budgetieren, Chefin heißt Frau Roth",
        None,
    ]


async def test_due_list_with_done_snooze_and_skip(harness: Harness) -> None:
    user = await onboarded(harness, 8008)
    for name in ("Anna", "Bert", "Cem", "Dora"):
        card = await card_of(user, name)
        user.press("📵 Nicht erreicht", message=card)
        proposal = await user.next_message()
        user.press("✅ Übernehmen", message=proposal)
        await user.next_message()
    user.send_command("nachfassen")
    empty = await user.next_message()
    assert "Heute ist nichts zum Nachfassen fällig" in empty.text
    assert "In den nächsten 7 Tagen kommen noch 4 Kontakte dazu." in empty.text

    harness.clock.now = at(TUE, 9, 30)
    user.tap_reply("📋 Nachfassen")
    listing = await user.next_message()
    assert "heute und überfällig: 4 Kontakte" in listing.text
    assert "1. Anna – heute" in listing.text
    assert "2. Versuch · 📞 Anruf" in listing.text
    assert listing.button_labels[:4] == ["1. Anna", "✅", "💤", "⏭"]
    rows = listing.inline_keyboard
    user.press(rows[0][1]["callback_data"], message=listing)  # Anna: done
    ask = await user.next_message()
    assert "Erledigt. Wie lief es mit Anna?" in ask.text
    await user.wait_for(lambda: listing.edit_count > 0)
    assert "3 Kontakte" in listing.text
    assert "Anna" not in listing.text
    user.press(listing.inline_keyboard[0][2]["callback_data"], message=listing)  # Bert: snooze
    await user.wait_for(lambda: listing.edit_count > 1)
    assert "Bert" not in listing.text
    user.press(listing.inline_keyboard[0][3]["callback_data"], message=listing)  # Cem: skip
    await user.wait_for(lambda: listing.edit_count > 2)
    assert "1 Kontakt" in listing.text
    assert "4. Dora" not in listing.text
    assert "1. Dora" in listing.text
    statuses = {name: (await planned(harness, 8008, name)) for name in ("Anna", "Bert", "Cem")}
    assert statuses["Anna"] == []
    assert statuses["Cem"] == []
    (bert,) = statuses["Bert"]
    assert bert.due == WED
    (bert_item,) = [
        i
        for i in await harness.storage.checkins.open_items(8008, "followup")
        if i.ref == str(bert.id)
    ]
    assert bert_item.due_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    # Anna: the outcome of the done touch leads on to the next proposal.
    user.press("💬 Gespräch", message=ask)
    assert "Notiert: Anna – Gespräch" in (await user.next_message()).text
    assert [f.reason for f in await planned(harness, 8008, "Anna")] == ["after_talk"]

    # The next day, Dora is overdue.
    harness.clock.now = at(WED, 9, 30)
    user.send_command("nachfassen")
    later = await user.next_message()
    assert "1. Dora – überfällig seit Di 24.11." in later.text, "the oldest first"
    assert "2. Bert – heute" in later.text
    user.press("2. Bert", message=later)
    assert "👤 Bert" in (await user.next_message()).text


async def test_won_deal_brings_after_sales_and_the_scheduler_reminds(harness: Harness) -> None:
    user = await onboarded(harness, 8009)
    card = await card_of(user, "Hoffmann, Hoffmann Logistik, 0171 9988776")
    user.press("🏆 Gewonnen", message=card)
    won = await user.next_message()
    assert "Glückwunsch, Hoffmann ist jetzt Kunde!" in won.text
    assert "Nach einer Woche: Läuft alles?" in won.text
    assert "Nach einem Monat: Was können wir besser machen?" in won.text
    assert "Wer würde noch davon profitieren?" in won.text
    assert won.text.count("👉") == 3
    assert won.text.count("💡") == 3
    user.press("✅ Übernehmen", message=won)
    confirm = await user.next_message()
    assert "Mo 30.11., Mi 23.12., Di 23.02." in confirm.text
    stored = await contact(harness, 8009, "Hoffmann")
    assert (stored.kind, stored.status) == ("customer", "won")
    assert len(await harness.storage.checkins.open_items(8009, "followup")) == 3

    # Monday 30 November: the morning ping counts it, the calling block brings the reminder.
    report = await tick(harness, at(date(2026, 11, 30), 7, 0))
    assert report.sent == 1
    ping = await user.next_message()
    assert "📋 Heute nachfassen: 1 Kontakt – /nachfassen" in ping.text
    report = await tick(harness, at(date(2026, 11, 30), 8, 0))
    assert report.sent == 2, "the block start and the follow-up"
    sent = await received(user, report)
    (reminder,) = [m for m in sent if "Nachfassen: Hoffmann" in m.text]
    assert "Hoffmann Logistik" in reminder.text
    assert "Läuft alles?" in reminder.text
    assert "📞 0171 9988776" in reminder.text
    assert reminder.button_labels == [
        "✅ Erledigt", "💤 Morgen", "⏭ Überspringen", "👤 Kontakt", "📋 Alle fälligen"
    ]  # fmt: skip
    assert (await tick(harness, at(date(2026, 11, 30), 8, 1))).sent == 0, "sent once"

    user.press("✅ Erledigt", message=reminder)
    ask = await user.next_message()
    assert "Wie lief es mit Hoffmann?" in ask.text
    await user.wait_for(lambda: reminder.edit_count > 0)
    assert reminder.button_labels == []
    user.press("💬 Gespräch", message=ask)
    talked = await user.next_message()
    assert "Schon geplant: Mi 23.12. – Nachbetreuung: was geht besser?" in talked.text
    assert [f.reason for f in await planned(harness, 8009, "Hoffmann")] == [
        "aftersales_1m", "aftersales_3m"
    ]  # fmt: skip


async def test_snooze_from_the_reminder(harness: Harness) -> None:
    user = await onboarded(harness, 8010)
    card = await card_of(user, "Roth")
    user.press("📅 Termin", message=card)
    proposal = await user.next_message()
    assert "Termin bestätigen" in proposal.text
    user.press("✅ Übernehmen", message=proposal)
    await user.next_message()
    sent = await received(user, await tick(harness, at(TUE, 8, 0)))
    (reminder,) = [m for m in sent if "Nachfassen: Roth" in m.text]
    user.press("💤 Morgen", message=reminder)
    snoozed = await user.next_message()
    assert "Roth ist verschoben auf Mi 25.11." in snoozed.text
    morning = await received(user, await tick(harness, at(WED, 7, 59)))
    assert ["Roth" in m.text for m in morning] == [False], "only the morning ping"
    again = await received(user, await tick(harness, at(WED, 8, 0)))
    assert any("Nachfassen: Roth" in m.text for m in again)


async def test_week_shows_the_follow_up_figures(harness: Harness) -> None:
    user = await onboarded(harness, 8011)
    for name, presses in (
        ("Eins", ["📵 Nicht erreicht", "📵 Nicht erreicht", "💬 Gespräch"]),
        ("Zwei", ["💬 Gespräch"]),
        ("Drei", ["📵 Nicht erreicht"]),
        ("Vier", ["🏆 Gewonnen"]),
    ):
        card = await card_of(user, name)
        for button in presses:
            harness.clock.now += timedelta(seconds=5)  # deliberate taps, not a double tap
            user.press(button, message=card)
            reply = await user.next_message()
        if name == "Drei":
            user.press("⏭ Überspringen", message=reply)  # given up after one try
            await user.next_message()
        if name == "Vier":
            user.press("✅ Übernehmen", message=reply)
            await user.next_message()
    user.send_command("week")
    week = await user.next_message()
    caption = str(week.data.get("caption", ""))
    assert "🤝 Nachfassen" in caption
    # Three, one and one attempts up to the first conversation (a won deal is one too).
    assert "Versuche bis zum ersten Gespräch: im Schnitt 1,7 (erreicht: 3)" in caption
    assert "Nach weniger als 3 Versuchen aufgegeben: 100 % (1 von 1)" in caption
    assert "Offene Nachbetreuungen: 3" in caption


async def test_main_menu_has_the_follow_ups_in_the_first_row(harness: Harness) -> None:
    user = await onboarded(harness, 8012)
    keyboard = user.reply_keyboard
    assert keyboard is not None
    rows = [[button["text"] for button in row] for row in keyboard["keyboard"]]
    assert rows == [
        ["📞 Heute", "📋 Nachfassen", "🛡 Einwand"],
        ["📈 Woche", "🎯 Ziele", "🎭 Rollenspiel"],
        ["⚙️ Einstellungen", "❓ Hilfe"],
    ]
    user.tap_reply("📋 Nachfassen")
    reply = await user.next_message()
    assert "Heute ist nichts zum Nachfassen fällig" in reply.text
    user.press("👥 Kontakte", message=reply)
    assert "Noch ist die Liste leer" in (await user.next_message()).text


async def test_english_follow_ups(harness: Harness) -> None:
    user = await onboarded(harness, 8013, "en")
    user.send_command("contacts", "Miller")
    card = await user.next_message()
    user.press("📵 Not reached", message=card)
    proposal = await user.next_message()
    assert "Logged: Miller – not reached (📞 Call)." in proposal.text
    assert "Attempt 2 is up" in proposal.text
    assert proposal.button_labels == ["✅ Accept", "📅 Other date", "⏭ Skip"]
    user.press("📅 Other date", message=proposal)
    await user.next_message()
    user.send_text("next week")
    assert "Miller is planned for Mon 30.11." in (await user.next_message()).text
    harness.clock.now = at(date(2026, 11, 30), 9, 30)
    user.send_command("followups")
    listing = await user.next_message()
    assert "today and overdue: 1 contact" in listing.text


async def test_an_edit_reaches_the_reminder_still_to_come(harness: Harness) -> None:
    user = await onboarded(harness, 8014)
    card = await card_of(user, "Mayer, 0171 1112223")
    user.press("📵 Nicht erreicht", message=card)
    proposal = await user.next_message()
    user.press("✅ Übernehmen", message=proposal)
    await user.next_message()
    (before,) = await harness.storage.checkins.open_items(8014, "followup")
    user.press("✏️ Bearbeiten", message=card)
    await user.wait_for(lambda: card.edit_count > 0)
    user.press("Name", message=card)
    await user.next_message()
    user.send_text("Meier")
    await user.next_message()
    (after,) = await harness.storage.checkins.open_items(8014, "followup")
    assert (after.payload["name"], after.due_at) == ("Meier", before.due_at)
    sent = await received(user, await tick(harness, at(TUE, 8, 0)))
    assert any("Nachfassen: Meier" in m.text for m in sent)


async def test_a_double_tap_on_done_or_snooze_acts_once(harness: Harness) -> None:
    user = await onboarded(harness, 8020)
    for name in ("Anna", "Bert"):
        card = await card_of(user, name)
        user.press("📵 Nicht erreicht", message=card)
        proposal = await user.next_message()
        user.press("✅ Übernehmen", message=proposal)
        await user.next_message()
    harness.clock.now = at(TUE, 9, 30)
    user.send_command("nachfassen")
    listing = await user.next_message()
    done = listing.inline_keyboard[0][1]["callback_data"]  # Anna
    first, second = user.press(done, message=listing), user.press(done, message=listing)
    ask = await user.next_message()
    assert "Erledigt. Wie lief es mit Anna?" in ask.text
    answer = await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert answer.text != "Dieser Knopf ist nicht mehr aktuell.", "a double tap is no error"
    assert user.callback_answer(first["callback_query"]["id"]) is not None
    assert [m.text for m in user.messages].count(ask.text) == 1

    # A snooze from the reminder, tapped twice: one confirmation.
    report = await tick(harness, at(WED, 8, 0))
    (reminder,) = [m for m in await received(user, report) if "Bert" in m.text]
    snooze = next(
        b for b in reminder.buttons if str(b.get("callback_data", "")).startswith("f:sn:")
    )
    data = str(snooze["callback_data"])
    second = user.press(data, message=reminder) and user.press(data, message=reminder)
    confirm = await user.next_message()
    await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert [m.text for m in user.messages].count(confirm.text) == 1
    (bert,) = await planned(harness, 8020, "Bert")
    assert bert.due == date(2026, 11, 26)
