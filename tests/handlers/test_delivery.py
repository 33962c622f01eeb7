"""What reaches the rep when Telegram pushes back: a flood wait on one chat holds back only that
chat, a rep's reply does not queue behind a check-in fan-out, a 400 is logged as the bug it is,
and a reply lost after the rep's data was stored is told on their next message."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.coach.activity import Counts
from bot.coach.profile import Profile
from bot.logs import PrivateFormatter
from bot.sandbox import SandboxUser
from bot.scheduler.checkins import CHECKINS_KEY, Checkins
from bot.storage import Storage
from bot.storage.notices import Notice
from tests.handlers.conftest import Harness, onboarded

# Tuesday 24 November 2026, 08:00 in Berlin (UTC+1): the morning ping is due.
MORNING = datetime(2026, 11, 24, 7, 0, 10, tzinfo=UTC)


def replies_to(harness: Harness, chat_id: int, status: int, after: float = 0.0) -> list[float]:
    """When the bot's sendMessage calls to one chat with this status came in (monotonic)."""
    return [
        c.at
        for c in harness.sandbox.calls_for("sendMessage")
        if c.params.get("chat_id") == chat_id and c.status == status and c.at > after
    ]


async def test_a_flood_wait_on_one_chat_holds_back_only_that_chat(harness: Harness) -> None:
    flooded = await onboarded(harness, 6001)
    others = [await onboarded(harness, user_id) for user_id in (6002, 6003, 6004)]
    harness.sandbox.faults.add("sendMessage", retry_after=8, chat_id=6001)
    flooded.send_command("help")
    await flooded.wait_for(lambda: replies_to(harness, 6001, 429))
    hit = replies_to(harness, 6001, 429)[0]
    started = time.monotonic()
    for user in others:
        user.send_command("help")
    for user in others:
        assert "/settings" in (await user.next_message(timeout=5)).text
    assert time.monotonic() - started < 1.0, "the other reps did not wait for chat 6001"
    assert "/settings" in (await flooded.next_message(timeout=15)).text
    assert replies_to(harness, 6001, 200, after=hit)[0] - hit >= 8.0, "chat 6001 waited out its 429"


async def test_429s_from_several_chats_pause_everyone(harness: Harness) -> None:
    users = [await onboarded(harness, user_id) for user_id in (6011, 6012, 6013, 6014)]
    # Telegram refuses the next three messages, whoever they go to: the bot is over its limit.
    harness.sandbox.faults.add("sendMessage", retry_after=2, times=3)
    for user in users[:3]:
        user.send_command("help")

    def three_refused() -> bool:
        return sum(len(replies_to(harness, u.id, 429)) for u in users[:3]) == 3

    await users[0].wait_for(three_refused)
    last_429 = max(replies_to(harness, u.id, 429)[0] for u in users[:3])
    users[3].send_command("help")
    for user in users:
        assert "/settings" in (await user.next_message(timeout=10)).text
    # The fourth rep's reply waited for the flood to pass as well.
    assert replies_to(harness, 6014, 200, after=last_429)[0] - last_429 >= 1.9


async def test_a_400_is_logged_as_an_error_with_its_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    user = await onboarded(harness, 6021)
    description = "Bad Request: can't parse entities: unsupported start tag"
    harness.sandbox.faults.add("sendMessage", status=400, description=description, chat_id=6021)
    harness.expected_errors = 1
    user.send_command("help")
    assert "schiefgelaufen" in (await user.next_message()).text, "the rep gets the apology"
    records = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert [r.levelno for r in records] == [logging.ERROR]
    assert records[0].exc_info is not None
    logged = PrivateFormatter("%(levelname)s %(message)s").format(records[0])
    assert "Traceback (most recent call last)" in logged
    assert "telegram.error.BadRequest: Can't parse entities" in logged, "Telegram's words stay"
    assert "telegram unavailable" not in caplog.text


async def test_a_scheduled_400_is_logged_as_an_error_with_its_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    user = await onboarded(harness, 6022)
    harness.sandbox.faults.add("sendMessage", status=400, chat_id=6022)
    assert harness.app is not None
    checkins = harness.app.bot_data[CHECKINS_KEY]
    assert isinstance(checkins, Checkins)
    harness.clock.now = MORNING
    report = await checkins.tick(MORNING)
    assert report.failed == 1
    assert user.unread == []
    records = [r for r in caplog.records if r.name == "bot.scheduler.sender"]
    assert [r.levelno for r in records] == [logging.ERROR]
    logged = PrivateFormatter("%(message)s").format(records[0])
    assert "Traceback (most recent call last)" in logged
    assert "telegram.error.BadRequest" in logged


async def lost_reply_to_a_log(harness: Harness, user: SandboxUser, text: str) -> None:
    """The rep types a log at 10:14 Berlin time; it is stored, the answer fails with a 502."""
    harness.clock.now = datetime(2026, 11, 23, 9, 14, 30, tzinfo=UTC)
    harness.sandbox.faults.add("sendMessage", status=502, chat_id=user.id)
    harness.expected_errors += 1
    user.send_text(text)
    await user.wait_for(lambda: harness.errors)
    day = await harness.storage.activity.day(user.id, harness.clock.now.date())
    assert day.counts.dials == 2, "stored before the answer failed"
    assert user.unread == []


