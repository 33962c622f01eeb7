"""Practice calls over time, end to end: the week's calls in /week and the weekly review, and the
weakest scenario back as a practice suggestion on a later working day (not on a paused day, not
on a day a drill is due), whose button starts that scenario."""

from __future__ import annotations

from datetime import date, datetime

from bot.coach.roleplay import start
from bot.handlers.practice import DUE_KIND as DRILL_DUE
from bot.handlers.roleplay_progress import DUE_KIND
from bot.storage.roleplay import RoleplayCall
from tests.handlers.conftest import Harness, onboarded
from tests.handlers.test_checkins import at, tick
from tests.handlers.test_roleplay import MEDIUM, open_call, play, roleplays, run_turns

WEEK_DE = "🎭 3 Übungsgespräche, Ø 56 % der Punkte erfüllt, Ziel 1× erreicht, schwächstes: "


async def ended(
    harness: Harness,
    user_id: int,
    scenario_id: str,
    when: datetime,
    *,
    met: int,
    outcome: str = "hang_up",
    total: int = 6,
) -> RoleplayCall:
    """A practice call of the rep that ended at `when` with these figures."""
    scenario = roleplays(harness, "de").scenarios[scenario_id]
    state, _ = start(scenario, "medium", "de")
    storage = harness.storage.roleplay
    call = await storage.start(user_id, state, when)
    assert not isinstance(call, str)
    percent = round(100 * met / total)
    assert await storage.finish(
        call, state, when, outcome=outcome, met=met, total=total, percent=percent
    )
    return call


async def practice_fortnight(harness: Harness, user_id: int) -> None:
    """Three calls in the last 7 working days up to Mon 23 Nov, one older, one cancelled."""
    await ended(harness, user_id, "gatekeeper", at(20, 15), met=2)
    await ended(harness, user_id, "cold_call", at(21, 10), met=5, outcome="success")
    await ended(harness, user_id, "gatekeeper", at(22, 18), met=3)
    await ended(harness, user_id, "after_sales", at(10, 9), met=0)  # 14 working days only
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    left = await harness.storage.roleplay.start(
        user_id, start(scenario, "easy", "de")[0], at(23, 8)
    )
    assert not isinstance(left, str)
    await harness.storage.roleplay.cancel(left, left.state, at(23, 8, 5))


# --- /week and the weekly review -----------------------------------------------------------------


async def test_week_counts_the_practice_calls_of_the_days_shown(harness: Harness) -> None:
    user = await onboarded(harness, 9601)
    await practice_fortnight(harness, 9601)
    user.send_command("week")
    week = await user.next_message()
    assert week.file is not None
    # 10 of 18 points, one goal reached; the cancelled call and the one of 10 Nov left out.
    assert WEEK_DE + "Am Vorzimmer vorbei" in week.text
    user.press("📈 Letzte 14 Arbeitstage", message=week)
    fortnight = await user.next_message()
    assert "🎭 4 Übungsgespräche, Ø 42 % der Punkte erfüllt, Ziel 1× erreicht" in fortnight.text
    assert "schwächstes: Nachbetreuung mit Empfehlung" in fortnight.text


async def test_week_in_english_and_without_calls(harness: Harness) -> None:
    english = await onboarded(harness, 9602, "en")
    await ended(harness, 9602, "gatekeeper", at(20, 15), met=4)
    english.send_command("week")
    text = (await english.next_message()).text
    # One scenario only: nothing to call the weakest.
    assert "🎭 1 practice call, on average 67% of the points met, 0 goals reached" in text
    assert "weakest" not in text
    german = await onboarded(harness, 9603)
    german.send_command("week")
    assert "🎭" not in (await german.next_message()).text, "no calls, no line"


async def test_weekly_review_names_the_calls_and_the_one_to_practise(harness: Harness) -> None:
    user = await onboarded(harness, 9604)
    await practice_fortnight(harness, 9604)
    await tick(harness, at(27, 15, 0))  # Friday 16:00 Berlin
    review = await user.next_message()
    assert review.file is not None
    assert "Wochenrückblick" in review.text
    assert WEEK_DE + "Am Vorzimmer vorbei" in review.text
    # To practise: of each scenario's last call the weakest, here the 0 of 6 of 10 Nov.
    assert "Dein Übungsgespräch für nächste Woche: Nachbetreuung mit Empfehlung" in review.text
    assert review.button_labels[0] == "📞 Nachbetreuung mit Empfehlung üben"
    assert len(review.text) <= 1024, "a photo caption"
    user.press("📞 Nachbetreuung mit Empfehlung üben", message=review)
    picker = await user.next_message()  # a photo's caption is no text to turn into the picker
    assert "Nachbetreuung mit Empfehlung" in picker.text
    assert MEDIUM["de"] in picker.button_labels, "the difficulty of that scenario"


