"""Terminal chat with the bot through the sandbox: rendering and the input loop.

Only terse UI markers appear here; every sentence the user reads comes from the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.sandbox.models import ChatEvent, JSONDict, SandboxError, SandboxMessage
from bot.sandbox.server import Sandbox
from bot.sandbox.users import SandboxUser, keyboard_labels

InputFunc = Callable[[str], Awaitable[str | None]]
OutputFunc = Callable[[str], None]

BOT_MARK = "bot> "
EDITED_MARK = "bot (edited)> "
USER_PROMPT = "you> "
INDENT = " " * len(BOT_MARK)
LOCATION_HINT = "(?) /location <lat> <lon>"


def _media_marker(data: JSONDict) -> str | None:
    if "photo" in data:
        return "[photo]"
    if "document" in data:
        name = data["document"].get("file_name")
        return f"[document {name}]" if name else "[document]"
    for kind in ("voice", "audio", "video", "animation"):
        if kind in data:
            return f"[{kind} {data[kind].get('duration', 0)}s]"
    if "location" in data:
        where = data["location"]
        return f"[location {where['latitude']}, {where['longitude']}]"
    return None


def _button_row(labels: list[str], first: int) -> str:
    return "  ".join(f"[{first + i}] {label}" for i, label in enumerate(labels))


def render_message(message: SandboxMessage, *, edited: bool = False) -> str:
    """A bot message as terminal lines: text, numbered inline buttons, reply keyboard."""
    lines: list[str] = []
    marker = _media_marker(message.data)
    body = message.text
    if marker:
        body = f"{marker} {body}" if body else marker
    for i, line in enumerate(body.split("\n") or [""]):
        prefix = (EDITED_MARK if edited else BOT_MARK) if i == 0 else INDENT
        lines.append(prefix + line)
    number = 1
    for row in message.inline_keyboard:
        labels = [str(button.get("text", "")) for button in row]
        lines.append(INDENT + _button_row(labels, number))
        number += len(labels)
    keyboard = message.reply_keyboard
    if keyboard is not None:
        for row in keyboard.get("keyboard", []):
            labels = keyboard_labels({"keyboard": [row]})
            lines.append(f"{INDENT}(keyboard) {_button_row(labels, number)}")
            number += len(labels)
    elif message.reply_markup and message.reply_markup.get("remove_keyboard"):
        lines.append(f"{INDENT}(keyboard removed)")
    return "\n".join(lines)


def render_event(event: ChatEvent) -> str | None:
    """One chat event as terminal text (None if there is nothing to show)."""
    if event.kind == "message" and event.message is not None:
        return render_message(event.message)
    if event.kind == "edit" and event.message is not None:
        return render_message(event.message, edited=True)
    if event.kind == "delete" and event.message is not None:
        return f"(deleted #{event.message.message_id})"
    if event.kind == "callback_answer" and event.answer is not None and event.answer.text:
        kind = "alert" if event.answer.show_alert else "toast"
        return f"({kind}) {event.answer.text}"
    return None


@dataclass(frozen=True, slots=True)
class _Button:
    message: SandboxMessage | None
    value: str
    location: bool = False


class _Screen:
    """What has been printed, and which numbers map to which buttons right now."""

    def __init__(self, user: SandboxUser, write: OutputFunc) -> None:
        self.user = user
        self.write = write
        self.buttons: list[_Button] = []
        self._numbered: SandboxMessage | None = None
        # Every message that showed inline buttons, oldest first: "^K N" presses one of an
        # older message, as a rep does who scrolls up.
        self._keyboards: list[SandboxMessage] = []

    def show(self, event: ChatEvent) -> None:
        text = render_event(event)
        if text is not None:
            self.write(text)
        message = event.message
        if message is None:
            return
        if event.kind == "delete" or (event.kind == "edit" and not message.inline_keyboard):
            if message is self._numbered:
                self.buttons, self._numbered = [], None
            return
        # numbers always refer to the keyboard printed last
        if message.inline_keyboard:
            self._numbered = message
            self._keyboards = [m for m in self._keyboards if m.message_id != message.message_id]
            self._keyboards.append(message)
            self.buttons = [
                _Button(message, str(b.get("callback_data", b.get("text", ""))))
                for b in message.buttons
            ]
        elif message.reply_keyboard is not None:
            self._numbered = message
            rows = message.reply_keyboard.get("keyboard", [])
            self.buttons = [
                _Button(
                    None,
                    str(b.get("text", "")) if isinstance(b, dict) else str(b),
                    location=isinstance(b, dict) and bool(b.get("request_location")),
                )
                for row in rows
                for b in row
            ]
        elif (
            message.reply_markup
            and message.reply_markup.get("remove_keyboard")
            and self.buttons
            and self.buttons[0].message is None
        ):
            self.buttons, self._numbered = [], None

    def flush(self) -> None:
        for event in self.user.take_events():
            self.show(event)

    async def follow(self) -> None:
        while True:
            self.show(await self.user.next_event())
            self.flush()

    def _press_older(self, line: str) -> bool:
        """'^K N': button N of the K-th inline keyboard before the newest; 'N N': a double tap."""
        words = line.split()
        if len(words) == 2 and words[0] == words[1] and words[0].isdigit():
            number = int(words[0])
            button = self.buttons[number - 1] if 1 <= number <= len(self.buttons) else None
            if button is None or button.message is None:
                return False
            self.user.press(button.value, message=button.message)
            self.user.press(button.value, message=button.message)
            return True
        if len(words) != 2 or not words[0].startswith("^") or not words[1].isdigit():
            return False
        back = words[0][1:]
        older = int(back) if back.isdigit() else 0
        if not 1 <= older < len(self._keyboards):
            return False
        message = self._keyboards[-1 - older]
        values = [str(b.get("callback_data", b.get("text", ""))) for b in message.buttons]
        number = int(words[1])
        if not 1 <= number <= len(values):
            return False
        self.user.press(values[number - 1], message=message)
        return True

    def act(self, line: str) -> None:
        if self._press_older(line):
            return
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            button = self.buttons[int(line) - 1]
            if button.message is not None:
                self.user.press(button.value, message=button.message)
            elif button.location:
                self.write(LOCATION_HINT)
            else:
                self.user.tap_reply(button.value)
            return
        if line.startswith("/location"):
            parts = line.split()
            try:
                latitude, longitude = float(parts[1]), float(parts[2])
            except (IndexError, ValueError):
                self.write(LOCATION_HINT)
                return
            self.user.share_location(latitude, longitude)
            return
        self.user.send_text(line)


async def read_stdin_line(prompt: str) -> str | None:
    """input() without blocking the event loop; None at EOF.

    A daemon thread (not the default executor) so that a pending input() never delays
    interpreter shutdown after Ctrl-C.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def deliver(line: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line)

    def worker() -> None:
        line: str | None = None
        error: BaseException | None = None
        try:
            line = input(prompt)
        except EOFError:
            line = None
        except BaseException as exc:  # handed to the awaiting coroutine
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop may be closed by now
            loop.call_soon_threadsafe(deliver, line, error)

    threading.Thread(target=worker, name="sandbox-terminal-input", daemon=True).start()
    return await future


