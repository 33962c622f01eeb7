"""Follow-up cadence: who to contact next, when, why and how; persistence without pushiness.

Rules (seeds 001-004):
- Not reached: try again, spaced out over working days (+1, +2, +3, +5 after the first to the
  fourth unanswered attempt in a row): most conversations happen by the 3rd to 5th attempt.
- After five unanswered attempts in a row: a clear suggestion with the count: change the
  channel (a personal letter or a mail) and make one last try in two working weeks, or let go.
- Talked: stay in touch in a week, and get the OK for the next contact.
- Appointment set: confirm it in writing the next working day.
- "Later, OK to call again on …": the date the customer agreed to.
- Won: after-sales care after one week (is everything working?), one month (what can be
  better?) and three months (who else would benefit? the referral ask).
- Lost: never go silent; ask in three months what has changed.
Every date lands on a working day of the rep (weekdays, public holidays, pauses), counted
from the rep's local today. Each proposal names one channel (call, mail, letter, visit,
coffee, walk) that varies with the contact and the touches so far.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo

from bot.coach._text import MONTHS, fold, number_word
from bot.coach.activity import percent
from bot.coach.calendar import WorkCalendar, local_date
from bot.coach.weekdays import parse_weekdays

Outcome = Literal["not_reached", "talked", "appointment", "won", "lost", "later"]
OUTCOMES: Final[tuple[Outcome, ...]] = get_args(Outcome)
NOT_REACHED: Final[Outcome] = "not_reached"
# Every outcome but "not reached" means the rep got to talk to the contact.
CONVERSATIONS: Final[frozenset[Outcome]] = frozenset(OUTCOMES) - {NOT_REACHED}

Channel = Literal["call", "mail", "letter", "visit", "coffee", "walk", "other"]
CHANNELS: Final[tuple[Channel, ...]] = get_args(Channel)
DEFAULT_CHANNEL: Final[Channel] = "call"

Reason = Literal[
    "retry",
    "rethink",
    "agreed",
    "after_talk",
    "appointment",
    "aftersales_1w",
    "aftersales_1m",
    "aftersales_3m",
    "stay_in_touch",
]
REASONS: Final[tuple[Reason, ...]] = get_args(Reason)
AFTERSALES: Final[tuple[Reason, ...]] = ("aftersales_1w", "aftersales_1m", "aftersales_3m")

Status = Literal["new", "trying", "talking", "won", "lost"]
STATUSES: Final[tuple[Status, ...]] = get_args(Status)

# Working days until the next try after the 1st, 2nd, 3rd and 4th unanswered attempt.
RETRY_GAPS: Final = (1, 2, 3, 5)
# Most conversations happen by these attempts (public sales data, seed 001).
CONVERSATION_BY: Final = (3, 5)
# From this many unanswered attempts in a row on, the bot suggests another channel or letting go.
RETHINK_AFTER: Final = len(RETRY_GAPS) + 1
RETHINK_GAP: Final = 10
AFTER_TALK_GAP: Final = 5
APPOINTMENT_GAP: Final = 1
STAY_IN_TOUCH_MONTHS: Final = 3
# Fewer attempts than this before letting a prospect go is giving up early (stats in /week).
EARLY_DROP: Final = 3
# No follow-up is planned further ahead than this.
MAX_AHEAD: Final = timedelta(days=2 * 366)
# A reminder whose time today has passed comes this long after the rep planned it.
LATE_REMINDER: Final = timedelta(hours=1)

# The channels a proposal picks from, by reason; which one depends on the contact and the
# touches so far, so consecutive proposals differ.
CHANNEL_CHOICES: Final[Mapping[Reason, tuple[Channel, ...]]] = MappingProxyType(
    {
        "retry": ("call", "call", "mail"),
        "rethink": ("letter", "mail"),
        "agreed": ("call", "mail", "visit"),
        "after_talk": ("mail", "call", "letter"),
        "appointment": ("mail", "call"),
        "aftersales_1w": ("call", "mail"),
        "aftersales_1m": ("visit", "coffee", "call"),
        "aftersales_3m": ("coffee", "walk", "letter", "visit"),
        "stay_in_touch": ("letter", "mail", "coffee"),
    }
)

_DAY: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed next touch: why, on which local day, over which channel (with an idea
    variant), after how many unanswered attempts in a row; `moved` if a day off moved it."""

    reason: Reason
    due: date
    channel: Channel
    variant: int = 0
    attempts: int = 0
    moved: bool = False


