"""Test users: act like a person in a private chat with the bot and observe its replies."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Literal, TypeVar

from bot.sandbox.formatting import find_entities
from bot.sandbox.media import file_object, photo_sizes
from bot.sandbox.models import (
    CallbackAnswer,
    ChatEvent,
    JSONDict,
    SandboxError,
    SandboxMessage,
    StoredFile,
)
from bot.sandbox.world import Signal, World

T = TypeVar("T")


def keyboard_labels(markup: JSONDict | None) -> list[str]:
    """Visible texts of a ReplyKeyboardMarkup's buttons, row by row."""
    if not markup:
        return []
    return [_reply_button_text(button) for row in markup.get("keyboard", []) for button in row]


def _reply_button_text(button: object) -> str:
    if isinstance(button, dict):
        return str(button.get("text", ""))
    return str(button)


def _snapshot(message: SandboxMessage) -> JSONDict:
    # Telegram nests replied-to messages one level deep only
    data = copy.deepcopy(message.data)
    data.pop("reply_to_message", None)
    return data


class SandboxUser:
    """A user in a private chat with the bot (chat id == user id).

    Actions (``send_text``, ``press``, ...) queue updates for the bot and return them.
    ``messages``/``next_message`` observe what the bot sent to this chat.
    """

    def __init__(
        self,
        world: World,
        user_id: int,
        *,
        first_name: str = "Test",
        last_name: str | None = None,
        language_code: str | None = "de",
        username: str | None = None,
    ) -> None:
        self._world = world
        self.id = user_id
        self.user_json: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        self.chat_json: JSONDict = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name is not None:
            self.user_json["last_name"] = last_name
            self.chat_json["last_name"] = last_name
        if username is not None:
            self.user_json["username"] = username
            self.chat_json["username"] = username
        if language_code is not None:
            self.user_json["language_code"] = language_code
        self.blocked = False
        self.history: list[SandboxMessage] = []
        self.events: list[ChatEvent] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.reply_keyboard: JSONDict | None = None
        self.signal = Signal()
        self._by_id: dict[int, SandboxMessage] = {}
        self._bot_messages: list[SandboxMessage] = []
        self._cursor = 0
        self._event_cursor = 0
        self._next_message_id = 1
        self._answers_by_id: dict[str, CallbackAnswer] = {}

    def __repr__(self) -> str:
        return f"SandboxUser(id={self.id}, first_name={self.user_json['first_name']!r})"

    # -- observing the bot ---------------------------------------------------------------

    @property
    def messages(self) -> list[SandboxMessage]:
        """Bot messages in this chat, oldest first, as currently stored (edits applied)."""
        return [message for message in self._bot_messages if not message.deleted]

    @property
    def last_message(self) -> SandboxMessage | None:
        """The newest bot message that still exists."""
        for message in reversed(self._bot_messages):
            if not message.deleted:
                return message
        return None

    @property
    def unread(self) -> list[SandboxMessage]:
        """Bot messages that ``next_message`` has not returned yet."""
        return self._bot_messages[self._cursor :]

    @property
    def reply_keyboard_labels(self) -> list[str]:
        """Texts of the reply keyboard currently shown (empty if none)."""
        return keyboard_labels(self.reply_keyboard)

    def mark_read(self) -> None:
        """Treat all bot messages so far as consumed by ``next_message``."""
        self._cursor = len(self._bot_messages)

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        """The bot's answer to one of this user's button presses, if it answered."""
        return self._answers_by_id.get(callback_query_id)

    async def next_message(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - tests read better with a plain timeout
    ) -> SandboxMessage:
        """The next bot message to this chat not returned before; TimeoutError if none."""
        try:
            await self.signal.wait_until(lambda: self._cursor < len(self._bot_messages), timeout)
        except TimeoutError:
            raise TimeoutError(self._diagnose(f"no new bot message within {timeout}s")) from None
        message = self._bot_messages[self._cursor]
        self._cursor += 1
        return message

    async def next_event(
        self,
        timeout: float | None = None,  # noqa: ASYNC109 - tests read better with a plain timeout
    ) -> ChatEvent:
        """The next chat event (message, edit, delete, callback answer) not returned before."""
        try:
            await self.signal.wait_until(lambda: self._event_cursor < len(self.events), timeout)
        except TimeoutError:
            raise TimeoutError(self._diagnose(f"no new chat event within {timeout}s")) from None
        event = self.events[self._event_cursor]
        self._event_cursor += 1
        return event

    def take_events(self) -> list[ChatEvent]:
        """All chat events not returned before, without waiting."""
        events = self.events[self._event_cursor :]
        self._event_cursor = len(self.events)
        return events

    async def wait_for(
        self,
        predicate: Callable[[], T | Literal[False] | None],
        timeout: float = 5.0,  # noqa: ASYNC109 - tests read better with a plain timeout
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value.

        It is re-evaluated after every bot request and every queued update, so it may look
        at anything (messages, calls, answers).
        """
        try:
            return await self._world.activity.wait_until(predicate, timeout)
        except TimeoutError:
            raise TimeoutError(self._diagnose(f"condition not met within {timeout}s")) from None

    def _diagnose(self, problem: str) -> str:
        world = self._world
        return (
            f"user {self.id}: {problem}; {world.pending_updates} update(s) not yet fetched, "
            f"{world.inflight} bot request(s) in flight.\nRecent bot calls:\n"
            f"{world.recent_calls()}"
        )

    # -- acting as the user --------------------------------------------------------------

    def send_text(self, text: str, *, reply_to: SandboxMessage | int | None = None) -> JSONDict:
        """Send a text message; commands, mentions and links get entities like Telegram's."""
        extra: JSONDict = {"text": text}
        entities = find_entities(text)
        if entities:
            extra["entities"] = entities
        return self._send(extra, reply_to=reply_to)

    def send_command(self, command: str, args: str = "") -> JSONDict:
        """Send ``/command`` (optionally with arguments)."""
        text = "/" + command.lstrip("/")
        return self.send_text(f"{text} {args}" if args else text)

    def press(self, button: str, *, message: SandboxMessage | int | None = None) -> JSONDict:
        """Press an inline button (by callback_data or visible text); returns the update.

        Without ``message`` the newest bot message with an inline keyboard is used.
        """
        target = self._resolve_message(message)
        chosen = next((b for b in target.buttons if b.get("callback_data") == button), None)
        if chosen is None:
            chosen = next((b for b in target.buttons if b.get("text") == button), None)
        if chosen is None:
            raise SandboxError(
                f"no inline button {button!r} on message {target.message_id} "
                f"(buttons: {target.button_labels}); pass message= to press an older one"
            )
        if "callback_data" not in chosen:
            raise SandboxError(
                f"button {chosen.get('text')!r} sends nothing to the bot "
                f"(it is not a callback button: {sorted(chosen)})"
            )
        data = str(chosen["callback_data"])
        query_id = self._world.next_callback_id()
        self._world.callback_queries[query_id] = (self, data, target.message_id)
        payload: JSONDict = {
            "id": query_id,
            "from": self.user_json,
            "message": copy.deepcopy(target.data),
            "chat_instance": str(1_000_000_000_000 + self.id),
            "data": data,
        }
        return self._world.enqueue("callback_query", payload)

    def redeliver(self, update: JSONDict) -> JSONDict:
        """Deliver a button press again with the same query id, as Telegram does for an update
        the bot never confirmed; answering it a second time fails as "query is too old"."""
        return self._world.enqueue("callback_query", copy.deepcopy(update["callback_query"]))

    def _resolve_message(self, message: SandboxMessage | int | None) -> SandboxMessage:
        if isinstance(message, SandboxMessage):
            return message
        if isinstance(message, int):
            found = self._by_id.get(message)
            if found is None:
                raise SandboxError(f"message {message} is not in chat {self.id}")
            return found
        for candidate in reversed(self._bot_messages):
            if not candidate.deleted and candidate.inline_keyboard:
                return candidate
        raise SandboxError(f"no bot message with inline buttons in chat {self.id}")

    def tap_reply(self, text: str) -> JSONDict:
        """Tap a button of the reply keyboard currently shown (sends its text)."""
        keyboard = self.reply_keyboard
        if keyboard is None:
            raise SandboxError(f"no reply keyboard is shown in chat {self.id}; cannot tap {text!r}")
        buttons = (b for row in keyboard.get("keyboard", []) for b in row)
        button = next((b for b in buttons if _reply_button_text(b) == text), None)
        if button is None:
            raise SandboxError(
                f"{text!r} is not on the reply keyboard (buttons: {keyboard_labels(keyboard)})"
            )
        if keyboard.get("one_time_keyboard"):
            # the client hides a one-time keyboard after a tap
            self.reply_keyboard = None
        if isinstance(button, dict) and button.get("request_location"):
            raise SandboxError(f"{text!r} asks for a location; use share_location()")
        if isinstance(button, dict) and button.get("request_contact"):
            return self.share_contact(f"+49151{self.id % 10**8:08d}")
        return self.send_text(text)

    def share_location(self, latitude: float, longitude: float) -> JSONDict:
        """Share a location (as from a request_location button or the attachment menu)."""
        return self._send({"location": {"latitude": latitude, "longitude": longitude}})

    def share_contact(self, phone_number: str) -> JSONDict:
        """Share this user's own contact."""
        contact: JSONDict = {
            "phone_number": phone_number,
            "first_name": self.user_json["first_name"],
            "user_id": self.id,
        }
        return self._send({"contact": contact})

    def send_voice(self, data: bytes, duration: int, mime_type: str = "audio/ogg") -> JSONDict:
        """Send a voice note; the bot can getFile and download ``data``."""
        stored = self._world.store_file("voice", data, mime_type=mime_type)
        return self._send({"voice": file_object(stored, duration=duration)}, stored=stored)

    def send_document(
        self,
        data: bytes,
        file_name: str,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> JSONDict:
        """Send a file as a document."""
        stored = self._world.store_file("document", data, file_name=file_name, mime_type=mime_type)
        extra: JSONDict = {"document": file_object(stored)}
        if caption:
            extra["caption"] = caption
        return self._send(extra, stored=stored)

    def send_photo(self, data: bytes, caption: str | None = None) -> JSONDict:
        """Send a photo."""
        stored = self._world.store_file("photo", data, mime_type="image/jpeg")
        extra: JSONDict = {"photo": photo_sizes(stored)}
        if caption:
            extra["caption"] = caption
        return self._send(extra, stored=stored)

    def inline_query(self, query: str, offset: str = "") -> str:
        """Type ``@bot query`` in any chat; returns the inline_query_id to look the answer up."""
        query_id = self._world.next_inline_id()
        self._world.inline_queries[query_id] = self
        payload: JSONDict = {
            "id": query_id,
            "from": self.user_json,
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        }
        self._world.enqueue("inline_query", payload)
        return query_id

    def _send(
        self,
        extra: JSONDict,
        *,
        reply_to: SandboxMessage | int | None = None,
        stored: StoredFile | None = None,
    ) -> JSONDict:
        data: JSONDict = {
            "message_id": self.new_message_id(),
            "from": self.user_json,
            "chat": self.chat_json,
            "date": self._world.now(),
        }
        if reply_to is not None:
            replied = self._resolve_message(reply_to)
            data["reply_to_message"] = _snapshot(replied)
        data.update(extra)
        message = SandboxMessage(
            data=data, outgoing=False, source_text=extra.get("text"), file=stored
        )
        self.history.append(message)
        self._by_id[message.message_id] = message
        return self._world.enqueue("message", data)

    # -- used by the Bot API side --------------------------------------------------------

    def new_message_id(self) -> int:
        """The next message_id in this chat."""
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def get_message(self, message_id: int) -> SandboxMessage | None:
        """A message of this chat that still exists."""
        return self._by_id.get(message_id)

    def add_bot_message(self, message: SandboxMessage) -> None:
        """Store a message the bot sent and wake waiters."""
        self.history.append(message)
        self._by_id[message.message_id] = message
        self._bot_messages.append(message)
        markup = message.reply_markup
        if markup is not None:
            if "keyboard" in markup:
                self.reply_keyboard = markup
            elif markup.get("remove_keyboard"):
                self.reply_keyboard = None
        self.events.append(ChatEvent("message", message))
        self.signal.fire()

    def message_edited(self, message: SandboxMessage) -> None:
        """Note an edit and wake waiters."""
        self.events.append(ChatEvent("edit", message))
        self.signal.fire()

    def delete_message(self, message: SandboxMessage) -> None:
        """Delete a message and wake waiters."""
        message.deleted = True
        self._by_id.pop(message.message_id, None)
        self.events.append(ChatEvent("delete", message))
        self.signal.fire()

    def add_callback_answer(self, answer: CallbackAnswer) -> None:
        """Store the bot's answer to a button press and wake waiters."""
        self.callback_answers.append(answer)
        self._answers_by_id[answer.callback_query_id] = answer
        self.events.append(ChatEvent("callback_answer", answer=answer))
        self.signal.fire()
