"""The Socket.IO server and this worker's sockets: what reaches a meeting's sockets, on
every worker. Built before the services, which publish commits and close ended sessions'
sockets through it; `realtime.py` adds the handlers.

One room per meeting, and one per participant (which is how a commit touching what not
everyone may see reaches each person as their own copy). With REDIS_URL, python-socketio's
AsyncRedisManager carries room broadcasts between workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from .board import visibility, wire
from .board.errors import KinboardError
from .board.model import Board
from .board.visibility import Viewer
from .clock import Clock, iso
from .frames import SocketServer
from .presence import PresenceTracker
from .pubsub import RedisManager
from .settings import Settings
from .slots import SLOTS, slot_of
from .store import Commit, Presence, Session

log = logging.getLogger("kinboard.realtime")

MAX_MESSAGE = 64 * 1024
DISCONNECT_DELAY = 0.2
# A socket that has not joined a meeting by then (a connect with a valid session) is closed:
# one that never sends its connect, or stays after a refusal, would hold a socket for ever.
JOIN_WITHIN = 5.0
# On shutdown, sockets are closed and their presence removed within this, however slow the
# store is; a presence entry left behind expires by itself.
CLOSE_WITHIN = 2.0


@dataclass
class Connection:
    """One socket on this worker: whose, for which meeting, and what they are editing."""

    meeting_id: str
    participant_id: str
    session_token: str
    session: Session
    edits: bool  # whether their role may change the board, and so say what they edit
    language: str  # theirs, for the refusals they are sent (kept up by their own ops)
    editing: str | None = None
    # The meeting's slot for heartbeats and presence refreshes (slots.py), worked out once.
    slot: int = field(init=False)

    def __post_init__(self) -> None:
        self.slot = slot_of(self.meeting_id)


class Broadcaster:
    def __init__(self, settings: Settings, presence: PresenceTracker, clock: Clock) -> None:
        self._presence = presence
        self._clock = clock
        self.manager = (
            RedisManager(
                settings.redis_url,
                channel=f"{settings.redis_prefix}:socketio",
                pool_size=settings.redis_pool,
                socket_connect_timeout=2,
                health_check_interval=5,
            )
            if settings.redis_url
            else None
        )
        self.sio = SocketServer(
            async_mode="asgi",
            client_manager=self.manager,
            # Origins are checked in `connect`, which can say why it refuses.
            cors_allowed_origins=[],
            max_http_buffer_size=MAX_MESSAGE,
            ping_interval=10,
            ping_timeout=10,
            # A task per event (python-socketio's default) rather than in the socket's own
            # reader: a handler waiting on the store (a Redis failover takes seconds) would
            # keep the reader from the client's pongs, and the socket would be dropped.
            async_handlers=True,
        )
        self.connections: dict[str, Connection] = {}
        # By slot (slots.py): meeting id -> the latest seq this worker sent its sockets in
        # an `applied` since the meeting's last heartbeat (see `take_heard`).
        self._heard: list[dict[str, int]] = [{} for _ in range(SLOTS)]
        self._pending: set[asyncio.Task[None]] = set()
        self.stopping = False

    def start(self) -> None:
        # Subscribe to the other workers' broadcasts now, not at the first connection, so
        # that /readyz can tell whether they reach us.
        if not self.sio.manager_initialized:
            self.sio.manager_initialized = True
            self.sio.manager.initialize()

    def broadcasting(self) -> bool:
        """Whether broadcasts reach the other workers (always, with a single process)."""
        return self.manager is None or self.manager.listening

    async def publish(self, meeting_id: str, commit: Commit) -> None:
        """`applied` to the meeting's room; or, when the op touched what not everyone may
        see, to each participant's room the copy they may see (the same seq for all, so
        nobody's seq has a gap). With the server's time, as a heartbeat has: a busy room
        gets no heartbeat, and its screens' countdowns keep to the server's clock by this."""
        assert commit.record is not None
        data = {**commit.record.to_json(), "now": iso(self._clock())}
        try:
            if not visibility.restricted(commit.record.changes):
                await self.sio.emit("applied", data, room=meeting_id)
            else:
                changes = commit.record.changes
                await self.to_each(
                    "applied",
                    commit.board,
                    lambda viewer: {**data, "changes": visibility.changes_for(viewer, changes)},
                )
        except Exception:  # a lost broadcast is repaired by the clients' sync
            log.exception("could not broadcast seq %s", commit.seq)
            return
        self._heard[slot_of(meeting_id)][meeting_id] = commit.seq

    def forget_heard(self, meeting_id: str) -> None:
        """A socket has just joined the meeting's room: its board was read before it did,
        so an `applied` sent meanwhile missed it. The next beat tells the room its seq."""
        self._heard[slot_of(meeting_id)].pop(meeting_id, None)

    def take_heard(self, slot: int | None) -> dict[str, int]:
        """The meetings of `slot` (all, without one) whose sockets on this worker heard an
        `applied` since their last heartbeat, with its seq; forgotten here, so that each
        heartbeat asks about the time since the one before."""
        slots = range(SLOTS) if slot is None else (slot,)
        heard: dict[str, int] = {}
        for each in slots:
            heard.update(self._heard[each])
            self._heard[each] = {}
        return heard

    async def to_each(
        self, event: str, board: Board, copy: Callable[[Viewer], dict[str, Any]]
    ) -> None:
        """`event` to every participant's room, each with `copy` of what they may see; one
        emit for all who get the same."""
        groups: dict[str, tuple[dict[str, Any], list[str]]] = {}
        for participant in board.participants.values():
            if participant.removed:
                continue
            data = copy(participant.viewer)
            key = json.dumps(data, sort_keys=True)
            groups.setdefault(key, (data, []))[1].append(participant_room(participant.id))
        for data, rooms in groups.values():
            await self.sio.emit(event, data, room=rooms)

    async def refresh(self, meeting_id: str, participants: set[str]) -> None:
        """Ask these participants' pages, on every worker, to take the board afresh (they
        reconnect, and their `state` is what they may see now): their role changed. What
        is sent to them from now on follows their new role whether or not a page asks."""
        try:
            for participant_id in participants:
                await self.sio.emit("refresh", {}, room=participant_room(participant_id))
        except Exception:  # their page catches up at its next reconnect
            log.exception("could not ask for a refresh in meeting %s", meeting_id)

    async def private_items(self, seq: int, board: Board) -> None:
        """Everyone their own whole list of the children's items not shared with everyone
        that they may see (visibility.py): a child's own, a facilitator's "only my worker"
        ones, nothing for the rest."""
        try:
            await self.to_each(
                "private_items",
                board,
                lambda viewer: {"seq": seq, "items": wire.encode_private_items(board, viewer)},
            )
        except Exception:  # a lost one is repaired by the next sync
            log.exception("could not send private items at seq %s", seq)

    async def end_participants(self, meeting_id: str, participants: set[str]) -> None:
        """Close these participants' sockets on every worker: tell their pages, then
        disconnect each socket (python-socketio carries a disconnect to the socket's worker)."""
        if not participants:
            return
        for participant_id in participants:
            await self.sio.emit(
                "session_ended",
                {"message": "You are no longer in this meeting."},
                room=participant_room(participant_id),
            )
        sockets = await self._everywhere(meeting_id)
        targets = {sid for sid, entry in sockets.items() if entry.participant_id in participants}
        targets |= {
            sid
            for sid, c in self.connections.items()
            if c.meeting_id == meeting_id and c.participant_id in participants
        }
        self.disconnect_soon(targets)

    async def sockets_of(self, meeting_id: str, participant_id: str) -> int:
        """This participant's open sockets, on every worker."""
        sockets = await self._everywhere(meeting_id)
        remote = sum(1 for entry in sockets.values() if entry.participant_id == participant_id)
        local = sum(
            1
            for sid, c in self.connections.items()
            if c.participant_id == participant_id and sid not in sockets
        )
        return remote + local

    async def _everywhere(self, meeting_id: str) -> dict[str, Presence]:
        """The meeting's sockets on every worker, as far as the store knows."""
        try:
            return await self._presence.sockets(meeting_id)
        except KinboardError:
            return {}

    async def close_all(self) -> None:
        """Close every socket of this worker (it is shutting down), joined or not, so that
        each client reconnects, to another worker; within CLOSE_WITHIN, however slow the
        store is."""
        self.stopping = True
        leaving = list(self.connections.items())
        await asyncio.gather(
            *(self._close_engineio(sid) for sid in list(self.sio.eio.sockets)),
            return_exceptions=True,  # one socket's trouble must not keep the others open
        )
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_WITHIN / 2):
                await asyncio.gather(
                    *(self._presence.drop(c.meeting_id, sid) for sid, c in leaving),
                    return_exceptions=True,
                )
                if self.manager is not None:  # the other workers' clients are told
                    await self.manager.flush()

    async def close_unjoined(self) -> None:
        """Close engine.io sockets that have not joined a meeting within JOIN_WITHIN."""
        first_seen: dict[str, float] = {}
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            first_seen = {eio_sid: first_seen.get(eio_sid, now) for eio_sid in self.sio.eio.sockets}
            for eio_sid, since in first_seen.items():
                # A socket has a Socket.IO sid from its connect until it is refused.
                joined = self.sio.manager.sid_from_eio_sid(eio_sid, "/") is not None
                if not joined and now - since >= JOIN_WITHIN:
                    self._spawn(self._close_engineio(eio_sid))

    async def _close_engineio(self, eio_sid: str) -> None:
        socket = self.sio.eio.sockets.get(eio_sid)
        if socket is None:
            return
        # Closing waits for the client to collect its close packet, which a long-polling
        # client that has stopped polling never does.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_WITHIN / 2):
                await self.sio.eio.disconnect(eio_sid)
        # engine.io then leaves the WebSocket open for the client to close, which a hostile
        # one never does; this ends its writer, which closes it.
        socket.queue.put_nowait(None)

    def disconnect_soon(self, sids: set[str]) -> None:
        """Disconnect after a moment, so that an ack already on its way (the refusal, or
        the facilitator's own `meeting.close`) arrives first."""

        async def later() -> None:
            await asyncio.sleep(DISCONNECT_DELAY)
            for sid in sids:
                await self.sio.disconnect(sid)

        self._spawn(later())

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)


def participant_room(participant_id: str) -> str:
    return f"participant:{participant_id}"
