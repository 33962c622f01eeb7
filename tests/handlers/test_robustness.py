"""What users get wrong and what Telegram throws at us: unknown input, huge input, odd Unicode,
429, 403, 5xx and a failing handler. Every case ends in a friendly reply and loses nothing."""

from __future__ import annotations

import unicodedata

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import Context
from tests.handlers.conftest import Harness, onboarded


async def test_unknown_command(harness: Harness) -> None:
    user = await onboarded(harness, 3001)
    user.send_text("/frobnicate now")
    reply = await user.next_message()
    assert "/frobnicate" in reply.text
    assert "kenne ich nicht" in reply.text


async def test_text_the_bot_does_not_understand(harness: Harness) -> None:
    user = await onboarded(harness, 3002, "en")
    user.send_text("what's the weather like?")
    reply = await user.next_message()
    assert "what's the weather like?" in reply.text
    assert "/help" in reply.text


async def test_a_stranger_is_asked_to_start(harness: Harness) -> None:
    user = harness.user(3003, "en")
    user.send_text("hello")
    assert "/start" in (await user.next_message()).text
    user.send_command("settings")
    assert "/start" in (await user.next_message()).text
    user.send_command("cancel")
    assert "/start" in (await user.next_message()).text
    assert await harness.storage.users.get(3003) is None, "nothing stored about a stranger"


async def test_help_in_both_languages(harness: Harness) -> None:
    de = await onboarded(harness, 3004, "de")
    de.tap_reply("❓ Hilfe")
    assert "/settings" in (await de.next_message()).text
    en = harness.user(3005, "en")
    en.send_command("help")
    assert "Your sales coach" in (await en.next_message()).text


async def test_message_of_4096_characters(harness: Harness) -> None:
    user = await onboarded(harness, 3006)
    user.send_text("x" * 4096)
    reply = await user.next_message()
    assert len(reply.text) < 500
    assert "x" * 30 in reply.text
    assert "…" in reply.text
    user.send_command("settings")
    await user.next_message()
    user.press("s:tz")
    await user.next_message()
    user.send_text("Zürich " * 585)
    reply = await user.next_message()
    assert "finde ich leider nicht" in reply.text
    profile = await harness.storage.users.get(3006)
    assert profile is not None
    assert profile.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    "text",
    [
        "😀😀😀",
        "\u202eevil\u202c",
        "\u200b\u200d\ufeff",
        "Z̸̢̛a̵l̷g̶o̸",
        "<b>bold</b> & <i>",
        "{placeholder} {0} %s",
        "\x00\x01",
    ],
)
async def test_odd_unicode_gets_a_friendly_reply(harness: Harness, text: str) -> None:
    user = await onboarded(harness, 3007)
    user.send_text(text)
    reply = await user.next_message()
    assert "nichts anfangen" in reply.text


async def test_decomposed_umlauts_resolve(harness: Harness) -> None:
    user = await onboarded(harness, 3008)
    user.send_command("settings")
    await user.next_message()
    user.press("s:tz")
    await user.next_message()
    user.send_text(unicodedata.normalize("NFD", "Zürich"))
    assert "Europe/Zurich" in (await user.next_message()).text


async def test_429_is_waited_out_and_retried(harness: Harness) -> None:
    user = await onboarded(harness, 3009)
    fault = harness.sandbox.faults.add("sendMessage", status=429, retry_after=1, chat_id=3009)
    user.send_command("help")
    reply = await user.next_message(timeout=10)
    assert "/settings" in reply.text
    calls = [c for c in harness.sandbox.calls_for("sendMessage") if c.params.get("chat_id") == 3009]
    assert calls[-2].status == 429
    assert calls[-1].ok
    assert fault.exhausted


