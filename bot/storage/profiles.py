"""Profiles to and from rows of the users table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from bot.coach.profile import Profile, Schedule
from bot.coach.weekdays import weekdays_from_str, weekdays_to_str


def profile_from_row(row: Row[Any]) -> Profile:
    """A profile from a row of the users table."""
    return Profile(
        user_id=row.id,
        chat_id=row.chat_id,
        language=row.language,
        timezone=row.timezone,
        schedule=Schedule(
            working_days=weekdays_from_str(row.working_days),
            morning_ping=row.morning_ping,
            block_start=row.block_start,
            block_minutes=row.block_minutes,
            evening_checkin=row.evening_checkin,
            weekly_day=row.weekly_day,
            weekly_time=row.weekly_time,
            quiet_start=row.quiet_start,
            quiet_end=row.quiet_end,
            midday_nudge=row.midday_nudge,
            checkins=frozenset(kind for kind in row.checkins.split(",") if kind),
        ),
        onboarded=row.onboarded,
        active=row.active,
        region=row.region,
        currency=row.currency,
    )


def profile_values(profile: Profile) -> dict[str, Any]:
    """The users-table columns of a profile (without id and timestamps)."""
    s = profile.schedule
    return {
        "chat_id": profile.chat_id,
        "language": profile.language,
        "timezone": profile.timezone,
        "working_days": weekdays_to_str(s.working_days),
        "morning_ping": s.morning_ping,
        "block_start": s.block_start,
        "block_minutes": s.block_minutes,
        "evening_checkin": s.evening_checkin,
        "weekly_day": s.weekly_day,
        "weekly_time": s.weekly_time,
        "quiet_start": s.quiet_start,
        "quiet_end": s.quiet_end,
        "midday_nudge": s.midday_nudge,
        "checkins": ",".join(sorted(s.checkins)),
        "onboarded": profile.onboarded,
        "active": profile.active,
        "region": profile.region,
        "currency": profile.currency,
    }
