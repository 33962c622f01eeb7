"""Scoring an elevator pitch, checking one rehearsed from memory, and when to rehearse it again.

A good pitch (seeds 000 and 001) is said in 20-45 seconds (a tight 40-60 words is what most
trainers teach for a first call), talks more about the customer than about us, names a concrete
benefit with a number, keeps its sentences short and free of filler and empty buzzwords, and ends
with an open question that keeps the call alive, never with a yes/no question whose "no" the rep
doesn't want to hear, least of all one asking for the deal. A text of fewer than a dozen words is
no pitch yet and gets no score. The word lists and verdict thresholds come from
prompts/<lang>/playbook/pitch_rubric.yaml. Findings quote the words that triggered them, so a
tip can name them ("„eigentlich“, „quasi“").
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import Final, Literal

from rapidfuzz import fuzz, process

from bot.coach._text import fold, number_word
from bot.coach.language import detect_language

Ending = Literal["open", "closed", "statement", "none"]
Length = Literal["too_short", "in_band", "too_long"]
Pace = Literal["slow", "ok", "fast"]
Verdict = Literal["not_a_pitch", "needs_work", "solid", "strong"]
# The verdict bands from worst to best; a rubric gives the lowest score of each band above the
# first (a text below the minimum length is not a pitch whatever it would score).
VERDICTS: Final[tuple[Verdict, ...]] = ("not_a_pitch", "needs_work", "solid", "strong")
DEFAULT_VERDICT_SCORES: Final = (20, 60, 90)
DEFAULT_MIN_WORDS: Final = 12

# Points per criterion; they add up to 100. The ending and the concrete benefit weigh most:
# they decide whether the call goes on past "we're not in the market".
WEIGHTS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "ending": 20,
        "focus": 15,
        "concrete": 20,
        "length": 15,
        "buzzwords": 10,
        "filler": 10,
        "sentences": 10,
    }
)
# Ties in points lost are broken in this order: what costs the conversation comes first.
CRITERIA: Final = tuple(WEIGHTS)
# A closed question at least hands the turn to the customer; a flat statement doesn't.
CLOSED_ENDING_POINTS: Final = 5
# Within a quarter of the band either side a pitch is "nearly right" and keeps part of the points.
NEAR_BAND: Final = 0.25
NEAR_LENGTH_POINTS: Final = 8
# A benefit clause ("damit Ihre Fahrer …", "so that your drivers …") names the customer within
# this many words after its conjunction; it is quoted up to this many words.
BENEFIT_CLAUSE_REACH: Final = 3
BENEFIT_CLAUSE_QUOTE: Final = 10
MAX_TIPS: Final = 3
# A tip names at most this many words; more would read like a list, not advice.
MAX_QUOTED: Final = 4
# A quoted sentence longer than this is cut after QUOTE_HEAD words (a closing question is
# rarely longer, so it is mostly quoted whole).
MAX_QUOTE_WORDS: Final = 16
QUOTE_HEAD: Final = 10

TIP_EMPTY: Final = "pitch.tip.empty"
TIP_NOT_A_PITCH: Final = "pitch.tip.not_a_pitch"
TIP_NO_SUBSTANCE: Final = "pitch.tip.no_substance"
TIP_DEAL_ASK: Final = "pitch.tip.deal_ask"
TIP_TOO_SHORT: Final = "pitch.tip.too_short"
TIP_TOO_LONG: Final = "pitch.tip.too_long"
TIP_FOCUS: Final = "pitch.tip.focus"
TIP_ADDRESS: Final = "pitch.tip.address"
TIP_BENEFIT: Final = "pitch.tip.benefit"
TIP_NUMBER: Final = "pitch.tip.number"
TIP_WHAT_FOR: Final = "pitch.tip.what_for"
TIP_LONG_SENTENCE: Final = "pitch.tip.long_sentence"
TIP_AVERAGE_SENTENCE: Final = "pitch.tip.average_sentence"
TIP_FILLER: Final = "pitch.tip.filler"
TIP_BUZZWORD: Final = "pitch.tip.buzzword"
TIP_CLOSED_ENDING: Final = "pitch.tip.closed_ending"
TIP_STATEMENT_ENDING: Final = "pitch.tip.statement_ending"
# Each tip key with the placeholders its text takes.
TIPS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        TIP_EMPTY: frozenset(),
        TIP_NOT_A_PITCH: frozenset({"min"}),
        TIP_NO_SUBSTANCE: frozenset(),
        TIP_DEAL_ASK: frozenset({"question"}),
        TIP_TOO_SHORT: frozenset({"seconds", "min"}),
        TIP_TOO_LONG: frozenset({"seconds", "max"}),
        TIP_FOCUS: frozenset({"you", "we", "words"}),
        TIP_ADDRESS: frozenset(),
        TIP_BENEFIT: frozenset(),
        TIP_NUMBER: frozenset({"words"}),
        TIP_WHAT_FOR: frozenset({"numbers"}),
        TIP_LONG_SENTENCE: frozenset({"sentence", "words", "max"}),
        TIP_AVERAGE_SENTENCE: frozenset({"words", "max"}),
        TIP_FILLER: frozenset({"words"}),
        TIP_BUZZWORD: frozenset({"words"}),
        TIP_CLOSED_ENDING: frozenset({"question"}),
        TIP_STATEMENT_ENDING: frozenset({"sentence"}),
    }
)

VOICE_TOO_SHORT: Final = "pitch.voice.too_short"
VOICE_TOO_LONG: Final = "pitch.voice.too_long"
VOICE_IN_BAND: Final = "pitch.voice.in_band"
VOICE_PACE_SLOW: Final = "pitch.voice.pace_slow"
VOICE_PACE_OK: Final = "pitch.voice.pace_ok"
VOICE_PACE_FAST: Final = "pitch.voice.pace_fast"
# Pace is judged against the rubric's speaking rate: a fifth slower or faster is noticeable.
PACE_TOLERANCE: Final = 0.2
DEFAULT_WORDS_PER_MINUTE: Final = 140
DEFAULT_BAND: Final = (30, 45)

# Spaced repetition: days until the next rehearsal after 1, 2, 3 … strong recalls in a row. A
# weak recall (below PASS_SCORE) brings the pitch back tomorrow; a passable one repeats the
# current interval; a strong one (STRONG_SCORE and up) moves on to the next.
INTERVALS: Final = (1, 2, 4, 7, 14, 30)
PASS_SCORE: Final = 60
STRONG_SCORE: Final = 85

# Recall: a key phrase counts as remembered when this share of its words is found in the recall
# (fuzzily), a closing question when a recalled sentence is this similar (token set ratio).
PHRASE_SHARE: Final = 2 / 3
WORD_SIMILARITY: Final = 80.0
QUESTION_SIMILARITY: Final = 75.0
MAX_KEY_PHRASES: Final = 12
MAX_KEY_WORDS: Final = 8
MIN_KEY_WORD_CHARS: Final = 5
# Without a rubric there is no stop-word list: only longer words are taken as content words.
MIN_KEY_WORD_CHARS_NO_RUBRIC: Final = 6
# Changes in a diff separated by this many unchanged words or fewer are shown as one phrase.
DIFF_BRIDGE: Final = 2

# More than a Telegram message (4096): everything a rep can send is looked at, and no more.
MAX_CHARS: Final = 5000
# A number with thousands separators or decimals is one spoken word group ("15.000", "1,5").
_TOKEN: Final = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")
_APOSTROPHE: Final = re.compile(r"['’`´]")
_SENTENCE_END: Final = re.compile(r"[!?…;\n]")
_CLAUSE_BREAK: Final = re.compile(r"[,:;–—(]|\s-\s")
_DIGIT_SEPARATORS: Final = re.compile(r"[.,]")
_DIGIT: Final = re.compile(r"\d")
_APOSTROPHES: Final = "'’"


@dataclass(frozen=True, slots=True)
class _Patterns:
    """The rubric's word lists compiled to one regular expression each (None: empty list)."""

    you: re.Pattern[str] | None
    formal_you: re.Pattern[str] | None
    we: re.Pattern[str] | None
    filler: re.Pattern[str] | None
    buzzwords: re.Pattern[str] | None
    benefit: re.Pattern[str] | None
    numbers: re.Pattern[str] | None
    open_starts: re.Pattern[str] | None
    closed_starts: re.Pattern[str] | None
    lead_ins: re.Pattern[str] | None
    deal_asks: re.Pattern[str] | None
    benefit_clauses: re.Pattern[str] | None
    stopwords: frozenset[str]
    abbreviations: frozenset[str]
    # The language's small words (stop words, pronouns, question words), to tell languages apart.
    vocabulary: frozenset[str]


