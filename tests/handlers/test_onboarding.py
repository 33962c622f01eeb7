"""Onboarding end to end: a new rep sets everything up by tapping and typing, in both languages."""

from __future__ import annotations

from datetime import time

import pytest

from bot.coach.profile import Profile, Schedule
from bot.content import Content
from bot.handlers import fields
from bot.sandbox import SandboxUser
from tests.handlers.conftest import MENU_DE, MENU_EN, Harness, at_working_days, onboarded


async def test_onboarding_in_german_by_taps_and_typing(harness: Harness) -> None:
    user = harness.user(1001, "de")
    user.send_command("start")
    first = await user.next_message()
    assert "Vertriebscoach" in first.text
    assert "Sprache" in first.text
    assert first.button_labels == ["🇩🇪 Deutsch", "🇬🇧 English"]

    press = user.press("🇩🇪 Deutsch")
    tz_question = await user.next_message()
    assert "Wo arbeitest du" in tz_question.text
    assert "📍 Standort teilen" in user.reply_keyboard_labels
    assert "✓ Sprache: Deutsch" in first.text, "the answered question shows the answer"
    assert first.button_labels == [], "old buttons are gone"
    assert user.callback_answer(press["callback_query"]["id"]) is not None

    user.send_text("Muenchen")
    confirmation = await user.next_message()
    assert "Europe/Berlin" in confirmation.text
    assert "10:30" in confirmation.text  # 09:30 UTC is 10:30 in Berlin in November
    assert user.reply_keyboard is None, "the location keyboard is removed"
    days = await user.next_message()
    assert "An welchen Tagen" in days.text
    assert days.button_labels[:7] == ["✅ Mo", "✅ Di", "✅ Mi", "✅ Do", "✅ Fr", "▫️ Sa", "▫️ So"]

    user.press("d:4")
    await user.wait_for(lambda: days.button_labels[4] == "▫️ Fr")
    user.press("d:5")
    await user.wait_for(lambda: days.button_labels[5] == "✅ Sa")
    user.press("Fertig")
    morning = await user.next_message()
    assert "morgens" in morning.text
    assert "✓ Arbeitstage: Mo–Do, Sa" in days.text

    user.send_text("halb acht")
    block = await user.next_message()
    assert block.text.startswith("✓ Morgen-Impuls um 07:30 Uhr")
    assert "Telefonblock" in block.text

    user.press("10:00")
    length = await user.next_message()
    assert "Wie lange" in length.text
    user.press("90 Min.")
    evening = await user.next_message()
    assert "abends" in evening.text
    assert "bis 11:30 Uhr" in length.text

    user.send_text("18 Uhr")
    done = await user.next_message()
    assert "Fertig eingerichtet" in done.text
    assert "Mo–Do, Sa" in done.text
    assert "10:00–11:30 Uhr (90 Min.)" in done.text
    assert user.reply_keyboard_labels == MENU_DE

    profile = await harness.storage.users.get(1001)
    assert profile is not None
    assert profile.onboarded
    assert profile.language == "de"
    assert profile.timezone == "Europe/Berlin"
    assert profile.schedule == Schedule(
        frozenset({0, 1, 2, 3, 5}), time(7, 30), time(10, 0), 90, time(18, 0)
    )
    assert await harness.storage.flows.get(1001) is None


