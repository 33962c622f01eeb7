"""/settings: every profile value at a glance, one tap to change any of them."""

from __future__ import annotations

from telegram import Update

from bot.handlers import fields, team_admin
from bot.handlers.context import Session, with_session
from bot.handlers.flows import SETTINGS, ask, stale, start_flow
from bot.handlers.views import settings_overview


async def show_settings(s: Session) -> None:
    """Send the settings overview (or continue setup if it is not finished)."""
    profile = s.profile
    if profile is None:
        await s.say("common.start_first")
        return
    if not profile.onboarded and s.flow is not None:
        await ask(s, profile, s.flow, s.text("settings.finish_setup_first") + "\n\n")
        return
    text, markup = settings_overview(s.deps.content, s.lang, profile, s.deps.clock())
    await s.send(*await team_admin.with_display_name(s, text, markup))


@with_session
async def show(update: Update, s: Session) -> None:
    """/settings."""
    await show_settings(s)


@with_session
async def on_button(update: Update, s: Session) -> None:
    """A settings button: "s:<field>" edits that field, "s:x" closes the overview."""
    query = update.callback_query
    assert query is not None
    name = (query.data or "")[2:]
    if s.profile is None or not s.profile.onboarded or name not in {*fields.SETTINGS_FIELDS, "x"}:
        await stale(query, s)
        return
    await query.answer()
    if name != "x":
        await start_flow(s, s.profile, SETTINGS, name)
    elif query.message is not None:
        await s.bot.edit_message_reply_markup(s.chat_id, query.message.message_id)
