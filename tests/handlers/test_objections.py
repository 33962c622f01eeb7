"""Objection lookup end to end: by command, by plain text, by topic, and inline in any chat."""

from __future__ import annotations

from bot.coach.objections import Entry
from bot.playbook import load_playbooks
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


def _entry(lang: str, entry_id: str) -> Entry:
    entry = load_playbooks()[lang].get(entry_id)
    assert entry is not None
    return entry


async def test_a_short_typo_finds_the_price_objection_in_chat_and_inline(harness: Harness) -> None:
    user = await onboarded(harness, 7008)
    for text in ("zu tuer", "zu teur", "zu teuer!!"):
        user.send_text(text)
        card = await user.next_message()
        assert "Das kannst du sagen:" in card.text, text
        assert "teuer" in card.text.split("\n")[0], text
    query_id = user.inline_query("zu teur")
    answer = await user.wait_for(lambda: harness.sandbox.inline_answer(query_id))
    assert answer.results
    builtin = _entry("de", "too_expensive")
    replies = {r["input_message_content"]["message_text"] for r in answer.results}
    assert set(builtin.replies) <= replies


async def test_the_customers_language_answers_with_a_word_why(harness: Harness) -> None:
    english = await onboarded(harness, 7009, "en")
    english.send_text("Wir haben schon einen Lieferanten")
    card = await english.next_message()
    assert card.text.startswith("🇩🇪 Your customer spoke German")
    assert "What you can say:" in card.text, "the rep's own labels"
    german = _entry("de", "have_supplier")
    assert german.replies[0] in card.text, "the German replies"
    other = next(label for label in card.button_labels if label.startswith("↪️"))
    english.press(other, message=card)
    second = await english.next_message()
    assert second.text.startswith("🇩🇪 Your customer spoke German"), "the runner-up in German"

    rep = await onboarded(harness, 7010)
    rep.send_command("einwand", "we already have a supplier")
    card = await rep.next_message()
    assert card.text.startswith("🇬🇧 Dein Kunde hat Englisch gesprochen")
    assert "Das kannst du sagen:" in card.text
    query_id = rep.inline_query("too expensive")
    answer = await rep.wait_for(lambda: harness.sandbox.inline_answer(query_id))
    builtin = _entry("en", "too_expensive")
    assert answer.results[0]["input_message_content"]["message_text"] == builtin.replies[0]
    # The rep's own language stays where the text is theirs.
    rep.send_text("kein Budget")
    assert not (await rep.next_message()).text.startswith("🇬🇧")


async def test_an_objection_in_the_other_language_is_diverted_from_a_waiting_mode(
    harness: Harness,
) -> None:
    # An English rep in the contact search types what a German customer said: the card in
    # German answers it, no contact search for "Das ist uns viel zu teuer".
    user = await onboarded(harness, 7201, "en")
    user.send_command("contacts", "Miller, Sunshine Bakery")
    await user.next_message()
    user.send_command("contacts")
    await user.next_message()
    user.send_text("Das ist uns viel zu teuer")
    card = await user.next_message()
    assert "Das ist uns zu teuer." in card.text
    assert await harness.storage.contacts.count(7201) == 1, "no contact was created"
    flow = await harness.storage.flows.get(7201)
    assert flow is not None, "the search still waits"
    # A German rep's search, and an English customer's words.
    german = await onboarded(harness, 7202)
    german.send_command("kontakte", "Müller, Bäckerei Sonnenschein")
    await german.next_message()
    german.send_command("kontakte")
    await german.next_message()
    german.send_text("we already have a supplier we are happy with")
    reply = await german.next_message()
    assert "Treffer" not in reply.text
    assert "keinen Kontakt" not in reply.text
