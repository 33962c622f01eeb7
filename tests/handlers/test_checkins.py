"""Check-ins end to end: the real bot and sandbox, the scheduler's tick run with `now` passed in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.coach.activity import Counts
from bot.coach.profile import Profile
from bot.coach.targets import DailyTargets
from bot.handlers.pitch import DUE_KIND as PITCH_DUE
from bot.scheduler.checkins import CHECKINS_KEY, Checkins, TickReport
from bot.storage.checkins import DeliveryKey
from bot.storage.tables import deliveries
from tests.handlers.conftest import Harness, onboarded

# Monday 23 November 2026; Berlin is UTC+1 in winter.
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, second: int = 10, month: int = 11) -> datetime:
    """An instant in UTC in November (or another month) 2026."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def engine(harness: Harness) -> Checkins:
    assert harness.app is not None
    checkins = harness.app.bot_data[CHECKINS_KEY]
    assert isinstance(checkins, Checkins)
    return checkins


async def tick(harness: Harness, now: datetime) -> TickReport:
    harness.clock.now = now
    return await engine(harness).tick(now)


async def rep(
    harness: Harness, user_id: int, tz: str = "Europe/Berlin", **schedule: object
) -> None:
    """An onboarded rep stored directly (fast), with a chat in the sandbox."""
    harness.user(user_id)
    profile = Profile(user_id, user_id, "de", tz, onboarded=True).with_schedule(**schedule)
    await harness.storage.users.create(profile, MONDAY)


async def statuses(harness: Harness, user_id: int) -> dict[str, str]:
    return {
        f"{key.kind}:{key.local_date}": status
        for key, status in await harness.storage.checkins.deliveries_of(user_id)
    }


async def test_morning_ping_at_eight_local_time_exactly_once(harness: Harness) -> None:
    user = await onboarded(harness, 4001)
    assert (await tick(harness, at(23, 6, 59))).claimed == 0
    assert user.unread == []
    report = await tick(harness, at(24, 7, 0))  # Tuesday 08:00 Berlin
    assert report.sent == 1
    ping = await user.next_message()
    assert "Guten Morgen" in ping.text
    assert "Di 24.11." in ping.text
    assert "💡" in ping.text, "a principle from the seeds"
    assert "/ziele" in ping.text, "no targets yet: says how to get them"
    assert (await tick(harness, at(24, 7, 1))).sent == 0
    await harness.restart()
    assert (await tick(harness, at(24, 7, 2))).sent == 0, "the claim is stored, not in memory"
    assert user.unread == []
    assert (await statuses(harness, 4001))["morning:2026-11-24"] == "sent"


async def test_english_rep_gets_english_check_ins(harness: Harness) -> None:
    user = await onboarded(harness, 4002, "en")
    await tick(harness, at(24, 7, 0))
    assert "Good morning" in (await user.next_message()).text


async def test_each_timezone_at_its_own_eight(harness: Harness) -> None:
    await rep(harness, 4010, "America/New_York")
    await rep(harness, 4011, "Asia/Kolkata")
    ny, kolkata = harness.user(4010), harness.user(4011)
    # Wednesday: the Tuesday is a public holiday in India (Guru Nanak's birthday).
    await tick(harness, at(25, 2, 30))  # 08:00 in Kolkata (UTC+5:30)
    assert "Guten Morgen" in (await kolkata.next_message()).text
    assert ny.unread == []
    await tick(harness, at(25, 13, 0))  # 08:00 in New York (UTC-5)
    assert "Guten Morgen" in (await ny.next_message()).text


async def test_no_ping_on_weekends_or_public_holidays(harness: Harness) -> None:
    await rep(harness, 4020)
    user = harness.user(4020)
    for now in (at(28, 7, 0), at(29, 7, 0), at(25, 7, 0, month=12), at(1, 7, 0, month=1)):
        harness.clock.now = now
        report = await engine(harness).tick(now.replace(year=2027) if now.month == 1 else now)
        assert report.sent == 0
    assert user.unread == []


