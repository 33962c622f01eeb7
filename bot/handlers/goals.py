"""/goals: from a revenue goal to daily targets (the funnel, shown), or daily targets typed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from telegram import Message, Update

from bot.coach.activity import METRICS, parse_log
from bot.coach.targets import (
    MAX_VACATION_DAYS,
    UNITS,
    DailyTargets,
    Funnel,
    FunnelProblem,
    Goal,
    Period,
    Rates,
    Target,
    compute_funnel,
    default_vacation_days,
    parse_amount,
    parse_period,
    parse_rate,
    parse_vacation_days,
    period_end,
    rate_problem,
    working_days_in_period,
)
from bot.content import Raw
from bot.handlers.calendars import calendar_for, region_of, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import quote
from bot.handlers.keyboards import inline, main_menu
from bot.handlers.views import counts_line, money
from bot.storage import FlowState

FLOW = "goals"
RATE_STEPS = {
    "rate_dc": "dial_to_conversation",
    "rate_ca": "conversation_to_appointment",
    "rate_ad": "appointment_to_deal",
    "rate_nc": "new_contact_share",
}
PERIODS = ("year", "quarter", "month")
ZERO_RATE = "targets.problem.rate_zero"


def number(s: Session, value: float) -> str:
    """A whole number with the language's thousands separator."""
    return f"{round(value):,}".replace(",", s.text("common.thousands_separator"))


def count(s: Session, key: str, value: int) -> Raw:
    """A count in the right number, with the language's thousands separator ("1.920 Anrufe")."""
    form = "one" if value == 1 else "other"
    return Raw(s.text(f"{key}.{form}", n=number(s, value)))


def _rates(data: Mapping[str, Any]) -> Rates:
    stored = data.get("rates") or {}
    return Rates(**{k: float(v) for k, v in stored.items() if k in asdict(Rates())})


def stored_rates(goal: Mapping[str, Any] | None) -> Rates | None:
    """The rates of a stored goal, or None for targets typed in (or a goal that lost them)."""
    if not goal or not isinstance(goal.get("rates"), dict):
        return None
    try:
        return _rates(goal)
    except (TypeError, ValueError):
        return None


def _percent(s: Session, rate: float) -> str:
    """A rate as a share in the rep's language: "20 %", "12,5 %"; "20%", "12.5%"."""
    value = rate * 100
    shown = f"{value:.0f}" if value == round(value) else f"{value:.1f}"
    return s.text("common.percent", value=shown.replace(".", s.text("common.decimal_separator")))


def full_date(s: Session, day: date) -> str:
    """A date with its year, as the rep's language writes it ("02.12.2027", "02 Dec 2027")."""
    months = s.deps.content.list(s.lang, "goals.months")
    return s.text("goals.date", dd=f"{day.day:02d}", month=months[day.month - 1], year=day.year)


def targets_line(
    s: Session, targets: Iterable[Target], end: date | None, joiner: str = "\n"
) -> Raw:
    """Targets with their unit: "📞 9 Anrufe pro Tag", "📅 2 Termine pro Woche", "… bis 02.12."."""
    until = full_date(s, end) if end is not None else ""
    parts = []
    for target in targets:
        count = s.deps.content.plural(s.lang, f"today.count.{target.metric}", target.count)
        unit = s.text(f"goals.unit.{target.unit}", end=until)
        parts.append(f"{s.text(f'today.icon.{target.metric}')} {count} {unit}")
    return Raw(joiner.join(parts))


def goal_targets(goal: Mapping[str, Any] | None) -> tuple[tuple[Target, ...], date | None] | None:
    """The targets with units and the period's last day of a stored goal; None for older goals
    (stored before targets had units) and anything unreadable."""
    if not goal or not isinstance(goal.get("targets"), list):
        return None
    try:
        targets = tuple(
            Target(str(t["metric"]), int(t["count"]), t["unit"])
            for t in goal["targets"]
            if t["metric"] in METRICS and t["unit"] in UNITS
        )
        end = date.fromisoformat(goal["end"]) if goal.get("end") else None
    except (KeyError, TypeError, ValueError):
        return None
    return (targets, end) if targets else None


def _vacation_default(s: Session, period: Period) -> int:
    assert s.profile is not None
    region = region_of(s.profile) or ""
    return default_vacation_days(region.partition("-")[0], period)


