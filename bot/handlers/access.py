"""Who may use the bot: the gate before every handler, and the admins' /invite, /invites and
/reps (team list with disable and re-enable).

The gate runs in a handler group before all others. Someone without access gets one polite
sentence (a button press an alert, an inline query an empty answer) and nothing about them is
stored; the data-rights commands (/privacy, /export, /delete) answer everybody.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardMarkup, ReplyKeyboardRemove, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.coach.access import (
    ADMIN,
    DATA_RIGHTS_COMMANDS,
    INVITE_DAYS,
    REP,
    Invite,
    Reason,
    Verdict,
    command_of,
    decide,
    deep_link,
    invite_expiry,
    start_code,
)
from bot.coach.language import pick_language
from bot.coach.teams import Team
from bot.content import Raw
from bot.handlers import team_admin
from bot.handlers.context import Context, Deps, Session, deps_of, with_session
from bot.handlers.keyboards import inline
from bot.storage.access import RepInfo

log = logging.getLogger(__name__)

# Button data: "ac:<action>[:<value>...]".
PREFIX: Final = "ac"
# Button data of the /delete confirmation, which refused (disabled) reps may press too.
DELETE_PREFIX: Final = "del:"
REPS_PER_PAGE: Final = 10


# --- The gate ----------------------------------------------------------------------------------


async def gate(update: object, context: Context) -> None:
    """Before every handler: let in who may use the bot, refuse everyone else (storing nothing)."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    deps = deps_of(context)
    try:
        admitted = await _admit(update, update.effective_user, deps, context)
    except Exception as exc:
        # Fail closed: an error in here must not let the update through to the handlers.
        await context.application.process_error(update, exc)
        raise ApplicationHandlerStop from None
    if not admitted:
        raise ApplicationHandlerStop


async def _admit(update: Update, user: User, deps: Deps, context: Context) -> bool:
    """Decide, redeem an invite code if one came with /start, and refuse if need be."""
    settings, access, now = deps.settings, deps.storage.access, deps.clock()
    member = await access.member(user.id)
    verdict = decide(
        settings.access_mode,
        user.id,
        member,
        admin_ids=settings.admin_ids,
        allowed_ids=settings.allowed_user_ids,
    )
    chat = update.effective_chat
    private = chat is not None and chat.type == ChatType.PRIVATE
    text = update.message.text if update.message is not None and private else None
    command = command_of(text)
    code = start_code(text)
    disabled = member is not None and member.disabled
    if code and settings.access_mode == "invite" and not verdict.admin and not disabled:
        # A member opening a rep's link stays as they are; an admin link promotes anyone.
        result = await access.redeem(code, user.id, now, admin_only=verdict.allowed)
        if isinstance(result, Invite):
            verdict = Verdict(True, admin=result.role == ADMIN)
            await _join_team(deps, user, result, now)
            if result.role == ADMIN and chat is not None:
                await context.bot.send_message(chat.id, _text(deps, user, "access.owner_welcome"))
        elif not verdict.allowed:
            verdict = Verdict(False, reason=result or "unknown")
    elif verdict.allowed and member is None and command is not None and command[0] == "start":
        # Whoever starts is recorded as let in: a later switch to invite mode keeps them.
        await access.grant(user.id, REP, now)
        if not verdict.admin:
            await deps.storage.teams.join_default(user.id, None, now)
    if verdict.allowed:
        await access.seen(user.id, now)
        return True
    if _data_rights(update, command):
        return True
    await _refuse(update, user, deps, context, verdict.reason or "not_invited")
    return False


async def _join_team(deps: Deps, user: User, invite: Invite, now: datetime) -> None:
    """The invite decides the team: an admin link makes its opener a lead (of a team of
    their own, or the one nobody leads), a rep's link puts them in its team, else in their
    inviter's or the first one."""
    teams = deps.storage.teams
    team_id, inviter = await teams.invite_team(invite.id)
    if invite.role == ADMIN:
        if team_id is not None:
            await teams.add_lead(team_id, user.id)
        else:
            await teams.ensure_led(user.id, _text(deps, user, "team_admin.default_name"), now)
    elif team_id is not None:
        await teams.move(user.id, team_id, now)
    else:
        await teams.join_default(user.id, inviter, now)


