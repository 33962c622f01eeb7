"""Read-only figures of several reps at once, for the lead's /team view and the digest.

A handful of grouped queries for a whole team, however many reps it has: a view of 200 reps
must not cost 200 round trips.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.coach.profile import Profile
from bot.coach.team_week import RepDay
from bot.coach.teams import Focus
from bot.storage.contacts import OPEN
from bot.storage.profiles import profile_from_row
from bot.storage.tables import (
    activity_days,
    drill_stats,
    followups,
    members,
    pitch_rehearsals,
    roleplay_calls,
    targets,
    team_focus,
    users,
)

# Bound parameters per IN list: well below every backend's limit.
_CHUNK: Final = 900


@dataclass(frozen=True, slots=True)
class TeamStats:
    """What the lead's view needs of each rep, keyed by user id (missing: nothing stored)."""

    profiles: dict[int, Profile] = field(default_factory=dict)
    days: dict[int, list[RepDay]] = field(default_factory=dict)
    daily: dict[int, dict[str, int]] = field(default_factory=dict)
    practice: dict[int, dict[str, int]] = field(default_factory=dict)
    overdue: dict[int, int] = field(default_factory=dict)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


class TeamStatsRepository:
    """Grouped, read-only queries over several reps' activity, targets and practice."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def stats(
        self, user_ids: Sequence[int], first: date, last: date, since: datetime, today: date
    ) -> TeamStats:
        """Profiles, logged days from `first` to `last`, daily targets, practice since `since`
        (drills, pitch rehearsals, practice calls) and follow-ups due before `today`."""
        result = TeamStats()
        ids = sorted(set(user_ids))
        async with self._engine.connect() as conn:
            for chunk in _chunks(ids):
                rows = await conn.execute(select(users).where(users.c.id.in_(chunk)))
                for row in rows:
                    result.profiles[row.id] = profile_from_row(row)
                query = select(
                    activity_days.c.user_id,
                    activity_days.c.day,
                    activity_days.c.dials,
                    activity_days.c.conversations,
                    activity_days.c.appointments,
                    activity_days.c.target_dials,
                ).where(
                    activity_days.c.user_id.in_(chunk),
                    activity_days.c.day >= first,
                    activity_days.c.day <= last,
                )
                for row in await conn.execute(query):
                    result.days.setdefault(row.user_id, []).append(
                        RepDay(
                            row.day,
                            row.dials,
                            row.conversations,
                            row.appointments,
                            row.target_dials,
                        )
                    )
                query = select(
                    targets.c.user_id,
                    targets.c.dials,
                    targets.c.conversations,
                    targets.c.appointments,
                ).where(targets.c.user_id.in_(chunk))
                for row in await conn.execute(query):
                    result.daily[row.user_id] = {
                        "dials": row.dials,
                        "conversations": row.conversations,
                        "appointments": row.appointments,
                    }
                for name, table, column in (
                    ("drills", drill_stats, drill_stats.c.updated_at),
                    ("pitches", pitch_rehearsals, pitch_rehearsals.c.created_at),
                    ("calls", roleplay_calls, roleplay_calls.c.started_at),
                ):
                    counting = (
                        select(table.c.user_id, func.count())
                        .where(table.c.user_id.in_(chunk), column >= since)
                        .group_by(table.c.user_id)
                    )
                    for user_id, count in await conn.execute(counting):
                        result.practice.setdefault(user_id, {})[name] = count
                overdue = (
                    select(followups.c.user_id, func.count())
                    .where(
                        followups.c.user_id.in_(chunk),
                        followups.c.status == OPEN,
                        followups.c.due < today,
                    )
                    .group_by(followups.c.user_id)
                )
                for user_id, count in await conn.execute(overdue):
                    result.overdue[user_id] = count
        for days in result.days.values():
            days.sort(key=lambda d: d.day)
        return result

    async def practised(
        self, user_ids: Sequence[int], kind: str, ref: str, since: datetime
    ) -> set[int]:
        """Who practised the focus since `since`: drilled the objection `ref`, rehearsed the
        pitch, or started a practice call of scenario `ref`."""
        ids = sorted(set(user_ids))
        found: set[int] = set()
        async with self._engine.connect() as conn:
            for chunk in _chunks(ids):
                if kind == "objection":
                    query = select(drill_stats.c.user_id).where(
                        drill_stats.c.user_id.in_(chunk),
                        drill_stats.c.entry_id == ref,
                        drill_stats.c.updated_at >= since,
                    )
                elif kind == "scenario":
                    query = select(roleplay_calls.c.user_id).where(
                        roleplay_calls.c.user_id.in_(chunk),
                        roleplay_calls.c.scenario_id == ref,
                        roleplay_calls.c.started_at >= since,
                    )
                elif kind == "pitch":
                    query = select(pitch_rehearsals.c.user_id).where(
                        pitch_rehearsals.c.user_id.in_(chunk),
                        pitch_rehearsals.c.created_at >= since,
                    )
                else:
                    return found
                found.update(row[0] for row in await conn.execute(query.distinct()))
        return found

    async def team_sum(self, user_ids: Sequence[int], metric: str, first: date, last: date) -> int:
        """The sum of one metric (dials or appointments) over these reps and days."""
        column = activity_days.c[metric]
        total = 0
        async with self._engine.connect() as conn:
            for chunk in _chunks(sorted(set(user_ids))):
                query = select(func.coalesce(func.sum(column), 0)).where(
                    activity_days.c.user_id.in_(chunk),
                    activity_days.c.day >= first,
                    activity_days.c.day <= last,
                )
                total += int((await conn.execute(query)).scalar() or 0)
        return total

    async def focus_of(
        self, user_ids: Sequence[int], weeks: Collection[date]
    ) -> dict[tuple[int, date], Focus]:
        """The focus of each rep's team for the given weeks (Mondays), keyed (rep, week); for
        a morning fan-out in one query per chunk."""
        found: dict[tuple[int, date], Focus] = {}
        if not weeks:
            return found
        async with self._engine.connect() as conn:
            for chunk in _chunks(sorted(set(user_ids))):
                query = (
                    select(members.c.user_id.label("member_id"), team_focus)
                    .select_from(
                        members.join(team_focus, team_focus.c.team_id == members.c.team_id)
                    )
                    .where(members.c.user_id.in_(chunk), team_focus.c.week.in_(sorted(weeks)))
                )
                for row in await conn.execute(query):
                    found[(row.member_id, row.week)] = Focus(
                        row.team_id, row.week, row.kind, row.ref, row.set_by
                    )
        return found
