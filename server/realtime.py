"""Socket.IO handlers: parse, call the core through the store, reply.

One room per meeting. With REDIS_URL, python-socketio's AsyncRedisManager carries room
broadcasts between workers; presence is kept in the store with an expiry, so it works
across workers too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import socketio

from .board import ops, parsing, scaling, wire
from .board.errors import (
    Forbidden,
    Internal,
    KinboardError,
    NoSession,
    NotFound,
    OriginNotAllowed,
    SessionEnded,
    SessionInvalid,
    TooManyConnections,
)
from .meetings import Meetings
from .pubsub import RedisManager
from .security import RateLimiter, origin_allowed, session_token_from_cookies
from .settings import Settings
from .store import Commit, Presence, Session

log = logging.getLogger("kinboard.realtime")

MAX_MESSAGE = 64 * 1024
MAX_SOCKETS_PER_PARTICIPANT = 3
DISCONNECT_DELAY = 0.2
# Presence entries live this long unless their worker refreshes them.
PRESENCE_TTL = 60.0
PRESENCE_REFRESH = 20.0
# Every socket hears its meeting's latest seq this often, so a client that missed an
# `applied` (pub/sub delivers at most once) notices even in a quiet room.
HEARTBEAT = 5.0


@dataclass
class Connection:
    meeting_id: str
    participant_id: str
    session_token: str
    session: Session
    editing: str | None = None


class Realtime:
    def __init__(self, settings: Settings, meetings: Meetings) -> None:
        self.settings = settings
        self.meetings = meetings
        self.clock = meetings.clock
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
        if self.manager is not None:
            self.manager.on_subscribed = self.beat
        self.limiter = RateLimiter(settings.rate_burst, settings.rate_per_second)
        self._tasks: list[asyncio.Task[None]] = []
        self._pending: set[asyncio.Task[None]] = set()
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)
        self.sio.on("op", self.on_op)
        self.sio.on("sync", self.on_sync)
        self.sio.on("editing", self.on_editing)

    # --- lifecycle ---

    def start(self) -> None:
        # Subscribe to the other workers' broadcasts now, not at the first connection, so
        # that /readyz can tell whether they reach us.
        if not self.sio.manager_initialized:
            self.sio.manager_initialized = True
            self.sio.manager.initialize()
        self._tasks = [
            asyncio.create_task(self._refresh_presence()),
            asyncio.create_task(self._heartbeat()),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _refresh_presence(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_REFRESH)
            for sid, connection in list(self.connections.items()):
                try:
                    await self._put_presence(sid, connection)
                except KinboardError:
                    log.warning("could not refresh presence; the store does not answer")
                    break

    def broadcasting(self) -> bool:
        """Whether broadcasts reach the other workers (always, with a single process)."""
        return self.manager is None or self.manager.listening

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT)
            await self.beat()

    async def beat(self) -> None:
        """Tell every local socket its meeting's latest seq; close sockets whose session
        or meeting has gone."""
        sockets: dict[str, list[str]] = {}
        for sid, connection in list(self.connections.items()):
            sockets.setdefault(connection.meeting_id, []).append(sid)
        for meeting_id, sids in sockets.items():
            try:
                seq = await self.meetings.store.seq(meeting_id)
                await self._drop_ended(sids)
            except NotFound:  # erased meanwhile: its sockets have nothing left to show
                for sid in sids:
                    await self.sio.disconnect(sid, ignore_queue=True)
                continue
            except KinboardError:
                return  # the store is away; clients see their ops refused meanwhile
            for sid in sids:
                # Local sockets only: every worker beats for its own.
                await self.sio.emit("heartbeat", {"seq": seq}, to=sid, ignore_queue=True)

    async def _drop_ended(self, sids: list[str]) -> None:
        """Close local sockets whose session has ended (revoked, removed, expired), even if
        the message that should have closed them was lost."""
        for sid in sids:
            connection = self.connections.get(sid)
            if connection is not None and not await self.meetings.session(
                connection.session_token, connection.meeting_id
            ):
                await self.sio.disconnect(sid)

    # --- publishing ---

    async def publish(self, meeting_id: str, commit: Commit) -> None:
        assert commit.record is not None
        try:
            await self.sio.emit("applied", commit.record.to_json(), room=meeting_id)
        except Exception:  # a lost broadcast is repaired by the clients' sync
            log.exception("could not broadcast seq %s", commit.seq)

    async def _broadcast_presence(self, meeting_id: str) -> None:
        online = await self.meetings.store.presence(meeting_id, self.clock())
        await self.sio.emit(
            "presence",
            {
                "online": [
                    {"participant_id": p.participant_id, "editing": p.editing} for p in online
                ]
            },
            room=meeting_id,
        )

    async def _put_presence(self, sid: str, connection: Connection) -> None:
        await self.meetings.store.presence_put(
            connection.meeting_id,
            sid,
            Presence(connection.participant_id, connection.editing),
            self.clock() + PRESENCE_TTL,
        )

    # --- handlers ---

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        try:
            await self._admit(sid, environ, auth)
        except KinboardError as error:  # the code is the reason the client is given
            raise socketio.exceptions.ConnectionRefusedError(error.code) from error

    async def _admit(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        if not origin_allowed(self.settings, environ.get("HTTP_ORIGIN")):
            raise OriginNotAllowed("This page is not on this server.")
        meeting_id = auth.get("meeting_id") if isinstance(auth, dict) else None
        if not isinstance(meeting_id, str) or not parsing.is_id(meeting_id):
            raise NoSession("Say which meeting this socket is for.")
        token = session_token_from_cookies(self.settings, environ.get("HTTP_COOKIE"), meeting_id)
        if token is None:
            raise NoSession("Please join the meeting first.")
        session = await self.meetings.session(token, meeting_id)
        if session is None:
            raise SessionInvalid("You are no longer in this meeting.")
        board, seq = await self.meetings.store.load(meeting_id)
        me = board.participants.get(session.participant_id)
        if me is None or me.removed:
            raise SessionInvalid("You are no longer in this meeting.")
        if await self._sockets_of(meeting_id, me.id) >= MAX_SOCKETS_PER_PARTICIPANT:
            raise TooManyConnections("This meeting is open in too many windows.")
        connection = Connection(meeting_id, me.id, token, session)
        self.connections[sid] = connection
        await self.sio.enter_room(sid, meeting_id)
        await self.sio.enter_room(sid, _participant_room(me.id))
        state = wire.encode_state(
            board,
            seq,
            me,
            retention_days=self.settings.retention_days,
            link_days=self.settings.link_days,
        )
        await self.sio.emit("state", state, to=sid)
        with contextlib.suppress(KinboardError):
            await self._put_presence(sid, connection)
            await self._broadcast_presence(meeting_id)

    async def _sockets_of(self, meeting_id: str, participant_id: str) -> int:
        """This participant's open sockets, on every worker."""
        try:
            sockets = await self.meetings.store.presence_sockets(meeting_id, self.clock())
        except KinboardError:
            sockets = {}
        remote = sum(1 for entry in sockets.values() if entry.participant_id == participant_id)
        local = sum(
            1
            for sid, c in self.connections.items()
            if c.participant_id == participant_id and sid not in sockets
        )
        return remote + local

    async def end_participants(self, meeting_id: str, participants: set[str]) -> None:
        """Close these participants' sockets on every worker: tell their pages, then
        disconnect each socket (python-socketio carries a disconnect to the socket's worker)."""
        if not participants:
            return
        for participant_id in participants:
            await self.sio.emit(
                "session_ended",
                {"message": "You are no longer in this meeting."},
                room=_participant_room(participant_id),
            )
        try:
            sockets = await self.meetings.store.presence_sockets(meeting_id, self.clock())
        except KinboardError:
            sockets = {}
        targets = {sid for sid, entry in sockets.items() if entry.participant_id in participants}
        targets |= {
            sid
            for sid, c in self.connections.items()
            if c.meeting_id == meeting_id and c.participant_id in participants
        }
        self._disconnect_soon(targets)

    async def on_disconnect(self, sid: str, *_: Any) -> None:
        connection = self.connections.pop(sid, None)
        if connection is None:
            return
        with contextlib.suppress(KinboardError):
            await self.meetings.store.presence_drop(connection.meeting_id, sid)
            await self._broadcast_presence(connection.meeting_id)

    def _connection(self, sid: str) -> Connection:
        connection = self.connections.get(sid)
        if connection is None:
            raise Forbidden("Please join the meeting first.")
        return connection

    def _live(self, sid: str) -> Connection:
        """The caller's connection, if its session has not expired. Whether it has been
        ended (taken out, link turned off) the store checks in the op's own commit."""
        connection = self._connection(sid)
        if connection.session.expires_at <= self.clock():
            self._disconnect_soon({sid})
            raise SessionEnded("Your link has expired. Please ask the facilitator for a new one.")
        return connection

    async def _checked(self, sid: str) -> Connection:
        """The caller's connection, re-checking the session on every message so that an
        expired or ended session stops at once, not only at the next connect."""
        connection = self._connection(sid)
        session = await self.meetings.session(connection.session_token, connection.meeting_id)
        if session is None:
            self._disconnect_soon({sid})  # after this refusal has reached them
            raise SessionEnded("You are no longer in this meeting. Please ask the facilitator.")
        return connection

    def _disconnect_soon(self, sids: set[str]) -> None:
        """Disconnect after a moment, so that an ack already on its way (the refusal, or
        the facilitator's own `meeting.close`) arrives first."""

        async def later() -> None:
            await asyncio.sleep(DISCONNECT_DELAY)
            for sid in sids:
                await self.sio.disconnect(sid)

        task = asyncio.create_task(later())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def on_op(self, sid: str, data: Any) -> dict[str, Any]:
        try:
            connection = self._live(sid)
            self.limiter.check(connection.participant_id, self.clock())
            op_id, op = ops.parse_op(data)
            commit = await self.meetings.commit(
                connection.meeting_id,
                f"{connection.participant_id}:{op_id}",
                connection.participant_id,
                op,
                op_type=data["type"],
                session=connection.session,
            )
        except SessionEnded as error:
            self._disconnect_soon({sid})  # after this refusal has reached them
            return ack_error(error)
        except KinboardError as error:
            return ack_error(error)
        except Exception:  # a bug must not leave the sender waiting; sending again won't help
            log.exception("op failed")
            return ack_error(Internal("Something went wrong, and this change was not saved."))
        ack: dict[str, Any] = {"ok": True, "seq": commit.seq}
        if commit.duplicate:
            ack["duplicate"] = True
        if isinstance(op, scaling.VoteCast):
            # The number goes back to its voter only; the room learns just that they answered.
            cast = scaling.cast_ballot(commit.board, op, connection.participant_id)
            if cast is not None:
                ack["vote"] = wire.encode_ballot(*cast)
        return ack

    async def on_sync(self, sid: str, data: Any) -> dict[str, Any]:
        try:
            connection = await self._checked(sid)
            since = parsing.whole_number(
                data.get("since") if isinstance(data, dict) else None,
                0,
                None,
                "sync needs since: the last seq you have (0 or more).",
            )
            # Ops from before the caller joined would show them deleted cards and the
            # words a card had before it was edited: from there they get the board as it is.
            records = None
            if since + 1 >= connection.session.joined_seq:
                seq, records = await self.meetings.store.changes_since(connection.meeting_id, since)
            if records is None:
                board, seq = await self.meetings.store.load(connection.meeting_id)
                return {"ok": True, "seq": seq, "board": wire.encode_board(board)}
        except KinboardError as error:
            return ack_error(error)
        return {"ok": True, "seq": seq, "changes": [record.to_json() for record in records]}

    async def on_editing(self, sid: str, data: Any) -> None:
        try:
            connection = self._live(sid)  # presence only: the 5-second re-check suffices
            card_id = data.get("card_id") if isinstance(data, dict) else None
            if card_id is not None and not parsing.is_id(card_id):
                return
            connection.editing = card_id
            await self._put_presence(sid, connection)
            await self._broadcast_presence(connection.meeting_id)
        except KinboardError:
            return


def ack_error(error: KinboardError) -> dict[str, Any]:
    return {"ok": False, "code": error.code, "message": error.message}


def _participant_room(participant_id: str) -> str:
    return f"participant:{participant_id}"
