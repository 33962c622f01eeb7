"""/settings for the check-ins: which are on, the weekly review, quiet hours, the midday nudge."""

from __future__ import annotations

import functools
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coach.clock import format_clock
from bot.coach.profile import CHECKIN_KINDS, DEFAULT_CHECKINS
from bot.content import Content
from bot.handlers.fields import parse_quiet, parse_weekly
from bot.sandbox import SandboxMessage, SandboxUser
from tests.handlers.conftest import Harness, onboarded

SETTINGS_BUTTON = {"de": "⚙️ Einstellungen", "en": "⚙️ Settings"}
OFF_WORDS = frozenset({"aus", "keine", "off", "none"})


async def open_field(user: SandboxUser, field: str, lang: str = "de") -> SandboxMessage:
    """Open /settings from the menu and tap one field; returns its question."""
    user.tap_reply(SETTINGS_BUTTON[lang])
    await user.next_message()
    user.press(f"s:{field}")
    return await user.next_message()


async def checkins_of(harness: Harness, user_id: int) -> frozenset[str]:
    """The check-in kinds stored for a user."""
    profile = await harness.storage.users.get(user_id)
    assert profile is not None
    return profile.schedule.checkins


# --- Which check-ins are on ------------------------------------------------------------------


async def test_toggles_are_stored_at_every_tap(harness: Harness) -> None:
    user = await onboarded(harness, 2101)
    question = await open_field(user, "checkins")
    assert question.button_labels == [
        "✅ Morgen-Impuls",
        "✅ Blockbeginn",
        "✅ Blockende",
        "⬜️ Mittags-Impuls",
        "✅ Abend-Check-in",
        "✅ Wochenrückblick",
        "Fertig",
    ]

    user.press("a:checkins:midday")
    await user.wait_for(lambda: "✅ Mittags-Impuls" in question.button_labels)
    assert await checkins_of(harness, 2101) == DEFAULT_CHECKINS | {"midday"}

    user.press("a:checkins:morning", message=question)
    await user.wait_for(lambda: "⬜️ Morgen-Impuls" in question.button_labels)
    assert await checkins_of(harness, 2101) == DEFAULT_CHECKINS - {"morning"} | {"midday"}
    flow = await harness.storage.flows.get(2101)
    assert flow is not None
    assert flow.step == "checkins", "the question stays open while toggling"

    user.press("a:checkins:ok", message=question)
    overview = await user.next_message()
    assert "Check-ins: Blockbeginn, Blockende, Mittags-Impuls, Abend-Check-in, Wochenrückblick" in (
        overview.text
    )
    assert "✓ Check-ins:" in question.text
    assert question.button_labels == [], "the answered question loses its toggles"
    assert await harness.storage.flows.get(2101) is None


async def test_toggles_count_without_done(harness: Harness) -> None:
    user = await onboarded(harness, 2102)
    user.send_command("settings")
    overview = await user.next_message()
    user.press("s:checkins")
    question = await user.next_message()
    user.press("a:checkins:weekly")
    await user.wait_for(lambda: "⬜️ Wochenrückblick" in question.button_labels)

    user.press("s:morning", message=overview)  # on to another setting, without "done"
    await user.next_message()
    assert await checkins_of(harness, 2102) == DEFAULT_CHECKINS - {"weekly"}

    press = user.press("a:checkins:evening", message=question)
    answer = await user.wait_for(lambda: user.callback_answer(press["callback_query"]["id"]))
    assert answer.text == "Dieser Knopf ist nicht mehr aktuell."
    assert await checkins_of(harness, 2102) == DEFAULT_CHECKINS - {"weekly"}


async def test_typed_done_closes_the_toggles(harness: Harness) -> None:
    user = await onboarded(harness, 2103)
    question = await open_field(user, "checkins")
    user.press("a:checkins:block_end")
    await user.wait_for(lambda: "⬜️ Blockende" in question.button_labels)
    user.send_text("fertig")
    confirm = await user.next_message()
    assert "✓ Check-ins: Morgen-Impuls, Blockbeginn, Abend-Check-in, Wochenrückblick" in (
        confirm.text
    )
    assert await harness.storage.flows.get(2103) is None


