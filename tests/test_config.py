"""Settings: defaults, parsing, and one clear sentence for every bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import SANDBOX_TOKEN, SettingsError, load_settings

GOOD_TOKEN = "123456:ABCdefGhIJKlmnoPQRstuvWXyz0123456789"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No variables or .env of the developer's machine leak in."""
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "TELEGRAM_API_FILE_URL",
        "DATABASE_URL",
        "DEFAULT_LANGUAGE",
        "DEFAULT_TIMEZONE",
        "ADMIN_IDS",
        "LOG_LEVEL",
        "ACCESS_MODE",
        "ALLOWED_USER_IDS",
        "PRIVACY_CONTACT",
        "RETENTION_DAYS",
        "LLM_BASE_URL",
        "LLM_MODEL",
        "LLM_API_KEY",
        "LLM_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    s = load_settings()
    assert s.telegram_bot_token.get_secret_value() == GOOD_TOKEN
    assert GOOD_TOKEN not in repr(s)
    assert s.database_url == "sqlite+aiosqlite:///data/sales-coach.db"
    assert s.default_language == "de"
    assert s.default_timezone == "Europe/Berlin"
    assert s.admin_ids == ()
    assert s.log_level == "INFO"
    assert s.telegram_api_base_url is None


def test_values_from_env_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={GOOD_TOKEN}\nADMIN_IDS=123, 456\nDEFAULT_LANGUAGE=EN\n"
    )
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5432/coach")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://localhost:8081/bot")
    s = load_settings()
    assert s.admin_ids == (123, 456)
    assert s.default_language == "en"
    assert s.log_level == "DEBUG"
    assert s.database_url == "postgresql+asyncpg://u:p@db:5432/coach"
    assert str(s.telegram_api_base_url) == "http://localhost:8081/bot"


def test_plain_sqlite_url_gets_the_async_driver() -> None:
    s = load_settings(telegram_bot_token=SANDBOX_TOKEN, database_url="sqlite:///x.db")
    assert s.database_url == "sqlite+aiosqlite:///x.db"
    assert s.sqlite_path == Path("x.db")


