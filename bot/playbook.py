"""Loads and validates objection playbooks and drill rubrics (prompts/<lang>/playbook/*.yaml).

The built-in files are checked at start-up and a broken one stops the bot with a message that
names the entry and field. A team's uploaded playbook is checked the same way, but problems come
back as data (location + content key) so the bot can explain them in the admin's language.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Annotated, Any, Final, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from bot.coach._text import fold
from bot.coach.drill import Rubric
from bot.coach.objections import Category, Concept, Entry, Playbook
from bot.coach.pitch import PitchRubric
from bot.content import DEFAULT_PROMPTS, ContentError, read_yaml

LANGUAGES: Final = ("de", "en")
PLAYBOOK_FILE: Final = Path("playbook") / "objections.yaml"
RUBRIC_FILE: Final = Path("playbook") / "drill_rubric.yaml"
# Telegram's limit for one message; a rendered entry must fit in one.
MESSAGE_LIMIT: Final = 4096
# Room the bot's labels, headings, bullets and HTML tags need around an entry's own texts.
LABEL_RESERVE: Final = 500
# An admin's upload: bigger files are refused before parsing (the YAML parser is not cheap).
MAX_TEAM_BYTES: Final = 256 * 1024
MAX_TEAM_ENTRIES: Final = 200
# An admin reads the problems in a chat: the first few are enough to fix the file.
MAX_PROBLEMS: Final = 20


# Texts are stripped; a blank one is an error ("playbook.error.empty"), so is an overlong one.
_ID_PATTERN: Final = r"^[a-z][a-z0-9_]{1,47}$"
_ID: Final = re.compile(_ID_PATTERN)
Id = Annotated[str, StringConstraints(pattern=_ID_PATTERN)]
Phrasing = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
Reply = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class _EntryModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Id
    category: Category
    phrasings: Annotated[list[Phrasing], Field(min_length=1, max_length=15)]
    keywords: Annotated[list[Keyword], Field(max_length=40)] = []
    meaning: Note
    strategy: Note
    replies: Annotated[list[Reply], Field(min_length=2, max_length=5)]
    ask_back: Question
    avoid: Note
    # Names of the file's concepts (see Concept) the objection is made of.
    concepts: Annotated[list[Id], Field(max_length=10)] = []


class _PlaybookModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    entries: Annotated[list[_EntryModel], Field(min_length=1, max_length=MAX_TEAM_ENTRIES)]
    # Concept name -> the words customers use for it.
    concepts: dict[Id, Annotated[list[Keyword], Field(min_length=1, max_length=300)]] = {}


class _WordList(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    acknowledge: Annotated[list[Keyword], Field(min_length=1)]
    arguing: Annotated[list[Keyword], Field(min_length=1)]
    next_step: Annotated[list[Keyword], Field(min_length=1)]
    question_starts: Annotated[list[Keyword], Field(min_length=1)]
    min_words: Annotated[int, Field(ge=1, le=200)]
    max_words: Annotated[int, Field(ge=1, le=400)]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a playbook file: where, and a content key saying what."""

    key: str
    entry: int | None = None
    entry_id: str | None = None
    field: str | None = None
    item: int | None = None
    # English detail for the operator's log; the bot shows the text of `key` instead.
    detail: str = dataclass_field(default="", compare=False)

    @property
    def location(self) -> str:
        """Where, language-neutral: "" (whole file), "3", "3:think_about_it.replies.2"."""
        if self.entry is None:
            return self.field or ""
        where = str(self.entry) + (f":{self.entry_id}" if self.entry_id else "")
        if self.field is not None:
            where += f".{self.field}"
        if self.item is not None:
            where += f".{self.item}"
        return where


