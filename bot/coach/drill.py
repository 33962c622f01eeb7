"""Scoring a rep's answer in an objection drill, and when to drill that objection again.

The bot plays the customer and throws an objection; the rep answers in a few spoken sentences.
A good answer acknowledges the customer, doesn't argue back ("ja, aber…"), asks a question so
the customer talks and sells the value to himself, proposes a next step, and is short enough to
say in one breath. The word lists come from prompts/<lang>/playbook/drill_rubric.yaml.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.coach._text import fold
from bot.coach.calendar import WorkCalendar, local_date
from bot.coach.profile import Schedule

# Points per criterion; they add up to 100.
WEIGHTS: Final = {
    "acknowledges": 25,
    "asks_question": 25,
    "next_step": 20,
    "no_arguing": 15,
    "length_ok": 15,
}
# Fewer different words than this are no answer yet ("ok", "ja ja", "Verstehe. Warum?"): they
# earn nothing, not even the points for leaving out "but" and arguing.
MIN_ANSWER_WORDS: Final = 4
# Near the length band (down to two thirds of the minimum, up to half again the maximum) still
# earns part of the length points: a spoken answer of 12 words is not a failure.
NEAR_LENGTH_POINTS: Final = 8
TIP_PREFIX: Final = "drill.tip."
TIP_EMPTY: Final = "drill.tip.empty"
TIP_NOT_AN_ANSWER: Final = "drill.tip.not_an_answer"
TIP_ACKNOWLEDGE: Final = "drill.tip.acknowledge"
TIP_ASK_QUESTION: Final = "drill.tip.ask_question"
TIP_NEXT_STEP: Final = "drill.tip.next_step"
TIP_NO_BUT: Final = "drill.tip.no_but"
TIP_TOO_SHORT: Final = "drill.tip.too_short"
TIP_TOO_LONG: Final = "drill.tip.too_long"
TIPS: Final = (
    TIP_EMPTY,
    TIP_NOT_AN_ANSWER,
    TIP_ACKNOWLEDGE,
    TIP_ASK_QUESTION,
    TIP_NEXT_STEP,
    TIP_NO_BUT,
    TIP_TOO_SHORT,
    TIP_TOO_LONG,
)

# Spaced repetition: days until the next drill of an objection, by mastery step. An answer below
# PASS_SCORE brings the objection back tomorrow; mastery moves towards 1 with good answers and
# towards 0 with poor ones, by LEARNING_RATE times the distance of the answer from TARGET.
INTERVALS: Final = (1, 2, 4, 7, 14, 30)
PASS_SCORE: Final = 60
TARGET: Final = 0.6
LEARNING_RATE: Final = 0.4

# The daily drill suggestion (a due item for the check-in scheduler) comes this long after the
# calling block ends: the calls are done, and the rep has a free minute. Not at the block's end,
# where the block-end check-in asks for the numbers, nor a quarter of an hour later, where the
# pitch rehearsal reminder comes: one nudge at a time, each with room to be acted on.
SUGGEST_AFTER_BLOCK: Final = timedelta(minutes=30)
# How far ahead to look for a working day to suggest a drill on.
_SEARCH_DAYS: Final = 366

# Only so much of a pasted text is looked at; a spoken answer is far shorter.
_MAX_CHARS: Final = 4000
_APOSTROPHES: Final = re.compile(r"['’`´]")
_WORD: Final = re.compile(r"[a-z0-9]+")
SENTENCE_END: Final = re.compile(r"[.!?;:\n…]+")


@dataclass(frozen=True, slots=True)
class Rubric:
    """The word lists of one language: each item a word or word group; "termin*" is a prefix."""

    lang: str
    acknowledge: tuple[str, ...]
    arguing: tuple[str, ...]
    next_step: tuple[str, ...]
    question_starts: tuple[str, ...]
    min_words: int = 15
    max_words: int = 60


@dataclass(frozen=True, slots=True)
class DrillScore:
    """Total 0-100, what was met (and the word count), and content keys of tips, best first.

    The length band is judged in words, not sentences: three short spoken sentences are as
    good as one long one. TIP_TOO_SHORT and TIP_TOO_LONG are plural texts of the word count.
    """

    total: int
    criteria: dict[str, bool | int]
    tips: tuple[str, ...]

    @property
    def attempted(self) -> bool:
        """Whether this was an answer at all: "ok" or an emoji is no attempt to be recorded."""
        return self.tips[:1] not in ((TIP_EMPTY,), (TIP_NOT_AN_ANSWER,))


def split_words(text: str) -> list[str]:
    """The folded words of a text, as the word lists are matched against them."""
    return _WORD.findall(fold(_APOSTROPHES.sub(" ", text)))


@functools.lru_cache(maxsize=64)
def compile_markers(markers: tuple[str, ...]) -> tuple[tuple[tuple[str, bool], ...], ...]:
    """Each marker as (word, is_prefix) pairs: "termin*" matches "termine", "terminieren"."""
    compiled = []
    for marker in markers:
        folded = fold(_APOSTROPHES.sub(" ", marker))
        words = _WORD.findall(folded)
        last = len(words) - 1
        if words:
            compiled.append(
                tuple((w, folded.endswith("*") and i == last) for i, w in enumerate(words))
            )
    return tuple(compiled)


def _has_marker(words: list[str], markers: tuple[str, ...], *, at_start: bool = False) -> bool:
    """Whether the words contain one of the markers (as a whole word sequence)."""
    for marker in compile_markers(markers):
        starts = range(1) if at_start else range(len(words) - len(marker) + 1)
        for start in starts:
            if start + len(marker) > len(words):
                continue
            if all(
                words[start + i].startswith(word) if prefix else words[start + i] == word
                for i, (word, prefix) in enumerate(marker)
            ):
                return True
    return False


def _asks(text: str, rubric: Rubric) -> bool:
    """A question mark, or a sentence that starts like a question (spoken answers lack "?")."""
    if "?" in text:
        return True
    return any(
        _has_marker(split_words(sentence), rubric.question_starts, at_start=True)
        for sentence in SENTENCE_END.split(text)
    )


def score_reply(text: str, lang: str, rubric: Rubric) -> DrillScore:
    """Score a drill answer against the rubric; pure, never raises."""
    # `lang` is the answer's language; the rubric's word lists decide, so it is not used yet.
    text = text[:_MAX_CHARS]
    words = split_words(text)
    count = len(words)
    if len(set(words)) < MIN_ANSWER_WORDS:
        criteria: dict[str, bool | int] = dict.fromkeys(WEIGHTS, False)
        criteria["words"] = count
        return DrillScore(
            total=0, criteria=criteria, tips=(TIP_NOT_AN_ANSWER if count else TIP_EMPTY,)
        )
    met = {
        "acknowledges": _has_marker(words, rubric.acknowledge),
        "asks_question": _asks(text, rubric),
        "next_step": _has_marker(words, rubric.next_step),
        "no_arguing": not _has_marker(words, rubric.arguing),
        "length_ok": rubric.min_words <= count <= rubric.max_words,
    }
    total = sum(WEIGHTS[name] for name, ok in met.items() if ok)
    near = rubric.min_words * 2 / 3 <= count <= rubric.max_words * 1.5
    if not met["length_ok"] and near:
        total += NEAR_LENGTH_POINTS
    tips = [
        tip
        for name, tip in (
            ("acknowledges", TIP_ACKNOWLEDGE),
            ("asks_question", TIP_ASK_QUESTION),
            ("next_step", TIP_NEXT_STEP),
            ("no_arguing", TIP_NO_BUT),
        )
        if not met[name]
    ]
    if count < rubric.min_words:
        tips.append(TIP_TOO_SHORT)
    elif count > rubric.max_words:
        tips.append(TIP_TOO_LONG)
    criteria = {**met, "words": count}
    return DrillScore(total=min(100, total), criteria=criteria, tips=tuple(tips))


def next_review(mastery: float, last: date, score: int) -> tuple[float, date]:
    """New mastery (0-1) and the date to drill the objection again: weak answers come sooner."""
    mastery = min(1.0, max(0.0, mastery)) if math.isfinite(mastery) else 0.0
    score = min(100, max(0, score))
    new = min(1.0, max(0.0, mastery + LEARNING_RATE * (score / 100 - TARGET)))
    if score < PASS_SCORE:
        days = INTERVALS[0]
    else:
        days = INTERVALS[min(len(INTERVALS) - 1, int(new * len(INTERVALS)))]
    return round(new, 4), last + timedelta(days=days)


def _after_block(day: date, schedule: Schedule, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, schedule.block_start, tzinfo=zone)
    return (local + timedelta(minutes=schedule.block_minutes) + SUGGEST_AFTER_BLOCK).astimezone(UTC)


def suggestion_at(
    due: date, now: datetime, schedule: Schedule, tz: str, calendar: WorkCalendar
) -> datetime:
    """When (UTC) to suggest drilling an objection due on `due`.

    Half an hour after the calling block of the due day; an overdue objection on the rep's
    current day. A day off (weekend, holiday, pause) moves it to the next working day, and so
    does a moment already past: a suggestion right after the rep practised would only nag.
    """
    zone = ZoneInfo(tz)
    first = max(due, local_date(now, tz))
    day = first
    for _ in range(_SEARCH_DAYS):
        at = _after_block(day, schedule, zone)
        if at > now and calendar.is_working_day(day):
            return at
        day += timedelta(days=1)
    # No working day within a year (none set at all): the first moment ahead, any day.
    at = _after_block(first, schedule, zone)
    return at if at > now else _after_block(first + timedelta(days=1), schedule, zone)
