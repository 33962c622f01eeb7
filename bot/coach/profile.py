"""The rep's profile: language, timezone, working days and the times they want to hear from us."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time

WORKWEEK: frozenset[int] = frozenset(range(5))


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the rep works and wants check-ins, in their local time."""

    working_days: frozenset[int] = WORKWEEK
    morning_ping: time = time(8, 0)
    block_start: time = time(9, 0)
    block_minutes: int = 60
    evening_checkin: time = time(17, 30)


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

    def with_schedule(self, **changes: object) -> Profile:
        """A copy with some schedule fields changed."""
        return replace(self, schedule=replace(self.schedule, **changes))  # type: ignore[arg-type]
