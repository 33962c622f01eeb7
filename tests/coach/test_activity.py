"""The four metrics, logging them by typing, and progress against the targets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.activity import (
    CORRECTION_DAYS,
    LOG_MAX,
    METRICS,
    UNUSUAL_DIALS,
    Counts,
    LogEntry,
    correctable,
    entry_day,
    hit,
    parse_log,
    percent,
    progress_bar,
    unusual,
)
from bot.coach.targets import DailyTargets

_VOCAB = [
    "12", "3", "1", "0", "1001", "2,5", ",", ";", ":", "und", "and", "Anrufe", "Gespräche",
    "Termin", "Termine", "dials", "calls", "convos", "meetings", "neue", "Kontakte", "new",
    "contacts", "gestern", "yesterday", "heute", "x", "telefoniert", "Leute", "Hallo", "zwei",
    "💪", "\n", "davon", "erreicht", "Anrufr", "Kontrakte", "звонков", "/", "١٢",
    "statt", "instead of", "-72", "−3", "1.000", "1,000", "01.12.", "31.02.", "Montag",
    "vorgestern", "friday", "-", "10" * 15, "12-15", "am",
]  # fmt: skip
_vocab_text = st.lists(st.sampled_from(_VOCAB), max_size=10).map(" ".join)
_any_text = st.one_of(st.text(), st.text(min_size=200, max_size=3000), _vocab_text)


def _entry(dials: int = 0, conv: int = 0, appts: int = 0, new: int = 0, back: int = 0) -> LogEntry:
    return LogEntry(Counts(dials, conv, appts, new), back)


def test_counts() -> None:
    counts = Counts(12, 3, 1)
    assert counts + Counts(1, 1, 1, 1) == Counts(13, 4, 2, 1)
    assert counts.get("dials") == 12
    assert counts.with_metric("contacts", 5) == Counts(12, 3, 1, 5)
    assert not counts.is_zero
    assert Counts().is_zero
    assert [Counts().with_metric(m, 1).get(m) for m in METRICS] == [1, 1, 1, 1]
    with pytest.raises(ValueError, match="deals"):
        counts.get("deals")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Positional, as after "/log".
        ("12", _entry(12)),
        ("12 3 1", _entry(12, 3, 1)),
        ("12 3 1 2", _entry(12, 3, 1, 2)),
        ("12, 3, 1", _entry(12, 3, 1)),
        ("12,3,1", _entry(12, 3, 1)),
        ("12\n3\n1", _entry(12, 3, 1)),
        ("gestern 8 3", _entry(8, 3, back=1)),
        ("0", _entry()),
        # German.
        ("12 Anrufe 3 Gespräche 1 Termin", _entry(12, 3, 1)),
        ("12 Anrufe, 3 Gespräche", _entry(12, 3)),
        ("12 Anrufe und 3 Gespräche", _entry(12, 3)),
        ("3 Termine", _entry(appts=3)),
        ("1 Termin", _entry(appts=1)),
        ("Ein Termin", _entry(appts=1)),
        ("zwei Termine", _entry(appts=2)),
        ("Anrufe: 12", _entry(12)),
        ("Anrufe 12, Gespräche 3", _entry(12, 3)),
        ("Anrufe: 12, 3 Gespräche", _entry(12, 3)),
        ("Telefonat: 12; Termine: 2", _entry(12, appts=2)),
        ("12x telefoniert", _entry(12)),
        ("12 mal telefoniert", _entry(12)),
        ("12 Leute angerufen, 3 erreicht", _entry(12, 3)),
        ("15 Anrufe, davon 4 erreicht und 1 Termin vereinbart", _entry(15, 4, 1)),
        ("2 neue Kontakte", _entry(new=2)),
        ("3 neue Leute", _entry(new=3)),
        ("3 Kontakte", _entry(new=3)),
        ("4 Leads", _entry(new=4)),
        ("gestern 8 Anrufe", _entry(8, back=1)),
        ("8 Anrufe gestern", _entry(8, back=1)),
        ("heute 8 Anrufe", _entry(8)),
        ("3 Gespraeche", _entry(conv=3)),
        ("3 Gesprache", _entry(conv=3)),
        ("3 Gespärche", _entry(conv=3)),
        ("4 Telefonate", _entry(4)),
        ("20 Wählversuche", _entry(20)),
        ("20 Anwahlen", _entry(20)),
        ("12 Anrufr", _entry(12)),
        ("10 Calls", _entry(10)),
        ("2 Meetings", _entry(appts=2)),
        ("12 anrufe 3 gespräche 1 termin 2 neue kontakte", _entry(12, 3, 1, 2)),
        ("Anrufe 12\n3 Gespräche", _entry(12, 3)),
        ("12 Anrufe 💪", _entry(12)),
        ("5 Anrufe, 7 Anrufe", _entry(12)),
        # English.
        ("12 dials, 3 convos", _entry(12, 3)),
        ("12 calls 3 conversations 1 meeting", _entry(12, 3, 1)),
        ("2 appts", _entry(appts=2)),
        ("5 new contacts", _entry(new=5)),
        ("5 new people", _entry(new=5)),
        ("yesterday 8 dials", _entry(8, back=1)),
        ("I made 20 cold calls and booked 2 meetings", _entry(20, appts=2)),
        ("30 call attempts, 6 connects", _entry(30, 6)),
        (f"{LOG_MAX} dials", _entry(LOG_MAX)),
        # Thousands separators.
        ("1.000 Anrufe", _entry(1000)),
        ("1,000 calls", _entry(1000)),
        # Other days.
        ("vorgestern 3 Anrufe", _entry(3, back=2)),
        ("the day before yesterday 4 calls", _entry(4, back=2)),
        ("Montag 5 Anrufe", LogEntry(Counts(5), weekday=0)),
        ("am Freitag 5 Anrufe", LogEntry(Counts(5), weekday=4)),
        ("5 calls on friday", LogEntry(Counts(5), weekday=4)),
        ("01.12. 5 Anrufe", LogEntry(Counts(5), on=(1, 12, None))),
        ("1.12 5 Anrufe", LogEntry(Counts(5), on=(1, 12, None))),
        ("am 01.12.2026 2 Termine", LogEntry(Counts(appointments=2), on=(1, 12, 2026))),
        ("1.12.26 2 Termine", LogEntry(Counts(appointments=2), on=(1, 12, 2026))),
        # Corrections.
        ("gestern 8 statt 80 Anrufe", LogEntry(Counts(-72), 1, correction=True)),
        ("gestern 8 Anrufe statt 80", LogEntry(Counts(-72), 1, correction=True)),
        ("gestern -72 Anrufe", LogEntry(Counts(-72), 1, correction=True)),
        ("yesterday 8 instead of 80 calls", LogEntry(Counts(-72), 1, correction=True)),
        ("−3 Termine", LogEntry(Counts(appointments=-3), correction=True)),
        ("Anrufe: -2", LogEntry(Counts(-2), correction=True)),
        ("20 statt 2 Anrufe", LogEntry(Counts(18), correction=True)),
        (
            "gestern 8 statt 80 Anrufe und 2 statt 3 Termine",
            LogEntry(Counts(-72, appointments=-1), 1, correction=True),
        ),
        ("Montag -3 Anrufe", LogEntry(Counts(-3), weekday=0, correction=True)),
    ],
)
def test_parse_log(text: str, expected: LogEntry) -> None:
    assert parse_log(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hallo",
        "was sage ich bei zu teuer?",
        "Anrufe",
        "Ich habe 3 Fragen",
        "3 Kontrakte",
        "1 Abschluss",
        "12 Leute",
        "2 Termine morgen",
        "heute gestern 3 Anrufe",
        "gestern Montag 3 Anrufe",
        "01.12. gestern 3 Anrufe",
        "12 Anrufe 3",
        "Anrufe 12 3 Gespräche",
        "12 3 1 5 6",
        "2,5 Termine",
        "1.5 Anrufe",
        "1.0000 Anrufe",
        "1.001 Anrufe",
        "1001 Anrufe",
        "1000000000000000000000000000000 Anrufe",
        "8 statt 5000 Anrufe",
        "statt 80 8 Anrufe",
        "8 statt Anrufe",
        "8 Anrufe statt",
        "8 statt -80 Anrufe",
        "32.12. 3 Anrufe",
        "1.13. 3 Anrufe",
        "12 3 1001",
        "12 звонков",
        "12 und 3",
        "um 14 Uhr Termin",
        "Termin um 14 Uhr",
        "5 Minuten",
        "12.3.1",
        "12 Anrufe " * 30,
    ],
)
def test_parse_log_refuses(text: str) -> None:
    assert parse_log(text) is None


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_parse_log_never_raises(text: str) -> None:
    entry = parse_log(text)
    if entry is not None:
        assert entry.days_back in (0, 1, 2)
        assert all(-LOG_MAX <= entry.counts.get(m) <= LOG_MAX for m in METRICS)
        negative = any(entry.counts.get(m) < 0 for m in METRICS)
        assert entry.correction or not negative
        assert sum(x is not None for x in (entry.weekday, entry.on)) <= 1
        assert entry.days_back == 0 or (entry.weekday, entry.on) == (None, None)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, LOG_MAX), st.integers(0, LOG_MAX), st.sampled_from(["gestern", "Montag"]))
def test_a_correction_is_the_difference(right: int, logged: int, day: str) -> None:
    entry = parse_log(f"{day} {right} statt {logged} Anrufe")
    assert entry is not None
    assert entry.counts == Counts(right - logged)
    assert entry.correction
    minus = parse_log(f"{day} -{logged} Anrufe")
    assert minus is not None
    assert minus.counts == Counts(-logged)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**7), st.sampled_from([".", ","]))
def test_thousands_separators(n: int, separator: str) -> None:
    text = f"{n:,}".replace(",", separator) + " Anrufe"
    entry = parse_log(text)
    if n <= LOG_MAX:
        assert entry == _entry(n)
    else:
        assert entry is None


MON = date(2026, 11, 23)


def _friday_before(day: date) -> date | None:
    """Working days Monday to Friday."""
    step = day - timedelta(days=1)
    while step.weekday() > 4:
        step -= timedelta(days=1)
    return step


@pytest.mark.parametrize(
    ("entry", "today", "day"),
    [
        (LogEntry(Counts(1)), MON, MON),
        (LogEntry(Counts(1), 1), MON, date(2026, 11, 20)),
        (LogEntry(Counts(1), 2), MON, date(2026, 11, 19)),
        (LogEntry(Counts(1), weekday=0), MON, MON),
        (LogEntry(Counts(1), weekday=4), MON, date(2026, 11, 20)),
        (LogEntry(Counts(1), weekday=1), MON, date(2026, 11, 17)),
        (LogEntry(Counts(1), on=(20, 11, None)), MON, date(2026, 11, 20)),
        (LogEntry(Counts(1), on=(30, 12, None)), MON, date(2025, 12, 30)),
        (LogEntry(Counts(1), on=(30, 12, 2026)), MON, date(2026, 12, 30)),
        (LogEntry(Counts(1), on=(31, 2, None)), MON, None),
        (LogEntry(Counts(1), on=(29, 2, None)), date(2028, 3, 1), date(2028, 2, 29)),
    ],
)
def test_entry_day(entry: LogEntry, today: date, day: date | None) -> None:
    assert entry_day(entry, today, _friday_before) == day


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2035, 1, 1)), st.integers(-30, 30))
def test_correctable_is_the_last_week_up_to_today(today: date, offset: int) -> None:
    day = today - timedelta(days=offset)
    assert correctable(day, today) == (0 <= offset <= CORRECTION_DAYS)


def test_unusual_asks_once_when_a_day_goes_far_above_the_range() -> None:
    targets = DailyTargets(dials=20, conversations=5, appointments=2, contacts=8)
    assert not unusual(Counts(10), Counts(90), targets)  # 100 = 5x the target
    assert unusual(Counts(10), Counts(91), targets)
    assert unusual(Counts(), Counts(appointments=11), targets)
    assert not unusual(Counts(101), Counts(5), targets), "already confirmed once"
    assert not unusual(Counts(200), Counts(-72), targets), "a correction down never asks"
    assert unusual(Counts(), Counts(UNUSUAL_DIALS), DailyTargets(100, 0, 0, 0))
    assert not unusual(Counts(), Counts(UNUSUAL_DIALS - 1), None)
    assert not unusual(Counts(), Counts(conversations=LOG_MAX), None), "no target, no limit"


@pytest.mark.parametrize(
    ("done", "target", "bar"),
    [
        (4, 10, "▰▰▰▰▱▱▱▱▱▱"),
        (0, 10, "▱▱▱▱▱▱▱▱▱▱"),
        (9, 10, "▰▰▰▰▰▰▰▰▰▱"),
        (19, 20, "▰▰▰▰▰▰▰▰▰▱"),  # never full before the target is met
        (10, 10, "▰▰▰▰▰▰▰▰▰▰"),
        (25, 10, "▰▰▰▰▰▰▰▰▰▰"),
        (-3, 10, "▱▱▱▱▱▱▱▱▱▱"),
        (0, 0, "▱▱▱▱▱▱▱▱▱▱"),
        (3, 0, "▰▰▰▰▰▰▰▰▰▰"),
        (3, -5, "▰▰▰▰▰▰▰▰▰▰"),
    ],
)
def test_progress_bar(done: int, target: int, bar: str) -> None:
    assert progress_bar(done, target) == bar


def test_progress_bar_width() -> None:
    assert progress_bar(1, 2, width=4) == "▰▰▱▱"
    assert progress_bar(1, 2, width=0) == ""
    assert progress_bar(1, 2, width=-1) == ""


@pytest.mark.parametrize(
    ("done", "target", "expected"),
    [(0, 10, 0), (9, 10, 90), (199, 200, 99), (10, 10, 100), (15, 10, 150), (-1, 10, 0),
     (0, 0, 0), (3, 0, 100)],
)  # fmt: skip
def test_percent(done: int, target: int, expected: int) -> None:
    assert percent(done, target) == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6), st.integers(0, 40))
def test_progress_bar_always_has_its_width(done: int, target: int, width: int) -> None:
    bar = progress_bar(done, target, width)
    assert len(bar) == width
    assert set(bar) <= {"▰", "▱"}
    assert percent(done, target) >= 0


def test_hit() -> None:
    targets = DailyTargets(dials=20, conversations=4, appointments=1, contacts=8)
    assert hit(Counts(dials=20), targets)
    assert hit(Counts(dials=25, conversations=0), targets)
    assert not hit(Counts(dials=19, conversations=10, appointments=5), targets)
    no_target = DailyTargets(0, 0, 0, 0)
    assert hit(Counts(dials=1), no_target)
    assert not hit(Counts(), no_target)


@pytest.mark.parametrize(
    "text", ["-5", "/log -5", "-5 3 1", "12-15 Anrufe", "− 3 Termine", "07:00", "17 : 30"]
)
def test_bare_negative_numbers_ranges_and_times_are_not_logs(text: str) -> None:
    assert parse_log(text.removeprefix("/log ")) is None
