"""No waiting mode swallows text: a command ends it, a log or an objection typed into it goes
where the rep meant it (at once, or after one tap where it is ambiguous), and its prompt says
what it waits for and how to leave."""

from __future__ import annotations

from datetime import timedelta

from bot.coach.contacts import ContactDraft
from bot.sandbox import SandboxMessage, SandboxUser
from tests.handlers.conftest import Harness, onboarded


async def _contact_list(harness: Harness, user_id: int) -> tuple[SandboxUser, SandboxMessage]:
    """An onboarded rep with one contact, the list open (typing searches it)."""
    user = await onboarded(harness, user_id)
    user.send_command("kontakte", "Müller, Bäckerei Sonnenschein")
    await user.next_message()
    user.send_command("kontakte")
    return user, await user.next_message()


async def _answered(user: SandboxUser, press: dict[str, object]) -> str | None:
    query = press["callback_query"]
    assert isinstance(query, dict)
    answer = await user.wait_for(lambda: user.callback_answer(str(query["id"])))
    return answer.text


async def test_a_log_typed_in_the_contact_search_is_logged(harness: Harness) -> None:
    user, listing = await _contact_list(harness, 7301)
    assert "Zahlen wie „12 Anrufe“ trage ich trotzdem ein" in listing.text
    assert "ein Befehl beendet die Suche" in listing.text
    user.send_text("12 Anrufe, 3 Gespräche")
    reply = await user.next_message()
    assert "keinen Kontakt" not in reply.text
    today = harness.clock.now.date()
    record = await harness.storage.activity.day(7301, today)
    assert (record.counts.dials, record.counts.conversations) == (12, 3)
    user.send_text("gestern 8 Anrufe")
    reply = await user.next_message()
    assert "keinen Kontakt" not in reply.text
    # Monday's "gestern" is the last working day, Friday.
    friday = await harness.storage.activity.day(7301, today - timedelta(days=3))
    assert friday.counts.dials == 8
    # The list still searches what is a name; bare numbers are logged even where a phone
    # number holds their digits.
    user.send_text("Müll")
    assert "1 Treffer" in (await user.next_message()).text
    await harness.storage.contacts.add(
        7301, ContactDraft("Roth", phone="0171 1231000"), harness.clock.now
    )
    user.send_text("12 3 1")
    assert "Treffer" not in (await user.next_message()).text
    record = await harness.storage.activity.day(7301, today)
    assert (record.counts.dials, record.counts.conversations) == (24, 6)


async def test_an_objection_typed_in_the_contact_search_gets_its_answer(harness: Harness) -> None:
    user, _ = await _contact_list(harness, 7302)
    for text, title in (
        ("zu teuer", "Das ist uns zu teuer."),
        ("Wir haben schon einen Lieferanten", "Lieferant"),
    ):
        user.send_text(text)
        reply = await user.next_message()
        assert "keinen Kontakt" not in reply.text, text
        assert title in reply.text, text
        assert "🎯 Jetzt üben" in reply.button_labels
    assert await harness.storage.contacts.count(7302) == 1, "no contact was created"
    # A surname that only weakly resembles an objection is still searched.
    user.send_text("Müller")
    assert "1 Treffer" in (await user.next_message()).text