async def test_late_within_grace_is_sent_older_is_skipped(harness: Harness) -> None:
    await rep(harness, 4030)
    await rep(harness, 4031)
    # The bot was down at 08:00; it comes back at 09:30 Berlin: 1.5 h late, within 2 h.
    report = await tick(harness, at(24, 8, 30))
    assert report.sent == 2
    # Back only at 11:00 the next day: the morning ping is 3 h late and is skipped.
    report = await tick(harness, at(25, 10, 0))
    assert report.sent == 0
    assert (await statuses(harness, 4030))["morning:2026-11-25"] == "skipped"


async def test_quiet_hours_hold_a_ping_back(harness: Harness) -> None:
    await rep(harness, 4040, morning_ping=time(6, 30), quiet_end=time(7, 0))
    user = harness.user(4040)
    assert (await tick(harness, at(24, 5, 30))).sent == 0
    assert (await tick(harness, at(24, 6, 5))).sent == 0, "not later either"
    assert user.unread == []


async def test_snooze_brings_the_check_in_back(harness: Harness) -> None:
    user = await onboarded(harness, 4050)
    await tick(harness, at(24, 7, 0))
    ping = await user.next_message()
    user.press("z:30m:morning:261124", message=ping)
    confirm = await user.next_message()
    assert "08:30" in confirm.text
    assert (await tick(harness, at(24, 7, 20))).sent == 0
    await tick(harness, at(24, 7, 30))
    again = await user.next_message()
    assert "Guten Morgen" in again.text
    assert (await tick(harness, at(24, 7, 31))).sent == 0, "the snooze went out once"


async def test_snooze_until_tomorrow_skips_the_weekend(harness: Harness) -> None:
    user = await onboarded(harness, 4051)
    await tick(harness, at(27, 7, 0))  # Friday
    ping = await user.next_message()
    user.press("z:tomorrow:morning:261127", message=ping)
    assert "Mo 30.11." in (await user.next_message()).text


async def test_snoozing_twice_keeps_one_reminder(harness: Harness) -> None:
    user = await onboarded(harness, 4052)
    await tick(harness, at(24, 7, 0))
    ping = await user.next_message()
    user.press("z:30m:morning:261124", message=ping)
    await user.next_message()
    user.press("z:1h:morning:261124", message=ping)
    assert "09:00" in (await user.next_message()).text
    items = await harness.storage.checkins.open_items(4052)
    assert [(item.kind, item.due_at) for item in items] == [("snooze", at(24, 8, 0, 10))]
    assert (await tick(harness, at(24, 7, 31))).sent == 0, "the later choice wins"
    assert (await tick(harness, at(24, 8, 1))).sent == 2, "the snoozed ping and the block start"
    texts = [(await user.next_message()).text for _ in range(2)]
    assert any("Guten Morgen" in text for text in texts)


async def test_pause_and_resume(harness: Harness) -> None:
    user = await onboarded(harness, 4060)
    harness.clock.now = at(23, 10, 0)
    user.send_command("pause")
    assert "Bis wann" in (await user.next_message()).text
    user.send_text("irgendwann")
    assert "nicht verstanden" in (await user.next_message()).text
    user.send_text("bis Freitag")
    assert "Fr 27.11." in (await user.next_message()).text
    assert (await tick(harness, at(24, 7, 0))).sent == 0
    assert (await tick(harness, at(27, 7, 0))).sent == 0
    harness.clock.now = at(25, 10, 0)
    user.send_command("resume")
    assert "Willkommen zurück" in (await user.next_message()).text
    assert (await tick(harness, at(26, 7, 0))).sent == 1
    assert "Guten Morgen" in (await user.next_message()).text
    user.send_command("resume")
    assert "keine Pause" in (await user.next_message()).text


async def test_pause_with_a_date_in_one_go(harness: Harness) -> None:
    user = await onboarded(harness, 4061)
    harness.clock.now = at(23, 10, 0)
    user.send_command("pause", "2 Wochen")
    assert "Mo 07.12." in (await user.next_message()).text
    assert (await tick(harness, at(4, 7, 0, month=12))).sent == 0
    assert (await tick(harness, at(8, 7, 0, month=12))).sent == 1


