"""Starting and stopping: ports, and nothing left waiting when the sandbox stops."""

from __future__ import annotations

import asyncio
import time

import telegram

from bot.sandbox import Sandbox
from tests.sandbox.conftest import TOKEN


async def test_urls_and_port() -> None:
    sandbox = Sandbox()
    await sandbox.start()
    try:
        assert sandbox.port > 0
        assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/bot"
        assert sandbox.base_file_url == f"http://127.0.0.1:{sandbox.port}/file/bot"
    finally:
        await sandbox.stop()
    await sandbox.stop()  # idempotent


async def test_stop_answers_pending_long_poll_and_slow_fault_at_once() -> None:
    sandbox = Sandbox()
    await sandbox.start()
    async with telegram.Bot(TOKEN, base_url=sandbox.base_url) as bot:
        sandbox.user(1)
        sandbox.faults.add("sendChatAction", delay=30)
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        slow = asyncio.create_task(bot.send_chat_action(1, "typing"))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await sandbox.stop()
        assert await poll == ()
        assert await slow is True
        assert time.monotonic() - started < 1.0
