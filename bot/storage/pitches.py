"""Elevator pitches: every version of a rep's pitch, their rehearsals and when to rehearse next."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final, Literal

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.pitch import RehearsalState
from bot.storage.tables import pitch_rehearsals, pitch_state, pitches

RehearsalKind = Literal["text", "voice"]
MIN_RATING: Final = 1
MAX_RATING: Final = 5


@dataclass(frozen=True, slots=True)
class Pitch:
    """One version of a rep's pitch, as they wrote it, with the score it got."""

    id: int
    user_id: int
    version: int
    lang: str
    text: str
    score: int
    current: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Rehearsal:
    """One rehearsal: from memory (`recall`), spoken (`seconds`, maybe `score` of a transcript),
    and the rep's own rating of a voice note that could not be transcribed."""

    id: int
    user_id: int
    pitch_id: int | None
    kind: str
    recall: int | None
    score: int | None
    seconds: int | None
    self_rating: int | None
    text: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RehearsalPlan:
    """Where a rep stands in spaced repetition, and the day of the next rehearsal (if any)."""

    state: RehearsalState = field(default_factory=RehearsalState)
    due: date | None = None


def _pitch(row: Row[Any]) -> Pitch:
    return Pitch(
        id=row.id,
        user_id=row.user_id,
        version=row.version,
        lang=row.lang,
        text=row.text,
        score=row.score,
        current=bool(row.current),
        created_at=row.created_at,
    )


def _rehearsal(row: Row[Any]) -> Rehearsal:
    return Rehearsal(
        id=row.id,
        user_id=row.user_id,
        pitch_id=row.pitch_id,
        kind=row.kind,
        recall=row.recall,
        score=row.score,
        seconds=row.seconds,
        self_rating=row.self_rating,
        text=row.text,
        created_at=row.created_at,
    )


_VERSIONS = (
    select(pitches).where(pitches.c.user_id == bindparam("user_id")).order_by(pitches.c.version)
)
_GET = select(pitches).where(
    pitches.c.user_id == bindparam("user_id"), pitches.c.id == bindparam("pitch_id")
)
# The flagged version, else the newest: a version is current unless the rep picked another.
_CURRENT = (
    select(pitches)
    .where(pitches.c.user_id == bindparam("user_id"))
    .order_by(pitches.c.current.desc(), pitches.c.version.desc())
    .limit(1)
)
_LAST_VERSION = select(func.max(pitches.c.version)).where(pitches.c.user_id == bindparam("user_id"))
# Update statements may not bind a column's own name ("user_id"): they take "owner".
_UNFLAG = (
    update(pitches)
    .where(pitches.c.user_id == bindparam("owner"), pitches.c.current.is_(True))
    .values(current=False)
)
_FLAG = (
    update(pitches)
    .where(pitches.c.user_id == bindparam("owner"), pitches.c.id == bindparam("pitch_id"))
    .values(current=True)
)
_REHEARSALS = (
    select(pitch_rehearsals)
    .where(pitch_rehearsals.c.user_id == bindparam("user_id"))
    .order_by(pitch_rehearsals.c.id)
)
_GET_REHEARSAL = select(pitch_rehearsals).where(
    pitch_rehearsals.c.user_id == bindparam("user_id"),
    pitch_rehearsals.c.id == bindparam("rehearsal_id"),
)
# A rating counts once: a second tap on the buttons changes nothing.
_RATE = (
    update(pitch_rehearsals)
    .where(
        pitch_rehearsals.c.user_id == bindparam("owner"),
        pitch_rehearsals.c.id == bindparam("rehearsal_id"),
        pitch_rehearsals.c.self_rating.is_(None),
    )
    .values(self_rating=bindparam("rating"))
)
_STATE = select(pitch_state).where(pitch_state.c.user_id == bindparam("user_id"))


def _upsert_state_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(pitch_state)
    return insert.on_conflict_do_update(
        index_elements=[pitch_state.c.user_id],
        set_={c: insert.excluded[c] for c in ("step", "rehearsals", "due", "updated_at")},
    )


_UPSERT_STATE = {name: _upsert_state_statement(name) for name in ("sqlite", "postgresql")}


async def _save_plan(
    conn: AsyncConnection, user_id: int, plan: RehearsalPlan, now: datetime
) -> None:
    values = {
        "user_id": user_id,
        "step": plan.state.step,
        "rehearsals": plan.state.rehearsals,
        "due": plan.due,
        "updated_at": now,
    }
    await conn.execute(_UPSERT_STATE[conn.dialect.name], values)


