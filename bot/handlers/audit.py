"""/audit: the seven prospecting questions, a short diagnosis, and targets to adopt in one tap."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.coach.activity import METRICS
from bot.coach.audit import QUESTIONS, Diagnosis, Question, diagnose, parse_answer
from bot.coach.targets import DailyTargets
from bot.content import Raw
from bot.handlers.context import Session, with_session
from bot.handlers.flows import quote
from bot.handlers.keyboards import inline, main_menu
from bot.handlers.views import counts_line
from bot.storage import FlowState

FLOW = "audit"
BY_ID = {q.id: q for q in QUESTIONS}


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


async def _finish(s: Session, answers: dict[str, Any]) -> None:
    activity = s.deps.storage.activity
    stored = await activity.targets(s.user_id)
    previous = await activity.last_audit(s.user_id)
    result: Diagnosis = diagnose(answers, stored.daily if stored else None)
    await activity.add_audit(s.user_id, answers, result.score, result.suggested, s.deps.clock())
    suggested = {m: getattr(result.suggested, m) for m in METRICS}
    await s.deps.storage.flows.set(
        s.user_id, FlowState(FLOW, "adopt", {"suggested": suggested}), s.deps.clock()
    )
    lines = [s.text("audit.result", score=result.score)]
    lines += ["• " + s.text(f.key, **f.values) for f in result.findings]
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
    lines.append(
        s.text("audit.suggested", targets=Raw(counts_line(s.deps.content, s.lang, suggested)))
    )
    markup = inline(
        [(s.text("audit.adopt"), "u:adopt"), (s.text("audit.keep"), "u:keep")], columns=2
    )
    await s.send("\n".join(lines), markup)


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
    """Audit buttons: a choice ("u:<question>:<value>"), adopt or keep the suggested targets."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    state = s.flow
    if state is None or state.flow != FLOW:
        await query.answer(s.text("common.button_outdated"))
        return
    if parts[1:] in (["adopt"], ["keep"]) and state.step == "adopt":
        await query.answer()
        if isinstance(query.message, Message):
            await s.bot.edit_message_reply_markup(s.chat_id, query.message.message_id)
        await s.deps.storage.flows.clear(s.user_id)
        if parts[1] == "keep":
            await s.say("audit.kept", main_menu(s.deps.content, s.lang))
            return
        suggested = dict(state.data["suggested"])
        daily = DailyTargets(**{m: int(suggested[m]) for m in METRICS})
        await s.deps.storage.activity.set_targets(s.user_id, daily, "audit", s.deps.clock())
        line = Raw(counts_line(s.deps.content, s.lang, suggested))
        await s.say("goals.saved", main_menu(s.deps.content, s.lang), targets=line)
        return
    question = BY_ID.get(parts[1]) if len(parts) == 3 else None
    if question is None or question.id != state.step or parts[2] not in question.choices:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    if isinstance(query.message, Message):
        await s.bot.edit_message_reply_markup(s.chat_id, query.message.message_id)
    await _accept(s, state, parts[2])