@dataclass(frozen=True, slots=True)
class PitchRubric:
    """One language's rules: speaking rate, time band, minimum length, verdict thresholds, and
    word lists ("innov*" is a prefix, "*anbieter*" matches inside a compound); `formal_you`
    counts only when capitalised. `verdict_scores` are the lowest scores of "needs work",
    "solid" and "strong"."""

    lang: str
    words_per_minute: int
    band: tuple[int, int]
    you_words: tuple[str, ...]
    we_words: tuple[str, ...]
    filler: tuple[str, ...]
    buzzwords: tuple[str, ...]
    benefit: tuple[str, ...]
    open_question_starts: tuple[str, ...]
    closed_question_starts: tuple[str, ...]
    formal_you: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    lead_ins: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    deal_asks: tuple[str, ...] = ()
    benefit_clauses: tuple[str, ...] = ()
    quotes: tuple[str, str] = ("“", "”")
    avg_sentence_words: int = 15
    max_sentence_words: int = 25
    min_words: int = DEFAULT_MIN_WORDS
    verdict_scores: tuple[int, int, int] = DEFAULT_VERDICT_SCORES
    _patterns: _Patterns = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled once per rubric (the bot loads one per language at start-up), not per pitch.
        patterns = _Patterns(
            you=_alternation(self.you_words),
            formal_you=_alternation(self.formal_you),
            we=_alternation(self.we_words),
            filler=_alternation(self.filler),
            buzzwords=_alternation(self.buzzwords),
            benefit=_alternation(self.benefit),
            numbers=_alternation(self.numbers),
            open_starts=_alternation(self.open_question_starts),
            closed_starts=_alternation(self.closed_question_starts),
            lead_ins=_alternation(self.lead_ins),
            deal_asks=_alternation(self.deal_asks),
            benefit_clauses=_alternation(self.benefit_clauses),
            stopwords=frozenset(w for s in self.stopwords for w, _, _ in _marker_words(s)),
            abbreviations=frozenset(w for a in self.abbreviations for w, _, _ in _marker_words(a)),
            vocabulary=frozenset(
                word
                for markers in (
                    self.stopwords,
                    self.you_words,
                    self.formal_you,
                    self.we_words,
                    self.open_question_starts,
                    self.closed_question_starts,
                    self.lead_ins,
                )
                for marker in markers
                for word, open_start, open_end in _marker_words(marker)
                if not open_start and not open_end
            ),
        )
        object.__setattr__(self, "_patterns", patterns)


@dataclass(frozen=True, slots=True)
class Tip:
    """A content key and the values of its placeholders (already quoted for the language)."""

    key: str
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that cost points: the criterion, the words that triggered it, and its tip."""

    criterion: str
    key: str
    values: dict[str, str]
    words: tuple[str, ...]
    lost: int


@dataclass(frozen=True, slots=True)
class PitchScore:
    """Total 0-100, points per criterion, findings (most points lost first), the best tips,
    and the measured figures so the bot can show them."""

    total: int
    points: dict[str, int]
    findings: tuple[Finding, ...]
    tips: tuple[Finding, ...]
    words: int
    seconds: int
    band: tuple[int, int]
    sentences: int
    avg_sentence_words: float
    longest_sentence_words: int
    you_count: int
    we_count: int
    you_words: tuple[str, ...]
    we_words: tuple[str, ...]
    filler: tuple[str, ...]
    buzzwords: tuple[str, ...]
    numbers: tuple[str, ...]
    benefits: tuple[str, ...]
    ending: Ending
    closing: str
    # False for a text below the rubric's minimum: no score to show (total 0), only what a
    # pitch needs.
    scored: bool = True
    verdict: Verdict = "not_a_pitch"
    # The closing yes/no question asks for the deal ("Sollen wir das gleich fest machen?").
    asks_for_deal: bool = False


@dataclass(frozen=True, slots=True)
class RecallScore:
    """How well a pitch was said from memory: `score` (what next_rehearsal takes) is half the
    text similarity and half the share of key phrases kept; `missing` in the pitch's order."""

    score: int
    similarity: int
    coverage: int
    key_phrases: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RehearsalState:
    """Strong recalls in a row (the step along INTERVALS) and rehearsals so far."""

    step: int = 0
    rehearsals: int = 0


@dataclass(frozen=True, slots=True)
class Change:
    """One changed run of words: what was there ("" if only added) and what is there now."""

    removed: str
    added: str


@dataclass(frozen=True, slots=True)
class PitchDiff:
    """Word-level changes from an old version of a pitch to a new one, in text order."""

    changes: tuple[Change, ...]
    removed: tuple[str, ...]
    added: tuple[str, ...]
    similarity: int


