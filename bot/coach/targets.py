"""From a revenue goal back to the daily activity it needs, and the numbers reps type for it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from rapidfuzz import fuzz, process

from bot.coach._text import fold, number_word

Period = Literal["year", "quarter", "month"]

MAX_DIALS_PER_DAY: Final = 300
AMOUNT_MAX: Final = 1e12
COUNT_MAX: Final = 10_000
_PROBLEM: Final = "targets.problem."
# Anything longer is not a number someone typed; refusing early keeps parsing cheap.
_MAX_INPUT: Final = 64
_MONTHS: Final[dict[Period, int]] = {"year": 12, "quarter": 3, "month": 1}
_MAX_DAYS: Final[dict[str, int]] = {"year": 366, "quarter": 92, "month": 31}
# Reported instead of absurd per-day numbers, so a template never shows 1e300.
_REPORT_CAP: Final = 10**9


@dataclass(frozen=True)
class Rates:
    """Funnel conversion rates as fractions; defaults fit B2B phone prospecting."""

    dial_to_conversation: float = 0.2
    conversation_to_appointment: float = 0.25
    appointment_to_deal: float = 0.25
    # Share of dials going to people never called before.
    new_contact_share: float = 0.4


@dataclass(frozen=True)
class Goal:
    """A revenue goal for a period, the average deal, the rates and the period's working days.

    `working_days` are the days the rep's calendar works (weekdays without public holidays);
    the vacation days are counted out of them. `days_per_week` is a normal week's working days,
    for targets shown per week.
    """

    period: Period
    revenue: float
    deal_size: float
    rates: Rates
    working_days: int
    vacation_days: int = 0
    days_per_week: int = 5


@dataclass(frozen=True)
class DailyTargets:
    """Activity a working day needs; `contacts` are people never called before."""

    dials: int
    conversations: int
    appointments: int
    contacts: int


Unit = Literal["day", "week", "period"]
UNITS: Final[tuple[Unit, ...]] = ("day", "week", "period")


@dataclass(frozen=True)
class Target:
    """One metric's target as shown: a whole count per working day, per week or for the period."""

    metric: str
    count: int
    unit: Unit


@dataclass(frozen=True)
class FunnelProblem:
    """Why a goal gives no funnel (or, in `Funnel.notes`, what to point out): a key and values."""

    key: str
    values: dict[str, object]


@dataclass(frozen=True)
class Funnel:
    """Period totals (each stage rounded up), the per-day targets and the targets as shown.

    `per_day` is what a day counts against: a metric shown per week or for the period has 0
    there (no daily target), since a whole number a day would contradict the dials.
    """

    deals: int
    appointments: int
    conversations: int
    dials: int
    per_day: DailyTargets
    # Warnings that still give a funnel, e.g. "targets.problem.deal_bigger_than_goal".
    notes: tuple[FunnelProblem, ...] = ()
    # The four metrics in METRICS order, each in the unit it reads honestly in.
    targets: tuple[Target, ...] = ()
    # Working days after the vacation days are counted out.
    days: int = 0


_STAGE_RATES: Final = ("dial_to_conversation", "conversation_to_appointment", "appointment_to_deal")
# A target rounded further than this from its exact value is shown per week (or period) instead.
MAX_ROUNDING: Final = 0.2
MAX_VACATION_DAYS: Final = 366
# Paid leave a full-time employee typically has a year (days off on working days), without
# public holidays, which the calendar counts out already: the UK's 28 statutory days include
# the 8 bank holidays, and contracts usually give 25 plus bank holidays.
VACATION_DAYS_BY_COUNTRY: Final[dict[str, int]] = {"DE": 30, "AT": 25, "CH": 25, "GB": 25, "US": 15}
VACATION_DAYS_ELSEWHERE: Final = 25


def _problem(name: str, **values: object) -> FunnelProblem:
    return FunnelProblem(_PROBLEM + name, values)


def _is_number(value: object) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond any float
        return False


def _percent_of(rate: float) -> int:
    # Clamped so that a huge finite rate cannot overflow while rounding.
    return round(max(-1e6, min(1e6, rate * 100)))


def _ceil(value: float) -> int:
    # Float division leaves 1920.0000000000002 where the maths says 1920.
    return math.ceil(round(value, 6))


