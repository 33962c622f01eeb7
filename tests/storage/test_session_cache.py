"""The session cache of the SQLite mode answers exactly what the database holds.

PostgreSQL may be shared by several processes, so `open_storage` switches the cache off there;
the cache's own tests build a cached Storage explicitly and so run on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.coach.profile import Profile
from bot.storage import FlowState, Storage, open_storage
from bot.storage.repositories import SessionCache

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def rep(user_id: int = 1, **changes: object) -> Profile:
    profile = Profile(user_id=user_id, chat_id=user_id, language="de", timezone="Europe/Berlin")
    return replace(profile, **changes)  # type: ignore[arg-type]


async def test_only_sqlite_storage_caches_sessions(storage: Storage) -> None:
    await storage.users.create(rep(), NOW)
    first = await storage.users.load(1)
    if storage.engine.dialect.name == "sqlite":
        assert storage.sessions.get(1) == first
    else:
        # Another process may write the same rows: every read goes to the database.
        assert storage.engine.dialect.name == "postgresql"
        assert storage.sessions.size == 0
        assert storage.sessions.get(1) is None


async def test_every_write_keeps_the_cache_equal_to_the_database(database_url: str) -> None:
    storage = Storage((await open_storage(database_url)).engine, cache_sessions=True)
    # A second, uncached storage on the same database is the reference for what is stored.
    reference = Storage((await open_storage(database_url, migrate=False)).engine)
    try:

        async def same() -> None:
            assert await storage.users.load(1) == await reference.users.load(1)

        await same()  # an unknown user is cached as unknown ...
        await storage.users.create(rep(), NOW)
        await same()  # ... until they are created
        await storage.flows.set(1, FlowState("onboarding", "tz", {"n": (1, 2), "t": "ä"}), NOW)
        await same()  # the tuple comes back as a list, in the cache too
        await storage.users.save(rep(language="en"), NOW)
        await same()
        await storage.save_step(rep(onboarded=True), FlowState("settings", "days"), NOW)
        await same()
        await storage.users.set_active(1, False, NOW)
        await same()
        await storage.flows.clear(1)
        await same()
        await storage.save_step(rep(onboarded=True, language="de"), None, NOW)
        await same()
        # Writes for a user the cache never saw leave it empty rather than guessing.
        await storage.users.create(rep(2), NOW)
        await storage.users.save(rep(2, language="en"), NOW)
        assert storage.sessions.get(2) is None
        assert await storage.users.load(2) == await reference.users.load(2)
    finally:
        await reference.close()
        await storage.close()


async def test_cached_flow_data_is_read_only(database_url: str) -> None:
    storage = Storage((await open_storage(database_url)).engine, cache_sessions=True)
    try:
        await storage.users.create(rep(), NOW)
        await storage.users.load(1)
        await storage.flows.set(1, FlowState("goals", "rate", {"a": 1}), NOW)
        _, flow = await storage.users.load(1)
        assert flow is not None
        with pytest.raises(TypeError):
            flow.data["a"] = 2  # type: ignore[index]
    finally:
        await storage.close()


async def test_uncached_flow_data_is_a_fresh_copy(storage: Storage) -> None:
    # Without the cache (PostgreSQL), each read builds new objects: changing one changes nothing.
    uncached = Storage(storage.engine)
    await uncached.users.create(rep(), NOW)
    await uncached.flows.set(1, FlowState("goals", "rate", {"a": 1}), NOW)
    _, flow = await uncached.users.load(1)
    assert flow is not None
    flow.data["a"] = 2  # type: ignore[index]
    assert await uncached.users.load(1) == (rep(), FlowState("goals", "rate", {"a": 1}))


async def test_a_failed_write_leaves_nothing_stale(storage: Storage) -> None:
    from sqlalchemy.exc import IntegrityError

    await storage.users.load(7)
    with pytest.raises(IntegrityError):
        await storage.flows.set(7, FlowState("onboarding", "tz"), NOW)
    assert storage.sessions.get(7) is None
    assert await storage.users.load(7) == (None, None)


def test_a_read_that_raced_a_write_is_not_kept() -> None:
    cache = SessionCache()
    stamp = cache.stamp()
    cache.writing(1)  # a write commits while the read is still waiting for the database
    cache.fill(1, (rep(), None), stamp)
    assert cache.get(1) is None
    cache.fill(1, (rep(), None), cache.stamp())
    assert cache.get(1) == (rep(), None)


def test_the_cache_keeps_the_most_recently_used() -> None:
    cache = SessionCache(size=2)
    for user_id in (1, 2):
        cache.fill(user_id, (rep(user_id), None), cache.stamp())
    assert cache.get(1) is not None  # 1 is now more recent than 2
    cache.fill(3, (rep(3), None), cache.stamp())
    assert cache.get(2) is None
    assert cache.get(1) == (rep(1), None)
    assert cache.get(3) == (rep(3), None)


async def test_warming_reads_every_rep_with_their_flow(database_url: str) -> None:
    writer = await open_storage(database_url)
    try:
        for user_id in (1, 2, 3):
            await writer.users.create(rep(user_id), NOW)
        await writer.flows.set(2, FlowState("goals", "rate", {"x": 1}), NOW)
    finally:
        await writer.close()
    storage = Storage((await open_storage(database_url)).engine, cache_sessions=True)
    try:
        assert await storage.users.warm_cache() == 3
        assert storage.sessions.get(1) == (rep(1), None)
        assert storage.sessions.get(2) == (rep(2), FlowState("goals", "rate", {"x": 1}))
        assert storage.sessions.get(4) is None
    finally:
        await storage.close()


async def test_an_uncached_storage_warms_nothing(database_url: str) -> None:
    storage = Storage((await open_storage(database_url)).engine)
    try:
        await storage.users.create(rep(), NOW)
        assert await storage.users.warm_cache() == 0
        assert storage.sessions.get(1) is None
    finally:
        await storage.close()