def _data_rights(update: Update, command: tuple[str, str] | None) -> bool:
    """/privacy, /export, /delete and the delete confirmation: everybody's right."""
    if command is not None:
        return command[0] in DATA_RIGHTS_COMMANDS
    query = update.callback_query
    return query is not None and (query.data or "").startswith(DELETE_PREFIX)


def _text(deps: Deps, user: User, key: str) -> str:
    """A text in the user's Telegram language (nothing of theirs is stored to look it up)."""
    lang = pick_language(user.language_code, deps.content.languages, deps.settings.default_language)
    return deps.content.text(lang, key, user_id=user.id)


async def _refuse(update: Update, user: User, deps: Deps, context: Context, reason: Reason) -> None:
    """One polite sentence where the user can see it; silence elsewhere (groups, edits)."""
    log.info("access refused: reason=%s", reason)
    text = _text(deps, user, f"access.refused.{reason}")
    if update.inline_query is not None:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None and update.message.chat.type == ChatType.PRIVATE:
        await context.bot.send_message(
            update.message.chat.id, text, reply_markup=ReplyKeyboardRemove()
        )


# --- Invites -----------------------------------------------------------------------------------


async def _admin(s: Session, query: CallbackQuery | None = None) -> bool:
    """Whether the user is an admin; tells them otherwise."""
    if await s.deps.is_admin(s.user_id):
        return True
    if query is not None:
        await query.answer(s.text("access.admins_only"), show_alert=True)
    else:
        await s.say("access.admins_only")
    return False


def _local(s: Session, moment: datetime) -> str:
    """A moment as the user's local day and time, like "Mo 23.11. 09:30"."""
    zone = s.profile.timezone if s.profile is not None else s.deps.settings.default_timezone
    local = moment.astimezone(ZoneInfo(zone))
    return f"{s.day_label(local.date())} {local:%H:%M}"


def _uses(s: Session, invite: Invite) -> str:
    return s.text("access.invite.one_time" if invite.max_uses == 1 else "access.invite.multi_use")


@with_session
async def invite_command(update: Update, s: Session) -> None:
    """/invite: create an invite link (admins, invite mode)."""
    if not await _admin(s):
        return
    mode = s.deps.settings.access_mode
    if mode != "invite":
        await s.say("access.invite.not_invite_mode", mode=mode)
        return
    teams = await team_admin.led_teams(s)
    if len(teams) > 1:
        # A lead of several teams says first which team the link is for.
        choices = [(team.name, f"{PREFIX}:i:{team.id}") for team in teams]
        await s.say("access.invite.ask_team", inline(choices, columns=1))
        return
    await s.send(*_uses_question(s, None))


def _uses_question(s: Session, team_id: int | None) -> tuple[str, InlineKeyboardMarkup]:
    """For one person or several? (The team, if chosen, rides along in the buttons.)"""
    suffix = f":{team_id}" if team_id is not None else ""
    buttons = [
        (s.text("access.invite.button_one"), f"{PREFIX}:u:1{suffix}"),
        (s.text("access.invite.button_many"), f"{PREFIX}:u:0{suffix}"),
    ]
    return s.text("access.invite.ask_uses"), inline(buttons, columns=1)


async def _invite_team(s: Session, team_id: int | None) -> int | None:
    """The team an invite is for: the chosen one if the admin leads it, else their first."""
    teams = await team_admin.led_teams(s)
    if team_id is not None and any(team.id == team_id for team in teams):
        return team_id
    return teams[0].id if teams else None


