"""Teams: membership, leads, what a lead may see, the weekly goal, the digest and the focus."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import Row, and_, bindparam, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.access import REP
from bot.coach.teams import Focus, Team, TeamMember, Visibility
from bot.storage.tables import invites, members, team_focus, team_leads, teams, users
from bot.storage.taps import Tap, claim_tap

_TEAM = select(teams).where(teams.c.id == bindparam("team_id"))
_TEAM_OF = (
    select(teams)
    .select_from(members.join(teams, teams.c.id == members.c.team_id))
    .where(members.c.user_id == bindparam("user_id"))
)
_LED_BY = (
    select(teams)
    .select_from(team_leads.join(teams, teams.c.id == team_leads.c.team_id))
    .where(team_leads.c.user_id == bindparam("user_id"))
    .order_by(teams.c.id)
)
# Everyone in the team except its own leads: a lead counted in their own team's totals could
# subtract their own numbers and see a smaller group than the minimum.
_MEMBERS = (
    select(
        members.c.user_id,
        members.c.disabled_at,
        members.c.last_seen_at,
        members.c.shares_confirmed_at,
        users.c.chat_id,
        users.c.display_name,
        users.c.language,
        users.c.timezone,
        users.c.onboarded,
    )
    .select_from(members.outerjoin(users, users.c.id == members.c.user_id))
    .where(
        members.c.team_id == bindparam("team_id"),
        ~exists().where(
            team_leads.c.team_id == members.c.team_id,
            team_leads.c.user_id == members.c.user_id,
        ),
    )
    .order_by(members.c.created_at, members.c.user_id)
)


def _team(row: Row[Any]) -> Team:
    return Team(
        id=row.id,
        name=row.name,
        visibility=cast(Visibility, row.visibility),
        goal_metric=row.goal_metric,
        goal_weekly=row.goal_weekly,
        digest_day=row.digest_day,
        digest_time=row.digest_time,
    )


def _member(row: Any) -> TeamMember:
    return TeamMember(
        user_id=row.user_id,
        chat_id=row.chat_id,
        display_name=row.display_name,
        # A grant without a profile (the rep never started): no language or timezone yet.
        language=row.language or "",
        timezone=row.timezone or "UTC",
        onboarded=bool(row.onboarded),
        disabled=row.disabled_at is not None,
        confirmed=row.shares_confirmed_at is not None,
        last_seen_at=row.last_seen_at,
    )


def _focus(row: Row[Any]) -> Focus:
    return Focus(row.team_id, row.week, row.kind, row.ref, row.set_by)


def _lead_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(team_leads).on_conflict_do_nothing()


def _focus_statement(dialect_name: str) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(team_focus)
    return insert.on_conflict_do_update(
        index_elements=[team_focus.c.team_id, team_focus.c.week],
        set_={k: insert.excluded[k] for k in ("kind", "ref", "set_by", "set_at")},
    )


_ADD_LEAD = {name: _lead_statement(name) for name in ("sqlite", "postgresql")}
_SET_FOCUS = {name: _focus_statement(name) for name in ("sqlite", "postgresql")}


class TeamRepository:
    """Teams, their leads and members, and each team's settings."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    # -- reading ----------------------------------------------------------------------------

    async def team(self, team_id: int) -> Team | None:
        """The team, or None if there is no such team."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_TEAM, {"team_id": team_id})).first()
        return _team(row) if row else None

    async def team_of(self, user_id: int) -> Team | None:
        """The team the user belongs to as a rep (members.team_id), or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_TEAM_OF, {"user_id": user_id})).first()
        return _team(row) if row else None

    async def teams_led_by(self, user_id: int) -> list[Team]:
        """The teams the user leads, lowest id first."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_LED_BY, {"user_id": user_id})).all()
        return [_team(row) for row in rows]

    async def all_teams(self) -> list[Team]:
        """Every team, lowest id first."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(teams).order_by(teams.c.id))).all()
        return [_team(row) for row in rows]

    async def leads(self, team_id: int) -> list[int]:
        """The user ids of the team's leads, ascending."""
        query = (
            select(team_leads.c.user_id)
            .where(team_leads.c.team_id == team_id)
            .order_by(team_leads.c.user_id)
        )
        async with self._engine.connect() as conn:
            return [row[0] for row in (await conn.execute(query)).all()]

    async def all_digests(self) -> list[tuple[int, Team]]:
        """(lead user id, team) for every lead of every team: what the digest tick goes by."""
        query = (
            select(team_leads.c.user_id.label("lead_id"), teams)
            .select_from(team_leads.join(teams, teams.c.id == team_leads.c.team_id))
            .order_by(team_leads.c.user_id, teams.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(row.lead_id, _team(row)) for row in rows]

    async def members(self, team_id: int) -> list[TeamMember]:
        """Everyone in the team (not its own leads), with their profile fields; one query."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_MEMBERS, {"team_id": team_id})).all()
        return [_member(row) for row in rows]

    async def focus(self, team_id: int, week: date) -> Focus | None:
        """The team's focus of the week starting on Monday `week`, or None."""
        query = select(team_focus).where(team_focus.c.team_id == team_id, team_focus.c.week == week)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _focus(row) if row else None

    async def display_name(self, user_id: int) -> str | None:
        """The name the user chose (or their Telegram first name), or None."""
        query = select(users.c.display_name).where(users.c.id == user_id)
        async with self._engine.connect() as conn:
            return cast(str | None, (await conn.execute(query)).scalar())

    async def sharing(self, user_id: int) -> tuple[datetime | None, datetime | None]:
        """When the user confirmed "per rep" for their team, and when it was explained."""
        query = select(members.c.shares_confirmed_at, members.c.sharing_asked_at).where(
            members.c.user_id == user_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (row.shares_confirmed_at, row.sharing_asked_at) if row else (None, None)

    # -- teams and leads ----------------------------------------------------------------------

    async def create(self, name: str, lead_id: int, now: datetime) -> Team:
        """A new team with default settings, led by `lead_id`."""
        async with self._engine.begin() as conn:
            team = await self._create(conn, name, now)
            await conn.execute(
                _ADD_LEAD[conn.dialect.name], {"team_id": team.id, "user_id": lead_id}
            )
        return team

    async def _create(self, conn: AsyncConnection, name: str, now: datetime) -> Team:
        result = await conn.execute(
            teams.insert().values(name=name, created_at=now, updated_at=now)
        )
        (team_id,) = result.inserted_primary_key or (0,)
        row = (await conn.execute(_TEAM, {"team_id": team_id})).one()
        return _team(row)

    async def add_lead(self, team_id: int, user_id: int) -> None:
        """Make the user a lead of the team (nothing if they are one already)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                _ADD_LEAD[conn.dialect.name], {"team_id": team_id, "user_id": user_id}
            )

    async def ensure_led(self, user_id: int, name: str, now: datetime) -> list[Team]:
        """The teams an admin leads; one who leads none takes over the first team nobody
        leads (an install's only team, or one whose lead was erased), else gets a new one."""
        led = await self.teams_led_by(user_id)
        if led:
            return led
        orphan = (
            select(teams.c.id)
            .where(~exists().where(team_leads.c.team_id == teams.c.id))
            .order_by(teams.c.id)
            .limit(1)
        )
        async with self._engine.begin() as conn:
            team_id = (await conn.execute(orphan)).scalar()
            if team_id is None:
                first = (await conn.execute(select(func.count()).select_from(teams))).scalar()
                team_id = (await self._create(conn, name, now)).id
                if not first:
                    # The install's first team: everyone already in the bot joins it, as
                    # the migration does for an install in use.
                    await conn.execute(
                        update(members)
                        .where(members.c.team_id.is_(None), members.c.user_id != user_id)
                        .values(team_id=team_id)
                    )
            await conn.execute(
                _ADD_LEAD[conn.dialect.name], {"team_id": team_id, "user_id": user_id}
            )
        return await self.teams_led_by(user_id)

    async def rename(self, team_id: int, name: str, now: datetime) -> bool:
        """Give the team a new name; False if there is no such team."""
        return await self._set(team_id, now, name=name)

    async def set_visibility(self, team_id: int, visibility: Visibility, now: datetime) -> None:
        """Choose what the team's leads see: "totals" or "per_rep"."""
        await self._set(team_id, now, visibility=visibility)

    async def set_goal(
        self, team_id: int, metric: str | None, weekly: int | None, now: datetime
    ) -> None:
        """Set the weekly team goal (metric and number), or switch it off (both None)."""
        if metric is None or weekly is None:
            metric, weekly = None, None
        await self._set(team_id, now, goal_metric=metric, goal_weekly=weekly)

    async def set_digest(self, team_id: int, day: int, at: time, now: datetime) -> None:
        """When the weekly digest goes to the leads (weekday 0 = Monday, their local time)."""
        await self._set(team_id, now, digest_day=day, digest_time=at)

    async def _set(self, team_id: int, now: datetime, **values: Any) -> bool:
        statement = update(teams).where(teams.c.id == team_id).values(updated_at=now, **values)
        async with self._engine.begin() as conn:
            return bool((await conn.execute(statement)).rowcount)

    async def set_focus(
        self, team_id: int, week: date, kind: str, ref: str, by: int, now: datetime
    ) -> Focus:
        """Set (or replace) the team's focus of the week starting on Monday `week`."""
        values = {
            "team_id": team_id,
            "week": week,
            "kind": kind,
            "ref": ref,
            "set_by": by,
            "set_at": now,
        }
        async with self._engine.begin() as conn:
            await conn.execute(_SET_FOCUS[conn.dialect.name], values)
        return Focus(team_id, week, kind, ref, by)

    # -- members ------------------------------------------------------------------------------

    async def move(self, user_id: int, team_id: int, now: datetime) -> bool:
        """Put the user in the team (as a rep if they had no grant). Moving to another team
        clears their "per rep" confirmation and its explanation: the new lead must ask again.
        False if the team does not exist."""
        async with self._engine.begin() as conn:
            if (await conn.execute(_TEAM, {"team_id": team_id})).first() is None:
                return False
            await self._move(conn, user_id, team_id, now)
        return True

    async def _move(self, conn: AsyncConnection, user_id: int, team_id: int, now: datetime) -> None:
        result = await conn.execute(
            update(members)
            .where(
                members.c.user_id == user_id,
                members.c.team_id.is_distinct_from(team_id),
            )
            .values(team_id=team_id, shares_confirmed_at=None, sharing_asked_at=None)
        )
        if result.rowcount:
            return
        has_row = select(members.c.user_id).where(members.c.user_id == user_id)
        if (await conn.execute(has_row)).first() is None:
            await conn.execute(
                members.insert().values(user_id=user_id, role=REP, team_id=team_id, created_at=now)
            )

    async def join_default(self, user_id: int, inviter: int | None, now: datetime) -> Team | None:
        """Give a member without a team one: their inviter's first team, else the lowest-id
        team. None if they have a team already or there is no team at all."""
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(select(members.c.team_id).where(members.c.user_id == user_id))
            ).first()
            if row is not None and row.team_id is not None:
                return None
            team_id = None
            if inviter is not None:
                led = select(func.min(team_leads.c.team_id)).where(team_leads.c.user_id == inviter)
                team_id = (await conn.execute(led)).scalar()
            if team_id is None:
                team_id = (await conn.execute(select(func.min(teams.c.id)))).scalar()
            if team_id is None:
                return None
            await self._move(conn, user_id, team_id, now)
            found = (await conn.execute(_TEAM, {"team_id": team_id})).one()
        return _team(found)

    async def invite_team(self, invite_id: int) -> tuple[int | None, int | None]:
        """(team id, creator) of an invite, for the team a rep joins by it."""
        query = select(invites.c.team_id, invites.c.created_by).where(invites.c.id == invite_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (row.team_id, row.created_by) if row else (None, None)

    async def ask_sharing(self, team_id: int, now: datetime) -> list[int]:
        """Mark the team's reps not yet told about "per rep" as told; returns exactly those
        (each user once, ever, per team membership: a second call returns none of them)."""
        untold = and_(
            members.c.team_id == team_id,
            members.c.sharing_asked_at.is_(None),
            # Only who has started: the explanation waits for the rep's profile (and chat).
            exists().where(users.c.id == members.c.user_id),
            ~exists().where(
                team_leads.c.team_id == members.c.team_id,
                team_leads.c.user_id == members.c.user_id,
            ),
        )
        async with self._engine.begin() as conn:
            ids = [
                row[0]
                for row in (await conn.execute(select(members.c.user_id).where(untold))).all()
            ]
            if not ids:
                return []
            # Guarded again by sharing_asked_at IS NULL: a racing call claims none twice.
            result = await conn.execute(
                update(members)
                .where(untold, members.c.user_id.in_(ids))
                .values(sharing_asked_at=now)
                .returning(members.c.user_id)
            )
            return sorted(row[0] for row in result.all())

    async def confirm_sharing(self, user_id: int, team_id: int, now: datetime) -> bool:
        """The rep agrees that their team's leads see their own numbers; False if they are
        not (or no longer) in that team, or had confirmed already."""
        statement = (
            update(members)
            .where(
                members.c.user_id == user_id,
                members.c.team_id == team_id,
                members.c.shares_confirmed_at.is_(None),
            )
            .values(shares_confirmed_at=now)
        )
        async with self._engine.begin() as conn:
            return bool((await conn.execute(statement)).rowcount)

    async def withdraw_sharing(self, user_id: int) -> bool:
        """The rep takes their confirmation back: counted in the totals only again."""
        statement = (
            update(members)
            .where(members.c.user_id == user_id, members.c.shares_confirmed_at.is_not(None))
            .values(shares_confirmed_at=None)
        )
        async with self._engine.begin() as conn:
            return bool((await conn.execute(statement)).rowcount)

    async def set_display_name(self, user_id: int, name: str | None, now: datetime) -> None:
        """Store the name leads see (None: none); the profile's updated_at is left alone."""
        del now  # the profile's updated_at drives retention and the cache; this is no profile edit
        statement = update(users).where(users.c.id == user_id).values(display_name=name)
        async with self._engine.begin() as conn:
            await conn.execute(statement)

    async def claim_tap(self, user_id: int, tap: Tap, now: datetime) -> bool:
        """The tap guard for a team button (bot.storage.taps): True when it should act."""
        async with self._engine.begin() as conn:
            return await claim_tap(
                conn, user_id=user_id, tap_id=tap.tap_id, origin=tap.origin, now=now
            )
