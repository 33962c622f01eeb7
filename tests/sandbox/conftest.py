"""Fixtures: a running sandbox and a real PTB Bot pointed at it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import Sandbox, SandboxUser

TOKEN = "123456789:sandbox-token-for-local-use-only-0000"
BOT_ID = 123456789
USER_ID = 4242


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A started sandbox; fails the test if the sandbox itself crashed on a request."""
    async with Sandbox(bot_username="SalesCoachBot", bot_first_name="Sales Coach") as running:
        yield running
    assert running.internal_errors == []


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[telegram.Bot]:
    """A real PTB Bot talking to the sandbox over HTTP."""
    async with telegram.Bot(
        TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url
    ) as client:
        yield client


@pytest.fixture
def user(sandbox: Sandbox) -> SandboxUser:
    """The default test user (private chat id == user id)."""
    return sandbox.user(USER_ID, first_name="Anna", language_code="de", username="anna")


POLL_TIMEOUT = 10


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: greet with two buttons."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Ja", callback_data="yes"),
                InlineKeyboardButton("Nein", callback_data="no"),
            ]
        ]
    )
    await update.effective_message.reply_text("Bereit?", reply_markup=keyboard)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text: echo it."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: toast, then replace the question."""
    query = update.callback_query
    assert query is not None
    await query.answer(f"ok: {query.data}")
    await query.edit_message_text(f"Gewählt: {query.data}")


def build(sandbox: Sandbox) -> Application:  # type: ignore[type-arg]
    """An Application wired to the sandbox, as the real bot would be."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@pytest.fixture
async def running_app(sandbox: Sandbox) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """A started Application polling the sandbox; stopped (and timed) afterwards."""
    app = build(sandbox)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=POLL_TIMEOUT)
    yield app
    started = time.monotonic()
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    # the pending long poll is cancelled client-side and the sandbox drops it at once
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"shutdown took {elapsed:.2f}s"
