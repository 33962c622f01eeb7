"""Offline timezone lookup from what reps type (cities, countries, offsets) or share (location)."""

from __future__ import annotations

import functools
import math
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.coach._text import fold

UTC_KEY: Final = "UTC"
_MAX_INPUT: Final = 80
_MIN_FUZZY: Final = 4
# Host-specific or placeholder entries that `available_timezones()` may list.
_SKIPPED_KEYS: Final = frozenset({"localtime", "Factory", "posixrules"})
# Legacy areas whose last part is not a city ("US/Eastern"); still accepted as full keys.
_NON_CITY_AREAS: Final = frozenset({"Etc", "US", "Canada", "Mexico", "Brazil", "Chile", "SystemV"})

# Names German-speaking reps use for places whose IANA key says something else (or nothing).
# Countries spanning several zones are left out on purpose: guessing one would mislead.
ALIASES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("Europe/Berlin", (
        "Deutschland", "Germany", "BRD", "MEZ", "MESZ", "CET", "CEST",
        "Hamburg", "München", "Munich", "Köln", "Cologne", "Frankfurt", "Frankfurt am Main",
        "Frankfurt Main", "Frankfurt Oder", "Stuttgart", "Düsseldorf", "Leipzig", "Dortmund",
        "Essen", "Bremen", "Dresden", "Hannover", "Hanover", "Nürnberg", "Nuremberg", "Duisburg",
        "Bochum", "Wuppertal", "Bielefeld", "Bonn", "Münster", "Mannheim", "Karlsruhe",
        "Augsburg", "Wiesbaden", "Mönchengladbach", "Gelsenkirchen", "Aachen", "Braunschweig",
        "Kiel", "Chemnitz", "Halle", "Magdeburg", "Freiburg", "Krefeld", "Mainz", "Lübeck",
        "Erfurt", "Oberhausen", "Rostock", "Kassel", "Hagen", "Potsdam", "Saarbrücken", "Hamm",
        "Ludwigshafen", "Oldenburg", "Osnabrück", "Leverkusen", "Heidelberg", "Darmstadt",
        "Solingen", "Regensburg", "Paderborn", "Ingolstadt", "Würzburg", "Wolfsburg", "Ulm",
        "Heilbronn", "Göttingen", "Pforzheim", "Offenbach", "Trier", "Koblenz", "Bremerhaven",
        "Jena", "Erlangen", "Schwerin", "Cottbus", "Siegen", "Hildesheim", "Konstanz",
        "Flensburg", "Rosenheim", "Bamberg", "Bayreuth", "Passau", "Lüneburg",
    )),
    ("Europe/Vienna", (
        "Österreich", "Austria", "Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt",
        "Villach", "Wels", "Sankt Pölten", "St. Pölten", "Dornbirn", "Bregenz", "Eisenstadt",
        "Steyr", "Feldkirch",
    )),
    ("Europe/Zurich", (
        "Schweiz", "Switzerland", "Suisse", "Svizzera", "Zürich", "Bern", "Basel", "Genf",
        "Genève", "Geneva", "Lausanne", "Luzern", "Lucerne", "St. Gallen", "Sankt Gallen",
        "Winterthur", "Lugano", "Biel", "Thun", "Chur", "Zug", "Schaffhausen",
    )),
    ("Europe/Vaduz", ("Liechtenstein",)),
    ("Europe/Luxembourg", ("Luxemburg", "Luxembourg")),
    ("Europe/Amsterdam", (
        "Niederlande", "Netherlands", "Holland", "Rotterdam", "Den Haag", "The Hague", "Utrecht",
        "Eindhoven",
    )),
    ("Europe/Brussels", ("Belgien", "Belgium", "Brüssel", "Antwerpen", "Antwerp", "Gent")),
    ("Europe/Paris", ("Frankreich", "France", "Straßburg", "Strasbourg", "Lyon", "Marseille",
                      "Nizza", "Nice")),
    ("Europe/Rome", ("Italien", "Italy", "Mailand", "Milano", "Milan", "Rom", "Roma",
                     "Venedig", "Venice", "Neapel", "Naples", "Florenz", "Florence", "Turin",
                     "Bozen", "Bolzano", "Meran", "Südtirol")),
    ("Europe/Madrid", ("Spanien", "Spain", "Barcelona", "Valencia", "Sevilla", "Mallorca",
                       "Palma", "Ibiza")),
    ("Atlantic/Canary", ("Kanaren", "Canary Islands", "Teneriffa", "Tenerife", "Gran Canaria")),
    ("Europe/Lisbon", ("Portugal", "Lissabon", "Porto")),
    ("Europe/London", ("Großbritannien", "Vereinigtes Königreich", "United Kingdom", "UK",
                       "England", "Britain", "Great Britain", "Schottland", "Scotland",
                       "Manchester", "Edinburgh", "Birmingham", "BST")),
    ("Europe/Dublin", ("Irland", "Ireland")),
    ("Europe/Warsaw", ("Polen", "Poland", "Warschau", "Krakau", "Kraków", "Breslau", "Wrocław",
                       "Danzig", "Gdańsk", "Posen", "Poznań", "Stettin")),
    ("Europe/Prague", ("Tschechien", "Czechia", "Czech Republic", "Prag", "Brünn", "Brno")),
    ("Europe/Bratislava", ("Slowakei", "Slovakia", "Pressburg")),
    ("Europe/Budapest", ("Ungarn", "Hungary")),
    ("Europe/Ljubljana", ("Slowenien", "Slovenia", "Laibach")),
    ("Europe/Zagreb", ("Kroatien", "Croatia", "Split")),
    ("Europe/Belgrade", ("Serbien", "Serbia", "Belgrad")),
    ("Europe/Bucharest", ("Rumänien", "Romania", "Bukarest")),
    ("Europe/Sofia", ("Bulgarien", "Bulgaria")),
    ("Europe/Athens", ("Griechenland", "Greece", "Athen", "Thessaloniki", "Kreta", "Crete")),
    ("Europe/Istanbul", ("Türkei", "Turkey", "Türkiye", "Ankara", "Antalya", "Izmir")),
    ("Europe/Copenhagen", ("Dänemark", "Denmark", "Kopenhagen", "Aarhus")),
    ("Europe/Stockholm", ("Schweden", "Sweden", "Göteborg", "Gothenburg", "Malmö")),
    ("Europe/Oslo", ("Norwegen", "Norway", "Bergen")),
    ("Europe/Helsinki", ("Finnland", "Finland")),
    ("Atlantic/Reykjavik", ("Island", "Iceland")),
    ("Europe/Kyiv", ("Ukraine", "Kiew", "Kyiv")),
    ("Europe/Moscow", ("Moskau", "Sankt Petersburg", "St. Petersburg", "Saint Petersburg")),
    ("Europe/Tallinn", ("Estland", "Estonia")),
    ("Europe/Riga", ("Lettland", "Latvia")),
    ("Europe/Vilnius", ("Litauen", "Lithuania")),
    ("Asia/Nicosia", ("Zypern", "Cyprus", "Nikosia")),
    ("Europe/Malta", ("Malta",)),
    ("Asia/Jerusalem", ("Israel", "Tel Aviv")),
    ("Asia/Dubai", ("Vereinigte Arabische Emirate", "VAE", "UAE", "Emirates", "Abu Dhabi")),
    ("Asia/Kolkata", ("Indien", "India", "Neu-Delhi", "New Delhi", "Delhi", "Mumbai", "Bombay",
                      "Bangalore", "Bengaluru")),
    ("Asia/Shanghai", ("China", "Peking", "Beijing")),
    ("Asia/Hong_Kong", ("Hongkong",)),
    ("Asia/Tokyo", ("Japan", "Tokio", "Osaka")),
    ("Asia/Seoul", ("Südkorea", "South Korea", "Korea")),
    ("Asia/Singapore", ("Singapur",)),
    ("Asia/Bangkok", ("Thailand", "Phuket")),
    ("Asia/Makassar", ("Bali",)),
    ("Africa/Cairo", ("Ägypten", "Egypt", "Kairo")),
    ("Africa/Johannesburg", ("Südafrika", "South Africa", "Kapstadt", "Cape Town")),
    ("Africa/Casablanca", ("Marokko", "Morocco")),
    ("America/New_York", ("Washington", "Boston", "Philadelphia", "Miami", "Atlanta", "EST",
                          "EDT")),
    ("America/Chicago", ("Houston", "Dallas", "Austin")),
    ("America/Los_Angeles", ("San Francisco", "Seattle", "Las Vegas", "San Diego", "PST",
                             "PDT")),
    ("America/Toronto", ("Montreal", "Ottawa")),
    ("America/Mexico_City", ("Mexiko", "Mexico", "Mexiko-Stadt")),
    ("America/Sao_Paulo", ("Brasilien", "Brazil", "Rio de Janeiro", "Rio")),
    ("America/Argentina/Buenos_Aires", ("Argentinien", "Argentina")),
    (UTC_KEY, ("UTC", "GMT", "UT", "Z", "Zulu", "Weltzeit")),
)  # fmt: skip