async def test_onboarding_in_english_with_location(harness: Harness) -> None:
    user = harness.user(1002, "en-GB")
    user.send_command("start")
    first = await user.next_message()
    assert "sales coach" in first.text
    user.press("a:lang:en")
    await user.next_message()
    assert "📍 Share location" in user.reply_keyboard_labels
    user.share_location(40.7128, -74.0060)  # New York
    confirmation = await user.next_message()
    assert "America/New_York" in confirmation.text
    await user.next_message()
    user.send_text("Mon-Fri")
    morning = await user.next_message()
    assert morning.text.startswith("✓ Working days: Mon–Fri")
    user.send_text("7:45am")
    await user.next_message()
    user.send_text("9")
    await user.next_message()
    user.send_text("1.5 h")
    evening = await user.next_message()
    assert "until 10:30" in evening.text
    user.send_text("half past five")
    done = await user.next_message()
    assert "All set" in done.text
    assert user.reply_keyboard_labels == MENU_EN

    profile = await harness.storage.users.get(1002)
    assert profile is not None
    assert (profile.language, profile.timezone) == ("en", "America/New_York")
    assert profile.schedule == Schedule(
        frozenset(range(5)), time(7, 45), time(9, 0), 90, time(17, 30)
    )


async def test_switching_language_during_onboarding(harness: Harness) -> None:
    user = harness.user(1003, "de")
    user.send_command("start")
    await user.next_message()
    user.press("🇬🇧 English")
    question = await user.next_message()
    assert "Where do you work?" in question.text
    profile = await harness.storage.users.get(1003)
    assert profile is not None
    assert profile.language == "en"


async def test_unknown_telegram_language_gets_the_default(harness: Harness) -> None:
    user = harness.user(1004, "fr")
    user.send_command("start")
    first = await user.next_message()
    assert "Vertriebscoach" in first.text
    nobody = harness.user(1005, None)
    nobody.send_command("start")
    assert "Vertriebscoach" in (await nobody.next_message()).text


async def test_restart_in_the_middle_of_onboarding_continues(harness: Harness) -> None:
    user, days = await at_working_days(harness, 1006, "Wien")
    user.press("d:0")
    await user.wait_for(lambda: days.button_labels[0] == "▫️ Mo")

    await harness.restart()

    user.press("Fertig")  # the toggled selection survived the restart
    morning = await user.next_message()
    assert "✓ Arbeitstage: Di–Fr" in days.text
    assert "morgens" in morning.text
    user.send_text("8")
    assert "Telefonblock" in (await user.next_message()).text

    await harness.restart()
    user.send_command("start")
    resumed = await user.next_message()
    assert "mitten in der Einrichtung" in resumed.text
    assert "Telefonblock" in resumed.text
    user.send_text("9:15")
    assert "Wie lange" in (await user.next_message()).text
    profile = await harness.storage.users.get(1006)
    assert profile is not None
    assert profile.timezone == "Europe/Vienna"
    assert profile.schedule.block_start == time(9, 15)
    assert profile.schedule.working_days == frozenset({1, 2, 3, 4})


async def test_start_again_after_onboarding_says_welcome_back(harness: Harness) -> None:
    user = await onboarded(harness, 1007)
    user.send_command("start")
    again = await user.next_message()
    assert "wieder da" in again.text
    assert user.reply_keyboard_labels == MENU_DE


async def test_cancel_during_onboarding_keeps_defaults(harness: Harness) -> None:
    user = harness.user(1008, "de")
    user.send_command("start")
    await user.next_message()
    user.press("🇩🇪 Deutsch")
    await user.next_message()
    user.send_command("cancel")
    done = await user.next_message()
    assert "Einrichtung abgebrochen" in done.text
    assert "08:00" in done.text
    assert user.reply_keyboard_labels == MENU_DE
    profile = await harness.storage.users.get(1008)
    assert profile is not None
    assert profile.onboarded
    assert await harness.storage.flows.get(1008) is None


async def test_days_done_by_typing_and_none_selected(harness: Harness) -> None:
    user, days = await at_working_days(harness, 1009, "Graz")
    for day in range(5):
        user.press(f"d:{day}")
    await user.wait_for(lambda: all(label.startswith("▫️") for label in days.button_labels[:7]))
    press = user.press("Fertig")
    alert = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert alert.show_alert
    assert alert.text == "Wähle mindestens einen Tag aus."
    user.send_text("passt")
    assert "mindestens einen Tag" in (await user.next_message()).text
    user.press("d:2", message=days)
    await user.wait_for(lambda: days.button_labels[2] == "✅ Mi")
    user.send_text("Passt ")
    assert (await user.next_message()).text.startswith("✓ Arbeitstage: Mi")
    profile = await harness.storage.users.get(1009)
    assert profile is not None
    assert profile.schedule.working_days == frozenset({2})


