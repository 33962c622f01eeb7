"""Fixtures shared by all test folders: content, settings and a fresh database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.config import SANDBOX_TOKEN, Settings, load_settings
from bot.content import Content, load_content


def postgres_server() -> URL | None:
    """The PostgreSQL server TEST_DATABASE_URL names (postgresql://user@host:port/postgres),
    with the asyncpg driver; None: the tests use SQLite files."""
    value = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not value:
        return None
    url = make_url(value)
    if not url.drivername.startswith("postgres"):
        raise pytest.UsageError(f"TEST_DATABASE_URL must be a PostgreSQL URL, not {url!r}")
    return url.set(drivername="postgresql+asyncpg")


def pytest_report_header() -> str:
    """Say which database the run uses, so a log shows it."""
    server = postgres_server()
    return (
        f"database: {server!r}"
        if server
        else "database: SQLite (set TEST_DATABASE_URL for PostgreSQL)"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test is about SQLite and has no PostgreSQL meaning"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, skip the few tests marked sqlite_only, with their reason."""
    if postgres_server() is None:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta durations, as `main` does, so no deprecation warning fires."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture(scope="session")
def content() -> Content:
    """The real prompts, loaded and validated once."""
    return load_content()


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database for this test: an SQLite file, or with TEST_DATABASE_URL a new
    database on that PostgreSQL server, dropped after the test."""
    server = postgres_server()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            # FORCE ends connections a test (or a killed bot process) left behind.
            async with admin.connect() as conn:
                await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for tests, independent of the developer's environment and .env file."""
    monkeypatch.chdir(tmp_path)
    return load_settings(
        telegram_bot_token=SANDBOX_TOKEN,
        database_url=database_url,
        # Scheduler tests run the tick themselves, with `now` passed in.
        checkin_tick_seconds=0,
        # Everybody may use the bot; the access tests switch to invite or allowlist themselves.
        access_mode="open",
    )
