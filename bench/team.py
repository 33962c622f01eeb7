"""The lead's /team for a large team, and the weekly digest fanned out to many leads.

    python -m bench.team                         # 200 reps, 30 views; 100 leads
    python -m bench.team --reps 500 --leads 300

Both runs use `python -m bot run` against the local sandbox with a fresh SQLite database:
  view    one lead, a team of `--reps` reps with 30 days of numbers, targets and practice:
          the lead sends /team and waits for the reply, `--views` times, first on "totals
          only", then on "per rep" with everyone agreed (the longest message); median and p95
          end to end (target: under 300 ms for 200 reps);
  digest  `--leads` leads, each with a team of five, all due at the same minute: the time
          from the first lead's digest to the last (each a photo with the chart), sent through
          the claimed-delivery path of the check-in tick; duplicates and missed (target: 0).
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from bench.fleet import EVERY_DAY, start_bot
from bot.coach.profile import Profile
from bot.coach.teams import PER_REP
from bot.sandbox import Sandbox
from bot.storage import open_storage
from bot.storage.profiles import profile_values
from bot.storage.tables import (
    activity_days,
    members,
    pitch_rehearsals,
    targets,
    team_leads,
    teams,
    users,
)

LEAD = 8_000_000
FIRST_REP = 8_100_000
FIRST_LEAD = 8_500_000
TEAM_OF_DIGEST = 5
PACE = 1.05


def _profile(user_id: int, now: datetime, **schedule: object) -> dict[str, object]:
    profile = Profile(user_id, user_id, "de", "UTC", onboarded=True).with_schedule(
        working_days=EVERY_DAY,
        quiet_start=datetime.min.time(),
        quiet_end=datetime.min.time(),
        # Check-ins far from now, so only what is measured goes out.
        morning_ping=(now + timedelta(hours=6)).time().replace(second=0, microsecond=0),
        checkins=frozenset({"morning"}),
        **schedule,
    )
    return {"id": user_id, "created_at": now, "updated_at": now, **profile_values(profile)}


async def _insert(conn: object, table: object, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), 500):
        await conn.execute(table.insert(), rows[start : start + 500])  # type: ignore[attr-defined]


async def seed(
    database: str, leads: Sequence[int], team_size: int, now: datetime, days: int
) -> list[int]:
    """Leads with one team each of `team_size` reps with `days` days of numbers; returns
    the team ids."""
    storage = await open_storage(database)
    team_ids: list[int] = []
    try:
        local = now.date()
        async with storage.engine.begin() as conn:
            await _insert(conn, users, [_profile(lead, now) for lead in leads])
            rep = FIRST_REP if len(leads) == 1 else FIRST_REP + 100_000
            for lead in leads:
                due = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
                result = await conn.execute(
                    teams.insert().values(
                        name="Vertrieb",
                        digest_day=local.weekday(),
                        digest_time=due,
                        created_at=now,
                        updated_at=now,
                    )
                )
                (team_id,) = result.inserted_primary_key or (0,)
                team_ids.append(team_id)
                await conn.execute(team_leads.insert().values(team_id=team_id, user_id=lead))
                ids = list(range(rep, rep + team_size))
                rep += team_size
                await _insert(
                    conn,
                    users,
                    [_profile(i, now) | {"display_name": f"Rep {i % 1000}"} for i in ids],
                )
                await _insert(
                    conn,
                    members,
                    [
                        {"user_id": i, "role": "rep", "team_id": team_id, "created_at": now}
                        | {"last_seen_at": now}
                        for i in ids
                    ],
                )
                await _insert(
                    conn,
                    targets,
                    [
                        {"user_id": i, "dials": 20, "conversations": 5, "appointments": 2}
                        | {"contacts": 5, "source": "manual", "updated_at": now}
                        for i in ids
                    ],
                )
                await _insert(
                    conn,
                    activity_days,
                    [
                        {"user_id": i, "day": local - timedelta(days=back), "dials": 10 + i % 20}
                        | {"conversations": 4, "appointments": 1, "contacts": 2}
                        | {"target_dials": 20, "version": 1, "updated_at": now}
                        for i in ids
                        for back in range(1, days + 1)
                    ],
                )
                await _insert(
                    conn,
                    pitch_rehearsals,
                    [{"user_id": i, "kind": "text", "created_at": now} for i in ids[::3]],
                )
    finally:
        await storage.close()
    return team_ids


async def _set_per_rep(database: str, team_id: int, now: datetime) -> None:
    storage = await open_storage(database, migrate=False)
    try:
        async with storage.engine.begin() as conn:
            await conn.execute(update(teams).values(visibility=PER_REP))
            await conn.execute(
                update(members).where(members.c.team_id == team_id).values(shares_confirmed_at=now)
            )
    finally:
        await storage.close()


async def view(reps: int, views: int) -> dict[str, tuple[float, float, int]]:
    """Median and p95 of /team → reply (ms), and the reply's length, per visibility."""
    figures: dict[str, tuple[float, float, int]] = {}
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'team.db'}"
        (team_id,) = await seed(database, [LEAD], reps, now, 30)
        async with Sandbox(bot_username="BenchBot", record_calls=False) as sandbox:
            extra = {"ADMIN_IDS": str(LEAD), "CHECKIN_TICK_SECONDS": "0"}
            child = await start_bot(sandbox, database, Path(tmp), extra)
            try:
                lead = sandbox.user(LEAD, first_name="Lead", language_code="de")
                lead.send_command("help")
                await lead.next_message(timeout=60)  # the bot is up
                for name in ("totals", "per_rep"):
                    if name == "per_rep":
                        await _set_per_rep(database, team_id, now)
                    latencies = []
                    length = 0
                    for _ in range(views + 3):
                        # Telegram allows a chat about one message a second after a burst:
                        # the bot's limiter does the same, and a lead taps no faster.
                        await asyncio.sleep(PACE)
                        lead.mark_read()
                        started = time.perf_counter()
                        lead.send_command("team")
                        reply = await lead.next_message(timeout=30)
                        latencies.append(1000 * (time.perf_counter() - started))
                        if not reply.text.startswith("👥"):
                            raise RuntimeError("not the team view")
                        length = len(reply.text)
                    latencies = latencies[3:]  # warm-up
                    figures[name] = (
                        statistics.median(latencies),
                        statistics.quantiles(latencies, n=20)[-1],
                        length,
                    )
            finally:
                child.send_signal(signal.SIGTERM)
                await asyncio.wait_for(child.wait(), timeout=30)
    return figures


