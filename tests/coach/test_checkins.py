"""Due-time computation for check-ins: local times, DST, holidays, quiet hours, grace, parsers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.calendar import Pause, WorkCalendar, public_holidays
from bot.coach.checkins import (
    BLOCK_END,
    BLOCK_START,
    EVENING,
    GRACE,
    KINDS,
    MIDDAY,
    MORNING,
    REPEAT_DAYS,
    SEND,
    SKIP,
    SNOOZE_CHOICES,
    WEEKLY,
    Due,
    Slot,
    due,
    in_quiet_hours,
    may_send,
    next_allowed,
    next_open,
    parse_pause_until,
    parse_weekday,
    pick_principle,
    plan_snooze,
    principle_ids,
    slots_for_day,
    snooze_until,
)
from bot.coach.profile import DEFAULT_CHECKINS, Schedule
from bot.content import Content

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
KOLKATA = "Asia/Kolkata"
SYDNEY = "Australia/Sydney"
CHATHAM = "Pacific/Chatham"
ZONES = (BERLIN, NEW_YORK, KOLKATA, SYDNEY, CHATHAM)
EVERY_DAY = frozenset(range(7))
MO_FR = frozenset(range(5))
ALL_KINDS = frozenset(KINDS)
TICK = timedelta(seconds=30)
# Wednesdays in the northern winter (southern summer) and the other way round.
JANUARY = date(2026, 1, 14)
JUNE = date(2026, 6, 17)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(tz: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An aware local time, first occurrence if ambiguous."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))


def work(
    days: frozenset[int] = MO_FR,
    holidays: frozenset[date] = frozenset(),
    pauses: tuple[Pause, ...] = (),
) -> WorkCalendar:
    return WorkCalendar(days, holidays, pauses)


def quiet_off(schedule: Schedule) -> Schedule:
    """The schedule without quiet hours (equal start and end)."""
    return replace(schedule, quiet_start=time(0), quiet_end=time(0))


def by_kind(slots: list[Slot]) -> dict[str, Slot]:
    found: dict[str, Slot] = {slot.kind: slot for slot in slots}
    assert len(found) == len(slots), "one slot per kind and day"
    return found


def ticks(start: datetime, end: datetime) -> Iterator[datetime]:
    now = start
    while now < end:
        yield now
        now += TICK


# --- Kinds, defaults ---------------------------------------------------------------------------


def test_every_kind_has_a_grace_and_the_midday_nudge_is_off_by_default() -> None:
    assert set(GRACE) == ALL_KINDS
    assert ALL_KINDS - {MIDDAY} == DEFAULT_CHECKINS
    assert Schedule().checkins == DEFAULT_CHECKINS
    assert GRACE[MORNING] == timedelta(hours=2)


def test_new_schedule_fields_have_the_documented_defaults() -> None:
    schedule = Schedule()
    assert (schedule.weekly_day, schedule.weekly_time) == (4, time(16))
    assert (schedule.quiet_start, schedule.quiet_end) == (time(21), time(7))
    assert schedule.midday_nudge == time(12, 30)


# --- Each kind at the right local time in several zones ----------------------------------------


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("day", [JANUARY, JUNE, date(2026, 6, 19)])
def test_each_kind_fires_at_its_local_time(tz: str, day: date) -> None:
    schedule = Schedule(checkins=ALL_KINDS, weekly_day=day.weekday())
    slots = by_kind(slots_for_day(schedule, work(), day, tz))
    expected = {
        MORNING: time(8),
        BLOCK_START: time(9),
        BLOCK_END: time(10),
        MIDDAY: time(12, 30),
        EVENING: time(17, 30),
        WEEKLY: time(16),
    }
    assert set(slots) == set(expected)
    for kind, wall in expected.items():
        slot = slots[kind]
        at_local = slot.at.astimezone(ZoneInfo(tz))
        assert (at_local.date(), at_local.time()) == (day, wall), kind
        assert slot.at.tzinfo is UTC
        assert slot.local_date == day
        assert slot.grace == GRACE[kind]
        assert slot.key == f"{kind}:{day.isoformat()}"
    assert [slot.at for slot in slots_for_day(schedule, work(), day, tz)] == sorted(
        slot.at for slot in slots.values()
    )


@pytest.mark.parametrize(
    ("tz", "day", "expected"),
    [
        (BERLIN, JANUARY, utc(2026, 1, 14, 7)),
        (BERLIN, JUNE, utc(2026, 6, 17, 6)),
        (NEW_YORK, JANUARY, utc(2026, 1, 14, 13)),
        (NEW_YORK, JUNE, utc(2026, 6, 17, 12)),
        (KOLKATA, JUNE, utc(2026, 6, 17, 2, 30)),  # +05:30
        (SYDNEY, JANUARY, utc(2026, 1, 13, 21)),  # summer time down under, +11
        (SYDNEY, JUNE, utc(2026, 6, 16, 22)),  # +10
        (CHATHAM, JANUARY, utc(2026, 1, 13, 18, 15)),  # +13:45
        (CHATHAM, JUNE, utc(2026, 6, 16, 19, 15)),  # +12:45
    ],
)
def test_morning_ping_instant_in_utc(tz: str, day: date, expected: datetime) -> None:
    assert by_kind(slots_for_day(Schedule(), work(), day, tz))[MORNING].at == expected


def test_block_end_is_block_start_plus_its_minutes() -> None:
    schedule = Schedule(block_start=time(14, 15), block_minutes=95)
    slots = by_kind(slots_for_day(schedule, work(), JUNE, BERLIN))
    assert slots[BLOCK_END].at - slots[BLOCK_START].at == timedelta(minutes=95)


def test_only_enabled_kinds_are_planned() -> None:
    schedule = Schedule(checkins=frozenset({EVENING}))
    assert [slot.kind for slot in slots_for_day(schedule, work(), JUNE, BERLIN)] == [EVENING]
    assert slots_for_day(Schedule(checkins=frozenset()), work(), JUNE, BERLIN) == []
    assert MIDDAY not in by_kind(slots_for_day(Schedule(), work(), JUNE, BERLIN))


# --- Daylight saving ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "wall", "expected"),
    [
        # Spring forward: the wall time does not exist and fires when the clocks jump.
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1)),  # 03:00 CEST
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7)),  # 03:00 EDT
        (SYDNEY, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16)),  # 03:00 AEDT
        (CHATHAM, date(2026, 9, 27), time(3), utc(2026, 9, 26, 14)),  # 03:45 +13:45
        # Fall back: the wall time happens twice and fires at its first occurrence.
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),  # CEST
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # EDT
        (SYDNEY, date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),  # AEDT
        (CHATHAM, date(2026, 4, 5), time(3), utc(2026, 4, 4, 13, 15)),  # +13:45
    ],
)
def test_a_ping_on_a_dst_change_fires_once_at_the_right_instant(
    tz: str, day: date, wall: time, expected: datetime
) -> None:
    schedule = quiet_off(Schedule(morning_ping=wall, checkins=frozenset({MORNING})))
    calendar = work(EVERY_DAY)
    [slot] = slots_for_day(schedule, calendar, day, tz)
    assert slot.at == expected
    start, end = expected - timedelta(hours=3), expected + timedelta(hours=4)
    sends = [
        (now, item.key)
        for now in ticks(start, end)
        for item in due(now, schedule, calendar, tz)
        if item.action == SEND
    ]
    # `due` is stateless and offers the slot until its grace ends; the claim key dedupes it,
    # and it is the same key on every tick, in both of a doubled hour's passes.
    assert sends[0][0] == expected
    assert sends[-1][0] < expected + GRACE[MORNING]
    assert {key for _, key in sends} == {slot.key}


def test_the_day_after_a_clock_change_is_back_to_normal() -> None:
    monday = by_kind(slots_for_day(Schedule(), work(), date(2026, 3, 30), BERLIN))
    assert monday[MORNING].at == utc(2026, 3, 30, 6)  # 08:00 CEST
    monday = by_kind(slots_for_day(Schedule(), work(), date(2026, 10, 26), BERLIN))
    assert monday[MORNING].at == utc(2026, 10, 26, 7)  # 08:00 CET


# --- Working days, holidays, pauses ------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 6, 20), date(2026, 6, 21)])
def test_nothing_on_the_weekend(day: date) -> None:
    assert slots_for_day(Schedule(checkins=ALL_KINDS), work(), day, BERLIN) == []


def test_weekend_workers_get_their_weekend() -> None:
    slots = slots_for_day(Schedule(), work(EVERY_DAY), date(2026, 6, 20), BERLIN)
    assert MORNING in by_kind(slots)


def test_nothing_on_a_national_holiday() -> None:
    christmas = date(2026, 12, 25)  # a Friday: no weekly review either, it moves to Thursday
    calendar = work(holidays=public_holidays("DE", [2026]))
    assert slots_for_day(Schedule(), calendar, christmas, BERLIN) == []
    assert WEEKLY in by_kind(slots_for_day(Schedule(), calendar, date(2026, 12, 24), BERLIN))


def test_a_regional_holiday_only_counts_in_its_region() -> None:
    epiphany = date(2026, 1, 6)  # Heilige Drei Könige: Bavaria yes, Lower Saxony no
    bavaria = work(holidays=public_holidays("DE-BY", [2026]))
    lower_saxony = work(holidays=public_holidays("DE-NI", [2026]))
    assert slots_for_day(Schedule(), bavaria, epiphany, BERLIN) == []
    assert MORNING in by_kind(slots_for_day(Schedule(), lower_saxony, epiphany, BERLIN))


def test_nothing_in_a_pause_and_back_the_day_after() -> None:
    calendar = work(pauses=(Pause(date(2026, 6, 15), date(2026, 6, 17)),))
    assert slots_for_day(Schedule(), calendar, JUNE, BERLIN) == []
    assert MORNING in by_kind(slots_for_day(Schedule(), calendar, date(2026, 6, 18), BERLIN))


# --- Weekly review -----------------------------------------------------------------------------


def weekly_days(schedule: Schedule, calendar: WorkCalendar, monday: date) -> list[date]:
    week = [monday + timedelta(days=i) for i in range(7)]
    return [d for d in week if WEEKLY in by_kind(slots_for_day(schedule, calendar, d, BERLIN))]


def test_weekly_review_on_its_day_and_time() -> None:
    schedule = Schedule(weekly_day=2, weekly_time=time(11, 45))
    assert weekly_days(schedule, work(), date(2026, 6, 15)) == [JUNE]
    assert by_kind(slots_for_day(schedule, work(), JUNE, BERLIN))[WEEKLY].at == utc(
        2026, 6, 17, 9, 45
    )


def test_weekly_review_on_a_holiday_moves_to_the_last_working_day_before_it() -> None:
    calendar = work(holidays=public_holidays("DE", [2026]))
    # Good Friday, 3 April 2026: the review comes on Thursday.
    assert weekly_days(Schedule(), calendar, date(2026, 3, 30)) == [date(2026, 4, 2)]


def test_weekly_review_on_a_day_off_moves_back_within_the_week() -> None:
    # A Saturday review for a Monday-to-Friday rep comes on Friday.
    assert weekly_days(Schedule(weekly_day=5), work(), date(2026, 6, 15)) == [date(2026, 6, 19)]
    thursday_off = work(pauses=(Pause(date(2026, 6, 18), date(2026, 6, 19)),))
    assert weekly_days(Schedule(), thursday_off, date(2026, 6, 15)) == [JUNE]


def test_weekly_review_is_skipped_without_a_working_day_before_it_in_the_week() -> None:
    easter = work(holidays=public_holidays("DE", [2026]))
    assert weekly_days(Schedule(weekly_day=0), easter, date(2026, 4, 6)) == []
    vacation = work(pauses=(Pause(date(2026, 6, 15), date(2026, 6, 21)),))
    assert weekly_days(Schedule(), vacation, date(2026, 6, 15)) == []


def test_weekly_review_can_be_switched_off() -> None:
    assert weekly_days(Schedule(checkins=frozenset({MORNING})), work(), date(2026, 6, 15)) == []


# --- Quiet hours -------------------------------------------------------------------------------


def test_a_ping_inside_quiet_hours_is_not_planned() -> None:
    schedule = Schedule(morning_ping=time(6, 30))  # quiet until 07:00
    assert MORNING not in by_kind(slots_for_day(schedule, work(), JUNE, BERLIN))
    assert not any(
        item.slot.kind == MORNING
        for now in ticks(local(BERLIN, 2026, 6, 17, 6), local(BERLIN, 2026, 6, 17, 9))
        for item in due(now, schedule, work(), BERLIN)
    )
    assert MORNING in by_kind(slots_for_day(quiet_off(schedule), work(), JUNE, BERLIN))


def test_quiet_hours_apply_to_the_instant_after_a_dst_gap() -> None:
    # A 02:30 ping moves to 03:00 on the spring-forward night, still inside 21:00-07:00.
    schedule = Schedule(morning_ping=time(2, 30))
    slots = slots_for_day(schedule, work(EVERY_DAY), date(2026, 3, 29), BERLIN)
    assert MORNING not in by_kind(slots)
    assert BLOCK_START in by_kind(slots)


@pytest.mark.parametrize(
    ("start", "end", "wall", "quiet"),
    [
        (time(21), time(7), time(20, 59), False),
        (time(21), time(7), time(21), True),
        (time(21), time(7), time(0), True),
        (time(21), time(7), time(6, 59), True),
        (time(21), time(7), time(7), False),
        (time(13), time(14), time(12, 59), False),
        (time(13), time(14), time(13, 30), True),
        (time(13), time(14), time(14), False),
        (time(13), time(14), time(23), False),
        (time(22), time(22), time(22), False),  # empty: no quiet hours
        (time(22), time(22), time(3), False),
        (time(0), time(6), time(0), True),
    ],
)
def test_in_quiet_hours(start: time, end: time, wall: time, quiet: bool) -> None:
    schedule = Schedule(quiet_start=start, quiet_end=end)
    for tz in ZONES:
        now = datetime.combine(JUNE, wall, tzinfo=ZoneInfo(tz))
        assert in_quiet_hours(now, schedule, tz) is quiet
        assert (next_allowed(now, schedule, tz) == now) is not quiet


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(BERLIN, 2026, 6, 17, 23), local(BERLIN, 2026, 6, 18, 7)),
        (local(BERLIN, 2026, 6, 17, 3), local(BERLIN, 2026, 6, 17, 7)),
        (local(BERLIN, 2026, 6, 17, 12), local(BERLIN, 2026, 6, 17, 12)),
        # The night the clocks go forward is an hour shorter.
        (local(BERLIN, 2026, 3, 28, 22), utc(2026, 3, 29, 5)),
    ],
)
def test_next_allowed_is_the_end_of_quiet_hours(now: datetime, expected: datetime) -> None:
    assert next_allowed(now, Schedule(), BERLIN) == expected


def test_quiet_hours_that_end_in_a_repeated_hour_wait_for_the_second_end() -> None:
    schedule = Schedule(quiet_start=time(1), quiet_end=time(2, 30))
    # 02:15 CET, after 02:30 CEST has already passed once: the end is the second 02:30.
    now = utc(2026, 10, 25, 1, 15)
    assert in_quiet_hours(now, schedule, BERLIN)
    assert next_allowed(now, schedule, BERLIN) == utc(2026, 10, 25, 1, 30)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        in_quiet_hours(datetime(2026, 6, 17, 8), Schedule(), BERLIN)
    with pytest.raises(ValueError, match="aware"):
        due(datetime(2026, 6, 17, 8), Schedule(), work(), BERLIN)
    with pytest.raises(ValueError, match="aware"):
        due(utc(2026, 6, 17, 8), Schedule(), work(), BERLIN, since=datetime(2026, 6, 17))


# --- Grace, late and too late ------------------------------------------------------------------


def due_on(now: datetime, day: date, schedule: Schedule | None = None) -> list[Due]:
    """What is due at `now` for the slots of `day` only (`due` also returns yesterday's)."""
    items = due(now, schedule or Schedule(), work(), BERLIN)
    return [item for item in items if item.slot.local_date == day]


@pytest.mark.parametrize(
    ("late", "action"),
    [
        (timedelta(0), SEND),
        (timedelta(hours=1), SEND),
        (timedelta(hours=1, minutes=59), SEND),
        (timedelta(hours=2), SKIP),
        (timedelta(hours=3), SKIP),
    ],
)
def test_morning_ping_late_by_grace_is_sent_older_is_skipped(late: timedelta, action: str) -> None:
    items = due_on(local(BERLIN, 2026, 6, 17, 8) + late, JUNE)
    [item] = [item for item in items if item.slot.kind == MORNING]
    assert (item.action, item.late) == (action, late)


def test_nothing_is_due_before_its_time() -> None:
    assert due_on(local(BERLIN, 2026, 6, 17, 7, 59), JUNE) == []


def test_block_start_has_a_short_grace() -> None:
    items = due_on(local(BERLIN, 2026, 6, 17, 9, 31), JUNE)
    assert {item.slot.kind: item.action for item in items} == {MORNING: SEND, BLOCK_START: SKIP}


def test_after_downtime_old_slots_are_skipped_and_recent_ones_sent() -> None:
    # Down from Wednesday 07:00 until 19:00: only the evening check-in is still fresh.
    items = due(local(BERLIN, 2026, 6, 17, 19), Schedule(), work(), BERLIN)
    actions = {item.slot.kind: item.action for item in items if item.slot.local_date == JUNE}
    assert actions == {MORNING: SKIP, BLOCK_START: SKIP, BLOCK_END: SKIP, EVENING: SEND}
    # Yesterday's are all long past: skipped, never a burst of stale pings.
    assert {item.action for item in items if item.slot.local_date != JUNE} == {SKIP}


def test_yesterday_is_still_seen_right_after_midnight() -> None:
    schedule = quiet_off(Schedule(evening_checkin=time(23, 50)))
    items = due(local(BERLIN, 2026, 6, 18, 0, 10), schedule, work(), BERLIN)
    evening = [item for item in items if item.slot.kind == EVENING]
    assert [(item.slot.local_date, item.action) for item in evening] == [(JUNE, SEND)]


def test_since_bounds_how_far_back_due_looks() -> None:
    now = local(BERLIN, 2026, 6, 17, 10, 30)
    since = local(BERLIN, 2026, 6, 17, 9)
    kinds = [item.slot.kind for item in due(now, Schedule(), work(), BERLIN, since=since)]
    assert kinds == [BLOCK_START, BLOCK_END]  # inclusive: the 09:00 slot is still there
    assert len(due(now, Schedule(), work(), BERLIN)) > len(kinds)


def test_the_day_before_yesterday_is_not_looked_at() -> None:
    items = due(local(BERLIN, 2026, 6, 20, 12), Schedule(), work(), BERLIN)  # a Saturday
    assert {item.slot.local_date for item in items} == {date(2026, 6, 19)}


# --- A tick every 30 seconds for a week: each key exactly once ---------------------------------


def simulate(schedule: Schedule, calendar: WorkCalendar, tz: str, monday: date) -> None:
    start = datetime.combine(monday, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)
    end = start + timedelta(days=7)
    expected = {
        slot.key: slot
        for offset in range(-1, 8)
        for slot in slots_for_day(schedule, calendar, monday + timedelta(days=offset), tz)
        if start <= slot.at < end
    }
    assert len(expected) >= 4 * 4  # four working days even in Easter week
    claimed: dict[str, tuple[str, datetime]] = {}
    offered: Counter[str] = Counter()
    for now in ticks(start, end):
        for item in due(now, schedule, calendar, tz, since=start):
            offered[item.key] += 1
            # The scheduler's claim: a unique key, so the first tick wins and later ones see it.
            claimed.setdefault(item.key, (item.action, now))
    assert set(claimed) == set(expected)
    for key, (action, when) in claimed.items():
        assert action == SEND, key
        assert expected[key].at <= when < expected[key].at + TICK, key
    assert all(count >= 1 for count in offered.values())


@pytest.mark.parametrize(
    ("tz", "monday"),
    [
        (BERLIN, date(2026, 6, 15)),
        (BERLIN, date(2026, 3, 23)),  # spring forward on Sunday 29 March
        (BERLIN, date(2026, 10, 19)),  # fall back on Sunday 25 October
        (NEW_YORK, date(2026, 10, 26)),  # fall back on Sunday 1 November
        (SYDNEY, date(2026, 9, 28)),  # spring forward on Sunday 4 October
        (CHATHAM, date(2026, 3, 30)),  # fall back on Sunday 5 April
        (KOLKATA, date(2026, 6, 15)),
    ],
)
def test_a_week_of_ticks_sends_each_check_in_exactly_once(tz: str, monday: date) -> None:
    # Every day and every kind, a morning ping inside the DST gap or doubled hour, no quiet
    # hours, and a block that runs over midnight into the next local day.
    schedule = Schedule(
        morning_ping=time(2, 30),
        block_start=time(23, 30),
        block_minutes=90,
        weekly_day=6,
        checkins=ALL_KINDS,
    )
    schedule = quiet_off(schedule)
    simulate(schedule, work(EVERY_DAY), tz, monday)


def test_a_week_of_ticks_with_defaults_and_a_holiday() -> None:
    calendar = work(holidays=public_holidays("DE", [2026]))
    simulate(Schedule(), calendar, BERLIN, date(2026, 3, 30))  # Easter week


# --- Snooze ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "choice", "expected"),
    [
        (local(BERLIN, 2026, 6, 17, 8), "30m", local(BERLIN, 2026, 6, 17, 8, 30)),
        (local(BERLIN, 2026, 6, 17, 8), "1h", local(BERLIN, 2026, 6, 17, 9)),
        (local(BERLIN, 2026, 6, 17, 8), "tomorrow", local(BERLIN, 2026, 6, 18, 8)),
        # Friday: tomorrow means the next working day, Monday.
        (local(BERLIN, 2026, 6, 19, 17, 30), "tomorrow", local(BERLIN, 2026, 6, 22, 8)),
        # Into the quiet hours: moved to their end.
        (local(BERLIN, 2026, 6, 17, 20, 45), "30m", local(BERLIN, 2026, 6, 18, 7)),
        (local(BERLIN, 2026, 6, 17, 20, 30), "1h", local(BERLIN, 2026, 6, 18, 7)),
        # Just before midnight, "tomorrow" is the next day, not the day after.
        (local(BERLIN, 2026, 6, 17, 23, 59), "tomorrow", local(BERLIN, 2026, 6, 18, 8)),
    ],
)
def test_snooze(now: datetime, choice: str, expected: datetime) -> None:
    assert snooze_until(now, choice, Schedule(), work(), BERLIN) == expected


