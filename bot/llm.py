"""The customer's voice in practice calls from a language model (OpenAI-compatible chat API).

Optional and off by default (LLM_BASE_URL unset). Built in `build_application` next to the
speech client. The engine decides what happens in the call and passes the scripted line; the
model only says it in its own words. Every failure (timeout, connection or HTTP error, an
empty, too long, wrong-language or garbled reply) comes back as None and the caller uses the
scripted line, so the call goes on either way.

Only what a CustomerRequest holds is sent: the scenario's persona, goal, phase, the lines to
say and the practice call so far. Nothing else (contacts, notes, the rep's name) can reach it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from bot.config import Settings
from bot.content import Content

if TYPE_CHECKING:
    from openai import AsyncOpenAI

log = logging.getLogger(__name__)

Speaker = Literal["rep", "customer"]
Outcome = Literal[
    "ok",
    "timeout",
    "connection_error",
    "http_error",
    "empty",
    "too_long",
    "wrong_language",
    "garbage",
    "error",
]

KEY: Final = "roleplay_llm"
# A spoken customer line of one to three sentences; anything longer is a speech, not a reply.
MAX_REPLY_CHARS: Final = 400
# ~400 characters are about 100-130 tokens in German; the cap keeps a rambling model cheap,
# and a reply it cuts off (finish_reason "length") counts as too long.
MAX_TOKENS: Final = 200
TEMPERATURE: Final = 0.7
# The call so far, newest last: enough for the model to stay on topic, bounded in cost.
MAX_HISTORY: Final = 16
MAX_HISTORY_CHARS: Final = 1000
# Letters among the visible characters of a spoken line; below this it is codes or junk.
MIN_LETTER_SHARE: Final = 0.5

_WORD: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_THINK: Final = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_QUOTES: Final = "\"'„“”‚‘’«»‹›"
_MARKUP: Final = str.maketrans("", "", "*_`#")


@dataclass(frozen=True, slots=True)
class CustomerRequest:
    """Everything the model may know for one customer line: the practice call, nothing else.

    `history` is the call so far, oldest first, ending with the rep's turn to answer (empty
    when the customer opens the call).
    """

    lang: str
    # The scenario's persona.
    name: str
    role: str
    company: str
    mood: str
    # The rep's goal in this call (from the scenario).
    goal: str
    phase: str
    # The objection the customer raises in this turn, if any.
    objection: str | None
    # The engine's line; the model says something with this meaning.
    line: str
    history: tuple[tuple[Speaker, str], ...] = ()


class LanguageModel:
    """Asks `{base_url}/chat/completions` for the customer's next line in a practice call."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str,
        content: Content,
        api_key: str | None = None,
        timeout: float = 8.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self._content = content
        self._api_key = api_key
        self._client: AsyncOpenAI | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, content: Content) -> LanguageModel | None:
        """The client the settings ask for, or None when the model is off."""
        if settings.llm_base_url is None or settings.llm_model is None:
            return None
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(
            str(settings.llm_base_url),
            model=settings.llm_model,
            content=content,
            api_key=key or None,
            timeout=settings.llm_timeout,
        )

    def _build(self) -> AsyncOpenAI:
        # `import openai` takes 0.3-1 s: paid on the first practice call (in a thread, so the
        # other chats go on), not at every start-up of the bot.
        import openai

        # Its DEBUG records may carry request details; our log lines say enough.
        for name in ("openai", "httpx2", "httpcore2"):
            logging.getLogger(name).setLevel(logging.WARNING)
        client = openai.AsyncOpenAI(
            base_url=self.base_url,
            # Local servers (Ollama, llama.cpp) want no key, but the client insists on one.
            api_key=self._api_key or "not-needed",
            timeout=self.timeout,
            # A retry would only make the rep wait longer; the scripted line is the fallback.
            max_retries=0,
        )
        # Resolve the lazily imported resources here too, off the event loop.
        _ = client.chat.completions
        return client

    async def prepare(self) -> None:
        """Load the client library now (e.g. when a practice call starts), not on the first line."""
        async with self._lock:
            if self._client is None:
                self._client = await asyncio.to_thread(self._build)

    async def _api(self) -> AsyncOpenAI:
        if self._client is None:
            await self.prepare()
        assert self._client is not None
        return self._client

    def messages(self, request: CustomerRequest) -> list[dict[str, str]]:
        """The chat messages sent for a request: the system prompt, then the call so far."""
        lang = self._content.lang(request.lang)
        values = {
            "name": request.name,
            "role": request.role,
            "company": request.company,
            "mood": request.mood,
            "goal": request.goal,
            "phase": request.phase,
            "line": request.line,
            "objection": request.objection or "",
        }
        system = self._template(lang, "system").format_map(values)
        if request.objection:
            system += "\n" + self._template(lang, "objection").format_map(values)
        messages = [{"role": "system", "content": system}]
        for speaker, text in request.history[-MAX_HISTORY:]:
            role = "user" if speaker == "rep" else "assistant"
            messages.append({"role": role, "content": text[:MAX_HISTORY_CHARS]})
        if not any(m["role"] == "user" for m in messages):
            # Chat templates want a turn to answer; before the rep spoke it is the ringing phone.
            messages.append({"role": "user", "content": self._template(lang, "call_starts")})
        while messages[-1]["role"] == "assistant":
            # Servers read a trailing customer line as the start of the reply to continue.
            messages.pop()
        return messages

    async def customer_line(self, request: CustomerRequest) -> str | None:
        """The customer's next line from the model, or None (then say the scripted line)."""
        started = time.perf_counter()
        outcome, line = await self._ask(request)
        # The outcome and the time only: never the texts of the call.
        log.info("llm customer line: %s in %d ms", outcome, (time.perf_counter() - started) * 1000)
        return line if outcome == "ok" else None

    async def _ask(self, request: CustomerRequest) -> tuple[Outcome, str | None]:
        try:
            client = await self._api()
        except Exception as exc:  # a broken install must not end the call
            log.warning("llm client unavailable: %s", type(exc).__name__)
            return "error", None
        import openai  # loaded by now: _api imported it

        try:
            # The client's timeout is per phase (connect, read...); this bounds the whole wait.
            async with asyncio.timeout(self.timeout):
                response = await client.chat.completions.create(
                    model=self.model,
                    messages=self.messages(request),  # type: ignore[arg-type]
                    max_tokens=MAX_TOKENS,
                    temperature=TEMPERATURE,
                )
        except (TimeoutError, openai.APITimeoutError):
            return "timeout", None
        except openai.APIConnectionError:
            return "connection_error", None
        except openai.APIStatusError:
            return "http_error", None
        except (openai.APIError, ValueError):  # ValueError: a body that is no JSON
            return "garbage", None
        except Exception:  # whatever the server sent, the call goes on with the script
            return "error", None
        try:
            choice = response.choices[0]
            raw, finish = choice.message.content, choice.finish_reason
        except (AttributeError, IndexError, TypeError):
            return "garbage", None
        if not isinstance(raw, str):
            return ("empty", None) if raw is None else ("garbage", None)
        return self.judge(request, raw, finish)

    def judge(
        self, request: CustomerRequest, raw: str, finish: str | None = None
    ) -> tuple[Outcome, str | None]:
        """Clean a reply and decide whether it can be said: ("ok", line) or (why not, None)."""
        lang = self._content.lang(request.lang)
        body = _THINK.sub("", raw).strip()
        if not body:
            return "empty", None
        if body[0] in "{[<" or "```" in body:
            return "garbage", None
        line = self._clean(body, request)
        if not line:
            return "empty", None
        if "{" in line or "}" in line or not _mostly_letters(line):
            return "garbage", None
        if finish == "length" or len(line) > MAX_REPLY_CHARS:
            return "too_long", None
        if self._foreign(lang, line):
            return "wrong_language", None
        return "ok", line

    def _clean(self, body: str, request: CustomerRequest) -> str:
        customer = self._labels("customer_labels")
        names = [request.name, request.name.split()[-1] if request.name.split() else ""]
        customer_prefix = _label_pattern([*customer, *names, request.role])
        any_label = _label_pattern([*customer, *self._labels("rep_labels"), *names])
        lines = [line.strip() for line in body.translate(_MARKUP).splitlines()]
        lines = [line for line in lines if line]
        kept = [customer_prefix.sub("", lines[0], count=1)] if lines else []
        for line in lines[1:]:
            if any_label.match(line):
                # The model wrote the rest of the dialogue, too: keep only its own first turn.
                break
            kept.append(line)
        text = " ".join(" ".join(kept).split())
        if text[:1] in _QUOTES:
            text = text.strip(_QUOTES + " ")
        return text

    def _foreign(self, lang: str, line: str) -> bool:
        words = _WORD.findall(line.casefold().replace("’", "'"))
        hits = {
            other: sum(1 for word in words if word in self._stop_words(other))
            for other in self._content.languages
        }
        own = hits.pop(lang, 0)
        return any(count > own for count in hits.values())

    def _template(self, lang: str, key: str) -> str:
        # Not Content.text: that escapes HTML for Telegram, the model wants the plain text.
        value = self._content.texts[lang][f"{KEY}.{key}"]
        if not isinstance(value, str):
            raise TypeError(f"{KEY}.{key} is a list")
        return value

    def _labels(self, key: str) -> list[str]:
        # A model answering in German may still write "Customer:"; strip every language's.
        return [label for lang in self._content.languages for label in self._list(lang, key)]

    def _stop_words(self, lang: str) -> frozenset[str]:
        return frozenset(word.casefold() for word in self._list(lang, "stop_words"))

    def _list(self, lang: str, key: str) -> Sequence[str]:
        return self._content.list(lang, f"{KEY}.{key}")

    async def close(self) -> None:
        """Release the connections."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()


def _label_pattern(labels: Sequence[str]) -> re.Pattern[str]:
    # "Kunde:", "Frau Berger:", "Sabine Berger (Geschäftsführerin):" at the start of a line.
    names = sorted({label.strip() for label in labels if label.strip()}, key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(
        rf"^(?:[^\W\d_]+\.?\s+)?(?:{alternatives})\s*(?:\([^)]*\))?\s*[:：]\s*", re.IGNORECASE
    )


def _mostly_letters(text: str) -> bool:
    visible = [ch for ch in text if not ch.isspace()]
    letters = sum(1 for ch in visible if ch.isalpha())
    return letters > 0 and letters >= MIN_LETTER_SHARE * len(visible)
