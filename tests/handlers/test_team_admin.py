"""Teams end to end: a lead and several reps. The invite decides the team, the lead's settings,
the one-time "per person" explanation (once, in each rep's language, through the scheduler),
agreeing and withdrawing, moving, /privacy, the display name, export and /delete."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from bot.coach.teams import PER_REP, TOTALS, Team
from bot.sandbox import SandboxMessage, SandboxUser
from bot.scheduler.checkins import CHECKINS_KEY, Checkins
from tests.handlers.conftest import Harness, onboarded
from tests.handlers.test_access import LINK, use_mode
from tests.handlers.test_privacy import document

LEAD = 7_300_001
# Monday 23 November 2026, 10:30 in Berlin: working hours, no quiet hours.
MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def tick(harness: Harness) -> None:
    """One scheduler round at the harness's clock (no sleeping)."""
    assert harness.app is not None
    engine = harness.app.bot_data[CHECKINS_KEY]
    assert isinstance(engine, Checkins)
    await engine.tick(harness.clock.now)


async def lead_team(harness: Harness, lead_id: int = LEAD) -> Team:
    teams = await harness.storage.teams.teams_led_by(lead_id)
    assert teams
    return teams[0]


async def start_lead(harness: Harness, lang: str = "de") -> SandboxUser:
    """An admin from ADMIN_IDS, set up: /start gives them a team of their own."""
    await use_mode(harness, "invite", admin_ids=(LEAD,))
    harness.clock.now = MONDAY
    return await onboarded(harness, LEAD, lang)


async def invite(lead: SandboxUser, team_name: str | None = None) -> str:
    """The lead taps through /invite (picking the team when asked); returns the code."""
    lead.send_command("invite")
    question = await lead.next_message()
    if team_name is not None:
        lead.press(team_name, message=question)
        await lead.wait_for(lambda: "Für eine Person" in question.text)
    lead.press(question.buttons[1]["callback_data"], message=question)  # several people
    await lead.wait_for(lambda: "Wie lange" in question.text)
    lead.press(question.buttons[1]["callback_data"], message=question)  # 7 days
    match = await lead.wait_for(lambda: LINK.search(question.text))
    return match.group(1)


async def join(harness: Harness, code: str, user_id: int, lang: str = "de") -> SandboxUser:
    """A rep opens the invite link and goes through setup."""
    rep = harness.sandbox.user(user_id, first_name=f"Rep{user_id % 100}", language_code=lang)
    rep.send_command("start", code)
    await rep.next_message()
    await onboarded(harness, user_id, lang)
    rep.mark_read()
    return rep


async def settings_message(harness: Harness, lead: SandboxUser) -> SandboxMessage:
    """The lead opens their team's settings from /reps."""
    team = await lead_team(harness)
    lead.send_command("reps")
    listing = await lead.next_message()
    lead.press(f"ta:o:{team.id}", message=listing)
    await lead.wait_for(lambda: "Sichtbarkeit" in listing.text or "Visibility" in listing.text)
    return listing


async def said(user: SandboxUser, text: str, after: int = 0) -> SandboxMessage:
    """The first bot message (from the `after`-th on) containing `text`: check-ins a tick
    sends may come in between."""
    return await user.wait_for(
        lambda: next((m for m in user.messages[after:] if text in m.text), None)
    )


async def switch(lead: SandboxUser, message: SandboxMessage, per_rep: bool) -> SandboxMessage:
    """The lead taps 👁 and one of the two settings; returns the note that follows."""
    team_id = int(message.buttons[1]["callback_data"].split(":")[2])
    lead.press(f"ta:v:{team_id}", message=message)
    await lead.wait_for(lambda: f"ta:vs:{team_id}:1" in str(message.buttons))
    count = len(lead.messages)
    lead.press(f"ta:vs:{team_id}:{1 if per_rep else 0}", message=message)
    return await said(lead, "Ab jetzt", count)


def sharing_messages(rep: SandboxUser) -> list[SandboxMessage]:
    return [m for m in rep.messages if any("ta:ok:" in str(b) for b in m.buttons)]


