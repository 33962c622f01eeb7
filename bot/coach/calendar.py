"""The rep's working calendar: local days, working days, public holidays and pauses."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import holidays

from bot.coach._text import fold

# Searching further than a year for a working day means the rep has none configured.
_SEARCH_DAYS: Final = 366
_DAY: Final = timedelta(days=1)
# Anything longer is not a region someone typed; refusing early keeps parsing cheap.
_MAX_INPUT: Final = 80


def local_date(now: datetime, tz: str) -> date:
    """The rep's local date at the aware instant `now` (days start at local midnight)."""
    if now.utcoffset() is None:
        # A naive time would silently be read as the server's local time.
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(tz)).date()


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    # fold=0 picks the first of two midnights; in a gap it uses the offset from before the
    # jump, which lands exactly on the jump, the first instant of the day either way.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of a local day; 23 or 25 hours on DST days."""
    zone = ZoneInfo(tz)
    return _day_start(day, zone), _day_start(day + _DAY, zone)


@dataclass(frozen=True)
class Pause:
    """Days off such as a vacation, both ends inclusive; a reversed range holds no days."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        """Whether `day` falls inside the pause."""
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class WorkCalendar:
    """Which days the rep works: their weekdays (0 = Monday), minus holidays and pauses."""

    working_days: frozenset[int]
    holidays: frozenset[date] = frozenset()
    pauses: tuple[Pause, ...] = ()

    def is_working_day(self, d: date) -> bool:
        """Whether `d` is a working weekday that is neither a holiday nor paused."""
        return (
            d.weekday() in self.working_days
            and d not in self.holidays
            and not any(d in pause for pause in self.pauses)
        )

    def _step(self, d: date, step: timedelta) -> date | None:
        if not self.working_days:
            return None
        for _ in range(_SEARCH_DAYS):
            try:
                d += step
            except OverflowError:
                return None
            if self.is_working_day(d):
                return d
        return None

    def previous_working_day(self, d: date) -> date | None:
        """The last working day strictly before `d`; None if there is none within 366 days."""
        return self._step(d, -_DAY)

    def next_working_day(self, d: date) -> date | None:
        """The first working day strictly after `d`; None if there is none within 366 days."""
        return self._step(d, _DAY)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days from `a` to `b`, both inclusive; 0 when `a` is after `b`."""
        if a > b:
            return 0
        weeks, rest = divmod((b - a).days + 1, 7)
        count = weeks * len(self.working_days & frozenset(range(7)))
        count += sum(1 for i in range(rest) if (a.weekday() + i) % 7 in self.working_days)
        # Counted by weekday above; now take out the working weekdays that are days off.
        off = {d for d in self.holidays if a <= d <= b and d.weekday() in self.working_days}
        for pause in self.pauses:
            first, last = max(pause.start, a), min(pause.end, b)
            for offset in range((last - first).days + 1):
                d = first + timedelta(days=offset)
                if d.weekday() in self.working_days:
                    off.add(d)
        return count - len(off)

    def last_working_days(self, end: date, n: int) -> tuple[date, ...]:
        """The `n` most recent working days up to and including `end`, oldest first."""
        found: list[date] = []
        d: date | None = end if self.is_working_day(end) else self.previous_working_day(end)
        while d is not None and len(found) < n:
            found.append(d)
            d = self.previous_working_day(d)
        return tuple(reversed(found))


# --- Public holidays -------------------------------------------------------------------------

REGIONS: Final = (
    "DE",
    "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
    "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
    "AT",
    "CH",
    "CH-ZH", "CH-BE", "CH-VD", "CH-AG", "CH-SG", "CH-GE", "CH-LU", "CH-TI", "CH-VS",
    "CH-BS", "CH-BL", "CH-ZG",
)  # fmt: skip