def test_snooze_counts_real_time_across_a_clock_change() -> None:
    now = utc(2026, 3, 29, 0, 45)  # 01:45 CET, the jump to 03:00 CEST is 15 minutes away
    later = snooze_until(now, "30m", quiet_off(Schedule()), work(EVERY_DAY), BERLIN)
    assert later == utc(2026, 3, 29, 1, 15)  # 03:15 CEST


def test_snooze_until_tomorrow_respects_quiet_hours_and_holidays() -> None:
    early = Schedule(morning_ping=time(6, 30))
    christmas_eve = local(BERLIN, 2026, 12, 24, 17)
    calendar = work(holidays=public_holidays("DE", [2026]))
    # 25 and 26 December are holidays, then the weekend: Monday 28 December at 07:00.
    assert snooze_until(christmas_eve, "tomorrow", early, calendar, BERLIN) == local(
        BERLIN, 2026, 12, 28, 7
    )


def test_snooze_into_friday_night_moves_to_monday() -> None:
    friday = local(BERLIN, 2026, 6, 19, 20, 30)
    assert snooze_until(friday, "1h", Schedule(), work(), BERLIN) == local(BERLIN, 2026, 6, 22, 7)


def test_snooze_skips_a_pause() -> None:
    calendar = work(pauses=(Pause(date(2026, 6, 18), date(2026, 6, 23)),))
    wednesday = local(BERLIN, 2026, 6, 17, 17, 30)
    assert snooze_until(wednesday, "tomorrow", Schedule(), calendar, BERLIN) == local(
        BERLIN, 2026, 6, 24, 8
    )