async def test_calling_block_start_and_end(harness: Harness) -> None:
    user = await onboarded(harness, 4070)
    await tick(harness, at(24, 7, 0))
    await user.next_message()  # the morning ping
    await tick(harness, at(24, 8, 0))  # 09:00 Berlin
    start = await user.next_message()
    assert "Anrufblock startet jetzt" in start.text
    assert "10:00" in start.text
    assert start.reply_markup is not None
    user.press(start.reply_markup["inline_keyboard"][0][0]["callback_data"], message=start)
    await user.wait_for(lambda: start.edit_count > 0)
    await tick(harness, at(24, 9, 0))  # 10:00 Berlin: the block ends
    end = await user.next_message()
    assert "Block geschafft" in end.text
    assert "📞 Anrufe: 1" in end.text, "the tap is counted in the summary"


async def test_evening_asks_or_sums_up(harness: Harness) -> None:
    quiet = await onboarded(harness, 4080)
    busy = await onboarded(harness, 4081)
    harness.clock.now = at(24, 12, 0)
    busy.send_command("log", "20 4 1")
    await busy.next_message()
    await tick(harness, at(24, 16, 30))  # 17:30 Berlin
    assert "Wie viele Anrufe" in (await quiet.next_message()).text
    summary = await busy.next_message()
    assert "Dein Tag im Überblick" in summary.text
    assert "20" in summary.text


async def test_midday_nudge_only_when_switched_on_and_nothing_logged(harness: Harness) -> None:
    kinds = frozenset({"midday"})
    await rep(harness, 4090, checkins=kinds)
    await rep(harness, 4091, checkins=kinds)
    await rep(harness, 4092)  # default: off
    idle, busy, off = harness.user(4090), harness.user(4091), harness.user(4092)
    await harness.storage.activity.change(
        4091, at(24, 8).date(), Counts(dials=3), source="test", now=at(24, 8), target_dials=0
    )
    report = await tick(harness, at(24, 11, 30))  # 12:30 Berlin
    assert report.sent == 1
    assert "Mittag" in (await idle.next_message()).text
    assert busy.unread == []
    assert off.unread == []


async def test_weekly_review_with_chart_and_focus(harness: Harness) -> None:
    user = await onboarded(harness, 4100)
    await tick(harness, at(27, 15, 0))  # Friday 16:00 Berlin
    review = await user.next_message()
    assert review.file is not None, "the week chart"
    assert "Wochenrückblick" in review.text
    assert "Fokus für nächste Woche" in review.text


async def test_a_blocked_rep_is_marked_inactive_and_the_others_still_get_theirs(
    harness: Harness,
) -> None:
    for user_id in range(4110, 4115):
        await rep(harness, user_id)
    harness.sandbox.faults.add("sendMessage", status=403, chat_id=4112)
    report = await tick(harness, at(24, 7, 0))
    assert report.sent == 4
    assert report.blocked == 1
    stored = await harness.storage.users.get(4112)
    assert stored is not None
    assert not stored.active
    assert (await tick(harness, at(25, 7, 0))).sent == 4, "no more messages to a blocked rep"


async def test_429_and_server_errors_are_retried(harness: Harness) -> None:
    for user_id in (4120, 4121, 4122):
        await rep(harness, user_id)
    harness.sandbox.faults.add("sendMessage", retry_after=1, chat_id=4120)
    harness.sandbox.faults.add("sendMessage", status=502, chat_id=4121, times=2)
    harness.sandbox.faults.add("sendMessage", delay=0.2, chat_id=4122)
    report = await tick(harness, at(24, 7, 0))
    assert report.sent == 3
    for user_id in (4120, 4121, 4122):
        assert "Guten Morgen" in (await harness.user(user_id).next_message()).text


async def test_a_rep_who_never_answers_gives_up_after_the_tries(harness: Harness) -> None:
    await rep(harness, 4130)
    harness.sandbox.faults.add("sendMessage", status=502, chat_id=4130, times=None)
    report = await tick(harness, at(24, 7, 0))
    assert report.failed == 1
    assert (await statuses(harness, 4130))["morning:2026-11-24"] == "failed"


