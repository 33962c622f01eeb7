"""Streaks on the dial target, personal bests, and the summary of the last working days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.activity import Counts, percent
from bot.coach.calendar import Pause, WorkCalendar, local_date, public_holidays
from bot.coach.streaks import (
    Amounts,
    DayStat,
    Records,
    Streak,
    metric_values,
    records,
    streak,
    week_summary,
)
from bot.coach.targets import DailyTargets

MO_FR = frozenset(range(5))
MO_TH = frozenset(range(4))
EVERY_DAY = frozenset(range(7))
TARGET = 50
WEEKDAYS = WorkCalendar(MO_FR)


def d(month: int, day: int, year: int = 2025) -> date:
    return date(year, month, day)


def hits(*days: date, dials: int = TARGET) -> dict[date, int]:
    return dict.fromkeys(days, dials)


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- Streaks --------------------------------------------------------------------------------


def test_no_history() -> None:
    assert streak({}, TARGET, WEEKDAYS, d(1, 8)) == Streak(0, 0, False)


def test_weekends_neither_break_nor_extend() -> None:
    # Thu 2, Fri 3, Mon 6, Tue 7 January 2025 on target; the weekend in between is off.
    history = hits(d(1, 2), d(1, 3), d(1, 6), d(1, 7))
    assert streak(history, TARGET, WEEKDAYS, d(1, 7)) == Streak(4, 4, True)
    history[d(1, 4)] = 200  # a Saturday on the phone does not add a day
    assert streak(history, TARGET, WEEKDAYS, d(1, 7)) == Streak(4, 4, True)


def test_today_in_progress_keeps_the_streak() -> None:
    history = hits(d(1, 2), d(1, 3), d(1, 6))
    history[d(1, 7)] = TARGET - 1
    assert streak(history, TARGET, WEEKDAYS, d(1, 7)) == Streak(3, 3, False)
    # Nothing logged yet today.
    assert streak(hits(d(1, 2), d(1, 3), d(1, 6)), TARGET, WEEKDAYS, d(1, 7)) == Streak(3, 3, False)


def test_a_missed_working_day_breaks_the_streak() -> None:
    history = hits(d(1, 6), d(1, 7), d(1, 9))  # Wednesday 8 missed
    history[d(1, 8)] = TARGET - 1
    assert streak(history, TARGET, WEEKDAYS, d(1, 10)) == Streak(1, 2, False)
    # The next day, yesterday's miss is final.
    assert streak(hits(d(1, 6), d(1, 7)), TARGET, WEEKDAYS, d(1, 9)) == Streak(0, 2, False)


def test_best_ever_and_current() -> None:
    old = hits(*(day for day in span(d(3, 3), d(3, 12)) if WEEKDAYS.is_working_day(day)))
    new = hits(d(3, 18), d(3, 19))
    result = streak(old | new, TARGET, WEEKDAYS, d(3, 19))
    assert result == Streak(2, 8, True)


def test_bavarian_holidays_neither_break_nor_extend() -> None:
    calendar = WorkCalendar(MO_FR, public_holidays("DE-BY", [2024, 2025]))
    # Christmas: Tue 24 Dec is a working day, 25 + 26 Dec and 1 Jan are holidays.
    history = hits(d(12, 23, 2024), d(12, 24, 2024), d(12, 27, 2024), d(12, 30, 2024))
    history |= hits(d(12, 31, 2024), d(1, 2), d(1, 3))
    # Epiphany, Monday 6 January, is off in Bavaria: calls that day count for nothing.
    history |= hits(d(1, 6), dials=300) | hits(d(1, 7))
    assert streak(history, TARGET, calendar, d(1, 7)) == Streak(8, 8, True)
    # Without the holidays, Christmas and Epiphany would be missed working days...
    assert streak(
        {k: v for k, v in history.items() if k != d(1, 6)}, TARGET, WEEKDAYS, d(1, 7)
    ) == (Streak(1, 3, True))
    # ...and a Bavarian rep resting on Epiphany still has the streak.
    del history[d(1, 6)]
    assert streak(history, TARGET, calendar, d(1, 7)) == Streak(8, 8, True)


def test_a_pause_inside_a_streak() -> None:
    vacation = Pause(d(1, 13), d(1, 17))
    calendar = WorkCalendar(MO_FR, pauses=(vacation,))
    history = hits(d(1, 9), d(1, 10), d(1, 20), d(1, 21))
    history[d(1, 15)] = 80  # calls from the beach extend nothing
    assert streak(history, TARGET, calendar, d(1, 21)) == Streak(4, 4, True)
    # Today, during the pause: the streak waits, today does not count.
    assert streak(history, TARGET, calendar, d(1, 15)) == Streak(2, 2, False)
    # Without the pause the empty week breaks it.
    assert streak(history, TARGET, WEEKDAYS, d(1, 21)) == Streak(2, 2, True)


def test_mon_to_thu_rep() -> None:
    calendar = WorkCalendar(MO_TH)
    history = hits(d(1, 6), d(1, 7), d(1, 8), d(1, 9), d(1, 13))  # Friday 10 off
    assert streak(history, TARGET, calendar, d(1, 13)) == Streak(5, 5, True)
    # A Mon-Fri rep with the same days missed Friday.
    assert streak(history, TARGET, WEEKDAYS, d(1, 13)) == Streak(1, 4, True)
    history[d(1, 10)] = 90
    assert streak(history, TARGET, calendar, d(1, 13)) == Streak(5, 5, True)


def test_today_off_is_not_done_even_with_calls() -> None:
    history = hits(d(1, 9), d(1, 10), d(1, 11))  # Thu, Fri, Saturday
    assert streak(history, TARGET, WEEKDAYS, d(1, 11)) == Streak(2, 2, False)


def test_targets_per_day() -> None:
    history = {d(1, 6): 40, d(1, 7): 40, d(1, 8): 60, d(1, 9): 60}
    targets = {d(1, 6): 40, d(1, 7): 40, d(1, 8): 60, d(1, 9): 60}
    assert streak(history, targets, WEEKDAYS, d(1, 9)) == Streak(4, 4, True)
    # A day without a target (or a target of 0) does not count.
    assert streak(history, targets | {d(1, 7): 0}, WEEKDAYS, d(1, 9)) == Streak(2, 2, True)
    del targets[d(1, 7)]
    assert streak(history, targets, WEEKDAYS, d(1, 9)) == Streak(2, 2, True)
    assert streak(history, 0, WEEKDAYS, d(1, 9)) == Streak(0, 0, False)


def test_days_after_today_are_ignored() -> None:
    history = hits(d(1, 6), d(1, 7), d(1, 8), d(1, 9))
    assert streak(history, TARGET, WEEKDAYS, d(1, 7)) == Streak(2, 2, True)


def test_years_of_history() -> None:
    calendar = WorkCalendar(MO_FR, public_holidays("DE-BY", range(2015, 2026)))
    first, today = d(1, 1, 2015), d(12, 31, 2025)
    history = hits(*(day for day in span(first, today) if calendar.is_working_day(day)))
    expected = calendar.working_days_between(first, today)
    assert streak(history, TARGET, calendar, today) == Streak(expected, expected, True)


def _streak_by_runs(
    history: Mapping[date, int], target: int, calendar: WorkCalendar, today: date, first: date
) -> Streak:
    """The same rules, worked out from the list of past working days and their results."""
    results = [
        history.get(day, 0) >= target > 0
        for day in span(first, today)
        if calendar.is_working_day(day)
    ]
    today_done = calendar.is_working_day(today) and history.get(today, 0) >= target > 0
    if calendar.is_working_day(today) and not today_done:
        results.pop()  # still in progress
    runs = "".join("x" if r else "." for r in results).split(".")
    return Streak(len(runs[-1]) if results else 0, max(map(len, runs)), today_done)


_FIRST = d(12, 1, 2024)
_window = st.dates(min_value=_FIRST, max_value=d(2, 28))


@settings(max_examples=300, deadline=None)
@given(
    st.frozensets(st.integers(0, 6)),
    st.dictionaries(_window, st.integers(0, 80), max_size=60),
    st.frozensets(_window, max_size=8),
    st.lists(st.builds(Pause, _window, _window), max_size=2),
    _window,
)
def test_streak_matches_counting_runs(
    working: frozenset[int],
    history: dict[date, int],
    days_off: frozenset[date],
    pauses: list[Pause],
    today: date,
) -> None:
    calendar = WorkCalendar(working, days_off, tuple(pauses))
    result = streak(history, TARGET, calendar, today)
    assert result == _streak_by_runs(history, TARGET, calendar, today, _FIRST)
    assert result.current <= result.best
    # Whatever was logged on days off changes nothing.
    worked = {day: n for day, n in history.items() if calendar.is_working_day(day)}
    assert streak(worked, TARGET, calendar, today) == result


# --- DST and timezone changes, through the local date of each log -----------------------------


def _by_local_day(logs: Iterable[tuple[datetime, int]], tz: str) -> dict[date, int]:
    days: defaultdict[date, int] = defaultdict(int)
    for instant, dials in logs:
        days[local_date(instant, tz)] += dials
    return dict(days)


def test_logs_around_the_spring_dst_change_land_on_their_local_days() -> None:
    berlin = "Europe/Berlin"
    logs = [
        (datetime(2025, 3, 28, 22, 30, tzinfo=UTC), TARGET),  # Fri 23:30 (UTC+1)
        (datetime(2025, 3, 29, 22, 30, tzinfo=UTC), TARGET),  # Sat 23:30 (UTC+1)
        (datetime(2025, 3, 29, 23, 30, tzinfo=UTC), TARGET),  # Sun 00:30 (UTC+1)
        (datetime(2025, 3, 30, 21, 30, tzinfo=UTC), 1),  # Sun 23:30 (UTC+2)
        (datetime(2025, 3, 30, 22, 30, tzinfo=UTC), TARGET),  # Mon 00:30 (UTC+2)
    ]
    history = _by_local_day(logs, berlin)
    assert history == {d(3, 28): 50, d(3, 29): 50, d(3, 30): 51, d(3, 31): 50}
    calendar = WorkCalendar(EVERY_DAY)
    assert streak(history, TARGET, calendar, d(3, 31)) == Streak(4, 4, True)
    # Read in UTC, Monday's 00:30 call would have been Sunday's, leaving Monday not done.
    in_utc = _by_local_day(logs, "UTC")
    assert in_utc == {d(3, 28): 50, d(3, 29): 100, d(3, 30): 51}
    assert streak(in_utc, TARGET, calendar, d(3, 31)) == Streak(3, 3, False)


def test_logs_around_the_autumn_dst_change_land_on_their_local_days() -> None:
    berlin = "Europe/Berlin"
    logs = [
        (datetime(2025, 10, 24, 21, 30, tzinfo=UTC), TARGET),  # Fri 23:30 (UTC+2)
        (datetime(2025, 10, 24, 22, 30, tzinfo=UTC), TARGET),  # Sat 00:30 (UTC+2)
        (datetime(2025, 10, 26, 0, 30, tzinfo=UTC), TARGET),  # Sun 01:30 after the change
        (datetime(2025, 10, 26, 22, 30, tzinfo=UTC), TARGET),  # Sun 23:30 (UTC+1)
        (datetime(2025, 10, 26, 23, 30, tzinfo=UTC), TARGET),  # Mon 00:30 (UTC+1)
    ]
    history = _by_local_day(logs, berlin)
    assert history == {d(10, 24): 50, d(10, 25): 50, d(10, 26): 100, d(10, 27): 50}
    result = streak(history, TARGET, WorkCalendar(EVERY_DAY), d(10, 27))
    assert result == Streak(4, 4, True)


def test_a_rep_moving_timezones_keeps_the_history() -> None:
    # Logged in Berlin Mon-Wed; then the rep moves to New York.
    history = hits(d(6, 2), d(6, 3), d(6, 4))
    instant = datetime(2025, 6, 4, 23, 30, tzinfo=UTC)
    # The same instant is already Thursday in Berlin but still Wednesday in New York.
    assert local_date(instant, "Europe/Berlin") == d(6, 5)
    today_ny = local_date(instant, "America/New_York")
    assert today_ny == d(6, 4)
    assert streak(history, TARGET, WEEKDAYS, today_ny) == Streak(3, 3, True)
    # Berlin's Thursday is in progress: not done, not broken.
    assert streak(history, TARGET, WEEKDAYS, d(6, 5)) == Streak(3, 3, False)


# --- Records ----------------------------------------------------------------------------------


def test_records_of_nothing() -> None:
    assert records({}) == Records(None, 0, None, 0)
    assert records({d(1, 6): 0}) == Records(None, 0, None, 0)


def test_records() -> None:
    history = {
        d(1, 6): 40,  # week of Monday 6 Jan: 40 + 70 + 30 = 140
        d(1, 7): 70,
        d(1, 12): 30,  # a Sunday still belongs to the week of the 6th
        d(1, 13): 70,  # week of the 13th: 70 + 60 = 130; ties with the 7th, which came first
        d(1, 14): 60,
    }
    assert records(history) == Records(d(1, 7), 70, d(1, 6), 140)


def test_iso_week_across_new_year() -> None:
    history = {d(12, 30, 2024): 30, d(12, 31, 2024): 30, d(1, 2): 30, d(1, 9): 50}
    assert records(history) == Records(d(1, 9), 50, d(12, 30, 2024), 90)


# --- Week summary -----------------------------------------------------------------------------


def test_week_summary_of_dials() -> None:
    calendar = WorkCalendar(MO_FR, frozenset({d(1, 6)}))
    history = {d(1, 2): 60, d(1, 3): 10, d(1, 4): 99, d(1, 7): 50, d(1, 8): 20, d(1, 9): 55}
    summary = week_summary(history, TARGET, calendar, d(1, 11), days=7)
    # Saturday 11 back to 1 January, over the weekend and Epiphany.
    expected = [d(1, 1), d(1, 2), d(1, 3), d(1, 7), d(1, 8), d(1, 9), d(1, 10)]
    assert [stat.day for stat in summary.days] == expected
    assert [stat.hit for stat in summary.days] == [False, True, False, True, False, True, False]
    assert summary.hits == 3
    assert summary.hit_rate == 43  # 3 of 7 is 42.9 %, to the nearest
    assert summary.best_day is not None
    assert summary.best_day.day == d(1, 2)
    assert summary.days[1].actual == {
        "dials": 60,
        "conversations": 0,
        "appointments": 0,
        "contacts": 0,
    }
    assert summary.days[1].target["dials"] == TARGET
    assert summary.days[1].target["conversations"] == 0


def test_week_summary_of_all_metrics() -> None:
    history: dict[date, Amounts] = {
        d(1, 6): Counts(50, 10, 2, 20),
        d(1, 7): Counts(60, 5, 3, 10),
        d(1, 8): {"dials": 10, "appointments": 1},
    }
    daily = DailyTargets(dials=50, conversations=10, appointments=2, contacts=20)
    summary = week_summary(history, daily, WEEKDAYS, d(1, 8), days=3)
    first, second, third = summary.days
    assert all(first.met(m) for m in ("dials", "conversations", "appointments", "contacts"))
    assert second.met("dials")
    assert not second.met("conversations")
    assert second.met("appointments")
    assert not second.met("contacts")
    assert third.actual == {"dials": 10, "conversations": 0, "appointments": 1, "contacts": 0}
    assert (summary.hits, summary.hit_rate) == (2, 67)
    assert summary.best_day == second
    # The same targets as a mapping, and per day.
    as_mapping = week_summary(history, {"dials": 50, "appointments": 2}, WEEKDAYS, d(1, 8), 3)
    assert as_mapping.days[0].target == {
        "dials": 50, "conversations": 0, "appointments": 2, "contacts": 0,
    }  # fmt: skip
    targets: dict[date, Amounts] = {d(1, 6): daily, d(1, 8): 5}
    per_day = week_summary(history, targets, WEEKDAYS, d(1, 8), 3)
    assert [stat.target["dials"] for stat in per_day.days] == [50, 0, 5]
    assert [stat.hit for stat in per_day.days] == [True, False, True]


def test_week_summary_of_two_weeks_with_a_mon_to_thu_rep() -> None:
    summary = week_summary({}, TARGET, WorkCalendar(MO_TH), d(1, 17), days=14)
    assert len(summary.days) == 14
    assert all(stat.day.weekday() < 4 for stat in summary.days)
    assert summary.days[-1].day == d(1, 16)
    assert (summary.hits, summary.hit_rate, summary.best_day) == (0, 0, None)


def test_week_summary_without_working_days() -> None:
    summary = week_summary({d(1, 8): 90}, TARGET, WorkCalendar(frozenset()), d(1, 8))
    assert summary.days == ()
    assert (summary.hits, summary.hit_rate, summary.best_day) == (0, 0, None)


def test_metric_values() -> None:
    zero = {"dials": 0, "conversations": 0, "appointments": 0, "contacts": 0}
    assert metric_values(None) == zero
    assert metric_values(7) == zero | {"dials": 7}
    assert metric_values({"contacts": 3, "other": 9}) == zero | {"contacts": 3}
    assert metric_values(Counts(1, 2, 3, 4)) == {
        "dials": 1, "conversations": 2, "appointments": 3, "contacts": 4,
    }  # fmt: skip


def test_day_stat_without_target_is_never_met() -> None:
    stat = DayStat(d(1, 6), {"dials": 100}, {})
    assert not stat.hit
    assert not stat.met("contacts")


def test_today_unfinished_is_in_progress_not_a_miss() -> None:
    # Monday 13 January 2025 at noon: the six working days before all hit, today at 20 of 50.
    history = hits(d(1, 6), d(1, 7), d(1, 8), d(1, 9), d(1, 10)) | {d(1, 3): 50, d(1, 13): 20}
    summary = week_summary(history, TARGET, WEEKDAYS, d(1, 13), today=d(1, 13))
    assert [stat.in_progress for stat in summary.days] == [False] * 6 + [True]
    assert summary.in_progress == summary.days[-1]
    assert (summary.hits, summary.finished, summary.missed) == (6, 6, 0)
    assert summary.hit_rate == 100, "six of six finished days; today is not a miss yet"
    # Once today's target is met it counts like any other day.
    done = week_summary(history | {d(1, 13): 50}, TARGET, WEEKDAYS, d(1, 13), today=d(1, 13))
    assert (done.hits, done.finished, done.hit_rate, done.in_progress) == (7, 7, 100, None)
    # A day off today changes nothing: it is not among the working days.
    weekend = week_summary(history, TARGET, WEEKDAYS, d(1, 12), today=d(1, 12))
    assert weekend.in_progress is None
    assert weekend.finished == 7


def test_week_summary_rounds_to_nearest() -> None:
    # Six hits of seven: 85.7 % is 86 %, not 85 %.
    days = [d(1, 2), d(1, 3), d(1, 6), d(1, 7), d(1, 8), d(1, 9)]
    summary = week_summary(hits(*days), TARGET, WEEKDAYS, d(1, 10))
    assert (summary.hits, summary.finished, summary.hit_rate) == (6, 7, 86)
    only_today_open = week_summary({}, TARGET, WEEKDAYS, d(1, 10), days=1, today=d(1, 10))
    assert (only_today_open.finished, only_today_open.hit_rate) == (0, 0)


def test_percent_rounds_to_nearest_but_never_claims_a_target_met() -> None:
    assert percent(6, 7) == 86
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(1, 8) == 13  # 12.5 halves up
    assert percent(199, 200) == 99, "not 100 while a call is missing"
    assert percent(1, 1000) == 1, "not 0 once something is done"
    assert percent(0, 7) == 0
    assert percent(7, 7) == 100


def test_the_week_captions_other_shares_round_halves_up() -> None:
    from bot.coach.followups import FollowupStats
    from bot.coach.roleplay.progress import PracticeWeek

    # 1 of 8 is 12.5 %: 13 %, where round() gave 12 % (halves to even).
    assert PracticeWeek(calls=1, passed=0, met=1, total=8, weakest=None).percent == 13
    assert FollowupStats(given_up=8, dropped_early=1).dropped_share == 13
    assert FollowupStats(given_up=200, dropped_early=199).dropped_share == 99