async def test_all_checkins_off_shows_none(harness: Harness) -> None:
    user = await onboarded(harness, 2104, "en")
    question = await open_field(user, "checkins", "en")
    assert "⬜️ Midday nudge" in question.button_labels
    for kind in sorted(DEFAULT_CHECKINS):
        user.press(f"a:checkins:{kind}", message=question)
        await user.wait_for(functools.partial(is_off, question, kind))
    assert await checkins_of(harness, 2104) == frozenset()
    user.press("a:checkins:ok", message=question)
    overview = await user.next_message()
    assert "Check-ins: none" in overview.text


def is_off(question: SandboxMessage, kind: str) -> bool:
    """Whether a toggle question shows a kind as switched off."""
    return any(
        b["callback_data"] == f"a:checkins:{kind}" and str(b["text"]).startswith("⬜️")
        for b in question.buttons
    )


# --- Weekly review ----------------------------------------------------------------------------


async def test_weekly_day_by_button_keeps_the_time(harness: Harness) -> None:
    user = await onboarded(harness, 2111)
    question = await open_field(user, "weekly")
    assert "16:00" in question.text
    assert question.button_labels == ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    user.press("Do")
    overview = await user.next_message()
    assert "Wochenrückblick: Do 16:00 Uhr" in overview.text
    assert "✓ Wochenrückblick: Do 16:00 Uhr" in question.text
    profile = await harness.storage.users.get(2111)
    assert profile is not None
    assert (profile.schedule.weekly_day, profile.schedule.weekly_time) == (3, time(16, 0))


@pytest.mark.parametrize(
    ("lang", "typed", "day", "at", "shown"),
    [
        ("de", "Freitag 16:00", 4, time(16, 0), "Fr 16:00"),
        ("de", "fr 15:30", 4, time(15, 30), "Fr 15:30"),
        ("de", "Montag", 0, time(16, 0), "Mo 16:00"),
        ("de", "Donnerstag um halb vier", 3, time(15, 30), "Do 15:30"),
        ("en", "friday 4pm", 4, time(16, 0), "Fri 16:00"),
        ("en", "Thu 3:30pm", 3, time(15, 30), "Thu 15:30"),
        ("en", "Monday", 0, time(16, 0), "Mon 16:00"),
    ],
)
async def test_weekly_typed(
    harness: Harness, lang: str, typed: str, day: int, at: time, shown: str
) -> None:
    user = await onboarded(harness, 2112, lang)
    await open_field(user, "weekly", lang)
    user.send_text(typed)
    reply = await user.next_message()  # the confirmation, then the overview again
    label = "Wochenrückblick" if lang == "de" else "Weekly review"
    assert f"✓ {label}: {shown}" in reply.text
    assert f"\n🗓 {label}: {shown}" in reply.text
    profile = await harness.storage.users.get(2112)
    assert profile is not None
    assert (profile.schedule.weekly_day, profile.schedule.weekly_time) == (day, at)


async def test_weekly_on_a_day_off_explains_when_it_comes(harness: Harness) -> None:
    user = await onboarded(harness, 2113)
    question = await open_field(user, "weekly")
    user.press("a:weekly:5")
    await user.next_message()
    assert "Sa ist kein Arbeitstag" in question.text


