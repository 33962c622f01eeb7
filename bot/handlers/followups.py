"""Touches and follow-ups: log how a contact went, get the next touch proposed (accept, change
the date, skip), /followups (/nachfassen) with today's and overdue ones (done, snooze, skip),
the reminders the scheduler sends and the follow-up figures in /week.

Accepted follow-ups are stored twice: as rows the due list reads, and as due items ("followup",
ref the follow-up's id) the check-in scheduler sends at the start of the rep's calling block.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.coach.contacts import ContactError, parse_note
from bot.coach.followups import (
    CHANNELS,
    DEFAULT_CHANNEL,
    OUTCOMES,
    QUICK_PICKS,
    Outcome,
    Planned,
    Proposal,
    closed_by_touch,
    followup_stats,
    on_working_day,
    parse_followup_date,
    propose,
    quick_date,
    reminder_at,
    shifted,
    snooze_day,
    status_after,
)
from bot.content import Raw
from bot.handlers.calendars import calendar_for, today_of
from bot.handlers.context import Session, with_session
from bot.handlers.flows import stale
from bot.handlers.keyboards import inline
from bot.storage import FlowState
from bot.storage.contacts import DONE, OPEN, PROPOSED, Contact, FollowUp, TapCountedError
from bot.storage.taps import tap_origin

log = logging.getLogger(__name__)

FLOW: Final = "followups"
# Steps: an optional note to the touch just logged; the day a customer agreed to ("later");
# another day for a proposed or planned follow-up.
NOTE: Final = "note"
LATER: Final = "later"
DATE: Final = "date"
# Button data: "f:<action>[:<id>…]".
PREFIX: Final = "f"
# Where a done/snooze/skip button sits: the due list (redrawn) or a reminder (buttons removed).
IN_LIST: Final = "l"
IN_REMINDER: Final = "r"
DUE_KIND: Final = "followup"
PAGE_SIZE: Final = 8
UPCOMING_DAYS: Final = 7
NAME_CHARS: Final = 24
OUTCOME_ROWS: Final[tuple[tuple[Outcome, Outcome], ...]] = (
    ("not_reached", "talked"),
    ("appointment", "won"),
    ("lost", "later"),
)
# A question nobody asked for (an optional note, the open list's search) stays open this long:
# a text typed much later is meant for something else.
PASSING: Final = timedelta(minutes=30)
LATER_PICKS: Final = ("1w", "2w", "1m", "3m", "6m")
DATE_PICKS: Final = ("1d", "1w", "2w", "1m", "3m")


def _int(value: str) -> int | None:
    # Button data can be forged: only plain ASCII digits of a sane length are an id.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def since(now: datetime) -> dict[str, str]:
    """Flow data that marks when a passing question was asked (see `still_open`)."""
    return {"since": now.isoformat()}


def still_open(data: Mapping[str, Any], now: datetime) -> bool:
    """Whether a passing question asked at data["since"] still takes a typed answer."""
    try:
        asked = datetime.fromisoformat(str(data.get("since", "")))
    except ValueError:
        return False
    return asked.tzinfo is not None and timedelta(0) <= now - asked <= PASSING


def clip(text: str, limit: int = NAME_CHARS) -> str:
    """A name cut to fit on a button."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _onboarded(s: Session) -> bool:
    return s.profile is not None and s.profile.onboarded


def channel_label(s: Session, channel: str) -> str:
    """ "📞 Anruf" for "call"; unknown channels read as "other"."""
    return s.text(f"followups.channel.{channel if channel in CHANNELS else 'other'}")


def outcome_rows(s: Session, contact_id: int, channel: str) -> list[list[tuple[str, str]]]:
    """The six outcome buttons of a contact, logging a touch over `channel`."""
    return [
        [
            (s.text(f"followups.outcome_button.{o}"), f"{PREFIX}:t:{contact_id}:{o}:{channel}")
            for o in row
        ]
        for row in OUTCOME_ROWS
    ]


def idea(s: Session, channel: str, variant: int) -> str:
    """One concrete idea for a channel; the variant picks which."""
    ideas = s.deps.content.list(
        s.lang, f"followups.ideas.{channel if channel in CHANNELS else 'other'}"
    )
    return ideas[variant % len(ideas)]