def round_half_up(value: float) -> int:
    """The nearest whole number, halves up (Python's round() sends 2.5 to 2)."""
    return math.floor(value + 0.5)


def _amount_check(field: str, value: float) -> FunnelProblem | None:
    if not _is_number(value):
        return _problem("not_a_number", field=field)
    if value < 0:
        return _problem("negative", field=field, value=value)
    if value == 0:
        return _problem("revenue_zero" if field == "revenue" else "deal_zero", field=field)
    return None


def _rate_check(name: str, value: float, *, zero_ok: bool = False) -> FunnelProblem | None:
    if not _is_number(value):
        return _problem("rate_invalid", rate=name)
    if value < 0:
        return _problem("rate_negative", rate=name, percent=_percent_of(value))
    if value == 0 and not zero_ok:
        return _problem("rate_zero", rate=name)
    if value > 1:
        return _problem("rate_above_100", rate=name, percent=_percent_of(value))
    return None


def _days_check(goal: Goal) -> FunnelProblem | None:
    days = goal.working_days
    if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
        return _problem("no_working_days", days=days if isinstance(days, int) else 0)
    most = _MAX_DAYS.get(goal.period, _MAX_DAYS["year"])
    if days > most:
        return _problem("too_many_working_days", days=days, max=most)
    vacation = goal.vacation_days
    if not isinstance(vacation, int) or isinstance(vacation, bool) or vacation < 0:
        return _problem("vacation_invalid", max=MAX_VACATION_DAYS)
    if vacation >= days:
        return _problem("vacation_fills_period", vacation=vacation, days=days)
    return None


def shown_target(metric: str, per_day: float, days: int, days_per_week: int) -> Target:
    """`per_day` as a whole count a day if that rounds honestly, else per week, else in total.

    Honest means at least 1 and within MAX_ROUNDING of the exact value; a period shorter than
    a working week has no weeks to speak of, and its total is rounded up.
    """
    if not per_day > 0:
        return Target(metric, 0, "day")
    week = max(1, days_per_week)
    candidates: list[tuple[Unit, float]] = [("day", per_day)]
    if days > week:
        candidates.append(("week", per_day * week))
    for unit, exact in candidates:
        count = round_half_up(exact)
        if count >= 1 and abs(count - exact) <= MAX_ROUNDING * exact:
            return Target(metric, count, unit)
    return Target(metric, max(1, _ceil(per_day * days)), "period")


def compute_funnel(goal: Goal) -> Funnel | FunnelProblem:
    """The deals, appointments, conversations and dials a goal needs, or why there are none."""
    days_problem = _days_check(goal)
    if days_problem is not None:
        return days_problem
    days = goal.working_days - goal.vacation_days
    for field, amount in (("revenue", goal.revenue), ("deal_size", goal.deal_size)):
        amount_problem_ = _amount_check(field, amount)
        if amount_problem_ is not None:
            return amount_problem_
    rates = goal.rates
    for name in _STAGE_RATES:
        rate_problem_ = _rate_check(name, getattr(rates, name))
        if rate_problem_ is not None:
            return rate_problem_
    share_problem = _rate_check("new_contact_share", rates.new_contact_share, zero_ok=True)
    if share_problem is not None:
        return share_problem

    # Both amounts are at most 1e12 and every rate is above 0, yet tiny rates can still
    # overflow a float, so the dials a day are checked in floats before rounding anything.
    # At least one deal is planned, however small the goal, so the check starts from one too.
    exact_dials = (
        max(1.0, goal.revenue / goal.deal_size)
        / rates.appointment_to_deal
        / rates.conversation_to_appointment
        / rates.dial_to_conversation
    )
    if not math.isfinite(exact_dials) or exact_dials / days > _REPORT_CAP:
        return _problem("too_many_dials", dials=_REPORT_CAP, max=MAX_DIALS_PER_DAY, days=days)
    deals = max(1, _ceil(goal.revenue / goal.deal_size))
    appointments = _ceil(deals / rates.appointment_to_deal)
    conversations = _ceil(appointments / rates.conversation_to_appointment)
    dials = _ceil(conversations / rates.dial_to_conversation)
    # Only the dials are rounded up; the stages below follow from them with the rep's rates,
    # so no target asks for more than the dials can give.
    dials_a_day = _ceil(dials / days)
    if dials_a_day > MAX_DIALS_PER_DAY:
        return _problem("too_many_dials", dials=dials_a_day, max=MAX_DIALS_PER_DAY, days=days)
    conversations_a_day = dials_a_day * rates.dial_to_conversation
    exact = {
        "conversations": conversations_a_day,
        "appointments": conversations_a_day * rates.conversation_to_appointment,
        "contacts": dials_a_day * rates.new_contact_share,
    }
    week = goal.days_per_week if isinstance(goal.days_per_week, int) else 5
    targets = (
        Target("dials", dials_a_day, "day"),
        *(shown_target(metric, value, days, week) for metric, value in exact.items()),
    )
    daily = {t.metric: t.count if t.unit == "day" else 0 for t in targets}
    per_day = DailyTargets(
        daily["dials"], daily["conversations"], daily["appointments"], daily["contacts"]
    )
    notes: tuple[FunnelProblem, ...] = ()
    if goal.deal_size > goal.revenue:
        # One deal already beats the goal; likely swapped inputs, so it is worth a word.
        notes = (_problem("deal_bigger_than_goal", revenue=goal.revenue, deal_size=goal.deal_size),)
    return Funnel(deals, appointments, conversations, dials, per_day, notes, targets, days)


