"""Call-simulation scenarios and the engine's word lists, parsed and validated from plain data.

A scenario (prompts/<lang>/roleplay/<id>.yaml) is a simulated customer with a persona, a goal,
phases from the opening to the next step, customer lines for good and weak answers, and the
scorecard's criteria. The same scenario exists in both languages with the same structure:
`check_pair` lists where a German and an English file disagree. Errors name the file and the
field, so whoever wrote the file can fix it without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal

from bot.coach.drill import Rubric
from bot.coach.pitch import PitchRubric

Starts = Literal["customer", "rep"]
STARTS: Final = ("customer", "rep")

# The built-in checks a criterion can name (bot/coach/roleplay/checks.py implements them).
CHECK_NAMES: Final = (
    "reason_for_call",
    "open_question",
    "acknowledge",
    "no_but",
    "customer_value",
    "next_step_date",
    "ok_next_contact",
    "short_turn",
    "no_unwanted_question",
    "referral_ask",
    "empathy",
    "creative_channel",
)
# The checks that take a word list from _cues.yaml; the others use the drill rubric only.
CUE_LISTS: Final = (
    "reason_for_call",
    "open_question",
    "customer_value",
    "next_step_date",
    "ok_next_contact",
    "no_unwanted_question",
    "referral_ask",
    "empathy",
    "creative_channel",
)

MAX_TEXT: Final = 500
MAX_TITLE: Final = 40
MAX_CUE: Final = 80
MAX_CUES_PER_LIST: Final = 200
PATIENCE_RANGE: Final = (1, 10)
MAX_TURNS_RANGE: Final = (3, 20)
CRITERIA_RANGE: Final = (4, 7)
_ID: Final = re.compile(r"[a-z0-9_]+")
_KEYS: Final = frozenset(
    {
        "id",
        "seed",
        "title",
        "summary",
        "persona",
        "goal",
        "starts",
        "opening",
        "patience",
        "max_turns",
        "phases",
        "end",
        "criteria",
    }
)
_PHASE_KEYS: Final = frozenset({"id", "checks", "pass", "good", "weak", "objections", "raise"})
_PERSONA_KEYS: Final = ("name", "role", "company", "mood")
_END_KEYS: Final = ("success", "hang_up", "turn_limit")
_CRITERION_KEYS: Final = ("id", "check", "label", "model")


# Values from the file, quoted in the developer message ("'x' is not in checks").
_QUOTED: Final = frozenset({"item", "file"})
# What a field can break, by problem kind, in English for developers and logs (check-content,
# a broken built-in file). The bot words the same kind in the user's language from the content
# (team.yaml: scenarios.problem.<kind>, with the same placeholders plus {field}).
PROBLEM_MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "not_mapping": "must be a mapping of keys to values",
        "key_not_text": "has a key that is not text: {item}",
        "unknown_field": "is not a known field",
        "not_text": "must be text",
        "empty": "must not be empty",
        "too_long": "is {length} characters long, at most {limit} fit",
        "not_int": "must be a whole number",
        "out_of_range": "must be between {low} and {high}, not {value}",
        "bad_id": "must be an id of lower-case letters, digits and _",
        "not_list": "must be a list",
        "repeats": "repeats {item}",
        "no_criterion": "must name at least one criterion",
        "unknown_criterion": "{item} is no criterion",
        "not_in_checks": "{item} is not in checks",
        "unknown_objection": "{item} is no playbook entry",
        "raise_without_objections": "needs objections to raise",
        "criteria_count": "must have {low} to {high} entries, not {count}",
        "unknown_check": "{item} is no built-in check ({checks})",
        "id_not_file": "is {item} but the file is named {file}",
        "bad_starts": "must be customer or rep, not {item}",
        "no_phases": "must have at least one phase",
        "no_line": "needs a line",
        "unchecked_criterion": "no phase checks it",
        "turns_below_phases": "is below the {count} phases: no call could succeed",
        "missing_list": "is missing (a list of words or word groups)",
        "no_words": "must list at least one word",
        "too_many_words": "has {count} entries, at most {limit}",
    }
)
# Every problem kind a ScenarioError can have: each has a text in every language's content.
PROBLEM_KINDS: Final = tuple(PROBLEM_MESSAGES)
# A value taken from the file (an id, a key) is shown at most this long in a problem.
MAX_SHOWN: Final = 60


def shown(value: Any) -> str | int:
    """A value from the file as a problem shows it: a number as is, text as written (shortened
    when long), anything else in Python's notation."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= MAX_SHOWN else f"{text[: MAX_SHOWN - 1]}…"