# --- Working days --------------------------------------------------------------------------


def on_working_day(calendar: WorkCalendar, day: date) -> date:
    """`day` if the rep works then, else the next working day (`day` if there is none)."""
    if calendar.is_working_day(day):
        return day
    return calendar.next_working_day(day) or day


def add_working_days(calendar: WorkCalendar, day: date, n: int) -> date:
    """The `n`th working day after `day` (calendar days when the rep has no working days)."""
    current = day
    for _ in range(max(0, n)):
        following = calendar.next_working_day(current)
        if following is None:
            return day + timedelta(days=n)
        current = following
    return current


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day (31.01. + 1 = 28.02.)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# --- The cadence ---------------------------------------------------------------------------


def unanswered(outcomes: Sequence[str]) -> int:
    """Unanswered attempts in a row at the end of the touches (oldest first)."""
    count = 0
    for outcome in reversed(outcomes):
        if outcome != NOT_REACHED:
            break
        count += 1
    return count


def _pick(reason: Reason, seed: int, step: int) -> tuple[Channel, int]:
    choices = CHANNEL_CHOICES[reason]
    index = abs(seed) + step
    return choices[index % len(choices)], index // len(choices)


def _proposal(
    reason: Reason,
    due: date,
    calendar: WorkCalendar,
    seed: int,
    step: int,
    attempts: int = 0,
) -> Proposal:
    channel, variant = _pick(reason, seed, step)
    day = on_working_day(calendar, due)
    return Proposal(reason, day, channel, variant, attempts, moved=day != due)


def propose(
    outcome: Outcome,
    history: Sequence[str],
    *,
    now: datetime,
    tz: str,
    calendar: WorkCalendar,
    seed: int = 0,
    agreed: date | None = None,
    planned: Collection[str] = (),
) -> tuple[Proposal, ...]:
    """The next touch(es) after a touch with `outcome`, given the contact's earlier outcomes
    (oldest first), the date the customer agreed to (for "later") and the reasons of the
    follow-ups still planned; days are the rep's local days, moved onto working days."""
    today = local_date(now, tz)
    step = len(history)
    if outcome == NOT_REACHED:
        attempts = unanswered([*history, outcome])
        if attempts >= RETHINK_AFTER:
            due = add_working_days(calendar, today, RETHINK_GAP)
            return (_proposal("rethink", due, calendar, seed, step, attempts),)
        due = add_working_days(calendar, today, RETRY_GAPS[attempts - 1])
        return (_proposal("retry", due, calendar, seed, step, attempts),)
    if outcome == "later":
        if agreed is None:
            raise ValueError("a 'later' touch needs the agreed date")
        return (_proposal("agreed", max(agreed, today), calendar, seed, step),)
    if outcome == "won":
        dues = (today + timedelta(days=7), add_months(today, 1), add_months(today, 3))
        return tuple(
            _proposal(reason, due, calendar, seed, step + i)
            for i, (reason, due) in enumerate(zip(AFTERSALES, dues, strict=True))
        )
    if outcome == "lost":
        due = add_months(today, STAY_IN_TOUCH_MONTHS)
        return (_proposal("stay_in_touch", due, calendar, seed, step),)
    if outcome == "appointment":
        due = add_working_days(calendar, today, APPOINTMENT_GAP)
        return (_proposal("appointment", due, calendar, seed, step),)
    # Talked. A customer whose after-sales care is planned needs nothing more.
    if any(reason in AFTERSALES for reason in planned):
        return ()
    due = add_working_days(calendar, today, AFTER_TALK_GAP)
    return (_proposal("after_talk", due, calendar, seed, step),)


