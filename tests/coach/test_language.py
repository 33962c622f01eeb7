"""Reply language from Telegram's language_code."""

from __future__ import annotations

import pytest

from bot.coach.language import pick_language

SUPPORTED = ("de", "en")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de", "de"),
        ("DE", "de"),
        ("de-AT", "de"),
        ("de_CH", "de"),
        (" de-at ", "de"),
        ("en", "en"),
        ("en-GB", "en"),
        ("en-us", "en"),
        ("fr", "en"),
        ("fr-DE", "en"),
        ("", "en"),
        (None, "en"),
        ("-", "en"),
        ("deu", "en"),
    ],
)
def test_pick_language(code: str | None, expected: str) -> None:
    assert pick_language(code, SUPPORTED, default="en") == expected


def test_pick_language_prefers_an_exact_regional_match() -> None:
    assert pick_language("pt-BR", ("pt", "pt-BR"), default="pt") == "pt-BR"
    assert pick_language("pt-PT", ("pt", "pt-BR"), default="en") == "pt"


def test_pick_language_returns_the_supported_spelling() -> None:
    assert pick_language("de-AT", ("DE", "EN"), default="EN") == "DE"