async def test_403_marks_the_user_inactive_until_they_return(harness: Harness) -> None:
    user = await onboarded(harness, 3010)
    harness.sandbox.faults.add("sendMessage", status=403, chat_id=3010)
    harness.expected_errors = 1
    user.send_command("help")
    await user.wait_for(lambda: harness.errors)
    stored = await harness.storage.users.get(3010)
    assert stored is not None
    assert not stored.active
    assert stored.onboarded, "nothing else changed"
    user.send_command("start")
    assert "wieder da" in (await user.next_message()).text
    again = await harness.storage.users.get(3010)
    assert again is not None
    assert again.active


async def test_server_error_does_not_stop_the_bot(harness: Harness) -> None:
    user = await onboarded(harness, 3011)
    harness.sandbox.faults.add("sendMessage", status=502, chat_id=3011)
    harness.expected_errors = 1
    user.send_command("help")
    await user.wait_for(lambda: harness.errors)
    user.send_command("help")
    # First, once, that the answer to the last message did not arrive (test_delivery.py).
    assert "meine Antwort kam nicht" in (await user.next_message()).text
    assert "/settings" in (await user.next_message()).text


async def test_timeout_does_not_stop_the_bot_and_loses_nothing(harness: Harness) -> None:
    user = await onboarded(harness, 3014)
    await harness.stop()
    harness.settings = harness.settings.model_copy(update={"telegram_timeout": 0.5})
    await harness.start()
    before = await harness.storage.users.get(3014)
    harness.sandbox.faults.add("sendMessage", delay=2.0, chat_id=3014)
    harness.expected_errors = 1
    user.send_command("help")
    errors = await user.wait_for(lambda: harness.errors, timeout=10)
    assert type(errors[0]).__name__ == "TimedOut"
    seen = len(harness.sandbox.calls_for("sendMessage"))
    user.send_command("help")

    def answered_without_delay() -> bool:
        calls = harness.sandbox.calls_for("sendMessage")[seen:]
        return any(c.params.get("chat_id") == 3014 and c.ok and c.fault is None for c in calls)

    assert await user.wait_for(answered_without_delay, timeout=10)
    assert await harness.storage.users.get(3014) == before


async def test_handler_exception_gets_an_apology_and_keeps_data(harness: Harness) -> None:
    async def boom(_update: Update, _context: Context) -> None:
        raise RuntimeError("bug")

    assert harness.app is not None
    harness.app.add_handler(CommandHandler("boom", boom), group=-1)
    user = await onboarded(harness, 3012)
    before = await harness.storage.users.get(3012)
    harness.expected_errors = 1
    user.send_command("boom")
    reply = await user.next_message()
    assert "schiefgelaufen" in reply.text
    assert "bug" not in reply.text
    errors = await user.wait_for(lambda: harness.errors)
    assert isinstance(errors[0], RuntimeError)
    assert await harness.storage.users.get(3012) == before


async def test_non_text_messages(harness: Harness) -> None:
    user = await onboarded(harness, 3013)
    user.send_photo(b"\x89PNG fake")
    assert "Damit kann ich noch nichts anfangen" in (await user.next_message()).text
    user.share_location(52.5, 13.4)
    assert "Standort brauche ich gerade nicht" in (await user.next_message()).text


async def test_bot_publishes_commands_in_both_languages(harness: Harness) -> None:
    calls = harness.sandbox.calls_for("setMyCommands")
    by_lang = {c.params.get("language_code"): c.params["commands"] for c in calls}
    assert set(by_lang) >= {"de", "en", None}
    commands = [c["command"] for c in by_lang["de"]]
    # German reps see the German names (the English ones work too).
    assert commands[:8] == [
        "heute",
        "einwand",
        "ueben",
        "rollenspiel",
        "eintragen",
        "ziele",
        "woche",
        "selbstcheck",
    ]
    assert {"einstellungen", "hilfe", "abbrechen", "start"} <= set(commands)
    descriptions = {c["command"]: c["description"] for c in by_lang["de"]}
    assert descriptions["einstellungen"].startswith("Sprache")
    assert {c["command"]: c["description"] for c in by_lang["en"]}["settings"].startswith("Change")
