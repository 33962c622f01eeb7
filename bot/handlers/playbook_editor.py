"""/playbook: team leads add or edit their own objection entries, step by step in the chat or
by uploading a YAML file; either way the whole team playbook is validated, and a bad one
changes nothing.

The chat flow is stored (flow "team"), so a restart continues it. Adding asks, one step at a
time: language, phrasings, category, meaning, strategy, replies, question back, what not to
say; then a preview with save and cancel. Editing picks a team entry, then one field. Nothing
is stored in the playbook before "save".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.coach.objections import Playbook
from bot.content import Raw
from bot.handlers import team_scenarios
from bot.handlers.context import Session, with_session
from bot.handlers.flows import quote, stale
from bot.handlers.keyboards import inline, main_menu
from bot.handlers.objections import render_entry
from bot.playbook import (
    DRAFT_ENTRY_TOO_LONG,
    DRAFT_FIELDS,
    ENOUGH_REPLIES,
    MAX_TEAM_BYTES,
    Answer,
    PlaybookError,
    build_team_playbook,
    check_answer,
    check_done,
    draft_entry,
    draft_fits,
    entry_values,
    new_entry_id,
    parse_team_playbook,
)
from bot.storage import FlowState
from bot.team_scenarios import load, looks_like_scenarios

# An admin fixes a file faster from a few precise problems than from a wall of them.
SHOWN_PROBLEMS = 5
FLOW: Final = "team"
# Button data: "pb:<action>[:<value>]".
PREFIX: Final = "pb"
ADD: Final = "add"
EDIT: Final = "edit"
# Steps besides the draft's fields (bot.playbook.DRAFT_FIELDS).
LANG: Final = "lang"
PICK: Final = "pick"
FIELD: Final = "field"
PREVIEW: Final = "preview"


async def is_admin(s: Session) -> bool:
    """Whether the user is an admin (ADMIN_IDS, or made one through the owner link)."""
    return await s.deps.is_admin(s.user_id)


def _menu(s: Session) -> InlineKeyboardMarkup:
    return inline(
        [
            (s.text("team.button.add"), f"{PREFIX}:{ADD}"),
            (s.text("team.button.edit"), f"{PREFIX}:{EDIT}"),
        ],
        columns=2,
        extra_rows=[
            [(s.text("team.button.download"), f"{PREFIX}:dl")],
            [(s.text("team.scenarios.button"), f"{PREFIX}:sc")],
        ],
    )


@with_session
async def playbook_command(update: Update, s: Session) -> None:
    """/playbook: what the team playbook holds, and how to change it (admins only)."""
    if not await is_admin(s):
        await s.say("team.admins_only")
        return
    team = s.deps.team_playbooks.get(s.lang)
    scenarios = len(s.deps.team_scenarios.get(s.lang, ()))
    await s.say(
        "team.status", _menu(s), count=len(team.entries) if team else 0, scenarios=scenarios
    )


def _problems(s: Session, error: PlaybookError) -> Raw:
    lines = [
        s.text("team.problem", where=where or "–", problem=s.text(key))
        for where, key in error.pairs[:SHOWN_PROBLEMS]
    ]
    return Raw("\n".join(lines))


@with_session
async def on_document(update: Update, s: Session) -> None:
    """A file: from an admin, a team playbook or team scenarios to validate and put in force;
    else not understood."""
    message = update.effective_message
    document = message.document if message else None
    if document is None or not await is_admin(s):
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
    if looks_like_scenarios(load(source)):
        # Practice-call scenarios, not playbook entries (a playbook is a list or has entries).
        await team_scenarios.upload(s, source)
        return
    result = parse_team_playbook(source, s.lang)
    if not isinstance(result, Playbook):
        await s.say("team.refused", problems=_problems(s, result))
        return
    await s.deps.storage.team_playbooks.put(s.lang, source, s.user_id, s.deps.clock())
    s.deps.use_team_playbook(result)
    await s.say("team.saved", count=len(result.entries))


# --- The guided flow ---------------------------------------------------------------------------

# Which step a button belongs to: a button of an earlier question does nothing.
_BUTTON_STEPS: Final = {
    "l": LANG,
    "e": PICK,
    "f": FIELD,
    "c": "category",
    "done": "replies",
    "save": PREVIEW,
    "more": PREVIEW,
}


def _language_name(s: Session, lang: str) -> str:
    return s.deps.content.text(lang, "meta.name")


def _lang(s: Session, state: FlowState) -> str:
    lang = str(state.data.get("lang", ""))
    return lang if lang in s.deps.playbooks else s.lang


def _draft(state: FlowState) -> dict[str, Any]:
    draft = state.data.get("draft")
    return dict(draft) if isinstance(draft, Mapping) else {}


def _collected(state: FlowState) -> list[str]:
    return [str(item) for item in state.data.get("collected", ())]


def _with(state: FlowState, step: str, **changes: Any) -> FlowState:
    """The state at another step, with some of its data changed."""
    return FlowState(FLOW, step, {**state.data, **changes})


def _shown(value: Any) -> str:
    return "\n".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _question(s: Session, state: FlowState) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons that ask for the state's step."""
    step, lang = state.step, _lang(s, state)
    if step == LANG:
        buttons = [
            (s.deps.content.text(code, "meta.flag_name"), f"{PREFIX}:l:{code}")
            for code in s.deps.playbooks
        ]
        return s.text("team.ask.lang"), inline(buttons, columns=2)
    if step == PICK:
        team = s.deps.team_playbooks.get(lang)
        entries = team.entries if team else ()
        buttons = [(quote(e.phrasings[0]), f"{PREFIX}:e:{e.id}") for e in entries]
        return s.text("team.ask.pick"), inline(buttons, columns=1)
    if step == FIELD:
        buttons = [(s.text(f"team.field.{name}"), f"{PREFIX}:f:{name}") for name in DRAFT_FIELDS]
        title = draft_entry(_draft(state)).phrasings[:1] or ("",)
        return s.text("team.ask.field", title=title[0]), inline(buttons, columns=2)
    if step == PREVIEW:
        return _preview(s, state)
    text = s.text(f"team.ask.{step}")
    current = _draft(state).get(step)
    if state.data.get("mode") == EDIT and current and step != "category":
        text += "\n\n" + s.text("team.current", value=_shown(current))
    if step == "category":
        categories = s.deps.playbooks[lang].categories
        buttons = [(s.text(f"objection.category.{c}"), f"{PREFIX}:c:{c}") for c in categories]
        return text, inline(buttons, columns=2)
    collected = _collected(state)
    if step == "replies" and collected:
        text = s.text("team.ask.replies_more", count=len(collected))
        if check_done(step, collected).key is None:
            return text, inline([(s.text("team.button.done"), f"{PREFIX}:done")])
    return text, None


