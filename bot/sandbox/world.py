"""The sandbox's state: users and chats, the update queue with long polling, files, calls."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from collections import deque
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeVar

from bot.sandbox.models import (
    ApiError,
    InlineAnswer,
    JSONDict,
    RecordedCall,
    StoredFile,
)

if TYPE_CHECKING:
    from bot.sandbox.users import SandboxUser

T = TypeVar("T")

# Telegram's default when allowed_updates is empty or never set
_DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_FILE_DIRS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "photo": ("photos", "jpg"),
        "document": ("documents", ""),
        "voice": ("voice", "oga"),
        "audio": ("music", "mp3"),
        "video": ("videos", "mp4"),
        "animation": ("animations", "mp4"),
        "sticker": ("stickers", "webp"),
        "video_note": ("video_notes", "mp4"),
    }
)


class Signal:
    """A broadcast wake-up: every waiter resumes on ``fire`` and re-checks its condition."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, within: float | None) -> bool:
        """Wait for the next ``fire``; False if ``within`` seconds passed first."""
        event = self._event
        if within is None:
            await event.wait()
            return True
        if within <= 0:
            return False
        try:
            async with asyncio.timeout(within):
                await event.wait()
        except TimeoutError:
            return False
        return True

    async def wait_until(
        self, predicate: Callable[[], T | Literal[False] | None], within: float | None
    ) -> T:
        """Return the first truthy ``predicate()``, re-checked on each fire; TimeoutError."""
        loop = asyncio.get_running_loop()
        deadline = None if within is None else loop.time() + within
        while True:
            value = predicate()
            if value:
                return value
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                raise TimeoutError
            await self.wait(remaining)


class _Poller:
    """One getUpdates request waiting for updates."""

    __slots__ = ("event", "terminated")

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.terminated = False


