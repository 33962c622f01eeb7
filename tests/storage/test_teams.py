"""Teams on a real database: membership, leads, settings, sharing consent, focus, migration."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bot.coach.access import ADMIN, REP
from bot.coach.profile import Profile
from bot.coach.teams import PER_REP, TOTALS, Team, TeamMember, shown_individually
from bot.storage import Storage
from bot.storage.engine import create_engine
from bot.storage.migrate import upgrade
from bot.storage.profiles import profile_values
from bot.storage.tables import members, team_leads, teams, users

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


async def _rep(storage: Storage, user_id: int, name: str | None = None, lang: str = "de") -> None:
    await storage.access.grant(user_id, REP, NOW)
    await storage.users.create(Profile(user_id, user_id * 10, lang, "Europe/Berlin"), NOW)
    if name is not None:
        await storage.teams.set_display_name(user_id, name, NOW)


async def test_a_new_team_has_the_defaults_and_its_lead(storage: Storage) -> None:
    team = await storage.teams.create("Vertrieb Süd", 1, NOW)
    assert team == Team(team.id, "Vertrieb Süd", TOTALS, None, None, 4, time(15, 0))
    assert await storage.teams.team(team.id) == team
    assert await storage.teams.teams_led_by(1) == [team]
    assert await storage.teams.leads(team.id) == [1]
    assert await storage.teams.teams_led_by(2) == []
    assert await storage.teams.team(team.id + 1) is None


async def test_members_are_the_team_without_its_leads_in_one_list(storage: Storage) -> None:
    north = await storage.teams.create("Nord", 1, NOW)
    south = await storage.teams.create("Süd", 1, NOW)
    await storage.access.grant(1, ADMIN, NOW)
    await storage.teams.move(1, north.id, NOW)  # the lead in their own team: not a member
    await _rep(storage, 2, "Anna")
    await _rep(storage, 3, "Ben", lang="en")
    await storage.teams.move(2, north.id, NOW)
    await storage.teams.move(3, south.id, NOW)
    await storage.teams.move(4, north.id, NOW)  # a grant without a profile yet
    found = await storage.teams.members(north.id)
    assert [m.user_id for m in found] == [2, 4]
    anna, unstarted = found
    assert anna == TeamMember(2, 20, "Anna", "de", "Europe/Berlin", False, False, False, None)
    assert (unstarted.chat_id, unstarted.display_name, unstarted.onboarded) == (None, None, False)
    assert [m.user_id for m in await storage.teams.members(south.id)] == [3]
    assert await storage.teams.team_of(3) == south
    assert await storage.teams.team_of(99) is None


async def test_confirming_counts_once_and_a_move_clears_it(storage: Storage) -> None:
    team = await storage.teams.create("Nord", 1, NOW)
    other = await storage.teams.create("Süd", 1, NOW)
    await _rep(storage, 2)
    await storage.teams.move(2, team.id, NOW)
    await storage.teams.set_visibility(team.id, PER_REP, NOW)
    per_rep = await storage.teams.team(team.id)
    assert per_rep is not None
    assert per_rep.visibility == PER_REP
    assert not shown_individually(per_rep, (await storage.teams.members(team.id))[0])
    assert await storage.teams.ask_sharing(team.id, NOW) == [2]
    assert await storage.teams.ask_sharing(team.id, NOW) == [], "never asked twice"
    assert not await storage.teams.confirm_sharing(2, other.id, NOW), "not their team"
    assert await storage.teams.confirm_sharing(2, team.id, NOW)
    assert not await storage.teams.confirm_sharing(2, team.id, NOW), "a double tap"
    assert shown_individually(per_rep, (await storage.teams.members(team.id))[0])
    assert await storage.teams.move(2, other.id, NOW)
    assert await storage.teams.sharing(2) == (None, None)
    await storage.teams.move(2, other.id, NOW)
    assert await storage.teams.confirm_sharing(2, other.id, NOW)
    await storage.teams.move(2, other.id, NOW)  # the same team again: nothing changes
    assert (await storage.teams.sharing(2))[0] == NOW
    assert await storage.teams.withdraw_sharing(2)
    assert not await storage.teams.withdraw_sharing(2)
    assert not await storage.teams.move(2, 999, NOW), "no such team"


async def test_settings_goal_digest_and_rename(storage: Storage) -> None:
    team = await storage.teams.create("Nord", 1, NOW)
    await storage.teams.set_goal(team.id, "dials", 500, NOW)
    await storage.teams.set_digest(team.id, 0, time(8, 30), NOW)
    assert await storage.teams.rename(team.id, "Nord-West", NOW)
    stored = await storage.teams.team(team.id)
    assert stored == Team(team.id, "Nord-West", TOTALS, "dials", 500, 0, time(8, 30))
    await storage.teams.set_goal(team.id, "dials", None, NOW)
    stored = await storage.teams.team(team.id)
    assert stored is not None
    assert (stored.goal_metric, stored.goal_weekly) == (None, None)
    assert not await storage.teams.rename(999, "x", NOW)


async def test_focus_is_one_per_week_and_replaced(storage: Storage) -> None:
    team = await storage.teams.create("Nord", 1, NOW)
    monday = date(2026, 11, 30)
    assert await storage.teams.focus(team.id, monday) is None
    await storage.teams.set_focus(team.id, monday, "objection", "too_expensive", 1, NOW)
    focus = await storage.teams.set_focus(team.id, monday, "pitch", "", 1, NOW)
    assert await storage.teams.focus(team.id, monday) == focus
    assert await storage.teams.focus(team.id, monday + timedelta(days=7)) is None


async def test_a_rep_without_a_team_joins_the_inviters_or_the_first(storage: Storage) -> None:
    assert await storage.teams.join_default(5, None, NOW) is None, "no team at all"
    first = await storage.teams.create("Erstes", 1, NOW)
    second = await storage.teams.create("Zweites", 2, NOW)
    await storage.access.grant(5, REP, NOW)
    await storage.access.grant(6, REP, NOW)
    assert await storage.teams.join_default(5, 2, NOW) == second
    assert await storage.teams.join_default(6, 77, NOW) == first
    assert await storage.teams.join_default(6, 2, NOW) is None, "already in a team"
    assert await storage.teams.team_of(6) == first


async def test_an_admin_without_a_team_adopts_an_orphan_or_gets_one(storage: Storage) -> None:
    assert [t.name for t in await storage.teams.ensure_led(1, "Team", NOW)] == ["Team"]
    again = await storage.teams.ensure_led(1, "Team", NOW)
    assert len(again) == 1, "no second team on the next call"
    await storage.data.erase(1)
    assert await storage.teams.team(again[0].id) is not None, "the lead's team survives"
    assert await storage.teams.leads(again[0].id) == []
    assert await storage.teams.ensure_led(2, "Team", NOW) == again, "the orphan is taken over"
    assert len(await storage.teams.all_teams()) == 1
    assert await storage.teams.all_digests() == [(2, again[0])]


async def test_erasing_a_rep_removes_them_from_the_team(storage: Storage) -> None:
    team = await storage.teams.create("Nord", 1, NOW)
    await _rep(storage, 2, "Anna")
    await storage.teams.move(2, team.id, NOW)
    await storage.teams.confirm_sharing(2, team.id, NOW)
    exported = await storage.data.export(2, NOW)
    assert exported.rows["users"][0]["display_name"] == "Anna"
    (row,) = exported.rows["members"]
    assert (row["team_id"], row["shares_confirmed_at"]) == (team.id, NOW.isoformat())
    await storage.data.erase(2)
    assert await storage.teams.members(team.id) == []


async def test_an_install_in_use_becomes_one_team(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0012")
        async with engine.begin() as conn:
            for user_id, role in ((1, "admin"), (2, "rep"), (3, "rep")):
                await conn.execute(
                    members.insert().values(user_id=user_id, role=role, created_at=NOW)
                )
            await conn.execute(
                users.insert().values(
                    id=2,
                    created_at=NOW,
                    updated_at=NOW,
                    **{  # without the currency, a column of 0014
                        k: v
                        for k, v in profile_values(Profile(2, 20, "de", "Europe/Berlin")).items()
                        if k != "currency"
                    },
                )
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            team_rows = (await conn.execute(select(teams.c.id, teams.c.name))).all()
            joined = (await conn.execute(select(members.c.user_id, members.c.team_id))).all()
            leads = (await conn.execute(select(team_leads.c.user_id))).all()
            name = (await conn.execute(select(users.c.display_name))).scalar()
        assert [r.name for r in team_rows] == ["Team"]
        assert {r.team_id for r in joined} == {team_rows[0].id}
        assert [r.user_id for r in leads] == [1]
        assert name is None
    finally:
        await engine.dispose()


async def test_a_fresh_install_gets_no_team_from_the_migration(storage: Storage) -> None:
    assert await storage.teams.all_teams() == []
