"""Repositories: the only code that knows the tables; they take and return plain dataclasses."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.profile import Profile
from bot.storage.access import AccessRepository
from bot.storage.activity import ActivityRepository
from bot.storage.checkins import CheckinRepository
from bot.storage.contacts import ContactRepository
from bot.storage.drills import DrillRepository
from bot.storage.notices import NoticeRepository
from bot.storage.pitches import PitchRepository
from bot.storage.profiles import profile_from_row, profile_values
from bot.storage.roleplay import RoleplayRepository
from bot.storage.tables import flow_states, team_playbooks, team_scenarios, users
from bot.storage.team_sources import TeamSourceRepository
from bot.storage.team_stats import TeamStatsRepository
from bot.storage.teams import TeamRepository
from bot.storage.userdata import DataRepository


@dataclass(frozen=True, slots=True)
class FlowState:
    """What the bot waits for next from one user: a flow, its step and the answers so far."""

    flow: str
    step: str
    data: Mapping[str, Any] = field(default_factory=dict)


def _flow(row: Row[Any]) -> FlowState:
    try:
        data = json.loads(row.data)
    except ValueError:
        data = {}
    return FlowState(row.flow, row.step, data if isinstance(data, dict) else {})


# Statements are built once, with bind parameters: building one (and its cache key) costs
# SQLAlchemy more than running it on SQLite, and every update runs a few of them.
_LOAD_ALL = select(users, flow_states.c.flow, flow_states.c.step, flow_states.c.data).select_from(
    users.outerjoin(flow_states, flow_states.c.user_id == users.c.id)
)
_LOAD = _LOAD_ALL.where(users.c.id == bindparam("user_id"))


_SAVE_PROFILE = (
    update(users)
    .where(users.c.id == bindparam("user_id"))
    .values(
        {
            c.name: bindparam(c.name)
            for c in users.c
            # The display name is not a profile field: the team repository writes it.
            if c.name not in ("id", "created_at", "display_name")
        }
    )
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


Loaded = tuple[Profile | None, FlowState | None]


class SessionCache:
    """Profile and flow of recently seen users, kept in step with every write of this process.

    Only sound while this process is the database's only writer (the SQLite mode): every
    update starts with this read, and answering it from memory halves the cost of a simple one.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._entries: OrderedDict[int, Loaded] = OrderedDict()
        # Bumped before every write: a read that raced a write must not fill in what it saw.
        self._writes = 0

    def get(self, user_id: int) -> Loaded | None:
        """What is cached for the user, or None if nothing is."""
        entry = self._entries.get(user_id)
        if entry is not None:
            self._entries.move_to_end(user_id)
        return entry

    def stamp(self) -> int:
        """A mark to pass to `fill` after reading the database."""
        return self._writes

    def fill(self, user_id: int, entry: Loaded, stamp: int) -> None:
        """Remember what was read, unless a write happened since `stamp`."""
        if stamp != self._writes:
            return
        self._entries[user_id] = entry
        self._entries.move_to_end(user_id)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def writing(self, user_id: int) -> Loaded | None:
        """Announce a write for the user; returns (and drops) what was cached before it."""
        self._writes += 1
        return self._entries.pop(user_id, None)

    def written(self, user_id: int, entry: Loaded) -> None:
        """Remember the state a committed write left behind."""
        self._writes += 1
        self._entries[user_id] = entry
        self._entries.move_to_end(user_id)

    @property
    def size(self) -> int:
        """How many entries the cache holds at most."""
        return self._size

    def forget(self, user_id: int) -> None:
        """Drop the user's entry, e.g. after their data was erased."""
        self.writing(user_id)


class _NoCache(SessionCache):
    """A cache that keeps nothing: several processes share the database."""

    def __init__(self) -> None:
        super().__init__(size=0)

    def fill(self, user_id: int, entry: Loaded, stamp: int) -> None:
        """Keep nothing."""

    def written(self, user_id: int, entry: Loaded) -> None:
        """Keep nothing."""
        self._writes += 1


def _stored(state: FlowState, data: str) -> FlowState:
    """The flow state exactly as a later read would return it, read-only."""
    return FlowState(state.flow, state.step, MappingProxyType(json.loads(data)))


