"""Bot API message methods through a real PTB Bot: shapes, state and Telegram's error texts."""

from __future__ import annotations

import aiohttp
import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken

from bot.sandbox import Sandbox, SandboxError, SandboxUser
from tests.sandbox.conftest import BOT_ID, TOKEN, USER_ID

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Ja", callback_data="yes"),
            InlineKeyboardButton("Nein", callback_data="no"),
        ]
    ]
)


async def test_get_me_identifies_the_bot_from_the_token(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.id == BOT_ID
    assert me.is_bot
    assert me.username == "SalesCoachBot"
    assert me.first_name == "Sales Coach"
    assert me.can_join_groups
    assert me.supports_inline_queries


async def test_wrong_token_and_unknown_method(sandbox: Sandbox) -> None:
    bad = telegram.Bot("123:short", base_url=sandbox.base_url)
    # Bot.initialize() calls getMe, so a rejected token fails on entering the context
    with pytest.raises(InvalidToken, match="was rejected by the server"):
        async with bad:
            pass
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{sandbox.base_url}{TOKEN}/noSuchMethod") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.get(f"{sandbox.base_url}bad-token/getMe") as response:
            assert response.status == 401
            body = await response.json()
            assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_pinned_token_rejects_other_tokens() -> None:
    async with Sandbox(token=TOKEN) as pinned:
        other = "987654321:another-well-formed-token-000000000000"
        with pytest.raises(InvalidToken):
            async with telegram.Bot(other, base_url=pinned.base_url):
                pass


async def test_json_body_and_query_parameters_are_accepted(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{sandbox.base_url}{TOKEN}/sendMessage"
        async with http.post(url, json={"chat_id": USER_ID, "text": "123"}) as response:
            body = await response.json()
        assert body["ok"] is True
        assert body["result"]["text"] == "123"
        async with http.get(url, params={"chat_id": str(USER_ID), "text": "via query"}) as response:
            assert (await response.json())["result"]["text"] == "via query"
    assert [m.text for m in user.messages] == ["123", "via query"]
    assert sandbox.calls_for("sendMessage")[0].params == {"chat_id": USER_ID, "text": "123"}


async def test_send_message_returns_a_full_message(bot: telegram.Bot, user: SandboxUser) -> None:
    sent = await bot.send_message(
        USER_ID, "Hallo <b>Anna</b>", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )
    assert sent.message_id == 1
    assert sent.chat.id == USER_ID
    assert sent.chat.type == "private"
    assert sent.from_user is not None
    assert sent.from_user.id == BOT_ID
    assert sent.text == "Hallo Anna"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 6, 4)]
    assert sent.reply_markup == KEYBOARD

    stored = await user.next_message()
    assert stored.message_id == 1
    assert stored.text == "Hallo Anna"
    assert stored.source_text == "Hallo <b>Anna</b>"
    assert stored.parse_mode == "HTML"
    assert stored.button_labels == ["Ja", "Nein"]


async def test_send_message_errors(bot: telegram.Bot, user: SandboxUser) -> None:
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(USER_ID, "")
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(USER_ID, "  \n ")
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(USER_ID, "x" * 4097)
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(999, "hi")
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(USER_ID, "a <value> b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="character '\\.' is reserved"):
        await bot.send_message(USER_ID, "Version 1.0", parse_mode=ParseMode.MARKDOWN_V2)
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(
            USER_ID,
            "x",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("a", callback_data="x" * 65)]]
            ),
        )
    await bot.send_message(USER_ID, "x" * 4096)
    assert len(user.messages) == 1


async def test_blocked_user_gives_forbidden(bot: telegram.Bot, user: SandboxUser) -> None:
    user.blocked = True
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER_ID, "hi")


async def test_markdown_v2_entities(bot: telegram.Bot, user: SandboxUser) -> None:
    sent = await bot.send_message(
        USER_ID, "\n *fett* und [Link](https://example.com)\\! \n", parse_mode=ParseMode.MARKDOWN_V2
    )
    assert sent.text == "fett und Link!"
    assert [(e.type, e.offset, e.length, e.url) for e in sent.entities] == [
        ("bold", 0, 4, None),
        ("text_link", 9, 4, "https://example.com"),
    ]


async def test_reply_parameters(bot: telegram.Bot, user: SandboxUser) -> None:
    incoming = user.send_text("Frage?")
    question_id = incoming["message"]["message_id"]
    sent = await bot.send_message(
        USER_ID, "Antwort", reply_parameters=ReplyParameters(message_id=question_id)
    )
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "Frage?"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(USER_ID, "x", reply_parameters=ReplyParameters(message_id=99))
    lenient = await bot.send_message(
        USER_ID,
        "x",
        reply_parameters=ReplyParameters(message_id=99, allow_sending_without_reply=True),
    )
    assert lenient.reply_to_message is None