async def test_an_unconfirmed_claim_is_retried_after_its_lease(harness: Harness) -> None:
    await rep(harness, 4140)
    # A process claimed the ping at 08:00 and died before it could send it.
    claimed = await harness.storage.checkins.claim(
        [DeliveryKey(4140, "morning", "", at(24, 7).date())], at(24, 7, 0)
    )
    assert len(claimed) == 1
    assert (await tick(harness, at(24, 7, 1))).sent == 0, "still within the lease"
    report = await tick(harness, at(24, 7, 5))
    assert report.retried == 1
    assert report.sent == 1
    assert "Guten Morgen" in (await harness.user(4140).next_message()).text
    async with harness.storage.engine.connect() as conn:
        query = deliveries.select().where(deliveries.c.kind == "morning")
        row = (await conn.execute(query.where(deliveries.c.local_date == at(24, 7).date()))).one()
    assert (row.status, row.attempts) == ("sent", 2)


async def test_spring_forward_ping_fires_once(harness: Harness) -> None:
    # 02:30 does not exist in Berlin on 29 March 2026 (a Sunday, so a seven-day rep).
    await rep(
        harness,
        4150,
        morning_ping=time(2, 30),
        quiet_start=time(0, 0),
        quiet_end=time(0, 0),
        working_days=frozenset(range(7)),
    )
    sent = 0
    now = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    while now < datetime(2026, 3, 29, 4, 0, tzinfo=UTC):
        sent += (await tick(harness, now)).sent
        now += timedelta(minutes=5)
    assert sent == 1


async def test_changed_time_takes_effect_at_the_next_tick(harness: Harness) -> None:
    await rep(harness, 4160)
    stored = await harness.storage.users.get(4160)
    assert stored is not None
    await harness.storage.users.save(stored.with_schedule(morning_ping=time(7, 0)), MONDAY)
    assert (await tick(harness, at(24, 6, 0))).sent == 1


async def test_inactive_reps_get_nothing(harness: Harness) -> None:
    await rep(harness, 4170)
    await harness.storage.users.set_active(4170, False, MONDAY)
    assert (await tick(harness, at(24, 7, 0))).sent == 0


async def test_morning_ping_shows_targets_yesterday_and_the_streak(harness: Harness) -> None:
    user = await onboarded(harness, 4180)
    activity = harness.storage.activity
    await activity.set_targets(4180, DailyTargets(10, 3, 1, 2), "test", MONDAY)
    for day in (23, 24, 25):  # Monday to Wednesday on target
        await activity.change(
            4180,
            at(day, 8).date(),
            Counts(dials=12, conversations=2),
            source="test",
            now=at(day, 8),
            target_dials=10,
        )
    await tick(harness, at(26, 7, 0))  # Thursday 08:00 Berlin
    ping = await user.next_message()
    assert "Heute: 📞 10 Anrufe" in ping.text
    assert "Gestern: 📞 12 Anrufe · 💬 2 Gespräche" in ping.text
    assert "Serie: 3 Arbeitstage" in ping.text


async def test_a_vacation_neither_breaks_nor_extends_the_streak_in_today(
    harness: Harness,
) -> None:
    user = await onboarded(harness, 4190)
    activity = harness.storage.activity
    await activity.set_targets(4190, DailyTargets(10, 3, 1, 2), "test", MONDAY)
    for day in (23, 24, 30):  # Monday, Tuesday, and the Monday after the break
        await activity.change(
            4190,
            at(day, 8).date(),
            Counts(dials=11),
            source="test",
            now=at(day, 8),
            target_dials=10,
        )
    harness.clock.now = at(24, 17)
    user.send_command("pause", "bis Freitag")
    assert "Fr 27.11." in (await user.next_message()).text
    harness.clock.now = at(30, 9)
    user.send_command("today")
    assert "Serie: 3 Tage" in (await user.next_message()).text, "Wednesday to Friday paused"


