"""Fault injection: Telegram's real error shapes, and how PTB surfaces them."""

from __future__ import annotations

import datetime as dtm
import time

import pytest
import telegram
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.sandbox import Sandbox, SandboxUser
from tests.sandbox.conftest import USER_ID


async def test_429_becomes_retry_after(
    bot: telegram.Bot, sandbox: Sandbox, user: SandboxUser
) -> None:
    fault = sandbox.faults.add("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER_ID, "hi")
    assert info.value.retry_after == dtm.timedelta(seconds=7)
    assert fault.hits == 1
    assert fault.remaining == 0
    await bot.send_message(USER_ID, "hi")  # times=1: the next call succeeds

    failed, succeeded = sandbox.calls_for("sendMessage")
    assert failed.fault is fault
    assert failed.status == 429
    assert failed.error == "Too Many Requests: retry after 7"
    assert succeeded.ok
    assert [m.text for m in user.messages] == ["hi"]


async def test_403_and_5xx(bot: telegram.Bot, sandbox: Sandbox, user: SandboxUser) -> None:
    sandbox.faults.add("sendMessage", status=403)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(USER_ID, "hi")
    sandbox.faults.add(status=500)  # any method except getUpdates
    with pytest.raises(NetworkError, match=r"^Internal Server Error$"):
        await bot.send_chat_action(USER_ID, "typing")
    sandbox.faults.add("getMe", status=502)
    with pytest.raises(NetworkError, match=r"^Bad Gateway$"):
        await bot.get_me()
    sandbox.faults.add("sendMessage", status=400, description="Bad Request: custom reason")
    with pytest.raises(BadRequest, match=r"^Custom reason$"):
        await bot.send_message(USER_ID, "hi")
    assert user.messages == []


async def test_times_counts_down_and_clear(bot: telegram.Bot, sandbox: Sandbox) -> None:
    sandbox.faults.add("getMe", status=500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.get_me()
    await bot.get_me()
    forever = sandbox.faults.add("getMe", status=500, times=None)
    for _ in range(3):
        with pytest.raises(NetworkError):
            await bot.get_me()
    assert forever.remaining is None
    assert forever.hits == 3
    sandbox.faults.clear()
    await bot.get_me()


async def test_chat_specific_fault(bot: telegram.Bot, sandbox: Sandbox) -> None:
    blocked = sandbox.user(1, first_name="Blockiert")
    other = sandbox.user(2, first_name="Andere")
    sandbox.faults.add("sendMessage", status=403, chat_id=blocked.id, times=None)
    await bot.send_message(other.id, "ok")
    with pytest.raises(Forbidden):
        await bot.send_message(blocked.id, "nope")
    assert [m.text for m in other.messages] == ["ok"]
    assert blocked.messages == []


async def test_delay_then_success_or_failure(bot: telegram.Bot, sandbox: Sandbox) -> None:
    sandbox.faults.add("getMe", delay=0.2)
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.2

    sandbox.faults.add("getMe", delay=0.1, status=500)
    started = time.monotonic()
    with pytest.raises(NetworkError):
        await bot.get_me()
    assert time.monotonic() - started >= 0.1


async def test_invalid_fault_arguments(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="needs a status"):
        sandbox.faults.add("getMe")
    with pytest.raises(ValueError, match="times"):
        sandbox.faults.add("getMe", status=500, times=0)
    assert sandbox.faults.add("getMe", retry_after=3).status == 429
