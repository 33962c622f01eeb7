"""Fault injection: make chosen Bot API calls fail or answer slowly, as Telegram sometimes does."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from types import MappingProxyType

from bot.sandbox.models import ApiError

_DESCRIPTIONS: Mapping[int, str] = MappingProxyType(
    {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }
)


@dataclass(eq=False, slots=True)
class Fault:
    """One injected fault; ``hits`` counts the requests it has affected so far."""

    method: str | None
    status: int | None
    retry_after: int | None
    description: str | None
    delay: float
    times: int | None
    chat_id: int | None
    hits: int = 0

    @property
    def remaining(self) -> int | None:
        """How many more requests it will affect (None: unlimited)."""
        return None if self.times is None else max(self.times - self.hits, 0)

    @property
    def exhausted(self) -> bool:
        """True once it has affected ``times`` requests."""
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether a request to ``method`` (for ``chat_id``) is affected."""
        if self.method is None:
            # getUpdates runs all the time; wildcard faults would hit it at random
            if method == "getUpdates":
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError | None:
        """The error answer this fault produces (None for a pure delay)."""
        if self.status is None:
            return None
        if self.status == 429:
            seconds = 1 if self.retry_after is None else self.retry_after
            text = self.description or f"Too Many Requests: retry after {seconds}"
            return ApiError(429, text, {"retry_after": seconds})
        text = self.description or _DESCRIPTIONS.get(self.status) or _phrase(self.status)
        return ApiError(self.status, text)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class FaultInjector:
    """The active faults of one sandbox, consulted before every request."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        method: str | None = None,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        description: str | None = None,
        delay: float = 0.0,
        times: int | None = 1,
        chat_id: int | None = None,
    ) -> Fault:
        """Fail (or delay) the next ``times`` matching calls; ``times=None`` means forever.

        ``method=None`` matches every method except getUpdates. ``retry_after`` without a
        status means 429. A fault with only ``delay`` answers slowly and then normally.
        """
        if status is None and retry_after is not None:
            status = 429
        if status is None and delay <= 0:
            raise ValueError("a fault needs a status, retry_after or a delay")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for unlimited)")
        fault = Fault(
            method=method,
            status=status,
            retry_after=retry_after,
            description=description,
            delay=delay,
            times=times,
            chat_id=chat_id,
        )
        self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        """Deactivate one fault."""
        if fault in self._faults:
            self._faults.remove(fault)

    def clear(self) -> None:
        """Deactivate all faults."""
        self._faults.clear()

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """The first active fault matching this request, counting the hit."""
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.hits += 1
                if fault.exhausted:
                    self._faults.remove(fault)
                return fault
        return None

    def __bool__(self) -> bool:
        return bool(self._faults)

    def __len__(self) -> int:
        return len(self._faults)

    def __iter__(self) -> Iterator[Fault]:
        return iter(list(self._faults))
