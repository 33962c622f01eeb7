"""/help, the main-menu buttons, and everything the bot did not expect; and the one rule for a
text typed while a mode waits for an answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Final

from telegram import Message, Update
from telegram.error import BadRequest

from bot.coach import checkins as checkin_plan
from bot.coach.activity import parse_log
from bot.coach.audit import parse_answer
from bot.coach.followups import parse_followup_date
from bot.coach.objections import match_languages
from bot.coach.targets import parse_amount, parse_period, parse_rate
from bot.handlers import (
    audit,
    checkins,
    contacts,
    followups,
    goals,
    pitch,
    playbook_editor,
    practice,
    roleplay,
    team_admin,
)
from bot.handlers.calendars import today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import (
    ONBOARDING,
    SETTINGS,
    answer_location,
    answer_text,
    quote,
    stale,
    takes_text,
)
from bot.handlers.followups import still_open
from bot.handlers.keyboards import inline, main_menu, menu_command
from bot.handlers.objections import answer_objection, show_objection_help
from bot.handlers.settings import show_settings
from bot.handlers.today import log_from_text, show_today
from bot.handlers.views import help_text
from bot.handlers.week import show_week
from bot.storage import FlowState

log = logging.getLogger(__name__)


async def show_help(s: Session) -> None:
    """List what the bot can do."""
    onboarded = s.profile is not None and s.profile.onboarded
    markup = main_menu(s.deps.content, s.lang) if onboarded else None
    text = help_text(s.deps.content, s.lang)
    if await s.deps.is_admin(s.user_id):
        text += "\n\n" + s.text("help.lead")
    await s.send(text, markup)


MENU: dict[str, Callable[[Session], Awaitable[None]]] = {
    "today": show_today,
    "followups": followups.show_due,
    "week": show_week,
    "goals": goals.start_goals,
    "objection": show_objection_help,
    "roleplay": roleplay.show_start,
    "settings": show_settings,
    "help": show_help,
}


# --- Waiting modes ------------------------------------------------------------------------------
#
# THE RULE for every mode that waits for a typed answer (a stored FlowState), in one place:
#
# 1. A command, or a main-menu button, ends any waiting mode (`end_mode`, `on_text`). Two
#    exceptions: /cancel, which leaves the mode itself and says so; and an unfinished
#    onboarding, which stays where it is, so /start resumes it at the same question and /cancel
#    finishes it with the defaults (a rep who peeks at /help during setup expects to go on).
# 2. A mode opened in passing (its data has "since": the contact list, the note to a touch) ends
#    after `followups.PASSING`; a text after that is read as if no mode waited.
# 3. A text the mode understands as its answer (`Mode.fits`: a time, a date, an amount, the
#    goals' daily numbers, a contact the search finds) is its answer, whatever else it looks
#    like ("next week" is a date, not "call me later"; "Kontakt 12" is searched, not logged).
# 4. Else, a text that reads as a log ("12 Anrufe, 3 Gespräche", "gestern 8 Anrufe": numbers with
#    words; a bare "45" stays the mode's, it may be a time, an amount or a minute count) or, with
#    confidence, as an objection ("zu teuer") is, per mode and step (`MODES`):
#    TAKE  handled as a log / an objection at once; the mode keeps waiting. For modes that wait
#          for a time, a date, an amount, a choice or a search, which did not understand it.
#    ASK   two buttons: "log it" / "show the answer", or "keep it as <what the mode waits for>".
#          For modes that take free text (a contact, a note, a pitch, a practice answer, a
#          playbook text): it may well contain numbers or a customer's words.
#    KEEP  the mode's own answer: where that reading is what the mode asks for (a practice
#          answer or a playbook entry quotes objections) or cannot be yet (onboarding).
# 5. Everything else is the mode's answer. A mode's prompt says what it waits for (an example
#    to type) and, where no button leaves it, that /cancel or any command does.


class Divert(Enum):
    """What a text that reads as a log or an objection does in a waiting mode."""

    TAKE = "take"
    ASK = "ask"
    KEEP = "keep"


TAKE, ASK, KEEP = Divert.TAKE, Divert.ASK, Divert.KEEP
LOG: Final = "log"
OBJECTION: Final = "objection"
# An objection is read as one only from a clear match, and from a sentence, not a whole pitch:
# a surname may score as a weak match ("Müller" fits "competitor cheaper" at 48).
SURE_OBJECTION: Final = 65.0
OBJECTION_WORDS: Final = 20
# Where a text waits for the rep's choice (ASK), in the mode's flow data.
TYPED: Final = "typed"
# Button data: "m:<go|keep>:<id of the typed message>".
PREFIX: Final = "m"


@dataclass(frozen=True, slots=True)
class Rule:
    """How a mode (or one of its steps) treats a text that reads as a log or an objection."""

    logs: Divert = TAKE
    objections: Divert = TAKE
    # For ASK: the key under common.mode.waiting/keep naming what the mode waits for.
    what: str = ""


@dataclass(frozen=True, slots=True)
class Mode:
    """A flow that waits for typed text: its answer function and its rule, per step."""

    answer: Callable[[Session, str], Awaitable[bool]]
    rule: Rule = Rule()
    steps: Mapping[str, Rule] = field(default_factory=dict)
    # Whether the open step understands the text as its answer (modes with structured answers).
    fits: Callable[[Session, FlowState, str], Awaitable[bool]] | None = None

    def rule_for(self, step: str) -> Rule:
        """The rule for one step."""
        return self.steps.get(step, self.rule)


async def _settings_fits(s: Session, state: FlowState, text: str) -> bool:
    return takes_text(s, text)


async def _goals_fits(s: Session, state: FlowState, text: str) -> bool:
    if state.step == "period":
        return parse_period(text) is not None
    if state.step in ("revenue", "deal"):
        return parse_amount(text) is not None
    if state.step in goals.RATE_STEPS:
        return parse_rate(text) is not None
    entry = parse_log(text)
    return state.step == "direct" and entry is not None and not entry.counts.is_zero


async def _audit_fits(s: Session, state: FlowState, text: str) -> bool:
    question = audit.BY_ID.get(state.step)
    return question is not None and parse_answer(question, text) is not None


def _today(s: Session) -> date | None:
    return today_of(s.profile, s.deps.clock()) if s.profile is not None else None


async def _pause_fits(s: Session, state: FlowState, text: str) -> bool:
    today = _today(s)
    return today is not None and checkin_plan.parse_pause_until(text, today, s.lang) is not None


async def _contacts_fits(s: Session, state: FlowState, text: str) -> bool:
    # "12 3 1" is logged, even where its digits occur in a phone number.
    bare_log = not any(ch.isalpha() for ch in text) and parse_log(text) is not None
    return state.step == contacts.LIST and not bare_log and await contacts.finds(s, text)


async def _pitch_fits(s: Session, state: FlowState, text: str) -> bool:
    # Right after a score, a pasted pitch is its next version, even where it names an
    # objection's words ("zu teuer") or numbers.
    return state.step == pitch.SCORED and pitch.reads_as_pitch(s, text)


async def _followups_fits(s: Session, state: FlowState, text: str) -> bool:
    today = _today(s)
    if state.step not in (followups.LATER, followups.DATE) or today is None:
        return False
    return parse_followup_date(text, today, s.lang).day is not None


MODES: dict[str, Mode] = {
    # Setup questions (language, city, days, times): re-asked with an example when not answered;
    # a rep who is not set up has no numbers to log yet.
    ONBOARDING: Mode(answer_text, Rule(KEEP, KEEP)),
    # /settings questions (a time, quiet hours, minutes, a region): structured.
    SETTINGS: Mode(answer_text, fits=_settings_fits),
    # Goals: a period, an amount, a rate; the "direct" step asks for the daily numbers as a log.
    goals.FLOW: Mode(goals.answer_text, fits=_goals_fits),
    # The prospecting audit asks "how many dials a day?": "40 Anrufe" is an answer it takes.
    audit.FLOW: Mode(audit.answer_text, fits=_audit_fits),
    # A practice answer replies to an objection and often quotes it; a log ("12 Anrufe") is no
    # answer to a customer, so it is logged at once and the drill keeps waiting.
    practice.FLOW: Mode(practice.answer_text, Rule(TAKE, KEEP, "practice")),
    # A practice call the same: the rep answers the customer, often in the customer's words.
    roleplay.FLOW: Mode(roleplay.answer_text, Rule(ASK, KEEP, "roleplay")),
    # /pause: a date.
    checkins.FLOW: Mode(checkins.answer_text, fits=_pause_fits),
    # A pitch (written or recalled) is free text with numbers and the customer's pains. Just
    # after a score, only a pitch is the mode's; a log or an objection goes as without it.
    pitch.FLOW: Mode(
        pitch.answer_text,
        Rule(ASK, ASK, "pitch"),
        {pitch.SCORED: Rule(TAKE, TAKE)},
        fits=_pitch_fits,
    ),
    # Team settings and the name a lead sees: a name or a number, typed on purpose.
    team_admin.FLOW: Mode(team_admin.answer_text, Rule(KEEP, KEEP)),
    # The team playbook: an admin types objections and replies on purpose.
    playbook_editor.FLOW: Mode(playbook_editor.answer_text, Rule(ASK, KEEP, "team")),
    # A new contact or a field is free text; the open list searches what it finds, and a log or
    # objection it finds nothing for is not a name to look for.
    contacts.FLOW: Mode(
        contacts.answer_text,
        Rule(ASK, ASK, "contact"),
        {contacts.LIST: Rule(TAKE, TAKE), contacts.EDIT: Rule(ASK, ASK, "field")},
        fits=_contacts_fits,
    ),
    # The note to a touch is free text ("zu teuer, ruft in 2 Wochen an"); a date is structured.
    followups.FLOW: Mode(
        followups.answer_text,
        steps={followups.NOTE: Rule(ASK, ASK, "note")},
        fits=_followups_fits,
    ),
}
# Which flow takes a typed text while it waits for an answer.
FLOW_ANSWERS: dict[str, Callable[[Session, str], Awaitable[bool]]] = {
    flow: mode.answer for flow, mode in MODES.items()
}


def reads_as_log(s: Session, text: str) -> bool:
    """Whether a text is numbers with words ("12 Anrufe", "gestern 8 dials") a rep can log."""
    if s.profile is None or not s.profile.onboarded or not any(ch.isalpha() for ch in text):
        return False
    entry = parse_log(text)
    return entry is not None and not entry.counts.is_zero


def reads_as_objection(s: Session, text: str) -> bool:
    """Whether a text is, with confidence, something a customer objected."""
    if s.profile is None or len(text.split()) > OBJECTION_WORDS:
        return False
    # In the customer's language too, as the card would answer it (a German customer's words
    # from a rep with an English profile).
    matches = match_languages(s.deps.matchers, text, s.lang, limit=1).matches
    return bool(matches) and matches[0].score >= SURE_OBJECTION


def _without_typed(state: FlowState) -> FlowState:
    return replace(state, data={k: v for k, v in state.data.items() if k != TYPED})


def _ends_mode(s: Session) -> bool:
    return s.flow is not None and s.flow.flow != ONBOARDING


@with_session
async def end_mode(update: Update, s: Session) -> None:
    """Any command but /cancel ends the waiting mode first (rule 1); runs before the command."""
    message = update.effective_message
    words = (message.text or "").split() if message else []
    command = words[0][1:].partition("@")[0].casefold() if words else ""
    if command != "cancel" and _ends_mode(s):
        await s.deps.storage.flows.clear(s.user_id)


async def _open_mode(s: Session) -> Session:
    """The session with the mode as it now stands: passing modes expire, a pending choice goes."""
    state = s.flow
    if state is None:
        return s
    if "since" in state.data and not still_open(state.data, s.deps.clock()):
        await s.deps.storage.flows.clear(s.user_id)
        return replace(s, flow=None)
    if TYPED in state.data:
        # A new text instead of a tap on the choice: the old choice is off.
        state = _without_typed(state)
        await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())
        return replace(s, flow=state)
    return s


@with_session
async def help_command(update: Update, s: Session) -> None:
    """/help."""
    await show_help(s)


@with_session
async def on_text(update: Update, s: Session) -> None:
    """Route a typed text: menu button, answer to an open question, log, objection, or help."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    text = message.text
    command = menu_command(s.deps.content, text)
    if command is not None:
        if _ends_mode(s):
            await s.deps.storage.flows.clear(s.user_id)
            s = replace(s, flow=None)
        await MENU[command](s)
        return
    if practice.is_practice_text(text):
        # "/üben" is /ueben that Telegram did not mark as a command: like one, it ends a mode.
        if _ends_mode(s):
            await s.deps.storage.flows.clear(s.user_id)
        await practice.start_practice(s)
        return
    s = await _open_mode(s)
    if (
        await _in_mode(s, text, message.message_id)
        or await log_from_text(s, text)
        or (s.profile is not None and await answer_objection(s, text, quiet=True))
    ):
        return
    if s.profile is None:
        await s.say("common.start_first")
    else:
        markup = main_menu(s.deps.content, s.lang) if s.profile.onboarded else None
        await s.say("common.not_understood", markup, input=quote(text))