class World:
    """Everything the emulated Telegram knows; shared by the HTTP side and the test users."""

    def __init__(
        self,
        *,
        bot_username: str,
        bot_first_name: str,
        record_calls: bool,
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.record_calls = record_calls
        self.users: dict[int, SandboxUser] = {}
        self.bot_users: dict[int, JSONDict] = {}

        self._updates: deque[JSONDict] = deque()
        self._update_ids = itertools.count(1)
        self._allowed: frozenset[str] | None = None
        self._poller: _Poller | None = None
        self.closing = False

        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self._file_numbers = itertools.count(1)

        # pending callback query id -> (user, data, message id)
        self.callback_queries: dict[str, tuple[SandboxUser, str | None, int | None]] = {}
        # Telegram's query ids never repeat, and the bot keys taps by them: a sandbox started
        # again on the same database must not hand out the ids of the last run.
        self._callback_ids = itertools.count(
            4_000_000_000_000_000_001 + secrets.randbelow(10**17) * 1000
        )
        self.inline_queries: dict[str, SandboxUser] = {}
        self.inline_answers: dict[str, InlineAnswer] = {}
        self._inline_ids = itertools.count(5_000_000_000_000_000_001)

        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.webhook: JSONDict = {"url": ""}
        # setWebhook's secret_token (getWebhookInfo never shows it, as in Telegram)
        self.webhook_secret = ""

        self.calls: list[RecordedCall] = []
        self.calls_by_method: dict[str, list[RecordedCall]] = {}
        self.inflight = 0
        self.activity = Signal()

    # -- bot identity -------------------------------------------------------------------

    def bot_user(self, bot_id: int) -> JSONDict:
        """The bot's User object (as in ``from`` of its messages)."""
        user = self.bot_users.get(bot_id)
        if user is None:
            user = {
                "id": bot_id,
                "is_bot": True,
                "first_name": self.bot_first_name,
                "username": self.bot_username,
            }
            self.bot_users[bot_id] = user
        return user

    # -- updates and long polling --------------------------------------------------------

    def enqueue(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queue an update for the bot; returns it (dropped if allowed_updates excludes it)."""
        update: JSONDict = {"update_id": next(self._update_ids), kind: payload}
        allowed = self._allowed
        if (kind in allowed) if allowed is not None else (kind not in _DEFAULT_EXCLUDED):
            self._updates.append(update)
            poller = self._poller
            if poller is not None:
                poller.event.set()
            self.activity.fire()
        return update

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        return len(self._updates)

    def _confirm(self, offset: int) -> None:
        updates = self._updates
        if offset > 0:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        else:
            # a negative offset keeps only the last -offset updates
            while len(updates) > -offset:
                updates.popleft()
        self.activity.fire()

    def set_allowed_updates(self, allowed: list[str] | None) -> None:
        """Apply getUpdates' allowed_updates (None: keep the previous setting)."""
        if allowed is None:
            return
        self._allowed = frozenset(allowed) if allowed else None

    def drop_pending_updates(self) -> None:
        """Forget all queued updates (deleteWebhook/setWebhook drop_pending_updates)."""
        self._updates.clear()
        self.activity.fire()

    async def get_updates(self, offset: int | None, limit: int, hold: float) -> list[JSONDict]:
        """getUpdates: confirm ``offset``, then answer at once or hold until updates/timeout."""
        if offset:
            self._confirm(offset)
        previous = self._poller
        if previous is not None:
            # like Telegram: a newer getUpdates terminates the older one with 409
            previous.terminated = True
            previous.event.set()
            self._poller = None
        if not self._updates and hold > 0 and not self.closing:
            poller = _Poller()
            self._poller = poller
            try:
                async with asyncio.timeout(hold):
                    await poller.event.wait()
            except TimeoutError:
                pass
            finally:
                if self._poller is poller:
                    self._poller = None
            if poller.terminated:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return list(itertools.islice(self._updates, limit))

    def close(self) -> None:
        """Release long polls so the server can stop at once."""
        self.closing = True
        if self._poller is not None:
            self._poller.event.set()
        self.activity.fire()

    # -- files ---------------------------------------------------------------------------

    def store_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        source_url: str | None = None,
    ) -> StoredFile:
        """Keep file bytes and give them a file_id and a download path."""
        number = next(self._file_numbers)
        folder, ext = _FILE_DIRS.get(kind, ("files", ""))
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1]
        suffix = f".{ext}" if ext else ""
        stored = StoredFile(
            file_id=f"SBX{kind[:3].upper()}{number:06d}{secrets.token_urlsafe(12)}",
            file_unique_id=f"SBU{number:06d}",
            kind=kind,
            file_path=f"{folder}/file_{number}{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            source_url=source_url,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # -- ids -----------------------------------------------------------------------------

    def next_callback_id(self) -> str:
        """A fresh callback query id."""
        return str(next(self._callback_ids))

    def next_inline_id(self) -> str:
        """A fresh inline query id."""
        return str(next(self._inline_ids))

    # -- calls and activity --------------------------------------------------------------

    def record(self, call: RecordedCall) -> None:
        """Remember one Bot API call."""
        if not self.record_calls:
            return
        self.calls.append(call)
        bucket = self.calls_by_method.get(call.method)
        if bucket is None:
            bucket = self.calls_by_method[call.method] = []
        bucket.append(call)

    def request_started(self) -> None:
        """A non-polling bot request is now in flight."""
        self.inflight += 1
        self.activity.fire()

    def request_finished(self) -> None:
        """A non-polling bot request has been answered."""
        self.inflight -= 1
        self.activity.fire()

    @property
    def idle(self) -> bool:
        """No unconfirmed updates and no bot request in flight."""
        return not self._updates and self.inflight == 0

    def recent_calls(self, count: int = 10) -> str:
        """The last calls, one per line, for error messages."""
        if not self.record_calls:
            return "  (call recording is off)"
        picked: list[RecordedCall] = []
        # getUpdates would crowd out the calls that explain a failure
        for call in reversed(self.calls):
            if call.method != "getUpdates":
                picked.append(call)
                if len(picked) == count:
                    break
        lines = [f"  {call.summary()}" for call in reversed(picked)]
        return "\n".join(lines) if lines else "  (no calls yet)"

    @staticmethod
    def now() -> int:
        """Telegram's unix-time ``date``."""
        return int(time.time())
