"""The prospecting self-check: seven questions, a rule-based diagnosis and suggested targets."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from typing import Final, Literal

from bot.coach._text import fold
from bot.coach.activity import METRICS
from bot.coach.clock import parse_minutes
from bot.coach.targets import (
    MAX_DIALS_PER_DAY,
    DailyTargets,
    Rates,
    Target,
    parse_count,
    round_half_up,
    shown_target,
)

_FINDING: Final = "audit.finding."
_MAX_INPUT: Final = 200
MAX_FINDINGS: Final = 4
# Realistic phone pace: 15-20 dials per blocked hour; targets use the low end to stay reachable.
PACE_PER_HOUR: Final = 15
PACE_PER_HOUR_HIGH: Final = 20
# Most conversations happen on attempt 3 to 5; after 15 a prospect is a "never buyer".
MIN_ATTEMPTS: Final = 3
GOOD_ATTEMPTS: Final = 5
MAX_USEFUL_ATTEMPTS: Final = 15
MIN_BLOCKED_MINUTES: Final = 60
MIN_NEW_PEOPLE: Final = 5
# Targets rise at most by half at once, and a rep starting from nothing starts here.
MAX_STEP: Final = 1.5
START_DIALS: Final = 15
# Fewer logged working days than this say too little about what the rep really does.
MIN_HISTORY_DAYS: Final = 3
# The rep's own rates replace the assumed ones from this many logged dials and conversations.
MIN_RATE_DIALS: Final = 100
MIN_RATE_CONVERSATIONS: Final = 10
# Stands for "a long period" when a weekly unit is chosen; the audit has no goal period.
_LONG_PERIOD_DAYS: Final = 250


@dataclass(frozen=True)
class Question:
    """One self-check question; its text is the content key f"audit.q.{id}"."""

    id: str
    kind: Literal["number", "choice"]
    # Button values; for "number" questions they are quick answers and typed numbers also work.
    choices: tuple[str, ...] = ()
    max: int = 1000


QUESTIONS: Final[tuple[Question, ...]] = (
    Question("dials_per_day", "number", ("0", "10", "25", "50", "80+"), max=1000),
    Question("blocked_minutes", "number", ("0", "30", "60", "120+"), max=600),
    Question("lead_sources", "choice", ("0", "1", "2", "3+")),
    Question("attempts_before_giving_up", "number", ("1", "2", "3", "5", "8+"), max=100),
    Question("new_people_per_day", "number", ("0", "5", "10", "20+"), max=1000),
    Question("never_buyer_calls", "choice", ("none", "some", "most")),
    Question("daily_goal_known", "choice", ("yes", "roughly", "no")),
)
QUESTION_BY_ID: Final = {question.id: question for question in QUESTIONS}


@dataclass(frozen=True)
class Finding:
    """One observation: a content key, its values and how much it matters (3 most)."""

    key: str
    values: dict[str, object]
    severity: int


@dataclass(frozen=True)
class Basis:
    """What the suggestion was built on: the logged days (if enough), their average dials, the
    rates used ("history", "goal" or "default") and the dials a day the rep's goal needs."""

    history_days: int = 0
    average_dials: int = 0
    rates: Literal["history", "goal", "default"] = "default"
    goal_dials: int = 0


@dataclass(frozen=True)
class Diagnosis:
    """Up to four findings, most severe first, suggested daily targets and a 0-100 score.

    `targets` are the suggestion as shown (per day, or per week where a day's number would
    not follow from the dials); `suggested` has 0 for a metric shown per week.
    """

    findings: tuple[Finding, ...]
    suggested: DailyTargets
    score: int
    targets: tuple[Target, ...] = ()
    basis: Basis = Basis()


# --- Answers -------------------------------------------------------------------------------

