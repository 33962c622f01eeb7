"""All handlers, added in one visible order: the first matching handler in a group wins."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Final

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

# Every command's German names (Telegram allows only a-z, 0-9 and _); the first one is what
# German reps see in the command menu and in /help. Both names work for everybody.
GERMAN: Final[dict[str, tuple[str, ...]]] = {
    "start": (),
    "privacy": ("datenschutz",),
    "export": ("exportieren",),
    "delete": ("loeschen",),
    "invite": ("einladen",),
    "invites": ("einladungen",),
    "reps": ("mitarbeiter",),
    "team": (),
    "help": ("hilfe",),
    "settings": ("einstellungen",),
    "cancel": ("abbrechen",),
    "today": ("heute",),
    "log": ("eintragen",),
    "goals": ("ziele",),
    "week": ("woche",),
    "audit": ("selbstcheck",),
    "objection": ("einwand",),
    "practice": ("ueben",),
    "pitch": ("pitchen", "elevator"),
    "roleplay": ("rollenspiel",),
    "playbook": ("leitfaden",),
    "pause": ("urlaub",),
    "resume": ("weiter",),
    "contacts": ("kontakte",),
    "followups": ("nachfassen",),
}


def command_name(command: str, lang: str) -> str:
    """The name of a command as a rep of that language sees it in the menu ("heute" for today)."""
    names = GERMAN.get(command, ()) if lang == "de" else ()
    return names[0] if names else command


def names(command: str) -> list[str]:
    """A command and all its aliases, as a CommandHandler takes them."""
    return [command, *GERMAN.get(command, ())]


Callback = Callable[[Update, Any], Coroutine[Any, Any, None]]


def _command(command: str, callback: Callback) -> CommandHandler[Any, None]:
    return CommandHandler(names(command), callback, filters=PRIVATE)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler and the error handler to the application."""
    # Before everything, in its own group: who may use the bot (refusals stop here).
    app.add_handler(TypeHandler(Update, access.gate), group=ACCESS_GROUP)
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, basic.end_mode), group=MODE_GROUP)
    # Order matters: commands first, then button presses, then free text, then the catch-alls.
    app.add_handler(_command("start", onboarding.start))
    app.add_handler(_command("privacy", privacy.privacy_command))
    app.add_handler(_command("export", privacy.export_command))
    app.add_handler(_command("delete", privacy.delete_command))
    app.add_handler(_command("invite", access.invite_command))
    app.add_handler(_command("invites", access.invites_command))
    app.add_handler(_command("reps", access.reps_command))
    app.add_handler(_command("team", team.team_command))
    app.add_handler(_command("help", basic.help_command))
    app.add_handler(_command("settings", settings.show))
    app.add_handler(_command("cancel", onboarding.cancel))
    app.add_handler(_command("today", today.today_command))
    app.add_handler(_command("log", today.log_command))
    app.add_handler(_command("goals", goals.goals_command))
    app.add_handler(_command("week", week.week_command))
    app.add_handler(_command("audit", audit.audit_command))
    app.add_handler(_command("objection", objections.objection_command))
    app.add_handler(_command("practice", practice.practice_command))
    app.add_handler(_command("pitch", pitch.pitch_command))
    app.add_handler(_command("roleplay", roleplay.roleplay_command))
    app.add_handler(_command("playbook", playbook_editor.playbook_command))
    app.add_handler(_command("pause", checkins.pause_command))
    app.add_handler(_command("resume", checkins.resume_command))
    app.add_handler(_command("contacts", contacts.contacts_command))
    app.add_handler(_command("followups", followups.followups_command))

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
