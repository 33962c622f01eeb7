"""File uploads (multipart), file_id reuse, getFile and downloads."""

from __future__ import annotations

import datetime as dtm
import struct
import zlib

import pytest
import telegram
from telegram import InputFile
from telegram.error import BadRequest

from bot.sandbox import Sandbox, SandboxUser
from tests.sandbox.conftest import USER_ID


def tiny_png(width: int, height: int) -> bytes:
    """A valid PNG header is enough for the sandbox to read the size."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


async def test_user_voice_note_can_be_downloaded(bot: telegram.Bot, user: SandboxUser) -> None:
    audio = b"OggS" + bytes(range(256)) * 4
    user.send_voice(audio, duration=3)
    updates = await bot.get_updates()
    voice = updates[0].message.voice if updates[0].message else None
    assert voice is not None
    assert voice.duration == dtm.timedelta(seconds=3)
    assert voice.mime_type == "audio/ogg"
    assert voice.file_size == len(audio)

    file = await voice.get_file()
    assert file.file_path is not None
    assert file.file_path.startswith(bot.base_file_url)
    assert bytes(await file.download_as_bytearray()) == audio


async def test_send_photo_upload(bot: telegram.Bot, sandbox: Sandbox, user: SandboxUser) -> None:
    png = tiny_png(64, 32)
    sent = await bot.send_photo(
        USER_ID, InputFile(png, filename="chart.png"), caption="<i>Umsatz</i>", parse_mode="HTML"
    )
    assert sent.caption == "Umsatz"
    assert [(e.type, e.length) for e in sent.caption_entities] == [("italic", 6)]
    assert (sent.photo[-1].width, sent.photo[-1].height) == (64, 32)

    stored = await user.next_message()
    assert stored.file is not None
    assert stored.file.data == png
    call = sandbox.calls_for("sendPhoto")[0]
    assert call.files["photo"].data == png
    assert call.params["caption"] == "<i>Umsatz</i>"

    again = await bot.send_photo(USER_ID, sent.photo[-1].file_id)
    assert again.photo[-1].file_id == sent.photo[-1].file_id
    downloaded = await (await bot.get_file(again.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded) == png


async def test_send_document_upload(bot: telegram.Bot, user: SandboxUser) -> None:
    content = b"Zeile 1\nZeile 2\n"
    sent = await bot.send_document(USER_ID, content, filename="notiz.txt", caption="Notiz")
    assert sent.document is not None
    assert sent.document.file_name == "notiz.txt"
    assert sent.document.file_size == len(content)
    assert sent.caption == "Notiz"
    stored = user.messages[-1]
    assert stored.file is not None
    assert stored.file.data == content
    assert stored.file.file_name == "notiz.txt"


async def test_media_errors(bot: telegram.Bot, user: SandboxUser) -> None:
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_document(USER_ID, "no-such-file-id")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER_ID, b"x", filename="a.txt", caption="x" * 1025)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("no-such-file-id")
    via_url = await bot.send_photo(USER_ID, "https://example.com/a.jpg")
    assert via_url.photo


async def test_send_voice_upload(bot: telegram.Bot, user: SandboxUser) -> None:
    sent = await bot.send_voice(USER_ID, b"OggS-data", duration=2)
    assert sent.voice is not None
    assert sent.voice.duration == dtm.timedelta(seconds=2)
    assert user.messages[-1].file is not None