async def digest(leads: int) -> tuple[float, int, int]:
    """Seconds from the first lead's digest to the last one's; duplicates; missed."""
    now = datetime.now(UTC)
    ids = list(range(FIRST_LEAD, FIRST_LEAD + leads))
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'digest.db'}"
        await seed(database, ids, TEAM_OF_DIGEST, now, 7)
        async with Sandbox(bot_username="BenchBot", record_calls=False) as sandbox:
            started = time.perf_counter()
            child = await start_bot(sandbox, database, Path(tmp), {"RATE_LIMIT_PER_SECOND": "0"})
            try:
                users = [sandbox.user(i) for i in ids]

                def done() -> bool:
                    return all(u.messages for u in users)

                deadline = time.perf_counter() + 300
                first: float | None = None
                while not done() and time.perf_counter() < deadline:
                    await asyncio.sleep(0.05)
                    if first is None and any(u.messages for u in users):
                        first = time.perf_counter()
                seconds = time.perf_counter() - (first or started)
                await asyncio.sleep(3)  # a few more ticks: nothing may come twice
                duplicates = sum(max(0, len(u.messages) - 1) for u in users)
                missed = sum(1 for u in users if not any(m.data.get("photo") for m in u.messages))
            finally:
                child.send_signal(signal.SIGTERM)
                await asyncio.wait_for(child.wait(), timeout=30)
    return seconds, duplicates, missed


def main(argv: Sequence[str] | None = None) -> None:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m bench.team", description=__doc__)
    p.add_argument("--reps", type=int, default=200, help="reps in the lead's team")
    p.add_argument("--views", type=int, default=30, help="/team requests per visibility")
    p.add_argument("--leads", type=int, default=100, help="leads due for the digest at once")
    opts = p.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; SQLite")
    for name, (p50, p95, length) in asyncio.run(view(opts.reps, opts.views)).items():
        print(
            f"/team, {opts.reps} reps, {name}: median {p50:.1f} ms, p95 {p95:.1f} ms "
            f"({length} characters)"
        )
    seconds, duplicates, missed = asyncio.run(digest(opts.leads))
    print(
        f"digest to {opts.leads} leads (teams of {TEAM_OF_DIGEST}), claimed by one tick: "
        f"first to last {seconds:.1f} s; duplicates {duplicates}, missed {missed}"
    )


if __name__ == "__main__":
    main()
