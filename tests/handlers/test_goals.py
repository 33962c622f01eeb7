"""/goals end to end: the funnel in German and English, typed targets, and bad input."""

from __future__ import annotations

from bot.coach.targets import DailyTargets
from bot.sandbox import SandboxUser
from tests.handlers.conftest import Harness, onboarded


async def at_revenue(user: SandboxUser, period: str) -> None:
    """Open /goals, choose the funnel and a period: the bot now asks for the revenue."""
    user.send_command("goals")
    await user.next_message()
    user.press("g:m:funnel")
    await user.next_message()
    user.press(f"g:p:{period}")
    await user.next_message()


async def test_funnel_in_german_with_default_rates(harness: Harness) -> None:
    user = await onboarded(harness, 5001, "de")
    user.tap_reply("🎯 Ziele")
    assert "Wie sollen wir" in (await user.next_message()).text
    user.press("g:m:funnel")
    assert "Zeitraum" in (await user.next_message()).text
    user.press("g:p:year")
    assert "Umsatz" in (await user.next_message()).text
    user.send_text("240.000 €")
    assert "Abschluss" in (await user.next_message()).text
    user.send_text("10.000")
    vacation = await user.next_message()
    assert "Urlaubstage nimmst du bis 22.11.2027" in vacation.text
    assert "üblich sind 30 Tage" in vacation.text, "Germany's default, from the Berlin timezone"
    user.press("🏖 30 Urlaubstage", message=vacation)
    rates = await user.next_message()
    assert "20 %" in rates.text
    assert "neuer Kontakte an deinen Anrufen: 40 %" in rates.text
    user.press("g:r:keep")
    math = await user.next_message()
    assert "24 Abschlüsse" in math.text
    assert "240.000 € im Jahr bis 22.11.2027" in math.text
    assert "Urlaub: 30 Tage" in math.text
    assert "📅 2 Termine pro Woche" in math.text, "0.4 a day is shown per week"
    assert "Angenommen: 40 % deiner Anrufe gehen an neue Kontakte" in math.text
    user.press("✓ Übernehmen")
    saved = await user.next_message()
    assert "Tagesziele stehen" in saved.text
    assert "📅 2 Termine pro Woche" in saved.text
    stored = await harness.storage.activity.targets(5001)
    assert stored is not None
    assert stored.source == "funnel"
    assert stored.daily.dials > 0
    assert stored.goal is not None
    assert stored.goal["revenue"] == 240000


async def test_funnel_in_english_with_own_rates(harness: Harness) -> None:
    user = await onboarded(harness, 5002, "en")
    user.send_command("goals")
    await user.next_message()
    user.press("g:m:funnel")
    await user.next_message()
    user.send_text("quarter")
    await user.next_message()
    user.send_text("120k")
    await user.next_message()
    user.send_text("5,000")
    vacation = await user.next_message()
    assert "usual" in vacation.text
    user.send_text("7")
    await user.next_message()
    user.press("g:r:edit")
    await user.next_message()
    user.send_text("1 in 4")
    await user.next_message()
    user.send_text("50%")
    await user.next_message()
    user.send_text("0.5")
    assert "never called before" in (await user.next_message()).text
    user.send_text("0")
    math = await user.next_message()
    assert "24 deals" in math.text
    assert "48 appointments" in math.text
    assert "96 conversations" in math.text
    assert "384 dials" in math.text
    user.press("g:ok")
    assert "daily targets are set" in (await user.next_message()).text


async def test_daily_targets_typed_directly(harness: Harness) -> None:
    user = await onboarded(harness, 5003)
    user.send_command("goals")
    await user.next_message()
    user.press("g:m:direct")
    await user.next_message()
    user.send_text("abc")
    assert "kann ich nicht lesen" in (await user.next_message()).text
    user.send_text("20 5 2 8")
    assert "Tagesziele stehen" in (await user.next_message()).text
    stored = await harness.storage.activity.targets(5003)
    assert stored is not None
    assert stored.daily == DailyTargets(20, 5, 2, 8)


async def test_bad_amounts_and_rates_are_explained(harness: Harness) -> None:
    user = await onboarded(harness, 5004)
    await at_revenue(user, "month")
    for bad in ("viel", "-5", "0", "😀"):
        user.send_text(bad)
        assert "nicht als Betrag" in (await user.next_message()).text
    user.send_text("20000")
    await user.next_message()
    user.send_text("10000")
    await user.next_message()
    user.press("g:v:0")
    await user.next_message()
    user.press("g:r:edit")
    await user.next_message()
    for bad in ("0", "150%", "-3", "x"):
        user.send_text(bad)
        assert "nicht als Quote" in (await user.next_message()).text
    assert await harness.storage.activity.targets(5004) is None, "nothing stored yet"


async def test_absurd_goal_gets_an_explanation(harness: Harness) -> None:
    user = await onboarded(harness, 5005)
    await at_revenue(user, "month")
    user.send_text("10 Mio")
    await user.next_message()
    user.send_text("1.000")
    await user.next_message()
    user.press("g:v:default")
    await user.next_message()
    user.press("g:r:keep")
    problem = await user.next_message()
    assert "300" in problem.text
    assert await harness.storage.activity.targets(5005) is None