_OFFSET: Final = re.compile(
    r"(?:(?:utc|gmt|ut|z)\s*)?([+-])\s*(\d{1,2})(?:\s*[:.h]?\s*(\d{2}))?"
    r"\s*(?:h|std|stunden?|hours?)?"
)
_MAX_EAST: Final = 14 * 60
_MAX_WEST: Final = -12 * 60
# Zones that are the usual answer for offsets off the whole hour; others are too rare to guess.
_PART_HOUR_ZONES: Final = {
    -9 * 60 - 30: "Pacific/Marquesas",
    -3 * 60 - 30: "America/St_Johns",
    3 * 60 + 30: "Asia/Tehran",
    4 * 60 + 30: "Asia/Kabul",
    5 * 60 + 30: "Asia/Kolkata",
    5 * 60 + 45: "Asia/Kathmandu",
    6 * 60 + 30: "Asia/Yangon",
    8 * 60 + 45: "Australia/Eucla",
    9 * 60 + 30: "Australia/Darwin",
    12 * 60 + 45: "Pacific/Chatham",
}
_DROPPED: Final = str.maketrans({".": "", "'": "", "’": "", "(": " ", ")": " "})
_SPACED: Final = str.maketrans({"_": " ", "-": " "})


@dataclass(frozen=True, slots=True)
class TimezoneMatch:
    """A resolved timezone; `exact` is False for a fuzzy guess that is worth confirming."""

    key: str
    label: str
    exact: bool = True


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    label: str


