"""Secrets never reach a log line, whoever logs them and however."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from telegram.error import BadRequest

from bot.config import SANDBOX_TOKEN
from bot.logs import (
    PAYLOAD_LOGGERS,
    REDACTED,
    STATEMENT_LOGGERS,
    PrivateFormatter,
    RedactSecrets,
    setup_logging,
)
from bot.storage.engine import create_engine


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


@pytest.mark.parametrize(
    ("level", "payload", "statements"),
    [
        ("DEBUG", logging.INFO, logging.WARNING),
        ("INFO", logging.INFO, logging.WARNING),
        ("WARNING", logging.WARNING, logging.WARNING),
        ("ERROR", logging.ERROR, logging.ERROR),
    ],
)
def test_payload_loggers_never_go_below_info_and_statement_loggers_below_warning(
    level: str, payload: int, statements: int
) -> None:
    root = logging.getLogger()
    handlers, root_level = root.handlers[:], root.level
    names = (*PAYLOAD_LOGGERS, *STATEMENT_LOGGERS, "sqlalchemy.engine.Engine")
    levels = {name: logging.getLogger(name).level for name in names}
    try:
        setup_logging(level, SANDBOX_TOKEN)
        for name in PAYLOAD_LOGGERS:
            assert logging.getLogger(name).level == payload, name
        for name in STATEMENT_LOGGERS:
            assert logging.getLogger(name).level == statements, name
        # The engine's own logger inherits it: no statement is logged at INFO or DEBUG.
        engine_logger = logging.getLogger("sqlalchemy.engine.Engine")
        assert not engine_logger.isEnabledFor(logging.INFO)
        assert logging.getLogger("aiosqlite").isEnabledFor(logging.DEBUG) is False
    finally:
        root.handlers[:] = handlers
        root.setLevel(root_level)
        for name, value in levels.items():
            logging.getLogger(name).setLevel(value)


async def test_statement_values_reach_neither_a_log_line_nor_an_error_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # As if someone turned SQL logging on anyway: the statements show, their values do not.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'values.db'}")
    typed = "Zebrafink 0171 5550123"
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE contacts (name TEXT UNIQUE)"))
            await conn.execute(text("INSERT INTO contacts VALUES (:name)"), {"name": typed})
        with pytest.raises(IntegrityError) as caught:
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO contacts VALUES (:name)"), {"name": typed})
    finally:
        await engine.dispose()
    assert "INSERT INTO contacts" in caplog.text, "the statements were logged"
    assert "Zebrafink" not in caplog.text
    assert "Zebrafink" not in str(caught.value)
    assert "UNIQUE" in str(caught.value), "the error still says what went wrong"