@dataclass(frozen=True, slots=True)
class PlaybookError:
    """Why an uploaded playbook was refused; entries and items are counted from 1."""

    problems: tuple[Problem, ...]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The problems as (location, content key)."""
        return [(problem.location, problem.key) for problem in self.problems]


class PlaybookFileError(ContentError):
    """A built-in playbook or rubric file is broken; the message names entry and field."""


# pydantic's error types -> our content keys (texts in prompts/<lang>/…, written by the lead).
_ERROR_KEYS: Final = {
    "missing": "playbook.error.missing",
    "extra_forbidden": "playbook.error.unknown_field",
    "string_too_short": "playbook.error.empty",
    "string_too_long": "playbook.error.too_long",
    "too_short": "playbook.error.too_few",
    "too_long": "playbook.error.too_many",
    "string_pattern_mismatch": "playbook.error.bad_id",
    "literal_error": "playbook.error.unknown_category",
}
_TYPE_ERRORS: Final = frozenset(
    {"string_type", "list_type", "model_type", "dict_type", "model_attributes_type", "int_type"}
)
KEY_YAML: Final = "playbook.error.yaml"
KEY_TOO_LARGE: Final = "playbook.error.too_large"
KEY_TOO_MANY_ENTRIES: Final = "playbook.error.too_many_entries"
KEY_NO_ENTRIES: Final = "playbook.error.no_entries"
KEY_WRONG_TYPE: Final = "playbook.error.wrong_type"
KEY_DUPLICATE_ID: Final = "playbook.error.duplicate_id"
KEY_ENTRY_TOO_LONG: Final = "playbook.error.entry_too_long"
KEY_LANGUAGE: Final = "playbook.error.language"
KEY_INVALID: Final = "playbook.error.invalid"

PROBLEM_KEYS: Final = frozenset(
    {
        *_ERROR_KEYS.values(),
        KEY_YAML,
        KEY_TOO_LARGE,
        KEY_TOO_MANY_ENTRIES,
        KEY_NO_ENTRIES,
        KEY_WRONG_TYPE,
        KEY_DUPLICATE_ID,
        KEY_ENTRY_TOO_LONG,
        KEY_LANGUAGE,
        KEY_INVALID,
    }
)


def rendered_length(entry: Entry) -> int:
    """Characters the entry's own texts take in a Telegram message (HTML-escaped, one a line)."""
    texts = (*entry.phrasings, entry.meaning, entry.strategy, *entry.replies)
    texts += (entry.ask_back, entry.avoid)
    return sum(len(html.escape(text, quote=False)) + 1 for text in texts)


def _to_entry(
    model: _EntryModel, *, team: bool, lexicon: Mapping[str, Sequence[str]] | None = None
) -> Entry:
    lexicon = lexicon or {}
    concepts = tuple(
        Concept(name, tuple(lexicon[name])) for name in model.concepts if name in lexicon
    )
    return Entry(
        id=model.id,
        category=model.category,
        phrasings=tuple(model.phrasings),
        keywords=tuple(model.keywords),
        meaning=model.meaning,
        strategy=model.strategy,
        replies=tuple(model.replies),
        ask_back=model.ask_back,
        avoid=model.avoid,
        team=team,
        concepts=concepts,
    )


def _raw_id(data: Any, index: int) -> str | None:
    """The id an entry claims, if it is a plain string, to name the entry in a problem."""
    try:
        value = data["entries"][index]["id"]
    except (KeyError, IndexError, TypeError):
        return None
    # Only a valid id names the entry: the location must stay readable as "3:id.field.2".
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def _problem(error: Mapping[str, Any], data: Any) -> Problem:
    loc = tuple(error["loc"])
    kind = str(error["type"])
    key = _ERROR_KEYS.get(kind) or (KEY_WRONG_TYPE if kind in _TYPE_ERRORS else KEY_INVALID)
    detail = str(error.get("msg", ""))
    if len(loc) < 2 or loc[0] != "entries" or not isinstance(loc[1], int):
        if loc == ("entries",) and kind == "too_short":
            return Problem(KEY_NO_ENTRIES, detail=detail)
        if loc == ("entries",) and kind == "too_long":
            return Problem(KEY_TOO_MANY_ENTRIES, detail=detail)
        return Problem(key, field=".".join(map(str, loc)) or None, detail=detail)
    index = loc[1]
    field = str(loc[2]) if len(loc) > 2 else None
    item = loc[3] + 1 if len(loc) > 3 and isinstance(loc[3], int) else None
    entry_id = _raw_id(data, index)
    return Problem(key, index + 1, entry_id, field, item, detail=detail)


