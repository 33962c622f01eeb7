"""End-to-end harness: the real Application, long-polling the sandbox over loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.app import App, build_application, polling
from bot.config import Settings
from bot.content import Content
from bot.handlers.context import DEPS_KEY, Deps
from bot.sandbox import Sandbox, SandboxMessage, SandboxUser
from bot.storage import Storage

# The main menu, row by row: today, follow-ups, objection / week, goals, roleplay / settings,
# help.
MENU_DE = ["📞 Heute", "📋 Nachfassen", "🛡 Einwand"]
MENU_DE += ["📈 Woche", "🎯 Ziele", "🎭 Rollenspiel", "⚙️ Einstellungen", "❓ Hilfe"]
MENU_EN = ["📞 Today", "📋 Follow-ups", "🛡 Objection"]
MENU_EN += ["📈 Week", "🎯 Goals", "🎭 Roleplay", "⚙️ Settings", "❓ Help"]


@dataclass
class Clock:
    """A settable clock for the bot; tests move time by assigning `now`."""

    now: datetime = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Harness:
    """Starts, stops and restarts the real bot; collects handler errors."""

    sandbox: Sandbox
    settings: Settings
    content: Content
    clock: Clock = field(default_factory=Clock)
    errors: list[BaseException] = field(default_factory=list)
    expected_errors: int = 0
    app: App | None = None
    _running: AbstractAsyncContextManager[App] | None = None

    def _record(self, _update: object, error: BaseException) -> None:
        self.errors.append(error)

    async def start(self) -> None:
        """Build a fresh Application (as a new process would) and start polling."""
        app = build_application(
            self.settings, self.content, clock=self.clock, error_hook=self._record
        )
        self._running = polling(app, poll_timeout=1)
        self.app = await self._running.__aenter__()

    async def stop(self) -> None:
        """Stop polling and shut down, as on SIGTERM."""
        running, self._running, self.app = self._running, None, None
        if running is not None:
            await running.__aexit__(None, None, None)

    async def restart(self) -> None:
        """Stop and start again with the same database."""
        await self.stop()
        await self.start()

    @property
    def storage(self) -> Storage:
        """The running bot's storage, for assertions on what is stored."""
        assert self.app is not None
        deps = self.app.bot_data[DEPS_KEY]
        assert isinstance(deps, Deps)
        return deps.storage

    def user(self, user_id: int = 1001, language_code: str | None = "de") -> SandboxUser:
        """A test user in a private chat with the bot."""
        return self.sandbox.user(user_id, first_name="Rep", language_code=language_code)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A local Bot API on a free loopback port."""
    async with Sandbox(bot_username="SalesCoachBot") as sb:
        yield sb


@pytest.fixture
async def harness(sandbox: Sandbox, settings: Settings, content: Content) -> AsyncIterator[Harness]:
    """The running bot; fails the test if a handler raised unexpectedly."""
    wired = settings.model_copy(
        update={
            "telegram_api_base_url": sandbox.base_url,
            "telegram_api_file_url": sandbox.base_file_url,
        }
    )
    h = Harness(sandbox, wired, content)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
    assert len(h.errors) == h.expected_errors, f"unexpected handler errors: {h.errors!r}"


async def at_working_days(
    harness: Harness, user_id: int, city: str
) -> tuple[SandboxUser, SandboxMessage]:
    """A German rep half-way through onboarding: language and city given, days asked."""
    user = harness.user(user_id, "de")
    user.send_command("start")
    await user.next_message()
    user.press("🇩🇪 Deutsch")
    await user.next_message()
    user.send_text(city)
    await user.next_message()
    return user, await user.next_message()


async def onboarded(harness: Harness, user_id: int, lang: str = "de") -> SandboxUser:
    """A user who went through onboarding by tapping the suggested answers."""
    user = harness.user(user_id, lang)
    user.send_command("start")
    await user.next_message()
    user.press(f"a:lang:{lang}")
    await user.next_message()
    user.send_text("Berlin")
    await user.next_message()
    await user.next_message()
    user.press("d:ok")
    await user.next_message()
    for data in ("a:morning:0800", "a:block:0900", "a:blen:60", "a:evening:1730"):
        user.press(data)
        await user.next_message()
    user.mark_read()
    return user
