"""Messages built from content and a profile: pure rendering, no sending."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.coach.activity import METRICS
from bot.coach.money import DEFAULT_CURRENCY, format_money
from bot.coach.profile import Profile
from bot.content import Content
from bot.handlers.fields import SETTINGS_FIELDS, block_end, display
from bot.handlers.keyboards import inline


def profile_lines(content: Content, lang: str, profile: Profile, now: datetime) -> str:
    """One line per setting: label and current value."""
    values = {name: display(content, lang, name, profile, now) for name in SETTINGS_FIELDS}
    return content.text(lang, "settings.summary", block_end=block_end(profile), **values)


def settings_overview(
    content: Content, lang: str, profile: Profile, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """The /settings message: every value, a button per field, and close."""
    text = (
        content.text(lang, "settings.title") + "\n\n" + profile_lines(content, lang, profile, now)
    )
    buttons = [
        (content.text(lang, f"fields.{name}.label"), f"s:{name}") for name in SETTINGS_FIELDS
    ]
    close = [(content.text(lang, "settings.close"), "s:x")]
    return text, inline(buttons, columns=2, extra_rows=[close])


def money(content: Content, lang: str, amount: float, profile: Profile | None) -> str:
    """An amount in the rep's currency, as their language writes it ("1.200 €", "€1,200")."""
    currency = profile.currency if profile is not None else DEFAULT_CURRENCY
    return format_money(amount, currency, content.lang(lang))


def help_text(content: Content, lang: str) -> str:
    """What the bot can do, and its commands."""
    return content.text(lang, "help.text")


def counts_line(content: Content, lang: str, counts: Mapping[str, int], joiner: str = " · ") -> str:
    """Metrics as "📞 20 Anrufe · 💬 5 Gespräche …", singular or plural as the number needs."""
    return joiner.join(
        f"{content.text(lang, f'today.icon.{metric}')} "
        f"{content.plural(lang, f'today.count.{metric}', counts[metric])}"
        for metric in METRICS
        if metric in counts
    )
