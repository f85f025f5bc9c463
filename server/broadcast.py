"""The Socket.IO server and this worker's sockets: what reaches a meeting's sockets, on
every worker. Built before the services, which publish commits and close ended sessions'
sockets through it; `realtime.py` adds the handlers.

One room per meeting. With REDIS_URL, python-socketio's AsyncRedisManager carries room
broadcasts between workers.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import socketio

from .board.errors import KinboardError
from .presence import PresenceTracker
from .pubsub import RedisManager
from .settings import Settings
from .store import Commit, Presence, Session

log = logging.getLogger("kinboard.realtime")

MAX_MESSAGE = 64 * 1024
DISCONNECT_DELAY = 0.2


@dataclass
class Connection:
    """One socket on this worker: whose, for which meeting, and what they are editing."""

    meeting_id: str
    participant_id: str
    session_token: str
    session: Session
    edits: bool  # whether their role may change the board, and so say what they edit
    editing: str | None = None


class Broadcaster:
    def __init__(self, settings: Settings, presence: PresenceTracker) -> None:
        self._presence = presence
        self.manager = (
            RedisManager(
                settings.redis_url,
                channel=f"{settings.redis_prefix}:socketio",
                redis_options={"socket_connect_timeout": 2, "health_check_interval": 5},
            )
            if settings.redis_url
            else None
        )
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=self.manager,
            # Origins are checked in `connect`, which can say why it refuses.
            cors_allowed_origins=[],
            max_http_buffer_size=MAX_MESSAGE,
            ping_interval=10,
            ping_timeout=10,
        )
        self.connections: dict[str, Connection] = {}
        self._pending: set[asyncio.Task[None]] = set()

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
        assert commit.record is not None
        try:
            await self.sio.emit("applied", commit.record.to_json(), room=meeting_id)
        except Exception:  # a lost broadcast is repaired by the clients' sync
            log.exception("could not broadcast seq %s", commit.seq)

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

    def disconnect_soon(self, sids: set[str]) -> None:
        """Disconnect after a moment, so that an ack already on its way (the refusal, or
        the facilitator's own `meeting.close`) arrives first."""

        async def later() -> None:
            await asyncio.sleep(DISCONNECT_DELAY)
            for sid in sids:
                await self.sio.disconnect(sid)

        task = asyncio.create_task(later())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)


def participant_room(participant_id: str) -> str:
    return f"participant:{participant_id}"
