"""/rollenspiel end to end: every scenario in both languages played well and weakly to its
scorecard, a restart in the middle, /cancel, voice answers, the language-model customer and
its failures, texts that are no answer, double taps and old buttons."""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from bot.coach.contacts import ContactDraft
from bot.coach.roleplay import CallState, Scenario, answer, start
from bot.handlers.context import DEPS_KEY, Deps
from bot.sandbox import SandboxMessage, SandboxUser
from bot.sandbox.models import CallbackAnswer
from bot.scenarios import Roleplays
from bot.storage.roleplay import RoleplayCall
from tests.handlers.conftest import Harness, onboarded
from tests.handlers.test_pitch import OGG, FakeStt
from tests.test_llm import FakeModelServer

RUNS = Path(__file__).parent.parent / "data" / "roleplay_runs.yaml"
MEDIUM = {"de": "🟡 Mittel", "en": "🟡 Medium"}
COMMAND = {"de": "rollenspiel", "en": "roleplay"}
MODEL_LINE = "Hm, na gut. Und was genau bieten Sie uns beim Notdienst an?"
CONTACT = ContactDraft("Jürgen Kowalski-Brandt", "Kowalski Bau", "+49 170 5550199")


@functools.cache
def runs() -> dict[str, Any]:
    data = yaml.safe_load(RUNS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def run_turns(scenario_id: str, lang: str, kind: str) -> list[str]:
    return list(runs()["runs"][scenario_id][lang][kind]["turns"])


SCENARIOS = sorted(runs()["runs"])
CASES = [(scenario_id, lang) for scenario_id in SCENARIOS for lang in ("de", "en")]


def roleplays(harness: Harness, lang: str) -> Roleplays:
    assert harness.app is not None
    deps = harness.app.bot_data[DEPS_KEY]
    assert isinstance(deps, Deps)
    return deps.roleplays[lang]


async def open_call(
    harness: Harness, user: SandboxUser, scenario: Scenario, lang: str, level: str | None = None
) -> SandboxMessage:
    """/rollenspiel, the scenario, the difficulty: the intro (and the customer's first line)."""
    user.send_command(COMMAND[lang])
    picker = await user.next_message()
    user.press(scenario.title, message=picker)
    await user.wait_for(lambda: picker.edit_count > 0)
    user.press(level or MEDIUM[lang], message=picker)
    intro = await user.next_message()
    assert scenario.goal.split()[0] in intro.text
    if scenario.starts == "customer":
        first = await user.next_message()
        assert scenario.persona.name in first.text
        return first
    return intro


async def play(user: SandboxUser, turns: list[str]) -> tuple[list[str], SandboxMessage]:
    """Send each turn; the customer's replies and the scorecard after the last."""
    replies = []
    for text in turns:
        user.send_text(text)
        replies.append((await user.next_message()).text)
    return replies, await user.next_message()


def met_of(card: SandboxMessage, lang: str) -> tuple[int, int]:
    word = " von " if lang == "de" else " of "
    line = next(line for line in card.text.splitlines() if word in line and "%" in line)
    met, _, rest = line.partition(word)
    return int(met), int(rest.split()[0])


async def answered(user: SandboxUser, press: dict[str, Any]) -> CallbackAnswer:
    """The bot's answer to a button press."""
    query_id = str(press["callback_query"]["id"])
    return await user.wait_for(lambda: user.callback_answer(query_id))


async def active(harness: Harness, user_id: int) -> RoleplayCall:
    call = await harness.storage.roleplay.active(user_id)
    assert call is not None
    return call


@pytest.mark.parametrize(("scenario_id", "lang"), CASES)
async def test_a_good_run_reaches_the_goal_and_a_weak_one_ends_early(
    harness: Harness, scenario_id: str, lang: str
) -> None:
    user_id = 9100 + CASES.index((scenario_id, lang))
    user = await onboarded(harness, user_id, lang)
    scenario = roleplays(harness, lang).scenarios[scenario_id]
    await open_call(harness, user, scenario, lang)

    replies, card = await play(user, run_turns(scenario_id, lang, "good"))
    assert replies[-1].endswith(scenario.end.success)
    good_met, total = met_of(card, lang)
    assert total == len(scenario.criteria)
    assert good_met >= total - 1, card.text
    assert card.text.count("✅") >= good_met
    assert "🔁" in card.button_labels[0]
    (result,) = await harness.storage.roleplay.results(user_id, scenario_id)
    assert (result.outcome, result.met, result.total) == ("success", good_met, total)
    assert await harness.storage.flows.get(user_id) is None

    user.press(card.button_labels[0], message=card)
    if scenario.starts == "customer":
        await user.next_message()
    await user.next_message()
    weak = run_turns(scenario_id, lang, "weak")
    replies, card = await play(user, weak)
    assert replies[-1].endswith(scenario.end.hang_up)
    weak_met, _ = met_of(card, lang)
    assert weak_met < good_met
    assert card.text.count("❌") == total - weak_met
    assert ("Letztes Mal" if lang == "de" else "Last time") in card.text, "the trend"
    assert len(card.button_labels) == 3, "again, from the weakest moment, another call"
    results = await harness.storage.roleplay.results(user_id, scenario_id)
    assert [r.outcome for r in results] == ["hang_up", "success"]
    assert results[0].turns == len(weak), "the weak call ended early, on its last weak turn"


async def test_a_restart_in_the_middle_continues_the_call(harness: Harness) -> None:
    user = await onboarded(harness, 9201)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    first, second, third = run_turns("cold_call", "de", "good")
    user.send_text(first)
    await user.next_message()
    await harness.restart()
    user.send_text(second)
    reply = await user.next_message()
    assert scenario.phases[1].good[0] in reply.text, "the call went on in its second phase"
    _, card = await play(user, [third])
    assert "Ziel erreicht" in card.text
    assert met_of(card, "de") == (7, 7)


async def test_cancel_ends_the_call_and_nothing_else_waits(harness: Harness) -> None:
    user = await onboarded(harness, 9202)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    user.send_text(run_turns("cold_call", "de", "good")[0])
    await user.next_message()
    call = await active(harness, 9202)
    user.send_command("cancel")
    assert "Gespräch beendet" in (await user.next_message()).text
    stored = await harness.storage.roleplay.get(9202, call.id)
    assert stored is not None
    assert stored.outcome == "cancelled"
    assert len(stored.state.turns) == 1, "what was said is kept"
    assert await harness.storage.flows.get(9202) is None
    user.send_text("12 Anrufe")
    await user.next_message()
    day = await harness.storage.activity.day(9202, harness.clock.now.date())
    assert day.counts.dials == 12


async def test_a_command_leaves_the_call_open_and_the_rep_can_carry_on(harness: Harness) -> None:
    user = await onboarded(harness, 9203)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    first, second, _ = run_turns("cold_call", "de", "good")
    user.send_text(first)
    line = (await user.next_message()).text
    user.send_command("today")
    await user.next_message()
    user.tap_reply("🎭 Rollenspiel")
    offer = await user.next_message()
    assert "noch ein Gespräch offen" in offer.text
    user.press("▶️ Weitermachen", message=offer)
    again = await user.next_message()
    assert line.split(":", 1)[1].strip() in again.text, "the customer's last line again"
    user.send_text(second)
    assert scenario.phases[1].good[0] in (await user.next_message()).text


@pytest.fixture
async def stt() -> AsyncIterator[FakeStt]:
    fake = FakeStt(text=run_turns("cold_call", "de", "good")[0])
    async with Serve("/v1/audio/transcriptions", fake.handle) as base_url:
        fake.base_url = base_url
        yield fake
        fake.release.set()


@pytest.fixture
async def model() -> AsyncIterator[FakeModelServer]:
    fake = FakeModelServer(content=MODEL_LINE)
    async with Serve("/v1/chat/completions", fake.handle) as base_url:
        fake.base_url = base_url
        yield fake
        fake.release.set()


class Serve:
    """A local HTTP server for one POST route; its base URL on entering."""

    def __init__(self, path: str, handler: Any) -> None:
        self.app = web.Application()
        self.app.router.add_post(path, handler)
        self.runner = web.AppRunner(self.app)

    async def __aenter__(self) -> str:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}/v1"

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()