def format_funnel(f: Funnel) -> dict[str, int]:
    """The funnel's numbers as template values: totals plus "<metric>_per_day"."""
    return {
        "deals": f.deals,
        "appointments": f.appointments,
        "conversations": f.conversations,
        "dials": f.dials,
        "dials_per_day": f.per_day.dials,
        "conversations_per_day": f.per_day.conversations,
        "appointments_per_day": f.per_day.appointments,
        "contacts_per_day": f.per_day.contacts,
    }


def _add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return date(year, month, min(start.day, last_day))


def period_end(period: Period, start: date) -> date:
    """The last day of the period that starts on `start` (12, 3 or 1 months, end inclusive)."""
    end = _add_months(start, _MONTHS[period])
    return end if end == date.max else end - timedelta(days=1)


def working_days_in_period(
    period: Period, start: date, is_working_day: Callable[[date], bool]
) -> int:
    """Days in [start, start + 12, 3 or 1 months) for which `is_working_day` holds."""
    end = _add_months(start, _MONTHS[period])
    return sum(
        1 for offset in range((end - start).days) if is_working_day(start + timedelta(offset))
    )


def default_vacation_days(country: str | None, period: Period) -> int:
    """The usual vacation days of a country's full-time employee, for the period's share of a
    year (30 a year in Germany, 25 in Austria and Switzerland, 28 in the UK, 15 in the US)."""
    code = (country or "").upper()
    code = "GB" if code == "UK" else code  # "UK" is the name people use, "GB" the ISO code
    yearly = VACATION_DAYS_BY_COUNTRY.get(code, VACATION_DAYS_ELSEWHERE)
    return round_half_up(yearly * _MONTHS[period] / 12)


# --- Parsing what reps type ---------------------------------------------------------------

_FILLER: Final = frozenset(
    {"ca", "circa", "etwa", "ungefaehr", "rund", "so", "knapp", "about", "around", "approx",
     "approximately", "roughly", "~", "ueber", "over", "nearly", "fast"}
)  # fmt: skip
_WORDS: Final = re.compile(r"[a-z]+")


def _strip_filler(folded: str) -> str:
    folded = folded.replace("~", " ")
    # Dots after words are abbreviations ("ca.", "Mio.", "Tsd.").
    folded = re.sub(r"(?<=[a-z])\.", " ", folded)
    return " ".join(word for word in folded.split() if word not in _FILLER)


def _prepare(text: str) -> str | None:
    if not isinstance(text, str) or not text or len(text) > _MAX_INPUT:
        return None
    return _strip_filler(fold(text).rstrip(".!?;: "))


def _plain_number(token: str) -> float | None:
    """Digits with at most one decimal separator, or a number word."""
    if re.fullmatch(r"\d+(?:[.,]\d+)?", token):
        return float(token.replace(",", "."))
    value = number_word(token)
    return None if value is None else float(value)


