"""Data rights end to end: /privacy in both languages, /export matches what is stored, /delete
leaves no row of the rep in any table (and cancel leaves everything), retention."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from typing import Any

from pydantic import AnyHttpUrl

from bot.coach.activity import Counts
from bot.coach.contacts import ContactDraft
from bot.coach.roleplay import CallState
from bot.coach.targets import DailyTargets
from bot.sandbox import SandboxMessage, SandboxUser
from bot.scheduler.retention import RETENTION_KEY, Retention
from bot.storage import FlowState
from bot.storage.checkins import DeliveryKey
from bot.storage.userdata import EXPORT_FORMAT, owned_tables
from tests.handlers.conftest import Harness, onboarded
from tests.walk import all_rows, rows_naming

REP = 7_200_001
OTHER = 7_200_002
ADMIN = 7_200_009
MONDAY = date(2026, 11, 23)


async def fill(harness: Harness, user_id: int) -> None:
    """Something of the rep in as many tables as the storage API reaches."""
    storage, now = harness.storage, harness.clock.now
    await storage.activity.set_targets(user_id, DailyTargets(20, 5, 2, 8), "manual", now)
    await storage.activity.change(
        user_id, MONDAY, Counts(12, 3, 1, 0), source="log", now=now, target_dials=20
    )
    await storage.activity.add_audit(user_id, {"dials": 20}, 55, DailyTargets(30, 6, 2, 5), now)
    await storage.drills.record(user_id, "too_expensive", 0.5, MONDAY, 3, now)
    await storage.checkins.add_pause(user_id, date(2026, 12, 20), date(2026, 12, 31), now)
    await storage.checkins.put_due(user_id, "pitch", "rehearse", now + timedelta(hours=2), now)
    await storage.checkins.claim([DeliveryKey(user_id, "morning", "", MONDAY)], now)
    pitch = await storage.pitches.add(
        user_id, "Wir helfen Bäckereien, 20 % zu sparen.", 60, "de", now
    )
    await storage.pitches.add_rehearsal(
        user_id, pitch.id, "text", now, recall=80, text="Wir helfen"
    )
    contact = await storage.contacts.add(
        user_id, ContactDraft("Müller", "Bäckerei Müller", "0171 2345678", "mag Kuchen"), now
    )
    await storage.contacts.log_touch(
        user_id, contact.id, "talked", "phone", now, status="talking", kind="prospect", note="ok"
    )
    await storage.roleplay.start(
        user_id, CallState("cold_call", "de", "medium", phase=0, patience=3), now
    )
    await storage.flows.set(user_id, FlowState("goals", "rate", {"goal": 1000}), now)


def document(message: SandboxMessage) -> bytes:
    """The bytes of a document the bot sent."""
    assert message.file is not None
    return message.file.data


# --- /privacy ----------------------------------------------------------------------------------


async def test_privacy_in_german_names_retention_and_missing_contact(harness: Harness) -> None:
    user = harness.user(REP, "de")
    user.send_command("datenschutz")
    text = (await user.next_message()).text
    assert "Datenschutz" in text
    assert "Schreibst du mir 365 Tage lang nicht, wird alles automatisch gelöscht." in text
    assert "nicht hinterlegt" in text
    assert "/export" in text
    assert "/loeschen" in text
    assert await rows_naming(harness.storage.engine, REP) == {}, "/privacy stores nothing"


async def test_privacy_in_english_with_contact_and_no_retention(harness: Harness) -> None:
    harness.settings = harness.settings.model_copy(
        update={"privacy_contact": "privacy@example.com", "retention_days": 0}
    )
    await harness.restart()
    user = harness.user(REP, "en")
    user.send_command("privacy")
    text = (await user.next_message()).text
    assert "<b>" not in text
    assert "Privacy" in text
    assert "privacy@example.com" in text
    assert "Nothing is deleted automatically" in text
    assert "Your team lead sees your name, when you were last active" in text


async def test_privacy_without_a_language_model_names_no_model_server(harness: Harness) -> None:
    for lang, command in (("de", "datenschutz"), ("en", "privacy")):
        user = harness.user(REP if lang == "de" else OTHER, lang)
        user.send_command(command)
        text = (await user.next_message()).text
        assert "Sprachmodell" not in text
        assert "language model" not in text
        assert ("Telegram stellt die Nachrichten zu.\n" in text) == (lang == "de")
        assert ("Telegram delivers the messages.\n" in text) == (lang == "en")
        assert text.rstrip().endswith(
            ("nicht hinterlegt (frag deine Teamleitung)", "(ask your team lead)")
        )


async def test_privacy_with_a_language_model_says_only_practice_calls_go_there(
    harness: Harness,
) -> None:
    harness.settings = harness.settings.model_copy(
        update={
            "llm_base_url": AnyHttpUrl("http://coach:s3cret@models.example.net:11434/v1?key=abc"),
            "llm_model": "llama3.1:8b",
        }
    )
    await harness.restart()
    german = harness.user(REP, "de")
    german.send_command("datenschutz")
    text = (await german.next_message()).text
    assert (
        "Telegram stellt die Nachrichten zu. Deine Übungsgespräche (nur die Sätze des Gesprächs, "
        "nie Kontakte oder andere Daten) gehen an den Sprachmodell-Server models.example.net"
    ) in text
    english = harness.user(OTHER, "en")
    english.send_command("privacy")
    text = (await english.next_message()).text
    assert (
        "Telegram delivers the messages. Your practice calls (only the call's lines, never "
        "contacts or other data) go to the language model server models.example.net"
    ) in text
    for secret in ("s3cret", "key=abc", "coach:"):
        assert secret not in text


async def test_refused_users_get_privacy_export_and_delete_without_a_trace(
    harness: Harness,
) -> None:
    harness.settings = harness.settings.model_copy(update={"access_mode": "invite"})
    await harness.restart()
    stranger = harness.user(REP, "en")
    stranger.send_command("privacy")
    assert "What I store about you" in (await stranger.next_message()).text
    stranger.send_command("export")
    assert (await stranger.next_message()).text == "I have nothing stored about you."
    stranger.send_command("delete")
    assert "nothing to delete" in (await stranger.next_message()).text
    assert await rows_naming(harness.storage.engine, REP) == {}


# --- /export -----------------------------------------------------------------------------------


async def export(user: SandboxUser) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    """Send /export; the JSON document and the CSV tables of the zip."""
    user.send_command("export")
    first, second = await user.next_message(), await user.next_message()
    assert first.data["document"]["file_name"].endswith(".json")
    assert second.data["document"]["file_name"].endswith("-csv.zip")
    data = json.loads(document(first))
    tables: dict[str, list[dict[str, str]]] = {}
    with zipfile.ZipFile(io.BytesIO(document(second))) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig")
            tables[name.removesuffix(".csv")] = list(csv.DictReader(io.StringIO(text)))
    return data, tables


async def test_export_matches_what_is_stored(harness: Harness) -> None:
    user = await onboarded(harness, REP)
    await fill(harness, REP)
    await onboarded(harness, OTHER)
    await fill(harness, OTHER)
    data, tables = await export(user)
    assert data["format"] == EXPORT_FORMAT
    assert data["version"] == 1
    assert data["user_id"] == REP
    stored = await harness.storage.data.export(REP, harness.clock.now)
    assert data["tables"] == json.loads(json.dumps(stored.rows)), "exactly what is stored"
    expected = {"users", *(t.name for t in owned_tables())}
    assert expected <= set(data["tables"]), "every table with a user_id column is in it"
    assert set(tables) == set(data["tables"])
    for name, rows in data["tables"].items():
        assert len(tables[name]) == len(rows), name
        for row in rows:
            assert row.get("user_id", row.get("id")) == REP, name
    assert data["tables"]["users"][0]["timezone"] == "Europe/Berlin"
    assert [c["name"] for c in data["tables"]["contacts"]] == ["Müller"]
    assert tables["contacts"][0]["phone"] == "0171 2345678"
    assert tables["touches"][0]["note"] == "ok"
    assert [d["dials"] for d in data["tables"]["activity_days"]] == [12]
    assert tables["activity_days"][0]["day"] == "2026-11-23"
    assert data["tables"]["pitches"][0]["text"].startswith("Wir helfen Bäckereien")
    assert data["tables"]["pitch_rehearsals"][0]["recall"] == 80
    assert data["tables"]["drill_stats"][0]["entry_id"] == "too_expensive"
    assert data["tables"]["roleplay_calls"][0]["scenario_id"] == "cold_call"
    assert data["tables"]["deliveries"][0]["kind"] == "morning"
    assert data["tables"]["due_items"][0]["ref"] == "rehearse"
    assert data["tables"]["members"][0]["role"] == "rep"
    assert tables["members"][0]["disabled_at"] == ""
    caption = (await user.wait_for(lambda: user.messages[-2])).data["caption"]
    assert f"(Einträge: {stored.count})" in caption


async def test_export_of_a_disabled_rep_still_works(harness: Harness) -> None:
    harness.settings = harness.settings.model_copy(update={"admin_ids": (ADMIN,)})
    await harness.restart()
    user = await onboarded(harness, REP)
    await harness.storage.access.set_disabled(REP, True, harness.clock.now)
    user.send_text("hallo")
    assert "pausiert" in (await user.next_message()).text
    data, _ = await export(user)
    assert data["tables"]["members"][0]["disabled_at"] is not None


# --- /delete -----------------------------------------------------------------------------------


async def ask_delete(user: SandboxUser, lang: str = "de") -> SandboxMessage:
    user.send_command("delete")
    question = await user.next_message()
    assert ("Alles löschen?" if lang == "de" else "Delete everything?") in question.text
    return question


async def test_delete_cancel_keeps_everything(harness: Harness) -> None:
    user = await onboarded(harness, REP)
    await fill(harness, REP)
    before = await rows_naming(harness.storage.engine, REP)
    question = await ask_delete(user)
    user.press("✖️ Abbrechen", message=question)
    assert "Es wurde nichts gelöscht" in (await user.next_message()).text
    assert question.buttons == []
    # The command ended the open goals question (a command ends any waiting mode); all the
    # rep's data stays.
    before.pop("flow_states")
    assert await rows_naming(harness.storage.engine, REP) == before


async def test_delete_erases_every_row_of_the_rep_and_nothing_else(harness: Harness) -> None:
    harness.settings = harness.settings.model_copy(update={"admin_ids": (REP,)})
    await harness.restart()
    user = await onboarded(harness, REP)
    await fill(harness, REP)
    # Rows that name the rep without belonging to them: an invite and a team playbook.
    now = harness.clock.now
    await harness.storage.access.create_invite("rep", None, None, REP, now)
    await harness.storage.team_playbooks.put("de", "entries: []", REP, now)
    await onboarded(harness, OTHER)
    await fill(harness, OTHER)
    mine = await rows_naming(harness.storage.engine, REP)
    filled = {"users", "members", "targets", "activity_days", "activity_events", "audits"}
    filled |= {"drill_stats", "pauses", "deliveries", "due_items", "pitches", "pitch_rehearsals"}
    filled |= {"contacts", "touches", "flow_states", "invites", "team_playbooks"}
    filled |= {"roleplay_calls"}
    assert filled <= set(mine), "the test reaches most tables"
    others = await rows_naming(harness.storage.engine, OTHER)
    question = await ask_delete(user)
    assert question.button_labels == ["🗑 Ja, alles löschen", "✖️ Abbrechen"]
    user.press("🗑 Ja, alles löschen", message=question)
    done = await user.next_message()
    assert "Alles, was ich über dich gespeichert hatte, ist gelöscht" in done.text
    assert done.reply_markup == {"remove_keyboard": True}
    assert await rows_naming(harness.storage.engine, REP) == {}
    assert await rows_naming(harness.storage.engine, OTHER) == others
    counts = await all_rows(harness.storage.engine)
    assert counts["invites"] == 1, "team data stays, without the name"
    assert counts["team_playbooks"] == 1
    # Nothing answers from a cache either: the rep is new to the bot.
    user.send_text("12 Anrufe")
    assert "/start" in (await user.next_message()).text
    assert await rows_naming(harness.storage.engine, REP) == {}


async def test_a_stale_delete_confirmation_deletes_nothing(harness: Harness) -> None:
    user = await onboarded(harness, REP, "en")
    question = await ask_delete(user, "en")
    harness.clock.now += timedelta(minutes=20)
    user.press("🗑 Yes, delete everything", message=question)
    assert "This confirmation has expired" in (await user.next_message()).text
    assert await harness.storage.users.get(REP) is not None


async def test_deleted_rep_in_invite_mode_needs_a_new_invite(harness: Harness) -> None:
    harness.settings = harness.settings.model_copy(
        update={"access_mode": "invite", "admin_ids": (ADMIN,)}
    )
    await harness.restart()
    await harness.storage.access.grant(REP, "rep", harness.clock.now)
    user = await onboarded(harness, REP, "en")
    question = await ask_delete(user, "en")
    user.press("🗑 Yes, delete everything", message=question)
    assert "you'll need a new invite link" in (await user.next_message()).text
    user.send_command("start")
    assert "invite link" in (await user.next_message()).text
    assert await rows_naming(harness.storage.engine, REP) == {}


# --- retention ---------------------------------------------------------------------------------


async def test_retention_erases_only_reps_inactive_for_too_long(harness: Harness) -> None:
    idle = await onboarded(harness, REP)
    await fill(harness, REP)
    active = await onboarded(harness, OTHER)
    await fill(harness, OTHER)
    others_before = await rows_naming(harness.storage.engine, OTHER)
    retention = harness.app.bot_data[RETENTION_KEY] if harness.app else None
    assert isinstance(retention, Retention)
    start = harness.clock.now
    assert await retention.expire(start + timedelta(days=365)) == []
    harness.clock.now = start + timedelta(days=300)
    active.send_command("help")
    await active.next_message()
    assert await retention.expire(start + timedelta(days=366)) == [REP]
    assert await rows_naming(harness.storage.engine, REP) == {}
    others_before.pop("flow_states")  # their /help ended their open question, nothing else
    assert await rows_naming(harness.storage.engine, OTHER) == others_before
    assert await retention.expire(start + timedelta(days=666)) == [OTHER]
    idle.send_text("hallo")
    assert "/start" in (await idle.next_message()).text


async def test_retention_zero_keeps_everything(harness: Harness) -> None:
    harness.settings = harness.settings.model_copy(update={"retention_days": 0})
    await harness.restart()
    await onboarded(harness, REP)
    retention = harness.app.bot_data[RETENTION_KEY] if harness.app else None
    assert isinstance(retention, Retention)
    assert await retention.expire(harness.clock.now + timedelta(days=10_000)) == []
    assert await harness.storage.users.get(REP) is not None
