"""Storage: SQLAlchemy Core over aiosqlite (default) or asyncpg, with Alembic migrations."""

from __future__ import annotations

from bot.storage.engine import create_engine
from bot.storage.migrate import upgrade
from bot.storage.repositories import FlowRepository, FlowState, Storage, UserRepository

__all__ = ["FlowRepository", "FlowState", "Storage", "UserRepository", "open_storage"]


async def open_storage(database_url: str, *, migrate: bool = True) -> Storage:
    """Create the engine, bring the schema up to date and return the repositories."""
    engine = create_engine(database_url)
    if migrate:
        try:
            await upgrade(engine)
        except BaseException:
            await engine.dispose()
            raise
    # SQLite serves one bot process; PostgreSQL may be shared by several.
    return Storage(engine, cache_sessions=engine.dialect.name == "sqlite")
