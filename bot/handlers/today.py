"""/today with one-tap logging, undo, /log, logging by free text, and corrections of the last
days (typed, or on a day's card opened from /week)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError

from bot.coach.activity import (
    CORRECTION_DAYS,
    LOG_MAX,
    METRICS,
    Counts,
    LogEntry,
    correctable,
    entry_day,
    parse_log,
    percent,
    progress_bar,
    unusual,
)
from bot.coach.streaks import streak
from bot.content import Raw
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.goals import goal_targets
from bot.handlers.keyboards import inline, main_menu
from bot.handlers.team import today_goal_line
from bot.storage.activity import Change, DayRecord, StoredTargets
from bot.storage.taps import KEEP_TAPS, Tap, tap_origin

log = logging.getLogger(__name__)

# Button data, all starting with "t:". Whether a tap counts is decided by the tap itself
# (bot.storage.taps); the version and day in the data only make each rendering's buttons a new
# origin, so a quick tap on an updated message is never taken for a double tap.
#   today card   "t:<metric letter or u=undo>:<version>:<yymmdd>"  counts for today, whatever
#                the day in it (an old card, a check-in: the rep is calling now)
#   day card     "t:<p=plus|m=minus|u=undo>:<letter or ->:<version>:<yymmdd>"  that day
#   confirmation "t:ok:<yymmdd>:<dials>,<conversations>,<appointments>,<contacts>" and "t:no"
LETTERS = {"d": "dials", "c": "conversations", "a": "appointments", "n": "contacts"}
LETTER_OF = {metric: letter for letter, metric in LETTERS.items()}
ONE = {metric: Counts().with_metric(metric, 1) for metric in METRICS}
HISTORY_DAYS = 400
SOURCE_FIX = "fix"


def _day_code(day: date) -> str:
    return day.strftime("%y%m%d")


def _day_of(code: str) -> date | None:
    if len(code) != 6 or not code.isdigit():
        return None
    try:
        return datetime.strptime(code, "%y%m%d").date()
    except ValueError:
        return None


def keyboard(s: Session, record: DayRecord) -> InlineKeyboardMarkup:
    """+1 buttons for each metric and undo, for today (used by /today and the check-ins)."""
    suffix = f"{record.version}:{_day_code(record.day)}"
    buttons = [
        (s.text(f"today.plus.{metric}"), f"t:{letter}:{suffix}")
        for letter, metric in LETTERS.items()
    ]
    undo = [(s.text("today.undo"), f"t:u:{suffix}")]
    return inline(buttons, columns=2, extra_rows=[undo])


def day_keyboard(s: Session, record: DayRecord) -> InlineKeyboardMarkup:
    """+1 and −1 for each metric and undo, for one given day (a correction)."""
    suffix = f"{record.version}:{_day_code(record.day)}"
    buttons: list[tuple[str, str]] = []
    for letter, metric in LETTERS.items():
        icon = s.text(f"today.icon.{metric}")
        buttons.append((s.text("today.fix.plus", icon=icon), f"t:p:{letter}:{suffix}"))
        buttons.append((s.text("today.fix.minus", icon=icon), f"t:m:{letter}:{suffix}"))
    undo = [(s.text("today.undo"), f"t:u:-:{suffix}")]
    return inline(buttons, columns=2, extra_rows=[undo])


def weekly_targets(targets: StoredTargets | None) -> dict[str, int]:
    """The targets a goal shows per week because a whole number a day would mislead."""
    found = goal_targets(targets.goal if targets else None)
    if targets is None or found is None:
        return {}
    return {
        target.metric: target.count
        for target in found[0]
        if target.unit == "week" and target.count and not getattr(targets.daily, target.metric)
    }


async def _week_so_far(s: Session, record: DayRecord, metrics: Iterable[str]) -> dict[str, int]:
    """This week's totals (Monday to the record's day) of the metrics, the record included."""
    monday = record.day - timedelta(days=record.day.weekday())
    days = await s.deps.storage.activity.history(s.user_id, monday, record.day)
    return {
        metric: record.counts.get(metric)
        + sum(day.counts.get(metric) for when, day in days.items() if when != record.day)
        for metric in metrics
    }


def _lines(
    s: Session,
    record: DayRecord,
    targets: StoredTargets | None,
    week: Mapping[str, int] | None = None,
) -> list[str]:
    lines = []
    weekly = weekly_targets(targets) if week is not None else {}
    for metric in METRICS:
        done = record.counts.get(metric)
        goal = getattr(targets.daily, metric) if targets else 0
        if metric in weekly and week is not None:
            # A per-week target counts the week so far, so one appointment on Tuesday shows.
            so_far, aim = week.get(metric, 0), weekly[metric]
            lines.append(
                s.text(
                    f"today.line_week.{metric}",
                    done=done,
                    week=so_far,
                    target=aim,
                    bar=progress_bar(so_far, aim),
                    percent=percent(so_far, aim),
                )
            )
        elif goal:
            lines.append(
                s.text(
                    f"today.line.{metric}",
                    done=done,
                    target=goal,
                    bar=progress_bar(done, goal),
                    percent=percent(done, goal),
                )
            )
        else:
            lines.append(s.text(f"today.line_no_target.{metric}", done=done))
    return lines


async def standing(s: Session, record: DayRecord, targets: StoredTargets | None) -> str:
    """Today's numbers against target, with bars and the streak."""
    assert s.profile is not None
    weekly = weekly_targets(targets)
    week = await _week_so_far(s, record, weekly) if weekly else {}
    lines = [
        s.text("today.title", date=s.day_label(record.day)),
        *_lines(s, record, targets, week),
    ]
    if targets is None:
        lines.append("\n" + s.text("today.no_targets"))
    else:
        lines.append("\n" + await _streak_line(s, record, targets))
    return "\n".join(lines)