class UserRepository:
    """Profiles of the reps."""

    def __init__(self, engine: AsyncEngine, cache: SessionCache) -> None:
        self._engine = engine
        self._cache = cache

    async def get(self, user_id: int) -> Profile | None:
        """The profile of a user, or None for an unknown user."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_USER, {"user_id": user_id})).first()
        return profile_from_row(row) if row else None

    async def load(self, user_id: int) -> Loaded:
        """Profile and flow state in one query: what every update needs first."""
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        stamp = self._cache.stamp()
        async with self._engine.connect() as conn:
            row = (await conn.execute(_LOAD, {"user_id": user_id})).first()
        if row is None:
            loaded: Loaded = (None, None)
        else:
            loaded = profile_from_row(row), (_flow(row) if row.flow is not None else None)
        self._cache.fill(user_id, loaded, stamp)
        return loaded

    async def warm_cache(self) -> int:
        """Read the most recently active reps into the session cache; returns how many."""
        if not self._cache.size:
            return 0
        stamp = self._cache.stamp()
        query = _LOAD_ALL.order_by(users.c.updated_at.desc()).limit(self._cache.size)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        # Oldest first, so the most recent end up as the most recently used.
        for row in reversed(rows):
            flow = _flow(row) if row.flow is not None else None
            self._cache.fill(row.id, (profile_from_row(row), flow), stamp)
        return len(rows)

    async def create(self, profile: Profile, now: datetime) -> Profile:
        """Store a new user; if they exist already, return what is stored instead."""
        values = {"id": profile.user_id, **profile_values(profile)}
        self._cache.writing(profile.user_id)
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
        before = self._cache.writing(profile.user_id)
        async with self._engine.begin() as conn:
            saved = await _save_profile(conn, profile, now)
        if saved and before is not None and before[0] is not None:
            self._cache.written(profile.user_id, (profile, before[1]))

    async def set_active(self, user_id: int, active: bool, now: datetime) -> None:
        """Mark a user (in)active, e.g. after they blocked the bot."""
        before = self._cache.writing(user_id)
        async with self._engine.begin() as conn:
            await conn.execute(
                _SET_ACTIVE, {"user_id": user_id, "active": active, "updated_at": now}
            )
        if before is not None and before[0] is not None:
            self._cache.written(user_id, (replace(before[0], active=active), before[1]))


class FlowRepository:
    """The stored "what the bot waits for next" of each user."""

    def __init__(self, engine: AsyncEngine, cache: SessionCache) -> None:
        self._engine = engine
        self._cache = cache

    async def get(self, user_id: int) -> FlowState | None:
        """The user's open flow, or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_FLOW, {"user_id": user_id})).first()
        return _flow(row) if row else None

    async def set(self, user_id: int, state: FlowState, now: datetime) -> None:
        """Store the user's flow state, replacing any earlier one."""
        before = self._cache.writing(user_id)
        async with self._engine.begin() as conn:
            data = await _upsert_flow(conn, user_id, state, now)
        if before is not None and before[0] is not None:
            self._cache.written(user_id, (before[0], _stored(state, data)))

    async def clear(self, user_id: int) -> bool:
        """Leave any flow; True if there was one."""
        before = self._cache.writing(user_id)
        async with self._engine.begin() as conn:
            result = await conn.execute(_CLEAR_FLOW, {"user_id": user_id})
        if before is not None:
            self._cache.written(user_id, (before[0], None))
        return bool(result.rowcount)


async def _save_profile(conn: AsyncConnection, profile: Profile, now: datetime) -> bool:
    values = {"user_id": profile.user_id, "updated_at": now, **profile_values(profile)}
    return bool((await conn.execute(_SAVE_PROFILE, values)).rowcount)


async def _upsert_flow(conn: AsyncConnection, user_id: int, state: FlowState, now: datetime) -> str:
    data = json.dumps(dict(state.data), ensure_ascii=False, separators=(",", ":"))
    values = {
        "user_id": user_id,
        "flow": state.flow,
        "step": state.step,
        "data": data,
        "updated_at": now,
    }
    await conn.execute(_UPSERT_FLOW[conn.dialect.name], values)
    return data


class Storage:
    """The engine and the repositories built on it; opened in post_init, closed on shutdown."""

    def __init__(self, engine: AsyncEngine, *, cache_sessions: bool = False) -> None:
        self.engine = engine
        # With one process as the only writer (SQLite) sessions are answered from memory.
        self.sessions = SessionCache() if cache_sessions else _NoCache()
        self.users = UserRepository(engine, self.sessions)
        self.flows = FlowRepository(engine, self.sessions)
        self.activity = ActivityRepository(engine)
        self.drills = DrillRepository(engine)
        self.team_playbooks = TeamSourceRepository(engine, team_playbooks)
        self.checkins = CheckinRepository(engine)
        self.pitches = PitchRepository(engine)
        self.contacts = ContactRepository(engine)
        # Practice calls against a simulated customer.
        self.roleplay = RoleplayRepository(engine)
        self.team_scenarios = TeamSourceRepository(engine, team_scenarios)
        # Access grants and invites; a user's data as a whole (export, erasure, retention).
        self.access = AccessRepository(engine, cache=cache_sessions)
        self.data = DataRepository(engine, self.sessions, self.access)
        # Replies that never arrived, told on the rep's next update.
        self.notices = NoticeRepository(engine, shared=not cache_sessions)
        # Teams: membership, leads, what a lead sees, the team's goal, digest and focus.
        self.teams = TeamRepository(engine)
        # Several reps' figures at once, for the lead's view and the digest (read-only).
        self.team_stats = TeamStatsRepository(engine)

    async def save_step(self, profile: Profile, flow: FlowState | None, now: datetime) -> None:
        """Store a profile change and the flow's next step (None: flow done) atomically."""
        self.sessions.writing(profile.user_id)
        async with self.engine.begin() as conn:
            saved = await _save_profile(conn, profile, now)
            if flow is None:
                await conn.execute(_CLEAR_FLOW, {"user_id": profile.user_id})
                stored = None
            else:
                stored = _stored(flow, await _upsert_flow(conn, profile.user_id, flow, now))
        if saved:
            self.sessions.written(profile.user_id, (profile, stored))

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()
