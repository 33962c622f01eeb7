"""The built-in checks of a rep's turn in a simulated call.

Each check is `check(text, cues, turn) -> bool`: deterministic, never raises, and in the
language of the cues it is given. The drill rubric's word lists (acknowledge, arguing,
next-step, question starts) are the drill's own; the other lists come from
prompts/<lang>/roleplay/_cues.yaml. Word lists are matched like the drill's (drill.py's
`compile_markers`: whole words, "termin*" a prefix), plus "..." for a gap of a few words within
one sentence ("darf ich mich ... melden") and "#" for a number in digits or words ("um #").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from bot.coach._text import MONTHS, fold, number_word
from bot.coach.drill import SENTENCE_END, compile_markers, split_words
from bot.coach.roleplay.scenario import Cues

# Only so much of a turn is scored; a spoken turn is far shorter.
MAX_CHARS: Final = 4000
# A gap ("...") in a cue stands for at most this many words.
GAP_WORDS: Final = 6
# An open question's W-word may come after a word or two ("Und wie …?", "Frau Berger, was …?").
QUESTION_WORD_WITHIN: Final = 3
# The acknowledgement is looked for in the first sentence, or more of them while they are this
# short ("Ah, okay. Das verstehe ich."); empathy in the first two sentences or this many words.
ACKNOWLEDGE_WORDS: Final = 6
EMPATHY_SENTENCES: Final = 2
EMPATHY_WORDS: Final = 20
# The customer's benefit without a value word: addressed at least this often, and more than
# the rep talks about himself.
MIN_YOU: Final = 2
# The first turns in which the reason for the call still counts as early.
REASON_TURNS: Final = 2

# A greeting is no time for a next step: "Guten Morgen" holds "morgen", "good morning" "morning".
_GREETING: Final = re.compile(
    r"(?<= )(?:guten|schoenen|good) (?:morgen|abend|morning|evening|afternoon)(?= )"
)
_GAP: Final = re.compile(r"\s*(?:\.\.\.|…)\s*")
_NUMBER: Final = "#"
# Stands in for "#" while a cue goes through compile_markers, which keeps only letters and digits.
_NUMBER_TOKEN: Final = "zqxnumberzqx"
_CLAUSE: Final = re.compile(r",|\s[-–—]\s|[–—(]")
_TOKEN: Final = re.compile(r"[^\W_]+")
_CLOCK: Final = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.][0-5]\d(?!\d)")
_DATE: Final = re.compile(r"(?<![\d.])(?:[0-2]?\d|3[01])[./](?:0?[1-9]|1[0-2])(?:[./]|(?!\d))")
_MONTH_NAMES: Final = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_MONTH_DATE: Final = re.compile(
    rf"(?<!\d)(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?\.? ?(?:of )?(?:{_MONTH_NAMES})\b"
    rf"|\b(?:{_MONTH_NAMES}) (?:[0-2]?\d|3[01])(?:st|nd|rd|th)?(?!\d)"
)


@dataclass(frozen=True, slots=True)
class TurnContext:
    """Where a rep turn stands: its number in the call and in the phase (both from 1), and
    the customer's line it answers."""

    call_turn: int
    phase_turn: int
    customer_line: str = ""


