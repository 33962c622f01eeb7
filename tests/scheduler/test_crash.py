"""A bot process killed (SIGKILL) in the middle of a fan-out loses no check-in on restart."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bench.fleet import due_now, received, seed_reps, start_bot
from bot.sandbox import Sandbox
from bot.storage import open_storage
from bot.storage.tables import deliveries

REPS = 2000
CONCURRENCY = 16


async def _wait(condition: Callable[[], Awaitable[bool]], timeout: float) -> None:  # noqa: ASYNC109
    """Poll an outside process's progress (another process cannot signal an asyncio.Event)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.05)


async def _now(value: bool) -> bool:
    return value


async def _all_confirmed(database_url: str) -> bool:
    storage = await open_storage(database_url, migrate=False)
    try:
        async with storage.engine.connect() as conn:
            query = select(func.count()).where(deliveries.c.status == "claimed")
            return int((await conn.execute(query)).scalar_one()) == 0
    finally:
        await storage.close()


async def test_sigkill_mid_fan_out_misses_nobody(tmp_path: Path, database_url: str) -> None:
    now = datetime.now(UTC)
    ids = list(range(900_000, 900_000 + REPS))
    await seed_reps(database_url, ids, due_now(now), now)
    settings = {
        "SEND_CONCURRENCY": str(CONCURRENCY),
        "DELIVERY_LEASE_SECONDS": "2",
        "RATE_LIMIT_PER_SECOND": "0",
    }
    async with Sandbox(bot_username="SalesCoachBot", record_calls=False) as sandbox:
        for user_id in ids:
            sandbox.user(user_id)
        # Slow answers keep the fan-out going long enough to kill it half-way.
        sandbox.faults.add("sendMessage", delay=0.01, times=None)
        first = await start_bot(sandbox, database_url, tmp_path, settings)
        try:
            await _wait(lambda: _now(sum(received(sandbox, ids).values()) >= REPS // 4), 120)
        finally:
            first.send_signal(signal.SIGKILL)
            await first.wait()
        at_kill = sum(received(sandbox, ids).values())
        assert at_kill < REPS, "the kill came too late to test anything"
        second = await start_bot(sandbox, database_url, tmp_path, settings)
        try:
            await _wait(lambda: _now(all(received(sandbox, ids).values())), 180)
            # Once every claim is confirmed nothing can be sent again: only then count.
            await _wait(lambda: _all_confirmed(database_url), 60)
        finally:
            second.send_signal(signal.SIGTERM)
            await second.wait()
        counts = received(sandbox, ids)
    missed = [user_id for user_id, n in counts.items() if n == 0]
    repeated = [user_id for user_id, n in counts.items() if n > 1]
    print(
        f"\nfan-out of {REPS}: {at_kill} sent before SIGKILL, missed {len(missed)}, "
        f"repeated {len(repeated)} (sender concurrency {CONCURRENCY})"
    )
    assert missed == []
    assert max(counts.values()) <= 2
    assert len(repeated) <= CONCURRENCY
