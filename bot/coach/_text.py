"""Shared helpers for the input parsers: folding what people type, and number words."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_UMLAUTS: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_DASHES: Final = str.maketrans(dict.fromkeys("‐‑‒–—―−⁃﹘﹣－", "-"))
_SPACES: Final = re.compile(r"\s+")

_DE_UNITS: Final = {
    "null": 0,
    "ein": 1,
    "eins": 1,
    "eine": 1,
    "zwei": 2,
    "zwo": 2,
    "drei": 3,
    "vier": 4,
    "fuenf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_DE_TEENS: Final = {
    "zehn": 10,
    "elf": 11,
    "zwoelf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fuenfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_DE_TENS: Final = {"zwanzig": 20, "dreissig": 30, "vierzig": 40, "fuenfzig": 50}
_DE_COMPOUND: Final = re.compile(
    r"(ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun)und(zwanzig|dreissig|vierzig|fuenfzig)"
)
# People on phones often drop the umlaut instead of writing "ue"/"oe".
_DE_BARE_UMLAUT: Final = (("funf", "fuenf"), ("zwolf", "zwoelf"))

# Month names as folded text ("maerz", "march", "mrz") → month number, German and English.
MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "januar", "january", "jaenner", "janner"),
            ("feb", "februar", "february", "febr"),
            ("mar", "maer", "maerz", "marz", "march", "mrz"),
            ("apr", "april"),
            ("mai", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("okt", "oct", "oktober", "october"),
            ("nov", "november"),
            ("dez", "dec", "dezember", "december"),
        ),
        start=1,
    )
    for name in names
}
EN_ONES: Final = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_EN_TEENS: Final = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
EN_TENS: Final = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}


def fold(text: str) -> str:
    """Lower-case, spell umlauts as ae/oe/ue/ss, drop accents, unify dashes and spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.translate(_DASHES)).strip()


def number_word(word: str) -> int | None:
    """The value of a single German or English number word from 0 to 59 (folded input)."""
    for bare, proper in _DE_BARE_UMLAUT:
        word = word.replace(bare, proper)
    for table in (_DE_UNITS, _DE_TEENS, _DE_TENS, EN_ONES, _EN_TEENS, EN_TENS):
        if word in table:
            return table[word]
    match = _DE_COMPOUND.fullmatch(word)
    if match is None:
        return None
    return _DE_UNITS[match.group(1)] + _DE_TENS[match.group(2)]
