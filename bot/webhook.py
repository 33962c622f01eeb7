"""Webhook mode: a small aiohttp server that takes Telegram's updates and answers /healthz.

Telegram posts each update to WEBHOOK_URL (usually a reverse proxy with TLS in front of
WEBHOOK_LISTEN:WEBHOOK_PORT) with the secret from setWebhook in a header. A request without
it, or with another one, is refused before anything is read. A good one is parsed, put on
the Application's update queue and answered 200 at once; the Application processes it.
PTB's own run_webhook has no room for a health check, hence this server.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Final

from aiohttp import web
from sqlalchemy import text
from telegram import Update

from bot.app import App
from bot.config import Settings
from bot.handlers.context import DEPS_KEY, Deps

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH: Final = "/healthz"
# Seconds the health check waits for the database before it reports it as failing.
HEALTH_TIMEOUT: Final = 5.0
# Telegram's updates are small; anything bigger than this is not one.
MAX_UPDATE_BYTES: Final = 1024 * 1024


async def database_ok(app: App) -> bool:
    """Whether the database answers a cheap `SELECT 1` within HEALTH_TIMEOUT seconds."""
    deps: Deps = app.bot_data[DEPS_KEY]

    async def ping() -> None:
        async with deps.storage.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(ping(), HEALTH_TIMEOUT)
    except Exception as exc:  # any failure means "not healthy", never a crash
        log.warning("health check: database failed: %s", type(exc).__name__)
        return False
    return True


def webhook_server(app: App, *, secret: str, path: str) -> web.Application:
    """The aiohttp application: `POST <path>` takes updates, `GET /healthz` reports health."""
    expected = secret.encode()

    async def take_update(request: web.Request) -> web.Response:
        """Check the secret header, queue the update, answer at once."""
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.json_response({"ok": False}, status=401)
        if not hmac.compare_digest(given.encode("utf-8", "replace"), expected):
            return web.json_response({"ok": False}, status=403)
        try:
            data = await request.json()
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.de_json(data, app.bot)
        except Exception as exc:  # malformed bodies are refused, never processed
            log.warning("webhook: refused a malformed update: %s", type(exc).__name__)
            return web.json_response({"ok": False}, status=400)
        await app.update_queue.put(update)
        return web.json_response({"ok": True})

    async def health(_request: web.Request) -> web.Response:
        """200 while the database answers, 503 when it does not."""
        ok = await database_ok(app)
        return web.json_response(
            {"ok": ok, "database": "ok" if ok else "error"}, status=200 if ok else 503
        )

    server = web.Application(client_max_size=MAX_UPDATE_BYTES)
    server.router.add_post(path, take_update)
    server.router.add_get(HEALTH_PATH, health)
    return server


@asynccontextmanager
async def webhook(app: App, settings: Settings) -> AsyncIterator[App]:
    """Run the app behind the webhook server inside the current event loop (like `polling`).

    The server listens before setWebhook, so Telegram's first post finds it. The webhook is
    left in place on stop: other processes behind the same address may still serve it.
    """
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    secret = settings.webhook_secret.get_secret_value()
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        runner = web.AppRunner(
            webhook_server(app, secret=secret, path=settings.webhook_route),
            access_log=None,  # the path may be secret too; no request lines in the log
        )
        try:
            await runner.setup()
            site = web.TCPSite(runner, settings.webhook_listen, settings.webhook_port)
            await site.start()
            await app.bot.set_webhook(
                url=str(settings.webhook_url),
                secret_token=secret,
                allowed_updates=None,
                drop_pending_updates=False,
            )
            yield app
        finally:
            await runner.cleanup()
            await app.stop()
    finally:
        try:
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
        finally:
            await app.shutdown()


def run_webhook(app: App, settings: Settings, on_ready: Callable[[], None]) -> None:
    """Serve by webhook until SIGTERM or Ctrl+C; `on_ready` runs once the server listens."""

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
                loop.add_signal_handler(sig, stop.set)
        async with webhook(app, settings):
            on_ready()
            await stop.wait()

    asyncio.run(serve())