# --- Rates ---

_PERCENT_WORDS: Final = r"(?:%|prozent|percent|per cent|pct|vh|v h)"
_RATE_PERCENT: Final = re.compile(rf"([+-]?)\s*(\d+(?:[.,]\d+)?|[a-z]+)\s*({_PERCENT_WORDS})?")
_RATE_RATIO: Final = re.compile(
    r"([+-]?)\s*(\d+|[a-z]+)\s*(?:von|aus|in|of|out of|from|zu|/|:)\s*(\d+|[a-z]+)"
)
_RATE_EVERY: Final = re.compile(r"(?:jeder|jede|jedes|jeden|every|one in every)\s+(\d+|[a-z]+)")
_ORDINALS: Final = {
    "zweite": 2, "dritte": 3, "vierte": 4, "fuenfte": 5, "funfte": 5, "sechste": 6,
    "siebte": 7, "siebente": 7, "achte": 8, "neunte": 9, "zehnte": 10, "zwanzigste": 20,
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "twentieth": 20,
}  # fmt: skip


def _ordinal(token: str) -> int | None:
    if token in _ORDINALS:
        return _ORDINALS[token]
    match = re.fullmatch(r"(\d+)(?:te|ter|tes|ten|st|nd|rd|th)?", token)
    return int(match.group(1)) if match else None


def _raw_rate(text: str) -> float | None:
    """The rate as typed, as a fraction, even when it is out of range; None if unreadable."""
    folded = _prepare(text)
    if not folded:
        return None
    folded = re.sub(r"(\d)\.(?=\s|$)", r"\1", folded)  # "jeder 5." is an ordinal
    match = _RATE_EVERY.fullmatch(folded)
    if match is not None:
        nth = _ordinal(match.group(1))
        return 1 / nth if nth else None
    match = _RATE_RATIO.fullmatch(folded)
    if match is not None:
        part, whole = _plain_number(match.group(2)), _plain_number(match.group(3))
        if part is None or not whole:
            return None
        return (-part if match.group(1) == "-" else part) / whole
    match = _RATE_PERCENT.fullmatch(folded)
    if match is None:
        return None
    sign, number, unit = match.groups()
    value = _plain_number(number)
    if value is None:
        return None
    if sign == "-":
        value = -value
    # A bare "0,25" is a fraction; a bare "25" (or "25,5") is a percentage.
    is_fraction = unit is None and any(sep in number for sep in ".,") and abs(value) < 1
    return value if is_fraction else value / 100


def rate_problem(text: str) -> str | None:
    """Why `parse_rate` refuses the text ("targets.problem.rate_*"), or None when it reads it."""
    value = _raw_rate(text)
    if value is None or not math.isfinite(value):
        return _PROBLEM + "rate_unreadable"
    if value < 0:
        return _PROBLEM + "rate_negative"
    if value == 0:
        return _PROBLEM + "rate_zero"
    if value > 1:
        return _PROBLEM + "rate_above_100"
    return None


def parse_rate(text: str) -> float | None:
    """A rate in (0, 1] from "10", "10 %", "0,1", "1 von 10", "jeder 5."; see `rate_problem`."""
    value = _raw_rate(text)
    if value is None or not math.isfinite(value) or not 0 < value <= 1:
        return None
    return value


# --- Amounts ---

_CURRENCY: Final = re.compile(r"€|\$|£|\b(?:eur|euro|euros|usd|dollar|dollars|chf|sfr|gbp)\b")
_MULTIPLIERS: Final = {
    **dict.fromkeys(("k", "t", "tsd", "tausend", "thousand", "thousands", "teur", "keur"), 1e3),
    **dict.fromkeys(("m", "mio", "mill", "million", "millionen", "millions", "mn", "mm"), 1e6),
    **dict.fromkeys(("mrd", "milliarde", "milliarden", "bn", "billion", "billions"), 1e9),
}
_AMOUNT: Final = re.compile(r"([+-]?)\s*([0-9][0-9.,' ]*[0-9]|[0-9]|[a-z]+)\s*([a-z]+)?")
_GROUPED: Final = re.compile(r"[0-9]{1,3}(?:[.,' ][0-9]{3})+")


