"""The profile fields a rep sets in onboarding and /settings: question, parsing, display."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.coach._text import fold
from bot.coach.calendar import (
    BUTTON_REGIONS,
    REGIONS,
    country_of,
    normalize_region,
    region_of_place,
    subdivision_names,
    timezone_of_region,
)
from bot.coach.checkins import in_quiet_hours, parse_weekday
from bot.coach.clock import (
    format_clock,
    is_duration,
    parse_clock,
    parse_clock_range,
    parse_minutes,
)
from bot.coach.money import CURRENCIES, currency_for_country, parse_currency
from bot.coach.places import resolve_timezone, timezone_for_location, utc_offset_label
from bot.coach.profile import CHECKIN_KINDS, Profile, Schedule
from bot.coach.weekdays import format_weekdays, parse_weekdays, weekdays_from_str, weekdays_to_str
from bot.content import Content
from bot.handlers.calendars import region_of
from bot.handlers.keyboards import inline, location_keyboard

# The order onboarding asks in; /settings edits any one of them, and the holiday region and
# the check-in controls too.
FIELDS: tuple[str, ...] = ("lang", "tz", "days", "morning", "block", "blen", "evening")
SETTINGS_FIELDS: tuple[str, ...] = (
    *FIELDS,
    "region",
    "currency",
    "checkins",
    "midday",
    "weekly",
    "quiet",
)
TIME_FIELDS: dict[str, str] = {
    "morning": "morning_ping",
    "block": "block_start",
    "evening": "evening_checkin",
    "midday": "midday_nudge",
}
TIME_CHOICES: dict[str, tuple[str, ...]] = {
    "morning": ("07:00", "07:30", "08:00", "08:30", "09:00", "09:30"),
    "block": ("08:00", "09:00", "10:00", "11:00", "13:00", "14:00"),
    "evening": ("16:30", "17:00", "17:30", "18:00", "18:30", "19:00"),
    "midday": ("11:30", "12:00", "12:30", "13:00", "13:30", "14:00"),
}
LENGTH_CHOICES: tuple[int, ...] = (30, 45, 60, 90, 120, 180)
MINUTES_PER_DAY = 24 * 60

# Answer-button value that closes the check-in toggles ("a:checkins:ok").
DONE: Final = "ok"
# Quiet-hour buttons as "HHMM-HHMM", and the value for no quiet hours at all.
QUIET_CHOICES: Final[tuple[str, ...]] = ("2100-0700", "2200-0600", "2000-0800")
QUIET_OFF: Final = "off"
# The check-ins whose time each settings field decides, for the hints after a change.
FIELD_KINDS: Final[dict[str, tuple[str, ...]]] = {
    "morning": ("morning",),
    "block": ("block_start", "block_end"),
    "blen": ("block_end",),
    "midday": ("midday",),
    "evening": ("evening",),
    "weekly": ("weekly",),
}
# Typed answers longer than this are not a day, a time or a range anyone means.
_MAX_TYPED: Final = 64
_WORDS: Final = re.compile(r"[\s,;]+")

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of an answer: the changed profile and a confirmation, or an error key."""

    profile: Profile | None = None
    error: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def _fail(key: str, **values: Any) -> Outcome:
    return Outcome(error=key, values=values)


def region_name(content: Content, lang: str, region: str | None) -> str:
    """A holiday region as the rep reads it, in their language: a name, never a code."""
    if not region:
        return content.text(lang, "fields.region.none")
    texts = content.texts[content.lang(lang)]
    if f"regions.{region}" in texts:
        return content.text(lang, f"regions.{region}")
    country = country_of(region)
    country_name = (
        content.text(lang, f"regions.countries.{country}")
        if f"regions.countries.{country}" in texts
        else None
    )
    names = subdivision_names(region)
    if names and country_name:
        return f"{names[0]} ({country_name})"
    if names:
        return names[0]
    return country_name or content.text(lang, "fields.region.other")


def currency_name(content: Content, lang: str, currency: str) -> str:
    """A currency as the rep reads it ("Euro (€)"); a currency we do not list by its code."""
    key = f"fields.currency.names.{currency}"
    return content.text(lang, key) if key in content.texts[content.lang(lang)] else currency


def timezone_label(key: str, now: datetime) -> str:
    """A timezone as the rep reads it: "Europe/Berlin (UTC+01:00)", a bare offset as "UTC+05:00"
    (the tz database writes UTC+5 as "Etc/GMT-5", which would read as the opposite)."""
    offset = utc_offset_label(key, now)
    if key.startswith("Etc/") or "/" not in key:
        return offset
    return f"{key} ({offset})"


