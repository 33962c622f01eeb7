"""Parsing and validating call-simulation scenarios and cue lists."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.roleplay import ScenarioError, check_pair, parse_cues, parse_scenario
from bot.playbook import load_rubrics
from tests.coach.roleplay_data import CUES, KNOWN, build, scenario_data


def parse(data: Any, file_id: str = "cold_call") -> Any:
    return parse_scenario(data, lang="de", file_id=file_id, known_objections=KNOWN)


def test_a_valid_scenario_parses() -> None:
    scenario = build()
    assert scenario.id == "cold_call"
    assert scenario.lang == "de"
    assert scenario.persona.name == "Sabine Berger"
    assert [phase.id for phase in scenario.phases] == ["opening", "objection", "close"]
    assert scenario.phases[1].objections == ("no_need", "no_time")
    assert scenario.phases[1].required == ("acknowledge", "open_question")
    assert scenario.phases[1].raise_line == "Wir haben keinen Bedarf."
    assert scenario.criterion("value").check == "customer_value"
    with pytest.raises(KeyError):
        scenario.criterion("nope")


def test_an_unquoted_seed_is_the_article_number() -> None:
    assert build(seed=1).seed == "001"
    assert build(seed=None).seed is None


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _drop(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set(("id",), "other"), "id"),
        (_set(("id",), "Cold-Call"), "id"),
        (_set(("starts",), "both"), "starts"),
        (_set(("patience",), 0), "patience"),
        (_set(("patience",), 11), "patience"),
        (_set(("patience",), True), "patience"),
        (_set(("max_turns",), 2), "max_turns"),
        (_set(("max_turns",), 21), "max_turns"),
        (_set(("title",), "x" * 41), "title"),
        (_set(("goal",), "   "), "goal"),
        (_set(("opening",), "x" * 501), "opening"),
        (_set(("summary",), 5), "summary"),
        (_drop(("persona", "mood")), "persona.mood"),
        (_set(("persona", "age"), "40"), "persona.age"),
        (_set(("colour",), "blue"), "colour"),
        (_set(("phases",), []), "phases"),
        (_set(("phases", 1, "checks"), ["acknowledge", "nope"]), "phases[1] (objection).checks[1]"),
        (_set(("phases", 1, "pass"), ["reason_early"]), "phases[1] (objection).pass[0]"),
        (_set(("phases", 1, "pass"), []), "phases[1] (objection).pass"),
        (_set(("phases", 1, "objections"), ["no_need", "unknown"]), "objections[1]"),
        (_set(("phases", 0, "raise"), "Kein Bedarf."), "phases[0] (opening).raise"),
        (_set(("phases", 0, "good"), []), "phases[0] (opening).good"),
        (_set(("phases", 1, "weak"), []), "phases[1] (objection).weak"),
        (_set(("phases", 1, "weak"), ["ok", ""]), "phases[1] (objection).weak[1]"),
        (_set(("phases", 1, "good"), "one line"), "phases[1] (objection).good"),
        (_set(("phases", 2, "id"), "opening"), "phases[2].id"),
        (_set(("phases", 2, "pass_"), ["next_step"]), "phases[2] (close).pass_"),
        (_set(("criteria", 0, "check"), "be_nice"), "criteria[0] (reason_early).check"),
        (_set(("criteria", 1, "id"), "reason_early"), "criteria[1] (reason_early).id"),
        (_set(("criteria", 2, "label"), ""), "criteria[2] (acknowledge).label"),
        (_drop(("criteria", 2, "model")), "criteria[2] (acknowledge).model"),
        (_drop(("end", "turn_limit")), "end.turn_limit"),
    ],
)
def test_errors_name_the_file_and_field(
    change: Callable[[dict[str, Any]], None], field: str
) -> None:
    data = scenario_data()
    change(data)
    with pytest.raises(ScenarioError) as caught:
        parse(data)
    assert str(caught.value).startswith("cold_call: ")
    assert field in caught.value.field
    assert isinstance(caught.value, ValueError)


def test_criteria_count_and_use_are_checked() -> None:
    data = scenario_data()
    data["criteria"] = data["criteria"][:3]
    with pytest.raises(ScenarioError, match="criteria: must have 4 to 7"):
        parse(data)
    data = scenario_data()
    data["phases"][2]["checks"] = ["next_step"]
    with pytest.raises(ScenarioError, match=r"criteria\[6\] \(value\): no phase checks it"):
        parse(data)


def test_the_last_phase_may_have_no_lines_but_others_must() -> None:
    data = scenario_data()
    data["phases"][2]["weak"] = []
    assert parse(data).phases[2].weak == ()


def test_a_turn_limit_below_the_phases_is_an_error() -> None:
    data = scenario_data()
    data["phases"][1:1] = [
        {**copy.deepcopy(data["phases"][0]), "id": f"extra_{i}"} for i in range(2)
    ]
    data["max_turns"] = 4
    with pytest.raises(ScenarioError, match="max_turns"):
        parse(data)


def test_not_a_mapping() -> None:
    with pytest.raises(ScenarioError, match=r"cold_call: \(file\)"):
        parse(["id", "cold_call"])


def test_check_pair_finds_no_difference_between_matching_languages() -> None:
    assert check_pair(build("de"), build("en")) == ()


def test_check_pair_lists_structural_differences() -> None:
    en = scenario_data("en")
    en["phases"][1]["pass"] = ["acknowledge"]
    en["criteria"][5], en["criteria"][6] = en["criteria"][6], en["criteria"][5]
    en["patience"] = 4
    english = parse_scenario(en, lang="en", file_id="cold_call", known_objections=KNOWN)
    problems = check_pair(build("de"), english)
    assert any("phases.objection.pass" in p for p in problems)
    assert any(p.startswith("cold_call: criteria:") for p in problems)
    assert any("patience" in p for p in problems)
    assert len(problems) == 3


def test_cues_parse_and_join_the_rubric() -> None:
    rubric = load_rubrics()["de"]
    cues = parse_cues(CUES["de"], lang="de", rubric=rubric)
    assert cues.rubric is rubric
    assert cues.words("empathy") == tuple(CUES["de"]["empathy"])
    assert cues.pitch is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("empathy"), "empathy"),
        (lambda d: d.update(empathy=[]), "empathy"),
        (lambda d: d.update(empathy="tut mir leid"), "empathy"),
        (lambda d: d.update(empathy=["ok", 3]), "empathy[1]"),
        (lambda d: d.update(sympathy=["x"]), "sympathy"),
    ],
)
def test_cue_errors_name_the_list(change: Callable[[dict[str, Any]], Any], field: str) -> None:
    data = copy.deepcopy(CUES["de"])
    change(data)
    with pytest.raises(ScenarioError) as caught:
        parse_cues(data, lang="de", rubric=load_rubrics()["de"], file_id="de/_cues")
    assert caught.value.field == field
    assert str(caught.value).startswith("de/_cues: ")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 30) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
paths = st.sampled_from(
    [
        ("id",),
        ("seed",),
        ("persona",),
        ("persona", "name"),
        ("phases",),
        ("phases", 0),
        ("phases", 1, "objections"),
        ("phases", 1, "raise"),
        ("phases", 2, "checks"),
        ("criteria",),
        ("criteria", 3),
        ("criteria", 3, "check"),
        ("end",),
        ("patience",),
        ("max_turns",),
    ]
)


@settings(max_examples=200, deadline=None)
@given(path=paths, value=json_values)
def test_any_broken_field_is_a_scenario_error(path: tuple[str | int, ...], value: Any) -> None:
    data = scenario_data()
    _set(path, value)(data)
    error = None
    try:
        parse(data)
    except ScenarioError as caught:
        error = caught
    if error is not None:
        assert error.file_id == "cold_call"
        assert error.field


@settings(max_examples=100, deadline=None)
@given(data=json_values)
def test_any_data_is_a_scenario_or_a_scenario_error(data: Any) -> None:
    with pytest.raises(ScenarioError):
        parse(data)
    with pytest.raises(ScenarioError):
        parse_cues(data, lang="de", rubric=load_rubrics()["de"])
