"""Counts of one in the sandbox: /today, /week and the streak line read right with 1 of each
(the word list and the checker are those of tests/test_plurals.py)."""

from __future__ import annotations

import pytest

from bot.coach.targets import DailyTargets
from tests.handlers.conftest import Harness, onboarded
from tests.test_plurals import _counts, _forms


def _reads_wrong(lang: str, text: str) -> list[str]:
    _, plural = _forms(lang)
    return [word for word in _counts(text, 1) if word in plural]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_today_week_and_streak_with_one_of_each(harness: Harness, lang: str) -> None:
    user = await onboarded(harness, 2401, lang)
    # Targets of one each: the log meets them, so today starts a streak of one day.
    await harness.storage.activity.set_targets(
        2401, DailyTargets(1, 1, 1, 1), "manual", harness.clock.now
    )
    user.send_text("/log 1 1 1 1")
    logged = await user.next_message()
    assert ("1 Anruf" if lang == "de" else "1 dial") in logged.text
    user.send_command("today")
    today = await user.next_message()
    user.send_command("week")
    week = await user.next_message()
    for message in (logged, today, week):
        assert _reads_wrong(lang, message.text) == [], message.text
    expected = "Serie: 1 Tag" if lang == "de" else "Streak: 1 day"
    assert any(expected in m.text for m in (logged, today))
    streak = next(line for line in week.text.splitlines() if "🔥" in line)
    assert _reads_wrong(lang, streak) == []