# --- Quiet hours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "typed", "start", "end", "shown"),
    [
        ("de", "21-7", time(21, 0), time(7, 0), "Ruhezeit: 21:00–07:00"),
        ("de", "21:00-07:00", time(21, 0), time(7, 0), "Ruhezeit: 21:00–07:00"),
        ("de", "22:30 bis 6:30", time(22, 30), time(6, 30), "Ruhezeit: 22:30–06:30"),
        # One end in 24-hour form: the other end too ("12-14" is noon to two, not 00-14).
        ("de", "12-14", time(12, 0), time(14, 0), "Ruhezeit: 12:00–14:00"),
        ("de", "12–14", time(12, 0), time(14, 0), "Ruhezeit: 12:00–14:00"),
        ("de", "12 bis 14", time(12, 0), time(14, 0), "Ruhezeit: 12:00–14:00"),
        ("de", "12:00-14:00", time(12, 0), time(14, 0), "Ruhezeit: 12:00–14:00"),
        ("de", "11-13 Uhr", time(11, 0), time(13, 0), "Ruhezeit: 11:00–13:00"),
        ("en", "12 to 14", time(12, 0), time(14, 0), "Quiet hours: 12:00–14:00"),
        ("de", "aus", time(21, 0), time(21, 0), "Ruhezeit: aus"),
        ("de", "keine", time(21, 0), time(21, 0), "Ruhezeit: aus"),
        ("en", "10pm to 6am", time(22, 0), time(6, 0), "Quiet hours: 22:00–06:00"),
        ("en", "off", time(21, 0), time(21, 0), "Quiet hours: off"),
    ],
)
async def test_quiet_hours_typed(
    harness: Harness, lang: str, typed: str, start: time, end: time, shown: str
) -> None:
    user = await onboarded(harness, 2121, lang)
    await open_field(user, "quiet", lang)
    user.send_text(typed)
    reply = await user.next_message()  # the confirmation, then the overview again
    assert f"✓ {shown}" in reply.text
    assert f"\n🔕 {shown}" in reply.text
    profile = await harness.storage.users.get(2121)
    assert profile is not None
    assert (profile.schedule.quiet_start, profile.schedule.quiet_end) == (start, end)


async def test_quiet_hours_by_button(harness: Harness) -> None:
    user = await onboarded(harness, 2122)
    question = await open_field(user, "quiet")
    assert question.button_labels == [
        "21:00–07:00",
        "22:00–06:00",
        "20:00–08:00",
        "🔔 Keine Ruhezeit",
    ]
    user.press("22:00–06:00")
    assert "Ruhezeit: 22:00–06:00" in (await user.next_message()).text
    user.press("s:quiet")
    await user.next_message()
    user.press("a:quiet:off")
    assert "Ruhezeit: aus" in (await user.next_message()).text
    profile = await harness.storage.users.get(2122)
    assert profile is not None
    assert profile.schedule.quiet_start == profile.schedule.quiet_end


async def test_quiet_hours_over_check_ins_warn(harness: Harness) -> None:
    user = await onboarded(harness, 2123)
    await open_field(user, "quiet")
    user.send_text("07:00-21:00")
    confirm = await user.next_message()
    assert "✓ Ruhezeit: 07:00–21:00" in confirm.text
    assert "⚠️ In deiner Ruhezeit (07:00–21:00) liegt: Morgen-Impuls, Blockbeginn" in confirm.text


@pytest.mark.parametrize(
    ("lang", "typed", "answer"),
    [("de", "5 min", "„5 min“ ist eine Dauer"), ("en", "in 5 min", '"in 5 min" is a length')],
)
async def test_a_duration_for_a_check_in_time_asks_for_a_clock_time(
    harness: Harness, lang: str, typed: str, answer: str
) -> None:
    user = await onboarded(harness, 2124, lang)
    before = await harness.storage.users.get(2124)
    await open_field(user, "block", lang)
    user.send_text(typed)
    reply = await user.next_message()
    assert answer in reply.text
    assert await harness.storage.users.get(2124) == before
    await open_field(user, "midday", lang)
    user.send_text(typed)
    assert answer in (await user.next_message()).text
    assert await harness.storage.users.get(2124) == before


# --- Midday nudge -----------------------------------------------------------------------------


async def test_midday_time_by_button_and_typed(harness: Harness) -> None:
    user = await onboarded(harness, 2131)
    question = await open_field(user, "midday")
    assert question.button_labels == ["11:30", "12:00", "12:30", "13:00", "13:30", "14:00"]
    user.press("13:00")
    overview = await user.next_message()
    assert "Mittags-Impuls: 13:00 Uhr" in overview.text
    assert "✓ Mittags-Impuls um 13:00 Uhr" in question.text
    assert "Gerade ausgeschaltet: Mittags-Impuls" in question.text, "the nudge is off by default"

    user.press("s:midday")
    await user.next_message()
    user.send_text("halb eins")
    confirm = await user.next_message()
    assert "✓ Mittags-Impuls um 12:30 Uhr" in confirm.text
    profile = await harness.storage.users.get(2131)
    assert profile is not None
    assert profile.schedule.midday_nudge == time(12, 30)


# --- Bad input --------------------------------------------------------------------------------

TOO_LONG = "x" * 4096


