"""Access grants (members) and invite links; the member lookup every update starts with."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import Row, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.access import ADMIN, REP, Invite, InviteProblem, Member, Role
from bot.storage.tables import invites, members, users

# Bytes of randomness in an invite code: 16 url-safe characters, unguessable.
CODE_BYTES: Final = 12
CACHE_SIZE: Final = 10_000

_GET_MEMBER = select(members).where(members.c.user_id == bindparam("user_id"))
_SEEN = (
    update(members)
    .where(members.c.user_id == bindparam("member_id"))
    .values(last_seen_at=bindparam("now"))
)


@dataclass(frozen=True, slots=True)
class RepInfo:
    """One line of the admins' team list."""

    user_id: int
    role: Role
    disabled: bool
    onboarded: bool
    last_seen_at: datetime | None
    # The team they are in (None: none yet) and the name leads see (None: none given).
    team_id: int | None = None
    display_name: str | None = None


def _member(row: Row[Any]) -> Member:
    return Member(
        row.user_id,
        cast(Role, row.role),
        row.disabled_at is not None,
        row.last_seen_at,
    )


def _invite(row: Row[Any]) -> Invite:
    return Invite(
        id=row.id,
        code=row.code,
        role=cast(Role, row.role),
        max_uses=row.max_uses,
        uses=row.uses,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        created_at=row.created_at,
    )