def _preview(s: Session, state: FlowState) -> tuple[str, InlineKeyboardMarkup]:
    entry = draft_entry(_draft(state))
    text = s.text(
        "team.preview",
        language=_language_name(s, _lang(s, state)),
        category=s.text(f"objection.category.{entry.category}"),
    )
    if len(entry.phrasings) > 1:
        others = "\n".join(f"• {phrasing}" for phrasing in entry.phrasings[1:])
        text += "\n" + s.text("team.preview_also", phrasings=others)
    text += "\n\n" + render_entry(s, entry) + "\n\n" + s.text("team.preview_question")
    more = [[(s.text("team.button.more"), f"{PREFIX}:more")]]
    markup = inline(
        [
            (s.text("team.button.save"), f"{PREFIX}:save"),
            (s.text("team.button.cancel"), f"{PREFIX}:cancel"),
        ],
        columns=2,
        extra_rows=more if state.data.get("mode") == EDIT else (),
    )
    return text, markup


async def _send_question(s: Session, state: FlowState, prefix: str = "") -> None:
    text, markup = _question(s, state)
    await s.send(prefix + text, markup)


async def _ask(s: Session, state: FlowState) -> None:
    """Store the flow's next step, then ask it."""
    await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())
    await _send_question(s, state)


async def _reject(s: Session, state: FlowState, answer: Answer) -> None:
    """Say what is wrong with the answer and ask the same step again."""
    assert answer.key is not None
    await _send_question(s, state, s.text(answer.key, limit=answer.limit) + "\n\n")


