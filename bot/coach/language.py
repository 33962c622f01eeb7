"""Choosing the reply language from Telegram's `language_code`."""

from __future__ import annotations

from collections.abc import Sequence


def pick_language(language_code: str | None, supported: Sequence[str], default: str) -> str:
    """The supported language matching an IETF tag ("de-AT" -> "de"), else `default`."""
    if not language_code:
        return default
    tag = language_code.strip().replace("_", "-").casefold()
    by_tag = {language.casefold(): language for language in supported}
    if tag in by_tag:
        return by_tag[tag]
    return by_tag.get(tag.split("-", 1)[0], default)
