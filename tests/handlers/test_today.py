"""Daily numbers end to end: one-tap logging, double taps, undo, /log and free text."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.coach.activity import Counts
from bot.coach.targets import DailyTargets
from bot.sandbox import SandboxUser
from tests.handlers.conftest import Harness, onboarded

MONDAY = date(2026, 11, 23)


async def with_targets(harness: Harness, user_id: int, lang: str = "de") -> SandboxUser:
    """An onboarded rep with daily targets 20/5/2/8."""
    user = await onboarded(harness, user_id, lang)
    await harness.storage.activity.set_targets(
        user_id, DailyTargets(20, 5, 2, 8), "manual", harness.clock.now
    )
    return user


async def test_tap_counts_and_edits_the_same_message(harness: Harness) -> None:
    user = await with_targets(harness, 4001)
    user.tap_reply("📞 Heute")
    today = await user.next_message()
    assert "📞 Anrufe: 0/20" in today.text
    press = user.press("+1 📞 Anruf")
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert answer.text == "📞 +1 – 1 Anrufe heute"
    await user.wait_for(lambda: "Anrufe: 1/20" in today.text)
    user.press("+1 💬 Gespräch", message=today)
    await user.wait_for(lambda: "Gespräche: 1/5" in today.text)
    assert user.unread == [], "taps edit the message, they send nothing new"
    record = await harness.storage.activity.day(4001, MONDAY)
    assert record.counts == Counts(1, 1, 0, 0)


async def test_double_tap_counts_once(harness: Harness) -> None:
    user = await with_targets(harness, 4002)
    user.send_command("today")
    today = await user.next_message()
    first = user.press("+1 📞 Anruf", message=today)
    second = user.press("+1 📞 Anruf", message=today)  # same rendered version: a double tap
    await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert user.callback_answer(first["callback_query"]["id"]) is not None
    answer = user.callback_answer(second["callback_query"]["id"])
    assert answer is not None
    assert answer.text == "Schon gezählt – dieser Tipp zählt nur einmal."
    record = await harness.storage.activity.day(4002, MONDAY)
    assert record.counts.dials == 1
    user.press("+1 📞 Anruf", message=today)  # the edited message carries the new version
    await user.wait_for(lambda: "Anrufe: 2/20" in today.text)


async def test_undo_takes_back_the_last_entry(harness: Harness) -> None:
    user = await with_targets(harness, 4003)
    user.send_command("today")
    today = await user.next_message()
    user.press("+1 📅 Termin", message=today)
    await user.wait_for(lambda: "Termine: 1/2" in today.text)
    user.press("↩️ Rückgängig", message=today)
    await user.wait_for(lambda: "Termine: 0/2" in today.text)
    press = user.press("↩️ Rückgängig", message=today)
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert answer.text == "Heute gibt es nichts zurückzunehmen."
    record = await harness.storage.activity.day(4003, MONDAY)
    assert record.counts == Counts()


async def test_yesterdays_message_does_not_count_today(harness: Harness) -> None:
    user = await with_targets(harness, 4004)
    user.send_command("today")
    today = await user.next_message()
    harness.clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    press = user.press("+1 📞 Anruf", message=today)
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert "neuer Tag" in (answer.text or "")
    await user.wait_for(lambda: "Di 24.11." in today.text)
    assert (await harness.storage.activity.day(4004, date(2026, 11, 24))).counts == Counts()
    assert (await harness.storage.activity.day(4004, MONDAY)).counts == Counts()


async def test_log_command_and_free_text(harness: Harness) -> None:
    user = await with_targets(harness, 4005)
    user.send_text("/log 12 3 1")
    reply = await user.next_message()
    assert "✓ Notiert: 12 Anrufe, 3 Gespräche, 1 Termin" in reply.text
    assert "Anrufe: 12/20" in reply.text
    user.send_text("5 Anrufe, 2 Gespräche")
    reply = await user.next_message()
    assert "Anrufe: 17/20" in reply.text
    assert "Gespräche: 5/5" in reply.text
    record = await harness.storage.activity.day(4005, MONDAY)
    assert record.counts == Counts(17, 5, 1, 0)


async def test_yesterday_goes_to_the_previous_working_day(harness: Harness) -> None:
    user = await with_targets(harness, 4006)
    user.send_text("gestern 8 Anrufe")  # Monday: yesterday's working day is Friday
    reply = await user.next_message()
    assert "Fr 20.11." in reply.text
    friday = await harness.storage.activity.day(4006, date(2026, 11, 20))
    assert friday.counts.dials == 8
    assert (await harness.storage.activity.day(4006, MONDAY)).counts.dials == 0


async def test_bad_log_input_is_explained_and_loses_nothing(harness: Harness) -> None:
    user = await with_targets(harness, 4007, "en")
    user.send_text("/log 3")
    await user.next_message()
    for bad in ("/log", "/log abc", "/log 99999", "/log -5", "/log 😀"):
        user.send_text(bad)
        reply = await user.next_message()
        assert "/log 12 3 1" in reply.text
    record = await harness.storage.activity.day(4007, MONDAY)
    assert record.counts.dials == 3


async def test_today_without_targets_points_to_goals(harness: Harness) -> None:
    user = await onboarded(harness, 4008, "en")
    user.send_command("today")
    reply = await user.next_message()
    assert "/goals" in reply.text
    assert "Dials: 0" in reply.text
