"""Team playbook uploads: a valid file ranks first in lookups, a bad one changes nothing."""

from __future__ import annotations

from bot.content import Content
from bot.playbook import PROBLEM_KEYS
from tests.handlers.conftest import Harness, onboarded

ADMIN = 9001

VALID = """
entries:
  - id: cheaper_rival
    category: price
    phrasings:
      - Firma Blitzblank ist viel günstiger als Sie
      - Blitzblank macht uns ein besseres Angebot
    keywords: [blitzblank]
    meaning: Der Kunde vergleicht uns mit Blitzblank und will einen Grund für unseren Preis.
    strategy: Frag nach, was im Angebot von Blitzblank enthalten ist, und zeig unseren Service.
    replies:
      - Gut, dass Sie vergleichen. Was genau enthält das Angebot von Blitzblank?
      - Verstehe. Darf ich fragen, wie zufrieden Sie bisher mit deren Service sind?
    ask_back: Was ist Ihnen neben dem Preis am wichtigsten?
    avoid: Blitzblank schlechtreden.
"""


async def make_admin(harness: Harness) -> None:
    harness.settings = harness.settings.model_copy(update={"admin_ids": (ADMIN,)})
    await harness.restart()


def test_every_problem_key_has_a_text(content: Content) -> None:
    for key in PROBLEM_KEYS:
        for lang in content.languages:
            assert content.text(lang, key)


async def test_valid_upload_ranks_first_and_survives_a_restart(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_command("playbook")
    assert "Eigene Einträge aktiv: 0" in (await admin.next_message()).text
    admin.send_document(VALID.encode(), "team.yaml", "application/x-yaml")
    assert "Einträge: 1" in (await admin.next_message()).text
    await harness.restart()
    rep = await onboarded(harness, 9002)
    rep.send_text("Blitzblank ist viel günstiger")
    card = await rep.next_message()
    assert "Blitzblank" in card.text
    assert "Was genau enthält das Angebot" in card.text


async def test_bad_upload_is_explained_and_the_old_playbook_stays(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_document(VALID.encode(), "team.yaml")
    await admin.next_message()
    broken = VALID.replace("category: price", "category: weather").replace(
        "      - Verstehe. Darf ich fragen, wie zufrieden Sie bisher mit deren Service sind?\n", ""
    )
    admin.send_document(broken.encode(), "team.yaml")
    refused = await admin.next_message()
    assert "bisherige Playbook bleibt in Kraft" in refused.text
    assert "Diese Kategorie gibt es nicht" in refused.text
    admin.send_document(b"\xff\xfe not utf-8", "team.yaml")
    assert "kein gültiges YAML" in (await admin.next_message()).text
    admin.send_document(b"entries: [unclosed", "team.yaml")
    assert "kein gültiges YAML" in (await admin.next_message()).text
    admin.send_text("Blitzblank ist viel günstiger")
    assert "Blitzblank" in (await admin.next_message()).text, "the valid upload is still in force"


async def test_reps_cannot_change_the_playbook(harness: Harness) -> None:
    rep = await onboarded(harness, 9003)
    rep.send_command("playbook")
    assert "nur Teamleiter" in (await rep.next_message()).text
    rep.send_document(VALID.encode(), "team.yaml")
    assert "Damit kann ich noch nichts anfangen" in (await rep.next_message()).text
    assert await harness.storage.team_playbooks.all() == {}
