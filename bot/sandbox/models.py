"""Plain data kept by the sandbox: messages, files, recorded calls, answers and errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from bot.sandbox.faults import Fault

JSONDict = dict[str, Any]


class SandboxError(AssertionError):
    """A test drove the sandbox wrongly, e.g. pressed a button that is not shown."""


class ApiError(Exception):
    """A Bot API error answer: HTTP status plus Telegram's description (and parameters)."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        """The JSON body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 with Telegram's 'Bad Request: ' prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True, slots=True)
class Upload:
    """One file part of a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


@dataclass(eq=False, slots=True)
class StoredFile:
    """A file known to the sandbox, uploaded by the bot or by a test user."""

    file_id: str
    file_unique_id: str
    kind: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    source_url: str | None = None

    @property
    def file_size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass(eq=False, slots=True)
class SandboxMessage:
    """A message in a chat; ``data`` is the Telegram JSON and is updated in place on edits."""

    data: JSONDict
    outgoing: bool
    reply_markup: JSONDict | None = None
    parse_mode: str | None = None
    source_text: str | None = None
    file: StoredFile | None = None
    edit_count: int = 0
    deleted: bool = False

    @property
    def message_id(self) -> int:
        """Telegram's message_id."""
        return int(self.data["message_id"])

    @property
    def chat_id(self) -> int:
        """The chat this message is in."""
        return int(self.data["chat"]["id"])

    @property
    def text(self) -> str:
        """Text or caption after entity parsing ('' if none)."""
        value = self.data.get("text", self.data.get("caption", ""))
        return str(value)

    @property
    def entities(self) -> list[JSONDict]:
        """Entities of the text or caption."""
        found: list[JSONDict] = self.data.get("entities") or self.data.get("caption_entities") or []
        return list(found)

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        """Rows of inline buttons currently attached (empty if none)."""
        markup = self.data.get("reply_markup")
        if not markup:
            return []
        return [list(row) for row in markup.get("inline_keyboard", [])]

    @property
    def buttons(self) -> list[JSONDict]:
        """All inline buttons, row by row."""
        return [button for row in self.inline_keyboard for button in row]

    @property
    def button_labels(self) -> list[str]:
        """Visible texts of all inline buttons."""
        return [str(button.get("text", "")) for button in self.buttons]

    @property
    def reply_keyboard(self) -> JSONDict | None:
        """The ReplyKeyboardMarkup this message carried, if any."""
        if self.reply_markup and "keyboard" in self.reply_markup:
            return self.reply_markup
        return None


@dataclass(eq=False, slots=True)
class RecordedCall:
    """One Bot API request made by the bot, with its outcome."""

    method: str
    params: JSONDict
    files: dict[str, Upload]
    token: str
    at: float
    fault: Fault | None = None
    status: int = 0
    result: Any = None
    error: str | None = None
    finished_at: float | None = None

    @property
    def ok(self) -> bool:
        """Whether the call has finished successfully."""
        return self.status == 200

    def summary(self) -> str:
        """A one-line description for diagnostics."""
        shown = {k: v for k, v in self.params.items() if k in _SUMMARY_KEYS}
        outcome = "pending" if self.status == 0 else str(self.status)
        if self.error:
            outcome += f" {self.error}"
        if self.fault is not None:
            outcome += " (fault)"
        return f"{self.method}({shown}) -> {outcome}"


_SUMMARY_KEYS = frozenset(
    {"chat_id", "message_id", "text", "caption", "callback_query_id", "offset", "timeout"}
)


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """What the bot answered to a callback query (the toast or alert)."""

    callback_query_id: str
    data: str | None
    message_id: int | None
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass(frozen=True, slots=True)
class InlineAnswer:
    """What the bot answered to an inline query."""

    inline_query_id: str
    results: list[JSONDict]
    cache_time: int | None
    is_personal: bool
    next_offset: str | None
    button: JSONDict | None


ChatEventKind = Literal["message", "edit", "delete", "callback_answer"]


@dataclass(frozen=True, slots=True)
class ChatEvent:
    """Something the bot did in a chat, in order, for renderers such as the terminal."""

    kind: ChatEventKind
    message: SandboxMessage | None = None
    answer: CallbackAnswer | None = None
