"""A rep's data as a whole: export it, erase it, find reps whose data has expired.

Built from the table definitions, not from a list: every table with a `user_id` column, the
rep's row in `users`, and every column marked as a user reference (tables.USER_REF) are
covered, so a new table is exported and erased without touching this module.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Column, Table, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.tables import USER_REF, members, metadata, teams, users

if TYPE_CHECKING:
    from bot.storage.access import AccessRepository
    from bot.storage.repositories import SessionCache

EXPORT_FORMAT: Final = "sales-coach-export"
EXPORT_VERSION: Final = 1
OWNER: Final = "user_id"


def owned_tables() -> list[Table]:
    """Tables whose rows belong to one user (a `user_id` column), parents before children."""
    return [t for t in metadata.sorted_tables if OWNER in t.c]


def user_references() -> list[Column[Any]]:
    """Columns besides `user_id` that name a user (marked with info USER_REF)."""
    return [c for t in metadata.sorted_tables for c in t.c if c.info.get(USER_REF)]


def _references(table: Table, user_id: int) -> Any:
    """The condition "this row belongs to or names the user"."""
    conditions = [c == user_id for c in table.c if c.info.get(USER_REF)]
    if table is users:
        conditions.append(users.c.id == user_id)
    elif OWNER in table.c:
        conditions.append(table.c[OWNER] == user_id)
    return or_(*conditions)


def _tables() -> list[Table]:
    """Every table that can hold something of a user, users first."""
    refs = {c.table.name for c in user_references()}
    rest = [t for t in metadata.sorted_tables if t is not users]
    return [users, *(t for t in rest if OWNER in t.c or t.name in refs)]


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates and times as ISO 8601 text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class UserData:
    """Everything stored about one user: per table its columns and rows."""

    user_id: int
    exported_at: datetime
    columns: Mapping[str, Sequence[str]]
    rows: Mapping[str, Sequence[Mapping[str, Any]]]

    @property
    def count(self) -> int:
        """How many rows in all."""
        return sum(len(rows) for rows in self.rows.values())


class DataRepository:
    """Export and erasure of one user's data, and the retention query."""

    def __init__(
        self, engine: AsyncEngine, sessions: SessionCache, access: AccessRepository
    ) -> None:
        self._engine = engine
        self._sessions = sessions
        self._access = access

    async def export(self, user_id: int, now: datetime) -> UserData:
        """All rows that belong to or name the user, table by table."""
        columns: dict[str, list[str]] = {}
        rows: dict[str, list[dict[str, Any]]] = {}
        async with self._engine.connect() as conn:
            for table in _tables():
                query = select(table).where(_references(table, user_id))
                query = query.order_by(*table.primary_key.columns)
                result = await conn.execute(query)
                columns[table.name] = [c.name for c in table.c]
                rows[table.name] = [
                    {k: _plain(v) for k, v in row._mapping.items()} for row in result.all()
                ]
            # The teams they are in or lead: the export names them, not just their ids.
            ids = {r["team_id"] for name in ("members", "team_leads") for r in rows.get(name, ())}
            ids.discard(None)
            query = select(teams).where(teams.c.id.in_(sorted(ids))).order_by(teams.c.id)
            columns[teams.name] = [c.name for c in teams.c]
            rows[teams.name] = [
                {k: _plain(v) for k, v in row._mapping.items()}
                for row in (await conn.execute(query)).all()
            ]
        return UserData(user_id, now, columns, rows)

    async def stored(self, user_id: int) -> int:
        """How many rows belong to or name the user (0: nothing stored)."""
        total = 0
        async with self._engine.connect() as conn:
            for table in _tables():
                query = select(func.count()).select_from(table).where(_references(table, user_id))
                total += int((await conn.execute(query)).scalar_one())
        return total

    async def erase(self, user_id: int) -> int:
        """Delete every row of the user and clear every reference to them, in one
        transaction; returns how many rows were deleted or cleared."""
        self._sessions.forget(user_id)
        changed = 0
        async with self._engine.begin() as conn:
            # Children before parents, so no foreign key is left dangling on the way.
            for table in reversed(metadata.sorted_tables):
                for column in table.c:
                    if column.info.get(USER_REF):
                        cleared = None if column.nullable else 0
                        result = await conn.execute(
                            update(table).where(column == user_id).values({column.name: cleared})
                        )
                        changed += result.rowcount or 0
                if OWNER in table.c:
                    result = await conn.execute(delete(table).where(table.c[OWNER] == user_id))
                    changed += result.rowcount or 0
            result = await conn.execute(delete(users).where(users.c.id == user_id))
            changed += result.rowcount or 0
        # Nothing of them may answer from memory either.
        self._sessions.forget(user_id)
        self._access.forget(user_id)
        return changed

    async def expired(self, cutoff: datetime) -> list[int]:
        """Users not seen since `cutoff` (without a last-seen mark: since their profile last
        changed, or since they were let in)."""
        seen = func.coalesce(members.c.last_seen_at, users.c.updated_at)
        with_profile = (
            select(users.c.id)
            .select_from(users.outerjoin(members, members.c.user_id == users.c.id))
            .where(seen < cutoff)
        )
        grant_only = select(members.c.user_id).where(
            ~exists().where(users.c.id == members.c.user_id),
            func.coalesce(members.c.last_seen_at, members.c.created_at) < cutoff,
        )
        async with self._engine.connect() as conn:
            found = {row[0] for row in (await conn.execute(with_profile)).all()}
            found |= {row[0] for row in (await conn.execute(grant_only)).all()}
        return sorted(found)


def export_json(data: UserData) -> bytes:
    """The export as one JSON document (format documented in the README)."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": data.exported_at.isoformat(),
        "user_id": data.user_id,
        "tables": data.rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_csv_zip(data: UserData) -> bytes:
    """The export as a zip of CSV files, one per table (UTF-8 with BOM, for spreadsheets)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, columns in data.columns.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(columns)
            for row in data.rows[name]:
                writer.writerow([_csv_cell(row.get(c)) for c in columns])
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
