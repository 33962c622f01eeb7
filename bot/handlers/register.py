"""All handlers, added in one visible order: the first matching handler in a group wins."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.handlers import (
    access,
    audit,
    basic,
    checkins,
    contacts,
    errors,
    flows,
    followups,
    goals,
    objections,
    onboarding,
    pitch,
    playbook_editor,
    practice,
    privacy,
    roleplay,
    settings,
    team,
    team_admin,
    today,
    week,
)

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
# The access gate's group: lower groups run first, and one handler per group handles an update,
# so the gate has a group of its own, well below any other (tests add theirs at -1).
ACCESS_GROUP = -100
# After the gate, before the commands: a command ends any waiting mode (basic.end_mode).
MODE_GROUP = -50


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler and the error handler to the application."""
    # Before everything, in its own group: who may use the bot (refusals stop here).
    app.add_handler(TypeHandler(Update, access.gate), group=ACCESS_GROUP)
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, basic.end_mode), group=MODE_GROUP)
    # Order matters: commands first, then button presses, then free text, then the catch-alls.
    app.add_handler(CommandHandler("start", onboarding.start, filters=PRIVATE))
    app.add_handler(
        CommandHandler(["privacy", "datenschutz"], privacy.privacy_command, filters=PRIVATE)
    )
    app.add_handler(CommandHandler("export", privacy.export_command, filters=PRIVATE))
    app.add_handler(CommandHandler("delete", privacy.delete_command, filters=PRIVATE))
    app.add_handler(CommandHandler("invite", access.invite_command, filters=PRIVATE))
    app.add_handler(CommandHandler("invites", access.invites_command, filters=PRIVATE))
    app.add_handler(CommandHandler("reps", access.reps_command, filters=PRIVATE))
    app.add_handler(CommandHandler("team", team.team_command, filters=PRIVATE))
    app.add_handler(CommandHandler("help", basic.help_command, filters=PRIVATE))
    app.add_handler(CommandHandler("settings", settings.show, filters=PRIVATE))
    app.add_handler(CommandHandler("cancel", onboarding.cancel, filters=PRIVATE))
    app.add_handler(CommandHandler("today", today.today_command, filters=PRIVATE))
    app.add_handler(CommandHandler("log", today.log_command, filters=PRIVATE))
    app.add_handler(CommandHandler("goals", goals.goals_command, filters=PRIVATE))
    app.add_handler(CommandHandler("week", week.week_command, filters=PRIVATE))
    app.add_handler(CommandHandler("audit", audit.audit_command, filters=PRIVATE))
    app.add_handler(
        CommandHandler(["objection", "einwand"], objections.objection_command, filters=PRIVATE)
    )
    app.add_handler(
        CommandHandler(["practice", "ueben"], practice.practice_command, filters=PRIVATE)
    )
    app.add_handler(
        CommandHandler(["pitch", "pitchen", "elevator"], pitch.pitch_command, filters=PRIVATE)
    )
    app.add_handler(
        CommandHandler(["roleplay", "rollenspiel"], roleplay.roleplay_command, filters=PRIVATE)
    )
    app.add_handler(CommandHandler("playbook", playbook_editor.playbook_command, filters=PRIVATE))
    app.add_handler(CommandHandler("pause", checkins.pause_command, filters=PRIVATE))
    app.add_handler(CommandHandler("resume", checkins.resume_command, filters=PRIVATE))
    app.add_handler(
        CommandHandler(["contacts", "kontakte"], contacts.contacts_command, filters=PRIVATE)
    )
    app.add_handler(
        CommandHandler(["followups", "nachfassen"], followups.followups_command, filters=PRIVATE)
    )

    app.add_handler(CallbackQueryHandler(flows.on_answer_button, pattern=r"^a:"))
    app.add_handler(CallbackQueryHandler(flows.on_day_button, pattern=r"^d:"))
    app.add_handler(CallbackQueryHandler(settings.on_button, pattern=r"^s:"))
    app.add_handler(CallbackQueryHandler(today.on_tap, pattern=r"^t:"))
    app.add_handler(CallbackQueryHandler(goals.on_button, pattern=r"^g:"))
    app.add_handler(CallbackQueryHandler(week.on_button, pattern=r"^w:"))
    app.add_handler(CallbackQueryHandler(audit.on_button, pattern=r"^u:"))
    app.add_handler(CallbackQueryHandler(objections.on_button, pattern=r"^o:"))
    app.add_handler(CallbackQueryHandler(practice.on_button, pattern=r"^p:"))
    app.add_handler(CallbackQueryHandler(playbook_editor.on_button, pattern=r"^pb:"))
    app.add_handler(CallbackQueryHandler(checkins.on_snooze, pattern=r"^z:"))
    app.add_handler(CallbackQueryHandler(pitch.on_button, pattern=r"^v:"))
    app.add_handler(CallbackQueryHandler(roleplay.on_button, pattern=rf"^{roleplay.PREFIX}:"))
    app.add_handler(CallbackQueryHandler(contacts.on_button, pattern=r"^c:"))
    app.add_handler(CallbackQueryHandler(followups.on_button, pattern=r"^f:"))
    app.add_handler(CallbackQueryHandler(basic.on_mode_button, pattern=rf"^{basic.PREFIX}:"))
    app.add_handler(CallbackQueryHandler(access.on_button, pattern=rf"^{access.PREFIX}:"))
    app.add_handler(CallbackQueryHandler(team_admin.on_button, pattern=rf"^{team_admin.PREFIX}:"))
    app.add_handler(CallbackQueryHandler(team.on_button, pattern=rf"^{team.PREFIX}:"))
    app.add_handler(
        CallbackQueryHandler(privacy.on_delete_button, pattern=rf"^{access.DELETE_PREFIX}")
    )
    app.add_handler(CallbackQueryHandler(flows.on_unknown_button))

    app.add_handler(InlineQueryHandler(objections.on_inline_query))

    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, basic.unknown_command))
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT, basic.on_text))
    app.add_handler(MessageHandler(PRIVATE & filters.LOCATION, basic.on_location))
    app.add_handler(MessageHandler(PRIVATE & filters.Document.ALL, playbook_editor.on_document))
    app.add_handler(MessageHandler(PRIVATE & filters.VOICE, pitch.on_voice))
    app.add_handler(MessageHandler(PRIVATE, basic.on_other))

    app.add_error_handler(errors.on_error)