_NONE_WORDS: Final = frozenset(
    {"keine", "keiner", "keinen", "kein", "nichts", "nix", "null", "none", "no", "nothing",
     "nie", "never", "gar nicht", "gar keine", "garnicht", "not at all", "zero", "0"}
)  # fmt: skip
_CHOICE_WORDS: Final[dict[str, dict[str, str]]] = {
    "never_buyer_calls": {
        **dict.fromkeys(
            ("keine", "keinen", "kein", "nie", "niemals", "gar keine", "none", "no", "never",
             "nein", "0", "null", "nothing", "nichts"),
            "none",
        ),
        **dict.fromkeys(
            ("einige", "manche", "wenige", "ein paar", "paar", "ein teil", "teilweise",
             "ab und zu", "manchmal", "etwas", "some", "a few", "few", "sometimes", "a bit",
             "part", "partly", "a little", "bisschen", "ein bisschen", "gelegentlich"),
            "some",
        ),
        **dict.fromkeys(
            ("die meisten", "meiste", "meisten", "meistens", "fast alle", "alle", "viele",
             "sehr viele", "ueberwiegend", "die mehrheit", "mehrheit", "most", "mostly",
             "almost all", "all", "many", "a lot", "lots", "the majority", "majority"),
            "most",
        ),
    },
    "daily_goal_known": {
        **dict.fromkeys(
            ("ja", "jo", "jep", "jap", "klar", "genau", "sicher", "natuerlich", "yes", "yep",
             "yeah", "sure", "of course", "y", "j", "absolut", "definitely"),
            "yes",
        ),
        **dict.fromkeys(
            ("ungefaehr", "so ungefaehr", "grob", "etwa", "halbwegs", "teilweise", "jein",
             "ein bisschen", "bisschen", "so halb", "eher ja", "mehr oder weniger", "roughly",
             "kind of", "sort of", "more or less", "partly", "somewhat", "sometimes",
             "a bit", "vaguely", "ish", "ungefahr"),
            "roughly",
        ),
        **dict.fromkeys(
            ("nein", "nee", "ne", "noe", "no", "nope", "nicht", "nicht wirklich", "eher nicht",
             "keine ahnung", "no idea", "not really", "n", "never", "nie"),
            "no",
        ),
    },
}  # fmt: skip
_NUMBER_FILLER: Final = frozenset(
    {"pro", "per", "am", "a", "im", "tag", "tage", "day", "days", "taeglich", "daily",
     "stueck", "mal", "x", "times", "anrufe", "anrufen", "calls", "dials", "wahlversuche",
     "waehlversuche", "versuche", "versuchen", "attempts", "tries", "leute", "personen",
     "menschen", "people", "kontakte", "contacts", "neue", "new", "quellen", "sources",
     "lead", "leads", "leadquellen", "nach", "after", "ich", "i", "aufgebe", "give",
     "up", "mindestens", "at", "least", "max", "maximal", "hoechstens", "most", "ca", "etwa",
     "circa", "ungefaehr", "rund", "about", "around", "so", "jeweils", "each"}
)  # fmt: skip
_RANGE: Final = re.compile(r"([0-9]+)\s*(?:-|bis|to|oder|or|/)\s*([0-9]+)")
_LIST_SPLIT: Final = re.compile(r"\s*(?:,|;|/|\+|&|\bund\b|\band\b|\bsowie\b)\s*")


def _words(folded: str) -> str:
    return " ".join(word for word in re.split(r"[\s.]+", folded) if word not in _NUMBER_FILLER)


def _range(plain: str, factor: int = 1) -> int | None:
    match = _RANGE.fullmatch(plain)
    if match is None:
        return None
    low, high = int(match.group(1)), int(match.group(2))
    # A range answers with its middle ("10-15 Anrufe" is about 12).
    return (low + high) * factor // 2 if low <= high else None


def _blocked(folded: str, most: int) -> int | None:
    """Minutes blocked for calls: "0", "keine", "90", "1,5 Std", "1-2 Stunden"."""
    plain = _words(folded).strip("+ ")
    if plain in _NONE_WORDS:
        return 0
    minutes = parse_minutes(plain)
    if minutes is None:
        unit = re.fullmatch(r"(.+?)\s*(h|std|stunden?|hours?|min|mins|minuten|minutes)?", plain)
        if unit is None:
            return None
        hours = bool(unit.group(2)) and unit.group(2)[0] in "hs"
        minutes = _range(unit.group(1), 60 if hours else 1)
        if minutes is None:
            return None
    # Bare "2" is refused by parse_minutes (too short): likely hours, so it is asked again.
    return minutes if 0 < minutes <= most else None


