"""The rep's data rights: /privacy (what is stored, why, how long), /export and /delete.

They answer everybody, with or without access (the gate lets them through), and never store
anything themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.coach.teams import PER_REP
from bot.content import Raw
from bot.handlers import team_admin
from bot.handlers.access import DELETE_PREFIX
from bot.handlers.context import Session, with_session
from bot.handlers.keyboards import inline
from bot.storage.userdata import export_csv_zip, export_json

# A delete confirmation older than this is refused: it must be a fresh decision.
CONFIRM_WITHIN: Final = timedelta(minutes=15)


def _retention(s: Session) -> str:
    days = s.deps.settings.retention_days
    if days == 0:
        return s.text("privacy.retention_forever")
    return s.deps.content.plural(s.lang, "privacy.retention_days", days)


def _model(s: Session) -> Raw:
    """Where practice calls go when a language model is configured ("" when none is)."""
    url = s.deps.settings.llm_base_url
    if url is None:
        return Raw("")
    # The host only: a base URL may carry a user name or a token in its path or query.
    return Raw(s.text("privacy.model", host=url.host or ""))  # escaped once, here


@with_session
async def privacy_command(update: Update, s: Session) -> None:
    """/privacy (/datenschutz): what is stored, why, for how long, who sees it, your rights."""
    contact = s.deps.settings.privacy_contact.strip() or s.text("privacy.no_contact")
    team, markup = await _team(s)
    await s.say(
        "privacy.text", markup, retention=_retention(s), contact=contact, model=_model(s), team=team
    )


async def _team(s: Session) -> tuple[Raw, InlineKeyboardMarkup | None]:
    """The team's setting in words and exactly what the lead sees of this rep, with the
    button to agree or withdraw ("" and none for someone in no team)."""
    teams = s.deps.storage.teams
    parts: list[str] = []
    markup = None
    team = await teams.team_of(s.user_id)
    if team is not None:
        confirmed, _ = await teams.sharing(s.user_id)
        if team.visibility != PER_REP:
            setting = s.text("privacy.team.totals")
        elif confirmed is not None:
            setting = s.text("privacy.team.per_rep_confirmed")
            markup = inline([(s.text("privacy.team.withdraw"), f"{team_admin.PREFIX}:wd")])
        else:
            setting = s.text("privacy.team.per_rep_unconfirmed")
            markup = inline([(s.text("privacy.team.confirm"), f"{team_admin.PREFIX}:ok:{team.id}")])
        name = team_admin.member_label(s, await teams.display_name(s.user_id))
        parts += [
            s.text("privacy.team.title", team=team.name),
            setting,
            s.text("privacy.team.name", name=name),
        ]
    led = await teams.teams_led_by(s.user_id)
    if led:
        parts.append(s.text("privacy.team.lead", teams=", ".join(t.name for t in led)))
    # Each part is escaped already, by s.text.
    return Raw("\n\n" + "\n".join(parts) if parts else ""), markup


@with_session
async def export_command(update: Update, s: Session) -> None:
    """/export: everything stored about the rep, as JSON and as a zip of CSV tables."""
    now = s.deps.clock()
    data = await s.deps.storage.data.export(s.user_id, now)
    if data.count == 0:
        await s.say("privacy.export.nothing")
        return
    stamp = f"{now:%Y-%m-%d}"
    await s.bot.send_document(
        s.chat_id,
        export_json(data),
        filename=f"sales-coach-{stamp}.json",
        caption=s.text("privacy.export.json", count=data.count),
    )
    await s.bot.send_document(
        s.chat_id,
        export_csv_zip(data),
        filename=f"sales-coach-{stamp}-csv.zip",
        caption=s.text("privacy.export.csv"),
    )


@with_session
async def delete_command(update: Update, s: Session) -> None:
    """/delete: ask for confirmation before erasing everything of the rep."""
    if not await s.deps.storage.data.stored(s.user_id):
        await s.say("privacy.delete.nothing")
        return
    stamp = int(s.deps.clock().timestamp())
    buttons = [
        (s.text("privacy.delete.confirm"), f"{DELETE_PREFIX}yes:{stamp}"),
        (s.text("privacy.delete.keep"), f"{DELETE_PREFIX}no"),
    ]
    await s.say("privacy.delete.ask", inline(buttons, columns=1))


def _fresh(data: str, now: datetime) -> bool:
    """Whether a "yes" button was sent recently enough to count."""
    try:
        sent = int(data.removeprefix(f"{DELETE_PREFIX}yes:"))
    except ValueError:
        return False
    return timedelta(0) <= now - datetime.fromtimestamp(sent, now.tzinfo) <= CONFIRM_WITHIN


@with_session
async def on_delete_button(update: Update, s: Session) -> None:
    """The /delete confirmation: erase everything, or cancel."""
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    message = query.message if isinstance(query.message, Message) else None
    if message is not None:
        try:
            await s.bot.edit_message_reply_markup(s.chat_id, message.message_id)
        except BadRequest as exc:
            # Pressed twice, or the question is gone: the buttons are off already.
            if "not modified" not in str(exc) and "not found" not in str(exc):
                raise
    if not data.startswith(f"{DELETE_PREFIX}yes:"):
        await query.answer()
        await s.say("privacy.delete.cancelled")
        return
    now = s.deps.clock()
    if not _fresh(data, now):
        await query.answer()
        await s.say("privacy.delete.expired")
        return
    await s.deps.storage.data.erase(s.user_id)
    await query.answer()
    again = "privacy.delete.again_invite"
    if s.deps.settings.access_mode != "invite" or await s.deps.is_admin(s.user_id):
        again = "privacy.delete.again_start"
    await s.send(s.text("privacy.delete.done", again=s.text(again)), ReplyKeyboardRemove())
