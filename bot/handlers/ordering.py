"""Concurrent updates without races: different chats run side by side, one chat in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Process up to N updates at once, but never two of the same chat (or user) together.

    A rep's flow state is read and written per update, so two of their updates must not
    interleave; other reps need not wait for a slow database or API call of theirs.
    Updates arrive and start in order and asyncio locks are fair, so a chat keeps its order.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        # Lock and number of updates holding or waiting for it; dropped when that reaches 0.
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @staticmethod
    def key(update: object) -> int | None:
        """The chat (or, without a chat, the user) whose updates must stay in order."""
        if not isinstance(update, Update):
            return None
        if update.effective_chat is not None:
            return update.effective_chat.id
        return update.effective_user.id if update.effective_user is not None else None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers once no earlier update of its chat is running."""
        key = self.key(update)
        if key is None:
            await coroutine
            return
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    @property
    def busy_chats(self) -> int:
        """Chats with an update running or waiting (for tests and monitoring)."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
