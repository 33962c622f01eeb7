"""Reading Bot API requests: query string, form, multipart or JSON body, and typed access."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import BodyPartReader, web

from bot.sandbox.models import JSONDict, Upload, bad_request

# Form values are JSON-encoded unless they are strings (see PTB's RequestParameter.json_value),
# so a string field must never be JSON-decoded: the text "123" has to stay a string.
STRING_FIELDS = frozenset(
    {
        "action",
        "address",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "custom_title",
        "data",
        "description",
        "document",
        "emoji",
        "explanation",
        "file_id",
        "first_name",
        "inline_message_id",
        "inline_query_id",
        "ip_address",
        "language_code",
        "last_name",
        "name",
        "next_offset",
        "parse_mode",
        "phone_number",
        "photo",
        "query",
        "question",
        "secret_token",
        "short_description",
        "sticker",
        "switch_pm_parameter",
        "switch_pm_text",
        "text",
        "thumbnail",
        "title",
        "url",
        "video",
        "video_note",
        "voice",
    }
)

_JSON_START = frozenset('{["-0123456789tfn')


def decode_value(key: str, value: str) -> Any:
    """Turn one form value back into what the client JSON-encoded."""
    if key in STRING_FIELDS or not value or value[0] not in _JSON_START:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_request(request: web.Request) -> tuple[JSONDict, dict[str, Upload]]:
    """All parameters of a request (query, then body) and uploaded files by part name."""
    params: JSONDict = {}
    files: dict[str, Upload] = {}
    for key, value in request.query.items():
        params[key] = decode_value(key, value)
    if request.method not in ("POST", "PUT") or not request.can_read_body:
        return params, files
    ctype = request.content_type
    if ctype == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            raw = await part.read(decode=False)
            if part.filename is not None:
                files[part.name] = Upload(
                    data=bytes(raw),
                    filename=part.filename,
                    content_type=part.headers.get("Content-Type"),
                )
            else:
                params[part.name] = decode_value(part.name, raw.decode("utf-8", "replace"))
        return params, files
    body = await request.read()
    if not body:
        return params, files
    if ctype == "application/json":
        try:
            loaded = json.loads(body)
        except ValueError as exc:
            raise bad_request("can't parse JSON encoded request body") from exc
        if not isinstance(loaded, dict):
            raise bad_request("can't parse JSON encoded request body")
        for key, value in loaded.items():
            # some clients JSON-encode objects twice even in JSON bodies
            params[key] = decode_value(key, value) if isinstance(value, str) else value
        return params, files
    for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        params[key] = decode_value(key, value)
    return params, files


class Params:
    """Typed, validating access to one request's parameters."""

    __slots__ = ("files", "raw")

    def __init__(self, raw: JSONDict, files: dict[str, Upload]) -> None:
        self.raw = raw
        self.files = files

    def __contains__(self, name: str) -> bool:
        return name in self.raw and self.raw[name] is not None

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """A string parameter (numbers are accepted and converted, as Telegram does)."""
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        raise bad_request(f'field "{name}" must be of type String')

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter; strings of digits are accepted."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f"invalid {name} specified")

    def get_float(self, name: str, default: float | None = None) -> float | None:
        """A float parameter."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise bad_request(f"invalid {name} specified")

    def get_bool(self, name: str, default: bool = False) -> bool:
        """A boolean parameter ('true'/'false'/'1'/'0' accepted)."""
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        raise bad_request(f"invalid {name} specified")

    def _json(self, name: str, kind: type, label: str) -> Any:
        # Form posts carry JSON as a string; a JSON body carries it already decoded.
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise bad_request(f"can't parse {name} JSON {label}") from exc
        if not isinstance(value, kind):
            raise bad_request(f"can't parse {name} JSON {label}")
        return value

    def get_object(self, name: str) -> JSONDict | None:
        """A JSON object parameter (already decoded, or a JSON string)."""
        value: JSONDict | None = self._json(name, dict, "object")
        return value

    def get_array(self, name: str) -> list[Any] | None:
        """A JSON array parameter (already decoded, or a JSON string)."""
        value: list[Any] | None = self._json(name, list, "array")
        return value

    def require_int(self, name: str) -> int:
        """An integer that must be present."""
        value = self.get_int(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value