def _digits(number: str, has_multiplier: bool) -> float | None:
    """Digits with thousands separators and/or one decimal separator, read as people mean them."""
    separators = [ch for ch in number if not ch.isdigit()]
    if not separators:
        return float(number)
    last = separators[-1]
    head, _, tail = number.rpartition(last)
    decimal = False
    if last in ".," and separators.count(last) == 1:
        others = {ch for ch in separators[:-1]}
        if others & {".", ","}:
            decimal = True  # "120.000,50" and "1,200.50": the last mark is the decimal one
        elif has_multiplier or len(tail) != 3:
            decimal = True  # "1,5 Mio", "1,5"; but "120.000" and "120,000" are thousands
    if decimal:
        if head and not head.isdigit() and _GROUPED.fullmatch(head) is None:
            return None
        if len({ch for ch in head if not ch.isdigit()}) > 1:
            return None
        return float(re.sub(r"[^0-9]", "", head) + "." + tail)
    if _GROUPED.fullmatch(number) is None or len(set(separators)) > 1:
        return None
    return float(re.sub(r"[^0-9]", "", number))


def _raw_amount(text: str) -> float | None:
    folded = _prepare(text)
    if not folded:
        return None
    folded = folded.replace("’", "'").replace("`", "'")
    folded = " ".join(_CURRENCY.sub(" ", folded).split())
    folded = re.sub(r"[.,]\s*-+$", "", folded)  # "120.000,- €": German price notation
    match = _AMOUNT.fullmatch(folded)
    if match is None:
        return None
    sign, number, unit = match.groups()
    factor = 1.0
    if unit is not None:
        if unit not in _MULTIPLIERS:
            return None
        factor = _MULTIPLIERS[unit]
    if number[0].isdigit():
        value = _digits(number, unit is not None)
    else:
        word = number_word(number)
        value = None if word is None else float(word)
    if value is None:
        return None
    return (-value if sign == "-" else value) * factor


def amount_problem(text: str) -> str | None:
    """Why `parse_amount` refuses the text ("targets.problem.*"), or None when it reads it."""
    value = _raw_amount(text)
    if value is None or not math.isfinite(value):
        return _PROBLEM + "amount_unreadable"
    if value < 0:
        return _PROBLEM + "negative"
    if value == 0:
        return _PROBLEM + "amount_zero"
    if value > AMOUNT_MAX:
        return _PROBLEM + "amount_too_large"
    return None


def parse_amount(text: str) -> float | None:
    """Money from "120.000 €", "€120,000", "120k", "1,2 Mio", "120.000,50"; None if not positive."""
    value = _raw_amount(text)
    if value is None or not math.isfinite(value) or not 0 < value <= AMOUNT_MAX:
        return None
    return value


# --- Periods ---

_PERIOD_PREFIXES: Final[tuple[tuple[str, Period], ...]] = (
    ("vierteljahr", "quarter"),
    ("viertel", "quarter"),
    ("quartal", "quarter"),
    ("quarter", "quarter"),
    ("jahr", "year"),
    ("jaehr", "year"),
    ("year", "year"),
    ("annual", "year"),
    ("monat", "month"),
    ("month", "month"),
)
_PERIOD_WORDS: Final[dict[str, Period]] = {
    "j": "year", "y": "year", "pa": "year", "yr": "year", "yrs": "year", "yoy": "year",
    "geschaeftsjahr": "year", "kalenderjahr": "year", "fiscal": "year", "fy": "year",
    "q": "quarter", "q1": "quarter", "q2": "quarter", "q3": "quarter", "q4": "quarter",
    "qtr": "quarter", "qtrly": "quarter",
    "m": "month", "mtl": "month", "mon": "month", "mo": "month", "mth": "month",
    "mthly": "month",
}  # fmt: skip
_PERIOD_FILLER: Final = frozenset(
    {"pro", "per", "im", "in", "a", "ein", "eine", "einen", "the", "this", "next", "dieses",
     "diesen", "naechstes", "naechsten", "jedes", "jeden", "each", "every", "ziel", "goal",
     "target", "umsatz", "revenue", "ganzes", "ganzen", "ganze", "whole", "full", "fuer", "for",
     "das", "den", "der", "aktuelle", "aktuellen", "current", "laufende", "laufenden"}
)  # fmt: skip
_FUZZY_PERIODS: Final[dict[str, Period]] = {
    "jahr": "year",
    "year": "year",
    "annual": "year",
    "quartal": "quarter",
    "quarter": "quarter",
    "monat": "month",
    "month": "month",
    "monthly": "month",
}
_MONTH_COUNTS: Final[dict[str, Period]] = {
    "12": "year",
    "zwoelf": "year",
    "twelve": "year",
    "3": "quarter",
    "drei": "quarter",
    "three": "quarter",
    "1": "month",
}


