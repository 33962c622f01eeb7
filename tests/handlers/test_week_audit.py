"""/week sends a PNG chart with a summary; /audit runs start to finish and adopts targets."""

from __future__ import annotations

import struct
from datetime import date, timedelta

from bot.coach.activity import Counts
from bot.coach.targets import DailyTargets
from bot.sandbox import SandboxMessage, SandboxUser
from tests.handlers.conftest import Harness, onboarded


async def test_week_sends_a_png_chart_with_summary(harness: Harness) -> None:
    user = await onboarded(harness, 6001)
    activity = harness.storage.activity
    await activity.set_targets(6001, DailyTargets(10, 3, 1, 4), "manual", harness.clock.now)
    for day, dials in ((date(2026, 11, 18), 12), (date(2026, 11, 19), 4), (date(2026, 11, 20), 10)):
        await activity.change(
            6001, day, Counts(dials, 2, 1, 1), source="log", now=harness.clock.now, target_dials=10
        )
    user.tap_reply("📈 Woche")
    photo = await user.next_message(timeout=15)
    assert photo.file is not None
    png = photo.file.data
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width > 400
    assert height > 300
    # Monday morning: today is not over, so it is no miss; the six days before are counted.
    assert "an 2 von 6 abgeschlossenen Arbeitstagen erreicht (33 %)" in photo.text
    assert "Heute läuft noch: 0/10 📞" in photo.text
    assert "Mi 18.11." in photo.text, "best day named"
    user.press("w:14", message=photo)
    longer = await user.next_message(timeout=15)
    assert longer.file is not None
    assert "an 2 von 13 abgeschlossenen Arbeitstagen erreicht (15 %)" in longer.text


async def test_week_rounds_to_nearest_and_counts_today_once_met(harness: Harness) -> None:
    user = await onboarded(harness, 6006, "en")
    activity = harness.storage.activity
    now = harness.clock.now
    await activity.set_targets(6006, DailyTargets(10, 3, 1, 4), "manual", now)
    # Friday 13th missed, Monday 16th to Friday 20th on target.
    for day in (16, 17, 18, 19, 20):
        await activity.change(
            6006, date(2026, 11, day), Counts(10), source="log", now=now, target_dials=10
        )
    user.send_command("week")
    running = await user.next_message(timeout=15)
    assert "on 5 of 6 finished working days (83%)" in running.text
    assert "Today is in progress: 0/10 📞" in running.text
    await activity.change(
        6006, date(2026, 11, 23), Counts(10), source="log", now=now, target_dials=10
    )
    user.send_command("week")
    met = await user.next_message(timeout=15)
    # Six of seven is 85.7 %: 86 %, where rounding down said 85 %.
    assert "on 6 of 7 finished working days (86%)" in met.text
    assert "in progress" not in met.text


async def test_week_with_no_data_still_works(harness: Harness) -> None:
    user = await onboarded(harness, 6002, "en")
    user.send_command("week")
    photo = await user.next_message(timeout=15)
    assert photo.file is not None
    assert "0 of 6 finished working days (0%)" in photo.text
    assert "in progress" not in photo.text, "no target, nothing to be in progress on"


async def test_audit_start_to_finish_and_adopt(harness: Harness) -> None:
    user = await onboarded(harness, 6003)
    user.send_command("audit")
    first = await user.next_message()
    assert "Frage 1 von 7" in first.text
    user.press("u:dials_per_day:10")
    assert "Frage 2 von 7" in (await user.next_message()).text
    user.send_text("30")  # typed instead of tapped
    await user.next_message()
    user.press("u:lead_sources:1")
    await user.next_message()
    user.send_text("ähm")  # not an answer: asked again
    again = await user.next_message()
    assert "kann ich hier nicht einordnen" in again.text
    user.press("u:attempts_before_giving_up:2", message=again)
    await user.next_message()
    user.press("u:new_people_per_day:0")
    await user.next_message()
    user.press("u:never_buyer_calls:most")
    await user.next_message()
    user.press("u:daily_goal_known:no")
    result = await user.next_message()
    assert "von 100 Punkten" in result.text
    assert "•" in result.text
    assert "Tagesziele" in result.text
    user.press("✓ Ziele übernehmen")
    saved = await user.next_message()
    assert "Tagesziele stehen" in saved.text
    stored = await harness.storage.activity.targets(6003)
    assert stored is not None
    assert stored.source == "audit"
    assert stored.daily.dials >= 10
    audit = await harness.storage.activity.last_audit(6003)
    assert audit is not None
    assert audit.answers["blocked_minutes"] == 30


