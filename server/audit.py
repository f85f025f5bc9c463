"""Each meeting's audit log: who did what, when (ids only, never what anyone wrote)."""

from __future__ import annotations

from typing import Any

from .clock import Clock, iso
from .store.roles import AuditLog, BoardLog


class Audit:
    def __init__(self, log: AuditLog, boards: BoardLog, clock: Clock) -> None:
        self._log = log
        self._boards = boards
        self._clock = clock

    async def record(self, meeting_id: str, event: str, **fields: Any) -> None:
        await self._log.append_audit(
            meeting_id, {"at": iso(self._clock()), "event": event, **fields}
        )

    async def entries(self, meeting_id: str) -> list[dict[str, Any]]:
        """Every entry, oldest first; NotFound for an unknown meeting."""
        await self._boards.load(meeting_id)
        return await self._log.audit(meeting_id)
