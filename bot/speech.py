"""Speech to text for voice notes: an OpenAI-compatible `/audio/transcriptions` endpoint.

Optional and off by default (STT_BASE_URL unset). Built in `build_application` and handed to
the handlers through Deps. A transcript is a bonus: every failure (timeout, error status, a
body that is no JSON or has no text) comes back as None, so the caller falls back to what it
can say without one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

import httpx

from bot.config import Settings

log = logging.getLogger(__name__)

PATH: Final = "audio/transcriptions"
# OpenAI refuses uploads above 25 MB; Telegram lets bots download at most 20 MB.
MAX_AUDIO_BYTES: Final = 20 * 1024 * 1024


class SpeechClient:
    """Transcribes audio at `{base_url}/audio/transcriptions` (multipart: file, model)."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "whisper-1",
        timeout: float = 30.0,
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/{PATH}"
        self.model = model
        self.timeout = timeout
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SpeechClient | None:
        """The client the settings ask for, or None when transcription is off."""
        if settings.stt_base_url is None:
            return None
        key = settings.stt_api_key.get_secret_value() if settings.stt_api_key else None
        return cls(
            str(settings.stt_base_url),
            model=settings.stt_model,
            timeout=settings.stt_timeout,
            api_key=key,
        )

    def _http(self) -> httpx.AsyncClient:
        # Opened on first use, inside the running event loop, and closed in post_shutdown.
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout), transport=self._transport
            )
        return self._client

    async def transcribe(
        self,
        audio: bytes,
        *,
        filename: str = "voice.ogg",
        mime_type: str = "audio/ogg",
        language: str | None = None,
    ) -> str | None:
        """The text spoken in `audio`, or None if there is none or the endpoint failed."""
        if not audio or len(audio) > MAX_AUDIO_BYTES:
            return None
        data = {"model": self.model, "response_format": "json"}
        if language:
            data["language"] = language
        files = {"file": (filename, audio, mime_type)}
        try:
            # The per-phase timeouts of httpx do not bound the whole request; this does.
            async with asyncio.timeout(self.timeout):
                response = await self._http().post(
                    self.url, data=data, files=files, headers=self._headers
                )
            response.raise_for_status()
            body = response.json()
        except (TimeoutError, httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            log.warning("transcription failed: %s", type(exc).__name__)
            return None
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            log.warning("transcription failed: no text in the response")
            return None
        return text.strip() or None

    async def close(self) -> None:
        """Release the connections."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
