"""The stored-flow engine behind onboarding and /settings: ask a field, take the answer, go on.

Where the bot waits for an answer is a row in flow_states, never memory, so a restart (or a
second process) continues exactly where the rep left off.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import CallbackQuery, Message, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot.coach.profile import Profile
from bot.coach.weekdays import weekdays_from_str, weekdays_to_str
from bot.content import Raw
from bot.handlers import fields
from bot.handlers.context import Session, with_session
from bot.handlers.keyboards import main_menu
from bot.handlers.views import profile_lines, settings_overview
from bot.storage import FlowState

ONBOARDING = "onboarding"
SETTINGS = "settings"
# Quoting what the rep typed back to them: enough to recognise it, never a wall of text.
QUOTE_LIMIT = 40


def quote(text: str) -> str:
    """A short, single-line excerpt of user input."""
    line = " ".join(text.split())
    return line if len(line) <= QUOTE_LIMIT else line[: QUOTE_LIMIT - 1] + "…"


def state_for(flow: str, step: str, profile: Profile) -> FlowState:
    """The flow state for asking `step`; the days toggle keeps its selection in the state."""
    data = {"days": weekdays_to_str(profile.schedule.working_days)} if step == "days" else {}
    return FlowState(flow, step, data)


async def ask(s: Session, profile: Profile, state: FlowState, prefix: str = "") -> None:
    """Send the question for the state's step, optionally after a line of confirmation."""
    lang = s.deps.content.lang(profile.language)
    text, markup = fields.question(
        s.deps.content, lang, state.step, profile, selected_days=state.data.get("days")
    )
    await s.send(prefix + text, markup)


async def start_flow(s: Session, profile: Profile, flow: str, step: str, prefix: str = "") -> None:
    """Store that we wait for `step` of `flow`, then ask it."""
    state = state_for(flow, step, profile)
    await s.deps.storage.flows.set(profile.user_id, state, s.deps.clock())
    await ask(s, profile, state, prefix)


def _confirmation(s: Session, lang: str, flow: str, name: str, profile: Profile) -> str:
    now = s.deps.clock()
    text = s.deps.content.text(
        lang,
        f"fields.{name}.saved",
        value=fields.display(s.deps.content, lang, name, profile, now),
        local_time=fields.local_now(profile, now),
        block_end=fields.block_end(profile),
    )
    # Say when a change will not reach the rep (switched off, in quiet hours); in onboarding
    # only the quiet hours can get in the way, as every check-in starts switched on.
    notes = fields.notes(s.deps.content, lang, name, profile, setup=flow != SETTINGS)
    return "\n".join([text, *notes])


async def complete(
    s: Session, state: FlowState, profile: Profile, edit: Message | None = None
) -> None:
    """Store an accepted answer, confirm it, and ask the next question or close the flow."""
    lang = s.deps.content.lang(profile.language)
    confirmation = _confirmation(s, lang, state.flow, state.step, profile)
    prefix = confirmation + "\n\n"
    if edit is not None:
        # A button answer: the question becomes its answer, so old buttons cannot be re-tapped.
        await _edit_quietly(edit, f"{edit.text_html}\n\n{confirmation}")
        prefix = ""
    if state.flow == ONBOARDING and state.step != fields.FIELDS[-1]:
        following = state_for(
            ONBOARDING, fields.FIELDS[fields.FIELDS.index(state.step) + 1], profile
        )
        await s.deps.storage.save_step(profile, following, s.deps.clock())
        if state.step == "tz":
            # The location keyboard must go before a question with inline buttons comes.
            await s.send(confirmation, ReplyKeyboardRemove())
            prefix = ""
        await ask(s, profile, following, prefix)
        return
    if state.flow == ONBOARDING:
        await finish_onboarding(s, profile, prefix)
        return
    await s.deps.storage.save_step(profile, None, s.deps.clock())
    text, markup = settings_overview(s.deps.content, lang, profile, s.deps.clock())
    if state.step in {"tz", "lang"}:
        # Bring back the main menu: after the location keyboard, or in the new language.
        await s.send(confirmation, main_menu(s.deps.content, lang))
        prefix = ""
    await s.send(prefix + text, markup)


async def finish_onboarding(s: Session, profile: Profile, prefix: str = "") -> None:
    """Mark the rep as set up, show what we stored and open the main menu."""
    profile = replace(profile, onboarded=True)
    await s.deps.storage.save_step(profile, None, s.deps.clock())
    content, lang = s.deps.content, s.deps.content.lang(profile.language)
    summary = profile_lines(content, lang, profile, s.deps.clock())
    text = prefix + content.text(lang, "onboarding.done", summary=Raw(summary))
    await s.send(text, main_menu(content, lang))


async def _edit_quietly(message: Message, text: str) -> None:
    try:
        await message.edit_text(text)
    except BadRequest as exc:
        # Editing an unchanged or vanished message is harmless: the answer is stored already.
        if "not modified" not in str(exc) and "not found" not in str(exc):
            raise


def _waiting_for(s: Session, *steps: str) -> tuple[FlowState, Profile] | None:
    if s.flow is None or s.profile is None or s.flow.step not in (steps or fields.SETTINGS_FIELDS):
        return None
    return s.flow, s.profile