async def _at_morning(harness: Harness, user_id: int, lang: str) -> SandboxUser:
    """A rep in onboarding whose next question is the morning time."""
    user = harness.user(user_id, lang)
    user.send_command("start")
    await user.next_message()
    user.press(f"a:lang:{lang}")
    await user.next_message()
    user.send_text("Berlin")
    await user.next_message()
    await user.next_message()
    user.press("d:ok")
    await user.next_message()
    return user


@pytest.mark.parametrize(
    ("lang", "typed", "warning", "hint"),
    [
        ("de", "6:30", "⚠️ In deiner Ruhezeit (21:00–07:00) liegt: Morgen-Impuls", "/einstellungen"),
        ("en", "6:30am", "⚠️ Inside your quiet hours (21:00–07:00): Morning kick-off", "/settings"),
    ],
)
async def test_onboarding_warns_of_a_check_in_in_the_quiet_hours(
    harness: Harness, lang: str, typed: str, warning: str, hint: str
) -> None:
    user = await _at_morning(harness, 1010, lang)
    user.send_text(typed)
    reply = await user.next_message()
    assert warning in reply.text
    assert hint in reply.text
    # The rep keeps the time if they want: it is stored, and setup goes on with the block.
    profile = await harness.storage.users.get(1010)
    assert profile is not None
    assert profile.schedule.morning_ping == time(6, 30)
    flow = await harness.storage.flows.get(1010)
    assert flow is not None
    assert flow.step == "block"


async def test_onboarding_says_nothing_when_the_time_is_fine(harness: Harness) -> None:
    user = await _at_morning(harness, 1011, "de")
    user.send_text("7:30")
    reply = await user.next_message()
    assert "✓ Morgen-Impuls um 07:30 Uhr" in reply.text
    assert "Ruhezeit" not in reply.text


@pytest.mark.parametrize(
    ("lang", "typed", "answer"),
    [
        ("de", "5 min", "„5 min“ ist eine Dauer"),
        ("de", "5 Minuten", "„5 Minuten“ ist eine Dauer"),
        ("de", "in 5 min", "„in 5 min“ ist eine Dauer"),
        ("en", "5 min", '"5 min" is a length of time'),
        ("en", "in 5 minutes", '"in 5 minutes" is a length of time'),
    ],
)
async def test_a_duration_at_the_block_start_asks_for_a_clock_time(
    harness: Harness, lang: str, typed: str, answer: str
) -> None:
    user = await _at_morning(harness, 1012, lang)
    user.press("a:morning:0800")
    await user.next_message()
    user.send_text(typed)
    reply = await user.next_message()
    assert answer in reply.text
    assert "9:30" in reply.text, "with an example of what is wanted"
    profile = await harness.storage.users.get(1012)
    assert profile is not None
    assert profile.schedule.block_start == time(9, 0), "nothing stored"
    flow = await harness.storage.flows.get(1012)
    assert flow is not None
    assert flow.step == "block", "the question is still open"
    user.send_text("9:30")
    assert "✓" in (await user.next_message()).text, "a clock time is taken at once"


@pytest.mark.parametrize("typed", ["90", "1,5 h", "90 min"])
async def test_block_lengths_as_reps_type_them(harness: Harness, typed: str) -> None:
    user = await _at_morning(harness, 1013, "de")
    user.press("a:morning:0800")
    await user.next_message()
    user.press("a:block:0900")
    await user.next_message()
    user.send_text(typed)
    assert "bis 10:30 Uhr" in (await user.next_message()).text
    profile = await harness.storage.users.get(1013)
    assert profile is not None
    assert profile.schedule.block_minutes == 90


