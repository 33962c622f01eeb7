"""A rep's working calendar: their working days plus the public holidays of their region."""

from __future__ import annotations

import functools
from datetime import date, datetime
from importlib import resources

from bot.coach.calendar import Pause, WorkCalendar, local_date, public_holidays
from bot.coach.profile import Profile


@functools.cache
def _zone_countries() -> dict[str, str]:
    """IANA zone → ISO country code, from the tzdata package's zone.tab."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                countries[parts[2]] = parts[0]
    return countries


def region_of(profile: Profile) -> str | None:
    """The rep's holiday region: the one they chose, else their timezone's country."""
    return profile.region or _zone_countries().get(profile.timezone)


@functools.lru_cache(maxsize=256)
def _holidays(region: str | None, years: tuple[int, ...]) -> frozenset[date]:
    return public_holidays(region, years)


def calendar_for(
    profile: Profile,
    around: date,
    since: date | None = None,
    pauses: tuple[Pause, ...] = (),
) -> WorkCalendar:
    """The rep's calendar with holidays from `since` (default: a year before) to after `around`."""
    first = since.year if since is not None and since.year < around.year else around.year - 1
    years = tuple(range(first, around.year + 2))
    return WorkCalendar(profile.schedule.working_days, _holidays(region_of(profile), years), pauses)


def today_of(profile: Profile, now: datetime) -> date:
    """The rep's local date."""
    return local_date(now, profile.timezone)
