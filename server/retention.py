"""Retention: erasing a meeting (on request, or once its time after closing is up)."""

from __future__ import annotations

import asyncio
import logging

from .audit import Audit
from .board.errors import KinboardError
from .board.model import Meeting
from .clock import Clock, parse_iso
from .sessions import Sessions
from .settings import Settings
from .store.roles import BoardLog

log = logging.getLogger("kinboard.retention")

# The audit log of erasures: kept apart from every meeting's, so that it outlives them.
ERASURE_LOG = "_erasures"
# Who erases a meeting whose time after closing is up.
RETENTION = "retention"


class Retention:
    def __init__(
        self, settings: Settings, store: BoardLog, clock: Clock, sessions: Sessions, audit: Audit
    ) -> None:
        self._settings = settings
        self._store = store
        self._clock = clock
        self._sessions = sessions
        self._audit = audit

    def purge_at(self, meeting: Meeting) -> float | None:
        """When a closed meeting is erased; None while it is not closed."""
        if meeting.closed_at is None:
            return None
        return parse_iso(meeting.closed_at) + self._settings.retention_days * 86400

    async def erase(self, meeting_id: str, by: str) -> None:
        """Remove everything held about the meeting, now, and close its sockets. Who
        erased it and when stays in the log of erasures (ids only), written first: an
        erasure that fails half-way is still on record, and is done again by a retry."""
        await self._store.load(meeting_id)  # NotFound for an unknown meeting
        await self._audit.record(ERASURE_LOG, "meeting.erased", meeting_id=meeting_id, by=by)
        await self._sessions.end(meeting_id)
        await self._store.erase(meeting_id)

    async def purge_expired(self) -> list[str]:
        """Erase closed meetings whose retention period has passed; their ids."""
        now = self._clock()
        purged = []
        for meeting in await self._store.list_meetings():
            purge_at = self.purge_at(meeting)
            if purge_at is not None and purge_at <= now:
                await self.erase(meeting.id, RETENTION)
                purged.append(meeting.id)
        return purged

    async def purge_every_hour(self) -> None:
        """Closed meetings are erased once their time is up."""
        while True:
            try:
                for meeting_id in await self.purge_expired():
                    log.info("erased meeting %s: its retention period had passed", meeting_id)
            except KinboardError as error:
                log.warning("could not purge old meetings: %s", error.message)
            await asyncio.sleep(3600)
