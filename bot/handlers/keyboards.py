"""Keyboards and message pieces shared by handlers and the scheduler."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.content import Content

# Main-menu buttons in the order they appear, as content keys; each maps to a command.
MAIN_MENU: tuple[tuple[str, ...], ...] = (
    ("menu.today", "menu.followups", "menu.objection"),
    ("menu.week", "menu.goals", "menu.roleplay"),
    ("menu.settings", "menu.help"),
)
MENU_COMMANDS: dict[str, str] = {
    "menu.today": "today",
    "menu.followups": "followups",
    "menu.week": "week",
    "menu.goals": "goals",
    "menu.objection": "objection",
    "menu.roleplay": "roleplay",
    "menu.settings": "settings",
    "menu.help": "help",
}


@functools.lru_cache(maxsize=16)
def main_menu(content: Content, lang: str) -> ReplyKeyboardMarkup:
    """The persistent reply keyboard with the main actions."""
    # Built once per language: it goes out with many replies, and markups are immutable.
    rows = [[KeyboardButton(content.text(lang, key)) for key in row] for row in MAIN_MENU]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def menu_command(content: Content, text: str) -> str | None:
    """The command behind a main-menu label, in any language; None for other text."""
    label = text.strip()
    for key, command in MENU_COMMANDS.items():
        if label in content.all_languages(key):
            return command
    # "hilfe", "help" or "?" typed: the rep asks for /help.
    asked = " ".join(label.casefold().strip(" !.").split())
    for lang in content.languages:
        words = content.list(lang, "help.words")
        if asked and (asked in words or asked.rstrip("?") in words):
            return "help"
    return None


def grid(buttons: Iterable[tuple[str, str]], columns: int = 3) -> list[list[InlineKeyboardButton]]:
    """Lay out (label, callback data) pairs in rows of `columns`."""
    row: list[InlineKeyboardButton] = []
    rows: list[list[InlineKeyboardButton]] = []
    for label, data in buttons:
        row.append(InlineKeyboardButton(label, callback_data=data))
        if len(row) == columns:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return rows


def inline(
    buttons: Iterable[tuple[str, str]],
    columns: int = 3,
    extra_rows: Sequence[Sequence[tuple[str, str]]] = (),
) -> InlineKeyboardMarkup:
    """An inline keyboard from a grid of buttons plus full-width extra rows."""
    rows = grid(buttons, columns)
    rows.extend([InlineKeyboardButton(t, callback_data=d) for t, d in r] for r in extra_rows)
    return InlineKeyboardMarkup(rows)


def location_keyboard(
    content: Content, lang: str, suggestions: Sequence[str]
) -> ReplyKeyboardMarkup:
    """A one-time reply keyboard: share location, or tap one of the suggested places."""
    rows = [
        [KeyboardButton(content.text(lang, "onboarding.tz_share_location"), request_location=True)]
    ]
    rows.append([KeyboardButton(s) for s in suggestions])
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)
