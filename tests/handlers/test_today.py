"""Daily numbers end to end: one-tap logging, double taps, undo, /log and free text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.coach.activity import Counts
from bot.coach.targets import DailyTargets
from bot.sandbox import SandboxMessage, SandboxUser
from bot.sandbox.models import CallbackAnswer, JSONDict
from bot.scheduler.checkins import CHECKINS_KEY, Checkins
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
    second = user.press("+1 📞 Anruf", message=today)  # same button, same instant: a double tap
    await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert user.callback_answer(first["callback_query"]["id"]) is not None
    answer = user.callback_answer(second["callback_query"]["id"])
    assert answer is not None
    assert answer.text == "Schon gezählt – dieser Tipp zählt nur einmal."
    record = await harness.storage.activity.day(4002, MONDAY)
    assert record.counts.dials == 1
    user.press("+1 📞 Anruf", message=today)  # the edited message: a new tap, counted at once
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


async def test_a_tap_on_yesterdays_card_counts_today_and_shows_today(harness: Harness) -> None:
    user = await with_targets(harness, 4004)
    user.send_command("today")
    today = await user.next_message()
    harness.clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    press = user.press("+1 📞 Anruf", message=today)
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert answer.text == "📞 +1 – 1 Anrufe heute"
    await user.wait_for(lambda: "Di 24.11." in today.text)
    assert "Anrufe: 1/20" in today.text
    assert (await harness.storage.activity.day(4004, date(2026, 11, 24))).counts == Counts(1)
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


# -- every tap counts exactly once, from any message carrying the buttons -------------------


def answered(user: SandboxUser, update: JSONDict) -> Callable[[], CallbackAnswer | None]:
    """A condition: the bot answered this button press."""
    return lambda: user.callback_answer(update["callback_query"]["id"])


async def today_card(user: SandboxUser) -> SandboxMessage:
    user.send_command("today")
    return await user.next_message()


async def test_taps_on_an_older_card_count_and_show_the_current_numbers(
    harness: Harness,
) -> None:
    user = await with_targets(harness, 4101)
    older = await today_card(user)
    newer = await today_card(user)
    user.press("+1 📞 Anruf", message=newer)
    await user.wait_for(lambda: "Anrufe: 1/20" in newer.text)
    press = user.press("+1 📞 Anruf", message=older)  # scrolled up: the card from before
    answer = await user.wait_for(answered(user, press))
    assert answer.text == "📞 +1 – 2 Anrufe heute"
    await user.wait_for(lambda: "Anrufe: 2/20" in older.text)
    user.press("+1 📞 Anruf", message=older)
    await user.wait_for(lambda: "Anrufe: 3/20" in older.text)
    assert (await harness.storage.activity.day(4101, MONDAY)).counts == Counts(3)
    assert user.unread == []


async def test_two_buttons_tapped_before_the_edit_both_count(harness: Harness) -> None:
    user = await with_targets(harness, 4102)
    card = await today_card(user)
    first = user.press("+1 📞 Anruf", message=card)
    second = user.press("+1 💬 Gespräch", message=card)  # the same rendering, another button
    await user.wait_for(answered(user, first))
    answer = await user.wait_for(answered(user, second))
    assert answer.text == "💬 +1 – 1 Gespräche heute"
    assert (await harness.storage.activity.day(4102, MONDAY)).counts == Counts(1, 1)
    await user.wait_for(lambda: "Anrufe: 1/20" in card.text and "Gespräche: 1/5" in card.text)


async def test_a_redelivered_tap_counts_once(harness: Harness) -> None:
    user = await with_targets(harness, 4103)
    card = await today_card(user)
    press = user.press("+1 📅 Termin", message=card)
    await user.wait_for(answered(user, press))
    await user.wait_for(lambda: "Termine: 1/2" in card.text)
    harness.clock.now += timedelta(minutes=5)  # long after any double tap
    user.redeliver(press)  # the same callback query again, e.g. after a restart
    await harness.sandbox.wait_idle()
    assert (await harness.storage.activity.day(4103, MONDAY)).counts == Counts(appointments=1)
    assert "Termine: 1/2" in card.text
    assert user.unread == [], "no error reply for the answer Telegram refuses"


async def test_after_a_failed_edit_a_double_tap_counts_once_and_a_later_tap_counts(
    harness: Harness,
) -> None:
    user = await with_targets(harness, 4104)
    card = await today_card(user)
    fault = harness.sandbox.faults.add("editMessageText", status=502)
    first = user.press("+1 📞 Anruf", message=card)
    answer = await user.wait_for(answered(user, first))
    assert answer.text == "📞 +1 – 1 Anrufe heute"
    await user.wait_for(lambda: fault.hits == 1)
    await harness.sandbox.wait_idle()
    assert "Anrufe: 0/20" in card.text, "the edit failed: the card still shows the old numbers"
    harness.clock.now += timedelta(seconds=0.8)  # the second half of a double tap
    second = user.press("+1 📞 Anruf", message=card)
    assert (await user.wait_for(answered(user, second))).text == (
        "Schon gezählt – dieser Tipp zählt nur einmal."
    )
    await user.wait_for(lambda: "Anrufe: 1/20" in card.text)
    assert (await harness.storage.activity.day(4104, MONDAY)).counts == Counts(1)
    assert user.unread == [], "a failed edit is no error for the rep"


async def test_same_button_again_after_a_failed_edit_counts_when_deliberate(
    harness: Harness,
) -> None:
    user = await with_targets(harness, 4105)
    card = await today_card(user)
    harness.sandbox.faults.add("editMessageText", status=500, times=2)
    for n in (1, 2):
        press = user.press("+1 📞 Anruf", message=card)  # the same stale button twice
        assert (await user.wait_for(answered(user, press))).text == f"📞 +1 – {n} Anrufe heute"
        harness.clock.now += timedelta(seconds=3)
    await harness.sandbox.wait_idle()
    assert "Anrufe: 0/20" in card.text
    user.press("+1 📞 Anruf", message=card)
    await user.wait_for(lambda: "Anrufe: 3/20" in card.text)
    assert user.unread == []


async def test_a_failed_answer_still_counts_once_and_updates_the_card(harness: Harness) -> None:
    user = await with_targets(harness, 4106)
    card = await today_card(user)
    harness.sandbox.faults.add("answerCallbackQuery", status=500)
    user.press("+1 💬 Gespräch", message=card)
    await user.wait_for(lambda: "Gespräche: 1/5" in card.text)
    assert (await harness.storage.activity.day(4106, MONDAY)).counts == Counts(conversations=1)
    assert user.unread == []


async def test_taps_while_the_bot_was_down_count_after_the_restart(harness: Harness) -> None:
    user = await with_targets(harness, 4107)
    card = await today_card(user)
    await harness.stop()
    user.press("+1 📞 Anruf", message=card)
    harness.clock.now += timedelta(seconds=5)
    user.press("+1 👤 Neuer Kontakt", message=card)
    # Minutes later Telegram no longer takes answers to those queries.
    harness.clock.now += timedelta(minutes=10)
    harness.sandbox.faults.add(
        "answerCallbackQuery",
        status=400,
        description="Bad Request: query is too old and response timeout expired or query ID is "
        "invalid",
        times=2,
    )
    await harness.start()
    await user.wait_for(lambda: "Anrufe: 1/20" in card.text and "Kontakte: 1/8" in card.text)
    assert (await harness.storage.activity.day(4107, MONDAY)).counts == Counts(1, contacts=1)
    assert user.unread == []


async def test_the_block_start_check_in_buttons_count_after_other_logging(
    harness: Harness,
) -> None:
    user = await with_targets(harness, 4108)
    checkins = harness.app.bot_data[CHECKINS_KEY] if harness.app else None
    assert isinstance(checkins, Checkins)
    block = datetime(2026, 11, 23, 8, 0, 10, tzinfo=UTC)  # 09:00 in Berlin
    harness.clock.now = block
    await checkins.tick(block)
    start = await user.wait_for(
        lambda: next((m for m in user.unread if "Anrufblock" in m.text), None)
    )
    user.mark_read()
    user.send_text("5 Anrufe")  # the day changes after the check-in went out
    await user.next_message()
    press = user.press("+1 📞 Anruf", message=start)
    assert (await user.wait_for(answered(user, press))).text == "📞 +1 – 6 Anrufe heute"
    await user.wait_for(lambda: "Anrufe: 6/20" in start.text)
    assert (await harness.storage.activity.day(4108, MONDAY)).counts == Counts(6)


async def test_undo_on_an_old_card_takes_back_todays_last_entry_once_per_tap(
    harness: Harness,
) -> None:
    user = await with_targets(harness, 4109)
    older = await today_card(user)
    user.send_text("4 Anrufe")
    await user.next_message()
    user.send_text("2 Termine")
    await user.next_message()
    first = user.press("↩️ Rückgängig", message=older)
    second = user.press("↩️ Rückgängig", message=older)  # a double tap on undo
    assert (await user.wait_for(answered(user, first))).text == "↩️ Letzter Eintrag zurückgenommen"
    await user.wait_for(answered(user, second))
    assert (await harness.storage.activity.day(4109, MONDAY)).counts == Counts(4)
    await user.wait_for(lambda: "Anrufe: 4/20" in older.text and "Termine: 0/2" in older.text)
    harness.clock.now += timedelta(seconds=3)
    user.press("↩️ Rückgängig", message=older)
    await user.wait_for(lambda: "Anrufe: 0/20" in older.text)
    assert (await harness.storage.activity.day(4109, MONDAY)).counts == Counts()


async def test_buttons_in_the_old_data_format_still_count(harness: Harness) -> None:
    user = await with_targets(harness, 4110)
    card = await today_card(user)
    data = card.buttons[0]["callback_data"]
    assert data == "t:d:0:261123", "the format already in the reps' chats"
    user.press(data, message=card)
    await user.wait_for(lambda: "Anrufe: 1/20" in card.text)
