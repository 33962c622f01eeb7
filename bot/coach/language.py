"""Choosing the reply language from Telegram's `language_code`, and telling which language a
text is written in."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Final

# A text switches away from the default language only on this many more of another
# language's own small words than of the default's ("Wir sind best in class" stays German).
MIN_LEAD: Final = 3


def pick_language(language_code: str | None, supported: Sequence[str], default: str) -> str:
    """The supported language matching an IETF tag ("de-AT" -> "de"), else `default`."""
    if not language_code:
        return default
    tag = language_code.strip().replace("_", "-").casefold()
    by_tag = {language.casefold(): language for language in supported}
    if tag in by_tag:
        return by_tag[tag]
    return by_tag.get(tag.split("-", 1)[0], default)


def detect_language(
    words: Iterable[str], vocabularies: Mapping[str, Collection[str]], default: str
) -> str:
    """The language whose own small words (folded: "the", "ihre") occur clearly most often among
    `words`; a word two languages share ("in", "so") tells nothing. `default` when unclear."""
    shared: set[str] = set()
    seen: set[str] = set()
    for vocabulary in vocabularies.values():
        shared.update(seen.intersection(vocabulary))
        seen.update(vocabulary)
    counts = dict.fromkeys(vocabularies, 0)
    for word in words:
        if word in shared or word not in seen:
            continue
        for lang, vocabulary in vocabularies.items():
            if word in vocabulary:
                counts[lang] += 1
    if not counts:
        return default
    best = max(counts, key=lambda lang: (counts[lang], lang == default))
    if best != default and counts[best] - counts.get(default, 0) < MIN_LEAD:
        return default
    return best