def relocated(before: Profile, after: Profile, place_region: str | None = None) -> Profile:
    """`after` (a new timezone or region) with holidays and currency following the place: the
    region of a typed city, else a chosen region of another country is dropped; a currency
    that was the old country's follows to the new one, a chosen other one stays."""
    region = after.region
    zone = region_of(replace(after, region=None))
    if place_region is not None:
        region = place_region
    elif region is not None and zone is not None and country_of(region) != zone:
        region = None
    moved = replace(after, region=region)
    old_country, new_country = _country(before), _country(moved)
    if before.currency == currency_for_country(old_country):
        moved = replace(moved, currency=currency_for_country(new_country))
    return moved


def _country(profile: Profile) -> str | None:
    region = region_of(profile)
    return country_of(region) if region else None


def display(content: Content, lang: str, name: str, profile: Profile, now: datetime) -> str:
    """A field's current value as the rep reads it."""
    s = profile.schedule
    if name == "lang":
        return content.text(profile.language, "meta.name")
    if name == "region":
        label = region_name(content, lang, region_of(profile))
        return label if profile.region else content.text(lang, "fields.region.auto", name=label)
    if name == "currency":
        return currency_name(content, lang, profile.currency)
    if name == "tz":
        return timezone_label(profile.timezone, now)
    if name == "days":
        return format_weekdays(s.working_days, content.list(lang, "common.weekdays_short"))
    if name == "blen":
        return content.text(lang, "common.minutes", n=s.block_minutes)
    if name == "checkins":
        return kind_names(content, lang, s.checkins) or content.text(lang, "fields.checkins.none")
    if name == "weekly":
        day = content.list(lang, "common.weekdays_short")[s.weekly_day]
        return f"{day} {format_clock(s.weekly_time)}"
    if name == "quiet":
        return quiet_label(content, lang, s)
    return format_clock(getattr(s, TIME_FIELDS[name]))


def quiet_label(content: Content, lang: str, schedule: Schedule) -> str:
    """The quiet hours as "21:00–07:00", or "off" when start and end are equal."""
    if schedule.quiet_start == schedule.quiet_end:
        return content.text(lang, "fields.quiet.off")
    return f"{format_clock(schedule.quiet_start)}–{format_clock(schedule.quiet_end)}"


def kind_names(content: Content, lang: str, kinds: Iterable[str]) -> str:
    """The names of check-in kinds in their usual order, comma-separated ("" for none)."""
    wanted = set(kinds)
    return ", ".join(
        content.text(lang, f"fields.checkins.kinds.{kind}")
        for kind in CHECKIN_KINDS
        if kind in wanted
    )


def question(
    content: Content, lang: str, name: str, profile: Profile, selected_days: str | None = None
) -> tuple[str, Markup]:
    """The question for a field, with its answer buttons."""
    # The weekly question says which time a tapped day keeps.
    values = {"time": format_clock(profile.schedule.weekly_time)} if name == "weekly" else {}
    text = content.text(lang, f"fields.{name}.ask", **values)
    if name == "lang":
        buttons = [
            (content.text(code, "meta.flag_name"), f"a:lang:{code}") for code in content.languages
        ]
        return text, inline(buttons, columns=2)
    if name == "region":
        country = country_of(region_of(profile) or "DE")
        codes = [c for c in BUTTON_REGIONS if country_of(c) == country] or [country]
        # The neighbours too, so a rep whose timezone says otherwise is one tap away.
        codes += [c for c in ("DE", "AT", "CH", "GB") if c not in codes]
        codes = [c for c in codes if c in REGIONS]
        buttons = [(region_name(content, lang, c), f"a:region:{c}") for c in codes]
        return text, inline(buttons, columns=2)
    if name == "currency":
        own = currency_for_country(_country(profile))
        codes = list(dict.fromkeys([own, profile.currency, *CURRENCIES[:4]]))
        buttons = [(currency_name(content, lang, c), f"a:currency:{c}") for c in codes]
        return text, inline(buttons, columns=2)
    if name == "tz":
        suggestions = content.list(lang, "fields.tz.suggestions")
        return text, location_keyboard(content, lang, suggestions)
    if name == "days":
        days = (
            weekdays_from_str(selected_days)
            if selected_days is not None
            else (profile.schedule.working_days)
        )
        return text, days_keyboard(content, lang, days)
    if name == "blen":
        buttons = [
            (content.text(lang, "common.minutes", n=n), f"a:blen:{n}") for n in LENGTH_CHOICES
        ]
        return text, inline(buttons, columns=3)
    if name == "checkins":
        return text, checkins_keyboard(content, lang, profile.schedule.checkins)
    if name == "weekly":
        names = content.list(lang, "common.weekdays_short")
        return text, inline([(names[d], f"a:weekly:{d}") for d in range(7)], columns=5)
    if name == "quiet":
        buttons = [(f"{c[:2]}:{c[2:4]}–{c[5:7]}:{c[7:]}", f"a:quiet:{c}") for c in QUIET_CHOICES]
        buttons.append((content.text(lang, "fields.quiet.off_button"), f"a:quiet:{QUIET_OFF}"))
        return text, inline(buttons, columns=2)
    choices = TIME_CHOICES[name]
    return text, inline([(c, f"a:{name}:{c.replace(':', '')}") for c in choices], columns=3)


