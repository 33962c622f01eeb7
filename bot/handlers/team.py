"""/team for leads: the team's recent days (verdict first), nudges, the focus of the week, the
team chart; the weekly digest's content; the team goal line in /today.

What a lead may see follows bot.coach.team_week: sums only from three reps, a rep's own line
only after they agreed to "per rep", and nothing that subtracts down to one or two others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, cast
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.charts import ChartLabels, team_chart
from bot.coach import checkins as plan
from bot.coach.activity import progress_bar
from bot.coach.calendar import local_date
from bot.coach.profile import Profile
from bot.coach.team_week import (
    METRICS,
    PRACTICE,
    SPANS,
    RepInput,
    RepLine,
    TeamWeek,
    counted,
    logged_today,
    team_goal_visible,
    team_week,
    trend,
)
from bot.coach.teams import Focus, Team
from bot.content import Raw
from bot.handlers.calendars import calendar_for
from bot.handlers.context import Session, with_session
from bot.handlers.keyboards import inline
from bot.handlers.team_admin import led_teams, show_team_settings
from bot.scheduler.sender import Outgoing, Sender
from bot.storage.checkins import FAILED, SENT, DeliveryKey
from bot.storage.taps import Tap, tap_origin

log = logging.getLogger(__name__)

PREFIX: Final = "tm"
# The delivery kinds (deliveries table): at most one nudge per rep and local day, one digest
# per lead, team and digest day.
NUDGE_KIND: Final = "team_nudge"
DIGEST_KIND: Final = "team_digest"
# Lines per rep in one message: beyond this a phone shows a wall; the rest are counted.
MAX_LINES: Final = 30
MAX_NAMES: Final = 12
# Callback data holds at most 64 bytes.
_DATA_LIMIT: Final = 64
_FOCUS_TITLE: Final = 48


def monday(day: date) -> date:
    """The Monday of the day's week: the key of the week's focus."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class Loaded:
    """One team's view as computed for a lead: the figures and the week's focus."""

    team: Team
    days: int
    view: TeamWeek
    focus: Focus | None
    inputs: tuple[RepInput, ...]
    profiles: dict[int, Profile]