async def run_terminal_chat(
    sandbox: Sandbox,
    user: SandboxUser,
    *,
    input_func: InputFunc | None = None,
    output_func: OutputFunc | None = None,
    settle_timeout: float = 3.0,
) -> None:
    """Chat as ``user`` in the terminal until ``/quit`` or EOF.

    A number presses the numbered button of the keyboard printed last ("3 3" taps it twice at
    once), "^1 3" presses button 3 of the inline keyboard before it ("^2" the one before that),
    ``/location lat lon`` shares a location, anything else is sent as text. After each input
    the loop waits (up to ``settle_timeout``) for the bot to go idle so replies print before
    the next prompt; bot messages that arrive later are printed as they come.
    """
    read = input_func or read_stdin_line
    write = output_func or print
    screen = _Screen(user, write)
    screen.flush()
    follower = asyncio.create_task(screen.follow(), name="sandbox-terminal-follow")
    try:
        while True:
            line = await read(USER_PROMPT)
            if line is None:
                break
            line = line.strip()
            if line == "/quit":
                break
            if not line:
                continue
            try:
                screen.act(line)
            except SandboxError as exc:
                write(f"(!) {exc}")
                continue
            with contextlib.suppress(TimeoutError):
                await sandbox.wait_idle(settle_timeout, settle=0.1)
            screen.flush()
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower
        screen.flush()
