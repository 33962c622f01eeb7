"""The texts: both languages complete, placeholders matching, rendering safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content import Content, ContentError, Raw, load_content, placeholders
from bot.handlers.register import GERMAN


def test_every_key_exists_in_both_languages(content: Content) -> None:
    assert set(content.languages) == {"de", "en"}
    assert set(content.texts["de"]) == set(content.texts["en"])
    assert len(content.texts["de"]) > 50


def test_placeholders_match_per_key(content: Content) -> None:
    for key, de in content.texts["de"].items():
        en = content.texts["en"][key]
        assert type(de) is type(en), key
        de_items = [de] if isinstance(de, str) else list(de)
        en_items = [en] if isinstance(en, str) else list(en)
        assert set().union(*map(placeholders, de_items)) == set().union(
            *map(placeholders, en_items)
        ), key


def test_weekday_names_are_seven(content: Content) -> None:
    for lang in content.languages:
        assert len(content.list(lang, "common.weekdays_short")) == 7


def test_german_uses_du_not_sie(content: Content) -> None:
    """We address reps with "du"; a capitalised "Sie"/"Ihr" as address would be inconsistent."""
    for key, value in content.texts["de"].items():
        for text in [value] if isinstance(value, str) else value:
            words = {w.strip('.,:;!?–()"„“') for w in text.split()}
            assert not words & {"Sie", "Ihnen", "Ihr", "Ihre", "Ihren"}, key


def test_german_texts_name_the_german_commands(content: Content) -> None:
    """A German rep reads /abbrechen, /einstellungen, /heute: the names of their command menu
    (the English ones work too, and the help says so once, in help.text)."""
    english = re.compile(
        r"(?<![\w/.:])/(" + "|".join(name for name, german in GERMAN.items() if german) + r")\b"
    )
    found = [
        (key, hit.group(0))
        for key, value in content.texts["de"].items()
        if key != "help.text"
        for text in ([value] if isinstance(value, str) else value)
        for hit in english.finditer(text)
    ]
    assert found == []


def test_values_are_escaped_unless_raw(content: Content) -> None:
    text = content.text("de", "common.unknown_command", command="<b>&</b>")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in text
    assert "<b>x</b>" in content.text("de", "common.unknown_command", command=Raw("<b>x</b>"))


def test_unknown_language_falls_back_to_default(content: Content) -> None:
    assert content.text("fr", "menu.help") == content.text("de", "menu.help")
    assert content.lang(None) == "de"


def _write(folder: Path, lang: str, text: str) -> None:
    (folder / lang).mkdir(parents=True, exist_ok=True)
    (folder / lang / "ui.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("de", "en", "message"),
    [
        ("a: Hallo\nb: Tschüss\n", "a: Hello\n", "keys differ"),
        ("a: Hallo {name}\n", "a: Hello {user}\n", "placeholders"),
        ("a: Hallo\n", "a: [Hello]\n", "kind differ"),
        ("a: Hallo {\n", "a: Hello {\n", "bad placeholder"),
        ("a: '  '\n", "a: Hi\n", "empty"),
        ("a: 5\n", "a: Hi\n", "ui.yaml"),
        ("a: [unclosed\n", "a: Hi\n", "ui.yaml"),
    ],
)
def test_broken_content_is_refused(tmp_path: Path, de: str, en: str, message: str) -> None:
    _write(tmp_path, "de", de)
    _write(tmp_path, "en", en)
    with pytest.raises(ContentError, match=message):
        load_content(tmp_path)


def test_missing_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError):
        load_content(tmp_path / "nope")
    _write(tmp_path, "en", "a: Hi\n")
    with pytest.raises(ContentError, match="default language"):
        load_content(tmp_path, default_language="de")


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("de", 1, "1 Termin"),
        ("de", 2, "2 Termine"),
        ("de", 0, "0 Termine"),
        ("en", 1, "1 appointment"),
    ],
)
def test_plural_picks_the_form_for_the_count(
    content: Content, lang: str, n: int, expected: str
) -> None:
    assert content.plural(lang, "today.count.appointments", n) == expected
