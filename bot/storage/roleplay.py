"""Practice calls: each call's state after every rep turn, and the results once it ended.

A rep has at most one running call (outcome None): starting one ends any other as cancelled,
in the same transaction. The state is the engine's CallState as JSON; `turns` guards each save,
so two processes answering the same turn cannot both write it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.roleplay import CallState, StateError
from bot.storage.tables import roleplay_calls
from bot.storage.taps import Tap, claim_tap

CANCELLED: Final = "cancelled"
# start(): the tap counted already (a double tap, a redelivered query), or the call the rep is
# in still runs and must not be replaced by an old button.
Refused = Literal["double", "busy"]
RECENT: Final = 10

_C = roleplay_calls.c
_GET = select(roleplay_calls).where(_C.user_id == bindparam("user_id"), _C.id == bindparam("id"))
_ACTIVE = (
    select(roleplay_calls)
    .where(_C.user_id == bindparam("user_id"), _C.outcome.is_(None))
    .order_by(_C.id.desc())
    .limit(1)
)
_RUNNING_ONE = select(_C.id).where(
    _C.user_id == bindparam("user_id"), _C.id == bindparam("id"), _C.outcome.is_(None)
)
_CANCEL_RUNNING = (
    update(roleplay_calls)
    .where(_C.user_id == bindparam("key_user"), _C.outcome.is_(None))
    .values(outcome=CANCELLED, ended_at=bindparam("now"), updated_at=bindparam("now"))
)
_RETURNING = insert(roleplay_calls).returning(*roleplay_calls.c)
_SAVE = (
    update(roleplay_calls)
    .where(
        _C.user_id == bindparam("key_user"),
        _C.id == bindparam("key_id"),
        _C.outcome.is_(None),
        _C.turns == bindparam("key_turns"),
    )
    .values(
        state=bindparam("state"),
        turns=bindparam("turns"),
        outcome=bindparam("outcome"),
        met=bindparam("met"),
        total=bindparam("total"),
        percent=bindparam("percent"),
        updated_at=bindparam("now"),
        ended_at=bindparam("ended_at"),
    )
)
_ENDED = (_C.outcome.is_not(None), _C.outcome != CANCELLED)
_BY_SCENARIO = (
    select(roleplay_calls)
    .where(_C.user_id == bindparam("user_id"), _C.scenario_id == bindparam("scenario_id"), *_ENDED)
    .order_by(_C.ended_at.desc(), _C.id.desc())
    .limit(bindparam("limit"))
)
_BETWEEN = (
    select(roleplay_calls)
    .where(
        _C.user_id == bindparam("user_id"),
        *_ENDED,
        _C.ended_at >= bindparam("start"),
        _C.ended_at < bindparam("end"),
    )
    .order_by(_C.ended_at, _C.id)
)


class _RefusedError(Exception):
    def __init__(self, reason: Refused) -> None:
        super().__init__(reason)
        self.reason: Refused = reason


@dataclass(frozen=True, slots=True)
class RoleplayCall:
    """One practice call: its state, and once ended its outcome and scorecard figures."""

    id: int
    user_id: int
    scenario_id: str
    lang: str
    difficulty: str
    state: CallState
    outcome: str | None
    met: int | None
    total: int | None
    percent: int | None
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None

    @property
    def running(self) -> bool:
        """Whether the rep can still answer."""
        return self.outcome is None


@dataclass(frozen=True, slots=True)
class Result:
    """An ended call's figures: for the trend of a scenario and the week's practice."""

    call_id: int
    scenario_id: str
    lang: str
    difficulty: str
    outcome: str
    met: int
    total: int
    percent: int
    turns: int
    ended_at: datetime


def _dump(state: CallState) -> str:
    return json.dumps(state.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _load(text: str) -> CallState | None:
    try:
        return CallState.from_dict(json.loads(text))
    except (ValueError, StateError):
        return None


def _call(row: Row[Any]) -> RoleplayCall | None:
    state = _load(row.state)
    if state is None:
        return None  # stored by another version of the engine: nothing to continue
    return RoleplayCall(
        id=row.id,
        user_id=row.user_id,
        scenario_id=row.scenario_id,
        lang=row.lang,
        difficulty=row.difficulty,
        state=state,
        outcome=row.outcome,
        met=row.met,
        total=row.total,
        percent=row.percent,
        started_at=row.started_at,
        updated_at=row.updated_at,
        ended_at=row.ended_at,
    )


def _result(row: Row[Any]) -> Result:
    return Result(
        call_id=row.id,
        scenario_id=row.scenario_id,
        lang=row.lang,
        difficulty=row.difficulty,
        outcome=row.outcome,
        met=row.met or 0,
        total=row.total or 0,
        percent=row.percent or 0,
        turns=row.turns,
        ended_at=row.ended_at,
    )


class RoleplayRepository:
    """Start, save and end practice calls; read results per scenario and per week."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def start(
        self,
        user_id: int,
        state: CallState,
        now: datetime,
        *,
        tap: Tap | None = None,
        keep: int | None = None,
    ) -> RoleplayCall | Refused:
        """Store a new running call, ending any other as cancelled. With `tap`, only if the tap
        counts ("double" if not); with `keep`, only if that call no longer runs ("busy")."""
        try:
            row = await self._insert(user_id, state, now, tap, keep)
        except _RefusedError as refusal:
            return refusal.reason
        call = _call(row)
        assert call is not None
        return call

    async def _insert(
        self, user_id: int, state: CallState, now: datetime, tap: Tap | None, keep: int | None
    ) -> Row[Any]:
        async with self._engine.begin() as conn:
            if tap is not None and not await claim_tap(
                conn,
                user_id=user_id,
                tap_id=tap.tap_id,
                origin=tap.origin,
                now=now,
                window=tap.window,
            ):
                raise _RefusedError("double")
            if keep is not None and await self._runs(conn, user_id, keep):
                # Rolled back with the tap: a refused tap has not counted.
                raise _RefusedError("busy")
            await conn.execute(_CANCEL_RUNNING, {"key_user": user_id, "now": now})
            values = {
                "user_id": user_id,
                "scenario_id": state.scenario_id,
                "lang": state.lang,
                "difficulty": state.difficulty,
                "state": _dump(state),
                "turns": len(state.turns),
                "started_at": now,
                "updated_at": now,
            }
            row: Row[Any] = (await conn.execute(_RETURNING, values)).one()
            return row

    @staticmethod
    async def _runs(conn: AsyncConnection, user_id: int, call_id: int) -> bool:
        found = await conn.execute(_RUNNING_ONE, {"user_id": user_id, "id": call_id})
        return found.first() is not None

    async def get(self, user_id: int, call_id: int) -> RoleplayCall | None:
        """One of the rep's calls (None: not theirs, gone, or not readable by this version)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET, {"user_id": user_id, "id": call_id})).first()
        return _call(row) if row is not None else None

    async def active(self, user_id: int) -> RoleplayCall | None:
        """The rep's running call, if any."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_ACTIVE, {"user_id": user_id})).first()
        return _call(row) if row is not None else None

    async def save(self, call: RoleplayCall, state: CallState, now: datetime) -> bool:
        """Store the state after a turn of a running call; False if the call ended meanwhile
        or another process stored this turn first."""
        return await self._write(call, state, now, None, None)

    async def finish(
        self,
        call: RoleplayCall,
        state: CallState,
        now: datetime,
        *,
        outcome: str,
        met: int,
        total: int,
        percent: int,
    ) -> bool:
        """End a running call with its outcome and scorecard figures; False if it had ended."""
        return await self._write(call, state, now, outcome, (met, total, percent))

    async def cancel(self, call: RoleplayCall, state: CallState, now: datetime) -> bool:
        """End a running call as cancelled (no scorecard figures)."""
        return await self._write(call, state, now, CANCELLED, None)

    async def _write(
        self,
        call: RoleplayCall,
        state: CallState,
        now: datetime,
        outcome: str | None,
        figures: tuple[int, int, int] | None,
    ) -> bool:
        met, total, percent = figures if figures is not None else (None, None, None)
        values = {
            "key_user": call.user_id,
            "key_id": call.id,
            "key_turns": len(call.state.turns),
            "state": _dump(state),
            "turns": len(state.turns),
            "outcome": outcome,
            "met": met,
            "total": total,
            "percent": percent,
            "now": now,
            "ended_at": now if outcome is not None else None,
        }
        async with self._engine.begin() as conn:
            result = await conn.execute(_SAVE, values)
        return bool(result.rowcount)

    async def results(self, user_id: int, scenario_id: str, limit: int = RECENT) -> list[Result]:
        """The rep's ended calls of a scenario (cancelled ones left out), newest first."""
        params = {"user_id": user_id, "scenario_id": scenario_id, "limit": limit}
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_BY_SCENARIO, params)).all()
        return [_result(row) for row in rows]

    async def between(self, user_id: int, start: datetime, end: datetime) -> list[Result]:
        """The rep's calls that ended in [start, end) (cancelled ones left out), oldest first:
        e.g. a week's practice for /week and the weekly review."""
        params = {"user_id": user_id, "start": start, "end": end}
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_BETWEEN, params)).all()
        return [_result(row) for row in rows]


# --- Team scenarios ------------------------------------------------------------------------------
