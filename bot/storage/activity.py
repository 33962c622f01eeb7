"""Targets, daily activity with its change log, and audits."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.activity import METRICS, Counts
from bot.coach.targets import DailyTargets
from bot.storage.tables import activity_days, activity_events, audits, targets
from bot.storage.taps import Tap, claim_tap


@dataclass(frozen=True, slots=True)
class StoredTargets:
    """The rep's daily targets and where they came from."""

    daily: DailyTargets
    source: str
    goal: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class DayRecord:
    """A rep's totals for one local day; `version` changes with every change."""

    day: date
    counts: Counts
    target_dials: int
    version: int


@dataclass(frozen=True, slots=True)
class Change:
    """A change to a day: the totals after it and what was added (`capped`: a negative
    correction was cut short so that no metric goes below 0)."""

    record: DayRecord
    applied: Counts
    capped: bool


@dataclass(frozen=True, slots=True)
class Undo:
    """The day after an undo, and what was taken back (None: nothing left to undo)."""

    record: DayRecord
    undone: Counts | None


@dataclass(frozen=True, slots=True)
class StoredAudit:
    """One completed prospecting self-check."""

    answers: dict[str, Any]
    score: int
    suggested: DailyTargets
    taken_at: datetime


def _counts(row: Row[Any]) -> Counts:
    return Counts(row.dials, row.conversations, row.appointments, row.contacts)


def _targets(data: Mapping[str, Any]) -> DailyTargets:
    return DailyTargets(**{m: int(data.get(m, 0)) for m in METRICS})


def _deltas(counts: Counts) -> dict[str, int]:
    return {m: counts.get(m) for m in METRICS}


_GET_TARGETS = select(targets).where(targets.c.user_id == bindparam("user_id"))
_GET_DAY = select(activity_days).where(
    and_(activity_days.c.user_id == bindparam("user_id"), activity_days.c.day == bindparam("day"))
)
_HISTORY = (
    select(activity_days)
    .where(
        and_(
            activity_days.c.user_id == bindparam("user_id"),
            activity_days.c.day >= bindparam("start"),
            activity_days.c.day <= bindparam("end"),
        )
    )
    .order_by(activity_days.c.day)
)
# A correction reads the totals it may take back from; on PostgreSQL the row stays locked
# until the change is written (SQLite holds the write lock since the day's INSERT anyway).
_GET_DAY_LOCKED = _GET_DAY.with_for_update(key_share=True)
_ALL_DAYS = select(activity_days).where(activity_days.c.user_id == bindparam("user_id"))
# UPDATE reserves bind names equal to column names, hence "key_user" and "key_day".
_ADD = (
    update(activity_days)
    .where(
        and_(
            activity_days.c.user_id == bindparam("key_user"),
            activity_days.c.day == bindparam("key_day"),
        )
    )
    .values(
        {
            **{m: getattr(activity_days.c, m) + bindparam(f"d_{m}") for m in METRICS},
            "version": activity_days.c.version + 1,
            "updated_at": bindparam("now"),
        }
    )
)
# RETURNING saves reading the row back (SQLite 3.35+, PostgreSQL).
_ADD_RETURNING = _ADD.returning(*activity_days.c)
_INSERT_EVENT = activity_events.insert()
_LAST_EVENT = (
    select(activity_events)
    .where(
        and_(
            activity_events.c.user_id == bindparam("user_id"),
            activity_events.c.day == bindparam("day"),
            activity_events.c.undone.is_(False),
        )
    )
    .order_by(activity_events.c.id.desc())
    .limit(1)
)
# Guarded by undone = false: two undos racing for the same event (two processes on
# PostgreSQL, READ COMMITTED) both read it, but only one UPDATE matches; the other waits for
# it, re-checks the row, gets rowcount 0 and takes nothing back.
_MARK_UNDONE = (
    update(activity_events)
    .where(activity_events.c.id == bindparam("event_id"), activity_events.c.undone.is_(False))
    .values(undone=True)
)
_LAST_AUDIT = (
    select(audits)
    .where(audits.c.user_id == bindparam("user_id"))
    .order_by(audits.c.id.desc())
    .limit(1)
)


def _ensure_day_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(activity_days).on_conflict_do_nothing(
        index_elements=[activity_days.c.user_id, activity_days.c.day]
    )


def _upsert_targets_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(targets)
    columns = (*METRICS, "source", "goal", "updated_at")
    return insert.on_conflict_do_update(
        index_elements=[targets.c.user_id], set_={c: insert.excluded[c] for c in columns}
    )


_DIALECTS = ("sqlite", "postgresql")
_ENSURE_DAY = {name: _ensure_day_statement(name) for name in _DIALECTS}
_UPSERT_TARGETS = {name: _upsert_targets_statement(name) for name in _DIALECTS}


def _record(row: Row[Any]) -> DayRecord:
    return DayRecord(row.day, _counts(row), row.target_dials, row.version)


