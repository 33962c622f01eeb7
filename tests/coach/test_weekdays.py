"""Working days typed by reps, displayed compactly and stored as digits."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.weekdays import (
    format_weekdays,
    parse_weekdays,
    weekdays_from_str,
    weekdays_to_str,
)

DE_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
EN_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DE_LONG = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
EN_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALL_NAMES = (DE_SHORT, EN_SHORT, DE_LONG, EN_LONG)

MO_FR = frozenset(range(5))
EVERY_DAY = frozenset(range(7))

_VOCAB = [
    "Mo", "di", "MI", "Do.", "fr", "Sa", "So", "mon", "thu", "Sunday", "Montag", "1", "5", "7",
    "8", "-", "–", "bis", "to", ",", "und", "and", "werktags", "täglich", "alle", "außer",
    "except", "every", "day", "jeden", "Tag", "weekend", "/", "xyz",
]  # fmt: skip
_vocab_text = st.lists(st.sampled_from(_VOCAB), max_size=8).map(" ".join)
_any_text = st.one_of(st.text(), st.text(min_size=200, max_size=3000), _vocab_text)
_day_sets = st.frozensets(st.integers(0, 6))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo-Fr", MO_FR),
        ("Mo–Fr", MO_FR),
        ("Mo — Fr", MO_FR),
        ("mo bis fr", MO_FR),
        ("Mo.-Fr.", MO_FR),
        ("Montag bis Freitag", MO_FR),
        ("von Montag bis Freitag", MO_FR),
        ("MONTAG - FREITAG!", MO_FR),
        ("mon-fri", MO_FR),
        ("Mon thru Fri", MO_FR),
        ("1-5", MO_FR),
        ("werktags", MO_FR),
        ("Werktage", MO_FR),
        ("weekdays", MO_FR),
        ("working days", MO_FR),
        ("unter der Woche", MO_FR),
        ("Mo, Di, Do", frozenset({0, 1, 3})),
        ("Mo Di Mi", frozenset({0, 1, 2})),
        ("Mo/Mi/Fr", frozenset({0, 2, 4})),
        ("Mon,Wed,Fri", frozenset({0, 2, 4})),
        ("Monday to Thursday", frozenset({0, 1, 2, 3})),
        ("Monday, Wednesday and Friday", frozenset({0, 2, 4})),
        ("Dienstag und Donnerstag", frozenset({1, 3})),
        ("montags", frozenset({0})),
        ("mittw", frozenset({2})),
        ("thurs", frozenset({3})),
        ("täglich", EVERY_DAY),
        ("taeglich", EVERY_DAY),
        ("jeden Tag", EVERY_DAY),
        ("every day", EVERY_DAY),
        ("daily", EVERY_DAY),
        ("alle", EVERY_DAY),
        ("Mo-So", EVERY_DAY),
        ("Sa-Mo", frozenset({5, 6, 0})),
        ("Fr-Di", frozenset({4, 5, 6, 0, 1})),
        ("Mo-Mo", frozenset({0})),
        ("Wochenende", frozenset({5, 6})),
        ("Mo-Fr, Sa", frozenset(range(6))),
        ("Mo–Mi, Fr", frozenset({0, 1, 2, 4})),
        ("jeden Tag außer Sonntag", frozenset(range(6))),
        ("Mo-Fr ohne Mi", frozenset({0, 1, 3, 4})),
        ("every day except Saturday and Sunday", MO_FR),
        ("außer Mittwoch", EVERY_DAY - {2}),
    ],
)
def test_parse_weekdays_spellings(text: str, expected: frozenset[int]) -> None:
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "xyz", "Mo-", "-Fr", "Mo--Fr", "Mo bis", "Mo, Blub", "0-4", "8", "Mo-Fr 😀",
        "täglich außer täglich", "Mo-Fr-Sa", "x" * 10_000,
    ],
)  # fmt: skip
def test_parse_weekdays_rejects(text: str) -> None:
    assert parse_weekdays(text) is None


@pytest.mark.parametrize(
    ("days", "names", "expected"),
    [
        (MO_FR, DE_SHORT, "Mo–Fr"),
        (frozenset({0, 2, 4}), DE_SHORT, "Mo, Mi, Fr"),
        (frozenset({0, 1, 2, 4}), DE_SHORT, "Mo–Mi, Fr"),
        (frozenset({0, 1}), DE_SHORT, "Mo, Di"),
        (EVERY_DAY, EN_SHORT, "Mon–Sun"),
        (frozenset({0, 5, 6}), EN_SHORT, "Mon, Sat, Sun"),
        (frozenset(), DE_SHORT, ""),
    ],
)
def test_format_weekdays(days: frozenset[int], names: Sequence[str], expected: str) -> None:
    assert format_weekdays(days, names) == expected


def test_format_weekdays_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="7 weekday names"):
        format_weekdays(MO_FR, DE_SHORT[:5])
    with pytest.raises(ValueError, match=r"0\.\.6"):
        format_weekdays(frozenset({7}), DE_SHORT)


@settings(max_examples=200, deadline=None)
@given(days=_day_sets.filter(bool), names=st.sampled_from(ALL_NAMES))
def test_formatted_days_parse_back(days: frozenset[int], names: Sequence[str]) -> None:
    assert parse_weekdays(format_weekdays(days, names)) == days


@settings(max_examples=200, deadline=None)
@given(days=_day_sets)
def test_storage_round_trip(days: frozenset[int]) -> None:
    assert weekdays_from_str(weekdays_to_str(days)) == days


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("01234", MO_FR),
        ("", frozenset()),
        ("0, 2;x9 4", frozenset({0, 2, 4})),
        ("6660", frozenset({0, 6})),
    ],
)
def test_weekdays_from_str_tolerates_junk(stored: str, expected: frozenset[int]) -> None:
    assert weekdays_from_str(stored) == expected


def test_weekdays_to_str_is_sorted() -> None:
    assert weekdays_to_str(frozenset({4, 0, 2})) == "024"


@settings(max_examples=300, deadline=None)
@given(text=_any_text)
def test_parse_weekdays_never_raises(text: str) -> None:
    result = parse_weekdays(text)
    assert result is None or (result and result <= EVERY_DAY)


@settings(max_examples=200, deadline=None)
@given(stored=st.text())
def test_weekdays_from_str_never_raises(stored: str) -> None:
    assert weekdays_from_str(stored) <= EVERY_DAY
