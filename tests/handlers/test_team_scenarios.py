"""Team scenarios end to end: a team lead uploads their own practice calls as YAML; a valid file
is in force at once in /rollenspiel (and after a restart) and can be downloaded; a bad one is
explained by scenario and field and changes nothing; reps cannot upload."""

from __future__ import annotations

from typing import Any

import yaml

from bot.content import DEFAULT_PROMPTS
from bot.scenarios import FOLDER
from tests.handlers.conftest import Harness, onboarded
from tests.handlers.test_roleplay import MEDIUM, play, roleplays, run_turns
from tests.handlers.test_team import VALID as TEAM_PLAYBOOK
from tests.handlers.test_team import make_admin

ADMIN = 9001
REP = 9620
TITLE = "Nach der Messe"


def built_in(scenario_id: str = "gatekeeper", lang: str = "de") -> dict[str, Any]:
    data = yaml.safe_load((DEFAULT_PROMPTS / lang / FOLDER / f"{scenario_id}.yaml").read_text())
    assert isinstance(data, dict)
    return data


def team_file(*scenarios: dict[str, Any]) -> bytes:
    return yaml.safe_dump({"scenarios": list(scenarios)}, allow_unicode=True).encode()


def messe(**changes: Any) -> dict[str, Any]:
    """The gatekeeper call as a team's own: a new id and title, the same phases and lines."""
    return {**built_in(), "id": "team_messe", "title": TITLE, **changes}


async def picker_labels(user: Any, command: str = "rollenspiel") -> list[str]:
    user.send_command(command)
    return list((await user.next_message()).button_labels)