@pytest.mark.parametrize(
    ("lang", "field", "bad", "error"),
    [
        *[("de", "weekly", bad, "nicht als Tag und Uhrzeit") for bad in ("25-99", "Blumenkohl")],
        *[("de", "weekly", bad, "nicht als Tag und Uhrzeit") for bad in (TOO_LONG, "🙂")],
        ("de", "weekly", "Mo-Fr 16:00", "nicht als Tag und Uhrzeit"),
        ("de", "weekly", "Fr 25:00", "nicht als Tag und Uhrzeit"),
        *[("de", "quiet", bad, "nicht als Ruhezeit") for bad in ("25-99", "Blumenkohl")],
        *[("de", "quiet", bad, "nicht als Ruhezeit") for bad in (TOO_LONG, "🙂", "21")],
        *[("de", "midday", bad, "nicht als Uhrzeit") for bad in ("25:99", "Blumenkohl")],
        *[("de", "midday", bad, "nicht als Uhrzeit") for bad in (TOO_LONG, "🙂")],
        *[("de", "checkins", bad, "Tippe auf die Knöpfe") for bad in ("Blumenkohl", "🙂")],
        ("en", "quiet", "Blumenkohl", "as quiet hours"),
        ("en", "weekly", "25-99", "as a day and time"),
        ("en", "checkins", TOO_LONG, "Tap the buttons"),
    ],
)
async def test_bad_answers_change_nothing(
    harness: Harness, lang: str, field: str, bad: str, error: str
) -> None:
    user = await onboarded(harness, 2141, lang)
    before = await harness.storage.users.get(2141)
    await open_field(user, field, lang)
    user.send_text(bad)
    reply = await user.next_message()
    assert error in reply.text
    assert len(reply.text) < 1000, "the input is quoted short, never echoed whole"
    assert reply.button_labels, "the question is asked again with its buttons"
    assert await harness.storage.users.get(2141) == before
    flow = await harness.storage.flows.get(2141)
    assert flow is not None
    assert flow.step == field, "still waiting for an answer"


@pytest.mark.parametrize(
    "data",
    [
        "a:checkins:lunch",
        "a:checkins:",
        "a:weekly:7",
        "a:weekly:x",
        "a:weekly:12",
        "a:quiet:2599-0700",
        "a:quiet:2100",
        "a:quiet:on",
        "a:midday:2599",
    ],
)
async def test_forged_buttons_change_nothing(harness: Harness, data: str) -> None:
    user = await onboarded(harness, 2142)
    before = await harness.storage.users.get(2142)
    question = await open_field(user, data.split(":")[1])
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
    assert await harness.storage.users.get(2142) == before


async def test_settings_buttons_for_every_new_field(harness: Harness, content: Content) -> None:
    user = await onboarded(harness, 2143)
    user.send_command("settings")
    overview = await user.next_message()
    for name in ("checkins", "midday", "weekly", "quiet"):
        assert content.text("de", f"fields.{name}.label") in overview.button_labels


# --- The parsers on their own -----------------------------------------------------------------

DE_DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
clocks = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@given(st.integers(0, 6), clocks, st.sampled_from([DE_DAYS, EN_DAYS]), st.booleans())
def test_weekly_round_trip(day: int, at: time, names: tuple[str, ...], time_first: bool) -> None:
    typed = f"{format_clock(at)} {names[day]}" if time_first else f"{names[day]} {format_clock(at)}"
    assert parse_weekly(typed, 4, time(16, 0)) == (day, at)
    assert parse_weekly(names[day], 4, at) == (day, at)


@given(clocks, clocks)
def test_quiet_round_trip(start: time, end: time) -> None:
    typed = f"{format_clock(start)}-{format_clock(end)}"
    assert parse_quiet(typed, OFF_WORDS, time(21, 0), time(7, 0)) == (start, end)


@given(st.text(max_size=80))
def test_parsers_never_raise(text: str) -> None:
    weekly = parse_weekly(text, 4, time(16, 0))
    assert weekly is None or 0 <= weekly[0] <= 6
    parse_quiet(text, OFF_WORDS, time(21, 0), time(7, 0))


def test_all_kinds_have_names(content: Content) -> None:
    for lang in content.languages:
        for kind in CHECKIN_KINDS:
            assert content.text(lang, f"fields.checkins.kinds.{kind}")