async def test_the_invite_decides_the_team_and_a_lead_of_two_picks_it(harness: Harness) -> None:
    lead = await start_lead(harness)
    first = await lead_team(harness)
    listing = await settings_message(harness, lead)
    lead.press(f"ta:n:{first.id}", message=listing)
    assert "Wie soll das neue Team heißen?" in (await lead.next_message()).text
    lead.send_text("   ")
    assert "bitte 1 bis 80 Zeichen" in (await lead.next_message()).text
    lead.send_text("Außendienst Süd 🚗")
    assert "Neues Team „Außendienst Süd 🚗“ angelegt" in (await lead.next_message()).text
    await lead.next_message()  # the new team's settings
    second = (await harness.storage.teams.teams_led_by(LEAD))[1]
    code = await invite(lead, "Außendienst Süd 🚗")
    assert "Team: Außendienst Süd 🚗" in lead.messages[-1].text
    rep = await join(harness, code, 7_300_010)
    assert await harness.storage.teams.team_of(rep.id) == second
    # An old link that names no team: the rep joins the inviter's first team.
    old = await harness.storage.access.create_invite("rep", None, None, LEAD, harness.clock.now)
    other = await join(harness, old.code, 7_300_011)
    assert await harness.storage.teams.team_of(other.id) == first
    assert [m.user_id for m in await harness.storage.teams.members(first.id)] == [other.id]


async def test_per_person_tells_each_rep_once_in_their_language(harness: Harness) -> None:
    lead = await start_lead(harness)
    code = await invite(lead)
    anna = await join(harness, code, 7_300_020, "de")
    ben = await join(harness, code, 7_300_021, "en")
    cem = await join(harness, code, 7_300_022, "de")
    team = await lead_team(harness)
    listing = await settings_message(harness, lead)
    note = await switch(lead, listing, per_rep=True)
    assert "Ab jetzt pro Person. 3 Personen bekommen jetzt einmal die Erklärung." in note.text
    assert "Sichtbarkeit: pro Person" in listing.text
    stored = await harness.storage.teams.team(team.id)
    assert stored is not None
    assert stored.visibility == PER_REP
    await tick(harness)
    await anna.wait_for(lambda: sharing_messages(anna) and sharing_messages(cem))
    await ben.wait_for(lambda: sharing_messages(ben))
    (german,) = sharing_messages(anna)
    (english,) = sharing_messages(ben)
    assert "was deine Teamleitung sehen kann" in german.text
    assert "deine Anrufe, Gespräche und Termine" in german.text
    assert "erst ab 3 Personen" in german.text
    assert "what your team lead can see" in english.text
    assert "only appear from 3 people on" in english.text
    # Nobody is shown individually before agreeing.
    assert not any(m.confirmed for m in await harness.storage.teams.members(team.id))
    # Another tick, and switching off and on again: nobody is told a second time.
    await tick(harness)
    harness.clock.now += timedelta(seconds=5)
    assert "Ab jetzt nur Summen" in (await switch(lead, listing, per_rep=False)).text
    harness.clock.now += timedelta(seconds=5)
    again = await switch(lead, listing, per_rep=True)
    assert "Alle im Team kennen die Erklärung schon" in again.text
    await tick(harness)
    assert [len(sharing_messages(r)) for r in (anna, ben, cem)] == [1, 1, 1]
    # Anna agrees, with a double tap; Ben would rather not.
    taps = [anna.press(f"ta:ok:{team.id}", message=german) for _ in range(2)]
    await said(anna, "Danke! Deine Teamleitung sieht ab jetzt")
    ben.press(f"ta:no:{team.id}", message=english)
    await said(ben, "you count in the totals only")
    confirmed = {m.user_id: m.confirmed for m in await harness.storage.teams.members(team.id)}
    assert confirmed == {anna.id: True, ben.id: False, cem.id: False}
    await anna.wait_for(lambda: not german.buttons)
    ids = [str(tap["callback_query"]["id"]) for tap in taps]
    await anna.wait_for(lambda: all(anna.callback_answer(i) for i in ids))
    thanks = [m for m in anna.messages if "Danke" in m.text or "schon bestätigt" in m.text]
    assert len(thanks) == 1, "one answer for a double tap"


