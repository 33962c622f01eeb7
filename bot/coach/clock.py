"""Clock times and durations as reps type them: "8.30", "halb sechs", "5pm", "1,5 h"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from itertools import pairwise
from typing import Final

from bot.coach._text import EN_ONES, EN_TENS, fold, number_word

# Anything longer is not a time someone typed; refusing early keeps parsing cheap.
_MAX_INPUT: Final = 64
_DAY: Final = 24 * 60
_HALF_DAY: Final = 12 * 60
MIN_DURATION: Final = 5
MAX_DURATION: Final = 600

_CLOCK_TOKEN: Final = re.compile(r"\d+|[a-z]+|[:.,]")
_MERIDIEM_DOTS: Final = re.compile(r"(?<![a-z])([ap])\.\s?m(?![a-z])\.?")
_OCLOCK: Final = re.compile(r"(?<![a-z])o'?\s?clock(?![a-z])")
_TRAILING: Final = ".!?;, "

_CLOCK_FILLER: Final = frozenset(
    {
        "um", "gegen", "ca", "circa", "etwa", "so", "ungefaehr", "punkt", "uhr", "h",
        "minuten", "minute", "min", "mins", "at", "around", "about", "approx",
        "approximately", "the", "in", "a", "minutes", "oclock",
    }
)  # fmt: skip
# Minutes after midnight that a part of the day suggests, used like `near`.
_DAYPARTS: Final = {
    "frueh": 7 * 60,
    "morgens": 8 * 60,
    "morgen": 8 * 60,
    "morning": 8 * 60,
    "vormittags": 10 * 60,
    "vormittag": 10 * 60,
    "mittags": 12 * 60,
    "mittag": 12 * 60,
    "noon": 12 * 60,
    "midday": 12 * 60,
    "nachmittags": 15 * 60,
    "nachmittag": 15 * 60,
    "afternoon": 15 * 60,
    "abends": 19 * 60,
    "abend": 19 * 60,
    "evening": 19 * 60,
    "tonight": 20 * 60,
    "nachts": 0,
    "nacht": 0,
    "night": 0,
    "midnight": 0,
    "mitternacht": 0,
}
_STANDALONE: Final = {
    "mittag": 12 * 60,
    "mittags": 12 * 60,
    "noon": 12 * 60,
    "midday": 12 * 60,
    "mitternacht": 0,
    "midnight": 0,
}
_MERIDIEM: Final = {"am": False, "pm": True}
_MINUTE_WORDS: Final = frozenset({"min", "mins", "minute", "minuten", "minutes"})
_RANGE_PREFIX: Final = re.compile(r"^(?:von|vom|ab|zwischen|from|between)\s+")
_RANGE_SEPARATOR: Final = re.compile(r"\s*[-–—]\s*|\s+(?:bis|und|to|till|til|until|and|through)\s+")

_AFTER: Final = ("nach", "past", "after")
_BEFORE: Final = ("vor", "to", "til", "till", "before", "of")
# Shape of the words around the hour -> (minutes added to the hour, sign of the minute count).
# "N" is a number; the last "N" is always the hour.
_SHAPES: Final[dict[tuple[str, ...], tuple[int, int]]] = {
    ("N",): (0, 0),
    ("halb", "N"): (-30, 0),
    ("half", "N"): (30, 0),  # British "half five" means 5:30, unlike German "halb fünf".
    ("viertel", "N"): (-45, 0),  # Eastern German "viertel neun" means 8:15.
    ("dreiviertel", "N"): (-15, 0),
    ("N", "vor", "halb", "N"): (-30, -1),
    ("N", "nach", "halb", "N"): (-30, 1),
    **{("half", word, "N"): (30, 0) for word in _AFTER},
    **{("viertel", word, "N"): (15, 0) for word in _AFTER},
    **{("quarter", word, "N"): (15, 0) for word in _AFTER},
    **{("viertel", word, "N"): (-15, 0) for word in _BEFORE},
    **{("quarter", word, "N"): (-15, 0) for word in _BEFORE},
    **{("N", word, "N"): (0, 1) for word in _AFTER},
    **{("N", word, "N"): (0, -1) for word in _BEFORE},
}


@dataclass(frozen=True, slots=True)
class _Num:
    value: int
    digits: str | None  # as typed when written with digits; None for number words


def format_clock(t: time) -> str:
    """The time as zero-padded 24-hour "HH:MM"."""
    return f"{t.hour:02d}:{t.minute:02d}"


def parse_clock(text: str, *, near: time | None = None) -> time | None:
    """A clock time from free text, reading 12-hour forms as the one closest to `near`.

    A duration ("5 min", "in 5 Minuten", "in 2 h") is not a clock time and gives None.
    """
    read = _read_clock(text, near)
    return None if read is None else read[0]


def parse_clock_range(text: str, *, near: tuple[time, time]) -> tuple[time, time] | None:
    """A span of two clock times from "21-7", "12–14", "12 bis 14", "22:30 to 6:30".

    One end in 24-hour notation ("14", "07:00") shows the rep counts the 24-hour way, so the
    other end is read the same way ("12-14" is noon to two); with two 12-hour ends ("10-6")
    each leans towards its end of `near`. None if unclear.
    """
    if not text or len(text) > _MAX_INPUT:
        return None
    parts = _RANGE_SEPARATOR.split(_RANGE_PREFIX.sub("", fold(text).strip(" .!")))
    if len(parts) != 2:
        return None
    plain = [_read_clock(part, None) for part in parts]
    if plain[0] is None or plain[1] is None:
        return None
    if plain[0][1] or plain[1][1]:
        return plain[0][0], plain[1][0]
    begin, until = parse_clock(parts[0], near=near[0]), parse_clock(parts[1], near=near[1])
    if begin is None or until is None:
        return None
    return begin, until


def _read_clock(text: str, near: time | None) -> tuple[time, bool] | None:
    """The clock time, and whether it was written the 24-hour way (so it names its half-day)."""
    tokens = _clock_tokens(text)
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0] in _STANDALONE:
        return _to_time(_STANDALONE[tokens[0]]), False
    parsed = _clock_items(tokens)
    if parsed is None:
        return None
    items, pm, anchor = parsed
    shape = tuple("N" if isinstance(item, _Num) else item for item in items)
    nums = [item for item in items if isinstance(item, _Num)]
    if shape == ("N", "N"):
        hour, minute = nums
        if (minute.digits is not None and len(minute.digits) != 2) or minute.value > 59:
            return None
        total = hour.value * 60 + minute.value
        # "10:30" or "08:30" is deliberate 24-hour notation; "8:30" or "10" could be evening.
        explicit = hour.digits is not None and minute.digits is not None and len(hour.digits) == 2
    elif shape in _SHAPES:
        hour = nums[-1]
        offset, sign = _SHAPES[shape]
        if sign:
            count = nums[0].value
            if not 1 <= count <= (29 if "halb" in shape else 30):
                return None
            offset += sign * count
        total = hour.value * 60 + offset
        explicit = hour.digits is not None and hour.digits.startswith("0")
    else:
        return None
    if hour.value > 24 or not 0 <= total <= _DAY:
        return None
    total %= _DAY
    twelve_hour = 1 <= hour.value <= 12
    other = (total + _HALF_DAY) % _DAY
    if pm is not None:
        if not twelve_hour:
            return None
        return _to_time(other if (total >= _HALF_DAY) != pm else total), False
    written_24h = (not twelve_hour or explicit) and anchor is None
    if anchor is None and near is not None:
        anchor = near.hour * 60 + near.minute
    ambiguous = twelve_hour and not explicit and anchor is not None
    if ambiguous and anchor is not None and _distance(other, anchor) < _distance(total, anchor):
        total = other
    return _to_time(total), written_24h


def _clock_tokens(text: str) -> list[str] | None:
    if not text or len(text) > _MAX_INPUT:
        return None
    folded = _MERIDIEM_DOTS.sub(r"\1m", fold(text).replace("’", "'"))
    folded = _OCLOCK.sub(" oclock ", folded).replace("-", " ").rstrip(_TRAILING)
    if _CLOCK_TOKEN.sub("", folded).strip():
        return None
    tokens = _CLOCK_TOKEN.findall(folded)
    if _is_duration(tokens):
        return None
    merged: list[str] = []
    for token in tokens:
        if merged and merged[-1] == "drei" and token == "viertel":
            merged[-1] = "dreiviertel"
        elif merged and merged[-1] in EN_TENS and EN_ONES.get(token, 0) > 0:
            merged[-1] = str(EN_TENS[merged[-1]] + EN_ONES[token])
        elif merged and merged[-1] == "am" and token in _DAYPARTS:
            merged[-1] = token  # German "am Abend" is "in the evening", not a.m.
        else:
            merged.append(token)
    return [token for token in merged if token not in _CLOCK_FILLER]


def _is_duration(tokens: list[str]) -> bool:
    """ "5 min", "in 5 Minuten", "in 2 h": an amount of time, not a time of day."""
    numbers = [t for t in tokens if t.isdigit() or number_word(t) is not None]
    if len(numbers) == 1 and any(t in _MINUTE_WORDS for t in tokens):
        return True  # "10 nach 8" or "8 Uhr 30 min" name two numbers
    # "in" right before a number counts from now; "8 in the evening" has it after.
    return any(
        t == "in" and (n.isdigit() or number_word(n) is not None or n in ("a", "an", "einer"))
        for t, n in pairwise(tokens)
    )


def _clock_items(tokens: list[str]) -> tuple[list[_Num | str], bool | None, int | None] | None:
    items: list[_Num | str] = []
    pm: bool | None = None
    anchor: int | None = None
    for index, token in enumerate(tokens):
        if token in _MERIDIEM:
            if pm is not None:
                return None
            pm = _MERIDIEM[token]
        elif token in _DAYPARTS:
            if anchor is not None:
                return None
            anchor = _DAYPARTS[token]
        elif token in ":.,":
            before, after = tokens[index - 1 : index], tokens[index + 1 : index + 2]
            if not (before and after and before[0].isdigit() and after[0].isdigit()):
                return None
        elif token.isdigit():
            if len(token) <= 2:
                items.append(_Num(int(token), token))
            elif len(token) <= 4:
                items.extend((_Num(int(token[:-2]), token[:-2]), _Num(int(token[-2:]), token[-2:])))
            else:
                return None
        else:
            value = number_word(token)
            items.append(token if value is None else _Num(value, None))
    return items, pm, anchor


def _distance(a: int, b: int) -> int:
    gap = abs(a - b) % _DAY
    return min(gap, _DAY - gap)


def _to_time(total: int) -> time:
    return time(total // 60, total % 60)


_DURATION_TOKEN: Final = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+")
_DURATION_CLOCK: Final = re.compile(r"(\d{1,2}):(\d{2})\s*(?:h|std|stunden?|hours?)?")
_HALF_SUFFIX: Final = re.compile(
    r"(?<![a-z])(ein|zwei|drei|vier|fuenf|sechs|sieben|acht|neun|zehn)einhalb(?![a-z])"
)
_QUARTER_HOUR: Final = re.compile(r"(drei)?viertelstunden?")
_HOUR_UNITS: Final = frozenset({"h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden"})
_MINUTE_UNITS: Final = frozenset({"m", "min", "mins", "minute", "minutes", "minuten", "minutn"})
_ARTICLES: Final = frozenset({"a", "an", "ein", "eine", "einer", "einen"})
_FRACTIONS: Final = {
    "halb": 0.5,
    "halbe": 0.5,
    "halben": 0.5,
    "half": 0.5,
    "viertel": 0.25,
    "quarter": 0.25,
    "dreiviertel": 0.75,
}
_DURATION_FILLER: Final = frozenset(
    {"ca", "circa", "etwa", "ungefaehr", "rund", "so", "lang", "about", "around", "for", "fuer",
     "approx", "of", "the"}
)  # fmt: skip
_VULGAR: Final = {"½": 0.5, "¼": 0.25, "¾": 0.75}


@dataclass(frozen=True, slots=True)
class _Amount:
    value: float
    article: bool = False
    word: bool = False


def parse_minutes(text: str) -> int | None:
    """A duration in whole minutes ("90", "1,5 h", "anderthalb Stunden"), 5 to 600, else None."""
    if not text or len(text) > _MAX_INPUT:
        return None
    for sign, value in _VULGAR.items():
        text = re.sub(rf"(\d)\s*{sign}", rf"\g<1>{str(value)[1:]}", text)
        text = text.replace(sign, f" {value} ")
    folded = fold(text).rstrip(_TRAILING)
    if folded.startswith("-"):
        return None
    clock = _DURATION_CLOCK.fullmatch(folded)
    if clock is not None:
        hours, minutes = int(clock.group(1)), int(clock.group(2))
        return _duration(hours * 60 + minutes) if minutes < 60 else None
    # Dots after words are abbreviations ("ca.", "Std."); other dashes join words.
    folded = re.sub(r"(?<=[a-z])\.", " ", folded).replace("-", " ")
    folded = _HALF_SUFFIX.sub(lambda m: f" {_half_of(m.group(1))} ", folded)
    folded = re.sub(r"(?<![a-z])anderthalb(?![a-z])", " 1.5 ", folded)
    folded = _QUARTER_HOUR.sub(lambda m: " 0.75 h " if m.group(1) else " 0.25 h ", folded)
    if _DURATION_TOKEN.sub("", folded).strip():
        return None
    items = _duration_items(_DURATION_TOKEN.findall(folded))
    return None if items is None else _sum_duration(items)


def _half_of(word: str) -> str:
    value = number_word(word)
    return f"{(10 if value is None else value) + 0.5}"


def _duration_items(tokens: list[str]) -> list[_Amount | str] | None:
    items: list[_Amount | str] = []
    for token in tokens:
        if token in _DURATION_FILLER:
            continue
        item: _Amount | str
        if token[0].isdigit():
            item = _Amount(float(token.replace(",", ".")))
        elif token in _ARTICLES:
            item = _Amount(1.0, article=True)
        elif token in _FRACTIONS:
            item = _Amount(_FRACTIONS[token], word=True)
        elif token in _HOUR_UNITS:
            item = "h"
        elif token in _MINUTE_UNITS:
            item = "m"
        elif token in ("und", "and"):
            item = "and"
        else:
            value = number_word(token)
            if value is None:
                return None
            item = _Amount(float(value), word=True)
        items.append(item)
        _merge_tail(items)
    return items


def _merge_tail(items: list[_Amount | str]) -> None:
    """Fold the last items together where they spell one amount ("a half", "twenty five")."""
    while len(items) >= 2:
        first, last = items[-2], items[-1]
        if isinstance(first, _Amount) and isinstance(last, _Amount):
            if first.article and last.value < 1:
                merged = last  # "a half", "eine halbe"
            elif last.article and first.value < 1:
                merged = first  # "half an"
            elif first.word and last.word and first.value in (20, 30, 40, 50) and last.value < 10:
                merged = _Amount(first.value + last.value, word=True)
            else:
                return
            items[-2:] = [merged]
        elif (
            len(items) >= 3
            and first == "and"
            and isinstance(last, _Amount)
            and last.value < 1
            and isinstance(whole := items[-3], _Amount)
        ):
            items[-3:] = [_Amount(whole.value + last.value)]  # "one and a half"
        else:
            return


def _sum_duration(items: list[_Amount | str]) -> int | None:
    total = 0.0
    pending: _Amount | None = None
    units: list[str] = []
    for item in items:
        if isinstance(item, _Amount):
            if pending is not None:
                return None
            pending = item
        elif item == "and":
            if pending is not None or not units:
                return None
        else:
            if pending is None or item in units:
                return None
            total += pending.value * (60 if item == "h" else 1)
            units.append(item)
            pending = None
    if pending is not None:
        if not units:
            if not pending.value.is_integer():
                return None
            total = pending.value
        elif units[-1] != "h":
            return None
        elif pending.value < 1:
            total += pending.value * 60  # "an hour and a half"
        elif pending.value.is_integer() and pending.value < 60:
            total += pending.value  # "1h30"
        else:
            return None
    return _duration(round(total))


def is_duration(text: str) -> bool:
    """Whether a text reads as an amount of time ("5 min", "in 5 Minuten", "90") rather than a
    time of day; ask it only after `parse_clock` found no clock time."""
    if not text or len(text) > _MAX_INPUT:
        return False
    return parse_minutes(re.sub(r"^in\s+", "", fold(text).strip())) is not None


def _duration(minutes: int) -> int | None:
    return minutes if MIN_DURATION <= minutes <= MAX_DURATION else None