def _period_word(word: str) -> Period | None:
    if word in _PERIOD_WORDS:
        return _PERIOD_WORDS[word]
    if word.startswith("halb") or word.startswith("half"):
        return None
    for prefix, period in _PERIOD_PREFIXES:
        if word.startswith(prefix) or (len(word) > 8 and word.endswith(prefix)):
            return period
    if len(word) >= 4:
        found = process.extractOne(word, list(_FUZZY_PERIODS), scorer=fuzz.ratio, score_cutoff=80)
        if found is not None:
            return _FUZZY_PERIODS[found[0]]
    return None


def parse_period(text: str) -> Period | None:
    """ "year", "quarter" or "month" from "Jahr", "jährlich", "Quartal", "Q3", "monthly", …"""
    folded = _prepare(text)
    if not folded:
        return None
    folded = re.sub(r"\bp a\b", "pa", folded)  # "p.a." lost its dots in _prepare
    folded = re.sub(r"\bviertel\s+jahr", "vierteljahr", folded)
    words = [w for w in re.split(r"[\s/,.;:!?()'\-]+", folded) if w and w not in _PERIOD_FILLER]
    # "12 Monate", "3 months": a count of months names the period.
    if len(words) == 2 and _period_word(words[1]) == "month" and words[0] in _MONTH_COUNTS:
        return _MONTH_COUNTS[words[0]]
    periods = {_period_word(word) for word in words}
    if len(periods) != 1:
        return None
    return periods.pop()


# --- Counts ---

_EXTRA_NUMBER_WORDS: Final = {
    **dict.fromkeys(("hundert", "einhundert", "hundred"), 100),
    **dict.fromkeys(("tausend", "eintausend", "thousand"), 1000),
    **dict.fromkeys(("kein", "keine", "keiner", "keinen", "nichts", "none", "no", "nothing"), 0),
}


def parse_count(text: str, *, maximum: int = COUNT_MAX) -> int | None:
    """A whole number from 0 to `maximum` ("12", " 12 ", "ca. 12", "zwölf", "1.000"), else None."""
    folded = _prepare(text)
    if not folded:
        return None
    folded = folded.strip("+ ")  # "20+" is an answer to a question, read as 20
    value: int | None
    if re.fullmatch(r"[0-9]+", folded):
        value = int(folded)
    elif _GROUPED.fullmatch(folded) and len(set(re.sub(r"[0-9]", "", folded))) == 1:
        value = int(re.sub(r"[^0-9]", "", folded))
    elif folded in _EXTRA_NUMBER_WORDS:
        value = _EXTRA_NUMBER_WORDS[folded]
    else:
        value = number_word(folded)
    if value is None or not 0 <= value <= maximum:
        return None
    return value


_DAY_WORDS: Final = frozenset(
    {"tag", "tage", "tagen", "urlaubstag", "urlaubstage", "urlaub", "day", "days", "d",
     "holiday", "holidays", "vacation", "off", "frei", "freie", "im", "pro", "a", "per",
     "jahr", "year", "insgesamt", "total"}
)  # fmt: skip


def parse_vacation_days(text: str) -> int | None:
    """Vacation days from "30", "30 Tage", "ca. 25 days", "kein Urlaub", "none" (0 to 366)."""
    folded = _prepare(text)
    if not folded:
        return None
    words = [word for word in folded.split() if word not in _DAY_WORDS]
    if not words:
        return None
    return parse_count(" ".join(words), maximum=MAX_VACATION_DAYS)