Check = Callable[[str, Cues, TurnContext], bool]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A turn split once for all checks: folded words per sentence, " a b | c d " joined (a
    "|" between sentences, so no cue spans two), the same with numbers as "#", the questions
    as clauses of words, and the original tokens for the you/we count."""

    words: int
    sentences: tuple[tuple[str, ...], ...]
    joined: str
    numbered: str
    questions: tuple[tuple[tuple[str, ...], ...], ...]
    folded: str
    tokens: tuple[str, ...]
    has_capitals: bool


def _join(sentences: tuple[tuple[str, ...], ...]) -> str:
    return " " + " | ".join(" ".join(words) for words in sentences if words) + " "


def _numbered(word: str) -> str:
    return _NUMBER if word.isdigit() or number_word(word) is not None else word


def _prepare(text: str) -> _Prepared:
    """The parts of a turn the checks look at, of its first MAX_CHARS characters."""
    return _prepared(text[:MAX_CHARS])


@functools.lru_cache(maxsize=16)
def _prepared(text: str) -> _Prepared:
    # Cached: every check of a turn looks at the same text.
    pieces = SENTENCE_END.split(text)
    ends = SENTENCE_END.findall(text)
    sentences = tuple(tuple(split_words(piece)) for piece in pieces)
    questions = tuple(
        tuple(tuple(split_words(clause)) for clause in _CLAUSE.split(piece))
        for piece, end in zip(pieces, ends, strict=False)
        if "?" in end
    )
    tokens = tuple(_TOKEN.findall(text))
    return _Prepared(
        words=sum(len(words) for words in sentences),
        sentences=sentences,
        joined=_join(sentences),
        numbered=_join(tuple(tuple(map(_numbered, words)) for words in sentences)),
        questions=questions,
        folded=fold(text),
        tokens=tokens,
        has_capitals=any(token[:1].isupper() for token in tokens),
    )


def _body(marker: str) -> tuple[str, bool] | None:
    """A cue as a regular expression over joined words, and whether it holds a number."""
    parts = []
    numbered = False
    for part in _GAP.split(marker.replace(_NUMBER, f" {_NUMBER_TOKEN} ")):
        compiled = compile_markers((part,))
        if not compiled:
            continue
        words = []
        for word, prefix in compiled[0]:
            if word == _NUMBER_TOKEN:
                numbered = True
                words.append(re.escape(_NUMBER))
            else:
                words.append(re.escape(word) + ("[a-z0-9]*" if prefix else ""))
        parts.append(" ".join(words))
    if not parts:
        return None
    return f"(?: [a-z0-9#]+){{0,{GAP_WORDS}}} ".join(parts), numbered


@functools.lru_cache(maxsize=128)
def _patterns(markers: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """One pattern for the cues without a number (matched against the words as written) and
    one for those with a number (matched against the words with numbers as "#")."""
    plain: list[str] = []
    numbered: list[str] = []
    for marker in markers:
        body = _body(marker)
        if body is not None:
            (numbered if body[1] else plain).append(body[0])

    def compiled(bodies: list[str]) -> re.Pattern[str] | None:
        if not bodies:
            return None
        return re.compile(f"(?<= )(?:{'|'.join(dict.fromkeys(bodies))})(?= )")

    return compiled(plain), compiled(numbered)


def _found(markers: tuple[str, ...], joined: str, numbered: str | None = None) -> bool:
    plain, with_number = _patterns(markers)
    if plain is not None and plain.search(joined):
        return True
    return with_number is not None and with_number.search(numbered or joined) is not None


def _count(markers: tuple[str, ...], joined: str) -> int:
    plain, _ = _patterns(markers)
    return 0 if plain is None else sum(1 for _ in plain.finditer(joined))


def _starts(markers: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether the words begin with one of the cues."""
    plain, _ = _patterns(markers)
    return plain is not None and plain.match(_join((words,)), 1) is not None


def _lead(prepared: _Prepared, sentences: int, words: int) -> str:
    """The first sentences joined, and more of them until there are enough words."""
    taken: list[tuple[str, ...]] = []
    count = 0
    for index, sentence in enumerate(prepared.sentences):
        if index >= sentences and count >= words:
            break
        if sentence:
            taken.append(sentence)
            count += len(sentence)
    return _join(tuple(taken))


def _in(prepared: _Prepared, cues: Cues, check: str) -> bool:
    return _found(cues.words(check), prepared.joined, prepared.numbered)


def reason_for_call(text: str, cues: Cues, turn: TurnContext) -> bool:
    """The rep says why they call, in their first or second turn."""
    return turn.call_turn <= REASON_TURNS and _in(_prepare(text), cues, "reason_for_call")


def _open_clause(words: tuple[str, ...], cues: Cues) -> bool:
    """A clause that asks with a W-word near its start, not one that starts like a yes/no
    question ("Haben Sie …", "Sind Sie …"): the rubric's other question starts are verbs."""
    opening = cues.words("open_question")
    if _starts(opening, words):
        return True
    if _starts(cues.rubric.question_starts, words):
        return False
    return any(_starts(opening, words[i:]) for i in range(1, QUESTION_WORD_WITHIN))


def open_question(text: str, cues: Cues, turn: TurnContext) -> bool:
    """A question ("?") that is not yes/no: a W-word or how-word at the start of it or of one
    of its clauses ("Darf ich fragen, wie Sie das heute lösen?")."""
    return any(
        _open_clause(clause, cues)
        for question in _prepare(text).questions
        for clause in question
        if clause
    )


def acknowledge(text: str, cues: Cues, turn: TurnContext) -> bool:
    """The drill rubric's acknowledgement in the first sentence (a very short first sentence
    like "Ah, okay." takes the next one with it)."""
    prepared = _prepare(text)
    return _found(cues.rubric.acknowledge, _lead(prepared, 1, ACKNOWLEDGE_WORDS))


