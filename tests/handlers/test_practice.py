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
    assert "Deine Antwort: 0 von 100 Punkten" in reply.text
    assert "So könnte es klingen:" in reply.text


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
