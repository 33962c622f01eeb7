"""The tap guard: every button that records something counts each tap exactly once.

A tap is one Telegram callback query. Its id (`tap_id`) is the key: a redelivered update (a
restart before the offset was confirmed, a second process) carries the same id and is counted
once. Its `origin` names the button it came from, by `tap_origin(chat_id, message_id, data)`:
the chat, the message and the button's callback data. Two queries from one origin within
DOUBLE_TAP_WINDOW are one double tap and count once; a deliberate later tap counts, and so do
taps on two different buttons or on the same button of two messages. When the message is
edited after a tap, its buttons carry new data (e.g. a version) and so a new origin: a quick
tap on the updated message counts at once.

Callers run `claim_tap` first in their own write transaction (`engine.begin()`), before they
record anything, and record only when it returns True; the tap row and the record then commit
or roll back together, so a failure before the commit loses nothing and a retry counts once.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.tables import taps, users

DOUBLE_TAP_WINDOW: Final = timedelta(seconds=1.5)
# How long a tap is remembered: far longer than Telegram keeps an update for redelivery.
KEEP_TAPS: Final = timedelta(days=1)
# One claim in about this many also prunes the rep's taps older than KEEP_TAPS, which keeps
# the table small at the cost of one DELETE now and then instead of one per tap.
PRUNE_EVERY: Final = 16
ORIGIN_LENGTH: Final = 160


@dataclass(frozen=True, slots=True)
class Tap:
    """One tap to claim: the callback query id, the button it came from, its double-tap window."""

    tap_id: str
    origin: str
    window: timedelta = DOUBLE_TAP_WINDOW


def tap_origin(chat_id: int | None, message_id: int | None, data: str) -> str:
    """The button a tap came from: chat, message and callback data (at most 160 characters)."""
    return f"{chat_id or 0}:{message_id or 0}:{data}"[:ORIGIN_LENGTH]


def _insert_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(taps).on_conflict_do_nothing(
        index_elements=[taps.c.user_id, taps.c.tap_id]
    )


_INSERT = {name: _insert_statement(name) for name in ("sqlite", "postgresql")}
# FOR NO KEY UPDATE, not FOR UPDATE: the tap row's foreign key already holds a KEY SHARE lock
# on the user's row, and two transactions each upgrading that to FOR UPDATE would deadlock.
_LOCK_USER = (
    select(users.c.id).where(users.c.id == bindparam("user_id")).with_for_update(key_share=True)
)
_COUNTED_BEFORE = (
    select(taps.c.tap_id)
    .where(
        taps.c.user_id == bindparam("user_id"),
        taps.c.origin == bindparam("origin"),
        taps.c.counted.is_(True),
        taps.c.tap_id != bindparam("tap_id"),
        taps.c.created_at > bindparam("since"),
    )
    .limit(1)
)
_NOT_COUNTED = (
    update(taps)
    .where(taps.c.user_id == bindparam("key_user"), taps.c.tap_id == bindparam("key_tap"))
    .values(counted=False)
)
_PRUNE = delete(taps).where(
    taps.c.user_id == bindparam("user_id"), taps.c.created_at < bindparam("cutoff")
)


async def claim_tap(
    conn: AsyncConnection,
    *,
    user_id: int,
    tap_id: str,
    origin: str,
    now: datetime,
    window: timedelta = DOUBLE_TAP_WINDOW,
) -> bool:
    """Record a tap in the caller's transaction; True when the caller should act on it."""
    origin = origin[:ORIGIN_LENGTH]
    # The INSERT comes first: on SQLite it takes the write lock, so a second tap waits until
    # this transaction ends and then sees it; a redelivered tap id inserts nothing.
    values = {
        "user_id": user_id,
        "tap_id": tap_id,
        "origin": origin,
        "counted": True,
        "created_at": now,
    }
    inserted = await conn.execute(_INSERT[conn.dialect.name], values)
    if inserted.rowcount == 0:
        return False
    if conn.dialect.name == "postgresql":
        # READ COMMITTED: two taps of one rep take turns here, and the statement after the lock
        # sees whatever the other one committed.
        await conn.execute(_LOCK_USER, {"user_id": user_id})
    params = {"user_id": user_id, "origin": origin, "tap_id": tap_id, "since": now - window}
    if (await conn.execute(_COUNTED_BEFORE, params)).first() is not None:
        await conn.execute(_NOT_COUNTED, {"key_user": user_id, "key_tap": tap_id})
        return False
    if zlib.crc32(tap_id.encode()) % PRUNE_EVERY == 0:
        await conn.execute(_PRUNE, {"user_id": user_id, "cutoff": now - KEEP_TAPS})
    return True