async def test_retaking_the_audit_shows_the_change(harness: Harness) -> None:
    user = await onboarded(harness, 6004, "en")
    for answers in (
        ("0", "0", "0", "1", "0", "most", "no"),
        ("50", "120+", "3+", "5", "20+", "none", "yes"),
    ):
        user.send_command("audit")
        await user.next_message()
        questions = (
            "dials_per_day",
            "blocked_minutes",
            "lead_sources",
            "attempts_before_giving_up",
            "new_people_per_day",
            "never_buyer_calls",
            "daily_goal_known",
        )
        for question, value in zip(questions, answers, strict=True):
            user.press(f"u:{question}:{value}")
            await user.next_message()
        user.press("Later")
        assert "/audit" in (await user.next_message()).text
    final = [m for m in user.messages if "Points compared with last time" in m.text]
    assert final, "the second result compares with the first"
    assert "(+" in final[-1].text


async def test_a_day_opened_from_week_is_corrected_and_week_follows(harness: Harness) -> None:
    user = await onboarded(harness, 6004)
    activity = harness.storage.activity
    now = harness.clock.now
    await activity.set_targets(6004, DailyTargets(10, 3, 1, 4), "manual", now)
    friday = date(2026, 11, 20)
    await activity.change(6004, friday, Counts(10, 2), source="log", now=now, target_dials=10)
    await activity.change(
        6004, friday, Counts(conversations=1), source="log", now=now, target_dials=10
    )
    user.send_command("week")
    photo = await user.next_message(timeout=15)
    assert "an 1 von 6 abgeschlossenen Arbeitstagen" in photo.text
    # One button per working day still in reach (a week back), then the 14-day switch.
    assert photo.button_labels == [
        "✏️ Mo 16.11.", "✏️ Di 17.11.", "✏️ Mi 18.11.", "✏️ Do 19.11.", "✏️ Fr 20.11.",
        "✏️ Mo 23.11.", "📈 Letzte 14 Arbeitstage",
    ]  # fmt: skip
    user.press("✏️ Fr 20.11.", message=photo)
    card = await user.next_message()
    assert "Fr 20.11. korrigieren" in card.text
    assert "Anrufe: 10/10" in card.text
    minus = user.press("−1 📞", message=card)
    answer = await user.wait_for(lambda: user.callback_answer(minus["callback_query"]["id"]))
    assert answer.text == "📞 −1: jetzt 9 am Fr 20.11."
    await user.wait_for(lambda: "Anrufe: 9/10" in card.text)
    harness.clock.now += timedelta(seconds=3)
    user.press("↩️ Rückgängig", message=card)  # takes back the −1
    await user.wait_for(lambda: "Anrufe: 10/10" in card.text)
    harness.clock.now += timedelta(seconds=3)
    user.press("↩️ Rückgängig", message=card)  # then Friday's last log
    await user.wait_for(lambda: "Gespräche: 2/3" in card.text)
    harness.clock.now += timedelta(seconds=3)
    user.press("−1 📞", message=card)
    await user.wait_for(lambda: "Anrufe: 9/10" in card.text)
    assert (await activity.day(6004, friday)).counts == Counts(9, 2)
    user.send_command("week")
    assert "an 0 von 6 abgeschlossenen Arbeitstagen" in (await user.next_message(timeout=15)).text