def _validate(data: Any, lang: str, *, team: bool) -> Playbook | tuple[Problem, ...]:
    """The playbook in `data` (parsed YAML), or every problem found, at most MAX_PROBLEMS."""
    if lang not in LANGUAGES:
        return (Problem(KEY_LANGUAGE),)
    if data is None:
        return (Problem(KEY_NO_ENTRIES),)
    if team and isinstance(data, list):
        # An admin may upload just the list of entries.
        data = {"entries": data}
    try:
        model = _PlaybookModel.model_validate(data)
    except ValidationError as exc:
        problems = dict.fromkeys(_problem(error, data) for error in exc.errors())
        return tuple(problems)[:MAX_PROBLEMS]
    found: list[Problem] = []
    seen: set[str] = set()
    entries = tuple(_to_entry(entry, team=team, lexicon=model.concepts) for entry in model.entries)
    for number, (entry, raw) in enumerate(zip(entries, model.entries, strict=True), start=1):
        if any(name not in model.concepts for name in raw.concepts):
            found.append(Problem(KEY_INVALID, number, entry.id, "concepts"))
        if entry.id in seen:
            found.append(Problem(KEY_DUPLICATE_ID, number, entry.id, "id"))
        seen.add(entry.id)
        if rendered_length(entry) + LABEL_RESERVE > MESSAGE_LIMIT:
            found.append(Problem(KEY_ENTRY_TOO_LONG, number, entry.id))
    if found:
        return tuple(found)[:MAX_PROBLEMS]
    return Playbook(lang=lang, entries=entries)


def _describe(problems: Iterable[Problem]) -> str:
    return "; ".join(
        f"{p.location or 'file'}: {p.detail + ' ' if p.detail else ''}({p.key})" for p in problems
    )


def _read_yaml(path: Path) -> Any:
    try:
        return read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlaybookFileError(f"{path}: {exc}") from None


def load_playbook(path: Path, lang: str | None = None) -> Playbook:
    """Load one built-in playbook file; raise PlaybookFileError naming entry and field."""
    # prompts/<lang>/playbook/objections.yaml: the language is the folder's name.
    lang = lang if lang is not None else path.resolve().parent.parent.name
    result = _validate(_read_yaml(path), lang, team=False)
    if isinstance(result, Playbook):
        return result
    raise PlaybookFileError(f"{path}: {_describe(result)}")


def load_playbooks(prompts_dir: Path = DEFAULT_PROMPTS) -> dict[str, Playbook]:
    """Load the playbook of every language and check they have the same ids and categories."""
    books = {lang: load_playbook(prompts_dir / lang / PLAYBOOK_FILE) for lang in LANGUAGES}
    first, *others = LANGUAGES
    expected = {entry.id: entry.category for entry in books[first].entries}
    for lang in others:
        actual = {entry.id: entry.category for entry in books[lang].entries}
        if set(actual) != set(expected):
            raise PlaybookFileError(
                f"playbook ids differ between {first} and {lang}: "
                f"only in {first}: {sorted(set(expected) - set(actual))}, "
                f"only in {lang}: {sorted(set(actual) - set(expected))}"
            )
        differ = sorted(i for i in expected if expected[i] != actual[i])
        if differ:
            raise PlaybookFileError(
                f"playbook categories differ between {first} and {lang}: {differ}"
            )
    return books


def parse_team_playbook(yaml_text: str, lang: str) -> Playbook | PlaybookError:
    """Validate an admin's uploaded playbook; never raises, problems come back as data."""
    if len(yaml_text.encode("utf-8", "surrogatepass")) > MAX_TEAM_BYTES:
        return PlaybookError((Problem(KEY_TOO_LARGE),))
    try:
        # Aliases are resolved by reference, and the schema never walks into nested values,
        # so a "billion laughs" file is refused without being expanded.
        data = yaml.safe_load(yaml_text)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        # ValueError/OverflowError: a date-looking scalar that is no date ("2024-13-45").
        return PlaybookError((Problem(KEY_YAML),))
    if isinstance(data, list) and len(data) > MAX_TEAM_ENTRIES:
        return PlaybookError((Problem(KEY_TOO_MANY_ENTRIES),))
    if isinstance(data, dict) and not isinstance(data.get("entries", []), list):
        return PlaybookError((Problem(KEY_WRONG_TYPE, field="entries"),))
    try:
        result = _validate(data, lang, team=True)
    except RecursionError:
        return PlaybookError((Problem(KEY_YAML),))
    return result if isinstance(result, Playbook) else PlaybookError(result)


# --- Guided editing: an admin builds or changes one team entry in the chat --------------------
#
# Each answer is checked against the same schema as an upload, field by field, so the admin
# hears about a problem at the step that caused it; saving then builds the whole team playbook
# as YAML and runs it through `parse_team_playbook`, exactly like an uploaded file.

