"""What a team lead uploads (the team playbook, the team's practice calls): per language, the
validated YAML source, replaced as a whole by the next upload."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine


def _upsert_statement(table: Table, dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(table)
    return insert.on_conflict_do_update(
        index_elements=[table.c.lang],
        set_={c: insert.excluded[c] for c in ("source", "updated_by", "updated_at")},
    )


class TeamSourceRepository:
    """One kind of team upload (a table with lang, source, updated_by, updated_at)."""

    def __init__(self, engine: AsyncEngine, table: Table) -> None:
        self._engine = engine
        self._all = select(table)
        self._upsert = {name: _upsert_statement(table, name) for name in ("sqlite", "postgresql")}

    async def all(self) -> dict[str, str]:
        """Language → the stored YAML source."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(self._all)).all()
        return {row.lang: row.source for row in rows}

    async def put(self, lang: str, source: str, user_id: int, now: datetime) -> None:
        """Replace a language's upload."""
        values = {"lang": lang, "source": source, "updated_by": user_id, "updated_at": now}
        async with self._engine.begin() as conn:
            await conn.execute(self._upsert[conn.dialect.name], values)
