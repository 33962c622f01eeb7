"""The contact repository: contacts per rep, touches with the follow-ups they settle and propose,
accepting, moving, finishing, the due list, archiving and the stats records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from bot.coach.contacts import ContactDraft
from bot.coach.followups import ContactRecord, Proposal
from bot.coach.profile import Profile
from bot.storage import Storage
from bot.storage.contacts import DONE, OPEN, PROPOSED, SKIPPED, TapCountedError
from bot.storage.tables import followups, touches, users

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


async def rep(storage: Storage, user_id: int = 1) -> None:
    await storage.users.create(Profile(user_id, user_id, "de", "Europe/Berlin"), NOW)


async def test_add_get_list_and_page(storage: Storage) -> None:
    await rep(storage, 1)
    await rep(storage, 2)
    added = await storage.contacts.add_many(
        1,
        [ContactDraft(f"Kontakt {i:02d}", f"Firma {i}", note="<b>&</b> 😀") for i in range(20)],
        NOW,
    )
    other = await storage.contacts.add(2, ContactDraft("Fremd", kind="customer"), NOW)
    assert (other.kind, other.status) == ("customer", "won")
    first = added[0]
    assert (first.name, first.company, first.phone, first.note) == (
        "Kontakt 00", "Firma 0", None, "<b>&</b> 😀"
    )  # fmt: skip
    assert (first.kind, first.status, first.archived) == ("prospect", "new", False)
    assert await storage.contacts.get(1, first.id) == first
    assert await storage.contacts.get(1, other.id) is None, "another rep's contact"
    assert await storage.contacts.count(1) == 20
    page = await storage.contacts.page(1, 8, 8)
    assert [c.name for c in page] == [f"Kontakt {i:02d}" for i in range(8, 16)]
    assert len(await storage.contacts.page(1, 16, 8)) == 4
    assert len(await storage.contacts.listed(1)) == 20
    assert set(await storage.contacts.many(1, [first.id, other.id])) == {first.id}


async def test_update_only_known_fields_of_own_contacts(storage: Storage) -> None:
    await rep(storage)
    contact = await storage.contacts.add(1, ContactDraft("Müller"), NOW)
    later = NOW + timedelta(hours=1)
    changed = await storage.contacts.update(
        1, contact.id, later, company="Bäckerei", kind="customer"
    )
    assert changed is not None
    assert (changed.company, changed.kind, changed.updated_at) == ("Bäckerei", "customer", later)
    cleared = await storage.contacts.update(1, contact.id, later, company=None)
    assert cleared is not None
    assert cleared.company is None
    assert await storage.contacts.update(2, contact.id, later, name="x") is None
    with pytest.raises(ValueError, match="not editable"):
        await storage.contacts.update(1, contact.id, later, status="won")


def proposal(reason: str, due: date, attempts: int = 0) -> Proposal:
    return Proposal(reason, due, "call", 0, attempts)  # type: ignore[arg-type]


async def test_touch_settles_and_proposes_in_one_go(storage: Storage) -> None:
    await rep(storage)
    contact = await storage.contacts.add(1, ContactDraft("Müller"), NOW)
    logged = await storage.contacts.log_touch(
        1, contact.id, "not_reached", "call", NOW, status="trying", kind="prospect",
        proposals=[proposal("retry", TUE, 1)],
    )  # fmt: skip
    assert logged is not None
    touch, (retry,) = logged
    assert (touch.outcome, touch.channel, touch.note) == ("not_reached", "call", None)
    assert (retry.reason, retry.due, retry.status, retry.attempts, retry.touch_id) == (
        "retry", TUE, PROPOSED, 1, touch.id
    )  # fmt: skip
    assert (await storage.contacts.get(1, contact.id)).status == "trying"  # type: ignore[union-attr]
    assert await storage.contacts.accept(1, retry.id, NOW) == [
        (await storage.contacts.followup(1, retry.id))
    ]
    assert (await storage.contacts.followup(1, retry.id)).status == OPEN  # type: ignore[union-attr]
    assert await storage.contacts.accept(1, retry.id, NOW) == [], "accepted once"

    # The next touch closes the open retry (done) and a stale proposal (skipped).
    stale = await storage.contacts.log_touch(
        1, contact.id, "not_reached", "mail", NOW, status="trying", kind="prospect",
        proposals=[proposal("retry", WED, 2)],
    )  # fmt: skip
    assert stale is not None
    _, (second,) = stale
    third = await storage.contacts.log_touch(
        1, contact.id, "won", "visit", NOW, status="won", kind="customer", note="Vertrag!",
        close=[retry.id, second.id],
        proposals=[proposal("aftersales_1w", WED), proposal("aftersales_1m", date(2026, 12, 23))],
    )  # fmt: skip
    assert third is not None
    won, care = third
    assert won.note == "Vertrag!"
    statuses = {f.id: f.status for f in [retry, second]}
    for followup_id in statuses:
        found = await storage.contacts.followup(1, followup_id)
        assert found is not None
        statuses[followup_id] = found.status
    assert statuses == {retry.id: DONE, second.id: SKIPPED}
    assert [f.reason for f in care] == ["aftersales_1w", "aftersales_1m"]
    accepted = await storage.contacts.accept(1, care[0].id, NOW)
    assert {f.id for f in accepted} == {f.id for f in care}, "proposed together, accepted together"
    customer = await storage.contacts.get(1, contact.id)
    assert customer is not None
    assert (customer.kind, customer.status) == ("customer", "won")
    assert [t.outcome for t in await storage.contacts.touches(1, contact.id)] == [
        "not_reached", "not_reached", "won"
    ]  # fmt: skip
    assert await storage.contacts.set_touch_note(1, won.id, "Vertrag über 2 Jahre")
    assert not await storage.contacts.set_touch_note(2, won.id, "fremd")
    assert (await storage.contacts.touch(1, won.id)).note == "Vertrag über 2 Jahre"  # type: ignore[union-attr]


async def test_touch_on_someone_elses_contact_changes_nothing(storage: Storage) -> None:
    await rep(storage, 1)
    await rep(storage, 2)
    contact = await storage.contacts.add(1, ContactDraft("Müller"), NOW)
    assert (
        await storage.contacts.log_touch(2, contact.id, "won", "call", NOW, status="won", kind="x")
        is None
    )
    assert await storage.contacts.touches(1, contact.id) == []


async def test_due_list_move_finish_and_skip(storage: Storage) -> None:
    await rep(storage)
    a, b, c = await storage.contacts.add_many(
        1, [ContactDraft("Anna"), ContactDraft("Bert", "Bau GmbH"), ContactDraft("Cem")], NOW
    )
    ids = {}
    for contact, day in ((a, MON - timedelta(days=3)), (b, MON), (c, WED)):
        logged = await storage.contacts.log_touch(
            1, contact.id, "talked", "call", NOW, status="talking", kind="prospect",
            proposals=[proposal("after_talk", day)], accept=True,
        )  # fmt: skip
        assert logged is not None
        ids[contact.name] = logged[1][0].id
    due = await storage.contacts.due(1, MON)
    assert [(f.id, contact.name, contact.company) for f, contact in due] == [
        (ids["Anna"], "Anna", None),
        (ids["Bert"], "Bert", "Bau GmbH"),
    ]
    assert await storage.contacts.upcoming(1, MON, MON + timedelta(days=7)) == 1
    moved = await storage.contacts.move(1, ids["Anna"], TUE, NOW)
    assert moved is not None
    assert (moved.due, moved.status) == (TUE, OPEN)
    done = await storage.contacts.finish(1, [ids["Bert"]], DONE, NOW)
    assert [f.status for f in done] == [DONE]
    assert await storage.contacts.finish(1, [ids["Bert"]], DONE, NOW) == [], "once"
    assert await storage.contacts.move(1, ids["Bert"], WED, NOW) is None, "done stays done"
    assert await storage.contacts.due(1, MON) == []
    skipped = await storage.contacts.skip_proposed(1, ids["Cem"], NOW)
    assert [f.status for f in skipped] == [SKIPPED]
    assert [c.name for _, c in await storage.contacts.due(1, WED)] == ["Anna"]


async def test_archive_drops_plans_and_hides_the_contact(storage: Storage) -> None:
    await rep(storage)
    contact = await storage.contacts.add(1, ContactDraft("Müller"), NOW)
    logged = await storage.contacts.log_touch(
        1, contact.id, "talked", "call", NOW, status="talking", kind="prospect",
        proposals=[proposal("after_talk", MON)], accept=True,
    )  # fmt: skip
    assert logged is not None
    archived, dropped = await storage.contacts.archive(1, contact.id, True, NOW)
    assert archived is not None
    assert archived.archived
    assert dropped == [logged[1][0].id]
    assert await storage.contacts.count(1) == 0
    assert await storage.contacts.listed(1) == []
    assert await storage.contacts.due(1, MON) == []
    assert await storage.contacts.archive(2, contact.id, True, NOW) == (None, [])
    restored, _ = await storage.contacts.archive(1, contact.id, False, NOW)
    assert restored is not None
    assert not restored.archived
    assert await storage.contacts.count(1) == 1


async def test_stats_records(storage: Storage) -> None:
    await rep(storage)
    a, b, c = await storage.contacts.add_many(
        1, [ContactDraft("A"), ContactDraft("B"), ContactDraft("C", kind="customer")], NOW
    )
    await storage.contacts.add(1, ContactDraft("No touches"), NOW)
    for outcome in ("not_reached", "talked"):
        await storage.contacts.log_touch(1, a.id, outcome, "call", NOW, status="x", kind="prospect")
    await storage.contacts.log_touch(
        1, b.id, "not_reached", "call", NOW, status="trying", kind="prospect",
        proposals=[proposal("retry", TUE, 1)],
    )  # fmt: skip
    await storage.contacts.log_touch(
        1, c.id, "won", "call", NOW, status="won", kind="customer",
        proposals=[proposal("aftersales_1w", TUE), proposal("aftersales_1m", WED)], accept=True,
    )  # fmt: skip
    assert await storage.contacts.records(1) == [
        ContactRecord(("not_reached", "talked"), prospect=True, planned=False),
        ContactRecord(("not_reached",), prospect=True, planned=True),
        ContactRecord(("won",), prospect=True, planned=True, open_aftersales=2),
    ]
    assert await storage.contacts.records(2) == []


async def test_deleting_the_rep_deletes_everything(storage: Storage) -> None:
    await rep(storage)
    contact = await storage.contacts.add(1, ContactDraft("Müller"), NOW)
    await storage.contacts.log_touch(
        1, contact.id, "talked", "call", NOW, status="talking", kind="prospect",
        proposals=[proposal("after_talk", MON)],
    )  # fmt: skip
    async with storage.engine.begin() as conn:
        await conn.execute(delete(users).where(users.c.id == 1))
        assert (await conn.execute(select(touches))).all() == []
        assert (await conn.execute(select(followups))).all() == []
    assert await storage.contacts.get(1, contact.id) is None


async def test_morning_facts_count_open_followups_due(storage: Storage) -> None:
    await rep(storage)
    contact = await storage.contacts.add(1, ContactDraft("Müller"), NOW)
    await storage.contacts.log_touch(
        1, contact.id, "won", "call", NOW, status="won", kind="customer",
        proposals=[proposal("aftersales_1w", MON - timedelta(days=1)),
                   proposal("aftersales_1m", MON), proposal("aftersales_3m", TUE)],
        accept=True,
    )  # fmt: skip
    facts = await storage.checkins.morning_facts({1: (None, MON)})
    assert facts[1].followups_due == 2, "overdue and today; not tomorrow"


async def test_a_touch_counts_once_per_tap(storage: Storage) -> None:
    await rep(storage)
    contact = await storage.contacts.add(1, ContactDraft("Müller"), NOW)
    origin = f"1:10:f:t:{contact.id}:not_reached:call"

    async def tap(tap_id: str, at: datetime) -> object:
        return await storage.contacts.log_touch(
            1, contact.id, "not_reached", "call", at, status="trying", kind="prospect",
            proposals=[Proposal("retry", TUE, "call", 0, 1)], tap_id=tap_id, origin=origin,
        )  # fmt: skip

    assert await tap("q1", NOW) is not None
    # The same query again (a redelivery) and a second query within the window (a double tap).
    for tap_id, at in (("q1", NOW + timedelta(seconds=30)), ("q2", NOW + timedelta(seconds=1))):
        with pytest.raises(TapCountedError):
            await tap(tap_id, at)
    assert len(await storage.contacts.touches(1, contact.id)) == 1
    assert len(await storage.contacts.planned(1, contact.id)) == 1, "nothing half-stored"
    assert await tap("q3", NOW + timedelta(seconds=5)) is not None, "a deliberate tap later"
    assert len(await storage.contacts.touches(1, contact.id)) == 2


async def test_archived_contacts_are_counted_paged_and_found(storage: Storage) -> None:
    await rep(storage)
    await rep(storage, 2)
    kept, gone = await storage.contacts.add_many(
        1, [ContactDraft("Anna"), ContactDraft("Bert")], NOW
    )
    await storage.contacts.add(2, ContactDraft("Fremd"), NOW)
    await storage.contacts.archive(1, gone.id, True, NOW)
    assert (await storage.contacts.count(1), await storage.contacts.count(1, archived=True)) == (
        1,
        1,
    )
    assert [c.name for c in await storage.contacts.page(1, 0, 8, archived=True)] == ["Bert"]
    assert [c.name for c in await storage.contacts.page(1, 0, 8)] == ["Anna"]
    assert [(c.name, c.archived) for c in await storage.contacts.everyone(1)] == [
        ("Anna", False), ("Bert", True)
    ]  # fmt: skip
    assert kept.id != gone.id