class TimezoneIndex:
    """Lookup tables for turning typed place names into IANA keys; build once, resolve often."""

    __slots__ = ("_by_key", "_by_name", "_keys", "_legacy", "_name_choices", "_path_choices")

    def __init__(
        self,
        zones: Iterable[str],
        aliases: Iterable[tuple[str, Iterable[str]]] = ALIASES,
    ) -> None:
        keys = frozenset(zones) - _SKIPPED_KEYS
        self._keys = keys
        self._by_key: dict[str, _Entry] = {}
        self._legacy: dict[str, _Entry] = {}
        for key in sorted(keys):
            table = self._by_key if "/" in key else self._legacy
            table[_place(key)] = _Entry(key, key)
        # Aliases go first so that "CET" means Berlin rather than the bare legacy zone.
        self._by_name: dict[str, _Entry] = {}
        for key, names in aliases:
            if key in keys:
                for name in names:
                    self._by_name.setdefault(_place(name), _Entry(key, name))
        # Deeper keys first: "America/Argentina/Buenos_Aires" is canonical, the short one a link.
        for key in sorted(keys, key=lambda k: (-k.count("/"), k)):
            area, _, city = key.rpartition("/")
            if area and area.split("/")[0] not in _NON_CITY_AREAS:
                label = city.replace("_", " ")
                self._by_name.setdefault(_place(label), _Entry(key, label))
        self._name_choices = list(self._by_name)
        self._path_choices = list(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def resolve(self, text: str) -> TimezoneMatch | None:
        """The timezone a rep means by `text`, or None when nothing fits well enough."""
        if not text or len(text) > _MAX_INPUT:
            return None
        folded = fold(text)
        offset = _offset_match(folded)
        if offset is not None:
            return offset
        query = _place(folded)
        if not query:
            return None
        exact = self._exact(query)
        if exact is None and "," in query:
            # "Berlin, Deutschland": the first part is usually the most specific.
            exact = self._exact(query.split(",", 1)[0].strip())
        if exact is not None:
            return TimezoneMatch(exact.key, exact.label, exact=True)
        return self._fuzzy(query.replace(",", " "))

    def _exact(self, query: str) -> _Entry | None:
        if "/" in query:
            entry = self._by_key.get(query)
            if entry is not None:
                return entry
            query = " ".join(query.replace("/", " ").split())
        return self._by_name.get(query) or self._legacy.get(query)

    def _fuzzy(self, query: str) -> TimezoneMatch | None:
        query = " ".join(query.split())
        if len(query) < _MIN_FUZZY:
            return None
        # Allowed typos grow with length: one in "Kiel"-sized words, up to three in long names.
        edits = 1 if len(query) <= 6 else 2 if len(query) <= 12 else 3
        if "/" in query:
            found = process.extractOne(
                query, self._path_choices, scorer=OSA.distance, score_cutoff=edits
            )
            entries = self._by_key
        else:
            found = process.extractOne(
                query, self._name_choices, scorer=OSA.distance, score_cutoff=edits
            )
            entries = self._by_name
        if found is None:
            return None
        entry = entries[found[0]]
        return TimezoneMatch(entry.key, entry.label, exact=False)


def _place(text: str) -> str:
    """Fold a place name or key so that spelling variants compare equal."""
    text = fold(text).translate(_DROPPED).translate(_SPACED).rstrip("!?;:, ")
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split())


