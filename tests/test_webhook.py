"""Webhook mode: the settings it needs, and `sales-coach run` serving updates by webhook.

The test plays Telegram (or the reverse proxy in front of the bot): it posts the sandbox
users' updates to the bot's webhook server, with the right secret, a wrong one or none.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.__main__ import main
from bot.app import build_application
from bot.config import SANDBOX_TOKEN, SettingsError, load_settings
from bot.content import Content
from bot.handlers.context import DEPS_KEY
from bot.sandbox import Sandbox
from bot.storage.engine import create_engine
from bot.storage.tables import users
from bot.webhook import HEALTH_PATH, SECRET_HEADER, webhook

SECRET = "webhook-secret_for-the-tests-0123456789"
WEBHOOK_URL = "https://coach.example.test/telegram/updates"
WEBHOOK_VARIABLES = (
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "WEBHOOK_PATH",
    "DEFAULT_LANGUAGE",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No webhook variables or .env of the developer's machine leak in."""
    for name in WEBHOOK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SANDBOX_TOKEN)
    monkeypatch.chdir(tmp_path)


# -- settings ----------------------------------------------------------------------------


@pytest.mark.usefixtures("clean_env")
def test_webhook_settings_default_to_polling_and_derive_the_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = load_settings()
    assert s.webhook_url is None
    assert (s.webhook_listen, s.webhook_port) == ("0.0.0.0", 8080)
    monkeypatch.setenv("WEBHOOK_URL", WEBHOOK_URL)
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    s = load_settings()
    assert s.webhook_route == "/telegram/updates"
    assert s.webhook_secret is not None
    assert SECRET not in repr(s)
    monkeypatch.setenv("WEBHOOK_PATH", "hook")
    monkeypatch.setenv("WEBHOOK_PORT", "9000")
    s = load_settings()
    assert (s.webhook_route, s.webhook_port) == ("/hook", 9000)


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("env", "variable", "problem"),
    [
        ({"WEBHOOK_SECRET": ""}, "WEBHOOK_SECRET", "webhook_secret_missing"),
        ({"WEBHOOK_SECRET": " "}, "WEBHOOK_SECRET", "webhook_secret_missing"),
        ({"WEBHOOK_SECRET": "has space"}, "WEBHOOK_SECRET", "webhook_secret"),
        ({"WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET", "webhook_secret"),
        ({"WEBHOOK_URL": "http://coach.example.test/"}, "WEBHOOK_URL", "webhook_url"),
        ({"WEBHOOK_URL": "not a url"}, "WEBHOOK_URL", "webhook_url"),
        ({"WEBHOOK_PORT": "0"}, "WEBHOOK_PORT", "invalid"),
    ],
)
def test_bad_webhook_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str, problem: str
) -> None:
    # A good pair unless the case replaces one of them.
    for name, value in {"WEBHOOK_URL": WEBHOOK_URL, "WEBHOOK_SECRET": SECRET, **env}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert (caught.value.variable, caught.value.problem) == (variable, problem)


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(("secret", "problem"), [(None, "missing"), ("bad secret!", "malformed")])
def test_run_without_a_good_secret_stops_with_one_sentence(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    secret: str | None,
    problem: str,
) -> None:
    monkeypatch.setenv("DEFAULT_LANGUAGE", lang)
    monkeypatch.setenv("WEBHOOK_URL", WEBHOOK_URL)
    if secret is not None:
        monkeypatch.setenv("WEBHOOK_SECRET", secret)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("WEBHOOK_SECRET"), err
    if secret is not None:
        assert secret not in err


# -- serving -----------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on loopback that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_healthy(
    session: aiohttp.ClientSession,
    url: str,
    process: asyncio.subprocess.Process,
    within: float = 30.0,
) -> dict[str, Any]:
    """Poll /healthz until the bot process answers 200 (it is a separate process)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        assert process.returncode is None, "the bot process exited during start-up"
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    body: dict[str, Any] = await response.json()
                    return body
        except aiohttp.ClientConnectionError:
            pass
        assert loop.time() < deadline, "the webhook server did not come up"
        await asyncio.sleep(0.1)


async def test_run_by_webhook_refuses_requests_without_the_secret(
    tmp_path: Path, database_url: str
) -> None:
    url = make_url(database_url)
    operator_url = url.set(drivername=url.get_backend_name()).render_as_string(False)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    hook = f"{base}/telegram/updates"
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        env = {
            **{k: v for k, v in os.environ.items() if k not in WEBHOOK_VARIABLES},
            "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
            "TELEGRAM_API_BASE_URL": sandbox.base_url,
            "TELEGRAM_API_FILE_URL": sandbox.base_file_url,
            "DATABASE_URL": operator_url,
            "LOG_LEVEL": "DEBUG",
            "ACCESS_MODE": "open",
            "WEBHOOK_URL": WEBHOOK_URL,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with aiohttp.ClientSession() as session:
                health = await wait_healthy(session, base + HEALTH_PATH, process)
                assert health == {"ok": True, "database": "ok"}
                assert sandbox.webhook["url"] == WEBHOOK_URL
                assert sandbox.webhook_secret == SECRET

                stranger = sandbox.user(601, language_code="en")
                async with session.post(hook, json=stranger.send_command("start")) as response:
                    assert response.status == 401
                guesser = sandbox.user(602, language_code="en")
                async with session.post(
                    hook,
                    json=guesser.send_command("start"),
                    headers={SECRET_HEADER: SECRET[:-1] + "x"},
                ) as response:
                    assert response.status == 403
                async with session.post(
                    hook, data=b"{not json", headers={SECRET_HEADER: SECRET}
                ) as response:
                    assert response.status == 400

                rep = sandbox.user(603, language_code="en")
                async with session.post(
                    hook, json=rep.send_command("start"), headers={SECRET_HEADER: SECRET}
                ) as response:
                    assert response.status == 200
                reply = await rep.next_message(timeout=30)
                assert "sales coach" in reply.text
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        log = out.decode() + err.decode()
        assert process.returncode == 0, log
        # The refused requests were never processed: no reply, no row.
        chats = {call.params.get("chat_id") for call in sandbox.calls_for("sendMessage")}
        assert chats == {603}
        engine = create_engine(database_url)
        try:
            async with engine.connect() as connection:
                stored = set((await connection.execute(select(users.c.id))).scalars())
        finally:
            await engine.dispose()
        assert stored == {603}
        assert SECRET not in log, "the webhook secret never reaches the log"
        assert SANDBOX_TOKEN not in log


async def test_healthz_reports_a_failing_database_with_503(
    content: Content, database_url: str
) -> None:
    port = free_port()
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        settings = load_settings(
            telegram_bot_token=SANDBOX_TOKEN,
            telegram_api_base_url=sandbox.base_url,
            telegram_api_file_url=sandbox.base_file_url,
            database_url=database_url,
            access_mode="open",
            checkin_tick_seconds=0,
            webhook_url=WEBHOOK_URL,
            webhook_secret=SECRET,
            webhook_listen="127.0.0.1",
            webhook_port=port,
        )
        app = build_application(settings, content)
        health = f"http://127.0.0.1:{port}{HEALTH_PATH}"
        async with webhook(app, settings), aiohttp.ClientSession() as session:
            async with session.get(health) as response:
                assert response.status == 200
            # The database goes away (here: the bot's own connection closes).
            await app.bot_data[DEPS_KEY].close_storage()
            async with session.get(health) as response:
                assert response.status == 503
                assert await response.json() == {"ok": False, "database": "error"}
