"""/practice: the bot plays the customer, the rep answers, the bot scores and shows a model reply.

Weak objections come back sooner (spaced repetition); due ones are drilled first. After each
answer the rep's earliest due objection is stored as the daily drill suggestion, a due item the
check-in scheduler sends with a button that starts that drill.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from telegram import InlineKeyboardMarkup, Message, Update

from bot.coach._text import fold
from bot.coach.drill import (
    TIP_TOO_LONG,
    TIP_TOO_SHORT,
    DrillScore,
    Rubric,
    next_review,
    score_reply,
    suggestion_at,
)
from bot.coach.objections import Entry
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import quote
from bot.handlers.keyboards import inline, main_menu
from bot.handlers.team import focus_suggestion
from bot.storage import FlowState

FLOW = "drill"
# The daily drill suggestion: one open due item per rep, moved to the earliest due objection.
DUE_KIND: Final = "drill"
DUE_REF: Final = "daily"
CRITERIA = ("acknowledges", "asks_question", "no_arguing", "next_step", "length_ok")
# Telegram commands are Latin letters only, so "/üben" arrives as text: it means /practice
# ("/ueben"), as people type it, not an answer to the customer.
PRACTICE_WORDS: Final = frozenset({"ueben", "uben", "practice", "practise"})


async def _pick(s: Session, prefer: str | None = None) -> Entry:
    """The entry to drill: the one asked for, else the most overdue weak one, else a new one."""
    assert s.profile is not None
    playbook = s.deps.playbooks[s.lang]
    if prefer is None:
        # The team lead's focus of the week comes first, until the rep has drilled it.
        prefer = await focus_suggestion(s, "objection")
    if prefer is not None and (entry := s.deps.find_entry(s.lang, prefer)):
        return entry
    stats = await s.deps.storage.drills.stats(s.user_id)
    today = today_of(s.profile, s.deps.clock())
    due = sorted(
        (st for st in stats.values() if st.due <= today and playbook.get(st.entry_id)),
        key=lambda st: (st.due, st.mastery, st.entry_id),
    )
    if due:
        found = playbook.get(due[0].entry_id)
        assert found is not None
        return found
    fresh = [e for e in playbook.entries if e.id not in stats]
    if fresh:
        # Rotate through the playbook so reps meet every objection, not always the first.
        return fresh[len(stats) % len(fresh)]
    weakest = min(stats.values(), key=lambda st: (st.mastery, st.due, st.entry_id))
    return playbook.get(weakest.entry_id) or playbook.entries[0]


async def throw(s: Session, prefer: str | None = None, prefix: str = "") -> None:
    """Play the customer: store what we wait for and say the objection."""
    entry = await _pick(s, prefer)
    attempts = await s.deps.storage.drills.stats(s.user_id)
    await s.deps.storage.flows.set(
        s.user_id, FlowState(FLOW, "answer", {"entry": entry.id}), s.deps.clock()
    )
    await _say_objection(s, entry, len(attempts), prefix)


async def _say_objection(s: Session, entry: Entry, attempts: int, prefix: str) -> None:
    # Vary the wording the customer uses, so the rep answers the meaning, not a sentence.
    phrasing = entry.phrasings[attempts % len(entry.phrasings)]
    markup = inline(
        [(s.text("practice.skip"), "p:skip"), (s.text("practice.stop"), "p:stop")], columns=2
    )
    await s.send(prefix + s.text("practice.throw", objection=phrasing), markup)


async def start_practice(s: Session) -> None:
    """Start a drill with its intro, or ask to finish the start first."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    await throw(s, prefix=s.text("practice.intro") + "\n\n")


def is_practice_text(text: str) -> bool:
    """Whether a text is "/üben" (or /ueben, /practice) that Telegram did not mark as a command."""
    words = text.split()
    if not words or not words[0].startswith("/"):
        return False
    return fold(words[0][1:].partition("@")[0]) in PRACTICE_WORDS


@with_session
async def practice_command(update: Update, s: Session) -> None:
    """/practice."""
    await start_practice(s)


