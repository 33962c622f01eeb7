"""The lead's view of the team: figures per rep, and the privacy rule for every group size."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.coach.checkins import digest_due
from bot.coach.team_week import (
    RepDay,
    RepInput,
    add,
    group_ok,
    rep_figures,
    rep_streak,
    team_goal_visible,
    team_week,
    trend,
)
from bot.coach.teams import PER_REP, TOTALS, Team, TeamMember, Visibility

TODAY = date(2026, 11, 27)  # a Friday
WEEK = [TODAY - timedelta(days=n) for n in range(4, -1, -1)]  # Monday to Friday


def team(visibility: Visibility = TOTALS) -> Team:
    return Team(1, "Nord", visibility, None, None, 4, time(15))


def member(
    user_id: int, *, confirmed: bool = False, onboarded: bool = True, disabled: bool = False
) -> TeamMember:
    return TeamMember(
        user_id,
        user_id,
        f"Rep {user_id}",
        "de",
        "Europe/Berlin",
        onboarded,
        disabled,
        confirmed,
        None,
    )


def rep(
    user_id: int,
    dials: int = 10,
    *,
    confirmed: bool = False,
    today_dials: int | None = None,
    focus: bool = False,
    **flags: bool,
) -> RepInput:
    """A rep who made `dials` on each day Monday to Thursday (today: `today_dials`)."""
    days = [RepDay(d, dials=dials + user_id, conversations=2, appointments=1) for d in WEEK[:-1]]
    if today_dials is not None:
        days.append(RepDay(TODAY, dials=today_dials))
    return RepInput(
        member(user_id, confirmed=confirmed, **flags),
        days=days,
        daily={"dials": 10, "conversations": 2, "appointments": 1},
        working=WEEK,
        today=TODAY,
        practice={"drills": 1, "pitches": 0, "calls": 2},
        overdue=user_id % 2,
        focus_done=focus,
    )


# --- one rep's figures --------------------------------------------------------------------


def test_rep_figures_count_finished_days_and_today_only_as_far_as_done() -> None:
    r = rep(1, 10, today_dials=4)
    f = rep_figures(r)
    assert f.actual["dials"] == 4 * 11 + 4
    # Four finished days of 10, and today only the 4 done so far.
    assert f.target["dials"] == 40 + 4
    assert (f.days_hit, f.days_counted) == (4, 4)
    assert f.dial_percent == 109  # 48 of 44, over target shows over 100


def test_a_day_without_a_row_counts_its_target_and_its_stored_target_wins() -> None:
    days = [RepDay(WEEK[0], dials=30, target_dials=25)]
    r = RepInput(member(1), days=days, daily={"dials": 10}, working=WEEK[:3], today=TODAY)
    f = rep_figures(r)
    assert f.target["dials"] == 25 + 10 + 10
    assert (f.days_hit, f.days_counted) == (1, 3)


def test_today_met_counts_as_a_day_on_target() -> None:
    r = rep(0, 10, today_dials=12)
    f = rep_figures(r)
    assert (f.days_hit, f.days_counted) == (5, 5)
    assert rep_streak(r) == 5


def test_streak_breaks_on_a_missed_day_and_today_running_keeps_it() -> None:
    days = [RepDay(WEEK[0], dials=10), RepDay(WEEK[1], dials=3)]
    days += [RepDay(WEEK[2], dials=10), RepDay(WEEK[3], dials=11)]
    r = RepInput(member(1), days=days, daily={"dials": 10}, working=WEEK, today=TODAY)
    assert rep_streak(r) == 2


def test_no_targets_means_no_percent_and_negative_numbers_count_as_zero() -> None:
    r = RepInput(member(1), days=[RepDay(WEEK[0], dials=-5)], working=WEEK, today=TODAY)
    f = rep_figures(r)
    assert f.actual["dials"] == 0
    assert f.dial_percent is None
    assert rep_streak(r) == 0


def test_empty_period() -> None:
    f = rep_figures(RepInput(member(1)))
    assert f.actual == {"dials": 0, "conversations": 0, "appointments": 0}
    assert (f.days_hit, f.days_counted) == (0, 0)


# --- the privacy rule ----------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2])
def test_totals_only_fewer_than_three_reps_shows_nothing(n: int) -> None:
    view = team_week(team(), [rep(i) for i in range(1, n + 1)])
    assert view.total is None
    assert view.others is None
    assert view.lines == ()
    assert view.idle_count is None if n else view.idle_count == 0
    assert view.focus_hidden is None
    assert view.verdict == "hidden"


@pytest.mark.parametrize("n", [3, 4, 7])
def test_totals_only_from_three_reps_shows_sums_and_no_lines(n: int) -> None:
    reps = [rep(i, today_dials=0 if i == 1 else None, focus=i == 2) for i in range(1, n + 1)]
    view = team_week(team(), reps)
    assert view.total is not None
    assert view.total.reps == n
    assert view.total.actual["dials"] == sum(rep_figures(r).actual["dials"] for r in reps)
    assert view.lines == ()
    assert view.others is None  # with no line, "the others" would be the total again
    assert view.idle_count == n  # nobody logged a number today (a 0 is no number)
    assert view.focus_hidden == 1
    assert view.verdict == "on_track"


def test_confirmed_reps_are_hidden_while_the_team_is_totals_only() -> None:
    view = team_week(team(TOTALS), [rep(i, confirmed=True) for i in range(1, 5)])
    assert view.lines == ()
    assert view.hidden == 4


def test_disabled_and_not_set_up_members_do_not_count_towards_the_three() -> None:
    reps = [rep(1), rep(2), rep(3, disabled=True), rep(4, onboarded=False)]
    view = team_week(team(), reps)
    assert view.contributors == 2
    assert view.total is None


def test_per_rep_all_confirmed_shows_every_line_and_the_total_from_three() -> None:
    reps = [rep(i, confirmed=True) for i in range(1, 4)]
    view = team_week(team(PER_REP), reps)
    assert [line.user_id for line in view.lines] == [1, 2, 3]
    assert view.total is not None
    assert view.others is None
    two = team_week(team(PER_REP), reps[:2])
    assert len(two.lines) == 2
    assert two.total is None  # no totals with fewer than three reps


def test_per_rep_unconfirmed_are_never_a_line() -> None:
    reps = [rep(1, confirmed=True), rep(2), rep(3), rep(4)]
    view = team_week(team(PER_REP), reps)
    assert [line.user_id for line in view.lines] == [1]
    assert view.others is not None
    assert view.others.reps == 3
    assert view.total is not None


@pytest.mark.parametrize(("confirmed", "unconfirmed"), [(1, 1), (1, 2), (2, 1), (2, 2), (3, 2)])
def test_subtraction_attack_one_or_two_unconfirmed_leave_no_total_and_no_others(
    confirmed: int, unconfirmed: int
) -> None:
    reps = [rep(i, confirmed=True) for i in range(1, confirmed + 1)]
    reps += [rep(i) for i in range(confirmed + 1, confirmed + unconfirmed + 1)]
    view = team_week(team(PER_REP), reps)
    assert len(view.lines) == confirmed
    # Total minus the lines would be the one or two hidden reps' sum.
    assert view.total is None
    assert view.others is None
    assert view.idle_count is None
    assert view.focus_hidden is None


def _shown(view: object) -> list[int]:
    """Every dial figure in the view, as the lead reads it."""
    from bot.coach.team_week import TeamWeek

    assert isinstance(view, TeamWeek)
    found = [line.figures.actual["dials"] for line in view.lines]
    for figures in (view.total, view.others):
        if figures is not None:
            found.append(figures.actual["dials"])
    return found


@pytest.mark.parametrize("visibility", [TOTALS, PER_REP])
@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5])
def test_no_combination_of_shown_figures_gives_away_a_hidden_rep(
    visibility: Visibility, size: int
) -> None:
    """For every mix of confirmed and not, no sum or difference of what the lead sees equals
    the numbers of fewer than three hidden reps."""
    for mask in itertools.product([False, True], repeat=size):
        # Powers of five: no sum of shown figures (each used up to twice) can equal another
        # group's by chance, so a match below is a real leak.
        reps = [
            RepInput(member(i, confirmed=c), days=[RepDay(TODAY, dials=5**i)], today=TODAY)
            for i, c in enumerate(mask, start=1)
        ]
        view = team_week(team(visibility), reps)
        hidden = [r for r in reps if visibility == TOTALS or not r.member.confirmed]
        small = {
            sum(rep_figures(r).actual["dials"] for r in group)
            for k in (1, 2)
            for group in itertools.combinations(hidden, k)
        }
        if len(hidden) < 3:
            small.add(sum(rep_figures(r).actual["dials"] for r in hidden))
        small.discard(0)
        shown = _shown(view)
        reachable = {
            abs(sum(sign * v for sign, v in zip(signs, shown, strict=True)))
            for signs in itertools.product([-1, 0, 1], repeat=len(shown))
        }
        assert not reachable & small, (visibility, mask)


def test_group_ok() -> None:
    assert [group_ok(n) for n in range(5)] == [True, False, False, True, True]


def test_idle_names_only_the_visible_reps() -> None:
    reps = [rep(1, confirmed=True, today_dials=0), rep(2, confirmed=True, today_dials=5)]
    reps += [rep(3), rep(4, today_dials=3), rep(5)]
    view = team_week(team(PER_REP), reps)
    assert [line.user_id for line in view.idle_lines] == [1]
    assert view.idle_hidden == 2
    assert view.idle_count == 3


def test_verdict_bands() -> None:
    behind = team_week(team(), [rep(i, 3) for i in range(3)])
    assert behind.verdict == "behind"
    close = team_week(team(), [rep(0, 8), rep(0, 8), rep(0, 8)])
    assert close.verdict == "close"
    early = team_week(team(), [RepInput(member(i), today=TODAY) for i in range(3)])
    assert early.verdict == "early"


def test_team_goal_visible_needs_three_others() -> None:
    assert [team_goal_visible(n) for n in range(6)] == [False, False, False, False, True, True]


def test_add_and_trend() -> None:
    total = add([rep_figures(rep(1)), rep_figures(rep(2))])
    assert total.reps == 2
    assert total.actual["dials"] == 4 * 11 + 4 * 12
    assert total.overdue == 1
    assert trend(110, 100) == 10
    assert trend(50, 100) == -50
    assert trend(5, 0) is None


def test_day_sums_for_the_chart_only_with_a_visible_total() -> None:
    reps = [rep(1, today_dials=3), rep(2), rep(3)]
    view = team_week(team(), reps, WEEK)
    assert [d.day for d in view.days] == WEEK
    assert view.days[0].actual["dials"] == 11 + 12 + 13
    assert view.days[0].target["dials"] == 30
    assert view.days[-1].actual["dials"] == 3
    assert view.days[-1].target["dials"] == 3  # today: only as far as done
    assert team_week(team(), reps[:2], WEEK).days == ()


# --- when the weekly digest is due (bot.coach.checkins.digest_due) --------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Friday 27 November 2026 in Berlin (UTC+1): 15:00 local is 14:00 UTC.
        (datetime(2026, 11, 27, 13, 59, tzinfo=UTC), None),
        (datetime(2026, 11, 27, 14, 0, tzinfo=UTC), date(2026, 11, 27)),
        (datetime(2026, 11, 27, 22, 59, tzinfo=UTC), date(2026, 11, 27)),
        # Saturday 00:00 in Berlin: the day is over, nothing is due any more.
        (datetime(2026, 11, 27, 23, 0, tzinfo=UTC), None),
        (datetime(2026, 11, 26, 14, 30, tzinfo=UTC), None),  # Thursday
    ],
)
def test_digest_due_on_the_leads_day_from_their_time(now: datetime, expected: date | None) -> None:
    assert digest_due(now, 4, time(15, 0), "Europe/Berlin") == expected


def test_digest_due_in_the_leads_own_timezone() -> None:
    # 15:00 in New York on Friday is 20:00 UTC; at 14:30 UTC it is not yet due there.
    now = datetime(2026, 11, 27, 14, 30, tzinfo=UTC)
    assert digest_due(now, 4, time(15, 0), "America/New_York") is None
    assert digest_due(now + timedelta(hours=6), 4, time(15), "America/New_York") == TODAY
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    sunday = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    assert digest_due(sunday, 0, time(8, 0), "Asia/Tokyo") == date(2026, 11, 30)
    with pytest.raises(ValueError, match="aware"):
        digest_due(datetime(2026, 11, 27, 15, 0), 4, time(15), "UTC")


def test_team_chart_draws_the_team_days() -> None:
    from bot.charts import ChartLabels, team_chart

    view = team_week(team(), [rep(1), rep(2), rep(3)], WEEK)
    labels = ChartLabels("Team Nord 🚀 $5", {"dials": "Anrufe"}, "Geschafft", "Ziel")
    png = team_chart(view.days, labels)
    assert png.startswith(b"\x89PNG")
    assert team_chart(view.days, labels) == png
    assert team_chart((), labels).startswith(b"\x89PNG")
