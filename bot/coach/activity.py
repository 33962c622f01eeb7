"""The four daily metrics, what reps type to log them, and progress against the targets."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Final

from rapidfuzz import fuzz, process

from bot.coach._text import fold, number_word
from bot.coach.targets import DailyTargets

METRICS: Final = ("dials", "conversations", "appointments", "contacts")
LOG_MAX: Final = 1000
# Longer messages are chat, not a log; refusing early keeps parsing cheap.
_MAX_INPUT: Final = 200
_MAX_POSITIONAL: Final = len(METRICS)


@dataclass(frozen=True)
class Counts:
    """Dials, conversations, appointments and new contacts, for a day or a change to a day."""

    dials: int = 0
    conversations: int = 0
    appointments: int = 0
    contacts: int = 0

    def __add__(self, other: Counts) -> Counts:
        """Metric by metric sum."""
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(*(self.get(m) + other.get(m) for m in METRICS))

    def get(self, metric: str) -> int:
        """The count of one metric from METRICS."""
        if metric not in METRICS:
            raise ValueError(metric)
        value: int = getattr(self, metric)
        return value

    @property
    def is_zero(self) -> bool:
        """True when every metric is 0."""
        return not any(self.get(m) for m in METRICS)

    def with_metric(self, metric: str, value: int) -> Counts:
        """A copy with one metric set to `value`."""
        if metric not in METRICS:
            raise ValueError(metric)
        return replace(self, **{metric: value})


assert tuple(f.name for f in fields(Counts)) == METRICS


@dataclass(frozen=True)
class LogEntry:
    """Typed counts and the day they belong to: 0 today, 1 the previous working day."""

    counts: Counts
    days_back: int = 0


# Folded words (after phrases below are rewritten) naming each metric.
_METRIC_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "dials": (
        "anruf", "anrufe", "anrufen", "angerufen", "anr", "anrufversuch", "anrufversuche",
        "waehlversuch", "waehlversuche", "wahlversuch", "wahlversuche", "anwahl", "anwahlen",
        "anwahlversuch", "anwahlversuche", "telefonat", "telefonate", "telefoniert",
        "telefonanruf", "telefonanrufe", "tel", "versuch", "versuche", "kaltakquise",
        "call", "calls", "called", "dial", "dials", "dialed", "dialled", "attempt", "attempts",
        "coldcalls", "phonecalls", "kontaktiert",
    ),
    "conversations": (
        "gespraech", "gespraeche", "gesprach", "gesprache", "gespraechen", "gespr", "gesp",
        "erreicht", "erreichte", "entscheidergespraech", "entscheidergespraeche",
        "verkaufsgespraech", "verkaufsgespraeche", "kundengespraech", "kundengespraeche",
        "conversation", "conversations", "convo", "convos", "conv", "convs", "talk", "talks",
        "gesprochen", "talked", "connect", "connects", "connected", "reached", "spoke", "spoken",
    ),
    "appointments": (
        "termin", "termine", "terminen", "terminiert", "meeting", "meetings", "mtg", "mtgs",
        "appt", "appts", "appointment", "appointments", "demo", "demos",
    ),
    "contacts": (
        "kontakt", "kontakte", "kontakten", "neukontakt", "neukontakte", "erstkontakt",
        "erstkontakte", "erstanruf", "erstanrufe", "lead", "leads", "contact", "contacts",
        "prospect", "prospects",
    ),
}  # fmt: skip
_METRIC_BY_WORD: Final = {word: m for m, words in _METRIC_WORDS.items() for word in words}
# Typos are matched only against the longer words: short ones are too easy to hit by chance.
_FUZZY_WORDS: Final = tuple(word for word in _METRIC_BY_WORD if len(word) >= 6)
_FUZZY_MIN_LENGTH: Final = 6
_FUZZY_CUTOFF: Final = 80
# Real words that sit close to a metric word but mean something else ("3 Kontrakte" are deals).
_NOT_METRICS: Final = frozenset(
    {"kontrakt", "kontrakte", "kontrakten", "terminal", "terminals", "anrufer", "anrufern",
     "terminkalender", "kontaktdaten", "monaten", "callers", "caller", "meetingraum"}
)  # fmt: skip

_PHRASES: Final = (
    # "neue Kontakte", "new people": people never called before.
    (
        re.compile(
            r"\b(?:neue[nrs]?|new|frische[n]?|fresh)\s+"
            r"(?:leute|personen|menschen|kontakte?n?|nummern|leads?|people|contacts?|numbers|"
            r"prospects?|names)\b"
        ),
        " neukontakte ",
    ),
    (re.compile(r"\bcold\s+calls?\b"), " coldcalls "),
    (re.compile(r"\bphone\s+calls?\b"), " phonecalls "),
    (re.compile(r"\bcall\s+attempts?\b"), " attempts "),
    (re.compile(r"\bdecision\s+makers?\s+reached\b"), " reached "),
    (re.compile(r"\bentscheider\s+erreicht\b"), " erreicht "),
)
_DAY_WORDS: Final = {"gestern": 1, "yesterday": 1, "heute": 0, "today": 0, "heut": 0}
# Joining words that end one "number + metric" pair.
_JOINERS: Final = frozenset({"und", "and", "sowie", "plus", "davon", "dann", "then", "of", "which"})
# Words that add nothing to a log; they never make a text a log on their own.
_FILLER: Final = frozenset(
    {"ich", "hab", "habe", "hatte", "hatten", "wir", "i", "ive", "we", "had", "have", "made",
     "did", "done", "got", "x", "mal", "times", "stueck", "gemacht", "gefuehrt", "vereinbart",
     "gelegt", "gebucht", "geschafft", "ausgemacht", "fixiert", "booked", "set", "scheduled",
     "insgesamt", "total", "bisher", "schon", "noch", "weitere", "more", "another", "so", "far",
     "ca", "circa", "etwa", "ungefaehr", "rund", "about", "around", "approx", "leute",
     "personen", "people", "mit", "with", "erfolgreiche", "erfolgreich", "successful", "log",
     "nur", "only", "just", "neue", "neu", "new"}
)  # fmt: skip
_TOKEN: Final = re.compile(r"[0-9]+(?:[.,][0-9]+)+|[0-9]+|[^\W\d_]+|[,;/&+|]")
_SEPARATORS: Final = frozenset(",;/&+|")


def _metric(word: str) -> str | None:
    if word in _METRIC_BY_WORD:
        return _METRIC_BY_WORD[word]
    if len(word) < _FUZZY_MIN_LENGTH or not word.isascii() or word in _NOT_METRICS:
        return None
    found = process.extractOne(word, _FUZZY_WORDS, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    return None if found is None else _METRIC_BY_WORD[found[0]]


def _tokens(text: str) -> list[str] | None:
    folded = fold(text.replace("\n", " , "))  # fold() would make line breaks plain spaces
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    # A letter or digit the tokens do not cover (other scripts, "²") could hide a word.
    if any(ch.isalnum() for ch in _TOKEN.sub(" ", folded)):
        return None
    return _TOKEN.findall(folded)


@dataclass(frozen=True, slots=True)
class _Read:
    segments: list[list[int | str]]  # numbers and metrics between joiners
    days_back: int
    dropped: bool  # a filler or joining word was skipped
    packed: bool  # numbers came comma-separated without spaces, "12,3,1"


def _segments(tokens: list[str]) -> _Read | None:
    segments: list[list[int | str]] = [[]]
    days_back: int | None = None
    dropped = packed = False
    for token in tokens:
        if token in _SEPARATORS or token in _JOINERS:
            segments.append([])
            dropped = dropped or token in _JOINERS
        elif token in _DAY_WORDS:
            if days_back is not None and days_back != _DAY_WORDS[token]:
                return None
            days_back = _DAY_WORDS[token]
        elif token[0].isdigit():
            if token.isdigit():
                segments[-1].append(int(token))
            elif re.fullmatch(r"[0-9]+(?:,[0-9]+)+", token):
                # "/log 12,3,1" lists numbers; kept only if the text turns out positional.
                packed = True
                for part in token.split(","):
                    segments.append([int(part)])
                segments.append([])
            else:
                return None  # "2.5 Termine" or "1.000": not a count someone logs
        elif token in _FILLER:
            dropped = True
        else:
            value = number_word(token)
            if value is not None:
                segments[-1].append(value)
                continue
            metric = _metric(token)
            if metric is None:
                return None  # an unknown word next to a number: chat, not a log
            segments[-1].append(metric)
    return _Read([segment for segment in segments if segment], days_back or 0, dropped, packed)


def _pairs(segment: list[int | str]) -> list[tuple[str, int]] | None:
    """ "12 Anrufe 3 Gespräche" or "Anrufe 12 Gespräche 3" as (metric, count) pairs."""
    if len(segment) % 2:
        return None
    number_first = isinstance(segment[0], int)
    pairs: list[tuple[str, int]] = []
    for index in range(0, len(segment), 2):
        first, second = segment[index], segment[index + 1]
        count, metric = (first, second) if number_first else (second, first)
        if not isinstance(count, int) or not isinstance(metric, str):
            return None
        pairs.append((metric, count))
    return pairs


# A minus ("-5"), a range ("12-15") or a clock time ("07:00") is never a count to add.
_NOT_A_COUNT: Final = re.compile(r"[-−–]\s*\d|\d\s*:\s*\d")


def parse_log(text: str) -> LogEntry | None:
    """Counts from "12 3 1", "12 Anrufe, 3 Gespräche", "gestern 8 dials"; None if not a log."""
    if not isinstance(text, str) or not text or len(text) > _MAX_INPUT:
        return None
    if _NOT_A_COUNT.search(text):
        return None
    tokens = _tokens(text)
    if tokens is None:
        return None
    read = _segments(tokens)
    if read is None:
        return None
    items = [item for segment in read.segments for item in segment]
    if not any(isinstance(item, int) for item in items):
        return None
    counts = Counts()
    if all(isinstance(item, int) for item in items):
        # Bare numbers are positional ("/log 12 3 1"), but only without other words around.
        if read.dropped or len(items) > _MAX_POSITIONAL:
            return None
        counts = Counts(*(int(item) for item in items))
    elif read.packed:
        return None  # "2,5 Termine" is a fraction, not two counts
    else:
        for segment in read.segments:
            pairs = _pairs(segment)
            if pairs is None:
                return None
            for metric, count in pairs:
                counts = counts.with_metric(metric, counts.get(metric) + count)
    if any(counts.get(m) > LOG_MAX for m in METRICS):
        return None
    return LogEntry(counts, read.days_back)


_FULL: Final = "▰"
_EMPTY: Final = "▱"


def progress_bar(done: int, target: int, width: int = 10) -> str:
    """A bar of `width` cells, filled in proportion and only full once the target is met."""
    width = max(0, width)
    if target <= 0:
        filled = width if done > 0 else 0
    else:
        # Rounded down, so a bar never looks full while the target is still open.
        filled = min(width, max(0, done) * width // target)
    return _FULL * filled + _EMPTY * (width - filled)


def percent(done: int, target: int) -> int:
    """Whole percent of the target done, rounded down, not capped at 100; 0 or 100 for no target."""
    if target <= 0:
        return 100 if done > 0 else 0
    return max(0, done) * 100 // target


def hit(counts: Counts, targets: DailyTargets) -> bool:
    """Whether the day counts: the dial target is met (with no target, any dial counts)."""
    if targets.dials <= 0:
        return counts.dials > 0
    return counts.dials >= targets.dials
