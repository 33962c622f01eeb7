"""The transcription client: the request it sends, and None for everything that is no transcript."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from bot.config import SANDBOX_TOKEN, SettingsError, load_settings
from bot.speech import SpeechClient


def client(
    handler: httpx.MockTransport, api_key: str | None = None, model: str = "whisper-1"
) -> SpeechClient:
    return SpeechClient("https://stt.example/v1/", model=model, api_key=api_key, transport=handler)


async def test_request_and_transcript() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"text": "  Guten Tag, Herr Brandt.  "})

    stt = client(httpx.MockTransport(handle), api_key="sk-test", model="large-v3")
    try:
        text = await stt.transcribe(b"OggS-audio", language="de")
    finally:
        await stt.close()
    assert text == "Guten Tag, Herr Brandt."
    (request,) = seen
    assert str(request.url) == "https://stt.example/v1/audio/transcriptions"
    assert request.headers["Authorization"] == "Bearer sk-test"
    body = request.read()
    assert b'name="model"\r\n\r\nlarge-v3' in body
    assert b'name="language"\r\n\r\nde' in body
    assert b'filename="voice.ogg"' in body
    assert b"OggS-audio" in body


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500, json={"text": "server says no"}),
        httpx.Response(401, json={"error": "bad key"}),
        httpx.Response(200, text="<html>"),
        httpx.Response(200, json=["text"]),
        httpx.Response(200, json={"text": 42}),
        httpx.Response(200, json={"segments": []}),
        httpx.Response(200, json={"text": "   "}),
        httpx.Response(200, content=json.dumps({"text": "x"}).encode()[:-2]),
    ],
)
async def test_no_transcript_is_none(response: httpx.Response) -> None:
    stt = client(httpx.MockTransport(lambda _request: response))
    try:
        assert await stt.transcribe(b"audio") is None
    finally:
        await stt.close()


async def test_network_errors_and_empty_audio_are_none() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    stt = client(httpx.MockTransport(fail))
    try:
        assert await stt.transcribe(b"audio") is None
        assert await stt.transcribe(b"") is None
    finally:
        await stt.close()


def test_off_unless_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name in ("STT_BASE_URL", "STT_API_KEY", "STT_MODEL", "STT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(telegram_bot_token=SANDBOX_TOKEN)
    assert settings.stt_base_url is None
    assert SpeechClient.from_settings(settings) is None
    blank = load_settings(telegram_bot_token=SANDBOX_TOKEN, stt_base_url=" ", stt_api_key="")
    assert SpeechClient.from_settings(blank) is None
    on = load_settings(
        telegram_bot_token=SANDBOX_TOKEN, stt_base_url="http://whisper:8000/v1", stt_timeout=5
    )
    speech = SpeechClient.from_settings(on)
    assert speech is not None
    assert speech.url == "http://whisper:8000/v1/audio/transcriptions"
    assert (speech.model, speech.timeout) == ("whisper-1", 5)
    with pytest.raises(SettingsError) as caught:
        load_settings(telegram_bot_token=SANDBOX_TOKEN, stt_base_url="not a url")
    assert (caught.value.variable, caught.value.problem) == ("STT_BASE_URL", "url")
