"""A team lead's own practice-call scenarios: an uploaded YAML file, validated like the built-in
scenarios (bot.scenarios) and put in force for the /rollenspiel picker next to them.

The file holds a list `scenarios` of scenarios in the built-in format (one built-in file's
content per item), or a single scenario. It is validated as a whole against the language's
playbook (built-in and team entries) and cue lists; one problem refuses the whole file and
names the scenario and field, so nothing changes on a bad file.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

import yaml

from bot.coach.objections import Playbook
from bot.coach.roleplay import Scenario, ScenarioError, parse_scenario
from bot.playbook import MAX_TEAM_BYTES
from bot.scenarios import Roleplays

MAX_TEAM_SCENARIOS: Final = 20
LIST_KEY: Final = "scenarios"
# Problem kinds the handler words in the admin's language (team.yaml: scenarios.error.<kind>;
# for `invalid`, the validator's problem kind: scenarios.problem.<problem>).
TOO_LARGE: Final = "too_large"
YAML: Final = "yaml"
SHAPE: Final = "shape"
TOO_MANY: Final = "too_many"
BUILT_IN: Final = "built_in"
REPEATED: Final = "repeated"
INVALID: Final = "invalid"


@dataclass(frozen=True, slots=True)
class TeamScenarioError:
    """Why an upload was refused: the kind, where (scenario and field) and, for `invalid`, what
    the field breaks: the validator's problem kind (bot.coach.roleplay.scenario.PROBLEM_KINDS)
    with the values its wording needs, and its English detail for logs."""

    kind: str
    where: str = ""
    problem: str = ""
    values: Mapping[str, str | int] = field(default_factory=dict)
    detail: str = ""


def looks_like_scenarios(data: Any) -> bool:
    """Whether parsed YAML is meant as scenarios (a playbook is a list or has `entries`)."""
    return isinstance(data, dict) and (LIST_KEY in data or "phases" in data)


def load(source: str) -> Any:
    """The parsed YAML of an upload; None when it is not YAML at all."""
    try:
        # safe_load builds no objects; aliases are resolved by reference.
        return yaml.safe_load(source)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return None


def _items(data: Any) -> list[Any] | TeamScenarioError:
    if isinstance(data, dict) and LIST_KEY in data:
        if set(data) != {LIST_KEY} or not isinstance(data[LIST_KEY], list):
            return TeamScenarioError(SHAPE, LIST_KEY)
        items: list[Any] = data[LIST_KEY]
        return items
    if isinstance(data, dict) and "phases" in data:
        return [data]
    return TeamScenarioError(SHAPE)


def known_objections(playbook: Playbook, team: Playbook | None) -> dict[str, str]:
    """Every objection id a scenario may raise, with the line that raises it (team first)."""
    lines = {entry.id: entry.phrasings[0] for entry in playbook.entries}
    if team is not None:
        lines.update({entry.id: entry.phrasings[0] for entry in team.entries})
    return lines


def parse_team_scenarios(
    source: str, lang: str, built_in: Collection[str], objections: Collection[str]
) -> tuple[Scenario, ...] | TeamScenarioError:
    """Validate an admin's upload; never raises, a problem comes back as data."""
    if len(source.encode("utf-8", "surrogatepass")) > MAX_TEAM_BYTES:
        return TeamScenarioError(TOO_LARGE)
    data = load(source)
    if data is None and source.strip():
        return TeamScenarioError(YAML)
    items = _items(data)
    if isinstance(items, TeamScenarioError):
        return items
    if len(items) > MAX_TEAM_SCENARIOS:
        return TeamScenarioError(TOO_MANY)
    found: list[Scenario] = []
    for index, item in enumerate(items):
        where = f"{LIST_KEY}[{index}]"
        raw_id = item.get("id") if isinstance(item, dict) else None
        name = raw_id if isinstance(raw_id, str) and raw_id else where
        try:
            scenario = parse_scenario(
                item, lang=lang, file_id=name, known_objections=frozenset(objections)
            )
        except ScenarioError as exc:
            return TeamScenarioError(
                INVALID, f"{name}: {exc.field}", exc.kind, exc.values, exc.problem
            )
        except RecursionError:
            return TeamScenarioError(YAML)
        if scenario.id in built_in:
            return TeamScenarioError(BUILT_IN, f"{name}: id")
        if any(other.id == scenario.id for other in found):
            return TeamScenarioError(REPEATED, f"{name}: id")
        found.append(scenario)
    return tuple(found)


def with_team(
    book: Roleplays, scenarios: Sequence[Scenario], objection_lines: Mapping[str, str]
) -> Roleplays:
    """The built-in book with the team's scenarios after the built-in ones."""
    merged = {**book.scenarios, **{scenario.id: scenario for scenario in scenarios}}
    return Roleplays(
        lang=book.lang,
        scenarios=MappingProxyType(merged),
        cues=book.cues,
        objection_lines=MappingProxyType({**book.objection_lines, **objection_lines}),
    )
