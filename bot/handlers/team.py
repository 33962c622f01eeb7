"""/playbook: team leads upload their own objection entries as YAML; a bad file changes nothing."""

from __future__ import annotations

from telegram import Update

from bot.coach.objections import Playbook
from bot.content import Raw
from bot.handlers.context import Session, with_session
from bot.playbook import MAX_TEAM_BYTES, parse_team_playbook

# An admin fixes a file faster from a few precise problems than from a wall of them.
SHOWN_PROBLEMS = 5


def is_admin(s: Session) -> bool:
    """Whether the user is one of the ADMIN_IDS."""
    return s.user_id in s.deps.settings.admin_ids


@with_session
async def playbook_command(update: Update, s: Session) -> None:
    """/playbook: what the team playbook holds and how to replace it (admins only)."""
    if not is_admin(s):
        await s.say("team.admins_only")
        return
    team = s.deps.team_playbooks.get(s.lang)
    await s.say("team.status", count=len(team.entries) if team else 0)


@with_session
async def on_document(update: Update, s: Session) -> None:
    """A file: from an admin, a team playbook to validate and put in force; else not understood."""
    message = update.effective_message
    document = message.document if message else None
    if document is None or not is_admin(s):
        await s.say("common.text_only")
        return
    if document.file_size is not None and document.file_size > MAX_TEAM_BYTES:
        await s.say("team.refused", problems=s.text("playbook.error.too_large"))
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        await s.say("team.refused", problems=s.text("playbook.error.yaml"))
        return
    result = parse_team_playbook(source, s.lang)
    if not isinstance(result, Playbook):
        lines = [
            s.text("team.problem", where=where or "–", problem=s.text(key))
            for where, key in result.pairs[:SHOWN_PROBLEMS]
        ]
        await s.say("team.refused", problems=Raw("\n".join(lines)))
        return
    await s.deps.storage.team_playbooks.put(s.lang, source, s.user_id, s.deps.clock())
    s.deps.use_team_playbook(result)
    await s.say("team.saved", count=len(result.entries))