def day_standing(s: Session, record: DayRecord, targets: StoredTargets | None) -> str:
    """One earlier day's numbers, with how to correct them."""
    lines = [s.text("today.day_title", date=s.day_label(record.day)), *_lines(s, record, targets)]
    lines.append("\n" + s.text("today.day_hint"))
    return "\n".join(lines)


async def _streak_line(s: Session, record: DayRecord, targets: StoredTargets) -> str:
    assert s.profile is not None
    start = record.day - timedelta(days=HISTORY_DAYS)
    days = await s.deps.storage.activity.history(s.user_id, start, record.day)
    days[record.day] = record
    history = {d: r.counts.dials for d, r in days.items()}
    day_targets = {d: r.target_dials or targets.daily.dials for d, r in days.items()}
    pauses = await s.deps.storage.checkins.pauses([s.user_id], since=start)
    calendar = calendar_for(s.profile, record.day, pauses=pauses.get(s.user_id, ()))
    result = streak(history, day_targets, calendar, record.day)
    key = "today.streak_done" if result.today_done else "today.streak"
    return s.deps.content.plural(s.lang, key, result.current, best=result.best)


async def _view(s: Session, day: date) -> tuple[DayRecord, StoredTargets | None, str]:
    activity = s.deps.storage.activity
    record = await activity.day(s.user_id, day)
    targets = await activity.targets(s.user_id)
    return record, targets, await standing(s, record, targets)


