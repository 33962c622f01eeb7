"""/audit: the seven prospecting questions, a short diagnosis, and targets to adopt in one tap."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from telegram import Message, Update

from bot.coach.activity import METRICS
from bot.coach.audit import QUESTIONS, Diagnosis, Finding, Question, diagnose, parse_answer
from bot.coach.targets import DailyTargets, Target
from bot.content import Raw
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import quote
from bot.handlers.goals import goal_targets, stored_rates, targets_line
from bot.handlers.keyboards import inline, main_menu
from bot.handlers.views import counts_line
from bot.storage import FlowState
from bot.storage.activity import StoredTargets

FLOW = "audit"
BY_ID = {q.id: q for q in QUESTIONS}
# How far back logged working days count for the suggestion: recent enough to be today's rep.
HISTORY_DAYS = 28
# Per finding, the values that are counts and the content key of their singular and plural.
COUNTED = {
    "gives_up_early": {"attempts": "after_attempts"},
    "too_many_attempts": {"attempts": "times"},
    "little_blocked_time": {"minutes": "minutes"},
    "slow_pace": {"dials": "dials", "minutes": "minutes"},
    "few_new_people": {"new_people": "new_people"},
}
# The result's and the confirmation's buttons, each with the step it answers.
DECISIONS = {"adopt": "adopt", "keep": "adopt", "replace": "replace", "cancel": "replace"}


def _markup(s: Session, question: Question) -> Any:
    if not question.choices:
        return None
    return inline(
        [
            (s.text(f"audit.choice.{question.id}.{c}"), f"u:{question.id}:{c}")
            for c in question.choices
        ],
        columns=2,
    )


async def _ask(s: Session, index: int, answers: dict[str, Any], prefix: str = "") -> None:
    question = QUESTIONS[index]
    state = FlowState(FLOW, question.id, {"answers": answers})
    await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())
    counter = s.text("audit.counter", n=index + 1, total=len(QUESTIONS))
    await s.send(prefix + counter + "\n" + s.text(f"audit.q.{question.id}"), _markup(s, question))


@with_session
async def audit_command(update: Update, s: Session) -> None:
    """/audit: start the self-check."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    await _ask(s, 0, {}, s.text("audit.intro") + "\n\n")


async def _accept(s: Session, state: FlowState, value: Any) -> None:
    answers = {**dict(state.data.get("answers", {})), state.step: value}
    index = [q.id for q in QUESTIONS].index(state.step)
    if index + 1 < len(QUESTIONS):
        await _ask(s, index + 1, answers)
        return
    await _finish(s, answers)


async def _recent(s: Session) -> list[dict[str, int]]:
    """The counts of the logged working days of the last four weeks, today (unfinished) left out."""
    assert s.profile is not None
    today = today_of(s.profile, s.deps.clock())
    start = today - timedelta(days=HISTORY_DAYS)
    days = await s.deps.storage.activity.history(s.user_id, start, today - timedelta(days=1))
    calendar = calendar_for(s.profile, today)
    return [
        {m: record.counts.get(m) for m in METRICS}
        for day, record in sorted(days.items())
        if start <= day < today and calendar.is_working_day(day)
    ]


def _finding_values(s: Session, finding: Finding) -> dict[str, object]:
    """A finding's values, the counts among them in the right number ("nach 1 Versuch")."""
    name = finding.key.rsplit(".", 1)[-1]
    values: dict[str, object] = dict(finding.values)
    for field, key in COUNTED.get(name, {}).items():
        value = values.get(field)
        if isinstance(value, int):
            values[field] = Raw(s.deps.content.plural(s.lang, f"audit.count.{key}", value))
    return values


def _shown(s: Session, stored: StoredTargets) -> Raw:
    """Targets in place: with their units when stored with them, else the daily numbers."""
    shown = goal_targets(stored.goal)
    if shown is not None:
        return targets_line(s, *shown, " · ")
    return Raw(counts_line(s.deps.content, s.lang, {m: getattr(stored.daily, m) for m in METRICS}))


def _basis_line(s: Session, result: Diagnosis) -> str | None:
    basis = result.basis
    parts = []
    if basis.history_days:
        days = s.deps.content.plural(s.lang, "audit.basis.days", basis.history_days)
        dials = s.deps.content.plural(s.lang, "today.count.dials", basis.average_dials)
        parts.append(s.text("audit.basis.history", days=Raw(days), dials=Raw(dials)))
    if basis.rates != "default":
        parts.append(s.text(f"audit.basis.rates_{basis.rates}"))
    if basis.goal_dials:
        dials = s.deps.content.plural(s.lang, "today.count.dials", basis.goal_dials)
        parts.append(s.text("audit.basis.goal", dials=Raw(dials)))
    return " ".join(parts) if parts else None