async def test_moving_a_rep_clears_their_agreement(harness: Harness) -> None:
    lead = await start_lead(harness)
    code = await invite(lead)
    anna = await join(harness, code, 7_300_030)
    team = await lead_team(harness)
    other = await harness.storage.teams.create("Nord", LEAD, harness.clock.now)
    await harness.storage.teams.set_visibility(other.id, PER_REP, harness.clock.now)
    listing = await settings_message(harness, lead)
    await switch(lead, listing, per_rep=True)
    await tick(harness)
    await anna.wait_for(lambda: sharing_messages(anna))
    anna.press(f"ta:ok:{team.id}", message=sharing_messages(anna)[0])
    await said(anna, "Danke!")
    count = len(lead.messages)
    lead.send_command("reps")
    reps = await said(lead, "👥", count)
    assert "Rep30" in reps.text
    assert str(anna.id) not in reps.text
    lead.press(f"ta:mv:{anna.id}", message=reps)
    choice = await said(lead, "In welches Team soll Rep30?", count)
    lead.press("Nord", message=choice)
    await lead.wait_for(lambda: "ist jetzt im Team „Nord“" in choice.text)
    moved = await harness.storage.teams.team_of(anna.id)
    assert moved is not None
    assert moved.id == other.id
    assert [m.confirmed for m in await harness.storage.teams.members(other.id)] == [False]
    # The new team shows people individually too: Anna is asked again, for that team.
    await tick(harness)
    asked = await said(anna, "Team „Nord“: was deine Teamleitung sehen kann")
    assert [m.text for m in anna.messages].count(asked.text) == 1
    # Agreeing is for the team she is in now.
    count = len(anna.messages)
    anna.press(f"ta:ok:{other.id}", message=asked)
    await said(anna, "Danke!", count)
    assert [m.confirmed for m in await harness.storage.teams.members(other.id)] == [True]
    assert await harness.storage.teams.members(team.id) == []


async def test_privacy_states_the_setting_and_what_the_lead_sees(harness: Harness) -> None:
    lead = await start_lead(harness)
    code = await invite(lead)
    anna = await join(harness, code, 7_300_040, "de")
    ben = await join(harness, code, 7_300_041, "en")
    team = await lead_team(harness)
    anna.send_command("privacy")
    text = (await anna.next_message()).text
    assert f"Dein Team: „{team.name}“" in text
    assert "Einstellung „nur Summen“" in text
    assert "nie deine eigenen Zahlen" in text
    assert "Deine Teamleitung sieht dich als „Rep40“" in text
    await harness.storage.teams.set_visibility(team.id, PER_REP, harness.clock.now)
    ben.send_command("privacy")
    english = await ben.next_message()
    assert "Setting “per person”, but without your agreement" in english.text
    ben.press("✓ Agree", message=english)
    assert "Thanks!" in (await ben.next_message()).text
    ben.send_command("privacy")
    english = await ben.next_message()
    assert "Setting “per person”, and you agreed" in english.text
    assert "whether you've logged anything today" in english.text
    ben.press("✖️ Withdraw my agreement", message=english)
    assert "Withdrawn." in (await ben.next_message()).text
    assert not any(m.confirmed for m in await harness.storage.teams.members(team.id))
    lead.send_command("privacy")
    assert f"Du leitest: {team.name}" in (await lead.next_message()).text


async def test_an_old_team_button_is_refused_kindly_once_no_longer_lead(
    harness: Harness,
) -> None:
    lead = await start_lead(harness, "en")
    team = await lead_team(harness)
    lead.send_command("reps")
    listing = await lead.next_message()
    lead.press(f"ta:o:{team.id}", message=listing)
    await lead.wait_for(lambda: "Visibility" in listing.text)
    await use_mode(harness, "invite", admin_ids=())
    press = lead.press(f"ta:v:{team.id}", message=listing)
    answer = await lead.wait_for(lambda: lead.callback_answer(press["callback_query"]["id"]))
    assert answer.text is not None
    assert answer.text.startswith("This is for team leads. /today shows your own numbers")
    stored = await harness.storage.teams.team(team.id)
    assert stored is not None
    assert stored.visibility == TOTALS