async def _ask(s: Session, state: FlowState, prefix: str = "") -> None:
    step = state.step
    markup = None
    values: dict[str, Any] = {}
    if step == "mode":
        markup = inline(
            [
                (s.text("goals.mode_funnel"), "g:m:funnel"),
                (s.text("goals.mode_direct"), "g:m:direct"),
            ],
            columns=1,
        )
    elif step == "period":
        markup = inline([(s.text(f"goals.period.{p}"), f"g:p:{p}") for p in PERIODS], columns=3)
    elif step == "confirm":
        markup = inline(
            [(s.text("goals.adopt"), "g:ok"), (s.text("goals.again"), "g:again")], columns=2
        )
    elif step == "vacation":
        period = state.data["period"]
        default = _vacation_default(s, period)
        today = today_of(s.profile, s.deps.clock()) if s.profile else date.today()
        values = {
            "end": full_date(s, period_end(period, today)),
            "default": Raw(s.deps.content.plural(s.lang, "goals.days", default)),
        }
        label = s.deps.content.plural(s.lang, "goals.vacation_default", default)
        buttons = [(label, "g:v:default"), (s.text("goals.vacation_none"), "g:v:0")]
        markup = inline(buttons, columns=1)
    elif step == "rates":
        rates = _rates(dict(state.data))
        values = {
            "dc": _percent(s, rates.dial_to_conversation),
            "ca": _percent(s, rates.conversation_to_appointment),
            "ad": _percent(s, rates.appointment_to_deal),
            "nc": _percent(s, rates.new_contact_share),
        }
        markup = inline(
            [(s.text("goals.rates_keep"), "g:r:keep"), (s.text("goals.rates_edit"), "g:r:edit")],
            columns=1,
        )
    await s.send(prefix + s.text(f"goals.ask.{step}", **values), markup)


async def _go(s: Session, state: FlowState, prefix: str = "") -> None:
    await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())
    await _ask(s, state, prefix)


