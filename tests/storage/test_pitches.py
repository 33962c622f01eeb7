"""The pitch repository: versions and the current one, rehearsals, ratings and the plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.coach.pitch import RehearsalState
from bot.coach.profile import Profile
from bot.storage import Storage
from bot.storage.pitches import RehearsalPlan
from bot.storage.tables import users

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def rep(storage: Storage, user_id: int = 1) -> None:
    await storage.users.create(Profile(user_id, user_id, "de", "Europe/Berlin"), NOW)


async def test_no_pitch_yet(storage: Storage) -> None:
    await rep(storage)
    assert await storage.pitches.versions(1) == []
    assert await storage.pitches.current(1) is None
    assert await storage.pitches.get(1, 1) is None
    assert await storage.pitches.make_current(1, 1) is None
    assert await storage.pitches.plan(1) == RehearsalPlan(RehearsalState(), None)


async def test_versions_are_numbered_per_rep_and_the_newest_is_current(storage: Storage) -> None:
    await rep(storage, 1)
    await rep(storage, 2)
    first = await storage.pitches.add(1, "Erste Fassung", 30, "de", NOW)
    other = await storage.pitches.add(2, "Someone else's", 50, "en", NOW)
    second = await storage.pitches.add(1, "Zweite Fassung 😀 <b>", 80, "de", NOW + timedelta(1))
    assert (first.version, second.version, other.version) == (1, 2, 1)
    stored = await storage.pitches.versions(1)
    assert stored == [replace(first, current=False), second]
    assert first.current, "it was current until the second came"
    assert second.current
    assert await storage.pitches.current(1) == second
    assert await storage.pitches.get(1, other.id) is None, "another rep's pitch is not found"


async def test_make_an_older_version_current(storage: Storage) -> None:
    await rep(storage)
    first = await storage.pitches.add(1, "eins", 10, "de", NOW)
    second = await storage.pitches.add(1, "zwei", 20, "de", NOW)
    made = await storage.pitches.make_current(1, first.id)
    assert made is not None
    assert (made.version, made.current) == (1, True)
    assert [p.current for p in await storage.pitches.versions(1)] == [True, False]
    assert await storage.pitches.current(1) == made
    third = await storage.pitches.add(1, "drei", 30, "de", NOW)
    assert [p.current for p in await storage.pitches.versions(1)] == [False, False, True]
    assert (await storage.pitches.current(1)) == third
    assert second.id != third.id


async def test_rehearsals_with_plan_and_a_rating_once(storage: Storage) -> None:
    await rep(storage)
    pitch = await storage.pitches.add(1, "Pitch", 90, "de", NOW)
    plan = RehearsalPlan(RehearsalState(step=1, rehearsals=1), date(2026, 11, 24))
    typed = await storage.pitches.add_rehearsal(
        1, pitch.id, "text", NOW, recall=88, text="aus dem Kopf", plan=plan
    )
    assert await storage.pitches.plan(1) == plan
    spoken = await storage.pitches.add_rehearsal(1, pitch.id, "voice", NOW, seconds=41)
    assert spoken.self_rating is None
    later = RehearsalPlan(RehearsalState(step=2, rehearsals=2), date(2026, 11, 26))
    assert await storage.pitches.rate(1, spoken.id, 5, NOW, later)
    assert not await storage.pitches.rate(1, spoken.id, 1, NOW), "rated once"
    assert not await storage.pitches.rate(2, spoken.id, 1, NOW), "not another rep's"
    assert await storage.pitches.plan(1) == later
    stored = await storage.pitches.rehearsals(1)
    assert [(r.kind, r.recall, r.seconds, r.self_rating, r.text) for r in stored] == [
        ("text", 88, None, None, "aus dem Kopf"),
        ("voice", None, 41, 5, None),
    ]
    assert stored[0] == typed
    assert await storage.pitches.rehearsal(1, spoken.id) == stored[1]
    assert await storage.pitches.rehearsal(2, spoken.id) is None
    with pytest.raises(ValueError, match="rating"):
        await storage.pitches.rate(1, typed.id, 6, NOW)


async def test_a_voice_note_without_a_pitch(storage: Storage) -> None:
    await rep(storage)
    spoken = await storage.pitches.add_rehearsal(1, None, "voice", NOW, seconds=12)
    assert spoken.pitch_id is None
    assert await storage.pitches.rate(1, spoken.id, 3, NOW)
    assert await storage.pitches.plan(1) == RehearsalPlan(), "no plan without a pitch"


async def test_save_plan_replaces_it(storage: Storage) -> None:
    await rep(storage)
    await storage.pitches.save_plan(1, RehearsalPlan(RehearsalState(3, 7), date(2027, 1, 1)), NOW)
    await storage.pitches.save_plan(1, RehearsalPlan(RehearsalState(0, 8), date(2027, 1, 2)), NOW)
    assert await storage.pitches.plan(1) == RehearsalPlan(RehearsalState(0, 8), date(2027, 1, 2))


async def test_everything_goes_with_the_rep(storage: Storage) -> None:
    await rep(storage)
    pitch = await storage.pitches.add(1, "Pitch", 90, "de", NOW)
    plan = RehearsalPlan(RehearsalState(1, 1), date(2026, 11, 24))
    await storage.pitches.add_rehearsal(1, pitch.id, "text", NOW, recall=70, plan=plan)
    async with storage.engine.begin() as conn:
        await conn.execute(users.delete().where(users.c.id == 1))
    assert await storage.pitches.versions(1) == []
    assert await storage.pitches.rehearsals(1) == []
    assert await storage.pitches.plan(1) == RehearsalPlan()
