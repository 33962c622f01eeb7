"""A logging tap end to end: sandbox → bot → database → edited /today message.

    python -m bench.tap                       # defaults below
    python -m bench.tap --reps 300 --taps 1000
    python -m bench.tap --log-level INFO       # the bot logs as `sales-coach run` at INFO

The bot runs in a child process against the sandbox in this one (see bench/updates.py). Every
rep first opens /today; then *latency*: one rep after another taps "+1 dial" and waits until
the message shows the new count; *throughput*: every rep taps at once, measured until all their
messages are edited. CPU is the bot process's user + system time during the burst.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.updates import NOW, cpu_seconds, seed, start_bot
from bot.coach.targets import DailyTargets
from bot.sandbox import Sandbox, SandboxMessage, SandboxUser
from bot.storage import open_storage

FIRST_USER = 20_000


async def set_targets(database_url: str, user_ids: Sequence[int]) -> None:
    """Give every rep daily targets, so the message has bars and a streak line."""
    storage = await open_storage(database_url)
    try:
        for user_id in user_ids:
            await storage.activity.set_targets(user_id, DailyTargets(20, 5, 2, 8), "manual", NOW)
    finally:
        await storage.close()


def edited_after(message: SandboxMessage, count: int) -> Callable[[], bool]:
    """A condition: the message has been edited more than `count` times."""
    return lambda: message.edit_count > count


async def tap(user: SandboxUser, message: SandboxMessage) -> None:
    """Press +1 dial on the /today message and wait until the bot edited it."""
    before = message.edit_count
    user.press(message.buttons[0]["callback_data"], message=message)
    await user.wait_for(edited_after(message, before), timeout=30)


async def measure(reps: int, taps: int) -> dict[str, float]:
    """Open /today for every rep, then the latency run and the burst."""
    with tempfile.TemporaryDirectory() as tmp:
        # A URL, as seed() and the bot's child process take it.
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'tap.db'}"
        ids = list(range(FIRST_USER, FIRST_USER + reps))
        await seed(database, ids, open_question=False)
        await set_targets(database, ids)
        async with Sandbox(bot_username="BenchBot", record_calls=False) as sandbox:
            child = await start_bot("real", sandbox.base_url, database)
            try:
                users = [sandbox.user(i, first_name="Rep", language_code="de") for i in ids]
                messages = []
                for user in users:
                    user.send_command("today")
                    messages.append(await user.next_message(timeout=30))
                latencies = []
                for n in range(taps):
                    index = n % reps
                    started = time.perf_counter()
                    await tap(users[index], messages[index])
                    latencies.append(1000 * (time.perf_counter() - started))
                cpu_before = cpu_seconds(child.pid)
                started = time.perf_counter()
                counts = [m.edit_count for m in messages]
                for user, message in zip(users, messages, strict=True):
                    user.press(message.buttons[0]["callback_data"], message=message)
                for user, message, count in zip(users, messages, counts, strict=True):
                    await user.wait_for(edited_after(message, count), timeout=60)
                seconds = time.perf_counter() - started
                cpu = cpu_seconds(child.pid) - cpu_before
            finally:
                child.send_signal(signal.SIGTERM)
                await asyncio.wait_for(child.wait(), timeout=30)
    return {
        "p50": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20)[-1],
        "per_second": reps / seconds,
        "cpu_ms": 1000 * cpu / reps,
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m bench.tap", description=__doc__)
    p.add_argument("--reps", type=int, default=500, help="reps, each tapping once in the burst")
    p.add_argument("--taps", type=int, default=300, help="taps in the latency run")
    p.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="set up the bot's logging as `sales-coach run` does at this level, to stderr "
        "(default: none set up)",
    )
    opts = p.parse_args(argv)
    if opts.log_level:
        os.environ["BENCH_LOG_LEVEL"] = opts.log_level  # read by the bot's child process
    figures = asyncio.run(measure(opts.reps, opts.taps))
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; CONCURRENT_UPDATES="
        f"{os.environ.get('CONCURRENT_UPDATES', 'default')}; LOG_LEVEL="
        f"{opts.log_level or 'none set up'}; {opts.taps} sequential taps, "
        f"burst of {opts.reps}"
    )
    print(
        f"tap → edited message: p50 {figures['p50']:.2f} ms, p95 {figures['p95']:.2f} ms; "
        f"burst {figures['per_second']:.0f} taps/s, bot CPU {figures['cpu_ms']:.2f} ms/tap"
    )


if __name__ == "__main__":
    main()
