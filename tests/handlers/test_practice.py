"""/practice end to end: a good and a bad answer, mastery stored, drilling from a card."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.handlers.context import DEPS_KEY
from bot.handlers.practice import DUE_KIND
from bot.scheduler.checkins import CHECKINS_KEY, Checkins
from tests.handlers.conftest import Harness, onboarded


async def test_a_good_and_a_bad_answer(harness: Harness) -> None:
    user = await onboarded(harness, 8001)
    user.send_command("practice")
    throw = await user.next_message()
    assert "Kunde:" in throw.text
    flow = await harness.storage.flows.get(8001)
    assert flow is not None
    entry_id = flow.data["entry"]

    user.send_text("Das ist aber falsch, Sie irren sich.")
    bad = await user.next_message()
    assert "von 100 Punkten" in bad.text
    assert "💡" in bad.text, "tips for a weak answer"
    assert "So könnte es klingen:" in bad.text
    low = (await harness.storage.drills.stats(8001))[entry_id]
    assert low.attempts == 1
    assert low.due == date(2026, 11, 24), "a weak answer comes back tomorrow"

    user.press("▶️ Nächster Einwand", message=bad)
    second = await user.next_message()
    assert "Kunde:" in second.text
    flow = await harness.storage.flows.get(8001)
    assert flow is not None
    user.send_text(
        "Das verstehe ich gut, das ist ein wichtiger Punkt. Darf ich fragen, was Ihnen bei "
        "der Entscheidung am wichtigsten ist? Wollen wir nächste Woche einen kurzen Termin "
        "machen, damit Sie alles in Ruhe sehen?"
    )
    good = await user.next_message()
    good_score = int(good.text.split("Deine Antwort: ")[1].split(" ")[0])
    bad_score = int(bad.text.split("Deine Antwort: ")[1].split(" ")[0])
    assert good_score > bad_score
    assert good_score >= 70
    user.press("✖️ Beenden", message=good)
    assert "Gut trainiert" in (await user.next_message()).text
    assert await harness.storage.flows.get(8001) is None


async def test_drill_this_now_from_an_objection_card(harness: Harness) -> None:
    user = await onboarded(harness, 8002, "en")
    user.send_text("we already have a supplier")
    card = await user.next_message()
    user.press("🎯 Practise this now", message=card)
    throw = await user.next_message()
    assert "Customer:" in throw.text
    flow = await harness.storage.flows.get(8002)
    assert flow is not None
    assert flow.data["entry"] == "have_supplier"
    user.press("⏭ Another objection", message=throw)
    assert "Customer:" in (await user.next_message()).text


async def test_empty_or_odd_answers_are_scored_kindly(harness: Harness) -> None:
    user = await onboarded(harness, 8003)
    user.send_command("practice")
    await user.next_message()
    user.send_text("😀😀😀")
    reply = await user.next_message()
    assert "von 100 Punkten" not in reply.text, "an emoji is no attempt"
    assert "Kunde:" in reply.text, "the customer says it again"
    assert await harness.storage.drills.stats(8003) == {}


def at(day: int, hour: int, minute: int = 0, second: int = 10) -> datetime:
    """An instant in UTC in November 2026 (Berlin is UTC+1)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


async def tick(harness: Harness, now: datetime) -> int:
    """Run one scheduler tick at `now`; how many messages went out."""
    harness.clock.now = now
    assert harness.app is not None
    checkins = harness.app.bot_data[CHECKINS_KEY]
    assert isinstance(checkins, Checkins)
    return (await checkins.tick(now)).sent


async def test_a_drill_stores_the_daily_suggestion_and_the_scheduler_sends_it(
    harness: Harness,
) -> None:
    # Monday 23 Nov, 10:30 in Berlin; the rep's calling block is 09:00-10:00.
    user = await onboarded(harness, 8004)
    user.send_command("practice")
    await user.next_message()
    flow = await harness.storage.flows.get(8004)
    assert flow is not None
    weak = flow.data["entry"]
    user.send_text("Das ist aber falsch.")
    first = await user.next_message()

    # Due tomorrow: half an hour after tomorrow's calling block, 10:30 Berlin = 09:30 UTC.
    (item,) = await harness.storage.checkins.open_items(8004, DUE_KIND)
    assert (item.ref, item.due_at, dict(item.payload)) == (
        "daily",
        at(24, 9, 30, 0),
        {"entry": weak},
    )

    user.press("▶️ Nächster Einwand", message=first)
    await user.next_message()
    user.send_text(
        "Das verstehe ich gut. Darf ich fragen, was Ihnen dabei am wichtigsten ist? Wollen wir "
        "nächste Woche einen kurzen Termin machen, damit Sie alles in Ruhe sehen?"
    )
    await user.next_message()
    (item,) = await harness.storage.checkins.open_items(8004, DUE_KIND)
    assert item.payload == {"entry": weak}, "still the earliest due objection, one item per rep"
    assert item.due_at == at(24, 9, 30, 0)

    await tick(harness, at(24, 9, 29))  # the block-end check-in, not the drill yet
    user.mark_read()
    assert await tick(harness, at(24, 9, 30)) == 1
    reminder = await user.next_message()
    assert "Zwei Minuten Einwand-Training?" in reminder.text
    assert harness.app is not None
    entry = harness.app.bot_data[DEPS_KEY].find_entry("de", weak)
    assert f"„{entry.phrasings[0]}“" in reminder.text, "it names the objection"
    assert reminder.button_labels == ["🎯 Jetzt üben"]
    assert await harness.storage.checkins.open_items(8004, DUE_KIND) == []

    user.press("🎯 Jetzt üben", message=reminder)
    throw = await user.next_message()
    assert "Kunde:" in throw.text
    flow = await harness.storage.flows.get(8004)
    assert flow is not None
    assert flow.data["entry"] == weak, "the button starts that objection's drill"


