"""Who may use the bot, end to end: each access mode with an allowed and a refused user,
invites (creation, redemption, use-up, expiry, revocation), the owner link, and disabling."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from bot.coach.access import ADMIN, REP
from bot.sandbox import SandboxMessage, SandboxUser
from tests.handlers.conftest import Harness, onboarded
from tests.walk import rows_naming

ADMIN_ID = 7_100_001
LINK = re.compile(r"https://t\.me/SalesCoachBot\?start=([A-Za-z0-9_-]+)")


async def use_mode(harness: Harness, mode: str, **changes: object) -> None:
    """Restart the bot with another access mode (and other settings)."""
    harness.settings = harness.settings.model_copy(update={"access_mode": mode, **changes})
    await harness.restart()


async def invite_link(admin: SandboxUser, *, once: bool, days: int) -> str:
    """An admin creates an invite by tapping through /invite; returns the code."""
    admin.send_command("invite")
    question = await admin.next_message()
    assert "Für eine Person oder für mehrere?" in question.text
    admin.press("ac:u:1" if once else "ac:u:0", message=question)
    await admin.wait_for(lambda: "Wie lange soll der Link gelten?" in question.text)
    admin.press(f"ac:n:{1 if once else 0}:{days}", message=question)
    await admin.wait_for(lambda: LINK.search(question.text))
    assert not question.buttons
    match = LINK.search(question.text)
    assert match is not None
    return match.group(1)


async def assert_refused(user: SandboxUser, expected: str) -> SandboxMessage:
    """The user's next message is the refusal, and nothing else follows it."""
    reply = await user.next_message()
    assert expected in reply.text
    assert not reply.buttons
    return reply


async def assert_nothing_stored(harness: Harness, user_id: int) -> None:
    """No row in any table names the user."""
    assert await rows_naming(harness.storage.engine, user_id) == {}


# --- invite mode -------------------------------------------------------------------------------


async def test_invite_mode_refuses_strangers_everywhere_and_stores_nothing(
    harness: Harness,
) -> None:
    await use_mode(harness, "invite", admin_ids=(ADMIN_ID,))
    stranger = harness.user(7_100_002, "de")
    stranger.send_command("start")
    reply = await assert_refused(stranger, "brauchst du einen Einladungslink")
    assert reply.reply_markup == {"remove_keyboard": True}
    stranger.send_text("zu teuer")
    await assert_refused(stranger, "Einladungslink")
    stranger.send_command("today")
    await assert_refused(stranger, "Einladungslink")
    stranger.share_contact("+49 171 555 0000")
    await assert_refused(stranger, "Einladungslink")
    stranger.send_command("start", "not-a-real-code")
    await assert_refused(stranger, "Dieser Einladungslink ist ungültig")
    query_id = stranger.inline_query("zu teuer")
    answer = await stranger.wait_for(lambda: harness.sandbox.inline_answer(query_id))
    assert answer.results == []
    english = harness.user(7_100_003, "en")
    english.send_text("hello")
    await assert_refused(english, "you need an invite link from your team lead")
    await assert_nothing_stored(harness, stranger.id)
    await assert_nothing_stored(harness, english.id)


async def test_admin_invites_a_rep_who_joins_and_a_one_time_code_is_used_up(
    harness: Harness,
) -> None:
    await use_mode(harness, "invite", admin_ids=(ADMIN_ID,))
    admin = harness.user(ADMIN_ID, "de")
    code = await invite_link(admin, once=True, days=7)
    rep = harness.user(7_100_010, "de")
    rep.send_command("start", code)
    assert "Vertriebscoach" in (await rep.next_message()).text, "onboarding starts"
    await onboarded(harness, rep.id)
    member = await harness.storage.access.member(rep.id)
    assert member is not None
    assert member.role == REP
    rep.send_command("today")
    assert "Anrufe" in (await rep.next_message()).text
    late = harness.user(7_100_011, "de")
    late.send_command("start", code)
    await assert_refused(late, "wurde schon benutzt")
    await assert_nothing_stored(harness, late.id)
    # A member who opens a rep's link again uses nothing up.
    invite = await harness.storage.access.invite(code)
    assert invite is not None
    assert invite.uses == 1


async def test_multi_use_invite_works_for_several_until_it_expires(harness: Harness) -> None:
    await use_mode(harness, "invite", admin_ids=(ADMIN_ID,))
    admin = harness.user(ADMIN_ID, "de")
    code = await invite_link(admin, once=False, days=1)
    for user_id in (7_100_020, 7_100_021):
        rep = harness.user(user_id, "de")
        rep.send_command("start", code)
        assert "Vertriebscoach" in (await rep.next_message()).text
    harness.clock.now += timedelta(days=1, minutes=1)
    late = harness.user(7_100_022, "en")
    late.send_command("start", code)
    await assert_refused(late, "This invite link has expired")
    await assert_nothing_stored(harness, late.id)
    member = harness.user(7_100_020, "de")
    member.send_command("help")
    assert "/today" in (await member.next_message()).text, "joined reps stay in after expiry"


