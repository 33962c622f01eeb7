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
    rates = await user.next_message()
    assert "20 %" in rates.text
    user.press("g:r:keep")
    math = await user.next_message()
    assert "24 Abschlüsse" in math.text
    assert "240.000 €" in math.text
    assert "📅 1 Termin ·" in math.text, "singular for one"
    assert "1 Termine" not in math.text
    user.press("✓ Übernehmen")
    saved = await user.next_message()
    assert "Tagesziele stehen" in saved.text
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
    await user.next_message()
    user.press("g:r:edit")
    await user.next_message()
    user.send_text("1 in 4")
    await user.next_message()
    user.send_text("50%")
    await user.next_message()
    user.send_text("0.5")
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
    user.press("g:r:keep")
    problem = await user.next_message()
    assert "300" in problem.text
    assert await harness.storage.activity.targets(5005) is None