_COUNTRY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "DE": ("Deutschland", "Germany", "Bundesrepublik Deutschland", "BRD", "DEU"),
    "AT": ("Österreich", "Austria", "Republik Österreich", "AUT"),
    "CH": ("Schweiz", "Switzerland", "Suisse", "Svizzera", "Svizra", "Helvetia", "CHE"),
    "LI": ("Liechtenstein",),
    "LU": ("Luxemburg", "Luxembourg"),
}
# German, English and local names; "Freiburg" is left out, as it is also a city in Germany.
_SUBDIVISION_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "DE-BW": ("Baden-Württemberg", "BaWü", "Baden Wuerttemberg"),
    "DE-BY": ("Bayern", "Bavaria", "Freistaat Bayern"),
    "DE-BE": ("Berlin",),
    "DE-BB": ("Brandenburg",),
    "DE-HB": ("Bremen", "Freie Hansestadt Bremen"),
    "DE-HH": ("Hamburg", "Freie und Hansestadt Hamburg"),
    "DE-HE": ("Hessen", "Hesse"),
    "DE-MV": (
        "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania",
        "Mecklenburg-West Pomerania", "Meck-Pomm", "Mecklenburg",
    ),
    "DE-NI": ("Niedersachsen", "Lower Saxony"),
    "DE-NW": ("Nordrhein-Westfalen", "North Rhine-Westphalia", "NRW", "Nordrhein Westphalen"),
    "DE-RP": ("Rheinland-Pfalz", "Rhineland-Palatinate", "RLP"),
    "DE-SL": ("Saarland",),
    "DE-SN": ("Sachsen", "Saxony", "Freistaat Sachsen"),
    "DE-ST": ("Sachsen-Anhalt", "Saxony-Anhalt"),
    "DE-SH": ("Schleswig-Holstein",),
    "DE-TH": ("Thüringen", "Thuringia", "Freistaat Thüringen"),
    "AT-1": ("Burgenland",),
    "AT-2": ("Kärnten", "Carinthia"),
    "AT-3": ("Niederösterreich", "Lower Austria"),
    "AT-4": ("Oberösterreich", "Upper Austria"),
    "AT-5": ("Salzburg",),
    "AT-6": ("Steiermark", "Styria"),
    "AT-7": ("Tirol", "Tyrol"),
    "AT-8": ("Vorarlberg",),
    "AT-9": ("Wien", "Vienna", "Vienne"),
    "CH-AG": ("Aargau", "Argovie"),
    "CH-AI": ("Appenzell Innerrhoden", "Appenzell Inner Rhodes"),
    "CH-AR": ("Appenzell Ausserrhoden", "Appenzell Outer Rhodes"),
    "CH-BE": ("Bern", "Berne"),
    "CH-BL": ("Basel-Landschaft", "Basel-Land", "Baselland", "Bâle-Campagne"),
    "CH-BS": ("Basel-Stadt", "Basel", "Basle", "Bâle", "Bâle-Ville"),
    "CH-FR": ("Fribourg", "Freiburg im Üechtland"),
    "CH-GE": ("Genf", "Geneva", "Genève"),
    "CH-GL": ("Glarus",),
    "CH-GR": ("Graubünden", "Grisons", "Grigioni", "Grischun"),
    "CH-JU": ("Jura",),
    "CH-LU": ("Luzern", "Lucerne"),
    "CH-NE": ("Neuenburg", "Neuchâtel"),
    "CH-NW": ("Nidwalden",),
    "CH-OW": ("Obwalden",),
    "CH-SG": ("St. Gallen", "Sankt Gallen", "St Gall", "Saint-Gall"),
    "CH-SH": ("Schaffhausen",),
    "CH-SO": ("Solothurn",),
    "CH-SZ": ("Schwyz",),
    "CH-TG": ("Thurgau", "Thurgovie"),
    "CH-TI": ("Tessin", "Ticino"),
    "CH-UR": ("Uri",),
    "CH-VD": ("Waadt", "Vaud"),
    "CH-VS": ("Wallis", "Valais"),
    "CH-ZG": ("Zug",),
    "CH-ZH": ("Zürich", "Zurich"),
}  # fmt: skip
# Words around a region's name that do not change which region it is.
_REGION_FILLER: Final = frozenset(
    {"kanton", "canton", "cantone", "freistaat", "free", "state", "bundesland", "of",
     "the", "in", "im", "republic"}
)  # fmt: skip
_NON_WORD: Final = re.compile(r"[\W_]+")
_CODE: Final = re.compile(r"([a-z]{2})(?: ([a-z0-9]{1,3}))?")