def _reason_values(name: str, attempts: int) -> dict[str, Any]:
    return {"name": name, "attempts": attempts, "next": attempts + 1}


def reason_line(s: Session, reason: str, name: str, attempts: int) -> str:
    """Why this follow-up, in a sentence."""
    return s.text(f"followups.reason.{reason}", **_reason_values(name, attempts))


def reason_short(s: Session, reason: str, attempts: int) -> str:
    """Why this follow-up, in a few words (lists, cards)."""
    return s.text(f"followups.reason_short.{reason}", **_reason_values("", attempts))


def _proposal_block(s: Session, name: str, followup: FollowUp, moved: bool) -> str:
    lines = [
        s.text(
            "followups.proposal.when",
            day=s.day_label(followup.due),
            channel=channel_label(s, followup.channel),
        ),
        reason_line(s, followup.reason, name, followup.attempts),
        "💡 " + idea(s, followup.channel, followup.variant),
    ]
    if moved:
        lines.append(s.text("followups.proposal.moved"))
    return "\n".join(lines)


def proposal_markup(s: Session, followup_id: int) -> InlineKeyboardMarkup:
    """Accept, another date, skip."""
    return inline(
        [
            (s.text("followups.button.accept"), f"{PREFIX}:ok:{followup_id}"),
            (s.text("followups.button.date"), f"{PREFIX}:dt:{followup_id}"),
            (s.text("followups.button.skip"), f"{PREFIX}:sk:{followup_id}"),
        ],
        columns=3,
    )


def _planned_markup(s: Session, followup_id: int) -> InlineKeyboardMarkup:
    """Another date or skip, for a follow-up that is planned already."""
    return inline(
        [
            (s.text("followups.button.date"), f"{PREFIX}:dt:{followup_id}"),
            (s.text("followups.button.skip"), f"{PREFIX}:sk:{followup_id}"),
        ],
        columns=2,
    )


# --- Due items for the scheduler -------------------------------------------------------------


def _payload(followup: FollowUp, contact: Contact) -> dict[str, Any]:
    """What the reminder shows, stored with it: the scheduler renders it without a query."""
    return {
        "followup": followup.id,
        "contact": contact.id,
        "name": contact.name,
        "company": contact.company or "",
        "phone": contact.phone or "",
        "reason": followup.reason,
        "attempts": followup.attempts,
        "channel": followup.channel,
        "variant": followup.variant,
    }


async def remind(s: Session, items: Iterable[FollowUp], contact: Contact) -> None:
    """Store a reminder per open follow-up, at the start of the calling block of its day."""
    assert s.profile is not None
    now = s.deps.clock()
    for followup in items:
        at = reminder_at(followup.due, s.profile.schedule.block_start, now, s.profile.timezone)
        await s.deps.storage.checkins.put_due(
            s.user_id, DUE_KIND, str(followup.id), at, now, _payload(followup, contact)
        )


async def refresh_reminders(s: Session, contact: Contact) -> None:
    """After an edit: the reminders still to come show the contact's new name and phone."""
    planned = {str(f.id): f for f in await s.deps.storage.contacts.planned(s.user_id, contact.id)}
    now = s.deps.clock()
    for item in await s.deps.storage.checkins.open_items(s.user_id, DUE_KIND):
        followup = planned.get(item.ref)
        if followup is not None:
            await s.deps.storage.checkins.put_due(
                s.user_id, DUE_KIND, item.ref, item.due_at, now, _payload(followup, contact)
            )


async def unremind(s: Session, followup_ids: Iterable[int]) -> None:
    """Drop the reminders of follow-ups that are done, skipped or gone."""
    refs = {str(i) for i in followup_ids}
    if not refs:
        return
    items = await s.deps.storage.checkins.open_items(s.user_id, DUE_KIND)
    ids = [item.id for item in items if item.ref in refs]
    await s.deps.storage.checkins.close_items(ids, s.deps.clock())