@dataclass(frozen=True, slots=True)
class Planned:
    """A follow-up already planned (or proposed) for the contact."""

    id: int
    reason: str
    due: date


def closed_by_touch(planned: Sequence[Planned], outcome: Outcome, today: date) -> list[int]:
    """The planned follow-ups a new touch settles: all but the after-sales ones still ahead
    (all of them when the deal is won anew or lost)."""
    if outcome in ("won", "lost"):
        return [p.id for p in planned]
    return [p.id for p in planned if p.reason not in AFTERSALES or p.due <= today]


def status_after(outcome: Outcome, status: str) -> Status:
    """The contact's status after a touch: new → trying → talking → won or lost."""
    if outcome == "won":
        return "won"
    if outcome == "lost":
        return "lost"
    if outcome == NOT_REACHED:
        return "trying" if status in ("new", "trying") else _status(status)
    return "won" if status == "won" else "talking"


def _status(value: str) -> Status:
    for status in STATUSES:
        if status == value:
            return status
    return "new"


def shifted(due: date, old: date, new: date, calendar: WorkCalendar) -> date:
    """A follow-up proposed together with one moved from `old` to `new`, moved along by as
    many days (after-sales keep their spacing), onto a working day."""
    try:
        return on_working_day(calendar, due + (new - old))
    except OverflowError:
        return due


def reminder_at(day: date, at: time, now: datetime, tz: str) -> datetime:
    """When the scheduler reminds the rep (UTC): `at` local time on `day`, or an hour from
    now if that has passed."""
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=ZoneInfo(tz))
    instant = local.astimezone(UTC)
    return instant if instant > now else (now + LATE_REMINDER).astimezone(UTC)


def snooze_day(now: datetime, tz: str, calendar: WorkCalendar) -> date:
    """Where a snoozed follow-up goes: the rep's next working day."""
    today = local_date(now, tz)
    return calendar.next_working_day(today) or today + _DAY


QuickPick = Literal["1d", "1w", "2w", "1m", "3m", "6m"]
QUICK_PICKS: Final[tuple[QuickPick, ...]] = get_args(QuickPick)


def quick_date(pick: str, now: datetime, tz: str, calendar: WorkCalendar) -> date | None:
    """The day behind a date button: next working day, in 1 or 2 weeks, in 1, 3 or 6 months."""
    today = local_date(now, tz)
    if pick == "1d":
        return snooze_day(now, tz, calendar)
    if pick in ("1w", "2w"):
        return on_working_day(calendar, today + timedelta(weeks=int(pick[0])))
    if pick in ("1m", "3m", "6m"):
        return on_working_day(calendar, add_months(today, int(pick[0])))
    return None


# --- Stats ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """What the stats need of one contact: its outcomes (oldest first), whether it counts as
    a prospect, whether a follow-up is planned, and its open after-sales follow-ups."""

    outcomes: tuple[str, ...]
    prospect: bool = True
    planned: bool = False
    archived: bool = False
    open_aftersales: int = 0


@dataclass(frozen=True, slots=True)
class FollowupStats:
    """Attempts per prospect up to the first conversation, prospects given up (and how many
    of them after fewer than three attempts), open after-sales touches."""

    reached: int = 0
    attempts_total: int = 0
    given_up: int = 0
    dropped_early: int = 0
    open_aftersales: int = 0

    @property
    def attempts_average(self) -> float | None:
        """Average attempts up to and including the first conversation."""
        return self.attempts_total / self.reached if self.reached else None

    @property
    def dropped_share(self) -> int | None:
        """Percent of the prospects given up that got fewer than three attempts."""
        return percent(self.dropped_early, self.given_up) if self.given_up else None

    @property
    def empty(self) -> bool:
        """Whether there is nothing to report."""
        return not (self.reached or self.given_up or self.open_aftersales)


def followup_stats(records: Sequence[ContactRecord]) -> FollowupStats:
    """Attempts before a conversation, early give-ups and open after-sales touches."""
    reached = attempts = given_up = early = aftersales = 0
    for record in records:
        aftersales += 0 if record.archived else record.open_aftersales
        if not record.prospect or not record.outcomes:
            continue
        first = next((i for i, o in enumerate(record.outcomes) if o in CONVERSATIONS), None)
        if first is not None:
            reached += 1
            attempts += first + 1
        elif record.archived or not record.planned:
            given_up += 1
            early += len(record.outcomes) < EARLY_DROP
    return FollowupStats(reached, attempts, given_up, early, aftersales)


# --- Dates as reps type them ---------------------------------------------------------------

Problem = Literal["not_understood", "no_such_date", "in_past", "too_far"]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A typed date: the day, or the problem with it."""

    day: date | None = None
    problem: Problem | None = None


