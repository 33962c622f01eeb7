"""Practice calls over time: their lines in /week and the weekly review, and the daily
suggestion of the weakest scenario (a due item the scheduler sends, like the drill's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.coach.roleplay import Scenario
from bot.coach.roleplay.progress import SUGGEST_LOOKBACK, practice_week, suggestion_at, to_practise
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session
from bot.handlers.keyboards import inline
from bot.handlers.team import focus_suggestion

DUE_KIND: Final = "roleplay"
DUE_REF: Final = "next"
# The roleplay handler's button that opens a scenario (then the difficulty): "rp:s:<id>".
START_DATA: Final = "rp:s:{scenario}"
# On a day one of these is due, the call suggestion waits for the next working day.
_OTHER_NUDGES: Final = ("drill", "pitch")
# Spans end just after now: a call that ended this instant counts (`between` excludes its end).
JUST_ENDED: Final = timedelta(seconds=1)


def scenario_of(s: Session, scenario_id: str) -> Scenario | None:
    """A scenario in the rep's language (built-in or the team's), or None when it is gone."""
    book = s.deps.roleplays.get(s.lang)
    return book.get(scenario_id) if book is not None else None


def start_button(s: Session, scenario: Scenario, key: str) -> tuple[str, str]:
    """A button that opens a scenario in /rollenspiel."""
    return s.text(key, title=scenario.title), START_DATA.format(scenario=scenario.id)


async def week_lines(s: Session, start: datetime, end: datetime) -> list[str]:
    """The practice calls that ended from start to end (now): how many, the share of criteria
    met, the goals reached and the weakest scenario; none without a call."""
    results = await s.deps.storage.roleplay.between(s.user_id, start, end + JUST_ENDED)
    week = practice_week(results)
    if week is None:
        return []
    content = s.deps.content
    parts = [
        content.plural(s.lang, "week.practice.calls", week.calls),
        s.text("week.practice.met", percent=week.percent),
        content.plural(s.lang, "week.practice.passed", week.passed),
    ]
    weakest = scenario_of(s, week.weakest) if week.weakest else None
    if weakest is not None:
        parts.append(s.text("week.practice.weakest", title=weakest.title))
    return [s.text("week.practice.joiner").join(parts)]


async def _recent(s: Session, now: datetime) -> str | None:
    book = s.deps.roleplays.get(s.lang)
    if book is None:
        return None
    results = await s.deps.storage.roleplay.between(
        s.user_id, now - SUGGEST_LOOKBACK, now + JUST_ENDED
    )
    return to_practise(results, frozenset(book.scenarios))


async def next_scenario(s: Session) -> Scenario | None:
    """The scenario to practise next: the team's focus of the week until practised, else the
    weakest of the recent calls; or None."""
    focus = await focus_suggestion(s, "scenario")
    if focus is not None and (scenario := scenario_of(s, focus)) is not None:
        return scenario
    found = await _recent(s, s.deps.clock())
    return scenario_of(s, found) if found is not None else None


async def suggest(s: Session) -> None:
    """Store (or move, or drop) the call suggestion after a practice call ended.

    The weakest recent scenario comes back an hour after the next working day's calling block,
    on a day no drill or pitch reminder is due; with nothing left to improve, none is kept.
    """
    if s.profile is None or not s.profile.onboarded:
        return
    storage, now = s.deps.storage.checkins, s.deps.clock()
    scenario = await next_scenario(s)
    if scenario is None:
        items = await storage.open_items(s.user_id, DUE_KIND)
        await storage.close_items([item.id for item in items], now)
        return
    zone = ZoneInfo(s.profile.timezone)
    busy = {
        item.due_at.astimezone(zone).date()
        for kind in _OTHER_NUDGES
        for item in await storage.open_items(s.user_id, kind)
    }
    today = today_of(s.profile, now)
    pauses = await storage.pauses([s.user_id], today)
    calendar = calendar_for(s.profile, today, pauses=pauses.get(s.user_id, ()))
    at = suggestion_at(now, s.profile.schedule, s.profile.timezone, calendar, busy)
    payload: dict[str, Any] = {"scenario": scenario.id}
    await storage.put_due(s.user_id, DUE_KIND, DUE_REF, at, now, payload)


def reminder(s: Session, payload: Mapping[str, Any]) -> tuple[str, InlineKeyboardMarkup] | None:
    """The call suggestion the scheduler sends: the scenario and a button that starts it;
    None when the scenario is gone (a team scenario removed since)."""
    scenario_id = payload.get("scenario")
    scenario = scenario_of(s, scenario_id) if isinstance(scenario_id, str) else None
    if scenario is None:
        return None
    text = s.text("checkins.roleplay.reminder", title=scenario.title, name=scenario.persona.name)
    return text, inline([start_button(s, scenario, "checkins.roleplay.button")])