def days_keyboard(content: Content, lang: str, days: frozenset[int]) -> InlineKeyboardMarkup:
    """Seven toggles (✅ on a working day) and a done button."""
    names = content.list(lang, "common.weekdays_short")
    buttons = [(("✅ " if d in days else "▫️ ") + names[d], f"d:{d}") for d in range(7)]
    done = [(content.text(lang, "fields.days.done"), "d:ok")]
    return inline(buttons, columns=4, extra_rows=[done])


def checkins_keyboard(content: Content, lang: str, kinds: frozenset[str]) -> InlineKeyboardMarkup:
    """One toggle per check-in kind (✅ on, ⬜️ off) and a done button."""
    buttons = [
        (
            ("✅ " if kind in kinds else "⬜️ ")
            + content.text(lang, f"fields.checkins.kinds.{kind}"),
            f"a:checkins:{kind}",
        )
        for kind in CHECKIN_KINDS
    ]
    done = [(content.text(lang, "fields.days.done"), f"a:checkins:{DONE}")]
    return inline(buttons, columns=2, extra_rows=[done])


def toggle_checkin(profile: Profile, kind: str) -> Outcome:
    """The profile with one check-in kind switched on or off (checked: data can be forged)."""
    if kind not in CHECKIN_KINDS:
        return _fail("fields.checkins.unknown")
    return Outcome(profile=profile.with_schedule(checkins=profile.schedule.checkins ^ {kind}))


def toggle_day(selected: str, day: int) -> str:
    """The stored selection with one day switched on or off."""
    days = set(weekdays_from_str(selected))
    days.symmetric_difference_update({day})
    return weekdays_to_str(frozenset(days))


def _block_fits(schedule: Schedule) -> bool:
    start = schedule.block_start.hour * 60 + schedule.block_start.minute
    return start + schedule.block_minutes <= MINUTES_PER_DAY


def _with_schedule(profile: Profile, **changes: Any) -> Outcome:
    changed = profile.with_schedule(**changes)
    if not _block_fits(changed.schedule):
        return _fail("fields.blen.past_midnight")
    return Outcome(profile=changed)


def _language(content: Content, profile: Profile, text: str) -> Outcome:
    wanted = text.strip().casefold()
    for code in content.languages:
        aliases = {a.casefold() for a in content.list(code, "meta.aliases")}
        if wanted in aliases or wanted == code:
            return Outcome(profile=replace(profile, language=code))
    return _fail("fields.lang.unknown")


def accept_text(content: Content, name: str, profile: Profile, text: str) -> Outcome:
    """Parse a typed answer for a field."""
    if name == "lang":
        return _language(content, profile, text)
    if name == "region":
        region = normalize_region(text)
        if region is None:
            return _fail("fields.region.unknown")
        return Outcome(profile=_with_region(profile, region))
    if name == "currency":
        currency = parse_currency(text)
        if currency is None:
            return _fail("fields.currency.unknown")
        return Outcome(profile=replace(profile, currency=currency))
    if name == "tz":
        key = _timezone_of_place(profile, text)
        if key is None:
            return _fail("fields.tz.unknown")
        moved = replace(profile, timezone=key)
        return Outcome(profile=relocated(profile, moved, region_of_place(text)))
    if name == "days":
        days = parse_weekdays(text)
        if days is None:
            return _fail("fields.days.unknown")
        return Outcome(profile=profile.with_schedule(working_days=days))
    if name == "blen":
        minutes = parse_minutes(text)
        if minutes is None:
            return _fail("fields.blen.unknown")
        return _with_schedule(profile, block_minutes=minutes)
    if name == "checkins":
        # The toggles are buttons; typed "done" is handled by the flow before it gets here.
        return _fail("fields.checkins.unknown")
    if name == "weekly":
        weekly = parse_weekly(text, profile.schedule.weekly_day, profile.schedule.weekly_time)
        if weekly is None:
            return _fail("fields.weekly.unknown")
        return _with_schedule(profile, weekly_day=weekly[0], weekly_time=weekly[1])
    if name == "quiet":
        off = {
            w for code in content.languages for w in content.list(code, "fields.quiet.off_words")
        }
        quiet = parse_quiet(text, off, profile.schedule.quiet_start, profile.schedule.quiet_end)
        if quiet is None:
            return _fail("fields.quiet.unknown")
        return _with_schedule(profile, quiet_start=quiet[0], quiet_end=quiet[1])
    attr = TIME_FIELDS[name]
    current: time = getattr(profile.schedule, attr)
    parsed = parse_clock(text, near=current)
    if parsed is None and is_duration(text):
        # "5 min" at a time question: say that a time of day is wanted, not how long.
        return _fail("fields.block.duration" if name == "block" else "fields.time.duration")
    if parsed is None:
        return _fail("fields.time.unknown")
    return _with_schedule(profile, **{attr: parsed})


