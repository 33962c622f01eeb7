"""When check-ins are due: planned slots per local day, grace, quiet hours, snooze, parsers.

Pure: `now` (an aware datetime), the rep's IANA timezone and their WorkCalendar come in,
UTC instants go out. The scheduler claims each slot by its key before sending it.

Decisions:
- A local time that does not exist (spring forward) fires at the first instant after the gap;
  an ambiguous one (fall back) fires once, at its first occurrence. The key is the kind and
  the local date, so the same slot has the same key however the clocks move.
- A check-in inside quiet hours is not planned at all (not moved to their end): the issue says
  nothing is sent inside them, and a morning ping moved from 06:30 to 07:00 or an evening
  check-in moved to the next morning would crowd or duplicate the next day's check-ins.
- The weekly review goes out on its configured weekday when that is a working day; when it is
  not (a holiday, a pause, or a day the rep does not work), it moves to the last working day
  before it in the same week (Monday to Sunday), so it still closes the week it reviews. With
  no working day left before it in that week (a whole week off, or a Monday review on Easter
  Monday) it is skipped: there is no fresh week to review, and a late one would review the
  wrong week.
- One rule says whether the bot may send a rep anything unasked (`may_send`): a working day
  (no weekend, public holiday or pause) outside the quiet hours. The scheduler applies it to
  every check-in, snoozed check-in and reminder alike; a reminder held back goes out at the next
  moment the rule allows, a snoozed check-in whose day has passed is dropped (that day's
  check-ins are over, and the next day brings its own).
- A snooze comes back at the next allowed moment. If that is a later day than the one it was
  snoozed on, it becomes that day's morning ping (which covers yesterday and today); the weekly
  review stays itself. When the rep's regular slot of that kind is still to come on that day, it
  covers the snooze, and nothing extra is sent: a check-in never comes twice.
"""

from __future__ import annotations

import hashlib
import re
from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Final, Literal
from zoneinfo import ZoneInfo

from bot.coach._text import MONTHS, fold, number_word
from bot.coach.calendar import WorkCalendar, day_bounds, local_date
from bot.coach.profile import CHECKIN_KINDS, CheckinKind, Schedule
from bot.coach.weekdays import parse_weekdays

# --- Kinds and grace periods -----------------------------------------------------------------

Kind = CheckinKind
MORNING: Final[Kind] = "morning"
BLOCK_START: Final[Kind] = "block_start"
BLOCK_END: Final[Kind] = "block_end"
MIDDAY: Final[Kind] = "midday"
EVENING: Final[Kind] = "evening"
WEEKLY: Final[Kind] = "weekly"
KINDS: Final[tuple[Kind, ...]] = CHECKIN_KINDS

# How late a check-in may still go out; older ones are skipped, never sent as a stale burst.
GRACE: Final[Mapping[Kind, timedelta]] = MappingProxyType(
    {
        MORNING: timedelta(hours=2),
        BLOCK_START: timedelta(minutes=30),
        BLOCK_END: timedelta(hours=1),
        MIDDAY: timedelta(hours=1),
        EVENING: timedelta(hours=2),
        WEEKLY: timedelta(hours=12),
    }
)

Action = Literal["send", "skip"]
SEND: Final[Action] = "send"
SKIP: Final[Action] = "skip"

_DAY: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Slot:
    """One planned check-in: its kind, the rep's local day it belongs to, when (UTC), grace."""

    kind: Kind
    local_date: date
    at: datetime
    grace: timedelta

    @property
    def key(self) -> str:
        """The delivery key, the same for this slot however often or when it is computed."""
        return f"{self.kind}:{self.local_date.isoformat()}"

    @property
    def expires(self) -> datetime:
        """The first instant at which the slot is too late to send."""
        return self.at + self.grace


@dataclass(frozen=True, slots=True)
class Due:
    """A slot whose time has come: send it, or record it as skipped when it is too late."""

    slot: Slot
    action: Action
    late: timedelta

    @property
    def key(self) -> str:
        """The slot's delivery key."""
        return self.slot.key


# --- Local times to instants ------------------------------------------------------------------


