"""/settings end to end: every value can be changed, by tap or by typing, and bad input is kind."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.coach.calendar import _CITY_NAMES, COUNTRIES, REGIONS
from bot.coach.money import CURRENCIES
from bot.content import Content
from bot.handlers.fields import region_name, timezone_label
from bot.sandbox import SandboxMessage, SandboxUser
from tests.handlers.conftest import MENU_DE, MENU_EN, Harness, at_working_days, onboarded


async def open_settings(user: SandboxUser) -> None:
    user.tap_reply("⚙️ Einstellungen")
    overview = await user.next_message()
    assert "Deine Einstellungen" in overview.text
    assert "✖️ Schließen" in overview.button_labels


async def test_overview_shows_every_value(harness: Harness) -> None:
    user = await onboarded(harness, 2001)
    user.send_command("settings")
    overview = await user.next_message()
    for expected in (
        "Deutsch",
        "Europe/Berlin (UTC+01:00)",
        "Mo–Fr",
        "08:00",
        "09:00–10:00",
        "60 Min.",
        "17:30",
        "Check-ins: Morgen-Impuls, Blockbeginn, Blockende, Abend-Check-in, Wochenrückblick",
        "Mittags-Impuls: 12:30 Uhr",
        "Wochenrückblick: Fr 16:00 Uhr",
        "Ruhezeit: 21:00–07:00",
    ):
        assert expected in overview.text
    # The fields (the currency among them), the name a team lead sees, and close.
    assert len(overview.button_labels) == 15
    assert "Währung: Euro (€)" in overview.text
    # "Berlin" typed at setup: Berlin's holidays (Frauentag on 8 March), not only Germany's.
    assert "Feiertage: Berlin\n" in overview.text
    user.press("s:x")
    await user.wait_for(lambda: overview.button_labels == [])


async def test_change_every_setting(harness: Harness) -> None:
    user = await onboarded(harness, 2002)

    await open_settings(user)
    user.press("s:tz")
    await user.next_message()
    user.send_text("Zürich")
    confirm = await user.next_message()
    assert "Europe/Zurich" in confirm.text
    assert user.reply_keyboard_labels == MENU_DE, "menu is back"
    assert "Europe/Zurich" in (await user.next_message()).text  # the overview again

    user.press("s:days")
    days = await user.next_message()
    user.press("d:5")
    await user.wait_for(lambda: days.button_labels[5] == "✅ Sa")
    user.press("d:ok")
    assert "Mo–Sa" in (await user.next_message()).text

    user.press("s:morning")
    await user.next_message()
    user.send_text("viertel vor acht")
    assert "07:45" in (await user.next_message()).text

    user.press("s:block")
    await user.next_message()
    user.press("14:00")
    assert "14:00–15:00" in (await user.next_message()).text

    user.press("s:blen")
    await user.next_message()
    user.send_text("2 Stunden")
    assert "14:00–16:00" in (await user.next_message()).text

    user.press("s:evening")
    await user.next_message()
    user.send_text("19:15")
    assert "19:15" in (await user.next_message()).text

    user.press("s:region")
    regions = await user.next_message()
    assert "Zürich" in regions.button_labels, "the cantons of the timezone's country"
    user.send_text("Nordrhein-Westfalen")
    assert "Feiertage: Nordrhein-Westfalen" in (await user.next_message()).text

    user.press("s:checkins")
    toggles = await user.next_message()
    user.press("a:checkins:midday")
    await user.wait_for(lambda: "✅ Mittags-Impuls" in toggles.button_labels)
    user.press("a:checkins:block_end")
    await user.wait_for(lambda: "⬜️ Blockende" in toggles.button_labels)
    user.press("a:checkins:ok")
    assert "Check-ins: Morgen-Impuls, Blockbeginn, Mittags-Impuls" in (
        (await user.next_message()).text
    )

    user.press("s:midday")
    await user.next_message()
    user.send_text("13:15")
    assert "Mittags-Impuls: 13:15 Uhr" in (await user.next_message()).text

    user.press("s:weekly")
    await user.next_message()
    user.send_text("Donnerstag 15:00")
    assert "Wochenrückblick: Do 15:00 Uhr" in (await user.next_message()).text

    user.press("s:quiet")
    await user.next_message()
    user.send_text("22 bis 6")
    assert "Ruhezeit: 22:00–06:00" in (await user.next_message()).text

    user.press("s:lang")
    await user.next_message()
    user.press("🇬🇧 English")
    switched = await user.next_message()
    assert "Language: English" in switched.text
    assert user.reply_keyboard_labels == MENU_EN
    overview = await user.next_message()
    assert "Your settings" in overview.text
    assert "Mon–Sat" in overview.text
    for expected in (
        "Check-ins: Morning kick-off, Block start, Midday nudge, Evening check-in, Weekly review",
        "Midday nudge: 13:15",
        "Weekly review: Thu 15:00",
        "Quiet hours: 22:00–06:00",
    ):
        assert expected in overview.text

    profile = await harness.storage.users.get(2002)
    assert profile is not None
    assert (profile.language, profile.timezone) == ("en", "Europe/Zurich")
    assert profile.region == "DE-NW"
    s = profile.schedule
    assert s.working_days == frozenset(range(6))
    assert (s.morning_ping, s.block_start, s.block_minutes, s.evening_checkin) == (
        time(7, 45),
        time(14, 0),
        120,
        time(19, 15),
    )
    assert s.checkins == frozenset({"morning", "block_start", "midday", "evening", "weekly"})
    assert (s.midday_nudge, s.weekly_day, s.weekly_time) == (time(13, 15), 3, time(15, 0))
    assert (s.quiet_start, s.quiet_end) == (time(22, 0), time(6, 0))
    assert await harness.storage.flows.get(2002) is None


@pytest.mark.parametrize(
    ("field", "bad", "error"),
    [
        ("s:morning", "25:99", "nicht als Uhrzeit"),
        ("s:evening", "🙂", "nicht als Uhrzeit"),
        ("s:tz", "Atlantis-City", "finde ich leider nicht"),
        ("s:tz", "UTC+19", "finde ich leider nicht"),
        ("s:days", "Funday", "nicht als Wochentage"),
        ("s:blen", "0", "nicht als Dauer"),
        ("s:blen", "-30", "nicht als Dauer"),
        ("s:lang", "Klingonisch", "Deutsch und Englisch"),
        ("s:region", "Atlantis", "nicht als Region"),
        ("s:weekly", "Blumenkohl", "nicht als Tag und Uhrzeit"),
        ("s:quiet", "25-99", "nicht als Ruhezeit"),
        ("s:midday", "🙂", "nicht als Uhrzeit"),
        ("s:checkins", "Blumenkohl", "Tippe auf die Knöpfe"),
    ],
)
async def test_bad_answers_are_explained_and_change_nothing(
    harness: Harness, field: str, bad: str, error: str
) -> None:
    user = await onboarded(harness, 2003)
    before = await harness.storage.users.get(2003)
    await open_settings(user)
    user.press(field)
    await user.next_message()
    user.send_text(bad)
    reply = await user.next_message()
    assert error in reply.text
    assert await harness.storage.users.get(2003) == before
    flow = await harness.storage.flows.get(2003)
    assert flow is not None
    assert flow.step == field[2:], "still waiting for an answer"


async def test_block_past_midnight_is_refused(harness: Harness) -> None:
    user = await onboarded(harness, 2004)
    await open_settings(user)
    user.press("s:block")
    await user.next_message()
    user.send_text("23:30")
    reply = await user.next_message()
    assert "über Mitternacht" in reply.text
    profile = await harness.storage.users.get(2004)
    assert profile is not None
    assert profile.schedule.block_start == time(9, 0)


async def test_cancel_leaves_a_settings_question(harness: Harness) -> None:
    user = await onboarded(harness, 2005)
    await open_settings(user)
    user.press("s:morning")
    await user.next_message()
    user.send_command("cancel")
    assert "Abgebrochen" in (await user.next_message()).text
    assert await harness.storage.flows.get(2005) is None
    user.send_command("cancel")
    assert "nichts" in (await user.next_message()).text
    user.send_text("07:00")  # no longer an answer: not understood, nothing changed
    assert "nichts anfangen" in (await user.next_message()).text
    profile = await harness.storage.users.get(2005)
    assert profile is not None
    assert profile.schedule.morning_ping == time(8, 0)


async def test_outdated_button_gets_a_toast(harness: Harness) -> None:
    user, days = await at_working_days(harness, 2006, "Berlin")
    user.send_text("Mo-Fr")  # answered by typing: the toggles stay on the old message
    await user.next_message()
    press = user.press("d:6", message=days)
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert answer.text == "Dieser Knopf ist nicht mehr aktuell."
    profile = await harness.storage.users.get(2006)
    assert profile is not None
    assert profile.schedule.working_days == frozenset(range(5))


@pytest.mark.parametrize(
    "data",
    [
        "a:blen:7",
        "a:blen:x",
        "a:morning:2599",
        "a:lang:fr",
        "zz:9",
        "a:weekly:9",
        "a:quiet:2599-0700",
        "a:checkins:lunch",
    ],
)
async def test_forged_button_data_changes_nothing(harness: Harness, data: str) -> None:
    user = await onboarded(harness, 2007)
    before = await harness.storage.users.get(2007)
    await open_settings(user)
    field = data.split(":")[1] if data.startswith("a:") else "blen"
    user.press(f"s:{field}")
    question = await user.next_message()
    forged = SandboxMessage(
        data={
            **question.data,
            "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
        },
        outgoing=True,
    )
    press = user.press(data, message=forged)
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert answer.text
    assert await harness.storage.users.get(2007) == before


async def test_currency_by_tap_and_by_typing_and_a_wrong_one(harness: Harness) -> None:
    user = await onboarded(harness, 2051)
    user.send_command("settings")
    await user.next_message()
    user.press("s:currency")
    question = await user.next_message()
    assert "Euro (€)" in question.button_labels
    assert "Schweizer Franken (CHF)" in question.button_labels
    user.send_text("Kronkorken")
    refused = await user.next_message()
    assert "kenne ich nicht als Währung" in refused.text
    profile = await harness.storage.users.get(2051)
    assert profile is not None
    assert profile.currency == "EUR", "nothing stored was lost"
    user.send_text("Pfund")
    overview = await user.next_message()
    assert overview.text.startswith("✓ Währung: Britisches Pfund (£)")
    assert "💶 Währung: Britisches Pfund (£)" in overview.text
    user.press("s:currency")
    await user.next_message()
    user.press("a:currency:CHF")
    await user.next_message()
    profile = await harness.storage.users.get(2051)
    assert profile is not None
    assert profile.currency == "CHF"
    # A chosen currency other than the country's stays when the rep moves.
    user.press("s:tz")
    await user.next_message()
    user.send_text("London")
    await user.next_message()
    profile = await harness.storage.users.get(2051)
    assert profile is not None
    assert (profile.region, profile.currency) == ("GB-ENG", "CHF")


async def test_region_by_city_and_beyond_dach_in_english(harness: Harness) -> None:
    user = await onboarded(harness, 2052, "en")
    user.send_command("settings")
    await user.next_message()
    user.press("s:region")
    question = await user.next_message()
    assert "Bavaria" in question.button_labels
    assert "United Kingdom (nationwide)" in question.button_labels
    assert not any(label in {"DE", "GB", "AT"} for label in question.button_labels)
    user.send_text("Vienna")
    assert "Holidays: Vienna" in (await user.next_message()).text
    user.press("s:region")
    await user.next_message()
    user.send_text("Barcelona")
    assert "Holidays: Catalonia (Spain)" in (await user.next_message()).text
    profile = await harness.storage.users.get(2052)
    assert profile is not None
    assert profile.region == "ES-CT"


@pytest.mark.parametrize(
    ("lang", "currency", "typed", "shown"),
    [
        ("en", "pounds", "240,000", ("How you get to £240,000", "at £10,000 per deal")),
        ("de", "Franken", "240.000", ("So kommst du auf 240.000 CHF", "bei 10.000 CHF je")),
    ],
)
async def test_goals_show_money_in_the_reps_currency(
    harness: Harness, lang: str, currency: str, typed: str, shown: tuple[str, ...]
) -> None:
    user = await onboarded(harness, 2054, lang)
    user.send_command("settings")
    await user.next_message()
    user.press("s:currency")
    await user.next_message()
    user.send_text(currency)
    await user.next_message()
    user.send_command("goals")
    await user.next_message()
    user.press("g:m:funnel")
    await user.next_message()
    user.press("g:p:year")
    await user.next_message()
    user.send_text(typed)
    await user.next_message()
    user.send_text(typed.replace("240", "10"))
    await user.next_message()
    user.press("g:v:default")
    await user.next_message()
    user.press("g:r:keep")
    math = await user.next_message()
    for text in shown:
        assert text in math.text
    assert "€" not in math.text


def test_every_offered_region_and_currency_has_a_name_in_both_languages(content: Content) -> None:
    for lang in content.languages:
        texts = content.texts[lang]
        for code in {*REGIONS, *_CITY_NAMES}:
            assert f"regions.{code}" in texts, (lang, code)
        for country in COUNTRIES:
            assert f"regions.countries.{country}" in texts, (lang, country)
        for currency in CURRENCIES:
            assert f"fields.currency.names.{currency}" in texts, (lang, currency)


@pytest.mark.parametrize(
    ("lang", "region", "expected"),
    [
        ("de", "DE-BY", "Bayern"),
        ("en", "DE-BY", "Bavaria"),
        ("de", "US-CA", "Kalifornien (USA)"),
        ("en", "IT-RM", "Rome (Italy)"),
        ("de", "US-OR", "Oregon (USA)"),  # no name of ours: the holidays package's
        ("en", "IT-PD", "Padova (Italy)"),
        ("de", "AE", "Vereinigte Arabische Emirate"),
        ("de", "BR", "Brasilien"),
        ("en", "XX", "another region"),
        ("de", None, "keine"),
        ("en", None, "none"),
    ],
)
def test_region_names_are_never_codes(
    content: Content, lang: str, region: str | None, expected: str
) -> None:
    assert region_name(content, lang, region) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("Etc/GMT-5", "UTC+05:00"),
        ("Etc/GMT+3", "UTC-03:00"),
        ("UTC", "UTC+00:00"),
        ("Europe/Berlin", "Europe/Berlin (UTC+01:00)"),
    ],
)
def test_timezone_label_reads_the_offset_the_right_way_round(key: str, expected: str) -> None:
    assert timezone_label(key, datetime(2026, 11, 23, 9, tzinfo=UTC)) == expected
