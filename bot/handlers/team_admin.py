"""The lead's team settings ("ta:" buttons): name, visibility, weekly goal, digest, new team,
moving a person; and the rep's side of "per person": the one-time explanation, agreeing,
declining, withdrawing, and the name the lead sees (from /settings).

A lead only ever changes teams they lead; every other press gets a friendly refusal. Switching
a team to "per person" queues the explanation for each of its reps exactly once (members'
sharing_asked_at) as a reminder of the scheduler, so it goes through the claimed-delivery path,
in the rep's language, outside their quiet hours and pauses.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any, Final

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.error import BadRequest

from bot.coach.teams import (
    DISPLAY_NAME_MAX,
    GOAL_METRICS,
    NAME_MAX,
    PER_REP,
    TOTALS,
    Team,
    TeamMember,
    clean_name,
    parse_goal,
)
from bot.handlers.context import Deps, Session, with_session
from bot.handlers.keyboards import inline
from bot.storage import FlowState
from bot.storage.taps import Tap, tap_origin

log = logging.getLogger(__name__)

PREFIX: Final = "ta"
FLOW: Final = "team_admin"
RENAME: Final = "rename"
NEW: Final = "new"
GOAL: Final = "goal"
NAME: Final = "name"
# The reminder kind of the one-time "per person" explanation (scheduler due items).
SHARING_DUE: Final = "team_sharing"
DIGEST_TIMES: Final[tuple[time, ...]] = (time(8, 0), time(12, 0), time(15, 0), time(17, 0))
# Buttons in the "whom to move" list; a larger team is moved from /reps, page by page.
MOVE_LIST: Final = 30
_METRIC_CODES: Final = {"d": "dials", "a": "appointments"}
# Typed to remove the display name.
NO_NAME: Final = frozenset({"-", "–", "—"})


# --- Who may do what ---------------------------------------------------------------------------


async def led_teams(s: Session) -> list[Team]:
    """The teams the user leads ([] for a non-admin); an admin leading none gets one."""
    if not await s.deps.is_admin(s.user_id):
        return []
    name = s.text("team_admin.default_name")
    return await s.deps.storage.teams.ensure_led(s.user_id, name, s.deps.clock())


async def _refuse(s: Session, query: CallbackQuery | None, key: str) -> None:
    if query is not None:
        await query.answer(s.text(key), show_alert=True)
    else:
        await s.say(key)


async def _lead_of(s: Session, team_id: int | None, query: CallbackQuery | None) -> Team | None:
    """The team, if the user leads it; else a friendly refusal and None."""
    if not await s.deps.is_admin(s.user_id):
        await _refuse(s, query, "team_admin.not_admin")
        return None
    for team in await led_teams(s):
        if team.id == team_id:
            return team
    await _refuse(s, query, "team_admin.not_your_team")
    return None


def member_label(s: Session, name: str | None) -> str:
    """The name a lead sees for a person (never their id)."""
    return name or s.text("team_admin.unnamed")


# --- The settings screen ---------------------------------------------------------------------


def _goal_text(s: Session, team: Team) -> str:
    if team.goal_metric is None or team.goal_weekly is None:
        return s.text("team_admin.goal_off")
    key = f"team_admin.goal_value.{team.goal_metric}"
    return s.deps.content.plural(s.lang, key, team.goal_weekly)


def _day_name(s: Session, day: int) -> str:
    return s.deps.content.list(s.lang, "common.weekdays_short")[day % 7]


def _settings_view(s: Session, team: Team, people: int) -> tuple[str, InlineKeyboardMarkup]:
    plural = s.deps.content.plural
    lines = [
        s.text(
            "team_admin.settings.title",
            name=team.name,
            people=plural(s.lang, "team_admin.people", people),
        ),
        "",
        s.text(
            "team_admin.settings.visibility",
            what=s.text(f"team_admin.visibility_name.{team.visibility}"),
        ),
        s.text("team_admin.settings.goal", goal=_goal_text(s, team)),
        s.text(
            "team_admin.settings.digest",
            day=_day_name(s, team.digest_day),
            time=f"{team.digest_time:%H:%M}",
        ),
        "",
        s.text("team_admin.settings.hint"),
    ]
    t = team.id
    buttons = [
        (s.text("team_admin.button.rename"), f"{PREFIX}:rn:{t}"),
        (s.text("team_admin.button.visibility"), f"{PREFIX}:v:{t}"),
        (s.text("team_admin.button.goal"), f"{PREFIX}:g:{t}"),
        (s.text("team_admin.button.digest"), f"{PREFIX}:d:{t}"),
        (s.text("team_admin.button.move"), f"{PREFIX}:m:{t}"),
        (s.text("team_admin.button.new"), f"{PREFIX}:n:{t}"),
    ]
    return "\n".join(lines), inline(buttons, columns=2)


async def _settings(s: Session, team: Team) -> tuple[str, InlineKeyboardMarkup]:
    people = len(await s.deps.storage.teams.members(team.id))
    return _settings_view(s, team, people)


async def show_team_settings(s: Session, team_id: int) -> None:
    """Send the settings of a team the user leads (a friendly refusal otherwise)."""
    team = await _lead_of(s, team_id, None)
    if team is not None:
        await s.send(*await _settings(s, team))


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message (an unchanged or vanished message is fine)."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc) and "not found" not in str(exc):
            raise


def _back(s: Session, team_id: int) -> tuple[str, str]:
    return (s.text("team_admin.button.back"), f"{PREFIX}:o:{team_id}")


# --- Telling the reps about "per person" -------------------------------------------------------


async def tell_reps(deps: Deps, team: Team, now: datetime) -> int:
    """Queue the one-time "per person" explanation for each rep of the team not told yet;
    returns how many. Nothing for a team on "totals only"."""
    if team.visibility != PER_REP:
        return 0
    told = await deps.storage.teams.ask_sharing(team.id, now)
    for user_id in told:
        await deps.storage.checkins.put_due(
            user_id, SHARING_DUE, str(team.id), now, now, {"team": team.id, "name": team.name}
        )
    if told:
        log.info("team sharing explanation queued: reps=%d", len(told))
    return len(told)


def sharing_message(s: Session, payload: Any) -> tuple[str, InlineKeyboardMarkup] | None:
    """The explanation of "per person" for one rep, with agree and decline buttons."""
    team_id = payload.get("team") if isinstance(payload, dict) else None
    if not isinstance(team_id, int):
        return None
    text = s.text("team_admin.sharing.message", team=str(payload.get("name", "")))
    return text, sharing_buttons(s, team_id)


def sharing_buttons(s: Session, team_id: int) -> InlineKeyboardMarkup:
    """Agree / rather not, for the rep's team."""
    buttons = [
        (s.text("team_admin.sharing.confirm"), f"{PREFIX}:ok:{team_id}"),
        (s.text("team_admin.sharing.decline"), f"{PREFIX}:no:{team_id}"),
    ]
    return inline(buttons, columns=2)


