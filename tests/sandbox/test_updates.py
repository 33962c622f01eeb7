"""getUpdates long polling, offsets, and the updates test users produce."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import aiohttp
import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.error import BadRequest

from bot.sandbox import Sandbox, SandboxError, SandboxUser
from bot.sandbox.world import World
from tests.sandbox.conftest import TOKEN, USER_ID


async def test_long_poll_returns_early_when_the_user_writes(
    bot: telegram.Bot, user: SandboxUser
) -> None:
    async def write_soon() -> None:
        await asyncio.sleep(0.05)
        user.send_text("Hallo")

    writer = asyncio.create_task(write_soon())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    await writer
    assert time.monotonic() - started < 1.0
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.text == "Hallo"
    assert message.chat.id == USER_ID
    assert message.from_user is not None
    assert message.from_user.language_code == "de"
    assert message.from_user.username == "anna"


async def test_long_poll_times_out_empty(bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=dtm.timedelta(milliseconds=300)) == ()
    assert 0.25 < time.monotonic() - started < 2.0


async def test_offset_confirms_and_drops_older_updates(
    bot: telegram.Bot, sandbox: Sandbox, user: SandboxUser
) -> None:
    for text in ("eins", "zwei", "drei"):
        user.send_text(text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["eins", "zwei"]
    again = await bot.get_updates()
    assert len(again) == 3  # nothing confirmed yet
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["drei"]
    assert sandbox.pending_updates == 1
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    assert sandbox.pending_updates == 0

    user.send_text("vier")
    user.send_text("fünf")
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["fünf"]


async def test_allowed_updates_filters_new_updates(bot: telegram.Bot, user: SandboxUser) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    user.send_text("ignored")
    assert await bot.get_updates() == ()
    await bot.get_updates(allowed_updates=[])
    user.send_text("seen")
    assert len(await bot.get_updates()) == 1


async def test_a_second_poll_terminates_the_first(bot: telegram.Bot, sandbox: Sandbox) -> None:
    # PTB's getUpdates pool has one connection, so the competing poll comes from aiohttp
    async with aiohttp.ClientSession() as http:
        url = f"{sandbox.base_url}{TOKEN}/getUpdates"
        first = asyncio.create_task(http.post(url, data={"timeout": "5"}))
        await asyncio.sleep(0.05)
        assert await bot.get_updates(timeout=0) == ()
        async with await first as response:
            assert response.status == 409
            body = await response.json()
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_commands_get_bot_command_entities_in_utf16(user: SandboxUser) -> None:
    update = user.send_text("/start@SalesCoachBot los")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 20}]
    update = user.send_command("plan", "morgen")
    assert update["message"]["text"] == "/plan morgen"
    assert update["message"]["entities"][0]["length"] == 5
    update = user.send_text("😀 /help")
    # the emoji is two UTF-16 code units
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 3, "length": 5}]
    assert "entities" not in user.send_text("kein/befehl")["message"]


async def test_updates_parse_as_ptb_objects(bot: telegram.Bot, user: SandboxUser) -> None:
    user.send_command("start")
    user.share_location(52.52, 13.405)
    user.send_document(b"%PDF", "angebot.pdf", "application/pdf", caption="Angebot")
    updates = await bot.get_updates()
    messages = [u.message for u in updates if u.message is not None]
    assert messages[0].text == "/start"
    assert messages[1].location is not None
    assert messages[1].location.latitude == pytest.approx(52.52)
    assert messages[2].document is not None
    assert messages[2].document.file_name == "angebot.pdf"
    assert messages[2].caption == "Angebot"
    assert [m.message_id for m in messages] == [1, 2, 3]


async def test_button_press_and_callback_answer(bot: telegram.Bot, user: SandboxUser) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Ja", callback_data="yes")],
            [InlineKeyboardButton("Web", url="https://a.de")],
        ]
    )
    sent = await bot.send_message(USER_ID, "Weiter?", reply_markup=keyboard)
    with pytest.raises(SandboxError, match="no inline button 'Vielleicht'"):
        user.press("Vielleicht")
    with pytest.raises(SandboxError, match="not a callback button"):
        user.press("Web")

    pressed = user.press("Ja")  # by visible text; "yes" (callback_data) works too
    query_id = pressed["callback_query"]["id"]
    updates = await bot.get_updates()
    query = updates[0].callback_query
    assert query is not None
    assert query.data == "yes"
    assert query.from_user.id == USER_ID
    assert query.chat_instance
    assert isinstance(query.message, telegram.Message)
    assert query.message.message_id == sent.message_id
    assert query.message.reply_markup == keyboard

    assert await bot.answer_callback_query(query_id, text="Gespeichert", show_alert=True)
    answer = user.callback_answer(query_id)
    assert answer is not None
    assert answer.text == "Gespeichert"
    assert answer.show_alert
    assert answer.data == "yes"
    with pytest.raises(BadRequest, match=r"^Query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id)


async def test_inline_query_and_answer(
    bot: telegram.Bot, sandbox: Sandbox, user: SandboxUser
) -> None:
    query_id = user.inline_query("angebot", offset="")
    updates = await bot.get_updates()
    inline = updates[0].inline_query
    assert inline is not None
    assert inline.query == "angebot"
    assert inline.id == query_id
    result = InlineQueryResultArticle("r1", "Angebot", InputTextMessageContent("Text"))
    assert await bot.answer_inline_query(query_id, [result], cache_time=0, next_offset="10")
    assert [r["id"] for r in sandbox.inline_answers(query_id)] == ["r1"]
    answer = sandbox.inline_answer(query_id)
    assert answer is not None
    assert answer.next_offset == "10"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_inline_query("nope", [result])


async def test_next_message_timeout_explains_what_happened(
    bot: telegram.Bot, user: SandboxUser
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(USER_ID, "")
    with pytest.raises(TimeoutError, match=r"no new bot message within 0.05s") as info:
        await user.next_message(timeout=0.05)
    assert "sendMessage" in str(info.value)
    assert "message text is empty" in str(info.value)


async def test_wait_for_and_wait_idle(
    bot: telegram.Bot, sandbox: Sandbox, user: SandboxUser
) -> None:
    async def reply_later() -> None:
        updates = await bot.get_updates(timeout=5)
        await bot.get_updates(offset=updates[-1].update_id + 1)
        await bot.send_message(USER_ID, "Antwort")

    task = asyncio.create_task(reply_later())
    await asyncio.sleep(0)
    user.send_text("Frage")
    message = await user.wait_for(lambda: user.last_message, timeout=5)
    assert message.text == "Antwort"
    await task
    await sandbox.wait_idle(timeout=2)
    assert sandbox.pending_updates == 0
    user.send_text("unbeantwortet")
    with pytest.raises(TimeoutError, match="1 update"):
        await sandbox.wait_idle(timeout=0.05)


def test_callback_query_ids_never_repeat_across_sandboxes() -> None:
    # The bot keys taps by the query id, as Telegram's never repeat: a demo started again on
    # the same database must not see the ids of its last run.
    first, second = (
        World(bot_username="b", bot_first_name="B", record_calls=False) for _ in range(2)
    )
    ids = {first.next_callback_id(), first.next_callback_id(), second.next_callback_id()}
    assert len(ids) == 3
