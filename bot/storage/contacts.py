"""Contacts, their touches and follow-ups: the rep's pocket prospect list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, Literal

from sqlalchemy import Row, and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coach.contacts import ContactDraft
from bot.coach.followups import AFTERSALES, ContactRecord, Proposal
from bot.storage.tables import contacts, followups, touches
from bot.storage.taps import claim_tap

FollowUpStatus = Literal["proposed", "open", "done", "skipped"]
PROPOSED: Final[FollowUpStatus] = "proposed"
OPEN: Final[FollowUpStatus] = "open"
DONE: Final[FollowUpStatus] = "done"
SKIPPED: Final[FollowUpStatus] = "skipped"
PLANNED: Final = (PROPOSED, OPEN)
# Rows per statement: well below SQLite's limit of bound parameters.
CHUNK: Final = 500
EDITABLE: Final = frozenset({"name", "company", "phone", "note", "kind"})


class TapCountedError(Exception):
    """The tap asking to record a touch is counted already: a double tap or a redelivery."""


@dataclass(frozen=True, slots=True)
class Contact:
    """A prospect or customer of one rep."""

    id: int
    user_id: int
    name: str
    company: str | None
    phone: str | None
    note: str | None
    kind: str
    status: str
    archived: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Touch:
    """One contact attempt and how it went."""

    id: int
    user_id: int
    contact_id: int
    outcome: str
    channel: str
    note: str | None
    next_date: date | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A next touch the coach proposed or the rep planned, on the rep's local day `due`."""

    id: int
    user_id: int
    contact_id: int
    touch_id: int | None
    reason: str
    due: date
    channel: str
    variant: int
    attempts: int
    status: str
    created_at: datetime
    updated_at: datetime


