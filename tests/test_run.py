"""`sales-coach run` as an operator starts it: a real process, long polling a Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.coach.access import ADMIN
from bot.config import SANDBOX_TOKEN
from bot.sandbox import Sandbox
from bot.storage import open_storage
from bot.storage.engine import create_engine
from bot.storage.migrate import current, revisions


def operator_env(sandbox: Sandbox, database_url: str, **settings: str) -> dict[str, str]:
    """The environment an operator gives `sales-coach`: this sandbox, this database, DEBUG."""
    # As an operator writes it: without the async driver (sqlite:///…, postgresql://…).
    url = make_url(database_url)
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
        "TELEGRAM_API_BASE_URL": sandbox.base_url,
        "TELEGRAM_API_FILE_URL": sandbox.base_file_url,
        "DATABASE_URL": url.set(drivername=url.get_backend_name()).render_as_string(False),
        "LOG_LEVEL": "DEBUG",
        **settings,
    }


async def sales_coach(command: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """`python -m bot <command>` as a child process with its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        command,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_run_serves_updates_and_stops_cleanly_on_sigterm(
    tmp_path: Path, database_url: str
) -> None:
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        # Anyone may talk to it (the default, invite mode, would refuse the test user).
        env = operator_env(sandbox, database_url, ACCESS_MODE="open")
        process = await sales_coach("run", env, tmp_path)
        try:
            user = sandbox.user(501, language_code="en")
            user.send_command("start")
            reply = await user.next_message(timeout=30)
            assert "sales coach" in reply.text
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0
        engine = create_engine(database_url)
        try:
            assert await current(engine) == revisions()[-1], "migrations ran on start"
        finally:
            await engine.dispose()
        log = out.decode() + err.decode()
        assert SANDBOX_TOKEN not in log, "the token never reaches the log"
        assert SANDBOX_TOKEN.split(":")[1] not in log


async def test_owner_link_is_printed_on_request_and_never_logged(
    tmp_path: Path, database_url: str
) -> None:
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        # The default: invite mode, and nobody is an admin yet.
        env = operator_env(
            sandbox, database_url, ACCESS_MODE="invite", ADMIN_IDS="", DEFAULT_LANGUAGE="en"
        )
        process = await sales_coach("run", env, tmp_path)
        try:
            stranger = sandbox.user(601, language_code="en")
            stranger.send_command("start")
            refusal = await stranger.next_message(timeout=30)
            command = await sales_coach("owner-link", env, tmp_path)
            printed, _ = await asyncio.wait_for(command.communicate(), timeout=60)
            assert command.returncode == 0
            link = printed.decode().split()[-1]
            assert link.startswith("https://t.me/SalesCoachBot?start=")
            code = link.partition("start=")[2]
            owner = sandbox.user(602, language_code="en")
            owner.send_command("start", code)
            welcome = await owner.next_message(timeout=30)
            assert welcome.text != refusal.text, "the link lets its opener in"
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        log = out.decode() + err.decode()
        assert "owner-link" in log, "the log says how to get the link"
        assert code not in log, "the one-time admin code never reaches the log"
        again = await sales_coach("owner-link", env, tmp_path)
        printed, _ = await asyncio.wait_for(again.communicate(), timeout=60)
        assert again.returncode == 1, "once used, there is no owner link any more"
        assert code not in printed.decode()
    storage = await open_storage(database_url, migrate=False)
    try:
        member = await storage.access.member(602)
    finally:
        await storage.close()
    assert member is not None
    assert member.role == ADMIN


async def test_the_demo_speaks_the_demo_users_language_from_its_first_line(
    tmp_path: Path,
) -> None:
    """`sales-coach demo --language en` greets in English, whatever the operator's default."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["DEFAULT_LANGUAGE"] = "de"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "demo",
        "--database",
        str(tmp_path / "demo.db"),
        "--language",
        "en",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    out, _ = await asyncio.wait_for(process.communicate(b"/quit\n"), timeout=60)
    assert process.returncode == 0
    first = out.decode().splitlines()[0]
    assert first == "Sales Coach demo: a chat with the bot, no Telegram needed."
