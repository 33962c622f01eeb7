"""Many reps due at once, and the real bot as a separate process: shared by the fan-out
benchmark and the crash test."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.coach.profile import Profile
from bot.config import SANDBOX_TOKEN
from bot.sandbox import Sandbox
from bot.storage import open_storage
from bot.storage.profiles import profile_values
from bot.storage.tables import users

EVERY_DAY = frozenset(range(7))


def due_now(now: datetime) -> time:
    """A morning-ping time (UTC) that is due at `now` and stays within its grace for a while."""
    return (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)


async def seed_reps(database_url: str, ids: Sequence[int], ping: time, now: datetime) -> None:
    """Store onboarded reps in UTC (no holidays, no quiet hours) with only the morning ping on."""
    storage = await open_storage(database_url)
    try:
        rows = []
        for user_id in ids:
            profile = Profile(user_id, user_id, "de", "UTC", onboarded=True).with_schedule(
                working_days=EVERY_DAY,
                morning_ping=ping,
                quiet_start=time(0, 0),
                quiet_end=time(0, 0),
                checkins=frozenset({"morning"}),
            )
            rows.append(
                {"id": user_id, "created_at": now, "updated_at": now, **profile_values(profile)}
            )
        async with storage.engine.begin() as conn:
            for start in range(0, len(rows), 500):
                await conn.execute(users.insert(), rows[start : start + 500])
    finally:
        await storage.close()


async def start_bot(
    sandbox: Sandbox, database_url: str, workdir: Path, extra: Mapping[str, str]
) -> asyncio.subprocess.Process:
    """`python -m bot run` against the sandbox, with a fast check-in tick."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "TELEGRAM_API_FILE_URL": sandbox.base_file_url,
        "DATABASE_URL": database_url,
        "CHECKIN_TICK_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
        "ACCESS_MODE": "open",  # the seeded reps hold no invite
        **extra,
    }
    # BENCH_PROFILE=<folder>: run the bot under cProfile (written when it stops on SIGTERM).
    profile = os.environ.get("BENCH_PROFILE")
    wrap = ["-m", "cProfile", "-o", f"{profile}/bot-{os.getpid()}.prof"] if profile else []
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *wrap,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=workdir,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def received(sandbox: Sandbox, ids: Sequence[int]) -> dict[int, int]:
    """How many bot messages each rep has in their chat."""
    return {user_id: len(sandbox.user(user_id).messages) for user_id in ids}


def server_url(option: str | None) -> str | None:
    """The PostgreSQL server to benchmark on: the option, else TEST_DATABASE_URL, else None."""
    value = (option or os.environ.get("TEST_DATABASE_URL", "")).strip()
    return value or None


@asynccontextmanager
async def fresh_database(server: str | None, folder: Path, name: str) -> AsyncIterator[str]:
    """A new empty database: an SQLite file in `folder`, or one on the PostgreSQL `server`
    (postgresql://user@host:port/postgres), dropped afterwards."""
    if server is None:
        yield f"sqlite+aiosqlite:///{folder / f'{name}.db'}"
        return
    url = make_url(server).set(drivername="postgresql+asyncpg")
    database = f"bench_{name}_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
        try:
            yield url.set(database=database).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as conn:
                await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await admin.dispose()
