"""A practice-call turn end to end: the rep's answer queued → the customer's reply at the sandbox.

    python -m bench.roleplay                  # 300 turns, one after another
    python -m bench.roleplay --turns 1000

The bot runs in a child process against the sandbox in this one (see bench/updates.py), with the
built-in customer (no language model). A known rep (the next of a pool) opens each scenario from
/rollenspiel at medium (not timed) and plays its scripted good run from
tests/data/roleplay_runs.yaml, turn by turn, in German and English; each turn is scored, stored
and answered by the customer, and the last one of a call also stores the result and the practice
suggestion before the reply (the scorecard that follows is not timed). Target (issue 14): p95
under 30 ms.
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
from typing import Any

import yaml

from bench.updates import NOW, start_bot
from bot.coach.profile import Profile
from bot.content import DEFAULT_PROMPTS
from bot.sandbox import Sandbox, SandboxMessage, SandboxUser
from bot.storage import open_storage

RUNS = Path(__file__).resolve().parent.parent / "tests" / "data" / "roleplay_runs.yaml"
FIRST_USER = 40_000
WARM_UP = 20
TARGET_P95_MS = 30.0


def scripted_calls() -> list[tuple[str, str, list[str]]]:
    """(scenario id, language, the good run's rep turns) of every scenario and language."""
    data = yaml.safe_load(RUNS.read_text(encoding="utf-8"))
    calls = []
    for scenario_id, languages in sorted(data["runs"].items()):
        for lang in ("de", "en"):
            calls.append((scenario_id, lang, list(languages[lang]["good"]["turns"])))
    return calls


def starts(scenario_id: str, lang: str) -> str:
    """Who speaks first in a scenario: customer or rep."""
    path = DEFAULT_PROMPTS / lang / "roleplay" / f"{scenario_id}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return str(data["starts"])


def edited(message: SandboxMessage) -> Callable[[], bool]:
    """A condition: the message has been edited."""
    count = message.edit_count
    return lambda: message.edit_count > count


async def open_call(user: SandboxUser, command: str, scenario_id: str, first: str) -> None:
    """/rollenspiel, the scenario, medium: read the intro (and the customer's first line)."""
    user.send_command(command)
    picker = await user.next_message(timeout=30)
    changed = edited(picker)
    user.press(f"rp:s:{scenario_id}", message=picker)
    await user.wait_for(changed, timeout=30)
    user.press(f"rp:go:{scenario_id}:medium", message=picker)
    await user.next_message(timeout=30)
    if first == "customer":
        await user.next_message(timeout=30)


async def seed_reps(database: str, per_language: int) -> dict[str, list[int]]:
    """Onboarded reps per language: the scenarios and cue lists follow the profile's."""
    storage = await open_storage(database)
    reps = {
        lang: [FIRST_USER + 2 * n + offset for n in range(per_language)]
        for offset, lang in enumerate(("de", "en"))
    }
    try:
        for lang, user_ids in reps.items():
            for user_id in user_ids:
                profile = Profile(user_id, user_id, lang, "Europe/Berlin", onboarded=True)
                await storage.users.create(profile, NOW)
    finally:
        await storage.close()
    return reps


async def measure(turns: int, per_language: int) -> list[float]:
    """Latency in ms of `turns` rep turns after a warm-up, one after another."""
    calls = scripted_calls()
    first = {(s, lang): starts(s, lang) for s, lang, _ in calls}
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'roleplay.db'}"
        ids = await seed_reps(database, per_language)
        async with Sandbox(bot_username="BenchBot", record_calls=False) as sandbox:
            child = await start_bot("real", sandbox.base_url, database)
            try:
                users = {
                    lang: [sandbox.user(i, first_name="Rep", language_code=lang) for i in user_ids]
                    for lang, user_ids in ids.items()
                }
                n = 0
                while len(latencies) < turns + WARM_UP:
                    scenario_id, lang, texts = calls[n % len(calls)]
                    n += 1
                    # Each call by the next rep: a person types a line every few seconds, so
                    # no chat runs into Telegram's per-chat limit (a burst, then 1 message/s),
                    # which the bot's rate limiter keeps and back-to-back turns would hit.
                    pool = users[lang]
                    user = pool[(n // 2) % len(pool)]
                    command = "rollenspiel" if lang == "de" else "roleplay"
                    await open_call(user, command, scenario_id, first[(scenario_id, lang)])
                    for index, text in enumerate(texts):
                        started = time.perf_counter()
                        user.send_text(text)
                        await user.next_message(timeout=30)
                        latencies.append(1000 * (time.perf_counter() - started))
                        if index == len(texts) - 1:
                            await user.next_message(timeout=30)  # the scorecard, not timed
            finally:
                child.send_signal(signal.SIGTERM)
                await asyncio.wait_for(child.wait(), timeout=30)
    # The first turns warm up connections, caches and the engine's word lists.
    return latencies[WARM_UP:]


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m bench.roleplay", description=__doc__)
    p.add_argument("--turns", type=int, default=300, help="rep turns measured")
    p.add_argument("--reps", type=int, default=60, help="reps per language, taking turns")
    opts = p.parse_args(argv)
    latencies = asyncio.run(measure(opts.turns, opts.reps))
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; {len(latencies)} turns by "
        f"{opts.reps} reps per language"
    )
    print(
        f"practice-call turn → customer's reply: p50 {statistics.median(latencies):.2f} ms, "
        f"p95 {p95:.2f} ms, max {max(latencies):.2f} ms "
        f"(target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
