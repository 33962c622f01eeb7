"""The team playbook built in the chat: add step by step, edit a field, cancel, bad answers."""

from __future__ import annotations

from bot.coach.objections import Playbook
from bot.handlers.context import DEPS_KEY
from bot.handlers.playbook_editor import FLOW
from bot.playbook import parse_team_playbook
from bot.sandbox import SandboxUser
from tests.handlers.conftest import Harness, onboarded
from tests.handlers.test_team import ADMIN, VALID, make_admin

PHRASINGS = "Wir warten erst die Messe in Hannover ab\nNach der Messe in Hannover reden wir weiter"
MEANING = "Der Kunde will Angebote auf der Messe vergleichen, bevor er sich festlegt."
STRATEGY = "Den Messebesuch ernst nehmen und einen festen Termin direkt danach vereinbaren."
REPLIES = (
    "Gute Idee, sich dort umzusehen. Was wollen Sie auf der Messe vergleichen?",
    "Wollen wir gleich einen Termin für die Woche nach der Messe festhalten?",
)
ASK_BACK = "Worauf achten Sie bei den Ständen am meisten?"
AVOID = "Die Messe kleinreden."


async def step_state(harness: Harness, user_id: int = ADMIN) -> str | None:
    """The step of the stored team-playbook flow, if one is open."""
    flow = await harness.storage.flows.get(user_id)
    return flow.step if flow is not None and flow.flow == FLOW else None


async def start_adding(harness: Harness) -> SandboxUser:
    """An onboarded admin who opened /playbook, chose "add" and German."""
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_command("playbook")
    status = await admin.next_message()
    assert status.button_labels == [
        "➕ Eintrag hinzufügen",
        "✏️ Eintrag bearbeiten",
        "⬇️ YAML herunterladen",
        "⬇️ Übungsgespräche herunterladen",
    ]
    admin.press("➕ Eintrag hinzufügen", message=status)
    assert "In welcher Sprache?" in (await admin.next_message()).text
    admin.press("🇩🇪 Deutsch")
    assert "Wie sagen Kunden diesen Einwand?" in (await admin.next_message()).text
    return admin


async def fill_in(admin: SandboxUser) -> str:
    """Answer every step after the language; returns the preview's text."""
    admin.send_text(PHRASINGS)
    category = await admin.next_message()
    assert "Zu welchem Thema" in category.text
    assert "⏳ Hinhalten" in category.button_labels
    admin.press("⏳ Hinhalten", message=category)
    assert "Was steckt meistens dahinter?" in (await admin.next_message()).text
    admin.send_text(MEANING)
    assert "Wie gehst du am besten vor?" in (await admin.next_message()).text
    admin.send_text(STRATEGY)
    assert "zwei oder drei Antworten" in (await admin.next_message()).text
    admin.send_text(REPLIES[0])
    one = await admin.next_message()
    assert "Antworten bisher: 1" in one.text
    assert one.button_labels == [], "one reply is not enough to finish"
    admin.send_text(REPLIES[1])
    two = await admin.next_message()
    assert "Antworten bisher: 2" in two.text
    admin.press("✓ Fertig", message=two)
    assert "Welche Frage stellt der Rep zurück" in (await admin.next_message()).text
    admin.send_text(ASK_BACK)
    assert "lieber nicht sagen" in (await admin.next_message()).text
    admin.send_text(AVOID)
    return (await admin.next_message()).text