def _contact(row: Row[Any]) -> Contact:
    return Contact(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        company=row.company,
        phone=row.phone,
        note=row.note,
        kind=row.kind,
        status=row.status,
        archived=bool(row.archived),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _touch(row: Row[Any]) -> Touch:
    return Touch(
        id=row.id,
        user_id=row.user_id,
        contact_id=row.contact_id,
        outcome=row.outcome,
        channel=row.channel,
        note=row.note,
        next_date=row.next_date,
        created_at=row.created_at,
    )


def _followup(row: Row[Any]) -> FollowUp:
    return FollowUp(
        id=row.id,
        user_id=row.user_id,
        contact_id=row.contact_id,
        touch_id=row.touch_id,
        reason=row.reason,
        due=row.due,
        channel=row.channel,
        variant=row.variant,
        attempts=row.attempts,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _mine(user_id: int, contact_id: int) -> Any:
    return and_(contacts.c.user_id == user_id, contacts.c.id == contact_id)


_LISTED = (contacts.c.name, contacts.c.id)


async def _get(conn: AsyncConnection, user_id: int, contact_id: int) -> Contact | None:
    row = (await conn.execute(select(contacts).where(_mine(user_id, contact_id)))).first()
    return _contact(row) if row else None


async def _followups_by_id(conn: AsyncConnection, user_id: int, ids: Sequence[int]) -> list[Any]:
    if not ids:
        return []
    query = select(followups).where(followups.c.user_id == user_id, followups.c.id.in_(ids))
    return list((await conn.execute(query.order_by(followups.c.due, followups.c.id))).all())


class ContactRepository:
    """Contacts, touches and follow-ups of each rep."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    # --- contacts ---------------------------------------------------------------------------

    async def add(self, user_id: int, draft: ContactDraft, now: datetime) -> Contact:
        """Store a new contact."""
        return (await self.add_many(user_id, [draft], now))[0]

    async def add_many(
        self, user_id: int, drafts: Sequence[ContactDraft], now: datetime
    ) -> list[Contact]:
        """Store several new contacts at once (imports, tests), in the given order."""
        added: list[Contact] = []
        async with self._engine.begin() as conn:
            for draft in drafts:
                result = await conn.execute(
                    contacts.insert().values(
                        user_id=user_id,
                        name=draft.name,
                        company=draft.company,
                        phone=draft.phone,
                        note=draft.note,
                        kind=draft.kind,
                        status="won" if draft.kind == "customer" else "new",
                        archived=False,
                        created_at=now,
                        updated_at=now,
                    )
                )
                key = result.inserted_primary_key
                assert key is not None
                found = await _get(conn, user_id, int(key[0]))
                assert found is not None
                added.append(found)
        return added

    async def get(self, user_id: int, contact_id: int) -> Contact | None:
        """One of the rep's contacts (archived too), or None (unknown, or another rep's)."""
        async with self._engine.connect() as conn:
            return await _get(conn, user_id, contact_id)

    async def many(self, user_id: int, ids: Sequence[int]) -> dict[int, Contact]:
        """Some of the rep's contacts by id."""
        found: dict[int, Contact] = {}
        async with self._engine.connect() as conn:
            for start in range(0, len(ids), CHUNK):
                query = select(contacts).where(
                    contacts.c.user_id == user_id, contacts.c.id.in_(ids[start : start + CHUNK])
                )
                for row in await conn.execute(query):
                    found[row.id] = _contact(row)
        return found

    async def count(self, user_id: int, *, archived: bool = False) -> int:
        """How many contacts the rep has in the list (or, with `archived`, in the archive)."""
        query = select(func.count()).where(
            contacts.c.user_id == user_id, contacts.c.archived.is_(archived)
        )
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar() or 0)

    async def page(
        self, user_id: int, offset: int, limit: int, *, archived: bool = False
    ) -> list[Contact]:
        """A page of the rep's listed (or archived) contacts, by name."""
        query = (
            select(contacts)
            .where(contacts.c.user_id == user_id, contacts.c.archived.is_(archived))
            .order_by(*_LISTED)
            .offset(max(0, offset))
            .limit(max(0, limit))
        )
        async with self._engine.connect() as conn:
            return [_contact(row) for row in await conn.execute(query)]

    async def listed(self, user_id: int) -> list[Contact]:
        """Every listed (not archived) contact of the rep, by name: what search looks at."""
        query = (
            select(contacts)
            .where(contacts.c.user_id == user_id, contacts.c.archived.is_(False))
            .order_by(*_LISTED)
        )
        async with self._engine.connect() as conn:
            return [_contact(row) for row in await conn.execute(query)]

    async def everyone(self, user_id: int) -> list[Contact]:
        """Every contact of the rep, archived ones too, by name: for search and duplicates."""
        query = select(contacts).where(contacts.c.user_id == user_id).order_by(*_LISTED)
        async with self._engine.connect() as conn:
            return [_contact(row) for row in await conn.execute(query)]

    async def update(
        self, user_id: int, contact_id: int, now: datetime, **values: str | None
    ) -> Contact | None:
        """Change name, company, phone, note or kind; None if the contact is not the rep's."""
        unknown = set(values) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(contacts).where(_mine(user_id, contact_id)).values(updated_at=now, **values)
            )
            return await _get(conn, user_id, contact_id) if result.rowcount else None

    async def archive(
        self, user_id: int, contact_id: int, archived: bool, now: datetime
    ) -> tuple[Contact | None, list[int]]:
        """Archive (or bring back) a contact; archiving skips its planned follow-ups, whose ids
        come back with it."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(contacts)
                .where(_mine(user_id, contact_id))
                .values(archived=archived, updated_at=now)
            )
            if not result.rowcount:
                return None, []
            dropped: list[int] = []
            if archived:
                query = select(followups.c.id).where(
                    followups.c.user_id == user_id,
                    followups.c.contact_id == contact_id,
                    followups.c.status.in_(PLANNED),
                )
                dropped = [int(row.id) for row in await conn.execute(query)]
                await _set_status(conn, user_id, dropped, SKIPPED, now)
            return await _get(conn, user_id, contact_id), dropped

    # --- touches ----------------------------------------------------------------------------

    async def touches(self, user_id: int, contact_id: int) -> list[Touch]:
        """Every touch of one contact, oldest first."""
        query = (
            select(touches)
            .where(touches.c.user_id == user_id, touches.c.contact_id == contact_id)
            .order_by(touches.c.id)
        )
        async with self._engine.connect() as conn:
            return [_touch(row) for row in await conn.execute(query)]

    async def touch(self, user_id: int, touch_id: int) -> Touch | None:
        """One of the rep's touches, or None."""
        query = select(touches).where(touches.c.user_id == user_id, touches.c.id == touch_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _touch(row) if row else None

    async def log_touch(
        self,
        user_id: int,
        contact_id: int,
        outcome: str,
        channel: str,
        now: datetime,
        *,
        status: str,
        kind: str,
        note: str | None = None,
        next_date: date | None = None,
        close: Sequence[int] = (),
        proposals: Sequence[Proposal] = (),
        accept: bool = False,
        tap_id: str | None = None,
        origin: str = "",
    ) -> tuple[Touch, list[FollowUp]] | None:
        """In one transaction: store a touch, set the contact's status and kind, settle the
        follow-ups it replaces and store the next ones (proposed, or open when `accept`).
        None if the contact is not the rep's. Raises TapCountedError, storing nothing, when the tap
        that asked for it (its callback query id and button, see bot.storage.taps) is counted
        already."""
        async with self._engine.begin() as conn:
            await _claim(conn, user_id, tap_id, origin, now)
            changed = await conn.execute(
                update(contacts)
                .where(_mine(user_id, contact_id))
                .values(status=status, kind=kind, updated_at=now)
            )
            if not changed.rowcount:
                return None
            result = await conn.execute(
                touches.insert().values(
                    user_id=user_id,
                    contact_id=contact_id,
                    outcome=outcome,
                    channel=channel,
                    note=note,
                    next_date=next_date,
                    created_at=now,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            touch_id = int(key[0])
            await _settle(conn, user_id, close, now)
            ids: list[int] = []
            for proposal in proposals:
                inserted = await conn.execute(
                    followups.insert().values(
                        user_id=user_id,
                        contact_id=contact_id,
                        touch_id=touch_id,
                        reason=proposal.reason,
                        due=proposal.due,
                        channel=proposal.channel,
                        variant=proposal.variant,
                        attempts=proposal.attempts,
                        status=OPEN if accept else PROPOSED,
                        created_at=now,
                        updated_at=now,
                    )
                )
                new_key = inserted.inserted_primary_key
                assert new_key is not None
                ids.append(int(new_key[0]))
            rows = await _followups_by_id(conn, user_id, ids)
        touch = Touch(touch_id, user_id, contact_id, outcome, channel, note, next_date, now)
        return touch, [_followup(row) for row in rows]

    async def set_touch_note(self, user_id: int, touch_id: int, note: str | None) -> bool:
        """Store (or replace) the note of one of the rep's touches."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(touches)
                .where(touches.c.user_id == user_id, touches.c.id == touch_id)
                .values(note=note)
            )
        return bool(result.rowcount)

    # --- follow-ups -------------------------------------------------------------------------

    async def followup(self, user_id: int, followup_id: int) -> FollowUp | None:
        """One of the rep's follow-ups, or None."""
        async with self._engine.connect() as conn:
            rows = await _followups_by_id(conn, user_id, [followup_id])
        return _followup(rows[0]) if rows else None

    async def planned(self, user_id: int, contact_id: int) -> list[FollowUp]:
        """The contact's proposed and open follow-ups, earliest first."""
        query = (
            select(followups)
            .where(
                followups.c.user_id == user_id,
                followups.c.contact_id == contact_id,
                followups.c.status.in_(PLANNED),
            )
            .order_by(followups.c.due, followups.c.id)
        )
        async with self._engine.connect() as conn:
            return [_followup(row) for row in await conn.execute(query)]

    async def accept(self, user_id: int, followup_id: int, now: datetime) -> list[FollowUp]:
        """Accept a proposal and the others proposed with it (after-sales come as three);
        returns the ones accepted now (none if it was dealt with already)."""
        async with self._engine.begin() as conn:
            rows = await _followups_by_id(conn, user_id, [followup_id])
            if not rows or rows[0].status != PROPOSED:
                return []
            touch_id = rows[0].touch_id
            same = (
                followups.c.touch_id == touch_id
                if touch_id is not None
                else followups.c.id == followup_id
            )
            query = select(followups.c.id).where(
                followups.c.user_id == user_id, same, followups.c.status == PROPOSED
            )
            ids = [int(row.id) for row in await conn.execute(query)]
            await conn.execute(
                update(followups).where(followups.c.id.in_(ids)).values(status=OPEN, updated_at=now)
            )
            return [_followup(row) for row in await _followups_by_id(conn, user_id, ids)]

    async def move(
        self,
        user_id: int,
        followup_id: int,
        due: date,
        now: datetime,
        *,
        tap_id: str | None = None,
        origin: str = "",
    ) -> FollowUp | None:
        """Put a proposed or open follow-up on another day; it is open (accepted) after.
        Raises TapCountedError, changing nothing, for a tap that is counted already."""
        async with self._engine.begin() as conn:
            await _claim(conn, user_id, tap_id, origin, now)
            result = await conn.execute(
                update(followups)
                .where(
                    followups.c.user_id == user_id,
                    followups.c.id == followup_id,
                    followups.c.status.in_(PLANNED),
                )
                .values(due=due, status=OPEN, updated_at=now)
            )
            if not result.rowcount:
                return None
            rows = await _followups_by_id(conn, user_id, [followup_id])
        return _followup(rows[0])

    async def finish(
        self,
        user_id: int,
        ids: Sequence[int],
        status: FollowUpStatus,
        now: datetime,
        *,
        tap_id: str | None = None,
        origin: str = "",
    ) -> list[FollowUp]:
        """Mark proposed or open follow-ups done or skipped; returns the ones changed. Raises
        TapCountedError, changing nothing, for a tap that is counted already."""
        async with self._engine.begin() as conn:
            await _claim(conn, user_id, tap_id, origin, now)
            query = select(followups.c.id).where(
                followups.c.user_id == user_id,
                followups.c.id.in_(list(ids)),
                followups.c.status.in_(PLANNED),
            )
            found = [int(row.id) for row in await conn.execute(query)]
            await _set_status(conn, user_id, found, status, now)
            return [_followup(row) for row in await _followups_by_id(conn, user_id, found)]

    async def skip_proposed(
        self,
        user_id: int,
        followup_id: int,
        now: datetime,
        *,
        tap_id: str | None = None,
        origin: str = "",
    ) -> list[FollowUp]:
        """Skip a proposal together with the others proposed with it (a tap counted already
        raises TapCountedError, see `finish`)."""
        target = await self.followup(user_id, followup_id)
        if target is None:
            return []
        if target.status != PROPOSED or target.touch_id is None:
            return await self.finish(
                user_id, [followup_id], SKIPPED, now, tap_id=tap_id, origin=origin
            )
        query = select(followups.c.id).where(
            followups.c.user_id == user_id,
            followups.c.touch_id == target.touch_id,
            followups.c.status == PROPOSED,
        )
        async with self._engine.connect() as conn:
            ids = [int(row.id) for row in await conn.execute(query)]
        return await self.finish(user_id, ids, SKIPPED, now, tap_id=tap_id, origin=origin)

    async def due(self, user_id: int, until: date) -> list[tuple[FollowUp, Contact]]:
        """Open follow-ups due on or before `until` (today and overdue), with their contacts."""
        query = (
            select(followups, *[c.label(f"c_{c.name}") for c in contacts.c])
            .join(contacts, contacts.c.id == followups.c.contact_id)
            .where(
                followups.c.user_id == user_id,
                followups.c.status == OPEN,
                followups.c.due <= until,
                contacts.c.archived.is_(False),
            )
            .order_by(followups.c.due, followups.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(_followup(row), _contact_from_labels(row)) for row in rows]

    async def upcoming(self, user_id: int, after: date, until: date) -> int:
        """How many open follow-ups fall after `after` up to and including `until`."""
        query = (
            select(func.count())
            .select_from(followups.join(contacts, contacts.c.id == followups.c.contact_id))
            .where(
                followups.c.user_id == user_id,
                followups.c.status == OPEN,
                followups.c.due > after,
                followups.c.due <= until,
                contacts.c.archived.is_(False),
            )
        )
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar() or 0)

    # --- stats ------------------------------------------------------------------------------

    async def records(self, user_id: int) -> list[ContactRecord]:
        """Per contact with touches or plans: outcomes, prospect or not, what is planned."""
        async with self._engine.connect() as conn:
            people = {
                row.id: row
                for row in await conn.execute(
                    select(contacts.c.id, contacts.c.kind, contacts.c.archived).where(
                        contacts.c.user_id == user_id
                    )
                )
            }
            outcomes: dict[int, list[str]] = {}
            query = (
                select(touches.c.contact_id, touches.c.outcome)
                .where(touches.c.user_id == user_id)
                .order_by(touches.c.id)
            )
            for row in await conn.execute(query):
                outcomes.setdefault(row.contact_id, []).append(row.outcome)
            plans: dict[int, list[str]] = {}
            query = select(followups.c.contact_id, followups.c.reason).where(
                followups.c.user_id == user_id, followups.c.status.in_(PLANNED)
            )
            for row in await conn.execute(query):
                plans.setdefault(row.contact_id, []).append(row.reason)
        found: list[ContactRecord] = []
        for contact_id in sorted(set(outcomes) | set(plans)):
            person = people.get(contact_id)
            if person is None:
                continue
            done = tuple(outcomes.get(contact_id, ()))
            planned = plans.get(contact_id, [])
            found.append(
                ContactRecord(
                    outcomes=done,
                    prospect=person.kind == "prospect" or "won" in done,
                    planned=bool(planned),
                    archived=bool(person.archived),
                    open_aftersales=sum(reason in AFTERSALES for reason in planned),
                )
            )
        return found


async def _claim(
    conn: AsyncConnection, user_id: int, tap_id: str | None, origin: str, now: datetime
) -> None:
    """Claim the tap asking for a change in its transaction; TapCountedError if it counted."""
    if tap_id is not None and not await claim_tap(
        conn, user_id=user_id, tap_id=tap_id, origin=origin, now=now
    ):
        raise TapCountedError


def _contact_from_labels(row: Row[Any]) -> Contact:
    values = row._mapping
    return Contact(
        id=values["c_id"],
        user_id=values["c_user_id"],
        name=values["c_name"],
        company=values["c_company"],
        phone=values["c_phone"],
        note=values["c_note"],
        kind=values["c_kind"],
        status=values["c_status"],
        archived=bool(values["c_archived"]),
        created_at=values["c_created_at"],
        updated_at=values["c_updated_at"],
    )


async def _set_status(
    conn: AsyncConnection, user_id: int, ids: Sequence[int], status: str, now: datetime
) -> None:
    for start in range(0, len(ids), CHUNK):
        await conn.execute(
            update(followups)
            .where(followups.c.user_id == user_id, followups.c.id.in_(ids[start : start + CHUNK]))
            .values(status=status, updated_at=now)
        )


async def _settle(conn: AsyncConnection, user_id: int, ids: Sequence[int], now: datetime) -> None:
    """Follow-ups a touch replaces: open ones are done, mere proposals skipped."""
    for start in range(0, len(ids), CHUNK):
        await conn.execute(
            update(followups)
            .where(
                followups.c.user_id == user_id,
                followups.c.id.in_(ids[start : start + CHUNK]),
                followups.c.status.in_(PLANNED),
            )
            .values(
                status=case((followups.c.status == PROPOSED, SKIPPED), else_=DONE),
                updated_at=now,
            )
        )
