"""/today with one-tap logging, undo, /log and logging by free text."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.coach.activity import METRICS, Counts, parse_log, percent, progress_bar
from bot.coach.streaks import streak
from bot.content import Raw
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.keyboards import inline, main_menu
from bot.storage.activity import DayRecord, StoredTargets

# Button data: "t:<metric letter or u=undo>:<version>:<yymmdd>"; the day keeps an old
# message from counting on a new day, the version keeps a double tap from counting twice.
LETTERS = {"d": "dials", "c": "conversations", "a": "appointments", "n": "contacts"}
ONE = {metric: Counts().with_metric(metric, 1) for metric in METRICS}
HISTORY_DAYS = 400


def _day_code(day: date) -> str:
    return day.strftime("%y%m%d")


def keyboard(s: Session, record: DayRecord) -> InlineKeyboardMarkup:
    """+1 buttons for each metric and undo, bound to this day and version."""
    suffix = f"{record.version}:{_day_code(record.day)}"
    buttons = [
        (s.text(f"today.plus.{metric}"), f"t:{letter}:{suffix}")
        for letter, metric in LETTERS.items()
    ]
    undo = [(s.text("today.undo"), f"t:u:{suffix}")]
    return inline(buttons, columns=2, extra_rows=[undo])


async def standing(s: Session, record: DayRecord, targets: StoredTargets | None) -> str:
    """Today's numbers against target, with bars and the streak."""
    assert s.profile is not None
    lines = [s.text("today.title", date=s.day_label(record.day))]
    for metric in METRICS:
        done = record.counts.get(metric)
        goal = getattr(targets.daily, metric) if targets else 0
        if goal:
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
    if targets is None:
        lines.append("\n" + s.text("today.no_targets"))
    else:
        lines.append("\n" + await _streak_line(s, record, targets))
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
    return s.text(key, days=result.current, best=result.best)


async def _view(s: Session, day: date) -> tuple[DayRecord, StoredTargets | None, str]:
    activity = s.deps.storage.activity
    record = await activity.day(s.user_id, day)
    targets = await activity.targets(s.user_id)
    return record, targets, await standing(s, record, targets)


async def show_today(s: Session) -> None:
    """Send today's standing with the logging buttons."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    record, _, text = await _view(s, today_of(s.profile, s.deps.clock()))
    await s.send(text, keyboard(s, record))


@with_session
async def today_command(update: Update, s: Session) -> None:
    """/today."""
    await show_today(s)


async def _edit(message: Message | None, text: str, markup: InlineKeyboardMarkup) -> None:
    if message is None:
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


@with_session
async def on_tap(update: Update, s: Session) -> None:
    """A +1 or undo tap on a /today message: count it once, then update that message."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    message = query.message if isinstance(query.message, Message) else None
    if s.profile is None or len(parts) != 4 or not parts[2].isdigit():
        await query.answer(s.text("common.button_outdated"))
        return
    letter, version, day_code = parts[1], int(parts[2]), parts[3]
    today = today_of(s.profile, s.deps.clock())
    activity = s.deps.storage.activity
    if day_code != _day_code(today) or (letter not in LETTERS and letter != "u"):
        # Yesterday's message, or a button we do not know: show today instead of counting.
        await query.answer(s.text("today.new_day"))
        record, _, text = await _view(s, today)
        await _edit(message, text, keyboard(s, record))
        return
    targets = await activity.targets(s.user_id)
    now = s.deps.clock()
    if letter == "u":
        undone = await activity.undo_last(s.user_id, today, now, expected_version=version)
        toast = s.text("today.undone") if undone else s.text("today.nothing_to_undo")
        record = undone[0] if undone else await activity.day(s.user_id, today)
    else:
        metric = LETTERS[letter]
        target_dials = targets.daily.dials if targets else 0
        added = await activity.add(
            s.user_id,
            today,
            ONE[metric],
            source="tap",
            now=now,
            target_dials=target_dials,
            expected_version=version,
        )
        if added is None:
            # A double tap (or a second device) got there first: it is counted once.
            toast = s.text("today.already_counted")
            record = await activity.day(s.user_id, today)
        else:
            toast = s.text(f"today.added.{metric}", total=added.counts.get(metric))
            record = added
    await query.answer(toast)
    await _edit(message, await standing(s, record, targets), keyboard(s, record))


async def log_counts(s: Session, counts: Counts, days_back: int, source: str) -> None:
    """Add typed numbers to today (or the previous working day) and answer with the standing."""
    assert s.profile is not None
    activity = s.deps.storage.activity
    today = today_of(s.profile, s.deps.clock())
    day = today
    if days_back:
        previous = calendar_for(s.profile, today).previous_working_day(today)
        day = previous or today - timedelta(days=1)
    targets = await activity.targets(s.user_id)
    record = await activity.add(
        s.user_id,
        day,
        counts,
        source=source,
        now=s.deps.clock(),
        target_dials=targets.daily.dials if targets else 0,
    )
    assert record is not None
    head = s.text("today.logged", summary=_summary(s, counts))
    if day != today:
        head = s.text("today.logged_for_day", summary=_summary(s, counts), date=s.day_label(day))
        today_record = await activity.day(s.user_id, today)
        text = await standing(s, today_record, targets)
        await s.send(head + "\n\n" + text, keyboard(s, today_record))
        return
    await s.send(head + "\n\n" + await standing(s, record, targets), keyboard(s, record))


def _summary(s: Session, counts: Counts) -> str:
    nonzero = {metric: counts.get(metric) for metric in METRICS if counts.get(metric)}
    return Raw(
        ", ".join(s.deps.content.plural(s.lang, f"today.count.{m}", n) for m, n in nonzero.items())
    )


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
    await log_counts(s, entry.counts, entry.days_back, "log")


async def log_from_text(s: Session, text: str) -> bool:
    """Free text like "12 Anrufe, 3 Gespräche": log it; False when it is not a log."""
    if s.profile is None or not s.profile.onboarded:
        return False
    entry = parse_log(text)
    if entry is None or entry.counts.is_zero:
        return False
    await log_counts(s, entry.counts, entry.days_back, "text")
    return True
