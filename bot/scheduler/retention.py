"""Retention: once a day, the data of reps inactive for RETENTION_DAYS is erased like /delete."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from bot.coach.access import retention_cutoff
from bot.handlers.context import Deps

log = logging.getLogger(__name__)

# Where build_application keeps the job's engine in bot_data (tests call `expire` directly).
RETENTION_KEY: Final = "retention"


class Retention:
    """Finds reps whose last activity is older than the retention period and erases them."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def expire(self, now: datetime) -> list[int]:
        """Erase every rep not seen for RETENTION_DAYS before `now`; returns their ids."""
        cutoff = retention_cutoff(now, self._deps.settings.retention_days)
        if cutoff is None:
            return []
        storage = self._deps.storage
        await storage.access.flush_seen()  # judge by what this process saw too
        expired = await storage.data.expired(cutoff)
        for user_id in expired:
            await storage.data.erase(user_id)
        if expired:
            log.info("retention: erased the data of %d inactive reps", len(expired))
        return expired
