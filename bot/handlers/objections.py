"""Objection answers in seconds: /objection (alias /einwand), plain text, and inline in any chat."""

from __future__ import annotations

import html
from uuid import uuid4

from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)

from bot.coach.language import pick_language
from bot.coach.objections import Entry, Found, Match, match_languages
from bot.content import Raw
from bot.handlers.context import Context, Session, deps_of, with_session
from bot.handlers.flows import quote
from bot.handlers.keyboards import inline

# Inline answers: Telegram shows up to 50; a handful of the best replies is what a rep scans.
INLINE_RESULTS = 8
INLINE_CACHE_SECONDS = 30
LABEL_CHARS = 40


def _label(entry: Entry) -> str:
    text = entry.phrasings[0]
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def render_entry(s: Session, entry: Entry) -> str:
    """The whole answer card for one objection."""
    replies = "\n".join(f"{n}. {html.escape(r)}" for n, r in enumerate(entry.replies, 1))
    return s.text(
        "objection.card",
        title=entry.phrasings[0],
        meaning=entry.meaning,
        strategy=entry.strategy,
        replies=Raw(replies),
        ask_back=entry.ask_back,
        avoid=entry.avoid,
    )


def find(s: Session, text: str, limit: int = 3) -> Found:
    """The entries for what the customer said, from the playbook of the language they spoke."""
    return match_languages(s.deps.matchers, text, s.lang, limit)


def _card_markup(
    s: Session, best: Entry, others: list[Match], lang: str | None = None
) -> InlineKeyboardMarkup:
    lang = lang or s.lang
    # Runners-up first; where the matcher has none, neighbours from the same topic.
    related = [m.entry for m in others]
    related += [e for e in s.deps.playbooks[lang].in_category(best.category) if e != best]
    unique = list({e.id: e for e in related if e.id != best.id}.values())[:2]
    # An entry of the customer's language, not the rep's, names its language in the button.
    suffix = f":{lang}" if lang != s.lang else ""
    buttons = [(f"↪️ {_label(e)}", f"o:e:{e.id}{suffix}") for e in unique]
    extra = [
        [(s.text("objection.drill"), f"p:e:{best.id}")],
        [(s.text("objection.categories"), "o:c")],
    ]
    return inline(buttons, columns=1, extra_rows=extra)


def _categories_markup(s: Session) -> InlineKeyboardMarkup:
    playbook = s.deps.playbooks[s.lang]
    buttons = [(s.text(f"objection.category.{c}"), f"o:c:{c}") for c in playbook.categories]
    return inline(buttons, columns=2)


async def answer_objection(s: Session, text: str, *, quiet: bool = False) -> bool:
    """Find the best entry for what the customer said and send its card; False if none fits."""
    found = find(s, text)
    if not found.matches:
        if not quiet:
            await s.say("objection.no_match", _categories_markup(s), input=quote(text))
        return False
    best = found.matches[0].entry
    await s.send(
        _card_text(s, best, found.lang), _card_markup(s, best, found.matches[1:], found.lang)
    )
    return True


def _card_text(s: Session, entry: Entry, lang: str) -> str:
    # The replies are for the customer, so they are in the customer's language; the rep hears
    # why in their own.
    card = render_entry(s, entry)
    return card if lang == s.lang else s.text(f"objection.other_language.{lang}") + "\n\n" + card


async def show_objection_help(s: Session) -> None:
    """How to look up an objection, with the categories to browse."""
    # The inline tip names this bot as the rep types it ("@SalesCoachBot zu teuer").
    await s.say("objection.usage", _categories_markup(s), bot=s.bot.username)


@with_session
async def objection_command(update: Update, s: Session) -> None:
    """/objection <what the customer said> (alias /einwand)."""
    message = update.effective_message
    text = (message.text or "").partition(" ")[2].strip() if message else ""
    if not text:
        await show_objection_help(s)
        return
    await answer_objection(s, text)


@with_session
async def on_button(update: Update, s: Session) -> None:
    """Card buttons: another entry ("o:e:<id>"), the categories ("o:c") or one ("o:c:<cat>")."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").split(":")
    playbook = s.deps.playbooks[s.lang]
    # "o:e:<id>" is the rep's language; "o:e:<id>:<lang>" an entry in the customer's.
    lang = parts[3] if len(parts) == 4 and parts[3] in s.deps.playbooks else s.lang
    if (
        parts[1:2] == ["e"]
        and len(parts) in (3, 4)
        and (len(parts) == 3 or lang == parts[3])
        and (entry := s.deps.find_entry(lang, parts[2]))
    ):
        await query.answer()
        await s.send(_card_text(s, entry, lang), _card_markup(s, entry, [], lang))
    elif parts[1:] == ["c"]:
        await query.answer()
        await s.say("objection.pick_category", _categories_markup(s))
    elif parts[1:2] == ["c"] and len(parts) == 3 and parts[2] in playbook.categories:
        await query.answer()
        entries = playbook.in_category(parts[2])
        markup = inline([(_label(e), f"o:e:{e.id}") for e in entries], columns=1)
        await s.say(
            "objection.pick_entry", markup, category=s.text(f"objection.category.{parts[2]}")
        )
    else:
        await query.answer(s.text("common.button_outdated"))


async def on_inline_query(update: Update, context: Context) -> None:
    """@bot <text> in any chat: the best replies, ready to send."""
    query = update.inline_query
    if query is None:
        return
    deps = deps_of(context)
    profile = await deps.storage.users.get(query.from_user.id)
    lang = (
        deps.content.lang(profile.language)
        if profile
        else pick_language(
            query.from_user.language_code, deps.content.languages, deps.settings.default_language
        )
    )
    text = query.query.strip()
    # The replies go to the customer as they are: in the language the customer spoke.
    matches = match_languages(deps.matchers, text, lang).matches if text else []
    results = [
        InlineQueryResultArticle(
            id=uuid4().hex,
            title=_label(m.entry),
            description=reply,
            input_message_content=InputTextMessageContent(reply, parse_mode=None),
        )
        for m in matches
        for reply in m.entry.replies
    ][:INLINE_RESULTS]
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)
