"""The lead's view of a team's recent days, with the reps' privacy built in. Pure.

The privacy rule (bot.coach.teams.MIN_GROUP): a lead sees a rep's own numbers only when the
team is "per rep" and that rep confirmed it. Everyone else is hidden, and no figure the lead
sees may describe fewer than MIN_GROUP hidden reps:
- the hidden reps are summed as "the others" only when there are at least MIN_GROUP of them;
- a team total is shown only when at least MIN_GROUP reps contribute and it cannot be
  subtracted down to fewer than MIN_GROUP hidden reps (total minus the shown lines is the
  hidden reps' sum, so there must be none of them or at least MIN_GROUP);
- counts about the hidden reps (logged nothing today, practised the focus) follow the same
  rule as sums: a count of 1 of 2 would say who.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from bot.coach.activity import percent
from bot.coach.streaks import DayStat
from bot.coach.teams import MIN_GROUP, Team, TeamMember, shown_individually

# What the lead's view counts, in the order it shows them.
METRICS: Final[tuple[str, ...]] = ("dials", "conversations", "appointments")
PRACTICE: Final[tuple[str, ...]] = ("drills", "pitches", "calls")
SPANS: Final[tuple[int, ...]] = (7, 14, 30)
# Verdict bands on the share of the dial target reached so far.
ON_TRACK: Final = 90
CLOSE: Final = 70


@dataclass(frozen=True, slots=True)
class RepDay:
    """One logged day of a rep: the numbers and that day's dial target (0: none stored)."""

    day: date
    dials: int = 0
    conversations: int = 0
    appointments: int = 0
    target_dials: int = 0


@dataclass(frozen=True, slots=True)
class RepInput:
    """What the storage and the rep's calendar give for one rep over the period."""

    member: TeamMember
    days: Sequence[RepDay] = ()
    # The rep's current daily targets per metric (missing: 0).
    daily: Mapping[str, int] = field(default_factory=dict)
    # The rep's working days in the period up to and including `today`, ascending.
    working: Sequence[date] = ()
    # The rep's local date.
    today: date = date.min
    practice: Mapping[str, int] = field(default_factory=dict)
    overdue: int = 0
    focus_done: bool = False


@dataclass(frozen=True, slots=True)
class Figures:
    """Sums over some reps: actual and target per metric, days on target, practice, overdue."""

    reps: int
    actual: Mapping[str, int]
    target: Mapping[str, int]
    days_hit: int
    days_counted: int
    practice: Mapping[str, int]
    overdue: int

    @property
    def dial_percent(self) -> int | None:
        """Percent of the dial target reached so far, or None while nothing is targeted."""
        target = self.target.get("dials", 0)
        return percent(self.actual.get("dials", 0), target) if target > 0 else None


@dataclass(frozen=True, slots=True)
class RepLine:
    """One visible rep's line: their figures, streak, whether they logged today."""

    user_id: int
    name: str | None
    figures: Figures
    streak: int
    logged_today: bool
    focus_done: bool


@dataclass(frozen=True, slots=True)
class TeamWeek:
    """What the lead may see of the team over the period."""

    contributors: int
    hidden: int
    total: Figures | None
    lines: tuple[RepLine, ...]
    others: Figures | None
    # Reps who logged nothing today: the visible ones by line, the hidden ones as a count
    # (None when that count would describe fewer than MIN_GROUP hidden reps).
    idle_lines: tuple[RepLine, ...]
    idle_hidden: int | None
    # Who practised the focus: visible by line, hidden as a count (None as above).
    focus_lines: tuple[RepLine, ...]
    focus_hidden: int | None
    # The team's sums per day for the chart: only where the total may be shown.
    days: tuple[DayStat, ...] = ()

    @property
    def verdict(self) -> str:
        """ "on_track", "close", "behind" on the dial target so far; "early" before any target,
        "hidden" when the lead may see no total."""
        if self.total is None:
            return "hidden"
        share = self.total.dial_percent
        if share is None:
            return "early"
        if share >= ON_TRACK:
            return "on_track"
        return "close" if share >= CLOSE else "behind"

    @property
    def idle_count(self) -> int | None:
        """How many reps logged nothing today, where the lead may know it."""
        if self.idle_hidden is None and self.hidden:
            return None
        return len(self.idle_lines) + (self.idle_hidden or 0)


def group_ok(hidden: int) -> bool:
    """Whether a figure over this many hidden reps may be shown: none, or at least MIN_GROUP."""
    return hidden == 0 or hidden >= MIN_GROUP


def counted(member: TeamMember) -> bool:
    """Whether a member contributes to the team's figures: set up and not disabled."""
    return member.onboarded and not member.disabled


def _day_target(day: RepDay | None, daily: Mapping[str, int], metric: str) -> int:
    if metric == "dials" and day is not None and day.target_dials:
        return day.target_dials
    return max(0, daily.get(metric, 0))


