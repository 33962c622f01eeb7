"""Teams, pure: who a lead sees individually, typed names and weekly goals."""

from __future__ import annotations

from datetime import time

import pytest

from bot.coach.teams import (
    GOAL_MAX,
    PER_REP,
    TOTALS,
    Team,
    TeamMember,
    clean_name,
    parse_goal,
    shown_individually,
)


def _team(visibility: str) -> Team:
    return Team(1, "Nord", visibility, None, None, 4, time(15, 0))  # type: ignore[arg-type]


def _member(confirmed: bool) -> TeamMember:
    return TeamMember(2, 20, "Anna", "de", "Europe/Berlin", True, False, confirmed, None)


@pytest.mark.parametrize(
    ("visibility", "confirmed", "shown"),
    [(TOTALS, False, False), (TOTALS, True, False), (PER_REP, False, False), (PER_REP, True, True)],
)
def test_only_per_rep_and_confirmed_is_shown(visibility: str, confirmed: bool, shown: bool) -> None:
    assert shown_individually(_team(visibility), _member(confirmed)) is shown


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Vertrieb   Süd ", "Vertrieb Süd"),
        ("Team\n🚗\u200b", "Team 🚗"),
        ("", None),
        ("   ", None),
        ("x" * 81, None),
        ("x" * 80, "x" * 80),
    ],
)
def test_names_are_trimmed_to_one_line_and_limited(typed: str, expected: str | None) -> None:
    assert clean_name(typed, 80) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("500", 500),
        (" 1.000 ", 1000),
        ("1,000", 1000),
        (str(GOAL_MAX), GOAL_MAX),
        (str(GOAL_MAX + 1), None),
        ("0", None),
        ("-5", None),
        ("viele", None),
        ("١٢", None),
        ("", None),
    ],
)
def test_weekly_goals_are_whole_positive_numbers(typed: str, expected: int | None) -> None:
    assert parse_goal(typed) == expected
