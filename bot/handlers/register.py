"""All handlers, added in one visible order: the first matching handler in a group wins."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.handlers import basic, errors, flows, onboarding, settings

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler and the error handler to the application."""
    # Order matters: commands first, then button presses, then free text, then the catch-alls.
    app.add_handler(CommandHandler("start", onboarding.start, filters=PRIVATE))
    app.add_handler(CommandHandler("help", basic.help_command, filters=PRIVATE))
    app.add_handler(CommandHandler("settings", settings.show, filters=PRIVATE))
    app.add_handler(CommandHandler("cancel", onboarding.cancel, filters=PRIVATE))

    app.add_handler(CallbackQueryHandler(flows.on_answer_button, pattern=r"^a:"))
    app.add_handler(CallbackQueryHandler(flows.on_day_button, pattern=r"^d:"))
    app.add_handler(CallbackQueryHandler(settings.on_button, pattern=r"^s:"))
    app.add_handler(CallbackQueryHandler(flows.on_unknown_button))

    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, basic.unknown_command))
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT, basic.on_text))
    app.add_handler(MessageHandler(PRIVATE & filters.LOCATION, basic.on_location))
    app.add_handler(MessageHandler(PRIVATE, basic.on_other))

    app.add_error_handler(errors.on_error)
