"""/contacts (/kontakte): the rep's prospects and customers. Add one in a message ("Müller,
Bäckerei Sonnenschein, 0171 2345678"), page through the list, search by typing while it is
open, and on a contact's card log a touch, change the channel, edit or archive."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.coach.activity import parse_log
from bot.coach.contacts import (
    FIELDS,
    ContactDraft,
    ContactError,
    Field,
    Searchable,
    parse_contact,
    parse_field,
    search_contacts,
)
from bot.coach.followups import CHANNELS, DEFAULT_CHANNEL
from bot.handlers.calendars import today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import quote, stale
from bot.handlers.followups import (
    channel_label,
    clip,
    outcome_rows,
    reason_short,
    refresh_reminders,
    since,
    still_open,
    unremind,
)
from bot.handlers.keyboards import inline
from bot.storage import FlowState
from bot.storage.contacts import OPEN, Contact

log = logging.getLogger(__name__)

FLOW: Final = "contacts"
# Steps: waiting for a new contact; the list is open (typing searches it); a field is edited.
ADD: Final = "add"
LIST: Final = "list"
EDIT: Final = "edit"
# Button data: "c:<action>[:<id>…]".
PREFIX: Final = "c"
PAGE_SIZE: Final = 8
NOTE_SHOWN: Final = 300
# A search text kept to add it as a contact in one tap; longer ones are typed again.
QUERY_KEPT: Final = 500


def _int(value: str) -> int | None:
    # Button data can be forged: only plain ASCII digits of a sane length are an id.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _onboarded(s: Session) -> bool:
    return s.profile is not None and s.profile.onboarded


def _label(s: Session, contact: Contact) -> str:
    """A contact on a button: status icon, name and company (plain text, not HTML)."""
    icon = s.text(f"contacts.icon.{contact.status}")
    company = f" · {clip(contact.company, 18)}" if contact.company else ""
    return f"{icon} {clip(contact.name)}{company}"


def _error(s: Session, error: ContactError) -> str:
    field = s.text(f"contacts.field.{error.field}")
    return s.text(f"contacts.error.{error.problem}", field=field, limit=error.limit)


async def _set(s: Session, step: str, data: Mapping[str, object] | None = None) -> None:
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, step, data or {}), s.deps.clock())


async def _edit(message: Message | None, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if message is None:
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        log.info("contact message not edited: %s", exc.message)


async def _edit_markup(message: Message | None, markup: InlineKeyboardMarkup | None) -> None:
    if message is None:
        return
    try:
        await message.edit_reply_markup(markup)
    except BadRequest as exc:
        log.info("contact buttons not changed: %s", exc.message)


# --- List and search ---------------------------------------------------------------------------


def _bottom(s: Session) -> list[tuple[str, str]]:
    return [
        (s.text("contacts.button.new"), f"{PREFIX}:n"),
        (s.text("contacts.button.due"), "f:l:0"),
    ]


async def list_view(s: Session, page: int) -> tuple[str, InlineKeyboardMarkup] | None:
    """One page of the list, by name, with paging; None when the rep has no contacts."""
    repo = s.deps.storage.contacts
    total = await repo.count(s.user_id)
    if total == 0:
        return None
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = await repo.page(s.user_id, page * PAGE_SIZE, PAGE_SIZE)
    text = "\n".join(
        [
            s.deps.content.plural(s.lang, "contacts.list.title", total, page=page + 1, pages=pages),
            s.text("contacts.list.hint"),
        ]
    )
    rows = [[(_label(s, c), f"{PREFIX}:o:{c.id}")] for c in shown]
    if pages > 1:
        rows.append(
            [
                ("◀️", f"{PREFIX}:l:{(page - 1) % pages}"),
                (f"{page + 1}/{pages}", f"{PREFIX}:l:{page}"),
                ("▶️", f"{PREFIX}:l:{(page + 1) % pages}"),
            ]
        )
    rows.append(_bottom(s))
    return text, inline([], extra_rows=rows)


async def show_list(s: Session, page: int = 0, message: Message | None = None) -> None:
    """The list (typing searches it), or the first question when there are no contacts yet."""
    view = await list_view(s, page)
    if view is None:
        await ask_new(s, first=True)
        return
    await _set(s, LIST, since(s.deps.clock()))
    text, markup = view
    if message is not None:
        await _edit(message, text, markup)
    else:
        await s.send(text, markup)


async def ask_new(s: Session, first: bool = False) -> None:
    """Wait for a new contact in one message."""
    await _set(s, ADD)
    await s.say("contacts.add.first" if first else "contacts.add.ask")


async def search(s: Session, text: str) -> None:
    """Contacts matching a typed text; none found offers to add the text as a contact."""
    contacts = await s.deps.storage.contacts.listed(s.user_id)
    by_id = {c.id: c for c in contacts}
    found = search_contacts([Searchable(c.id, c.name, c.company, c.phone) for c in contacts], text)
    if found:
        await _set(s, LIST, since(s.deps.clock()))
        rows = [[(_label(s, by_id[i]), f"{PREFIX}:o:{i}")] for i in found]
        rows.append([(s.text("contacts.button.list"), f"{PREFIX}:l:0"), *_bottom(s)[:1]])
        key = "contacts.search.found"
        await s.send(
            s.deps.content.plural(s.lang, key, len(found), query=quote(text)),
            inline([], extra_rows=rows),
        )
        return
    draft = parse_contact(text) if len(text) <= QUERY_KEPT else None
    addable = isinstance(draft, ContactDraft)
    await _set(s, LIST, {**since(s.deps.clock()), **({"q": text} if addable else {})})
    rows = [[(s.text("contacts.button.list"), f"{PREFIX}:l:0")]]
    if addable:
        assert isinstance(draft, ContactDraft)
        rows.insert(
            0, [(s.text("contacts.button.add_query", name=clip(draft.name)), f"{PREFIX}:q")]
        )
    await s.say("contacts.search.none", inline([], extra_rows=rows), query=quote(text))


# --- Adding, the card --------------------------------------------------------------------------


async def add(s: Session, text: str) -> None:
    """Store a contact typed in one message and show its card; explain what is wrong if not."""
    draft = parse_contact(text)
    if isinstance(draft, ContactError):
        await _set(s, ADD)
        await s.send(_error(s, draft) + "\n\n" + s.text("contacts.add.again"))
        return
    contact = await s.deps.storage.contacts.add(s.user_id, draft, s.deps.clock())
    await s.deps.storage.flows.clear(s.user_id)
    await send_card(s, contact, s.text("contacts.added", name=contact.name))


async def card_text(s: Session, contact: Contact) -> str:
    """Name, company, phone, note, status, the touches so far and the next planned one."""
    repo = s.deps.storage.contacts
    lines = [s.text("contacts.card.name", name=contact.name)]
    if contact.company:
        lines.append(s.text("contacts.card.company", company=contact.company))
    if contact.phone:
        lines.append(s.text("contacts.card.phone", phone=contact.phone))
    if contact.note:
        note = contact.note if len(contact.note) <= NOTE_SHOWN else contact.note[:NOTE_SHOWN] + "…"
        lines.append(s.text("contacts.card.note", note=note))
    lines.append(
        s.text(
            "contacts.card.status",
            icon=s.text(f"contacts.icon.{contact.status}"),
            status=s.text(f"contacts.status.{contact.status}"),
            kind=s.text(f"contacts.kind.{contact.kind}"),
        )
    )
    touches = await repo.touches(s.user_id, contact.id)
    if touches:
        last = touches[-1]
        assert s.profile is not None
        lines.append(
            s.deps.content.plural(
                s.lang,
                "contacts.card.touches",
                len(touches),
                day=s.day_label(today_of(s.profile, last.created_at)),
                outcome=s.text(f"followups.outcome.{last.outcome}"),
                channel=channel_label(s, last.channel),
            )
        )
    else:
        lines.append(s.text("contacts.card.no_touches"))
    planned = [f for f in await repo.planned(s.user_id, contact.id) if f.status == OPEN]
    if planned:
        upcoming = planned[0]
        lines.append(
            s.text(
                "contacts.card.next",
                day=s.day_label(upcoming.due),
                what=reason_short(s, upcoming.reason, upcoming.attempts),
            )
        )
    else:
        lines.append(s.text("contacts.card.nothing_planned"))
    return "\n".join(lines)


def card_markup(
    s: Session, contact: Contact, channel: str = DEFAULT_CHANNEL
) -> InlineKeyboardMarkup:
    """Outcome buttons over `channel`, the channel switch, edit, archive, list and new."""
    rows = outcome_rows(s, contact.id, channel)
    rows.append(
        [
            (
                s.text("contacts.button.channel", channel=channel_label(s, channel)),
                f"{PREFIX}:ch:{contact.id}:{channel}",
            )
        ]
    )
    rows.append(
        [
            (s.text("contacts.button.edit"), f"{PREFIX}:e:{contact.id}:{channel}"),
            (s.text("contacts.button.archive"), f"{PREFIX}:a:{contact.id}"),
        ]
    )
    rows.append(
        [
            (s.text("contacts.button.list"), f"{PREFIX}:l:0"),
            (s.text("contacts.button.new"), f"{PREFIX}:n"),
        ]
    )
    return inline([], extra_rows=rows)


async def send_card(s: Session, contact: Contact, prefix: str = "") -> None:
    """Send a contact's card with its buttons."""
    text = await card_text(s, contact)
    hint = s.text("contacts.card.hint")
    await s.send("\n\n".join(p for p in (prefix, text, hint) if p), card_markup(s, contact))