def rep_figures(rep: RepInput) -> Figures:
    """One rep's figures: what they did, against their targets of the working days so far.

    Today's target counts only as far as today's numbers reach it: the day is still running,
    so at nine in the morning the team is not yet behind on it.
    """
    logged = {d.day: d for d in rep.days}
    actual = {m: sum(max(0, getattr(d, m)) for d in rep.days) for m in METRICS}
    target = dict.fromkeys(METRICS, 0)
    hit = finished = 0
    for day in rep.working:
        row = logged.get(day)
        for metric in METRICS:
            wanted = _day_target(row, rep.daily, metric)
            done = max(0, getattr(row, metric)) if row is not None else 0
            target[metric] += min(wanted, done) if day == rep.today else wanted
        dial_target = _day_target(row, rep.daily, "dials")
        met = dial_target > 0 and row is not None and row.dials >= dial_target
        if day != rep.today or met:
            finished += 1
            hit += met
    return Figures(
        reps=1,
        actual=actual,
        target=target,
        days_hit=hit,
        days_counted=finished,
        practice={k: max(0, rep.practice.get(k, 0)) for k in PRACTICE},
        overdue=max(0, rep.overdue),
    )


def rep_streak(rep: RepInput) -> int:
    """Working days in a row on the dial target within the period, up to today (today counts
    once met, and does not break the streak while it is running)."""
    logged = {d.day: d for d in rep.days}
    count = 0
    for day in reversed(rep.working):
        row = logged.get(day)
        target = _day_target(row, rep.daily, "dials")
        if target > 0 and row is not None and row.dials >= target:
            count += 1
        elif day != rep.today:
            break
    return count


def logged_today(rep: RepInput) -> bool:
    """Whether the rep logged any number on their local today."""
    return any(
        d.day == rep.today and (d.dials or d.conversations or d.appointments) for d in rep.days
    )


def add(figures: Sequence[Figures]) -> Figures:
    """The sum of several reps' figures."""
    return Figures(
        reps=sum(f.reps for f in figures),
        actual={m: sum(f.actual.get(m, 0) for f in figures) for m in METRICS},
        target={m: sum(f.target.get(m, 0) for f in figures) for m in METRICS},
        days_hit=sum(f.days_hit for f in figures),
        days_counted=sum(f.days_counted for f in figures),
        practice={k: sum(f.practice.get(k, 0) for f in figures) for k in PRACTICE},
        overdue=sum(f.overdue for f in figures),
    )


def day_sums(reps: Sequence[RepInput], days: Sequence[date]) -> tuple[DayStat, ...]:
    """The reps' numbers summed per day against their summed targets (a working day's, today
    only as far as done), for the team chart."""
    actual = {day: dict.fromkeys(METRICS, 0) for day in days}
    target = {day: dict.fromkeys(METRICS, 0) for day in days}
    for rep in reps:
        logged = {d.day: d for d in rep.days}
        for day in days:
            row = logged.get(day)
            for metric in METRICS:
                done = max(0, getattr(row, metric)) if row is not None else 0
                actual[day][metric] += done
                if day in rep.working:
                    wanted = _day_target(row, rep.daily, metric)
                    target[day][metric] += min(wanted, done) if day == rep.today else wanted
    return tuple(DayStat(day, actual[day], target[day]) for day in days)


def team_week(team: Team, reps: Sequence[RepInput], days: Sequence[date] = ()) -> TeamWeek:
    """The lead's view of the team: totals, visible lines and "the others", by the rule;
    with the per-day sums of `days` for the chart where the total may be shown."""
    lines: list[RepLine] = []
    hidden: list[RepInput] = []
    hidden_figures: list[Figures] = []
    all_figures: list[Figures] = []
    for rep in reps:
        if not counted(rep.member):
            continue
        figures = rep_figures(rep)
        all_figures.append(figures)
        if shown_individually(team, rep.member):
            lines.append(
                RepLine(
                    rep.member.user_id,
                    rep.member.display_name,
                    figures,
                    rep_streak(rep),
                    logged_today(rep),
                    rep.focus_done,
                )
            )
        else:
            hidden.append(rep)
            hidden_figures.append(figures)
    contributors = len(all_figures)
    others_ok = len(hidden) >= MIN_GROUP
    total_ok = contributors >= MIN_GROUP and group_ok(len(hidden))
    shown = [rep for rep in reps if counted(rep.member)]
    return TeamWeek(
        contributors=contributors,
        hidden=len(hidden),
        total=add(all_figures) if total_ok else None,
        lines=tuple(lines),
        # With no visible line, "the others" would repeat the total.
        others=add(hidden_figures) if others_ok and lines else None,
        idle_lines=tuple(line for line in lines if not line.logged_today),
        idle_hidden=sum(1 for rep in hidden if not logged_today(rep)) if others_ok else None,
        focus_lines=tuple(line for line in lines if line.focus_done),
        focus_hidden=sum(1 for rep in hidden if rep.focus_done) if others_ok else None,
        days=day_sums(shown, days) if total_ok else (),
    )


def team_goal_visible(contributors: int) -> bool:
    """Whether a rep may see the team's sum: without their own, it still covers MIN_GROUP."""
    return contributors - 1 >= MIN_GROUP


def trend(this_week: int, last_week: int) -> int | None:
    """The change against last week in whole percent, or None without last week's numbers."""
    if last_week <= 0:
        return None
    return round((this_week - last_week) * 100 / last_week)