async def _in_mode(s: Session, text: str, message_id: int) -> bool:
    """Hand a text to the waiting mode, unless it reads as a log or objection (rule 3)."""
    if s.flow is None:
        return False
    mode = MODES.get(s.flow.flow)
    if mode is None:
        return False
    if mode.fits is not None and await mode.fits(s, s.flow, text):
        return await mode.answer(s, text)
    rule = mode.rule_for(s.flow.step)
    for reading, divert in ((LOG, rule.logs), (OBJECTION, rule.objections)):
        if divert is KEEP or not _reads_as(s, reading, text):
            continue
        if divert is TAKE and await _handle_as(s, reading, text):
            return True
        if divert is ASK:
            await _ask_choice(s, reading, text, message_id, rule.what)
            return True
    return await mode.answer(s, text)


def _reads_as(s: Session, reading: str, text: str) -> bool:
    return reads_as_log(s, text) if reading == LOG else reads_as_objection(s, text)


async def _handle_as(s: Session, reading: str, text: str) -> bool:
    if reading == LOG:
        return await log_from_text(s, text)
    return await answer_objection(s, text, quiet=True)


async def _ask_choice(s: Session, reading: str, text: str, message_id: int, what: str) -> None:
    """Keep the text with the mode and ask how it is meant (rule 3, ASK)."""
    assert s.flow is not None
    typed = {"text": text, "reading": reading, "id": message_id}
    state = replace(s.flow, data={**s.flow.data, TYPED: typed})
    await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())
    markup = inline(
        [
            (s.text(f"common.mode.go.{reading}"), f"{PREFIX}:go:{message_id}"),
            (s.text(f"common.mode.keep.{what}"), f"{PREFIX}:keep:{message_id}"),
        ],
        columns=1,
    )
    await s.say(
        f"common.mode.ask.{reading}",
        markup,
        input=quote(text),
        waiting=s.text(f"common.mode.waiting.{what}"),
    )