async def test_a_spoken_answer_is_a_turn(harness: Harness, stt: FakeStt) -> None:
    harness.settings = harness.settings.model_copy(update={"stt_base_url": stt.base_url})
    await harness.restart()
    user = await onboarded(harness, 9204)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    user.send_voice(OGG, duration=9)
    heard = await user.next_message()
    assert "Verstanden:" in heard.text
    reply = await user.next_message()
    assert scenario.phases[0].good[0] in reply.text, "the transcript passed the opening"
    call = await active(harness, 9204)
    assert call.state.turns[0].text == stt.text.strip()
    assert await harness.storage.pitches.rehearsals(9204) == [], "no pitch rehearsal"


async def test_without_transcription_a_voice_note_asks_to_type(harness: Harness) -> None:
    user = await onboarded(harness, 9205)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    user.send_voice(OGG, duration=9)
    assert "als Text" in (await user.next_message()).text
    assert (await active(harness, 9205)).state.turns == ()


async def _with_model(harness: Harness, model: FakeModelServer, seconds: float = 3.0) -> None:
    update = {"llm_base_url": model.base_url, "llm_model": "gpt-test-mini", "llm_timeout": seconds}
    harness.settings = harness.settings.model_copy(update=update)
    await harness.restart()


async def test_the_models_line_reaches_the_rep_and_no_contact_data_leaves(
    harness: Harness, model: FakeModelServer
) -> None:
    await _with_model(harness, model)
    user = await onboarded(harness, 9206)
    await harness.storage.contacts.add(9206, CONTACT, harness.clock.now)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    harness.sandbox.clear_calls()
    first = await open_call(harness, user, scenario, "de")
    assert MODEL_LINE in first.text, "the opening from the model"
    replies, card = await play(user, run_turns("cold_call", "de", "good"))
    assert all(MODEL_LINE in reply for reply in replies[:-1])
    assert replies[-1].endswith(scenario.end.success), "the engine ends the call"
    assert met_of(card, "de") == (7, 7), "scored the same as without a model"
    assert len(model.requests) == 3, "the opening and the two replies before the end"
    for request in model.requests:
        assert request["model"] == "gpt-test-mini"
        body = json.dumps(request, ensure_ascii=False)
        assert scenario.persona.name in body
        for secret in (CONTACT.name, CONTACT.phone or "", CONTACT.company or "", "Rep"):
            assert secret not in body
    typing = harness.sandbox.calls_for("sendChatAction")
    assert len(typing) == 3
    assert all(call.params["action"] == "typing" for call in typing)