async def test_an_admin_adds_an_entry_and_a_lookup_finds_it_first(harness: Harness) -> None:
    admin = await start_adding(harness)
    preview = await fill_in(admin)
    assert "Vorschau" in preview
    assert "Deutsch" in preview
    assert "⏳ Hinhalten" in preview
    assert "Nach der Messe in Hannover reden wir weiter" in preview, "every phrasing is shown"
    assert REPLIES[1] in preview
    assert await harness.storage.team_playbooks.all() == {}, "nothing stored before saving"

    admin.press("💾 Speichern")
    saved = await admin.next_message()
    assert "Gespeichert" in saved.text
    assert "eigene Einträge: 1" in saved.text
    assert await step_state(harness) is None
    stored = parse_team_playbook((await harness.storage.team_playbooks.all())["de"], "de")
    assert isinstance(stored, Playbook)
    (entry,) = stored.entries
    assert entry.id == "team_wir_warten_erst_die_messe_in_hannover"
    assert entry.replies == REPLIES
    assert entry.category == "stall"

    admin.send_text("wir warten erst mal die Messe in Hannover ab")
    card = await admin.next_message()
    assert "„Wir warten erst die Messe in Hannover ab“" in card.text, "the new entry comes first"
    assert ASK_BACK in card.text

    await harness.restart()
    rep = await onboarded(harness, 9002)
    rep.send_text("nach der Messe in Hannover reden wir weiter")
    assert "„Wir warten erst die Messe in Hannover ab“" in (await rep.next_message()).text


async def test_a_restart_mid_flow_continues_where_it_stopped(harness: Harness) -> None:
    admin = await start_adding(harness)
    admin.send_text(PHRASINGS)
    category = await admin.next_message()
    await harness.restart()
    admin.press("pb:c:stall", message=category)
    assert "Was steckt meistens dahinter?" in (await admin.next_message()).text
    await harness.restart()
    admin.send_text(MEANING)
    assert "Wie gehst du am besten vor?" in (await admin.next_message()).text
    assert await step_state(harness) == "strategy"
    flow = await harness.storage.flows.get(ADMIN)
    assert flow is not None
    assert flow.data["draft"]["meaning"] == MEANING
    assert flow.data["draft"]["phrasings"] == PHRASINGS.split("\n")


async def test_cancel_leaves_the_playbook_unchanged(harness: Harness) -> None:
    admin = await start_adding(harness)
    await fill_in(admin)
    admin.press("✖️ Abbrechen")
    assert "Abgebrochen" in (await admin.next_message()).text
    assert await step_state(harness) is None
    assert await harness.storage.team_playbooks.all() == {}
    admin.send_text("Wir warten erst die Messe in Hannover ab")
    assert MEANING not in (await admin.next_message()).text, "no card of the cancelled entry"
    assert harness.app is not None
    assert harness.app.bot_data[DEPS_KEY].team_playbooks == {}, "nothing put in force"