async def joined(s: Session, user: User | None) -> None:
    """A new profile: their Telegram first name is the name leads see (they can change it in
    /settings); a rep without a team joins the first one (an admin leads one instead); in a
    "per person" team they are told what that means."""
    deps, now = s.deps, s.deps.clock()
    first = clean_name(user.first_name, DISPLAY_NAME_MAX) if user is not None else None
    if first is not None:
        await deps.storage.teams.set_display_name(s.user_id, first, now)
    if await deps.is_admin(s.user_id):
        await led_teams(s)
        return
    await deps.storage.teams.join_default(s.user_id, None, now)
    team = await deps.storage.teams.team_of(s.user_id)
    if team is not None:
        await tell_reps(deps, team, now)


async def with_display_name(
    s: Session, text: str, markup: InlineKeyboardMarkup
) -> tuple[str, InlineKeyboardMarkup]:
    """The /settings overview with the name leads see, and a button to change it."""
    current = await s.deps.storage.teams.display_name(s.user_id)
    line = s.text("team_admin.name.line", name=member_label(s, current))
    rows = [list(row) for row in markup.inline_keyboard]
    button = InlineKeyboardButton(s.text("team_admin.name.button"), callback_data=f"{PREFIX}:dn")
    # Before the last row (close).
    rows.insert(max(len(rows) - 1, 0), [button])
    return f"{text}\n{line}", InlineKeyboardMarkup(rows)