async def answer_text(s: Session, text: str) -> bool:
    """Score the rep's answer to the objection the bot threw."""
    state = s.flow
    if state is None or state.flow != FLOW or s.profile is None:
        return False
    entry = s.deps.find_entry(s.lang, str(state.data.get("entry", "")))
    if entry is None:
        await s.deps.storage.flows.clear(s.user_id)
        return False
    if text.lstrip().startswith("/"):
        await _slash_text(s, text)
        return True
    rubric = s.deps.rubrics[s.lang]
    result = score_reply(text, s.lang, rubric)
    stats = await s.deps.storage.drills.stats(s.user_id)
    if not result.attempted:
        # "ok" or an emoji is no try: recording it would bring the objection back tomorrow as
        # if it had been answered badly. The customer says it again and waits.
        tip = "💡 " + s.text(result.tips[0]) + "\n\n"
        await _say_objection(s, entry, len(stats), tip)
        return True
    previous = stats.get(entry.id)
    today = today_of(s.profile, s.deps.clock())
    mastery, due = next_review(previous.mastery if previous else 0.0, today, result.total)
    await s.deps.storage.drills.record(
        s.user_id, entry.id, mastery, due, result.total, s.deps.clock()
    )
    await s.deps.storage.flows.clear(s.user_id)
    reviews = {k: (v.due, v.mastery) for k, v in stats.items()}
    await _suggest(s, {**reviews, entry.id: (due, mastery)})
    checks = "\n".join(
        ("✅ " if result.criteria.get(name) else "▫️ ") + s.text(f"practice.criterion.{name}")
        for name in CRITERIA
    )
    tips = "\n".join("💡 " + _tip(s, tip, result, rubric) for tip in result.tips[:2])
    parts = [s.text("practice.score", score=result.total), checks]
    if tips:
        parts.append(tips)
    parts.append(s.text("practice.model", reply=entry.replies[0]))
    days = (due - today).days
    parts.append(s.deps.content.plural(s.lang, "practice.next_review", days))
    markup = inline(
        [(s.text("practice.next"), "p:next"), (s.text("practice.stop"), "p:stop")], columns=2
    )
    await s.send("\n\n".join(parts), markup)
    return True


def _tip(s: Session, tip: str, result: DrillScore, rubric: Rubric) -> str:
    if tip in (TIP_TOO_SHORT, TIP_TOO_LONG):
        words = int(result.criteria["words"])
        return s.deps.content.plural(s.lang, tip, words, min=rubric.min_words, max=rubric.max_words)
    return s.text(tip)


async def _slash_text(s: Session, text: str) -> None:
    """A command Telegram did not mark as one ("/üben"): it ends the drill like any command,
    and is never scored as an answer."""
    await s.deps.storage.flows.clear(s.user_id)
    if is_practice_text(text):
        await throw(s, prefix=s.text("practice.intro") + "\n\n")
    else:
        await s.say("common.unknown_command", command=quote(text.split()[0]))


async def _suggest(s: Session, reviews: Mapping[str, tuple[date, float]]) -> None:
    """Store (or move) the daily drill suggestion to the rep's earliest due objection.

    `reviews` maps each practised objection to (due date, mastery); of objections due the same
    day the weaker one is suggested, like the drill's own pick.
    """
    assert s.profile is not None
    known = [entry_id for entry_id in reviews if s.deps.find_entry(s.lang, entry_id)]
    if not known:
        return
    first = min(known, key=lambda entry_id: (reviews[entry_id], entry_id))
    due = reviews[first][0]
    now = s.deps.clock()
    pauses = await s.deps.storage.checkins.pauses([s.user_id], today_of(s.profile, now))
    calendar = calendar_for(s.profile, due, pauses=pauses.get(s.user_id, ()))
    at = suggestion_at(due, now, s.profile.schedule, s.profile.timezone, calendar)
    await s.deps.storage.checkins.put_due(s.user_id, DUE_KIND, DUE_REF, at, now, {"entry": first})


def reminder(s: Session, entry_id: str) -> tuple[str, InlineKeyboardMarkup] | None:
    """The daily drill suggestion the scheduler sends: the objection and a button to drill it."""
    entry = s.deps.find_entry(s.lang, entry_id)
    if entry is None:
        return None  # gone from the playbook since: nothing to suggest
    button = inline([(s.text("practice.reminder_button"), f"p:e:{entry.id}")])
    return s.text("practice.reminder", objection=entry.phrasings[0]), button


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Practice buttons: next objection, skip this one, stop; "p:e:<id>" drills one entry."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    if s.profile is None or not s.profile.onboarded:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    # The objection card keeps its buttons; a finished drill message loses them.
    if isinstance(query.message, Message) and parts[1:2] != ["e"]:
        await s.bot.edit_message_reply_markup(s.chat_id, query.message.message_id)
    match parts[1:]:
        case ["next"] | ["skip"]:
            await throw(s)
        case ["e", entry_id]:
            await throw(s, prefer=entry_id, prefix=s.text("practice.intro") + "\n\n")
        case _:
            await s.deps.storage.flows.clear(s.user_id)
            await s.say("practice.stopped", main_menu(s.deps.content, s.lang))
