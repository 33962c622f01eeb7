"""Team scenario files (pure validation): the accepted shapes and every way a file is refused."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.content import DEFAULT_PROMPTS
from bot.playbook import MAX_TEAM_BYTES, load_playbooks
from bot.scenarios import FOLDER
from bot.team_scenarios import (
    BUILT_IN,
    INVALID,
    MAX_TEAM_SCENARIOS,
    REPEATED,
    SHAPE,
    TOO_LARGE,
    TOO_MANY,
    YAML,
    TeamScenarioError,
    looks_like_scenarios,
    parse_team_scenarios,
)

BUILT_INS = frozenset({"gatekeeper", "cold_call"})


def objections() -> frozenset[str]:
    return frozenset(entry.id for entry in load_playbooks(DEFAULT_PROMPTS)["de"].entries)


def scenario(scenario_id: str = "team_messe") -> dict[str, Any]:
    path = DEFAULT_PROMPTS / "de" / FOLDER / "gatekeeper.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**data, "id": scenario_id}


def parse(source: str) -> Any:
    return parse_team_scenarios(source, "de", BUILT_INS, objections())


def test_a_list_or_a_single_scenario_is_accepted() -> None:
    listed = parse(yaml.safe_dump({"scenarios": [scenario("a"), scenario("b")]}))
    assert [s.id for s in listed] == ["a", "b"]
    single = parse(yaml.safe_dump(scenario("solo")))
    assert [s.id for s in single] == ["solo"]
    assert parse("scenarios: []") == ()


def test_playbook_files_are_not_taken_for_scenarios() -> None:
    assert not looks_like_scenarios([{"id": "x"}])
    assert not looks_like_scenarios({"entries": []})
    assert looks_like_scenarios({"scenarios": []})
    assert looks_like_scenarios(scenario())


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("x" * (MAX_TEAM_BYTES + 1), TOO_LARGE),
        ("scenarios: [unclosed", YAML),
        ("", SHAPE),
        ("scenarios: {a: 1}", SHAPE),
        ("scenarios: []\nentries: []", SHAPE),
        (
            yaml.safe_dump(
                {"scenarios": [scenario(f"s{n}") for n in range(MAX_TEAM_SCENARIOS + 1)]}
            ),
            TOO_MANY,
        ),
        (yaml.safe_dump({"scenarios": [scenario("gatekeeper")]}), BUILT_IN),
        (yaml.safe_dump({"scenarios": [scenario("a"), scenario("a")]}), REPEATED),
        (yaml.safe_dump({"scenarios": ["not a mapping"]}), INVALID),
        (yaml.safe_dump({"scenarios": [{**scenario(), "patience": 99}]}), INVALID),
    ],
)
def test_refused(source: str, kind: str) -> None:
    result = parse(source)
    assert isinstance(result, TeamScenarioError)
    assert result.kind == kind


def test_an_invalid_field_is_named_with_its_scenario() -> None:
    broken = scenario()
    broken["criteria"][0]["check"] = "no_such_check"
    result = parse(yaml.safe_dump({"scenarios": [scenario("fine"), broken]}))
    assert isinstance(result, TeamScenarioError)
    assert result.where.startswith("team_messe: criteria[0]")
    assert "no_such_check" in result.detail
