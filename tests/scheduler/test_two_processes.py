"""Two bot processes on one database share a fan-out of 2,000 reps: each ping exactly once."""

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
FIRST_USER = 700_000

# Runs on SQLite and on PostgreSQL (the database_url fixture picks by TEST_DATABASE_URL). On
# SQLite the session cache makes *handling updates* single-process by design, but the
# check-in path claims through the database only (WAL, busy timeout), so two processes
# sending check-ins from one SQLite file are just as exactly-once.


async def _wait(condition: Callable[[], Awaitable[bool]], timeout: float) -> None:  # noqa: ASYNC109
    """Poll outside processes' progress (they cannot signal an asyncio.Event)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.05)


async def _statuses(database_url: str) -> dict[str, int]:
    """Deliveries per status."""
    storage = await open_storage(database_url, migrate=False)
    try:
        async with storage.engine.connect() as conn:
            query = select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
            return {status: int(n) for status, n in (await conn.execute(query)).all()}
    finally:
        await storage.close()


async def _sent_per_rep(database_url: str) -> dict[int, int]:
    """'sent' deliveries per rep."""
    storage = await open_storage(database_url, migrate=False)
    try:
        async with storage.engine.connect() as conn:
            query = (
                select(deliveries.c.user_id, func.count())
                .where(deliveries.c.status == "sent")
                .group_by(deliveries.c.user_id)
            )
            return {int(u): int(n) for u, n in (await conn.execute(query)).all()}
    finally:
        await storage.close()


async def test_two_processes_deliver_a_fan_out_exactly_once(
    tmp_path: Path, database_url: str
) -> None:
    now = datetime.now(UTC)
    ids = list(range(FIRST_USER, FIRST_USER + REPS))
    await seed_reps(database_url, ids, due_now(now), now)
    settings = {"RATE_LIMIT_PER_SECOND": "0", "BOT_PROCESSES": "2"}
    async with Sandbox(bot_username="SalesCoachBot", record_calls=False) as sandbox:
        for user_id in ids:
            sandbox.user(user_id)
        bots = []
        try:
            for name in ("a", "b"):
                workdir = tmp_path / name
                workdir.mkdir()
                bots.append(await start_bot(sandbox, database_url, workdir, settings))

            async def everyone_has_a_message() -> bool:
                return all(received(sandbox, ids).values())

            async def nothing_unconfirmed() -> bool:
                return (await _statuses(database_url)).get("claimed", 0) == 0

            await _wait(everyone_has_a_message, 180)
            # Once every claim is confirmed nothing can be sent again: only then count.
            await _wait(nothing_unconfirmed, 60)
            assert all(bot.returncode is None for bot in bots), "a bot process died"
        finally:
            for bot in bots:
                if bot.returncode is None:
                    bot.send_signal(signal.SIGTERM)
            for bot in bots:
                await asyncio.wait_for(bot.wait(), timeout=30)
        counts = received(sandbox, ids)
    statuses = await _statuses(database_url)
    sent = await _sent_per_rep(database_url)
    missed = [user_id for user_id, n in counts.items() if n == 0]
    repeated = [user_id for user_id, n in counts.items() if n > 1]
    print(
        f"\ntwo processes, fan-out of {REPS}: missed {len(missed)}, repeated {len(repeated)}, "
        f"deliveries {statuses}"
    )
    assert missed == []
    assert repeated == []
    # The sandbox cannot tell the processes apart; the deliveries table says one send per rep.
    assert sent == dict.fromkeys(ids, 1)
    # Only the morning ping is on: the other slots of the day are recorded as skipped.
    assert statuses.get("sent") == REPS
    assert statuses.get("claimed", 0) == 0
    assert statuses.get("failed", 0) == 0
