"""/contacts (/kontakte): the rep's prospects and customers. Add one in a message ("Müller,
Bäckerei Sonnenschein, 0171 2345678"), page through the list, search by typing while it is
open, and on a contact's card log a touch, change the channel, edit or archive.

Nothing typed is lost or doubled without a word: a contact without a name keeps the rest and
asks for the name; one that repeats a stored contact (same name and company, or same phone)
offers to open that one or to add it anyway. Archived contacts have their own list, are found
by search (marked 🗄) and come back from their card."""

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
    draft_data,
    draft_from,
    parse_contact,
    parse_field,
    same_contact,
    search_contacts,
    with_name,
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
# Stored contacts a new one repeats, offered to open instead.
SAME_SHOWN: Final = 3
# Buttons whose first number is a page, not a contact.
LISTS: Final = ("l", "ar", "u")


def _int(value: str) -> int | None:
    # Button data can be forged: only plain ASCII digits of a sane length are an id.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _onboarded(s: Session) -> bool:
    return s.profile is not None and s.profile.onboarded


def _label(s: Session, contact: Contact) -> str:
    """A contact on a button: status icon (🗄 when archived), name and company (plain text)."""
    icon = s.text(
        "contacts.icon.archived" if contact.archived else f"contacts.icon.{contact.status}"
    )
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


def _paging(page: int, pages: int, action: str) -> list[tuple[str, str]]:
    return [
        ("◀️", f"{PREFIX}:{action}:{(page - 1) % pages}"),
        (f"{page + 1}/{pages}", f"{PREFIX}:{action}:{page}"),
        ("▶️", f"{PREFIX}:{action}:{(page + 1) % pages}"),
    ]


async def list_view(
    s: Session, page: int, archived: bool = False
) -> tuple[str, InlineKeyboardMarkup] | None:
    """One page of the list (or of the archive), by name, with paging; None when the rep has
    no contacts at all."""
    repo = s.deps.storage.contacts
    total = await repo.count(s.user_id, archived=archived)
    stored = total if archived else await repo.count(s.user_id, archived=True)
    if total == 0 and (archived or stored == 0):
        return None if stored == 0 else await list_view(s, 0, archived=not archived)
    if total == 0:
        # Everything is archived: say so, and offer the archive, not an empty list.
        text = s.deps.content.plural(s.lang, "contacts.list.all_archived", stored)
        rows = [[(s.text("contacts.button.archive_list", n=stored), f"{PREFIX}:ar:0")]]
        return text, inline([], extra_rows=[*rows, _bottom(s)[:1]])
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = await repo.page(s.user_id, page * PAGE_SIZE, PAGE_SIZE, archived=archived)
    key = "contacts.archive_list" if archived else "contacts.list"
    text = "\n".join(
        [
            s.deps.content.plural(s.lang, f"{key}.title", total, page=page + 1, pages=pages),
            s.text(f"{key}.hint"),
        ]
    )
    rows = [[(_label(s, c), f"{PREFIX}:o:{c.id}")] for c in shown]
    if pages > 1:
        rows.append(_paging(page, pages, "ar" if archived else "l"))
    if archived:
        rows.append([(s.text("contacts.button.list"), f"{PREFIX}:l:0"), *_bottom(s)[:1]])
    else:
        rows.append(_bottom(s))
        if stored:
            rows.append([(s.text("contacts.button.archive_list", n=stored), f"{PREFIX}:ar:0")])
    return text, inline([], extra_rows=rows)


async def show_list(
    s: Session, page: int = 0, message: Message | None = None, archived: bool = False
) -> None:
    """The list or the archive (typing searches both), or the first question when there are
    no contacts yet."""
    view = await list_view(s, page, archived)
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


def _searchable(contacts: list[Contact]) -> list[Searchable]:
    return [Searchable(c.id, c.name, c.company, c.phone) for c in contacts]


async def finds(s: Session, text: str) -> bool:
    """Whether a typed text finds any of the rep's contacts (archived ones too)."""
    everyone = await s.deps.storage.contacts.everyone(s.user_id)
    return bool(search_contacts(_searchable(everyone), text, limit=1))


async def search(s: Session, text: str) -> None:
    """Contacts matching a typed text, archived ones too (marked, to restore from their card);
    none found offers to add the text as a contact."""
    contacts = await s.deps.storage.contacts.everyone(s.user_id)
    by_id = {c.id: c for c in contacts}
    found = search_contacts(_searchable(contacts), text)
    if found:
        await _set(s, LIST, since(s.deps.clock()))
        rows = [[(_label(s, by_id[i]), f"{PREFIX}:o:{i}")] for i in found]
        rows.append([(s.text("contacts.button.list"), f"{PREFIX}:l:0"), *_bottom(s)[:1]])
        lines = [
            s.deps.content.plural(s.lang, "contacts.search.found", len(found), query=quote(text))
        ]
        if any(by_id[i].archived for i in found):
            lines.append(s.text("contacts.search.archived_hint"))
        await s.send("\n".join(lines), inline([], extra_rows=rows))
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