def june(day: int, hour: int, minute: int = 0) -> datetime:
    """A Berlin wall time in June 2026 (the 17th is a Wednesday)."""
    return local(BERLIN, 2026, 6, day, hour, minute)


@pytest.mark.parametrize(
    ("now", "choice", "kind", "expected"),
    [
        # The same day: the check-in itself comes back.
        (june(17, 8), "30m", MORNING, (june(17, 8, 30), MORNING, False)),
        (june(17, 17, 30), "1h", EVENING, (june(17, 18, 30), EVENING, False)),
        # Tomorrow's regular morning ping is the snoozed one: nothing extra.
        (june(17, 8), "tomorrow", MORNING, (june(18, 8), MORNING, True)),
        (june(19, 8), "tomorrow", MORNING, (june(22, 8), MORNING, True)),
        # Past the day's end: the next working day's morning ping takes it, no stale evening text.
        (june(19, 20, 30), "1h", EVENING, (june(22, 8), MORNING, True)),
        (june(17, 17, 30), "tomorrow", EVENING, (june(18, 8), MORNING, True)),
        # The weekly review stays a weekly review.
        (june(19, 16), "tomorrow", WEEKLY, (june(22, 8), WEEKLY, False)),
    ],
)  # fmt: skip
def test_plan_snooze(
    now: datetime, choice: str, kind: str, expected: tuple[datetime, str, bool]
) -> None:
    snooze = plan_snooze(now, choice, kind, Schedule(), work(), BERLIN)
    assert (snooze.at, snooze.kind, snooze.regular) == expected


