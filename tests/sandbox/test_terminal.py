"""The terminal demo: rendering, and the input loop driven with fake input/output."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import telegram
from telegram import ReplyKeyboardMarkup
from telegram.ext import Application

from bot.sandbox import Sandbox, SandboxMessage
from bot.sandbox.terminal import render_message, run_terminal_chat
from tests.sandbox.conftest import USER_ID


def fake_input(lines: list[str]) -> Callable[[str], Awaitable[str | None]]:
    """Returns the lines one by one, then None (EOF)."""
    pending = list(lines)

    async def read(prompt: str) -> str | None:
        return pending.pop(0) if pending else None

    return read


def message(data: dict[str, Any], markup: dict[str, Any] | None = None) -> SandboxMessage:
    """A bot message as the sandbox stores it."""
    base: dict[str, Any] = {"message_id": 1, "chat": {"id": 1, "type": "private"}, "date": 0}
    return SandboxMessage(data={**base, **data}, outgoing=True, reply_markup=markup)


def test_render_text_and_inline_buttons() -> None:
    keyboard = {
        "inline_keyboard": [
            [{"text": "Ja", "callback_data": "y"}, {"text": "Nein", "callback_data": "n"}],
            [{"text": "Später", "callback_data": "l"}],
        ]
    }
    shown = message({"text": "Zeile 1\nZeile 2", "reply_markup": keyboard}, keyboard)
    assert render_message(shown) == (
        "bot> Zeile 1\n     Zeile 2\n     [1] Ja  [2] Nein\n     [3] Später"
    )
    assert render_message(shown, edited=True).startswith("bot (edited)> Zeile 1")


def test_render_reply_keyboard_media_and_removal() -> None:
    keyboard = {"keyboard": [["Termin", {"text": "Notiz"}]], "resize_keyboard": True}
    assert render_message(message({"text": "Was nun?"}, keyboard)) == (
        "bot> Was nun?\n     (keyboard) [1] Termin  [2] Notiz"
    )
    document = {"file_id": "f", "file_unique_id": "u", "file_name": "a.pdf"}
    assert render_message(message({"document": document, "caption": "Angebot"})) == (
        "bot> [document a.pdf] Angebot"
    )
    removed = message({"text": "Fertig"}, {"remove_keyboard": True})
    assert render_message(removed) == "bot> Fertig\n     (keyboard removed)"


async def test_terminal_loop_with_the_real_application(
    sandbox: Sandbox,
    running_app: Application,  # type: ignore[type-arg]
) -> None:
    user = sandbox.user(USER_ID, first_name="Anna")
    output: list[str] = []
    await run_terminal_chat(
        sandbox,
        user,
        input_func=fake_input(["/start", "2", "Hallo", "9"]),
        output_func=output.append,
    )
    assert output == [
        "bot> Bereit?\n     [1] Ja  [2] Nein",
        "(toast) ok: no",
        "bot (edited)> Gewählt: no",
        "bot> Hallo",
        # no button 9 is shown, so "9" is plain text and echoed
        "bot> 9",
    ]


async def test_terminal_presses_a_button_of_an_older_message(
    sandbox: Sandbox,
    running_app: Application,  # type: ignore[type-arg]
) -> None:
    user = sandbox.user(USER_ID, first_name="Anna")
    output: list[str] = []
    # Two questions; "^1 1" answers the older one (scrolled up), "^5 1" names no message.
    await run_terminal_chat(
        sandbox,
        user,
        input_func=fake_input(["/start", "/start", "^1 1", "^5 1"]),
        output_func=output.append,
    )
    older, newer = user.messages[:2]
    assert older.text == "Gewählt: yes", "the older message got the press"
    assert newer.inline_keyboard, "the newest message still has its buttons"
    assert "(toast) ok: yes" in output
    assert output[-1] == "bot> ^5 1", "no such message: sent as plain text"


async def test_terminal_double_tap_sends_two_presses(
    sandbox: Sandbox,
    running_app: Application,  # type: ignore[type-arg]
) -> None:
    user = sandbox.user(USER_ID, first_name="Anna")
    output: list[str] = []
    await run_terminal_chat(
        sandbox,
        user,
        input_func=fake_input(["/start", "2 2"]),
        output_func=output.append,
    )
    assert output.count("(toast) ok: no") == 2, output


async def test_terminal_reply_keyboard_location_and_quit(
    sandbox: Sandbox, bot: telegram.Bot
) -> None:
    user = sandbox.user(USER_ID)
    await bot.send_message(USER_ID, "Wie?", reply_markup=ReplyKeyboardMarkup([["Per Text"]]))
    output: list[str] = []
    await run_terminal_chat(
        sandbox,
        user,
        input_func=fake_input(["1", "/location 52.5 13.4", "/location x", "/quit", "never"]),
        output_func=output.append,
        settle_timeout=0.05,  # nobody polls here, so the sandbox never goes idle
    )
    assert output == [
        "bot> Wie?\n     (keyboard) [1] Per Text",
        "(?) /location <lat> <lon>",
    ]
    sent = [m.data for m in user.history if not m.outgoing]
    assert sent[0]["text"] == "Per Text"
    assert sent[1]["location"] == {"latitude": 52.5, "longitude": 13.4}
    assert len(sent) == 2  # "/quit" stopped reading