async def add(s: Session, text: str, partial: ContactDraft | None = None) -> None:
    """Store a contact typed in one message (or the name to a `partial` one kept) and show its
    card; explain what is wrong if not."""
    draft = parse_contact(text) if partial is None else with_name(partial, text)
    if isinstance(draft, ContactError) and draft.partial is not None:
        await _ask_name(s, draft.partial)
        return
    if isinstance(draft, ContactError):
        await _set(s, ADD)
        await s.send(_error(s, draft) + "\n\n" + s.text("contacts.add.again"))
        return
    await add_draft(s, draft)


async def _ask_name(s: Session, partial: ContactDraft) -> None:
    """A contact typed without a name: keep the rest where it was typed, ask for the name."""
    await _set(s, ADD, {"partial": draft_data(partial)})
    kept = ", ".join(v for v in (partial.company, partial.phone, partial.note) if v)
    await s.say("contacts.add.ask_name", kept=quote(kept))


async def add_draft(s: Session, draft: ContactDraft, anyway: bool = False) -> None:
    """Store a new contact and show its card; unless `anyway`, one that repeats a stored
    contact first asks whether to open that one instead."""
    repo = s.deps.storage.contacts
    if not anyway:
        everyone = await repo.everyone(s.user_id)
        by_id = {c.id: c for c in everyone}
        same = same_contact(draft, _searchable(everyone))[:SAME_SHOWN]
        if same:
            await _set(s, ADD, {"same": draft_data(draft)})
            rows = [[(_label(s, by_id[i]), f"{PREFIX}:o:{i}")] for i in same]
            rows.append([(s.text("contacts.button.add_anyway"), f"{PREFIX}:y")])
            name = by_id[same[0]].name
            await s.say("contacts.same", inline([], extra_rows=rows), name=name)
            return
    contact = await repo.add(s.user_id, draft, s.deps.clock())
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
    """Outcome buttons over `channel`, the channel switch, edit, archive, list and new; an
    archived contact's card offers to restore it."""
    if contact.archived:
        return inline(
            [],
            extra_rows=[
                [(s.text("contacts.button.unarchive"), f"{PREFIX}:u:{contact.id}")],
                [(s.text("contacts.button.list"), f"{PREFIX}:l:0")],
            ],
        )
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
    hint = s.text("contacts.card.archived" if contact.archived else "contacts.card.hint")
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
    # The kind to set, not a toggle: a double tap sets it twice, not back.
    extra = [
        [(s.text(f"contacts.button.make_{other}"), f"{PREFIX}:k:{contact.id}:{channel}:{other}")],
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


async def _contact(s: Session, contact_id: int | None, archived: bool = False) -> Contact | None:
    """One of the rep's contacts; an archived one only where `archived` allows it."""
    if contact_id is None:
        return None
    contact = await s.deps.storage.contacts.get(s.user_id, contact_id)
    return contact if contact is not None and (archived or not contact.archived) else None


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
    contact = await _contact(s, first, archived=action == "o") if action not in LISTS else None
    channel = args[1] if len(args) >= 2 and args[1] in CHANNELS else DEFAULT_CHANNEL
    data = s.flow.data if s.flow is not None and s.flow.flow == FLOW else {}
    done = True
    match action, args:
        case "l", [_] if first is not None:
            await show_list(s, first, message)
        case "ar", [_] if first is not None:
            await show_list(s, first, message, archived=True)
        case "n", []:
            await ask_new(s)
        case "q", []:
            text = data.get("q")
            done = isinstance(text, str)
            if isinstance(text, str):
                await add(s, text)
        case "y", []:
            # Add anyway: the draft kept with the warning is used up, so a second tap adds none.
            draft = draft_from(data.get("same"))
            done = draft is not None
            if draft is not None:
                await add_draft(s, draft, anyway=True)
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
        case "k", [_, _, *wanted] if contact is not None:
            kind = "prospect" if contact.kind == "customer" else "customer"
            if wanted and wanted[0] in ("prospect", "customer"):
                kind = wanted[0]
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
            before = await s.deps.storage.contacts.get(s.user_id, first)
            restored, _ = await s.deps.storage.contacts.archive(
                s.user_id, first, False, s.deps.clock()
            )
            done = restored is not None
            # A second tap on a contact that is back already changes and sends nothing.
            if restored is not None and before is not None and before.archived:
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
        await add(s, text, draft_from(state.data.get("partial")))
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
