"""Settings: read once from the environment (and an optional .env) in `main`, then passed down."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.coach.access import AccessMode

# Telegram tokens are "<bot id>:<35 url-safe characters>"; accept a little slack in the length.
TOKEN_PATTERN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")
# Telegram's secret_token for webhooks: 1-256 characters of A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_PATH_PATTERN = re.compile(r"^/[A-Za-z0-9_\-./~]*$")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/sales-coach.db"
# The demo and the tests never reach Telegram, so a well-formed dummy token is enough.
SANDBOX_TOKEN = "123456789:sandbox-token-for-local-use-only-0000"

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def normalize_database_url(value: str) -> str:
    """A database URL with our async driver (sqlite:// → sqlite+aiosqlite://, postgresql:// →
    postgresql+asyncpg://); ValueError("url") for anything else (DATABASE_URL, `db copy`)."""
    try:
        url = make_url(value.strip())
    except ArgumentError as exc:
        raise ValueError("url") from exc
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise ValueError("url")
    return url.set(drivername=driver).render_as_string(hide_password=False)


class SettingsError(Exception):
    """Start-up settings are missing or malformed; `variable` names the offending one."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class Settings(BaseSettings):
    """Everything the operator can configure, one environment variable per field."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Telegram
    telegram_bot_token: SecretStr
    telegram_api_base_url: AnyHttpUrl | None = None
    telegram_api_file_url: AnyHttpUrl | None = None

    # Storage
    database_url: str = DEFAULT_DATABASE_URL

    # Users and defaults
    default_language: Literal["de", "en"] = "de"
    default_timezone: str = "Europe/Berlin"
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()

    # Access and privacy
    # open: anyone; invite: through an admin's invite link; allowlist: ALLOWED_USER_IDS only.
    # Admins (ADMIN_IDS) are always let in.
    access_mode: AccessMode = "invite"
    allowed_user_ids: Annotated[tuple[int, ...], NoDecode] = ()
    # Who reps contact about their data (shown by /privacy): a mail address, a name, a link.
    privacy_contact: str = Field(default="", max_length=300)
    # Days after a rep's last message until the daily job deletes their data; 0 keeps it.
    retention_days: int = Field(default=365, ge=0, le=36_500)

    # Operations
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Telegram allows about 30 messages per second overall; 0 switches the limiter off.
    rate_limit_per_second: float = Field(default=30.0, ge=0)
    # Bot processes sharing one bot token (and one database): each one sends at most
    # RATE_LIMIT_PER_SECOND / BOT_PROCESSES, so together they stay within Telegram's limit.
    bot_processes: int = Field(default=1, ge=1, le=64)
    # Seconds to wait for Telegram to answer a request before giving it up as timed out.
    telegram_timeout: float = Field(default=10.0, gt=0, le=120)
    # Updates of different chats handled at once; one chat's updates always run in order.
    concurrent_updates: int = Field(default=8, ge=1, le=256)
    # How often a request that got a 429 is retried after waiting retry_after.
    rate_limit_retries: int = Field(default=3, ge=0, le=10)

    # Check-ins
    # Seconds between two scheduler ticks; 0 switches the check-ins off (e.g. for a second
    # process that only answers updates).
    checkin_tick_seconds: float = Field(default=30.0, ge=0, le=600)
    # Scheduled messages sent at once during a fan-out.
    send_concurrency: int = Field(default=8, ge=1, le=256)
    # Seconds after which a claimed but unconfirmed delivery is retried by any process.
    delivery_lease_seconds: float = Field(default=120.0, gt=0, le=3600)

    # Speech to text for voice notes, off unless STT_BASE_URL is set: an OpenAI-compatible
    # `POST {STT_BASE_URL}/audio/transcriptions` (a self-hosted Whisper server or a hosted one).
    stt_base_url: AnyHttpUrl | None = None
    stt_api_key: SecretStr | None = None
    stt_model: str = Field(default="whisper-1", min_length=1, max_length=100)
    # Seconds to wait for a transcript; after that the rep gets the length feedback without it.
    stt_timeout: float = Field(default=30.0, gt=0, le=300)

    # A language model for the customer's lines in practice calls, off unless LLM_BASE_URL is
    # set: an OpenAI-compatible `POST {LLM_BASE_URL}/chat/completions` (OpenAI, Ollama, vLLM,
    # llama.cpp's server). LLM_MODEL is then required; a local server needs no LLM_API_KEY.
    llm_base_url: AnyHttpUrl | None = None
    llm_model: str | None = Field(default=None, max_length=200)
    llm_api_key: SecretStr | None = None
    # Seconds to wait for the customer's line; after that the scripted line is used, so keep
    # it short: the rep is waiting on the phone.
    llm_timeout: float = Field(default=8.0, gt=0, le=60)

    # Webhook mode, off unless WEBHOOK_URL is set (then long polling is off): the public
    # https:// address Telegram posts updates to, usually a reverse proxy with TLS in front
    # of WEBHOOK_LISTEN:WEBHOOK_PORT. WEBHOOK_SECRET is then required: Telegram sends it in
    # every request's X-Telegram-Bot-Api-Secret-Token header and others are refused.
    webhook_url: AnyHttpUrl | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = Field(default="0.0.0.0", min_length=1, max_length=255)
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    # The path the local server answers updates on; by default the path of WEBHOOK_URL.
    webhook_path: str | None = None

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_PATTERN.match(value.get_secret_value().strip()):
            raise ValueError("token")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("timezone") from exc
        return value.strip()

    @field_validator(
        "stt_base_url",
        "stt_api_key",
        "llm_base_url",
        "llm_model",
        "llm_api_key",
        "webhook_url",
        "webhook_secret",
        "webhook_path",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        # STT_BASE_URL= in a .env file means "no transcription", not a broken URL.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("llm_model")
    @classmethod
    def _llm_model(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @field_validator("llm_api_key")
    @classmethod
    def _llm_api_key(cls, value: SecretStr | None) -> SecretStr | None:
        # A key pasted into .env with a trailing space would be refused as a wrong key.
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("admin_ids", "allowed_user_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return tuple(p for p in parts if p)
        return value

    @field_validator("default_language", "access_mode", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def rate_per_process(self) -> float:
        """This process's share of RATE_LIMIT_PER_SECOND (0: no limit)."""
        return self.rate_limit_per_second / self.bot_processes

    @field_validator("webhook_url")
    @classmethod
    def _webhook_https(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        # Telegram only posts to https:// addresses.
        if value is not None and value.scheme != "https":
            raise ValueError("https")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value().strip()
        if not WEBHOOK_SECRET_PATTERN.match(secret):
            raise ValueError("secret")
        return SecretStr(secret)

    @field_validator("webhook_path")
    @classmethod
    def _webhook_path(cls, value: str | None) -> str | None:
        if value is None:
            return None
        path = value.strip()
        if not path.startswith("/"):
            path = "/" + path
        if not WEBHOOK_PATH_PATTERN.match(path):
            raise ValueError("path")
        return path

    @property
    def webhook_route(self) -> str:
        """The path the webhook server takes updates on: WEBHOOK_PATH or WEBHOOK_URL's path."""
        if self.webhook_path:
            return self.webhook_path
        path = self.webhook_url.path if self.webhook_url is not None else None
        return path or "/"

    @property
    def database(self) -> URL:
        """The database URL as a SQLAlchemy URL object."""
        return make_url(self.database_url)

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for an in-memory or non-SQLite database."""
        url = self.database
        if not url.drivername.startswith("sqlite") or not url.database:
            return None
        if url.database == ":memory:":
            return None
        return Path(url.database)


# Field name → the environment variable the operator sets.
def env_name(field: str) -> str:
    """The environment variable for a settings field."""
    return field.upper()


def load_settings(**overrides: Any) -> Settings:
    """Build Settings from the environment; raise SettingsError naming the first bad variable."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "settings"
        if error["type"] == "missing":
            problem = "missing"
        elif field == "telegram_bot_token":
            problem = "token"
        elif field == "default_timezone":
            problem = "timezone"
        elif field in {"webhook_url", "webhook_secret"}:
            problem = field
        elif field in {
            "database_url",
            "telegram_api_base_url",
            "telegram_api_file_url",
            "stt_base_url",
            "llm_base_url",
        }:
            problem = "url"
        else:
            problem = "invalid"
        raise SettingsError(env_name(field), problem) from None
    if settings.access_mode == "allowlist" and not (
        settings.allowed_user_ids or settings.admin_ids
    ):
        # Nobody could use the bot: say so at start, not by refusing everyone.
        raise SettingsError(env_name("allowed_user_ids"), "allowlist_empty")
    if settings.webhook_url is not None and settings.webhook_secret is None:
        # Without the secret anybody who finds the address could post updates.
        raise SettingsError(env_name("webhook_secret"), "webhook_secret_missing")
    if settings.llm_base_url is not None and settings.llm_model is None:
        # Servers have no common default model: without a name every request would fail.
        raise SettingsError(env_name("llm_model"), "llm_model_missing")
    return settings