def _offset_match(folded: str) -> TimezoneMatch | None:
    match = _OFFSET.fullmatch(folded.rstrip(".!? "))
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes >= 60:
        return None
    total = sign * (hours * 60 + minutes)
    if not _MAX_WEST <= total <= _MAX_EAST:
        return None
    label = f"UTC{'-' if total < 0 else '+'}{hours:02d}:{minutes:02d}"
    if minutes:
        key = _PART_HOUR_ZONES.get(total)
        return None if key is None else TimezoneMatch(key, label)
    if hours == 0:
        return TimezoneMatch(UTC_KEY, label)
    # POSIX-style Etc names invert the sign: UTC+2 is "Etc/GMT-2".
    return TimezoneMatch(f"Etc/GMT{'-' if sign > 0 else '+'}{hours}", label)


@functools.cache
def default_index() -> TimezoneIndex:
    """The index over this machine's tz database and the built-in aliases, built on first use."""
    return TimezoneIndex(zoneinfo.available_timezones())


def resolve_timezone(text: str) -> TimezoneMatch | None:
    """Resolve typed text to a timezone using the shared default index."""
    return default_index().resolve(text)


def timezone_for_location(latitude: float, longitude: float) -> str | None:
    """The IANA key for a shared location, or None for impossible coordinates or no match."""
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    # Imported on the first shared location, not at start: most processes never see one.
    import tzfpy

    key = tzfpy.get_tz(longitude, latitude)
    if key not in default_index():
        return None
    return key


def utc_offset_label(key: str, at: datetime) -> str:
    """The zone's offset at the aware instant `at`, e.g. "UTC+01:00"; raises on naive `at`."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("utc_offset_label needs an aware datetime")
    offset = at.astimezone(zoneinfo.ZoneInfo(key)).utcoffset()
    minutes = 0 if offset is None else int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