class ActivityRepository:
    """Targets, the activity of each day, undo, and audits."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def targets(self, user_id: int) -> StoredTargets | None:
        """The rep's daily targets, or None when none are set."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_TARGETS, {"user_id": user_id})).first()
        if row is None:
            return None
        goal = json.loads(row.goal) if row.goal else None
        daily = DailyTargets(row.dials, row.conversations, row.appointments, row.contacts)
        return StoredTargets(daily, row.source, goal)

    async def set_targets(
        self,
        user_id: int,
        daily: DailyTargets,
        source: str,
        now: datetime,
        goal: dict[str, Any] | None = None,
    ) -> None:
        """Replace the rep's daily targets."""
        values = {
            "user_id": user_id,
            **{m: getattr(daily, m) for m in METRICS},
            "source": source,
            "goal": json.dumps(goal, ensure_ascii=False) if goal is not None else None,
            "updated_at": now,
        }
        async with self._engine.begin() as conn:
            await conn.execute(_UPSERT_TARGETS[conn.dialect.name], values)

    async def day(self, user_id: int, day: date) -> DayRecord:
        """A day's totals (zeros and version 0 when nothing is logged yet)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_DAY, {"user_id": user_id, "day": day})).first()
        return _record(row) if row else DayRecord(day, Counts(), 0, 0)

    async def history(self, user_id: int, start: date, end: date) -> dict[date, DayRecord]:
        """Every logged day from start to end, inclusive."""
        params = {"user_id": user_id, "start": start, "end": end}
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_HISTORY, params)).all()
        return {row.day: _record(row) for row in rows}

    async def all_days(self, user_id: int) -> dict[date, DayRecord]:
        """Every logged day of the rep (for records)."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_ALL_DAYS, {"user_id": user_id})).all()
        return {row.day: _record(row) for row in rows}

    async def change(
        self,
        user_id: int,
        day: date,
        delta: Counts,
        *,
        source: str,
        now: datetime,
        target_dials: int,
        tap: Tap | None = None,
    ) -> Change | None:
        """Add to a day's totals (negatives stop at 0) and log it; None when `tap` is counted."""
        async with self._engine.begin() as conn:
            if tap is not None and not await self._claim(conn, user_id, tap, now):
                return None
            await self._ensure_day(conn, user_id, day, target_dials, now)
            applied = delta
            if any(delta.get(m) < 0 for m in METRICS):
                key = {"user_id": user_id, "day": day}
                current = _counts((await conn.execute(_GET_DAY_LOCKED, key)).one())
                applied = Counts(*(max(delta.get(m), -current.get(m)) for m in METRICS))
            if applied.is_zero:
                row = (await conn.execute(_GET_DAY, {"user_id": user_id, "day": day})).one()
            else:
                row = await self._apply(conn, user_id, day, applied, source, now)
        return Change(_record(row), applied, applied != delta)

    async def _apply(
        self,
        conn: AsyncConnection,
        user_id: int,
        day: date,
        delta: Counts,
        source: str,
        now: datetime,
    ) -> Row[Any]:
        """Add `delta` to the day's row and log it; the row as it is now."""
        params = {
            "key_user": user_id,
            "key_day": day,
            "now": now,
            **{f"d_{m}": delta.get(m) for m in METRICS},
        }
        row = (await conn.execute(_ADD_RETURNING, params)).one()
        await conn.execute(
            _INSERT_EVENT,
            {
                "user_id": user_id,
                "day": day,
                **_deltas(delta),
                "source": source,
                "undone": False,
                "created_at": now,
            },
        )
        return row

    async def _claim(self, conn: AsyncConnection, user_id: int, tap: Tap, now: datetime) -> bool:
        return await claim_tap(
            conn, user_id=user_id, tap_id=tap.tap_id, origin=tap.origin, now=now, window=tap.window
        )

    async def undo(
        self, user_id: int, day: date, now: datetime, *, tap: Tap | None = None
    ) -> Undo | None:
        """Take back the day's latest change; None when `tap` is counted already."""
        async with self._engine.begin() as conn:
            if tap is not None and not await self._claim(conn, user_id, tap, now):
                return None
            undone: Counts | None = None
            event = (await conn.execute(_LAST_EVENT, {"user_id": user_id, "day": day})).first()
            # Take the event first: whoever marks it undone subtracts it, exactly once.
            if event is not None and (
                (await conn.execute(_MARK_UNDONE, {"event_id": event.id})).rowcount == 1
            ):
                undone = _counts(event)
                params = {
                    "key_user": user_id,
                    "key_day": day,
                    "now": now,
                    **{f"d_{m}": -undone.get(m) for m in METRICS},
                }
                await conn.execute(_ADD, params)
            row = (await conn.execute(_GET_DAY, {"user_id": user_id, "day": day})).first()
        return Undo(_record(row) if row else DayRecord(day, Counts(), 0, 0), undone)

    async def _ensure_day(
        self, conn: AsyncConnection, user_id: int, day: date, target_dials: int, now: datetime
    ) -> None:
        values = {
            "user_id": user_id,
            "day": day,
            **dict.fromkeys(METRICS, 0),
            "target_dials": target_dials,
            "version": 0,
            "updated_at": now,
        }
        await conn.execute(_ENSURE_DAY[conn.dialect.name], values)

    async def add_audit(
        self,
        user_id: int,
        answers: dict[str, Any],
        score: int,
        suggested: DailyTargets,
        now: datetime,
    ) -> None:
        """Store a completed self-check."""
        async with self._engine.begin() as conn:
            await conn.execute(
                audits.insert(),
                {
                    "user_id": user_id,
                    "answers": json.dumps(answers, ensure_ascii=False),
                    "score": score,
                    "suggested": json.dumps({m: getattr(suggested, m) for m in METRICS}),
                    "taken_at": now,
                },
            )

    async def last_audit(self, user_id: int) -> StoredAudit | None:
        """The most recent self-check, if any."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_LAST_AUDIT, {"user_id": user_id})).first()
        if row is None:
            return None
        return StoredAudit(
            json.loads(row.answers), row.score, _targets(json.loads(row.suggested)), row.taken_at
        )
