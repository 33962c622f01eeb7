"""`db copy`: rows arrive unchanged, new ids follow the copied ones, a filled target is refused."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.coach.activity import Counts
from bot.coach.contacts import ContactDraft
from bot.coach.followups import Proposal
from bot.coach.pitch import RehearsalState
from bot.coach.profile import Profile
from bot.coach.roleplay import CallState
from bot.coach.targets import DailyTargets
from bot.storage import FlowState, Storage, open_storage
from bot.storage.checkins import DeliveryKey
from bot.storage.copy import CopyError, copy_database
from bot.storage.engine import create_engine
from bot.storage.migrate import downgrade, revisions
from bot.storage.notices import Notice
from bot.storage.pitches import RehearsalPlan
from bot.storage.roleplay import RoleplayCall
from bot.storage.tables import metadata
from bot.storage.taps import claim_tap, tap_origin

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[2]
REPS = 3
CONTACTS_PER_REP = 12


async def fill(storage: Storage) -> None:
    """A bit of everything, through the repositories, as the bot would store it."""
    await storage.access.grant(1, "admin", NOW)
    team = await storage.teams.create("Vertrieb Süd", 1, NOW)
    await storage.teams.set_focus(
        team.id, TODAY - timedelta(days=TODAY.weekday()), "pitch", "", 1, NOW
    )
    invite = await storage.access.create_invite(
        "rep", 5, NOW + timedelta(days=7), 1, NOW, team_id=team.id
    )
    # Rep 2 joins by the invite: a member row that points at the invite.
    await storage.access.redeem(invite.code, 2, NOW)
    await storage.team_playbooks.put("de", "entries: []\n", 1, NOW)
    await storage.team_scenarios.put("de", "scenarios: []\n", 1, NOW)
    for user_id in range(1, REPS + 1):
        profile = Profile(user_id=user_id, chat_id=user_id, language="de", timezone="Europe/Berlin")
        await storage.users.create(profile, NOW)
        if user_id != 2:
            await storage.access.grant(user_id, "rep", NOW)
        await storage.flows.set(user_id, _flow(user_id), NOW)
        await storage.teams.move(user_id, team.id, NOW)
        await storage.teams.set_display_name(user_id, f"Rep {user_id} 😀", NOW)
        await storage.activity.set_targets(
            user_id, DailyTargets(40, 10, 3, 5), "funnel", NOW, goal={"deals": 24, "ö": "ß"}
        )
        for offset in range(3):
            day = TODAY - timedelta(days=offset)
            await storage.activity.change(
                user_id,
                day,
                Counts(dials=5 + offset, conversations=2),
                source="button",
                now=NOW,
                target_dials=40,
            )
        async with storage.engine.begin() as conn:
            origin = tap_origin(user_id, 40, "t:d:0:261123")
            await claim_tap(conn, user_id=user_id, tap_id=f"q{user_id}", origin=origin, now=NOW)
        await storage.activity.add_audit(user_id, {"q1": 3}, 70, DailyTargets(30, 8, 2, 4), NOW)
        await storage.notices.add(user_id, Notice(NOW, Counts(dials=2)), NOW)
        state = CallState("cold_call", "de", "medium", phase=0, patience=3)
        call = await storage.roleplay.start(user_id, state, NOW)
        assert isinstance(call, RoleplayCall)
        await storage.roleplay.finish(
            call, state, NOW, outcome="success", met=5, total=7, percent=71
        )
        await storage.drills.record(user_id, "too_expensive", 0.5, TODAY, 80, NOW)
        await storage.checkins.add_pause(
            user_id, TODAY + timedelta(days=3), TODAY + timedelta(days=5), NOW
        )
        claims = await storage.checkins.claim(
            [
                DeliveryKey(user_id, "morning", "", TODAY),
                DeliveryKey(user_id, "evening", "", TODAY),
            ],
            NOW,
        )
        await storage.checkins.finish([(claims[0].id, "sent", 777, "principle-3")], NOW)
        await storage.checkins.put_due(
            user_id, "pitch", "rehearse", NOW + timedelta(hours=3), NOW, {"n": 1}
        )
        first = await storage.pitches.add(user_id, "Wir helfen Bäckereien 😀", 60, "de", NOW)
        await storage.pitches.add(
            user_id, "Wir helfen Bäckereien, mehr zu verkaufen", 75, "de", NOW
        )
        await storage.pitches.add_rehearsal(
            user_id,
            first.id,
            "text",
            NOW,
            recall=80,
            text="Wir helfen",
            plan=RehearsalPlan(RehearsalState(1, 1), TODAY + timedelta(days=1)),
        )
        await storage.pitches.add_rehearsal(user_id, None, "voice", NOW, seconds=31)
        drafts = [
            ContactDraft(f"Kunde {user_id}-{n}", company="Bäckerei Müller", phone="+49 30 1234")
            for n in range(CONTACTS_PER_REP)
        ]
        contacts = await storage.contacts.add_many(user_id, drafts, NOW)
        for contact in contacts[:4]:
            await storage.contacts.log_touch(
                user_id,
                contact.id,
                "not_reached",
                "call",
                NOW,
                status="trying",
                kind="prospect",
                note="AB",
                proposals=[Proposal("retry", TODAY, "call", 0, 1)],
            )


def _flow(user_id: int) -> FlowState:
    return FlowState("onboarding", "days", {"days": "0246", "n": user_id})


async def rows(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, for comparing two databases."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return {
                table.name: sorted(
                    (tuple(row) for row in await conn.execute(select(table))), key=repr
                )
                for table in metadata.sorted_tables
            }
    finally:
        await engine.dispose()


@pytest.fixture
async def source(tmp_path: Path) -> str:
    """An SQLite database with data in every table."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'source.db'}"
    storage = await open_storage(url)
    try:
        await fill(storage)
    finally:
        await storage.close()
    return url