def reminder(s: Session, payload: Mapping[str, Any]) -> tuple[str, InlineKeyboardMarkup] | None:
    """The follow-up reminder the scheduler sends: who, why, one idea, and the buttons."""
    followup_id, contact_id = payload.get("followup"), payload.get("contact")
    if not isinstance(followup_id, int) or not isinstance(contact_id, int):
        return None
    name = str(payload.get("name", ""))
    company = str(payload.get("company", ""))
    phone = str(payload.get("phone", ""))
    attempts = payload.get("attempts", 0)
    variant = payload.get("variant", 0)
    channel = str(payload.get("channel", DEFAULT_CHANNEL))
    lines = [s.text("followups.reminder.title", name=name)]
    if company:
        lines[0] += html.escape(f" · {company}", quote=False)
    lines.append(
        reason_line(
            s,
            str(payload.get("reason", "retry")),
            name,
            attempts if isinstance(attempts, int) else 0,
        )
    )
    lines.append(
        channel_label(s, channel)
        + " – "
        + idea(s, channel, variant if isinstance(variant, int) else 0)
    )
    if phone:
        lines.append(s.text("followups.reminder.phone", phone=phone))
    markup = inline(
        [
            (s.text("followups.button.done"), f"{PREFIX}:dn:{followup_id}:{IN_REMINDER}"),
            (s.text("followups.button.snooze"), f"{PREFIX}:sn:{followup_id}:{IN_REMINDER}"),
            (s.text("followups.button.skip"), f"{PREFIX}:sk:{followup_id}:{IN_REMINDER}"),
        ],
        columns=3,
        extra_rows=[
            [
                (s.text("followups.button.card"), f"c:o:{contact_id}"),
                (s.text("followups.button.all"), f"{PREFIX}:l:0"),
            ]
        ],
    )
    return "\n".join(lines), markup


# --- Logging a touch ---------------------------------------------------------------------------


async def _contact(s: Session, contact_id: int) -> Contact | None:
    contact = await s.deps.storage.contacts.get(s.user_id, contact_id)
    return contact if contact is not None and not contact.archived else None


async def log_touch(
    s: Session,
    contact: Contact,
    outcome: Outcome,
    channel: str,
    agreed: date | None = None,
    tap: tuple[str, str] | None = None,
) -> None:
    """Store a touch, settle what it replaces, and propose the next touch(es); a `tap` (its
    callback query id and origin) that is counted already stores nothing and says nothing."""
    assert s.profile is not None
    repo, now = s.deps.storage.contacts, s.deps.clock()
    today = today_of(s.profile, now)
    calendar = calendar_for(s.profile, today)
    history = [t.outcome for t in await repo.touches(s.user_id, contact.id)]
    planned = await repo.planned(s.user_id, contact.id)
    close = closed_by_touch([Planned(f.id, f.reason, f.due) for f in planned], outcome, today)
    remaining = [f.reason for f in planned if f.id not in close]
    proposals = propose(
        outcome,
        history,
        now=now,
        tz=s.profile.timezone,
        calendar=calendar,
        seed=contact.id,
        agreed=agreed,
        planned=remaining,
    )
    # The customer agreed to the date: it is planned, not merely proposed.
    accept = outcome == "later"
    try:
        result = await repo.log_touch(
            s.user_id,
            contact.id,
            outcome,
            channel,
            now,
            status=status_after(outcome, contact.status),
            kind="customer" if outcome == "won" else contact.kind,
            next_date=agreed,
            close=close,
            proposals=proposals,
            accept=accept,
            tap_id=tap[0] if tap else None,
            origin=tap[1] if tap else "",
        )
    except TapCountedError:
        return  # a double tap: the first one's answer is on its way
    if result is None:
        await s.say("common.button_outdated")
        return
    touch, created = result
    await unremind(s, close)
    if accept:
        await remind(s, created, contact)
    data = {"touch": touch.id, **since(now)}
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, NOTE, data), now)
    await _send_proposals(s, contact, outcome, channel, created, proposals, accept)


async def _send_proposals(
    s: Session,
    contact: Contact,
    outcome: str,
    channel: str,
    created: Sequence[FollowUp],
    proposals: Sequence[Proposal],
    accepted: bool,
) -> None:
    head = s.text(
        "followups.logged",
        name=contact.name,
        outcome=s.text(f"followups.outcome.{outcome}"),
        channel=channel_label(s, channel),
    )
    parts = [head]
    if outcome == "won":
        parts.append(s.text("followups.aftersales_intro", name=contact.name))
    moved: dict[str, bool] = {p.reason: p.moved for p in proposals}
    parts += [_proposal_block(s, contact.name, f, moved.get(f.reason, False)) for f in created]
    markup: InlineKeyboardMarkup | None = None
    if not created:
        planned = await s.deps.storage.contacts.planned(s.user_id, contact.id)
        if planned:
            parts.append(
                s.text(
                    "followups.already_planned",
                    day=s.day_label(planned[0].due),
                    what=reason_short(s, planned[0].reason, planned[0].attempts),
                )
            )
    elif accepted:
        parts.append(s.text("followups.planned_hint"))
        markup = _planned_markup(s, created[0].id)
    else:
        parts.append(s.text("followups.proposal.question"))
        markup = proposal_markup(s, created[0].id)
    parts.append(s.text("followups.note_hint"))
    await s.send("\n\n".join(parts), markup)