def scripted(harness: Harness, scenario_id: str, turns: list[str]) -> list[str]:
    """The engine's lines for these turns (medium), as the rep gets them without a model."""
    book = roleplays(harness, "de")
    scenario = book.scenarios[scenario_id]
    state: CallState = start(scenario, "medium", "de")[0]
    lines = []
    for text in turns:
        state, line = answer(scenario, book.cues, state, text, objection_lines=book.objection_lines)
        lines.append(line)
    return lines


@pytest.mark.parametrize("failure", ["status", "empty", "too_long", "garbage", "slow"])
async def test_a_failing_model_gives_the_scripted_line_and_the_call_goes_on(
    harness: Harness, model: FakeModelServer, failure: str
) -> None:
    await _with_model(harness, model, 0.5 if failure == "slow" else 3.0)
    user = await onboarded(harness, 9210)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    if failure == "status":
        model.status = 500
    elif failure == "empty":
        model.content = ""
    elif failure == "too_long":
        model.content = "Na ja. " * 100
    elif failure == "garbage":
        model.body = "<html>oops</html>"
    else:
        model.hang = True
    turns = run_turns("cold_call", "de", "good")
    user.send_text(turns[0])
    reply = await user.next_message()
    assert reply.text.endswith(scripted(harness, "cold_call", turns[:1])[0])
    model.status, model.content, model.body, model.hang = 200, MODEL_LINE, None, False
    user.send_text(turns[1])
    assert MODEL_LINE in (await user.next_message()).text, "the call goes on with the model"
    assert len((await active(harness, 9210)).state.turns) == 2


async def test_a_log_asks_and_an_objection_is_an_answer_during_a_call(harness: Harness) -> None:
    user = await onboarded(harness, 9207)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    user.send_text("12 Anrufe")
    choice = await user.next_message()
    assert "Antwort an den Kunden im Rollenspiel" in choice.text
    user.press("📊 Als Zahlen eintragen", message=choice)
    await user.next_message()
    day = await harness.storage.activity.day(9207, harness.clock.now.date())
    assert day.counts.dials == 12
    assert (await active(harness, 9207)).state.turns == ()
    user.send_text("Zu teuer? Ich rufe an, weil viele Betriebe beim Notdienst Zeit verlieren.")
    reply = await user.next_message()
    assert scenario.persona.name in reply.text, "the customer answers; no playbook card"
    assert len((await active(harness, 9207)).state.turns) == 1


@pytest.mark.parametrize("text", ["😀😀😀", "…", "\u200b\u200d", "   ."])
async def test_a_text_without_words_is_no_turn(harness: Harness, text: str) -> None:
    user = await onboarded(harness, 9208)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    user.send_text(text)
    assert "nicht als Antwort lesen" in (await user.next_message()).text
    assert (await active(harness, 9208)).state.turns == ()