@dataclass(frozen=True, slots=True)
class VoiceFeedback:
    """A voice note's length against the band and, with a transcript, its pace."""

    length: Length
    seconds: int
    words_per_minute: int | None
    pace: Pace | None
    tips: tuple[Tip, ...]


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A text split into tokens (as written and folded) and sentences.

    `tail` marks the part after an apostrophe ("re" in "you're"): matched on its own, but not a
    spoken word. `initial` marks a token whose capital says nothing: sentence start or after a
    colon. `joined` is " tok tok … " of the folded tokens, which the word-list patterns search.
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    folded: tuple[str, ...]
    tail: tuple[bool, ...]
    initial: tuple[bool, ...]
    clause_start: tuple[bool, ...]
    sentences: tuple[tuple[int, int, bool], ...]
    joined: str
    offsets: tuple[int, ...]
    at_start: dict[int, int]
    at_end: dict[int, int]


def _marker_words(marker: str) -> list[tuple[str, bool, bool]]:
    """A marker's folded words, each with whether it is open at the start ("*…") or end ("…*")."""
    words: list[tuple[str, bool, bool]] = []
    for piece in fold(_APOSTROPHE.sub(" ", marker)).split():
        # "best-in-class" is three words in a text, so it is three words in a marker too.
        parts = _TOKEN.findall(piece)
        for index, part in enumerate(parts):
            first, last = index == 0, index == len(parts) - 1
            words.append((part, first and piece.startswith("*"), last and piece.endswith("*")))
    return words