async def _card(
    s: Session, record: DayRecord, targets: StoredTargets | None, today: date
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of a day: today's card for today, a correction card otherwise."""
    if record.day == today:
        return await standing(s, record, targets), keyboard(s, record)
    return day_standing(s, record, targets), day_keyboard(s, record)


async def show_today(s: Session) -> None:
    """Send today's standing with the logging buttons."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    record, _, text = await _view(s, today_of(s.profile, s.deps.clock()))
    # The team's weekly goal as a bar (the team's sum only), for a team that has one.
    goal = await today_goal_line(s)
    if goal is not None:
        text += "\n\n" + goal
    await s.send(text, keyboard(s, record))


async def show_day(s: Session, day: date) -> None:
    """Send one of the last days with buttons to correct it (from /week)."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    today = today_of(s.profile, s.deps.clock())
    if not correctable(day, today):
        await s.say("today.too_far_back", days=CORRECTION_DAYS)
        return
    activity = s.deps.storage.activity
    record = await activity.day(s.user_id, day)
    text, markup = await _card(s, record, await activity.targets(s.user_id), today)
    await s.send(text, markup)


@with_session
async def today_command(update: Update, s: Session) -> None:
    """/today."""
    await show_today(s)


async def _answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a tap; the count is stored already, so a failure here only costs the toast."""
    try:
        await query.answer(text)
    except TelegramError as exc:
        # An old query (the bot was down) or Telegram failing: nothing to tell the rep.
        log.info("tap answer not delivered: %s", type(exc).__name__)


async def _edit(message: Message | None, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Show the current numbers on the tapped message (no markup: without buttons); a failure
    leaves it as it was."""
    if message is None:
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            log.warning("tap message not updated: %s", type(exc).__name__)
    except TelegramError as exc:
        # The next tap, from this message or another, shows the numbers again.
        log.info("tap message not updated: %s", type(exc).__name__)


@with_session
async def on_tap(update: Update, s: Session) -> None:
    """A tap on a logging button: count it exactly once, then show the current numbers."""
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    parts = data.split(":")
    message = query.message if isinstance(query.message, Message) else None
    if s.profile is None or not s.profile.onboarded or len(parts) < 2:
        await _answer(query, s.text("common.button_outdated"))
        return
    # An inaccessible (deleted or very old) message still has its id: the origin stays exact.
    message_id = query.message.message_id if query.message is not None else None
    origin = tap_origin(s.chat_id, message_id, data)
    tap = Tap(query.id, origin)
    if parts[1] in ("ok", "no"):
        await _on_confirm(s, query, message, parts, tap)
    elif len(parts) == 5:
        await _on_day_tap(s, query, message, parts, tap)
    elif len(parts) == 4 and (parts[1] in LETTERS or parts[1] == "u"):
        await _on_today_tap(s, query, message, parts[1], tap)
    else:
        await _answer(query, s.text("common.button_outdated"))
        record, _, text = await _view(s, today_of(s.profile, s.deps.clock()))
        await _edit(message, text, keyboard(s, record))


async def _on_today_tap(
    s: Session, query: CallbackQuery, message: Message | None, letter: str, tap: Tap
) -> None:
    """+1 or undo for today, from any message carrying today's buttons (even yesterday's)."""
    assert s.profile is not None
    now = s.deps.clock()
    today = today_of(s.profile, now)
    activity = s.deps.storage.activity
    targets = await activity.targets(s.user_id)
    if letter == "u":
        undo = await activity.undo(s.user_id, today, now, tap=tap)
        if undo is None:
            toast, record = s.text("today.already_counted"), await activity.day(s.user_id, today)
        else:
            toast = s.text("today.undone" if undo.undone else "today.nothing_to_undo")
            record = undo.record
    else:
        metric = LETTERS[letter]
        change = await activity.change(
            s.user_id,
            today,
            ONE[metric],
            source="tap",
            now=now,
            target_dials=targets.daily.dials if targets else 0,
            tap=tap,
        )
        if change is None:
            # A double tap, or the same tap delivered again: it counted once.
            toast, record = s.text("today.already_counted"), await activity.day(s.user_id, today)
        else:
            record = change.record
            total = s.deps.content.plural(
                s.lang, f"today.count.{metric}", record.counts.get(metric)
            )
            toast = s.text(f"today.added.{metric}", total=Raw(total))
    await _answer(query, toast)
    await _edit(message, await standing(s, record, targets), keyboard(s, record))


async def _on_day_tap(
    s: Session, query: CallbackQuery, message: Message | None, parts: list[str], tap: Tap
) -> None:
    """+1, −1 or undo on a day's correction card."""
    assert s.profile is not None
    _, op, letter, _version, code = parts
    day = _day_of(code)
    now = s.deps.clock()
    today = today_of(s.profile, now)
    if day is None or op not in ("p", "m", "u") or (op != "u" and letter not in LETTERS):
        await _answer(query, s.text("common.button_outdated"))
        return
    if not correctable(day, today):
        await _answer(query, s.text("today.too_far_back", days=CORRECTION_DAYS))
        return
    activity = s.deps.storage.activity
    targets = await activity.targets(s.user_id)
    label = s.day_label(day)
    if op == "u":
        undo = await activity.undo(s.user_id, day, now, tap=tap)
        if undo is None:
            toast, record = s.text("today.already_counted"), await activity.day(s.user_id, day)
        else:
            key = "today.undone" if undo.undone else "today.nothing_to_undo_day"
            toast, record = s.text(key, date=label), undo.record
    else:
        metric = LETTERS[letter]
        delta = ONE[metric] if op == "p" else Counts().with_metric(metric, -1)
        change = await activity.change(
            s.user_id,
            day,
            delta,
            source=SOURCE_FIX,
            now=now,
            target_dials=targets.daily.dials if targets else 0,
            tap=tap,
        )
        if change is None:
            toast, record = s.text("today.already_counted"), await activity.day(s.user_id, day)
        else:
            record = change.record
            total = record.counts.get(metric)
            if change.applied.is_zero:
                toast = s.text("today.fix.at_zero", icon=s.text(f"today.icon.{metric}"))
            else:
                sign = "+1" if op == "p" else "−1"
                icon = s.text(f"today.icon.{metric}")
                toast = s.text("today.fix.done", icon=icon, sign=sign, total=total, date=label)
    await _answer(query, toast)
    text, markup = await _card(s, record, targets, today)
    await _edit(message, text, markup)


def _pending(counts: Counts) -> str:
    return ",".join(str(counts.get(m)) for m in METRICS)


def _unpack(text: str) -> Counts | None:
    values = text.split(",")
    if len(values) != len(METRICS) or not all(v.lstrip("-").isdigit() for v in values):
        return None
    counts = Counts(*(int(v) for v in values))
    # Button data can be forged: never more than a typed log may hold.
    return None if any(abs(counts.get(m)) > LOG_MAX for m in METRICS) else counts


async def _on_confirm(
    s: Session, query: CallbackQuery, message: Message | None, parts: list[str], tap: Tap
) -> None:
    """Yes or no to storing a day far above the usual range; yes counts once per question."""
    assert s.profile is not None
    if parts[1] == "no":
        await _answer(query)
        if message is not None:
            await _edit(message, s.text("today.confirm.dropped"), None)
        return
    day = _day_of(parts[2]) if len(parts) == 4 else None
    counts = _unpack(parts[3]) if len(parts) == 4 else None
    now = s.deps.clock()
    today = today_of(s.profile, now)
    if day is None or counts is None:
        await _answer(query, s.text("common.button_outdated"))
        return
    if not correctable(day, today):
        await _answer(query, s.text("today.too_far_back", days=CORRECTION_DAYS))
        return
    # One question, one entry: a second "yes", however much later, is the same answer.
    once = Tap(tap.tap_id, tap.origin, KEEP_TAPS)
    change = await _store(s, day, counts, "text", once)
    if change is None:
        await _answer(query, s.text("today.already_counted"))
        activity = s.deps.storage.activity
        record = await activity.day(s.user_id, day)
        text, markup = await _card(s, record, await activity.targets(s.user_id), today)
        await _edit(message, text, markup)
        return
    await _answer(query)
    text, markup = await _result(s, day, today, counts, change)
    await _edit(message, text, markup)


async def _store(
    s: Session, day: date, counts: Counts, source: str, tap: Tap | None = None
) -> Change | None:
    activity = s.deps.storage.activity
    targets = await activity.targets(s.user_id)
    return await activity.change(
        s.user_id,
        day,
        counts,
        source=source,
        now=s.deps.clock(),
        target_dials=targets.daily.dials if targets else 0,
        tap=tap,
    )


async def _result(
    s: Session, day: date, today: date, counts: Counts, change: Change
) -> tuple[str, InlineKeyboardMarkup]:
    """The answer to typed numbers: what was stored, and the day's numbers with its buttons."""
    correction = any(counts.get(m) < 0 for m in METRICS)
    applied, label = change.applied, s.day_label(day)
    if applied.is_zero:
        head = s.text("today.nothing_to_take_back", date=label)
    elif correction:
        head = s.text("today.corrected", summary=_summary(s, applied, signed=True), date=label)
    elif day != today:
        head = s.text("today.logged_for_day", summary=_summary(s, applied), date=label)
    else:
        head = s.text("today.logged", summary=_summary(s, applied))
    if change.capped and not applied.is_zero:
        head += "\n" + s.text("today.capped")
    targets = await s.deps.storage.activity.targets(s.user_id)
    text, markup = await _card(s, change.record, targets, today)
    return head + "\n\n" + text, markup


async def log_entry(s: Session, entry: LogEntry, source: str) -> None:
    """Store typed numbers for the day they name (asking first when the day looks far off) and
    answer with that day's numbers."""
    assert s.profile is not None
    today = today_of(s.profile, s.deps.clock())
    day = entry_day(entry, today, calendar_for(s.profile, today).previous_working_day)
    if day is None:
        await s.say("today.no_such_day")
        return
    if not correctable(day, today):
        await s.say("today.too_far_back", days=CORRECTION_DAYS)
        return
    activity = s.deps.storage.activity
    targets = await activity.targets(s.user_id)
    before = await activity.day(s.user_id, day)
    if unusual(before.counts, entry.counts, targets.daily if targets else None):
        await _ask_to_confirm(s, day, today, entry.counts)
        return
    change = await _store(s, day, entry.counts, source)
    assert change is not None
    text, markup = await _result(s, day, today, entry.counts, change)
    await s.send(text, markup)


async def _ask_to_confirm(s: Session, day: date, today: date, counts: Counts) -> None:
    """Nothing is stored yet: the numbers ride in the yes button until the rep taps it."""
    code = _day_code(day)
    markup = inline(
        [
            (s.text("today.confirm.yes"), f"t:ok:{code}:{_pending(counts)}"),
            (s.text("today.confirm.no"), f"t:no:{code}"),
        ],
        columns=2,
    )
    label = s.text("today.confirm.today") if day == today else s.day_label(day)
    await s.say("today.confirm.ask", markup, summary=_summary(s, counts), date=label)


def _summary(s: Session, counts: Counts, *, signed: bool = False) -> str:
    parts = []
    for metric in METRICS:
        n = counts.get(metric)
        if not n:
            continue
        text = s.deps.content.plural(s.lang, f"today.count.{metric}", abs(n))
        if signed:
            text = ("−" if n < 0 else "+") + text
        parts.append(text)
    return Raw(", ".join(parts))


@with_session
async def log_command(update: Update, s: Session) -> None:
    """/log 12 3 1: add dials, conversations, appointments (and new contacts) to today."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    text = update.effective_message.text if update.effective_message else ""
    args = (text or "").partition(" ")[2].strip()
    if not args:
        await s.say("today.log_usage", main_menu(s.deps.content, s.lang))
        return
    entry = parse_log(args)
    if entry is None or entry.counts.is_zero:
        await s.say("today.log_not_understood")
        return
    await log_entry(s, entry, "log")


async def log_from_text(s: Session, text: str) -> bool:
    """Free text like "12 Anrufe, 3 Gespräche": log it; False when it is not a log."""
    if s.profile is None or not s.profile.onboarded:
        return False
    entry = parse_log(text)
    if entry is None or entry.counts.is_zero:
        return False
    await log_entry(s, entry, "text")
    return True
