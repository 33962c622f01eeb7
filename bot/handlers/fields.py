"""The profile fields a rep sets in onboarding and /settings: question, parsing, display."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.coach.calendar import REGIONS, normalize_region
from bot.coach.clock import format_clock, parse_clock, parse_minutes
from bot.coach.places import resolve_timezone, timezone_for_location, utc_offset_label
from bot.coach.profile import Profile, Schedule
from bot.coach.weekdays import format_weekdays, parse_weekdays, weekdays_from_str, weekdays_to_str
from bot.content import Content
from bot.handlers.calendars import region_of
from bot.handlers.keyboards import inline, location_keyboard

# The order onboarding asks in; /settings edits any one of them, and the holiday region too.
FIELDS: tuple[str, ...] = ("lang", "tz", "days", "morning", "block", "blen", "evening")
SETTINGS_FIELDS: tuple[str, ...] = (*FIELDS, "region")
TIME_FIELDS: dict[str, str] = {
    "morning": "morning_ping",
    "block": "block_start",
    "evening": "evening_checkin",
}
TIME_CHOICES: dict[str, tuple[str, ...]] = {
    "morning": ("07:00", "07:30", "08:00", "08:30", "09:00", "09:30"),
    "block": ("08:00", "09:00", "10:00", "11:00", "13:00", "14:00"),
    "evening": ("16:30", "17:00", "17:30", "18:00", "18:30", "19:00"),
}
LENGTH_CHOICES: tuple[int, ...] = (30, 45, 60, 90, 120, 180)
MINUTES_PER_DAY = 24 * 60

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of an answer: the changed profile and a confirmation, or an error key."""

    profile: Profile | None = None
    error: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def _fail(key: str, **values: Any) -> Outcome:
    return Outcome(error=key, values=values)


def display(content: Content, lang: str, name: str, profile: Profile, now: datetime) -> str:
    """A field's current value as the rep reads it."""
    s = profile.schedule
    if name == "lang":
        return content.text(profile.language, "meta.name")
    if name == "region":
        region = region_of(profile)
        label = content.text(lang, f"regions.{region}") if region in REGIONS else (region or "–")
        return label if profile.region else content.text(lang, "fields.region.auto", name=label)
    if name == "tz":
        return f"{profile.timezone} ({utc_offset_label(profile.timezone, now)})"
    if name == "days":
        return format_weekdays(s.working_days, content.list(lang, "common.weekdays_short"))
    if name == "blen":
        return content.text(lang, "common.minutes", n=s.block_minutes)
    return format_clock(getattr(s, TIME_FIELDS[name]))


def question(
    content: Content, lang: str, name: str, profile: Profile, selected_days: str | None = None
) -> tuple[str, Markup]:
    """The question for a field, with its answer buttons."""
    text = content.text(lang, f"fields.{name}.ask")
    if name == "lang":
        buttons = [
            (content.text(code, "meta.flag_name"), f"a:lang:{code}") for code in content.languages
        ]
        return text, inline(buttons, columns=2)
    if name == "region":
        country = (region_of(profile) or "DE").split("-")[0]
        codes = [c for c in REGIONS if c.split("-")[0] == country] or ["DE", "AT", "CH"]
        buttons = [(content.text(lang, f"regions.{c}"), f"a:region:{c}") for c in codes]
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
    choices = TIME_CHOICES[name]
    return text, inline([(c, f"a:{name}:{c.replace(':', '')}") for c in choices], columns=3)


def days_keyboard(content: Content, lang: str, days: frozenset[int]) -> InlineKeyboardMarkup:
    """Seven toggles (✅ on a working day) and a done button."""
    names = content.list(lang, "common.weekdays_short")
    buttons = [(("✅ " if d in days else "▫️ ") + names[d], f"d:{d}") for d in range(7)]
    done = [(content.text(lang, "fields.days.done"), "d:ok")]
    return inline(buttons, columns=4, extra_rows=[done])


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
        return Outcome(profile=replace(profile, region=region))
    if name == "tz":
        match = resolve_timezone(text)
        if match is None:
            return _fail("fields.tz.unknown")
        return Outcome(profile=replace(profile, timezone=match.key))
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
    attr = TIME_FIELDS[name]
    current: time = getattr(profile.schedule, attr)
    parsed = parse_clock(text, near=current)
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
        return Outcome(profile=replace(profile, region=value))
    if name == "blen":
        if not value.isdigit() or int(value) not in LENGTH_CHOICES:
            return _fail("fields.blen.unknown")
        return _with_schedule(profile, block_minutes=int(value))
    if name in TIME_FIELDS and len(value) == 4 and value.isdigit():
        hour, minute = int(value[:2]), int(value[2:])
        if hour < 24 and minute < 60:
            return _with_schedule(profile, **{TIME_FIELDS[name]: time(hour, minute)})
    return _fail("fields.time.unknown")


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
    return Outcome(profile=replace(profile, timezone=key))


def local_now(profile: Profile, now: datetime) -> str:
    """The rep's wall-clock time, to confirm a timezone."""
    local = now.astimezone(ZoneInfo(profile.timezone))
    return format_clock(local.time().replace(second=0, microsecond=0))


def block_end(profile: Profile) -> str:
    """When the calling block ends, local time."""
    s = profile.schedule
    start = datetime.combine(datetime(2000, 1, 1), s.block_start)
    return format_clock((start + timedelta(minutes=s.block_minutes)).time())
