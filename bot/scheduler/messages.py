"""What each check-in says: rendered from the rep's stored numbers, with the handlers' keyboards."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.coach import checkins as plan
from bot.coach.activity import METRICS
from bot.coach.clock import format_clock
from bot.coach.streaks import week_summary
from bot.coach.teams import Focus
from bot.handlers.calendars import calendar_for
from bot.handlers.context import Session
from bot.handlers.followups import DUE_KIND as FOLLOWUP_DUE
from bot.handlers.followups import reminder as followup_reminder
from bot.handlers.keyboards import inline
from bot.handlers.pitch import DUE_KIND as PITCH_DUE
from bot.handlers.pitch import reminder as pitch_reminder
from bot.handlers.practice import DUE_KIND as DRILL_DUE
from bot.handlers.practice import reminder as drill_reminder
from bot.handlers.roleplay_progress import DUE_KIND as ROLEPLAY_DUE
from bot.handlers.roleplay_progress import next_scenario, start_button
from bot.handlers.roleplay_progress import reminder as roleplay_reminder
from bot.handlers.team import digest_message, morning_focus_line
from bot.handlers.team_admin import SHARING_DUE, sharing_message
from bot.handlers.today import keyboard as log_keyboard
from bot.handlers.today import standing
from bot.handlers.views import counts_line
from bot.handlers.week import week_message
from bot.scheduler.sender import Outgoing
from bot.storage.checkins import DueItem, MorningFacts

# Button data: "z:<choice>:<kind>:<yymmdd>", the check-in to repeat later.
SNOOZE_PREFIX = "z"
# Telegram's limit for a photo caption (counted here with the markup: on the safe side).
CAPTION_LIMIT = 1024


def snooze_row(s: Session, kind: str, day: date) -> list[InlineKeyboardButton]:
    """The snooze buttons every check-in carries."""
    code = day.strftime("%y%m%d")
    return [
        InlineKeyboardButton(
            s.text(f"checkins.snooze.{choice}"),
            callback_data=f"{SNOOZE_PREFIX}:{choice}:{kind}:{code}",
        )
        for choice in plan.SNOOZE_CHOICES
    ]


def _with_snooze(
    s: Session, markup: InlineKeyboardMarkup | None, kind: str, day: date
) -> InlineKeyboardMarkup:
    rows = [list(row) for row in markup.inline_keyboard] if markup else []
    rows.append(snooze_row(s, kind, day))
    return InlineKeyboardMarkup(rows)


def morning(
    s: Session,
    day: date,
    principle: str | None,
    facts: MorningFacts,
    streak_days: int,
    previous: date | None = None,
    focus: Focus | None = None,
) -> Outgoing:
    """The morning ping: today's targets, the last working day, the streak, a principle, what
    is due. "Yesterday" only when the last working day (`previous`) was yesterday."""
    assert s.profile is not None
    lines = [s.text("checkins.morning.title", day=s.day_label(day))]
    goals = {m: n for m, n in (facts.targets or {}).items() if n}
    if facts.targets is None:
        lines.append(s.text("checkins.morning.no_targets"))
    else:
        lines.append(s.text("checkins.morning.targets", targets=_counts(s, goals)))
    logged = facts.yesterday if facts.yesterday and any(facts.yesterday.values()) else None
    if previous is not None and previous != day - timedelta(days=1):
        # After a weekend, a holiday or a pause the day looked back on is named.
        label = s.day_label(previous)
        if logged:
            lines.append(s.text("checkins.morning.last_day", day=label, counts=_counts(s, logged)))
        else:
            lines.append(s.text("checkins.morning.last_day_none", day=label))
    elif logged:
        lines.append(s.text("checkins.morning.yesterday", counts=_counts(s, logged)))
    else:
        lines.append(s.text("checkins.morning.yesterday_none"))
    if streak_days > 0:
        lines.append(s.deps.content.plural(s.lang, "checkins.morning.streak", streak_days))
    if principle is not None:
        lines.append("\n" + s.text("checkins.morning.principle", text=s.text(principle)))
    # The team lead's focus of the week, for reps of a team that has one.
    focus_line = morning_focus_line(s, focus)
    if focus_line is not None:
        lines.append("\n" + focus_line)
    zone = ZoneInfo(s.profile.timezone)
    if facts.drill_due:
        lines.append(s.text("checkins.morning.due_drill"))
    if any(at.astimezone(zone).date() <= day for at in facts.pitch_due_at):
        lines.append(s.text("checkins.morning.due_pitch"))
    if facts.followups_due:
        key = "checkins.morning.due_followups"
        lines.append(s.deps.content.plural(s.lang, key, facts.followups_due))
    return Outgoing(s.chat_id, "\n".join(lines), _with_snooze(s, None, plan.MORNING, day))


def _counts(s: Session, counts: Mapping[str, int]) -> str:
    return counts_line(s.deps.content, s.lang, counts)


async def block_start(s: Session, day: date) -> Outgoing:
    """The calling block begins: its length, its end, and the logging buttons."""
    assert s.profile is not None
    schedule = s.profile.schedule
    end = datetime.combine(day, schedule.block_start) + timedelta(minutes=schedule.block_minutes)
    text = s.text(
        "checkins.block_start", minutes=schedule.block_minutes, end=format_clock(end.time())
    )
    record = await s.deps.storage.activity.day(s.user_id, day)
    return Outgoing(s.chat_id, text, _with_snooze(s, log_keyboard(s, record), "block_start", day))


async def with_standing(s: Session, day: date, key: str, kind: str) -> Outgoing:
    """A check-in text followed by today's numbers and the logging buttons."""
    activity = s.deps.storage.activity
    record = await activity.day(s.user_id, day)
    targets = await activity.targets(s.user_id)
    text = s.text(key) + "\n\n" + await standing(s, record, targets)
    return Outgoing(s.chat_id, text, _with_snooze(s, log_keyboard(s, record), kind, day))


