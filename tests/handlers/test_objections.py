"""Objection lookup end to end: by command, by plain text, by topic, and inline in any chat."""

from __future__ import annotations

from tests.handlers.conftest import Harness, onboarded


async def test_lookup_by_command_in_german(harness: Harness) -> None:
    user = await onboarded(harness, 7001)
    user.send_text("/einwand Der Kunde sagt, er muss da nochmal drüber nachdenken")
    card = await user.next_message()
    assert "Das kannst du sagen:" in card.text
    assert "Frag zurück:" in card.text
    assert any(label.startswith("↪️") for label in card.button_labels), "next candidates"
    assert "📚 Alle Einwände nach Thema" in card.button_labels


async def test_lookup_by_plain_text_in_english(harness: Harness) -> None:
    user = await onboarded(harness, 7002, "en")
    user.send_text("its too expensive for us")
    card = await user.next_message()
    assert "What you can say:" in card.text
    assert "Better not:" in card.text


async def test_candidate_button_opens_the_other_entry(harness: Harness) -> None:
    user = await onboarded(harness, 7003)
    user.send_command("objection", "kein Budget dieses Jahr")
    card = await user.next_message()
    other = next(label for label in card.button_labels if label.startswith("↪️"))
    user.press(other, message=card)
    second = await user.next_message()
    assert "Das kannst du sagen:" in second.text
    assert second.text != card.text


async def test_no_match_offers_the_topics_and_browsing_works(harness: Harness) -> None:
    user = await onboarded(harness, 7004)
    user.send_command("einwand", "Der Mond ist heute besonders hell")
    reply = await user.next_message()
    assert "keine passende Antwort" in reply.text
    assert "💶 Preis" in reply.button_labels
    user.press("💶 Preis", message=reply)
    topic = await user.next_message()
    assert "Preis" in topic.text
    assert topic.button_labels
    user.press(topic.button_labels[0], message=topic)
    assert "Das kannst du sagen:" in (await user.next_message()).text


async def test_menu_button_and_empty_command_explain_usage(harness: Harness) -> None:
    user = await onboarded(harness, 7005)
    user.tap_reply("🛡 Einwand")
    assert "Was hat der Kunde gesagt?" in (await user.next_message()).text
    user.send_command("objection")
    assert "Was hat der Kunde gesagt?" in (await user.next_message()).text


async def test_inline_query_lists_ready_replies(harness: Harness) -> None:
    user = await onboarded(harness, 7006)
    query_id = user.inline_query("zu teuer")
    answer = await user.wait_for(lambda: harness.sandbox.inline_answer(query_id))
    assert 1 <= len(answer.results) <= 8
    first = answer.results[0]
    assert first["type"] == "article"
    assert first["input_message_content"]["message_text"]
    assert answer.is_personal


async def test_inline_query_from_a_stranger_and_empty_query(harness: Harness) -> None:
    stranger = harness.user(7007, "en")
    query_id = stranger.inline_query("we already have a supplier")
    answer = await stranger.wait_for(lambda: harness.sandbox.inline_answer(query_id))
    assert answer.results
    empty = stranger.inline_query("")
    answer = await stranger.wait_for(lambda: harness.sandbox.inline_answer(empty))
    assert answer.results == []
    nonsense = stranger.inline_query("😀" * 300)
    answer = await stranger.wait_for(lambda: harness.sandbox.inline_answer(nonsense))
    assert answer.results == []
