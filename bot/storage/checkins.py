"""What the check-in scheduler needs: who to ask, pauses, claimed deliveries and due items."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final, TypeVar

from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.coach.calendar import Pause
from bot.coach.profile import Profile
from bot.storage.profiles import profile_from_row
from bot.storage.tables import (
    activity_days,
    deliveries,
    drill_stats,
    due_items,
    followups,
    pauses,
    targets,
    users,
)

# Rows per statement: well below SQLite's limit of bound parameters.
CHUNK: Final = 500
# How far back the morning ping looks for the streak.
STREAK_DAYS: Final = 92
CLAIMED: Final = "claimed"
SENT: Final = "sent"
SKIPPED: Final = "skipped"
FAILED: Final = "failed"


@dataclass(frozen=True, slots=True)
class DeliveryKey:
    """A scheduled message's identity: it goes out at most once per key."""

    user_id: int
    kind: str
    ref: str
    local_date: date


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery this process claimed and must now send (or record as skipped)."""

    id: int
    key: DeliveryKey
    attempts: int


@dataclass(frozen=True, slots=True)
class MorningFacts:
    """What a morning ping says about one rep, loaded for many reps at once."""

    targets: Mapping[str, int] | None = None
    yesterday: Mapping[str, int] | None = None
    drill_due: bool = False
    # When open pitch rehearsals fall due (UTC): the ping mentions one due today.
    pitch_due_at: tuple[datetime, ...] = ()
    # Planned follow-ups due today or overdue.
    followups_due: int = 0
    # Recent days: dials and that day's dial target (0: the target then in force), for the streak.
    dials: Mapping[date, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DueItem:
    """A reminder another feature stored: sent at `due_at`, with what it needs to render."""

    id: int
    user_id: int
    kind: str
    ref: str
    due_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)


_T = TypeVar("_T")


def _chunks(items: Sequence[_T]) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _claim_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (
        dialect.insert(deliveries)
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "ref", "local_date"])
        .returning(
            deliveries.c.id,
            deliveries.c.user_id,
            deliveries.c.kind,
            deliveries.c.ref,
            deliveries.c.local_date,
        )
    )


_CLAIM = {name: _claim_statement(name) for name in ("sqlite", "postgresql")}
_CONFIRM = (
    update(deliveries)
    .where(deliveries.c.id == bindparam("delivery_id"))
    .values(
        status=bindparam("new_status"),
        message_id=bindparam("sent_message"),
        note=bindparam("picked"),
        sent_at=bindparam("at"),
    )
)
_RECLAIM = (
    update(deliveries)
    .where(
        deliveries.c.id == bindparam("delivery_id"),
        deliveries.c.status == CLAIMED,
        deliveries.c.claimed_at == bindparam("old_claimed_at"),
    )
    .values(claimed_at=bindparam("new_claimed_at"), attempts=deliveries.c.attempts + 1)
)
# Several processes on PostgreSQL (READ COMMITTED): a second UPDATE of a row another open
# transaction changed waits for it, then re-checks its WHERE on the committed row. So when two
# processes reclaim (or renew) the same claim, exactly one matches claimed_at = old and gets
# rowcount 1 / the row RETURNED; the other sees the new claimed_at and gets 0 (asyncpg reports
# the row count from the "UPDATE n" command tag). SQLite serialises writers anyway.
_RENEW = (
    update(deliveries)
    .where(
        deliveries.c.id.in_(bindparam("ids", expanding=True)),
        deliveries.c.status == CLAIMED,
        deliveries.c.claimed_at == bindparam("old_claimed_at"),
    )
    .values(claimed_at=bindparam("new_claimed_at"))
    .returning(deliveries.c.id)
)
_ACTIVE = select(users).where(users.c.active.is_(True), users.c.onboarded.is_(True))


def _upsert_due_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(due_items)
    return insert.on_conflict_do_update(
        index_elements=["user_id", "kind", "ref"],
        set_={
            "due_at": insert.excluded.due_at,
            "payload": insert.excluded.payload,
            "done_at": None,
        },
    )


_UPSERT_DUE = {name: _upsert_due_statement(name) for name in ("sqlite", "postgresql")}


class CheckinRepository:
    """Reps to check in with, their pauses, deliveries and due items."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def active_profiles(self) -> list[Profile]:
        """Every onboarded rep who has not blocked the bot."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_ACTIVE)).all()
        return [profile_from_row(row) for row in rows]

    async def pauses(self, user_ids: Sequence[int], since: date) -> dict[int, tuple[Pause, ...]]:
        """The pauses of these reps that end on or after `since`."""
        found: dict[int, list[Pause]] = {}
        async with self._engine.connect() as conn:
            for chunk in _chunks(user_ids):
                query = select(pauses).where(
                    pauses.c.user_id.in_(chunk), pauses.c.last_day >= since
                )
                for row in (await conn.execute(query)).all():
                    found.setdefault(row.user_id, []).append(Pause(row.first_day, row.last_day))
        return {user_id: tuple(items) for user_id, items in found.items()}

    async def add_pause(self, user_id: int, first: date, last: date, now: datetime) -> None:
        """Pause a rep's check-ins from `first` to `last`, both included."""
        async with self._engine.begin() as conn:
            await conn.execute(
                pauses.insert().values(
                    user_id=user_id, first_day=first, last_day=last, created_at=now
                )
            )

    async def end_pauses(self, user_id: int, today: date) -> bool:
        """End every pause from `today` on (resume); True if one was in force or planned."""
        async with self._engine.begin() as conn:
            future = await conn.execute(
                delete(pauses).where(pauses.c.user_id == user_id, pauses.c.first_day >= today)
            )
            current = await conn.execute(
                update(pauses)
                .where(pauses.c.user_id == user_id, pauses.c.last_day >= today)
                .values(last_day=today - timedelta(days=1))
            )
        return bool(future.rowcount or current.rowcount)

    async def claim(
        self, keys: Sequence[DeliveryKey], now: datetime, status: str = CLAIMED
    ) -> list[Claim]:
        """Insert deliveries for the keys nobody claimed yet; returns the ones inserted here."""
        claims: list[Claim] = []
        if not keys:
            return claims
        async with self._engine.begin() as conn:
            statement = _CLAIM[conn.dialect.name]
            for chunk in _chunks(keys):
                rows = [
                    {
                        "user_id": k.user_id,
                        "kind": k.kind,
                        "ref": k.ref,
                        "local_date": k.local_date,
                        "status": status,
                        "attempts": 1 if status == CLAIMED else 0,
                        "claimed_at": now,
                    }
                    for k in chunk
                ]
                # One multi-row statement per chunk; RETURNING lists only the rows inserted.
                result = await conn.execute(statement.values(rows))
                claims.extend(
                    Claim(r.id, DeliveryKey(r.user_id, r.kind, r.ref, r.local_date), 1)
                    for r in result.all()
                )
        return claims

    async def finish(
        self, outcomes: Sequence[tuple[int, str, int | None, str | None]], now: datetime
    ) -> None:
        """Record (delivery id, status, message id, note) for sent or failed deliveries."""
        if not outcomes:
            return
        async with self._engine.begin() as conn:
            await conn.execute(
                _CONFIRM,
                [
                    {
                        "delivery_id": delivery_id,
                        "new_status": status,
                        "sent_message": message_id,
                        "picked": note,
                        "at": now,
                    }
                    for delivery_id, status, message_id, note in outcomes
                ],
            )

    async def reclaim_expired(self, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
        """Take over claims that were never confirmed within the lease (the sender died)."""
        query = (
            select(deliveries)
            .where(deliveries.c.status == CLAIMED, deliveries.c.claimed_at < now - lease)
            # Rows are locked in one order (id breaks ties) so that two processes reclaiming
            # overlapping rows in one transaction each wait rather than deadlock.
            .order_by(deliveries.c.claimed_at, deliveries.c.id)
            .limit(limit)
        )
        taken: list[Claim] = []
        async with self._engine.begin() as conn:
            for row in (await conn.execute(query)).all():
                # Only the process whose update matches the old claim time gets the row.
                result = await conn.execute(
                    _RECLAIM,
                    {
                        "delivery_id": row.id,
                        "old_claimed_at": row.claimed_at,
                        "new_claimed_at": now,
                    },
                )
                if result.rowcount:
                    key = DeliveryKey(row.user_id, row.kind, row.ref, row.local_date)
                    taken.append(Claim(row.id, key, row.attempts + 1))
        return taken

    async def release(self, ids: Sequence[int]) -> None:
        """Give back claims that were never sent, so their keys can be claimed again later."""
        if not ids:
            return
        async with self._engine.begin() as conn:
            for chunk in _chunks(sorted(ids)):
                await conn.execute(
                    delete(deliveries).where(
                        deliveries.c.id.in_(chunk), deliveries.c.status == CLAIMED
                    )
                )

    async def renew(self, ids: Sequence[int], old: datetime, new: datetime) -> set[int]:
        """Extend the lease of claims still ours (claimed at `old`); returns the ids kept."""
        kept: set[int] = set()
        if not ids:
            return kept
        async with self._engine.begin() as conn:
            for chunk in _chunks(sorted(ids)):
                params = {"ids": list(chunk), "old_claimed_at": old, "new_claimed_at": new}
                kept.update(int(r.id) for r in await conn.execute(_RENEW, params))
        return kept

    async def morning_facts(
        self, days: Mapping[int, tuple[date | None, date]]
    ) -> dict[int, MorningFacts]:
        """Targets, yesterday and what is due for many reps at once (see `morning_facts`)."""
        return await morning_facts(self._engine, days)

    async def recent_notes(
        self, user_ids: Sequence[int], kind: str, since: date
    ) -> dict[int, dict[str, date]]:
        """Per rep, the notes of their deliveries of one kind since a date, with the last date."""
        found: dict[int, dict[str, date]] = {}
        async with self._engine.connect() as conn:
            for chunk in _chunks(user_ids):
                query = select(
                    deliveries.c.user_id, deliveries.c.note, deliveries.c.local_date
                ).where(
                    deliveries.c.user_id.in_(chunk),
                    deliveries.c.kind == kind,
                    deliveries.c.local_date >= since,
                    deliveries.c.note.is_not(None),
                )
                for row in (await conn.execute(query)).all():
                    notes = found.setdefault(row.user_id, {})
                    if row.note not in notes or notes[row.note] < row.local_date:
                        notes[row.note] = row.local_date
        return found

    async def deliveries_of(self, user_id: int) -> list[tuple[DeliveryKey, str]]:
        """Every delivery of a rep with its status, oldest first."""
        query = select(deliveries).where(deliveries.c.user_id == user_id).order_by(deliveries.c.id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(DeliveryKey(r.user_id, r.kind, r.ref, r.local_date), r.status) for r in rows]

    async def put_due(
        self,
        user_id: int,
        kind: str,
        ref: str,
        due_at: datetime,
        now: datetime,
        payload: Mapping[str, Any] | None = None,
    ) -> None:
        """Store (or move) the open reminder for one reference."""
        values = {
            "user_id": user_id,
            "kind": kind,
            "ref": ref,
            "due_at": due_at,
            "payload": json.dumps(dict(payload or {}), ensure_ascii=False),
            "created_at": now,
            "done_at": None,
        }
        async with self._engine.begin() as conn:
            await conn.execute(_UPSERT_DUE[conn.dialect.name], values)

    async def due_items(self, now: datetime, limit: int) -> list[DueItem]:
        """Open reminders whose time has come, of active reps, earliest first."""
        query = (
            select(due_items)
            .join(users, users.c.id == due_items.c.user_id)
            .where(
                due_items.c.done_at.is_(None),
                due_items.c.due_at <= now,
                users.c.active.is_(True),
            )
            .order_by(due_items.c.due_at)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_due_item(row) for row in rows]

    async def open_items(self, user_id: int, kind: str | None = None) -> list[DueItem]:
        """A rep's open reminders (of one kind), earliest first."""
        conditions = [due_items.c.user_id == user_id, due_items.c.done_at.is_(None)]
        if kind is not None:
            conditions.append(due_items.c.kind == kind)
        query = select(due_items).where(and_(*conditions)).order_by(due_items.c.due_at)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_due_item(row) for row in rows]

    async def close_item(self, item_id: int, due_at: datetime, now: datetime) -> bool:
        """Mark one sent reminder as dealt with, unless it was moved meanwhile; True if closed.

        The guard on due_at keeps a reminder the rep moved (put_due) while this one was being
        sent open for its new time, whichever process sent the old one.
        """
        query = (
            update(due_items)
            .where(
                due_items.c.id == item_id,
                due_items.c.due_at == due_at,
                due_items.c.done_at.is_(None),
            )
            .values(done_at=now)
        )
        async with self._engine.begin() as conn:
            return bool((await conn.execute(query)).rowcount)

    async def close_items(self, ids: Sequence[int], now: datetime) -> None:
        """Mark reminders as dealt with."""
        if not ids:
            return
        async with self._engine.begin() as conn:
            for chunk in _chunks(ids):
                await conn.execute(
                    update(due_items).where(due_items.c.id.in_(chunk)).values(done_at=now)
                )


