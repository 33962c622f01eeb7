"""The rep's profile: language, timezone, working days and the times they want to hear from us."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from typing import Final, Literal, get_args

from bot.coach.money import DEFAULT_CURRENCY

WORKWEEK: frozenset[int] = frozenset(range(5))

CheckinKind = Literal["morning", "block_start", "block_end", "midday", "evening", "weekly"]
CHECKIN_KINDS: Final[tuple[CheckinKind, ...]] = get_args(CheckinKind)
# The midday nudge is opt-in: the issue asks for it off by default.
DEFAULT_CHECKINS: Final[frozenset[str]] = frozenset(CHECKIN_KINDS) - {"midday"}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the rep works and wants check-ins, in their local time."""

    working_days: frozenset[int] = WORKWEEK
    morning_ping: time = time(8, 0)
    block_start: time = time(9, 0)
    block_minutes: int = 60
    evening_checkin: time = time(17, 30)
    # 0 = Monday, like `date.weekday()`.
    weekly_day: int = 4
    weekly_time: time = time(16, 0)
    # Nothing is sent from quiet_start up to quiet_end; they may wrap midnight, and equal
    # times mean no quiet hours at all.
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    midday_nudge: time = time(12, 30)
    # Which check-in kinds (CHECKIN_KINDS) the rep wants.
    checkins: frozenset[str] = DEFAULT_CHECKINS


@dataclass(frozen=True, slots=True)
class Profile:
    """One rep as the coach sees them."""

    user_id: int
    chat_id: int
    language: str
    timezone: str
    schedule: Schedule = field(default_factory=Schedule)
    onboarded: bool = False
    active: bool = True
    # Holiday region such as "DE-BY"; None means the country of the timezone.
    region: str | None = None
    # ISO code of the currency amounts are shown in ("EUR", "CHF"); from the country at setup.
    currency: str = DEFAULT_CURRENCY

    def with_schedule(self, **changes: object) -> Profile:
        """A copy with some schedule fields changed."""
        return replace(self, schedule=replace(self.schedule, **changes))  # type: ignore[arg-type]