async def test_revoked_invite_lets_nobody_in(harness: Harness) -> None:
    await use_mode(harness, "invite", admin_ids=(ADMIN_ID,))
    admin = harness.user(ADMIN_ID, "de")
    first = await invite_link(admin, once=False, days=30)
    second = await invite_link(admin, once=True, days=1)
    admin.send_command("invites")
    listing = await admin.next_message()
    assert first in listing.text
    assert second in listing.text
    assert "1. für mehrere Personen · 0× benutzt" in listing.text
    admin.press("✖️ 1 zurückziehen", message=listing)
    await admin.wait_for(lambda: first not in listing.text)
    assert second in listing.text
    newcomer = harness.user(7_100_030, "de")
    newcomer.send_command("start", first)
    await assert_refused(newcomer, "wurde zurückgezogen")
    await assert_nothing_stored(harness, newcomer.id)
    newcomer.send_command("start", second)
    assert "Vertriebscoach" in (await newcomer.next_message()).text


async def test_only_admins_manage_access(harness: Harness) -> None:
    await use_mode(harness, "invite", admin_ids=(ADMIN_ID,))
    code = await invite_link(harness.user(ADMIN_ID, "de"), once=False, days=7)
    rep = harness.user(7_100_040, "de")
    rep.send_command("start", code)
    await rep.next_message()
    for command in ("invite", "invites", "reps"):
        rep.send_command(command)
        assert (await rep.next_message()).text == "Das kann nur die Teamleitung."
    # /team is the lead's view of the team now, not /reps: a rep is told what it is for.
    rep.send_command("team")
    assert (await rep.next_message()).text.startswith("/team ist die Übersicht für Teamleiter")


async def test_invite_command_outside_invite_mode_explains(harness: Harness) -> None:
    await use_mode(harness, "open", admin_ids=(ADMIN_ID,))
    admin = harness.user(ADMIN_ID, "en")
    admin.send_command("invite")
    assert 'runs in the mode "open"' in (await admin.next_message()).text


# --- the owner link ----------------------------------------------------------------------------


def announcements(caplog: pytest.LogCaptureFixture) -> int:
    """How often the log said there is no admin yet; it never holds the link itself."""
    messages = [record.getMessage() for record in caplog.records]
    assert not any(LINK.search(message) for message in messages), "the link is a credential"
    return sum("no admin yet" in message and "owner-link" in message for message in messages)


async def owner_code(harness: Harness) -> str:
    """The code of the one-time owner link, as `sales-coach owner-link` prints it."""
    invite = await harness.storage.access.owner_invite(harness.clock.now)
    assert invite is not None
    return invite.code