_METRICS: Final = ("dials", "conversations", "appointments", "contacts")


async def morning_facts(
    engine: AsyncEngine, days: Mapping[int, tuple[date | None, date]]
) -> dict[int, MorningFacts]:
    """Per rep (id → (previous working day, today)): targets, yesterday, drills, pitch and
    follow-ups due.

    Four queries per 500 reps instead of four per rep: a fan-out of thousands stays fast.
    """
    found: dict[int, dict[str, Any]] = {user_id: {} for user_id in days}
    ids = list(days)
    async with engine.connect() as conn:
        for chunk in _chunks(ids):
            for row in await conn.execute(select(targets).where(targets.c.user_id.in_(chunk))):
                found[row.user_id]["targets"] = {m: getattr(row, m) for m in _METRICS}
            wanted = {days[i][0] for i in chunk if days[i][0] is not None}
            if wanted:
                query = select(activity_days).where(
                    activity_days.c.user_id.in_(chunk), activity_days.c.day.in_(wanted)
                )
                for row in await conn.execute(query):
                    if row.day == days[row.user_id][0]:
                        found[row.user_id]["yesterday"] = {m: getattr(row, m) for m in _METRICS}
            earliest = min(days[i][1] for i in chunk) - timedelta(days=STREAK_DAYS)
            query = select(
                activity_days.c.user_id,
                activity_days.c.day,
                activity_days.c.dials,
                activity_days.c.target_dials,
            ).where(activity_days.c.user_id.in_(chunk), activity_days.c.day >= earliest)
            for row in await conn.execute(query):
                found[row.user_id].setdefault("dials", {})[row.day] = (
                    row.dials,
                    row.target_dials,
                )
            latest = max(days[i][1] for i in chunk)
            query = select(drill_stats.c.user_id, drill_stats.c.due).where(
                drill_stats.c.user_id.in_(chunk), drill_stats.c.due <= latest
            )
            for row in await conn.execute(query):
                if row.due <= days[row.user_id][1]:
                    found[row.user_id]["drill_due"] = True
            query = select(due_items.c.user_id, due_items.c.due_at).where(
                due_items.c.user_id.in_(chunk),
                due_items.c.kind == "pitch",
                due_items.c.done_at.is_(None),
            )
            for row in await conn.execute(query):
                entry = found[row.user_id]
                entry["pitch_due_at"] = (*entry.get("pitch_due_at", ()), row.due_at)
            query = select(followups.c.user_id, followups.c.due).where(
                followups.c.user_id.in_(chunk),
                followups.c.status == "open",
                followups.c.due <= latest,
            )
            for row in await conn.execute(query):
                if row.due <= days[row.user_id][1]:
                    entry = found[row.user_id]
                    entry["followups_due"] = entry.get("followups_due", 0) + 1
    return {user_id: MorningFacts(**facts) for user_id, facts in found.items()}


def _due_item(row: Any) -> DueItem:
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = {}
    return DueItem(
        row.id,
        row.user_id,
        row.kind,
        row.ref,
        row.due_at,
        payload if isinstance(payload, dict) else {},
    )
