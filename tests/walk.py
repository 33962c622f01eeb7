"""Walk every table of the schema for rows that name one user: the proof that nothing is left."""

from __future__ import annotations

from sqlalchemy import BigInteger, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.tables import USER_REF, metadata


def _user_columns(table_name: str) -> list[str]:
    """Every column that could hold a Telegram user id: all BIGINT columns (ids, chat ids,
    creators, editors) and everything marked as a user reference."""
    table = metadata.tables[table_name]
    return [c.name for c in table.c if isinstance(c.type, BigInteger) or c.info.get(USER_REF)]


async def rows_naming(engine: AsyncEngine, user_id: int) -> dict[str, int]:
    """Per table (all of them, in the metadata), how many rows hold `user_id` in a user column;
    tables without such a row are left out."""
    found: dict[str, int] = {}
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = _user_columns(table.name)
            if not columns:
                continue
            query = (
                select(func.count())
                .select_from(table)
                .where(or_(*(table.c[name] == user_id for name in columns)))
            )
            count = int((await conn.execute(query)).scalar_one())
            if count:
                found[table.name] = count
    return found


async def all_rows(engine: AsyncEngine) -> dict[str, int]:
    """Row counts of every table that has rows."""
    found: dict[str, int] = {}
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            count = int((await conn.execute(select(func.count()).select_from(table))).scalar_one())
            if count:
                found[table.name] = count
    return found