# The fields the chat asks for, in this order; keywords are left to uploads (the phrasings
# carry the matching).
DRAFT_FIELDS: Final = (
    "phrasings",
    "category",
    "meaning",
    "strategy",
    "replies",
    "ask_back",
    "avoid",
)
LIST_FIELDS: Final = frozenset({"phrasings", "replies"})
# Replies come one per line or one message each; with this many the flow moves on by itself.
ENOUGH_REPLIES: Final = 3
# Generated ids of chat-made entries: never the id of a built-in entry by accident.
TEAM_ID_PREFIX: Final = "team_"
# Ids have at most 48 characters; a generated one keeps room for a "_<n>" suffix.
_ID_BASE_CHARS: Final = 42
DRAFT_EMPTY: Final = "team.error.empty"
DRAFT_NO_WORDS: Final = "team.error.no_words"
DRAFT_TOO_LONG: Final = "team.error.too_long"
DRAFT_TOO_MANY: Final = "team.error.too_many"
DRAFT_TOO_FEW: Final = "team.error.too_few"
DRAFT_ENTRY_TOO_LONG: Final = "team.error.entry_too_long"
DRAFT_INVALID: Final = "team.error.invalid"
DRAFT_KEYS: Final = frozenset(
    {
        DRAFT_EMPTY,
        DRAFT_NO_WORDS,
        DRAFT_TOO_LONG,
        DRAFT_TOO_MANY,
        DRAFT_TOO_FEW,
        DRAFT_ENTRY_TOO_LONG,
        DRAFT_INVALID,
    }
)


@dataclass(frozen=True, slots=True)
class Answer:
    """A checked answer: the field value, or a content key (and a limit) saying what is wrong."""

    value: str | tuple[str, ...] | None = None
    key: str | None = None
    limit: int = 0


def _annotation(name: str) -> Any:
    return _EntryModel.model_fields[name].rebuild_annotation()


_FIELD_ADAPTERS: Final = {
    name: TypeAdapter(_annotation(name), config=ConfigDict(strict=True)) for name in DRAFT_FIELDS
}
# A list field's items: Annotated[list[Item], MinLen, MaxLen] -> Item.
_ITEM_ADAPTERS: Final = {
    name: TypeAdapter(get_args(get_args(_annotation(name))[0])[0], config=ConfigDict(strict=True))
    for name in LIST_FIELDS
}


def item_bounds(name: str) -> tuple[int, int]:
    """How many items a list field needs at least and holds at most (from the schema)."""
    metadata = _EntryModel.model_fields[name].metadata
    lows = [m.min_length for m in metadata if getattr(m, "min_length", None) is not None]
    highs = [m.max_length for m in metadata if getattr(m, "max_length", None) is not None]
    return (lows[0] if lows else 0), (highs[0] if highs else sys.maxsize)