def _next_step(state: FlowState) -> str:
    """After a field: the next field when adding, the preview when editing one field."""
    if state.data.get("mode") == EDIT or state.step not in DRAFT_FIELDS:
        return PREVIEW
    index = DRAFT_FIELDS.index(state.step) + 1
    return DRAFT_FIELDS[index] if index < len(DRAFT_FIELDS) else PREVIEW


async def _accept(s: Session, state: FlowState, value: str | tuple[str, ...]) -> None:
    """Put a checked value into the draft and go on, unless the entry would grow too long."""
    draft = {**_draft(state), state.step: list(value) if isinstance(value, tuple) else value}
    if not draft_fits(draft):
        await _reject(s, state, Answer(key=DRAFT_ENTRY_TOO_LONG))
        return
    await _ask(s, _with(state, _next_step(state), draft=draft, collected=[]))


async def _take_text(s: Session, state: FlowState, text: str) -> None:
    """A typed answer to a text or list field."""
    step = state.step
    collected = _collected(state) if step == "replies" else []
    if step == "replies" and text.strip().casefold() in _done_words(s):
        await _take_done(s, state)
        return
    answer = check_answer(step, text, collected)
    if answer.key is not None or answer.value is None:
        await _reject(s, state, answer)
    elif step == "replies" and len(answer.value) < ENOUGH_REPLIES:
        # Replies may come one message each: keep them and ask for the next (or "done").
        await _ask(s, _with(state, step, collected=list(answer.value)))
    else:
        await _accept(s, state, answer.value)


async def _take_done(s: Session, state: FlowState) -> None:
    answer = check_done(state.step, _collected(state))
    if answer.value is None:
        await _reject(s, state, answer)
    else:
        await _accept(s, state, answer.value)


def _done_words(s: Session) -> set[str]:
    return {word.casefold() for word in s.deps.content.list(s.lang, "team.done_words")}


def _typed_language(s: Session, text: str) -> str | None:
    typed = text.strip().casefold()
    for code in s.deps.playbooks:
        names = {s.deps.content.text(code, "meta.name"), *s.deps.content.list(code, "meta.aliases")}
        if typed in {name.casefold() for name in names}:
            return code
    return None


async def _choose_language(s: Session, state: FlowState, lang: str) -> None:
    if state.data.get("mode") != EDIT:
        await _ask(s, _with(state, DRAFT_FIELDS[0], lang=lang, draft={}, collected=[]))
        return
    team = s.deps.team_playbooks.get(lang)
    if team is None or not team.entries:
        await s.deps.storage.flows.clear(s.user_id)
        await s.say("team.no_entries", _menu(s), language=_language_name(s, lang))
        return
    await _ask(s, _with(state, PICK, lang=lang))


async def _stored_team(s: Session, lang: str) -> Playbook | None:
    """The team playbook as stored (another process may have changed it), else as in force."""
    source = (await s.deps.storage.team_playbooks.all()).get(lang)
    if source is not None:
        stored = parse_team_playbook(source, lang)
        if isinstance(stored, Playbook):
            return stored
    return s.deps.team_playbooks.get(lang)


async def _save(s: Session, state: FlowState) -> None:
    """Validate the team playbook with the draft in it like an upload; store it, put it in force."""
    draft, lang = _draft(state), _lang(s, state)
    missing = [name for name in DRAFT_FIELDS if name not in draft]
    if missing:
        await _ask(s, _with(state, missing[0]))
        return
    team = await _stored_team(s, lang)
    entry_id = str(state.data.get("id") or "")
    if not entry_id:
        taken = {*(team.ids if team else ()), *s.deps.playbooks[lang].ids}
        entry_id = new_entry_id(str(draft["phrasings"][0]), taken)
    source, result = build_team_playbook(team, {**draft, "id": entry_id}, lang)
    if isinstance(result, PlaybookError):
        await s.say("team.draft_refused", problems=_problems(s, result))
        await _send_question(s, state)
        return
    await s.deps.storage.team_playbooks.put(lang, source, s.user_id, s.deps.clock())
    s.deps.use_team_playbook(result)
    await s.deps.storage.flows.clear(s.user_id)
    await s.say(
        "team.entry_saved",
        main_menu(s.deps.content, s.lang),
        title=str(draft["phrasings"][0]),
        language=_language_name(s, lang),
        count=len(result.entries),
    )