async def _finish(s: Session, answers: dict[str, Any]) -> None:
    assert s.profile is not None
    activity = s.deps.storage.activity
    stored = await activity.targets(s.user_id)
    previous = await activity.last_audit(s.user_id)
    result: Diagnosis = diagnose(
        answers,
        stored.daily if stored else None,
        recent=await _recent(s),
        goal_rates=stored_rates(stored.goal) if stored else None,
        days_per_week=len(s.profile.schedule.working_days) or 5,
    )
    await activity.add_audit(s.user_id, answers, result.score, result.suggested, s.deps.clock())
    suggested = {m: getattr(result.suggested, m) for m in METRICS}
    # The result's buttons carry the self-check's token, so an older result's buttons are
    # not taken for this one's.
    token = secrets.token_hex(4)
    data = {"suggested": suggested, "targets": [asdict(t) for t in result.targets], "token": token}
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, "adopt", data), s.deps.clock())
    lines = [s.text("audit.result", score=result.score)]
    lines += ["• " + s.text(f.key, **_finding_values(s, f)) for f in result.findings]
    if previous is not None:
        lines.append("")
        lines.append(
            s.text(
                "audit.change",
                before=previous.score,
                now=result.score,
                delta=f"{result.score - previous.score:+d}",
            )
        )
    lines.append("")
    lines.append(s.text("audit.suggested", targets=targets_line(s, result.targets, None)))
    basis = _basis_line(s, result)
    if basis is not None:
        lines.append(basis)
    markup = inline(
        [(s.text("audit.adopt"), f"u:adopt:{token}"), (s.text("audit.keep"), f"u:keep:{token}")],
        columns=2,
    )
    await s.send("\n".join(lines), markup)


def _suggestion(data: dict[str, Any]) -> tuple[DailyTargets, tuple[Target, ...], dict[str, Any]]:
    """The suggested daily numbers, the targets as shown and the goal record that keeps them."""
    suggested = dict(data["suggested"])
    daily = DailyTargets(**{m: int(suggested[m]) for m in METRICS})
    goal = {"source": "audit", "targets": data.get("targets")}
    shown = goal_targets(goal)
    if shown is None:  # a flow stored before targets had units: every number is a day's
        targets = tuple(Target(m, getattr(daily, m), "day") for m in METRICS)
        goal["targets"] = [asdict(t) for t in targets]
    else:
        targets = shown[0]
    return daily, targets, goal


async def _adopt(s: Session, state: FlowState) -> None:
    """Show old against new before anything is replaced; with nothing to replace, adopt."""
    daily, targets, _ = _suggestion(dict(state.data))
    stored = await s.deps.storage.activity.targets(s.user_id)
    if stored is None:
        await _replace(s, state)
        return
    in_place = goal_targets(stored.goal)
    if stored.daily == daily and (in_place is None or in_place[0] == targets):
        await s.deps.storage.flows.clear(s.user_id)
        await s.say("audit.same", main_menu(s.deps.content, s.lang))
        return
    await s.deps.storage.flows.set(
        s.user_id, FlowState(FLOW, "replace", dict(state.data)), s.deps.clock()
    )
    token = state.data.get("token", "")
    markup = inline(
        [
            (s.text("audit.replace"), f"u:replace:{token}"),
            (s.text("audit.cancel"), f"u:cancel:{token}"),
        ],
        columns=1,
    )
    new = targets_line(s, targets, None, " · ")
    await s.say("audit.compare", markup, old=_shown(s, stored), new=new)


async def _replace(s: Session, state: FlowState) -> None:
    daily, targets, goal = _suggestion(dict(state.data))
    await s.deps.storage.activity.set_targets(s.user_id, daily, "audit", s.deps.clock(), goal)
    await s.deps.storage.flows.clear(s.user_id)
    line = targets_line(s, targets, None, " · ")
    await s.say("goals.saved", main_menu(s.deps.content, s.lang), targets=line)


async def answer_text(s: Session, text: str) -> bool:
    """A typed answer to the current audit question."""
    state = s.flow
    if state is None or state.flow != FLOW:
        return False
    question = BY_ID.get(state.step)
    if question is None:
        await s.say("audit.tap_a_button")
        return True
    value = parse_answer(question, text)
    if value is None:
        index = [q.id for q in QUESTIONS].index(question.id)
        prefix = s.text("audit.not_understood", input=quote(text)) + "\n\n"
        await _ask(s, index, dict(state.data.get("answers", {})), prefix)
        return True
    await _accept(s, state, value)
    return True


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Audit buttons: a choice ("u:<question>:<value>"), adopt or keep the suggested targets
    ("u:adopt:<token>", "u:keep:<token>"), then replace or cancel ("u:replace:<token>", …)."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    state = s.flow
    if state is None or state.flow != FLOW:
        await query.answer(s.text("common.button_outdated"))
        return
    verb = parts[1] if len(parts) > 1 else ""
    if verb in DECISIONS:
        # Buttons sent before results had a token have none; they fit a flow without one.
        token = parts[2] if len(parts) == 3 else ""
        if state.step != DECISIONS[verb] or token != state.data.get("token", ""):
            await query.answer(s.text("common.button_outdated"))
            return
        await query.answer()
        if isinstance(query.message, Message):
            await s.bot.edit_message_reply_markup(s.chat_id, query.message.message_id)
        if verb in ("keep", "cancel"):
            await s.deps.storage.flows.clear(s.user_id)
            await s.say("audit.kept", main_menu(s.deps.content, s.lang))
        elif verb == "adopt":
            await _adopt(s, state)
        else:
            await _replace(s, state)
        return
    question = BY_ID.get(parts[1]) if len(parts) == 3 else None
    if question is None or question.id != state.step or parts[2] not in question.choices:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    if isinstance(query.message, Message):
        await s.bot.edit_message_reply_markup(s.chat_id, query.message.message_id)
    await _accept(s, state, parts[2])
