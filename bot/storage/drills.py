"""Practice results per rep and objection, and the teams' own playbooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.tables import drill_stats


@dataclass(frozen=True, slots=True)
class DrillStat:
    """How well a rep handles one objection, and when it is due again."""

    entry_id: str
    mastery: float
    due: date
    last_score: int
    attempts: int


_ALL = select(drill_stats).where(drill_stats.c.user_id == bindparam("user_id"))


def _upsert_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(drill_stats)
    columns = ("mastery", "due", "last_score", "updated_at")
    return insert.on_conflict_do_update(
        index_elements=[drill_stats.c.user_id, drill_stats.c.entry_id],
        set_={
            **{c: insert.excluded[c] for c in columns},
            "attempts": drill_stats.c.attempts + 1,
        },
    )


_UPSERT = {name: _upsert_statement(name) for name in ("sqlite", "postgresql")}


class DrillRepository:
    """Mastery and review dates of practised objections."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def stats(self, user_id: int) -> dict[str, DrillStat]:
        """Every objection the rep has practised, by entry id."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_ALL, {"user_id": user_id})).all()
        return {
            r.entry_id: DrillStat(r.entry_id, r.mastery, r.due, r.last_score, r.attempts)
            for r in rows
        }

    async def record(
        self, user_id: int, entry_id: str, mastery: float, due: date, score: int, now: datetime
    ) -> None:
        """Store the outcome of one practice answer."""
        values = {
            "user_id": user_id,
            "entry_id": entry_id,
            "mastery": mastery,
            "due": due,
            "last_score": score,
            "attempts": 1,
            "updated_at": now,
        }
        async with self._engine.begin() as conn:
            await conn.execute(_UPSERT[conn.dialect.name], values)
