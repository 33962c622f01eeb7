"""Reply notices: replies that never reached the rep, kept until their next update tells them.

Every update asks `waiting(user_id)` first, so that answer comes from memory: a set of the
users with notices, read at start. With one process (SQLite) it is complete, since every
notice is written here. With several processes on one PostgreSQL database a notice may be
written by another process; `refresh()` re-reads the (normally empty) set, and the app runs it
every few seconds (REFRESH_SECONDS). Taking the notices deletes them in the same statement, so
each is shown exactly once even when two processes try.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Row, and_, bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.coach.activity import METRICS, Counts
from bot.storage.tables import activity_events, reply_notices

# How often each process re-reads who has notices, when several share the database.
REFRESH_SECONDS: Final = 5.0


@dataclass(frozen=True, slots=True)
class Notice:
    """A reply that did not arrive: when the rep's update came (UTC) and what it stored."""

    update_at: datetime
    stored: Counts


_WAITING = select(reply_notices.c.user_id).distinct()
_TAKE = (
    delete(reply_notices)
    .where(reply_notices.c.user_id == bindparam("user_id"))
    .returning(reply_notices.c.update_at, *(reply_notices.c[m] for m in METRICS))
)
_INSERT = reply_notices.insert()
_STORED_SINCE = select(*(func.coalesce(func.sum(activity_events.c[m]), 0) for m in METRICS)).where(
    and_(
        activity_events.c.user_id == bindparam("user_id"),
        activity_events.c.created_at >= bindparam("start"),
        activity_events.c.created_at <= bindparam("end"),
        activity_events.c.undone.is_(False),
    )
)


def _notice(row: Row[Any]) -> Notice:
    return Notice(row.update_at, Counts(*(int(row[i + 1]) for i in range(len(METRICS)))))


class NoticeRepository:
    """Notices per user, with the in-memory set that keeps the per-update check free."""

    def __init__(self, engine: AsyncEngine, *, shared: bool) -> None:
        self._engine = engine
        # Several processes write notices: the set is only as fresh as the last refresh.
        self.shared = shared
        self._waiting: set[int] = set()

    def waiting(self, user_id: int) -> bool:
        """Whether the user (probably) has notices; a memory lookup, no query."""
        return user_id in self._waiting

    async def refresh(self) -> int:
        """Re-read which users have notices; returns how many."""
        async with self._engine.connect() as conn:
            found = {row.user_id for row in await conn.execute(_WAITING)}
        self._waiting = found
        return len(found)

    async def stored_since(self, user_id: int, start: datetime, end: datetime) -> Counts:
        """The activity the user's changes from `start` to `end` added (not undone)."""
        params = {"user_id": user_id, "start": start, "end": end}
        async with self._engine.connect() as conn:
            row = (await conn.execute(_STORED_SINCE, params)).one()
        return Counts(*(int(value) for value in row))

    async def add(self, user_id: int, notice: Notice, now: datetime) -> None:
        """Keep a notice for the user's next update."""
        await self.add_all(user_id, [notice], now)

    async def add_all(self, user_id: int, notices: Sequence[Notice], now: datetime) -> None:
        """Keep several notices (e.g. put back ones that could not be shown)."""
        if not notices:
            return
        rows = [
            {
                "user_id": user_id,
                "update_at": n.update_at,
                **{m: n.stored.get(m) for m in METRICS},
                "created_at": now,
            }
            for n in notices
        ]
        async with self._engine.begin() as conn:
            await conn.execute(_INSERT, rows)
        self._waiting.add(user_id)

    async def take(self, user_id: int) -> list[Notice]:
        """The user's notices, oldest first, deleted as they are read (each is shown once)."""
        self._waiting.discard(user_id)
        async with self._engine.begin() as conn:
            rows = (await conn.execute(_TAKE, {"user_id": user_id})).all()
        return sorted((_notice(row) for row in rows), key=lambda n: n.update_at)