async def test_an_upload_is_in_force_at_once_playable_and_kept(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    rep = await onboarded(harness, REP)
    english = await onboarded(harness, REP + 1, "en")
    admin.send_document(team_file(messe()), "szenarien.yaml", "application/x-yaml")
    saved = (await admin.next_message()).text
    assert "Übungsgespräche übernommen (Deutsch): 1 eigene – „Nach der Messe“" in saved

    labels = await picker_labels(rep)
    assert labels[-1] == TITLE, "after the built-in ones"
    assert len(labels) == len(roleplays(harness, "de").scenarios)
    assert TITLE not in await picker_labels(english, "roleplay"), "German only"

    # The rep plays it like any scenario, to its scorecard and stored result.
    rep.send_command("rollenspiel")
    picker = await rep.next_message()
    rep.press(TITLE, message=picker)
    await rep.wait_for(lambda: picker.edit_count > 0)
    rep.press(MEDIUM["de"], message=picker)
    await rep.next_message()  # persona and goal
    await rep.next_message()  # the assistant picks up
    _, card = await play(rep, run_turns("gatekeeper", "de", "good"))
    assert TITLE in card.text
    (result,) = await harness.storage.roleplay.results(REP, "team_messe")
    assert result.outcome == "success"

    await harness.restart()
    assert (await picker_labels(rep))[-1] == TITLE, "stored, in force after a restart"
    admin.send_command("playbook")
    status = await admin.next_message()
    assert "Eigene Übungsgespräche (1 aktiv)" in status.text
    admin.press("⬇️ Übungsgespräche herunterladen", message=status)
    document = await admin.next_message()
    assert document.file is not None
    assert document.file.file_name == "team-scenarios-de.yaml"
    assert yaml.safe_load(document.file.data) == {"scenarios": [messe()]}, "the file as uploaded"


async def test_a_bad_file_names_scenario_and_field_and_changes_nothing(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_document(team_file(messe()), "szenarien.yaml")
    await admin.next_message()
    stored = await harness.storage.team_scenarios.all()

    broken = messe(title="Neu")
    broken["phases"][0]["pass"] = ["not_a_criterion"]
    cases = [
        (team_file(messe(), broken), "team_messe: phases[0] (opening).pass[0]"),
        (team_file(built_in()), "gatekeeper: id: Diese id hat schon ein eingebautes Gespräch"),
        (team_file(messe(), messe()), "team_messe: id: Diese id kommt in der Datei zweimal vor"),
        (b"scenarios: [unclosed", "kein gültiges YAML"),
        (b"scenarios: {id: x}\nentries: []", "Erwartet wird eine Liste"),
    ]
    for data, expected in cases:
        admin.send_document(data, "szenarien.yaml")
        reply = (await admin.next_message()).text
        assert "nicht übernommen" in reply
        assert expected in reply, reply
    assert await harness.storage.team_scenarios.all() == stored
    rep = await onboarded(harness, REP)
    labels = await picker_labels(rep)
    assert labels[-1] == TITLE
    assert "Neu" not in labels


def not_in_checks() -> tuple[dict[str, Any], str]:
    """The call with its first phase passing on a criterion that phase does not check."""
    scenario = messe()
    first, second = (criterion["id"] for criterion in scenario["criteria"][:2])
    scenario["phases"][0]["checks"] = [second]
    scenario["phases"][0]["pass"] = [first]
    return scenario, first


async def test_a_refused_field_is_explained_in_the_admins_language(harness: Harness) -> None:
    harness.settings = harness.settings.model_copy(update={"admin_ids": (ADMIN, ADMIN + 1)})
    await harness.restart()
    scenario, missing = not_in_checks()
    where = "• team_messe: phases[0] (opening).pass[0]: "
    admins = {}
    for user_id, lang, expected in [
        (ADMIN, "de", f"{where}„{missing}“ steht nicht unter checks dieser Phase – unter pass"),
        (ADMIN + 1, "en", f"{where}“{missing}” isn't under this phase's checks – pass can only"),
    ]:
        admin = admins[lang] = await onboarded(harness, user_id, lang)
        admin.send_document(team_file(scenario), "scenarios.yaml")
        reply = (await admin.next_message()).text
        assert expected in reply, reply
        assert "is not in checks" not in reply, "not the validator's English"

    # A value from the file is shown as written, not read as markup.
    admin = admins["de"]
    broken = messe()
    broken["criteria"][0]["check"] = "<b>nope</b>"
    admin.send_document(team_file(broken), "scenarios.yaml")
    reply = (await admin.next_message()).text
    assert "„<b>nope</b>“ ist keine eingebaute Prüfung. Möglich sind: reason_for_call," in reply


async def test_a_team_scenario_may_raise_the_teams_own_objection(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    scenario = messe()
    scenario["phases"][1]["objections"] = ["cheaper_rival"]
    scenario["phases"][1].pop("raise", None)
    admin.send_document(team_file(scenario), "szenarien.yaml")
    refused = (await admin.next_message()).text
    assert "team_messe: phases[1] (objection).objections[0]" in refused
    assert "„cheaper_rival“ ist kein Eintrag im Playbook" in refused
    assert "is no playbook entry" not in refused
    admin.send_document(TEAM_PLAYBOOK.encode(), "team.yaml")
    assert "Team-Playbook übernommen" in (await admin.next_message()).text
    admin.send_document(team_file(scenario), "szenarien.yaml")
    assert "übernommen (Deutsch): 1 eigene" in (await admin.next_message()).text
    book = roleplays(harness, "de")
    assert book.objection_lines["cheaper_rival"] == "Firma Blitzblank ist viel günstiger als Sie"


async def test_template_download_and_reps_cannot_upload(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_command("playbook")
    status = await admin.next_message()
    assert "(0 aktiv)" in status.text
    admin.press("⬇️ Übungsgespräche herunterladen", message=status)
    template = await admin.next_message()
    assert template.file is not None
    assert yaml.safe_load(template.file.data)["id"] == "cold_call"
    assert "Vorlage" in template.text

    rep = await onboarded(harness, REP)
    rep.send_document(team_file(messe()), "szenarien.yaml")
    await rep.next_message()
    assert await harness.storage.team_scenarios.all() == {}
    assert TITLE not in await picker_labels(rep)


async def test_an_empty_list_leaves_the_built_in_calls_only(harness: Harness) -> None:
    await make_admin(harness)
    admin = await onboarded(harness, ADMIN)
    admin.send_document(team_file(messe()), "szenarien.yaml")
    await admin.next_message()
    admin.send_document(b"scenarios: []\n", "szenarien.yaml")
    assert "Keine eigenen Übungsgespräche mehr (Deutsch)" in (await admin.next_message()).text
    rep = await onboarded(harness, REP)
    assert TITLE not in await picker_labels(rep)
    await harness.restart()
    assert TITLE not in await picker_labels(rep), "the empty file is what is stored"
