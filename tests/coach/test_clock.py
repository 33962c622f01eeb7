"""Clock times and durations as reps type them."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.clock import format_clock, is_duration, parse_clock, parse_clock_range, parse_minutes

EVENING = time(18, 0)
MORNING = time(8, 0)

# Words and marks the parsers know, so generated input reaches past the first refusal.
_VOCAB = [
    "8", "08", "17", "5", "12", "24", "830", "0830", "1730", "30", "45", "99", ":", ".", ",",
    "h", "uhr", "am", "pm", "a.m.", "p.m.", "halb", "half", "viertel", "dreiviertel", "drei",
    "quarter", "nach", "vor", "past", "to", "acht", "sechs", "fünf", "zwölf", "twenty", "five",
    "abends", "morgens", "mittags", "noon", "midnight", "o'clock", "min", "Stunden", "hour",
    "an", "a", "eine", "halbe", "und", "and", "anderthalb", "zweieinhalb", "½", "1,5", "-",
]  # fmt: skip
_vocab_text = st.lists(st.sampled_from(_VOCAB), max_size=8).map(" ".join)
_any_text = st.one_of(st.text(), st.text(min_size=200, max_size=3000), _vocab_text)
_clock_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", time(8)),
        ("08", time(8)),
        ("8:00", time(8)),
        ("08.30", time(8, 30)),
        ("8.30 Uhr", time(8, 30)),
        ("830", time(8, 30)),
        ("0830", time(8, 30)),
        ("17:30", time(17, 30)),
        ("17h30", time(17, 30)),
        ("17 Uhr", time(17)),
        ("17 uhr 30", time(17, 30)),
        ("  17:30.  ", time(17, 30)),
        ("17,30", time(17, 30)),
        ("1730 Uhr", time(17, 30)),
        ("5pm", time(17)),
        ("5 PM", time(17)),
        ("5:30 pm", time(17, 30)),
        ("5:30 p.m.", time(17, 30)),
        ("5.30am", time(5, 30)),
        ("12 am", time(0)),
        ("12 pm", time(12)),
        ("12:30 am", time(0, 30)),
        ("7 o'clock", time(7)),
        ("noon", time(12)),
        ("Mittags", time(12)),
        ("Mitternacht", time(0)),
        ("24:00", time(0)),
        ("halb sechs", time(5, 30)),
        ("Halb 6", time(5, 30)),
        ("viertel nach acht", time(8, 15)),
        ("Viertel nach 8", time(8, 15)),
        ("viertel vor neun", time(8, 45)),
        ("dreiviertel neun", time(8, 45)),
        ("drei viertel neun", time(8, 45)),
        ("viertel neun", time(8, 15)),
        ("fünf vor halb neun", time(8, 25)),
        ("fuenf nach halb neun", time(8, 35)),
        ("zehn nach acht", time(8, 10)),
        ("acht Uhr", time(8)),
        ("acht uhr dreißig", time(8, 30)),
        ("siebzehn Uhr dreissig", time(17, 30)),
        ("um 8 Uhr", time(8)),
        ("Punkt 9!", time(9)),
        ("half past five", time(5, 30)),
        ("half five", time(5, 30)),
        ("quarter to nine", time(8, 45)),
        ("a quarter past eight", time(8, 15)),
        ("twenty-five past eight", time(8, 25)),
        ("ten to six", time(5, 50)),
        ("eight thirty", time(8, 30)),
        ("8 Uhr abends", time(20)),
        ("8 Uhr am Abend", time(20)),
        ("7.45 Uhr morgens", time(7, 45)),
        ("1 Uhr mittags", time(13)),
        ("11 Uhr nachts", time(23)),
        ("six in the evening", time(18)),
        ("halb eins", time(0, 30)),
    ],
)
def test_parse_clock_spellings(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    ("text", "near", "expected"),
    [
        ("halb sechs", EVENING, time(17, 30)),
        ("halb sechs", MORNING, time(5, 30)),
        ("8", MORNING, time(8)),
        ("8", EVENING, time(20)),
        ("5:30", EVENING, time(17, 30)),
        ("10", time(21), time(22)),
        ("halb eins", time(12), time(12, 30)),
        ("viertel vor neun", time(20), time(20, 45)),
        ("half past five", EVENING, time(17, 30)),
        ("830", EVENING, time(20, 30)),
        # Equally far either way: the hour stays as written.
        ("6", time(12), time(6)),
        ("12", EVENING, time(12)),
        # Written in unmistakable 24-hour form, or with am/pm, or a part of the day.
        ("08", EVENING, time(8)),
        ("0830", EVENING, time(8, 30)),
        ("10:30", EVENING, time(10, 30)),
        ("17:30", MORNING, time(17, 30)),
        ("5 am", EVENING, time(5)),
        ("5pm", MORNING, time(17)),
        ("8 Uhr morgens", EVENING, time(8)),
        ("8 abends", MORNING, time(20)),
    ],
)
def test_parse_clock_picks_reading_near(text: str, near: time, expected: time) -> None:
    assert parse_clock(text, near=near) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "abc", "25:00", "12:75", "24:30", "8:5", "13 pm", "0 am", "12345", "8:00:00",
        "halb", "viertel nach", "halb null", "viertel nach 24", "40 nach acht", "8 am pm",
        "8 Uhr morgens abends", ":30", "8:", "8 :: 30", "acht 😀", "1" * 1000, "x" * 10_000,
    ],
)  # fmt: skip
def test_parse_clock_rejects(text: str) -> None:
    assert parse_clock(text) is None
    assert parse_clock(text, near=EVENING) is None


@pytest.mark.parametrize(("t", "expected"), [(time(8), "08:00"), (time(17, 5), "17:05")])
def test_format_clock(t: time, expected: str) -> None:
    assert format_clock(t) == expected


@settings(max_examples=300, deadline=None)
@given(t=_clock_times, near=st.none() | _clock_times)
def test_format_clock_round_trips_for_any_near(t: time, near: time | None) -> None:
    assert parse_clock(format_clock(t), near=near) == t


@settings(max_examples=300, deadline=None)
@given(text=_any_text, near=st.none() | st.times())
def test_parse_clock_never_raises(text: str, near: time | None) -> None:
    result = parse_clock(text, near=near)
    assert result is None or (result.second == 0 and result.microsecond == 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90", 90),
        ("90 min", 90),
        ("90min", 90),
        ("90 Min.", 90),
        ("1,5 h", 90),
        ("1.5h", 90),
        ("1½ h", 90),
        ("¾ h", 45),
        ("anderthalb Stunden", 90),
        ("eineinhalb Stunden", 90),
        ("zweieinhalb Stunden", 150),
        ("2 Stunden", 120),
        ("zwei Stunden", 120),
        ("1h30", 90),
        ("1 h 30 min", 90),
        ("2h 15min", 135),
        ("1:30", 90),
        ("1:30 h", 90),
        ("eine Stunde", 60),
        ("Eine Stunde und 30 Minuten", 90),
        ("1 Stunde 30", 90),
        ("eine halbe Stunde", 30),
        ("Viertelstunde", 15),
        ("dreiviertel Stunde", 45),
        ("an hour", 60),
        ("an hour and a half", 90),
        ("one and a half hours", 90),
        ("half an hour", 30),
        ("1 hour 30 minutes", 90),
        ("twenty five minutes", 25),
        ("45 Minuten", 45),
        ("ca. 45 min", 45),
        ("5", 5),
        ("10 Stunden", 600),
    ],
)
def test_parse_minutes_spellings(text: str, expected: int) -> None:
    assert parse_minutes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", "abc", "4", "601", "11 Stunden", "0", "-30", "1,5", "2.5 min", "1:75", "30 min 5",
        "1 h 2 h", "min", "90 Äpfel", "😀", "9" * 60 + " min", "x" * 10_000,
    ],
)  # fmt: skip
def test_parse_minutes_rejects(text: str) -> None:
    assert parse_minutes(text) is None


@settings(max_examples=300, deadline=None)
@given(text=_any_text)
def test_parse_minutes_never_raises(text: str) -> None:
    result = parse_minutes(text)
    assert result is None or 5 <= result <= 600


@settings(max_examples=100, deadline=None)
@given(minutes=st.integers(5, 600))
def test_parse_minutes_round_trips_plain_and_hours(minutes: int) -> None:
    assert parse_minutes(str(minutes)) == minutes
    assert parse_minutes(f"{minutes // 60}:{minutes % 60:02d}") == minutes


# --- Durations are not clock times ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["5 min", "5 Minuten", "in 5 min", "in 5 Minuten", "10 mins", "in 2 h", "in einer Stunde",
     "in an hour", "fünf Minuten", "30 minutes"],
)  # fmt: skip
def test_a_duration_is_no_clock_time(text: str) -> None:
    assert parse_clock(text) is None
    assert parse_clock(text, near=time(9)) is None
    assert is_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 Minuten nach 8", time(8, 5)),
        ("10 minutes past 9", time(9, 10)),
        ("8 Uhr 30 min", time(8, 30)),
        ("8 in the evening", time(20)),
        ("halb zehn", time(9, 30)),
    ],
)
def test_minutes_inside_a_clock_time_still_count(text: str, expected: time) -> None:
    assert parse_clock(text, near=time(9)) == expected


@pytest.mark.parametrize("text", ["halb zehn", "8 Uhr abends", "Blumenkohl", "", "x" * 100])
def test_clock_times_and_nonsense_are_no_duration(text: str) -> None:
    assert not is_duration(text)


@pytest.mark.parametrize(("text", "expected"), [("90", 90), ("1,5 h", 90), ("90 min", 90)])
def test_block_lengths_as_typed_still_work(text: str, expected: int) -> None:
    assert parse_minutes(text) == expected


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.integers(5, 59),
    unit=st.sampled_from(["min", "Min.", "Minuten", "minutes", "mins"]),
    prefix=st.sampled_from(["", "in ", "In "]),
)
def test_any_minutes_amount_is_a_duration(minutes: int, unit: str, prefix: str) -> None:
    text = f"{prefix}{minutes} {unit}"
    assert parse_clock(text, near=time(9)) is None
    assert is_duration(text)


# --- Spans of clock times ---------------------------------------------------------------------

QUIET = (time(21), time(7))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-14", (time(12), time(14))),
        ("12–14", (time(12), time(14))),
        ("12 bis 14", (time(12), time(14))),
        ("12:00-14:00", (time(12), time(14))),
        ("von 12 bis 14 Uhr", (time(12), time(14))),
        ("11-13", (time(11), time(13))),
        ("9-17", (time(9), time(17))),
        ("18-10", (time(18), time(10))),
        ("21-7", (time(21), time(7))),
        ("22:30 bis 6:30", (time(22, 30), time(6, 30))),
        # Two 12-hour ends lean towards the current quiet hours.
        ("10-6", (time(22), time(6))),
        ("10pm to 6am", (time(22), time(6))),
    ],
)
def test_parse_clock_range(text: str, expected: tuple[time, time]) -> None:
    assert parse_clock_range(text, near=QUIET) == expected


@pytest.mark.parametrize("text", ["", "21", "21-", "-7", "1-2-3", "Blumenkohl", "25-99", "x" * 100])
def test_parse_clock_range_rejects(text: str) -> None:
    assert parse_clock_range(text, near=QUIET) is None


@settings(max_examples=300, deadline=None)
@given(
    first=st.integers(0, 23),
    second=st.integers(0, 23),
    separator=st.sampled_from(["-", "–", " - ", " bis ", " to "]),
    near=st.tuples(_clock_times, _clock_times),
)
def test_a_24_hour_end_makes_the_other_24_hour_too(
    first: int, second: int, separator: str, near: tuple[time, time]
) -> None:
    # "12-14", "9-17", "21-7": one end past noon (or midnight) shows the 24-hour way.
    if not ({first, second} & {0, *range(13, 24)}):
        return
    assert parse_clock_range(f"{first}{separator}{second}", near=near) == (
        time(first),
        time(second),
    )


@settings(max_examples=300, deadline=None)
@given(text=_any_text, near=st.tuples(_clock_times, _clock_times))
def test_parse_clock_range_never_raises(text: str, near: tuple[time, time]) -> None:
    parse_clock_range(text, near=near)
