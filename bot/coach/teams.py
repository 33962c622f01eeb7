"""Teams: who leads whom, what a lead may see of each rep, and the team's week settings. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final, Literal, get_args

Visibility = Literal["totals", "per_rep"]
VISIBILITIES: Final[tuple[Visibility, ...]] = get_args(Visibility)
TOTALS: Final[Visibility] = "totals"
PER_REP: Final[Visibility] = "per_rep"
# No figure a lead sees may describe fewer than this many reps who did not confirm "per rep".
MIN_GROUP: Final = 3
# What a weekly team goal counts.
GOAL_METRICS: Final[tuple[str, ...]] = ("dials", "appointments")
FOCUS_KINDS: Final[tuple[str, ...]] = ("objection", "scenario", "pitch")
NAME_MAX: Final = 80
DISPLAY_NAME_MAX: Final = 64
# A weekly team goal above this is a typo, not a plan.
GOAL_MAX: Final = 100_000
DEFAULT_DIGEST_DAY: Final = 4
DEFAULT_DIGEST_TIME: Final = time(15, 0)


@dataclass(frozen=True, slots=True)
class Team:
    """A team: its name, what its leads see, its weekly goal and when the digest goes out."""

    id: int
    name: str
    visibility: Visibility
    goal_metric: str | None
    goal_weekly: int | None
    digest_day: int
    digest_time: time


@dataclass(frozen=True, slots=True)
class TeamMember:
    """One person in a team, with the profile fields the lead's view needs."""

    user_id: int
    chat_id: int | None
    display_name: str | None
    language: str
    timezone: str
    onboarded: bool
    disabled: bool
    confirmed: bool
    last_seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class Focus:
    """The team's focus of a week (`week` is its Monday); `ref` is '' for the pitch."""

    team_id: int
    week: date
    kind: str
    ref: str
    set_by: int


def shown_individually(team: Team, member: TeamMember) -> bool:
    """Whether the lead may see this rep's own numbers: "per rep" and the rep confirmed it."""
    return team.visibility == PER_REP and member.confirmed


def clean_name(text: str, limit: int) -> str | None:
    """A typed name, trimmed and on one line, or None if nothing usable (empty, too long)."""
    # Line breaks and tabs become spaces first; invisible and control characters go.
    spaced = " ".join(text.split())
    cleaned = " ".join("".join(ch for ch in spaced if ch.isprintable()).split())
    if not cleaned or len(cleaned) > limit:
        return None
    return cleaned


def parse_goal(text: str) -> int | None:
    """A weekly team goal typed as a whole number (1 to GOAL_MAX, "1.000" allowed), else None."""
    digits = text.strip().replace(".", "").replace(",", "").replace(" ", "").replace("\u202f", "")
    if not digits.isdigit() or not digits.isascii():
        return None
    value = int(digits)
    return value if 0 < value <= GOAL_MAX else None
