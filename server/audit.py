"""Each meeting's audit log: who did what, when (ids only, never what anyone wrote)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

from .clock import Clock, iso
from .store.roles import AuditLog, BoardLog, Counters

# Someone reading or downloading the same minutes again and again within this many seconds
# is written down once: the log says who read what, not how often they pressed reload.
REPEAT_SECONDS = 60


class AuditStore(AuditLog, Counters, Protocol):
    """The audit log, and counters that notice an entry repeated."""


class Audit:
    def __init__(self, log: AuditStore, boards: BoardLog, clock: Clock) -> None:
        self._log = log
        self._boards = boards
        self._clock = clock

    async def record(self, meeting_id: str, event: str, /, **fields: Any) -> None:
        await self._log.append_audit(
            meeting_id, {"at": iso(self._clock()), "event": event, **fields}
        )

    async def record_once_a_minute(self, meeting_id: str, event: str, /, **fields: Any) -> None:
        """Record, unless the same entry was recorded in the last minute. The counter is in
        the store, so that workers share it, under a hash: no id outlives an erasure there."""
        now = self._clock()
        entry = json.dumps([meeting_id, event, fields], sort_keys=True)
        key = hashlib.sha256(entry.encode()).hexdigest()
        if await self._log.add_to_counter("audit_repeat", key, 1, now, now + REPEAT_SECONDS) == 1:
            await self.record(meeting_id, event, **fields)

    async def entries(self, meeting_id: str) -> list[dict[str, Any]]:
        """Every entry, oldest first; NotFound for an unknown meeting."""
        await self._boards.load(meeting_id)
        return await self._log.audit(meeting_id)