def _invites_view(s: Session, found: list[Invite]) -> tuple[str, InlineKeyboardMarkup | None]:
    """The list of open invites with a revoke button each."""
    if not found:
        return s.text("access.invites.none"), None
    username = s.bot.username
    lines = [
        s.text(
            "access.invites.line",
            n=n,
            uses=_uses(s, invite),
            count=invite.uses,
            until=_local(s, invite.expires_at) if invite.expires_at else "–",
            link=deep_link(username, invite.code),
        )
        for n, invite in enumerate(found, start=1)
    ]
    buttons = [
        (s.text("access.invites.revoke", n=n), f"{PREFIX}:x:{invite.id}")
        for n, invite in enumerate(found, start=1)
    ]
    text = s.text("access.invites.title") + "\n\n" + "\n\n".join(lines)
    return text, inline(buttons, columns=3)


@with_session
async def invites_command(update: Update, s: Session) -> None:
    """/invites: the open invite links, each revocable (admins)."""
    if not await _admin(s):
        return
    text, markup = _invites_view(s, await s.deps.storage.access.open_invites(s.deps.clock()))
    await s.send(text, markup)


# --- The team list -----------------------------------------------------------------------------


def _who(s: Session, rep: RepInfo) -> Raw:
    """A tappable mention under the name leads see: Telegram opens the person's profile."""
    label = html.escape(team_admin.member_label(s, rep.display_name))
    return Raw(f'<a href="tg://user?id={rep.user_id}">{label}</a>')


# One line of the list: the team it is listed under (None: no team yet) and the person.
Listed = tuple[Team | None, RepInfo]


async def _listed(s: Session) -> tuple[list[Team], list[Listed]]:
    """The admin's teams and the people in them, team by team; then those in no team."""
    teams = await team_admin.led_teams(s)
    # "Last active" as of now: the times noted today are written first.
    await s.deps.storage.access.flush_seen()
    reps = await s.deps.storage.access.reps()
    listed: list[Listed] = []
    for team in teams:
        listed.extend((team, rep) for rep in reps if rep.team_id == team.id)
    listed.extend((None, rep) for rep in reps if rep.team_id is None)
    return teams, listed


