"""Members, invites, export, erasure and the retention query on a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.coach.access import ADMIN, REP, Invite
from bot.coach.profile import Profile
from bot.storage import Storage
from bot.storage.engine import create_engine
from bot.storage.migrate import upgrade
from bot.storage.profiles import profile_values
from bot.storage.tables import members, users
from tests.walk import rows_naming

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_grants_promote_but_never_demote(storage: Storage) -> None:
    assert await storage.access.member(1) is None
    assert (await storage.access.grant(1, REP, NOW)).role == REP
    assert (await storage.access.grant(1, ADMIN, NOW)).role == ADMIN
    assert (await storage.access.grant(1, REP, NOW)).role == ADMIN
    member = await storage.access.member(1)
    assert member is not None
    assert member.role == ADMIN


async def test_disable_keeps_the_role_and_re_enable_clears_it(storage: Storage) -> None:
    await storage.access.grant(2, ADMIN, NOW)
    disabled = await storage.access.set_disabled(2, True, NOW)
    assert disabled.disabled
    assert disabled.role == ADMIN
    assert not await storage.access.has_admin(), "a disabled admin is no admin"
    assert not (await storage.access.set_disabled(2, False, NOW)).disabled
    assert (await storage.access.set_disabled(3, True, NOW)).role == REP, "a grant is created"


async def test_a_one_time_code_admits_exactly_one_of_many_racing(storage: Storage) -> None:
    invite = await storage.access.create_invite(REP, 1, NOW + timedelta(days=1), 9, NOW)
    results = await asyncio.gather(
        *(storage.access.redeem(invite.code, user_id, NOW) for user_id in range(10, 20))
    )
    assert sum(isinstance(r, Invite) for r in results) == 1
    assert [r for r in results if not isinstance(r, Invite)] == ["used_up"] * 9
    stored = await storage.access.invite(invite.code)
    assert stored is not None
    assert stored.uses == 1


async def test_redeem_reports_why_a_code_fails(storage: Storage) -> None:
    access = storage.access
    assert await access.redeem("unknown-code", 1, NOW) is None
    expiring = await access.create_invite(REP, None, NOW + timedelta(hours=1), None, NOW)
    assert await access.redeem(expiring.code, 1, NOW + timedelta(hours=2)) == "expired"
    revoked = await access.create_invite(REP, None, None, None, NOW)
    assert await access.revoke(revoked.id, NOW)
    assert not await access.revoke(revoked.id, NOW)
    assert await access.redeem(revoked.code, 1, NOW) == "revoked"
    assert await access.redeem(expiring.code, 1, NOW, admin_only=True) is None
    assert await access.member(1) is None
    assert [i.id for i in await access.open_invites(NOW)] == [expiring.id]


async def test_owner_invite_is_stored_once_and_gone_once_used(storage: Storage) -> None:
    first = await storage.access.owner_invite(NOW)
    assert first is not None
    assert first.role == ADMIN
    assert first.max_uses == 1
    again = await storage.access.owner_invite(NOW + timedelta(days=30))
    assert again is not None
    assert again.code == first.code
    assert isinstance(await storage.access.redeem(first.code, 5, NOW), Invite)
    assert await storage.access.owner_invite(NOW) is None


async def test_seen_writes_at_most_once_a_day(storage: Storage) -> None:
    await storage.access.grant(7, REP, NOW)
    await storage.access.seen(7, NOW)
    await storage.access.seen(7, NOW + timedelta(hours=3))
    assert await storage.access.flush_seen() == 1
    assert await storage.access.flush_seen() == 0, "nothing new to write"
    member = await storage.access.member(7)
    assert member is not None
    assert member.last_seen_at == NOW
    await storage.access.seen(7, NOW + timedelta(days=1))
    await storage.access.flush_seen()
    member = await storage.access.member(7)
    assert member is not None
    assert member.last_seen_at == NOW + timedelta(days=1)


async def _profile(storage: Storage, user_id: int, at: datetime) -> None:
    await storage.users.create(Profile(user_id, user_id, "de", "Europe/Berlin"), at)


async def test_expired_finds_inactive_profiles_and_stale_grants(storage: Storage) -> None:
    await _profile(storage, 100, NOW)  # no grant: judged by its profile's last change
    await _profile(storage, 101, NOW)
    await storage.access.grant(101, REP, NOW)
    await storage.access.seen(101, NOW + timedelta(days=200))
    await storage.access.flush_seen()
    await storage.access.grant(102, REP, NOW)  # a grant without a profile
    cutoff = NOW + timedelta(days=100)
    assert await storage.data.expired(cutoff) == [100, 102]
    assert await storage.data.expired(NOW) == []


async def test_erase_forgets_the_cached_member_and_clears_references(storage: Storage) -> None:
    await _profile(storage, 200, NOW)
    await storage.access.grant(200, ADMIN, NOW)
    await storage.access.create_invite(REP, None, None, 200, NOW)
    await storage.team_playbooks.put("de", "entries: []", 200, NOW)
    assert await storage.access.member(200) is not None
    assert set(await rows_naming(storage.engine, 200)) == {
        "users",
        "members",
        "invites",
        "team_playbooks",
    }
    assert await storage.data.stored(200) == 4
    assert await storage.data.erase(200) == 4
    assert await storage.access.member(200) is None
    assert await storage.users.load(200) == (None, None)
    assert await rows_naming(storage.engine, 200) == {}
    assert await storage.data.erase(200) == 0


async def test_team_list_covers_members_and_profiles(storage: Storage) -> None:
    await _profile(storage, 300, NOW)
    await storage.access.grant(301, ADMIN, NOW)
    await storage.access.set_disabled(302, True, NOW)
    reps = {rep.user_id: rep for rep in await storage.access.reps()}
    assert set(reps) == {300, 301, 302}
    assert reps[301].role == ADMIN
    assert reps[302].disabled
    assert not reps[300].onboarded


@pytest.mark.sqlite_only(reason="the member cache is on only where one process owns the data")
async def test_warm_cache_knows_members_and_non_members(storage: Storage) -> None:
    await _profile(storage, 400, NOW)
    await _profile(storage, 401, NOW)
    await storage.access.grant(401, ADMIN, NOW)
    assert await storage.access.warm_cache() == 2
    async with storage.engine.begin() as conn:
        await conn.exec_driver_sql("DELETE FROM members")
    # Answered from memory: the rows are gone, the cache still knows.
    assert await storage.access.member(400) is None
    member = await storage.access.member(401)
    assert member is not None
    assert member.role == ADMIN


async def test_upgrading_keeps_existing_reps_in(database_url: str) -> None:
    """Invite mode becomes the default with 0008: who used the bot before stays a member."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0007")
        async with engine.begin() as conn:
            values = profile_values(Profile(500, 500, "de", "Europe/Berlin", onboarded=True))
            del values["currency"]  # a column of 0014
            await conn.execute(
                users.insert(), {"id": 500, "created_at": NOW, "updated_at": NOW, **values}
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(members))).all()
        assert [(r.user_id, r.role, r.last_seen_at, r.disabled_at) for r in rows] == [
            (500, REP, NOW, None)
        ]
    finally:
        await engine.dispose()
