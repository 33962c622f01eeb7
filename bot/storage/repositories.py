"""Repositories: the only code that knows the tables; they take and return plain dataclasses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.profile import Profile, Schedule
from bot.coach.weekdays import weekdays_from_str, weekdays_to_str
from bot.storage.activity import ActivityRepository
from bot.storage.drills import DrillRepository, TeamPlaybookRepository
from bot.storage.tables import flow_states, users


@dataclass(frozen=True, slots=True)
class FlowState:
    """What the bot waits for next from one user: a flow, its step and the answers so far."""

    flow: str
    step: str
    data: Mapping[str, Any] = field(default_factory=dict)


def _profile(row: Row[Any]) -> Profile:
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
        ),
        onboarded=row.onboarded,
        active=row.active,
        region=row.region,
    )


def _profile_values(profile: Profile) -> dict[str, Any]:
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
        "onboarded": profile.onboarded,
        "active": profile.active,
        "region": profile.region,
    }


def _flow(row: Row[Any]) -> FlowState:
    try:
        data = json.loads(row.data)
    except ValueError:
        data = {}
    return FlowState(row.flow, row.step, data if isinstance(data, dict) else {})


# Statements are built once, with bind parameters: building one (and its cache key) costs
# SQLAlchemy more than running it on SQLite, and every update runs a few of them.
_LOAD = (
    select(users, flow_states.c.flow, flow_states.c.step, flow_states.c.data)
    .select_from(users.outerjoin(flow_states, flow_states.c.user_id == users.c.id))
    .where(users.c.id == bindparam("user_id"))
)


_SAVE_PROFILE = (
    update(users)
    .where(users.c.id == bindparam("user_id"))
    .values({c.name: bindparam(c.name) for c in users.c if c.name not in ("id", "created_at")})
)
_GET_USER = select(users).where(users.c.id == bindparam("user_id"))
_INSERT_USER = users.insert()
_SET_ACTIVE = (
    update(users)
    .where(users.c.id == bindparam("user_id"))
    .values(active=bindparam("active"), updated_at=bindparam("updated_at"))
)
_GET_FLOW = select(flow_states).where(flow_states.c.user_id == bindparam("user_id"))
_CLEAR_FLOW = delete(flow_states).where(flow_states.c.user_id == bindparam("user_id"))


def _upsert_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(flow_states)
    return insert.on_conflict_do_update(
        index_elements=[flow_states.c.user_id],
        set_={k: insert.excluded[k] for k in ("flow", "step", "data", "updated_at")},
    )


_UPSERT_FLOW = {name: _upsert_statement(name) for name in ("sqlite", "postgresql")}


class UserRepository:
    """Profiles of the reps."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, user_id: int) -> Profile | None:
        """The profile of a user, or None for an unknown user."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_USER, {"user_id": user_id})).first()
        return _profile(row) if row else None

    async def load(self, user_id: int) -> tuple[Profile | None, FlowState | None]:
        """Profile and flow state in one query: what every update needs first."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_LOAD, {"user_id": user_id})).first()
        if row is None:
            return None, None
        return _profile(row), (_flow(row) if row.flow is not None else None)

    async def create(self, profile: Profile, now: datetime) -> Profile:
        """Store a new user; if they exist already, return what is stored instead."""
        values = {"id": profile.user_id, **_profile_values(profile)}
        try:
            async with self._engine.begin() as conn:
                await conn.execute(_INSERT_USER, {"created_at": now, "updated_at": now, **values})
        except IntegrityError:
            existing = await self.get(profile.user_id)
            if existing is None:
                raise
            return existing
        return profile

    async def save(self, profile: Profile, now: datetime) -> None:
        """Write every profile field of an existing user."""
        async with self._engine.begin() as conn:
            await _save_profile(conn, profile, now)

    async def set_active(self, user_id: int, active: bool, now: datetime) -> None:
        """Mark a user (in)active, e.g. after they blocked the bot."""
        async with self._engine.begin() as conn:
            await conn.execute(
                _SET_ACTIVE, {"user_id": user_id, "active": active, "updated_at": now}
            )


class FlowRepository:
    """The stored "what the bot waits for next" of each user."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, user_id: int) -> FlowState | None:
        """The user's open flow, or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_FLOW, {"user_id": user_id})).first()
        return _flow(row) if row else None

    async def set(self, user_id: int, state: FlowState, now: datetime) -> None:
        """Store the user's flow state, replacing any earlier one."""
        async with self._engine.begin() as conn:
            await _upsert_flow(conn, user_id, state, now)

    async def clear(self, user_id: int) -> bool:
        """Leave any flow; True if there was one."""
        async with self._engine.begin() as conn:
            result = await conn.execute(_CLEAR_FLOW, {"user_id": user_id})
        return bool(result.rowcount)


async def _save_profile(conn: AsyncConnection, profile: Profile, now: datetime) -> None:
    values = {"user_id": profile.user_id, "updated_at": now, **_profile_values(profile)}
    await conn.execute(_SAVE_PROFILE, values)


async def _upsert_flow(
    conn: AsyncConnection, user_id: int, state: FlowState, now: datetime
) -> None:
    values = {
        "user_id": user_id,
        "flow": state.flow,
        "step": state.step,
        "data": json.dumps(dict(state.data), ensure_ascii=False, separators=(",", ":")),
        "updated_at": now,
    }
    await conn.execute(_UPSERT_FLOW[conn.dialect.name], values)


class Storage:
    """The engine and the repositories built on it; opened in post_init, closed on shutdown."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.users = UserRepository(engine)
        self.flows = FlowRepository(engine)
        self.activity = ActivityRepository(engine)
        self.drills = DrillRepository(engine)
        self.team_playbooks = TeamPlaybookRepository(engine)

    async def save_step(self, profile: Profile, flow: FlowState | None, now: datetime) -> None:
        """Store a profile change and the flow's next step (None: flow done) atomically."""
        async with self.engine.begin() as conn:
            await _save_profile(conn, profile, now)
            if flow is None:
                await conn.execute(_CLEAR_FLOW, {"user_id": profile.user_id})
            else:
                await _upsert_flow(conn, profile.user_id, flow, now)

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()