async def test_a_send_that_times_out_is_retried_and_the_fan_out_goes_on(harness: Harness) -> None:
    await harness.stop()
    harness.settings = harness.settings.model_copy(update={"telegram_timeout": 0.5})
    await harness.start()
    for user_id in (4200, 4201, 4202):
        await rep(harness, user_id)
    # The first try to 4201 hangs past the timeout; the retry goes through.
    harness.sandbox.faults.add("sendMessage", delay=2.0, chat_id=4201, times=1)
    report = await tick(harness, at(24, 7, 0))
    assert report.sent == 3
    assert report.failed == 0
    for user_id in (4200, 4201, 4202):
        assert (await statuses(harness, user_id))["morning:2026-11-24"] == "sent"
    # Telegram may have delivered the timed-out try too: at most one extra copy, never more.
    assert 1 <= len(harness.user(4201).messages) <= 2


# --- A pause, a snooze and the quiet hours keep their promise ----------------------------------


async def test_a_pause_holds_back_reminders_and_drops_a_snoozed_check_in(harness: Harness) -> None:
    user = await onboarded(harness, 4300)
    # Monday 10:30: a follow-up for Tuesday's calling block, a pitch rehearsal on Tuesday.
    user.send_command("kontakte", "Müller, Bäckerei Sonnenschein, 0171 2345678")
    card = await user.next_message()
    user.press("📵 Nicht erreicht", message=card)
    proposal = await user.next_message()
    user.press("✅ Übernehmen", message=proposal)
    await user.next_message()
    await harness.storage.checkins.put_due(
        4300, PITCH_DUE, "rehearsal", at(24, 10, 15, 0), MONDAY, {"pitch": 1}
    )
    # 17:30: the evening check-in, snoozed for an hour; at 18:00 the rep takes a break.
    await tick(harness, at(23, 16, 30))
    evening = await user.next_message()
    user.press("z:1h:evening:261123", message=evening)
    assert "18:30" in (await user.next_message()).text
    harness.clock.now = at(23, 17, 0)
    user.send_command("pause", "bis Mittwoch")
    assert "Mi 25.11." in (await user.next_message()).text

    for now in (at(23, 17, 30), at(24, 8, 0), at(24, 10, 15), at(25, 8, 0), at(25, 16, 30)):
        assert (await tick(harness, now)).sent == 0, f"paused, yet something went out at {now}"
    assert user.unread == []

    # Thursday, the first moment after the pause (07:00, the end of the quiet hours): the
    # follow-up and the rehearsal come; Monday's snoozed evening check-in is stale and dropped.
    report = await tick(harness, at(26, 6, 0))
    assert report.sent == 2
    texts = [(await user.next_message()).text for _ in range(2)]
    assert any("Nachfassen: Müller" in text for text in texts)
    assert any("Pitch-Probe" in text for text in texts)
    assert not any("Feierabend" in text or "Überblick" in text for text in texts)
    assert await harness.storage.checkins.open_items(4300) == []
    assert (await tick(harness, at(26, 7, 0))).sent == 1, "then the morning ping, once"
    assert "Guten Morgen" in (await user.next_message()).text


async def test_snooze_to_tomorrow_is_tomorrows_one_morning_ping(harness: Harness) -> None:
    user = await onboarded(harness, 4301)
    await tick(harness, at(24, 7, 0))
    ping = await user.next_message()
    user.press("z:30m:morning:261124", message=ping)
    assert "08:30" in (await user.next_message()).text
    user.press("z:tomorrow:morning:261124", message=ping)
    assert "Mi 25.11. um 08:00" in (await user.next_message()).text
    assert (await tick(harness, at(24, 7, 30))).sent == 0, "the later choice replaced 30 min"
    assert (await tick(harness, at(25, 7, 0))).sent == 1
    again = await user.next_message()
    assert "Guten Morgen" in again.text
    assert "Mi 25.11." in again.text
    assert (await tick(harness, at(25, 7, 1))).sent == 0
    assert user.unread == []
    pings = [m for m in user.messages if "Guten Morgen" in m.text and "Mi 25.11." in m.text]
    assert len(pings) == 1, "Wednesday's morning ping exactly once"


