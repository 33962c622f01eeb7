"""Telegram JSON for files inside messages (photo sizes, documents, voice notes, ...)."""

from __future__ import annotations

import struct

from bot.sandbox.models import JSONDict, StoredFile

_FALLBACK_SIZE = (320, 240)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, None if unknown."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        # SOF0..SOF15 carry the frame size, except DHT/JPG/DAC markers
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + length
    return None


def photo_sizes(stored: StoredFile) -> list[JSONDict]:
    """The PhotoSize list of a sent photo (a single size: the sandbox does not resize)."""
    width, height = image_size(stored.data) or _FALLBACK_SIZE
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "width": width,
            "height": height,
        }
    ]


def file_object(stored: StoredFile, **extra: object) -> JSONDict:
    """A Document/Voice/Audio/Video-like object for ``stored``."""
    result: JSONDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
    }
    if stored.file_name is not None:
        result["file_name"] = stored.file_name
    if stored.mime_type is not None:
        result["mime_type"] = stored.mime_type
    result.update({key: value for key, value in extra.items() if value is not None})
    return result
