"""Logging set-up: one format, quiet libraries, and secrets that never reach a log line."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from typing import Any, TextIO

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replace secrets (the bot token, also inside URLs) in every record that passes."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # The token's secret half alone is enough to leak it; redact both forms.
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message without the secrets; never drop a record."""
        message = record.getMessage()
        clean = message
        for secret in self._secrets:
            clean = clean.replace(secret, REDACTED)
        if clean != message:
            record.msg, record.args = clean, None
        return True


# Libraries that log whole updates or requests at DEBUG: message texts and contact data. They
# never log below INFO, whatever LOG_LEVEL says.
PAYLOAD_LOGGERS = ("telegram", "aiohttp")
# Libraries that log SQL statements, or the calls that run them, at INFO or DEBUG: with their
# values that is every contact, note, pitch and invite code, and about half of all log lines.
# Kept at WARNING whatever LOG_LEVEL says (and the engines hide the values anyway); checking a
# disabled level also costs SQLAlchemy next to nothing on every statement.
STATEMENT_LOGGERS = ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")
# Exceptions whose message is Telegram's answer (no user input): kept in tracebacks.
_KEEP_MESSAGE_MODULES = ("telegram.",)


def _exception_lines(error: BaseException, seen: set[int]) -> list[str]:
    """A traceback of the chain, with each exception's type but not its message."""
    lines: list[str] = []
    cause = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    if cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        lines += _exception_lines(cause, seen)
        lines.append("\nThe above exception led to the following one:\n\n")
    lines.append("Traceback (most recent call last):\n")
    lines += traceback.format_tb(error.__traceback__)
    kind = type(error)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if kind.__module__.startswith(_KEEP_MESSAGE_MODULES):
        lines.append(f"{name}: {error}\n")
    else:
        lines.append(f"{name} (message not logged: it may quote user input)\n")
    return lines


class PrivateFormatter(logging.Formatter):
    """Tracebacks without exception messages: a parser's ValueError or a database error can
    quote what a user typed (SQL errors carry the statement's parameters)."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        """The traceback frames and exception types of `ei`, without messages."""
        error = ei[1]
        if not isinstance(error, BaseException):
            return super().formatException(ei)
        return "".join(_exception_lines(error, {id(error)})).rstrip("\n")


def setup_logging(level: str, token: str, *secrets: str, stream: TextIO | None = None) -> None:
    """Log to stderr (or `stream`) at `level`, with the token and its secret part redacted
    everywhere, and without message texts, contact data or SQL statements (see PAYLOAD_LOGGERS,
    STATEMENT_LOGGERS and PrivateFormatter).
    Further `secrets` (the webhook secret) are redacted the same way."""
    handler = logging.StreamHandler(sys.stderr if stream is None else stream)
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([token, token.partition(":")[2], *secrets]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    chosen = logging.getLevelName(level)
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(chosen, logging.INFO))
    for name in STATEMENT_LOGGERS:
        logging.getLogger(name).setLevel(max(chosen, logging.WARNING))
