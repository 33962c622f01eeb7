"""Sending scheduled messages within Telegram's limits, with retries; one failure stops nothing.

The overall limit (about 30 messages a second) and the waiting after a 429 are done by the
bot's rate limiter (bot.ratelimit), which every request passes through; the sender marks its
requests as bulk there, so a rep's reply never waits behind a fan-out. This module adds what a
fan-out needs on top: a gap between two messages to the same chat, retries of network errors
with backoff, and a plain result instead of an exception.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.ratelimit import BULK

log = logging.getLogger(__name__)

# Telegram allows about one message a second to the same chat.
PER_CHAT_INTERVAL: Final = 1.0
# Network errors: tries in all, and the first wait (doubled after each try).
TRIES: Final = 4
BACKOFF: Final = 0.5
# A 429 that survived the rate limiter's own retries: wait at most this long per try.
MAX_RETRY_AFTER: Final = 60.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One scheduled message: text with an optional keyboard, or a photo with a caption."""

    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
    photo: bytes | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a message: sent (with its id), the chat blocked us, or it failed."""

    message_id: int | None = None
    blocked: bool = False
    error: str | None = None

    @property
    def sent(self) -> bool:
        """Whether Telegram accepted the message."""
        return self.message_id is not None


class Sender:
    """Sends scheduled messages one by one or many at once; never raises for Telegram errors."""

    def __init__(
        self,
        bot: ExtBot[Any],
        *,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        tries: int = TRIES,
        backoff: float = BACKOFF,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._interval = per_chat_interval
        self._tries = max(1, tries)
        self._backoff = backoff
        self._sleep = sleep
        self._monotonic = monotonic
        # When each chat may get its next message; pruned as it grows.
        self._next_slot: dict[int, float] = {}

    async def send(self, out: Outgoing) -> Outcome:
        """Send one message, waiting for the chat's turn and retrying what is worth a retry."""
        await self._wait_for_chat(out.chat_id)
        delay = self._backoff
        error = "no try"
        for attempt in range(1, self._tries + 1):
            try:
                message = await self._deliver(out)
            except Forbidden:
                return Outcome(blocked=True, error="forbidden")
            except RetryAfter as exc:
                error = "retry_after"
                wait = exc.retry_after
                seconds = wait if isinstance(wait, float | int) else wait.total_seconds()
                await self._sleep(min(float(seconds), MAX_RETRY_AFTER))
                continue
            except BadRequest as exc:
                # The message itself is wrong (or the chat is gone): a retry would fail again,
                # and a wrong message is our bug. (Before NetworkError: BadRequest is one.)
                log.error("scheduled message refused", exc_info=exc)
                return Outcome(error="bad_request")
            except NetworkError as exc:  # TimedOut too
                error = type(exc).__name__
                if attempt < self._tries:
                    await self._sleep(delay)
                    delay *= 2
                continue
            except TelegramError as exc:
                return Outcome(error=type(exc).__name__)
            return Outcome(message_id=message)
        log.warning("scheduled message given up after %d tries: %s", self._tries, error)
        return Outcome(error=error)

    async def _deliver(self, out: Outgoing) -> int:
        if out.photo is not None:
            sent = await self._bot.send_photo(
                out.chat_id,
                out.photo,
                caption=out.text,
                reply_markup=out.markup,
                rate_limit_args=BULK,
            )
        else:
            sent = await self._bot.send_message(
                out.chat_id, out.text, reply_markup=out.markup, rate_limit_args=BULK
            )
        return sent.message_id

    async def _wait_for_chat(self, chat_id: int) -> None:
        now = self._monotonic()
        slot = max(now, self._next_slot.get(chat_id, now))
        self._next_slot[chat_id] = slot + self._interval
        if len(self._next_slot) > 10_000:
            self._next_slot = {c: t for c, t in self._next_slot.items() if t > now}
        if slot > now:
            await self._sleep(slot - now)