async def test_a_command_ends_the_mode(harness: Harness) -> None:
    user, _ = await _contact_list(harness, 7303)
    user.send_command("today")
    await user.next_message()
    assert await harness.storage.flows.get(7303) is None
    user.send_text("Müller")
    reply = await user.next_message()
    assert "Treffer" not in reply.text, "after /today a text is no search"

    # A new contact asked for, then a menu button: the next text is not stored as a contact.
    user.send_command("kontakte")
    listing = await user.next_message()
    user.press("➕ Neuer Kontakt", message=listing)
    ask = await user.next_message()
    assert "/abbrechen oder ein anderer Befehl" in ask.text
    user.send_text("📈 Woche")
    await user.next_message()
    assert await harness.storage.flows.get(7303) is None
    user.send_text("Schmidt")
    await user.next_message()
    assert await harness.storage.contacts.count(7303) == 1

    # /cancel still leaves a mode, and says so.
    user.press("➕ Neuer Kontakt", message=listing)
    await user.next_message()
    user.send_command("cancel")
    assert "Abgebrochen" in (await user.next_message()).text
    assert await harness.storage.flows.get(7303) is None

    # An unknown command ends the mode as well: it was no contact.
    user.press("➕ Neuer Kontakt", message=listing)
    await user.next_message()
    user.send_command("kontakt")
    assert "kenne ich nicht" in (await user.next_message()).text
    assert await harness.storage.flows.get(7303) is None


async def test_a_command_during_onboarding_keeps_it_resumable(harness: Harness) -> None:
    user = harness.user(7304, "de")
    user.send_command("start")
    await user.next_message()
    user.press("a:lang:de")
    city = await user.next_message()
    user.send_command("help")
    await user.next_message()
    state = await harness.storage.flows.get(7304)
    assert state is not None
    assert (state.flow, state.step) == ("onboarding", "tz")
    user.send_command("start")
    resumed = await user.next_message()
    assert city.text.splitlines()[-1] in resumed.text, "the same question again"
    user.send_text("Berlin")
    await user.next_message()
    await user.next_message()
    state = await harness.storage.flows.get(7304)
    assert state is not None
    assert state.step == "days"
    user.send_command("cancel")
    assert "Standardwerte" in (await user.next_message()).text


async def test_a_log_while_writing_a_note_asks_how_it_is_meant(harness: Harness) -> None:
    user = await onboarded(harness, 7305)
    user.send_command("kontakte", "Müller")
    card = await user.next_message()
    user.press("💬 Gespräch", message=card)
    logged = await user.next_message()
    assert "Notiz" in logged.text
    (contact,) = await harness.storage.contacts.listed(7305)

    user.send_text("12 Anrufe")
    choice = await user.next_message()
    assert "warte ich aber auf eine Notiz zum Kontakt" in choice.text
    assert choice.button_labels == ["📊 Als Zahlen eintragen", "📝 Als Notiz speichern"]
    # A double tap: both presses leave before the bot answers the first.
    first = user.press("📊 Als Zahlen eintragen", message=choice)
    second = user.press("📊 Als Zahlen eintragen", message=choice)
    await user.next_message()
    assert await _answered(user, second) == "Dieser Knopf ist nicht mehr aktuell."
    assert await _answered(user, first) is None
    record = await harness.storage.activity.day(7305, harness.clock.now.date())
    assert record.counts.dials == 12, "logged once"
    (touch,) = await harness.storage.contacts.touches(7305, contact.id)
    assert touch.note is None

    # Still waiting for the note; an objection-like note is kept as a note on one tap.
    user.send_text("Kunde sagt zu teuer, meldet sich nächste Woche")
    choice = await user.next_message()
    assert "klingt nach einem Einwand" in choice.text
    user.press("📝 Als Notiz speichern", message=choice)
    assert "Notiz gespeichert" in (await user.next_message()).text
    (touch,) = await harness.storage.contacts.touches(7305, contact.id)
    assert touch.note == "Kunde sagt zu teuer, meldet sich nächste Woche"
    assert (
        record.counts.dials == (await harness.storage.activity.day(7305, record.day)).counts.dials
    )


async def test_a_text_instead_of_the_choice_is_the_modes_answer(harness: Harness) -> None:
    user, listing = await _contact_list(harness, 7306)
    user.press("➕ Neuer Kontakt", message=listing)
    await user.next_message()
    user.send_text("zu teuer")
    choice = await user.next_message()
    assert choice.button_labels == [
        "🛡 Antwort auf den Einwand zeigen",
        "👤 Als neuen Kontakt speichern",
    ]
    user.send_text("Schmidt, Metallbau Schmidt")
    card = await user.next_message()
    assert "✅ Gespeichert: Schmidt" in card.text
    press = user.press("👤 Als neuen Kontakt speichern", message=choice)
    assert await _answered(user, press) == "Dieser Knopf ist nicht mehr aktuell."
    assert await harness.storage.contacts.count(7306) == 2