def _reps_view(
    s: Session, teams: list[Team], listed: list[Listed], page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the team list, grouped by team, with disable/enable, move and paging."""
    pages = max(1, -(-len(listed) // REPS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = listed[page * REPS_PER_PAGE : (page + 1) * REPS_PER_PAGE]
    lines: list[str] = []
    buttons = []
    group: object = ()
    for n, (team, rep) in enumerate(shown, start=page * REPS_PER_PAGE + 1):
        if team != group:
            group = team
            if lines:
                lines.append("")
            header = (
                s.text("access.reps.team", name=team.name)
                if team is not None
                else s.text("access.reps.no_team")
            )
            lines.append(header)
        admin = rep.role == ADMIN or rep.user_id in s.deps.settings.admin_ids
        status = "disabled" if rep.disabled else ("active" if rep.onboarded else "setup")
        lines.append(
            s.text(
                "access.reps.line",
                n=n,
                who=_who(s, rep),
                role=s.text("access.reps.admin" if admin else "access.reps.rep"),
                status=s.text(f"access.reps.status.{status}"),
                seen=_local(s, rep.last_seen_at) if rep.last_seen_at else "–",
            )
        )
        if rep.user_id == s.user_id or rep.user_id in s.deps.settings.admin_ids:
            continue
        if rep.disabled:
            buttons.append((s.text("access.reps.enable", n=n), f"{PREFIX}:e:{rep.user_id}:{page}"))
        else:
            buttons.append((s.text("access.reps.disable", n=n), f"{PREFIX}:d:{rep.user_id}:{page}"))
        if len(teams) > 1 or (team is None and teams):
            move = f"{team_admin.PREFIX}:mv:{rep.user_id}"
            buttons.append((s.text("access.reps.move", n=n), move))
    paging = []
    if page > 0:
        paging.append((s.text("access.reps.previous"), f"{PREFIX}:r:{page - 1}"))
    if page < pages - 1:
        paging.append((s.text("access.reps.next"), f"{PREFIX}:r:{page + 1}"))
    settings = [
        [(s.text("access.reps.settings", name=team.name), f"{team_admin.PREFIX}:o:{team.id}")]
        for team in teams
    ]
    title = s.text("access.reps.title", count=len(listed))
    body = "\n".join(lines) if lines else s.text("access.reps.none")
    text = f"{title}\n\n{body}\n\n{s.text('access.reps.hint')}"
    rows = [*settings, *([paging] if paging else [])]
    if not buttons and not rows:
        return text, None
    return text, inline(buttons, columns=2, extra_rows=rows)


async def _reps_page(s: Session, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    teams, listed = await _listed(s)
    return _reps_view(s, teams, listed, page)


@with_session
async def reps_command(update: Update, s: Session) -> None:
    """/reps: the people in the admin's teams (and in none), with names, last active,
    disable, re-enable and moving; a settings button per team (admins)."""
    if not await _admin(s):
        return
    await s.send(*await _reps_page(s, 0))


# --- Buttons -----------------------------------------------------------------------------------


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message's text and buttons (an unchanged message is fine)."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


def _number(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Admin buttons ("ac:..."): invite uses and expiry, revoke, disable, enable, paging."""
    query = update.callback_query
    assert query is not None
    if not await _admin(s, query):
        return
    _, action, *values = (query.data or "").split(":")
    numbers = [_number(v) for v in values]
    if None in numbers or not numbers:
        await query.answer(s.text("common.button_outdated"))
        return
    deps, now, first = s.deps, s.deps.clock(), numbers[0]
    assert first is not None
    if action == "i":
        await query.answer()
        await _edit(query, *_uses_question(s, first))
    elif action == "u" and len(numbers) in (1, 2):
        await query.answer()
        suffix = f":{numbers[1]}" if len(numbers) == 2 else ""
        buttons = [
            (
                deps.content.plural(s.lang, "access.invite.days", days),
                f"{PREFIX}:n:{first}:{days}{suffix}",
            )
            for days in INVITE_DAYS
        ]
        await _edit(query, s.text("access.invite.ask_days"), inline(buttons, columns=3))
    elif action == "n" and len(numbers) in (2, 3) and numbers[1] in INVITE_DAYS:
        await query.answer()
        days = numbers[1] or 0
        team_id = await _invite_team(s, numbers[2] if len(numbers) == 3 else None)
        invite = await deps.storage.access.create_invite(
            REP,
            1 if first == 1 else None,
            invite_expiry(now, days),
            s.user_id,
            now,
            team_id=team_id,
        )
        text = s.text(
            "access.invite.created",
            uses=_uses(s, invite),
            until=_local(s, invite_expiry(now, days)),
            link=deep_link(s.bot.username, invite.code),
        )
        team = await deps.storage.teams.team(team_id) if team_id is not None else None
        if team is not None:
            text = f"{text}\n{s.text('access.invite.for_team', team=team.name)}"
        await _edit(query, text, None)
    elif action == "x":
        revoked = await deps.storage.access.revoke(first, now)
        await query.answer(
            s.text("access.invites.revoked" if revoked else "common.button_outdated")
        )
        await _edit(query, *_invites_view(s, await deps.storage.access.open_invites(now)))
    elif action in ("d", "e") and len(numbers) == 2:
        await _switch(s, query, first, disabled=action == "d", page=numbers[1] or 0)
    elif action == "r":
        await query.answer()
        await _edit(query, *await _reps_page(s, first))
    else:
        await query.answer(s.text("common.button_outdated"))


async def _switch(
    s: Session, query: CallbackQuery, user_id: int, *, disabled: bool, page: int
) -> None:
    """Disable or re-enable a rep; check-ins pause while they are disabled."""
    deps, now = s.deps, s.deps.clock()
    if user_id == s.user_id or user_id in deps.settings.admin_ids:
        await query.answer(s.text("access.reps.not_this_one"), show_alert=True)
        return
    await deps.storage.access.set_disabled(user_id, disabled, now)
    # Inactive reps get no check-ins; re-enabled, they get them again.
    await deps.storage.users.set_active(user_id, not disabled, now)
    key = "access.reps.disabled" if disabled else "access.reps.enabled"
    name = team_admin.member_label(s, await deps.storage.teams.display_name(user_id))
    await query.answer(s.text(key, who=name), show_alert=True)
    await _edit(query, *await _reps_page(s, page))
