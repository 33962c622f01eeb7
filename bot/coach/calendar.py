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
# The width of users.region.
REGION_MAX_LEN: Final = 10


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

# The countries offered to reps (the holidays package knows them all), in the order a rep in
# the DACH region most likely needs them.
COUNTRIES: Final = (
    "DE", "AT", "CH", "LI", "LU", "BE", "NL", "FR", "IT", "ES", "PT", "GB", "IE", "DK", "SE",
    "NO", "FI", "PL", "CZ", "SK", "HU", "SI", "HR", "GR", "TR", "US", "CA", "AU", "NZ", "ZA",
    "AE", "IN", "SG",
)  # fmt: skip
# Regions with a name in prompts/<lang>/regions.yaml: every offered country (the whole country
# where it has regions) and the regions of DE, AT, CH and the UK. Other regions the holidays
# package knows ("US-CA", "IT-RM") are taken too and named from the package.
REGIONS: Final = (
    "DE",
    "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
    "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
    "AT",
    "AT-1", "AT-2", "AT-3", "AT-4", "AT-5", "AT-6", "AT-7", "AT-8", "AT-9",
    "CH",
    "CH-ZH", "CH-BE", "CH-VD", "CH-AG", "CH-SG", "CH-GE", "CH-LU", "CH-TI", "CH-VS",
    "CH-BS", "CH-BL", "CH-ZG", "CH-FR", "CH-GR", "CH-NE", "CH-SO", "CH-SZ", "CH-TG",
    "CH-SH", "CH-AR", "CH-AI", "CH-GL", "CH-JU", "CH-NW", "CH-OW", "CH-UR",
    "GB", "GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR",
    *(code for code in COUNTRIES if code not in {"DE", "AT", "CH", "GB"}),
)  # fmt: skip
# The regions offered as buttons for a country (the others are typed: a city or a name).
BUTTON_REGIONS: Final = (
    "DE", "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
    "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
    "AT", "AT-1", "AT-2", "AT-3", "AT-4", "AT-5", "AT-6", "AT-7", "AT-8", "AT-9",
    "CH", "CH-ZH", "CH-BE", "CH-VD", "CH-AG", "CH-SG", "CH-GE", "CH-LU", "CH-TI", "CH-VS",
    "CH-BS", "CH-BL", "CH-ZG",
    "GB", "GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR",
)  # fmt: skip