async def test_edit_message_text(bot: telegram.Bot, user: SandboxUser) -> None:
    sent = await bot.send_message(USER_ID, "eins", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("zwei", USER_ID, sent.message_id, reply_markup=KEYBOARD)
    assert isinstance(edited, telegram.Message)
    assert edited.message_id == sent.message_id
    assert edited.text == "zwei"
    assert edited.edit_date is not None
    assert user.messages[0].text == "zwei"
    assert user.messages[0].edit_count == 1

    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text("zwei", USER_ID, sent.message_id, reply_markup=KEYBOARD)
    # like Telegram: an edit without reply_markup removes the inline keyboard
    await bot.edit_message_text("zwei", USER_ID, sent.message_id)
    assert user.messages[0].inline_keyboard == []
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", USER_ID, 999)
    incoming = user.send_text("von Anna")
    with pytest.raises(BadRequest, match=r"^Message can't be edited$"):
        await bot.edit_message_text("x", USER_ID, incoming["message"]["message_id"])


async def test_edit_reply_markup_and_delete(bot: telegram.Bot, user: SandboxUser) -> None:
    sent = await bot.send_message(USER_ID, "Frage", reply_markup=KEYBOARD)
    single = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
    edited = await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=single)
    assert isinstance(edited, telegram.Message)
    assert user.messages[0].button_labels == ["OK"]
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=single)

    assert await bot.delete_message(USER_ID, sent.message_id) is True
    assert user.messages == []
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(USER_ID, sent.message_id)
    kinds = [event.kind for event in user.events]
    assert kinds == ["message", "edit", "delete"]


async def test_reply_keyboard_state(bot: telegram.Bot, user: SandboxUser) -> None:
    keyboard = ReplyKeyboardMarkup(
        [["Termin", "Notiz"], [KeyboardButton("Standort", request_location=True)]],
        one_time_keyboard=True,
    )
    await bot.send_message(USER_ID, "Was nun?", reply_markup=keyboard)
    assert user.reply_keyboard_labels == ["Termin", "Notiz", "Standort"]
    sent = await user.next_message()
    assert sent.data.get("reply_markup") is None  # only inline keyboards appear in Message
    assert sent.reply_keyboard is not None

    await bot.send_message(USER_ID, "ohne Tastatur")
    assert user.reply_keyboard is not None  # a plain message keeps the keyboard

    update = user.tap_reply("Termin")
    assert update["message"]["text"] == "Termin"
    assert user.reply_keyboard_labels == []  # one_time_keyboard hides after a tap

    await bot.send_message(USER_ID, "wieder", reply_markup=ReplyKeyboardMarkup([["A"]]))
    with pytest.raises(SandboxError, match="not on the reply keyboard"):
        user.tap_reply("B")
    await bot.send_message(USER_ID, "weg", reply_markup=ReplyKeyboardRemove())
    assert user.reply_keyboard_labels == []
    with pytest.raises(SandboxError, match="no reply keyboard"):
        user.tap_reply("A")


async def test_chat_action_commands_and_settings(
    bot: telegram.Bot, sandbox: Sandbox, user: SandboxUser
) -> None:
    assert await bot.send_chat_action(USER_ID, "typing") is True
    await bot.set_my_commands([("start", "Start"), ("help", "Hilfe")], language_code="de")
    await bot.set_my_commands([("start", "Start"), ("help", "Help")], language_code="en")
    await bot.set_my_commands([("start", "Start")])
    assert [c["description"] for c in sandbox.commands(language_code="de")] == ["Start", "Hilfe"]
    assert [c["description"] for c in sandbox.commands(language_code="en")] == ["Start", "Help"]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["start", "help"]
    assert len(await bot.get_my_commands()) == 1
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start!", "x")])
    assert await bot.delete_my_commands(language_code="de") is True
    assert sandbox.commands(language_code="de") == []

    assert await bot.set_my_description("Beschreibung", language_code="de")
    assert (await bot.get_my_description("de")).description == "Beschreibung"
    assert await bot.set_my_short_description("Kurz")
    assert (await bot.get_my_short_description()).short_description == "Kurz"
    assert await bot.set_chat_menu_button(USER_ID)
    assert await bot.delete_webhook(drop_pending_updates=True)
    info = await bot.get_webhook_info()
    assert info.url == ""
    chat = await bot.get_chat(USER_ID)
    assert chat.first_name == "Anna"
    recorded = sandbox.calls_for("setMyCommands")
    assert [c.params.get("language_code") for c in recorded] == ["de", "en", None, None]
    assert recorded[0].params["commands"][1] == {"command": "help", "description": "Hilfe"}