def test_a_snooze_without_a_regular_morning_ping_is_stored_for_that_morning() -> None:
    no_morning = Schedule(checkins=DEFAULT_CHECKINS - {MORNING})
    friday = local(BERLIN, 2026, 6, 19, 20, 30)
    snooze = plan_snooze(friday, "1h", EVENING, no_morning, work(), BERLIN)
    assert (snooze.at, snooze.kind, snooze.regular) == (
        local(BERLIN, 2026, 6, 22, 7),
        MORNING,
        False,
    )


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
    choice=st.sampled_from(SNOOZE_CHOICES),
    kind=st.sampled_from(KINDS),
    quiet=st.tuples(st.integers(0, 23), st.integers(0, 23)),
    days=st.frozensets(st.integers(0, 6), min_size=1),
)
def test_a_snooze_never_lands_when_nothing_may_be_sent_nor_beside_a_regular_slot(
    start: datetime, choice: str, kind: str, quiet: tuple[int, int], days: frozenset[int]
) -> None:
    now = start.replace(tzinfo=UTC)
    schedule = Schedule(quiet_start=time(quiet[0]), quiet_end=time(quiet[1]))
    calendar = work(days, public_holidays("DE", [2026, 2027]))
    snooze = plan_snooze(now, choice, kind, schedule, calendar, BERLIN)
    assert snooze.at > now
    assert may_send(snooze.at, schedule, calendar, BERLIN)
    if not snooze.regular:
        # No regular slot of the kind it brings is still to come on the day it lands.
        day = snooze.at.astimezone(ZoneInfo(BERLIN)).date()
        regular = [
            s for s in slots_for_day(schedule, calendar, day, BERLIN) if s.kind == snooze.kind
        ]
        assert all(slot.at <= now for slot in regular)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(BERLIN, 2026, 6, 17, 10), True),
        (local(BERLIN, 2026, 6, 17, 22), False),  # quiet hours
        (local(BERLIN, 2026, 6, 20, 10), False),  # Saturday
        (local(BERLIN, 2026, 6, 18, 10), False),  # paused
    ],
)
def test_may_send(now: datetime, expected: bool) -> None:
    calendar = work(pauses=(Pause(date(2026, 6, 18), date(2026, 6, 18)),))
    assert may_send(now, Schedule(), calendar, BERLIN) is expected


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
    quiet=st.tuples(st.integers(0, 23), st.integers(0, 23)),
    days=st.frozensets(st.integers(0, 6), min_size=1),
    tz=st.sampled_from(ZONES),
)
def test_next_open_is_the_first_moment_anything_may_be_sent(
    start: datetime, quiet: tuple[int, int], days: frozenset[int], tz: str
) -> None:
    now = start.replace(tzinfo=UTC)
    schedule = Schedule(quiet_start=time(quiet[0]), quiet_end=time(quiet[1]))
    calendar = work(days)
    opened = next_open(now, schedule, calendar, tz)
    assert opened >= now
    assert may_send(opened, schedule, calendar, tz)
    # Nothing earlier would have done: a minute before it was still closed (or it is `now`).
    assert opened == now or not may_send(opened - timedelta(minutes=1), schedule, calendar, tz)


