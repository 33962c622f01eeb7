"""The bot's rate limiter: Telegram's limits overall and per chat, replies before broadcasts.

Every Bot API request but getUpdates passes through `RateLimiter.process_request` (PTB's
`BaseRateLimiter` interface). It throttles before sending and reacts to a 429 after:

- overall: at most `overall_rate` requests a second for requests to a chat (0: no cap), with a
  burst of one second's worth. Waiting requests are served replies first: a request the
  scheduler marks `rate_limit_args=BULK` (a check-in fan-out) only gets a slot no reply is
  waiting for, so a rep's answer never queues behind a broadcast;
- per chat: private chats about one message a second after a burst of 30 (Telegram tolerates
  bursts; edits and callback answers do not count); groups and channels 20 requests a minute,
  as PTB's AIORateLimiter;
- a 429 (RetryAfter) pauses what it is about: the one chat its request went to. Only a global
  flood pauses everyone: a 429 on a request without a chat (callback answers, inline answers,
  commands), or 429s for `flood_chats` different chats within `flood_window` seconds (then
  the bot as a whole is over Telegram's limit, not one chat). The request is retried up to
  `max_retries` times, after the pause; then the RetryAfter goes to the caller.

Time is read from `monotonic` and waited with `sleep`, so tests run it on a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from enum import StrEnum
from typing import Any, Final

from telegram import constants
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class Priority(StrEnum):
    """What a request is for; PTB passes it as `rate_limit_args` (None means REPLY)."""

    REPLY = "reply"
    BULK = "bulk"


BULK: Final = Priority.BULK

# Telegram: about one message a second to one private chat, short bursts allowed. Only
# messages count (edits answer the rep's own taps); the burst is more than a rep asks for in a
# row, so only a runaway loop is slowed down.
PRIVATE_RATE: Final = 1.0
PRIVATE_BURST: Final = 30
# Groups and channels: 20 messages a minute (as AIORateLimiter).
GROUP_RATE: Final = constants.FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP / 60
GROUP_BURST: Final = constants.FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP
# 429s for this many different chats within the window: a flood of the whole bot.
FLOOD_CHATS: Final = 3
FLOOD_WINDOW: Final = 2.0
# Added to every retry_after, as AIORateLimiter does: Telegram's clock is not ours.
RETRY_MARGIN: Final = 0.1
# Per-chat buckets beyond this many are swept of the ones that are full again.
SWEEP_AT: Final = 1024

ChatKey = int | str
_MESSAGE_METHODS: Final = ("send", "copyMessage", "forwardMessage")


def retry_seconds(error: RetryAfter) -> float:
    """A RetryAfter's wait in seconds (PTB gives an int or a timedelta)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class Bucket:
    """A token bucket: `rate` tokens a second up to `burst`; plain arithmetic on clock readings."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = now

    def take(self, now: float) -> float:
        """Take a token: 0.0 if one was there, else the seconds until one is (nothing taken)."""
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
        # The tolerance: sums of float fractions land just below 1, and a wait shorter than
        # the clock's resolution would never refill.
        if self.tokens >= 1 - 1e-9:
            self.tokens = max(0.0, self.tokens - 1)
            return 0.0
        return max((1 - self.tokens) / self.rate, 1e-6)

    def give_back(self) -> None:
        """Return a token taken for nothing."""
        self.tokens = min(self.burst, self.tokens + 1)

    def full(self, now: float) -> bool:
        """Whether it has refilled completely (it can be forgotten)."""
        return self.tokens + (now - self.stamp) * self.rate >= self.burst


class RateLimiter(BaseRateLimiter[Priority]):
    """Overall and per-chat limits with reply priority; a 429 pauses its chat, a flood all."""

    __slots__ = (
        "_buckets",
        "_bulk",
        "_chat_paused",
        "_flood_chats",
        "_flood_window",
        "_global_until",
        "_group_burst",
        "_group_rate",
        "_max_retries",
        "_monotonic",
        "_overall",
        "_paid",
        "_private_burst",
        "_private_rate",
        "_pump",
        "_recent_429",
        "_replies",
        "_sleep",
        "_swept_size",
    )

    def __init__(
        self,
        *,
        overall_rate: float = constants.FloodLimit.MESSAGES_PER_SECOND,
        max_retries: int = 0,
        private_rate: float = PRIVATE_RATE,
        private_burst: float = PRIVATE_BURST,
        group_rate: float = GROUP_RATE,
        group_burst: float = GROUP_BURST,
        flood_chats: int = FLOOD_CHATS,
        flood_window: float = FLOOD_WINDOW,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._monotonic = monotonic
        self._sleep = sleep
        now = monotonic()
        self._overall = Bucket(overall_rate, overall_rate, now) if overall_rate > 0 else None
        self._paid = Bucket(
            constants.FloodLimit.PAID_MESSAGES_PER_SECOND,
            constants.FloodLimit.PAID_MESSAGES_PER_SECOND,
            now,
        )
        self._max_retries = max(0, max_retries)
        self._private_rate = private_rate
        self._private_burst = private_burst
        self._group_rate = group_rate
        self._group_burst = group_burst
        self._flood_chats = max(1, flood_chats)
        self._flood_window = flood_window
        # Waiting for an overall slot, oldest first; replies are served before bulk.
        self._replies: deque[asyncio.Future[None]] = deque()
        self._bulk: deque[asyncio.Future[None]] = deque()
        self._pump: asyncio.Task[None] | None = None
        self._buckets: dict[ChatKey, Bucket] = {}
        self._swept_size = 0
        # Until when (monotonic) a chat, or everything, waits after a 429.
        self._chat_paused: dict[ChatKey, float] = {}
        self._global_until = 0.0
        self._recent_429: deque[tuple[float, ChatKey]] = deque()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Stop handing out slots; requests still waiting are cancelled."""
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
        for waiter in (*self._replies, *self._bulk):
            waiter.cancel()
        self._replies.clear()
        self._bulk.clear()

    @property
    def paused_chats(self) -> frozenset[ChatKey]:
        """Chats waiting out a 429 right now."""
        now = self._monotonic()
        return frozenset(c for c, until in self._chat_paused.items() if until > now)

    @property
    def globally_paused(self) -> bool:
        """Whether everything waits out a global flood right now."""
        return self._global_until > self._monotonic()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Result:
        """Wait for the request's turn, send it, and wait out and retry a 429."""
        chat = _chat_key(data.get("chat_id"))
        bulk = rate_limit_args == BULK
        paid = bool(data.get("allow_paid_broadcast", False))
        message = _is_message(endpoint)
        for attempt in range(self._max_retries + 1):
            await self._admit(chat, message, bulk, paid)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                scope = self._flooded(chat, seconds)
                if attempt == self._max_retries:
                    log.warning(
                        "rate limit: %s still refused after %d retries (%s, %.1fs)",
                        endpoint,
                        self._max_retries,
                        scope,
                        seconds,
                    )
                    raise
                log.info("rate limit: %s waits %.1fs (%s)", endpoint, seconds, scope)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    async def _admit(self, chat: ChatKey | None, message: bool, bulk: bool, paid: bool) -> None:
        """Wait out pauses, then the chat's and the overall limit."""
        now = self._monotonic()
        while True:
            until = self._global_until
            if chat is not None:
                until = max(until, self._chat_paused.get(chat, 0.0))
            if until <= now:
                break
            await self._sleep(until - now)
            now = self._monotonic()
        if chat is None:
            return  # like AIORateLimiter: only requests to a chat count against the limits
        if self._chat_paused:
            self._forget_pauses(now)
        if message or not isinstance(chat, int) or chat < 0:
            bucket = self._bucket(chat, now)
            while (wait := bucket.take(now)) > 0:
                await self._sleep(wait)
                now = self._monotonic()
        if paid:
            while (wait := self._paid.take(now)) > 0:
                await self._sleep(wait)
                now = self._monotonic()
            return
        await self._overall_slot(bulk, now)

    async def _overall_slot(self, bulk: bool, now: float) -> None:
        overall = self._overall
        if overall is None:
            return
        if not self._replies and not self._bulk and overall.take(now) == 0:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._bulk if bulk else self._replies).append(waiter)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._hand_out(overall))
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                overall.give_back()  # granted just as the caller gave up
            raise

    async def _hand_out(self, overall: Bucket) -> None:
        """Give each overall slot to the oldest waiting reply, else to the oldest bulk send."""
        while self._replies or self._bulk:
            wait = overall.take(self._monotonic())
            if wait > 0:
                await self._sleep(wait)
                continue
            waiter = _next_waiter(self._replies) or _next_waiter(self._bulk)
            if waiter is None:
                overall.give_back()
                break
            waiter.set_result(None)

    def _bucket(self, chat: ChatKey, now: float) -> Bucket:
        bucket = self._buckets.get(chat)
        if bucket is None:
            if len(self._buckets) >= max(SWEEP_AT, 2 * self._swept_size):
                self._sweep(now)
            group = isinstance(chat, str) or chat < 0
            bucket = (
                Bucket(self._group_rate, self._group_burst, now)
                if group
                else Bucket(self._private_rate, self._private_burst, now)
            )
            self._buckets[chat] = bucket
        return bucket

    def _sweep(self, now: float) -> None:
        """Forget chats whose bucket is full again; at most once per doubling of the table."""
        self._buckets = {c: b for c, b in self._buckets.items() if not b.full(now)}
        self._swept_size = len(self._buckets)

    def _forget_pauses(self, now: float) -> None:
        if len(self._chat_paused) > 64:
            self._chat_paused = {c: u for c, u in self._chat_paused.items() if u > now}

    def _flooded(self, chat: ChatKey | None, seconds: float) -> str:
        """Note a 429 and pause its chat, or everyone for a global flood; returns which."""
        now = self._monotonic()
        until = now + seconds + RETRY_MARGIN
        if chat is None:
            self._global_until = max(self._global_until, until)
            return "global"
        self._chat_paused[chat] = max(self._chat_paused.get(chat, 0.0), until)
        recent = self._recent_429
        recent.append((now, chat))
        while recent and recent[0][0] < now - self._flood_window:
            recent.popleft()
        if len({c for _, c in recent}) >= self._flood_chats:
            self._global_until = max(self._global_until, until)
            return "global"
        return "chat"


def _next_waiter(queue: deque[asyncio.Future[None]]) -> asyncio.Future[None] | None:
    """The oldest waiter that has not given up, or None."""
    while queue:
        waiter = queue.popleft()
        if not waiter.done():
            return waiter
    return None


def _is_message(endpoint: str) -> bool:
    """Whether a method puts a new message into the chat (what the per-chat limit counts)."""
    return endpoint.startswith(_MESSAGE_METHODS) and endpoint != "sendChatAction"


def _chat_key(value: object) -> ChatKey | None:
    """The chat a request goes to: an int id, an @username, or None."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        return str(value)
