"""/week: the last working days as a chart, actual against target, with a two-line summary."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, InputFile, Update

from bot.charts import ChartLabels, week_chart
from bot.coach.activity import METRICS, correctable
from bot.coach.streaks import DayStat, records, streak, week_summary
from bot.content import Raw
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.followups import stats_lines
from bot.handlers.keyboards import inline
from bot.handlers.roleplay_progress import week_lines as practice_lines
from bot.handlers.today import show_day

SPANS = (7, 14)
# Enough calendar days to hold 14 working days around holidays and long weekends.
LOOKBACK_DAYS = 40


async def show_week(s: Session, days: int = 7) -> None:
    """Send the chart of the last `days` working days with hit rate, streak and best day."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    png, caption, markup = await week_message(s, days)
    await s.bot.send_photo(
        s.chat_id, InputFile(png, filename="week.png"), caption=caption, reply_markup=markup
    )


async def week_message(s: Session, days: int = 7) -> tuple[bytes, str, InlineKeyboardMarkup]:
    """The week chart as PNG, its caption (with the follow-up figures) and the 7/14-day switch
    (also for the weekly review)."""
    assert s.profile is not None
    activity = s.deps.storage.activity
    today = today_of(s.profile, s.deps.clock())
    stored = await activity.targets(s.user_id)
    all_days = await activity.all_days(s.user_id)
    since = min(all_days, default=today)
    # Vacations neither break nor extend the streak.
    pauses = await s.deps.storage.checkins.pauses([s.user_id], since=since)
    calendar = calendar_for(s.profile, today, since=since, pauses=pauses.get(s.user_id, ()))
    recent = {d: r for d, r in all_days.items() if d >= today - timedelta(days=LOOKBACK_DAYS)}
    daily = {m: getattr(stored.daily, m) if stored else 0 for m in METRICS}
    history = {d: {m: r.counts.get(m) for m in METRICS} for d, r in recent.items()}
    targets = {d: {**daily, "dials": r.target_dials or daily["dials"]} for d, r in recent.items()}
    for day in calendar.last_working_days(today, days):
        targets.setdefault(day, daily)
    summary = week_summary(history, targets, calendar, today, days, today=today)
    weekdays = s.deps.content.list(s.lang, "common.weekdays_short")
    labels = ChartLabels(
        title=s.text("week.title", days=days),
        metrics={m: s.text(f"week.metric.{m}") for m in METRICS},
        actual=s.text("week.actual"),
        target=s.text("week.target"),
        weekdays=weekdays,
        days=[_chart_day(s, stat, weekdays, len(summary.days)) for stat in summary.days],
    )
    # Drawing takes tens of milliseconds: keep the event loop free for other reps.
    png = await asyncio.to_thread(week_chart, summary.days, labels)
    dials = {d: r.counts.dials for d, r in all_days.items()}
    day_targets = {d: r.target_dials or daily["dials"] for d, r in all_days.items()}
    current = streak(dials, day_targets, calendar, today)
    best = records(dials)
    lines = [
        s.deps.content.plural(
            s.lang, "week.summary", summary.finished, hits=summary.hits, rate=summary.hit_rate
        )
    ]
    open_day = summary.in_progress
    if open_day is not None and open_day.target["dials"] > 0:
        lines.append(
            s.text(
                "week.in_progress",
                done=open_day.actual["dials"],
                target=open_day.target["dials"],
            )
        )
    caption = "\n".join(
        [
            *lines,
            s.text(
                "week.streak",
                streak=current.current,
                best_day=s.day_label(summary.best_day.day) if summary.best_day else "–",
                best_dials=Raw(
                    s.deps.content.plural(
                        s.lang,
                        "week.best_dials",
                        summary.best_day.actual["dials"] if summary.best_day else 0,
                    )
                ),
                record=best.best_day_dials,
                best_week=best.best_week_dials,
            ),
        ]
    )
    followup_lines = await stats_lines(s)
    if followup_lines:
        caption += "\n\n" + "\n".join(followup_lines)
    # The practice calls of the days the chart shows, from the first one's midnight on.
    shown = calendar.last_working_days(today, days)
    first = min(shown, default=today)
    start = datetime.combine(first, time(0), tzinfo=ZoneInfo(s.profile.timezone))
    practice = await practice_lines(s, start.astimezone(UTC), s.deps.clock())
    if practice:
        caption += "\n\n" + "\n".join(practice)
    other = 14 if days == 7 else 7
    # One button per day that can still be corrected, oldest first, like the chart.
    fixable = [d for d in calendar.last_working_days(today, days) if correctable(d, today)]
    day_buttons = [(s.text("week.day", date=s.day_label(d)), f"w:d:{_code(d)}") for d in fixable]
    markup = inline(
        day_buttons, columns=4, extra_rows=[[(s.text("week.switch", days=other), f"w:{other}")]]
    )
    return png, caption, markup


def _chart_day(s: Session, stat: DayStat, weekdays: tuple[str, ...], count: int) -> str:
    """A bar's label: weekday and date (just the day for two weeks), today marked as running."""
    day = stat.day
    label = f"{weekdays[day.weekday()]}\n{day.day:02d}.{day.month:02d}." if count <= 7 else ""
    label = label or f"{weekdays[day.weekday()]}\n{day.day}."
    # Fourteen bars leave no room under one for a word; the caption says it there.
    running = stat.in_progress and count <= 7
    return label + ("\n" + s.text("week.in_progress_short") if running else "")


def _code(day: date) -> str:
    return day.strftime("%y%m%d")


def _day(code: str) -> date | None:
    if len(code) != 6 or not code.isdigit():
        return None
    try:
        return datetime.strptime(code, "%y%m%d").date()
    except ValueError:
        return None


@with_session
async def week_command(update: Update, s: Session) -> None:
    """/week."""
    await show_week(s)


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Switch between 7 and 14 working days ("w:7", "w:14"), or open a day ("w:d:<yymmdd>")."""
    query = update.callback_query
    assert query is not None
    value = (query.data or "")[2:]
    if value.startswith("d:"):
        day = _day(value[2:])
        if day is None:
            await query.answer(s.text("common.button_outdated"))
            return
        await query.answer()
        await show_day(s, day)
        return
    if not value.isdigit() or int(value) not in SPANS:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    await show_week(s, int(value))