def _grant_statement(dialect_name: str) -> Any:
    """Insert a member, or make an existing one at least as privileged as the new grant."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(members)
    return insert.on_conflict_do_update(
        index_elements=[members.c.user_id],
        set_={"role": func.coalesce(func.nullif(insert.excluded.role, REP), members.c.role)},
    )


_GRANT = {name: _grant_statement(name) for name in ("sqlite", "postgresql")}


class AccessRepository:
    """Members and invites. With `cache` (one process owns the database: SQLite) member
    lookups are answered from memory and kept in step with every write of this process."""

    def __init__(self, engine: AsyncEngine, *, cache: bool = False) -> None:
        self._engine = engine
        self._cache: OrderedDict[int, Member | None] | None = OrderedDict() if cache else None
        # The UTC day each user was last marked seen by this process: one write a day at most.
        self._seen: dict[int, str] = {}
        # "Last seen" times not written yet: flush_seen writes them in one transaction, so no
        # update has to wait for a write just because it is a rep's first one of the day.
        self._pending_seen: dict[int, datetime] = {}

    def _remember(self, user_id: int, member: Member | None) -> None:
        if self._cache is None:
            return
        self._cache[user_id] = member
        self._cache.move_to_end(user_id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def forget(self, user_id: int) -> None:
        """Drop what is cached about a user (after their data was erased)."""
        if self._cache is not None:
            self._cache.pop(user_id, None)
        self._seen.pop(user_id, None)
        self._pending_seen.pop(user_id, None)

    async def warm_cache(self) -> int:
        """Read the grants of the most recently active reps (and that the others have none)
        into the cache, so a rep's first update after a start costs no read; returns how many."""
        if self._cache is None:
            return 0
        query = (
            select(users.c.id, members)
            .select_from(users.outerjoin(members, members.c.user_id == users.c.id))
            .order_by(users.c.updated_at.desc())
            .limit(CACHE_SIZE)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        for row in reversed(rows):
            self._remember(row.id, _member(row) if row.user_id is not None else None)
        return len(rows)

    async def member(self, user_id: int) -> Member | None:
        """The user's access grant, or None."""
        if self._cache is not None and user_id in self._cache:
            self._cache.move_to_end(user_id)
            return self._cache[user_id]
        async with self._engine.connect() as conn:
            row = (await conn.execute(_GET_MEMBER, {"user_id": user_id})).first()
        found = _member(row) if row else None
        self._remember(user_id, found)
        return found

    async def grant(self, user_id: int, role: Role, now: datetime) -> Member:
        """Let a user in (role "admin" promotes; "rep" never demotes an admin)."""
        async with self._engine.begin() as conn:
            member = await self._grant(conn, user_id, role, None, now)
        return member

    async def _grant(
        self, conn: AsyncConnection, user_id: int, role: Role, invite_id: int | None, now: datetime
    ) -> Member:
        values = {"user_id": user_id, "role": role, "invite_id": invite_id, "created_at": now}
        await conn.execute(_GRANT[conn.dialect.name], values)
        row = (await conn.execute(_GET_MEMBER, {"user_id": user_id})).one()
        member = _member(row)
        self._remember(user_id, member)
        return member

    async def set_disabled(self, user_id: int, disabled: bool, now: datetime) -> Member:
        """Disable or re-enable a user; a user without a grant gets one (as a rep)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                _GRANT[conn.dialect.name], {"user_id": user_id, "role": REP, "created_at": now}
            )
            await conn.execute(
                update(members)
                .where(members.c.user_id == user_id)
                .values(disabled_at=now if disabled else None)
            )
            row = (await conn.execute(_GET_MEMBER, {"user_id": user_id})).one()
        member = _member(row)
        self._remember(user_id, member)
        return member

    async def seen(self, user_id: int, now: datetime) -> None:
        """Note that the user was active, at most once per UTC day and process (see flush_seen)."""
        day = now.date().isoformat()
        if self._seen.get(user_id) == day:
            return
        self._seen[user_id] = day
        self._pending_seen[user_id] = now
        if self._cache is not None and (cached := self._cache.get(user_id)) is not None:
            self._cache[user_id] = replace(cached, last_seen_at=now)

    async def flush_seen(self) -> int:
        """Write the pending "last seen" times in one transaction; returns how many."""
        pending, self._pending_seen = self._pending_seen, {}
        if not pending:
            return 0
        rows = [{"member_id": user_id, "now": at} for user_id, at in pending.items()]
        try:
            async with self._engine.begin() as conn:
                await conn.execute(_SEEN, rows)
        except BaseException:
            # Kept for the next flush; a newer time noted meanwhile wins.
            self._pending_seen = {**pending, **self._pending_seen}
            raise
        return len(rows)

    async def has_admin(self) -> bool:
        """Whether any user holds the admin role in the database."""
        query = (
            select(func.count())
            .select_from(members)
            .where(members.c.role == ADMIN, members.c.disabled_at.is_(None))
        )
        async with self._engine.connect() as conn:
            return bool((await conn.execute(query)).scalar_one())

    async def reps(self) -> list[RepInfo]:
        """Everyone with a profile or a grant, oldest first."""
        query = select(
            members.c.user_id.label("member_id"),
            members.c.role,
            members.c.disabled_at,
            members.c.last_seen_at,
            members.c.created_at,
            members.c.team_id,
        ).order_by(members.c.created_at, members.c.user_id)
        profiles = select(
            users.c.id, users.c.onboarded, users.c.created_at, users.c.display_name
        ).order_by(users.c.created_at, users.c.id)
        async with self._engine.connect() as conn:
            granted = (await conn.execute(query)).all()
            onboarded = {row.id: row for row in (await conn.execute(profiles)).all()}
        found = [
            RepInfo(
                row.member_id,
                cast(Role, row.role),
                row.disabled_at is not None,
                bool(onboarded[row.member_id].onboarded) if row.member_id in onboarded else False,
                row.last_seen_at,
                row.team_id,
                onboarded[row.member_id].display_name if row.member_id in onboarded else None,
            )
            for row in granted
        ]
        listed = {rep.user_id for rep in found}
        found.extend(
            RepInfo(row.id, REP, False, bool(row.onboarded), None, None, row.display_name)
            for row in onboarded.values()
            if row.id not in listed
        )
        return found

    # -- invites ----------------------------------------------------------------------------

    async def create_invite(
        self,
        role: Role,
        max_uses: int | None,
        expires_at: datetime | None,
        created_by: int | None,
        now: datetime,
        *,
        team_id: int | None = None,
    ) -> Invite:
        """Store a new invite with a fresh random code (and the team its reps join)."""
        while True:
            code = secrets.token_urlsafe(CODE_BYTES)
            values = {
                "code": code,
                "role": role,
                "max_uses": max_uses,
                "uses": 0,
                "expires_at": expires_at,
                "revoked_at": None,
                "created_by": created_by,
                "created_at": now,
                "team_id": team_id,
            }
            try:
                async with self._engine.begin() as conn:
                    result = await conn.execute(invites.insert().values(values))
            except IntegrityError:  # pragma: no cover - a collision of 96 random bits
                continue
            (invite_id,) = result.inserted_primary_key or (0,)
            return Invite(invite_id, code, role, max_uses, 0, expires_at, None, now)

    async def open_invites(self, now: datetime, role: Role = REP) -> list[Invite]:
        """Invites of a role that still work, oldest first."""
        query = (
            select(invites)
            .where(
                invites.c.role == role,
                invites.c.revoked_at.is_(None),
                or_(invites.c.expires_at.is_(None), invites.c.expires_at > now),
                or_(invites.c.max_uses.is_(None), invites.c.uses < invites.c.max_uses),
            )
            .order_by(invites.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_invite(row) for row in rows]

    async def invite(self, code: str) -> Invite | None:
        """The invite with this code, or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(invites).where(invites.c.code == code))).first()
        return _invite(row) if row else None

    async def revoke(self, invite_id: int, now: datetime) -> bool:
        """Withdraw an invite; True if it was still open."""
        statement = (
            update(invites)
            .where(invites.c.id == invite_id, invites.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return bool(result.rowcount)

    async def redeem(
        self, code: str, user_id: int, now: datetime, *, admin_only: bool = False
    ) -> Invite | InviteProblem | None:
        """Use a code: the user becomes a member with the invite's role. Returns the invite,
        why it no longer works, or None for an unknown code (or a rep invite with admin_only)."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(select(invites).where(invites.c.code == code))).first()
            if row is None:
                return None
            invite = _invite(row)
            if admin_only and invite.role != ADMIN:
                return None
            problem = invite.problem(now)
            if problem is not None:
                return problem
            # Counted with a guard, so two people racing for a one-time code cannot both win.
            counted = await conn.execute(
                update(invites)
                .where(
                    invites.c.id == invite.id,
                    or_(invites.c.max_uses.is_(None), invites.c.uses < invites.c.max_uses),
                )
                .values(uses=invites.c.uses + 1)
            )
            if not counted.rowcount:
                return "used_up"
            await self._grant(conn, user_id, invite.role, invite.id, now)
        return replace(invite, uses=invite.uses + 1)

    async def owner_invite(self, now: datetime) -> Invite | None:
        """The one-time admin link while nobody holds the admin role: the stored one if it is
        still open, else a new one. None once an admin exists."""
        if await self.has_admin():
            return None
        stored = await self.open_invites(now, role=ADMIN)
        if stored:
            return stored[0]
        return await self.create_invite(ADMIN, 1, None, None, now)
