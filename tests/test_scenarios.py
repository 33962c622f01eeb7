"""Loading the practice calls at start and in `sales-coach check-content`: the built-in files
load in picker order, and a broken file is named with its path and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bot.__main__ as cli
from bot.content import DEFAULT_PROMPTS
from bot.playbook import load_pitch_rubrics, load_playbooks, load_rubrics
from bot.scenarios import ScenarioFileError, load_roleplays


def _load(prompts: Path) -> None:
    load_roleplays(
        load_playbooks(prompts), load_rubrics(prompts), load_pitch_rubrics(prompts), prompts
    )


@pytest.fixture
def prompts(tmp_path: Path) -> Path:
    """A copy of the built-in prompts to break."""
    target = tmp_path / "prompts"
    shutil.copytree(DEFAULT_PROMPTS, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_built_in_scenarios_load_by_seed_with_the_playbooks_phrasing() -> None:
    playbooks = load_playbooks()
    books = load_roleplays(playbooks, load_rubrics(), load_pitch_rubrics())
    assert sorted(books) == ["de", "en"]
    for lang, book in books.items():
        seeds = [scenario.seed or "" for scenario in book.scenarios.values()]
        assert seeds == sorted(seeds)
        assert len(book.scenarios) >= 6
        no_need = next(e for e in playbooks[lang].entries if e.id == "no_need")
        assert book.objection_lines["no_need"] == no_need.phrasings[0]
    assert list(books["de"].scenarios) == list(books["en"].scenarios)


def test_a_broken_scenario_is_named_with_its_path_and_field(prompts: Path) -> None:
    path = prompts / "de" / "roleplay" / "cold_call.yaml"
    _edit(path, "patience: 3", "patience: 30")
    with pytest.raises(ScenarioFileError) as error:
        _load(prompts)
    assert str(path) in str(error.value)
    assert "patience" in str(error.value)


def test_broken_yaml_is_named_with_its_path(prompts: Path) -> None:
    path = prompts / "en" / "roleplay" / "gatekeeper.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  : [", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=r"gatekeeper\.yaml"):
        _load(prompts)


def test_the_languages_must_have_the_same_scenarios(prompts: Path) -> None:
    (prompts / "en" / "roleplay" / "after_sales.yaml").unlink()
    with pytest.raises(ScenarioFileError, match="only in de: \\['after_sales'\\]"):
        _load(prompts)


def test_the_languages_must_have_the_same_structure(prompts: Path) -> None:
    path = prompts / "en" / "roleplay" / "cold_call.yaml"
    _edit(path, "max_turns: 8", "max_turns: 9")
    with pytest.raises(ScenarioFileError) as error:
        _load(prompts)
    assert str(path) in str(error.value)
    assert "max_turns" in str(error.value)


def test_check_content_reports_a_broken_scenario_with_its_path(
    prompts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    assert cli.main(["check-content"]) == 0
    assert "6 roleplays per language are valid" in capsys.readouterr().out
    path = prompts / "de" / "roleplay" / "fourth_attempt.yaml"
    _edit(path, "objections: [", "objections: [no_such_objection, ")
    monkeypatch.setattr(cli, "PROMPTS_DIR", prompts)
    assert cli.main(["check-content"]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert str(path) in err
    assert "no_such_objection" in err
