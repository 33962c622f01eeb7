"""The built-in call-simulation scenarios: valid against the playbook, the same in both
languages, and the scripted runs of tests/data/roleplay_runs.yaml play out as intended."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.coach.roleplay import (
    CHECKS,
    CallState,
    Cues,
    Scenario,
    TurnContext,
    answer,
    check_pair,
    parse_cues,
    parse_scenario,
    score,
    start,
)
from bot.content import DEFAULT_PROMPTS
from bot.playbook import LANGUAGES, load_pitch_rubrics, load_playbooks, load_rubrics

ROLEPLAY = Path("roleplay")
RUNS_FILE = Path(__file__).parent / "data" / "roleplay_runs.yaml"


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _files(lang: str) -> list[Path]:
    folder = DEFAULT_PROMPTS / lang / ROLEPLAY
    return sorted(path for path in folder.glob("*.yaml") if not path.name.startswith("_"))


@functools.cache
def _objection_lines(lang: str) -> dict[str, str]:
    playbook = load_playbooks()[lang]
    return {entry.id: entry.phrasings[0] for entry in playbook.entries}


@functools.cache
def scenarios(lang: str) -> dict[str, Scenario]:
    known = frozenset(_objection_lines(lang))
    return {
        path.stem: parse_scenario(_read(path), lang=lang, file_id=path.stem, known_objections=known)
        for path in _files(lang)
    }


@functools.cache
def cues(lang: str) -> Cues:
    return parse_cues(
        _read(DEFAULT_PROMPTS / lang / ROLEPLAY / "_cues.yaml"),
        lang=lang,
        rubric=load_rubrics()[lang],
        pitch=load_pitch_rubrics()[lang],
        file_id=f"{lang}/_cues",
    )


@functools.cache
def runs() -> dict[str, Any]:
    data = _read(RUNS_FILE)
    assert isinstance(data, dict)
    return data


SCENARIO_IDS = [path.stem for path in _files("de")]


def test_the_six_scenarios_of_the_issue_exist_in_both_languages() -> None:
    for lang in LANGUAGES:
        assert len(scenarios(lang)) >= 6
        assert all(scenario.seed for scenario in scenarios(lang).values())
    assert sorted(scenarios("de")) == sorted(scenarios("en"))
    seeds = sorted(scenario.seed or "" for scenario in scenarios("de").values())
    assert {"000", "001", "002", "003", "004"} <= set(seeds)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_cue_lists_parse(lang: str) -> None:
    assert cues(lang).lang == lang


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_both_languages_have_the_same_structure(scenario_id: str) -> None:
    assert check_pair(scenarios("de")[scenario_id], scenarios("en")[scenario_id]) == ()


def test_every_scenario_has_runs_in_both_languages() -> None:
    assert sorted(runs()["runs"]) == sorted(SCENARIO_IDS)
    for scenario_id, by_lang in runs()["runs"].items():
        assert sorted(by_lang) == sorted(LANGUAGES), scenario_id
        for lang_runs in by_lang.values():
            assert sorted(lang_runs) == ["good", "weak"], scenario_id


def play(scenario_id: str, lang: str, kind: str) -> tuple[Scenario, CallState]:
    scenario = scenarios(lang)[scenario_id]
    run = runs()["runs"][scenario_id][lang][kind]
    state, _ = start(scenario, runs().get("difficulty", "medium"), lang)
    for index, text in enumerate(run["turns"]):
        assert state.ended is None, f"{kind} run of {scenario_id}/{lang} ended before turn {index}"
        state, _ = answer(scenario, cues(lang), state, text, objection_lines=_objection_lines(lang))
    return scenario, state


CASES = [(scenario_id, lang) for scenario_id in SCENARIO_IDS for lang in LANGUAGES]


@pytest.mark.parametrize(("scenario_id", "lang"), CASES)
def test_a_good_run_reaches_the_goal_with_nearly_every_criterion(
    scenario_id: str, lang: str
) -> None:
    scenario, state = play(scenario_id, lang, "good")
    card = score(scenario, state)
    missed = [result.id for result in card.criteria if not result.met]
    assert state.ended == "success", [(turn.phase, turn.met) for turn in state.turns]
    assert card.met >= card.total - 1, missed


@pytest.mark.parametrize(("scenario_id", "lang"), CASES)
def test_a_weak_run_ends_early_with_fewer_criteria(scenario_id: str, lang: str) -> None:
    scenario, state = play(scenario_id, lang, "weak")
    good = score(*play(scenario_id, lang, "good"))
    card = score(scenario, state)
    assert state.ended is not None
    assert state.ended != "success"
    assert card.met < good.met


@pytest.mark.parametrize(("scenario_id", "lang"), CASES)
@pytest.mark.parametrize("kind", ["good", "weak"])
def test_runs_play_out_as_the_runs_file_expects(scenario_id: str, lang: str, kind: str) -> None:
    scenario, state = play(scenario_id, lang, kind)
    expect = runs()["runs"][scenario_id][lang][kind].get("expect", {})
    card = score(scenario, state)
    actual = {
        "ended": state.ended,
        "phases": [turn.phase for turn in state.turns],
        "weak_turns": [index + 1 for index, turn in enumerate(state.turns) if turn.weak],
        "met": sorted(result.id for result in card.criteria if result.met),
    }
    wanted = {key: sorted(value) if key == "met" else value for key, value in expect.items()}
    assert {key: actual[key] for key in wanted} == wanted


# Natural phrasings a rep types, and what each check makes of them with the real word lists.
PHRASINGS = [
    ("de", "reason_for_call", "Ich melde mich, weil Sie unsere Anfrage gesehen haben.", True),
    ("de", "reason_for_call", "Ich rufe wegen unseres Angebots an.", True),
    ("de", "reason_for_call", "Hallo, hier ist Weber. Haben Sie kurz Zeit?", False),
    ("de", "open_question", "Und woran hakt es noch?", True),
    ("de", "open_question", "Darf ich fragen, was Sie davon abhält?", True),
    ("de", "open_question", "Wieviel Zeit kostet Sie das pro Woche?", True),
    ("de", "open_question", "Könnten Sie sich vorstellen, das zu testen?", False),
    ("de", "open_question", "Passt Ihnen Donnerstag?", False),
    ("de", "acknowledge", "Alles klar, danke für die Offenheit.", True),
    ("de", "acknowledge", "Wir haben die beste Lösung.", False),
    ("de", "customer_value", "Damit haben Sie am Wochenende mehr Ruhe.", True),
    ("de", "customer_value", "Wir sind Marktführer.", False),
    ("de", "next_step_date", "Wie wäre Donnerstag um 10?", True),
    ("de", "next_step_date", "Ich rufe Sie morgen Vormittag an.", True),
    ("de", "next_step_date", "Können wir einen Termin um halb zehn machen?", True),
    ("de", "next_step_date", "Wir sind seit 10 Jahren am Markt.", False),
    ("de", "next_step_date", "Ich schicke Ihnen was per Mail.", False),
    ("de", "ok_next_contact", "Wäre es in Ordnung, wenn ich mich im Herbst melde?", True),
    ("de", "ok_next_contact", "Darf ich Sie nächste Woche noch mal anrufen?", True),
    ("de", "ok_next_contact", "Ich rufe Sie wieder an.", False),
    ("de", "empathy", "Das kann ich mir gut vorstellen.", True),
    ("de", "referral_ask", "Kennen Sie jemanden, der ähnliche Probleme hat?", True),
    ("de", "creative_channel", "Ich komme gern persönlich vorbei.", True),
    ("de", "no_unwanted_question", "Sind Sie denn noch interessiert?", False),
    ("en", "reason_for_call", "The reason for my call is your trade fair.", True),
    ("en", "open_question", "And how do you handle it today?", True),
    ("en", "open_question", "Would that work for you?", False),
    ("en", "acknowledge", "Fair enough, thanks for being open.", True),
    ("en", "customer_value", "Your engineers drive fewer detours.", True),
    ("en", "next_step_date", "Could we meet on Wednesday at 2:30 pm?", True),
    ("en", "next_step_date", "Can we book 20 minutes on March 12?", True),
    ("en", "next_step_date", "We have been around for 10 years.", False),
    ("en", "ok_next_contact", "Would it be alright if I got back to you in autumn?", True),
    ("en", "ok_next_contact", "May I explain what we do?", False),
    ("en", "empathy", "Oh, I'm sorry to hear that.", True),
    ("en", "referral_ask", "Do you know anyone with the same problem?", True),
    ("en", "creative_channel", "Could I drop by for a coffee?", True),
    ("en", "no_unwanted_question", "Any other questions?", False),
]


@pytest.mark.parametrize(("lang", "check", "text", "expected"), PHRASINGS)
def test_natural_phrasings_with_the_real_word_lists(
    lang: str, check: str, text: str, expected: bool
) -> None:
    turn = TurnContext(call_turn=1, phase_turn=1, customer_line="")
    assert CHECKS[check](text, cues(lang), turn) is expected


@pytest.mark.parametrize(("scenario_id", "lang"), CASES)
def test_on_hard_the_customer_raises_a_second_objection(scenario_id: str, lang: str) -> None:
    scenario = scenarios(lang)[scenario_id]
    run = runs()["runs"][scenario_id][lang]["good"]
    phases = run["expect"]["phases"]
    state, _ = start(scenario, "hard", lang)
    lines = _objection_lines(lang)
    second = []
    for text, phase_id in zip(run["turns"], phases, strict=True):
        phase = next(phase for phase in scenario.phases if phase.id == phase_id)
        # A phase with two objections needs the answer twice: once for each.
        for _ in range(2 if len(phase.objections) > 1 else 1):
            state, line = answer(scenario, cues(lang), state, text, objection_lines=lines)
            if len(phase.objections) > 1 and phase.objections[1] not in second:
                second.append(phase.objections[1])
                assert line.endswith(lines[phase.objections[1]])
    assert state.ended == "success"
    assert set(second) <= set(state.objections_raised)
    assert len(state.objections_raised) > len(second)