async def test_rename_goal_and_digest_in_english(harness: Harness) -> None:
    lead = await start_lead(harness, "en")
    team = await lead_team(harness)
    assert team.name == "My team"
    listing = await settings_message(harness, lead)
    lead.press(f"ta:rn:{team.id}", message=listing)
    assert "What should team “My team” be called?" in (await lead.next_message()).text
    lead.send_text("x" * 81)
    assert "1 to 80 characters" in (await lead.next_message()).text
    lead.send_text("  Inside   Sales  ")
    assert "now called “Inside Sales”" in (await lead.next_message()).text
    settings = await lead.next_message()
    lead.press(f"ta:g:{team.id}", message=settings)
    await lead.wait_for(lambda: "weekly goal count" in settings.text)
    lead.press(f"ta:gm:{team.id}:1", message=settings)
    assert "How many dials" in (await lead.next_message()).text
    lead.send_text("lots")
    assert "whole number from 1 to 100,000" in (await lead.next_message()).text
    lead.send_text("1")
    assert "Weekly goal: 1 dial a week." in (await lead.next_message()).text
    settings = await lead.next_message()
    lead.press(f"ta:d:{team.id}", message=settings)
    await lead.wait_for(lambda: "On which day" in settings.text)
    lead.press("Mon", message=settings)
    await lead.wait_for(lambda: "At what time on Mon?" in settings.text)
    lead.press("08:00", message=settings)
    assert "Weekly digest: Mon at 08:00." in (await lead.next_message()).text
    stored = await harness.storage.teams.team(team.id)
    assert stored == Team(team.id, "Inside Sales", TOTALS, "dials", 1, 0, time(8, 0))
    lead.press(f"ta:g:{team.id}", message=settings)
    await lead.wait_for(lambda: "weekly goal count" in settings.text)
    lead.press(f"ta:gm:{team.id}:0", message=settings)
    assert "No weekly goal any more." in (await lead.next_message()).text
    stored = await harness.storage.teams.team(team.id)
    assert stored is not None
    assert (stored.goal_metric, stored.goal_weekly) == (None, None)


async def test_display_name_in_settings_and_the_lead_list(harness: Harness) -> None:
    lead = await start_lead(harness)
    code = await invite(lead)
    anna = await join(harness, code, 7_300_050)
    anna.send_command("settings")
    overview = await anna.next_message()
    assert "👤 Name fürs Team: Rep50" in overview.text
    anna.press("👤 Name fürs Team", message=overview)
    assert "Jetzt: Rep50" in (await anna.next_message()).text
    anna.send_text("A" * 65)
    assert "Bitte 1 bis 64 Zeichen" in (await anna.next_message()).text
    assert await harness.storage.teams.display_name(anna.id) == "Rep50", "nothing lost"
    anna.send_text("Anna <K.> 🌟")
    assert "sieht dich als „Anna <K.> 🌟“" in (await anna.next_message()).text
    assert await harness.storage.teams.display_name(anna.id) == "Anna <K.> 🌟"
    lead.send_command("reps")
    listing = await lead.next_message()
    assert "Anna <K.> 🌟 · Rep · aktiv" in listing.text
    anna.send_command("settings")
    overview = await anna.next_message()
    anna.press("👤 Name fürs Team", message=overview)
    await anna.next_message()
    anna.send_text("-")
    assert "Name gelöscht" in (await anna.next_message()).text
    assert await harness.storage.teams.display_name(anna.id) is None


async def test_export_and_delete_cover_the_team_data(harness: Harness) -> None:
    lead = await start_lead(harness)
    code = await invite(lead)
    anna = await join(harness, code, 7_300_060)
    team = await lead_team(harness)
    await harness.storage.teams.set_visibility(team.id, PER_REP, harness.clock.now)
    await harness.storage.teams.confirm_sharing(anna.id, team.id, harness.clock.now)
    anna.send_command("export")
    data = json.loads(document(await anna.next_message()))
    await anna.next_message()
    tables = data["tables"]
    assert tables["users"][0]["display_name"] == "Rep60"
    assert tables["members"][0]["team_id"] == team.id
    assert tables["members"][0]["shares_confirmed_at"] is not None
    assert [t["name"] for t in tables["teams"]] == [team.name]
    anna.send_command("delete")
    ask = await anna.next_message()
    anna.press(ask.buttons[0]["callback_data"], message=ask)
    await anna.next_message()
    assert await harness.storage.teams.members(team.id) == []
    lead.send_command("reps")
    assert "Rep60" not in (await lead.next_message()).text
    # A lead who deletes their data: the team stays, without a lead, for the next admin.
    monday = harness.clock.now.date() - timedelta(days=harness.clock.now.weekday())
    await harness.storage.teams.set_focus(team.id, monday, "pitch", "", LEAD, harness.clock.now)
    lead.send_command("delete")
    ask = await lead.next_message()
    lead.press(ask.buttons[0]["callback_data"], message=ask)
    await lead.next_message()
    assert await harness.storage.teams.team(team.id) is not None
    assert await harness.storage.teams.leads(team.id) == []
    focus = await harness.storage.teams.focus(team.id, monday)
    assert focus is not None
    assert focus.set_by == 0
