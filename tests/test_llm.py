"""The language-model customer against a local fake OpenAI-compatible server: the request it
sends, the line it returns, and None for everything that cannot be said on the phone."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.config import SANDBOX_TOKEN, load_settings
from bot.content import Content
from bot.llm import MAX_HISTORY, MAX_HISTORY_CHARS, CustomerRequest, LanguageModel, Speaker

GOOD_DE = "Hm, na gut. Und was genau bieten Sie uns beim Notdienst an?"
SCRIPTED_DE = "Aha. Und was genau wollen Sie mir verkaufen?"
# Contact data the rep has stored in the bot: it is no part of a request, so it never leaves.
CONTACT_NAME = "Jürgen Kowalski-Brandt"
CONTACT_PHONE = "+49 170 5550199"

REQUEST_DE = CustomerRequest(
    lang="de",
    name="Sabine Berger",
    role="Geschäftsführerin",
    company="Berger Haustechnik GmbH",
    mood="beschäftigt, kurz angebunden",
    goal="Einen 20-minütigen Termin vereinbaren.",
    phase="opening",
    objection=None,
    line=SCRIPTED_DE,
    history=(
        ("customer", "Berger, Haustechnik. Ja bitte?"),
        (
            "rep",
            "Guten Tag, Frau Berger, ich rufe an, weil Betriebe beim Notdienst Zeit verlieren.",
        ),
    ),
)
REQUEST_EN = replace(
    REQUEST_DE,
    lang="en",
    role="Managing director",
    mood="busy, curt",
    goal="Agree on a 20-minute appointment.",
    line="I see. And what exactly do you want to sell me?",
    history=(
        ("customer", "Berger speaking. Yes?"),
        ("rep", "Good morning, I'm calling because many firms lose time on emergency calls."),
    ),
)


@pytest.fixture(autouse=True)
def _log_outcomes(caplog: pytest.LogCaptureFixture) -> None:
    """Capture the client's INFO lines: the tests read the outcome from them."""
    caplog.set_level(logging.INFO, logger="bot.llm")


