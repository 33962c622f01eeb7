"""Several reps' figures at once: days in the range, targets, practice, overdue follow-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.coach.activity import Counts
from bot.coach.profile import Profile
from bot.coach.targets import DailyTargets
from bot.coach.team_week import RepDay
from bot.storage import Storage
from bot.storage.profiles import profile_values
from bot.storage.tables import (
    activity_days,
    contacts,
    followups,
    pitch_rehearsals,
    roleplay_calls,
    users,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)
FIRST = TODAY - timedelta(days=6)


async def _rep(storage: Storage, user_id: int) -> None:
    await storage.users.create(Profile(user_id, user_id * 10, "de", "Europe/Berlin"), NOW)


async def _log(storage: Storage, user_id: int, day: date, dials: int, target: int = 20) -> None:
    await storage.activity.change(
        user_id, day, Counts(dials, 1, 0, 0), source="text", now=NOW, target_dials=target
    )


async def test_stats_of_several_reps_keep_each_to_their_own(storage: Storage) -> None:
    for user_id in (1, 2, 3):
        await _rep(storage, user_id)
    await _log(storage, 1, TODAY, 12)
    await _log(storage, 1, FIRST, 5)
    await _log(storage, 1, FIRST - timedelta(days=1), 99)  # before the range
    await _log(storage, 2, TODAY - timedelta(days=2), 7, target=0)
    await _log(storage, 3, TODAY + timedelta(days=1), 50)  # after the range
    await storage.activity.set_targets(1, DailyTargets(20, 4, 1, 2), "manual", NOW)
    await storage.drills.record(1, "price", 0.5, TODAY, 3, NOW)
    await storage.drills.record(1, "time", 0.5, TODAY, 3, NOW - timedelta(days=30))
    async with storage.engine.begin() as conn:
        await conn.execute(
            pitch_rehearsals.insert(),
            [{"user_id": 2, "kind": "text", "created_at": NOW} for _ in range(2)],
        )
        await conn.execute(
            roleplay_calls.insert().values(
                user_id=3,
                scenario_id="cold_call",
                lang="de",
                difficulty="normal",
                state="{}",
                started_at=NOW,
                updated_at=NOW,
            )
        )
        contact = await conn.execute(
            contacts.insert().values(user_id=2, name="X", created_at=NOW, updated_at=NOW)
        )
        (contact_id,) = contact.inserted_primary_key or (0,)
        rows = [
            {"due": TODAY - timedelta(days=3), "status": "open"},
            {"due": TODAY - timedelta(days=1), "status": "open"},
            {"due": TODAY, "status": "open"},  # due today: not overdue
            {"due": TODAY - timedelta(days=5), "status": "done"},
        ]
        await conn.execute(
            followups.insert(),
            [
                {
                    "user_id": 2,
                    "contact_id": contact_id,
                    "reason": "later",
                    "channel": "phone",
                    "created_at": NOW,
                    "updated_at": NOW,
                    **row,
                }
                for row in rows
            ],
        )
    since = datetime.combine(FIRST, datetime.min.time(), tzinfo=UTC)
    stats = await storage.team_stats.stats([3, 1, 2, 2, 404], FIRST, TODAY, since, TODAY)
    assert sorted(stats.profiles) == [1, 2, 3]
    assert stats.days[1] == [RepDay(FIRST, 5, 1, 0, 20), RepDay(TODAY, 12, 1, 0, 20)]
    assert stats.days[2] == [RepDay(TODAY - timedelta(days=2), 7, 1, 0, 0)]
    assert 3 not in stats.days
    assert stats.daily == {1: {"dials": 20, "conversations": 4, "appointments": 1}}
    assert stats.practice == {1: {"drills": 1}, 2: {"pitches": 2}, 3: {"calls": 1}}
    assert stats.overdue == {2: 2}

    assert await storage.team_stats.practised([1, 2, 3], "objection", "price", since) == {1}
    assert await storage.team_stats.practised([1, 2, 3], "objection", "time", since) == set()
    assert await storage.team_stats.practised([1, 2, 3], "pitch", "", since) == {2}
    assert await storage.team_stats.practised([1, 2, 3], "scenario", "cold_call", since) == {3}
    assert await storage.team_stats.practised([1, 2], "scenario", "cold_call", since) == set()
    assert await storage.team_stats.practised([1, 2, 3], "other", "x", since) == set()
    assert await storage.team_stats.team_sum([1, 2, 3], "dials", FIRST, TODAY) == 24
    assert await storage.team_stats.team_sum([], "dials", FIRST, TODAY) == 0


async def test_no_reps_and_unknown_reps_give_empty_stats(storage: Storage) -> None:
    stats = await storage.team_stats.stats([], FIRST, TODAY, NOW, TODAY)
    assert stats.profiles == {}
    stats = await storage.team_stats.stats([5, 6], FIRST, TODAY, NOW, TODAY)
    assert (stats.profiles, stats.days, stats.practice, stats.overdue) == ({}, {}, {}, {})


async def test_a_large_team_is_read_in_chunks(storage: Storage) -> None:
    ids = list(range(1, 2001))
    async with storage.engine.begin() as conn:
        await conn.execute(
            users.insert(),
            [
                {**profile_values(Profile(i, i, "de", "UTC")), "id": i}
                | {"created_at": NOW, "updated_at": NOW}
                for i in ids
            ],
        )
        await conn.execute(
            activity_days.insert(),
            [
                {"user_id": i, "day": TODAY, "dials": 1, "conversations": 0, "appointments": 0}
                | {"contacts": 0, "target_dials": 0, "version": 0, "updated_at": NOW}
                for i in ids
            ],
        )
    stats = await storage.team_stats.stats(ids, FIRST, TODAY, NOW, TODAY)
    assert len(stats.days) == 2000
    assert len(stats.profiles) == 2000
    assert await storage.team_stats.team_sum(ids, "dials", FIRST, TODAY) == 2000