def accept_button(content: Content, name: str, profile: Profile, value: str) -> Outcome:
    """Take the value behind an answer button (checked: button data can be stale or forged)."""
    if name == "lang":
        if value not in content.languages:
            return _fail("fields.lang.unknown")
        return Outcome(profile=replace(profile, language=value))
    if name == "region":
        if value not in REGIONS:
            return _fail("fields.region.unknown")
        return Outcome(profile=_with_region(profile, value))
    if name == "currency":
        if value not in CURRENCIES:
            return _fail("fields.currency.unknown")
        return Outcome(profile=replace(profile, currency=value))
    if name == "blen":
        if not value.isdigit() or int(value) not in LENGTH_CHOICES:
            return _fail("fields.blen.unknown")
        return _with_schedule(profile, block_minutes=int(value))
    if name == "checkins":
        return toggle_checkin(profile, value)
    if name == "weekly":
        if len(value) != 1 or not value.isdigit() or int(value) > 6:
            return _fail("fields.weekly.unknown")
        return _with_schedule(profile, weekly_day=int(value))
    if name == "quiet":
        if value == QUIET_OFF:
            return _with_schedule(profile, quiet_end=profile.schedule.quiet_start)
        start, _, end = value.partition("-")
        start_time, end_time = _button_time(start), _button_time(end)
        if start_time is None or end_time is None:
            return _fail("fields.quiet.unknown")
        return _with_schedule(profile, quiet_start=start_time, quiet_end=end_time)
    if name in TIME_FIELDS:
        parsed = _button_time(value)
        if parsed is not None:
            return _with_schedule(profile, **{TIME_FIELDS[name]: parsed})
    return _fail("fields.time.unknown")


def _timezone_of_place(profile: Profile, text: str) -> str | None:
    """The timezone of a typed place: the lookup's, unless it only guessed or lands in another
    country than the city we know ("Davos" is in Graubünden, not "Davis" in Antarctica)."""
    match = resolve_timezone(text)
    place = region_of_place(text)
    if place is None:
        return None if match is None else match.key
    zone = timezone_of_region(place)
    if match is not None and match.exact:
        found = region_of(replace(profile, timezone=match.key, region=None))
        if found == country_of(place):
            return match.key
    # A country of several zones without its region ("USA"): a city is needed, not a guess.
    return zone


def _with_region(profile: Profile, region: str) -> Profile:
    """The profile with a chosen holiday region; a currency that was the old country's follows."""
    changed = replace(profile, region=region)
    if profile.currency == currency_for_country(_country(profile)):
        changed = replace(changed, currency=currency_for_country(country_of(region)))
    return changed


