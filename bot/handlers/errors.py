"""The error handler: log, tell the user kindly, and treat Telegram's refusals as facts."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.coach.language import pick_language
from bot.handlers.context import Context, Deps, deps_of, load_session
from bot.storage.notices import Notice

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Handle any exception raised while processing an update."""
    deps = deps_of(context)
    error = context.error
    if error is None:
        return
    try:
        await _handle(update, context, deps, error)
    finally:
        # Reported last, so a test that waits for the error sees its handling finished.
        if deps.error_hook is not None:
            deps.error_hook(update, error)


async def _handle(update: object, context: Context, deps: Deps, error: BaseException) -> None:
    if not isinstance(update, Update):
        log.error("error outside an update: %s", type(error).__name__, exc_info=error)
        return
    user = update.effective_user
    started = deps.failed_updates.pop(update.update_id, None)
    if isinstance(error, Forbidden):
        # The user blocked the bot: stop talking to them until they come back with /start.
        log.info("user unreachable, marked inactive: update=%s", update.update_id)
        if user is not None:
            await deps.storage.users.set_active(user.id, False, deps.clock())
        return
    # BadRequest is a NetworkError to PTB, but a 400 is our request's fault: a bug, logged
    # with its traceback below (Telegram's message says what was wrong and quotes no user).
    if isinstance(error, RetryAfter | TimedOut | NetworkError) and not isinstance(
        error, BadRequest
    ):
        # Telegram was unavailable for this update; an apology could not be delivered either.
        log.warning(
            "telegram unavailable: update=%s error=%s", update.update_id, type(error).__name__
        )
        await _keep_notice(update, deps, started)
        return
    log.error("handler failed: update=%s", update.update_id, exc_info=error)
    chat = update.effective_chat
    if chat is None:
        return
    lang = pick_language(
        user.language_code if user else None, deps.content.languages, deps.settings.default_language
    )
    try:
        # The stored language wins, unless the database is what just failed.
        session = await load_session(update, deps, context.bot)
        lang = session.lang if session else lang
    except Exception:
        log.warning("language lookup failed: update=%s", update.update_id)
    try:
        await context.bot.send_message(chat.id, deps.content.text(lang, "common.error"))
    except Exception as exc:
        log.warning(
            "apology not delivered: update=%s error=%s", update.update_id, type(exc).__name__
        )


async def _keep_notice(update: Update, deps: Deps, started: datetime | None) -> None:
    """The reply is lost: note it, with what the update stored, for the rep's next update."""
    user = update.effective_user
    if user is None or update.effective_chat is None:
        return
    try:
        profile, _flow = await deps.storage.users.load(user.id)
        if profile is None:
            return  # not a rep yet: nothing of theirs is stored
        now = deps.clock()
        at = started or now
        stored = await deps.storage.notices.stored_since(user.id, at, now)
        await deps.storage.notices.add(user.id, Notice(at, stored), now)
    except Exception:
        log.warning("reply notice not kept: update=%s", update.update_id, exc_info=True)
