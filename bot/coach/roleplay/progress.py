"""A rep's practice calls over time: the week's figures and the scenario to practise next.

Pure: the results come in (any object with the fields of storage's Result), as do now, the
schedule and the calendar.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final, Protocol
from zoneinfo import ZoneInfo

from bot.coach.activity import percent
from bot.coach.calendar import WorkCalendar, local_date
from bot.coach.profile import Schedule

SUCCESS: Final = "success"
# The call suggestion comes an hour after the calling block: after the pitch rehearsal (15 min)
# and the drill suggestion (30 min), so the nudges never arrive together.
SUGGEST_AFTER_BLOCK: Final = timedelta(minutes=60)
# Results older than this no longer decide what to practise: the rep has moved on since.
SUGGEST_LOOKBACK: Final = timedelta(days=28)
_SEARCH_DAYS: Final = 370


class CallResult(Protocol):
    """What an ended practice call left: its scenario, outcome and scorecard figures."""

    @property
    def scenario_id(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def met(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def percent(self) -> int: ...
    @property
    def ended_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class PracticeWeek:
    """The practice calls of a span: how many, the criteria met of all, the weakest scenario."""

    calls: int
    passed: int
    met: int
    total: int
    # Only when two or more scenarios were practised: with one, "the weakest" says nothing.
    weakest: str | None

    @property
    def percent(self) -> int:
        """The share of all criteria met, 0-100."""
        return percent(self.met, self.total) if self.total else 0


def _weakest(results: Iterable[CallResult]) -> str | None:
    """The scenario with the lowest mean percent (ties: fewer goals reached, then its id)."""
    by_scenario: dict[str, list[CallResult]] = {}
    for result in results:
        by_scenario.setdefault(result.scenario_id, []).append(result)
    if len(by_scenario) < 2:
        return None

    def rank(scenario_id: str) -> tuple[float, int, str]:
        calls = by_scenario[scenario_id]
        mean = sum(r.percent for r in calls) / len(calls)
        return (mean, sum(r.outcome == SUCCESS for r in calls), scenario_id)

    return min(by_scenario, key=rank)


def practice_week(results: Collection[CallResult]) -> PracticeWeek | None:
    """The figures of these ended calls; None without any."""
    if not results:
        return None
    return PracticeWeek(
        calls=len(results),
        passed=sum(r.outcome == SUCCESS for r in results),
        met=sum(r.met for r in results),
        total=sum(r.total for r in results),
        weakest=_weakest(results),
    )


def to_practise(results: Iterable[CallResult], known: Collection[str]) -> str | None:
    """The scenario to suggest: of each practised scenario's last call, the one that did not
    reach its goal or met the fewest criteria (lowest percent, then the longest ago, then the
    id). None when every last call reached its goal with every criterion, or none was made."""
    last: dict[str, CallResult] = {}
    for result in results:
        if result.scenario_id not in known:
            continue  # a team scenario removed since, or another language's
        seen = last.get(result.scenario_id)
        if seen is None or result.ended_at > seen.ended_at:
            last[result.scenario_id] = result
    open_ones = [r for r in last.values() if r.outcome != SUCCESS or r.percent < 100]
    if not open_ones:
        return None
    weakest = min(
        open_ones,
        key=lambda r: (r.outcome == SUCCESS, r.percent, r.ended_at, r.scenario_id),
    )
    return weakest.scenario_id


def suggestion_at(
    now: datetime,
    schedule: Schedule,
    tz: str,
    calendar: WorkCalendar,
    busy: Collection[date] = (),
) -> datetime:
    """When (UTC) to suggest the next practice call: an hour after the calling block of the
    next working day after today, skipping `busy` days (a drill or pitch reminder is due then:
    one practice nudge a day is enough)."""
    zone = ZoneInfo(tz)
    first = local_date(now, tz) + timedelta(days=1)
    fallback: datetime | None = None
    for offset in range(_SEARCH_DAYS):
        day = first + timedelta(days=offset)
        if not calendar.is_working_day(day):
            continue
        local = datetime.combine(day, schedule.block_start, tzinfo=zone)
        at = (local + timedelta(minutes=schedule.block_minutes) + SUGGEST_AFTER_BLOCK).astimezone(
            UTC
        )
        if day not in busy:
            return at
        fallback = fallback or at
    # Every working day busy (or none set): the first one, else tomorrow's slot.
    if fallback is not None:
        return fallback
    local = datetime.combine(first, schedule.block_start, tzinfo=zone)
    return (local + timedelta(minutes=schedule.block_minutes) + SUGGEST_AFTER_BLOCK).astimezone(UTC)
