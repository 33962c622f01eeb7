"""Timezones from typed place names, offsets and shared locations, all offline."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.places import (
    ALIASES,
    TimezoneIndex,
    TimezoneMatch,
    resolve_timezone,
    timezone_for_location,
    utc_offset_label,
)

BERLIN = "Europe/Berlin"
VIENNA = "Europe/Vienna"
ZURICH = "Europe/Zurich"

_VOCAB = [
    "Berlin", "europe", "/", "New", "York", "UTC", "GMT", "+", "-", "−", "2", "05", "30", ":",
    "Muenchen", "Wien", ",", "Deutschland", "_", ".", "Etc/GMT", "am", "Main", "St.", "São",
]  # fmt: skip
_vocab_text = st.lists(st.sampled_from(_VOCAB), max_size=6).map(" ".join)
_any_text = st.one_of(st.text(), st.text(min_size=200, max_size=3000), _vocab_text)


@pytest.mark.parametrize(
    ("text", "key", "label"),
    [
        ("Europe/Berlin", BERLIN, "Europe/Berlin"),
        ("europe/berlin", BERLIN, "Europe/Berlin"),
        (" EUROPE / BERLIN ", BERLIN, "Europe/Berlin"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires", None),
        ("US/Eastern", "US/Eastern", None),
        ("Berlin", BERLIN, "Berlin"),
        ("berlin.", BERLIN, "Berlin"),
        ("Berlin, Deutschland", BERLIN, "Berlin"),
        ("New York", "America/New_York", "New York"),
        ("new_york", "America/New_York", "New York"),
        ("new-york", "America/New_York", "New York"),
        ("Sao Paulo", "America/Sao_Paulo", "Sao Paulo"),
        ("São Paulo", "America/Sao_Paulo", "Sao Paulo"),
        ("St. Johns", "America/St_Johns", None),
        ("Buenos Aires", "America/Argentina/Buenos_Aires", None),
        ("Paris", "Europe/Paris", "Paris"),
        ("München", BERLIN, "München"),
        ("MÜNCHEN", BERLIN, "München"),
        ("Muenchen", BERLIN, "München"),
        ("Munich", BERLIN, None),
        ("Köln", BERLIN, "Köln"),
        ("Koeln", BERLIN, "Köln"),
        ("Frankfurt", BERLIN, None),
        ("Frankfurt am Main", BERLIN, None),
        ("Düsseldorf", BERLIN, None),
        ("Duesseldorf", BERLIN, None),
        ("Stuttgart", BERLIN, None),
        ("Leipzig", BERLIN, None),
        ("Nürnberg", BERLIN, None),
        ("Hannover", BERLIN, None),
        ("Bremen", BERLIN, None),
        ("Dresden", BERLIN, None),
        ("Saarbrücken", BERLIN, None),
        ("Wien", VIENNA, "Wien"),
        ("Graz", VIENNA, None),
        ("Linz", VIENNA, None),
        ("Salzburg", VIENNA, None),
        ("Innsbruck", VIENNA, None),
        ("Zürich", ZURICH, "Zürich"),
        ("Zuerich", ZURICH, "Zürich"),
        ("Zurich", ZURICH, None),
        ("Bern", ZURICH, None),
        ("Basel", ZURICH, None),
        ("Genf", ZURICH, None),
        ("Lausanne", ZURICH, None),
        ("Luzern", ZURICH, None),
        ("Mailand", "Europe/Rome", None),
        ("Rom", "Europe/Rome", None),
        ("Moskau", "Europe/Moscow", None),
        ("Warschau", "Europe/Warsaw", None),
        ("Prag", "Europe/Prague", None),
        ("Brüssel", "Europe/Brussels", None),
        ("Lissabon", "Europe/Lisbon", None),
        ("Kopenhagen", "Europe/Copenhagen", None),
        ("Athen", "Europe/Athens", None),
        ("Deutschland", BERLIN, "Deutschland"),
        ("Germany", BERLIN, None),
        ("Österreich", VIENNA, None),
        ("Oesterreich", VIENNA, None),
        ("Austria", VIENNA, None),
        ("Schweiz", ZURICH, None),
        ("Switzerland", ZURICH, None),
        ("Liechtenstein", "Europe/Vaduz", None),
        ("Luxemburg", "Europe/Luxembourg", None),
        ("Niederlande", "Europe/Amsterdam", None),
        ("MEZ", BERLIN, None),
        ("cet", BERLIN, None),
        ("CEST", BERLIN, None),
        ("MESZ", BERLIN, None),
        ("UTC", "UTC", None),
        ("gmt", "UTC", None),
        ("Z", "UTC", None),
    ],
)
def test_resolve_exact_names(text: str, key: str, label: str | None) -> None:
    match = resolve_timezone(text)
    assert match is not None
    assert match.key == key
    assert match.exact
    if label is not None:
        assert match.label == label


@pytest.mark.parametrize(
    ("text", "key", "label"),
    [
        ("UTC+2", "Etc/GMT-2", "UTC+02:00"),
        ("utc +2", "Etc/GMT-2", "UTC+02:00"),
        ("GMT-5", "Etc/GMT+5", "UTC-05:00"),
        ("UTC−5", "Etc/GMT+5", "UTC-05:00"),
        ("+01:00", "Etc/GMT-1", "UTC+01:00"),
        ("+1", "Etc/GMT-1", "UTC+01:00"),
        ("UTC+0", "UTC", "UTC+00:00"),
        ("UTC+14", "Etc/GMT-14", "UTC+14:00"),
        ("UTC-12", "Etc/GMT+12", "UTC-12:00"),
        ("+0530", "Asia/Kolkata", "UTC+05:30"),
        ("+530", "Asia/Kolkata", "UTC+05:30"),
        ("UTC +5:30", "Asia/Kolkata", "UTC+05:30"),
        ("+5:45", "Asia/Kathmandu", "UTC+05:45"),
        ("+9:30", "Australia/Darwin", "UTC+09:30"),
        ("-3:30", "America/St_Johns", "UTC-03:30"),
        ("+3:30", "Asia/Tehran", "UTC+03:30"),
    ],
)
def test_resolve_offsets(text: str, key: str, label: str) -> None:
    assert resolve_timezone(text) == TimezoneMatch(key, label, exact=True)


@pytest.mark.parametrize("hours", range(-12, 15))
def test_whole_hour_offsets_load_with_the_right_offset(hours: int) -> None:
    match = resolve_timezone(f"UTC{hours:+d}")
    assert match is not None
    zone = zoneinfo.ZoneInfo(match.key)
    assert datetime(2024, 1, 1, tzinfo=zone).utcoffset() == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["UTC+15", "UTC-13", "+24", "+4:15", "+2:60", "+99:00"])
def test_resolve_rejects_impossible_or_unusual_offsets(text: str) -> None:
    assert resolve_timezone(text) is None


@pytest.mark.parametrize(
    ("text", "key", "label"),
    [
        ("Munchen", BERLIN, "München"),
        ("Dusseldorf", BERLIN, "Düsseldorf"),
        ("Frankfrt", BERLIN, "Frankfurt"),
        ("Hamburrg", BERLIN, "Hamburg"),
        ("Koln", BERLIN, "Köln"),
        ("Osterreich", VIENNA, "Österreich"),
        ("Salzbrug", VIENNA, "Salzburg"),
        ("Europe/Berln", BERLIN, "Europe/Berlin"),
    ],
)
def test_resolve_typos_are_marked_inexact(text: str, key: str, label: str) -> None:
    assert resolve_timezone(text) == TimezoneMatch(key, label, exact=False)


@pytest.mark.parametrize(
    "text", ["", "   ", "asdfgh", "😀", "xyz", "Europe/Nowhere", "+49 170 1234567", "a" * 10_000]
)
def test_resolve_rejects_nonsense(text: str) -> None:
    assert resolve_timezone(text) is None


def test_every_alias_resolves_exactly_to_its_own_zone() -> None:
    available = zoneinfo.available_timezones()
    for key, names in ALIASES:
        assert key in available, key
        for name in names:
            match = resolve_timezone(name)
            assert match == TimezoneMatch(key, name, exact=True), name


def test_index_can_be_built_from_a_subset() -> None:
    index = TimezoneIndex(["Europe/Berlin", "Asia/Tokyo"], aliases=[("Europe/Berlin", ["Kiel"])])
    assert index.resolve("kiel") == TimezoneMatch(BERLIN, "Kiel")
    assert index.resolve("Tokyo") == TimezoneMatch("Asia/Tokyo", "Tokyo")
    assert index.resolve("Wien") is None
    assert "Asia/Tokyo" in index
    assert "Europe/Vienna" not in index


@settings(max_examples=300, deadline=None)
@given(text=_any_text)
def test_resolve_never_raises_and_keys_load(text: str) -> None:
    match = resolve_timezone(text)
    if match is not None:
        zoneinfo.ZoneInfo(match.key)


@settings(max_examples=200, deadline=None)
@given(
    sign=st.sampled_from(["+", "-", "−"]),
    hours=st.integers(0, 16),
    minutes=st.sampled_from(["", ":00", ":30", ":45", "00", "30"]),
    prefix=st.sampled_from(["", "UTC", "GMT", "utc ", "Gmt "]),
)
def test_offsets_resolve_to_loadable_zones(
    sign: str, hours: int, minutes: str, prefix: str
) -> None:
    match = resolve_timezone(f"{prefix}{sign}{hours}{minutes}")
    if match is None:
        return
    zone = zoneinfo.ZoneInfo(match.key)
    if match.key == "UTC" or match.key.startswith("Etc/GMT"):
        east = 1 if sign == "+" else -1
        offset = datetime(2024, 1, 1, tzinfo=zone).utcoffset()
        assert offset == timedelta(hours=east * hours)
        assert -12 <= east * hours <= 14


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (52.52, 13.405, BERLIN),
        (48.2082, 16.3738, VIENNA),
        (47.3769, 8.5417, ZURICH),
        (40.7128, -74.006, "America/New_York"),
        (-33.8688, 151.2093, "Australia/Sydney"),
    ],
)
def test_timezone_for_location(latitude: float, longitude: float, expected: str) -> None:
    assert timezone_for_location(latitude, longitude) == expected


def test_timezone_for_location_in_the_ocean_is_an_etc_zone() -> None:
    key = timezone_for_location(0.0, -30.0)
    assert key is not None
    assert key.startswith("Etc/")
    zoneinfo.ZoneInfo(key)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(91.0, 0.0), (-90.5, 0.0), (0.0, 180.5), (0.0, -181.0), (float("nan"), 0.0),
     (0.0, float("inf"))],
)  # fmt: skip
def test_timezone_for_location_rejects_invalid_coordinates(
    latitude: float, longitude: float
) -> None:
    assert timezone_for_location(latitude, longitude) is None


@settings(max_examples=100, deadline=None)
@given(latitude=st.floats(), longitude=st.floats())
def test_timezone_for_location_never_raises(latitude: float, longitude: float) -> None:
    key = timezone_for_location(latitude, longitude)
    if key is not None:
        zoneinfo.ZoneInfo(key)


@pytest.mark.parametrize(
    ("key", "at", "expected"),
    [
        (BERLIN, datetime(2024, 1, 15, 12, tzinfo=UTC), "UTC+01:00"),
        (BERLIN, datetime(2024, 7, 15, 12, tzinfo=UTC), "UTC+02:00"),
        # Summer time starts at 01:00 UTC on the last Sunday of March.
        (BERLIN, datetime(2024, 3, 31, 0, 59, tzinfo=UTC), "UTC+01:00"),
        (BERLIN, datetime(2024, 3, 31, 1, 0, tzinfo=UTC), "UTC+02:00"),
        ("America/St_Johns", datetime(2024, 1, 15, tzinfo=UTC), "UTC-03:30"),
        ("Asia/Kathmandu", datetime(2024, 1, 15, tzinfo=UTC), "UTC+05:45"),
        ("Etc/GMT+5", datetime(2024, 1, 15, tzinfo=UTC), "UTC-05:00"),
        ("UTC", datetime(2024, 1, 15, tzinfo=timezone(timedelta(hours=3))), "UTC+00:00"),
    ],
)
def test_utc_offset_label(key: str, at: datetime, expected: str) -> None:
    assert utc_offset_label(key, at) == expected


def test_utc_offset_label_needs_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        utc_offset_label(BERLIN, datetime(2024, 1, 15))