async def _ask_later(s: Session, contact: Contact, channel: str) -> None:
    """ "Later": ask for the day the customer agreed to (typed, or one of the buttons)."""
    data = {"contact": contact.id, "channel": channel}
    await s.deps.storage.flows.set(s.user_id, FlowState(FLOW, LATER, data), s.deps.clock())
    buttons = [
        (s.text(f"followups.pick.{pick}"), f"{PREFIX}:lt:{contact.id}:{channel}:{pick}")
        for pick in LATER_PICKS
    ]
    await s.say("followups.later.ask", inline(buttons, columns=3), name=contact.name)


# --- Accept, another date, skip ----------------------------------------------------------------


async def _accept(s: Session, followup_id: int, message: Message | None) -> bool:
    accepted = await s.deps.storage.contacts.accept(s.user_id, followup_id, s.deps.clock())
    if not accepted:
        return False
    contact = await _contact(s, accepted[0].contact_id)
    if contact is None:
        return False
    await remind(s, accepted, contact)
    await _drop_buttons(message)
    days = ", ".join(s.day_label(f.due) for f in accepted)
    await s.say("followups.accepted", name=contact.name, days=days)
    return True


async def _ask_date(s: Session, followup_id: int) -> bool:
    followup = await s.deps.storage.contacts.followup(s.user_id, followup_id)
    if followup is None or followup.status not in (PROPOSED, OPEN):
        return False
    contact = await _contact(s, followup.contact_id)
    if contact is None:
        return False
    state = FlowState(FLOW, DATE, {"followup": followup.id})
    await s.deps.storage.flows.set(s.user_id, state, s.deps.clock())
    buttons = [
        (s.text(f"followups.pick.{pick}"), f"{PREFIX}:pk:{followup.id}:{pick}")
        for pick in DATE_PICKS
    ]
    await s.say("followups.date.ask", inline(buttons, columns=3), name=contact.name)
    return True


async def _set_date(
    s: Session, followup_id: int, day: date, tap: tuple[str, str] | None = None
) -> bool:
    """Put a follow-up on a working day (accepting what was proposed with it) and confirm."""
    repo, now = s.deps.storage.contacts, s.deps.clock()
    followup = await repo.followup(s.user_id, followup_id)
    if followup is None or followup.status not in (PROPOSED, OPEN):
        return False
    contact = await _contact(s, followup.contact_id)
    if contact is None:
        return False
    assert s.profile is not None
    calendar = calendar_for(s.profile, today_of(s.profile, now))
    working = on_working_day(calendar, day)
    accepted = await repo.accept(s.user_id, followup_id, now)
    moved = await repo.move(s.user_id, followup_id, working, now, **_tapped(tap))
    if moved is None:
        return False
    # Proposed together (after-sales): they move along and keep their spacing.
    others: list[FollowUp] = []
    for sibling in accepted:
        if sibling.id != moved.id:
            due = shifted(sibling.due, followup.due, working, calendar)
            others.append(await repo.move(s.user_id, sibling.id, due, now) or sibling)
    await remind(s, [moved, *others], contact)
    if s.flow is not None and s.flow.flow == FLOW:
        await s.deps.storage.flows.clear(s.user_id)
    days = ", ".join(s.day_label(f.due) for f in [moved, *others])
    lines = [s.text("followups.date.done", name=contact.name, day=days)]
    if working != day:
        lines.append(s.text("followups.proposal.moved"))
    await s.send("\n".join(lines))
    return True


def _tapped(tap: tuple[str, str] | None) -> dict[str, str]:
    """The tap guard's arguments for a repository call (none for a typed answer)."""
    return {"tap_id": tap[0], "origin": tap[1]} if tap is not None else {}


