"""Logging set-up: one format, quiet libraries, and secrets that never reach a log line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

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


def setup_logging(level: str, token: str) -> None:
    """Log to stderr at `level`, with the token and its secret part redacted everywhere."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([token, token.partition(":")[2]]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