@pytest.mark.parametrize(
    ("env", "variable", "problem"),
    [
        ({}, "TELEGRAM_BOT_TOKEN", "missing"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN", "token"),
        ({"TELEGRAM_BOT_TOKEN": "123:short"}, "TELEGRAM_BOT_TOKEN", "token"),
        (
            {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "DEFAULT_TIMEZONE": "Mars/Olympus"},
            "DEFAULT_TIMEZONE",
            "timezone",
        ),
        ({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL", "url"),
        ({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "DATABASE_URL": "::::"}, "DATABASE_URL", "url"),
        (
            {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "TELEGRAM_API_BASE_URL": "localhost"},
            "TELEGRAM_API_BASE_URL",
            "url",
        ),
        ({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "ADMIN_IDS": "12,abc"}, "ADMIN_IDS", "invalid"),
        (
            {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "DEFAULT_LANGUAGE": "fr"},
            "DEFAULT_LANGUAGE",
            "invalid",
        ),
    ],
)
def test_bad_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str, problem: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert info.value.variable == variable
    assert info.value.problem == problem


@pytest.mark.parametrize("lang", ["de", "en"])
def test_cli_prints_one_sentence_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    monkeypatch.setenv("DEFAULT_LANGUAGE", lang)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "nonsense")
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1
    assert err.startswith("TELEGRAM_BOT_TOKEN")
    assert "nonsense" not in err


def test_cli_db_upgrade_and_check_content(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    assert main(["db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert (tmp_path / "cli.db").exists()
    assert main(["check-content"]) == 0
    assert "keys in de, en" in capsys.readouterr().out


def test_access_defaults_and_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    s = load_settings()
    assert (s.access_mode, s.allowed_user_ids, s.privacy_contact, s.retention_days) == (
        "invite",
        (),
        "",
        365,
    )
    monkeypatch.setenv("ACCESS_MODE", " Allowlist ")
    monkeypatch.setenv("ALLOWED_USER_IDS", "11, 22;33")
    monkeypatch.setenv("RETENTION_DAYS", "0")
    s = load_settings()
    assert s.access_mode == "allowlist"
    assert s.allowed_user_ids == (11, 22, 33)
    assert s.retention_days == 0


@pytest.mark.parametrize(
    ("env", "variable", "problem"),
    [
        ({"ACCESS_MODE": "everyone"}, "ACCESS_MODE", "invalid"),
        ({"ACCESS_MODE": "allowlist"}, "ALLOWED_USER_IDS", "allowlist_empty"),
        ({"ALLOWED_USER_IDS": "12,abc"}, "ALLOWED_USER_IDS", "invalid"),
        ({"RETENTION_DAYS": "-1"}, "RETENTION_DAYS", "invalid"),
    ],
)
def test_bad_access_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str, problem: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert (caught.value.variable, caught.value.problem) == (variable, problem)


def test_an_allowlist_with_only_admins_is_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("ACCESS_MODE", "allowlist")
    monkeypatch.setenv("ADMIN_IDS", "5")
    assert load_settings().allowed_user_ids == ()


def test_llm_defaults_and_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    s = load_settings()
    assert (s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_timeout) == (None, None, None, 8.0)
    monkeypatch.setenv("LLM_BASE_URL", "https://api.openai.com/v1")
    monkeypatch.setenv("LLM_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("LLM_API_KEY", "sk-secret-key-1234")
    monkeypatch.setenv("LLM_TIMEOUT", "5")
    s = load_settings()
    assert str(s.llm_base_url) == "https://api.openai.com/v1"
    assert (s.llm_model, s.llm_timeout) == ("gpt-4o-mini", 5.0)
    assert s.llm_api_key is not None
    assert s.llm_api_key.get_secret_value() == "sk-secret-key-1234"
    assert "sk-secret-key-1234" not in repr(s)
    # LLM_BASE_URL= in a .env means "no model", like STT_BASE_URL=.
    monkeypatch.setenv("LLM_BASE_URL", "")
    monkeypatch.setenv("LLM_API_KEY", "")
    s = load_settings()
    assert (s.llm_base_url, s.llm_api_key) == (None, None)


@pytest.mark.parametrize(
    ("env", "variable", "problem"),
    [
        ({"LLM_BASE_URL": "http://ollama:11434/v1"}, "LLM_MODEL", "llm_model_missing"),
        (
            {"LLM_BASE_URL": "http://ollama:11434/v1", "LLM_MODEL": "  "},
            "LLM_MODEL",
            "llm_model_missing",
        ),
        ({"LLM_BASE_URL": "not a url", "LLM_MODEL": "m"}, "LLM_BASE_URL", "url"),
        ({"LLM_BASE_URL": "ftp://host/v1", "LLM_MODEL": "m"}, "LLM_BASE_URL", "url"),
        ({"LLM_TIMEOUT": "0"}, "LLM_TIMEOUT", "invalid"),
        ({"LLM_TIMEOUT": "soon"}, "LLM_TIMEOUT", "invalid"),
        ({"LLM_TIMEOUT": "600"}, "LLM_TIMEOUT", "invalid"),
        ({"LLM_MODEL": "x" * 201}, "LLM_MODEL", "invalid"),
    ],
)
def test_bad_llm_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str, problem: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert (caught.value.variable, caught.value.problem) == (variable, problem)


@pytest.mark.parametrize(("lang", "word"), [("de", "Pflicht"), ("en", "required")])
def test_cli_says_the_model_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, word: str
) -> None:
    monkeypatch.setenv("DEFAULT_LANGUAGE", lang)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("LLM_BASE_URL", "http://localhost:11434/v1")
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("LLM_MODEL")
    assert "LLM_BASE_URL" in err
    assert word in err
