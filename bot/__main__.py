"""Command line: `sales-coach run | demo | db upgrade | db copy | check-content | owner-link`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import SANDBOX_TOKEN, Settings, SettingsError, load_settings
from bot.content import DEFAULT_PROMPTS, Content, ContentError, load_content
from bot.logs import setup_logging

DEMO_DATABASE = Path("data/demo.db")
DEMO_USER_ID = 4242
EXIT_CONFIG = 2
# The prompts folder check-content validates (tests point it at a broken copy).
PROMPTS_DIR = DEFAULT_PROMPTS


def operator_language() -> str:
    """The language for command-line messages: DEFAULT_LANGUAGE if it is one we have."""
    lang = os.environ.get("DEFAULT_LANGUAGE", "de").strip().lower()
    return lang if lang in {"de", "en"} else "de"


def _say(content: Content, key: str, lang: str | None = None, **values: object) -> None:
    print(content.text(lang or operator_language(), f"operator.{key}", **values))


def _fail(content: Content, error: SettingsError) -> int:
    text = content.text(
        operator_language(), f"operator.settings.{error.problem}", variable=error.variable
    )
    print(text, file=sys.stderr)
    return EXIT_CONFIG


def check_files(prompts_dir: Path) -> int:
    """Load the playbooks, rubrics and practice-call scenarios as the bot does at start;
    the number of scenarios per language. Raises ContentError naming the broken file."""
    from bot.playbook import load_pitch_rubrics, load_playbooks, load_rubrics
    from bot.scenarios import load_roleplays

    playbooks = load_playbooks(prompts_dir)
    books = load_roleplays(
        playbooks, load_rubrics(prompts_dir), load_pitch_rubrics(prompts_dir), prompts_dir
    )
    return min(len(book.scenarios) for book in books.values())


def run(content: Content, settings: Settings) -> int:
    """Run the real bot with long polling, or by webhook with WEBHOOK_URL, until Ctrl+C."""
    from bot.app import build_application

    webhook_secret = settings.webhook_secret
    setup_logging(
        settings.log_level,
        settings.telegram_bot_token.get_secret_value(),
        *([webhook_secret.get_secret_value()] if webhook_secret is not None else []),
    )
    app = build_application(settings, content)
    if settings.webhook_url is not None:
        # Webhook mode: Telegram posts updates to WEBHOOK_URL; see bot/webhook.py.
        from bot.webhook import run_webhook

        run_webhook(
            app,
            settings,
            lambda: _say(
                content,
                "running_webhook",
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                path=settings.webhook_route,
            ),
        )
        return 0
    _say(content, "running")
    app.run_polling(allowed_updates=None, drop_pending_updates=False)
    return 0


async def demo(content: Content, database: Path, language: str, log_file: Path | None) -> int:
    """A terminal chat with the real bot, through the local sandbox API: no Telegram needed.

    With `log_file`, the bot's log goes there at LOG_LEVEL (default INFO), as `run` writes it.
    """
    from bot.app import build_application, polling
    from bot.sandbox import Sandbox
    from bot.sandbox.terminal import run_terminal_chat

    # The chat owns the terminal: the log goes to a file, or only errors show.
    if log_file is None:
        logging.basicConfig(level=logging.ERROR)
    else:
        level = os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        setup_logging(level, SANDBOX_TOKEN, stream=log_file.open("a", encoding="utf-8"))
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        settings = load_settings(
            telegram_bot_token=SANDBOX_TOKEN,
            telegram_api_base_url=sandbox.base_url,
            telegram_api_file_url=sandbox.base_file_url,
            database_url=f"sqlite+aiosqlite:///{database}",
            default_language=language,
            # One local user and no Telegram: nobody to invite, nothing to keep out.
            access_mode="open",
        )
        async with polling(build_application(settings, content)):
            # The demo speaks the demo user's language from its first line.
            _say(content, "demo_intro", language)
            _say(content, "demo_database", language, path=str(database))
            user = sandbox.user(DEMO_USER_ID, first_name="Demo", language_code=language)
            await run_terminal_chat(sandbox, user)
    return 0


async def db_upgrade(content: Content, settings: Settings) -> int:
    """Apply all migrations to the configured database."""
    from bot.storage.engine import create_engine
    from bot.storage.migrate import current, upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        _say(content, "db_upgraded", revision=await current(engine) or "-")
    finally:
        await engine.dispose()
    return 0


async def owner_link(content: Content, settings: Settings) -> int:
    """Print the one-time link that makes its first opener the admin (invite mode, no admin).

    On the console only: the running bot's log says that this command exists, never the link.
    """
    from telegram import Bot

    from bot.coach.access import deep_link
    from bot.handlers.context import utc_now
    from bot.storage import open_storage

    if settings.access_mode != "invite" or settings.admin_ids:
        _say(content, "owner_link_not_needed")
        return 1
    storage = await open_storage(settings.database_url)
    try:
        invite = await storage.access.owner_invite(utc_now())
    finally:
        await storage.close()
    if invite is None:
        _say(content, "owner_link_used")
        return 1
    token = settings.telegram_bot_token.get_secret_value()
    base_url = settings.telegram_api_base_url
    bot = Bot(token) if base_url is None else Bot(token, base_url=str(base_url))
    async with bot:
        username = bot.username
    _say(content, "owner_link", link=deep_link(username, invite.code))
    return 0


async def db_copy(content: Content, source: str, target: str) -> int:
    """Copy all data from one database into an empty one (e.g. SQLite to PostgreSQL)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.config import normalize_database_url
    from bot.storage.copy import CopyError, copy_database, display_url

    urls: list[str] = []
    for option, value in (("--from", source), ("--to", target)):
        try:
            urls.append(normalize_database_url(value))
        except ValueError:
            return _fail(content, SettingsError(option, "url"))
    try:
        report = await copy_database(urls[0], urls[1])
    except CopyError as exc:
        text = content.text(operator_language(), f"operator.{exc.problem}", **exc.values)
        print(text, file=sys.stderr)
        return EXIT_CONFIG
    except (SQLAlchemyError, OSError) as exc:
        text = content.text(operator_language(), "operator.copy_failed", error=str(exc))
        print(text, file=sys.stderr)
        return 1
    for table in report.tables:
        _say(content, "copy_table", table=table.table, rows=table.rows)
    _say(
        content,
        "copy_done",
        rows=report.rows,
        tables=len(report.tables),
        source=display_url(urls[0]),
        target=display_url(urls[1]),
    )
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    p = argparse.ArgumentParser(prog="sales-coach", description="Sales Coach Bot")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot: long polling, or a webhook when WEBHOOK_URL is set")
    d = sub.add_parser("demo", help="chat with the bot in this terminal, no Telegram needed")
    d.add_argument("--database", type=Path, default=DEMO_DATABASE, help="SQLite file for the demo")
    d.add_argument(
        "--language", choices=("de", "en"), default="de", help="the demo user's language"
    )
    d.add_argument(
        "--log", type=Path, metavar="FILE", help="write the bot's log (at LOG_LEVEL) to FILE"
    )
    db = sub.add_parser("db", help="database commands")
    db.add_argument("action", choices=("upgrade", "copy"))
    # `db copy` only: copy everything into an empty database (it refuses one that holds data).
    db.add_argument("--from", dest="source", metavar="URL", help="copy: the database to read")
    db.add_argument("--to", dest="target", metavar="URL", help="copy: the empty database to fill")
    sub.add_parser("check-content", help="load and validate every text under prompts/")
    sub.add_parser("owner-link", help="print the one-time link that makes its opener the admin")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `sales-coach` console script."""
    args = parser().parse_args(argv)
    # PTB 22 reports durations as timedelta only on request; the old ints are deprecated.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    try:
        content = load_content(PROMPTS_DIR)
    except ContentError as exc:
        print(f"prompts/: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.command == "check-content":
        try:
            scenarios = check_files(PROMPTS_DIR)
        except ContentError as exc:
            print(f"prompts/: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        count = len(content.texts[content.default_language])
        _say(content, "content_ok", count=count, languages=", ".join(content.languages))
        _say(content, "scenarios_ok", count=scenarios)
        return 0
    if args.command == "demo":
        try:
            return asyncio.run(demo(content, args.database, args.language, args.log))
        except KeyboardInterrupt:
            return 0
    if args.command == "db" and args.action == "copy":
        # No bot token needed: the two databases come from the command line.
        if not args.source or not args.target:
            parser().error("db copy needs --from URL and --to URL")
        content = Content(content.texts, operator_language())
        return asyncio.run(db_copy(content, args.source, args.target))
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(content, exc)
    content = Content(content.texts, settings.default_language)
    if args.command == "run":
        return run(content, settings)
    if args.command == "owner-link":
        return asyncio.run(owner_link(content, settings))
    return asyncio.run(db_upgrade(content, settings))


if __name__ == "__main__":
    sys.exit(main())
