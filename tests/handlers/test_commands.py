"""Commands in the rep's language: German names for every command, in the menu and in /help,
and "hilfe" typed is understood as /help."""

from __future__ import annotations

import re

import pytest
from telegram.ext import CommandHandler

from bot.app import COMMANDS
from bot.content import Content
from bot.handlers.register import GERMAN
from tests.handlers.conftest import Harness, onboarded

_COMMAND = re.compile(r"(?<![\w/<])/([a-z0-9_]+)")


def _registered(harness: Harness) -> set[str]:
    assert harness.app is not None
    found: set[str] = set()
    for handlers in harness.app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                found |= set(handler.commands)
    return found


def _menus(harness: Harness) -> dict[str | None, list[str]]:
    calls = harness.sandbox.calls_for("setMyCommands")
    return {
        c.params.get("language_code"): [x["command"] for x in c.params["commands"]] for c in calls
    }


def test_every_command_has_a_german_name_telegram_accepts() -> None:
    assert set(COMMANDS) <= set(GERMAN)
    for command, names in GERMAN.items():
        for name in (command, *names):
            assert re.fullmatch(r"[a-z0-9_]{1,32}", name), name
    german = [names[0] for names in GERMAN.values() if names]
    assert len(german) == len(set(german)), "two commands under one German name"


async def test_german_menu_shows_german_names_and_every_name_works(harness: Harness) -> None:
    menus = _menus(harness)
    registered = _registered(harness)
    assert menus["de"][:8] == [
        "heute", "einwand", "ueben", "rollenspiel", "eintragen", "ziele", "woche", "selbstcheck",
    ]  # fmt: skip
    assert {"einstellungen", "hilfe", "abbrechen", "kontakte", "nachfassen", "urlaub"} <= set(
        menus["de"]
    )
    assert menus["en"][:3] == ["today", "objection", "practice"]
    assert {"settings", "help", "cancel"} <= set(menus["en"])
    for names in menus.values():
        assert set(names) <= registered


@pytest.mark.parametrize("lang", ["de", "en"])
def test_help_lists_the_names_of_the_reps_language(content: Content, lang: str) -> None:
    listed = set(_COMMAND.findall(content.text(lang, "help.text")))
    if lang == "de":
        expected = {"heute", "einwand", "ziele", "woche", "einstellungen", "abbrechen", "kontakte"}
        assert expected <= listed
        # English names only in the line saying they work too.
        assert not {"goals", "week", "cancel", "audit"} & listed
    else:
        assert {"today", "objection", "goals", "week", "settings", "cancel"} <= listed
        assert not {"heute", "ziele", "einstellungen"} & listed


async def test_every_command_in_help_is_registered(harness: Harness, content: Content) -> None:
    registered = _registered(harness)
    for lang in content.languages:
        listed = set(_COMMAND.findall(content.text(lang, "help.text")))
        assert listed <= registered, (lang, listed - registered)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("heute", "Heute"),
        ("ziele", "Wie sollen wir"),
        ("woche", "Arbeitstagen"),
        ("einstellungen", "Deine Einstellungen"),
        ("hilfe", "Dein Vertriebscoach"),
        ("abbrechen", "nichts"),
        ("kontakte", "Kontakt"),
        ("selbstcheck", "Selbstcheck"),
    ],
)
async def test_german_commands_do_what_the_english_ones_do(
    harness: Harness, command: str, expected: str
) -> None:
    user = await onboarded(harness, 2301)
    user.send_command(command)
    reply = await user.next_message()
    assert expected in reply.text


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("de", "hilfe"), ("de", "Hilfe!"), ("de", "?"), ("en", "help"), ("en", "Help?")],
)
async def test_help_typed_is_understood(harness: Harness, lang: str, typed: str) -> None:
    user = await onboarded(harness, 2302, lang)
    user.send_text(typed)
    reply = await user.next_message()
    assert ("Dein Vertriebscoach" if lang == "de" else "Your sales coach") in reply.text


@pytest.mark.parametrize(("lang", "command"), [("de", "einwand"), ("en", "objection")])
async def test_inline_tip_names_the_bots_real_username(
    harness: Harness, lang: str, command: str
) -> None:
    user = await onboarded(harness, 2303, lang)
    user.send_command(command)
    usage = await user.next_message()
    assert harness.app is not None
    assert f"@{harness.app.bot.username} " in usage.text
    assert "Botname" not in usage.text
    assert "botname" not in usage.text


async def test_german_log_command_takes_its_numbers(harness: Harness) -> None:
    user = await onboarded(harness, 2304)
    user.send_text("/eintragen 12 3 1")
    reply = await user.next_message()
    assert "✓ Notiert: 12 Anrufe, 3 Gespräche, 1 Termin" in reply.text


async def test_a_german_command_in_the_middle_of_a_question_ends_it(harness: Harness) -> None:
    user = await onboarded(harness, 2305)
    user.send_command("einstellungen")
    await user.next_message()
    user.press("s:currency")
    await user.next_message()
    user.send_command("heute")
    assert "Heute" in (await user.next_message()).text
    user.send_text("Pfund")
    await user.next_message()
    profile = await harness.storage.users.get(2305)
    assert profile is not None
    assert profile.currency == "EUR", "the question was closed by /heute"
    assert await harness.storage.flows.get(2305) is None