async def test_ok_is_no_answer_and_no_attempt(harness: Harness) -> None:
    for user_id, lang, customer, tip, good in (
        (
            8101,
            "de",
            "Kunde:",
            "noch keine Antwort",
            "Verstehe ich gut. Was genau fehlt Ihnen noch? Passt ein Termin am Dienstag?",
        ),
        (
            8102,
            "en",
            "Customer:",
            "not yet something you'd say",
            "Fair point. What exactly is missing for you? Shall we meet on Tuesday?",
        ),
    ):
        user = await onboarded(harness, user_id, lang)
        user.send_command("practice")
        throw = await user.next_message()
        user.send_text("ok")
        reply = await user.next_message()
        assert "100" not in reply.text, "no score for 'ok'"
        assert "✅" not in reply.text, "no point for leaving out 'but'"
        assert tip in reply.text
        assert customer in reply.text
        said = throw.text.split("\n\n", 1)[1]
        assert reply.text.endswith(said), "the same objection, said again"
        assert await harness.storage.drills.stats(user_id) == {}, "no attempt recorded"
        flow = await harness.storage.flows.get(user_id)
        assert flow is not None
        assert flow.flow == "drill", "the customer still waits"
        # A double tap of "ok" changes nothing either; then a real answer counts once.
        user.send_text("ok")
        await user.next_message()
        user.send_text(good)
        scored = await user.next_message()
        assert "100" in scored.text
        stats = await harness.storage.drills.stats(user_id)
        assert [stat.attempts for stat in stats.values()] == [1]


async def test_uben_typed_outside_a_drill_starts_practice(harness: Harness) -> None:
    user = await onboarded(harness, 8107)
    user.send_text("/üben")
    reply = await user.next_message()
    assert "Einwand-Training" in reply.text
    assert "nicht verstanden" not in reply.text
    flow = await harness.storage.flows.get(8107)
    assert flow is not None
    assert flow.flow == "drill"
    # From inside another waiting mode too (the contact search), like a command.
    user.send_command("kontakte", "Müller, Bäckerei Sonnenschein")
    await user.next_message()
    user.send_command("kontakte")
    await user.next_message()
    user.send_text("/Üben@SalesCoachBot")
    assert "Einwand-Training" in (await user.next_message()).text
    flow = await harness.storage.flows.get(8107)
    assert flow is not None
    assert flow.flow == "drill"
    english = await onboarded(harness, 8108, "en")
    english.send_text("/üben")
    assert "Objection practice" in (await english.next_message()).text


async def test_three_short_sentences_are_not_told_to_use_whole_sentences(
    harness: Harness,
) -> None:
    user = await onboarded(harness, 8103)
    user.send_command("practice")
    await user.next_message()
    user.send_text("Verstehe ich. Was genau fehlt Ihnen? Passt Dienstag?")
    reply = await user.next_message()
    assert "Deine Antwort: 100 von 100 Punkten" in reply.text
    assert "Sätze" not in reply.text
    user.press("▶️ Nächster Einwand", message=reply)
    await user.next_message()
    user.send_text("Klar. Wann passt es?")
    short = await user.next_message()
    assert "Mit 4 Wörtern ist das sehr knapp. 8 bis 60 Wörter" in short.text
    english = await onboarded(harness, 8104, "en")
    english.send_command("practice")
    await english.next_message()
    english.send_text("Fair point. Meet next week?")
    assert "At 5 words that's very brief." in (await english.next_message()).text


async def test_a_log_or_a_command_during_a_drill_is_not_scored(harness: Harness) -> None:
    user = await onboarded(harness, 8105)
    user.send_command("practice")
    await user.next_message()
    user.send_text("12 Anrufe")
    logged = await user.next_message()
    assert "Notiert: 12 Anrufe" in logged.text
    assert "von 100 Punkten" not in logged.text
    day = await harness.storage.activity.day(8105, harness.clock.now.date())
    assert day.counts.dials == 12
    flow = await harness.storage.flows.get(8105)
    assert flow is not None
    assert flow.flow == "drill", "the customer still waits for an answer"
    assert await harness.storage.drills.stats(8105) == {}

    # Telegram marks no command with an umlaut: "/üben" comes as text and means /practice.
    user.send_text("/üben")
    again = await user.next_message()
    assert "Einwand-Training" in again.text
    assert "von 100 Punkten" not in again.text
    user.send_text("/irgendwas ganz anderes")
    unknown = await user.next_message()
    assert "kenne ich nicht" in unknown.text
    assert await harness.storage.flows.get(8105) is None, "a command ends the drill"
    assert await harness.storage.drills.stats(8105) == {}, "nothing was scored"

    english = await onboarded(harness, 8106, "en")
    english.send_command("practice")
    await english.next_message()
    english.send_text("5 calls")
    assert "out of 100 points" not in (await english.next_message()).text
    day = await harness.storage.activity.day(8106, harness.clock.now.date())
    assert day.counts.dials == 5
    english.send_text("Good point. What would you compare us with? Shall we meet Friday?")
    assert "out of 100 points" in (await english.next_message()).text