def _has_words(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _check_text(adapter: TypeAdapter[Any], text: str) -> Answer:
    if not text.strip():
        return Answer(key=DRAFT_EMPTY)
    if not _has_words(text):
        return Answer(key=DRAFT_NO_WORDS)
    try:
        value = adapter.validate_python(text)
    except ValidationError as exc:
        error = exc.errors()[0]
        if error["type"] == "string_too_long":
            return Answer(key=DRAFT_TOO_LONG, limit=int(error["ctx"]["max_length"]))
        return Answer(key=DRAFT_INVALID)
    return Answer(value=value)


def check_answer(name: str, text: str, collected: Sequence[str] = ()) -> Answer:
    """Check a typed answer for one draft field; list fields take one item per line.

    For a list field the items already `collected` (replies sent one message each) count
    towards its maximum; the minimum is checked when the admin says they are done.
    """
    if name not in LIST_FIELDS:
        return _check_text(_FIELD_ADAPTERS[name], text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return Answer(key=DRAFT_EMPTY)
    items: list[str] = []
    for line in lines:
        checked = _check_text(_ITEM_ADAPTERS[name], line)
        if checked.key is not None:
            return checked
        assert isinstance(checked.value, str)
        items.append(checked.value)
    _, most = item_bounds(name)
    if len(collected) + len(items) > most:
        return Answer(key=DRAFT_TOO_MANY, limit=most)
    return Answer(value=(*collected, *items))


def check_done(name: str, collected: Sequence[str]) -> Answer:
    """The admin says a list field is complete: enough items?"""
    least, _ = item_bounds(name)
    if len(collected) < least:
        return Answer(key=DRAFT_TOO_FEW, limit=least)
    return Answer(value=tuple(collected))


def _texts(values: Mapping[str, Any]) -> list[str]:
    texts: list[str] = []
    for name in DRAFT_FIELDS:
        value = values.get(name)
        if name == "category" or value is None:
            continue
        texts.extend([value] if isinstance(value, str) else value)
    return texts


def draft_fits(values: Mapping[str, Any]) -> bool:
    """Whether the entry's texts so far still fit in one message with the card's labels."""
    size = sum(len(html.escape(text, quote=False)) + 1 for text in _texts(values))
    return size + LABEL_RESERVE <= MESSAGE_LIMIT


def entry_values(entry: Entry) -> dict[str, Any]:
    """An entry as the plain mapping a playbook file holds."""
    return {
        "id": entry.id,
        "category": entry.category,
        "phrasings": list(entry.phrasings),
        "keywords": list(entry.keywords),
        "meaning": entry.meaning,
        "strategy": entry.strategy,
        "replies": list(entry.replies),
        "ask_back": entry.ask_back,
        "avoid": entry.avoid,
    }


def draft_entry(values: Mapping[str, Any]) -> Entry:
    """The entry a (complete) draft describes, for the preview card."""
    return Entry(
        id=str(values.get("id", "")),
        category=str(values.get("category", "")),
        phrasings=tuple(values.get("phrasings", ())),
        keywords=tuple(values.get("keywords", ())),
        meaning=str(values.get("meaning", "")),
        strategy=str(values.get("strategy", "")),
        replies=tuple(values.get("replies", ())),
        ask_back=str(values.get("ask_back", "")),
        avoid=str(values.get("avoid", "")),
        team=True,
    )


def new_entry_id(phrasing: str, taken: Collection[str]) -> str:
    """A readable id from the first phrasing ("team_zu_teuer"), unused by any entry in `taken`."""
    words = re.findall(r"[a-z0-9]+", fold(phrasing))
    base = TEAM_ID_PREFIX + "entry"
    for count in range(len(words), 0, -1):
        # Whole words only, as many as fit; room is left for a "_2" suffix.
        candidate = TEAM_ID_PREFIX + "_".join(words[:count])
        if len(candidate) <= _ID_BASE_CHARS:
            base = candidate
            break
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}_{number}"
    return candidate


def team_source(team: Playbook | None, values: Mapping[str, Any]) -> str:
    """The team playbook's YAML with one entry added, or replaced where its id is already."""
    entries = [entry_values(entry) for entry in team.entries] if team else []
    entry: dict[str, Any] = {
        "id": values["id"],
        "category": values["category"],
        "phrasings": list(values["phrasings"]),
        "keywords": [],
        "meaning": values["meaning"],
        "strategy": values["strategy"],
        "replies": list(values["replies"]),
        "ask_back": values["ask_back"],
        "avoid": values["avoid"],
    }
    index = next((i for i, e in enumerate(entries) if e["id"] == entry["id"]), None)
    if index is None:
        entries.append(entry)
    else:
        # An uploaded entry may have curated keywords; the chat does not ask for them.
        entry["keywords"] = entries[index]["keywords"]
        entries[index] = entry
    return yaml.safe_dump(
        {"entries": entries}, allow_unicode=True, sort_keys=False, width=MESSAGE_LIMIT
    )


def build_team_playbook(
    team: Playbook | None, values: Mapping[str, Any], lang: str
) -> tuple[str, Playbook | PlaybookError]:
    """The new team playbook's YAML and its validation, the same as an uploaded file gets."""
    source = team_source(team, values)
    return source, parse_team_playbook(source, lang)


def _words(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(item) for item in items))


def load_rubric(path: Path, lang: str) -> Rubric:
    """Load the drill rubric word lists of one language."""
    try:
        model = _WordList.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise PlaybookFileError(f"{path}: {exc}") from None
    if model.min_words >= model.max_words:
        raise PlaybookFileError(f"{path}: min_words must be below max_words")
    return Rubric(
        lang=lang,
        acknowledge=_words(model.acknowledge),
        arguing=_words(model.arguing),
        next_step=_words(model.next_step),
        question_starts=_words(model.question_starts),
        min_words=model.min_words,
        max_words=model.max_words,
    )


def load_rubrics(prompts_dir: Path = DEFAULT_PROMPTS) -> dict[str, Rubric]:
    """Load the drill rubric of every language."""
    return {lang: load_rubric(prompts_dir / lang / RUBRIC_FILE, lang) for lang in LANGUAGES}


