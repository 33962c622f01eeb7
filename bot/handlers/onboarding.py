"""/start and /cancel: greet a new rep and walk them through setup; leave any flow."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot.coach.profile import Profile
from bot.handlers import fields, roleplay, team_admin
from bot.handlers.context import Session, with_session
from bot.handlers.flows import ONBOARDING, ask, finish_onboarding, start_flow
from bot.handlers.keyboards import main_menu


@with_session
async def start(update: Update, s: Session) -> None:
    """Greet; a new rep starts onboarding, a half-done one continues, a known one gets the menu."""
    deps, profile = s.deps, s.profile
    if profile is None:
        new = Profile(
            user_id=s.user_id,
            chat_id=s.chat_id,
            language=s.lang,
            timezone=deps.settings.default_timezone,
        )
        profile = await deps.storage.users.create(new, deps.clock())
        await team_admin.joined(s, update.effective_user)
        await start_flow(
            s, profile, ONBOARDING, fields.FIELDS[0], s.text("onboarding.welcome") + "\n\n"
        )
        return
    if not profile.active:
        # They unblocked us and came back: deliveries may go to them again.
        await deps.storage.users.set_active(profile.user_id, True, deps.clock())
        profile = replace(profile, active=True)
    if profile.onboarded:
        await s.say("onboarding.welcome_back", main_menu(deps.content, s.lang))
        return
    prefix = s.text("onboarding.resume") + "\n\n"
    if s.flow is not None and s.flow.flow == ONBOARDING:
        await ask(s, profile, s.flow, prefix)
    else:
        await start_flow(s, profile, ONBOARDING, fields.FIELDS[0], prefix)


@with_session
async def cancel(update: Update, s: Session) -> None:
    """Leave whatever flow is open; an unfinished setup keeps the defaults and opens the menu."""
    if s.profile is None:
        await s.say("common.start_first")
        return
    if not s.profile.onboarded:
        await finish_onboarding(s, s.profile, s.text("onboarding.cancelled") + "\n\n")
        return
    if roleplay.in_call(s):
        await roleplay.cancel_call(s)
        return
    left = await s.deps.storage.flows.clear(s.user_id)
    key = "common.cancelled" if left else "common.nothing_to_cancel"
    await s.say(key, main_menu(s.deps.content, s.lang))
