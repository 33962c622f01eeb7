"""The rate limiter on a fake clock: overall and per-chat limits, replies before bulk sends, and
a 429 that pauses its chat only, unless the whole bot is flooded."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import BULK, FLOOD_WINDOW, RETRY_MARGIN, Bucket, Priority, RateLimiter


async def settle() -> None:
    """Let every task that can run, run."""
    for _ in range(50):
        await asyncio.sleep(0)


@dataclass
class FakeClock:
    """Monotonic time that only moves when the test says so; sleepers wake in order."""

    now: float = 0.0
    _sleepers: list[tuple[float, int, asyncio.Future[None]]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._seq), waiter))
        await waiter

    async def run_until(self, until: float) -> None:
        """Move time to `until`, waking each sleeper at its time and letting it run."""
        await settle()
        while self._sleepers and self._sleepers[0][0] <= until:
            when, _, waiter = heapq.heappop(self._sleepers)
            self.now = max(self.now, when)
            if not waiter.done():
                waiter.set_result(None)
            await settle()
        self.now = max(self.now, until)
        await settle()


@dataclass
class FakeApi:
    """Stands in for PTB's request: records when each request went out; 429s on demand."""

    clock: FakeClock
    sent: list[tuple[float, object, str]] = field(default_factory=list)
    # chat (or None for requests without one) -> retry_after seconds of the next 429s
    floods: dict[object, list[int]] = field(default_factory=dict)

    def callback(self, endpoint: str, data: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
        async def call() -> Any:
            chat = data.get("chat_id")
            self.sent.append((self.clock.now, chat, endpoint))
            waits = self.floods.get(chat)
            if waits:
                raise RetryAfter(waits.pop(0))
            return {"ok": True}

        return call

    def times(self, chat: object) -> list[float]:
        return [t for t, c, _ in self.sent if c == chat]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(clock: FakeClock) -> FakeApi:
    return FakeApi(clock)


def limiter(clock: FakeClock, **options: Any) -> RateLimiter:
    settings: dict[str, Any] = {"overall_rate": 30.0, "max_retries": 3, **options}
    return RateLimiter(monotonic=clock.monotonic, sleep=clock.sleep, **settings)


def request(
    rl: RateLimiter,
    api: FakeApi,
    chat: object,
    endpoint: str = "sendMessage",
    priority: Priority | None = None,
) -> asyncio.Task[Any]:
    data: dict[str, Any] = {} if chat is None else {"chat_id": chat}
    call = api.callback(endpoint, data)

    async def callback(*_args: Any, **_kwargs: Any) -> Any:
        return await call()

    return asyncio.create_task(rl.process_request(callback, (), {}, endpoint, data, priority))


async def test_overall_rate_after_a_first_burst(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock)
    tasks = [request(rl, api, 1000 + i, priority=BULK) for i in range(90)]
    await clock.run_until(0.0)
    assert len(api.sent) == 30, "a burst of one second's worth"
    await clock.run_until(1.0)
    assert len(api.sent) == 60
    await clock.run_until(2.0)
    assert len(api.sent) == 90
    await asyncio.gather(*tasks)
    # Never more than 30 within any second after the burst.
    stamps = sorted(t for t, _, _ in api.sent[30:])
    assert all(b - a >= 1 / 30 - 1e-9 for a, b in itertools.pairwise(stamps))


async def test_a_reply_goes_before_the_waiting_fan_out(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock)
    bulk = [request(rl, api, 1000 + i, priority=BULK) for i in range(300)]
    await clock.run_until(0.5)
    reply = request(rl, api, 7)  # a rep's answer: no rate_limit_args
    await clock.run_until(0.6)
    assert api.times(7), "the reply did not wait for the 300 check-ins"
    assert api.times(7)[0] <= 0.5 + 1 / 30 + 1e-9
    await clock.run_until(11.0)
    await asyncio.gather(reply, *bulk)
    assert len(api.sent) == 301


async def test_replies_keep_their_order_and_bulk_gets_the_rest(
    clock: FakeClock, api: FakeApi
) -> None:
    rl = limiter(clock, overall_rate=10.0)
    bulk = [request(rl, api, 1000 + i, priority=BULK) for i in range(40)]
    await clock.run_until(0.0)
    replies = [request(rl, api, 1 + i) for i in range(5)]
    await clock.run_until(0.5)
    assert [c for _, c, _ in api.sent[10:15]] == [1, 2, 3, 4, 5]
    await clock.run_until(5.0)
    await asyncio.gather(*bulk, *replies)


async def test_no_overall_cap_at_rate_zero(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock, overall_rate=0)
    tasks = [request(rl, api, 1000 + i, priority=BULK) for i in range(2000)]
    await clock.run_until(0.0)
    await asyncio.gather(*tasks)
    assert len(api.sent) == 2000
    assert {t for t, _, _ in api.sent} == {0.0}


async def test_a_429_on_one_chat_delays_only_that_chat(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock)
    api.floods[42] = [8]
    flooded = request(rl, api, 42)
    await clock.run_until(0.1)
    assert rl.paused_chats == {42}
    assert not rl.globally_paused
    others = [request(rl, api, chat) for chat in (1, 2, 3)]
    await clock.run_until(0.2)
    assert all(api.times(chat) == [0.1] for chat in (1, 2, 3)), "answered at once"
    second = request(rl, api, 42, "editMessageText")
    await clock.run_until(8.0)
    assert api.times(42) == [0.0], "the chat itself waits out the 429"
    await clock.run_until(8.0 + RETRY_MARGIN + 0.01)
    await asyncio.gather(flooded, second, *others)
    assert len(api.times(42)) == 3
    assert min(api.times(42)[1:]) >= 8.0


async def test_a_429_without_a_chat_pauses_everyone(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock)
    api.floods[None] = [3]
    answer = request(rl, api, None, "answerCallbackQuery")
    await clock.run_until(0.5)
    assert rl.globally_paused
    other = request(rl, api, 5)
    await clock.run_until(3.0)
    assert api.times(5) == []
    await clock.run_until(3.2)
    await asyncio.gather(answer, other)
    assert api.times(5) == [pytest.approx(3.0 + RETRY_MARGIN)]
    assert len(api.times(None)) == 2


async def test_429s_from_several_chats_are_a_global_flood(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock)
    for chat in (1, 2, 3):
        api.floods[chat] = [2]
    flooded = [request(rl, api, chat) for chat in (1, 2, 3)]
    await clock.run_until(0.1)
    assert rl.globally_paused
    bystander = request(rl, api, 9)
    await clock.run_until(2.0)
    assert api.times(9) == []
    await clock.run_until(2.3)
    await asyncio.gather(bystander, *flooded)
    assert api.times(9) == [pytest.approx(2.0 + RETRY_MARGIN)]


async def test_two_chats_or_429s_far_apart_are_no_global_flood(
    clock: FakeClock, api: FakeApi
) -> None:
    rl = limiter(clock)
    api.floods[1] = [1]
    api.floods[2] = [1]
    first = [request(rl, api, 1), request(rl, api, 2)]
    await clock.run_until(FLOOD_WINDOW + 0.5)
    api.floods[3] = [1]
    third = request(rl, api, 3)
    await clock.run_until(FLOOD_WINDOW + 0.6)
    assert rl.paused_chats == {3}
    assert not rl.globally_paused
    bystander = request(rl, api, 9)
    await clock.run_until(FLOOD_WINDOW + 0.7)
    assert api.times(9) == [pytest.approx(FLOOD_WINDOW + 0.6)]
    await clock.run_until(10.0)
    await asyncio.gather(bystander, third, *first)


async def test_retries_run_out_and_the_429_reaches_the_caller(
    clock: FakeClock, api: FakeApi
) -> None:
    rl = limiter(clock, max_retries=2)
    api.floods[4] = [1, 1, 1, 1]
    task = request(rl, api, 4)
    await clock.run_until(10.0)
    with pytest.raises(RetryAfter):
        await task
    assert len(api.times(4)) == 3, "the first try and two retries"


async def test_one_private_chat_gets_a_burst_then_one_a_second(
    clock: FakeClock, api: FakeApi
) -> None:
    rl = limiter(clock, private_burst=5)
    sends = [request(rl, api, 8) for _ in range(7)]
    edits = [request(rl, api, 8, "editMessageText") for _ in range(10)]
    await clock.run_until(0.0)
    assert [e for t, _, e in api.sent].count("editMessageText") == 10, "edits do not count"
    assert api.times(8).count(0.0) == 15
    await clock.run_until(2.0)
    await asyncio.gather(*sends, *edits)
    assert sorted(api.times(8))[-2:] == [1.0, 2.0]


async def test_a_group_gets_twenty_a_minute(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock)
    tasks = [request(rl, api, -100123) for _ in range(22)]
    await clock.run_until(0.0)
    assert len(api.times(-100123)) == 20
    await clock.run_until(6.0)
    await asyncio.gather(*tasks)
    assert sorted(api.times(-100123))[-2:] == [pytest.approx(3.0), pytest.approx(6.0)]


async def test_a_caller_that_gives_up_costs_nobody_a_slot(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock, overall_rate=1.0)
    first = request(rl, api, 1)
    gives_up = request(rl, api, 2)
    waits = request(rl, api, 3)
    await clock.run_until(0.0)
    gives_up.cancel()
    await clock.run_until(1.0)
    assert api.times(3) == [1.0]
    await asyncio.gather(first, waits)
    await rl.shutdown()


async def test_shutdown_cancels_what_still_waits(clock: FakeClock, api: FakeApi) -> None:
    rl = limiter(clock, overall_rate=1.0)
    tasks = [request(rl, api, 1000 + i, priority=BULK) for i in range(3)]
    await clock.run_until(0.0)
    await rl.shutdown()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert sum(isinstance(r, asyncio.CancelledError) for r in results) == 2


def test_bucket_refills_up_to_its_burst() -> None:
    bucket = Bucket(rate=2.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(0.5)
    assert bucket.take(0.5) == 0.0
    assert bucket.full(10.0)
    assert bucket.take(10.0) == 0.0
    assert bucket.tokens == pytest.approx(2.0), "never more than the burst"