class PitchRepository:
    """Pitch versions, rehearsals and the rehearsal plan of each rep."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, user_id: int, text: str, score: int, lang: str, now: datetime) -> Pitch:
        """Store a pitch as the rep's next version and make it the current one."""
        async with self._engine.begin() as conn:
            last = (await conn.execute(_LAST_VERSION, {"user_id": user_id})).scalar()
            version = int(last or 0) + 1
            await conn.execute(_UNFLAG, {"owner": user_id})
            result = await conn.execute(
                pitches.insert().values(
                    user_id=user_id,
                    version=version,
                    lang=lang,
                    text=text,
                    score=score,
                    current=True,
                    created_at=now,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
        return Pitch(int(key[0]), user_id, version, lang, text, score, True, now)

    async def versions(self, user_id: int) -> list[Pitch]:
        """Every version of the rep's pitch, oldest first."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_VERSIONS, {"user_id": user_id})).all()
        return [_pitch(row) for row in rows]

    async def get(self, user_id: int, pitch_id: int) -> Pitch | None:
        """One of the rep's versions, or None (unknown, or another rep's)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET, {"user_id": user_id, "pitch_id": pitch_id})).first()
        return _pitch(row) if row else None

    async def current(self, user_id: int) -> Pitch | None:
        """The version the rep rehearses: the one marked current, else the newest; or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_CURRENT, {"user_id": user_id})).first()
        # Reported as current even when nothing is flagged: the newest is current by default.
        return replace(_pitch(row), current=True) if row is not None else None

    async def make_current(self, user_id: int, pitch_id: int) -> Pitch | None:
        """Mark one of the rep's versions as current; None if it is not theirs."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(_GET, {"user_id": user_id, "pitch_id": pitch_id})).first()
            if row is None:
                return None
            await conn.execute(_UNFLAG, {"owner": user_id})
            await conn.execute(_FLAG, {"owner": user_id, "pitch_id": pitch_id})
        return replace(_pitch(row), current=True)

    async def add_rehearsal(
        self,
        user_id: int,
        pitch_id: int | None,
        kind: RehearsalKind,
        now: datetime,
        *,
        recall: int | None = None,
        score: int | None = None,
        seconds: int | None = None,
        text: str | None = None,
        plan: RehearsalPlan | None = None,
    ) -> Rehearsal:
        """Store a rehearsal and, if given, the rep's new rehearsal plan, in one transaction."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                pitch_rehearsals.insert().values(
                    user_id=user_id,
                    pitch_id=pitch_id,
                    kind=kind,
                    recall=recall,
                    score=score,
                    seconds=seconds,
                    text=text,
                    created_at=now,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            if plan is not None:
                await _save_plan(conn, user_id, plan, now)
        return Rehearsal(
            int(key[0]), user_id, pitch_id, kind, recall, score, seconds, None, text, now
        )

    async def rehearsal(self, user_id: int, rehearsal_id: int) -> Rehearsal | None:
        """One of the rep's rehearsals, or None."""
        params = {"user_id": user_id, "rehearsal_id": rehearsal_id}
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_REHEARSAL, params)).first()
        return _rehearsal(row) if row else None

    async def rate(
        self,
        user_id: int,
        rehearsal_id: int,
        rating: int,
        now: datetime,
        plan: RehearsalPlan | None = None,
    ) -> bool:
        """Store the rep's self-rating (1-5) of a rehearsal once, with the new plan if given;
        False if the rehearsal is unknown, another rep's, or rated already."""
        if not MIN_RATING <= rating <= MAX_RATING:
            raise ValueError(f"rating {rating} is outside {MIN_RATING}-{MAX_RATING}")
        params = {"owner": user_id, "rehearsal_id": rehearsal_id, "rating": rating}
        async with self._engine.begin() as conn:
            if not (await conn.execute(_RATE, params)).rowcount:
                return False
            if plan is not None:
                await _save_plan(conn, user_id, plan, now)
        return True

    async def rehearsals(self, user_id: int) -> list[Rehearsal]:
        """Every rehearsal of the rep, oldest first."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_REHEARSALS, {"user_id": user_id})).all()
        return [_rehearsal(row) for row in rows]

    async def plan(self, user_id: int) -> RehearsalPlan:
        """The rep's spaced-repetition state and next rehearsal day (a fresh start if none)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_STATE, {"user_id": user_id})).first()
        if row is None:
            return RehearsalPlan()
        return RehearsalPlan(RehearsalState(step=row.step, rehearsals=row.rehearsals), row.due)

    async def save_plan(self, user_id: int, plan: RehearsalPlan, now: datetime) -> None:
        """Store the rep's spaced-repetition state and next rehearsal day."""
        async with self._engine.begin() as conn:
            await _save_plan(conn, user_id, plan, now)