def _number(question: Question, folded: str) -> int | None:
    if question.id == "blocked_minutes":
        return _blocked(folded, question.max)
    plain = _words(folded)
    if plain in _NONE_WORDS:
        return 0
    middle = _range(plain)
    if middle is not None:
        return middle if middle <= question.max else None
    return parse_count(plain, maximum=question.max)


def _lead_sources(folded: str) -> str | None:
    folded = re.sub(r"^(?:nur|only|just)\s+", "", folded)
    if folded in _NONE_WORDS:
        return "0"
    count = parse_count(folded.replace("quellen", "").replace("sources", "").strip())
    if count is None:
        # A list of sources ("LinkedIn, Empfehlungen, Messen") answers with how many it names.
        parts = [part for part in _LIST_SPLIT.split(folded) if part]
        if len(parts) < 2 or any(len(part) > 40 or len(part.split()) > 4 for part in parts):
            return None
        count = len(set(parts))
    return "3+" if count >= 3 else str(count)


def _percent_share(folded: str) -> str | None:
    match = re.fullmatch(
        r"(?:ca |etwa |about |around )?([0-9]{1,3})\s*(?:%|prozent|percent)", folded
    )
    if match is None:
        return None
    share = int(match.group(1))
    if share > 100:
        return None
    if share == 0:
        return "none"
    return "most" if share >= 50 else "some"


def parse_answer(question: Question, text: str) -> str | int | None:
    """A button value or typed answer as int (number questions) or choice value; None if unclear."""
    if not isinstance(text, str) or not text or len(text) > _MAX_INPUT:
        return None
    folded = fold(text).rstrip(".!?")
    folded = folded.strip()
    if question.kind == "number":
        return _number(question, folded)
    if folded in question.choices:
        return folded
    if question.id == "lead_sources":
        return _lead_sources(folded)
    words = _CHOICE_WORDS.get(question.id, {})
    if folded in words:
        return words[folded]
    if question.id == "never_buyer_calls":
        return _percent_share(folded)
    return None


# --- Diagnosis -----------------------------------------------------------------------------


def _int(answers: Mapping[str, str | int], key: str) -> int | None:
    """A number answer, tolerating values stored as text and ignoring nonsense."""
    value = answers.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = parse_count(value.strip("+"), maximum=QUESTION_BY_ID[key].max)
    if not isinstance(value, int) or value < 0:
        return None
    return min(value, QUESTION_BY_ID[key].max)


def _choice(answers: Mapping[str, str | int], key: str) -> str | None:
    value = answers.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and key == "lead_sources":
        value = "3+" if value >= 3 else str(max(0, value))
    return value if isinstance(value, str) and value in QUESTION_BY_ID[key].choices else None


@dataclass(frozen=True, slots=True)
class _Answers:
    dials: int | None
    minutes: int | None
    sources: str | None
    attempts: int | None
    new_people: int | None
    never_buyers: str | None
    goal_known: str | None


def _read(answers: Mapping[str, str | int]) -> _Answers:
    return _Answers(
        dials=_int(answers, "dials_per_day"),
        minutes=_int(answers, "blocked_minutes"),
        sources=_choice(answers, "lead_sources"),
        attempts=_int(answers, "attempts_before_giving_up"),
        new_people=_int(answers, "new_people_per_day"),
        never_buyers=_choice(answers, "never_buyer_calls"),
        goal_known=_choice(answers, "daily_goal_known"),
    )


def _finding(name: str, severity: int, **values: object) -> Finding:
    return Finding(_FINDING + name, values, severity)


