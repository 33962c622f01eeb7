"""A real `sales-coach run` at LOG_LEVEL=DEBUG: its log holds no message text, no contact data
and no token, neither of a rep nor of a refused stranger."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.config import SANDBOX_TOKEN
from bot.sandbox import Sandbox

MARKER = "Zebrafink4711"
PHONE = "0171 5550123"
CONTACT_NAME = "Erika Mustermann"


async def test_the_log_holds_no_message_text_contact_or_token(
    tmp_path: Path, database_url: str
) -> None:
    async with Sandbox(bot_username="SalesCoachBot") as sandbox:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
            "TELEGRAM_API_BASE_URL": sandbox.base_url,
            "TELEGRAM_API_FILE_URL": sandbox.base_file_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "DEBUG",
            "ACCESS_MODE": "allowlist",
            "ALLOWED_USER_IDS": "601",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            rep = sandbox.user(601, language_code="de")
            rep.send_command("start")
            await rep.next_message(timeout=30)
            rep.send_text(f"{MARKER} ist zu teuer")
            await rep.next_message()
            rep.send_text(f"{CONTACT_NAME}, Bäckerei {MARKER}, {PHONE}")
            await rep.next_message()
            rep.share_contact(PHONE)
            await rep.next_message()
            rep.inline_query(f"{MARKER} zu teuer")
            stranger = sandbox.user(602, language_code="en")
            stranger.send_text(f"{MARKER} from a stranger, call me at {PHONE}")
            assert "602" in (await stranger.next_message()).text
            # The rep's chat runs in order: once /help is answered, all of the above was handled.
            rep.send_command("help")
            await rep.wait_for(lambda: any("/today" in m.text for m in rep.messages))
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0
    log = out.decode() + err.decode()
    assert "Application started" in log, "the run did log"
    assert "access refused" in log
    for secret in (MARKER, PHONE, CONTACT_NAME, SANDBOX_TOKEN, SANDBOX_TOKEN.split(":")[1]):
        assert secret not in log, secret
