"""The heartbeat: every few seconds each worker checks the sessions of its sockets, meeting
by meeting, and tells each room its latest seq and the server's time unless that is no news
to it."""

from __future__ import annotations

from .board.errors import KinboardError, NotFound
from .boards import Boards
from .broadcast import Broadcaster
from .clock import Clock, iso
from .sessions import Sessions

# Every socket hears its meeting's latest seq this often, so a client that missed an
# `applied` (pub/sub delivers at most once) notices even in a quiet room; each meeting in
# its own slot of the interval (slots.py). A room that heard its latest seq in an `applied`
# since the last beat is told nothing: a busy room's sockets cost no heartbeats.
HEARTBEAT = 5.0


class Heartbeat:
    def __init__(
        self, clock: Clock, broadcaster: Broadcaster, boards: Boards, sessions: Sessions
    ) -> None:
        self.clock = clock
        self.broadcaster = broadcaster
        self.connections = broadcaster.connections
        self.sio = broadcaster.sio
        self.boards = boards
        self.sessions = sessions

    async def beat(self, slot: int | None = None) -> None:
        """Tell every local socket of the meetings in `slot` (all, without one) its
        meeting's latest seq, unless they heard it in an `applied` since the last beat;
        close sockets whose session or meeting has gone."""
        sockets: dict[str, list[str]] = {}
        for sid, connection in list(self.connections.items()):
            if slot is None or connection.slot == slot:
                sockets.setdefault(connection.meeting_id, []).append(sid)
        heard = self.broadcaster.take_heard(slot)
        for meeting_id, sids in sockets.items():
            try:
                seq = await self.boards.seq(meeting_id)
                await self._drop_ended(meeting_id, sids)
            except NotFound:  # erased meanwhile: its sockets have nothing left to show
                for sid in sids:
                    await self.sio.disconnect(sid, ignore_queue=True)
                continue
            except KinboardError:
                return  # the store is away; clients see their ops refused meanwhile
            if heard.get(meeting_id) == seq:
                continue  # nothing is news to this room: the `applied` had seq and time
            # The server's time too: screens keep their shared timer's countdown true by it.
            # One packet for the whole room, to this worker's sockets only: every worker
            # beats for its own.
            beat = {"seq": seq, "now": iso(self.clock())}
            await self.sio.emit("heartbeat", beat, room=meeting_id, ignore_queue=True)

    async def _drop_ended(self, meeting_id: str, sids: list[str]) -> None:
        """Close local sockets whose session has ended (revoked, removed, expired, or the
        staff session it was opened under ended), even if the message that should have
        closed them was lost: one store call for the meeting, not one per socket."""
        mine = {sid: c.session for sid in sids if (c := self.connections.get(sid)) is not None}
        ended = await self.sessions.ended(meeting_id, list(mine.values()))
        for sid, session in mine.items():
            if session.token_hash in ended:
                await self.sio.disconnect(sid)