def outcomes(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Each request's outcome, from the client's log lines ("llm customer line: ok in 3 ms")."""
    return [
        record.getMessage().split(": ", 1)[1].split()[0]
        for record in caplog.records
        if record.name == "bot.llm"
    ]


@dataclass
class FakeModelServer:
    """POST /v1/chat/completions: records each request and answers as told."""

    content: str | None = GOOD_DE
    status: int = 200
    finish_reason: str = "stop"
    body: str | None = None  # a raw body instead of a chat completion
    hang: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    base_url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(json.loads(await request.read()))
        self.headers.append(dict(request.headers))
        if self.hang:
            # Far past any timeout the tests set; released when the server stops.
            await asyncio.wait_for(self.release.wait(), timeout=1.0)
        if self.status != 200:
            return web.json_response({"error": {"message": "overloaded"}}, status=self.status)
        if self.body is not None:
            return web.Response(text=self.body, content_type="application/json")
        return web.json_response(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1,
                "model": self.requests[-1].get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": self.content},
                        "finish_reason": self.finish_reason,
                    }
                ],
            }
        )


@pytest.fixture
async def server() -> AsyncIterator[FakeModelServer]:
    """The fake model on a free loopback port: no real network."""
    fake = FakeModelServer()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.handle)
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


@pytest.fixture
async def model(server: FakeModelServer, content: Content) -> AsyncIterator[LanguageModel]:
    """The client pointed at the fake server, with a key and a model name like OpenAI's."""
    llm = LanguageModel(
        server.base_url, model="gpt-test-mini", content=content, api_key="sk-test", timeout=5.0
    )
    try:
        yield llm
    finally:
        await llm.close()


async def test_a_good_line_comes_back(server: FakeModelServer, model: LanguageModel) -> None:
    assert await model.customer_line(REQUEST_DE) == GOOD_DE
    assert len(server.requests) == 1
    assert server.headers[0]["Authorization"] == "Bearer sk-test"


async def test_the_request_carries_the_call_and_nothing_else(
    server: FakeModelServer, model: LanguageModel
) -> None:
    await model.customer_line(replace(REQUEST_DE, objection="Wir haben keinen Bedarf."))
    (body,) = server.requests
    assert set(body) == {"model", "messages", "max_tokens", "temperature"}
    assert body["model"] == "gpt-test-mini"
    system, *turns = body["messages"]
    assert system["role"] == "system"
    for value in ("Sabine Berger", "Geschäftsführerin", "Berger Haustechnik GmbH", SCRIPTED_DE):
        assert value in system["content"]
    assert "Wir haben keinen Bedarf." in system["content"]
    assert "sieze" in system["content"]  # the customer says "Sie" to the rep
    # The call so far: the customer's lines as the model's own, the rep's as the user's.
    assert turns == [
        {"role": "assistant", "content": REQUEST_DE.history[0][1]},
        {"role": "user", "content": REQUEST_DE.history[1][1]},
    ]
    # The rep's contacts are nowhere: not in the body, not in a header.
    raw = json.dumps(body, ensure_ascii=False) + json.dumps(server.headers[0])
    assert CONTACT_NAME not in raw
    assert CONTACT_PHONE not in raw


async def test_english_call_gets_the_english_prompt(
    server: FakeModelServer, model: LanguageModel
) -> None:
    server.content = "Right. And what exactly do you want to sell me?"
    assert await model.customer_line(REQUEST_EN) == server.content
    system = server.requests[0]["messages"][0]["content"]
    assert "Speak English" in system
    assert "Sprich Deutsch" not in system


async def test_before_anyone_spoke_the_phone_rings(
    server: FakeModelServer, model: LanguageModel
) -> None:
    server.content = "Berger, Haustechnik, ja bitte?"
    assert await model.customer_line(replace(REQUEST_DE, history=())) == server.content
    messages = server.requests[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "Telefon klingelt" in messages[1]["content"]


async def test_a_call_that_ends_with_the_customer_is_sent_up_to_the_rep(
    server: FakeModelServer, model: LanguageModel
) -> None:
    history = (*REQUEST_DE.history, ("customer", "Moment, es klingelt auf der anderen Leitung."))
    await model.customer_line(replace(REQUEST_DE, history=history))
    roles = [m["role"] for m in server.requests[0]["messages"]]
    assert roles == ["system", "assistant", "user"]


async def test_a_long_call_sends_its_recent_turns_only(
    server: FakeModelServer, model: LanguageModel
) -> None:
    turns: list[tuple[Speaker, str]] = []
    for n in range(20):
        turns += [("customer", f"Kundensatz {n}."), ("rep", f"Antwort {n}. " + "x" * 2000)]
    await model.customer_line(replace(REQUEST_DE, history=tuple(turns)))
    sent = server.requests[0]["messages"][1:]
    assert len(sent) == MAX_HISTORY
    assert sent[-1]["content"].startswith("Antwort 19.")
    assert "Kundensatz 4." not in json.dumps(sent)
    assert all(len(m["content"]) <= MAX_HISTORY_CHARS for m in sent)


async def test_slow_past_the_timeout_is_none(
    server: FakeModelServer, content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    server.hang = True
    llm = LanguageModel(server.base_url, model="m", content=content, timeout=0.2)
    await llm.prepare()  # the library import is not what this test times
    try:
        started = time.perf_counter()
        assert await llm.customer_line(REQUEST_DE) is None
        assert time.perf_counter() - started < 0.9
    finally:
        await llm.close()
    assert len(server.requests) == 1  # no retry
    assert outcomes(caplog) == ["timeout"]


@pytest.mark.parametrize("status", [500, 503, 401, 404, 429])
async def test_http_errors_are_none(
    server: FakeModelServer, model: LanguageModel, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    server.status = status
    assert await model.customer_line(REQUEST_DE) is None
    assert len(server.requests) == 1  # no retry: the rep is waiting
    assert outcomes(caplog) == ["http_error"]


async def test_no_server_is_none(content: Content, caplog: pytest.LogCaptureFixture) -> None:
    llm = LanguageModel("http://127.0.0.1:9/v1", model="m", content=content, timeout=2.0)
    try:
        assert await llm.customer_line(REQUEST_DE) is None
    finally:
        await llm.close()
    assert outcomes(caplog) == ["connection_error"]


@pytest.mark.parametrize(
    ("reply", "finish", "why"),
    [
        pytest.param(None, "stop", "empty", id="no content"),
        pytest.param("", "stop", "empty", id="empty"),
        pytest.param("   \n ", "stop", "empty", id="blank"),
        pytest.param('"  "', "stop", "empty", id="only quotes"),
        pytest.param("Kunde:", "stop", "empty", id="only a label"),
        pytest.param(
            "<think>Der Anrufer will einen Termin.</think>", "stop", "empty", id="only thinking"
        ),
        pytest.param("Nein. " * 80, "stop", "too_long", id="too long"),
        pytest.param(
            "Na ja, also wissen Sie, bei uns ist das so", "length", "too_long", id="cut off"
        ),
        pytest.param(
            "Well, we are not really interested right now, thank you.",
            "stop",
            "wrong_language",
            id="english",
        ),
        pytest.param("!!! ??? ...", "stop", "garbage", id="no letters"),
        pytest.param("12345 67890 / 4711", "stop", "garbage", id="numbers"),
        pytest.param('{"reply": "Na gut, erzählen Sie."}', "stop", "garbage", id="json"),
        pytest.param('["Na gut."]', "stop", "garbage", id="json list"),
        pytest.param("```\nNa gut.\n```", "stop", "garbage", id="code fence"),
        pytest.param("Ja, {name} hier, was gibt es?", "stop", "garbage", id="template left over"),
        pytest.param("<html><body>502</body></html>", "stop", "garbage", id="html"),
    ],
)
async def test_replies_that_cannot_be_said_are_none(
    server: FakeModelServer,
    model: LanguageModel,
    caplog: pytest.LogCaptureFixture,
    reply: str | None,
    finish: str,
    why: str,
) -> None:
    server.content, server.finish_reason = reply, finish
    assert await model.customer_line(REQUEST_DE) is None
    assert outcomes(caplog) == [why]


async def test_a_german_reply_to_an_english_call_is_none(
    server: FakeModelServer, model: LanguageModel
) -> None:
    server.content = "Nein danke, wir haben wirklich keinen Bedarf."
    assert await model.customer_line(REQUEST_EN) is None


@pytest.mark.parametrize(
    "body",
    [
        "not json at all",
        "{}",
        '{"choices": []}',
        '{"choices": [{"message": {}}]}',
        '{"choices": [{"message": {"content": 42}}]}',
        '{"choices": "x"}',
    ],
)
async def test_bodies_that_are_no_chat_completion_are_none(
    server: FakeModelServer, model: LanguageModel, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    server.body = body
    assert await model.customer_line(REQUEST_DE) is None
    assert outcomes(caplog) in (["garbage"], ["empty"])


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Kunde: Na gut, erzählen Sie.", "Na gut, erzählen Sie."),
        ("**Kundin:** „Na gut, erzählen Sie.“", "Na gut, erzählen Sie."),
        ("Sabine Berger: Na gut, erzählen Sie.", "Na gut, erzählen Sie."),
        ("Frau Berger: Na gut, erzählen Sie.", "Na gut, erzählen Sie."),
        ("Customer: Na gut, erzählen Sie.", "Na gut, erzählen Sie."),
        ('"Na gut, erzählen Sie."', "Na gut, erzählen Sie."),
        ("<think>Er nennt einen Grund.</think>\nNa gut, erzählen Sie.", "Na gut, erzählen Sie."),
        ("Na gut.\nErzählen Sie.", "Na gut. Erzählen Sie."),
        (
            "Na gut, erzählen Sie.\nVerkäufer: Danke, also ...\nKunde: Ja?",
            "Na gut, erzählen Sie.",
        ),
        # No label: a colon in the line itself stays.
        ("Also gut: Donnerstag um zehn passt mir.", "Also gut: Donnerstag um zehn passt mir."),
    ],
)
async def test_labels_and_quotes_are_stripped(
    server: FakeModelServer, model: LanguageModel, reply: str, expected: str
) -> None:
    server.content = reply
    assert await model.customer_line(REQUEST_DE) == expected


async def test_a_local_server_needs_no_key(server: FakeModelServer, content: Content) -> None:
    settings = load_settings(
        telegram_bot_token=SANDBOX_TOKEN, llm_base_url=server.base_url, llm_model="llama3.1"
    )
    llm = LanguageModel.from_settings(settings, content)
    assert llm is not None
    try:
        assert await llm.customer_line(REQUEST_DE) == GOOD_DE
    finally:
        await llm.close()
    assert server.requests[0]["model"] == "llama3.1"
    # The client sends a placeholder, never a key from somewhere else (OPENAI_API_KEY).
    assert server.headers[0]["Authorization"] == "Bearer not-needed"


async def test_log_lines_say_the_outcome_not_the_texts(
    server: FakeModelServer, model: LanguageModel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert await model.customer_line(REQUEST_DE) == GOOD_DE
    server.content = "Well, we are not interested, thank you."
    assert await model.customer_line(REQUEST_DE) is None
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.llm"]
    assert len(lines) == 2
    assert "ok" in lines[0]
    assert "wrong_language" in lines[1]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for text in (GOOD_DE, SCRIPTED_DE, "Sabine Berger", REQUEST_DE.history[1][1], "sk-test"):
        assert text not in logged


def test_off_unless_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name in ("LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    off = load_settings(telegram_bot_token=SANDBOX_TOKEN)
    assert (off.llm_base_url, off.llm_model, off.llm_api_key, off.llm_timeout) == (
        None,
        None,
        None,
        8.0,
    )
    assert LanguageModel.from_settings(off, content) is None
    blank = load_settings(telegram_bot_token=SANDBOX_TOKEN, llm_base_url=" ", llm_model="")
    assert LanguageModel.from_settings(blank, content) is None
    # A model name alone does not switch it on.
    alone = load_settings(telegram_bot_token=SANDBOX_TOKEN, llm_model="gpt-4o-mini")
    assert LanguageModel.from_settings(alone, content) is None
    monkeypatch.setenv("LLM_BASE_URL", "http://ollama:11434/v1")
    monkeypatch.setenv("LLM_MODEL", " llama3.1 ")
    monkeypatch.setenv("LLM_API_KEY", " sk-abc ")
    monkeypatch.setenv("LLM_TIMEOUT", "3.5")
    on = load_settings(telegram_bot_token=SANDBOX_TOKEN)
    assert on.llm_api_key is not None
    assert on.llm_api_key.get_secret_value() == "sk-abc"
    assert "sk-abc" not in repr(on)
    llm = LanguageModel.from_settings(on, content)
    assert llm is not None
    assert (llm.base_url, llm.model, llm.timeout) == ("http://ollama:11434/v1", "llama3.1", 3.5)
