"""/pitch end to end: score and tips, versions with trend and diff, rehearsal from memory (also
across a restart), voice notes with and without a transcription endpoint, and bad input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import pytest
from aiohttp import web

from bot.sandbox import SandboxMessage, SandboxUser
from bot.scheduler.checkins import CHECKINS_KEY, Checkins
from bot.storage.pitches import Pitch
from tests.handlers.conftest import Harness, onboarded

WEAK_DE = (
    "Hallo, ich wollte nur mal kurz anrufen. Wir sind eigentlich ein innovativer "
    "Lösungsanbieter und quasi Innovationsführer im Bereich Lagerlogistik. Haben Sie Interesse?"
)
TOURPLAN = (
    "Guten Tag, Herr Brandt, hier ist Anna Berg von Tourplan. Sie kennen das sicher: "
    "Ein Fahrer meldet sich morgens krank, und Ihre Disposition plant den ganzen "
    "Vormittag die Touren um. Mit Tourplan sind alle Touren in zwei Minuten neu "
    "berechnet, samt den Zeitfenstern Ihrer Kunden. Eine Spedition aus Ulm mit 40 "
    "Fahrzeugen spart damit jeden Tag drei Stunden in der Disposition. Wie lösen Sie "
    "das heute, wenn morgens ein Fahrer fehlt?"
)
WEAK_EN = (
    "Hi, I just wanted to basically reach out. We're kind of an innovative, "
    "best-in-class solution provider for logistics. Would you be interested?"
)
ROUTEWISE = (
    "Hi Mark, it's Sarah from Routewise. When a driver calls in sick, your dispatchers "
    "probably spend the first hour of the day rebuilding routes by hand. Routewise "
    "rebuilds every route in two minutes and keeps your delivery windows intact. A "
    "courier firm in Leeds with 60 vans saves twelve hours a week with it and hasn't "
    "missed a delivery slot since. How do you handle it today when a driver drops out "
    "in the morning?"
)
OGG = b"OggS\x00\x02fake-opus-voice-note"
# Monday 23 November 2026 (the harness clock): the next rehearsal after a first one is on
# Tuesday, a quarter of an hour after the calling block (09:00-10:00 Berlin): 09:15 UTC.
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)

Mode = Literal["ok", "hang", "error", "garbage"]


@dataclass
class FakeStt:
    """A local stand-in for an OpenAI-compatible /audio/transcriptions endpoint."""

    text: str = TOURPLAN
    mode: Mode = "ok"
    requests: list[dict[str, str | bytes]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    base_url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form["file"]
        assert isinstance(upload, web.FileField)
        self.requests.append(
            {
                "model": str(form["model"]),
                "language": str(form.get("language", "")),
                "file": upload.file.read(),
                "auth": request.headers.get("Authorization", ""),
            }
        )
        if self.mode == "hang":
            await self.release.wait()
        if self.mode == "error":
            return web.json_response({"error": "overloaded"}, status=500)
        if self.mode == "garbage":
            return web.Response(text="<html>not json</html>", content_type="text/html")
        return web.json_response({"text": self.text})


@pytest.fixture
async def stt() -> AsyncIterator[FakeStt]:
    """The fake endpoint on a free loopback port."""
    fake = FakeStt()
    app = web.Application()
    app.router.add_post("/v1/audio/transcriptions", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    fake.base_url = f"http://{host}:{port}/v1"
    try:
        yield fake
    finally:
        fake.release.set()
        await runner.cleanup()


async def with_stt(harness: Harness, stt: FakeStt, stt_timeout: float = 5.0) -> None:
    """Restart the bot with transcription pointed at the fake endpoint."""
    harness.settings = harness.settings.model_copy(
        update={"stt_base_url": stt.base_url, "stt_timeout": stt_timeout}
    )
    await harness.restart()


async def versions(harness: Harness, user_id: int) -> list[Pitch]:
    return await harness.storage.pitches.versions(user_id)


async def submitted(user: SandboxUser, text: str) -> SandboxMessage:
    """Send /pitch and then the text; the scored reply."""
    user.send_command("pitch")
    await user.next_message()
    user.send_text(text)
    return await user.next_message()


async def test_submit_a_pitch_and_get_score_and_tips(harness: Harness) -> None:
    user = await onboarded(harness, 9001)
    user.send_command("pitch")
    intro = await user.next_message()
    assert "Elevator Pitch" in intro.text
    assert "20 bis 45 Sekunden" in intro.text
    user.send_text(WEAK_DE)
    reply = await user.next_message()
    assert "Version 1:" in reply.text
    score = int(reply.text.split("Version 1: ")[1].split(" ")[0])
    assert 20 <= score <= 40
    assert "von 100 Punkten" in reply.text
    assert "Wörter – gesprochen etwa" in reply.text
    assert "(Ziel: 20–45 Sek.)" in reply.text
    assert f"{score} von 100 Punkten – ausbaufähig" in reply.text
    assert reply.text.count("💡") == 3, "the three most useful tips"
    assert "„Haben Sie Interesse?“" in reply.text, "the closed question is quoted"
    assert reply.button_labels == ["🎤 Proben", "📜 Verlauf", "✏️ Neue Version"]
    stored = await versions(harness, 9001)
    assert [(p.version, p.score, p.current, p.lang) for p in stored] == [(1, score, True, "de")]
    assert stored[0].text == WEAK_DE
    flow = await harness.storage.flows.get(9001)
    assert flow is not None
    assert (flow.flow, flow.step) == ("pitch", "scored"), "only a pasted pitch is a new version"
    assert "since" in flow.data


async def test_english_pitch_in_one_command(harness: Harness) -> None:
    user = await onboarded(harness, 9002, "en")
    user.send_command("pitch", WEAK_EN)
    reply = await user.next_message()
    assert "Your pitch, version 1:" in reply.text
    assert "out of 100 points" in reply.text
    assert "“Would you be interested?”" in reply.text
    assert "words, about" in reply.text
    assert "💡" in reply.text
    user.send_command("pitch", ROUTEWISE)
    better = await user.next_message()
    assert "version 2: 100 out of 100 points, strong" in better.text
    assert "↑ +" in better.text
    assert "Strong, nothing to polish" in better.text
    assert "new: “" in better.text
    assert "gone: “" in better.text


async def test_improve_see_trend_and_diff_then_pick_an_older_version(harness: Harness) -> None:
    user = await onboarded(harness, 9003)
    first = await submitted(user, WEAK_DE)
    user.press("✏️ Neue Version", message=first)
    assert "Version 1" in (await user.next_message()).text
    user.send_text(TOURPLAN)
    second = await user.next_message()
    assert "Version 2: 100 von 100 Punkten" in second.text
    assert "↑ +" in second.text
    assert "Seit Version 1:" in second.text
    assert "neu: „" in second.text
    assert "weg: „" in second.text
    assert "„eigentlich" in second.text.split("weg: ")[1] or "weg: „Hallo" in second.text

    # Only a typo fixed: the diff names just that word.
    user.send_command("pitch", TOURPLAN.replace("drei Stunden", "vier Stunden"))
    third = await user.next_message()
    assert "→ gleich viele Punkte wie Version 2" in third.text
    assert "neu: „vier“" in third.text
    assert "weg: „drei“" in third.text

    user.press("📜 Verlauf", message=third)
    history = await user.next_message()
    lines = history.text.splitlines()
    assert lines[1].startswith("⭐ Version 3 · Mo 23.11. · 100/100, stark →")
    assert lines[2].startswith("▫️ Version 2 · Mo 23.11. · 100/100, stark ↑")
    assert lines[3].startswith("▫️ Version 1")
    assert "Entwicklung:" in history.text
    user.press("⭐ Version 1", message=history)
    made = await user.next_message()
    assert "Version 1 ist jetzt dein aktueller Pitch" in made.text
    assert "ich wollte nur mal kurz anrufen" in made.text
    current = await harness.storage.pitches.current(9003)
    assert current is not None
    assert current.version == 1
    assert [p.current for p in await versions(harness, 9003)] == [True, False, False]

    # A new version is compared with the current one, and becomes current itself.
    user.send_command("pitch", WEAK_DE + " Wie lösen Sie das heute?")
    fourth = await user.next_message()
    assert "Version 4" in fourth.text
    assert "gegenüber Version 1" in fourth.text
    assert "Seit Version 1:" in fourth.text
    current = await harness.storage.pitches.current(9003)
    assert current is not None
    assert current.version == 4


async def test_rehearse_from_memory(harness: Harness) -> None:
    user = await onboarded(harness, 9004)
    scored = await submitted(user, TOURPLAN)
    user.press("🎤 Proben", message=scored)
    card = await user.next_message()
    assert "Probe aus dem Gedächtnis" in card.text
    assert "Spedition aus Ulm" in card.text
    assert card.button_labels == ["✅ Bereit"]
    user.press("✅ Bereit", message=card)
    await user.wait_for(lambda: "Verdeckt" in card.text)
    assert "Spedition" not in card.text, "the pitch is hidden"
    assert card.buttons == []
    flow = await harness.storage.flows.get(9004)
    assert flow is not None
    assert (flow.flow, flow.step) == ("pitch", "recall")

    user.send_text(
        "Guten Tag, hier ist Anna Berg von Tourplan. Mit Tourplan sind alle Touren "
        "neu berechnet. Wie lösen Sie das heute?"
    )
    result = await user.next_message()
    assert "Aus dem Gedächtnis:" in result.text
    recall = int(result.text.split("Aus dem Gedächtnis: ")[1].split(" ")[0])
    assert recall < 60
    assert "Gefehlt hat: „" in result.text
    assert "„zwei Minuten“" in result.text, "missing phrases in the pitch's order"
    assert "Nächste Probe: Di 24.11." in result.text
    assert await harness.storage.flows.get(9004) is None

    rehearsals = await harness.storage.pitches.rehearsals(9004)
    assert [(r.kind, r.recall) for r in rehearsals] == [("text", recall)]
    plan = await harness.storage.pitches.plan(9004)
    assert plan.state.rehearsals == 1
    assert plan.due == TUESDAY_MORNING.date()
    items = await harness.storage.checkins.open_items(9004, "pitch")
    assert [(i.ref, i.due_at) for i in items] == [("rehearsal", TUESDAY_MORNING)]

    # A perfect recall counts as a strong one; the reminder moves (one open item).
    user.press("🔁 Nochmal proben", message=result)
    card = await user.next_message()
    user.press("✅ Bereit", message=card)
    await user.wait_for(lambda: "Verdeckt" in card.text)
    user.send_text(TOURPLAN)
    perfect = await user.next_message()
    assert "Aus dem Gedächtnis: 100 von 100 Punkten" in perfect.text
    assert "Alle Kernaussagen waren drin" in perfect.text
    assert len(await harness.storage.checkins.open_items(9004, "pitch")) == 1


async def test_restart_between_ready_and_the_answer(harness: Harness) -> None:
    user = await onboarded(harness, 9005, "en")
    user.send_command("pitch", ROUTEWISE)
    scored = await user.next_message()
    user.press("🎤 Rehearse", message=scored)
    card = await user.next_message()
    user.press("✅ Ready", message=card)
    await user.wait_for(lambda: "Covered" in card.text)
    await harness.restart()
    user.send_text(ROUTEWISE.replace("twelve hours", "many hours"))
    result = await user.next_message()
    assert "From memory:" in result.text
    assert "Missing: “twelve hours”" in result.text
    assert len(await harness.storage.pitches.rehearsals(9005)) == 1


async def test_the_reminder_goes_out_and_starts_a_rehearsal(harness: Harness) -> None:
    user = await onboarded(harness, 9006)
    scored = await submitted(user, TOURPLAN)
    user.press("🎤 Proben", message=scored)
    card = await user.next_message()
    user.press("✅ Bereit", message=card)
    await user.wait_for(lambda: "Verdeckt" in card.text)
    user.send_text("Tourplan spart Zeit.")
    await user.next_message()
    assert harness.app is not None
    checkins = harness.app.bot_data[CHECKINS_KEY]
    assert isinstance(checkins, Checkins)
    # 08:00 Berlin: the morning ping names the rehearsal; the reminder waits for the block.
    harness.clock.now = datetime(2026, 11, 24, 7, 0, 10, tzinfo=UTC)
    await checkins.tick(harness.clock.now)
    morning = await user.wait_for(
        lambda: next((m for m in user.messages if "Guten Morgen" in m.text), None)
    )
    assert "/pitch" in morning.text
    assert not [m for m in user.messages if "Pitch-Probe" in m.text]
    harness.clock.now = TUESDAY_MORNING.replace(second=10)
    await checkins.tick(harness.clock.now)
    reminder = await user.wait_for(
        lambda: next((m for m in user.messages if "Pitch-Probe" in m.text), None)
    )
    assert await harness.storage.checkins.open_items(9006, "pitch") == []
    user.mark_read()
    user.press("🎤 Jetzt proben", message=reminder)
    card = await user.next_message()
    assert "Spedition aus Ulm" in card.text
    assert card.button_labels == ["✅ Bereit"]


async def test_voice_note_without_transcription(harness: Harness) -> None:
    user = await onboarded(harness, 9007)
    await submitted(user, TOURPLAN)
    user.send_voice(OGG, duration=15)
    reply = await user.next_message()
    assert "Deine Sprachnachricht" in reply.text
    assert "Länge: 15 Sek. – etwas knapp, Ziel sind mindestens 20 Sek." in reply.text
    assert "Abhören konnte ich" not in reply.text, "no endpoint: nothing failed"
    assert reply.button_labels == ["1", "2", "3", "4", "5"]
    stored = await harness.storage.pitches.rehearsals(9007)
    assert [(r.kind, r.seconds, r.self_rating) for r in stored] == [("voice", 15, None)]

    user.press("4", message=reply)
    rated = await user.next_message()
    assert "4 von 5" in rated.text
    assert "Nächste Probe: Di 24.11." in rated.text
    await user.wait_for(lambda: reply.buttons == [])
    stored = await harness.storage.pitches.rehearsals(9007)
    assert stored[0].self_rating == 4
    items = await harness.storage.checkins.open_items(9007, "pitch")
    assert [i.due_at for i in items] == [TUESDAY_MORNING]


async def test_voice_note_with_a_transcript(harness: Harness, stt: FakeStt) -> None:
    await with_stt(harness, stt)
    user = await onboarded(harness, 9008)
    user.send_voice(OGG, duration=40)
    reply = await user.next_message()
    assert "Länge: 40 Sek. – genau richtig." in reply.text
    assert "Tempo: 106 Wörter pro Minute – gut zu verstehen." in reply.text
    assert "Verstanden:" in reply.text
    assert "Spedition aus Ulm" in reply.text
    assert "Als Pitch bewertet: 100 von 100 Punkten" in reply.text
    assert stt.requests == [{"model": "whisper-1", "language": "de", "file": OGG, "auth": ""}]
    stored = await harness.storage.pitches.rehearsals(9008)
    assert [(r.kind, r.seconds, r.score, r.text) for r in stored] == [("voice", 40, 100, TOURPLAN)]
    user.press("💾 Als neue Version", message=reply)
    saved = await user.next_message()
    assert "Version 1: 100 von 100 Punkten" in saved.text
    assert [p.text for p in await versions(harness, 9008)] == [TOURPLAN]


async def test_voice_rehearsal_from_memory_with_a_transcript(
    harness: Harness, stt: FakeStt
) -> None:
    await with_stt(harness, stt)
    user = await onboarded(harness, 9009)
    scored = await submitted(user, TOURPLAN)
    user.press("🎤 Proben", message=scored)
    card = await user.next_message()
    user.press("✅ Bereit", message=card)
    await user.wait_for(lambda: "Verdeckt" in card.text)
    stt.text = TOURPLAN.replace("40 Fahrzeugen", "vielen Fahrzeugen")
    user.send_voice(OGG, duration=45)
    reply = await user.next_message()
    assert "Länge: 45 Sek." in reply.text
    assert "Aus dem Gedächtnis:" in reply.text
    assert "Gefehlt hat: „40 Fahrzeugen“" in reply.text
    assert "Nächste Probe: Di 24.11." in reply.text
    assert await harness.storage.flows.get(9009) is None
    (rehearsal,) = await harness.storage.pitches.rehearsals(9009)
    assert rehearsal.kind == "voice"
    assert rehearsal.recall is not None
    assert len(await harness.storage.checkins.open_items(9009, "pitch")) == 1


@pytest.mark.parametrize("mode", ["hang", "error", "garbage"])
async def test_transcription_failing_still_gives_length_feedback(
    harness: Harness, stt: FakeStt, mode: Mode
) -> None:
    stt.mode = mode
    await with_stt(harness, stt, stt_timeout=0.3)
    user = await onboarded(harness, 9010)
    await submitted(user, WEAK_DE)
    user.send_voice(OGG, duration=50)
    reply = await user.next_message()
    assert "Länge: 50 Sek. – zu lang, versuch unter 45 Sek. zu bleiben." in reply.text
    assert "Abhören konnte ich sie gerade nicht" in reply.text
    assert reply.button_labels == ["1", "2", "3", "4", "5"]
    assert len(stt.requests) == 1
    assert [(r.kind, r.seconds) for r in await harness.storage.pitches.rehearsals(9010)] == [
        ("voice", 50)
    ]
    assert [p.text for p in await versions(harness, 9010)] == [WEAK_DE], "nothing lost"
    user.press("2", message=reply)
    assert "2 von 5" in (await user.next_message()).text


async def test_practice_accepts_a_spoken_answer(harness: Harness, stt: FakeStt) -> None:
    stt.text = (
        "Das verstehe ich gut. Darf ich fragen, was Ihnen bei der Entscheidung am "
        "wichtigsten ist? Wollen wir nächste Woche einen kurzen Termin machen?"
    )
    await with_stt(harness, stt)
    user = await onboarded(harness, 9011)
    user.send_command("practice")
    await user.next_message()
    user.send_voice(OGG, duration=8)
    heard = await user.next_message()
    assert "Verstanden:" in heard.text
    scored = await user.next_message()
    assert "Deine Antwort:" in scored.text
    assert await harness.storage.pitches.rehearsals(9011) == []


async def test_voice_in_other_flows(harness: Harness) -> None:
    user = await onboarded(harness, 9012)
    user.send_command("practice")
    await user.next_message()
    user.send_voice(OGG, duration=8)
    assert "schreib deine Antwort bitte als Text" in (await user.next_message()).text
    user.send_command("goals")
    await user.next_message()
    user.send_voice(OGG, duration=8)
    assert "/abbrechen" in (await user.next_message()).text
    assert await harness.storage.pitches.rehearsals(9012) == []


@pytest.mark.parametrize("text", ["😀😀😀", "…", "\u200b\u200d"])
async def test_a_pitch_without_words(harness: Harness, text: str) -> None:
    user = await onboarded(harness, 9013)
    user.send_command("pitch")
    await user.next_message()
    user.send_text(text)
    reply = await user.next_message()
    assert "kein Wort" in reply.text
    assert await versions(harness, 9013) == []
    flow = await harness.storage.flows.get(9013)
    assert flow is not None
    assert flow.step == "write", "the next try is taken as the pitch"
    user.send_text(TOURPLAN)
    assert "Version 1" in (await user.next_message()).text


async def test_a_pitch_of_4096_characters_and_html(harness: Harness) -> None:
    user = await onboarded(harness, 9014)
    huge = ("Wir <b>liefern</b> & Sie sparen. " * 200)[:4096]
    reply = await submitted(user, huge)
    assert "von 100 Punkten" in reply.text
    assert "zu lange" in reply.text
    assert len(reply.text) < 4096
    (stored,) = await versions(harness, 9014)
    assert stored.text == huge.strip(), "stored as sent"
    user.press("🎤 Proben", message=reply)
    card = await user.next_message()
    assert "<b>liefern</b> &" in card.text, "shown as typed, not as markup"
    assert card.text.count("…") >= 1
    assert len(card.text) < 4096


async def test_strangers_are_asked_to_start(harness: Harness) -> None:
    user = harness.user(9015, "en")
    user.send_command("pitch", WEAK_EN)
    assert "/start" in (await user.next_message()).text
    user.send_voice(OGG, duration=10)
    assert "/start" in (await user.next_message()).text
    assert await harness.storage.users.get(9015) is None
    assert await versions(harness, 9015) == []


PARTSHUB = (
    "Hi Tom, this is Lena from PartsHub. Your mechanics lose about a third of their mornings "
    "hunting for spare parts. PartsHub shows every part in stock on one screen, so your team "
    "finds it in half the time. How do you organise your parts today?"
)
DEAL_EN = ROUTEWISE.rsplit(". ", 1)[0] + ". Shall we sign today?"


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Wir verkaufen Software.", "Das ist noch kein Pitch"),
        ("de", "1e309", "Das ist noch kein Pitch"),
        ("en", "We sell software.", "That's not a pitch yet"),
    ],
)
async def test_a_text_too_short_is_no_pitch_and_gets_no_score(
    harness: Harness, lang: str, text: str, expected: str
) -> None:
    user = await onboarded(harness, 9020, lang)
    reply = await submitted(user, text)
    assert expected in reply.text
    assert "100" not in reply.text, "no score"
    assert ("offene Frage" if lang == "de" else "open question") in reply.text
    assert await versions(harness, 9020) == []
    flow = await harness.storage.flows.get(9020)
    assert flow is not None
    assert flow.step == "write", "the next text is taken as the pitch"
    user.send_text(TOURPLAN if lang == "de" else ROUTEWISE)
    assert "100" in (await user.next_message()).text


async def test_a_non_pitch_after_new_version_keeps_the_current_one(harness: Harness) -> None:
    user = await onboarded(harness, 9021)
    first = await submitted(user, TOURPLAN)
    user.press("✏️ Neue Version", message=first)
    await user.next_message()
    user.send_text("Wir verkaufen Software.")
    refused = await user.next_message()
    assert "noch kein Pitch" in refused.text
    assert "Dein aktueller Pitch bleibt Version 1 (100/100 – stark)" in refused.text
    # A log typed instead: the choice to log it (as in every free-text mode); kept as the
    # pitch it is refused as well, and the better version stays.
    user.send_text("12 Anrufe, 3 Gespräche")
    choice = await user.next_message()
    assert choice.button_labels == ["📊 Als Zahlen eintragen", "✍️ Als meinen Pitch"]
    user.press("✍️ Als meinen Pitch", message=choice)
    kept = await user.next_message()
    assert "noch kein Pitch" in kept.text
    assert "bleibt Version 1" in kept.text
    stored = await versions(harness, 9021)
    assert [(p.version, p.score, p.current) for p in stored] == [(1, 100, True)]
    user.send_text("12 Anrufe, 3 Gespräche")
    choice = await user.next_message()
    user.press("📊 Als Zahlen eintragen", message=choice)
    logged = await user.next_message()
    assert "12" in logged.text
    assert [p.version for p in await versions(harness, 9021)] == [1]


async def test_an_english_pitch_from_a_german_rep_is_scored_in_english(harness: Harness) -> None:
    user = await onboarded(harness, 9022)
    reply = await submitted(user, PARTSHUB)
    assert "Version 1: 100 von 100 Punkten – stark" in reply.text
    assert "lädt zum Nein ein" not in reply.text
    (stored,) = await versions(harness, 9022)
    assert stored.lang == "en"
    # Tips stay German, with German quotation marks around the English words.
    user.send_command("pitch", PARTSHUB.replace("How do you", "Do you"))
    weak = await user.next_message()
    assert "„Do you organise your parts today?“ lädt zum Nein ein" in weak.text


async def test_a_pitch_pasted_right_after_a_score_is_the_next_version(harness: Harness) -> None:
    user = await onboarded(harness, 9023, "en")
    user.send_command("pitch", WEAK_EN)
    await user.next_message()
    # Not /pitch first: pasted straight in after the score.
    user.send_text(ROUTEWISE)
    better = await user.next_message()
    assert "Your pitch, version 2: 100 out of 100 points, strong" in better.text
    assert "Since version 1:" in better.text
    # A short objection after a score is still an objection, not a pitch.
    user.send_text("too expensive")
    answer = await user.next_message()
    assert "version 3" not in answer.text
    assert [p.version for p in await versions(harness, 9023)] == [1, 2]


async def test_a_german_pitch_naming_an_objection_after_a_score(harness: Harness) -> None:
    user = await onboarded(harness, 9024)
    await submitted(user, WEAK_DE)
    pitch = (
        "Guten Tag, Herr Brandt, Anna Berg von Tourplan. Viele Speditionen finden Software zu "
        "teuer, bis sie sehen, dass Tourplan jeden Tag drei Stunden Disposition spart. Wie "
        "planen Sie heute um, wenn morgens ein Fahrer fehlt?"
    )
    user.send_text(pitch)
    reply = await user.next_message()
    assert "Version 2:" in reply.text
    assert [p.text for p in await versions(harness, 9024)][-1] == pitch


async def test_a_deal_ask_at_the_end_is_at_most_solid(harness: Harness) -> None:
    user = await onboarded(harness, 9025, "en")
    user.send_command("pitch", DEAL_EN)
    reply = await user.next_message()
    assert "out of 100 points, solid" in reply.text
    assert "“Shall we sign today?” already asks for the deal" in reply.text


async def test_pitches_stored_before_verdicts_still_display(harness: Harness) -> None:
    user = await onboarded(harness, 9026)
    # Scores stored by the old rubric stay as they are; the verdict is shown beside them.
    await harness.storage.pitches.add(9026, "Wir verkaufen Software.", 30, "de", harness.clock())
    await harness.storage.pitches.add(9026, TOURPLAN, 85, "de", harness.clock())
    user.send_command("pitch")
    card = await user.next_message()
    assert "(Version 2, 85/100 – solide)" in card.text
    user.press("📜 Verlauf", message=card)
    history = await user.next_message()
    assert "Version 2 · Mo 23.11. · 85/100, solide ↑" in history.text
    # Too short to be a pitch by today's rules, whatever it scored then.
    assert "Version 1 · Mo 23.11. · 30/100, noch kein Pitch" in history.text
    user.press("⭐ Version 1", message=history)
    made = await user.next_message()
    assert "(30/100 – noch kein Pitch)" in made.text


async def test_a_spoken_non_pitch_gets_length_but_no_score(harness: Harness, stt: FakeStt) -> None:
    stt.text = "Wir verkaufen Software."
    await with_stt(harness, stt)
    user = await onboarded(harness, 9027)
    user.send_voice(OGG, duration=3)
    reply = await user.next_message()
    assert "Länge: 3 Sek." in reply.text
    assert "Das ist noch kein Pitch" in reply.text
    assert "Als Pitch bewertet" not in reply.text
    (rehearsal,) = await harness.storage.pitches.rehearsals(9027)
    assert (rehearsal.kind, rehearsal.score, rehearsal.text) == ("voice", None, stt.text)