async def test_structured_modes_take_a_log_and_keep_waiting(harness: Harness) -> None:
    user = await onboarded(harness, 7307)
    user.send_command("pause")
    await user.next_message()
    user.send_text("12 Anrufe, 3 Gespräche")
    await user.next_message()
    record = await harness.storage.activity.day(7307, harness.clock.now.date())
    assert record.counts.dials == 12
    state = await harness.storage.flows.get(7307)
    assert state is not None
    assert state.flow == "pause", "still waiting for the date"
    user.send_text("zu teuer")
    assert "Das ist uns zu teuer." in (await user.next_message()).text
    user.send_text("bis Freitag")
    assert "Pause bis einschließlich" in (await user.next_message()).text


async def test_a_practice_answer_may_quote_the_objection(harness: Harness) -> None:
    user = await onboarded(harness, 7308)
    user.send_command("practice")
    await user.next_message()
    user.send_text("Zu teuer? Was vergleichen Sie denn genau – darf ich fragen, womit?")
    scored = await user.next_message()
    assert "🛡" not in scored.text.splitlines()[0], "scored as the answer, not looked up"
    assert await harness.storage.flows.get(7308) is None


async def test_a_passing_mode_ends_by_itself(harness: Harness) -> None:
    user = await onboarded(harness, 7309)
    user.send_command("kontakte", "Müller")
    card = await user.next_message()
    user.press("💬 Gespräch", message=card)
    await user.next_message()
    harness.clock.now += timedelta(minutes=31)
    user.send_text("12 Anrufe")
    reply = await user.next_message()
    assert "Notiz" not in reply.text, "no question about a note asked half an hour ago"
    record = await harness.storage.activity.day(7309, harness.clock.now.date())
    assert record.counts.dials == 12


async def test_each_waiting_mode_says_what_it_waits_for(harness: Harness) -> None:
    user = await onboarded(harness, 7310)
    expected: list[tuple[str, tuple[str, ...]]] = []

    user.send_command("kontakte")
    expected.append(((await user.next_message()).text, ("ersten Kontakt", "/abbrechen")))
    user.send_text(", Bäckerei")
    expected.append(((await user.next_message()).text, ("nur den Namen", "/abbrechen")))
    user.send_text("Müller")
    card = await user.next_message()
    user.press("✏️ Bearbeiten", message=card)
    await user.wait_for(lambda: card.edit_count > 0)
    user.press("Firma", message=card)
    expected.append(((await user.next_message()).text, ("Was soll bei Firma stehen", "/abbrechen")))
    user.send_text("Bäckerei Sonnenschein")
    card = await user.next_message()
    user.send_command("kontakte")
    listing = await user.next_message()
    expected.append((listing.text, ("wen du suchst", "ein Befehl beendet die Suche")))
    user.press("➕ Neuer Kontakt", message=listing)
    expected.append(((await user.next_message()).text, ("neuen Kontakt", "/abbrechen")))
    user.press("💬 Gespräch", message=card)
    expected.append(((await user.next_message()).text, ("Eine Notiz dazu?",)))
    user.send_command("pause")
    expected.append(((await user.next_message()).text, ("Bis wann machst du Pause?",)))
    user.send_command("pitch")
    expected.append(((await user.next_message()).text, ("Schreib mir deinen Pitch",)))
    user.send_command("practice")
    throw = await user.next_message()
    expected.append((throw.text, ("Was antwortest du?",)))
    assert "✖️ Beenden" in throw.button_labels

    for text, parts in expected:
        for part in parts:
            assert part in text, (part, text)
