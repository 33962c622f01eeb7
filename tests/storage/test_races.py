"""Read-then-write steps that two bot processes may run at once on one database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.coach.activity import Counts
from bot.coach.profile import Profile
from bot.storage import Storage, open_storage
from bot.storage.checkins import DeliveryKey

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
DAY = date(2026, 11, 23)


async def _rep(storage: Storage, user_id: int = 1) -> int:
    await storage.users.create(Profile(user_id, user_id, "de", "UTC", onboarded=True), NOW)
    return user_id


async def test_two_processes_reclaiming_one_expired_claim_get_it_once(
    storage: Storage, database_url: str
) -> None:
    user_id = await _rep(storage)
    keys = [DeliveryKey(user_id, "morning", "", DAY), DeliveryKey(user_id, "evening", "", DAY)]
    assert len(await storage.checkins.claim(keys, NOW)) == 2
    other = await open_storage(database_url, migrate=False)
    try:
        later = NOW + LEASE + timedelta(seconds=1)
        first, second = await asyncio.gather(
            storage.checkins.reclaim_expired(later, LEASE, 100),
            other.checkins.reclaim_expired(later + timedelta(microseconds=1), LEASE, 100),
        )
    finally:
        await other.close()
    taken = [c.key for c in first] + [c.key for c in second]
    assert sorted(taken, key=lambda k: k.kind) == sorted(keys, key=lambda k: k.kind)
    assert all(c.attempts == 2 for c in first + second)


async def test_a_renewed_claim_is_not_reclaimed_and_a_taken_one_not_renewed(
    storage: Storage,
) -> None:
    user_id = await _rep(storage)
    kept, taken = await storage.checkins.claim(
        [DeliveryKey(user_id, "morning", "", DAY), DeliveryKey(user_id, "evening", "", DAY)], NOW
    )
    later = NOW + LEASE + timedelta(seconds=1)
    # Another process took `taken` over; ours renews both and keeps only `kept`.
    await storage.checkins.renew([taken.id], NOW, later)
    assert await storage.checkins.renew([kept.id, taken.id], NOW, later) == {kept.id}
    # Renewed at `later`: not expired one lease after NOW.
    assert await storage.checkins.reclaim_expired(later, LEASE, 100) == []


async def test_closing_a_sent_reminder_keeps_one_moved_meanwhile_open(storage: Storage) -> None:
    user_id = await _rep(storage)
    await storage.checkins.put_due(user_id, "drill", "x", NOW, NOW)
    (item,) = await storage.checkins.due_items(NOW, 10)
    # The rep moves it while the old one is being sent.
    await storage.checkins.put_due(user_id, "drill", "x", NOW + timedelta(hours=1), NOW)
    assert not await storage.checkins.close_item(item.id, item.due_at, NOW)
    (still,) = await storage.checkins.open_items(user_id)
    assert still.due_at == NOW + timedelta(hours=1)
    assert await storage.checkins.close_item(still.id, still.due_at, NOW)
    assert await storage.checkins.open_items(user_id) == []


async def test_two_undos_of_one_change_take_it_back_once(
    storage: Storage, database_url: str
) -> None:
    user_id = await _rep(storage)
    activity = storage.activity
    await activity.change(user_id, DAY, Counts(5, 0, 0, 0), source="t", now=NOW, target_dials=10)
    await activity.change(user_id, DAY, Counts(3, 0, 0, 0), source="t", now=NOW, target_dials=10)
    other = await open_storage(database_url, migrate=False)
    try:
        results = await asyncio.gather(
            activity.undo(user_id, DAY, NOW), other.activity.undo(user_id, DAY, NOW)
        )
    finally:
        await other.close()
    # Either both undos went one after the other (8 → 5 → 0) or one lost the race; never
    # the same change twice (8 → 5 → 2).
    day = await activity.day(user_id, DAY)
    done = [r.undone for r in results if r is not None and r.undone is not None]
    assert day.counts.dials == 8 - sum(undone.dials for undone in done)
    assert sorted(undone.dials for undone in done) in ([3], [3, 5])
