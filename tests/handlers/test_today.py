"""Daily numbers end to end: one-tap logging (every tap counts once, from any message), undo,
/log, free text, and corrections of the last days."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

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
    assert answer.text == "📞 +1 – 1 Anruf heute"
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
    assert answer.text == "📞 +1 – 1 Anruf heute"
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
    assert answer.text == "💬 +1 – 1 Gespräch heute"
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
    assert answer.text == "📞 +1 – 1 Anruf heute"
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
    for toast in ("📞 +1 – 1 Anruf heute", "📞 +1 – 2 Anrufe heute"):
        press = user.press("+1 📞 Anruf", message=card)  # the same stale button twice
        assert (await user.wait_for(answered(user, press))).text == toast
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


async def test_taps_on_an_earlier_log_reply_count(harness: Harness) -> None:
    user = await with_targets(harness, 4111)
    user.send_text("4 Anrufe")
    first = await user.next_message()
    user.send_text("2 Anrufe")
    await user.next_message()
    user.press("+1 📞 Anruf", message=first)
    await user.wait_for(lambda: "Anrufe: 7/20" in first.text)
    assert (await harness.storage.activity.day(4111, MONDAY)).counts == Counts(7)


async def test_buttons_in_the_old_data_format_still_count(harness: Harness) -> None:
    user = await with_targets(harness, 4110)
    card = await today_card(user)
    data = card.buttons[0]["callback_data"]
    assert data == "t:d:0:261123", "the format already in the reps' chats"
    user.press(data, message=card)
    await user.wait_for(lambda: "Anrufe: 1/20" in card.text)


# -- corrections of the last days ---------------------------------------------------------

FRIDAY = date(2026, 11, 20)


async def test_a_wrong_number_yesterday_is_corrected_by_text_and_the_streak_follows(
    harness: Harness,
) -> None:
    user = await with_targets(harness, 4201)
    user.send_text("gestern 80 Anrufe")  # meant 8: Friday would hit the target of 20
    assert "Fr 20.11." in (await user.next_message()).text
    card = await today_card(user)
    assert "Serie: 1 Arbeitstag am Stück" in card.text, "one day, in the singular"
    user.send_text("gestern 8 statt 80 Anrufe")
    reply = await user.next_message()
    assert "✓ Korrigiert für Fr 20.11.: −72 Anrufe" in reply.text
    assert "Anrufe: 8/20" in reply.text
    assert (await harness.storage.activity.day(4201, FRIDAY)).counts == Counts(8)
    card = await today_card(user)
    assert "Serie: 0 " in card.text, "a corrected day no longer extends the streak"
    # Undo reaches that day too: it takes back the correction.
    assert reply.reply_markup is not None
    user.press("↩️ Rückgängig", message=reply)
    await user.wait_for(lambda: "Anrufe: 80/20" in reply.text)
    assert (await harness.storage.activity.day(4201, FRIDAY)).counts == Counts(80)


async def test_corrections_in_english_with_a_minus_and_never_below_zero(harness: Harness) -> None:
    user = await with_targets(harness, 4202, "en")
    user.send_text("yesterday 80 calls")
    await user.next_message()
    user.send_text("yesterday 8 instead of 80 calls")
    assert "✓ Corrected for Fri 20.11.: −72 dials" in (await user.next_message()).text
    user.send_text("yesterday -10 calls")
    reply = await user.next_message()
    assert "−8 dials" in reply.text
    assert "can't go below 0" in reply.text
    assert (await harness.storage.activity.day(4202, FRIDAY)).counts == Counts()
    user.send_text("yesterday -3 calls")
    assert "nothing on Fri 20.11. to take off" in (await user.next_message()).text
    assert (await harness.storage.activity.day(4202, FRIDAY)).counts == Counts()


async def test_other_days_by_name_and_date_and_a_week_back_at_most(harness: Harness) -> None:
    user = await with_targets(harness, 4203)
    user.send_text("vorgestern 3 Anrufe")  # Monday: Thursday
    assert "Do 19.11." in (await user.next_message()).text
    user.send_text("Mittwoch 4 Anrufe")
    assert "Mi 18.11." in (await user.next_message()).text
    user.send_text("17.11. 2 Termine")
    assert "Di 17.11." in (await user.next_message()).text
    user.send_text("16.11. 5 Anrufe")  # a week ago today: still in reach
    assert "Mo 16.11." in (await user.next_message()).text
    user.send_text("15.11. 5 Anrufe")
    assert "letzten 7 Tage" in (await user.next_message()).text
    user.send_text("31.11. 5 Anrufe")
    assert "Dieses Datum gibt es nicht" in (await user.next_message()).text
    activity = harness.storage.activity
    assert (await activity.day(4203, date(2026, 11, 19))).counts == Counts(3)
    assert (await activity.day(4203, date(2026, 11, 18))).counts == Counts(4)
    assert (await activity.day(4203, date(2026, 11, 17))).counts == Counts(appointments=2)
    assert (await activity.day(4203, date(2026, 11, 16))).counts == Counts(5)
    assert (await activity.day(4203, date(2026, 11, 15))).counts == Counts()


async def test_a_day_far_above_the_usual_asks_once_and_stores_only_on_yes(
    harness: Harness,
) -> None:
    user = await with_targets(harness, 4204)
    user.send_text("1.000 Anrufe")  # a thousand, 50x the target: a typo?
    question = await user.next_message()
    assert "1000 Anrufe für heute?" in question.text
    assert question.button_labels == ["✅ Ja, eintragen", "✖️ Nein"]
    assert (await harness.storage.activity.day(4204, MONDAY)).counts == Counts()
    # The first edit fails, so the question keeps its buttons: the rep taps yes again later.
    fault = harness.sandbox.faults.add("editMessageText", status=502)
    yes = user.press("✅ Ja, eintragen", message=question)
    await user.wait_for(answered(user, yes))
    await user.wait_for(lambda: fault.hits == 1)
    assert (await harness.storage.activity.day(4204, MONDAY)).counts == Counts(1000)
    harness.clock.now += timedelta(minutes=1)
    again = user.press("✅ Ja, eintragen", message=question)
    answer = await user.wait_for(answered(user, again))
    assert answer.text == "Schon gezählt – dieser Tipp zählt nur einmal."
    await user.wait_for(lambda: "Anrufe: 1000/20" in question.text)
    assert "✓ Notiert" not in question.text, "the second yes only shows the numbers"
    assert (await harness.storage.activity.day(4204, MONDAY)).counts == Counts(1000)
    assert user.unread == []
    # Once the day is that high, more calls are not asked about again.
    user.send_text("5 Anrufe")
    assert "Anrufe: 1005/20" in (await user.next_message()).text


async def test_no_to_a_far_off_day_stores_nothing(harness: Harness) -> None:
    user = await with_targets(harness, 4205, "en")
    user.send_text("yesterday 300 calls")
    question = await user.next_message()
    assert "300 dials for Fri 20.11.?" in question.text
    user.press("✖️ No", message=question)
    await user.wait_for(lambda: "nothing logged" in question.text)
    assert question.buttons == []
    assert (await harness.storage.activity.day(4205, FRIDAY)).counts == Counts()
    user.send_text("yesterday 30 calls")
    assert "Added to Fri 20.11.: 30 dials" in (await user.next_message()).text


async def test_bad_numbers_get_a_friendly_reply_and_lose_nothing(harness: Harness) -> None:
    user = await with_targets(harness, 4206)
    user.send_text("3 Anrufe")
    await user.next_message()
    for bad in (
        f"{10**30} Anrufe",
        "/log 1.5",
        "1.5 Anrufe",
        "١٢ Anrufe",
        "Ⅻ Anrufe",
        "Anrufe 🤷",
        "/log -5",
        "8 statt Anrufe",
    ):
        user.send_text(bad)
        reply = await user.next_message()
        assert reply.text, bad
        assert "Fehler" not in reply.text, bad
    assert (await harness.storage.activity.day(4206, MONDAY)).counts == Counts(3)
    user.send_text("-5 Anrufe")
    reply = await user.next_message()
    assert "Unter 0 geht es nicht" in reply.text
    assert (await harness.storage.activity.day(4206, MONDAY)).counts == Counts()
    assert harness.errors == []


async def test_the_log_holds_no_typed_text_or_button_data(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the default LOG_LEVEL (DEBUG is tests/test_log_privacy.py's)
    user = await with_targets(harness, 4207)
    card = await today_card(user)
    harness.sandbox.faults.add("editMessageText", status=502)
    harness.sandbox.faults.add("answerCallbackQuery", status=400, description="Bad Request: x")
    user.press("+1 📞 Anruf", message=card)
    user.send_text("gestern 8 statt 80 Anrufe")
    await user.next_message()
    user.send_text("Zwölftausend Anrufe bei Bäckerei Müller")
    await user.next_message()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "tap message not updated" in logged, "the failures are logged"
    for secret in ("statt", "Bäckerei", "Müller", "Zwölf", "t:d:", "Anruf"):
        assert secret not in logged, secret