def _aware(now: datetime) -> None:
    if now.utcoffset() is None:
        # A naive time would silently be read as the server's local time.
        raise ValueError("now must be timezone-aware")


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time: first occurrence if doubled, gap end if missing."""
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # In a gap the two folds read the wall time with the offsets before and after the jump;
    # the jump itself lies between them, found to the second by bisection.
    other = local.replace(fold=1).astimezone(UTC)
    lo, hi = int(min(instant, other).timestamp()), int(max(instant, other).timestamp())
    before = datetime.fromtimestamp(lo, UTC).astimezone(zone).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, UTC).astimezone(zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, UTC)


# --- Quiet hours ------------------------------------------------------------------------------


def _quiet_at(wall: time, schedule: Schedule) -> bool:
    start, end = schedule.quiet_start, schedule.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end


def in_quiet_hours(now: datetime, schedule: Schedule, tz: str) -> bool:
    """Whether the aware instant `now` falls inside the rep's quiet hours (local wall time)."""
    _aware(now)
    wall = now.astimezone(ZoneInfo(tz)).time()
    return _quiet_at(wall, schedule)


def next_allowed(now: datetime, schedule: Schedule, tz: str) -> datetime:
    """The end of the quiet hours (UTC) if `now` is inside them, else `now` itself."""
    if not in_quiet_hours(now, schedule, tz):
        return now
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    wraps = schedule.quiet_start > schedule.quiet_end
    day = local.date() + _DAY if wraps and local.time() >= schedule.quiet_start else local.date()
    end = _instant(day, schedule.quiet_end, zone)
    if end <= now:
        # Clocks fell back into the quiet hours after their end had passed once: wait for
        # the end's second occurrence.
        second = datetime.combine(day, schedule.quiet_end, tzinfo=zone).replace(fold=1)
        end = second.astimezone(UTC)
    return max(end, now)


def may_send(now: datetime, schedule: Schedule, calendar: WorkCalendar, tz: str) -> bool:
    """Whether the bot may send the rep anything unasked at `now`: a working day (no weekend,
    holiday or pause) outside the quiet hours."""
    _aware(now)
    return calendar.is_working_day(local_date(now, tz)) and not in_quiet_hours(now, schedule, tz)


def next_open(at: datetime, schedule: Schedule, calendar: WorkCalendar, tz: str) -> datetime:
    """The first instant (UTC) at or after `at` at which `may_send` holds."""
    _aware(at)
    at = at.astimezone(UTC)
    # Each round either lands on a working day or jumps to the start of the next one; quiet
    # hours can push a time over midnight once, so a few rounds always settle.
    for _ in range(4):
        at = next_allowed(at, schedule, tz)
        day = local_date(at, tz)
        if calendar.is_working_day(day):
            return at
        following = calendar.next_working_day(day)
        if following is None:
            return at  # no working day configured at all: the quiet hours are all we keep
        at = max(at, day_bounds(following, tz)[0])
    return next_allowed(at, schedule, tz)


# --- Planned slots ----------------------------------------------------------------------------


def _weekly_today(day: date, schedule: Schedule, calendar: WorkCalendar) -> bool:
    review_day = schedule.weekly_day
    if not 0 <= review_day <= 6 or day.weekday() > review_day:
        return False
    if not calendar.is_working_day(day):
        return False
    # Today holds the review if no working day is left between today and the review day.
    return not any(
        calendar.is_working_day(day + timedelta(days=offset))
        for offset in range(1, review_day - day.weekday() + 1)
    )


def slots_for_day(schedule: Schedule, calendar: WorkCalendar, day: date, tz: str) -> list[Slot]:
    """The enabled check-ins of the rep's local `day`, outside quiet hours, by time."""
    zone = ZoneInfo(tz)
    working = calendar.is_working_day(day)
    planned: list[tuple[Kind, datetime]] = []
    if working:
        block = _instant(day, schedule.block_start, zone)
        planned += [
            (MORNING, _instant(day, schedule.morning_ping, zone)),
            (BLOCK_START, block),
            # The block lasts its minutes of real time, also across a clock change.
            (BLOCK_END, block + timedelta(minutes=schedule.block_minutes)),
            (MIDDAY, _instant(day, schedule.midday_nudge, zone)),
            (EVENING, _instant(day, schedule.evening_checkin, zone)),
        ]
    if _weekly_today(day, schedule, calendar):
        planned.append((WEEKLY, _instant(day, schedule.weekly_time, zone)))
    slots = [
        Slot(kind, day, at, GRACE[kind])
        for kind, at in planned
        if kind in schedule.checkins and not in_quiet_hours(at, schedule, tz)
    ]
    return sorted(slots, key=lambda slot: (slot.at, KINDS.index(slot.kind)))


