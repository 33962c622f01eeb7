"""A migrated database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.storage import Storage, open_storage


@pytest.fixture
async def storage(database_url: str) -> AsyncIterator[Storage]:
    """Storage on a fresh database with all migrations applied."""
    store = await open_storage(database_url)
    try:
        yield store
    finally:
        await store.close()