# --- The practice suggestion ---------------------------------------------------------------------


async def test_the_weakest_scenario_comes_back_the_next_working_day(harness: Harness) -> None:
    user = await onboarded(harness, 9610)  # Monday 23 Nov; calling block 09:00-10:00 Berlin
    book = roleplays(harness, "de")
    await open_call(harness, user, book.scenarios["cold_call"], "de")
    await play(user, run_turns("cold_call", "de", "good"))
    await open_call(harness, user, book.scenarios["gatekeeper"], "de")
    _, card = await play(user, run_turns("gatekeeper", "de", "weak"))
    assert "❌" in card.text

    # Tuesday, an hour after the calling block: 11:00 Berlin = 10:00 UTC; one item per rep.
    (item,) = await harness.storage.checkins.open_items(9610, DUE_KIND)
    assert (item.due_at, dict(item.payload)) == (at(24, 10, 0, 0), {"scenario": "gatekeeper"})

    await tick(harness, at(24, 9, 59))
    user.mark_read()
    assert await harness.storage.checkins.open_items(9610, DUE_KIND) != [], "not yet"
    await tick(harness, at(24, 10, 0))
    nudge = await user.next_message()
    assert "Am Vorzimmer vorbei" in nudge.text
    assert "Petra Lindner" in nudge.text
    assert nudge.button_labels == ["📞 Am Vorzimmer vorbei üben"]
    assert await harness.storage.checkins.open_items(9610, DUE_KIND) == []
    assert (await tick(harness, at(24, 10, 5))).sent == 0, "sent once"

    user.press("📞 Am Vorzimmer vorbei üben", message=nudge)
    await user.wait_for(lambda: nudge.edit_count > 0)
    user.press(MEDIUM["de"], message=nudge)
    intro = await user.next_message()
    assert book.scenarios["gatekeeper"].goal.split()[0] in intro.text
    call = await harness.storage.roleplay.active(9610)
    assert call is not None
    assert call.scenario_id == "gatekeeper", "the button started that scenario"


async def test_a_better_call_moves_the_suggestion_to_the_weaker_scenario(harness: Harness) -> None:
    user = await onboarded(harness, 9611)
    book = roleplays(harness, "de")
    await ended(harness, 9611, "cold_call", at(23, 8), met=3)
    await open_call(harness, user, book.scenarios["gatekeeper"], "de")
    await play(user, run_turns("gatekeeper", "de", "good"))
    (item,) = await harness.storage.checkins.open_items(9611, DUE_KIND)
    assert item.payload == {"scenario": "cold_call"}, "the gatekeeper call went well"


async def test_no_suggestion_on_a_paused_day_or_a_drill_day(harness: Harness) -> None:
    user = await onboarded(harness, 9612)
    book = roleplays(harness, "de")
    # A drill is due on Tuesday: the call suggestion waits for Wednesday.
    await harness.storage.checkins.put_due(
        9612, DRILL_DUE, "daily", at(24, 9, 30, 0), at(23, 9), {"entry": "too_expensive"}
    )
    await open_call(harness, user, book.scenarios["gatekeeper"], "de")
    await play(user, run_turns("gatekeeper", "de", "weak"))
    (item,) = await harness.storage.checkins.open_items(9612, DUE_KIND)
    assert item.due_at == at(25, 10, 0, 0)

    # A pause from Wednesday to Thursday, set afterwards: nothing is sent unasked then.
    await harness.storage.checkins.add_pause(
        9612, date(2026, 11, 25), date(2026, 11, 26), at(23, 10)
    )
    user.mark_read()
    await tick(harness, at(25, 10, 0))
    await tick(harness, at(26, 10, 0))
    assert user.unread == []
    assert await harness.storage.checkins.open_items(9612, DUE_KIND) != [], "it waits"
    await tick(harness, at(27, 10, 0))  # Friday, back at work
    assert any("Am Vorzimmer vorbei" in m.text for m in user.unread)
    assert await harness.storage.checkins.open_items(9612, DUE_KIND) == []
