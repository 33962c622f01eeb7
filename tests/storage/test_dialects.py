"""What differs between SQLite and PostgreSQL behaves the same through our storage.

Run on PostgreSQL with TEST_DATABASE_URL (see the README); these tests pin down what a first
run there showed: 64-bit Telegram ids, timezones, NUL characters in typed text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from bot.coach.activity import Counts
from bot.coach.profile import Profile
from bot.storage import FlowState, Storage
from bot.storage.checkins import DeliveryKey
from bot.storage.tables import deliveries, users

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# Telegram user ids use up to 52 bits; group chat ids are negative and as long.
BIG_USER = 7_123_456_789
BIG_CHAT = -1_001_234_567_890


async def test_telegram_ids_beyond_32_bits_are_stored_everywhere(storage: Storage) -> None:
    profile = Profile(BIG_USER, BIG_CHAT, "de", "Europe/Berlin", onboarded=True)
    await storage.users.create(profile, NOW)
    await storage.flows.set(BIG_USER, FlowState("goals", "rate", {"chat": BIG_CHAT}), NOW)
    assert await storage.users.load(BIG_USER) == (
        profile,
        FlowState("goals", "rate", {"chat": BIG_CHAT}),
    )
    day = date(2026, 11, 23)
    record = await storage.activity.change(
        BIG_USER, day, Counts(dials=3), source="test", now=NOW, target_dials=10
    )
    assert record is not None
    assert (await storage.activity.day(BIG_USER, day)).counts.dials == 3
    await storage.drills.record(BIG_USER, "price", 0.5, day, 3, NOW)
    assert set(await storage.drills.stats(BIG_USER)) == {"price"}
    await storage.team_playbooks.put("de", "entries: []", BIG_USER, NOW)
    claims = await storage.checkins.claim([DeliveryKey(BIG_USER, "morning", "", day)], NOW)
    assert [c.key.user_id for c in claims] == [BIG_USER]
    await storage.checkins.finish([(claims[0].id, "sent", 2**40, None)], NOW)
    async with storage.engine.connect() as conn:
        sent = (await conn.execute(select(deliveries.c.message_id))).scalar_one()
    assert sent == 2**40
    assert [p.user_id for p in await storage.checkins.active_profiles()] == [BIG_USER]


async def test_times_come_back_as_the_same_instant_in_utc(storage: Storage) -> None:
    berlin_evening = datetime(2026, 3, 29, 23, 30, tzinfo=timezone(timedelta(hours=2)))
    await storage.users.create(Profile(1, 1, "de", "Europe/Berlin"), berlin_evening)
    async with storage.engine.connect() as conn:
        stored = (await conn.execute(select(users.c.created_at))).scalar_one()
    assert stored == berlin_evening
    assert stored.tzinfo == UTC
    assert stored.hour == 21


async def test_naive_times_are_refused(storage: Storage) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        await storage.users.create(Profile(1, 1, "de", "UTC"), datetime(2026, 11, 23, 9, 0))


async def test_nul_characters_in_typed_text_are_dropped(storage: Storage) -> None:
    # PostgreSQL refuses U+0000 in text; a pasted pitch must not fail there.
    await storage.users.create(Profile(1, 1, "de", "UTC"), NOW)
    await storage.pitches.add(1, "Guten\x00 Tag", 50, "de", NOW)
    await storage.pitches.add_rehearsal(1, None, "text", NOW, text="\x00Tag")
    assert [p.text for p in await storage.pitches.versions(1)] == ["Guten Tag"]
    assert [r.text for r in await storage.pitches.rehearsals(1)] == ["Tag"]