_COUNTRY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "DE": ("Deutschland", "Germany", "Bundesrepublik Deutschland", "BRD", "DEU"),
    "AT": ("Österreich", "Austria", "Republik Österreich", "AUT"),
    "CH": ("Schweiz", "Switzerland", "Suisse", "Svizzera", "Svizra", "Helvetia", "CHE"),
    "LI": ("Liechtenstein", "Vaduz"),
    "LU": ("Luxemburg", "Luxembourg"),
    "BE": ("Belgien", "Belgium", "Belgique", "België", "Brüssel", "Brussels", "Bruxelles",
           "Antwerpen", "Antwerp", "Gent", "Ghent", "Lüttich", "Liège"),
    "NL": ("Niederlande", "Netherlands", "Nederland", "Holland", "Amsterdam", "Rotterdam",
           "Den Haag", "The Hague", "Utrecht", "Eindhoven"),
    "FR": ("Frankreich", "France", "Paris", "Lyon", "Marseille", "Toulouse", "Nizza", "Nice",
           "Bordeaux", "Lille", "Nantes", "Montpellier"),
    "IT": ("Italien", "Italy", "Italia"),
    "ES": ("Spanien", "Spain", "España"),
    "PT": ("Portugal",),
    "GB": ("Großbritannien", "Vereinigtes Königreich", "United Kingdom", "UK", "Britain",
           "Great Britain"),
    "IE": ("Irland", "Ireland", "Éire", "Dublin", "Cork", "Galway", "Limerick"),
    "DK": ("Dänemark", "Denmark", "Danmark", "Kopenhagen", "Copenhagen", "København",
           "Aarhus"),
    "SE": ("Schweden", "Sweden", "Sverige", "Stockholm", "Göteborg", "Gothenburg", "Malmö"),
    "NO": ("Norwegen", "Norway", "Norge"),
    "FI": ("Finnland", "Finland", "Suomi"),
    "PL": ("Polen", "Poland", "Polska"),
    "CZ": ("Tschechien", "Czechia", "Czech Republic", "Prag", "Prague", "Praha", "Brünn",
           "Brno"),
    "SK": ("Slowakei", "Slovakia", "Bratislava", "Pressburg"),
    "HU": ("Ungarn", "Hungary", "Budapest"),
    "SI": ("Slowenien", "Slovenia", "Ljubljana", "Laibach"),
    "HR": ("Kroatien", "Croatia", "Zagreb", "Split"),
    "GR": ("Griechenland", "Greece", "Athen", "Athens", "Thessaloniki"),
    "TR": ("Türkei", "Turkey", "Türkiye", "Istanbul", "Ankara", "Izmir", "Antalya"),
    "US": ("USA", "Vereinigte Staaten", "United States", "Amerika", "America", "US"),
    "CA": ("Kanada", "Canada"),
    "AU": ("Australien", "Australia"),
    "NZ": ("Neuseeland", "New Zealand", "Auckland", "Wellington"),
    "ZA": ("Südafrika", "South Africa"),
    "AE": ("Vereinigte Arabische Emirate", "United Arab Emirates", "VAE", "UAE", "Dubai",
           "Abu Dhabi"),
    "IN": ("Indien", "India"),
    "SG": ("Singapur", "Singapore"),
}  # fmt: skip
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
    "GB-ENG": ("England",),
    "GB-SCT": ("Schottland", "Scotland"),
    "GB-WLS": ("Wales",),
    "GB-NIR": ("Nordirland", "Northern Ireland"),
}  # fmt: skip
# Cities by the region whose holidays apply there: what a rep answers when asked where they
# work. A city that shares its name with a region elsewhere is left out ("Freiburg", "Baden").
_CITY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "DE-BW": (
        "Stuttgart", "Karlsruhe", "Mannheim", "Freiburg im Breisgau", "Heidelberg", "Ulm",
        "Heilbronn", "Pforzheim", "Reutlingen", "Esslingen", "Ludwigsburg", "Tübingen",
        "Konstanz", "Villingen-Schwenningen", "Offenburg", "Aalen", "Sindelfingen",
        "Friedrichshafen", "Baden-Baden", "Böblingen",
    ),
    "DE-BY": (
        "München", "Munich", "Nürnberg", "Nuremberg", "Würzburg", "Regensburg", "Ingolstadt",
        "Fürth", "Erlangen", "Bamberg", "Bayreuth", "Landshut", "Passau", "Rosenheim",
        "Kempten", "Aschaffenburg", "Schweinfurt", "Neu-Ulm", "Straubing", "Coburg",
        "Garmisch-Partenkirchen", "Freising", "Starnberg", "Augsburg",
    ),
    "DE-BB": ("Potsdam", "Cottbus", "Brandenburg an der Havel", "Frankfurt (Oder)",
              "Frankfurt Oder", "Oranienburg"),
    "DE-HB": ("Bremerhaven",),
    "DE-HE": ("Frankfurt", "Frankfurt am Main", "Frankfurt Main", "Wiesbaden", "Kassel",
              "Darmstadt", "Offenbach", "Offenbach am Main", "Hanau", "Gießen", "Marburg",
              "Fulda", "Rüsselsheim", "Bad Homburg", "Eschborn"),
    "DE-MV": ("Rostock", "Schwerin", "Neubrandenburg", "Stralsund", "Greifswald", "Wismar"),
    "DE-NI": ("Hannover", "Hanover", "Braunschweig", "Oldenburg", "Osnabrück", "Wolfsburg",
              "Göttingen", "Salzgitter", "Hildesheim", "Delmenhorst", "Wilhelmshaven",
              "Lüneburg", "Celle"),
    "DE-NW": ("Köln", "Cologne", "Düsseldorf", "Dortmund", "Essen", "Duisburg", "Bochum",
              "Wuppertal", "Bielefeld", "Bonn", "Münster", "Mönchengladbach", "Gelsenkirchen",
              "Aachen", "Krefeld", "Oberhausen", "Hagen", "Hamm", "Mülheim an der Ruhr",
              "Leverkusen", "Solingen", "Herne", "Neuss", "Paderborn", "Bottrop",
              "Recklinghausen", "Remscheid", "Siegen", "Moers", "Gütersloh"),
    "DE-RP": ("Mainz", "Ludwigshafen", "Ludwigshafen am Rhein", "Koblenz", "Trier",
              "Kaiserslautern", "Worms", "Neuwied", "Speyer"),
    "DE-SL": ("Saarbrücken", "Neunkirchen", "Saarlouis"),
    "DE-SN": ("Dresden", "Leipzig", "Chemnitz", "Zwickau", "Plauen", "Görlitz"),
    "DE-ST": ("Magdeburg", "Halle", "Halle (Saale)", "Halle Saale", "Dessau", "Dessau-Roßlau",
              "Wittenberg"),
    "DE-SH": ("Kiel", "Lübeck", "Flensburg", "Neumünster", "Norderstedt"),
    "DE-TH": ("Erfurt", "Jena", "Gera", "Weimar", "Gotha", "Eisenach"),
    "AT-1": ("Eisenstadt",),
    "AT-2": ("Klagenfurt", "Villach"),
    "AT-3": ("St. Pölten", "Sankt Pölten", "Wiener Neustadt", "Krems", "Baden bei Wien"),
    "AT-4": ("Linz", "Wels", "Steyr"),
    "AT-6": ("Graz", "Leoben"),
    "AT-7": ("Innsbruck", "Kufstein", "Kitzbühel"),
    "AT-8": ("Bregenz", "Dornbirn", "Feldkirch"),
    "CH-ZH": ("Winterthur", "Uster"),
    "CH-BE": ("Biel", "Bienne", "Thun"),
    "CH-VD": ("Lausanne", "Montreux"),
    "CH-AG": ("Aarau",),
    "CH-TI": ("Lugano", "Bellinzona", "Locarno"),
    "CH-NE": ("La Chaux-de-Fonds",),
    "CH-VS": ("Sion", "Sitten", "Zermatt"),
    "CH-GR": ("Chur", "Davos", "St. Moritz"),
    "CH-SO": ("Olten",),
    "CH-TG": ("Frauenfeld",),
    "GB-ENG": ("London", "Manchester", "Birmingham", "Liverpool", "Leeds", "Sheffield",
               "Bristol", "Newcastle", "Nottingham", "Leicester", "Southampton", "Brighton",
               "Oxford", "Cambridge", "Reading", "York", "Coventry", "Milton Keynes"),
    "GB-SCT": ("Edinburgh", "Edinburg", "Glasgow", "Aberdeen", "Dundee", "Inverness"),
    "GB-WLS": ("Cardiff", "Swansea"),
    "GB-NIR": ("Belfast", "Londonderry", "Derry"),
    "FR-6AE": ("Straßburg", "Strasbourg", "Colmar", "Mulhouse", "Mülhausen"),
    "FR-57": ("Metz",),
    "IT-RM": ("Rom", "Rome", "Roma"),
    "IT-MI": ("Mailand", "Milan", "Milano"),
    "IT-NA": ("Neapel", "Naples", "Napoli"),
    "IT-TO": ("Turin", "Torino"),
    "IT-FI": ("Florenz", "Florence", "Firenze"),
    "IT-BO": ("Bologna",),
    "IT-VE": ("Venedig", "Venice", "Venezia"),
    "IT-GE": ("Genua", "Genoa", "Genova"),
    "IT-BZ": ("Bozen", "Bolzano", "Meran", "Merano", "Südtirol"),
    "ES-MD": ("Madrid",),
    "ES-CT": ("Barcelona",),
    "ES-VC": ("Valencia",),
    "ES-AN": ("Sevilla", "Seville", "Málaga", "Malaga"),
    "ES-PV": ("Bilbao",),
    "ES-IB": ("Palma", "Mallorca", "Palma de Mallorca", "Ibiza"),
    "PT-11": ("Lissabon", "Lisbon", "Lisboa"),
    "PT-13": ("Porto",),
    "PL-14": ("Warschau", "Warsaw", "Warszawa"),
    "PL-12": ("Krakau", "Kraków", "Krakow", "Cracow"),
    "PL-02": ("Breslau", "Wrocław", "Wroclaw"),
    "PL-22": ("Danzig", "Gdańsk", "Gdansk"),
    "PL-30": ("Posen", "Poznań", "Poznan"),
    "NO-03": ("Oslo",),
    "FI-18": ("Helsinki", "Helsingfors"),
    "US-NY": ("New York", "New York City", "NYC", "Manhattan", "Brooklyn"),
    "US-CA": ("Los Angeles", "San Francisco", "San Diego", "San Jose", "Silicon Valley"),
    "US-IL": ("Chicago",),
    "US-TX": ("Houston", "Dallas", "Austin", "San Antonio"),
    "US-FL": ("Miami", "Orlando", "Tampa"),
    "US-MA": ("Boston",),
    "US-WA": ("Seattle",),
    "US-GA": ("Atlanta",),
    "US-DC": ("Washington DC", "Washington D.C.", "Washington, D.C."),
    "US-PA": ("Philadelphia", "Pittsburgh"),
    "US-CO": ("Denver",),
    "US-NV": ("Las Vegas",),
    "CA-ON": ("Toronto", "Ottawa"),
    "CA-QC": ("Montreal", "Montréal", "Quebec City"),
    "CA-BC": ("Vancouver",),
    "CA-AB": ("Calgary", "Edmonton"),
    "AU-NSW": ("Sydney",),
    "AU-VIC": ("Melbourne",),
    "AU-QLD": ("Brisbane",),
    "AU-WA": ("Perth",),
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
# A region's own name wins over a city of the same name elsewhere; two cities may not clash.
_CITIES: Final = {
    key: code for key, code in _table(_CITY_NAMES).items() if key not in _SUBDIVISIONS
}