def due(
    now: datetime,
    schedule: Schedule,
    calendar: WorkCalendar,
    tz: str,
    *,
    since: datetime | None = None,
) -> list[Due]:
    """Slots of the local yesterday and today at or before `now` (and not before `since`)."""
    _aware(now)
    if since is not None:
        _aware(since)
    today = local_date(now, tz)
    found: list[Due] = []
    for day in (today - _DAY, today):
        for slot in slots_for_day(schedule, calendar, day, tz):
            # `since` is inclusive: a slot seen twice is harmless, the claim key dedupes it.
            if slot.at > now or (since is not None and slot.at < since):
                continue
            late = now - slot.at
            found.append(Due(slot, SEND if late < slot.grace else SKIP, late))
    return found


# --- Snooze -----------------------------------------------------------------------------------

SnoozeChoice = Literal["30m", "1h", "tomorrow"]
SNOOZE_CHOICES: Final[tuple[SnoozeChoice, ...]] = ("30m", "1h", "tomorrow")


def snooze_until(
    now: datetime, choice: str, schedule: Schedule, calendar: WorkCalendar, tz: str
) -> datetime:
    """When a snoozed check-in may come back (UTC): the chosen time, moved out of quiet hours
    and days off to the next allowed moment."""
    _aware(now)
    if choice == "30m":
        until = now + timedelta(minutes=30)
    elif choice == "1h":
        until = now + timedelta(hours=1)
    elif choice == "tomorrow":
        today = local_date(now, tz)
        day = calendar.next_working_day(today) or today + _DAY
        until = _instant(day, schedule.morning_ping, ZoneInfo(tz))
    else:
        raise ValueError(f"unknown snooze choice {choice!r}")
    return next_open(until, schedule, calendar, tz)


@dataclass(frozen=True, slots=True)
class Snooze:
    """Where a snoozed check-in goes: when the rep hears from us again, and with what."""

    at: datetime
    kind: str
    # The rep's regular slot at `at` covers it: nothing extra is stored or sent.
    regular: bool


def plan_snooze(
    now: datetime, choice: str, kind: str, schedule: Schedule, calendar: WorkCalendar, tz: str
) -> Snooze:
    """Plan a snoozed check-in: never a second copy of a regular slot, never in quiet hours or
    on a day off, and the morning ping when it lands on a later day."""
    at = snooze_until(now, choice, schedule, calendar, tz)
    day = local_date(at, tz)
    # A day's check-ins (the block, its numbers) mean nothing on another day; that day's
    # morning ping says how yesterday went and what today holds.
    target = kind if day == local_date(now, tz) or kind == WEEKLY else MORNING
    for slot in slots_for_day(schedule, calendar, day, tz):
        if slot.kind == target and slot.at > now:
            return Snooze(slot.at, target, True)
    return Snooze(at, target, False)


# --- Motivation -------------------------------------------------------------------------------

PRINCIPLES_PREFIX: Final = "motivation.principles."
REPEAT_DAYS: Final = 28


def principle_ids(keys: Iterable[str], prefix: str = PRINCIPLES_PREFIX) -> tuple[str, ...]:
    """The content keys of the principles (e.g. "motivation.principles.p07"), sorted."""
    return tuple(sorted(key for key in keys if key.startswith(prefix)))


def _seeded(candidates: Sequence[str], seed: int, today: date) -> str:
    # hashlib, not hash(): str hashes are salted per process, and two processes must agree.
    digest = hashlib.sha256(f"{seed}:{today.isoformat()}".encode()).digest()
    return candidates[int.from_bytes(digest[:8], "big") % len(candidates)]