def _channel_picker(s: Session, contact: Contact, current: str) -> InlineKeyboardMarkup:
    buttons = [
        (("✓ " if c == current else "") + channel_label(s, c), f"{PREFIX}:cs:{contact.id}:{c}")
        for c in CHANNELS
    ]
    back = [(s.text("contacts.button.back"), f"{PREFIX}:cs:{contact.id}:{current}")]
    return inline(buttons, columns=2, extra_rows=[back])


def _edit_picker(s: Session, contact: Contact, channel: str) -> InlineKeyboardMarkup:
    buttons = [(s.text(f"contacts.field.{f}"), f"{PREFIX}:ef:{contact.id}:{f}") for f in FIELDS]
    other = "prospect" if contact.kind == "customer" else "customer"
    extra = [
        [(s.text(f"contacts.button.make_{other}"), f"{PREFIX}:k:{contact.id}:{channel}")],
        [(s.text("contacts.button.back"), f"{PREFIX}:cs:{contact.id}:{channel}")],
    ]
    return inline(buttons, columns=2, extra_rows=extra)


async def _ask_field(s: Session, contact: Contact, field: str) -> None:
    await _set(s, EDIT, {"contact": contact.id, "field": field})
    current = getattr(contact, field)
    key = "contacts.edit.ask_name" if field == "name" else "contacts.edit.ask"
    await s.say(
        key,
        field=s.text(f"contacts.field.{field}"),
        current=current if current else s.text("contacts.edit.empty"),
    )


