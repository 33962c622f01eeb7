"""/rollenspiel (/roleplay): a whole practice call against a simulated customer, and its
scorecard.

The rep picks a scenario and a difficulty; the customer speaks first (or the situation is shown
and the rep starts); each answer, typed or spoken, is one turn of the engine (bot/coach/roleplay),
which decides the customer's reaction, the phases and the end. With a language model configured
the customer's lines come from it (the engine's line when it fails), so both score the same way.
The call's state is stored after every turn and the mode waits in a stored flow: a restart
continues the call. A command ends the mode but not the call; /rollenspiel then offers to go on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Final

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError

from bot.coach.roleplay import (
    DIFFICULTIES,
    CallOverError,
    CallState,
    EmptyTurnError,
    Scenario,
    Scorecard,
    StateError,
    answer,
    cancel,
    customer_line,
    opening_line,
    restart_from,
    score,
    start,
)
from bot.handlers.context import Session, with_session
from bot.handlers.flows import stale
from bot.handlers.keyboards import inline, main_menu
from bot.handlers.roleplay_progress import suggest as suggest_call
from bot.llm import CustomerRequest, Speaker
from bot.scenarios import Roleplays
from bot.storage import FlowState
from bot.storage.roleplay import Result, RoleplayCall
from bot.storage.taps import Tap, tap_origin

log = logging.getLogger(__name__)

FLOW: Final = "roleplay"
STEP: Final = "answer"
# Button data: "rp:<action>[:<argument>…]".
PREFIX: Final = "rp"
# A rep's line quoted on the scorecard: enough to recognise it, never a wall of text.
QUOTE_CHARS: Final = 200
TRANSCRIPT_CHARS: Final = 1000


def _clip(text: str, limit: int = QUOTE_CHARS) -> str:
    """One line of what the rep said, cut to `limit` characters (escaped when rendered)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _has_words(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _book(s: Session, lang: str | None = None) -> Roleplays:
    books = s.deps.roleplays
    return books.get(lang or s.lang) or books[s.lang]


def _in_call(s: Session) -> int | None:
    """The id of the call the waiting mode belongs to, if the rep is in one."""
    if s.flow is None or s.flow.flow != FLOW:
        return None
    call_id = s.flow.data.get("call")
    return call_id if isinstance(call_id, int) and not isinstance(call_id, bool) else None


def _int(value: str) -> int | None:
    # Button data can be forged: only plain ASCII digits of a sane length are an id.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


# --- Starting ------------------------------------------------------------------------------------


def _picker(s: Session) -> tuple[str, InlineKeyboardMarkup]:
    book = _book(s)
    lines = [s.text("roleplay.picker.title"), ""]
    lines += [
        s.text("roleplay.picker.line", title=scenario.title, summary=scenario.summary)
        for scenario in book.scenarios.values()
    ]
    buttons = [
        (scenario.title, f"{PREFIX}:s:{scenario.id}") for scenario in book.scenarios.values()
    ]
    return "\n".join(lines), inline(buttons, columns=1)


async def show_start(s: Session) -> None:
    """The main-menu entry and /rollenspiel: a call left open, else the scenario picker."""
    if s.profile is None or not s.profile.onboarded:
        await s.say("common.start_first")
        return
    left = await s.deps.storage.roleplay.active(s.user_id)
    scenario = _book(s, left.lang).get(left.scenario_id) if left is not None else None
    if left is not None and scenario is not None:
        markup = inline(
            [
                (s.text("roleplay.button.resume"), f"{PREFIX}:resume:{left.id}"),
                (s.text("roleplay.button.other"), f"{PREFIX}:pick"),
            ],
            columns=1,
        )
        await s.say("roleplay.open_call", markup, title=scenario.title, name=scenario.persona.name)
        return
    await s.send(*_picker(s))


@with_session
async def roleplay_command(update: Update, s: Session) -> None:
    """/rollenspiel, /roleplay."""
    await show_start(s)


def _difficulties(s: Session, scenario: Scenario) -> tuple[str, InlineKeyboardMarkup]:
    text = s.text("roleplay.picker.difficulty", title=scenario.title, summary=scenario.summary)
    buttons = [
        (s.text(f"roleplay.difficulty.{level}"), f"{PREFIX}:go:{scenario.id}:{level}")
        for level in DIFFICULTIES
    ]
    back = [(s.text("roleplay.picker.back"), f"{PREFIX}:pick")]
    return text, inline(buttons, columns=3, extra_rows=[back])


async def _show(
    s: Session, message: Message | None, text: str, markup: InlineKeyboardMarkup
) -> None:
    """Turn the picker message into the next step (a new message if it cannot be edited)."""
    if message is not None:
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except BadRequest as exc:
            log.info("picker not edited: %s", exc.message)
    await s.send(text, markup)


async def _begin(
    s: Session,
    query: CallbackQuery,
    message: Message | None,
    scenario: Scenario,
    state: CallState,
    prefix: str = "",
) -> bool:
    """Store the new call (once per tap, never over the call the rep is in) and open it."""
    origin = tap_origin(s.chat_id, message.message_id if message else None, query.data or "")
    started = await s.deps.storage.roleplay.start(
        s.user_id, state, s.deps.clock(), tap=Tap(query.id, origin), keep=_in_call(s)
    )
    if started == "double":
        await query.answer()
        return True
    if started == "busy":
        await query.answer(s.text("roleplay.busy"), show_alert=True)
        return True
    await s.deps.storage.flows.set(
        s.user_id, FlowState(FLOW, STEP, {"call": started.id}), s.deps.clock()
    )
    await query.answer()
    await _drop_buttons(message)
    if s.deps.llm is not None:
        # Load the model's client library now, not while the rep waits for the first reply.
        await s.deps.llm.prepare()
    await _open(s, scenario, state, prefix)
    return True


def _intro(s: Session, scenario: Scenario, state: CallState) -> str:
    persona = scenario.persona
    return s.text(
        "roleplay.intro",
        title=scenario.title,
        difficulty=s.text(f"roleplay.difficulty.{state.difficulty}"),
        name=persona.name,
        role=persona.role,
        company=persona.company,
        mood=persona.mood,
        goal=scenario.goal,
    )


async def _open(s: Session, scenario: Scenario, state: CallState, prefix: str = "") -> None:
    """The persona and goal, then what the rep answers first."""
    if state.turns:
        # A retry: the customer's line before the weakest moment, as it was said.
        line = customer_line(scenario, state)
        await s.send(prefix + _intro(s, scenario, state) + "\n\n" + _says(s, scenario, line))
        return
    if scenario.starts == "rep":
        situation = s.text("roleplay.situation", situation=opening_line(scenario))
        await s.send(prefix + _intro(s, scenario, state) + "\n\n" + situation)
        return
    await s.send(prefix + _intro(s, scenario, state))
    first = scenario.phases[0]
    request = _request(scenario, state, opening_line(scenario), first.raise_line, history=())
    await s.send(_says(s, scenario, await _spoken(s, request)))


def _says(s: Session, scenario: Scenario, line: str) -> str:
    return s.text("roleplay.customer", name=scenario.persona.name, line=line)


# --- The customer's voice ----------------------------------------------------------------------


def _history(scenario: Scenario, state: CallState) -> tuple[tuple[Speaker, str], ...]:
    """The call so far as said, ending with the rep's last turn."""
    said: list[tuple[Speaker, str]] = []
    if scenario.starts == "customer":
        said.append(("customer", opening_line(scenario)))
    for index, turn in enumerate(state.turns):
        said.append(("rep", turn.text))
        if index < len(state.turns) - 1:
            said.append(("customer", turn.reply))
    return tuple(said)


def _raised(scenario: Scenario, book: Roleplays, before: CallState, after: CallState) -> str | None:
    """The line of the objection the customer raises in this reply, if one is new."""
    new = after.objections_raised[len(before.objections_raised) :]
    if not new or not 0 <= after.phase < len(scenario.phases):
        return None
    phase = scenario.phases[after.phase]
    if phase.raise_line is not None and phase.objections[:1] == new[:1]:
        return phase.raise_line
    return book.objection_lines.get(new[0])


def _request(
    scenario: Scenario,
    state: CallState,
    line: str,
    objection: str | None,
    *,
    history: tuple[tuple[Speaker, str], ...],
) -> CustomerRequest:
    """What the model may know: the practice call, nothing else of the rep."""
    persona = scenario.persona
    phase = scenario.phases[min(state.phase, len(scenario.phases) - 1)]
    return CustomerRequest(
        lang=state.lang,
        name=persona.name,
        role=persona.role,
        company=persona.company,
        mood=persona.mood,
        goal=scenario.goal,
        phase=phase.id,
        objection=objection,
        line=line,
        history=history,
    )


async def _spoken(s: Session, request: CustomerRequest) -> str:
    """The model's line for the customer, or the scripted one (without a word about it)."""
    llm = s.deps.llm
    if llm is None:
        return request.line
    try:
        await s.bot.send_chat_action(s.chat_id, ChatAction.TYPING)
    except TelegramError as exc:
        log.info("typing not shown: %s", type(exc).__name__)
    return await llm.customer_line(request) or request.line


# --- A turn ---------------------------------------------------------------------------------


async def _flow_call(s: Session) -> RoleplayCall | None:
    call_id = _in_call(s)
    return await s.deps.storage.roleplay.get(s.user_id, call_id) if call_id is not None else None


async def answer_text(s: Session, text: str) -> bool:
    """A typed (or transcribed) answer while a call waits: the rep's next turn."""
    if _in_call(s) is None or s.profile is None:
        return False
    call = await _flow_call(s)
    if call is None or not call.running:
        await s.deps.storage.flows.clear(s.user_id)
        return False
    book = _book(s, call.lang)
    scenario = book.get(call.scenario_id)
    if scenario is None:
        await _end_quietly(s, call)
        await s.say("roleplay.gone", main_menu(s.deps.content, s.lang))
        return True
    if not _has_words(text):
        # Nothing said: no turn, the customer still waits for an answer.
        await s.say("roleplay.no_words")
        return True
    try:
        state, reply = answer(
            scenario, book.cues, call.state, text, objection_lines=book.objection_lines
        )
    except EmptyTurnError:
        await s.say("roleplay.no_words")
        return True
    except (CallOverError, StateError):
        await _end_quietly(s, call)
        await s.say("roleplay.gone", main_menu(s.deps.content, s.lang))
        return True
    if state.running:
        objection = _raised(scenario, book, call.state, state)
        request = _request(scenario, state, reply, objection, history=_history(scenario, state))
        spoken = await _spoken(s, request)
        if spoken != reply:
            # What the rep heard is what the next request's history holds.
            last = replace(state.turns[-1], reply=spoken)
            state = replace(state, turns=(*state.turns[:-1], last))
        if not await s.deps.storage.roleplay.save(call, state, s.deps.clock()):
            # Answered or ended elsewhere meanwhile (another process): nothing is overwritten.
            await s.say("roleplay.gone")
            return True
        await s.send(_says(s, scenario, spoken))
        return True
    await _finish(s, call, scenario, state, reply)
    return True


async def _end_quietly(s: Session, call: RoleplayCall) -> None:
    await s.deps.storage.roleplay.cancel(call, cancel(call.state), s.deps.clock())
    await s.deps.storage.flows.clear(s.user_id)


async def _finish(
    s: Session, call: RoleplayCall, scenario: Scenario, state: CallState, last: str
) -> None:
    """Store the result, then the customer's last line and the scorecard."""
    card = score(scenario, state)
    storage, now = s.deps.storage, s.deps.clock()
    outcome = state.ended or "cancelled"
    # The last result before this call: read before this one is stored as ended.
    before = await storage.roleplay.results(s.user_id, scenario.id, 1)
    done = await storage.roleplay.finish(
        call, state, now, outcome=outcome, met=card.met, total=card.total, percent=card.percent
    )
    await storage.flows.clear(s.user_id)
    if not done:
        await s.say("roleplay.gone")
        return
    previous = before[0] if before else None
    # The weakest recent scenario comes back as a practice suggestion on a later working day
    # (stored before the scorecard goes out, so it is there when the rep sees the card).
    await suggest_call(s)
    await s.send(_says(s, scenario, last))
    await s.send(scorecard_text(s, scenario, card, previous), _card_buttons(s, call.id, card))


def scorecard_text(s: Session, scenario: Scenario, card: Scorecard, previous: Result | None) -> str:
    """The end of a call: each criterion, the figures, the trend, the best and weakest line."""
    lines = [s.text("roleplay.card.title", title=scenario.title)]
    lines.append(s.text(f"roleplay.card.outcome.{card.outcome or 'cancelled'}"))
    lines.append("")
    lines += [
        s.text("roleplay.card.criterion", mark="✅" if result.met else "❌", label=result.label)
        for result in card.criteria
    ]
    lines += ["", s.text("roleplay.card.met", met=card.met, total=card.total, percent=card.percent)]
    if previous is None:
        lines.append(s.text("roleplay.card.trend.first"))
    else:
        key = (
            "up"
            if card.percent > previous.percent
            else "down"
            if card.percent < previous.percent
            else "same"
        )
        lines.append(
            s.text(f"roleplay.card.trend.{key}", before=previous.met, before_total=previous.total)
        )
    quotes = []
    # One line cannot be both: when the weakest is the strongest too, only the weakest counts.
    strongest = card.strongest
    if strongest is not None and card.weakest is not None and strongest.index == card.weakest.index:
        strongest = None
    if strongest is not None and strongest.met > 0:
        quotes.append(s.text("roleplay.card.strongest", line=_clip(strongest.text)))
    if card.weakest is not None:
        quotes.append(s.text("roleplay.card.weakest", line=_clip(card.weakest.text)))
        if card.model is not None:
            quotes.append(s.text("roleplay.card.model", model=card.model))
    if quotes:
        lines += ["", *quotes]
    return "\n".join(lines)


def _card_buttons(s: Session, call_id: int, card: Scorecard) -> InlineKeyboardMarkup:
    buttons = [(s.text("roleplay.button.again"), f"{PREFIX}:again:{call_id}")]
    if card.weakest is not None:
        buttons.append((s.text("roleplay.button.retry"), f"{PREFIX}:retry:{call_id}"))
    buttons.append((s.text("roleplay.button.other"), f"{PREFIX}:pick"))
    return inline(buttons, columns=1)


# --- Voice, /cancel ----------------------------------------------------------------------------


async def voice_answer(s: Session, transcribe: Callable[[], Awaitable[str | None]]) -> None:
    """A voice note while a call waits: transcribed and answered like a typed turn."""
    if s.deps.speech is None:
        await s.say("roleplay.voice.type")
        return
    transcript = await transcribe()
    if transcript is None:
        await s.say("roleplay.voice.failed")
        return
    await s.say("roleplay.voice.heard", text=_clip(transcript, TRANSCRIPT_CHARS))
    if not await answer_text(s, transcript):
        await s.say("roleplay.gone")


def in_call(s: Session) -> bool:
    """Whether the waiting mode is a practice call (for /cancel and voice notes)."""
    return _in_call(s) is not None


async def cancel_call(s: Session) -> None:
    """/cancel during a call: it ends as cancelled (no scorecard), with a short note."""
    call = await _flow_call(s)
    if call is not None and call.running:
        await s.deps.storage.roleplay.cancel(call, cancel(call.state), s.deps.clock())
    await s.deps.storage.flows.clear(s.user_id)
    await s.say("roleplay.cancelled", main_menu(s.deps.content, s.lang))


# --- Buttons ------------------------------------------------------------------------------


async def _again(s: Session, query: CallbackQuery, message: Message | None, call_id: int) -> bool:
    call = await s.deps.storage.roleplay.get(s.user_id, call_id)
    scenario = _book(s).get(call.scenario_id) if call is not None else None
    if call is None or scenario is None:
        return False
    state, _ = start(scenario, call.difficulty, s.lang)
    return await _begin(s, query, message, scenario, state)


async def _retry(s: Session, query: CallbackQuery, message: Message | None, call_id: int) -> bool:
    call = await s.deps.storage.roleplay.get(s.user_id, call_id)
    scenario = _book(s, call.lang).get(call.scenario_id) if call is not None else None
    if call is None or scenario is None or call.running:
        return False
    weakest = score(scenario, call.state).weakest
    if weakest is None:
        return False
    state = restart_from(call.state, weakest.index)
    return await _begin(s, query, message, scenario, state, s.text("roleplay.retry") + "\n\n")


async def _resume(s: Session, call_id: int) -> bool:
    call = await s.deps.storage.roleplay.get(s.user_id, call_id)
    scenario = _book(s, call.lang).get(call.scenario_id) if call is not None else None
    if call is None or scenario is None or not call.running:
        return False
    await s.deps.storage.flows.set(
        s.user_id, FlowState(FLOW, STEP, {"call": call.id}), s.deps.clock()
    )
    await s.send(
        _intro(s, scenario, call.state) + "\n\n" + _says(s, scenario, _last(scenario, call))
    )
    return True


def _last(scenario: Scenario, call: RoleplayCall) -> str:
    if not call.state.turns and scenario.starts == "rep":
        return opening_line(scenario)
    return customer_line(scenario, call.state)


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Roleplay buttons: pick a scenario and difficulty, again, retry, resume, another."""
    query = update.callback_query
    assert query is not None
    if s.profile is None or not s.profile.onboarded:
        await stale(query, s)
        return
    message = query.message if isinstance(query.message, Message) else None
    parts = (query.data or "").split(":")[1:]
    action, args = (parts[0], parts[1:]) if parts else ("", [])
    if action in ("pick", "s") and in_call(s):
        # An old picker or scorecard must not lead away from the call the rep is in.
        await query.answer(s.text("roleplay.busy"), show_alert=True)
        return
    book = _book(s)
    done = True
    match action, args:
        case "pick", []:
            await query.answer()
            await _show(s, message, *_picker(s))
            return
        case "s", [scenario_id] if (scenario := book.get(scenario_id)) is not None:
            await query.answer()
            await _show(s, message, *_difficulties(s, scenario))
            return
        case "go", [scenario_id, level] if (
            level in DIFFICULTIES and (scenario := book.get(scenario_id)) is not None
        ):
            state, _ = start(scenario, level, s.lang)
            done = await _begin(s, query, message, scenario, state)
        case "again", [raw] if (call_id := _int(raw)) is not None:
            done = await _again(s, query, message, call_id)
        case "retry", [raw] if (call_id := _int(raw)) is not None:
            done = await _retry(s, query, message, call_id)
        case "resume", [raw] if (call_id := _int(raw)) is not None:
            done = await _resume(s, call_id)
            if done:
                await query.answer()
                await _drop_buttons(message)
        case _:
            done = False
    if not done:
        await stale(query, s)


async def _drop_buttons(message: Message | None) -> None:
    if message is None:
        return
    try:
        await message.edit_reply_markup(None)
    except BadRequest as exc:
        log.info("buttons not removed: %s", exc.message)
