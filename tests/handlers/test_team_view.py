"""/team end to end with a lead and several reps: the verdict first, totals only from three,
a rep's line only after they agreed, no total that gives one or two away; the nudge (once a
day, never on a pause or in quiet hours), the focus in the morning ping, the weekly digest at
the lead's local time (once, also after a restart), the team goal in /today."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.coach.access import REP
from bot.coach.activity import Counts
from bot.coach.profile import Profile, Schedule
from bot.coach.targets import DailyTargets
from bot.coach.teams import PER_REP, Team
from bot.sandbox import SandboxMessage, SandboxUser
from bot.storage.checkins import SENT, DeliveryKey
from bot.storage.tables import deliveries
from tests.handlers.conftest import Harness, onboarded
from tests.handlers.test_team_admin import LEAD, MONDAY, lead_team, start_lead, tick

TODAY = date(2026, 11, 23)


async def add_rep(
    harness: Harness,
    team: Team,
    user_id: int,
    name: str,
    dials: int,
    *,
    lang: str = "de",
    today: int = 0,
    schedule: Schedule | None = None,
) -> SandboxUser:
    """A set-up rep in the team with a daily target of 20 dials, `dials` logged on each of
    the last three working days (Wed-Fri of the week before) and `today` today."""
    now = harness.clock.now
    storage = harness.storage
    await storage.access.grant(user_id, REP, now)
    profile = Profile(user_id, user_id, lang, "Europe/Berlin", schedule or Schedule(), True)
    await storage.users.create(profile, now)
    await storage.teams.move(user_id, team.id, now)
    await storage.teams.set_display_name(user_id, name, now)
    await storage.activity.set_targets(user_id, DailyTargets(20, 4, 1, 2), "manual", now)
    for back in (3, 4, 5):
        await storage.activity.change(
            user_id,
            TODAY - timedelta(days=back),
            Counts(dials, 2, 1, 0),
            source="text",
            now=now,
            target_dials=20,
        )
    if today:
        await storage.activity.change(
            user_id, TODAY, Counts(today, 0, 0, 0), source="text", now=now, target_dials=20
        )
    return harness.sandbox.user(user_id, first_name=name, language_code=lang)


async def team_view(lead: SandboxUser) -> SandboxMessage:
    lead.mark_read()
    lead.send_command("team")
    return await lead.next_message()


async def test_totals_only_needs_three_reps_and_shows_no_ones_own_number(
    harness: Harness,
) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    await add_rep(harness, team, 7_400_001, "Anna", 17)
    await add_rep(harness, team, 7_400_002, "Ben", 23)
    view = await team_view(lead)
    assert view.text.splitlines()[1].startswith("🔒 Noch keine Teamsummen: Die gibt es erst ab 3")
    assert "2 Personen" in view.text
    for figure in ("51", "69", "120", "Anna", "Ben"):
        assert figure not in view.text
    await add_rep(harness, team, 7_400_003, "Cem", 29, today=5)
    view = await team_view(lead)
    lines = view.text.splitlines()
    # The verdict first: 212 dials of 245 (four working days of 20 each since Tuesday, one of
    # them without a number, and today's 5 only as far as done).
    assert lines[1] == "🟡 Knapp dahinter: 87 % des Anrufziels"
    assert "📞 Anrufe: 212 von 245" in view.text
    assert "Tage im Anrufziel: 6 von 12" in view.text
    assert "Heute noch ohne Zahlen: 2 von 3" in view.text
    for own in ("51", "69", "92", "Anna", "Ben", "Cem", "Pro Person"):
        assert own not in view.text
    # 14 and 30 days are a tap away; the same rule holds.
    view_buttons = [b["callback_data"] for b in view.buttons]
    assert f"tm:v:{team.id}:30" in view_buttons
    lead.press(f"tm:v:{team.id}:30", message=view)
    await lead.wait_for(lambda: "letzte 30 Tage" in view.text)
    assert "Anna" not in view.text


async def test_per_rep_lines_only_after_agreeing_and_no_subtractable_total(
    harness: Harness,
) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    ids = range(7_400_011, 7_400_015)
    for n, (user_id, name) in enumerate(zip(ids, ["Anna", "Ben", "Cem", "Dora"], strict=True)):
        await add_rep(harness, team, user_id, name, 11 + 10 * n)
    now = harness.clock.now
    await harness.storage.teams.set_visibility(team.id, PER_REP, now)
    # Nobody agreed yet: totals only, as before.
    view = await team_view(lead)
    assert "Pro Person" not in view.text
    assert "📞 Anrufe: 312 von 320" in view.text
    # Anna agreed: her line, the three others as a sum, and the total (subtracting her line
    # leaves three).
    assert await harness.storage.teams.confirm_sharing(7_400_011, team.id, now)
    view = await team_view(lead)
    assert "Anna: 📞 33/80 · 💬 6 · 📅 3 · 🔥 0" in view.text
    assert "Die anderen (3 Personen, nur als Summe): 📞 279/240" in view.text
    assert "📞 Anrufe: 312 von 320" in view.text
    for other in ("Ben", "Cem", "Dora", "63", "93", "123"):
        assert other not in view.text
    # Ben agreed too: Cem and Dora are two; neither their sum nor the total may show.
    assert await harness.storage.teams.confirm_sharing(7_400_012, team.id, now)
    view = await team_view(lead)
    assert "Ben: 📞 63/80 · 💬 6 · 📅 3 · 🔥 3" in view.text
    assert view.text.splitlines()[1].startswith("🔒 Keine Teamsumme: 2 Personen")
    # Cem's and Dora's numbers (93, 123), their sum (216) and the total (312) stay hidden.
    for hidden in ("Die anderen", "312", "216", "93", "123", "Cem", "Dora"):
        assert hidden not in view.text
    # Who logged nothing today: by name only where visible, no count of the two others.
    assert "Heute noch ohne Zahlen" not in view.text


async def test_a_rep_never_sees_the_team_view(harness: Harness) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    for n in range(3):
        await add_rep(harness, team, 7_400_021 + n, f"R{n}", 10 + n)
    await harness.storage.access.grant(7_400_030, REP, harness.clock.now)
    rep = await onboarded(harness, 7_400_030)
    await harness.storage.teams.move(7_400_030, team.id, harness.clock.now)
    rep.mark_read()
    rep.send_command("team")
    reply = await rep.next_message()
    assert reply.text.startswith("/team ist die Übersicht für Teamleiter")
    assert "R0" not in reply.text
    assert lead.messages


async def test_the_nudge_reaches_exactly_who_has_no_numbers_and_can_be_reached(
    harness: Harness,
) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    done = await add_rep(harness, team, 7_400_041, "Anna", 20, today=4)
    idle = await add_rep(harness, team, 7_400_042, "Ben", 20, lang="en")
    paused = await add_rep(harness, team, 7_400_043, "Cem", 20)
    night = Schedule(quiet_start=time(9, 0), quiet_end=time(12, 0))
    quiet = await add_rep(harness, team, 7_400_044, "Dora", 20, schedule=night)
    await harness.storage.checkins.add_pause(7_400_043, TODAY, TODAY + timedelta(days=3), MONDAY)
    view = await team_view(lead)
    lead.press(f"tm:n:{team.id}", message=view)
    reply = await lead.next_message()
    assert reply.text == (
        "🔔 Erinnert: 1 · gerade in Pause oder Ruhezeit: 2 · heute schon erinnert: 0"
    )
    message = await idle.next_message()
    assert message.text.startswith("👋 A quick reminder from your team")
    for rep in (done, paused, quiet):
        assert not [m for m in rep.messages if "Erinnerung" in m.text]
    # Again the same day, even from a new view: nobody twice.
    view = await team_view(lead)
    lead.press(f"tm:n:{team.id}", message=view)
    again = await lead.next_message()
    assert again.text.endswith("heute schon erinnert: 1")
    async with harness.storage.engine.connect() as conn:
        rows = (
            await conn.execute(deliveries.select().where(deliveries.c.kind == "team_nudge"))
        ).all()
    assert [(r.user_id, r.status, r.local_date) for r in rows] == [(7_400_042, SENT, TODAY)]
    assert len([m for m in idle.messages if "reminder" in m.text]) == 1


async def test_the_focus_reaches_the_morning_ping_and_the_lead_sees_who_practised(
    harness: Harness,
) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    reps = [await add_rep(harness, team, 7_400_051 + n, f"R{n}", 20) for n in range(3)]
    view = await team_view(lead)
    assert "Noch kein Fokus für diese Woche" in view.text
    lead.press(f"tm:f:{team.id}", message=view)
    await lead.wait_for(lambda: "Was soll diese Woche im Fokus stehen?" in view.text)
    lead.press(f"tm:fk:{team.id}:objection", message=view)
    await lead.wait_for(lambda: "Welcher Einwand?" in view.text)
    # Not the first one: /ueben would start with that one anyway.
    data = view.buttons[2]["callback_data"]
    entry_id = data.split(":")[4]
    lead.press(data, message=view)
    confirmation = await lead.next_message()
    assert confirmation.text.startswith("✓ Fokus der Woche: Einwand „")
    focus = await harness.storage.teams.focus(team.id, TODAY)
    assert focus is not None
    assert (focus.kind, focus.ref) == ("objection", entry_id)
    # Tuesday 08:00 in Berlin: the morning ping names the focus and how to practise it.
    harness.clock.now = datetime(2026, 11, 24, 7, 0, 30, tzinfo=UTC)
    await tick(harness)
    morning = await reps[0].wait_for(
        lambda: next((m for m in reps[0].messages if "Fokus der Woche im Team" in m.text), None)
    )
    assert "üben mit /ueben" in morning.text
    # /ueben suggests the focus objection first.
    deps = harness.app.bot_data["deps"] if harness.app else None
    entry = deps.find_entry("de", entry_id) if deps else None
    assert entry is not None
    reps[0].mark_read()
    reps[0].send_command("practice")
    drill = await reps[0].next_message()
    assert entry.phrasings[0] in drill.text
    # One rep drills it: the lead sees how many (totals only: no name).
    await harness.storage.drills.record(7_400_052, entry_id, 0.5, TODAY, 3, harness.clock.now)
    view = await team_view(lead)
    assert "Geübt haben ihn 1 von 3." in view.text
    assert "R1" not in view.text


async def test_the_digest_goes_out_once_at_the_leads_local_time(harness: Harness) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    for n in range(3):
        await add_rep(harness, team, 7_400_061 + n, f"R{n}", 20 + n)
    # Friday 27 November, 14:59 in Berlin: not yet.
    harness.clock.now = datetime(2026, 11, 27, 13, 59, tzinfo=UTC)
    lead.mark_read()
    await tick(harness)

    def digests() -> list[SandboxMessage]:
        return [m for m in lead.messages if "Wochenbericht" in m.text]

    assert digests() == []
    harness.clock.now = datetime(2026, 11, 27, 14, 1, tzinfo=UTC)
    await tick(harness)
    (digest,) = await lead.wait_for(lambda: digests() or None)
    assert digest.data.get("photo")
    assert digest.text.splitlines()[1].startswith(("✅", "🟡", "🔴"))
    assert "R0" not in digest.text
    # Nothing logged this week, three days the week before: the trend says so.
    assert "📉 Anrufe zur Vorwoche: −100 %" in digest.text
    assert "Noch kein Fokus für diese Woche" in digest.text
    # A restart and more ticks the same afternoon: no second digest.
    await harness.restart()
    harness.clock.now = datetime(2026, 11, 27, 14, 20, tzinfo=UTC)
    await tick(harness)
    await tick(harness)
    assert len(digests()) == 1
    assert lead.id == LEAD


async def test_the_team_goal_bar_in_today_from_three_others(harness: Harness) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    await harness.storage.teams.set_goal(team.id, "dials", 400, harness.clock.now)
    for n in range(2):
        await add_rep(harness, team, 7_400_071 + n, f"R{n}", 10, today=7)
    await harness.storage.access.grant(7_400_080, REP, harness.clock.now)
    rep = await onboarded(harness, 7_400_080)
    await harness.storage.teams.move(7_400_080, team.id, harness.clock.now)
    rep.mark_read()
    rep.send_command("today")
    assert "Teamziel" not in (await rep.next_message()).text  # two others: their sum is theirs
    await add_rep(harness, team, 7_400_073, "R2", 10, today=7)
    rep.send_command("today")
    card = await rep.next_message()
    assert "👥 Teamziel Anrufe: ▱▱▱▱▱▱▱▱▱▱ 21 von 400" in card.text
    assert lead.messages


async def test_a_nudge_a_crash_left_unconfirmed_is_sent_by_the_tick_only_without_numbers(
    harness: Harness,
) -> None:
    lead = await start_lead(harness)
    team = await lead_team(harness)
    idle = await add_rep(harness, team, 7_400_091, "Anna", 20)
    busy = await add_rep(harness, team, 7_400_092, "Ben", 20)
    await add_rep(harness, team, 7_400_093, "Cem", 20)
    store = harness.storage.checkins
    keys = [DeliveryKey(user_id, "team_nudge", "", TODAY) for user_id in (7_400_091, 7_400_092)]
    # Claimed ten minutes ago and never confirmed: the process died while sending.
    assert len(await store.claim(keys, harness.clock.now - timedelta(minutes=10))) == 2
    await harness.storage.activity.change(
        7_400_092, TODAY, Counts(3, 0, 0, 0), source="text", now=harness.clock.now, target_dials=20
    )
    await tick(harness)
    message = await idle.wait_for(
        lambda: next((m for m in idle.messages if "Kurze Erinnerung" in m.text), None)
    )
    assert message.text.startswith("👋 Kurze Erinnerung aus deinem Team")
    assert not [m for m in busy.messages if "Erinnerung" in m.text]
    assert lead.messages


async def test_in_english_one_person_not_agreed_hides_the_total(harness: Harness) -> None:
    lead = await start_lead(harness, "en")
    team = await lead_team(harness)
    for n, name in enumerate(["Ann", "Bob", "Cat"]):
        await add_rep(harness, team, 7_400_101 + n, name, 15 + 10 * n, lang="en")
    now = harness.clock.now
    await harness.storage.teams.set_visibility(team.id, PER_REP, now)
    for user_id in (7_400_101, 7_400_102):
        assert await harness.storage.teams.confirm_sharing(user_id, team.id, now)
    view = await team_view(lead)
    lines = view.text.splitlines()
    assert lines[0].endswith("· last 7 days")
    assert lines[1].startswith("🔒 No team total: 1 person has not agreed to “per person”")
    assert "Ann: 📞 45/80 · 💬 6 · 📅 3 · 🔥 0" in view.text
    assert "Bob: 📞 75/80" in view.text
    # Cat's 105 would be the total (225) minus the two lines: neither shows.
    for hidden in ("Cat", "105", "225", "The others"):
        assert hidden not in view.text


async def test_help_shows_leads_their_commands_and_reps_not(harness: Harness) -> None:
    """A lead finds /team in /hilfe; a rep's help has no lead section."""
    lead = await start_lead(harness)
    lead.mark_read()
    lead.send_command("hilfe")
    assert "Für Teamleitungen: 👥 /team" in (await lead.next_message()).text
    await harness.storage.access.grant(7_400_040, REP, harness.clock.now)
    rep = await onboarded(harness, 7_400_040)
    rep.mark_read()
    rep.send_command("hilfe")
    assert "Für Teamleitungen" not in (await rep.next_message()).text