def _button_time(value: str) -> time | None:
    """A time from button data "HHMM"; None if malformed."""
    if len(value) != 4 or not value.isdigit():
        return None
    hour, minute = int(value[:2]), int(value[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_weekly(text: str, day: int, at: time) -> tuple[int, time] | None:
    """Weekday and time from "Freitag 16:00", "fr 15:30", "friday 4pm", "Montag" (keeps `at`)
    or "17 Uhr" (keeps `day`); None if unclear."""
    if not text or len(text) > _MAX_TYPED:
        return None
    words = [w for w in _WORDS.split(text.strip()) if w]
    if not words:
        return None
    # The day comes first ("Freitag 16 Uhr") or last ("4pm on friday"); the rest is the time.
    splits = [(words[:i], words[i:]) for i in range(1, len(words) + 1)]
    splits += [(words[i:], words[:i]) for i in range(1, len(words))]
    for day_words, time_words in splits:
        day_text = " ".join(day_words)
        # Digits belong to the time here ("17"), never to a day number ("5" for Friday).
        if any(c.isdigit() for c in day_text):
            continue
        weekday = parse_weekday(day_text)
        if weekday is None:
            continue
        if not time_words:
            return weekday, at
        clock = parse_clock(" ".join(time_words), near=at)
        if clock is not None:
            return weekday, clock
    clock = parse_clock(text, near=at)
    return None if clock is None else (day, clock)


def parse_quiet(
    text: str, off_words: Iterable[str], start: time, end: time
) -> tuple[time, time] | None:
    """Quiet hours from "21-7", "12-14", "21:00-07:00", "22:30 bis 6:30"; an off word ("aus")
    gives equal start and end; None if unclear. 12-hour forms lean towards the current times."""
    if not text or len(text) > _MAX_TYPED:
        return None
    folded = fold(text).strip(" .!")
    if folded in {fold(word) for word in off_words}:
        return start, start
    return parse_clock_range(folded, near=(start, end))


def notes(
    content: Content, lang: str, name: str, profile: Profile, *, setup: bool = False
) -> list[str]:
    """Hints after a settings change: check-ins of this field that are switched off, or
    that fall in the quiet hours (and so are not sent), or a weekly review off work. During
    setup (onboarding) only the quiet hours, with where to change them."""
    s = profile.schedule
    related = FIELD_KINDS.get(name, ())
    found: list[str] = []
    if name == "tz":
        # Where the rep works decides the holidays and the currency: say what follows from it.
        found.append(
            content.text(
                lang,
                "fields.tz.locale",
                region=region_name(content, lang, region_of(profile)),
                currency=currency_name(content, lang, profile.currency),
            )
        )
    off = [kind for kind in related if kind not in s.checkins]
    if off and not setup:
        found.append(content.text(lang, "fields.notes.off", names=kind_names(content, lang, off)))
    checked = CHECKIN_KINDS if name in {"quiet", "checkins"} else related
    quiet = [kind for kind in checked if kind in s.checkins and _quiet(s, _kind_time(s, kind))]
    if quiet:
        found.append(
            content.text(
                lang,
                "fields.notes.quiet",
                names=kind_names(content, lang, quiet),
                quiet=quiet_label(content, lang, s),
            )
        )
        if setup:
            found.append(content.text(lang, "fields.notes.quiet_setup"))
    if setup:
        return found
    if name == "weekly" and "weekly" in s.checkins and s.weekly_day not in s.working_days:
        day = content.list(lang, "common.weekdays_short")[s.weekly_day]
        found.append(content.text(lang, "fields.notes.weekly_day_off", day=day))
    return found


def _kind_time(s: Schedule, kind: str) -> time:
    """The local wall time a check-in kind is planned at."""
    if kind == "block_end":
        start = datetime.combine(date(2000, 1, 3), s.block_start)
        return (start + timedelta(minutes=s.block_minutes)).time()
    attrs = {
        "morning": "morning_ping",
        "block_start": "block_start",
        "midday": "midday_nudge",
        "evening": "evening_checkin",
        "weekly": "weekly_time",
    }
    value: time = getattr(s, attrs[kind])
    return value


def _quiet(s: Schedule, wall: time) -> bool:
    # The same rule the scheduler applies, asked for a wall time on an arbitrary day in UTC.
    return in_quiet_hours(datetime.combine(date(2000, 1, 3), wall, tzinfo=UTC), s, "UTC")


def accept_days(profile: Profile, selected: str) -> Outcome:
    """Take the toggled working days; at least one is needed."""
    days = weekdays_from_str(selected)
    if not days:
        return _fail("fields.days.empty")
    return Outcome(profile=profile.with_schedule(working_days=days))


def accept_location(profile: Profile, latitude: float, longitude: float) -> Outcome:
    """Take the timezone of a shared location."""
    key = timezone_for_location(latitude, longitude)
    if key is None:
        return _fail("fields.tz.no_location")
    return Outcome(profile=relocated(profile, replace(profile, timezone=key)))


def local_now(profile: Profile, now: datetime) -> str:
    """The rep's wall-clock time, to confirm a timezone."""
    local = now.astimezone(ZoneInfo(profile.timezone))
    return format_clock(local.time().replace(second=0, microsecond=0))


def block_end(profile: Profile) -> str:
    """When the calling block ends, local time."""
    s = profile.schedule
    start = datetime.combine(datetime(2000, 1, 1), s.block_start)
    return format_clock((start + timedelta(minutes=s.block_minutes)).time())
