"""Migration 0014: existing reps get the currency of their region or timezone, else the euro."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.coach.profile import Profile
from bot.storage.engine import create_engine
from bot.storage.migrate import upgrade
from bot.storage.profiles import profile_values
from bot.storage.tables import users

_NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


async def test_existing_reps_get_their_countrys_currency(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0013")
        rows = [
            (1, "Europe/Berlin", None),
            (2, "Europe/Zurich", None),
            (3, "Europe/Berlin", "CH-ZH"),  # the chosen region wins over the timezone
            (4, "Europe/London", None),
            (5, "America/New_York", "US-NY"),
            (6, "Etc/GMT-5", None),  # no country: the euro
            (7, "Europe/Vienna", "AT"),
        ]
        async with engine.begin() as conn:
            for user_id, zone, region in rows:
                values = profile_values(Profile(user_id, user_id, "de", zone, region=region))
                # The column does not exist yet before 0014.
                del values["currency"]
                await conn.execute(
                    users.insert(),
                    {"id": user_id, "created_at": _NOW, "updated_at": _NOW, **values},
                )
        await upgrade(engine)
        async with engine.connect() as conn:
            found = dict((await conn.execute(select(users.c.id, users.c.currency))).all())
        assert found == {1: "EUR", 2: "CHF", 3: "CHF", 4: "GBP", 5: "USD", 6: "EUR", 7: "EUR"}
    finally:
        await engine.dispose()
