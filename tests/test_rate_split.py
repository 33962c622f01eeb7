"""Several bot processes on one token share Telegram's rate limit (BOT_PROCESSES)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SANDBOX_TOKEN, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No rate settings or .env of the developer's machine leak in."""
    for name in ("BOT_PROCESSES", "RATE_LIMIT_PER_SECOND", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("overall", "processes", "each"),
    [(30.0, 1, 30.0), (30.0, 2, 15.0), (30.0, 3, 10.0), (20.0, 4, 5.0), (0.0, 3, 0.0)],
)
def test_each_process_gets_its_share(overall: float, processes: int, each: float) -> None:
    settings = load_settings(
        telegram_bot_token=SANDBOX_TOKEN,
        rate_limit_per_second=overall,
        bot_processes=processes,
    )
    assert settings.rate_per_process == pytest.approx(each)
    # Together they never exceed the overall rate; 0 stays "no limiter" in every process.
    assert settings.rate_per_process * processes == pytest.approx(overall)


def test_one_process_by_default_and_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SANDBOX_TOKEN)
    assert load_settings().bot_processes == 1
    monkeypatch.setenv("BOT_PROCESSES", "2")
    monkeypatch.setenv("RATE_LIMIT_PER_SECOND", "30")
    assert load_settings().rate_per_process == pytest.approx(15.0)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_bad_process_count_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SANDBOX_TOKEN)
    monkeypatch.setenv("BOT_PROCESSES", value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert info.value.variable == "BOT_PROCESSES"
