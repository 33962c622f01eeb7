"""Migrations: every step up and down works, and head matches the table definitions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, inspect, select
from sqlalchemy.exc import IntegrityError

from bot.coach.profile import Profile
from bot.storage.engine import create_engine
from bot.storage.migrate import current, downgrade, revisions, upgrade
from bot.storage.profiles import profile_values
from bot.storage.tables import flow_states, metadata, users


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


async def test_foreign_keys_are_enforced_and_cascade(database_url: str) -> None:
    """SQLite only checks them with the foreign_keys pragma; PostgreSQL always does."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        flow = {"user_id": 7, "flow": "goals", "step": "rate", "data": "{}", "updated_at": now}
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(flow_states.insert(), flow)
        async with engine.begin() as conn:
            await conn.execute(
                users.insert(),
                {
                    "id": 7,
                    "created_at": now,
                    "updated_at": now,
                    **profile_values(Profile(7, 7, "de", "UTC")),
                },
            )
            await conn.execute(flow_states.insert(), flow)
            await conn.execute(delete(users).where(users.c.id == 7))
            left = (await conn.execute(select(func.count()).select_from(flow_states))).scalar()
        assert left == 0
    finally:
        await engine.dispose()


@pytest.mark.sqlite_only(reason="WAL and the busy timeout are SQLite settings")
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