async def start_goals(s: Session) -> None:
    """Show the current targets (if any) and ask how to set new ones."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    stored = await s.deps.storage.activity.targets(s.user_id)
    prefix = ""
    if stored is not None:
        shown = goal_targets(stored.goal)
        line = _line(s, stored.daily) if shown is None else targets_line(s, *shown, " · ")
        prefix = s.text("goals.current", targets=line) + "\n\n"
    await _go(s, FlowState(FLOW, "mode", {}), prefix)


def _target_values(daily: DailyTargets) -> dict[str, int]:
    return {m: getattr(daily, m) for m in METRICS}


def _line(s: Session, daily: DailyTargets) -> Raw:
    return Raw(counts_line(s.deps.content, s.lang, _target_values(daily)))


@with_session
async def goals_command(update: Update, s: Session) -> None:
    """/goals."""
    await start_goals(s)


def _goal(s: Session, data: dict[str, Any], today: date) -> Goal:
    assert s.profile is not None
    period = data["period"]
    calendar = calendar_for(s.profile, today)
    days = working_days_in_period(period, today, calendar.is_working_day)
    # Goals asked before vacation days were asked for count none, as they did then.
    vacation = int(data.get("vacation", 0))
    week = len(s.profile.schedule.working_days) or 5
    rates = _rates(data)
    return Goal(period, float(data["revenue"]), float(data["deal"]), rates, days, vacation, week)


async def _compute(s: Session, state: FlowState) -> None:
    assert s.profile is not None
    today = today_of(s.profile, s.deps.clock())
    goal = _goal(s, dict(state.data), today)
    result = compute_funnel(goal)
    if isinstance(result, FunnelProblem):
        problem = s.text(result.key, **{k: _show(s, k, v) for k, v in result.values.items()})
        # Back to the rates or amounts: the rep fixes the one input that is off.
        step = "rates" if "rate" in result.key else "revenue"
        step = "vacation" if "vacation" in result.key else step
        await _go(s, FlowState(FLOW, step, dict(state.data)), problem + "\n\n")
        return
    end = period_end(goal.period, today)
    data = {
        **state.data,
        "funnel": _target_values(result.per_day),
        "days": result.days,
        "vacation": goal.vacation_days,
        "start": today.isoformat(),
        "end": end.isoformat(),
        "targets": [asdict(t) for t in result.targets],
    }
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, "confirm", data), s.deps.clock())
    markup = inline(
        [(s.text("goals.adopt"), "g:ok"), (s.text("goals.again"), "g:again")], columns=2
    )
    notes = [
        s.text(n.key, **{k: _show(s, k, v) for k, v in n.values.items()}) for n in result.notes
    ]
    await s.send("\n\n".join([_math(s, goal, result, end), *notes]), markup)


def _show(s: Session, name: str, value: object) -> object:
    if name in ("field", "rate") and isinstance(value, str):
        return s.text(f"targets.{name}.{value}")
    if name in ("revenue", "deal_size") and isinstance(value, int | float):
        return money(s.deps.content, s.lang, value, s.profile)
    if isinstance(value, float):
        return number(s, value) if value >= 1 else _percent(s, value)
    if isinstance(value, int):
        return number(s, value)
    return value


def _math(s: Session, goal: Goal, funnel: Funnel, end: date) -> str:
    content = s.deps.content
    return s.text(
        "goals.math",
        revenue=money(s.deps.content, s.lang, goal.revenue, s.profile),
        period=s.text(f"goals.period_of.{goal.period}", end=full_date(s, end)),
        deal=money(s.deps.content, s.lang, goal.deal_size, s.profile),
        deals=count(s, "goals.deals", funnel.deals),
        appointments=count(s, "today.count.appointments", funnel.appointments),
        conversations=count(s, "today.count.conversations", funnel.conversations),
        dials=count(s, "today.count.dials", funnel.dials),
        days=Raw(content.plural(s.lang, "goals.working_days", funnel.days)),
        vacation=Raw(content.plural(s.lang, "goals.days", goal.vacation_days)),
        share=_percent(s, goal.rates.new_contact_share),
        per_day=targets_line(s, funnel.targets, end),
    )


async def _store(s: Session, daily: DailyTargets, source: str, goal: dict[str, Any] | None) -> None:
    await s.deps.storage.activity.set_targets(s.user_id, daily, source, s.deps.clock(), goal)
    await s.deps.storage.flows.clear(s.user_id)
    shown = goal_targets(goal)
    line = _line(s, daily) if shown is None else targets_line(s, *shown, " · ")
    await s.send(s.text("goals.saved", targets=line), main_menu(s.deps.content, s.lang))


async def answer_text(s: Session, text: str) -> bool:
    """A typed answer in the goals flow."""
    state = s.flow
    if state is None or state.flow != FLOW:
        return False
    data = dict(state.data)
    step = state.step
    if step == "period":
        period = parse_period(text)
        if period is None:
            await _ask(s, state, s.text("goals.error.period") + "\n\n")
            return True
        await _go(s, FlowState(FLOW, "revenue", {**data, "period": period}))
    elif step in ("revenue", "deal"):
        amount = parse_amount(text)
        if amount is None:
            await _ask(s, state, s.text("goals.error.amount", input=quote(text)) + "\n\n")
            return True
        following = "deal" if step == "revenue" else "vacation"
        await _go(s, FlowState(FLOW, following, {**data, step: amount}))
    elif step == "vacation":
        days = parse_vacation_days(text)
        if days is None:
            problem = s.text("goals.error.vacation", input=quote(text), max=MAX_VACATION_DAYS)
            await _ask(s, state, problem + "\n\n")
            return True
        await _go(s, FlowState(FLOW, "rates", {**data, "vacation": days}))
    elif step in RATE_STEPS:
        rate = parse_rate(text)
        if rate is None and step == "rate_nc" and rate_problem(text) == ZERO_RATE:
            rate = 0.0  # calling only people called before is a choice, not a typo
        if rate is None:
            await _ask(s, state, s.text("goals.error.rate", input=quote(text)) + "\n\n")
            return True
        rates = {**asdict(_rates(data)), RATE_STEPS[step]: rate}
        steps = list(RATE_STEPS)
        data = {**data, "rates": rates}
        if step != steps[-1]:
            await _go(s, FlowState(FLOW, steps[steps.index(step) + 1], data))
        else:
            await _compute(s, FlowState(FLOW, "confirm", data))
    elif step == "direct":
        entry = parse_log(text)
        if entry is None or entry.counts.is_zero or not entry.plain:
            await _ask(s, state, s.text("goals.error.direct", input=quote(text)) + "\n\n")
            return True
        c = entry.counts
        daily = DailyTargets(c.dials, c.conversations, c.appointments, c.contacts)
        await _store(s, daily, "manual", None)
    else:
        # Steps answered by buttons: repeat the question with its buttons.
        await _ask(s, state)
    return True


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Buttons of the goals flow: mode, period, rates, adopt, again."""
    query = update.callback_query
    assert query is not None
    data = (query.data or "").split(":")
    state = s.flow
    if state is None or state.flow != FLOW or s.profile is None:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    if isinstance(query.message, Message):
        await s.bot.edit_message_reply_markup(s.chat_id, query.message.message_id)
    stored = dict(state.data)
    match data[1:]:
        case ["m", "funnel"] if state.step == "mode":
            await _go(s, FlowState(FLOW, "period", stored))
        case ["m", "direct"] if state.step == "mode":
            await _go(s, FlowState(FLOW, "direct", stored))
        case ["p", period] if state.step == "period" and period in PERIODS:
            await _go(s, FlowState(FLOW, "revenue", {**stored, "period": period}))
        case ["v", choice] if state.step == "vacation" and choice in ("default", "0"):
            days = _vacation_default(s, stored["period"]) if choice == "default" else 0
            await _go(s, FlowState(FLOW, "rates", {**stored, "vacation": days}))
        case ["r", "keep"] if state.step == "rates":
            await _compute(s, replace(state, step="confirm"))
        case ["r", "edit"] if state.step == "rates":
            await _go(s, FlowState(FLOW, "rate_dc", stored))
        case ["ok"] if state.step == "confirm" and "funnel" in stored:
            daily = DailyTargets(**{m: int(stored["funnel"][m]) for m in METRICS})
            goal = {k: v for k, v in stored.items() if k != "funnel"}
            await _store(s, daily, "funnel", goal)
        case ["again"] if state.step == "confirm":
            await _go(s, FlowState(FLOW, "period", {}))
        case _:
            await s.say("common.button_outdated")
