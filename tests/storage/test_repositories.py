"""Repositories: profiles and flow states round-trip exactly, with odd data too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

import pytest

from bot.coach.profile import Profile, Schedule
from bot.storage import FlowState, Storage
from bot.storage.tables import flow_states

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def rep(user_id: int = 1, **changes: object) -> Profile:
    profile = Profile(user_id=user_id, chat_id=user_id, language="de", timezone="Europe/Berlin")
    return replace(profile, **changes)  # type: ignore[arg-type]


async def test_unknown_user_is_none(storage: Storage) -> None:
    assert await storage.users.get(99) is None
    assert await storage.users.load(99) == (None, None)
    assert await storage.flows.get(99) is None
    assert await storage.flows.clear(99) is False


async def test_profile_round_trip(storage: Storage) -> None:
    profile = rep(
        2**40,
        language="en",
        timezone="America/St_Johns",
        schedule=Schedule(frozenset({0, 2, 6}), time(6, 45), time(13, 5), 95, time(19, 59)),
        onboarded=True,
    )
    await storage.users.create(profile, NOW)
    assert await storage.users.get(profile.user_id) == profile


async def test_check_in_settings_round_trip(storage: Storage) -> None:
    await storage.users.create(rep(), NOW)
    assert (await storage.users.get(1)) == rep()  # the defaults of a new rep
    changed = rep().with_schedule(
        weekly_day=0,
        weekly_time=time(8, 5),
        quiet_start=time(13, 0),
        quiet_end=time(14, 0),
        midday_nudge=time(11, 45),
        checkins=frozenset({"midday", "morning"}),
    )
    await storage.users.save(changed, NOW)
    assert await storage.users.get(1) == changed
    nothing = changed.with_schedule(checkins=frozenset())
    await storage.users.save(nothing, NOW)
    assert await storage.users.get(1) == nothing


async def test_create_twice_keeps_the_first(storage: Storage) -> None:
    first = await storage.users.create(rep(language="de"), NOW)
    second = await storage.users.create(rep(language="en"), NOW)
    assert second == first
    assert (await storage.users.get(1)) == first


async def test_save_and_set_active(storage: Storage) -> None:
    await storage.users.create(rep(), NOW)
    changed = rep(timezone="Asia/Kolkata").with_schedule(block_minutes=120)
    await storage.users.save(changed, NOW)
    await storage.users.set_active(1, False, NOW)
    assert await storage.users.get(1) == replace(changed, active=False)


async def test_flow_state_round_trip_with_unicode(storage: Storage) -> None:
    await storage.users.create(rep(), NOW)
    state = FlowState("onboarding", "days", {"days": "0246", "note": "Müller 😀 \u202e ẞ"})
    await storage.flows.set(1, state, NOW)
    assert await storage.flows.get(1) == state
    profile, flow = await storage.users.load(1)
    assert profile == rep()
    assert flow == state
    replaced = FlowState("settings", "tz", {})
    await storage.flows.set(1, replaced, NOW)
    assert await storage.flows.get(1) == replaced
    assert await storage.flows.clear(1) is True
    assert await storage.flows.get(1) is None


async def test_save_step_is_atomic(storage: Storage) -> None:
    await storage.users.create(rep(), NOW)
    await storage.save_step(rep(onboarded=True), FlowState("settings", "tz"), NOW)
    assert await storage.users.load(1) == (rep(onboarded=True), FlowState("settings", "tz"))
    await storage.save_step(rep(onboarded=True), None, NOW)
    assert await storage.users.load(1) == (rep(onboarded=True), None)


async def test_corrupt_flow_data_reads_as_empty(storage: Storage) -> None:
    await storage.users.create(rep(), NOW)
    async with storage.engine.begin() as conn:
        await conn.execute(
            flow_states.insert().values(
                user_id=1, flow="onboarding", step="tz", data="{not json", updated_at=NOW
            )
        )
    assert await storage.flows.get(1) == FlowState("onboarding", "tz", {})


async def test_flow_needs_a_user(storage: Storage) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        await storage.flows.set(12345, FlowState("onboarding", "tz"), NOW)


async def test_naive_datetimes_are_refused(storage: Storage) -> None:
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError):
        await storage.users.create(rep(), datetime(2026, 1, 1))