async def test_minus_on_a_day_at_zero_stays_at_zero(harness: Harness) -> None:
    user = await onboarded(harness, 6005, "en")
    user.send_command("week")
    photo = await user.next_message(timeout=15)
    user.press("✏️ Thu 19.11.", message=photo)
    card = await user.next_message()
    assert "Correct Thu 19.11." in card.text
    minus = user.press("−1 📅", message=card)
    answer = await user.wait_for(lambda: user.callback_answer(minus["callback_query"]["id"]))
    assert answer.text == "📅 is at 0 already, it can't go lower."
    assert (await harness.storage.activity.day(6005, date(2026, 11, 19))).counts == Counts()
    plus = user.press("+1 📅", message=card)
    await user.wait_for(lambda: user.callback_answer(plus["callback_query"]["id"]))
    assert (await harness.storage.activity.day(6005, date(2026, 11, 19))).counts == Counts(
        appointments=1
    )


QUESTION_IDS = (
    "dials_per_day",
    "blocked_minutes",
    "lead_sources",
    "attempts_before_giving_up",
    "new_people_per_day",
    "never_buyer_calls",
    "daily_goal_known",
)
SLOW_ANSWERS = ("25", "120+", "2", "3", "5", "some", "roughly")


async def _run_audit(user: SandboxUser, answers: tuple[str, ...] = SLOW_ANSWERS) -> SandboxMessage:
    """Answer the seven questions by tapping; returns the result message."""
    user.send_command("audit")
    await user.next_message()
    result = None
    for question, value in zip(QUESTION_IDS, answers, strict=True):
        user.press(f"u:{question}:{value}")
        result = await user.next_message()
    assert result is not None
    return result


async def _with_goal_and_history(harness: Harness, user_id: int) -> DailyTargets:
    """A rep whose funnel asks 40 dials a day and who logged 12 a day last week."""
    activity = harness.storage.activity
    now = harness.clock.now
    current = DailyTargets(40, 4, 0, 16)
    goal = {
        "period": "year",
        "revenue": 500000.0,
        "deal": 10000.0,
        "rates": {"dial_to_conversation": 0.1, "conversation_to_appointment": 0.5},
        "vacation": 30,
        "end": "2027-11-22",
        "targets": [
            {"metric": "dials", "count": 40, "unit": "day"},
            {"metric": "conversations", "count": 4, "unit": "day"},
            {"metric": "appointments", "count": 10, "unit": "week"},
            {"metric": "contacts", "count": 16, "unit": "day"},
        ],
    }
    await activity.set_targets(user_id, current, "funnel", now, goal)
    for day in (16, 17, 18, 19, 20):
        await activity.change(
            user_id, date(2026, 11, day), Counts(12, 1, 0, 4), source="log", now=now,
            target_dials=40,
        )  # fmt: skip
    return current


async def test_audit_builds_on_history_and_goal_then_cancel_keeps_the_old(
    harness: Harness,
) -> None:
    user = await onboarded(harness, 6010)
    current = await _with_goal_and_history(harness, 6010)
    result = await _run_audit(user)
    # From the logged 12 a day (not the 25 said, nor the goal's 40) half again: 18.
    assert "📞 18 Anrufe pro Tag" in result.text
    assert "im Schnitt 12 Anrufe an deinen letzten 5 erfassten Arbeitstagen" in result.text
    assert "Quoten aus deinem Umsatzziel" in result.text
    assert "Umsatzziel braucht 40 Anrufe am Tag" in result.text
    first = user.press("✓ Ziele übernehmen", message=result)
    second = user.press("✓ Ziele übernehmen", message=result)
    confirm = await user.next_message()
    assert "Deine Ziele ersetzen?" in confirm.text
    assert "Bisher: 📞 40 Anrufe pro Tag · 💬 4 Gespräche pro Tag · 📅 10 Termine pro Woche" in (
        confirm.text
    )
    assert "Neu: 📞 18 Anrufe pro Tag" in confirm.text
    answer = await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert answer.text == "Dieser Knopf ist nicht mehr aktuell.", "a double tap asks once"
    assert user.callback_answer(first["callback_query"]["id"]) is not None
    stored = await harness.storage.activity.targets(6010)
    assert stored is not None
    assert stored.daily == current, "nothing replaced before the confirmation"
    user.press("✗ Bisherige behalten", message=confirm)
    assert "Ziele bleiben, wie sie sind" in (await user.next_message()).text
    after = await harness.storage.activity.targets(6010)
    assert after == stored


