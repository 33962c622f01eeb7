"""End-to-end update throughput and latency: the real bot vs a minimal PTB echo bot.

Both bots run in a child process and long-poll the same local sandbox over loopback HTTP, so
each gets a core of its own while this process plays the users. Per update we measure from the
moment the user's update is queued to the moment the bot's reply reaches the sandbox.

    python -m bench.updates                     # all scenarios, default sizes
    python -m bench.updates --updates 500 --rounds 100

Scenarios for the real bot (the echo bot echoes the same texts):
  help    an onboarded rep sends /help: one profile read, one reply with the main menu;
  answer  a rep answers an open /settings question ("8:30"): read, one write transaction
          (profile + flow), one reply with the updated overview;
  again   like help, from reps who already wrote to this bot process once: the usual case
          for a rep who taps several times between calls (their session is cached).
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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.fleet import fresh_database, server_url
from bot.coach.profile import Profile
from bot.config import SANDBOX_TOKEN
from bot.sandbox import Sandbox, SandboxUser
from bot.storage import FlowState, open_storage

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WARMUP = 50
# Users per scenario and bot are distinct, so no update waits on another user's state.
FIRST_USER = 10_000


@dataclass(frozen=True)
class Result:
    """Figures of one scenario on one bot."""

    bot: str
    scenario: str
    updates: int
    seconds: float
    latencies_ms: tuple[float, ...]
    cpu_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        """Updates handled per second in the throughput run."""
        return self.updates / self.seconds

    @property
    def cost_ms(self) -> float:
        """Wall time per update in the throughput run."""
        return 1000 * self.seconds / self.updates

    @property
    def cpu_ms(self) -> float:
        """CPU time of the bot process per update in the throughput run."""
        return 1000 * self.cpu_seconds / self.updates

    @property
    def median_ms(self) -> float:
        """Median latency of the sequential run."""
        return statistics.median(self.latencies_ms)

    @property
    def p95_ms(self) -> float:
        """95th percentile latency of the sequential run."""
        return statistics.quantiles(self.latencies_ms, n=20)[-1]


# -- the bots (child process) --------------------------------------------------------------


async def _echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


def echo_application(base_url: str) -> Application:  # type: ignore[type-arg]
    """The floor: a minimal PTB echo bot."""
    app = ApplicationBuilder().token(SANDBOX_TOKEN).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    return app


async def serve(kind: str, base_url: str, database: str) -> None:
    """Run one bot against the sandbox until SIGTERM."""
    from bot.app import build_application, polling
    from bot.config import load_settings
    from bot.content import load_content

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    # BENCH_LOG_LEVEL: log as `sales-coach run` does at that level (unset: no logging set up).
    log_level = os.environ.get("BENCH_LOG_LEVEL", "").upper()
    if log_level:
        from bot.logs import setup_logging

        setup_logging(log_level, SANDBOX_TOKEN)
    if kind == "echo":
        app = echo_application(base_url)
    else:
        settings = load_settings(
            telegram_bot_token=SANDBOX_TOKEN,
            telegram_api_base_url=base_url,
            database_url=database,
            rate_limit_per_second=0,  # Telegram's 30/s cap would measure the cap, not the bot
            checkin_tick_seconds=0,  # updates only: no check-ins in between
            log_level=log_level or "WARNING",
            access_mode="open",  # the seeded reps hold no invite
        )
        app = build_application(settings, load_content(), clock=lambda: NOW)
    async with polling(app):
        await stop.wait()


# -- the users (this process) --------------------------------------------------------------


async def seed(database: str, user_ids: Sequence[int], open_question: bool) -> None:
    """Onboarded reps; with open_question each waits for the answer to a settings question."""
    storage = await open_storage(database)
    try:
        for user_id in user_ids:
            profile = Profile(user_id, user_id, "de", "Europe/Berlin", onboarded=True)
            await storage.users.create(profile, NOW)
            if open_question:
                await storage.flows.set(user_id, FlowState("settings", "morning"), NOW)
    finally:
        await storage.close()


async def start_bot(kind: str, base_url: str, database: str) -> asyncio.subprocess.Process:
    """Start a bot in a child process (under cProfile if BENCH_PROFILE names a folder)."""
    env = {**os.environ, "PTB_TIMEDELTA": "true"}
    command = [sys.executable, "-m", "bench.updates", "serve", kind, base_url, database]
    if profile_dir := os.environ.get("BENCH_PROFILE"):
        out = Path(profile_dir) / f"{kind}-{os.getpid()}-{time.monotonic_ns()}.prof"
        command[1:1] = ["-m", "cProfile", "-o", str(out)]
    return await asyncio.create_subprocess_exec(*command, env=env)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def exchange(user: SandboxUser, text: str) -> float:
    """Send one text and wait for the reply; the latency in milliseconds."""
    started = time.perf_counter()
    user.send_text(text)
    await user.next_message(timeout=30)
    return 1000 * (time.perf_counter() - started)


async def run_scenario(
    sandbox: Sandbox,
    kind: str,
    scenario: str,
    updates: int,
    rounds: int,
    workdir: Path,
    index: int = 0,
    server: str | None = None,
) -> Result:
    """Warm up, then a sequential latency run and a burst throughput run."""
    async with fresh_database(server, workdir, f"{kind}_{scenario}") as database:
        return await _run_scenario(sandbox, kind, scenario, updates, rounds, index, database)


async def _run_scenario(
    sandbox: Sandbox,
    kind: str,
    scenario: str,
    updates: int,
    rounds: int,
    index: int,
    database: str,
) -> Result:
    """One scenario on one bot and a fresh database (a URL)."""
    text = "8:30" if scenario == "answer" else "/help"
    # Fresh users for every run: the sandbox keeps each chat's history.
    first = FIRST_USER + index * 1_000_000 + (0 if kind == "echo" else 500_000)
    ids = list(range(first, first + WARMUP + rounds + updates))
    if kind == "real":
        await seed(database, ids, open_question=scenario == "answer")
    users = [sandbox.user(i, first_name="Rep", language_code="de") for i in ids]
    child = await start_bot(kind, sandbox.base_url, database)
    try:
        warm, sequential, burst = (
            users[:WARMUP],
            users[WARMUP : WARMUP + rounds],
            users[WARMUP + rounds :],
        )
        for user in warm:
            await exchange(user, text)
        if scenario == "again":
            for user in sequential + burst:
                user.send_text(text)
            for user in sequential + burst:
                await user.next_message(timeout=60)
        latencies = tuple([await exchange(user, text) for user in sequential])
        cpu_before = cpu_seconds(child.pid)
        started = time.perf_counter()
        for user in burst:
            user.send_text(text)
        for user in burst:
            await user.next_message(timeout=60)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(child.pid) - cpu_before
    finally:
        child.send_signal(signal.SIGTERM)
        await asyncio.wait_for(child.wait(), timeout=30)
    sandbox.clear_calls()
    return Result(kind, scenario, updates, seconds, latencies, cpu)


def combine(runs: Sequence[Result]) -> Result:
    """Several runs of one bot and scenario: the median run's throughput, all latencies."""
    ordered = sorted(runs, key=lambda r: r.cost_ms)
    median = ordered[len(ordered) // 2]
    latencies = tuple(ms for r in runs for ms in r.latencies_ms)
    cpu = statistics.median(r.cpu_seconds for r in runs)
    return Result(median.bot, median.scenario, median.updates, median.seconds, latencies, cpu)


def report(results: Sequence[Result]) -> str:
    """The figures as a table, with each scenario's cost and latency relative to the echo bot."""
    echo = {r.scenario: r for r in results if r.bot == "echo"}
    lines = [
        f"{'bot':<5} {'scenario':<8} {'updates/s':>10} {'ms/update':>10} "
        f"{'cpu ms/upd':>10} {'lat p50 ms':>11} {'lat p95 ms':>11} "
        f"{'cost vs echo':>13} {'cpu vs echo':>12} {'p50 vs echo':>12}"
    ]
    for r in results:
        floor = echo.get(r.scenario)
        cost = f"{r.cost_ms / floor.cost_ms:.2f}x" if floor else "-"
        latency = f"{r.median_ms / floor.median_ms:.2f}x" if floor else "-"
        cpu = f"{r.cpu_ms / floor.cpu_ms:.2f}x" if floor and floor.cpu_ms else "-"
        lines.append(
            f"{r.bot:<5} {r.scenario:<8} {r.per_second:>10.0f} {r.cost_ms:>10.3f} "
            f"{r.cpu_ms:>10.3f} {r.median_ms:>11.2f} {r.p95_ms:>11.2f} "
            f"{cost:>13} {cpu:>12} {latency:>12}"
        )
    return "\n".join(lines)


async def measure(
    updates: int,
    rounds: int,
    scenarios: Sequence[str],
    repeat: int,
    server: str | None = None,
) -> list[Result]:
    """Run every scenario on both bots, alternating, `repeat` times; combine the runs."""
    runs: dict[tuple[str, str], list[Result]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox(bot_username="BenchBot", record_calls=False) as sandbox:
            for index in range(repeat):
                for scenario in scenarios:
                    for kind in ("echo", "real"):
                        workdir = Path(tmp) / str(index)
                        workdir.mkdir(exist_ok=True)
                        result = await run_scenario(
                            sandbox, kind, scenario, updates, rounds, workdir, index, server
                        )
                        runs.setdefault((kind, scenario), []).append(result)
    return [combine(r) for r in runs.values()]


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] == "serve":
        asyncio.run(serve(*args[1:4]))
        return
    p = argparse.ArgumentParser(prog="python -m bench.updates", description=__doc__)
    p.add_argument("--updates", type=int, default=2000, help="updates in the burst run")
    p.add_argument("--rounds", type=int, default=300, help="exchanges in the latency run")
    p.add_argument("--repeat", type=int, default=3, help="runs per bot and scenario")
    p.add_argument("--scenario", action="append", choices=("help", "again", "answer"))
    p.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgresql://user@host:port/postgres) to create the "
        "benchmark databases on; default TEST_DATABASE_URL, else SQLite files",
    )
    opts = p.parse_args(args)
    server = server_url(opts.database_url)
    scenarios = opts.scenario or ["help", "again", "answer"]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; {opts.updates} updates per "
        f"burst, {opts.rounds} sequential rounds, {opts.repeat} runs each (median run shown); "
        f"real bot: CONCURRENT_UPDATES={os.environ.get('CONCURRENT_UPDATES', 'default')}, "
        f"{'PostgreSQL' if server else 'SQLite'}"
    )
    results = asyncio.run(measure(opts.updates, opts.rounds, scenarios, opts.repeat, server))
    print(report(results))


if __name__ == "__main__":
    main()
