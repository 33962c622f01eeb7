"""The rep's working calendar: local days across DST, working days, pauses, public holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.calendar import (
    _CITY_NAMES,
    BUTTON_REGIONS,
    COUNTRIES,
    REGION_MAX_LEN,
    REGIONS,
    Pause,
    WorkCalendar,
    country_of,
    day_bounds,
    local_date,
    normalize_region,
    public_holidays,
    region_of_place,
    subdivision_names,
    timezone_of_region,
)

BERLIN = "Europe/Berlin"
MO_FR = frozenset(range(5))
MO_TH = frozenset(range(4))
HOUR = timedelta(hours=1)
# Zones with DST at 02:00, at midnight (a missing or a doubled midnight), by 30 minutes, none.
ZONES = (
    BERLIN,
    "Europe/Vienna",
    "Europe/Zurich",
    "America/New_York",
    "America/Santiago",
    "America/Havana",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- Local dates and day bounds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Spring forward, Sunday 30 March 2025 (UTC+1 until 02:00, then UTC+2).
        (utc(2025, 3, 29, 22, 30), date(2025, 3, 29)),  # Sat 23:30
        (utc(2025, 3, 29, 23, 30), date(2025, 3, 30)),  # Sun 00:30
        (utc(2025, 3, 30, 21, 30), date(2025, 3, 30)),  # Sun 23:30
        (utc(2025, 3, 30, 22, 30), date(2025, 3, 31)),  # Mon 00:30
        # Fall back, Sunday 26 October 2025 (UTC+2 until 03:00, then UTC+1).
        (utc(2025, 10, 25, 21, 30), date(2025, 10, 25)),  # Sat 23:30
        (utc(2025, 10, 25, 22, 30), date(2025, 10, 26)),  # Sun 00:30
        (utc(2025, 10, 26, 22, 30), date(2025, 10, 26)),  # Sun 23:30
        (utc(2025, 10, 26, 23, 30), date(2025, 10, 27)),  # Mon 00:30
    ],
)
def test_local_date_around_dst_changes(instant: datetime, expected: date) -> None:
    assert local_date(instant, BERLIN) == expected


def test_the_same_instant_is_a_different_day_in_another_zone() -> None:
    instant = utc(2025, 6, 4, 23, 30)
    assert local_date(instant, BERLIN) == date(2025, 6, 5)
    assert local_date(instant, "America/New_York") == date(2025, 6, 4)
    assert local_date(instant, "Asia/Tokyo") == date(2025, 6, 5)


def test_local_date_accepts_any_aware_datetime() -> None:
    from zoneinfo import ZoneInfo

    tokyo = datetime(2025, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 2024-12-31 23:00 UTC
    assert local_date(tokyo, BERLIN) == date(2025, 1, 1)
    assert local_date(tokyo, "UTC") == date(2024, 12, 31)


def test_local_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2025, 1, 1, 12, 0), BERLIN)


@pytest.mark.parametrize(
    ("day", "start", "hours"),
    [
        (date(2025, 3, 30), utc(2025, 3, 29, 23), 23),
        (date(2025, 10, 26), utc(2025, 10, 25, 22), 25),
        (date(2025, 6, 1), utc(2025, 5, 31, 22), 24),
        (date(2025, 1, 1), utc(2024, 12, 31, 23), 24),
    ],
)
def test_day_bounds_in_berlin(day: date, start: datetime, hours: int) -> None:
    first, end = day_bounds(day, BERLIN)
    assert first == start
    assert end - first == hours * HOUR
    assert first.tzinfo is UTC
    assert end.tzinfo is UTC


def test_day_bounds_when_midnight_is_skipped() -> None:
    # Chile jumps from 00:00 to 01:00 on 7 September 2025: the day starts at 01:00 local.
    start, end = day_bounds(date(2025, 9, 7), "America/Santiago")
    assert start == utc(2025, 9, 7, 4)
    assert end - start == 23 * HOUR


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    st.sampled_from(ZONES),
)
def test_day_bounds_hold_exactly_the_local_day(day: date, tz: str) -> None:
    start, end = day_bounds(day, tz)
    tick = timedelta(microseconds=1)
    assert local_date(start - tick, tz) == day - timedelta(days=1)
    assert local_date(start, tz) == day
    assert local_date(end - tick, tz) == day
    assert local_date(end, tz) == day + timedelta(days=1)
    assert 22 * HOUR <= end - start <= 26 * HOUR


# --- Working days ----------------------------------------------------------------------------

# December 2024 / January 2025 in Bavaria: 25 + 26 Dec, 1 Jan, 6 Jan (Epiphany, a Monday).
BY_HOLIDAYS = frozenset(
    {date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1), date(2025, 1, 6)}
)


def test_is_working_day() -> None:
    calendar = WorkCalendar(MO_FR, BY_HOLIDAYS, (Pause(date(2025, 1, 13), date(2025, 1, 17)),))
    assert calendar.is_working_day(date(2025, 1, 7))  # Tuesday
    assert not calendar.is_working_day(date(2025, 1, 4))  # Saturday
    assert not calendar.is_working_day(date(2025, 1, 6))  # Epiphany
    assert not calendar.is_working_day(date(2025, 1, 13))  # first day of the pause
    assert not calendar.is_working_day(date(2025, 1, 17))  # last day of the pause
    assert calendar.is_working_day(date(2025, 1, 20))
    assert calendar.is_working_day(date(2024, 12, 24))  # Christmas Eve is a working day


def test_a_reversed_pause_holds_no_days() -> None:
    pause = Pause(date(2025, 1, 17), date(2025, 1, 13))
    assert date(2025, 1, 15) not in pause
    assert WorkCalendar(MO_FR, pauses=(pause,)).is_working_day(date(2025, 1, 15))


def test_previous_and_next_working_day_skip_weekends_holidays_and_pauses() -> None:
    calendar = WorkCalendar(MO_FR, BY_HOLIDAYS, (Pause(date(2025, 1, 13), date(2025, 1, 17)),))
    assert calendar.previous_working_day(date(2025, 1, 7)) == date(2025, 1, 3)  # over Epiphany
    assert calendar.next_working_day(date(2025, 1, 3)) == date(2025, 1, 7)
    assert calendar.previous_working_day(date(2025, 1, 20)) == date(2025, 1, 10)  # over pause
    assert calendar.next_working_day(date(2025, 1, 10)) == date(2025, 1, 20)
    assert calendar.previous_working_day(date(2024, 12, 27)) == date(2024, 12, 24)
    # Strictly before / after, even from a working day.
    assert calendar.previous_working_day(date(2025, 1, 8)) == date(2025, 1, 7)
    assert calendar.next_working_day(date(2025, 1, 7)) == date(2025, 1, 8)


def test_mon_to_thu_rep() -> None:
    calendar = WorkCalendar(MO_TH)
    assert not calendar.is_working_day(date(2025, 1, 10))  # Friday
    assert calendar.next_working_day(date(2025, 1, 9)) == date(2025, 1, 13)
    assert calendar.previous_working_day(date(2025, 1, 13)) == date(2025, 1, 9)


def test_no_working_day_in_reach_gives_none() -> None:
    assert WorkCalendar(frozenset()).previous_working_day(date(2025, 1, 7)) is None
    assert WorkCalendar(frozenset()).next_working_day(date(2025, 1, 7)) is None
    long_pause = WorkCalendar(MO_FR, pauses=(Pause(date(2024, 1, 1), date(2026, 12, 31)),))
    assert long_pause.previous_working_day(date(2025, 6, 1)) is None
    assert long_pause.next_working_day(date(2025, 6, 1)) is None
    assert WorkCalendar(MO_FR).previous_working_day(date.min) is None
    assert WorkCalendar(MO_FR).next_working_day(date.max) is None


def test_working_days_between() -> None:
    calendar = WorkCalendar(MO_FR, BY_HOLIDAYS)
    # 23 Dec 2024 to 10 Jan 2025: 15 weekdays minus 25 + 26 Dec, 1 + 6 Jan.
    assert calendar.working_days_between(date(2024, 12, 23), date(2025, 1, 10)) == 11
    assert calendar.working_days_between(date(2025, 1, 7), date(2025, 1, 7)) == 1
    assert calendar.working_days_between(date(2025, 1, 6), date(2025, 1, 6)) == 0
    assert calendar.working_days_between(date(2025, 1, 10), date(2025, 1, 7)) == 0


def _brute_count(calendar: WorkCalendar, a: date, b: date) -> int:
    return sum(
        calendar.is_working_day(a + timedelta(days=i)) for i in range(max(0, (b - a).days + 1))
    )


_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    st.frozensets(st.integers(0, 6)),
    st.frozensets(_days, max_size=20),
    st.lists(st.builds(Pause, _days, _days), max_size=4),
    _days,
    _days,
)
def test_working_days_between_matches_counting_day_by_day(
    working: frozenset[int], days_off: frozenset[date], pauses: list[Pause], a: date, b: date
) -> None:
    calendar = WorkCalendar(working, days_off, tuple(pauses))
    assert calendar.working_days_between(a, b) == _brute_count(calendar, a, b)


def test_last_working_days() -> None:
    calendar = WorkCalendar(MO_FR, BY_HOLIDAYS)
    assert calendar.last_working_days(date(2025, 1, 8), 4) == (
        date(2025, 1, 2),
        date(2025, 1, 3),
        date(2025, 1, 7),
        date(2025, 1, 8),
    )
    # Ending on a day off starts from the working day before it.
    assert calendar.last_working_days(date(2025, 1, 5), 2) == (date(2025, 1, 2), date(2025, 1, 3))
    assert calendar.last_working_days(date(2025, 1, 8), 0) == ()
    assert WorkCalendar(frozenset()).last_working_days(date(2025, 1, 8), 7) == ()


@settings(max_examples=100, deadline=None)
@given(st.frozensets(st.integers(0, 6), min_size=1), _days, st.integers(0, 30))
def test_last_working_days_are_the_most_recent_working_days(
    working: frozenset[int], end: date, n: int
) -> None:
    calendar = WorkCalendar(working)
    found = calendar.last_working_days(end, n)
    assert len(found) == n
    assert list(found) == sorted(found)
    assert all(calendar.is_working_day(d) and d <= end for d in found)
    if found:
        assert calendar.working_days_between(found[0], end) == n


# --- Public holidays and regions --------------------------------------------------------------


def test_bavarian_holidays() -> None:
    days = public_holidays("DE-BY", [2024, 2025])
    assert {date(2025, 1, 6), date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1)} <= days
    assert date(2025, 1, 7) not in days
    assert all(d.year in (2024, 2025) for d in days)


def test_regions_differ() -> None:
    assert date(2025, 1, 6) not in public_holidays("DE", [2025])  # Epiphany is not national
    assert date(2025, 1, 6) not in public_holidays("DE-BE", [2025])
    assert date(2025, 1, 6) in public_holidays("AT", [2025])
    assert date(2025, 12, 8) in public_holidays("AT-9", [2025])
    assert date(2025, 8, 1) in public_holidays("CH-ZH", [2025])
    assert date(2025, 12, 25) in public_holidays("GB", [2025])
    assert date(2025, 7, 4) in public_holidays("US-CA", [2025])


@pytest.mark.parametrize("region", [None, "", "XX", "DE-XX", "Atlantis", "DE-BY-XX", "--"])
def test_unknown_regions_have_no_holidays(region: str | None) -> None:
    assert public_holidays(region, [2025]) == frozenset()


def test_holidays_for_odd_years() -> None:
    assert public_holidays("DE-BY", []) == frozenset()
    assert public_holidays("DE-BY", [0, -1, 10_000]) == frozenset()
    assert public_holidays("DE-BY", iter([2025])) == public_holidays("DE-BY", [2025, 2025])


def test_holidays_accepts_typed_spellings() -> None:
    assert public_holidays("de-by", [2025]) == public_holidays("DE-BY", [2025])
    assert public_holidays("Bayern", [2025]) == public_holidays("DE-BY", [2025])


def test_package_raises_for_unknown_codes() -> None:
    # What public_holidays guards against.
    with pytest.raises(NotImplementedError):
        holidays.country_holidays("XX")
    with pytest.raises(NotImplementedError):
        holidays.country_holidays("DE", subdiv="XX")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DE-BY", "DE-BY"),
        ("de-by", "DE-BY"),
        ("DE BY", "DE-BY"),
        ("de_by", "DE-BY"),
        (" DE / BY ", "DE-BY"),
        ("Bayern", "DE-BY"),
        ("bavaria", "DE-BY"),
        ("Freistaat Bayern", "DE-BY"),
        ("Bayern, Deutschland", "DE-BY"),
        ("DE Bayern", "DE-BY"),
        ("Baden-Württemberg", "DE-BW"),
        ("Baden-Wurttemberg", "DE-BW"),
        ("baden wuerttemberg", "DE-BW"),
        ("NRW", "DE-NW"),
        ("DE NRW", "DE-NW"),
        ("North Rhine-Westphalia", "DE-NW"),
        ("Nordrhein-Westfalen", "DE-NW"),
        ("Thüringen", "DE-TH"),
        ("Thuringia", "DE-TH"),
        ("Lower Saxony", "DE-NI"),
        ("Sachsen", "DE-SN"),
        ("Sachsen-Anhalt", "DE-ST"),
        ("Berlin", "DE-BE"),
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("DE", "DE"),
        ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("Austria", "AT"),
        ("Wien", "AT-9"),
        ("Vienna", "AT-9"),
        ("AT-9", "AT-9"),
        ("AT-W", "AT-9"),
        ("Österreich Wien", "AT-9"),
        ("Kärnten", "AT-2"),
        ("Schweiz", "CH"),
        ("Switzerland", "CH"),
        ("Zürich", "CH-ZH"),
        ("Zuerich", "CH-ZH"),
        ("Kanton Zürich", "CH-ZH"),
        ("ch-zh", "CH-ZH"),
        ("St. Gallen", "CH-SG"),
        ("Genf", "CH-GE"),
        ("Bern", "CH-BE"),
        ("GB", "GB"),
        ("GB-ENG", "GB-ENG"),
        ("US-CA", "US-CA"),
        ("us ca", "US-CA"),
        ("BY", "BY"),  # two letters alone are a country code: Belarus
        ("XX", None),
        ("DE-XX", None),
        ("", None),
        ("   ", None),
        ("Atlantis", None),
        ("Deutschland Wien", None),
        ("Freiburg", None),  # a city in Germany as well as a Swiss canton
        ("x" * 500, None),
    ],
)
def test_normalize_region(text: str, expected: str | None) -> None:
    assert normalize_region(text) == expected


def test_regions_are_canonical_and_known() -> None:
    assert len(REGIONS) == len(set(REGIONS))
    assert sum(code.startswith("DE-") for code in REGIONS) == 16
    assert {"DE", "AT", "CH", "CH-ZH"} <= set(REGIONS)
    for code in REGIONS:
        assert normalize_region(code) == code
        assert public_holidays(code, [2025]), code


_REGION_WORDS = [
    "DE", "de", "AT", "CH", "-", " ", "_", "/", ",", "BY", "by", "9", "W", "ZH", "Bayern",
    "Wien", "Zürich", "Österreich", "Deutschland", "Kanton", "Freistaat", "the", "of", "US",
    "CA", "GB", "ENG", "St.", "Gallen", "Stadt", "Augsburg", "é", "ß", "İ", "\x00", "💥",
]  # fmt: skip
_region_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(_REGION_WORDS), max_size=5).map("".join),
    st.lists(st.sampled_from(_REGION_WORDS), max_size=5).map(" ".join),
)


@settings(max_examples=500, deadline=None)
@given(_region_text)
def test_normalize_region_never_raises_and_is_idempotent(text: str) -> None:
    code = normalize_region(text)
    if code is not None:
        assert normalize_region(code) == code
        country = code.partition("-")[0]
        assert len(country) == 2
        assert country.isupper()


@settings(max_examples=100, deadline=None)
@given(_region_text, st.lists(st.integers(-5, 10_005), max_size=3))
def test_public_holidays_never_raises(text: str, years: list[int]) -> None:
    found = public_holidays(text, years)
    assert all(d.year in years for d in found)


def test_normalize_region_refuses_non_strings() -> None:
    assert normalize_region(None) is None  # type: ignore[arg-type]
    assert normalize_region(42) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("München", "DE-BY"),
        ("Muenchen", "DE-BY"),
        ("Munich", "DE-BY"),
        ("Berlin", "DE-BE"),
        ("Berlin, Deutschland", "DE-BE"),
        ("Köln", "DE-NW"),
        ("Frankfurt am Main", "DE-HE"),
        ("Augsburg", "DE-BY"),
        ("Wien", "AT-9"),
        ("Graz", "AT-6"),
        ("Zürich", "CH-ZH"),
        ("Zurich", "CH-ZH"),
        ("Lugano", "CH-TI"),
        ("London", "GB-ENG"),
        ("Edinburgh", "GB-SCT"),
        ("Dublin", "IE"),
        ("Amsterdam", "NL"),
        ("Barcelona", "ES-CT"),
        ("Mailand", "IT-MI"),
        ("New York", "US-NY"),
        ("Frankreich", "FR"),
        ("Freiburg", None),  # Breisgau or Üechtland: not a guess
        ("UTC+1", None),
        ("DE-BY", None),  # a code is no place name
        ("", None),
        ("x" * 200, None),
    ],
)
def test_region_of_place(text: str, expected: str | None) -> None:
    assert region_of_place(text) == expected
    if expected is not None:
        assert normalize_region(text) == expected


def test_berlin_from_the_city_counts_frauentag() -> None:
    region = region_of_place("Berlin")
    assert region is not None
    assert date(2027, 3, 8) in public_holidays(region, [2027])
    assert date(2027, 3, 8) not in public_holidays("DE", [2027])


def test_every_region_and_city_region_is_known_to_the_holidays_package() -> None:
    codes = set(REGIONS) | set(_CITY_NAMES)
    for code in codes:
        assert normalize_region(code) == code, code
        assert len(code) <= REGION_MAX_LEN, code
        assert public_holidays(code, [2026]), code
    assert set(COUNTRIES) <= set(REGIONS)
    assert set(BUTTON_REGIONS) <= set(REGIONS)


def test_subdivision_names_are_names_not_codes() -> None:
    assert subdivision_names("US-CA") == ("California",)
    assert subdivision_names("AT-9") == ("Wien",)
    assert subdivision_names("DE") == ()
    assert country_of("CH-ZH") == "CH"


@pytest.mark.parametrize(
    ("region", "zone"),
    [("DE-BW", "Europe/Berlin"), ("CH", "Europe/Zurich"), ("US-CA", "America/Los_Angeles"),
     ("ES-CN", "Atlantic/Canary"), ("GB-SCT", "Europe/London"), ("US", None), ("US-OR", None),
     ("XX", None)],
)  # fmt: skip
def test_timezone_of_region(region: str, zone: str | None) -> None:
    assert timezone_of_region(region) == zone


def test_every_city_has_a_timezone_in_its_country() -> None:
    for code in _CITY_NAMES:
        assert timezone_of_region(code) is not None, code


@settings(max_examples=300, deadline=None)
@given(_region_text)
def test_region_of_place_never_raises_and_names_a_known_region(text: str) -> None:
    region = region_of_place(text)
    if region is not None:
        assert normalize_region(region) == region