@functools.cache
def _supported() -> dict[str, tuple[str, ...]]:
    """Country code → its subdivision codes, as the holidays package knows them."""
    return {
        country: tuple(subdivisions)
        for country, subdivisions in holidays.list_supported_countries().items()
        if len(country) == 2
    }


@functools.cache
def _raw_aliases(country: str) -> dict[str, str]:
    """A country's subdivision names and short forms ("W" → "9" for Vienna), as the package
    spells them."""
    try:
        aliases: dict[str, str] = holidays.country_holidays(country).subdivisions_aliases
    except Exception:  # an alias table is a nicety; a package quirk must not fail a lookup
        return {}
    return dict(aliases)


@functools.cache
def _aliases(country: str) -> dict[str, str]:
    """A country's subdivision names and short forms by name key."""
    return {_name_key(alias): code for alias, code in _raw_aliases(country).items()}


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


def _place_region(key: str) -> str | None:
    """The region of a region's, a city's or a country's name key; None if none is known."""
    return _SUBDIVISIONS.get(key) or _CITIES.get(key) or _COUNTRIES.get(key)


def region_of_place(text: str) -> str | None:
    """The holiday region of a typed place ("München" → "DE-BY", "London" → "GB-ENG"), from
    names only (never a code); None when the text names no region, city or country we know."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_INPUT:
        return None
    key = _name_key(text)
    found = _place_region(key)
    if found is None and "," in text:
        # "Berlin, Deutschland": the first part is the most specific.
        found = _place_region(_name_key(text.split(",", 1)[0]))
    return found


# The timezone of a region, for a place the timezone lookup does not know ("Tübingen") or would
# guess wrong ("Davos" is no "Davis" in Antarctica). Countries spanning several zones only by
# their regions.
_COUNTRY_ZONES: Final[dict[str, str]] = {
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich", "LI": "Europe/Vaduz",
    "LU": "Europe/Luxembourg", "BE": "Europe/Brussels", "NL": "Europe/Amsterdam",
    "FR": "Europe/Paris", "IT": "Europe/Rome", "ES": "Europe/Madrid", "PT": "Europe/Lisbon",
    "GB": "Europe/London", "IE": "Europe/Dublin", "DK": "Europe/Copenhagen",
    "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "FI": "Europe/Helsinki",
    "PL": "Europe/Warsaw", "CZ": "Europe/Prague", "SK": "Europe/Bratislava",
    "HU": "Europe/Budapest", "SI": "Europe/Ljubljana", "HR": "Europe/Zagreb",
    "GR": "Europe/Athens", "TR": "Europe/Istanbul", "NZ": "Pacific/Auckland",
    "ZA": "Africa/Johannesburg", "AE": "Asia/Dubai", "IN": "Asia/Kolkata",
    "SG": "Asia/Singapore",
}  # fmt: skip
_REGION_ZONES: Final[dict[str, str]] = {
    "ES-CN": "Atlantic/Canary", "PT-20": "Atlantic/Azores", "PT-30": "Atlantic/Madeira",
    "US-NY": "America/New_York", "US-DC": "America/New_York", "US-MA": "America/New_York",
    "US-GA": "America/New_York", "US-FL": "America/New_York", "US-PA": "America/New_York",
    "US-CA": "America/Los_Angeles", "US-WA": "America/Los_Angeles",
    "US-NV": "America/Los_Angeles", "US-IL": "America/Chicago", "US-TX": "America/Chicago",
    "US-CO": "America/Denver", "CA-ON": "America/Toronto", "CA-QC": "America/Toronto",
    "CA-BC": "America/Vancouver", "CA-AB": "America/Edmonton", "AU-NSW": "Australia/Sydney",
    "AU-VIC": "Australia/Melbourne", "AU-QLD": "Australia/Brisbane", "AU-WA": "Australia/Perth",
}  # fmt: skip


def timezone_of_region(region: str) -> str | None:
    """The timezone of a region ("DE-BW" → "Europe/Berlin", "US-CA" → "America/Los_Angeles");
    None for a country with several zones named without its region ("US")."""
    return _REGION_ZONES.get(region) or _COUNTRY_ZONES.get(country_of(region))


def country_of(region: str) -> str:
    """The country code of a region code ("DE-BY" → "DE")."""
    return region.partition("-")[0]


def subdivision_names(region: str) -> tuple[str, ...]:
    """The holidays package's names for a region's subdivision ("US-CA" → "California"), so a
    region without a name of our own is never shown as its code; empty for a country."""
    country, _, code = region.partition("-")
    if not code:
        return ()
    names = [name for name, alias in _raw_aliases(country).items() if alias == code]
    # Short forms ("W", "Bgld") are codes too; the longest name first reads best.
    return tuple(sorted((n for n in names if len(n) > 3), key=len, reverse=True)) or (
        (code,) if len(code) > 3 else ()
    )


def normalize_region(text: str) -> str | None:
    """A holiday region code ("DE-BY", "AT", "CH-ZH") from a code or a name (region, city,
    country)."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_INPUT:
        return None
    code = _normalize(text)
    # A code the users table cannot hold is no region we offer ("CH-Stadt Zurich").
    return code if code is not None and len(code) <= REGION_MAX_LEN else None


def _normalize(text: str) -> str | None:
    spaced = _spaced(text)
    # Two letters are an ISO country code: "BY" alone is Belarus, "DE BY" is Bavaria.
    match = _CODE.fullmatch(spaced)
    if match is not None:
        found = _from_code(match.group(1), match.group(2))
        if found is not None or match.group(2) is None:
            return found
    key = _name_key(text)
    found = _place_region(key)
    if found is not None:
        return found
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