async def test_audit_replace_in_english_and_an_older_result(harness: Harness) -> None:
    user = await onboarded(harness, 6011, "en")
    await harness.storage.activity.set_targets(
        6011, DailyTargets(10, 2, 1, 4), "manual", harness.clock.now
    )
    older = await _run_audit(user)
    newer = await _run_audit(user)
    # The first result's "adopt" belongs to a finished self-check: not taken.
    old = user.press("✓ Adopt targets", message=older)
    answer = await user.wait_for(lambda: user.callback_answer(old["callback_query"]["id"]))
    assert answer.text == "This button has expired."
    user.press("✓ Adopt targets", message=newer)
    confirm = await user.next_message()
    assert "Now: 📞 10 dials · 💬 2 conversations · 📅 1 appointment · 👤 4 new contacts" in (
        confirm.text
    )
    assert "New: 📞 30 dials a day" in confirm.text
    yes = user.press("✓ Yes, take the new ones", message=confirm)
    again = user.press("✓ Yes, take the new ones", message=confirm)
    saved = await user.next_message()
    assert "daily targets are set: 📞 30 dials a day" in saved.text
    await user.wait_for(lambda: user.callback_answer(again["callback_query"]["id"]))
    assert user.callback_answer(yes["callback_query"]["id"]) is not None
    stored = await harness.storage.activity.targets(6011)
    assert stored is not None
    assert stored.source == "audit"
    assert stored.daily.dials == 30
    assert stored.goal is not None
    assert {"metric": "dials", "count": 30, "unit": "day"} in stored.goal["targets"]
    # /goals shows them with their units.
    user.send_command("goals")
    assert "📞 30 dials a day" in (await user.next_message()).text
    assert len([m for m in user.messages if "daily targets are set" in m.text]) == 1


async def test_counts_of_one_in_the_findings_and_the_week(harness: Harness) -> None:
    german = ("nach 1 Versuch auf", "Du rufst 1 neuen Kontakt", "1 Anruf in 15 Minuten ist")
    english = ("after 1 try.", "1 new contact a day", "1 dial in 15 minutes is")
    for user_id, lang, expected in ((6012, "de", german), (6013, "en", english)):
        user = await onboarded(harness, user_id, lang)
        user.send_command("audit")
        await user.next_message()
        for answer in ("1", "15", "3+", "1", "1"):
            user.send_text(answer)
            await user.next_message()
        user.press("u:never_buyer_calls:some")
        await user.next_message()
        user.press("u:daily_goal_known:yes")
        result = (await user.next_message()).text
        for text in expected:
            assert text in result, (text, result)
        # One is never read in the plural.
        assert "1 Versuchen" not in result
        assert "1 tries" not in result
    user = await onboarded(harness, 6014)
    await harness.storage.activity.change(
        6014, date(2026, 11, 20), Counts(1), source="log", now=harness.clock.now, target_dials=0
    )
    user.send_command("week")
    assert "Bester Tag: Fr 20.11. mit 1 Anruf ·" in (await user.next_message(timeout=15)).text


async def test_weekly_review_does_not_count_its_own_unfinished_day(harness: Harness) -> None:
    from tests.handlers.test_checkins import at, tick

    user = await onboarded(harness, 6015)
    activity = harness.storage.activity
    now = harness.clock.now
    await activity.set_targets(6015, DailyTargets(10, 2, 1, 4), "manual", now)
    # Target met Monday and Tuesday, missed Wednesday and Thursday; Friday afternoon is open.
    for day, dials in ((23, 10), (24, 10), (25, 3), (26, 3)):
        await activity.change(
            6015, date(2026, 11, day), Counts(dials, 3, 1), source="log", now=now, target_dials=10
        )
    await tick(harness, at(27, 15, 0))  # Friday 16:00 Berlin
    review = await user.next_message(timeout=15)
    assert "an 2 von 6 abgeschlossenen Arbeitstagen erreicht (33 %)" in review.text
    assert "Heute läuft noch: 0/10 📞" in review.text
    # Two of four finished days is no "few hits" (two of five counted Friday as a miss).
    assert "Halte den Rhythmus" in review.text
    assert "Blocke dir feste Anrufzeiten" not in review.text
