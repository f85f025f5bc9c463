"""Retention: erasing a meeting (on request, or once its time after closing is up), and
closing a meeting nothing has changed in for long, so that nothing is kept for ever by
being forgotten."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from .audit import Audit
from .board.errors import Closed, KinboardError
from .board.meeting import MeetingIdleClose
from .board.model import Meeting, Status
from .boards import Boards
from .clock import Clock, iso, parse_iso
from .sessions import Sessions
from .settings import IDLE_WARNING_DAYS, Settings
from .store.roles import BoardLog, Records

log = logging.getLogger("kinboard.retention")

# The audit log of erasures: kept apart from every meeting's, so that it outlives them.
ERASURE_LOG = "_erasures"
# Who erases a meeting whose time after closing is up.
RETENTION = "retention"
DAY = 86400


@dataclass(frozen=True)
class Outlook:
    """What becomes of a meeting, for its staff: when it is erased (once closed), or when
    it will close for being idle (shown from IDLE_WARNING_DAYS before), as ISO times."""

    purge_at: str | None = None
    idle_close_at: str | None = None
    last_change: str | None = None


class Retention:
    def __init__(
        self,
        settings: Settings,
        store: BoardLog,
        clock: Clock,
        sessions: Sessions,
        audit: Audit,
        boards: Boards,
        records: Records,
    ) -> None:
        self._settings = settings
        self._store = store
        self._records = records
        self._clock = clock
        self._sessions = sessions
        self._audit = audit
        self._boards = boards

    def purge_at(self, meeting: Meeting) -> float | None:
        """When a closed meeting is erased; None while it is not closed."""
        if meeting.closed_at is None:
            return None
        return self.purge_after(meeting.closed_at)

    def purge_after(self, closed_at: str) -> float:
        """When a meeting closed at `closed_at` is erased."""
        return parse_iso(closed_at) + self._settings.retention_days * DAY

    async def last_change(self, meeting: Meeting) -> float:
        """When the meeting last changed: its last committed op, or its start."""
        seq = await self._store.seq(meeting.id)
        _, records = await self._store.changes_since(meeting.id, max(seq - 1, 0))
        return parse_iso(records[-1].at if records else meeting.created_at)

    async def outlook(self, meeting: Meeting) -> Outlook:
        purge_at = self.purge_at(meeting)
        if purge_at is not None:
            return Outlook(purge_at=iso(purge_at))
        return self._idle_outlook(await self.last_change(meeting))

    def _idle_outlook(self, last: float) -> Outlook:
        closes_at = last + self._settings.idle_close_days * DAY
        if closes_at - self._clock() > IDLE_WARNING_DAYS * DAY:
            return Outlook()
        return Outlook(idle_close_at=iso(closes_at), last_change=iso(last))

    async def idle_warnings(self, open_meetings: Sequence[str]) -> dict[str, Outlook]:
        """The idle-close warnings of those open meetings (the ones soon to close), from
        the activity index in one read: for a list page, which reads no board or log."""
        last = await self._store.last_activity(open_meetings)
        outlooks = {mid: self._idle_outlook(at) for mid, at in last.items()}
        return {mid: outlook for mid, outlook in outlooks.items() if outlook.idle_close_at}

    async def close_idle(self) -> list[str]:
        """Close the open meetings nothing has changed in for `idle_close_days`; their
        ids. The index names the candidates; each one's own log has the last word."""
        cutoff = self._clock() - self._settings.idle_close_days * DAY
        candidates = set(await self._store.idle_meetings(cutoff))
        closed = []
        for meeting in await self._store.list_meetings():
            if meeting.id not in candidates or meeting.status is Status.CLOSED:
                continue
            last = await self.last_change(meeting)
            if last > cutoff:
                continue
            try:
                commit = await self._boards.commit(
                    meeting.id,
                    f"idle:{meeting.id}",
                    "",
                    MeetingIdleClose(),
                    op_type="meeting.idle_close",
                )
            except Closed:  # closed meanwhile, by its facilitator or another worker
                continue
            if commit.duplicate:  # another worker closed it for this at the same time
                continue
            await self._audit.record(
                meeting.id,
                "meeting_idle_closed",
                by=RETENTION,
                last_change=iso(last),
                idle_days=self._settings.idle_close_days,
            )
            closed.append(meeting.id)
        return closed

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
        """Idle meetings are closed, closed meetings erased once their time is up, and
        records past their expiry (staff sessions, set-up codes) deleted."""
        while True:
            try:
                for meeting_id in await self.close_idle():
                    log.info("closed meeting %s: nothing had changed in it for long", meeting_id)
                for meeting_id in await self.purge_expired():
                    log.info("erased meeting %s: its retention period had passed", meeting_id)
                if forgotten := await self._records.forget_expired_records(self._clock()):
                    log.info("deleted %d expired records (staff sessions, set-up codes)", forgotten)
            except KinboardError as error:
                log.warning("could not purge old meetings: %s", error.message)
            await asyncio.sleep(3600)