_MAX_INPUT: Final = 80
_TOKEN: Final = re.compile(r"[0-9]+|[a-z]+|[./,-]")
_IGNORED: Final = re.compile(r"[\s!?;:()'\"„“”]+")
_FILLER: Final = frozenset(
    {"am", "im", "in", "ab", "zum", "zur", "bis", "den", "dem", "der", "die", "das", "etwa",
     "ca", "circa", "gegen", "um", "wieder", "nochmal", "erst", "dann", "bitte", "ok", "on",
     "at", "the", "of", "by", "around", "about", "again", "then", "please", "from", "after",
     "nach", "anrufen", "call", "melden", "kontakt", "contact", "sometime", "irgendwann",
     "mal", "des", "this", "diesen", "dieses", "diese"}
)  # fmt: skip
_RELATIVE: Final = {"heute": 0, "today": 0, "morgen": 1, "tomorrow": 1, "uebermorgen": 2}
_NEXT: Final = frozenset({"naechste", "naechsten", "naechster", "naechstes", "next", "kommende",
                          "kommenden", "kommender", "kommendes", "coming"})  # fmt: skip
_AFTER_NEXT: Final = frozenset({"uebernaechste", "uebernaechsten", "uebernaechstes"})
_ARTICLES: Final = frozenset({"a", "an", "one", "ein", "eine", "einen", "einer", "einem"})
_UNITS: Final = {
    **dict.fromkeys(("d", "day", "days", "tag", "tage", "tagen", "tg"), "day"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "woche", "wochen", "wo"), "week"),
    **dict.fromkeys(("month", "months", "monat", "monate", "monaten", "monats"), "month"),
    **dict.fromkeys(("year", "years", "jahr", "jahre", "jahren", "yr", "yrs"), "year"),
}
_HALF: Final = frozenset({"halbes", "halben", "half"})
# Which day of a month "Anfang März", "Mitte März" and "Ende März" mean; the month alone is
# its first day.
_PART_OF_MONTH: Final = {
    **dict.fromkeys(("anfang", "beginning", "early", "start"), "start"),
    **dict.fromkeys(("mitte", "mid", "middle"), "middle"),
    **dict.fromkeys(("ende", "end", "late"), "end"),
}
_ORDINAL: Final = frozenset({"st", "nd", "rd", "th"})
_NUM: Final = r"([0-9]{1,2})"
_YEAR: Final = r"([0-9]{2}|[0-9]{4})"
_DMY: Final = re.compile(rf"([0-9]{{1,3}}) \. ([0-9]{{1,3}})(?: \.)?(?: {_YEAR})?")
_ISO: Final = re.compile(r"([0-9]{4}) - ([0-9]{1,3}) - ([0-9]{1,3})")
_DMY_DASH: Final = re.compile(rf"{_NUM} - {_NUM} - ([0-9]{{4}})")
_SLASH: Final = re.compile(rf"{_NUM} / {_NUM}(?: / {_YEAR})?")
_DAY_MONTH: Final = re.compile(rf"([0-9]{{1,3}})(?: \.)? ([a-z]+)(?: \.)?(?: ,)?(?: {_YEAR})?")
_MONTH_DAY: Final = re.compile(rf"([a-z]+)(?: \.)? ([0-9]{{1,3}})(?: \.)?(?: ,)?(?: {_YEAR})?")
_MONTH_ONLY: Final = re.compile(rf"(?:([a-z]+) )?([a-z]+)(?: \.)?(?: {_YEAR})?")
_AMOUNT: Final = re.compile(r"([0-9]{1,4}|[a-z]+) ([a-z]+)")