# --- Buttons -----------------------------------------------------------------------------------


def _numbers(values: list[str]) -> list[int] | None:
    try:
        return [int(v) for v in values]
    except ValueError:
        return None


async def _counted(s: Session, query: CallbackQuery) -> bool:
    """The tap guard for buttons that change something: False for a double tap or a
    redelivered press (a user without a profile has no taps to claim: the changes behind
    their buttons are idempotent)."""
    if s.profile is None:
        return True
    message = query.message if isinstance(query.message, Message) else None
    origin = tap_origin(s.chat_id, message.message_id if message else None, query.data or "")
    return await s.deps.storage.teams.claim_tap(s.user_id, Tap(query.id, origin), s.deps.clock())


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Team settings buttons ("ta:<action>[:<value>...]") and the rep's agree/decline."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    action = parts[1] if len(parts) > 1 else ""
    numbers = _numbers(parts[2:])
    if numbers is None:
        await query.answer(s.text("common.button_outdated"))
        return
    if action in _REP_ACTIONS:
        await _REP_ACTIONS[action](s, query, numbers)
        return
    handler = _LEAD_ACTIONS.get(action)
    if handler is None or not numbers:
        await query.answer(s.text("common.button_outdated"))
        return
    await handler(s, query, numbers)


async def _open(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is not None:
        await query.answer()
        await _edit(query, *await _settings(s, team))


async def _ask_text(s: Session, query: CallbackQuery, step: str, key: str, **data: Any) -> None:
    """Wait for a typed answer (stored, so a restart continues)."""
    if s.profile is None:
        await query.answer(s.text("common.start_first"), show_alert=True)
        return
    await query.answer()
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, step, data), s.deps.clock())
    values = {k: v for k, v in data.items() if k == "name"}
    await s.say(key, **values)


