"""Streaks of working days on the dial target, personal bests and the summary of recent days.

A working day counts when the dials reach that day's dial target and the target is above 0.
Days off (non-working weekdays, holidays, pauses) neither break nor extend a streak, even when
the rep logged dials on them: the streak is about the days they planned to work. Today, while
not yet met, leaves the streak as it was; a missed working day before today breaks it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Protocol, cast

from bot.coach.activity import METRICS, percent
from bot.coach.calendar import WorkCalendar

DIALS: Final = "dials"


class Metrics(Protocol):
    """Anything with the four daily metrics as attributes, such as Counts or DailyTargets."""

    @property
    def dials(self) -> int:
        """Dials in the day."""

    @property
    def conversations(self) -> int:
        """Conversations in the day."""

    @property
    def appointments(self) -> int:
        """Appointments in the day."""

    @property
    def contacts(self) -> int:
        """Contacts in the day."""


# A day's numbers: a plain int is dials only; a mapping may leave metrics out (= 0).
Amounts = int | Mapping[str, int] | Metrics


def _target_on(targets: Mapping[date, int] | int, day: date) -> int:
    return targets if isinstance(targets, int) else targets.get(day, 0)


def _hit(dials: int, target: int) -> bool:
    return target > 0 and dials >= target


@dataclass(frozen=True)
class Streak:
    """Working days in a row on the dial target: now, best ever, and whether today counts yet."""

    current: int
    best: int
    today_done: bool


def streak(
    history: Mapping[date, int],
    targets: Mapping[date, int] | int,
    calendar: WorkCalendar,
    today: date,
) -> Streak:
    """The current and best streak up to `today`; O(days since the first day on target)."""
    hit_days = [
        d
        for d, dials in history.items()
        if d <= today and _hit(dials, _target_on(targets, d)) and calendar.is_working_day(d)
    ]
    if not hit_days:
        return Streak(0, 0, False)
    current = best = 0
    day = min(hit_days)
    while day <= today:
        if calendar.is_working_day(day):
            if _hit(history.get(day, 0), _target_on(targets, day)):
                current += 1
                best = max(best, current)
            elif day != today:  # today can still be met, so it does not break anything yet
                current = 0
        day += timedelta(days=1)
    today_done = calendar.is_working_day(today) and _hit(
        history.get(today, 0), _target_on(targets, today)
    )
    return Streak(current, best, today_done)


@dataclass(frozen=True)
class Records:
    """Personal bests in dials: the best day and the best ISO week (Monday start)."""

    best_day: date | None
    best_day_dials: int
    best_week_start: date | None
    best_week_dials: int


def records(history: Mapping[date, int]) -> Records:
    """Best day and best week by dials, days off included; the earliest wins a tie."""
    best_day: date | None = None
    best_day_dials = 0
    weeks: defaultdict[date, int] = defaultdict(int)
    for day in sorted(history):
        dials = history[day]
        if dials > best_day_dials:
            best_day, best_day_dials = day, dials
        weeks[day - timedelta(days=day.weekday())] += dials
    best_week: date | None = None
    best_week_dials = 0
    for monday in sorted(weeks):
        if weeks[monday] > best_week_dials:
            best_week, best_week_dials = monday, weeks[monday]
    return Records(best_day, best_day_dials, best_week, best_week_dials)


# --- Recent days, metric by metric -----------------------------------------------------------


def metric_values(value: Amounts | None) -> dict[str, int]:
    """Every metric of `value` (an int is dials only; missing metrics are 0)."""
    if value is None:
        return dict.fromkeys(METRICS, 0)
    if isinstance(value, int):
        return {metric: value if metric == DIALS else 0 for metric in METRICS}
    if isinstance(value, Mapping):
        return {metric: int(value.get(metric, 0)) for metric in METRICS}
    return {metric: int(getattr(value, metric)) for metric in METRICS}


@dataclass(frozen=True)
class DayStat:
    """One working day: what was done and what was targeted, metric by metric.

    `in_progress` marks today while its dial target is still open: not a miss yet.
    """

    day: date
    actual: Mapping[str, int]
    target: Mapping[str, int]
    in_progress: bool = False

    def met(self, metric: str) -> bool:
        """Whether a metric reached its target (never for a target of 0)."""
        return _hit(self.actual.get(metric, 0), self.target.get(metric, 0))

    @property
    def hit(self) -> bool:
        """Whether the day counts for the streak: the dial target is met."""
        return self.met(DIALS)


@dataclass(frozen=True)
class WeekSummary:
    """The last working days, how many counted, and the day with the most dials.

    `hits` and `hit_rate` are of the `finished` days: today counts once its target is met and
    is left out while it is still in progress.
    """

    days: tuple[DayStat, ...]
    hits: int
    # Percent of the finished days on target, to the nearest; 100 only when every one was.
    hit_rate: int
    best_day: DayStat | None
    finished: int = 0

    @property
    def missed(self) -> int:
        """Finished working days below the dial target."""
        return self.finished - self.hits

    @property
    def in_progress(self) -> DayStat | None:
        """Today, when it is among the days and its dial target is still open."""
        return next((stat for stat in self.days if stat.in_progress), None)


def _daily_targets(targets: Mapping[date, Amounts] | Amounts) -> Mapping[date, Amounts] | None:
    # A mapping keyed by dates gives each day its own targets; one keyed by metric names
    # (or an int, or Metrics) is the same targets for every day.
    if isinstance(targets, Mapping) and any(isinstance(key, date) for key in targets):
        return cast(Mapping[date, Amounts], targets)
    return None


def week_summary(
    history: Mapping[date, Amounts],
    targets: Mapping[date, Amounts] | Amounts,
    calendar: WorkCalendar,
    end: date,
    days: int = 7,
    *,
    today: date | None = None,
) -> WeekSummary:
    """The last `days` working days up to `end`, with targets, hits and the best day; `today`
    (the rep's local date), while below its dial target, is in progress and not yet a miss."""
    per_day = _daily_targets(targets)
    same = metric_values(cast(Amounts, targets)) if per_day is None else {}
    stats = []
    for day in calendar.last_working_days(end, days):
        stat = DayStat(
            day,
            metric_values(history.get(day)),
            dict(same) if per_day is None else metric_values(per_day.get(day)),
        )
        if day == today and not stat.hit:
            stat = DayStat(stat.day, stat.actual, stat.target, in_progress=True)
        stats.append(stat)
    finished = sum(1 for stat in stats if not stat.in_progress)
    hits = sum(1 for stat in stats if stat.hit)
    rate = percent(hits, finished) if finished else 0
    best: DayStat | None = None
    for stat in stats:
        if stat.actual[DIALS] > (best.actual[DIALS] if best else 0):
            best = stat
    return WeekSummary(tuple(stats), hits, rate, best, finished)
