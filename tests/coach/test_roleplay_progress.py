"""Practice calls over time (pure): the week's figures, the scenario to practise, its moment."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.coach.calendar import Pause, WorkCalendar
from bot.coach.profile import Schedule
from bot.coach.roleplay.progress import practice_week, suggestion_at, to_practise

MO_FR = frozenset(range(5))
# Monday 23 November 2026, 10:30 in Berlin.
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class R:
    scenario_id: str
    outcome: str
    met: int
    total: int
    percent: int
    ended_at: datetime


def r(scenario_id: str, met: int, outcome: str = "hang_up", day: int = 20, total: int = 6) -> R:
    at = datetime(2026, 11, day, 12, tzinfo=UTC)
    return R(scenario_id, outcome, met, total, round(100 * met / total), at)


def test_no_calls_no_week() -> None:
    assert practice_week([]) is None


def test_week_sums_all_criteria_and_names_the_weakest_of_two_or_more() -> None:
    week = practice_week([r("a", 2), r("b", 5, "success"), r("a", 3)])
    assert week is not None
    assert (week.calls, week.passed, week.met, week.total, week.percent) == (3, 1, 10, 18, 56)
    assert week.weakest == "a"
    only = practice_week([r("a", 1), r("a", 2)])
    assert only is not None
    assert only.weakest is None, "with one scenario there is no weakest"


def test_weakest_ties_go_to_fewer_goals_then_the_id() -> None:
    week = practice_week([r("b", 3, "success"), r("c", 3), r("a", 3)])
    assert week is not None
    assert week.weakest == "a"


def test_to_practise_looks_at_each_scenarios_last_call() -> None:
    # "a" was weak, then perfect: it no longer needs practice; "b" did not reach its goal.
    results = [r("a", 1, day=18), r("a", 6, "success", day=20), r("b", 5, day=19)]
    assert to_practise(results, {"a", "b"}) == "b"
    # A failed call comes before a successful one with fewer criteria met.
    assert to_practise([r("a", 2, "success"), r("b", 5)], {"a", "b"}) == "b"
    assert to_practise([r("a", 2, "success"), r("b", 5, "success")], {"a", "b"}) == "a"


def test_nothing_to_practise_when_all_went_perfectly_or_are_unknown() -> None:
    assert to_practise([], {"a"}) is None
    assert to_practise([r("a", 6, "success")], {"a"}) is None
    assert to_practise([r("gone", 1)], {"a"}) is None, "a scenario removed since"


def test_suggestion_an_hour_after_the_next_working_days_block() -> None:
    schedule = Schedule(block_start=time(9, 0), block_minutes=60)
    calendar = WorkCalendar(MO_FR)
    # Tuesday 11:00 Berlin = 10:00 UTC.
    assert suggestion_at(NOW, schedule, "Europe/Berlin", calendar) == datetime(
        2026, 11, 24, 10, 0, tzinfo=UTC
    )
    # Friday's call: Monday.
    friday = datetime(2026, 11, 27, 15, tzinfo=UTC)
    assert suggestion_at(friday, schedule, "Europe/Berlin", calendar) == datetime(
        2026, 11, 30, 10, 0, tzinfo=UTC
    )


def test_suggestion_skips_paused_and_busy_days() -> None:
    schedule = Schedule(block_start=time(14, 0), block_minutes=90)
    paused = WorkCalendar(MO_FR, pauses=(Pause(date(2026, 11, 24), date(2026, 11, 24)),))
    busy = {date(2026, 11, 25)}
    # Tuesday paused, Wednesday a drill: Thursday 16:30 Berlin = 15:30 UTC.
    assert suggestion_at(NOW, schedule, "Europe/Berlin", paused, busy) == datetime(
        2026, 11, 26, 15, 30, tzinfo=UTC
    )


@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.integers(0, 6), st.booleans(), st.integers(1, 28)),
        max_size=12,
    )
)
def test_to_practise_picks_an_open_scenario_or_none(raw: list[tuple[str, int, bool, int]]) -> None:
    # Each call at its own moment: the last call of a scenario is well defined.
    results = [
        replace(r(s, met, "success" if ok else "hang_up", day), ended_at=NOW + timedelta(hours=i))
        for i, (s, met, ok, day) in enumerate(raw)
    ]
    found = to_practise(results, {"a", "b", "c"})
    last: dict[str, R] = {}
    for result in sorted(results, key=lambda x: x.ended_at):
        last[result.scenario_id] = result
    open_ones = {k for k, v in last.items() if v.outcome != "success" or v.percent < 100}
    assert (found is None) == (not open_ones)
    if found is not None:
        assert found in open_ones
        assert all(
            last[found].percent <= last[k].percent
            for k in open_ones
            if (last[k].outcome == "success") == (last[found].outcome == "success")
        )