# The elevator-pitch rubric.
PITCH_RUBRIC_FILE: Final = Path("playbook") / "pitch_rubric.yaml"
Seconds = Annotated[int, Field(ge=1, le=600)]
PitchMarker = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
QuoteMark = Annotated[str, StringConstraints(min_length=1, max_length=3)]


class _VerdictScores(BaseModel):
    """The lowest score of each verdict band above "not a pitch"."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    needs_work: Annotated[int, Field(ge=1, le=100)]
    solid: Annotated[int, Field(ge=1, le=100)]
    strong: Annotated[int, Field(ge=1, le=100)]


class _PitchWordList(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    words_per_minute: Annotated[int, Field(ge=60, le=300)]
    band: Annotated[list[Seconds], Field(min_length=2, max_length=2)]
    avg_sentence_words: Annotated[int, Field(ge=3, le=60)]
    max_sentence_words: Annotated[int, Field(ge=3, le=100)]
    quotes: Annotated[list[QuoteMark], Field(min_length=2, max_length=2)]
    you_words: Annotated[list[PitchMarker], Field(min_length=1)]
    formal_you: list[PitchMarker] = []
    we_words: Annotated[list[PitchMarker], Field(min_length=1)]
    filler: Annotated[list[PitchMarker], Field(min_length=1)]
    buzzwords: Annotated[list[PitchMarker], Field(min_length=1)]
    benefit: Annotated[list[PitchMarker], Field(min_length=1)]
    numbers: Annotated[list[PitchMarker], Field(min_length=1)]
    open_question_starts: Annotated[list[PitchMarker], Field(min_length=1)]
    closed_question_starts: Annotated[list[PitchMarker], Field(min_length=1)]
    lead_ins: Annotated[list[PitchMarker], Field(min_length=1)]
    stopwords: Annotated[list[PitchMarker], Field(min_length=1)]
    abbreviations: Annotated[list[PitchMarker], Field(min_length=1)]
    benefit_clauses: list[PitchMarker] = []
    deal_asks: list[PitchMarker] = []
    min_words: Annotated[int, Field(ge=1, le=100)]
    verdict_scores: _VerdictScores


def load_pitch_rubric(path: Path, lang: str) -> PitchRubric:
    """Load the pitch rubric (speaking rate, band, word lists) of one language."""
    try:
        model = _PitchWordList.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise PlaybookFileError(f"{path}: {exc}") from None
    low, high = model.band
    if low >= high:
        raise PlaybookFileError(f"{path}: band must go from fewer to more seconds")
    if model.avg_sentence_words > model.max_sentence_words:
        raise PlaybookFileError(f"{path}: avg_sentence_words must not exceed the maximum")
    verdicts = model.verdict_scores
    if not verdicts.needs_work < verdicts.solid < verdicts.strong:
        raise PlaybookFileError(f"{path}: verdict_scores must rise from needs_work to strong")
    # "formal_you" may be empty (English has no polite form); every other list may not.
    return PitchRubric(
        lang=lang,
        words_per_minute=model.words_per_minute,
        band=(low, high),
        you_words=_words(model.you_words),
        formal_you=_words(model.formal_you),
        we_words=_words(model.we_words),
        filler=_words(model.filler),
        buzzwords=_words(model.buzzwords),
        benefit=_words(model.benefit),
        numbers=_words(model.numbers),
        open_question_starts=_words(model.open_question_starts),
        closed_question_starts=_words(model.closed_question_starts),
        lead_ins=_words(model.lead_ins),
        stopwords=_words(model.stopwords),
        abbreviations=_words(model.abbreviations),
        benefit_clauses=_words(model.benefit_clauses),
        deal_asks=_words(model.deal_asks),
        min_words=model.min_words,
        verdict_scores=(verdicts.needs_work, verdicts.solid, verdicts.strong),
        quotes=(model.quotes[0], model.quotes[1]),
        avg_sentence_words=model.avg_sentence_words,
        max_sentence_words=model.max_sentence_words,
    )


def load_pitch_rubrics(prompts_dir: Path = DEFAULT_PROMPTS) -> dict[str, PitchRubric]:
    """Load the pitch rubric of every language."""
    return {
        lang: load_pitch_rubric(prompts_dir / lang / PITCH_RUBRIC_FILE, lang) for lang in LANGUAGES
    }