def pick_principle(ids: Sequence[str], recent: Mapping[str, date], today: date, seed: int) -> str:
    """A principle not used in the last 28 days (else the least recently used), by seed."""
    unique = sorted(set(ids))
    if not unique:
        raise ValueError("no principles to pick from")
    fresh = [i for i in unique if i not in recent or (today - recent[i]).days >= REPEAT_DAYS]
    if fresh:
        return _seeded(fresh, seed, today)
    oldest = min(recent[i] for i in unique)
    return _seeded([i for i in unique if recent[i] == oldest], seed, today)


# --- Parsers ----------------------------------------------------------------------------------

# Anything longer is not a date someone typed; refusing early keeps parsing cheap.
_MAX_INPUT: Final = 64
_TOKEN: Final = re.compile(r"[0-9]+|[a-z]+|[./,-]")
_IGNORED: Final = re.compile(r"[\s!?;:()'\"„“”]+")
_FILLER: Final = frozenset(
    {"bis", "zum", "zur", "zu", "am", "den", "dem", "einschliesslich", "inklusive", "inkl",
     "incl", "including", "lang", "long", "until", "till", "til", "through", "thru", "to", "on",
     "the", "of", "for", "fuer", "in", "im", "next", "naechsten", "naechste", "naechster",
     "kommenden", "kommende", "coming", "this", "diesen", "diese", "pause", "pausiere",
     "urlaub", "vacation", "holiday", "off", "frei", "ich", "bin", "i", "m"}
)  # fmt: skip
# Phrases that say the pause starts now, which it always does.
_FROM_NOW: Final = re.compile(
    r"\b(?:ab|von) (?:heute|jetzt)(?: an)?\b|\bfrom (?:today|now)(?: on)?\b"
)
_RELATIVE: Final = {
    "today": 0,
    "heute": 0,
    "tomorrow": 1,
    "morgen": 1,
    "uebermorgen": 2,
}
_ARTICLES: Final = frozenset({"a", "an", "one", "ein", "eine", "einen", "einer"})
_UNITS: Final = {
    **dict.fromkeys(("d", "day", "days", "tag", "tage", "tagen", "tg"), "day"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "woche", "wochen", "wo"), "week"),
    **dict.fromkeys(("month", "months", "monat", "monate", "monaten"), "month"),
}
_ORDINAL: Final = frozenset({"st", "nd", "rd", "th"})
_NUM: Final = r"([0-9]{1,2})"
_YEAR: Final = r"([0-9]{2}|[0-9]{4})"
_DMY: Final = re.compile(rf"{_NUM} \. {_NUM}(?: \.)?(?: {_YEAR})?")
_ISO: Final = re.compile(r"([0-9]{4}) - ([0-9]{1,2}) - ([0-9]{1,2})")
_DMY_DASH: Final = re.compile(rf"{_NUM} - {_NUM} - ([0-9]{{4}})")
_SLASH: Final = re.compile(rf"{_NUM} / {_NUM}(?: / {_YEAR})?")
_DAY_MONTH: Final = re.compile(rf"{_NUM}(?: \.)? ([a-z]+)(?: \.)?(?: ,)?(?: {_YEAR})?")
_MONTH_DAY: Final = re.compile(rf"([a-z]+)(?: \.)? {_NUM}(?: \.)?(?: ,)?(?: {_YEAR})?")
_AMOUNT: Final = re.compile(r"([0-9]{1,4}|[a-z]+) ([a-z]+)")


def _one_year_after(day: date) -> date:
    if day.year == date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _within_a_year(day: date, today: date) -> date | None:
    return day if today <= day <= _one_year_after(today) else None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    value = int(text)
    return 2000 + value if len(text) == 2 else value


def _day_month(day: int, month: int, year_text: str | None, today: date) -> date | None:
    """A date from its parts; without a year, the next time that day comes round."""
    year = _year(year_text)
    if year is not None:
        found = _make(year, month, day)
        return None if found is None else _within_a_year(found, today)
    for candidate in (today.year, today.year + 1):
        found = _make(candidate, month, day)
        if found is not None and found >= today:
            return _within_a_year(found, today)
    return None


