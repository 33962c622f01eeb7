"""How the bot talks HTTP to the Bot API: python-telegram-bot's request interface over aiohttp.

PTB's default transport (httpx) checks every pooled connection whenever a request starts or
ends; at a few hundred requests a second that bookkeeping cost more CPU than the requests
themselves (see docs/benchmarks.md). aiohttp's connector hands out keep-alive connections
without that scan. PTB documents `BaseRequest` as the place to plug in another client.
"""

from __future__ import annotations

from typing import Final

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Uploads (the week chart, exported files) may take longer to write than a plain request.
MEDIA_WRITE_TIMEOUT: Final = 20.0
CONNECT_TIMEOUT: Final = 5.0


class AiohttpRequest(BaseRequest):
    """A PTB request backend on one aiohttp session with a bounded connection pool."""

    def __init__(
        self,
        *,
        pool_size: int,
        read_timeout: float,
        write_timeout: float,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (once)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, keepalive_timeout=30)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; Telegram's errors come back as status and body, ours as exceptions."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else {}
        read = self._seconds(read_timeout, self._read_timeout)
        write = self._seconds(write_timeout, MEDIA_WRITE_TIMEOUT if files else self._write_timeout)
        connect = self._seconds(connect_timeout, self._connect_timeout)
        pool = self._seconds(pool_timeout, None)
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=pool,
            sock_connect=connect,
            # aiohttp has no separate write timeout: a request may take both, one after the other.
            sock_read=None if read is None else read + (write or 0.0),
        )
        body: aiohttp.FormData | dict[str, str]
        if files:
            body = aiohttp.FormData()
            for name, value in fields.items():
                body.add_field(name, value)
            for name, (filename, content, mime) in files.items():
                body.add_field(name, content, filename=filename, content_type=mime)
        else:
            body = fields
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    @staticmethod
    def _seconds(value: float | object | None, default: float | None) -> float | None:
        if isinstance(value, int | float):
            return float(value)
        if value is None:
            return None
        return default  # PTB's DEFAULT_NONE: use ours
