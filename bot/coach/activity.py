"""The four daily metrics, what reps type to log them, and progress against the targets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
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
    """Typed counts and the day they belong to.

    The day is `days_back` working days before today (0 today, 1 "gestern", 2 "vorgestern"),
    or the latest `weekday` (0 Monday) up to today, or a date `on` as (day, month, year or
    None). A `correction` has negative counts ("-72 Anrufe") or came as "8 statt 80".
    """

    counts: Counts
    days_back: int = 0
    weekday: int | None = None
    on: tuple[int, int, int | None] | None = None
    correction: bool = False

    @property
    def plain(self) -> bool:
        """Counts of zero or more for today, no correction: what a target can be read from."""
        return not (self.correction or self.days_back) and self.weekday is None and self.on is None


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
    (re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b"), " vorgestern "),
    (re.compile(r"\b(?:instead\s+of|rather\s+than|anstelle\s+von)\b"), " statt "),
)
_DAY_WORDS: Final = {
    "gestern": 1, "yesterday": 1, "heute": 0, "today": 0, "heut": 0, "vorgestern": 2,
}  # fmt: skip
_WEEKDAYS: Final = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
# "8 statt 80 Anrufe": the number after it is what was logged, the one before what is right.
_INSTEAD: Final = frozenset({"statt", "anstatt"})
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
     "nur", "only", "just", "neue", "neu", "new", "am", "on", "for", "fuer", "last", "letzten",
     "letzter", "vom"}
)  # fmt: skip
# A leading minus belongs to the number: "-72 Anrufe" takes 72 back (fold() unified dashes).
_TOKEN: Final = re.compile(r"-?[0-9]+(?:[.,][0-9]+)+\.?|-?[0-9]+|[^\W\d_]+|[,;/&+|]")
# "1.000" and "1,000" are a thousand; "1.5" or "2,5" are no count anyone logs.
_THOUSANDS: Final = re.compile(r"-?[0-9]{1,3}([.,])[0-9]{3}(?:\1[0-9]{3})*")
# "01.12.", "1.12" or "01.12.2026": a day of the month, not a count.
_DATE: Final = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})(?:\.([0-9]{2}|[0-9]{4}))?\.?")
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
    weekday: int | None
    on: tuple[int, int, int | None] | None
    dropped: bool  # a filler or joining word was skipped
    packed: bool  # numbers came comma-separated without spaces, "12,3,1"
    correction: bool  # a negative number or "statt"


def _number(token: str) -> int | None:
    """A count token: "12", "-72", "1.000", "1,000"; None for "2.5" and the like."""
    if re.fullmatch(r"-?[0-9]+", token):
        return int(token)
    if _THOUSANDS.fullmatch(token.rstrip(".")):
        return int(re.sub(r"[.,]", "", token.rstrip(".")))
    return None


def _date(token: str) -> tuple[int, int, int | None] | None:
    match = _DATE.fullmatch(token)
    if match is None:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    year = match.group(3)
    if year is None:
        return day, month, None
    return day, month, int(year) + (2000 if len(year) == 2 else 0)


def _segments(tokens: list[str]) -> _Read | None:
    segments: list[list[int | str]] = [[]]
    days_back: int | None = None
    weekday: int | None = None
    on: tuple[int, int, int | None] | None = None
    dropped = packed = correction = instead = False
    for token in tokens:
        if instead and not (token[0].isdigit() or token[0] == "-" or number_word(token)):
            return None  # "statt" needs the number that was logged right after it
        if token in _SEPARATORS or token in _JOINERS:
            segments.append([])
            dropped = dropped or token in _JOINERS
        elif token in _DAY_WORDS or token in _WEEKDAYS:
            named = days_back is not None or weekday is not None or on is not None
            if named and (_DAY_WORDS.get(token) != days_back or token in _WEEKDAYS):
                return None  # two different days
            if token in _WEEKDAYS:
                weekday = _WEEKDAYS[token]
            else:
                days_back = _DAY_WORDS[token]
        elif token in _INSTEAD:
            if instead or not any(isinstance(item, int) for item in segments[-1]):
                return None
            instead = correction = True
        elif token[0].isdigit() or token[0] == "-":
            value = _number(token)
            if value is None:
                found = _date(token)
                if found is not None:
                    if days_back is not None or weekday is not None or on is not None:
                        return None
                    on = found
                    continue
                if token[0] == "-" or not re.fullmatch(r"[0-9]+(?:,[0-9]+)+", token):
                    return None  # "2.5 Termine": not a count someone logs
                # "/log 12,3,1" lists numbers; kept only if the text turns out positional.
                packed = True
                for part in token.split(","):
                    segments.append([int(part)])
                segments.append([])
                continue
            if abs(value) > LOG_MAX:
                return None
            correction = correction or value < 0
            if instead:
                instead = False
                if value < 0:
                    return None
                last = max(i for i, item in enumerate(segments[-1]) if isinstance(item, int))
                logged = segments[-1][last]
                assert isinstance(logged, int)
                segments[-1][last] = logged - value
            else:
                segments[-1].append(value)
        elif token in _FILLER:
            dropped = True
        else:
            number = number_word(token)
            if number is not None:
                if instead:
                    return None
                segments[-1].append(number)
                continue
            metric = _metric(token)
            if metric is None:
                return None  # an unknown word next to a number: chat, not a log
            segments[-1].append(metric)
    if instead:
        return None
    return _Read(
        [segment for segment in segments if segment],
        days_back or 0,
        weekday,
        on,
        dropped,
        packed,
        correction,
    )


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


# A range ("12-15") or a clock time ("07:00") is never a count; a minus is allowed only
# right before a number with a metric ("gestern -72 Anrufe"), never in bare numbers.
_NOT_A_COUNT: Final = re.compile(r"\d\s*[-‐‑‒–—―−﹣－]\s*\d|\d\s*:\s*\d|[-‐‑‒–—―−﹣－]\s+\d")


def parse_log(text: str) -> LogEntry | None:
    """Counts from "12 3 1", "12 Anrufe, 3 Gespräche", "gestern 8 statt 80 Anrufe", "01.12.
    -3 Termine"; None if not a log."""
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
        # Bare numbers are positional ("/log 12 3 1"), but only without other words around;
        # a correction always names its metric.
        if read.dropped or read.correction or len(items) > _MAX_POSITIONAL:
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
    if any(abs(counts.get(m)) > LOG_MAX for m in METRICS):
        return None
    correction = read.correction or any(counts.get(m) < 0 for m in METRICS)
    return LogEntry(counts, read.days_back, read.weekday, read.on, correction)


