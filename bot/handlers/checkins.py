"""Controls of the check-ins: snooze buttons, /pause until a date, and /resume."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Update

from bot.coach import checkins as plan
from bot.coach.activity import METRICS
from bot.coach.clock import format_clock
from bot.coach.profile import CHECKIN_KINDS
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import stale
from bot.storage import FlowState

FLOW = "pause"
# Snoozed check-ins come back as a due item of this kind (the scheduler renders them anew).
SNOOZE = "snooze"


def _parse_day(code: str) -> date | None:
    try:
        return datetime.strptime(code, "%y%m%d").date()
    except ValueError:
        return None


@with_session
async def on_snooze(update: Update, s: Session) -> None:
    """A snooze button: bring this check-in back in 30 minutes, an hour, or tomorrow."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    parts = query.data.split(":")
    day = _parse_day(parts[3]) if len(parts) == 4 else None
    choice, kind = (parts[1], parts[2]) if len(parts) == 4 else ("", "")
    if s.profile is None or day is None or choice not in plan.SNOOZE_CHOICES:
        await stale(query, s)
        return
    if kind not in CHECKIN_KINDS:
        await stale(query, s)
        return
    now = s.deps.clock()
    today = today_of(s.profile, now)
    pauses = await s.deps.storage.checkins.pauses([s.user_id], today)
    calendar = calendar_for(s.profile, today, pauses=pauses.get(s.user_id, ()))
    snooze = plan.plan_snooze(now, choice, kind, s.profile.schedule, calendar, s.profile.timezone)
    local = snooze.at.astimezone(ZoneInfo(s.profile.timezone))
    ref = f"{kind}:{day:%y%m%d}"
    if snooze.regular:
        # The regular check-in comes anyway: an earlier snooze of this one is not needed either.
        items = await s.deps.storage.checkins.open_items(s.user_id, SNOOZE)
        await s.deps.storage.checkins.close_items([i.id for i in items if i.ref == ref], now)
    else:
        if snooze.kind != kind:
            # Whatever became that day's morning ping is one message, however many led to it.
            ref = f"{snooze.kind}:{local.date():%y%m%d}"
        await s.deps.storage.checkins.put_due(
            s.user_id, SNOOZE, ref, snooze.at, now, {"kind": snooze.kind}
        )
    when = {"time": format_clock(local.time()), "day": s.day_label(local.date())}
    if snooze.kind != kind:
        text = s.text("checkins.snooze.done_morning", **when)
    elif local.date() == today:
        text = s.text("checkins.snooze.done", time=when["time"])
    else:
        text = s.text("checkins.snooze.done_later", **when)
    await query.answer(text)
    await s.send(text)


async def _pause_until(s: Session, until: date) -> None:
    assert s.profile is not None
    now = s.deps.clock()
    today = today_of(s.profile, now)
    # A day the rep already worked stays theirs (and in the streak): the break starts tomorrow.
    record = await s.deps.storage.activity.day(s.user_id, today)
    first = today + timedelta(days=1) if any(record.counts.get(m) for m in METRICS) else today
    await s.deps.storage.checkins.end_pauses(s.user_id, first)
    await s.deps.storage.checkins.add_pause(s.user_id, first, max(first, until), now)
    await s.deps.storage.flows.clear(s.user_id)
    await s.say("checkins.pause.done", day=s.day_label(until))


@with_session
async def pause_command(update: Update, s: Session) -> None:
    """/pause [until]: no check-ins until that day (vacation); asks when no date is given."""
    message = update.effective_message
    if s.profile is None or not s.profile.onboarded or message is None:
        await s.say("common.start_first")
        return
    text = (message.text or "").partition(" ")[2].strip()
    if text:
        await answer_text(s, text, force=True)
        return
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, "until", {}), s.deps.clock())
    await s.say("checkins.pause.ask")


async def answer_text(s: Session, text: str, *, force: bool = False) -> bool:
    """A typed end date for /pause."""
    if not force and (s.flow is None or s.flow.flow != FLOW):
        return False
    assert s.profile is not None
    today = today_of(s.profile, s.deps.clock())
    until = plan.parse_pause_until(text, today, s.lang)
    if until is None:
        await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, "until", {}), s.deps.clock())
        await s.say("checkins.pause.bad")
        return True
    await _pause_until(s, until)
    return True


@with_session
async def resume_command(update: Update, s: Session) -> None:
    """/resume: end a pause early."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    today = today_of(s.profile, s.deps.clock())
    ended = await s.deps.storage.checkins.end_pauses(s.user_id, today)
    await s.say("checkins.resume.done" if ended else "checkins.resume.none")