async def test_a_huge_answer_with_markup_is_scored_and_quoted_escaped(harness: Harness) -> None:
    user = await onboarded(harness, 9209)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    huge = "<b>Aber</b> hören Sie & staunen " + "bla " * 1000
    for _ in range(3):
        user.send_text(huge[:4096])
        await user.next_message()
    card = await user.next_message()
    assert "aufgelegt" in card.text
    assert "&lt;b&gt;Aber&lt;/b&gt;" in (card.source_text or ""), "the rep's text is escaped"
    assert "<b>Aber</b> hören" in card.text, "and shown as typed"
    assert "…" in card.text, "a long line is quoted in part"
    assert len(card.text) < 4096


async def test_a_double_tap_starts_one_call_and_old_buttons_leave_it_alone(
    harness: Harness,
) -> None:
    user = await onboarded(harness, 9211)
    scenario = roleplays(harness, "de").scenarios["gatekeeper"]
    user.send_command("rollenspiel")
    picker = await user.next_message()
    user.press(scenario.title, message=picker)
    await user.wait_for(lambda: picker.edit_count > 0)
    user.press("🟡 Mittel", message=picker)
    user.press("🟡 Mittel", message=picker)
    await user.next_message()
    await user.next_message()
    await user.wait_for(lambda: len(user.callback_answers) >= 3)
    assert len(user.unread) == 0, "one intro and one first line"
    call = await active(harness, 9211)
    # Play it to the end, start another, then tap the first scorecard's buttons.
    _, card = await play(user, run_turns("gatekeeper", "de", "good"))
    user.press("🔁 Nochmal", message=card)
    await user.next_message()
    await user.next_message()
    second = await active(harness, 9211)
    assert second.id != call.id
    for label in ("🔁 Nochmal", "⏪ Ab der schwächsten Stelle", "🎭 Anderes Gespräch"):
        if label not in card.button_labels:
            continue
        alert = await answered(user, user.press(label, message=card))
        assert alert.show_alert
        assert "mitten im Gespräch" in (alert.text or "")
    assert (await active(harness, 9211)).id == second.id
    assert len(user.unread) == 0


async def test_retry_from_the_weakest_moment(harness: Harness) -> None:
    user = await onboarded(harness, 9212)
    scenario = roleplays(harness, "de").scenarios["cold_call"]
    await open_call(harness, user, scenario, "de")
    weak = run_turns("cold_call", "de", "weak")
    _, card = await play(user, weak)
    assert "⏪ Ab der schwächsten Stelle" in card.button_labels
    user.press("⏪ Ab der schwächsten Stelle", message=card)
    again = await user.next_message()
    assert "spulen zurück" in again.text
    call = await active(harness, 9212)
    ended = (await harness.storage.roleplay.results(9212, "cold_call"))[0]
    assert ended.outcome == "hang_up"
    assert len(call.state.turns) < len(weak)
    good = run_turns("cold_call", "de", "good")
    assert call.state.phase == 1, "back to the objection, where the weakest line fell"
    # One good turn per phase from there, and the call reaches the goal.
    _, card = await play(user, good[call.state.phase :])
    assert "Ziel erreicht" in card.text


async def test_english_rep_by_the_menu_and_a_rep_who_starts(harness: Harness) -> None:
    user = await onboarded(harness, 9213, "en")
    user.tap_reply("🎭 Roleplay")
    picker = await user.next_message()
    scenario = roleplays(harness, "en").scenarios["offer_follow_up"]
    assert scenario.title in picker.button_labels
    user.press(scenario.title, message=picker)
    await user.wait_for(lambda: picker.edit_count > 0)
    user.press("🔴 Hard", message=picker)
    intro = await user.next_message()
    assert "You start" in intro.text
    assert "Hard" in intro.text
    call = await active(harness, 9213)
    assert call.difficulty == "hard"


async def test_one_line_is_not_both_the_strongest_and_the_weakest(harness: Harness) -> None:
    user = await onboarded(harness, 9230)
    scenario = roleplays(harness, "de").scenarios["gatekeeper"]
    await open_call(harness, user, scenario, "de")
    # Three weak answers: the assistant hangs up, and the first line is the weakest moment.
    _, card = await play(
        user,
        [
            "Hallo, ist der Chef da?",
            "Aber ich muss ihn sprechen. Ist er da?",
            "Kann ich ihn jetzt sprechen, ja oder nein?",
        ],
    )
    assert "aufgelegt" in card.text
    assert "schwächster Satz" in card.text
    assert "stärkster Satz" not in card.text, "the weakest line is not praised as the strongest"