def test_snooze_choices_are_known() -> None:
    assert SNOOZE_CHOICES == ("30m", "1h", "tomorrow")
    with pytest.raises(ValueError, match="snooze"):
        snooze_until(utc(2026, 6, 17, 8), "2h", Schedule(), work(), BERLIN)


# --- Motivation --------------------------------------------------------------------------------

IDS = tuple(f"motivation.principles.p{i:02d}" for i in range(1, 45))


def test_principles_exist_in_both_languages_with_the_same_ids(content: Content) -> None:
    de = principle_ids(content.texts["de"])
    assert len(de) >= 40
    assert de == principle_ids(content.texts["en"])
    for lang in content.languages:
        for key in de:
            text = content.text(lang, key)
            assert 20 <= len(text) <= 200, (lang, key)


def test_the_picker_never_repeats_within_four_weeks_over_a_year() -> None:
    recent: dict[str, date] = {}
    day = date(2026, 1, 1)
    picks: list[str] = []
    for offset in range(366):
        today = day + timedelta(days=offset)
        picked = pick_principle(IDS, recent, today, seed=4711)
        if picked in recent:
            assert (today - recent[picked]).days >= REPEAT_DAYS
        recent[picked] = today
        picks.append(picked)
    assert len(set(picks)) == len(IDS)  # over a year every principle gets its turn