async def load(s: Session, team: Team, days: int, now: datetime) -> Loaded:
    """Read the team's members and figures (a few grouped queries) and apply the rule."""
    storage = s.deps.storage
    zone = s.profile.timezone if s.profile else "UTC"
    today = local_date(now, zone)
    first = today - timedelta(days=days - 1)
    members = await storage.teams.members(team.id)
    ids = [m.user_id for m in members if counted(m)]
    since = datetime.combine(first, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    # A rep east of the lead may be a day ahead.
    stats = await storage.team_stats.stats(ids, first, today + timedelta(days=1), since, today)
    pauses = await storage.checkins.pauses(ids, since=first)
    focus = await storage.teams.focus(team.id, monday(today))
    practised: set[int] = set()
    if focus is not None:
        start = datetime.combine(focus.week, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
        practised = await storage.team_stats.practised(ids, focus.kind, focus.ref, start)
    inputs = []
    for member in members:
        profile = stats.profiles.get(member.user_id)
        rep_today = local_date(now, profile.timezone) if profile else today
        working: list[date] = []
        if profile is not None:
            calendar = calendar_for(profile, rep_today, pauses=pauses.get(member.user_id, ()))
            day = first
            while day <= rep_today:
                if calendar.is_working_day(day):
                    working.append(day)
                day += timedelta(days=1)
        inputs.append(
            RepInput(
                member,
                days=stats.days.get(member.user_id, ()),
                daily=stats.daily.get(member.user_id, {}),
                working=working,
                today=rep_today,
                practice=stats.practice.get(member.user_id, {}),
                overdue=stats.overdue.get(member.user_id, 0),
                focus_done=member.user_id in practised,
            )
        )
    chart_days = [first + timedelta(days=n) for n in range(days)]
    view = team_week(team, inputs, chart_days)
    return Loaded(team, days, view, focus, tuple(inputs), stats.profiles)


# --- Rendering -------------------------------------------------------------------------------


def _name(s: Session, line: RepLine) -> str:
    return line.name or s.text("lead.unnamed")


def _names(s: Session, lines: Sequence[RepLine], hidden: int = 0) -> str:
    names = ", ".join(_name(s, line) for line in lines[:MAX_NAMES])
    more = len(lines) - MAX_NAMES + hidden if len(lines) > MAX_NAMES else hidden
    return s.text("lead.idle_more", names=names, n=more) if more > 0 and names else names


def focus_title(s: Session, focus: Focus) -> str:
    """The focus in words, in the session's language: "Einwand „Zu teuer“" and the like."""
    if focus.kind == "pitch":
        return s.text("lead.focus.pitch")
    if focus.kind == "objection":
        entry = s.deps.find_entry(s.lang, focus.ref)
        title = entry.phrasings[0] if entry is not None and entry.phrasings else focus.ref
    else:
        book = s.deps.roleplays.get(s.lang)
        scenario = book.get(focus.ref) if book is not None else None
        title = scenario.title if scenario is not None else focus.ref
    if len(title) > _FOCUS_TITLE:
        title = title[: _FOCUS_TITLE - 1].rstrip() + "…"
    return s.text(f"lead.focus.{focus.kind}", title=title)


def verdict_line(s: Session, view: TeamWeek) -> str:
    """The first line: on track or not, or why no total is shown."""
    verdict = view.verdict
    if verdict == "hidden":
        content = s.deps.content
        if view.contributors < 3:
            return content.plural(s.lang, "lead.verdict.few", view.contributors)
        return content.plural(s.lang, "lead.verdict.unconfirmed", view.hidden)
    if verdict == "early":
        return s.text("lead.verdict.early")
    assert view.total is not None
    return s.text(f"lead.verdict.{verdict}", percent=view.total.dial_percent or 0)


def _total_lines(s: Session, view: TeamWeek) -> list[str]:
    total = view.total
    if total is None:
        return []
    lines = [
        s.text(f"lead.total.{m}", done=total.actual[m], target=total.target[m]) for m in METRICS
    ]
    lines.append(s.text("lead.total.days_hit", hit=total.days_hit, days=total.days_counted))
    content = s.deps.content
    parts = [content.plural(s.lang, f"lead.practice.{k}", total.practice[k]) for k in PRACTICE]
    if not any(total.practice.values()):
        parts = [s.text("lead.practice.none")]
    lines.append(s.text("lead.total.practice", parts=Raw(s.text("lead.joiner").join(parts))))
    lines.append(s.text("lead.total.overdue", n=total.overdue))
    return lines


def _idle_line(s: Session, view: TeamWeek) -> str | None:
    count = view.idle_count
    if count is None:
        return None
    if count == 0:
        return s.text("lead.idle_none")
    if view.idle_lines:
        return s.text("lead.idle_names", names=_names(s, view.idle_lines, view.idle_hidden or 0))
    return s.text("lead.idle", n=count, total=view.contributors)


def _focus_lines(s: Session, loaded: Loaded) -> list[str]:
    view, focus = loaded.view, loaded.focus
    if focus is None:
        return [s.text("lead.focus.none")]
    lines = [s.text("lead.focus.line", focus=focus_title(s, focus))]
    if view.focus_lines:
        lines.append(
            s.text(
                "lead.focus.done_names", names=_names(s, view.focus_lines, view.focus_hidden or 0)
            )
        )
    elif view.focus_hidden is not None or not view.hidden:
        done = view.focus_hidden or 0
        if done:
            lines.append(s.text("lead.focus.done_count", n=done, total=view.contributors))
        else:
            lines.append(s.text("lead.focus.done_nobody"))
    return lines


def _rep_lines(s: Session, view: TeamWeek) -> list[str]:
    if not view.lines:
        return []
    # Who needs a hand first: the lowest share of the dial target on top.
    ordered = sorted(
        view.lines,
        key=lambda line: (
            line.figures.dial_percent if line.figures.dial_percent is not None else 1000,
            _name(s, line).casefold(),
        ),
    )
    lines = ["", s.text("lead.lines_title")]
    for line in ordered[:MAX_LINES]:
        f = line.figures
        lines.append(
            s.text(
                "lead.line",
                name=_name(s, line),
                dials=f.actual["dials"],
                target=f.target["dials"],
                conversations=f.actual["conversations"],
                appointments=f.actual["appointments"],
                streak=line.streak,
            )
        )
    if len(ordered) > MAX_LINES:
        lines.append(s.text("lead.more_lines", n=len(ordered) - MAX_LINES))
    if view.others is not None:
        o = view.others
        lines.append(
            s.text(
                "lead.others",
                people=Raw(s.deps.content.plural(s.lang, "lead.people", o.reps)),
                dials=o.actual["dials"],
                target=o.target["dials"],
                conversations=o.actual["conversations"],
                appointments=o.actual["appointments"],
            )
        )
    return lines


async def goal_line(s: Session, team: Team, ids: Sequence[int]) -> str | None:
    """The team goal's bar for this week (the reps' sum), or None without a goal."""
    if team.goal_metric not in METRICS or not team.goal_weekly:
        return None
    zone = s.profile.timezone if s.profile else "UTC"
    today = local_date(s.deps.clock(), zone)
    start = monday(today)
    metric = team.goal_metric
    done = await s.deps.storage.team_stats.team_sum(ids, metric, start, today + timedelta(days=1))
    return s.text(
        "lead.goal",
        metric=s.text(f"lead.goal_metric.{metric}"),
        bar=progress_bar(done, team.goal_weekly),
        done=done,
        goal=team.goal_weekly,
    )


async def render(s: Session, loaded: Loaded) -> str:
    """The lead's message: the verdict first, then totals, who is idle, the focus, the lines."""
    view = loaded.view
    lines = [
        s.text("lead.title", team=loaded.team.name, days=loaded.days),
        verdict_line(s, view),
    ]
    lines += _total_lines(s, view)
    ids = [i.member.user_id for i in loaded.inputs if counted(i.member)]
    # The goal's sum is a total: shown to the lead where the total is.
    if view.total is not None:
        goal = await goal_line(s, loaded.team, ids)
        if goal:
            lines.append(goal)
    idle = _idle_line(s, view)
    lines += ["", *([idle] if idle else []), *_focus_lines(s, loaded)]
    lines += _rep_lines(s, view)
    return "\n".join(lines)


def keyboard(s: Session, loaded: Loaded) -> InlineKeyboardMarkup:
    """7/14/30 days, remind, focus, chart, settings."""
    team_id = loaded.team.id
    spans = [
        (
            ("· " if d == loaded.days else "") + s.text("lead.button.days", days=d),
            f"tm:v:{team_id}:{d}",
        )
        for d in SPANS
    ]
    return inline(
        spans,
        columns=3,
        extra_rows=[
            [
                (s.text("lead.button.nudge"), f"tm:n:{team_id}"),
                (s.text("lead.button.focus"), f"tm:f:{team_id}"),
            ],
            [
                (s.text("lead.button.chart"), f"tm:c:{team_id}:{loaded.days}"),
                (s.text("lead.button.settings"), f"tm:s:{team_id}"),
            ],
        ],
    )


def chart_labels(s: Session, loaded: Loaded) -> ChartLabels:
    """The team chart's texts in the lead's language."""
    return ChartLabels(
        title=s.text("lead.chart.title", team=loaded.team.name, days=loaded.days),
        metrics={m: s.text(f"week.metric.{m}") for m in METRICS},
        actual=s.text("week.actual"),
        target=s.text("week.target"),
        weekdays=s.deps.content.list(s.lang, "common.weekdays_short"),
    )


async def chart(s: Session, loaded: Loaded) -> bytes | None:
    """The team chart as PNG, or None where the lead may see no total."""
    if not loaded.view.days:
        return None
    # Drawing takes tens of milliseconds: keep the event loop free for the reps.
    return await asyncio.to_thread(team_chart, loaded.view.days, chart_labels(s, loaded))


# --- The digest ------------------------------------------------------------------------------


async def digest(s: Session, team: Team) -> tuple[str, bytes | None]:
    """The weekly digest for a lead: verdict, totals, trend against last week, the focus and
    how it went; the chart where totals may be shown."""
    now = s.deps.clock()
    loaded = await load(s, team, 7, now)
    previous = await load(s, team, 7, now - timedelta(days=7))
    view = loaded.view
    lines = [s.text("lead.digest.title", team=team.name), verdict_line(s, view)]
    lines += _total_lines(s, view)
    if view.total is not None and previous.view.total is not None:
        change = trend(view.total.actual["dials"], previous.view.total.actual["dials"])
        if change is None:
            lines.append(s.text("lead.digest.trend_none"))
        elif change > 0:
            lines.append(s.text("lead.digest.trend_up", percent=change))
        elif change < 0:
            lines.append(s.text("lead.digest.trend_down", percent=-change))
        else:
            lines.append(s.text("lead.digest.trend_same"))
    elif view.total is not None:
        lines.append(s.text("lead.digest.trend_none"))
    lines += ["", *_focus_lines(s, loaded), "", s.text("lead.digest.more")]
    return "\n".join(lines), await chart(s, loaded)


async def digest_message(s: Session, team_id: int) -> Outgoing | None:
    """The digest as a scheduled message (photo with caption where there is a chart), or None
    when the user no longer leads the team."""
    led = {team.id: team for team in await s.deps.storage.teams.teams_led_by(s.user_id)}
    team = led.get(team_id)
    if team is None:
        return None
    text, png = await digest(s, team)
    # A photo's caption holds 1024 characters; a long digest goes as text with no chart.
    if png is not None and len(text) <= 1024:
        return Outgoing(s.chat_id, text, None, photo=png)
    return Outgoing(s.chat_id, text)


# --- The team goal in /today -----------------------------------------------------------------


async def today_goal_line(s: Session) -> str | None:
    """The rep's team goal bar for /today (sums only, from three others), or None."""
    team = await s.deps.storage.teams.team_of(s.user_id)
    if team is None or team.goal_metric is None or not team.goal_weekly:
        return None
    members = [m for m in await s.deps.storage.teams.members(team.id) if counted(m)]
    # Without the rep's own number the sum must still cover three others.
    if not team_goal_visible(len(members)):
        return None
    return await goal_line(s, team, [m.user_id for m in members])


# --- The focus for reps ----------------------------------------------------------------------


async def rep_focus(s: Session) -> Focus | None:
    """The focus of the rep's team this week, or None."""
    team = await s.deps.storage.teams.team_of(s.user_id)
    if team is None:
        return None
    zone = s.profile.timezone if s.profile else "UTC"
    return await s.deps.storage.teams.focus(team.id, monday(local_date(s.deps.clock(), zone)))


def morning_focus_line(s: Session, focus: Focus | None) -> str | None:
    """The focus line of the morning ping, or None."""
    if focus is None:
        return None
    return s.text(
        "lead.focus.morning",
        focus=focus_title(s, focus),
        how=s.text(f"lead.focus.how.{focus.kind}"),
    )


# --- /team and its buttons -------------------------------------------------------------------


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc) and "not found" not in str(exc):
            raise


async def _team(s: Session, team_id: int | None, query: CallbackQuery | None) -> Team | None:
    """The team if the user leads it; a friendly reply otherwise."""
    teams = await led_teams(s)
    for team in teams:
        if team.id == team_id:
            return team
    if query is not None:
        await query.answer(s.text("lead.not_lead" if not teams else "common.button_outdated"))
    else:
        await s.say("lead.not_lead")
    return None


async def show(s: Session, team: Team, days: int, query: CallbackQuery | None = None) -> None:
    """Send (or, from a button, replace) the lead's view of the team."""
    loaded = await load(s, team, days, s.deps.clock())
    text, markup = await render(s, loaded), keyboard(s, loaded)
    if query is not None:
        await _edit(query, text, markup)
    else:
        await s.send(text, markup)


@with_session
async def team_command(update: Update, s: Session) -> None:
    """/team: the view of the lead's team (a lead of several picks one)."""
    teams = await led_teams(s)
    if not teams:
        await s.say("lead.not_lead")
        return
    if len(teams) == 1:
        await show(s, teams[0], SPANS[0])
        return
    buttons = [(team.name, f"tm:v:{team.id}:{SPANS[0]}") for team in teams]
    await s.send(s.text("lead.pick"), inline(buttons, columns=1))


def _numbers(parts: Sequence[str]) -> list[int] | None:
    try:
        return [int(p) for p in parts]
    except ValueError:
        return None


async def _counted(s: Session, query: CallbackQuery) -> bool:
    """The tap guard for buttons that act: a double tap or a redelivered press acts once."""
    if s.profile is None:
        return True
    message = query.message if isinstance(query.message, Message) else None
    origin = tap_origin(s.chat_id, message.message_id if message else None, query.data or "")
    return await s.deps.storage.teams.claim_tap(s.user_id, Tap(query.id, origin), s.deps.clock())


@with_session
async def on_button(update: Update, s: Session) -> None:
    """The view's buttons: "tm:v|c:<team>:<days>", "tm:n|f|s:<team>", "tm:fk:<team>:<kind>",
    "tm:fs:<team>:<kind>:<ref>"."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    action = parts[1] if len(parts) > 2 else ""
    team_id = _numbers(parts[2:3])
    if not team_id:
        await query.answer(s.text("common.button_outdated"))
        return
    team = await _team(s, team_id[0], query)
    if team is None:
        return
    if action in ("v", "c"):
        days = _numbers(parts[3:4])
        if not days or days[0] not in SPANS:
            await query.answer(s.text("common.button_outdated"))
            return
        await query.answer()
        if action == "v":
            await show(s, team, days[0], query)
        else:
            await _send_chart(s, team, days[0])
    elif action == "n":
        if not await _counted(s, query):
            await query.answer()
            return
        await query.answer()
        await s.send(await nudge(s, team))
    elif action == "f":
        await query.answer()
        await _focus_menu(s, query, team)
    elif action == "fk" and len(parts) == 4:
        await query.answer()
        await _focus_list(s, query, team, parts[3])
    elif action == "fs" and len(parts) >= 4:
        await _set_focus(s, query, team, parts[3], ":".join(parts[4:]))
    elif action == "s":
        await query.answer()
        await show_team_settings(s, team.id)
    else:
        await query.answer(s.text("common.button_outdated"))


async def _send_chart(s: Session, team: Team, days: int) -> None:
    loaded = await load(s, team, days, s.deps.clock())
    png = await chart(s, loaded)
    if png is None:
        await s.say("lead.chart.hidden")
        return
    caption = "\n".join(
        [s.text("lead.title", team=team.name, days=days), verdict_line(s, loaded.view)]
    )
    await s.bot.send_photo(s.chat_id, InputFile(png, filename="team.png"), caption=caption)


# --- The focus of the week -------------------------------------------------------------------


async def _focus_menu(s: Session, query: CallbackQuery, team: Team) -> None:
    buttons = [
        (s.text("lead.button.objection"), f"tm:fk:{team.id}:objection"),
        (s.text("lead.button.scenario"), f"tm:fk:{team.id}:scenario"),
        (s.text("lead.button.pitch"), f"tm:fs:{team.id}:pitch:"),
    ]
    back = [(s.text("lead.button.back"), f"tm:v:{team.id}:{SPANS[0]}")]
    await _edit(query, s.text("lead.focus.ask"), inline(buttons, columns=1, extra_rows=[back]))


def _choices(s: Session, team: Team, kind: str) -> list[tuple[str, str]]:
    """(label, callback data) for each objection or scenario the lead can pick."""
    found: list[tuple[str, str]] = []
    if kind == "objection":
        team_book = s.deps.team_playbooks.get(s.lang)
        entries = [*(team_book.entries if team_book else ()), *s.deps.playbooks[s.lang].entries]
        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:
                continue
            seen.add(entry.id)
            label = entry.phrasings[0] if entry.phrasings else entry.id
            found.append((label[:_FOCUS_TITLE], f"tm:fs:{team.id}:objection:{entry.id}"))
    elif kind == "scenario":
        book = s.deps.roleplays.get(s.lang)
        for scenario in book.scenarios.values() if book else ():
            found.append((scenario.title, f"tm:fs:{team.id}:scenario:{scenario.id}"))
    return [(label, data) for label, data in found if len(data.encode()) <= _DATA_LIMIT]


async def _focus_list(s: Session, query: CallbackQuery, team: Team, kind: str) -> None:
    choices = _choices(s, team, kind)
    back = [(s.text("lead.button.back"), f"tm:f:{team.id}")]
    if not choices:
        await _edit(query, s.text("lead.focus.nothing"), inline([], extra_rows=[back]))
        return
    await _edit(
        query, s.text(f"lead.focus.ask_{kind}"), inline(choices, columns=1, extra_rows=[back])
    )


async def _set_focus(s: Session, query: CallbackQuery, team: Team, kind: str, ref: str) -> None:
    valid = kind == "pitch" and not ref
    if kind in ("objection", "scenario"):
        valid = any(data.endswith(f":{kind}:{ref}") for _, data in _choices(s, team, kind))
    if not valid:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    now = s.deps.clock()
    zone = s.profile.timezone if s.profile else "UTC"
    week = monday(local_date(now, zone))
    focus = await s.deps.storage.teams.set_focus(team.id, week, kind, ref, s.user_id, now)
    await s.say("lead.focus.set", focus=focus_title(s, focus))
    await show(s, team, SPANS[0], query)


# --- The nudge -------------------------------------------------------------------------------


async def nudge(s: Session, team: Team) -> str:
    """Remind each rep who logged nothing today, once a day, never on a pause or in quiet
    hours; the lead's reply says how many, where the lead may know it."""
    deps, now = s.deps, s.deps.clock()
    loaded = await load(s, team, 1, now)
    idle = [i for i in loaded.inputs if counted(i.member) and not logged_today(i)]
    if not idle:
        return (
            s.text("lead.nudge.nobody")
            if loaded.view.idle_count is not None
            else s.text("lead.nudge.done_private")
        )
    ids = [i.member.user_id for i in idle]
    pauses = await deps.storage.checkins.pauses(ids, since=now.date() - timedelta(days=1))
    keys: list[DeliveryKey] = []
    held = 0
    for rep in idle:
        profile = loaded.profiles.get(rep.member.user_id)
        if profile is None or not profile.active or not profile.onboarded:
            held += 1
            continue
        calendar = calendar_for(profile, rep.today, pauses=pauses.get(profile.user_id, ()))
        if not plan.may_send(now, profile.schedule, calendar, profile.timezone):
            held += 1
            continue
        keys.append(DeliveryKey(profile.user_id, NUDGE_KIND, "", rep.today))
    claims = await deps.storage.checkins.claim(keys, now)
    sender = Sender(cast(ExtBot[Any], s.bot))
    outcomes: list[tuple[int, str, int | None, str | None]] = []
    for claim in claims:
        profile = loaded.profiles[claim.key.user_id]
        lang = deps.content.lang(profile.language)
        text = deps.content.text(lang, "lead.nudge.message")
        outcome = await sender.send(Outgoing(profile.chat_id, text))
        outcomes.append((claim.id, SENT if outcome.sent else FAILED, outcome.message_id, None))
        if outcome.blocked:
            await deps.storage.users.set_active(profile.user_id, False, now)
    await deps.storage.checkins.finish(outcomes, deps.clock())
    log.info("team nudge: sent=%d held=%d", len(claims), held)
    if loaded.view.idle_count is None:
        return s.text("lead.nudge.done_private")
    return s.text("lead.nudge.done", sent=len(claims), held=held, before=len(keys) - len(claims))


def nudge_message(s: Session) -> Outgoing:
    """The nudge for a rep, when the scheduler retries one a crash left unconfirmed."""
    return Outgoing(s.chat_id, s.text("lead.nudge.message"))


async def focus_suggestion(s: Session, kind: str) -> str | None:
    """The focus ref of the rep's team this week when it is of `kind` ("objection" or
    "scenario") and the rep has not practised it yet this week: their practice suggestion."""
    if s.profile is None:
        return None
    focus = await rep_focus(s)
    if focus is None or focus.kind != kind or not focus.ref:
        return None
    start = datetime.combine(focus.week, time(0), tzinfo=ZoneInfo(s.profile.timezone))
    practised = await s.deps.storage.team_stats.practised(
        [s.user_id], kind, focus.ref, start.astimezone(UTC)
    )
    return None if s.user_id in practised else focus.ref