def _amount(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in _ARTICLES:
        return 1
    return number_word(word)


def _add_months(today: date, months: int) -> date | None:
    index = today.month - 1 + months
    year, month = today.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return None
    # 31 January plus a month is the last day of February.
    return _make(year, month, min(today.day, monthrange(year, month)[1]))


def _after(today: date, count: int, unit: str) -> date | None:
    if unit == "month":
        if count > 12:
            return None
        found = _add_months(today, count)
    else:
        days = count * (7 if unit == "week" else 1)
        if days > 366:
            return None
        try:
            found = today + timedelta(days=days)
        except OverflowError:
            return None
    return None if found is None else _within_a_year(found, today)


def _pause_tokens(text: str) -> list[str] | None:
    folded = fold(text).replace("day after tomorrow", "uebermorgen").rstrip("!?;, ")
    folded = _FROM_NOW.sub(" ", folded)
    tokens = _TOKEN.findall(folded)
    if _IGNORED.sub("", _TOKEN.sub("", folded)):
        return None
    # "15th" splits into "15" "th"; the suffix says nothing the number does not.
    kept = [t for t in tokens if t not in _FILLER]
    return [t for i, t in enumerate(kept) if not (t in _ORDINAL and i and kept[i - 1].isdigit())]


def parse_pause_until(text: str, today: date, lang: str) -> date | None:
    """The last day of a pause from "15.12.", "2026-12-15", "bis Montag", "2 Wochen", "Dec 15".

    A day and month without a year mean their next occurrence from `today` on (in December,
    "15.01." is next January); an explicit date in the past, or more than a year after
    `today`, gives None. A weekday is its next occurrence after today (never today), and
    "3 days" is the date three days from today.
    """
    if not text or len(text) > _MAX_INPUT:
        return None
    tokens = _pause_tokens(text)
    if not tokens:
        return None
    joined = " ".join(tokens)
    if len(tokens) == 1 and tokens[0] in _RELATIVE:
        return _after(today, _RELATIVE[tokens[0]], "day")
    if all(token.isalpha() or token == "." for token in tokens):
        weekday = parse_weekday(joined)
        if weekday is not None:
            return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if match := _DMY.fullmatch(joined):
        return _day_month(int(match.group(1)), int(match.group(2)), match.group(3), today)
    if match := _ISO.fullmatch(joined):
        day, month, year = match.group(3), match.group(2), match.group(1)
        return _day_month(int(day), int(month), year, today)
    if match := _DMY_DASH.fullmatch(joined):
        return _day_month(int(match.group(1)), int(match.group(2)), match.group(3), today)
    if match := _SLASH.fullmatch(joined):
        first, second = int(match.group(1)), int(match.group(2))
        # English puts the month first, German the day; either way, unless that cannot be a date.
        orders = [(second, first), (first, second)]
        if not lang.startswith("en"):
            orders.reverse()
        for day, month in orders:
            if 1 <= month <= 12:
                return _day_month(day, month, match.group(3), today)
        return None
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.fullmatch(joined)
        if match and match.group(month_group) in MONTHS:
            month = MONTHS[match.group(month_group)]
            return _day_month(int(match.group(day_group)), month, match.group(3), today)
    if (match := _AMOUNT.fullmatch(joined)) and match.group(2) in _UNITS:
        count = _amount(match.group(1))
        return None if count is None else _after(today, count, _UNITS[match.group(2)])
    if len(tokens) == 1 and tokens[0] in _UNITS:
        return _after(today, 1, _UNITS[tokens[0]])  # "next week", "nächste Woche"
    return None


def parse_weekday(text: str) -> int | None:
    """One weekday (0 = Monday) from "Freitag", "fr", "friday", "fri"; None if not exactly one."""
    days = parse_weekdays(text)
    if days is None or len(days) != 1:
        return None
    return next(iter(days))


def digest_due(now: datetime, weekday: int, at: time, tz: str) -> date | None:
    """The lead's local date when a weekly digest set for `weekday` at `at` (their wall time)
    is due at `now`: that weekday, from that time to the end of the day; else None."""
    _aware(now)
    local = now.astimezone(ZoneInfo(tz))
    if local.weekday() != weekday:
        return None
    if now < _instant(local.date(), at, ZoneInfo(tz)):
        return None
    return local.date()