class ScenarioError(ValueError):
    """A scenario or cue file that does not fit the format: the file, the field, the problem's
    kind (one of PROBLEM_KINDS) and the values its wording needs (`limit`, `item`, ...).
    `str()` and `problem` give the English developer message; users get the content's."""

    def __init__(
        self, file_id: str, field: str, kind: str, values: Mapping[str, str | int] | None = None
    ) -> None:
        self.file_id = file_id
        self.field = field
        self.kind = kind
        self.values: Mapping[str, str | int] = MappingProxyType(dict(values or {}))
        quoted = {
            name: f"'{value}'" if name in _QUOTED else value for name, value in self.values.items()
        }
        self.problem = PROBLEM_MESSAGES[kind].format_map(quoted)
        super().__init__(f"{file_id}: {field}: {self.problem}")


@dataclass(frozen=True, slots=True)
class Persona:
    """Who the rep talks to."""

    name: str
    role: str
    company: str
    mood: str


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of the call: the criteria checked on each rep turn, those that move it on
    (`required`, the YAML's `pass`), the customer's lines, and the objections it may raise."""

    id: str
    checks: tuple[str, ...]
    required: tuple[str, ...]
    good: tuple[str, ...]
    weak: tuple[str, ...]
    objections: tuple[str, ...] = ()
    raise_line: str | None = None


@dataclass(frozen=True, slots=True)
class Ending:
    """The customer's last line for each way a call can end."""

    success: str
    hang_up: str
    turn_limit: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """One scorecard line: the built-in check behind it, its label and a model answer."""

    id: str
    check: str
    label: str
    model: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole simulated call in one language."""

    id: str
    lang: str
    seed: str | None
    title: str
    summary: str
    persona: Persona
    goal: str
    starts: Starts
    opening: str
    patience: int
    max_turns: int
    phases: tuple[Phase, ...]
    end: Ending
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError if there is none)."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


@dataclass(frozen=True, slots=True)
class Cues:
    """One language's word lists for the checks: the drill rubric (acknowledge, arguing,
    next-step cues), the pitch rubric's you/we words if given, and the lists of _cues.yaml
    by check name. Entries are words or word groups; "termin*" is a prefix, "..." a gap of a
    few words within a sentence."""

    lang: str
    rubric: Rubric
    lists: Mapping[str, tuple[str, ...]]
    pitch: PitchRubric | None = None

    def words(self, check: str) -> tuple[str, ...]:
        """The list for a check (empty if the file has none)."""
        return self.lists.get(check, ())


class _Reader:
    """Reads typed fields of plain data, raising ScenarioError with the field's path."""

    def __init__(self, file_id: str) -> None:
        self.file_id = file_id

    def fail(self, field: str, kind: str, **values: str | int) -> ScenarioError:
        return ScenarioError(self.file_id, field, kind, values)

    def mapping(self, value: Any, field: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(field, "not_mapping")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(field, "key_not_text", item=shown(key))
        return value

    def keys(self, value: Mapping[str, Any], field: str, allowed: Collection[str]) -> None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            where = f"{field}." if field else ""
            raise self.fail(f"{where}{shown(unknown[0])}", "unknown_field")

    def text(self, value: Any, field: str, limit: int = MAX_TEXT) -> str:
        if not isinstance(value, str):
            raise self.fail(field, "not_text")
        stripped: str = value.strip()
        if not stripped:
            raise self.fail(field, "empty")
        if len(stripped) > limit:
            raise self.fail(field, "too_long", length=len(stripped), limit=limit)
        return stripped

    def integer(self, value: Any, field: str, bounds: tuple[int, int]) -> int:
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, "not_int")
        if not low <= value <= high:
            raise self.fail(field, "out_of_range", low=low, high=high, value=value)
        return value

    def identifier(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(field, "bad_id")
        return value

    def sequence(self, value: Any, field: str) -> Sequence[Any]:
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise self.fail(field, "not_list")
        return value

    def texts(self, value: Any, field: str, limit: int = MAX_TEXT) -> tuple[str, ...]:
        return tuple(
            self.text(item, f"{field}[{index}]", limit)
            for index, item in enumerate(self.sequence(value, field))
        )

    def identifiers(self, value: Any, field: str) -> tuple[str, ...]:
        items = tuple(
            self.identifier(item, f"{field}[{index}]")
            for index, item in enumerate(self.sequence(value, field))
        )
        for index, item in enumerate(items):
            if item in items[:index]:
                raise self.fail(f"{field}[{index}]", "repeats", item=shown(item))
        return items


def _seed(reader: _Reader, value: Any) -> str | None:
    if value is None:
        return None
    # An unquoted 001 in YAML is the number 1; the article is still "001".
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 999:
        return f"{value:03d}"
    return reader.text(value, "seed", 20)


def _phase(
    reader: _Reader,
    data: Any,
    index: int,
    criteria: Collection[str],
    known_objections: Collection[str],
) -> Phase:
    field = f"phases[{index}]"
    phase = reader.mapping(data, field)
    phase_id = reader.identifier(phase.get("id"), f"{field}.id")
    field = f"phases[{index}] ({phase_id})"
    reader.keys(phase, field, _PHASE_KEYS)
    checks = reader.identifiers(phase.get("checks"), f"{field}.checks")
    if not checks:
        raise reader.fail(f"{field}.checks", "no_criterion")
    for position, criterion in enumerate(checks):
        if criterion not in criteria:
            raise reader.fail(
                f"{field}.checks[{position}]", "unknown_criterion", item=shown(criterion)
            )
    required = reader.identifiers(phase.get("pass"), f"{field}.pass")
    if not required:
        raise reader.fail(f"{field}.pass", "no_criterion")
    for position, criterion in enumerate(required):
        if criterion not in checks:
            raise reader.fail(f"{field}.pass[{position}]", "not_in_checks", item=shown(criterion))
    objections = reader.identifiers(phase.get("objections"), f"{field}.objections")
    for position, objection in enumerate(objections):
        if objection not in known_objections:
            raise reader.fail(
                f"{field}.objections[{position}]", "unknown_objection", item=shown(objection)
            )
    raise_line = None
    if phase.get("raise") is not None:
        raise_line = reader.text(phase["raise"], f"{field}.raise")
        if not objections:
            raise reader.fail(f"{field}.raise", "raise_without_objections")
    return Phase(
        id=phase_id,
        checks=checks,
        required=required,
        good=reader.texts(phase.get("good"), f"{field}.good"),
        weak=reader.texts(phase.get("weak"), f"{field}.weak"),
        objections=objections,
        raise_line=raise_line,
    )


def _criteria(reader: _Reader, value: Any) -> tuple[Criterion, ...]:
    items = reader.sequence(value, "criteria")
    low, high = CRITERIA_RANGE
    if not low <= len(items) <= high:
        raise reader.fail("criteria", "criteria_count", low=low, high=high, count=len(items))
    criteria: list[Criterion] = []
    for index, item in enumerate(items):
        field = f"criteria[{index}]"
        data = reader.mapping(item, field)
        criterion_id = reader.identifier(data.get("id"), f"{field}.id")
        field = f"criteria[{index}] ({criterion_id})"
        reader.keys(data, field, _CRITERION_KEYS)
        if any(criterion.id == criterion_id for criterion in criteria):
            raise reader.fail(f"{field}.id", "repeats", item=shown(criterion_id))
        check = data.get("check")
        if check not in CHECK_NAMES:
            raise reader.fail(
                f"{field}.check",
                "unknown_check",
                item=shown(check),
                checks=", ".join(CHECK_NAMES),
            )
        criteria.append(
            Criterion(
                id=criterion_id,
                check=check,
                label=reader.text(data.get("label"), f"{field}.label"),
                model=reader.text(data.get("model"), f"{field}.model"),
            )
        )
    return tuple(criteria)


def parse_scenario(
    data: Any, *, lang: str, file_id: str, known_objections: Collection[str]
) -> Scenario:
    """A scenario from plain data (a parsed YAML file named `file_id`), checked against the
    playbook ids of its language; raises ScenarioError naming the file and field."""
    reader = _Reader(file_id)
    top = reader.mapping(data, "(file)")
    reader.keys(top, "", _KEYS)
    scenario_id = reader.identifier(top.get("id"), "id")
    if scenario_id != file_id:
        raise reader.fail("id", "id_not_file", item=shown(scenario_id), file=shown(file_id))
    persona = reader.mapping(top.get("persona"), "persona")
    reader.keys(persona, "persona", _PERSONA_KEYS)
    starts = top.get("starts")
    if starts not in STARTS:
        raise reader.fail("starts", "bad_starts", item=shown(starts))
    criteria = _criteria(reader, top.get("criteria"))
    criterion_ids = [criterion.id for criterion in criteria]
    raw_phases = reader.sequence(top.get("phases"), "phases")
    if not raw_phases:
        raise reader.fail("phases", "no_phases")
    phases = tuple(
        _phase(reader, item, index, criterion_ids, known_objections)
        for index, item in enumerate(raw_phases)
    )
    for index, phase in enumerate(phases):
        if phase.id in (other.id for other in phases[:index]):
            raise reader.fail(f"phases[{index}].id", "repeats", item=shown(phase.id))
        if index < len(phases) - 1:
            # Every turn but the last phase's passing one gets one of these lines.
            for kind, lines in (("good", phase.good), ("weak", phase.weak)):
                if not lines:
                    raise reader.fail(f"phases[{index}] ({phase.id}).{kind}", "no_line")
    checked = {criterion for phase in phases for criterion in phase.checks}
    for index, criterion in enumerate(criteria):
        if criterion.id not in checked:
            # It could never be met: every scorecard would show it failed.
            raise reader.fail(f"criteria[{index}] ({criterion.id})", "unchecked_criterion")
    end = reader.mapping(top.get("end"), "end")
    reader.keys(end, "end", _END_KEYS)
    max_turns = reader.integer(top.get("max_turns"), "max_turns", MAX_TURNS_RANGE)
    if max_turns < len(phases):
        raise reader.fail("max_turns", "turns_below_phases", count=len(phases))
    return Scenario(
        id=scenario_id,
        lang=lang,
        seed=_seed(reader, top.get("seed")),
        title=reader.text(top.get("title"), "title", MAX_TITLE),
        summary=reader.text(top.get("summary"), "summary"),
        persona=Persona(
            **{key: reader.text(persona.get(key), f"persona.{key}") for key in _PERSONA_KEYS}
        ),
        goal=reader.text(top.get("goal"), "goal"),
        starts=starts,
        opening=reader.text(top.get("opening"), "opening"),
        patience=reader.integer(top.get("patience"), "patience", PATIENCE_RANGE),
        max_turns=max_turns,
        phases=phases,
        end=Ending(**{key: reader.text(end.get(key), f"end.{key}") for key in _END_KEYS}),
        criteria=criteria,
    )


def parse_cues(
    data: Any,
    *,
    lang: str,
    rubric: Rubric,
    pitch: PitchRubric | None = None,
    file_id: str = "_cues",
) -> Cues:
    """The word lists of prompts/<lang>/roleplay/_cues.yaml, one per check that needs one,
    joined with the drill rubric (and the pitch rubric's you/we words when given)."""
    reader = _Reader(file_id)
    top = reader.mapping(data, "(file)")
    reader.keys(top, "", CUE_LISTS)
    lists: dict[str, tuple[str, ...]] = {}
    for name in CUE_LISTS:
        if name not in top:
            raise reader.fail(name, "missing_list")
        items = reader.texts(top[name], name, MAX_CUE)
        if not items:
            raise reader.fail(name, "no_words")
        if len(items) > MAX_CUES_PER_LIST:
            raise reader.fail(name, "too_many_words", count=len(items), limit=MAX_CUES_PER_LIST)
        lists[name] = tuple(dict.fromkeys(items))
    return Cues(lang=lang, rubric=rubric, lists=MappingProxyType(lists), pitch=pitch)


def check_pair(de: Scenario, en: Scenario) -> tuple[str, ...]:
    """Where the two languages of one scenario differ in structure (empty: they match)."""
    problems: list[str] = []

    def same(field: str, left: object, right: object) -> None:
        if left != right:
            problems.append(f"{de.id}: {field}: {de.lang} has {left!r}, {en.lang} has {right!r}")

    same("id", de.id, en.id)
    same("seed", de.seed, en.seed)
    same("starts", de.starts, en.starts)
    same("patience", de.patience, en.patience)
    same("max_turns", de.max_turns, en.max_turns)
    same("phases", [p.id for p in de.phases], [p.id for p in en.phases])
    same("criteria", [c.id for c in de.criteria], [c.id for c in en.criteria])
    for left, right in zip(de.phases, en.phases, strict=False):
        if left.id != right.id:
            continue
        for name in ("checks", "required", "objections"):
            field = "pass" if name == "required" else name
            same(f"phases.{left.id}.{field}", getattr(left, name), getattr(right, name))
        same(f"phases.{left.id}.raise", left.raise_line is None, right.raise_line is None)
    english = {criterion.id: criterion for criterion in en.criteria}
    for criterion in de.criteria:
        other = english.get(criterion.id)
        if other is not None:
            same(f"criteria.{criterion.id}.check", criterion.check, other.check)
    return tuple(problems)
