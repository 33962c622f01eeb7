"""A real `sales-coach run` at LOG_LEVEL=INFO and DEBUG: an onboarded rep adds a contact, logs a
touch with a note, submits a pitch, searches a contact and creates an invite, and the log holds
none of it (no statement values, no message text, no contact data, no invite code, no token)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import SANDBOX_TOKEN
from bot.sandbox import Sandbox, SandboxMessage, SandboxUser

REP_ID = 601
STRANGER_ID = 602
CONTACT_NAME = "Erika Zebrafink"
COMPANY = "Bäckerei Sonnenschein"
PHONE = "0171 2345678"
NOTE = "Chefin Frau Quarkwitz budgetiert im Januar"
PITCH = (
    "Guten Tag, hier ist Anna Berg von Tourplan Kranichfeld. Ein Fahrer meldet sich morgens "
    "krank, und Ihre Disposition plant den ganzen Vormittag um. Mit uns sind alle Touren in "
    "zwei Minuten neu berechnet. Eine Spedition aus Ulm spart damit drei Stunden am Tag. "
    "Wie lösen Sie das heute?"
)
SEARCH = "Zebrafnik"  # a typo, as a rep types it
OBJECTION = "Der Pelikanpreis ist zu teuer"
STRANGER_TEXT = "Schnabeltier here, call me at 0160 9998877"
LINK = re.compile(r"https://t\.me/SalesCoachBot\?start=([A-Za-z0-9_-]+)")

# What the rep or the stranger typed, and what the bot answered with (the invite code is added
# once the bot has made it): none of it may reach the log.
PRIVATE = (
    CONTACT_NAME,
    "Zebrafink",
    COMPANY,
    "Sonnenschein",
    PHONE,
    "2345678",
    NOTE,
    "Quarkwitz",
    "Kranichfeld",
    "Tourplan",
    SEARCH,
    "Pelikanpreis",
    "Schnabeltier",
    "9998877",
    SANDBOX_TOKEN,
    SANDBOX_TOKEN.split(":")[1],
)

Deliver = Callable[[dict[str, Any]], Awaitable[None]]


async def queued(_update: dict[str, Any]) -> None:
    """Long polling: the sandbox already queued the update for the bot's next getUpdates."""


def bot_env(sandbox: Sandbox, database_url: str, level: str) -> dict[str, str]:
    """The environment of `sales-coach run` against the sandbox, with the rep as the admin."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "TELEGRAM_API_FILE_URL": sandbox.base_file_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": level,
        "ACCESS_MODE": "invite",
        "ADMIN_IDS": str(REP_ID),
    }


@dataclass
class Running:
    """A bot process whose stdout and stderr go to one file (a pipe could fill up and stall)."""

    process: asyncio.subprocess.Process
    log_path: Path

    @property
    def log(self) -> str:
        """Everything the process has written so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@asynccontextmanager
async def bot_process(env: Mapping[str, str], workdir: Path) -> AsyncIterator[Running]:
    """`python -m bot run`; stopped with SIGTERM, and it must exit cleanly."""
    log_path = workdir / "bot.log"
    with log_path.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=dict(env), cwd=workdir, stdout=out, stderr=out
        )
    running = Running(process, log_path)
    try:
        yield running
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
    assert process.returncode == 0, running.log[-3000:]


async def say(user: SandboxUser, deliver: Deliver, update: dict[str, Any]) -> SandboxMessage:
    """Deliver one update of the user and return the bot's next message."""
    await deliver(update)
    return await user.next_message(timeout=30)


async def onboard(rep: SandboxUser, deliver: Deliver) -> None:
    """Through onboarding by tapping the suggested answers (as tests/handlers/conftest.py)."""
    await say(rep, deliver, rep.send_command("start"))
    await say(rep, deliver, rep.press("a:lang:de"))
    await say(rep, deliver, rep.send_text("Berlin"))
    await rep.next_message()
    await say(rep, deliver, rep.press("d:ok"))
    for data in ("a:morning:0800", "a:block:0900", "a:blen:60", "a:evening:1730"):
        await say(rep, deliver, rep.press(data))
    assert rep.reply_keyboard_labels, "onboarded: the main menu is there"


async def use_every_feature(sandbox: Sandbox, deliver: Deliver) -> str:
    """The rep's day in the bot, and a stranger; returns the invite code the bot made."""
    rep = sandbox.user(REP_ID, first_name="Rep", language_code="de")
    await onboard(rep, deliver)

    # A contact with name, company and phone, in one message after /kontakte.
    await say(rep, deliver, rep.send_command("kontakte"))
    card = await say(rep, deliver, rep.send_text(f"{CONTACT_NAME}, {COMPANY}, {PHONE}"))
    assert "Gespeichert" in card.text
    # A touch on the card, with a note.
    asked = await say(rep, deliver, rep.press("💬 Gespräch", message=card))
    assert "Notiz" in asked.text
    assert "Notiz gespeichert" in (await say(rep, deliver, rep.send_text(NOTE))).text
    # A contact search (with a typo).
    await say(rep, deliver, rep.send_command("kontakte"))
    found = await say(rep, deliver, rep.send_text(SEARCH))
    assert "Treffer" in found.text, found.text
    # A pitch.
    await say(rep, deliver, rep.send_command("pitch"))
    scored = await say(rep, deliver, rep.send_text(PITCH))
    assert "/100" in scored.text or "Punkte" in scored.text, scored.text
    # An objection typed as text.
    await say(rep, deliver, rep.send_text(OBJECTION))
    # An invite, tapped through as the admin; the code is in the bot's reply.
    question = await say(rep, deliver, rep.send_command("invite"))
    await deliver(rep.press("ac:u:1", message=question))
    await rep.wait_for(lambda: "Wie lange" in question.text, timeout=30)
    await deliver(rep.press("ac:n:1:7", message=question))
    match = await rep.wait_for(lambda: LINK.search(question.text), timeout=30)
    # A stranger without an invite is refused (and that refusal is logged, without the text).
    stranger = sandbox.user(STRANGER_ID, language_code="en")
    await say(stranger, deliver, stranger.send_text(STRANGER_TEXT))
    # The rep's chat runs in order: once /help is answered, all of the above was handled.
    await say(rep, deliver, rep.send_command("help"))
    return match.group(1)


def assert_private(log: str, code: str) -> None:
    """The log says something, and nothing of what the users typed or got as a code."""
    assert "Application started" in log, "the run did log"
    assert "access refused" in log
    assert len(code) >= 8
    for secret in (*PRIVATE, code):
        assert secret not in log, f"{secret!r} is in the log"


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_the_log_holds_nothing_a_rep_typed_or_was_given(
    tmp_path: Path, database_url: str, level: str
) -> None:
    async with (
        Sandbox(bot_username="SalesCoachBot") as sandbox,
        bot_process(bot_env(sandbox, database_url, level), tmp_path) as bot,
    ):
        code = await use_every_feature(sandbox, queued)
        # Inline mode, too (polling only: the sandbox hands out no inline update to post).
        rep = sandbox.user(REP_ID)
        rep.inline_query(f"{OBJECTION} {CONTACT_NAME}")
        await rep.wait_for(lambda: sandbox.calls_for("answerInlineQuery"), timeout=30)
    assert_private(bot.log, code)