def _alternation(markers: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern over " tok tok … " matching any marker as whole tokens, longest first."""
    parts: list[tuple[int, int, str]] = []
    for marker in markers:
        words = _marker_words(marker)
        if not words:
            continue
        body = " ".join(
            ("[^ ]*" if open_start else "") + re.escape(word) + ("[^ ]*" if open_end else "")
            for word, open_start, open_end in words
        )
        parts.append((len(words), len(marker), body))
    if not parts:
        return None
    # Python's alternation takes the first alternative that fits, so longer markers go first:
    # "ich wollte nur mal" must win over "ich wollte nur".
    parts.sort(key=lambda part: (-part[0], -part[1]))
    alternatives = "|".join(dict.fromkeys(part[2] for part in parts))
    return re.compile(f"(?<= )(?:{alternatives})(?= )")


def _fold_table() -> dict[int, str]:
    """fold() of each letter of the Latin, Greek and Cyrillic blocks, one letter at a time."""
    table: dict[int, str] = {}
    for code in (*range(0x30, 0x7B), *range(0xC0, 0x250), *range(0x370, 0x530)):
        letter = chr(code)
        if letter.isalnum():
            table[code] = "".join(fold(letter).split())
    return table


# Tokens are folded letter by letter through a table: a token holds no combining marks, so for
# these scripts that gives exactly what fold() gives, at a fraction of the cost. Letters of other
# scripts are folded on first sight into a per-text copy of the table; only conjoining Hangul
# jamo would come out differently, which no word list can match anyway.
_FOLD_TABLE: Final[Mapping[int, str]] = MappingProxyType(_fold_table())


def _fold_token(token: str, table: dict[int, str]) -> str:
    """A token folded like fold() (no spaces), learning unseen letters into `table`."""
    if token.isascii():
        return token.lower()
    for letter in token:
        if ord(letter) not in table:
            table[ord(letter)] = "".join(fold(letter).split())
    return token.translate(table)


def _abbreviated(word: str, abbreviations: frozenset[str]) -> bool:
    """Whether a full stop after the word marks an abbreviation ("z. B.", "ca.", "Dr.")."""
    return word in abbreviations or (len(word) == 1 and word.isalpha())


def _parse(text: str, abbreviations: frozenset[str] = frozenset()) -> _Parsed:
    """Tokens and sentences of a text; a sentence ends at . ! ? … ; or a line break."""
    # NFC first: a decomposed "ö" would otherwise split "Lösung" at its combining mark.
    text = unicodedata.normalize("NFC", text[:MAX_CHARS])
    # Words repeat; folding each spelling once keeps a 4096-character text in budget.
    seen: dict[str, str] = {}
    table = dict(_FOLD_TABLE)
    tokens = [
        (
            m.start(),
            m.end(),
            seen[raw] if raw in seen else seen.setdefault(raw, _fold_token(raw, table)),
        )
        for m in _TOKEN.finditer(text)
        if (raw := m.group())
    ]
    # A token whose letters fold away entirely ("ﾞ") leaves no word to count or match.
    tokens = [token for token in tokens if token[2]]
    starts = [start for start, _, _ in tokens]
    ends = [end for _, end, _ in tokens]
    folded = [word for _, _, word in tokens]
    count = len(folded)
    tail = [False] * count
    initial = [False] * count
    clause_start = [False] * count
    sentences: list[tuple[int, int, bool]] = []
    if count:
        initial[0] = clause_start[0] = True
    first = 0
    # Only the gaps that are not a single space can end a sentence or a clause.
    for index in range(1, count):
        if starts[index] - ends[index - 1] == 1 and text[ends[index - 1]] == " ":
            continue
        gap = text[ends[index - 1] : starts[index]]
        if len(gap) == 1 and gap in _APOSTROPHES:
            tail[index] = True
        elif _SENTENCE_END.search(gap) or (
            "." in gap and not _abbreviated(folded[index - 1], abbreviations)
        ):
            sentences.append((first, index, "?" in gap))
            first = index
            initial[index] = clause_start[index] = True
        elif _CLAUSE_BREAK.search(gap):
            clause_start[index] = True
            initial[index] = ":" in gap
    if count:
        sentences.append((first, count, "?" in text[ends[-1] :]))
    offsets: list[int] = []
    at_end: dict[int, int] = {}
    position = 1
    for index, word in enumerate(folded):
        offsets.append(position)
        position += len(word)
        at_end[position] = index + 1
        position += 1
    return _Parsed(
        text=text,
        starts=tuple(starts),
        ends=tuple(ends),
        folded=tuple(folded),
        tail=tuple(tail),
        initial=tuple(initial),
        clause_start=tuple(clause_start),
        sentences=tuple(sentences),
        joined=" " + " ".join(folded) + " ",
        offsets=tuple(offsets),
        at_start={offset: index for index, offset in enumerate(offsets)},
        at_end=at_end,
    )


def _find(pattern: re.Pattern[str] | None, parsed: _Parsed) -> list[tuple[int, int]]:
    """Token ranges [i, j) where the pattern's markers occur."""
    if pattern is None or not parsed.folded:
        return []
    return [
        (parsed.at_start[m.start()], parsed.at_end[m.end()])
        for m in pattern.finditer(parsed.joined)
    ]


def _starts_with(pattern: re.Pattern[str] | None, parsed: _Parsed, index: int, stop: int) -> int:
    """The token after the marker that starts at `index` (within the sentence), or -1."""
    if pattern is None or index >= stop:
        return -1
    match = pattern.match(parsed.joined, parsed.offsets[index])
    if match is None or parsed.at_end[match.end()] > stop:
        return -1
    return parsed.at_end[match.end()]


def _span(parsed: _Parsed, first: int, stop: int) -> str:
    """The words first..stop-1 as written, whitespace collapsed."""
    return " ".join(parsed.text[parsed.starts[first] : parsed.ends[stop - 1]].split())


def _distinct(parsed: _Parsed, spans: Iterable[tuple[int, int]]) -> tuple[str, ...]:
    """The spans' phrases as written, once each (compared folded: "Eigentlich" = "eigentlich")."""
    seen: dict[tuple[str, ...], str] = {}
    for first, stop in spans:
        key = parsed.folded[first:stop]
        if key not in seen:
            seen[key] = _span(parsed, first, stop)
    return tuple(seen.values())


def quote_words(words: Sequence[str], rubric: PitchRubric, limit: int = MAX_QUOTED) -> str:
    """Words in the language's quotation marks, comma-separated: „eigentlich“, „quasi“."""
    return _quote(words, rubric.quotes, limit)


def _quote(words: Sequence[str], quotes: tuple[str, str], limit: int = MAX_QUOTED) -> str:
    opening, closing = quotes
    shown = [f"{opening}{word}{closing}" for word in words[:limit]]
    if len(words) > limit:
        shown.append("…")
    return ", ".join(shown)


def _sentence_text(parsed: _Parsed, sentence: tuple[int, int, bool]) -> str:
    """A sentence as written (with its "?"), cut after a few words when long."""
    first, stop, question = sentence
    if stop - first > MAX_QUOTE_WORDS:
        return _span(parsed, first, first + QUOTE_HEAD) + " …"
    return _span(parsed, first, stop) + ("?" if question else "")


def _sentence_words(parsed: _Parsed, sentence: tuple[int, int, bool]) -> int:
    first, stop, _ = sentence
    return sum(1 for i in range(first, stop) if not parsed.tail[i])


def _formal_is_customer(parsed: _Parsed, index: int, cased: bool, lower_only: bool) -> bool:
    """Whether a "Sie"/"Ihnen"/"Ihr…" means the customer rather than "they"/"her"."""
    written = parsed.text[parsed.starts[index]]
    if not cased:
        # All lower case (typed on a phone): capitals say nothing, and in a pitch the rep is
        # far more likely talking to the customer than about a third party.
        return True
    if not written.isupper():
        return False
    if not parsed.initial[index]:
        return True
    # At a sentence start the capital is ambiguous. Someone who writes lowercase "sie" mid-
    # sentence and never a capital "Sie" uses it for "they", so the sentence start is "they" too.
    return not lower_only


def _customer_focus(
    parsed: _Parsed, patterns: _Patterns, skip: set[int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where the customer is addressed, and where the rep says "we/I", in text order."""
    you = [(i, j) for i, j in _find(patterns.you, parsed) if i not in skip]
    formal = [(i, j) for i, j in _find(patterns.formal_you, parsed) if i not in skip]
    if formal:
        text = parsed.text
        cased = any(
            text[parsed.starts[i]].isupper()
            for i in range(len(parsed.folded))
            if not parsed.initial[i]
        )
        middle = [text[parsed.starts[i]].isupper() for i, _ in formal if not parsed.initial[i]]
        lower_only = bool(middle) and not any(middle)
        you += [(i, j) for i, j in formal if _formal_is_customer(parsed, i, cased, lower_only)]
        you.sort()
    we = [(i, j) for i, j in _find(patterns.we, parsed) if i not in skip]
    return you, we


def _most_common(parsed: _Parsed, spans: Sequence[tuple[int, int]], limit: int) -> tuple[str, ...]:
    """The most frequent phrases (compared folded, shown as first written), most frequent first."""
    spelled: dict[tuple[str, ...], str] = {}
    counts: Counter[tuple[str, ...]] = Counter()
    for first, stop in spans:
        key = parsed.folded[first:stop]
        spelled.setdefault(key, _span(parsed, first, stop))
        counts[key] += 1
    return tuple(spelled[key] for key, _ in counts.most_common(limit))


def _has_digit(word: str) -> bool:
    return _DIGIT.search(word) is not None


def _is_number(word: str) -> bool:
    """Digits, or a number word of two and up ("ein"/"one" are mostly articles)."""
    if _DIGIT.search(word):
        return True
    # Number words have 3 to 18 letters ("elf" … "siebenundfuenfzig"): skip the rest unlooked.
    if not 3 <= len(word) <= 18:
        return False
    value = number_word(word)
    return value is not None and value >= 2


def _number_phrases(parsed: _Parsed, patterns: _Patterns) -> list[tuple[int, int, str]]:
    """Numbers as (first, stop, phrase): a number with the word after it ("3 Stunden"), and the
    rubric's number markers ("Prozent", "Hälfte") not already part of one."""
    known: dict[str, bool] = {}
    numeric = [
        known[word] if word in known else known.setdefault(word, _is_number(word))
        for word in parsed.folded
    ]
    found: list[tuple[int, int, str]] = []
    count = len(parsed.folded)
    covered: set[int] = set()
    for index in (i for i, number in enumerate(numeric) if number):
        follows = index + 1
        stop = (
            follows + 1
            # The word after, if in the same clause (a sentence start is a clause start too).
            if follows < count
            and not parsed.clause_start[follows]
            and not numeric[follows]
            # "3 Stunden", not "two in" ("at two in the morning").
            and len(parsed.folded[follows]) >= 3
            and parsed.folded[follows] not in patterns.stopwords
            else follows
        )
        found.append((index, stop, _span(parsed, index, stop)))
        covered.update(range(index, stop))
    for first, stop in _find(patterns.numbers, parsed):
        if first not in covered:
            found.append((first, stop, _span(parsed, first, stop)))
    found.sort()
    return found


def _classify(
    parsed: _Parsed, patterns: _Patterns, sentence: tuple[int, int, bool]
) -> tuple[Ending, int]:
    """Open question, closed (yes/no) question or statement, by how the sentence (or its last
    clause) starts; with the token where the deciding clause starts."""
    first, stop, question = sentence
    position = first
    # Skip a lead-in or filler before the question proper: "Und wie …", "Vielleicht haben Sie …";
    # and "Wie gesagt, wir …" is filler, not a question.
    for _ in range(3):
        after = max(
            _starts_with(patterns.lead_ins, parsed, position, stop),
            _starts_with(patterns.filler, parsed, position, stop),
        )
        if after < 0:
            break
        position = after
    # The main clause decides ("Darf ich fragen, wie …" has skipped its lead-in); failing that,
    # a question tagged on after a comma does ("…, wie klingt das?").
    last_clause = max(i for i in range(first, stop) if parsed.clause_start[i] or i == first)
    for start in dict.fromkeys((position, last_clause)):
        if _starts_with(patterns.open_starts, parsed, start, stop) >= 0:
            return "open", start
        if _starts_with(patterns.closed_starts, parsed, start, stop) >= 0:
            return "closed", start
    # A question without a question word ("Interesse?", "…, oder?") can be answered yes or no.
    return ("closed" if question else "statement"), first


def _ending(
    parsed: _Parsed, patterns: _Patterns
) -> tuple[Ending, tuple[int, int, bool] | None, str]:
    """How the pitch ends, the sentence that decides it, and that sentence quoted as written."""
    if not parsed.sentences:
        return "none", None, ""
    last = parsed.sentences[-1]
    kind, start = _classify(parsed, patterns, last)
    if kind == "statement" and len(parsed.sentences) > 1 and _sentence_words(parsed, last) <= 3:
        # A "Danke!" after the question doesn't undo it: the question is what the customer answers.
        before = parsed.sentences[-2]
        earlier, earlier_start = _classify(parsed, patterns, before)
        if earlier != "statement":
            kind, last, start = earlier, before, earlier_start
    first, stop, question = last
    if stop - first > MAX_QUOTE_WORDS and start > first:
        # A long sentence whose tagged-on question decides is quoted from that question.
        clause = (start, stop, question)
        return kind, last, "… " + _sentence_text(parsed, clause)
    return kind, last, _sentence_text(parsed, last)


def _band(band: tuple[int, int]) -> tuple[int, int]:
    """The band as (low, high) whole seconds, at least one; a broken band is the default one."""
    try:
        low, high = sorted((max(1, int(band[0])), max(1, int(band[1]))))
    except (TypeError, ValueError, OverflowError, IndexError):
        return DEFAULT_BAND
    return low, high


def _finding(
    criterion: str, points: int, key: str, found: tuple[str, ...] = (), /, **values: str
) -> Finding:
    """A finding for a criterion that earned `points` of its weight."""
    # Positional-only, so a placeholder may be called "words" like the finding's field.
    lost = WEIGHTS[criterion] - points
    return Finding(criterion=criterion, key=key, values=values, words=found, lost=lost)


def _empty_score(band: tuple[int, int]) -> PitchScore:
    empty = Finding(criterion="length", key=TIP_EMPTY, values={}, words=(), lost=100)
    return PitchScore(
        total=0,
        points=dict.fromkeys(WEIGHTS, 0),
        findings=(empty,),
        tips=(empty,),
        words=0,
        seconds=0,
        band=band,
        sentences=0,
        avg_sentence_words=0.0,
        longest_sentence_words=0,
        you_count=0,
        we_count=0,
        you_words=(),
        we_words=(),
        filler=(),
        buzzwords=(),
        numbers=(),
        benefits=(),
        ending="none",
        closing="",
        scored=False,
        verdict="not_a_pitch",
    )


_Scored = tuple[int, Finding | None]


def _length_score(seconds: float, low: int, high: int) -> _Scored:
    """Full points inside the band, some just outside it."""
    # Judged by the whole seconds the rep is shown, so "about 20 s" is never "under 20 s".
    seconds = round(seconds)
    if low <= seconds <= high:
        return WEIGHTS["length"], None
    near = low * (1 - NEAR_BAND) <= seconds <= high * (1 + NEAR_BAND)
    points = NEAR_LENGTH_POINTS if near else 0
    shown = str(round(seconds))
    if seconds < low:
        return points, _finding("length", points, TIP_TOO_SHORT, seconds=shown, min=str(low))
    return points, _finding("length", points, TIP_TOO_LONG, seconds=shown, max=str(high))


def _unwanted_score(
    criterion: str, key: str, hits: int, words: tuple[str, ...], quotes: tuple[str, str]
) -> _Scored:
    """Filler or buzzwords: full points without a hit, half for one, none for more."""
    weight = WEIGHTS[criterion]
    points = weight if hits == 0 else weight // 2 if hits == 1 else 0
    if not words:
        return points, None
    return points, _finding(criterion, points, key, words, words=_quote(words, quotes))


def _focus_score(
    parsed: _Parsed,
    you: list[tuple[int, int]],
    we: list[tuple[int, int]],
    quotes: tuple[str, str],
) -> _Scored:
    """Full points when the customer is addressed at least as often as the rep talks of "we"."""
    weight = WEIGHTS["focus"]
    if not you and not we:
        return weight // 2, _finding("focus", weight // 2, TIP_ADDRESS)
    points = round(weight * min(1.0, 2 * len(you) / (len(you) + len(we))))
    if points == weight:
        return points, None
    top = _most_common(parsed, we, MAX_QUOTED)
    values = {"you": str(len(you)), "we": str(len(we)), "words": _quote(top, quotes)}
    return points, _finding("focus", points, TIP_FOCUS, top, **values)


def _concrete_score(
    numbers: tuple[str, ...], benefits: tuple[str, ...], quotes: tuple[str, str]
) -> _Scored:
    """Full points for a benefit with a number, half for either alone."""
    weight = WEIGHTS["concrete"]
    half = weight // 2
    if numbers and benefits:
        return weight, None
    if benefits:
        words = _quote(benefits, quotes)
        return half, _finding("concrete", half, TIP_NUMBER, benefits, words=words)
    if numbers:
        quoted = _quote(numbers, quotes)
        return half, _finding("concrete", half, TIP_WHAT_FOR, numbers, numbers=quoted)
    return 0, _finding("concrete", 0, TIP_BENEFIT)


def _sentences_score(
    parsed: _Parsed, lengths: list[int], rubric: PitchRubric, quotes: tuple[str, str]
) -> _Scored:
    """Half the points for no overlong sentence, half for a short average."""
    average = sum(lengths) / max(1, len(lengths))
    longest = max(lengths, default=0)
    too_long = longest > rubric.max_sentence_words
    too_long_on_average = average > rubric.avg_sentence_words
    points = WEIGHTS["sentences"] * (2 - too_long - too_long_on_average) // 2
    if too_long:
        sentence = _sentence_text(parsed, parsed.sentences[lengths.index(longest)])
        values = {
            "sentence": _quote((sentence,), quotes),
            "words": str(longest),
            "max": str(rubric.max_sentence_words),
        }
        return points, _finding("sentences", points, TIP_LONG_SENTENCE, (sentence,), **values)
    if too_long_on_average:
        values = {"words": str(round(average)), "max": str(rubric.avg_sentence_words)}
        return points, _finding("sentences", points, TIP_AVERAGE_SENTENCE, **values)
    return points, None


def _ending_score(ending: Ending, closing: str, deal: bool, quotes: tuple[str, str]) -> _Scored:
    """Full points for an open question, a few for a closed one, none for a statement or for a
    yes/no question asking for the deal before the customer has said what he needs."""
    quoted = _quote((closing,), quotes)
    if ending == "open":
        return WEIGHTS["ending"], None
    if deal:
        return 0, _finding("ending", 0, TIP_DEAL_ASK, (closing,), question=quoted)
    if ending == "closed":
        points = CLOSED_ENDING_POINTS
        return points, _finding("ending", points, TIP_CLOSED_ENDING, (closing,), question=quoted)
    return 0, _finding("ending", 0, TIP_STATEMENT_ENDING, (closing,), sentence=quoted)


def verdict(score: int, rubric: PitchRubric) -> Verdict:
    """The verdict band of a score (also of one stored before verdicts were shown)."""
    band = sum(1 for lowest in rubric.verdict_scores if score >= lowest)
    return VERDICTS[band]


def pitch_language(text: str, rubrics: Mapping[str, PitchRubric], default: str) -> str:
    """The language a pitch is written in, told by its small words; `default` when unclear."""
    words = _parse(text).folded
    vocabularies = {lang: rubric._patterns.vocabulary for lang, rubric in rubrics.items()}
    return detect_language(words, vocabularies, default)


def _deal_ask(parsed: _Parsed, patterns: _Patterns, ending: Ending) -> bool:
    """Whether the closing yes/no question asks for the deal ("Shall we sign today?")."""
    _, last, _ = _ending(parsed, patterns)
    if ending != "closed" or last is None:
        return False
    first, stop, _ = last
    return any(first <= i < stop for i, _ in _find(patterns.deal_asks, parsed))


def _benefit_clauses(
    parsed: _Parsed, patterns: _Patterns, you: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Benefits said without a benefit word: a clause of purpose or result that names the
    customer ("damit Ihre Fahrer pünktlich …", "so that your drivers …"), quoted a few words."""
    customer = {i for first, stop in you for i in range(first, stop)}
    count = len(parsed.folded)
    found: list[tuple[int, int]] = []
    for first, stop in _find(patterns.benefit_clauses, parsed):
        # One word ("damit", "dadurch") is a conjunction only where a clause starts; as an
        # adverb it is "with it" ("spart damit drei Stunden").
        if stop - first == 1 and not parsed.clause_start[first]:
            continue
        reach = first
        while reach < min(count, stop + BENEFIT_CLAUSE_REACH) and (
            reach < stop or not parsed.clause_start[reach]
        ):
            reach += 1
        if not any(i in customer for i in range(first, reach)):
            continue
        end = stop
        while end < min(count, first + BENEFIT_CLAUSE_QUOTE) and not parsed.clause_start[end]:
            end += 1
        found.append((first, end))
    return found


def _not_a_pitch(score: PitchScore, key: str, values: dict[str, str]) -> PitchScore:
    """A text that is no pitch yet: no points, and one tip saying what a pitch needs."""
    tip = Finding(criterion="length", key=key, values=values, words=(), lost=100)
    return replace(
        score,
        total=0,
        points=dict.fromkeys(WEIGHTS, 0),
        findings=(tip,),
        tips=(tip,),
        scored=False,
        verdict="not_a_pitch",
    )


def score_pitch(
    text: str,
    rubric: PitchRubric,
    band: tuple[int, int] | None = None,
    *,
    quotes: tuple[str, str] | None = None,
) -> PitchScore:
    """Score a pitch 0-100 against the rubric of its language (band in seconds, else the
    rubric's; tips quote in `quotes`, else the rubric's marks); never raises."""
    patterns = rubric._patterns
    marks = quotes if quotes is not None else rubric.quotes
    low, high = _band(band if band is not None else rubric.band)
    parsed = _parse(text, patterns.abbreviations)
    words = sum(1 for tail in parsed.tail if not tail)
    if words == 0:
        return _empty_score((low, high))
    seconds = words * 60 / max(1, rubric.words_per_minute)

    filler_spans = _find(patterns.filler, parsed)
    buzz_spans = _find(patterns.buzzwords, parsed)
    filler = _distinct(parsed, filler_spans)
    buzzwords = _distinct(parsed, buzz_spans)
    # Filler isn't talk about "me" twice over ("ich wollte nur mal"), and "Darf ich fragen, …" /
    # "Can I ask …" frame a question to the customer.
    skip = {i for first, stop in filler_spans for i in range(first, stop)}
    skip.update(
        i
        for first, stop in _find(patterns.lead_ins, parsed)
        if parsed.initial[first]
        for i in range(first, stop)
    )
    you, we = _customer_focus(parsed, patterns, skip)
    numbers = _distinct(parsed, ((i, j) for i, j, _ in _number_phrases(parsed, patterns)))
    benefit_words = _find(patterns.benefit, parsed)
    # A clause that has a benefit word counts by that word ("so you buy less": "less").
    clauses = [
        (first, stop)
        for first, stop in _benefit_clauses(parsed, patterns, you)
        if not any(first <= i < stop for i, _ in benefit_words)
    ]
    benefit_spans = sorted([*benefit_words, *clauses])
    benefits = _distinct(parsed, benefit_spans)
    lengths = [_sentence_words(parsed, sentence) for sentence in parsed.sentences]
    ending, _, closing = _ending(parsed, patterns)
    deal = _deal_ask(parsed, patterns, ending)

    scored = {
        "ending": _ending_score(ending, closing, deal, marks),
        "focus": _focus_score(parsed, you, we, marks),
        "concrete": _concrete_score(numbers, benefits, marks),
        "length": _length_score(seconds, low, high),
        "buzzwords": _unwanted_score("buzzwords", TIP_BUZZWORD, len(buzz_spans), buzzwords, marks),
        "filler": _unwanted_score("filler", TIP_FILLER, len(filler_spans), filler, marks),
        "sentences": _sentences_score(parsed, lengths, rubric, marks),
    }
    points = {name: scored[name][0] for name in CRITERIA}
    total = sum(points.values())
    cap = rubric.verdict_scores[-1] - 1
    if deal and total > cap:
        # However good the rest, asking for the deal on a first call keeps it out of the top
        # band: the points over the cap come off the best criteria, and count as lost to it.
        excess = total - cap
        asked = scored["ending"][1]
        assert asked is not None
        scored["ending"] = (0, replace(asked, lost=asked.lost + excess))
        for name in sorted(CRITERIA, key=lambda name: -points[name]):
            taken = min(points[name], excess)
            points[name] -= taken
            excess -= taken
        total = cap
    findings = [finding for _, finding in scored.values() if finding is not None]
    ordered = tuple(sorted(findings, key=lambda f: (-f.lost, CRITERIA.index(f.criterion))))
    result = PitchScore(
        total=total,
        points=points,
        findings=ordered,
        tips=tuple(f for f in ordered if f.lost > 0)[:MAX_TIPS],
        words=words,
        seconds=round(seconds),
        band=(low, high),
        sentences=len(lengths),
        avg_sentence_words=round(sum(lengths) / len(lengths), 1),
        longest_sentence_words=max(lengths),
        you_count=len(you),
        we_count=len(we),
        you_words=_distinct(parsed, you),
        we_words=_distinct(parsed, we),
        filler=filler,
        buzzwords=buzzwords,
        numbers=numbers,
        benefits=benefits,
        ending=ending,
        closing=closing,
        verdict=verdict(total, rubric),
        asks_for_deal=deal,
    )
    if words < rubric.min_words:
        return _not_a_pitch(result, TIP_NOT_A_PITCH, {"min": str(rubric.min_words)})
    if not you and not benefits and ending not in ("open", "closed"):
        # No customer, no benefit, no question (figures alone are a report): whatever it
        # avoids, there is no pitch in it to earn points for avoiding it ("Hier ist Max Müller
        # von der Software GmbH …", "Heute 12 Anrufe gemacht, 3 Gespräche geführt …").
        return _not_a_pitch(result, TIP_NO_SUBSTANCE, {})
    return result


@dataclass(frozen=True, slots=True)
class _Key:
    """A key phrase of a pitch: where it starts, how it reads, and what must be recalled."""

    first: int
    phrase: str
    kind: Literal["number", "question", "words"]
    # "number": the number's digits; "question": the folded sentence; "words": its content words.
    words: tuple[str, ...]


def _digits(word: str) -> str | None:
    """A number token or number word as plain digits ("15.000" → "15000", "zwei" → "2")."""
    if _has_digit(word):
        return _DIGIT_SEPARATORS.sub("", word)
    value = number_word(word)
    return None if value is None else str(value)


def _minor_tokens(parsed: _Parsed, patterns: _Patterns | None) -> set[int]:
    """Tokens that carry no content of their own: pronouns, filler, question words."""
    if patterns is None:
        return set()
    minor = {i for i, word in enumerate(parsed.folded) if word in patterns.stopwords}
    for pattern in (
        patterns.you,
        patterns.formal_you,
        patterns.we,
        patterns.filler,
        patterns.lead_ins,
        patterns.open_starts,
        patterns.closed_starts,
    ):
        minor.update(i for first, stop in _find(pattern, parsed) for i in range(first, stop))
    return minor


def _keys(parsed: _Parsed, rubric: PitchRubric | None) -> list[_Key]:
    """The key phrases of a pitch: numbers, benefit phrases, the closing question, and the
    longest content words, at most MAX_KEY_PHRASES, in text order."""
    patterns = rubric._patterns if rubric is not None else None
    minor = _minor_tokens(parsed, patterns)
    count = len(parsed.folded)
    keys: list[_Key] = []
    used: set[int] = set()
    if patterns is not None:
        # The closing question first: if the phrases are too many, it is the one to keep.
        ending, last, closing = _ending(parsed, patterns)
        if last is not None and ending in ("open", "closed"):
            first, stop, _ = last
            question = " ".join(parsed.folded[first:stop])
            keys.append(_Key(first, closing, "question", (question,)))
            used.update(range(first, stop))
        for first, stop, phrase in _number_phrases(parsed, patterns):
            if first in used:
                continue
            digits = _digits(parsed.folded[first])
            if digits is not None:
                keys.append(_Key(first, phrase, "number", (digits,)))
            else:
                keys.append(_Key(first, phrase, "words", parsed.folded[first:stop]))
            used.update(range(first, stop))
        for first, stop in _find(patterns.benefit, parsed):
            if first in used:
                continue
            # The benefit word and the next two content words of its clause ("senkt den
            # Ausschuss"), up to a number, which is a key phrase of its own.
            content = list(parsed.folded[first:stop])
            end = index = stop
            while index < count and len(content) < stop - first + 2 and index - stop < 4:
                word = parsed.folded[index]
                if parsed.clause_start[index] or _is_number(word):
                    break
                index += 1
                if index - 1 not in minor and len(word) >= 3:
                    content.append(word)
                    end = index
            keys.append(_Key(first, _span(parsed, first, end), "words", tuple(content)))
            used.update(range(first, end))
        min_chars = MIN_KEY_WORD_CHARS
    else:
        min_chars = MIN_KEY_WORD_CHARS_NO_RUBRIC
    keys = keys[:MAX_KEY_PHRASES]
    taken = {parsed.folded[i] for i in used}
    candidates: dict[str, int] = {}
    for index, word in enumerate(parsed.folded):
        if (
            word not in taken
            and index not in minor
            and len(word) >= min_chars
            and not _has_digit(word)
        ):
            candidates.setdefault(word, index)
    room = min(MAX_KEY_WORDS, MAX_KEY_PHRASES - len(keys))
    chosen: list[tuple[str, int]] = []
    # Longest first: long words carry the content. One form per stem ("clinic", "clinics").
    for word, index in sorted(candidates.items(), key=lambda item: (-len(item[0]), item[1])):
        if len(chosen) >= room:
            break
        if not any(_same_stem(word, other) for other, _ in chosen):
            chosen.append((word, index))
    keys += [
        _Key(index, _span(parsed, index, index + 1), "words", (word,)) for word, index in chosen
    ]
    keys.sort(key=lambda key: key.first)
    # "5 Prozent" said twice is one thing to remember.
    return list({key.phrase: key for key in reversed(keys)}.values())[::-1]


def key_phrases(text: str, rubric: PitchRubric | None = None) -> tuple[str, ...]:
    """The phrases of a pitch worth remembering (as written), e.g. as hints for a rehearsal."""
    abbreviations = rubric._patterns.abbreviations if rubric is not None else frozenset()
    return tuple(key.phrase for key in _keys(_parse(text, abbreviations), rubric))


def _same_stem(word: str, other: str) -> bool:
    """Whether two words share most of their beginning: other forms of one word."""
    shared = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= max(4, math.ceil(0.7 * min(len(word), len(other))))


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """The words of a recall, to look words of the pitch up in: exactly, fuzzily, by stem."""

    words: frozenset[str]
    ordered: tuple[str, ...]
    by_stem: dict[str, tuple[str, ...]]
    numbers: frozenset[str]

    @classmethod
    def of(cls, recalled: _Parsed) -> _Vocabulary:
        """The vocabulary of a parsed recall."""
        words = frozenset(recalled.folded)
        by_stem: dict[str, list[str]] = {}
        for word in words:
            if len(word) >= 4:
                by_stem.setdefault(word[:4], []).append(word)
        return cls(
            words=words,
            ordered=tuple(sorted(words)),
            by_stem={stem: tuple(group) for stem, group in by_stem.items()},
            numbers=frozenset(d for word in words if (d := _digits(word)) is not None),
        )

    def has(self, word: str) -> bool:
        """Whether the word (or a typo or another form of it) occurs in the recall."""
        if word in self.words:
            return True
        if len(word) < 4:
            # Short words have no room for a typo: "das" is not "was".
            return False
        if process.extractOne(word, self.ordered, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY):
            return True
        # Another ending of the same stem: "spart" ~ "sparen", "Kunden" ~ "Kundin".
        return any(_same_stem(word, other) for other in self.by_stem.get(word[:4], ()))


def _recalled(key: _Key, recalled: _Parsed, vocabulary: _Vocabulary) -> bool:
    """Whether a key phrase of the pitch is in the recall."""
    if key.kind == "number":
        return key.words[0] in vocabulary.numbers
    if key.kind == "question":
        return any(
            fuzz.token_set_ratio(key.words[0], " ".join(recalled.folded[first:stop]))
            >= QUESTION_SIMILARITY
            for first, stop, _ in recalled.sentences
        )
    found = sum(1 for word in key.words if vocabulary.has(word))
    return found >= max(1, math.ceil(PHRASE_SHARE * len(key.words)))


def score_recall(original: str, recalled: str, rubric: PitchRubric | None = None) -> RecallScore:
    """How well `recalled` matches the pitch `original`, and which key phrases are missing;
    tolerant of typos, other word forms and word order; never raises."""
    abbreviations = rubric._patterns.abbreviations if rubric is not None else frozenset()
    source = _parse(original, abbreviations)
    attempt = _parse(recalled, abbreviations)
    a = " ".join(source.folded)
    b = " ".join(attempt.folded)
    similarity = round(max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))) if a and b else 0
    keys = _keys(source, rubric)
    vocabulary = _Vocabulary.of(attempt)
    missing = tuple(key.phrase for key in keys if not _recalled(key, attempt, vocabulary))
    coverage = round(100 * (len(keys) - len(missing)) / len(keys)) if keys else similarity
    return RecallScore(
        score=round((similarity + coverage) / 2),
        similarity=similarity,
        coverage=coverage,
        key_phrases=tuple(key.phrase for key in keys),
        missing=missing,
    )


def next_rehearsal(
    state: RehearsalState, today: date, recall_score: int
) -> tuple[RehearsalState, date]:
    """The state after a rehearsal and the day of the next: weak recall brings it back tomorrow,
    strong recalls in a row space it out along INTERVALS."""
    step = min(max(0, state.step), len(INTERVALS))
    score = min(100, max(0, recall_score))
    if score < PASS_SCORE:
        step = 0
        days = INTERVALS[0]
    elif score < STRONG_SCORE:
        days = INTERVALS[max(0, step - 1)]
    else:
        step = min(step + 1, len(INTERVALS))
        days = INTERVALS[step - 1]
    new = RehearsalState(step=step, rehearsals=max(0, state.rehearsals) + 1)
    try:
        due = today + timedelta(days=days)
    except OverflowError:
        due = date.max
    return new, due


def diff_pitches(old: str, new: str) -> PitchDiff:
    """Runs of words removed and added from `old` to `new` (case and punctuation ignored);
    `removed`/`added` are cut at sentence ends, `changes` pairs each old run with its new one."""
    before = _parse(old)
    after = _parse(new)
    # autojunk (the default) keeps very repetitive long texts from taking quadratic time; a
    # spoken pitch is below the 200 words where it starts to apply.
    matcher = difflib.SequenceMatcher(None, before.folded, after.folded)
    regions: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if regions and i1 - regions[-1][1] <= DIFF_BRIDGE and j1 - regions[-1][3] <= DIFF_BRIDGE:
            # "spart 20 Prozent Zeit" → "spart 30 Prozent Kosten" reads better as one change.
            regions[-1] = (regions[-1][0], i2, regions[-1][2], j2)
        else:
            regions.append((i1, i2, j1, j2))
    changes = tuple(
        Change(
            removed=_span(before, i1, i2) if i2 > i1 else "",
            added=_span(after, j1, j2) if j2 > j1 else "",
        )
        for i1, i2, j1, j2 in regions
    )
    return PitchDiff(
        changes=changes,
        removed=tuple(run for i1, i2, _, _ in regions for run in _runs(before, i1, i2)),
        added=tuple(run for _, _, j1, j2 in regions for run in _runs(after, j1, j2)),
        similarity=round(100 * matcher.ratio()),
    )


def _runs(parsed: _Parsed, first: int, stop: int) -> list[str]:
    """The words first..stop-1 as written, one run per sentence they touch."""
    starts = {sentence[0] for sentence in parsed.sentences}
    cuts = [first, *(i for i in range(first + 1, stop) if i in starts), stop]
    return [_span(parsed, a, b) for a, b in pairwise(cuts) if b > a]


def voice_feedback(
    duration_seconds: float,
    band: tuple[int, int],
    transcript_words: int | None,
    *,
    words_per_minute: int = DEFAULT_WORDS_PER_MINUTE,
) -> VoiceFeedback:
    """A voice note's length against the band (seconds) and, given the transcript's word count,
    its pace against the rubric's speaking rate; never raises."""
    low, high = _band(band)
    seconds = duration_seconds if math.isfinite(duration_seconds) and duration_seconds > 0 else 0.0
    shown = round(seconds)
    length: Length
    if shown < low:
        length = "too_short"
        tips = [Tip(VOICE_TOO_SHORT, {"seconds": str(shown), "min": str(low)})]
    elif shown > high:
        length = "too_long"
        tips = [Tip(VOICE_TOO_LONG, {"seconds": str(shown), "max": str(high)})]
    else:
        length = "in_band"
        tips = [Tip(VOICE_IN_BAND, {"seconds": str(shown)})]
    pace: Pace | None = None
    rate: int | None = None
    # Under a second there is no pace to speak of, only a division by almost nothing.
    if transcript_words is not None and transcript_words > 0 and seconds >= 1:
        rate = round(transcript_words * 60 / seconds)
        reference = max(1, words_per_minute)
        if rate < reference * (1 - PACE_TOLERANCE):
            pace, key = "slow", VOICE_PACE_SLOW
        elif rate > reference * (1 + PACE_TOLERANCE):
            pace, key = "fast", VOICE_PACE_FAST
        else:
            pace, key = "ok", VOICE_PACE_OK
        tips.append(Tip(key, {"wpm": str(rate)}))
    return VoiceFeedback(
        length=length, seconds=shown, words_per_minute=rate, pace=pace, tips=tuple(tips)
    )


# A voice rehearsal the bot could not transcribe is rated by the rep (1-5); the rating stands in
# for a recall score: 1-2 are weak (back tomorrow), 3-4 pass, 5 counts as a strong recall.
RATING_SCORES: Final = (20, 40, 60, 80, 100)


def rating_score(rating: int) -> int:
    """The recall score a self-rating of 1-5 stands for, for next_rehearsal; clamped."""
    return RATING_SCORES[min(max(rating, 1), len(RATING_SCORES)) - 1]