async def test_an_evening_snoozed_into_the_night_comes_as_mondays_morning_ping(
    harness: Harness,
) -> None:
    kinds = frozenset({"morning", "evening"})
    await rep(harness, 4302, evening_checkin=time(20, 30), checkins=kinds)
    user = harness.user(4302)
    await tick(harness, at(27, 19, 30))  # Friday 20:30 Berlin
    evening = await user.next_message()
    assert "Feierabend" in evening.text
    user.press("z:1h:evening:261127", message=evening)
    # 21:30 is in the quiet hours, the weekend is off: Monday's morning ping takes it.
    assert "Mo 30.11. um 08:00" in (await user.next_message()).text
    for now in (at(27, 20, 30), at(28, 6, 0), at(28, 7, 0), at(29, 7, 0), at(30, 6, 0)):
        assert (await tick(harness, now)).sent == 0, f"sent at {now}"
    assert (await tick(harness, at(30, 7, 0))).sent == 1
    ping = await user.next_message()
    assert "Guten Morgen" in ping.text
    assert "Mo 30.11." in ping.text
    assert "Am Fr 27.11. ist nichts eingetragen" in ping.text, "Friday is not 'yesterday'"
    assert "Gestern" not in ping.text
    assert user.unread == []


async def test_without_a_morning_ping_the_snooze_comes_when_the_quiet_hours_end(
    harness: Harness,
) -> None:
    kinds = frozenset({"evening"})
    await rep(harness, 4303, evening_checkin=time(20, 30), checkins=kinds)
    user = harness.user(4303)
    await tick(harness, at(27, 19, 30))
    evening = await user.next_message()
    user.press("z:1h:evening:261127", message=evening)
    assert "Mo 30.11. um 07:00" in (await user.next_message()).text
    for now in (at(28, 6, 0), at(29, 6, 0)):
        assert (await tick(harness, now)).sent == 0
    assert (await tick(harness, at(30, 6, 0))).sent == 1  # Monday 07:00 Berlin
    ping = await user.next_message()
    assert "Guten Morgen" in ping.text
    assert "Mo 30.11." in ping.text
    assert "Feierabend" not in ping.text, "not the evening text on a Monday morning"


async def test_a_claim_taken_over_during_a_pause_waits_for_its_end(harness: Harness) -> None:
    user = await onboarded(harness, 4304)
    due_at = at(24, 10, 15, 0)
    await harness.storage.checkins.put_due(4304, PITCH_DUE, "rehearsal", due_at, MONDAY, {})
    # A process claimed the rehearsal reminder on Tuesday and died before sending it.
    key = DeliveryKey(4304, "item:pitch", f"rehearsal@{due_at:%Y%m%d%H%M}", due_at.date())
    assert len(await harness.storage.checkins.claim([key], at(24, 10, 15))) == 1
    harness.clock.now = at(24, 10, 16)
    user.send_command("pause", "bis Mittwoch")
    assert "Mi 25.11." in (await user.next_message()).text
    report = await tick(harness, at(24, 10, 30))  # the lease has run out
    assert (report.retried, report.sent) == (0, 0), "not sent during the pause"
    assert await harness.storage.checkins.deliveries_of(4304) == [], "the claim is given back"
    report = await tick(harness, at(26, 6, 0))  # Thursday 07:00 Berlin
    assert report.sent == 1
    assert "Pitch-Probe" in (await user.next_message()).text
    assert (await tick(harness, at(26, 6, 1))).sent == 0


async def test_a_reminder_due_on_a_day_off_comes_on_the_next_working_day(harness: Harness) -> None:
    user = await onboarded(harness, 4305)
    saturday = at(28, 10, 15, 0)
    await harness.storage.checkins.put_due(4305, PITCH_DUE, "rehearsal", saturday, MONDAY, {})
    for now in (at(28, 10, 15), at(29, 12, 0), at(30, 5, 30)):
        assert (await tick(harness, now)).sent == 0, f"sent at {now}"
    assert (await tick(harness, at(30, 6, 0))).sent == 1  # Monday 07:00 Berlin
    assert "Pitch-Probe" in (await user.next_message()).text
