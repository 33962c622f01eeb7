"""The sandbox HTTP server: a local stand-in for api.telegram.org that PTB can talk to."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Mapping
from types import MappingProxyType, TracebackType
from typing import Any

from aiohttp import web

from bot.sandbox.faults import FaultInjector
from bot.sandbox.methods import BotApi, Handler
from bot.sandbox.models import (
    ApiError,
    InlineAnswer,
    JSONDict,
    RecordedCall,
    StoredFile,
)
from bot.sandbox.params import Params, read_request
from bot.sandbox.users import SandboxUser
from bot.sandbox.world import World

_LOGGER = logging.getLogger(__name__)

# Real tokens are "<bot id>:<35 chars>"; a little slack keeps hand-made test tokens working
_TOKEN_RE = re.compile(r"(\d{1,20}):[A-Za-z0-9_-]{30,64}")
_MAX_UPLOAD = 60 * 1024 * 1024


def _dumps(payload: object) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def _json(status: int, payload: object) -> web.Response:
    return web.Response(status=status, body=_dumps(payload), content_type="application/json")


def _error(status: int, description: str) -> web.Response:
    return _json(status, {"ok": False, "error_code": status, "description": description})


def _chat_id_of(params: JSONDict) -> int | None:
    value = params.get("chat_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
    return None


class Sandbox:
    """A local Telegram Bot API emulator on 127.0.0.1 for tests, demos and benchmarks.

    Point PTB at it with ``base_url``/``base_file_url``. Any well-formed token is accepted
    (the bot id is the part before the colon) unless ``token`` pins one. All tokens share one
    world: one update queue, one set of users; run one bot per sandbox.
    """

    def __init__(
        self,
        *,
        bot_username: str = "SandboxBot",
        bot_first_name: str = "Sandbox Bot",
        token: str | None = None,
        record_calls: bool = True,
    ) -> None:
        self._world = World(
            bot_username=bot_username, bot_first_name=bot_first_name, record_calls=record_calls
        )
        self._api = BotApi(self._world)
        self.faults = FaultInjector()
        self.internal_errors: list[BaseException] = []
        self._token = token
        self._bot_ids: dict[str, int] = {}
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._stopping = asyncio.Event()

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free one, see ``port``)."""
        if self._runner is not None:
            raise RuntimeError("sandbox is already running")
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        # handler_cancellation: a client that hangs up (PTB stopping its long poll) must
        # not leave a getUpdates waiting here for its full timeout
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._stopping = asyncio.Event()
        self._world.closing = False
        address = runner.addresses[0]
        self._host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self._port = int(address[1])

    async def stop(self) -> None:
        """Answer pending long polls and slow faults at once, then close the server."""
        runner = self._runner
        if runner is None:
            return
        self._runner = None
        self._world.close()
        self._stopping.set()
        await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port (known after start)."""
        return self._port

    @property
    def url(self) -> str:
        """Root URL of the server."""
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)`` / ``Bot(base_file_url=...)``."""
        return f"{self.url}/file/bot"

    # -- test API ------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        language_code: str | None = "de",
        username: str | None = None,
        *,
        last_name: str | None = None,
    ) -> SandboxUser:
        """The test user ``user_id`` (created on first use; later calls return the same one)."""
        existing = self._world.users.get(user_id)
        if existing is not None:
            return existing
        created = SandboxUser(
            self._world,
            user_id,
            first_name=first_name,
            last_name=last_name,
            language_code=language_code,
            username=username,
        )
        self._world.users[user_id] = created
        return created

    @property
    def users(self) -> Mapping[int, SandboxUser]:
        """All test users by id."""
        return MappingProxyType(self._world.users)

    @property
    def calls(self) -> list[RecordedCall]:
        """Every Bot API call so far, in arrival order (including faulted ones)."""
        return self._world.calls

    def calls_for(self, method: str) -> list[RecordedCall]:
        """The recorded calls of one method (e.g. ``"sendMessage"``)."""
        entry = self._api.handlers.get(method.lower())
        name = entry[0] if entry is not None else method
        return list(self._world.calls_by_method.get(name, ()))

    def clear_calls(self) -> None:
        """Forget recorded calls (e.g. between benchmark rounds)."""
        self._world.calls.clear()
        self._world.calls_by_method.clear()

    def inline_answer(self, inline_query_id: str) -> InlineAnswer | None:
        """The bot's full answer to an inline query, if it answered."""
        return self._world.inline_answers.get(inline_query_id)

    def inline_answers(self, inline_query_id: str) -> list[JSONDict]:
        """The results the bot answered an inline query with (empty if not answered)."""
        answer = self._world.inline_answers.get(inline_query_id)
        return list(answer.results) if answer is not None else []

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Commands set with setMyCommands for ``scope`` (default scope) and language."""
        key = json.dumps(scope or {"type": "default"}, sort_keys=True, separators=(",", ":"))
        return list(self._world.commands.get((key, language_code), []))

    def file(self, file_id: str) -> StoredFile | None:
        """A stored file by file_id."""
        return self._world.files.get(file_id)

    @property
    def webhook(self) -> JSONDict:
        """The webhook settings the bot made (the sandbox never calls webhooks)."""
        return dict(self._world.webhook)

    @property
    def webhook_secret(self) -> str:
        """The secret_token of the last setWebhook ("" if none)."""
        return self._world.webhook_secret

    @property
    def pending_updates(self) -> int:
        """Queued updates the bot has not confirmed yet."""
        return self._world.pending_updates

    @property
    def inflight(self) -> int:
        """Bot requests (other than getUpdates) being answered right now."""
        return self._world.inflight

    async def wait_idle(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - tests read better with a plain timeout
        *,
        settle: float = 0.05,
    ) -> None:
        """Wait until the bot looks done with everything sent so far (best effort).

        Guarantees on return: every queued update was confirmed by the bot (a later
        getUpdates offset), no other bot request is in flight, and none started during the
        last ``settle`` seconds. A handler still computing without calling the API for
        longer than ``settle`` is not detected; prefer ``user.next_message`` where possible.
        Raises TimeoutError with recent calls if that state is not reached in ``timeout``.
        """
        world = self._world
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                await world.activity.wait_until(lambda: world.idle, deadline - loop.time())
            except TimeoutError:
                raise TimeoutError(
                    f"sandbox not idle within {timeout}s: {world.pending_updates} update(s) "
                    f"not confirmed, {world.inflight} request(s) in flight.\nRecent bot calls:\n"
                    f"{world.recent_calls()}"
                ) from None
            quiet = min(settle, max(deadline - loop.time(), 0.0))
            if not await world.activity.wait(quiet) and world.idle:
                return

    # -- HTTP ----------------------------------------------------------------------------

    def _bot_id(self, token: str) -> int | None:
        bot_id = self._bot_ids.get(token)
        if bot_id is not None:
            return bot_id
        if self._token is not None and token != self._token:
            return None
        match = _TOKEN_RE.fullmatch(token)
        if match is None:
            return None
        bot_id = int(match.group(1))
        self._bot_ids[token] = bot_id
        return bot_id

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        bot_id = self._bot_id(token)
        if bot_id is None:
            return _error(401, "Unauthorized")
        try:
            raw, files = await read_request(request)
        except ApiError as exc:
            return _json(exc.status, exc.payload())
        method = request.match_info["method"]
        entry = self._api.handlers.get(method.lower())
        name = entry[0] if entry is not None else method
        call = RecordedCall(method=name, params=raw, files=files, token=token, at=time.monotonic())
        world = self._world
        world.record(call)
        polling = name == "getUpdates"
        if not polling:
            world.request_started()
        try:
            status, body = await self._dispatch(call, entry, Params(raw, files), bot_id)
        except asyncio.CancelledError:
            call.error = "cancelled: the client went away"
            raise
        finally:
            call.finished_at = time.monotonic()
            if not polling:
                world.request_finished()
        return web.Response(status=status, body=body, content_type="application/json")

    async def _dispatch(
        self,
        call: RecordedCall,
        entry: tuple[str, Handler] | None,
        params: Params,
        bot_id: int,
    ) -> tuple[int, bytes]:
        try:
            if self.faults:
                fault = self.faults.take(call.method, _chat_id_of(call.params))
                if fault is not None:
                    call.fault = fault
                    if fault.delay > 0:
                        await self._pause(fault.delay)
                    error = fault.error()
                    if error is not None:
                        raise error
            if entry is None:
                # the wire answer matches Telegram's; the log says why a real method failed
                _LOGGER.warning("sandbox: Bot API method %r is not implemented", call.method)
                raise ApiError(404, "Not Found")
            result: Any = await entry[1](params, bot_id)
        except ApiError as exc:
            call.status = exc.status
            call.error = exc.description
            return exc.status, _dumps(exc.payload())
        except Exception as exc:
            # a sandbox bug must not look like a Telegram answer; tests can assert on it
            _LOGGER.exception("sandbox failed on %s", call.method)
            self.internal_errors.append(exc)
            call.status = 500
            call.error = f"sandbox error: {exc!r}"
            return 500, _dumps(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            )
        call.status = 200
        call.result = result
        return 200, _dumps({"ok": True, "result": result})

    async def _pause(self, delay: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._stopping.wait()

    async def _handle_file(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if self._bot_id(token) is None:
            return _error(401, "Unauthorized")
        path = request.match_info["path"]
        stored = self._world.files_by_path.get(path)
        call = RecordedCall(
            method="downloadFile",
            params={"file_path": path},
            files={},
            token=token,
            at=time.monotonic(),
            status=200 if stored is not None else 404,
        )
        self._world.record(call)
        if stored is None:
            call.error = "Not Found"
            return _error(404, "Not Found")
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return _error(404, "Not Found")