@with_session
async def on_mode_button(update: Update, s: Session) -> None:
    """The choice for a text typed in a waiting mode: as a log or objection, or for the mode."""
    query = update.callback_query
    assert query is not None
    _, choice, ref = [*(query.data or "").split(":", 2), "", ""][:3]
    state = s.flow
    typed = state.data.get(TYPED) if state is not None else None
    if (
        state is None
        or not isinstance(typed, dict)
        or str(typed.get("id")) != ref
        or not isinstance(typed.get("text"), str)
        or choice not in ("go", "keep")
    ):
        await stale(query, s)
        return
    text, reading = str(typed["text"]), str(typed.get("reading"))
    kept = _without_typed(state)
    # The choice is used up before acting on it, so a second tap finds nothing to do.
    await s.deps.storage.flows.set(s.user_id, kept, s.deps.clock())
    s = replace(s, flow=kept)
    await query.answer()
    await _drop_buttons(query.message if isinstance(query.message, Message) else None)
    if choice == "go" and reading in (LOG, OBJECTION) and await _handle_as(s, reading, text):
        return
    mode = MODES.get(kept.flow)
    if mode is None or not await mode.answer(s, text):
        await s.say("common.not_understood", input=quote(text))


async def _drop_buttons(message: Message | None) -> None:
    if message is None:
        return
    try:
        await message.edit_reply_markup(None)
    except BadRequest as exc:
        log.info("choice buttons not removed: %s", exc.message)


@with_session
async def on_location(update: Update, s: Session) -> None:
    """A shared location: the timezone answer, or not needed right now."""
    location = update.effective_message.location if update.effective_message else None
    if location is None or not await answer_location(s, location.latitude, location.longitude):
        await s.say("common.location_not_needed")


@with_session
async def on_other(update: Update, s: Session) -> None:
    """Stickers, photos, files and the like: say what the bot understands."""
    await s.say("common.text_only")


@with_session
async def unknown_command(update: Update, s: Session) -> None:
    """A /command the bot does not have."""
    text = update.effective_message.text if update.effective_message else None
    words = (text or "").split()
    await s.say("common.unknown_command", command=quote(words[0] if words else ""))