def _findings(a: _Answers) -> list[Finding]:
    """Every rule that applies, in the order that breaks ties between equal severities."""
    found: list[Finding] = []
    if a.dials == 0:
        found.append(_finding("no_dials", 3))
    if a.minutes == 0:
        found.append(_finding("no_blocked_time", 3, suggested=MIN_BLOCKED_MINUTES))
    elif a.minutes is not None and a.minutes < MIN_BLOCKED_MINUTES:
        found.append(
            _finding("little_blocked_time", 2, minutes=a.minutes, suggested=MIN_BLOCKED_MINUTES)
        )
    if a.attempts is not None and a.attempts < MIN_ATTEMPTS:
        found.append(_finding("gives_up_early", 3, attempts=a.attempts, suggested=GOOD_ATTEMPTS))
    elif a.attempts is not None and a.attempts > MAX_USEFUL_ATTEMPTS:
        found.append(_finding("too_many_attempts", 1, attempts=a.attempts, max=MAX_USEFUL_ATTEMPTS))
    if a.goal_known == "no":
        found.append(_finding("no_daily_goal", 3))
    elif a.goal_known == "roughly":
        found.append(_finding("rough_daily_goal", 1))
    if a.minutes and a.dials:
        expected = a.minutes * PACE_PER_HOUR // 60
        if a.dials < expected:
            found.append(
                _finding(
                    "slow_pace", 2, dials=a.dials, minutes=a.minutes, expected=expected,
                    pace_low=PACE_PER_HOUR, pace_high=PACE_PER_HOUR_HIGH,
                )
            )  # fmt: skip
    if a.new_people == 0:
        found.append(_finding("no_new_people", 3, suggested=MIN_NEW_PEOPLE))
    elif a.new_people is not None and a.new_people < MIN_NEW_PEOPLE:
        found.append(
            _finding("few_new_people", 2, new_people=a.new_people, suggested=MIN_NEW_PEOPLE)
        )
    if a.sources == "0":
        found.append(_finding("no_lead_source", 3))
    elif a.sources == "1":
        found.append(_finding("single_lead_source", 2))
    if a.never_buyers == "most":
        found.append(_finding("mostly_never_buyers", 2))
    return found


def _score(a: _Answers) -> int:
    """0-100 from seven areas; unanswered areas give nothing."""
    points = 0.0
    if a.dials is not None:
        points += 20 * min(a.dials, 50) / 50
    if a.minutes is not None:
        points += 15 * min(a.minutes, 120) / 120
    points += {"0": 0, "1": 4, "2": 7, "3+": 10}.get(a.sources or "", 0)
    if a.attempts is not None:
        if a.attempts > MAX_USEFUL_ATTEMPTS:
            points += 10
        else:
            points += 15 * min(a.attempts, GOOD_ATTEMPTS) / GOOD_ATTEMPTS
    if a.new_people is not None:
        points += 15 * min(a.new_people, 10) / 10
    points += {"none": 10, "some": 7, "most": 2}.get(a.never_buyers or "", 0)
    points += {"yes": 15, "roughly": 7, "no": 0}.get(a.goal_known or "", 0)
    return max(0, min(100, round_half_up(points)))


def _step_up(base: int, wanted: int, start: int) -> int:
    """`wanted`, but from `base` at most half again; from nothing at most `start`."""
    if base >= wanted:
        return base
    if base <= 0:
        return min(wanted, start)
    return min(wanted, math.ceil(base * MAX_STEP))


def _average(days: Sequence[Mapping[str, int]], metric: str) -> float:
    return sum(max(0, int(day.get(metric, 0))) for day in days) / len(days)


def _history_rates(days: Sequence[Mapping[str, int]], fallback: Rates) -> Rates | None:
    """The rep's own rates from logged days, when there are enough calls to trust them."""
    dials = sum(max(0, int(day.get("dials", 0))) for day in days)
    conversations = sum(max(0, int(day.get("conversations", 0))) for day in days)
    appointments = sum(max(0, int(day.get("appointments", 0))) for day in days)
    if dials < MIN_RATE_DIALS or conversations < MIN_RATE_CONVERSATIONS or not appointments:
        return None
    return Rates(
        min(1.0, conversations / dials),
        min(1.0, appointments / conversations),
        fallback.appointment_to_deal,
        fallback.new_contact_share,
    )