async def answer_text(s: Session, text: str) -> bool:
    """Treat a text as the answer to the open flow's question; False when no flow waits."""
    waiting = _waiting_for(s)
    if waiting is None:
        return False
    state, profile = waiting
    content = s.deps.content
    done = text.strip().casefold() in _done_words(s)
    if state.step == "days" and done:
        outcome = fields.accept_days(profile, str(state.data.get("days", "")))
    elif state.step == "checkins" and done:
        # The toggles are stored as they are tapped: "done" just closes the question.
        outcome = fields.Outcome(profile=profile)
    else:
        outcome = fields.accept_text(content, state.step, profile, text)
    if outcome.profile is None:
        await _reject(s, state, profile, outcome, text)
    else:
        await complete(s, state, outcome.profile)
    return True


def takes_text(s: Session, text: str) -> bool:
    """Whether the open question understands a typed text as its answer (nothing is stored)."""
    waiting = _waiting_for(s)
    if waiting is None:
        return False
    state, profile = waiting
    if state.step in ("days", "checkins") and text.strip().casefold() in _done_words(s):
        return True
    return fields.accept_text(s.deps.content, state.step, profile, text).profile is not None


def _done_words(s: Session) -> set[str]:
    return {w.casefold() for w in s.deps.content.list(s.lang, "fields.days.done_words")}


async def _reject(
    s: Session, state: FlowState, profile: Profile, outcome: fields.Outcome, text: str
) -> None:
    assert outcome.error is not None
    error = s.text(outcome.error, input=quote(text), **outcome.values)
    await ask(s, profile, state, prefix=error + "\n\n")


async def answer_location(s: Session, latitude: float, longitude: float) -> bool:
    """A shared location answers the timezone question; False when none is asked."""
    waiting = _waiting_for(s, "tz")
    if waiting is None:
        return False
    state, profile = waiting
    outcome = fields.accept_location(profile, latitude, longitude)
    if outcome.profile is None:
        await _reject(s, state, profile, outcome, "")
    else:
        await complete(s, state, outcome.profile)
    return True


def _query(update: Update) -> tuple[CallbackQuery, str, Message | None]:
    query = update.callback_query
    assert query is not None
    message = query.message if isinstance(query.message, Message) else None
    return query, query.data or "", message


async def stale(query: CallbackQuery, s: Session) -> None:
    """Tell the user a button no longer does anything."""
    await query.answer(s.text("common.button_outdated"))


@with_session
async def on_answer_button(update: Update, s: Session) -> None:
    """An answer button ("a:<field>:<value>") of the open question."""
    query, data, message = _query(update)
    _, name, value = [*data.split(":", 2), "", ""][:3]
    waiting = _waiting_for(s, name)
    if waiting is None:
        await stale(query, s)
        return
    state, profile = waiting
    if name == "checkins" and value == fields.DONE:
        await query.answer()
        await complete(s, state, profile, edit=message)
        return
    outcome = fields.accept_button(s.deps.content, name, profile, value)
    if outcome.profile is None:
        assert outcome.error is not None
        await query.answer(s.text(outcome.error, input="", **outcome.values), show_alert=True)
        return
    await query.answer()
    if name == "checkins":
        await _toggled_checkin(s, outcome.profile, message)
        return
    await complete(s, state, outcome.profile, edit=message)


async def _toggled_checkin(s: Session, profile: Profile, message: Message | None) -> None:
    """Store a toggled check-in at once (the question stays open) and redraw the toggles."""
    await s.deps.storage.users.save(profile, s.deps.clock())
    if message is None:
        return
    keyboard = fields.checkins_keyboard(s.deps.content, s.lang, profile.schedule.checkins)
    try:
        await message.edit_reply_markup(keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


@with_session
async def on_day_button(update: Update, s: Session) -> None:
    """A working-day toggle ("d:<0-6>") or done ("d:ok") on the days question."""
    query, data, message = _query(update)
    waiting = _waiting_for(s, "days")
    value = data[2:]
    if waiting is None or not (value == "ok" or (value.isdigit() and int(value) < 7)):
        await stale(query, s)
        return
    state, profile = waiting
    selected = str(state.data.get("days", ""))
    if value == "ok":
        outcome = fields.accept_days(profile, selected)
        if outcome.profile is None:
            assert outcome.error is not None
            await query.answer(s.text(outcome.error), show_alert=True)
            return
        await query.answer()
        await complete(s, state, outcome.profile, edit=message)
        return
    selected = fields.toggle_day(selected, int(value))
    await s.deps.storage.flows.set(
        s.user_id, replace(state, data={"days": selected}), s.deps.clock()
    )
    await query.answer()
    if message is not None:
        keyboard = fields.days_keyboard(s.deps.content, s.lang, weekdays_from_str(selected))
        try:
            await message.edit_reply_markup(keyboard)
        except BadRequest as exc:
            if "not modified" not in str(exc):
                raise


@with_session
async def on_unknown_button(update: Update, s: Session) -> None:
    """A button this version does not know (e.g. from an old message): say so, change nothing."""
    query, _, _ = _query(update)
    await stale(query, s)