async def _skip(s: Session, followup_id: int, tap: tuple[str, str]) -> list[FollowUp]:
    skipped = await s.deps.storage.contacts.skip_proposed(
        s.user_id, followup_id, s.deps.clock(), **_tapped(tap)
    )
    await unremind(s, [f.id for f in skipped])
    return skipped


# --- The due list ------------------------------------------------------------------------------


def _when(s: Session, due: date, today: date) -> str:
    if due >= today:
        return s.text("followups.due.today")
    return s.text("followups.due.overdue", day=s.day_label(due))


async def due_view(s: Session, page: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """Today's and overdue follow-ups, a page of them, each with done, snooze and skip."""
    assert s.profile is not None
    repo = s.deps.storage.contacts
    today = today_of(s.profile, s.deps.clock())
    items = await repo.due(s.user_id, today)
    upcoming = await repo.upcoming(s.user_id, today, today + timedelta(days=UPCOMING_DAYS))
    tail = [s.deps.content.plural(s.lang, "followups.due.upcoming", upcoming)] if upcoming else []
    if not items:
        text = "\n\n".join([s.text("followups.due.none"), *tail])
        return text, inline([(s.text("followups.button.contacts"), "c:l:0")], columns=1)
    pages = (len(items) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [s.deps.content.plural(s.lang, "followups.due.title", len(items))]
    rows: list[list[tuple[str, str]]] = []
    for number, (followup, contact) in enumerate(shown, page * PAGE_SIZE + 1):
        company = html.escape(f" · {contact.company}", quote=False) if contact.company else ""
        lines.append(
            s.text(
                "followups.due.item",
                n=number,
                name=contact.name,
                company=Raw(company),
                when=_when(s, followup.due, today),
                why=reason_short(s, followup.reason, followup.attempts),
                channel=channel_label(s, followup.channel),
            )
        )
        rows.append(
            [
                (f"{number}. {clip(contact.name)}", f"c:o:{contact.id}"),
                ("✅", f"{PREFIX}:dn:{followup.id}:{IN_LIST}"),
                ("💤", f"{PREFIX}:sn:{followup.id}:{IN_LIST}"),
                ("⏭", f"{PREFIX}:sk:{followup.id}:{IN_LIST}"),
            ]
        )
    if pages > 1:
        rows.append(
            [
                ("◀️", f"{PREFIX}:l:{(page - 1) % pages}"),
                (f"{page + 1}/{pages}", f"{PREFIX}:l:{page}"),
                ("▶️", f"{PREFIX}:l:{(page + 1) % pages}"),
            ]
        )
    lines += ["", s.text("followups.due.legend"), *tail]
    return "\n".join(lines), inline([], extra_rows=rows)


async def show_due(s: Session) -> None:
    """Send the due list."""
    if not _onboarded(s):
        await s.say("common.start_first")
        return
    text, markup = await due_view(s)
    await s.send(text, markup)


@with_session
async def followups_command(update: Update, s: Session) -> None:
    """/followups, /nachfassen."""
    await show_due(s)


async def _redraw(s: Session, message: Message | None, page: int = 0) -> None:
    if message is None:
        return
    text, markup = await due_view(s, page)
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        log.info("due list not redrawn: %s", exc.message)


async def _drop_buttons(message: Message | None) -> None:
    if message is None:
        return
    try:
        await message.edit_reply_markup(None)
    except BadRequest as exc:
        log.info("buttons not removed: %s", exc.message)


async def _done(
    s: Session, followup_id: int, where: str, message: Message | None, tap: tuple[str, str]
) -> bool:
    """Done: the follow-up leaves the list, and the bot asks how the touch went."""
    finished = await s.deps.storage.contacts.finish(
        s.user_id, [followup_id], DONE, s.deps.clock(), **_tapped(tap)
    )
    if not finished:
        return False
    followup = finished[0]
    await unremind(s, [followup.id])
    contact = await _contact(s, followup.contact_id)
    await _after_change(s, where, message)
    if contact is not None:
        rows = outcome_rows(s, contact.id, followup.channel)
        await s.say("followups.done", inline([], extra_rows=rows), name=contact.name)
    return True


async def _snooze(
    s: Session, followup_id: int, where: str, message: Message | None, tap: tuple[str, str]
) -> str | None:
    """Snooze: to the next working day; returns the confirmation."""
    assert s.profile is not None
    repo, now = s.deps.storage.contacts, s.deps.clock()
    current = await repo.followup(s.user_id, followup_id)
    if current is None or current.status != OPEN:
        return None
    calendar = calendar_for(s.profile, today_of(s.profile, now))
    moved = await repo.move(
        s.user_id, followup_id, snooze_day(now, s.profile.timezone, calendar), now, **_tapped(tap)
    )
    contact = await _contact(s, current.contact_id)
    if moved is None or contact is None:
        return None
    await remind(s, [moved], contact)
    await _after_change(s, where, message)
    return s.text("followups.snoozed", name=contact.name, day=s.day_label(moved.due))


async def _after_change(s: Session, where: str, message: Message | None) -> None:
    if where == IN_LIST:
        await _redraw(s, message)
    elif where == IN_REMINDER:
        await _drop_buttons(message)


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Follow-up buttons: log a touch, later, accept, another date, skip, done, snooze, list."""
    query = update.callback_query
    assert query is not None
    if not _onboarded(s):
        await stale(query, s)
        return
    message = query.message if isinstance(query.message, Message) else None
    parts = (query.data or "").split(":")[1:]
    action, args = (parts[0], parts[1:]) if parts else ("", [])
    first = _int(args[0]) if args else None
    # Each tap counts once (bot.storage.taps): a double tap on one button within a second or
    # two logs one touch, marks done, skips or snoozes once.
    tap = (
        query.id,
        tap_origin(s.chat_id, message.message_id if message else None, query.data or ""),
    )
    try:
        done, toast = await _act(s, action, args, first, message, tap)
    except TapCountedError:
        done, toast = True, None  # a double tap: the first one's answer is on its way
    if not done:
        await stale(query, s)
    else:
        await query.answer(toast)


async def _act(
    s: Session,
    action: str,
    args: list[str],
    first: int | None,
    message: Message | None,
    tap: tuple[str, str],
) -> tuple[bool, str | None]:
    """Act on one follow-up button; whether it still applied, and the toast to show."""
    toast: str | None = None
    done = first is not None
    match action, args:
        case "t", [_, str(outcome), str(channel)] if first is not None:
            done = await _on_touch(s, first, outcome, channel, tap)
        case "lt", [_, str(channel), str(pick)] if first is not None:
            done = await _on_later_pick(s, first, channel, pick, message, tap)
        case "ok", [_]:
            done = first is not None and await _accept(s, first, message)
        case "dt", [_]:
            done = first is not None and await _ask_date(s, first)
        case "pk", [_, str(pick)] if first is not None:
            done = await _on_date_pick(s, first, pick, message, tap)
        case "sk", [_, *where] if first is not None:
            skipped = await _skip(s, first, tap)
            done = bool(skipped)
            if done:
                toast = await _skipped(s, skipped, where[0] if where else "", message)
        case "dn", [_, str(where)] if first is not None:
            done = await _done(s, first, where, message, tap)
        case "sn", [_, str(where)] if first is not None:
            toast = await _snooze(s, first, where, message, tap)
            done = toast is not None
            if done and where == IN_REMINDER and toast is not None:
                await s.send(toast)
        case "l", [_] if first is not None:
            await _redraw(s, message, first)
        case _:
            done = False
    return done, toast


async def _on_touch(
    s: Session, contact_id: int, outcome: str, channel: str, tap: tuple[str, str]
) -> bool:
    contact = await _contact(s, contact_id)
    if contact is None or outcome not in OUTCOMES or channel not in CHANNELS:
        return False
    if outcome == "later":
        await _ask_later(s, contact, channel)
        return True
    await log_touch(s, contact, _outcome(outcome), channel, tap=tap)
    return True


def _outcome(value: str) -> Outcome:
    for outcome in OUTCOMES:
        if outcome == value:
            return outcome
    raise ValueError(value)


async def _on_later_pick(
    s: Session,
    contact_id: int,
    channel: str,
    pick: str,
    message: Message | None,
    tap: tuple[str, str],
) -> bool:
    assert s.profile is not None
    contact = await _contact(s, contact_id)
    if contact is None or channel not in CHANNELS or pick not in QUICK_PICKS:
        return False
    now = s.deps.clock()
    calendar = calendar_for(s.profile, today_of(s.profile, now))
    day = quick_date(pick, now, s.profile.timezone, calendar)
    if day is None:
        return False
    await _drop_buttons(message)
    await log_touch(s, contact, "later", channel, agreed=day, tap=tap)
    return True


async def _on_date_pick(
    s: Session, followup_id: int, pick: str, message: Message | None, tap: tuple[str, str]
) -> bool:
    assert s.profile is not None
    now = s.deps.clock()
    calendar = calendar_for(s.profile, today_of(s.profile, now))
    day = quick_date(pick, now, s.profile.timezone, calendar)
    if day is None or not await _set_date(s, followup_id, day, tap):
        return False
    await _drop_buttons(message)
    return True


async def _skipped(
    s: Session, skipped: Sequence[FollowUp], where: str, message: Message | None
) -> str:
    contact = await s.deps.storage.contacts.get(s.user_id, skipped[0].contact_id)
    name = contact.name if contact is not None else ""
    text = s.text("followups.skipped", name=name)
    if where in (IN_LIST, IN_REMINDER):
        await _after_change(s, where, message)
    else:
        await _drop_buttons(message)
    if where != IN_LIST:
        await s.send(text)
    return text


# --- Typed answers -------------------------------------------------------------------------------


async def answer_text(s: Session, text: str) -> bool:
    """A typed text while a follow-up question is open: a note, or a day."""
    state = s.flow
    if state is None or state.flow != FLOW or not _onboarded(s):
        return False
    if state.step == NOTE:
        return await _note(s, state, text)
    if state.step in (LATER, DATE):
        return await _typed_day(s, state, text)
    await s.deps.storage.flows.clear(s.user_id)
    return False


async def _note(s: Session, state: FlowState, text: str) -> bool:
    touch_id = state.data.get("touch")
    if not isinstance(touch_id, int) or not still_open(state.data, s.deps.clock()):
        await s.deps.storage.flows.clear(s.user_id)
        return False
    note = parse_note(text)
    if isinstance(note, ContactError):
        await s.say("followups.note_too_long", limit=note.limit)
        return True
    await s.deps.storage.contacts.set_touch_note(s.user_id, touch_id, note)
    await s.deps.storage.flows.clear(s.user_id)
    await s.say("followups.note_saved")
    return True


async def _typed_day(s: Session, state: FlowState, text: str) -> bool:
    assert s.profile is not None
    today = today_of(s.profile, s.deps.clock())
    parsed = parse_followup_date(text, today, s.lang)
    if parsed.day is None:
        problem = parsed.problem or "not_understood"
        await s.say(f"followups.date.{problem}")
        return True
    if state.step == LATER:
        contact_id, channel = state.data.get("contact"), state.data.get("channel")
        contact = await _contact(s, contact_id) if isinstance(contact_id, int) else None
        if contact is None or channel not in CHANNELS:
            await s.deps.storage.flows.clear(s.user_id)
            return False
        await log_touch(s, contact, "later", str(channel), agreed=parsed.day)
        return True
    followup_id = state.data.get("followup")
    if not isinstance(followup_id, int) or not await _set_date(s, followup_id, parsed.day):
        await s.deps.storage.flows.clear(s.user_id)
        await s.say("common.button_outdated")
    return True


# --- Figures for /week ---------------------------------------------------------------------------


async def stats_lines(s: Session) -> list[str]:
    """Attempts before a conversation, early give-ups and open after-sales touches; none
    without data."""
    stats = followup_stats(await s.deps.storage.contacts.records(s.user_id))
    if stats.empty:
        return []
    lines = [s.text("followups.stats.title")]
    average = stats.attempts_average
    if average is not None:
        lines.append(
            s.text(
                "followups.stats.attempts",
                average=f"{average:.1f}".replace(".", s.text("followups.stats.decimal")),
                n=stats.reached,
            )
        )
    if stats.dropped_share is not None:
        lines.append(
            s.text(
                "followups.stats.dropped",
                share=stats.dropped_share,
                early=stats.dropped_early,
                n=stats.given_up,
            )
        )
    lines.append(s.text("followups.stats.aftersales", n=stats.open_aftersales))
    return lines
