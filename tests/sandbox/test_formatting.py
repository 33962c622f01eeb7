"""Entity parsing and detection, checked against tdlib's own test vectors where available."""

from __future__ import annotations

import pytest

from bot.sandbox.formatting import EntityParseError, find_entities, parse_text, trim_text


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<value>", 'Unsupported start tag "value" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", "Can't find end tag corresponding to start tag b"),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("ä<b", "Unclosed start tag at byte offset 2"),
    ],
)
def test_html_errors(text: str, error: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_text(text, "HTML")
    assert str(info.value) == error


def test_html_entities_and_nesting() -> None:
    text, entities = parse_text(
        "<b>fett <i>kursiv</i></b> &lt;&amp;&gt; 😀<a href='https://x.de'>Link</a>", "HTML"
    )
    assert text == "fett kursiv <&> 😀Link"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 11},
        {"type": "italic", "offset": 5, "length": 6},
        {"type": "text_link", "offset": 18, "length": 4, "url": "https://x.de"},
    ]
    text, entities = parse_text('<pre><code class="language-python">x = 1</code></pre>', "html")
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Version 1.0", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("🏟 🏟_abacaba", "Can't find end of Italic entity at byte offset 9"),
        ("🏟 🏟_abac * asd ", "Can't find end of Bold entity at byte offset 15"),
        ("[a](http://x", "Can't find end of a URL at byte offset 4"),
    ],
)
def test_markdown_v2_errors(text: str, error: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_text(text, "MarkdownV2")
    assert str(info.value) == error


def test_markdown_v2_entities() -> None:
    text, entities = parse_text(
        "*b* _i_ __u__ ~s~ ||sp|| `c` [l](https://x.de) \\. ```py\nx\n```", "MarkdownV2"
    )
    assert text == "b i u s sp c l . x\n"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
        "pre",
    ]
    assert entities[-1] == {"type": "pre", "offset": 17, "length": 2, "language": "py"}


def test_legacy_markdown_and_plain() -> None:
    assert parse_text("*b* _i_", "Markdown") == (
        "b i",
        [{"type": "bold", "offset": 0, "length": 1}, {"type": "italic", "offset": 2, "length": 1}],
    )
    assert parse_text("<b>roh</b>", None) == ("<b>roh</b>", [])


def test_trim_moves_entities() -> None:
    assert trim_text(" \n<hi> \n", [{"type": "bold", "offset": 2, "length": 5}]) == (
        "<hi>",
        [{"type": "bold", "offset": 0, "length": 4}],
    )


def test_detected_entities() -> None:
    found = find_entities("/start@Bot x /help a/b @anna #tag https://a.de/x. 😀 /end")
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 0, 10),
        ("bot_command", 13, 5),
        ("mention", 23, 5),
        ("hashtag", 29, 4),
        ("url", 34, 14),
        ("bot_command", 53, 4),
    ]