async def test_a_lost_reply_is_told_once_on_the_next_message(harness: Harness) -> None:
    user = await onboarded(harness, 6031)
    await lost_reply_to_a_log(harness, user, "2 Anrufe, 1 Gespräch")
    await harness.restart()  # the notice is stored, not kept in memory
    harness.clock.now += timedelta(minutes=7)
    user.send_command("help")
    notice = await user.next_message()
    assert notice.text == "Gespeichert: 2 Anrufe, 1 Gespräch um 10:14 – meine Antwort kam nicht an."
    assert "/settings" in (await user.next_message()).text, "then the normal answer"
    user.send_command("help")
    assert "/settings" in (await user.next_message()).text, "told only once"
    day = await harness.storage.activity.day(6031, harness.clock.now.date())
    assert (day.counts.dials, day.counts.conversations) == (2, 1), "nothing counted twice"


async def test_a_lost_reply_in_english_the_next_day(harness: Harness) -> None:
    user = await onboarded(harness, 6032, "en")
    await lost_reply_to_a_log(harness, user, "2 dials")
    harness.clock.now += timedelta(days=1)
    user.send_command("help")
    notice = await user.next_message()
    assert notice.text == "Saved: 2 dials at Mon 23.11. 10:14 – my reply didn't reach you."
    assert "/settings" in (await user.next_message()).text


async def test_a_lost_reply_that_stored_nothing_says_so_plainly(harness: Harness) -> None:
    user = await onboarded(harness, 6033)
    harness.clock.now = datetime(2026, 11, 23, 9, 14, 30, tzinfo=UTC)
    harness.sandbox.faults.add("sendMessage", delay=2.0, chat_id=6033)
    await harness.stop()
    harness.settings = harness.settings.model_copy(update={"telegram_timeout": 0.5})
    await harness.start()
    harness.expected_errors = 1
    user.send_command("help")
    errors = await user.wait_for(lambda: harness.errors, timeout=10)
    assert type(errors[0]).__name__ == "TimedOut"
    user.mark_read()  # the slow answer may still have landed in the sandbox
    harness.clock.now += timedelta(minutes=1)
    user.send_command("help")
    notice = await user.next_message(timeout=5)
    assert notice.text == (
        "Deine Nachricht von 10:14 ist angekommen – nur meine Antwort kam nicht bei dir an."
    )


async def test_a_notice_that_cannot_be_shown_is_kept_and_the_update_goes_on(
    harness: Harness,
) -> None:
    user = await onboarded(harness, 6034)
    await lost_reply_to_a_log(harness, user, "2 Anrufe")
    harness.clock.now += timedelta(minutes=1)
    # The notice fails to go out (502); the rep's new log is stored all the same.
    harness.sandbox.faults.add("sendMessage", status=502, chat_id=6034)
    user.send_text("3 Anrufe")
    reply = await user.next_message()
    assert "3 Anrufe" in reply.text
    day = await harness.storage.activity.day(6034, harness.clock.now.date())
    assert day.counts.dials == 5
    user.send_command("help")
    assert "Gespeichert: 2 Anrufe um 10:14" in (await user.next_message()).text


async def test_notices_across_processes_are_shown_exactly_once(harness: Harness) -> None:
    await onboarded(harness, 6041)
    now = harness.clock.now
    # A second process on the same database: it cannot see this one's memory.
    engine = create_async_engine(harness.settings.database_url)
    other = Storage(engine, cache_sessions=False)
    try:
        assert other.notices.shared
        await other.notices.refresh()
        await harness.storage.notices.add(6041, Notice(now, Counts(dials=2)), now)
        assert harness.storage.notices.waiting(6041)
        assert not other.notices.waiting(6041), "not before its next refresh"
        assert await other.notices.refresh() == 1
        assert other.notices.waiting(6041)
        taken = await asyncio.gather(other.notices.take(6041), harness.storage.notices.take(6041))
        assert sorted(len(t) for t in taken) == [0, 1]
        assert not other.notices.waiting(6041)
        assert await other.notices.refresh() == 0
    finally:
        await other.close()


async def test_a_reply_during_a_fan_out_arrives_within_a_second(harness: Harness) -> None:
    user = await onboarded(harness, 6050)
    await harness.stop()
    # 16 check-ins wait for a slot at any time: a reply that queued behind them would wait
    # about 16 / 5 = 3 seconds.
    harness.settings = harness.settings.model_copy(
        update={"rate_limit_per_second": 5.0, "send_concurrency": 16}
    )
    await harness.start()
    reps = list(range(6100, 6130))
    for user_id in reps:
        harness.user(user_id)
        profile = Profile(user_id, user_id, "de", "Europe/Berlin", onboarded=True)
        await harness.storage.users.create(profile, MORNING)
    assert harness.app is not None
    checkins = harness.app.bot_data[CHECKINS_KEY]
    assert isinstance(checkins, Checkins)
    harness.clock.now = MORNING
    fan_out = asyncio.create_task(checkins.tick(MORNING))
    # 31 pings at 5 a second: about 5 seconds; the rep writes in the middle of it.
    await user.wait_for(lambda: len(harness.sandbox.calls_for("sendMessage")) >= 8, timeout=10)
    user.mark_read()
    started = time.monotonic()
    user.send_command("help")
    reply = await user.wait_for(
        lambda: next((m for m in user.unread if "Vertriebscoach" in m.text), None), timeout=10
    )
    latency = time.monotonic() - started
    assert reply is not None
    assert not fan_out.done(), "the fan-out was still going"
    print(f"reply latency during the fan-out: {latency:.2f}s")
    assert latency < 1.0, f"the reply waited {latency:.2f}s behind the check-ins"
    report = await fan_out
    assert report.sent == len(reps) + 1
