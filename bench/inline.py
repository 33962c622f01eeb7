"""An inline query end to end: `@bot zu teuer` typed → the bot's answer stored in the sandbox.

    python -m bench.inline                    # 300 queries, one after another

The bot runs in a child process (see bench/updates.py); the queries come from reps it knows,
drawn from the labelled phrasings, so the matcher does real work. Target (issue 5): median
under 50 ms.
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

import yaml

from bench.updates import seed, start_bot
from bot.sandbox import Sandbox

PHRASINGS = Path(__file__).resolve().parent.parent / "tests" / "data" / "objection_phrasings.yaml"
FIRST_USER = 30_000


def phrasings() -> list[str]:
    """Customer phrasings from the labelled test set, German and English."""
    data = yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return texts


def answered(sandbox: Sandbox, query_id: str) -> Callable[[], object]:
    """A condition: the bot has answered this inline query."""
    return lambda: sandbox.inline_answer(query_id)


async def measure(queries: int) -> list[float]:
    """Latency in ms of `queries` inline queries, one after another."""
    texts = phrasings()
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'inline.db'}"
        await seed(database, [FIRST_USER], open_question=False)
        async with Sandbox(bot_username="BenchBot", record_calls=False) as sandbox:
            child = await start_bot("real", sandbox.base_url, database)
            try:
                user = sandbox.user(FIRST_USER, first_name="Rep", language_code="de")
                latencies: list[float] = []
                for n in range(queries + 20):
                    started = time.perf_counter()
                    query_id = user.inline_query(texts[n % len(texts)])
                    await user.wait_for(answered(sandbox, query_id), timeout=30)
                    if n >= 20:  # the first ones warm up connections and caches
                        latencies.append(1000 * (time.perf_counter() - started))
            finally:
                child.send_signal(signal.SIGTERM)
                await asyncio.wait_for(child.wait(), timeout=30)
    return latencies


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m bench.inline", description=__doc__)
    p.add_argument("--queries", type=int, default=300)
    opts = p.parse_args(argv)
    latencies = asyncio.run(measure(opts.queries))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; {len(latencies)} queries")
    print(
        f"inline query → answer: p50 {statistics.median(latencies):.2f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.2f} ms, max {max(latencies):.2f} ms"
    )


if __name__ == "__main__":
    main()