async def logged_anything(s: Session, day: date) -> bool:
    """Whether the rep logged any number on that day."""
    record = await s.deps.storage.activity.day(s.user_id, day)
    return any(record.counts.get(m) for m in METRICS)


async def evening(s: Session, day: date) -> Outgoing:
    """Ask for the day's numbers if none came in, else sum the day up."""
    if await logged_anything(s, day):
        return await with_standing(s, day, "checkins.evening_summary", plan.EVENING)
    return await with_standing(s, day, "checkins.evening_ask", plan.EVENING)


async def weekly(s: Session, day: date) -> Outgoing:
    """The week chart from /week (with the week's practice calls) and one focus for next week,
    plus the practice call to work on with a button that starts it."""
    png, caption, _ = await week_message(s, 7)
    focus = s.text(f"checkins.weekly.focus.{await _focus(s, day)}")
    lines = [
        s.text("checkins.weekly.title"),
        caption,
        "",
        s.text("checkins.weekly.focus_title"),
        focus,
    ]
    markup = None
    scenario = await next_scenario(s)
    if scenario is not None:
        practice = s.text("checkins.weekly.practice", title=scenario.title)
        # A photo's caption holds 1024 characters: a long week keeps the button, not the line.
        if len("\n".join([*lines, "", practice])) <= CAPTION_LIMIT:
            lines += ["", practice]
        markup = inline([start_button(s, scenario, "checkins.roleplay.button")])
    text = "\n".join(lines)
    return Outgoing(s.chat_id, text, _with_snooze(s, markup, plan.WEEKLY, day), photo=png)


async def _focus(s: Session, day: date) -> str:
    """The one thing to work on next week, from this week's numbers."""
    assert s.profile is not None
    activity = s.deps.storage.activity
    stored = await activity.targets(s.user_id)
    if stored is None:
        return "no_targets"
    calendar = calendar_for(s.profile, day)
    start = day - timedelta(days=7)
    days = await activity.history(s.user_id, start, day)
    totals = {m: sum(r.counts.get(m) for r in days.values()) for m in METRICS}
    if not any(totals.values()):
        return "no_data"
    daily = {m: getattr(stored.daily, m) for m in METRICS}
    history = {d: {m: r.counts.get(m) for m in METRICS} for d, r in days.items()}
    # The review comes before the day is over: today is no miss yet.
    summary = week_summary(history, daily, calendar, day, 5, today=day)
    if summary.hit_rate < 50:
        return "few_hits"
    # A rep who dials a lot but rarely gets through, or rarely gets to a meeting, has one lever.
    if totals["dials"] and totals["conversations"] * 10 < totals["dials"]:
        return "conversations"
    if totals["conversations"] and totals["appointments"] * 10 < totals["conversations"]:
        return "appointments"
    return "keep_going"


async def team_digest(s: Session, ref: str) -> Outgoing | None:
    """The weekly team digest for a lead (`ref` is the team id); None when not theirs now."""
    if not ref.isdigit():
        return None
    return await digest_message(s, int(ref))


def due_item_message(s: Session, item: DueItem) -> Outgoing | None:
    """A reminder another feature stored; None for kinds nobody renders (they are closed)."""
    if item.kind == PITCH_DUE:
        text, markup = pitch_reminder(s)
        return Outgoing(s.chat_id, text, markup)
    if item.kind == DRILL_DUE:
        drill = drill_reminder(s, str(item.payload.get("entry", "")))
        if drill is None:
            return None
        text, markup = drill
        return Outgoing(s.chat_id, text, markup)
    if item.kind == FOLLOWUP_DUE:
        followup = followup_reminder(s, item.payload)
        if followup is None:
            return None
        text, markup = followup
        return Outgoing(s.chat_id, text, markup)
    if item.kind == ROLEPLAY_DUE:
        call = roleplay_reminder(s, item.payload)
        if call is None:
            return None
        text, markup = call
        return Outgoing(s.chat_id, text, markup)
    if item.kind == SHARING_DUE:
        sharing = sharing_message(s, item.payload)
        if sharing is None:
            return None
        text, markup = sharing
        return Outgoing(s.chat_id, text, markup)
    del s, item  # features add their kinds here as they store reminders
    return None