@pytest.mark.parametrize(
    ("lang", "city", "region", "currency", "shown"),
    [
        ("de", "München", "DE-BY", "EUR", ("Feiertage: Bayern", "Währung: Euro (€)")),
        ("de", "Berlin", "DE-BE", "EUR", ("Feiertage: Berlin", "Euro (€)")),
        ("de", "Wien", "AT-9", "EUR", ("Feiertage: Wien", "Euro (€)")),
        ("de", "Zürich", "CH-ZH", "CHF", ("Feiertage: Zürich", "Schweizer Franken (CHF)")),
        ("en", "London", "GB-ENG", "GBP", ("Holidays: England", "British pound (£)")),
        ("en", "New York", "US-NY", "USD", ("Holidays: New York (United States)", "US dollar")),
    ],
)
async def test_the_city_decides_holidays_and_currency(
    harness: Harness,
    lang: str,
    city: str,
    region: str,
    currency: str,
    shown: tuple[str, ...],
) -> None:
    """The city typed at the timezone question also gives the holiday region and currency."""
    user = harness.user(1301, lang)
    user.send_command("start")
    await user.next_message()
    user.press(f"a:lang:{lang}")
    await user.next_message()
    user.send_text(city)
    confirmation = await user.next_message()
    for text in shown:
        assert text in confirmation.text
    profile = await harness.storage.users.get(1301)
    assert profile is not None
    assert (profile.region, profile.currency) == (region, currency)


async def test_an_offset_or_an_unknown_country_never_shows_a_code(harness: Harness) -> None:
    user = harness.user(1302, "de")
    user.send_command("start")
    await user.next_message()
    user.press("a:lang:de")
    await user.next_message()
    user.send_text("UTC+5")
    confirmation = await user.next_message()
    assert "Etc/GMT" not in confirmation.text
    assert "UTC+05:00" in confirmation.text
    await user.next_message()  # the days question
    user.send_command("cancel")
    await user.next_message()
    # A timezone in a country with no region of ours: the country's name in German.
    user.send_command("settings")
    await user.next_message()
    user.press("s:tz")
    await user.next_message()
    user.send_text("Dubai")
    confirmation = await user.next_message()
    assert "Vereinigte Arabische Emirate" in confirmation.text
    assert " AE" not in confirmation.text
    overview = await user.next_message()
    assert "Feiertage: Vereinigte Arabische Emirate" in overview.text
    assert "Dirham (AED)" in overview.text


@pytest.mark.parametrize(
    ("typed", "zone", "region"),
    [
        ("Tübingen", "Europe/Berlin", "DE-BW"),  # unknown to the timezone lookup
        ("Davos", "Europe/Zurich", "CH-GR"),  # the lookup alone guesses Antarctica/Davis
        ("Montreux", "Europe/Zurich", "CH-VD"),  # ... and America/Toronto for this one
        ("Calgary", "America/Edmonton", "CA-AB"),
        ("Glasgow", "Europe/London", "GB-SCT"),
        ("Berlin", "Europe/Berlin", "DE-BE"),
        ("UTC+2", "Etc/GMT-2", None),
    ],
)
def test_a_known_city_gives_its_timezone_and_region(
    content: Content, typed: str, zone: str, region: str | None
) -> None:
    outcome = fields.accept_text(content, "tz", Profile(1, 1, "de", "Europe/Berlin"), typed)
    assert outcome.profile is not None
    assert (outcome.profile.timezone, outcome.profile.region) == (zone, region)


@pytest.mark.parametrize("typed", ["USA", "Australia", "Amerika"])
def test_a_country_of_several_timezones_asks_for_a_city(content: Content, typed: str) -> None:
    outcome = fields.accept_text(content, "tz", Profile(1, 1, "de", "Europe/Berlin"), typed)
    assert outcome.error == "fields.tz.unknown"
