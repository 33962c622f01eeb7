"""Builds the python-telegram-bot Application: settings in, a ready-to-run bot out."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.coach.access import deep_link
from bot.coach.objections import Matcher, Playbook
from bot.config import Settings
from bot.content import DEFAULT_PROMPTS, Content
from bot.handlers.context import DEPS_KEY, Deps, utc_now
from bot.handlers.ordering import PerChatUpdateProcessor
from bot.handlers.register import command_name, register
from bot.handlers.team_scenarios import load_stored as load_stored_scenarios
from bot.llm import LanguageModel
from bot.playbook import (
    load_pitch_rubrics,
    load_playbooks,
    load_rubrics,
    parse_team_playbook,
)
from bot.ratelimit import RateLimiter
from bot.scenarios import load_roleplays
from bot.scheduler.checkins import CHECKINS_KEY, Checkins
from bot.scheduler.retention import RETENTION_KEY, Retention
from bot.scheduler.sender import Sender
from bot.speech import SpeechClient
from bot.storage import open_storage
from bot.storage.notices import REFRESH_SECONDS as NOTICE_REFRESH_SECONDS
from bot.transport import AiohttpRequest

log = logging.getLogger(__name__)

# The commands shown in Telegram's menu, in this order; descriptions come from content.
COMMANDS: tuple[str, ...] = (
    "today",
    "objection",
    "practice",
    "roleplay",
    "log",
    "goals",
    "week",
    "audit",
    "pitch",
    "followups",
    "contacts",
    "settings",
    "pause",
    "resume",
    "privacy",
    "export",
    "delete",
    "help",
    "cancel",
    "start",
)

# The retention job runs daily, the first time a few minutes after the start.
RETENTION_INTERVAL = timedelta(days=1)
RETENTION_FIRST = timedelta(minutes=5)
# How often the reps' "last seen" times noted in memory are written.
SEEN_FLUSH_INTERVAL = timedelta(minutes=1)

# Connections beyond the concurrent updates, for the scheduler and the error handler.
POOL_HEADROOM = 2

App = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    settings: Settings,
    content: Content,
    *,
    clock: Callable[[], datetime] = utc_now,
    error_hook: Callable[[object, BaseException], None] | None = None,
) -> App:
    """Build the Application with handlers, rate limiter, and storage opened in post_init."""
    playbooks = load_playbooks(DEFAULT_PROMPTS)
    rubrics = load_rubrics(DEFAULT_PROMPTS)
    pitch_rubrics = load_pitch_rubrics(DEFAULT_PROMPTS)
    deps = Deps(
        settings=settings,
        content=content,
        clock=clock,
        error_hook=error_hook,
        playbooks=playbooks,
        matchers={lang: Matcher(playbook.entries) for lang, playbook in playbooks.items()},
        rubrics=rubrics,
        pitch_rubrics=pitch_rubrics,
        speech=SpeechClient.from_settings(settings),
        # Parsed once here, checked against the playbooks: a broken scenario stops the start.
        roleplays=load_roleplays(playbooks, rubrics, pitch_rubrics, DEFAULT_PROMPTS),
        llm=LanguageModel.from_settings(settings, content),
    )

    async def post_init(app: App) -> None:
        deps.attach(await open_storage(settings.database_url))
        # The first update of each rep after a start is then as cheap as every later one.
        await deps.storage.users.warm_cache()
        await deps.storage.access.warm_cache()
        await deps.storage.notices.refresh()
        for lang, source in (await deps.storage.team_playbooks.all()).items():
            team = parse_team_playbook(source, lang)
            if isinstance(team, Playbook) and lang in deps.playbooks:
                deps.use_team_playbook(team)
            else:
                log.error("stored team playbook refused: lang=%s", lang)
        # After the team playbooks: a team scenario may raise one of their entries.
        await load_stored_scenarios(deps)
        await set_commands(app, content)
        start_checkins(app, deps, settings)
        start_retention(app, deps, settings)
        await announce_owner_link(app, deps, settings)

    async def post_shutdown(_app: App) -> None:
        try:
            if deps.speech is not None:
                await deps.speech.close()
            if deps.llm is not None:
                await deps.llm.close()
        finally:
            await deps.close_storage()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # A rate of 0 lifts the overall cap but keeps the per-chat limits and the 429 retries.
        # With several processes on one token each takes its share (BOT_PROCESSES).
        .rate_limiter(
            RateLimiter(
                overall_rate=settings.rate_per_process,
                max_retries=settings.rate_limit_retries,
            )
        )
        .request(
            AiohttpRequest(
                pool_size=max(settings.concurrent_updates, settings.send_concurrency)
                + POOL_HEADROOM,
                read_timeout=settings.telegram_timeout,
                write_timeout=settings.telegram_timeout,
            )
        )
        .get_updates_request(
            AiohttpRequest(
                pool_size=1,
                read_timeout=settings.telegram_timeout,
                write_timeout=settings.telegram_timeout,
            )
        )
        .concurrent_updates(PerChatUpdateProcessor(settings.concurrent_updates))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_api_base_url is not None:
        builder = builder.base_url(str(settings.telegram_api_base_url))
    if settings.telegram_api_file_url is not None:
        builder = builder.base_file_url(str(settings.telegram_api_file_url))
    app: App = builder.build()
    app.bot_data[DEPS_KEY] = deps
    register(app)
    return app


def start_checkins(app: App, deps: Deps, settings: Settings) -> Checkins:
    """Build the check-in engine and, unless switched off, run its tick on the JobQueue."""
    checkins = Checkins(
        deps,
        app.bot,
        Sender(app.bot),
        concurrency=settings.send_concurrency,
        lease=timedelta(seconds=settings.delivery_lease_seconds),
    )
    app.bot_data[CHECKINS_KEY] = checkins

    async def tick(_context: object) -> None:
        report = await checkins.tick(deps.clock())
        if report.claimed or report.retried or report.failed:
            log.info(
                "check-ins: claimed=%d sent=%d skipped=%d failed=%d blocked=%d retried=%d",
                report.claimed,
                report.sent,
                report.skipped,
                report.failed,
                report.blocked,
                report.retried,
            )

    if settings.checkin_tick_seconds > 0 and app.job_queue is not None:
        app.job_queue.run_repeating(
            tick, interval=settings.checkin_tick_seconds, first=1.0, name="checkins"
        )
    return checkins


def start_retention(app: App, deps: Deps, settings: Settings) -> Retention:
    """Build the retention job and, unless data is kept forever, run it daily on the JobQueue."""
    retention = Retention(deps)
    app.bot_data[RETENTION_KEY] = retention

    async def expire(_context: object) -> None:
        await retention.expire(deps.clock())

    async def flush_seen(_context: object) -> None:
        await deps.storage.access.flush_seen()

    async def refresh_notices(_context: object) -> None:
        await deps.storage.notices.refresh()

    if app.job_queue is not None:
        app.job_queue.run_repeating(flush_seen, interval=SEEN_FLUSH_INTERVAL, name="last-seen")
        if deps.storage.notices.shared:
            # Another process may have written a notice for a rep whose next update comes here.
            app.job_queue.run_repeating(
                refresh_notices, interval=NOTICE_REFRESH_SECONDS, name="reply-notices"
            )
        if settings.retention_days > 0:
            app.job_queue.run_repeating(
                expire, interval=RETENTION_INTERVAL, first=RETENTION_FIRST, name="retention"
            )
    return retention


async def announce_owner_link(app: App, deps: Deps, settings: Settings) -> str | None:
    """Invite mode without any admin: make the one-time link that makes its opener the admin,
    and say in the log how to get it (the link itself is a credential and stays out of it).

    The link is stored, so every start and `sales-coach owner-link` give the same one until
    somebody used it.
    """
    if settings.access_mode != "invite" or settings.admin_ids:
        return None
    invite = await deps.storage.access.owner_invite(deps.clock())
    if invite is None:
        return None
    log.warning(
        "no admin yet: `sales-coach owner-link` prints the one-time link whose first opener "
        "becomes the bot's admin (or set ADMIN_IDS)"
    )
    return deep_link(app.bot.username, invite.code)


async def set_commands(app: App, content: Content) -> None:
    """Publish the command menu in every language, and in the default one for everybody else."""
    for lang in content.languages:
        # German reps see the German names (/heute); every name works for everybody.
        commands = [
            BotCommand(command_name(c, lang), content.text(lang, f"commands.{c}")) for c in COMMANDS
        ]
        await app.bot.set_my_commands(commands, language_code=lang)
    default = [
        BotCommand(
            command_name(c, content.default_language),
            content.text(content.default_language, f"commands.{c}"),
        )
        for c in COMMANDS
    ]
    await app.bot.set_my_commands(default, scope=BotCommandScopeDefault())


@asynccontextmanager
async def polling(app: App, *, poll_timeout: int = 10) -> AsyncIterator[App]:
    """Run the app with long polling inside the current event loop (demo, tests, benchmarks).

    `run_polling` owns the loop and calls post_init/post_shutdown itself; driven by hand,
    PTB leaves those calls to us.
    """
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
    finally:
        try:
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
        finally:
            await app.shutdown()