async def _rename(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is not None:
        await _ask_text(s, query, RENAME, "team_admin.rename.ask", team=team.id, name=team.name)


async def _new(s: Session, query: CallbackQuery, n: list[int]) -> None:
    if await _lead_of(s, n[0], query) is not None:
        await _ask_text(s, query, NEW, "team_admin.new.ask")


async def _visibility(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None:
        return
    await query.answer()
    text = s.text(
        "team_admin.visibility.explain",
        name=team.name,
        what=s.text(f"team_admin.visibility_name.{team.visibility}"),
    )
    buttons = [
        (s.text("team_admin.button.totals"), f"{PREFIX}:vs:{team.id}:0"),
        (s.text("team_admin.button.per_rep"), f"{PREFIX}:vs:{team.id}:1"),
    ]
    await _edit(query, text, inline(buttons, columns=2, extra_rows=[[_back(s, team.id)]]))


async def _set_visibility(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None or len(n) != 2 or n[1] not in (0, 1):
        if team is not None:
            await query.answer(s.text("common.button_outdated"))
        return
    if not await _counted(s, query):
        await query.answer()
        return
    wanted = PER_REP if n[1] == 1 else TOTALS
    if team.visibility == wanted:
        await query.answer(s.text("team_admin.visibility.same"))
        await _edit(query, *await _settings(s, team))
        return
    now = s.deps.clock()
    await s.deps.storage.teams.set_visibility(team.id, wanted, now)
    changed = await s.deps.storage.teams.team(team.id)
    assert changed is not None
    if wanted == PER_REP:
        told = await tell_reps(s.deps, changed, now)
        told_text = (
            s.deps.content.plural(s.lang, "team_admin.visibility.told", told)
            if told
            else s.text("team_admin.visibility.told_none")
        )
        note = s.text("team_admin.visibility.per_rep_done", told=told_text)
    else:
        note = s.text("team_admin.visibility.totals_done")
    await query.answer()
    await _edit(query, *await _settings(s, changed))
    await s.send(note)


async def _goal(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None:
        return
    await query.answer()
    buttons = [
        (s.text("team_admin.button.dials"), f"{PREFIX}:gm:{team.id}:1"),
        (s.text("team_admin.button.appointments"), f"{PREFIX}:gm:{team.id}:2"),
        (s.text("team_admin.button.goal_off"), f"{PREFIX}:gm:{team.id}:0"),
    ]
    markup = inline(buttons, columns=2, extra_rows=[[_back(s, team.id)]])
    await _edit(query, s.text("team_admin.goal.ask_metric"), markup)


async def _goal_metric(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None:
        return
    if len(n) != 2 or n[1] not in (0, 1, 2):
        await query.answer(s.text("common.button_outdated"))
        return
    if n[1] == 0:
        await query.answer()
        await s.deps.storage.teams.set_goal(team.id, None, None, s.deps.clock())
        changed = await s.deps.storage.teams.team(team.id)
        assert changed is not None
        await _edit(query, *await _settings(s, changed))
        await s.say("team_admin.goal.switched_off")
        return
    metric = GOAL_METRICS[n[1] - 1]
    await _ask_text(
        s, query, GOAL, f"team_admin.goal.ask_number.{metric}", team=team.id, metric=metric
    )


async def _digest(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None:
        return
    await query.answer()
    buttons = [(_day_name(s, day), f"{PREFIX}:dd:{team.id}:{day}") for day in range(7)]
    markup = inline(buttons, columns=4, extra_rows=[[_back(s, team.id)]])
    await _edit(query, s.text("team_admin.digest.ask_day"), markup)


async def _digest_day(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None:
        return
    if len(n) != 2 or not 0 <= n[1] <= 6:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    buttons = [(f"{at:%H:%M}", f"{PREFIX}:dt:{team.id}:{n[1]}:{at:%H%M}") for at in DIGEST_TIMES]
    markup = inline(buttons, columns=4, extra_rows=[[_back(s, team.id)]])
    await _edit(query, s.text("team_admin.digest.ask_time", day=_day_name(s, n[1])), markup)


async def _digest_time(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None:
        return
    at = time(n[2] // 100, n[2] % 100) if len(n) == 3 and n[2] in _TIME_CODES else None
    if at is None or not 0 <= n[1] <= 6:
        await query.answer(s.text("common.button_outdated"))
        return
    await query.answer()
    await s.deps.storage.teams.set_digest(team.id, n[1], at, s.deps.clock())
    changed = await s.deps.storage.teams.team(team.id)
    assert changed is not None
    await _edit(query, *await _settings(s, changed))
    await s.say("team_admin.digest.done", day=_day_name(s, n[1]), time=f"{at:%H:%M}")


_TIME_CODES: Final = frozenset(at.hour * 100 + at.minute for at in DIGEST_TIMES)


async def _movable(s: Session, teams: list[Team]) -> list[TeamMember]:
    found: list[TeamMember] = []
    for team in teams:
        found.extend(await s.deps.storage.teams.members(team.id))
    return found


async def _move_list(s: Session, query: CallbackQuery, n: list[int]) -> None:
    team = await _lead_of(s, n[0], query)
    if team is None:
        return
    teams = await led_teams(s)
    await query.answer()
    if len(teams) < 2:
        await s.say("team_admin.move.one_team")
        return
    people = (await _movable(s, teams))[:MOVE_LIST]
    if not people:
        await s.say("team_admin.move.nobody")
        return
    buttons = [(member_label(s, m.display_name), f"{PREFIX}:mv:{m.user_id}") for m in people]
    markup = inline(buttons, columns=2, extra_rows=[[_back(s, team.id)]])
    await _edit(query, s.text("team_admin.move.pick_rep"), markup)


async def _may_move(s: Session, query: CallbackQuery, user_id: int) -> list[Team] | None:
    """The lead's teams, if the person is in one of them or in none; else a refusal."""
    if not await s.deps.is_admin(s.user_id):
        await _refuse(s, query, "team_admin.not_admin")
        return None
    teams = await led_teams(s)
    current = await s.deps.storage.teams.team_of(user_id)
    if current is not None and current.id not in {t.id for t in teams}:
        await _refuse(s, query, "team_admin.not_your_team")
        return None
    return teams


async def pick_team(s: Session, query: CallbackQuery, user_id: int) -> None:
    """Ask which of the lead's teams a person goes to (from /reps and the settings)."""
    teams = await _may_move(s, query, user_id)
    if teams is None:
        return
    await query.answer()
    name = member_label(s, await s.deps.storage.teams.display_name(user_id))
    buttons = [(team.name, f"{PREFIX}:mt:{user_id}:{team.id}") for team in teams]
    await s.send(s.text("team_admin.move.pick_team", name=name), inline(buttons, columns=1))


async def _move_pick(s: Session, query: CallbackQuery, n: list[int]) -> None:
    await pick_team(s, query, n[0])


async def _move(s: Session, query: CallbackQuery, n: list[int]) -> None:
    if len(n) != 2:
        await query.answer(s.text("common.button_outdated"))
        return
    user_id, team_id = n
    teams = await _may_move(s, query, user_id)
    if teams is None:
        return
    target = next((t for t in teams if t.id == team_id), None)
    if target is None:
        await _refuse(s, query, "team_admin.not_your_team")
        return
    if not await _counted(s, query):
        await query.answer()
        return
    name = member_label(s, await s.deps.storage.teams.display_name(user_id))
    current = await s.deps.storage.teams.team_of(user_id)
    if current is not None and current.id == target.id:
        await query.answer(s.text("team_admin.move.same", name=name))
        return
    now = s.deps.clock()
    await s.deps.storage.teams.move(user_id, target.id, now)
    await tell_reps(s.deps, target, now)
    await query.answer()
    await _edit(query, s.text("team_admin.move.done", name=name, team=target.name), None)


async def _confirm(s: Session, query: CallbackQuery, n: list[int]) -> None:
    """The rep agrees to be shown individually in their team."""
    if len(n) != 1:
        await query.answer(s.text("common.button_outdated"))
        return
    if not await _counted(s, query):
        await query.answer()
        return
    team = await s.deps.storage.teams.team_of(s.user_id)
    if team is None or team.id != n[0] or team.visibility != PER_REP:
        await query.answer(s.text("team_admin.sharing.stale"), show_alert=True)
        return
    confirmed = await s.deps.storage.teams.confirm_sharing(s.user_id, team.id, s.deps.clock())
    await query.answer()
    await _drop_buttons(s, query)
    await s.say("team_admin.sharing.confirmed" if confirmed else "team_admin.sharing.already")


async def _decline(s: Session, query: CallbackQuery, n: list[int]) -> None:
    """The rep would rather not: nothing changes, they stay in the totals only."""
    del n
    await query.answer()
    await _drop_buttons(s, query)
    await s.say("team_admin.sharing.declined")


async def _withdraw(s: Session, query: CallbackQuery, n: list[int]) -> None:
    """From /privacy: take the agreement back."""
    del n
    withdrawn = await s.deps.storage.teams.withdraw_sharing(s.user_id)
    await query.answer()
    await _drop_buttons(s, query)
    await s.say("privacy.team.withdrawn" if withdrawn else "privacy.team.nothing_to_withdraw")


async def _display_name(s: Session, query: CallbackQuery, n: list[int]) -> None:
    """From /settings: ask for the name the team lead sees."""
    del n
    current = await s.deps.storage.teams.display_name(s.user_id)
    await _ask_text(s, query, NAME, "team_admin.name.ask", name=member_label(s, current))


async def _drop_buttons(s: Session, query: CallbackQuery) -> None:
    message = query.message if isinstance(query.message, Message) else None
    if message is None:
        return
    try:
        await s.bot.edit_message_reply_markup(s.chat_id, message.message_id)
    except BadRequest as exc:
        if "not modified" not in str(exc) and "not found" not in str(exc):
            raise


_Action = Any
_LEAD_ACTIONS: Final[dict[str, _Action]] = {
    "o": _open,
    "rn": _rename,
    "n": _new,
    "v": _visibility,
    "vs": _set_visibility,
    "g": _goal,
    "gm": _goal_metric,
    "d": _digest,
    "dd": _digest_day,
    "dt": _digest_time,
    "m": _move_list,
    "mv": _move_pick,
    "mt": _move,
}
_REP_ACTIONS: Final[dict[str, _Action]] = {
    "ok": _confirm,
    "no": _decline,
    "wd": _withdraw,
    "dn": _display_name,
}


# --- Typed answers -----------------------------------------------------------------------------


async def answer_text(s: Session, text: str) -> bool:
    """A typed answer to an open team step (a name, a goal); False when none is open."""
    state = s.flow
    if state is None or state.flow != FLOW:
        return False
    deps, now = s.deps, s.deps.clock()
    if state.step == NAME:
        await _take_display_name(s, text)
        return True
    team_id = state.data.get("team")
    if state.step == NEW:
        if not await deps.is_admin(s.user_id):
            await deps.storage.flows.clear(s.user_id)
            await s.say("team_admin.not_admin")
            return True
        name = clean_name(text, NAME_MAX)
        if name is None:
            await s.say("team_admin.rename.bad")
            return True
        await deps.storage.flows.clear(s.user_id)
        created = await deps.storage.teams.create(name, s.user_id, now)
        await s.say("team_admin.new.done", name=created.name)
        await s.send(*await _settings(s, created))
        return True
    team = await _lead_of(s, team_id if isinstance(team_id, int) else None, None)
    if team is None:
        await deps.storage.flows.clear(s.user_id)
        return True
    if state.step == RENAME:
        name = clean_name(text, NAME_MAX)
        if name is None:
            await s.say("team_admin.rename.bad")
            return True
        await deps.storage.flows.clear(s.user_id)
        await deps.storage.teams.rename(team.id, name, now)
        await s.say("team_admin.rename.done", name=name)
    elif state.step == GOAL:
        metric = state.data.get("metric")
        weekly = parse_goal(text)
        if metric not in GOAL_METRICS or weekly is None:
            await s.say("team_admin.goal.bad")
            return True
        await deps.storage.flows.clear(s.user_id)
        await deps.storage.teams.set_goal(team.id, str(metric), weekly, now)
        changed = await deps.storage.teams.team(team.id)
        assert changed is not None
        await s.say("team_admin.goal.done", goal=_goal_text(s, changed))
    else:
        await deps.storage.flows.clear(s.user_id)
        return False
    changed = await deps.storage.teams.team(team.id)
    if changed is not None:
        await s.send(*await _settings(s, changed))
    return True


async def _take_display_name(s: Session, text: str) -> None:
    deps = s.deps
    if text.strip() in NO_NAME:
        await deps.storage.flows.clear(s.user_id)
        await deps.storage.teams.set_display_name(s.user_id, None, deps.clock())
        await s.say("team_admin.name.cleared")
        return
    name = clean_name(text, DISPLAY_NAME_MAX)
    if name is None:
        await s.say("team_admin.name.bad")
        return
    await deps.storage.flows.clear(s.user_id)
    await deps.storage.teams.set_display_name(s.user_id, name, deps.clock())
    await s.say("team_admin.name.done", name=name)