# Typed numbers can go up to this many days back (a week, and the weekend before it).
CORRECTION_DAYS: Final = 7


def entry_day(
    entry: LogEntry, today: date, working_day_before: Callable[[date], date | None]
) -> date | None:
    """The day an entry is for (not checked against CORRECTION_DAYS); None for no such date."""
    if entry.on is not None:
        day_of_month, month, year = entry.on
        for candidate_year in (year,) if year is not None else (today.year, today.year - 1):
            try:
                candidate = date(candidate_year, month, day_of_month)
            except ValueError:
                continue
            if year is not None or candidate <= today:
                return candidate
        return None
    if entry.weekday is not None:
        return today - timedelta(days=(today.weekday() - entry.weekday) % 7)
    back = today
    for _ in range(entry.days_back):
        back = working_day_before(back) or back - timedelta(days=1)
    return back


def correctable(day: date, today: date) -> bool:
    """Whether typed numbers and corrections may still change that day."""
    return today - timedelta(days=CORRECTION_DAYS) <= day <= today


# A day far above the usual range asks before it is stored: past 5x a target, or this many dials.
UNUSUAL_FACTOR: Final = 5
UNUSUAL_DIALS: Final = 300


def _unusual_value(metric: str, value: int, targets: DailyTargets | None) -> bool:
    target = getattr(targets, metric) if targets is not None else 0
    if target > 0 and value > UNUSUAL_FACTOR * target:
        return True
    return metric == "dials" and value >= UNUSUAL_DIALS


def unusual(before: Counts, delta: Counts, targets: DailyTargets | None) -> bool:
    """Whether adding `delta` takes a day newly far above the rep's usual range."""
    after = before + delta
    return any(
        delta.get(m) > 0
        and _unusual_value(m, after.get(m), targets)
        and not _unusual_value(m, before.get(m), targets)
        for m in METRICS
    )


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
    """Whole percent of the target done, to the nearest (6 of 7 is 86), not capped at 100; 0 or
    100 for no target. Only a met target shows 100, and only nothing done shows 0."""
    if target <= 0:
        return 100 if done > 0 else 0
    done = max(0, done)
    nearest = (done * 200 + target) // (target * 2)  # halves up, in integers
    if done < target:
        nearest = min(nearest, 99)
    return max(nearest, 1) if done > 0 else 0


def hit(counts: Counts, targets: DailyTargets) -> bool:
    """Whether the day counts: the dial target is met (with no target, any dial counts)."""
    if targets.dials <= 0:
        return counts.dials > 0
    return counts.dials >= targets.dials
