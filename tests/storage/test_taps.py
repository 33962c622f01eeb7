"""The tap guard: a tap counts once by its id, a double tap once, a later or other tap again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.coach.activity import Counts
from bot.coach.profile import Profile
from bot.storage import Storage, open_storage
from bot.storage.tables import taps
from bot.storage.taps import DOUBLE_TAP_WINDOW, KEEP_TAPS, Tap, claim_tap, tap_origin

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ORIGIN = tap_origin(10, 55, "t:d:3:261123")


async def _rep(storage: Storage, user_id: int = 1) -> int:
    await storage.users.create(Profile(user_id, user_id, "de", "UTC", onboarded=True), NOW)
    return user_id


async def _claim(
    storage: Storage, tap_id: str, origin: str = ORIGIN, now: datetime = NOW, user_id: int = 1
) -> bool:
    async with storage.engine.begin() as conn:
        return await claim_tap(conn, user_id=user_id, tap_id=tap_id, origin=origin, now=now)


async def _rows(storage: Storage) -> int:
    async with storage.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(taps))).scalar_one())


async def test_a_redelivered_tap_counts_once(storage: Storage) -> None:
    await _rep(storage)
    assert await _claim(storage, "q1")
    assert not await _claim(storage, "q1", now=NOW + timedelta(minutes=5))
    assert await _rows(storage) == 1


async def test_a_double_tap_counts_once_and_a_later_tap_again(storage: Storage) -> None:
    await _rep(storage)
    assert await _claim(storage, "q1")
    assert not await _claim(storage, "q2", now=NOW + timedelta(seconds=0.4))
    # The window runs from the tap that counted, not from the swallowed one.
    assert not await _claim(storage, "q3", now=NOW + DOUBLE_TAP_WINDOW - timedelta(seconds=0.1))
    assert await _claim(storage, "q4", now=NOW + DOUBLE_TAP_WINDOW + timedelta(seconds=0.1))


async def test_other_buttons_messages_and_reps_count_within_the_window(storage: Storage) -> None:
    await _rep(storage)
    await _rep(storage, 2)
    assert await _claim(storage, "q1")
    assert await _claim(storage, "q2", origin=tap_origin(10, 55, "t:c:3:261123"))
    assert await _claim(storage, "q3", origin=tap_origin(10, 56, "t:d:3:261123"))
    assert await _claim(storage, "q1", user_id=2)


async def test_a_rolled_back_tap_counts_when_it_comes_again(storage: Storage) -> None:
    await _rep(storage)

    class FailedError(Exception):
        pass

    try:
        async with storage.engine.begin() as conn:
            assert await claim_tap(conn, user_id=1, tap_id="q1", origin=ORIGIN, now=NOW)
            raise FailedError
    except FailedError:
        pass
    assert await _rows(storage) == 0
    assert await _claim(storage, "q1")


async def test_taps_older_than_a_day_are_pruned(storage: Storage) -> None:
    await _rep(storage)
    for n in range(40):
        await _claim(storage, f"old{n}", origin=f"o{n}")
    later = NOW + KEEP_TAPS + timedelta(minutes=1)
    for n in range(40):
        await _claim(storage, f"new{n}", origin=f"o{n}", now=later)
    # Some claim in forty pruned: the old rows are gone, the new ones kept.
    async with storage.engine.connect() as conn:
        old = (await conn.execute(select(func.count()).where(taps.c.created_at < later))).scalar()
    assert old == 0
    assert await _rows(storage) >= 1


async def test_two_processes_racing_with_one_double_tap_count_it_once(
    storage: Storage, database_url: str
) -> None:
    await _rep(storage)
    other = await open_storage(database_url, migrate=False)
    try:
        for n in range(5):
            at = NOW + timedelta(minutes=n)
            results = await asyncio.gather(
                _claim(storage, f"a{n}", now=at),
                _claim(other, f"b{n}", now=at + timedelta(milliseconds=200)),
                _claim(other, f"a{n}", now=at),
            )
            assert sum(results) == 1, results
    finally:
        await other.close()


# -- the activity repository with taps and corrections -------------------------------------

DAY = NOW.date()


async def test_a_tap_adds_once_and_an_undo_tap_takes_back_once(storage: Storage) -> None:
    await _rep(storage)
    activity = storage.activity
    tap = Tap("q1", ORIGIN)
    change = await activity.change(
        1, DAY, Counts(1), source="tap", now=NOW, target_dials=20, tap=tap
    )
    assert change is not None
    assert change.record.counts == Counts(1)
    later = NOW + timedelta(minutes=1)
    assert (
        await activity.change(1, DAY, Counts(1), source="tap", now=later, target_dials=20, tap=tap)
        is None
    )
    undo_tap = Tap("q2", tap_origin(10, 55, "t:u:1:261123"))
    undo = await activity.undo(1, DAY, later, tap=undo_tap)
    assert undo is not None
    assert undo.undone == Counts(1)
    assert undo.record.counts == Counts()
    assert await activity.undo(1, DAY, later, tap=undo_tap) is None
    nothing = await activity.undo(1, DAY, later)
    assert nothing is not None
    assert nothing.undone is None


async def test_a_correction_stops_at_zero_and_its_undo_restores_the_day(storage: Storage) -> None:
    await _rep(storage)
    activity = storage.activity
    await activity.change(1, DAY, Counts(5, 2), source="log", now=NOW, target_dials=20)
    change = await activity.change(1, DAY, Counts(-8, -1), source="text", now=NOW, target_dials=20)
    assert change is not None
    assert change.applied == Counts(-5, -1)
    assert change.capped
    assert change.record.counts == Counts(0, 1)
    undo = await activity.undo(1, DAY, NOW)
    assert undo is not None
    assert undo.record.counts == Counts(5, 2)
    at_zero = await activity.change(
        1, DAY - timedelta(days=1), Counts(-3), source="text", now=NOW, target_dials=20
    )
    assert at_zero is not None
    assert at_zero.applied.is_zero
    assert at_zero.record.counts == Counts()
    empty = await activity.undo(1, DAY - timedelta(days=1), NOW)
    assert empty is not None
    assert empty.undone is None


async def test_two_processes_correcting_at_once_never_go_below_zero(
    storage: Storage, database_url: str
) -> None:
    await _rep(storage)
    await storage.activity.change(1, DAY, Counts(10), source="log", now=NOW, target_dials=20)
    other = await open_storage(database_url, migrate=False)
    try:
        results = await asyncio.gather(
            *(
                repo.change(1, DAY, Counts(-4), source="text", now=NOW, target_dials=20)
                for repo in (storage.activity, other.activity, storage.activity, other.activity)
            )
        )
    finally:
        await other.close()
    applied = sum(r.applied.dials for r in results if r is not None)
    assert applied == -10
    assert (await storage.activity.day(1, DAY)).counts == Counts()
