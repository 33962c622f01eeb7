"""Secrets never reach a log line, whoever logs them and however."""

from __future__ import annotations

import logging

import pytest
from telegram.error import BadRequest

from bot.config import SANDBOX_TOKEN
from bot.logs import PAYLOAD_LOGGERS, REDACTED, PrivateFormatter, RedactSecrets, setup_logging


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


def _formatted(error: BaseException) -> str:
    try:
        raise error
    except BaseException as exc:
        record = logging.LogRecord(
            "bot", logging.ERROR, __file__, 1, "handler failed", None, (type(exc), exc, None)
        )
        record.exc_info = (type(exc), exc, exc.__traceback__)
    return PrivateFormatter("%(message)s").format(record)


def test_tracebacks_leave_out_exception_messages_that_may_quote_users() -> None:
    typed = "Zebrafink 0171 5550123"  # as a user might type it; source lines are logged
    try:
        try:
            int(typed)
        except ValueError as inner:
            raise RuntimeError(f"while parsing {typed}") from inner
    except RuntimeError as outer:
        text = _formatted(outer)
    assert "Zebrafink" not in text
    assert "builtins.ValueError (message not logged" in text
    assert "builtins.RuntimeError (message not logged" in text
    assert "led to the following one" in text
    assert "test_logs.py" in text, "the frames stay"


def test_telegram_errors_keep_their_message() -> None:
    text = _formatted(BadRequest("Message is not modified"))
    assert "telegram.error.BadRequest: Message is not modified" in text


@pytest.mark.parametrize(("level", "floor"), [("DEBUG", logging.INFO), ("ERROR", logging.ERROR)])
def test_payload_loggers_never_go_below_info(level: str, floor: int) -> None:
    root = logging.getLogger()
    handlers, root_level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in PAYLOAD_LOGGERS}
    try:
        setup_logging(level, SANDBOX_TOKEN)
        for name in PAYLOAD_LOGGERS:
            assert logging.getLogger(name).level == floor, name
    finally:
        root.handlers[:] = handlers
        root.setLevel(root_level)
        for name, value in levels.items():
            logging.getLogger(name).setLevel(value)