def _tokens(text: str) -> list[str] | None:
    folded = fold(text)
    for phrase, word in (
        ("day after tomorrow", "uebermorgen"),
        ("week after next", "uebernaechste woche"),
        ("half a year", "half year"),
    ):
        folded = folded.replace(phrase, word)
    folded = folded.rstrip("!?;, ")
    if _IGNORED.sub("", _TOKEN.sub("", folded)):
        return None
    kept = [t for t in _TOKEN.findall(folded) if t not in _FILLER]
    return [t for i, t in enumerate(kept) if not (t in _ORDINAL and i and kept[i - 1].isdigit())]


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    value = int(text)
    return 2000 + value if len(text) == 2 else value


def _checked(day: date, today: date) -> ParsedDate:
    if day < today:
        return ParsedDate(problem="in_past")
    if day > today + MAX_AHEAD:
        return ParsedDate(problem="too_far")
    return ParsedDate(day)


def _dated(day: int, month: int, year_text: str | None, today: date) -> ParsedDate:
    """A date from its parts; without a year, the next time that day comes round."""
    year = _year(year_text)
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return ParsedDate(problem="no_such_date")
    if year is not None:
        if not date.min.year <= year <= date.max.year:
            return ParsedDate(problem="too_far")
        if day > monthrange(year, month)[1]:
            return ParsedDate(problem="no_such_date")
        return _checked(date(year, month, day), today)
    # 29.02. is a date, just not every year: the next year that has it.
    for candidate in range(today.year, min(today.year + 9, date.max.year + 1)):
        if day <= monthrange(candidate, month)[1]:
            found = date(candidate, month, day)
            if found >= today:
                return _checked(found, today)
    if day > max(monthrange(y, month)[1] for y in (2024, 2025)):
        return ParsedDate(problem="no_such_date")
    return ParsedDate(problem="too_far")


def _month_part(month: int, part: str, year_text: str | None, today: date) -> ParsedDate:
    """The first, 15th or last day of a month: the next such day after today."""
    year = _year(year_text)
    years = [year] if year is not None else [today.year, today.year + 1]
    for candidate in years:
        if not date.min.year <= candidate <= date.max.year:
            return ParsedDate(problem="too_far")
        last = monthrange(candidate, month)[1]
        day = date(candidate, month, {"start": 1, "middle": 15, "end": last}[part])
        if year is not None or day > today:
            return _checked(day, today)
    return ParsedDate(problem="not_understood")