async def test_owner_link_makes_its_opener_admin_once(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.app")
    await use_mode(harness, "invite", admin_ids=())
    code = await owner_code(harness)
    assert announcements(caplog) == 1
    await harness.restart()
    assert await owner_code(harness) == code, "one link per database"
    assert announcements(caplog) == 2, "said again at every start"
    owner = harness.user(7_100_050, "de")
    owner.send_command("start", code)
    assert "Du bist jetzt Admin" in (await owner.next_message()).text
    assert "Vertriebscoach" in (await owner.next_message()).text, "then onboarding as usual"
    member = await harness.storage.access.member(owner.id)
    assert member is not None
    assert member.role == ADMIN
    rep_code = await invite_link(owner, once=True, days=1)
    assert rep_code != code
    second = harness.user(7_100_051, "de")
    second.send_command("start", code)
    await assert_refused(second, "wurde schon benutzt")
    await harness.restart()
    assert announcements(caplog) == 2, "not said once an admin exists"


async def test_a_rep_opening_the_owner_link_becomes_admin(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.app")
    await use_mode(harness, "invite", admin_ids=())
    code = await owner_code(harness)
    rep = harness.user(7_100_052, "en")
    rep.send_command("start", code)
    assert "You are now this bot's admin" in (await rep.next_message()).text
    await rep.next_message()
    rep.send_command("reps")
    listing = await rep.next_message()
    assert "team lead" in listing.text


async def test_no_owner_link_with_admin_ids_or_in_other_modes(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.app")
    await use_mode(harness, "invite", admin_ids=(ADMIN_ID,))
    await use_mode(harness, "open", admin_ids=())
    assert announcements(caplog) == 0


# --- allowlist mode ----------------------------------------------------------------------------


async def test_allowlist_lets_in_listed_reps_and_admins_only(harness: Harness) -> None:
    listed, stranger = 7_100_060, 7_100_061
    await use_mode(harness, "allowlist", allowed_user_ids=(listed,), admin_ids=(ADMIN_ID,))
    await onboarded(harness, listed)
    admin = harness.user(ADMIN_ID, "de")
    admin.send_command("help")
    assert "/today" in (await admin.next_message()).text
    other = harness.user(stranger, "de")
    other.send_command("start")
    refusal = await assert_refused(other, f"deine Telegram-ID {stranger} freizuschalten")
    assert refusal.text.count(".") >= 1
    other.send_text("Müller GmbH, 0171 1234567")
    await assert_refused(other, "freizuschalten")
    await assert_nothing_stored(harness, stranger)
    assert await harness.storage.users.get(listed) is not None


# --- disabling and re-enabling -----------------------------------------------------------------


async def test_admin_disables_and_re_enables_a_rep_whose_data_stays(harness: Harness) -> None:
    # Open mode: the only refused user there is a disabled rep.
    await use_mode(harness, "open", admin_ids=(ADMIN_ID,))
    rep = await onboarded(harness, 7_100_070)
    rep.send_command("log", "12 3 1")
    await rep.next_message()
    rep.send_command("today")
    today = await rep.next_message()
    admin = harness.user(ADMIN_ID, "de")
    admin.send_command("reps")
    listing = await admin.next_message()
    assert "1. " in listing.text
    # Listed by the name they go by (their Telegram first name), never by their id.
    assert "1. Rep · " in listing.text
    assert str(rep.id) not in listing.text
    assert "aktiv" in listing.text
    admin.press("⏸ 1 sperren", message=listing)
    await admin.wait_for(lambda: "▶️ 1 freischalten" in listing.button_labels)
    assert " · gesperrt · " in listing.text
    rep.send_command("today")
    await assert_refused(rep, "Dein Zugang zu diesem Bot ist pausiert")
    press = rep.press("+1 📞 Anruf", message=today)
    answer = await rep.wait_for(lambda: rep.callback_answer(press["callback_query"]["id"]))
    assert answer.show_alert
    assert "pausiert" in (answer.text or "")
    profile = await harness.storage.users.get(rep.id)
    assert profile is not None
    assert not profile.active, "no check-ins while disabled"
    day = await harness.storage.activity.day(rep.id, harness.clock.now.date())
    assert day.counts.dials == 12, "the data stays"
    admin.press("▶️ 1 freischalten", message=listing)
    await admin.wait_for(lambda: "⏸ 1 sperren" in listing.button_labels)
    rep.send_command("today")
    assert "Anrufe: 12" in (await rep.next_message()).text
    profile = await harness.storage.users.get(rep.id)
    assert profile is not None
    assert profile.active


async def test_admins_cannot_disable_themselves(harness: Harness) -> None:
    await use_mode(harness, "open", admin_ids=(ADMIN_ID,))
    await onboarded(harness, ADMIN_ID)
    admin = harness.user(ADMIN_ID, "de")
    admin.send_command("reps")
    listing = await admin.next_message()
    assert "Teamleitung" in listing.text
    # Only their team's settings: nothing to disable or move.
    assert listing.button_labels == ["⚙️ Team „Mein Team“"]


async def test_open_mode_records_who_started(harness: Harness) -> None:
    rep = harness.user(7_100_080, "de")
    rep.send_command("start")
    await rep.next_message()
    await harness.storage.access.flush_seen()
    member = await harness.storage.access.member(rep.id)
    assert member is not None
    assert member.role == REP
    assert member.last_seen_at is not None


async def test_team_list_pages_through_a_larger_team(harness: Harness) -> None:
    await use_mode(harness, "open", admin_ids=(ADMIN_ID,))
    for offset in range(12):
        await harness.storage.access.grant(7_100_100 + offset, REP, harness.clock.now)
    admin = harness.user(ADMIN_ID, "en")
    admin.send_command("reps")
    listing = await admin.next_message()
    assert "(12)" in listing.text
    assert "10. " in listing.text
    assert "11. " not in listing.text
    admin.press("More ▶️", message=listing)
    await admin.wait_for(lambda: "12. " in listing.text)
    assert "◀️ Back" in listing.button_labels
    assert "⏸ Disable 11" in listing.button_labels


async def test_a_failing_access_check_lets_nothing_through(harness: Harness) -> None:
    async with harness.storage.engine.begin() as conn:
        await conn.exec_driver_sql("DROP TABLE members")
    harness.expected_errors = 1
    user = harness.user(7_100_090, "de")
    user.send_command("start")
    assert "schiefgelaufen" in (await user.next_message()).text
    await user.wait_for(lambda: harness.errors)
    assert await harness.storage.users.get(user.id) is None, "onboarding never started"
    assert user.unread == []


async def test_last_seen_is_written_at_shutdown_at_the_latest(harness: Harness) -> None:
    rep = harness.user(7_100_081, "de")
    rep.send_command("start")
    await rep.next_message()
    await harness.restart()  # nothing flushed it before: the shutdown must
    member = await harness.storage.access.member(rep.id)
    assert member is not None
    assert member.last_seen_at is not None