async def test_source_fills_every_table(source: str) -> None:
    empty = [name for name, found in (await rows(source)).items() if not found]
    assert empty == []


async def test_copy_keeps_every_row(source: str, database_url: str) -> None:
    report = await copy_database(source, database_url, batch=7)
    expected = await rows(source)
    assert [t.table for t in report.tables] == [t.name for t in metadata.sorted_tables]
    assert {t.table: t.rows for t in report.tables} == {n: len(r) for n, r in expected.items()}
    assert await rows(database_url) == expected


async def test_new_rows_after_the_copy_get_fresh_ids(source: str, database_url: str) -> None:
    await copy_database(source, database_url)
    before = await rows(database_url)
    storage = await open_storage(database_url)
    try:
        contact = await storage.contacts.add(1, ContactDraft("Neu"), NOW)
        pitch = await storage.pitches.add(2, "Neu", 50, "de", NOW)
        claims = await storage.checkins.claim([DeliveryKey(3, "weekly", "", TODAY)], NOW)
        invite = await storage.access.create_invite("rep", None, None, 1, NOW)
        await storage.checkins.add_pause(1, TODAY, TODAY, NOW)
    finally:
        await storage.close()
    assert contact.id == REPS * CONTACTS_PER_REP + 1
    assert pitch.id == max(r[0] for r in before["pitches"]) + 1
    assert claims[0].id == max(r[0] for r in before["deliveries"]) + 1
    assert invite.id == max(r[0] for r in before["invites"]) + 1
    assert len((await rows(database_url))["pauses"]) == len(before["pauses"]) + 1


async def test_a_target_with_data_is_refused_and_kept(source: str, database_url: str) -> None:
    await copy_database(source, database_url)
    before = await rows(database_url)
    with pytest.raises(CopyError) as refused:
        await copy_database(source, database_url)
    assert refused.value.problem == "copy_target_not_empty"
    assert await rows(database_url) == before


async def test_one_row_in_any_table_is_enough_to_refuse(source: str, database_url: str) -> None:
    storage = await open_storage(database_url)
    try:
        await storage.access.create_invite("admin", 1, None, None, NOW)
    finally:
        await storage.close()
    with pytest.raises(CopyError) as refused:
        await copy_database(source, database_url)
    assert refused.value.values["table"] == "invites"
    assert (await rows(database_url))["users"] == []


async def test_missing_or_outdated_source_is_refused(
    tmp_path: Path, source: str, database_url: str
) -> None:
    missing = f"sqlite+aiosqlite:///{tmp_path / 'nothing.db'}"
    with pytest.raises(CopyError) as refused:
        await copy_database(missing, database_url)
    assert refused.value.problem == "copy_source_missing"
    assert not (tmp_path / "nothing.db").exists()
    with pytest.raises(CopyError) as same:
        await copy_database(source, source)
    assert same.value.problem == "copy_same"
    engine = create_engine(source)
    try:
        await downgrade(engine, revisions()[-2])
    finally:
        await engine.dispose()
    with pytest.raises(CopyError) as old:
        await copy_database(source, database_url)
    assert old.value.problem == "copy_source_revision"


async def _cli(*args: str) -> tuple[int, str, str]:
    """Run `python -m bot` with English operator texts and no bot token."""
    env = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "DATABASE_URL"}}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env={**env, "DEFAULT_LANGUAGE": "en"},
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_command_line(source: str, database_url: str) -> None:
    # Plain sqlite:// and postgresql:// URLs work, as for DATABASE_URL.
    plain_source = make_url(source).set(drivername="sqlite").render_as_string()
    target = make_url(database_url)
    plain_target = target.set(drivername=target.drivername.split("+")[0]).render_as_string(
        hide_password=False
    )
    code, out, err = await _cli("db", "copy", "--from", plain_source, "--to", plain_target)
    assert (code, err) == (0, "")
    counts = await rows(source)
    lines = out.strip().splitlines()
    assert lines[:-1] == [
        f"{t.name}: {len(counts[t.name])} rows copied." for t in metadata.sorted_tables
    ]
    assert lines[-1].startswith(f"Copied {sum(map(len, counts.values()))} rows in ")
    assert await rows(database_url) == counts

    code, out, err = await _cli("db", "copy", "--from", plain_source, "--to", plain_target)
    assert code == 2
    assert out == ""
    assert "already holds data" in err
    code, _, err = await _cli("db", "copy", "--from", "mysql://x/y", "--to", plain_target)
    assert code == 2
    assert "--from is not a valid address" in err
