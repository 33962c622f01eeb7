"""Migrations: every step up and down works, and head matches the table definitions."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage.engine import create_engine
from bot.storage.migrate import current, downgrade, revisions, upgrade
from bot.storage.tables import metadata


async def test_stairway_up_and_down(database_url: str) -> None:
    """Each revision upgrades, downgrades and upgrades again cleanly."""
    engine = create_engine(database_url)
    try:
        revs = revisions()
        assert revs, "no migrations found"
        previous = "base"
        for rev in revs:
            await upgrade(engine, rev)
            assert await current(engine) == rev
            await downgrade(engine, previous)
            assert await current(engine) == (None if previous == "base" else previous)
            await upgrade(engine, rev)
            previous = rev
        await downgrade(engine, "base")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert set(tables) <= {"alembic_version"}
    finally:
        await engine.dispose()


async def test_head_matches_the_table_definitions(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), metadata)
            )
        assert diff == []
    finally:
        await engine.dispose()


async def test_sqlite_pragmas(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (mode, fks, busy) == ("wal", 1, 5000)
    finally:
        await engine.dispose()