async def test_editing_a_field_of_a_team_entry(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_document(VALID.encode(), "team.yaml")
    await admin.next_message()
    admin.send_command("playbook")
    assert "Eigene Einträge aktiv: 1" in (await admin.next_message()).text
    admin.press("✏️ Eintrag bearbeiten")
    await admin.next_message()
    admin.press("pb:l:de")
    pick = await admin.next_message()
    assert "Welchen Eintrag" in pick.text
    admin.press("pb:e:cheaper_rival", message=pick)
    field = await admin.next_message()
    assert "Firma Blitzblank ist viel günstiger als Sie" in field.text
    admin.press("Antworten", message=field)
    replies = await admin.next_message()
    assert "Bisher:" in replies.text
    assert "Was genau enthält das Angebot von Blitzblank?" in replies.text
    admin.send_text(
        "Vergleichen lohnt sich. Was ist bei Blitzblank alles drin?\n"
        "Verstehe. Was müsste passieren, damit Sie bei uns bleiben?\n"
        "Wollen wir die zwei Angebote morgen zusammen durchgehen?"
    )
    preview = await admin.next_message()
    assert "Vorschau" in preview.text, "three replies: on to the preview"
    admin.press("✏️ Noch ein Feld ändern", message=preview)
    admin.press("pb:f:avoid", message=await admin.next_message())
    await admin.next_message()
    admin.send_text("Blitzblank schlechtmachen oder sofort Rabatt anbieten.")
    await admin.next_message()
    admin.press("💾 Speichern")
    assert "eigene Einträge: 1" in (await admin.next_message()).text

    stored = parse_team_playbook((await harness.storage.team_playbooks.all())["de"], "de")
    assert isinstance(stored, Playbook)
    (entry,) = stored.entries
    assert entry.id == "cheaper_rival", "editing keeps the id"
    assert entry.keywords == ("blitzblank",), "uploaded keywords survive an edit"
    assert len(entry.replies) == 3
    assert entry.avoid == "Blitzblank schlechtmachen oder sofort Rabatt anbieten."
    assert entry.meaning.startswith("Der Kunde vergleicht uns mit Blitzblank")
    admin.send_text("Blitzblank ist viel günstiger")
    assert "Was ist bei Blitzblank alles drin?" in (await admin.next_message()).text


async def test_bad_answers_keep_the_step_and_change_nothing(harness: Harness) -> None:
    admin = await start_adding(harness)
    for text, reply in [
        ("   ", "Da steht noch nichts"),
        ("x" * 4096, "höchstens 200 Zeichen"),
        ("😀😀😀 🎉", "nur Zeichen oder Emojis"),
    ]:
        admin.send_text(text)
        answer = await admin.next_message()
        assert reply in answer.text, text[:10]
        assert "Wie sagen Kunden diesen Einwand?" in answer.text, "the question comes again"
        assert await step_state(harness) == "phrasings"
    admin.send_text(PHRASINGS)
    await admin.next_message()
    admin.send_text("Preis")
    assert "Tippe bitte auf einen der Knöpfe" in (await admin.next_message()).text
    assert await step_state(harness) == "category"
    admin.press("pb:c:stall")
    await admin.next_message()
    admin.send_text("y" * 4096)
    assert "höchstens 600 Zeichen" in (await admin.next_message()).text
    admin.send_text(MEANING)
    await admin.next_message()
    admin.send_text(STRATEGY)
    await admin.next_message()
    admin.send_text(REPLIES[0])
    await admin.next_message()
    admin.send_text("fertig")
    assert "mindestens 2" in (await admin.next_message()).text
    admin.send_text("\n".join(f"Antwort Nummer {n}" for n in range(5)))
    assert "höchstens 5" in (await admin.next_message()).text
    assert await step_state(harness) == "replies"
    flow = await harness.storage.flows.get(ADMIN)
    assert flow is not None
    assert flow.data["collected"] == [REPLIES[0]], "the reply given so far is kept"
    assert await harness.storage.team_playbooks.all() == {}


async def test_a_rep_is_refused_and_a_demoted_admin_too(harness: Harness) -> None:
    rep = await onboarded(harness, 9003)
    rep.send_command("playbook")
    refused = await rep.next_message()
    assert "nur Teamleiter" in refused.text
    assert refused.button_labels == []

    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_command("playbook")
    status = await admin.next_message()
    admin.press("pb:add", message=status)
    admin.press("pb:l:de", message=await admin.next_message())
    await admin.next_message()
    harness.settings = harness.settings.model_copy(update={"admin_ids": ()})
    await harness.restart()
    admin.send_text(PHRASINGS)
    assert "nur Teamleiter" in (await admin.next_message()).text
    assert await step_state(harness) is None, "the flow is closed"
    press = admin.press("pb:edit", message=status)
    alert = await admin.wait_for(lambda: admin.callback_answer(press["callback_query"]["id"]))
    assert alert.show_alert
    assert alert.text is not None
    assert "nur Teamleiter" in alert.text
    assert await step_state(harness) is None
    assert await harness.storage.team_playbooks.all() == {}


async def test_the_playbook_can_be_downloaded_as_yaml(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_command("playbook")
    status = await admin.next_message()
    admin.press("⬇️ YAML herunterladen", message=status)
    assert "noch kein Team-Playbook" in (await admin.next_message()).text
    admin.send_document(VALID.encode(), "team.yaml")
    await admin.next_message()
    admin.press("⬇️ YAML herunterladen", message=status)
    download = await admin.next_message()
    assert download.file is not None
    assert download.file.file_name == "team-playbook-de.yaml"
    assert download.file.data.decode() == VALID
    assert "Team-Playbook (Deutsch)" in download.text
