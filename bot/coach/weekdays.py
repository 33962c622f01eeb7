"""Working days as a set of weekday numbers (0 = Monday, like `date.weekday()`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.coach._text import fold

ALL_DAYS: Final = frozenset(range(7))
WORKDAYS: Final = frozenset(range(5))
WEEKEND: Final = frozenset({5, 6})
_MAX_INPUT: Final = 200
_MIN_RUN: Final = 3  # two neighbours read better as "Mo, Di" than as a range

_DAY_NAMES: Final[tuple[tuple[str, ...], ...]] = (
    ("mo", "mon", "montag", "montags", "monday", "mondays"),
    ("di", "dienstag", "dienstags", "tu", "tue", "tues", "tuesday", "tuesdays"),
    ("mi", "mittwoch", "mittwochs", "we", "wed", "weds", "wednesday", "wednesdays"),
    ("do", "don", "donnerstag", "donnerstags", "th", "thu", "thur", "thurs", "thursday",
     "thursdays"),
    ("fr", "fri", "freitag", "freitags", "friday", "fridays"),
    ("sa", "sam", "samstag", "samstags", "sonnabend", "sonnabends", "sat", "saturday",
     "saturdays"),
    ("so", "son", "sonntag", "sonntags", "su", "sun", "sunday", "sundays"),
)  # fmt: skip
_DAY_BY_NAME: Final = {name: day for day, names in enumerate(_DAY_NAMES) for name in names}
# Longest names per day, to accept unambiguous prefixes such as "mittw" or "thurs".
_FULL_NAMES: Final = tuple(
    (name, day) for day, names in enumerate(_DAY_NAMES) for name in names if len(name) > 4
)
_GROUPS: Final = {
    "werktags": WORKDAYS,
    "werktage": WORKDAYS,
    "wochentags": WORKDAYS,
    "wochentage": WORKDAYS,
    "weekdays": WORKDAYS,
    "weekday": WORKDAYS,
    "workdays": WORKDAYS,
    "workday": WORKDAYS,
    "taeglich": ALL_DAYS,
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "alle": ALL_DAYS,
    "all": ALL_DAYS,
    "immer": ALL_DAYS,
    "wochenende": WEEKEND,
    "wochenenden": WEEKEND,
    "weekend": WEEKEND,
    "weekends": WEEKEND,
}
_PHRASES: Final = (
    (re.compile(r"\b(?:jeden|jedem|alle|an allen) tage?n?\b"), " alle "),
    (re.compile(r"\b(?:every|each|all) days?\b"), " alle "),
    (re.compile(r"\bunter der woche\b"), " werktags "),
    (re.compile(r"\b(?:working|work|business) days?\b"), " werktags "),
)
_RANGE_WORDS: Final = frozenset({"bis", "to", "through", "thru", "till", "til", "until"})
_EXCEPT_WORDS: Final = frozenset({"ausser", "ohne", "except", "but", "excluding", "exkl"})
_FILLER: Final = frozenset(
    {"und", "and", "sowie", "plus", "von", "vom", "from", "am", "an", "on", "jeden", "jede",
     "jedem", "every", "each", "nur", "only", "der", "the", "not", "auch", "also"}
)  # fmt: skip
_TOKEN: Final = re.compile(r"[a-z]+|\d|-")
_IGNORED: Final = re.compile(r"[\s.,;:!?/&+|]+")


def parse_weekdays(text: str) -> frozenset[int] | None:
    """Days from "Mo-Fr", "Mo, Mi, Fr", "mon to thu", "werktags", "1-5"; None if unclear."""
    if not text or len(text) > _MAX_INPUT:
        return None
    folded = fold(text)
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    if _IGNORED.sub("", _TOKEN.sub("", folded)):
        return None
    tokens = ["-" if token in _RANGE_WORDS else token for token in _TOKEN.findall(folded)]
    tokens = [token for token in tokens if token not in _FILLER]
    split = next((i for i, token in enumerate(tokens) if token in _EXCEPT_WORDS), None)
    if split is None:
        days = _days(tokens)
    else:
        included = _days(tokens[:split]) if split else ALL_DAYS
        excluded = _days(tokens[split + 1 :])
        days = None if included is None or excluded is None else included - excluded
    return days or None


def _days(tokens: list[str]) -> frozenset[int] | None:
    days: set[int] = set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in _GROUPS:
            days |= _GROUPS[token]
            index += 1
            continue
        start = _day(token)
        if start is None:
            return None
        if index + 1 < len(tokens) and tokens[index + 1] == "-":
            end = _day(tokens[index + 2]) if index + 2 < len(tokens) else None
            if end is None:
                return None
            # Wraps past Sunday, so "Sa-Mo" is Saturday, Sunday and Monday.
            days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
            index += 3
        else:
            days.add(start)
            index += 1
    return frozenset(days) if days else None


def _day(token: str) -> int | None:
    if token in _DAY_BY_NAME:
        return _DAY_BY_NAME[token]
    if token.isdigit():
        number = int(token)
        return number - 1 if 1 <= number <= 7 else None
    if len(token) >= 3:
        matches = {day for name, day in _FULL_NAMES if name.startswith(token)}
        if len(matches) == 1:
            return matches.pop()
    return None


def format_weekdays(days: frozenset[int], names: Sequence[str]) -> str:
    """Days in order with runs as ranges ("Mo–Fr", "Mo–Mi, Fr") using the caller's seven names."""
    if len(names) != 7:
        raise ValueError(f"need 7 weekday names, got {len(names)}")
    if not days <= ALL_DAYS:
        raise ValueError(f"weekdays must be 0..6, got {sorted(days)}")
    parts: list[str] = []
    ordered = sorted(days)
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start + 1 >= _MIN_RUN:
            parts.append(f"{names[ordered[start]]}–{names[ordered[end]]}")
        else:
            parts.extend(names[day] for day in ordered[start : end + 1])
        start = end + 1
    return ", ".join(parts)


def weekdays_to_str(days: frozenset[int]) -> str:
    """Storage form: the sorted day digits, e.g. "01234"."""
    return "".join(str(day) for day in sorted(days) if 0 <= day <= 6)


def weekdays_from_str(stored: str) -> frozenset[int]:
    """Days from the storage form, skipping anything that is not a digit 0..6."""
    return frozenset(int(ch) for ch in stored if ch in "0123456")