def _amount(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in _ARTICLES:
        return 1
    return number_word(word)


def _after(today: date, count: int, unit: str) -> ParsedDate:
    if count > 1000:
        return ParsedDate(problem="too_far")
    if unit == "month":
        found = add_months(today, count) if count <= 12 * 5 else date.max
    elif unit == "year":
        found = add_months(today, 12 * count) if count <= 5 else date.max
    else:
        days = count * (7 if unit == "week" else 1)
        if days > MAX_AHEAD.days:
            return ParsedDate(problem="too_far")
        found = today + timedelta(days=days)
    return _checked(found, today)


def _next_unit(unit: str, today: date, skip: int) -> ParsedDate:
    """Next (or the one after next) week, month or year: its first day (Monday for weeks)."""
    if unit == "week":
        return _checked(today + timedelta(days=7 * skip - today.weekday()), today)
    if unit == "month":
        return _checked(add_months(today.replace(day=1), skip), today)
    if unit == "year":
        return _checked(date(today.year + skip, 1, 1), today)
    return _checked(today + timedelta(days=skip), today)


def parse_followup_date(text: str, today: date, lang: str) -> ParsedDate:
    """A day from "in 3 Monaten", "März", "Ende März", "next week", "15.01.", "Freitag", or
    why not: not understood, no such date (31.02.), in the past, more than two years ahead.

    A day and month without a year are their next occurrence from `today` on; a month alone
    is its next first day after today; "next week" is next Monday; a weekday is its next
    occurrence after today.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_INPUT:
        return ParsedDate(problem="not_understood")
    try:
        return _parse(text, today, lang)
    except (OverflowError, ValueError):  # a date past year 9999 is too far, not a crash
        return ParsedDate(problem="too_far")


def _parse(text: str, today: date, lang: str) -> ParsedDate:
    tokens = _tokens(text)
    if not tokens:
        return ParsedDate(problem="not_understood")
    joined = " ".join(tokens)
    if len(tokens) == 1 and tokens[0] in _RELATIVE:
        return _checked(today + timedelta(days=_RELATIVE[tokens[0]]), today)
    if len(tokens) == 2 and tokens[0] in _PART_OF_MONTH and _UNITS.get(tokens[1]) == "month":
        # "Ende des Monats", "end of the month": this month's, or next month's if it is past.
        part = _PART_OF_MONTH[tokens[0]]
        found = _month_part(today.month, part, str(today.year), today)
        if found.day is not None and found.day > today:
            return found
        following = add_months(today.replace(day=1), 1)
        return _month_part(following.month, part, str(following.year), today)
    if len(tokens) == 2 and tokens[1] in _UNITS and tokens[0] in _NEXT | _AFTER_NEXT:
        return _next_unit(_UNITS[tokens[1]], today, 2 if tokens[0] in _AFTER_NEXT else 1)
    words = [t for t in tokens if t not in _NEXT]
    if words and all(t.isalpha() for t in words):
        days = parse_weekdays(" ".join(words))
        if days is not None and len(days) == 1:
            weekday = next(iter(days))
            return _checked(today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1), today)
    if match := _DMY.fullmatch(joined):
        return _dated(int(match.group(1)), int(match.group(2)), match.group(3), today)
    if match := _ISO.fullmatch(joined):
        return _dated(int(match.group(3)), int(match.group(2)), match.group(1), today)
    if match := _DMY_DASH.fullmatch(joined):
        return _dated(int(match.group(1)), int(match.group(2)), match.group(3), today)
    if match := _SLASH.fullmatch(joined):
        first, second = int(match.group(1)), int(match.group(2))
        # English puts the month first, German the day; either way, unless that cannot be a date.
        orders = [(second, first), (first, second)]
        if not lang.startswith("en"):
            orders.reverse()
        for day, month in orders:
            if 1 <= month <= 12:
                return _dated(day, month, match.group(3), today)
        return ParsedDate(problem="no_such_date")
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.fullmatch(joined)
        if match and match.group(month_group) in MONTHS:
            month = MONTHS[match.group(month_group)]
            return _dated(int(match.group(day_group)), month, match.group(3), today)
    if (match := _MONTH_ONLY.fullmatch(joined)) and match.group(2) in MONTHS:
        lead = match.group(1)
        which = "start" if lead is None or lead in _NEXT else _PART_OF_MONTH.get(lead)
        if which is not None:
            return _month_part(MONTHS[match.group(2)], which, match.group(3), today)
    return _relative(tokens, joined, today)


def _relative(tokens: list[str], joined: str, today: date) -> ParsedDate:
    """ "3 Monate", "einen Monat", "zwei Wochen", "ein halbes Jahr", "Woche"."""
    half = len(tokens) in (2, 3) and tokens[-2] in _HALF and _UNITS.get(tokens[-1]) == "year"
    if half and (len(tokens) == 2 or tokens[0] in _ARTICLES):
        return _after(today, 6, "month")
    if (match := _AMOUNT.fullmatch(joined)) and match.group(2) in _UNITS:
        count = _amount(match.group(1))
        if count is not None:
            return _after(today, count, _UNITS[match.group(2)])
    if len(tokens) == 1 and tokens[0] in _UNITS:
        return _after(today, 1, _UNITS[tokens[0]])
    return ParsedDate(problem="not_understood")
