"""Check-in fan-out: many reps due in the same minute, sent by the real bot process.

    python -m bench.fanout                          # 10,000 reps unlimited, 900 at 30/s
    python -m bench.fanout --reps 2000 --ceiling-reps 300

Two runs, each with a fresh database and `python -m bot run` against the local sandbox:
  ceiling    RATE_LIMIT_PER_SECOND=30 (the default): the messages per second achieved,
             against the ceiling (target: at least 95% of it);
  unlimited  RATE_LIMIT_PER_SECOND=0: the time to drain every ping (target: at least 1,000
             messages per second: the bot must not be the bottleneck).
Both print duplicates and missed reps (target: 0 each) and the bot's peak memory (VmHWM,
target: under 250 MB). During each fan-out one more rep (not due) sends /help about once a
second; the median and worst time to their reply is printed (target: under 1 s, issue 13).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.fleet import (
    due_now,
    fresh_database,
    peak_memory_mb,
    received,
    seed_reps,
    server_url,
    start_bot,
)
from bot.sandbox import Sandbox, SandboxUser

FIRST_USER = 5_000_000
# The rep who writes during the fan-out: not due, asks /help about once a second.
PROBE_USER = FIRST_USER - 1
PROBE_EVERY = 1.0
REPLY_TARGET = 1.0


@dataclass(frozen=True)
class Run:
    """Figures of one fan-out."""

    name: str
    reps: int
    ceiling: float
    seconds: float
    missed: int
    duplicates: int
    peak_mb: float
    # Seconds from the probe rep's /help to the bot's reply, for those sent during the fan-out.
    replies: tuple[float, ...] = ()

    @property
    def per_second(self) -> float:
        """Messages per second from the first to the last one."""
        return (self.reps - 1) / self.seconds if self.seconds else 0.0


async def fan_out(
    name: str, reps: int, ceiling: float, limit: float, server: str | None = None
) -> Run:
    """Seed `reps` reps due now, start the bot, and time the pings arriving at the sandbox."""
    now = datetime.now(UTC)
    ids = list(range(FIRST_USER, FIRST_USER + reps))
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(server, Path(tmp), "fanout") as database_url:
            return await _fan_out(name, reps, ceiling, limit, ids, now, database_url, Path(tmp))


async def _fan_out(
    name: str,
    reps: int,
    ceiling: float,
    limit: float,
    ids: Sequence[int],
    now: datetime,
    database_url: str,
    tmp: Path,
) -> Run:
    """One fan-out on a fresh database."""
    await seed_reps(database_url, ids, due_now(now), now)
    # Half a day away: the probe rep gets no ping of their own.
    await seed_reps(database_url, [PROBE_USER], (now + timedelta(hours=12)).time(), now)
    async with Sandbox(bot_username="BenchBot", record_calls=False) as sandbox:
        for user_id in ids:
            sandbox.user(user_id)
        extra = {"RATE_LIMIT_PER_SECOND": str(ceiling)}
        bot = await start_bot(sandbox, database_url, tmp, extra)
        samples: list[tuple[float, float]] = []
        probe = asyncio.create_task(_probe(sandbox.user(PROBE_USER), samples))
        try:
            first, last = await _arrivals(sandbox, ids, limit)
            probe.cancel()
            # Give a repeated send the chance to show up before counting.
            await asyncio.sleep(2)
            peak = peak_memory_mb(bot.pid)
        finally:
            probe.cancel()
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
        counts = received(sandbox, ids)
    return Run(
        name,
        reps,
        ceiling,
        last - first,
        missed=sum(1 for n in counts.values() if n == 0),
        duplicates=sum(n - 1 for n in counts.values() if n > 1),
        peak_mb=peak,
        replies=tuple(seconds for sent, seconds in samples if first <= sent <= last),
    )


async def _probe(user: SandboxUser, samples: list[tuple[float, float]]) -> None:
    """Send /help about once a second until cancelled; note (sent at, seconds to the reply)."""
    while True:
        user.mark_read()
        sent = time.monotonic()
        user.send_text("/help")
        try:
            await user.next_message(timeout=30)
        except TimeoutError:
            samples.append((sent, 30.0))
            continue
        seconds = time.monotonic() - sent
        samples.append((sent, seconds))
        await asyncio.sleep(max(0.0, PROBE_EVERY - seconds))


async def _arrivals(sandbox: Sandbox, ids: Sequence[int], limit: float) -> tuple[float, float]:
    """When the first and the last rep got their ping (monotonic seconds)."""
    users = [sandbox.user(user_id) for user_id in ids]
    deadline = time.monotonic() + limit
    first: float | None = None
    waiting = list(users)
    while waiting:
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.02)
        stamp = time.monotonic()
        still = [u for u in waiting if not u.messages]
        if first is None and len(still) < len(users):
            first = stamp
        waiting = still
    end = time.monotonic()
    return (first if first is not None else end), end


def report(runs: Sequence[Run]) -> str:
    """The figures as a table."""
    lines = [
        f"{'run':<10} {'reps':>6} {'ceiling/s':>9} {'seconds':>8} {'msgs/s':>8} "
        f"{'of ceiling':>10} {'missed':>6} {'dupes':>6} {'peak MB':>8}"
    ]
    for r in runs:
        share = f"{100 * r.per_second / r.ceiling:.1f}%" if r.ceiling else "-"
        ceiling = f"{r.ceiling:.0f}" if r.ceiling else "none"
        lines.append(
            f"{r.name:<10} {r.reps:>6} {ceiling:>9} {r.seconds:>8.2f} {r.per_second:>8.0f} "
            f"{share:>10} {r.missed:>6} {r.duplicates:>6} {r.peak_mb:>8.1f}"
        )
    for r in runs:
        if r.replies:
            worst = max(r.replies)
            verdict = "met" if worst < REPLY_TARGET else "MISSED"
            lines.append(
                f"{r.name}: a rep's reply during the fan-out: median "
                f"{statistics.median(r.replies):.3f} s, max {worst:.3f} s over "
                f"{len(r.replies)} messages (target: under {REPLY_TARGET:.0f} s: {verdict})"
            )
        else:
            lines.append(f"{r.name}: no reply measured during the fan-out (it was too short)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__)
    p.add_argument("--reps", type=int, default=10_000, help="reps in the unlimited run")
    p.add_argument("--ceiling-reps", type=int, default=900, help="reps in the 30/s run")
    p.add_argument("--ceiling", type=float, default=30.0, help="RATE_LIMIT_PER_SECOND")
    p.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgresql://user@host:port/postgres) to create the "
        "benchmark databases on; default TEST_DATABASE_URL, else SQLite files",
    )
    opts = p.parse_args(sys.argv[1:] if argv is None else list(argv))
    server = server_url(opts.database_url)
    database = "PostgreSQL" if server else "SQLite"
    print(f"python {sys.version.split()[0]}; bot and sandbox in separate processes, {database}")

    async def both() -> list[Run]:
        ceiling = await fan_out("ceiling", opts.ceiling_reps, opts.ceiling, 600, server)
        unlimited = await fan_out("unlimited", opts.reps, 0, 600, server)
        return [ceiling, unlimited]

    print(report(asyncio.run(both())))


if __name__ == "__main__":
    main()