def _spaced(text: str) -> str:
    """Folded, with every run of punctuation or space as one space."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def _name_key(text: str) -> str:
    """A key for names that ignores umlaut spelling ("Zürich", "Zuerich", "Zurich")."""
    words = _spaced(text).replace("ae", "a").replace("oe", "o").replace("ue", "u").split()
    return " ".join(word for word in words if word not in _REGION_FILLER)


def _table(names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, spellings in names.items():
        for spelling in spellings:
            key = _name_key(spelling)
            # Two regions under one name would make the answer depend on dict order.
            assert table.setdefault(key, code) == code, spelling
    return table


_COUNTRIES: Final = _table(_COUNTRY_NAMES)
_SUBDIVISIONS: Final = _table(_SUBDIVISION_NAMES)


@functools.cache
def _supported() -> dict[str, tuple[str, ...]]:
    """Country code → its subdivision codes, as the holidays package knows them."""
    return {
        country: tuple(subdivisions)
        for country, subdivisions in holidays.list_supported_countries().items()
        if len(country) == 2
    }


@functools.cache
def _aliases(country: str) -> dict[str, str]:
    """A country's subdivision names and short forms ("W" → "9" for Vienna) by name key."""
    try:
        aliases: dict[str, str] = holidays.country_holidays(country).subdivisions_aliases
    except Exception:  # an alias table is a nicety; a package quirk must not fail a lookup
        return {}
    return {_name_key(alias): code for alias, code in aliases.items()}


def _from_code(country: str, subdivision: str | None) -> str | None:
    country = country.upper()
    known = _supported().get(country)
    if known is None:
        return None
    if subdivision is None:
        return country
    by_upper = {code.upper(): code for code in known}
    code = by_upper.get(subdivision.upper()) or _aliases(country).get(_name_key(subdivision))
    return None if code is None else f"{country}-{code}"


def normalize_region(text: str) -> str | None:
    """A holiday region code ("DE-BY", "AT", "CH-ZH") from a code or a DACH region's name."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_INPUT:
        return None
    spaced = _spaced(text)
    # Two letters are an ISO country code: "BY" alone is Belarus, "DE BY" is Bavaria.
    match = _CODE.fullmatch(spaced)
    if match is not None:
        found = _from_code(match.group(1), match.group(2))
        if found is not None or match.group(2) is None:
            return found
    key = _name_key(text)
    if key in _SUBDIVISIONS:
        return _SUBDIVISIONS[key]
    if key in _COUNTRIES:
        return _COUNTRIES[key]
    # "Bayern, Deutschland", "DE Bayern", "Österreich Wien": a country around a region.
    words = key.split()
    for country_words, rest in ((words[:1], words[1:]), (words[-1:], words[:-1])):
        word = " ".join(country_words)
        country = _COUNTRIES.get(word) or (_from_code(word, None) if len(word) == 2 else None)
        if country is None or not rest:
            continue
        region = _SUBDIVISIONS.get(" ".join(rest))
        if region is not None and region.startswith(country + "-"):
            return region
        alias = _aliases(country).get(" ".join(rest))
        if alias is not None:
            return f"{country}-{alias}"
    return None


def public_holidays(region: str | None, years: Iterable[int]) -> frozenset[date]:
    """Public holidays of a region ("DE-BY", "AT", "US-CA") in the years; empty if unknown."""
    code = normalize_region(region) if region else None
    if code is None:
        return frozenset()
    country, _, subdivision = code.partition("-")
    wanted = sorted(
        {y for y in years if isinstance(y, int) and date.min.year <= y <= date.max.year}
    )
    if not wanted:
        return frozenset()
    try:
        found = holidays.country_holidays(country, subdiv=subdivision or None, years=wanted)
        return frozenset(day for day in found if isinstance(day, date))
    except Exception:  # third-party data: a region it cannot handle means no holidays, not a crash
        return frozenset()