def test_the_picker_is_deterministic_by_seed_and_varies_between_seeds() -> None:
    today = date(2026, 6, 17)
    assert pick_principle(IDS, {}, today, 1) == pick_principle(tuple(reversed(IDS)), {}, today, 1)
    assert len({pick_principle(IDS, {}, today, seed) for seed in range(50)}) > 10


def test_with_too_few_principles_the_least_recently_used_comes_back() -> None:
    ids = ("a", "b", "c")
    today = date(2026, 6, 17)
    recent = {"a": today - timedelta(days=3), "b": today - timedelta(days=9), "c": today}
    assert pick_principle(ids, recent, today, seed=1) == "b"
    recent = {"a": today - timedelta(days=40), "b": today}
    assert pick_principle(ids, recent, today, seed=1) in {"a", "c"}
    with pytest.raises(ValueError, match="principles"):
        pick_principle((), {}, today, seed=1)


# --- Parsers -----------------------------------------------------------------------------------

TODAY = date(2026, 6, 17)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.12.", date(2026, 12, 15)),
        ("15.12", date(2026, 12, 15)),
        ("bis 15.12.", date(2026, 12, 15)),
        ("bis zum 15.12.2026", date(2026, 12, 15)),
        ("15.12.26", date(2026, 12, 15)),
        ("2026-12-15", date(2026, 12, 15)),
        ("15-12-2026", date(2026, 12, 15)),
        ("15. Dezember", date(2026, 12, 15)),
        ("15. Dez.", date(2026, 12, 15)),
        ("15 december 2026", date(2026, 12, 15)),
        ("Dec 15", date(2026, 12, 15)),
        ("December 15th, 2026", date(2026, 12, 15)),
        ("the 15th of December", date(2026, 12, 15)),
        ("3. März", date(2027, 3, 3)),
        ("3. Maerz", date(2027, 3, 3)),
        ("bis Montag", date(2026, 6, 22)),
        ("Montag", date(2026, 6, 22)),
        ("bis Mittwoch", date(2026, 6, 24)),  # today is Wednesday: the next one
        ("next friday", date(2026, 6, 19)),
        ("until Fri", date(2026, 6, 19)),
        ("nächsten Freitag", date(2026, 6, 19)),
        ("2 Wochen", date(2026, 7, 1)),
        ("zwei Wochen lang", date(2026, 7, 1)),
        ("eine Woche", date(2026, 6, 24)),
        ("1 week", date(2026, 6, 24)),
        ("a week", date(2026, 6, 24)),
        ("3 days", date(2026, 6, 20)),
        ("in 10 Tagen", date(2026, 6, 27)),
        ("ab heute 3 Tage", date(2026, 6, 20)),
        ("2 Monate", date(2026, 8, 17)),
        ("morgen", date(2026, 6, 18)),
        ("bis morgen", date(2026, 6, 18)),
        ("tomorrow", date(2026, 6, 18)),
        ("übermorgen", date(2026, 6, 19)),
        ("heute", TODAY),
        ("15.06.", date(2027, 6, 15)),  # past this year: next year
        ("17.06.", TODAY),
        ("17.06.2027", date(2027, 6, 17)),  # exactly a year ahead is fine
        # Refused: explicit dates in the past, more than a year ahead, nonsense.
        ("16.06.2026", None),
        ("18.06.2027", None),
        ("2 years", None),
        ("400 Tage", None),
        ("31.02.", None),
        ("13.13.", None),
        ("bald", None),
        ("", None),
        ("Montag bis Freitag", None),
        ("15", None),
    ],
)
def test_parse_pause_until(text: str, expected: date | None) -> None:
    assert parse_pause_until(text, TODAY, "de") == expected
    assert parse_pause_until(text.upper(), TODAY, "en") == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("12/15", "en", date(2026, 12, 15)),
        ("12/15", "de", date(2026, 12, 15)),  # 15 cannot be a month
        ("5/6", "en", date(2027, 5, 6)),
        ("5/6", "de", date(2027, 6, 5)),
        ("1/7/2026", "en", None),  # 7 January 2026 is past
        ("1/7/2026", "de", date(2026, 7, 1)),
    ],
)
def test_slashes_read_by_language(text: str, lang: str, expected: date | None) -> None:
    assert parse_pause_until(text, TODAY, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Freitag", 4),
        ("fr", 4),
        ("Fr.", 4),
        ("friday", 4),
        ("fri", 4),
        ("FREITAGS", 4),
        ("am Montag", 0),
        ("mon", 0),
        ("So", 6),
        ("sunday", 6),
        ("Mittwoch", 2),
        ("", None),
        ("Mo-Fr", None),
        ("weekend", None),
        ("Freitag und Samstag", None),
        ("Dezember", None),
    ],
)
def test_parse_weekday(text: str, expected: int | None) -> None:
    assert parse_weekday(text) == expected


