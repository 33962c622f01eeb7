"""Loads and validates the call-simulation scenarios (prompts/<lang>/roleplay/*.yaml).

Parsed once at start-up, next to the playbooks they name: every scenario against its language's
playbook, the cue lists with the drill and pitch rubrics, and both languages against each other
(the same ids, phases and criteria). A broken file stops the bot, and `sales-coach
check-content`, with a message that names the file and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import yaml

from bot.coach.drill import Rubric
from bot.coach.objections import Playbook
from bot.coach.pitch import PitchRubric
from bot.coach.roleplay import Cues, Scenario, ScenarioError, check_pair, parse_cues, parse_scenario
from bot.content import DEFAULT_PROMPTS, ContentError, read_yaml

FOLDER: Final = Path("roleplay")
CUES_FILE: Final = "_cues.yaml"


class ScenarioFileError(ContentError):
    """A built-in scenario or cue file is broken; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class Roleplays:
    """One language's practice calls: the scenarios in picker order (by seed article, then id),
    the engine's word lists, and the playbook's phrasing of each objection a customer raises."""

    lang: str
    scenarios: Mapping[str, Scenario]
    cues: Cues
    objection_lines: Mapping[str, str]

    def get(self, scenario_id: str) -> Scenario | None:
        """A scenario by id, or None."""
        return self.scenarios.get(scenario_id)


def _read(path: Path) -> Any:
    try:
        return read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ScenarioFileError(f"{path}: {exc}") from None


def _files(folder: Path) -> list[Path]:
    # Files starting with "_" hold what the scenarios share (the cue lists), not a scenario.
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def load_language(
    folder: Path, lang: str, playbook: Playbook, rubric: Rubric, pitch: PitchRubric | None = None
) -> Roleplays:
    """The scenarios and cue lists of one language folder (prompts/<lang>/roleplay/)."""
    lines = {entry.id: entry.phrasings[0] for entry in playbook.entries}
    known = frozenset(lines)
    scenarios: list[Scenario] = []
    for path in _files(folder):
        try:
            scenarios.append(
                parse_scenario(_read(path), lang=lang, file_id=path.stem, known_objections=known)
            )
        except ScenarioError as exc:
            raise ScenarioFileError(f"{path}: {exc.field}: {exc.problem}") from None
    if not scenarios:
        raise ScenarioFileError(f"{folder}: no scenario files")
    cues_path = folder / CUES_FILE
    try:
        cues = parse_cues(
            _read(cues_path), lang=lang, rubric=rubric, pitch=pitch, file_id=f"{lang}/_cues"
        )
    except ScenarioError as exc:
        raise ScenarioFileError(f"{cues_path}: {exc.field}: {exc.problem}") from None
    scenarios.sort(key=lambda scenario: (scenario.seed or "", scenario.id))
    return Roleplays(
        lang=lang,
        scenarios=MappingProxyType({scenario.id: scenario for scenario in scenarios}),
        cues=cues,
        objection_lines=MappingProxyType(lines),
    )


def load_roleplays(
    playbooks: Mapping[str, Playbook],
    rubrics: Mapping[str, Rubric],
    pitch_rubrics: Mapping[str, PitchRubric],
    prompts_dir: Path = DEFAULT_PROMPTS,
) -> dict[str, Roleplays]:
    """Every language's scenarios, checked to match the other languages file for file."""
    books = {
        lang: load_language(
            prompts_dir / lang / FOLDER,
            lang,
            playbooks[lang],
            rubrics[lang],
            pitch_rubrics.get(lang),
        )
        for lang in playbooks
    }
    first, *others = list(books)
    for lang in others:
        mine, theirs = books[first].scenarios, books[lang].scenarios
        if set(mine) != set(theirs):
            raise ScenarioFileError(
                f"{prompts_dir}: scenario files differ between {first} and {lang}: "
                f"only in {first}: {sorted(set(mine) - set(theirs))}, "
                f"only in {lang}: {sorted(set(theirs) - set(mine))}"
            )
        for scenario_id in mine:
            problems = check_pair(mine[scenario_id], theirs[scenario_id])
            if problems:
                path = prompts_dir / lang / FOLDER / f"{scenario_id}.yaml"
                raise ScenarioFileError(f"{path}: {'; '.join(problems)}")
    return books