async def _archive(s: Session, contact: Contact, message: Message | None) -> None:
    archived, dropped = await s.deps.storage.contacts.archive(
        s.user_id, contact.id, True, s.deps.clock()
    )
    await unremind(s, dropped)
    if archived is None:
        return
    undo = inline([(s.text("contacts.button.unarchive"), f"{PREFIX}:u:{contact.id}")])
    text = s.text("contacts.archived", name=contact.name)
    if message is not None:
        await _edit(message, text, undo)
    else:
        await s.send(text, undo)


# --- Commands, buttons, typed answers ----------------------------------------------------------


@with_session
async def contacts_command(update: Update, s: Session) -> None:
    """/contacts [contact]: add the contact given, else show the list."""
    if not _onboarded(s):
        await s.say("common.start_first")
        return
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1) if message else []
    if len(words) == 2:
        await add(s, words[1])
        return
    await show_list(s)


async def _contact(s: Session, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    contact = await s.deps.storage.contacts.get(s.user_id, contact_id)
    return contact if contact is not None and not contact.archived else None


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Contact buttons: list pages, open a card, new, add the searched text, channel, edit,
    kind, archive and undo."""
    query = update.callback_query
    assert query is not None
    if not _onboarded(s):
        await stale(query, s)
        return
    message = query.message if isinstance(query.message, Message) else None
    parts = (query.data or "").split(":")[1:]
    action, args = (parts[0], parts[1:]) if parts else ("", [])
    first = _int(args[0]) if args else None
    contact = await _contact(s, first) if action not in ("l", "u") else None
    channel = args[1] if len(args) == 2 and args[1] in CHANNELS else DEFAULT_CHANNEL
    done = True
    match action, args:
        case "l", [_] if first is not None:
            await show_list(s, first, message)
        case "n", []:
            await ask_new(s)
        case "q", []:
            text = s.flow.data.get("q") if s.flow is not None and s.flow.flow == FLOW else None
            done = isinstance(text, str)
            if isinstance(text, str):
                await add(s, text)
        case "o", [_] if contact is not None:
            await send_card(s, contact)
        case "ch", [_, _] if contact is not None:
            await _edit_markup(message, _channel_picker(s, contact, channel))
        case "cs", [_, _] if contact is not None:
            await _edit_markup(message, card_markup(s, contact, channel))
        case "e", [_, _] if contact is not None:
            await _edit_markup(message, _edit_picker(s, contact, channel))
        case "ef", [_, str(field)] if contact is not None and field in FIELDS:
            await _ask_field(s, contact, field)
        case "k", [_, _] if contact is not None:
            kind = "prospect" if contact.kind == "customer" else "customer"
            changed = await s.deps.storage.contacts.update(
                s.user_id, contact.id, s.deps.clock(), kind=kind
            )
            if changed is not None:
                hint = s.text("contacts.card.hint")
                await _edit(
                    message,
                    await card_text(s, changed) + "\n\n" + hint,
                    card_markup(s, changed, channel),
                )
        case "a", [_] if contact is not None:
            await _archive(s, contact, message)
        case "u", [_] if first is not None:
            restored, _ = await s.deps.storage.contacts.archive(
                s.user_id, first, False, s.deps.clock()
            )
            done = restored is not None
            if restored is not None:
                await _edit_markup(message, None)
                await send_card(s, restored, s.text("contacts.restored", name=restored.name))
        case _:
            done = False
    if done:
        await query.answer()
    else:
        await stale(query, s)


async def answer_text(s: Session, text: str) -> bool:
    """A typed text while /contacts waits: a new contact, a search, or an edited field."""
    state = s.flow
    if state is None or state.flow != FLOW or not _onboarded(s):
        return False
    if state.step == ADD:
        await add(s, text)
        return True
    if state.step == LIST:
        if not still_open(state.data, s.deps.clock()):
            await s.deps.storage.flows.clear(s.user_id)
            return False  # the list was opened long ago: the text is meant for something else
        if not any(ch.isalpha() for ch in text) and parse_log(text) is not None:
            return False  # "12 3 1" logs numbers; a phone number is searched
        await search(s, text)
        return True
    if state.step == EDIT:
        return await _edited(s, state, text)
    await s.deps.storage.flows.clear(s.user_id)
    return False


async def _edited(s: Session, state: FlowState, text: str) -> bool:
    contact_id = state.data.get("contact")
    field = _field(state.data.get("field"))
    contact = await _contact(s, contact_id if isinstance(contact_id, int) else None)
    if contact is None or field is None:
        await s.deps.storage.flows.clear(s.user_id)
        return False
    value = parse_field(field, text)
    if isinstance(value, ContactError):
        await s.send(_error(s, value) + "\n\n" + s.text("contacts.edit.again"))
        return True
    changed = await s.deps.storage.contacts.update(
        s.user_id, contact.id, s.deps.clock(), **{field: value}
    )
    await s.deps.storage.flows.clear(s.user_id)
    if changed is not None:
        await refresh_reminders(s, changed)
        await send_card(s, changed, s.text("contacts.saved"))
    return True


def _field(value: object) -> Field | None:
    for field in FIELDS:
        if field == value:
            return field
    return None