# Words the parsers know, so generated input reaches past the first refusal.
_VOCAB = [
    "15", "12", "2026", "26", "1", "31", "0", "9999", ".", "/", "-", ",", "bis", "zum", "in",
    "next", "Montag", "fri", "Dez", "December", "März", "Wochen", "week", "days", "Tagen",
    "zwei", "a", "eine", "morgen", "heute", "ab", "th", "of", "the", "Monate",
]  # fmt: skip
_vocab_text = st.lists(st.sampled_from(_VOCAB), max_size=8).map(" ".join)
_any_text = st.one_of(st.text(max_size=4096), st.text(min_size=60, max_size=200), _vocab_text)
_today = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=300)
@given(text=_any_text, today=_today, lang=st.sampled_from(["de", "en", "fr"]))
def test_parse_pause_until_never_raises_and_stays_within_a_year(
    text: str, today: date, lang: str
) -> None:
    found = parse_pause_until(text, today, lang)
    if found is not None:
        assert today <= found <= today + timedelta(days=366)


@settings(max_examples=300)
@given(text=_any_text)
def test_parse_weekday_never_raises(text: str) -> None:
    found = parse_weekday(text)
    assert found is None or 0 <= found <= 6


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


_MONTH_NAMES = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip
_EN_MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


@settings(max_examples=300)
@given(today=_today, ahead=st.integers(0, 366))
def test_formatted_dates_round_trip(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    if day > _one_year_after(today):
        assert parse_pause_until(day.isoformat(), today, "de") is None
        return
    with_year = [
        day.isoformat(),
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"bis {day.day}. {_MONTH_NAMES[day.month - 1]} {day.year}",
        f"{_EN_MONTHS[day.month - 1]} {day.day}, {day.year}",
    ]
    for text in with_year:
        assert parse_pause_until(text, today, "de") == day, text
    if day < _one_year_after(today):
        # Without a year the same day and month a year on would read as this year's.
        for text in (f"{day.day:02d}.{day.month:02d}.", f"{_EN_MONTHS[day.month - 1]} {day.day}"):
            assert parse_pause_until(text, today, "en") == day, text
    assert parse_pause_until(f"in {ahead} Tagen", today, "de") == day
    if ahead % 7 == 0:
        assert parse_pause_until(f"{ahead // 7} weeks", today, "en") == day


@given(day=st.integers(0, 6), today=_today)
def test_every_weekday_name_round_trips(day: int, today: date) -> None:
    names = (
        ("Montag", "Mo", "monday", "mon"),
        ("Dienstag", "Di", "tuesday", "tue"),
        ("Mittwoch", "Mi", "wednesday", "wed"),
        ("Donnerstag", "Do", "thursday", "thu"),
        ("Freitag", "Fr", "friday", "fri"),
        ("Samstag", "Sa", "saturday", "sat"),
        ("Sonntag", "So", "sunday", "sun"),
    )[day]
    for name in names:
        assert parse_weekday(name) == day
        found = parse_pause_until(f"bis {name}", today, "de")
        assert found is not None
        assert found.weekday() == day
        assert 1 <= (found - today).days <= 7
