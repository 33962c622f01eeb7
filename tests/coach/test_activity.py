"""The four metrics, logging them by typing, and progress against the targets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.activity import (
    LOG_MAX,
    METRICS,
    Counts,
    LogEntry,
    hit,
    parse_log,
    percent,
    progress_bar,
)
from bot.coach.targets import DailyTargets

_VOCAB = [
    "12", "3", "1", "0", "1001", "2,5", ",", ";", ":", "und", "and", "Anrufe", "Gespräche",
    "Termin", "Termine", "dials", "calls", "convos", "meetings", "neue", "Kontakte", "new",
    "contacts", "gestern", "yesterday", "heute", "x", "telefoniert", "Leute", "Hallo", "zwei",
    "💪", "\n", "davon", "erreicht", "Anrufr", "Kontrakte", "звонков", "/", "١٢",
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
        "vorgestern 3 Anrufe",
        "heute gestern 3 Anrufe",
        "12 Anrufe 3",
        "Anrufe 12 3 Gespräche",
        "12 3 1 5 6",
        "2,5 Termine",
        "1.000 Anrufe",
        "1001 Anrufe",
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
        assert entry.days_back in (0, 1)
        assert all(0 <= entry.counts.get(m) <= LOG_MAX for m in METRICS)


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
    "text", ["-5", "/log -5", "12-15 Anrufe", "−3 Termine", "Anrufe: -2", "07:00", "17 : 30"]
)
def test_negative_numbers_ranges_and_times_are_not_logs(text: str) -> None:
    assert parse_log(text.removeprefix("/log ")) is None
