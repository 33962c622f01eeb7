"""/practice end to end: a good and a bad answer, mastery stored, drilling from a card."""

from __future__ import annotations

from datetime import date

from tests.handlers.conftest import Harness, onboarded


async def test_a_good_and_a_bad_answer(harness: Harness) -> None:
    user = await onboarded(harness, 8001)
    user.send_command("practice")
    throw = await user.next_message()
    assert "Kunde:" in throw.text
    flow = await harness.storage.flows.get(8001)
    assert flow is not None
    entry_id = flow.data["entry"]

    user.send_text("Das ist aber falsch, Sie irren sich.")
    bad = await user.next_message()
    assert "von 100 Punkten" in bad.text
    assert "💡" in bad.text, "tips for a weak answer"
    assert "So könnte es klingen:" in bad.text
    low = (await harness.storage.drills.stats(8001))[entry_id]
    assert low.attempts == 1
    assert low.due == date(2026, 11, 24), "a weak answer comes back tomorrow"

    user.press("▶️ Nächster Einwand", message=bad)
    second = await user.next_message()
    assert "Kunde:" in second.text
    flow = await harness.storage.flows.get(8001)
    assert flow is not None
    user.send_text(
        "Das verstehe ich gut, das ist ein wichtiger Punkt. Darf ich fragen, was Ihnen bei "
        "der Entscheidung am wichtigsten ist? Wollen wir nächste Woche einen kurzen Termin "
        "machen, damit Sie alles in Ruhe sehen?"
    )
    good = await user.next_message()
    good_score = int(good.text.split("Deine Antwort: ")[1].split(" ")[0])
    bad_score = int(bad.text.split("Deine Antwort: ")[1].split(" ")[0])
    assert good_score > bad_score
    assert good_score >= 70
    user.press("✖️ Beenden", message=good)
    assert "Gut trainiert" in (await user.next_message()).text
    assert await harness.storage.flows.get(8001) is None


async def test_drill_this_now_from_an_objection_card(harness: Harness) -> None:
    user = await onboarded(harness, 8002, "en")
    user.send_text("we already have a supplier")
    card = await user.next_message()
    user.press("🎯 Practise this now", message=card)
    throw = await user.next_message()
    assert "Customer:" in throw.text
    flow = await harness.storage.flows.get(8002)
    assert flow is not None
    assert flow.data["entry"] == "have_supplier"
    user.press("⏭ Another objection", message=throw)
    assert "Customer:" in (await user.next_message()).text


async def test_empty_or_odd_answers_are_scored_kindly(harness: Harness) -> None:
    user = await onboarded(harness, 8003)
    user.send_command("practice")
    await user.next_message()
    user.send_text("😀😀😀")
    reply = await user.next_message()
    assert "Deine Antwort: 0 von 100 Punkten" in reply.text
    assert "So könnte es klingen:" in reply.text
