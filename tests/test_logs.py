"""Secrets never reach a log line, whoever logs them and however."""

from __future__ import annotations

import logging

import pytest

from bot.config import SANDBOX_TOKEN
from bot.logs import REDACTED, RedactSecrets


@pytest.mark.parametrize(
    ("msg", "args"),
    [
        ("url: http://x/bot%s/getMe", (SANDBOX_TOKEN,)),
        (f"plain {SANDBOX_TOKEN}", None),
        ("half %s only", (SANDBOX_TOKEN.split(":")[1],)),
    ],
)
def test_token_is_redacted(msg: str, args: tuple[str, ...] | None) -> None:
    record = logging.LogRecord("telegram", logging.DEBUG, __file__, 1, msg, args, None)
    assert RedactSecrets([SANDBOX_TOKEN, SANDBOX_TOKEN.split(":")[1]]).filter(record)
    text = record.getMessage()
    assert SANDBOX_TOKEN.split(":")[1] not in text
    assert REDACTED in text


def test_other_records_are_untouched() -> None:
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "update=%s", (5,), None)
    RedactSecrets([SANDBOX_TOKEN]).filter(record)
    assert record.getMessage() == "update=5"
    assert record.args == (5,)
