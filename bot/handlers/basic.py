"""/help, the main-menu buttons, and everything the bot did not expect."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.handlers import audit, checkins, contacts, followups, goals, pitch, practice, team
from bot.handlers.context import Session, with_session
from bot.handlers.flows import ONBOARDING, SETTINGS, answer_location, answer_text, quote
from bot.handlers.keyboards import main_menu, menu_command
from bot.handlers.objections import answer_objection, show_objection_help
from bot.handlers.settings import show_settings
from bot.handlers.today import log_from_text, show_today
from bot.handlers.views import help_text
from bot.handlers.week import show_week


async def show_help(s: Session) -> None:
    """List what the bot can do."""
    onboarded = s.profile is not None and s.profile.onboarded
    markup = main_menu(s.deps.content, s.lang) if onboarded else None
    await s.send(help_text(s.deps.content, s.lang), markup)


MENU: dict[str, Callable[[Session], Awaitable[None]]] = {
    "today": show_today,
    "followups": followups.show_due,
    "week": show_week,
    "goals": goals.start_goals,
    "objection": show_objection_help,
    "settings": show_settings,
    "help": show_help,
}
# Which flow takes a typed text while it waits for an answer.
FLOW_ANSWERS: dict[str, Callable[[Session, str], Awaitable[bool]]] = {
    ONBOARDING: answer_text,
    SETTINGS: answer_text,
    goals.FLOW: goals.answer_text,
    audit.FLOW: audit.answer_text,
    practice.FLOW: practice.answer_text,
    checkins.FLOW: checkins.answer_text,
    pitch.FLOW: pitch.answer_text,
    team.FLOW: team.answer_text,
    contacts.FLOW: contacts.answer_text,
    followups.FLOW: followups.answer_text,
}


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
    command = menu_command(s.deps.content, message.text)
    if command is not None:
        await MENU[command](s)
    elif (
        await _answer(s, message.text)
        or await log_from_text(s, message.text)
        or (s.profile is not None and await answer_objection(s, message.text, quiet=True))
    ):
        return
    elif s.profile is None:
        await s.say("common.start_first")
    else:
        markup = main_menu(s.deps.content, s.lang) if s.profile.onboarded else None
        await s.say("common.not_understood", markup, input=quote(message.text))


async def _answer(s: Session, text: str) -> bool:
    """Hand a text to the flow that waits for an answer, if any."""
    if s.flow is None:
        return False
    answer = FLOW_ANSWERS.get(s.flow.flow)
    return answer is not None and await answer(s, text)


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