async def test_vacation_days_asked_typed_and_refused_in_english(harness: Harness) -> None:
    user = await onboarded(harness, 5006, "en")
    await at_revenue(user, "year")
    user.send_text("240,000")
    await user.next_message()
    user.send_text("10,000")
    vacation = await user.next_message()
    assert "days of holiday will you take by 22 Nov 2027" in vacation.text
    assert vacation.button_labels == ["🏖 30 days off", "No holiday in this period"]
    for bad in ("lots", "-3", "400", "😀"):
        user.send_text(bad)
        assert "as a number of holiday days" in (await user.next_message()).text
    user.send_text("365")
    await user.next_message()
    user.press("g:r:keep")
    problem = await user.next_message()
    assert "holiday fills the whole period" in problem.text
    user.send_text("20 days")
    await user.next_message()
    user.press("g:r:keep")
    math = await user.next_message()
    assert "in the year to 22 Nov 2027" in math.text
    assert "holiday: 20 days" in math.text
    assert "📅 2 appointments a week" in math.text
    assert "Assumed: 40% of your dials go to new contacts" in math.text
    assert await harness.storage.activity.targets(5006) is None


async def test_adopt_double_tap_and_an_older_message(harness: Harness) -> None:
    user = await onboarded(harness, 5007)
    await at_revenue(user, "year")
    user.send_text("240.000")
    await user.next_message()
    user.send_text("10.000")
    await user.next_message()
    user.press("g:v:default")
    await user.next_message()
    user.press("g:r:keep")
    math = await user.next_message()
    first = user.press("g:ok", message=math)
    second = user.press("g:ok", message=math)
    assert "Tagesziele stehen" in (await user.next_message()).text
    answer = await user.wait_for(lambda: user.callback_answer(second["callback_query"]["id"]))
    assert answer.text == "Dieser Knopf ist nicht mehr aktuell."
    assert user.callback_answer(first["callback_query"]["id"]) is not None
    stored = await harness.storage.activity.targets(5007)
    assert stored is not None
    assert stored.daily.appointments == 0, "a weekly target has no daily number"
    assert stored.goal is not None
    assert stored.goal["vacation"] == 30
    assert stored.goal["end"] == "2027-11-22"
    assert {"metric": "appointments", "count": 2, "unit": "week"} in stored.goal["targets"]
    user.send_command("goals")
    assert "📅 2 Termine pro Woche" in (await user.next_message()).text
    # A new funnel, left at its result; /goals again, then "adopt" on the older result.
    user.press("g:m:funnel")
    await user.next_message()
    user.press("g:p:month")
    await user.next_message()
    user.send_text("50.000")
    await user.next_message()
    user.send_text("5.000")
    await user.next_message()
    user.press("g:v:0")
    await user.next_message()
    user.press("g:r:keep")
    older = await user.next_message()
    user.send_command("goals")
    await user.next_message()
    user.press("g:ok", message=older)
    assert "nicht mehr aktuell" in (await user.next_message()).text
    assert (await harness.storage.activity.targets(5007)) == stored, "the older result is not taken"


async def test_a_goal_stored_before_weekly_targets_still_reads(harness: Harness) -> None:
    user = await onboarded(harness, 5008)
    old_goal = {
        "period": "year",
        "revenue": 240000.0,
        "deal": 10000.0,
        "rates": {"dial_to_conversation": 0.2},
        "days": 250,
    }
    await harness.storage.activity.set_targets(
        5008, DailyTargets(8, 2, 1, 4), "funnel", harness.clock.now, old_goal
    )
    user.send_command("goals")
    current = await user.next_message()
    assert "📞 8 Anrufe · 💬 2 Gespräche · 📅 1 Termin" in current.text


async def test_one_deal_reads_in_the_singular(harness: Harness) -> None:
    for user_id, lang, deal in (
        (5009, "de", "🤝 1 Abschluss → 📅 4 Termine"),
        (5010, "en", "🤝 1 deal →"),
    ):
        user = await onboarded(harness, user_id, lang)
        await at_revenue(user, "month")
        user.send_text("10000")
        await user.next_message()
        user.send_text("10000")
        await user.next_message()
        user.press("g:v:0")
        await user.next_message()
        user.press("g:r:keep")
        math = (await user.next_message()).text
        assert deal in math
        assert "1 Abschlüsse" not in math
        assert "1 deals" not in math


async def test_a_target_per_week_shows_the_week_so_far_in_today(harness: Harness) -> None:
    """2 appointments a week have no daily number: /today counts the week against them."""
    user = await onboarded(harness, 5031, "de")
    await at_revenue(user, "year")
    user.send_text("240.000 €")
    await user.next_message()
    user.send_text("10.000")
    vacation = await user.next_message()
    user.press("🏖 30 Urlaubstage", message=vacation)
    await user.next_message()
    user.press("g:r:keep")
    await user.next_message()
    user.press("✓ Übernehmen")
    await user.next_message()
    before = await harness.storage.activity.targets(5031)
    assert before is not None
    assert before.daily.appointments == 0
    user.send_text("1 Termin")
    await user.next_message()
    user.send_command("heute")
    card = await user.next_message()
    assert "📅 Termine: 1 heute · Woche 1/2" in card.text
    assert "50 %" in card.text
    assert "📞 Anrufe: 0/" in card.text, "the dials keep their daily target"


async def test_own_rates_show_decimals_as_the_language_writes_them(harness: Harness) -> None:
    """A share of 12.5 % reads "12,5 %" to a German rep and "12.5%" to an English one."""
    for user_id, lang, typed, shown in (
        (5041, "de", "12,5", "Angenommen: 12,5 % deiner Anrufe"),
        (5042, "en", "12.5", "Assumed: 12.5% of your dials"),
    ):
        user = await onboarded(harness, user_id, lang)
        await at_revenue(user, "year")
        user.send_text("240000")
        await user.next_message()
        user.send_text("10000")
        vacation = await user.next_message()
        user.press(vacation.buttons[0]["text"], message=vacation)
        await user.next_message()
        user.press("g:r:edit")
        await user.next_message()
        for answer in ("20", "25", "25"):
            user.send_text(answer)
            await user.next_message()
        user.send_text(typed)
        math = await user.next_message()
        assert shown in math.text, math.text
