"""The log-privacy run of tests/test_log_privacy.py in webhook mode: the test posts each update
to the bot's webhook server as Telegram would, and the log holds nothing a rep typed or got."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.sandbox import Sandbox
from bot.webhook import HEALTH_PATH, SECRET_HEADER
from tests.test_log_privacy import assert_private, bot_env, bot_process, use_every_feature
from tests.test_webhook import SECRET, WEBHOOK_URL, WEBHOOK_VARIABLES, free_port, wait_healthy


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_the_webhook_log_holds_nothing_a_rep_typed_or_was_given(
    tmp_path: Path, database_url: str, level: str
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        env = {
            **{
                k: v
                for k, v in bot_env(sandbox, database_url, level).items()
                if k not in WEBHOOK_VARIABLES
            },
            "WEBHOOK_URL": WEBHOOK_URL,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
        async with bot_process(env, tmp_path) as bot, aiohttp.ClientSession() as session:
            await wait_healthy(session, base + HEALTH_PATH, bot.process)

            async def post(update: dict[str, Any]) -> None:
                """Telegram's delivery of one update."""
                async with session.post(
                    f"{base}/telegram/updates", json=update, headers={SECRET_HEADER: SECRET}
                ) as response:
                    assert response.status == 200

            code = await use_every_feature(sandbox, post)
            assert not sandbox.calls_for("getUpdates"), "served by webhook, not by polling"
    assert_private(bot.log, code)
    assert SECRET not in bot.log