def no_but(text: str, cues: Cues, turn: TurnContext) -> bool:
    """None of the drill rubric's arguing cues ("aber", "jedoch", "but", "however")."""
    return not _found(cues.rubric.arguing, _prepare(text).joined)


def _you_focus(prepared: _Prepared, cues: Cues) -> bool:
    """The customer addressed more than the rep talks about himself, counted with the pitch
    rubric's words; a formal "Sie"/"Ihnen" counts when capitalised (or all is lower case)."""
    pitch = cues.pitch
    if pitch is None:
        return False
    you = _count(pitch.you_words, prepared.joined)
    formal, _ = _patterns(pitch.formal_you)
    if formal is not None:
        you += sum(
            1
            for token in prepared.tokens
            if (token[0].isupper() or not prepared.has_capitals)
            and formal.search(f" {token.casefold()} ")
        )
    return you >= MIN_YOU and you > _count(pitch.we_words, prepared.joined)


def customer_value(text: str, cues: Cues, turn: TurnContext) -> bool:
    """The customer's benefit: a value cue ("spart", "schneller", "save") or the customer in
    the focus ("Sie"/"Ihnen" more than "wir"/"ich")."""
    prepared = _prepare(text)
    return _in(prepared, cues, "customer_value") or _you_focus(prepared, cues)


def _has_time(joined: str, numbered: str, folded: str, cues: Cues) -> bool:
    if _found(cues.words("next_step_date"), joined, numbered):
        return True
    return any(pattern.search(folded) for pattern in (_CLOCK, _DATE, _MONTH_DATE))


def next_step_date(text: str, cues: Cues, turn: TurnContext) -> bool:
    """A concrete next step with a time: a drill next-step cue plus a day, a time or a date
    ("Donnerstag", "nächste Woche", "um 10", "10:30", "12.3.")."""
    prepared = _prepare(text)
    joined = _GREETING.sub("~", prepared.joined)
    numbered = _GREETING.sub("~", prepared.numbered)
    return _found(cues.rubric.next_step, joined, numbered) and _has_time(
        joined, numbered, prepared.folded, cues
    )


def ok_next_contact(text: str, cues: Cues, turn: TurnContext) -> bool:
    """Asks for or confirms the OK for the next contact ("darf ich mich ... melden")."""
    return _in(_prepare(text), cues, "ok_next_contact")


def short_turn(text: str, cues: Cues, turn: TurnContext) -> bool:
    """Some words, and no more than the drill rubric's maximum (60: said in under ~25 s)."""
    return 0 < _prepare(text).words <= cues.rubric.max_words


def no_unwanted_question(text: str, cues: Cues, turn: TurnContext) -> bool:
    """No question whose answer the rep doesn't want ("Sind Sie interessiert?")."""
    return not _in(_prepare(text), cues, "no_unwanted_question")


def referral_ask(text: str, cues: Cues, turn: TurnContext) -> bool:
    """Asks who else would benefit ("Wer fällt Ihnen ein …", "who else")."""
    return _in(_prepare(text), cues, "referral_ask")


def empathy(text: str, cues: Cues, turn: TurnContext) -> bool:
    """Takes the customer's problem seriously first: in the first two sentences."""
    prepared = _prepare(text)
    lead = _lead(prepared, EMPATHY_SENTENCES, EMPATHY_WORDS)
    return _found(cues.words("empathy"), lead)


def creative_channel(text: str, cues: Cues, turn: TurnContext) -> bool:
    """Proposes a contact other than a call: a visit, a coffee, a letter, a walk."""
    return _in(_prepare(text), cues, "creative_channel")


CHECKS: Final[Mapping[str, Check]] = MappingProxyType(
    {
        "reason_for_call": reason_for_call,
        "open_question": open_question,
        "acknowledge": acknowledge,
        "no_but": no_but,
        "customer_value": customer_value,
        "next_step_date": next_step_date,
        "ok_next_contact": ok_next_contact,
        "short_turn": short_turn,
        "no_unwanted_question": no_unwanted_question,
        "referral_ask": referral_ask,
        "empathy": empathy,
        "creative_channel": creative_channel,
    }
)
# Checks that something is absent: on the scorecard they are met only if every turn that was
# checked met them (one "aber" is one too many), the others if any turn did.
GUARDS: Final = frozenset({"no_but", "short_turn", "no_unwanted_question"})
