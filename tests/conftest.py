"""Fixtures shared by all test folders: content, settings and a fresh database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SANDBOX_TOKEN, Settings, load_settings
from bot.content import Content, load_content


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta durations, as `main` does, so no deprecation warning fires."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture(scope="session")
def content() -> Content:
    """The real prompts, loaded and validated once."""
    return load_content()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A fresh SQLite file for this test."""
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for tests, independent of the developer's environment and .env file."""
    monkeypatch.chdir(Path(database_url.removeprefix("sqlite+aiosqlite:///")).parent)
    return load_settings(
        telegram_bot_token=SANDBOX_TOKEN,
        database_url=database_url,
        # Scheduler tests run the tick themselves, with `now` passed in.
        checkin_tick_seconds=0,
    )
