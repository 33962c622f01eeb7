"""Start-up: `python -m bot run` as an operator starts it, from exec to its first long poll.

    python -m bench.startup                  # 5 starts at LOG_LEVEL=INFO
    python -m bench.startup --runs 9 --log-level WARNING

Every start is a fresh process against the local sandbox and one SQLite file, migrated by an
unmeasured first start (the usual restart: the schema is up to date). *Start-up* is the time
from just before the exec to the first getUpdates reaching the sandbox; *memory at rest* is the
bot process's peak RSS (VmHWM) after it has polled for a while. Both are medians over the runs;
the bot's CPU time until its first poll is printed too, as it varies less on a busy machine.

By default the bot runs as installed (pip and the Docker image byte-compile every module): the
unmeasured first start writes the bytecode into a temporary cache (PYTHONPYCACHEPREFIX) that
the measured starts read. `--as-is` keeps this environment instead, e.g. an editable checkout
under PYTHONDONTWRITEBYTECODE=1, where the project's modules are compiled on every start.
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.updates import cpu_seconds
from bot.config import SANDBOX_TOKEN
from bot.sandbox import Sandbox

TARGET_SECONDS = 1.5
TARGET_MB = 110.0
# How long the bot polls before its memory is read: the scheduler's first tick is in.
REST_SECONDS = 3.0


@dataclass(frozen=True)
class Start:
    """One start: seconds to the first poll (wall and the bot's CPU) and peak RSS in MB."""

    seconds: float
    cpu_seconds: float
    peak_mb: float


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM) in MB, from Linux /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


async def start_once(
    database: str, workdir: Path, base_env: Mapping[str, str], log_level: str, rest: float
) -> Start:
    """Start the bot, wait for its first getUpdates, let it rest, read its memory, stop it."""
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        env = {
            **base_env,
            "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
            "TELEGRAM_API_BASE_URL": sandbox.base_url,
            "TELEGRAM_API_FILE_URL": sandbox.base_file_url,
            "DATABASE_URL": f"sqlite:///{database}",
            "LOG_LEVEL": log_level,
            "ACCESS_MODE": "open",
        }
        log = workdir / "bot.log"
        started = time.monotonic()
        with log.open("wb") as out:
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, cwd=workdir, stdout=out, stderr=out
            )
        try:
            while not (polls := sandbox.calls_for("getUpdates")):
                if child.returncode is not None:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"the bot exited with {child.returncode}:\n{tail}")
                if time.monotonic() - started > 60:
                    raise TimeoutError("no getUpdates within 60 s")
                await asyncio.sleep(0.005)
            seconds = polls[0].at - started
            # Less noisy than the wall time on a busy machine; read within a few ms of the poll.
            cpu = cpu_seconds(child.pid)
            await asyncio.sleep(rest)
            peak = peak_rss_mb(child.pid)
        finally:
            if child.returncode is None:
                child.send_signal(signal.SIGTERM)
            await asyncio.wait_for(child.wait(), timeout=30)
    return Start(seconds, cpu, peak)


async def measure(runs: int, log_level: str, rest: float, as_is: bool) -> list[Start]:
    """One unmeasured start that migrates the database (and byte-compiles unless `as_is`),
    then `runs` measured starts."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database = str(workdir / "startup.db")
        env = dict(os.environ)
        if not as_is:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        await start_once(database, workdir, env, log_level, 0.0)
        return [await start_once(database, workdir, env, log_level, rest) for _ in range(runs)]


def verdict(value: float, target: float) -> str:
    """'ok' under the target, else how far above it."""
    return "ok" if value < target else f"{value / target - 1:.0%} above"


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    p.add_argument("--runs", type=int, default=5, help="measured starts")
    p.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.add_argument(
        "--rest", type=float, default=REST_SECONDS, help="seconds of polling before memory"
    )
    p.add_argument(
        "--as-is",
        action="store_true",
        help="this environment's bytecode settings, not those of an installed bot",
    )
    opts = p.parse_args(argv)
    starts = asyncio.run(measure(opts.runs, opts.log_level, opts.rest, opts.as_is))
    times = [s.seconds for s in starts]
    seconds = statistics.median(times)
    cpu = statistics.median(s.cpu_seconds for s in starts)
    peak = statistics.median(s.peak_mb for s in starts)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; {opts.runs} starts of "
        f"`python -m bot run` at LOG_LEVEL={opts.log_level}, SQLite, "
        f"{'this environment as it is' if opts.as_is else 'byte-compiled as installed'}"
    )
    print(
        f"start → first getUpdates: median {seconds:.2f} s (min {min(times):.2f}, max "
        f"{max(times):.2f}); target {TARGET_SECONDS} s: "
        f"{verdict(seconds, TARGET_SECONDS)}; the bot's CPU until then: median {cpu:.2f} s"
    )
    print(
        f"peak RSS after {opts.rest:g} s polling: median {peak:.1f} MB (max "
        f"{max(s.peak_mb for s in starts):.1f}); target {TARGET_MB:g} MB: "
        f"{verdict(peak, TARGET_MB)}"
    )


if __name__ == "__main__":
    main()