async def _download(s: Session) -> None:
    """Send each stored team playbook as a YAML file, to edit and upload again."""
    sources = await s.deps.storage.team_playbooks.all()
    if not sources:
        await s.say("team.download_none")
        return
    for lang, source in sorted(sources.items()):
        await s.bot.send_document(
            s.chat_id,
            source.encode("utf-8"),
            filename=f"team-playbook-{lang}.yaml",
            caption=s.text("team.download_caption", language=_language_name(s, lang)),
        )


async def answer_text(s: Session, text: str) -> bool:
    """A typed answer to the open step of the team-playbook flow; False when it is not open."""
    state = s.flow
    if state is None or state.flow != FLOW:
        return False
    if not await is_admin(s):
        await s.deps.storage.flows.clear(s.user_id)
        await s.say("team.admins_only")
    elif state.step in DRAFT_FIELDS and state.step != "category":
        await _take_text(s, state, text)
    elif state.step == LANG and (lang := _typed_language(s, text)):
        await _choose_language(s, state, lang)
    else:
        await _send_question(s, state, s.text("team.error.buttons") + "\n\n")
    return True


async def _close_buttons(s: Session, message: Message | None) -> None:
    """Take the buttons off an answered question, so they cannot be tapped twice."""
    if message is None:
        return
    try:
        await s.bot.edit_message_reply_markup(s.chat_id, message.message_id)
    except BadRequest as exc:
        if "not modified" not in str(exc) and "not found" not in str(exc):
            raise


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Team-playbook buttons ("pb:<action>[:<value>]"): start, answer a step, save, cancel."""
    query = update.callback_query
    assert query is not None
    _, action, value = [*(query.data or "").split(":", 2), "", ""][:3]
    if not await is_admin(s):
        await query.answer(s.text("team.admins_only"), show_alert=True)
        return
    if action in (ADD, EDIT):
        await query.answer()
        await _ask(s, FlowState(FLOW, LANG, {"mode": action}))
        return
    if action == "dl":
        await query.answer()
        await _download(s)
        return
    if action == "sc":
        await query.answer()
        await team_scenarios.download(s)
        return
    state = s.flow if s.flow is not None and s.flow.flow == FLOW else None
    expected = _BUTTON_STEPS.get(action)
    if state is None or (action != "cancel" and (expected is None or state.step != expected)):
        await stale(query, s)
        return
    if not await _pressed(s, state, action, value):
        await stale(query, s)
        return
    await query.answer()
    await _close_buttons(s, query.message if isinstance(query.message, Message) else None)


async def _pressed(s: Session, state: FlowState, action: str, value: str) -> bool:
    """Act on a button of the open step; False when its value no longer fits."""
    lang = _lang(s, state)
    match action:
        case "l" if value in s.deps.playbooks:
            await _choose_language(s, state, value)
        case "e" if (team := s.deps.team_playbooks.get(lang)) and (entry := team.get(value)):
            await _ask(s, _with(state, FIELD, id=entry.id, draft=entry_values(entry)))
        case "f" if value in DRAFT_FIELDS:
            await _ask(s, _with(state, value, collected=[]))
        case "c" if value in s.deps.playbooks[lang].categories:
            await _accept(s, state, value)
        case "done":
            await _take_done(s, state)
        case "save":
            await _save(s, state)
        case "more":
            await _ask(s, _with(state, FIELD))
        case "cancel":
            await s.deps.storage.flows.clear(s.user_id)
            await s.say("common.cancelled", main_menu(s.deps.content, s.lang))
        case _:
            return False
    return True
