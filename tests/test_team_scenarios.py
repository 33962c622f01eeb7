"""Team scenario files (pure validation): the accepted shapes and every way a file is refused."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.coach.roleplay import scenario as scenario_module
from bot.coach.roleplay.scenario import MAX_SHOWN, PROBLEM_KINDS, PROBLEM_MESSAGES
from bot.content import DEFAULT_PROMPTS, load_content, placeholders
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
    assert result.problem == "unknown_check"
    assert result.values["item"] == "no_such_check"
    assert "'no_such_check' is no built-in check" in result.detail, "English, for logs"


def test_a_long_value_from_the_file_is_shortened() -> None:
    broken = scenario()
    broken["phases"][0]["pass"] = ["x" * 5000]
    result = parse(yaml.safe_dump({"scenarios": [broken]}))
    assert isinstance(result, TeamScenarioError)
    assert result.problem == "not_in_checks"
    assert result.values["item"] == "x" * (MAX_SHOWN - 1) + "…", "a chat message stays short"


def _fail_kinds() -> set[str]:
    """The problem kinds scenario.py raises: the literal second argument of each `.fail(...)`."""
    tree = ast.parse(Path(scenario_module.__file__).read_text(encoding="utf-8"))
    kinds: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "fail"
            and len(node.args) == 2
        ):
            kind = node.args[1]
            assert isinstance(kind, ast.Constant), ast.unparse(node)
            assert isinstance(kind.value, str), ast.unparse(node)
            kinds.add(kind.value)
    return kinds


def test_every_problem_kind_raised_is_listed_and_worded_in_both_languages() -> None:
    raised = _fail_kinds()
    assert raised == set(PROBLEM_KINDS), "each kind raised is listed, each listed one raised"
    content = load_content()
    for kind in PROBLEM_KINDS:
        # The admin's text uses the values the developer message has (quotes aside).
        wanted = placeholders(PROBLEM_MESSAGES[kind])
        for lang in content.languages:
            key = f"team.scenarios.problem.{kind}"
            assert key in content.texts[lang], (lang, key)
            text = content.texts[lang][key]
            assert isinstance(text, str)
            assert placeholders(text) == wanted, (lang, kind)