def _suggest(
    a: _Answers,
    current: DailyTargets | None,
    recent: Sequence[Mapping[str, int]],
    goal_rates: Rates | None,
    days_per_week: int,
) -> tuple[DailyTargets, tuple[Target, ...], Basis]:
    history = len(recent) >= MIN_HISTORY_DAYS
    assumed = goal_rates or Rates()
    measured = _history_rates(recent, assumed) if history else None
    rates = measured or assumed
    kind: Literal["history", "goal", "default"] = (
        "history" if measured else "goal" if goal_rates else "default"
    )
    target_dials = current.dials if current is not None else 0
    average = round_half_up(_average(recent, "dials")) if history else 0
    # Build on what the logged days show the rep does; without them, on the higher of the
    # targets in place and what the rep says they do.
    base = average if history else max(target_dials, a.dials or 0)
    hours = max(a.minutes or 0, MIN_BLOCKED_MINUTES) / 60
    # Aim for what the blocked time allows, or what the targets in place ask, if more.
    wanted = max(math.ceil(hours * PACE_PER_HOUR), target_dials)
    dials = min(max(base, _step_up(base, wanted, START_DIALS)), MAX_DIALS_PER_DAY)
    dials = max(1, dials)
    done_new = round_half_up(_average(recent, "contacts")) if history else 0
    said_new = max(current.contacts if current is not None else 0, a.new_people or 0)
    new_base = done_new if history else said_new
    wanted_new = math.ceil(round(dials * rates.new_contact_share, 6))
    contacts = min(_step_up(new_base, wanted_new, max(1, wanted_new // 2)), dials)
    conversations = dials * rates.dial_to_conversation
    week = days_per_week if 0 < days_per_week <= 7 else 5
    targets = (
        Target("dials", dials, "day"),
        shown_target("conversations", conversations, _LONG_PERIOD_DAYS, week),
        shown_target(
            "appointments",
            conversations * rates.conversation_to_appointment,
            _LONG_PERIOD_DAYS,
            week,
        ),
        Target("contacts", contacts, "day"),
    )
    daily = {t.metric: t.count if t.unit == "day" else 0 for t in targets}
    suggested = DailyTargets(
        daily["dials"], daily["conversations"], daily["appointments"], daily["contacts"]
    )
    # The goal's dials are worth naming when the next step stays below them.
    goal_dials = target_dials if goal_rates is not None and dials < target_dials else 0
    basis = Basis(len(recent) if history else 0, average, kind, goal_dials)
    return suggested, targets, basis


def diagnose(
    answers: Mapping[str, str | int],
    current: DailyTargets | None = None,
    *,
    recent: Sequence[Mapping[str, int]] = (),
    goal_rates: Rates | None = None,
    days_per_week: int = 5,
) -> Diagnosis:
    """Findings (most severe first, at most four), suggested targets and a 0-100 score.

    The suggestion builds on the targets in place (`current`), the counts of recent logged
    working days (`recent`, today left out) and the rates of the rep's goal (`goal_rates`).
    """
    read = _read(answers)
    found = _findings(read)
    # Stable sort: equal severities keep the order of the rules above.
    ordered = sorted(found, key=lambda finding: -finding.severity)[:MAX_FINDINGS]
    if not ordered and None not in astuple(read):
        ordered = [_finding("all_good", 0)]  # only a complete self-check earns praise
    suggested, targets, basis = _suggest(read, current, recent, goal_rates, days_per_week)
    return Diagnosis(tuple(ordered), suggested, _score(read), targets, basis)


def compare(previous: Diagnosis, current: Diagnosis) -> dict[str, int]:
    """Change from an earlier self-check: "score", "findings" and each metric's suggested target."""
    changes = {
        "score": current.score - previous.score,
        "findings": _problems(current) - _problems(previous),
    }
    for metric in METRICS:
        changes[metric] = getattr(current.suggested, metric) - getattr(previous.suggested, metric)
    return changes


def _problems(diagnosis: Diagnosis) -> int:
    return sum(1 for finding in diagnosis.findings if finding.severity > 0)


def resolved(previous: Diagnosis, current: Diagnosis) -> tuple[str, ...]:
    """Keys of earlier findings that no longer appear."""
    now = {finding.key for finding in current.findings}
    return tuple(f.key for f in previous.findings if f.severity > 0 and f.key not in now)
