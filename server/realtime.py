"""Socket.IO handlers: parse, call the services, reply; the heartbeat and presence.

The Socket.IO server itself, and this worker's sockets, are the broadcaster's
(`broadcast.py`); presence is kept in the store with an expiry, so it works across workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace
from typing import Any

import socketio

from . import i18n
from .board import houses, ops, parsing, scaling, visibility, wire
from .board.errors import (
    N_,
    Forbidden,
    Internal,
    Invalid,
    KinboardError,
    NoSession,
    OriginNotAllowed,
    RateLimited,
    SessionEnded,
    SessionInvalid,
    TooManyConnections,
)
from .board.model import Board
from .board.roles import ROLE_ABILITIES
from .boards import Boards
from .broadcast import Broadcaster, Connection, participant_room
from .clock import Clock, iso
from .heartbeat import HEARTBEAT, Heartbeat
from .presence import PresenceTracker
from .security import RateLimiter, origin_allowed, session_token_from_cookies
from .sessions import Sessions
from .settings import Settings
from .slots import every_slot
from .store import Presence

log = logging.getLogger("kinboard.realtime")

MAX_SOCKETS_PER_PARTICIPANT = 3
PRESENCE_REFRESH = 20.0
# A `sync` from far back answers with the whole board (megabytes on a big one): a client
# needs one after a gap or a reconnect, not a stream of them.
SYNC_BURST = 5
SYNC_PER_SECOND = 0.5
TOO_MUCH_SYNC = N_("That was a lot of catching up at once. Trying again soon.")
SYNC_SINCE = N_("sync needs since: the last seq you have (0 or more).")
# Presence goes to a meeting at most once in this many seconds (per worker), carrying the
# latest state: a burst of `editing`, connects or disconnects becomes one broadcast.
PRESENCE_INTERVAL = 0.2
# `editing` per socket: plenty for moving between cards, not a flood of store writes.
EDITING_BURST = 10
EDITING_PER_SECOND = 5.0


class Realtime:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        broadcaster: Broadcaster,
        boards: Boards,
        sessions: Sessions,
        presence: PresenceTracker,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.broadcaster = broadcaster
        self.boards = boards
        self.sessions = sessions
        self.presence = presence
        self.sio = broadcaster.sio
        self.connections = broadcaster.connections
        self.heartbeat = Heartbeat(clock, broadcaster, boards, sessions)
        if broadcaster.manager is not None:
            broadcaster.manager.on_subscribed = self.heartbeat.beat
        self.limiter = RateLimiter(settings.rate_burst, settings.rate_per_second)
        self.sync_limiter = RateLimiter(SYNC_BURST, SYNC_PER_SECOND, TOO_MUCH_SYNC)
        self.editing_limiter = RateLimiter(EDITING_BURST, EDITING_PER_SECOND)
        # meeting id -> its coming presence broadcast
        self._presence_due: dict[str, asyncio.Task[None]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)
        self.sio.on("op", self.on_op)
        self.sio.on("sync", self.on_sync)
        self.sio.on("editing", self.on_editing)
        self.sio.on("*", self.on_unknown)

    # --- lifecycle ---

    def start(self) -> None:
        self.broadcaster.start()
        self._tasks = [
            asyncio.create_task(every_slot(PRESENCE_REFRESH, self._refresh_presence)),
            asyncio.create_task(every_slot(HEARTBEAT, self.heartbeat.beat)),
            asyncio.create_task(self.broadcaster.close_unjoined()),
        ]

    async def stop(self) -> None:
        for task in [*self._tasks, *self._presence_due.values()]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _refresh_presence(self, slot: int) -> None:
        """Keep the presence of the local sockets of the meetings in `slot` from expiring."""
        meetings: dict[str, dict[str, Presence]] = {}  # one write per meeting
        for sid, c in list(self.connections.items()):
            if c.slot == slot:
                meetings.setdefault(c.meeting_id, {})[sid] = Presence(c.participant_id, c.editing)
        try:
            for meeting_id, entries in meetings.items():
                await self.presence.put_many(meeting_id, entries)
        except KinboardError:
            log.warning("could not refresh presence; the store does not answer")

    # --- presence ---

    def _presence_changed(self, meeting_id: str) -> None:
        """Broadcast the meeting's presence soon, once for every change until then (the
        trailing edge: what is read from the store then is the latest)."""
        if meeting_id in self._presence_due:
            return

        async def later() -> None:
            await asyncio.sleep(PRESENCE_INTERVAL)
            del self._presence_due[meeting_id]
            with contextlib.suppress(KinboardError):
                await self._broadcast_presence(meeting_id)

        self._presence_due[meeting_id] = asyncio.create_task(later())

    async def _broadcast_presence(self, meeting_id: str) -> None:
        """Who is online and what they edit; someone who may not see a card is not told
        that anyone edits it."""
        online = await self.presence.online(meeting_id)
        board: Board | None = None
        if any(p.editing for p in online):
            board, _ = await self.boards.load(meeting_id)
        hidden = {
            card.id: card
            for card in (board.cards.get(p.editing or "") for p in online if board is not None)
            if card is not None and visibility.audience_of(card) != visibility.EVERYONE
        }

        def seen_by(viewer: visibility.Viewer) -> dict[str, Any]:
            return {
                "online": [
                    {
                        "participant_id": p.participant_id,
                        "editing": None
                        if p.editing in hidden and not visibility.visible(viewer, hidden[p.editing])
                        else p.editing,
                    }
                    for p in online
                ]
            }

        if board is None or not hidden:
            await self.sio.emit("presence", seen_by(visibility.ANYONE), room=meeting_id)
        else:
            await self.broadcaster.to_each("presence", board, seen_by)

    async def _put_presence(self, sid: str, connection: Connection) -> None:
        await self.presence.put(
            connection.meeting_id, sid, connection.participant_id, connection.editing
        )

    # --- handlers ---

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        try:
            await self._admit(sid, environ, auth)
        except KinboardError as error:  # the code is the reason the client is given
            raise socketio.exceptions.ConnectionRefusedError(error.code) from error
        except Exception as error:  # a bug: the client is told, not left waiting
            log.exception("connect failed")
            raise socketio.exceptions.ConnectionRefusedError(Internal.code) from error

    async def _admit(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        if not origin_allowed(self.settings, environ.get("HTTP_ORIGIN")):
            raise OriginNotAllowed("This page is not on this server.")
        meeting_id = auth.get("meeting_id") if isinstance(auth, dict) else None
        if not isinstance(meeting_id, str) or not parsing.is_id(meeting_id):
            raise NoSession("Say which meeting this socket is for.")
        token = session_token_from_cookies(self.settings, environ.get("HTTP_COOKIE"), meeting_id)
        if token is None:
            raise NoSession("Please join the meeting first.")
        session = await self.sessions.find(token, meeting_id)
        if session is None:
            raise SessionInvalid("You are no longer in this meeting.")
        board, seq = await self.boards.load(meeting_id)
        me = board.participants.get(session.participant_id)
        if me is None or me.removed:
            raise SessionInvalid("You are no longer in this meeting.")
        if await self.broadcaster.sockets_of(meeting_id, me.id) >= MAX_SOCKETS_PER_PARTICIPANT:
            raise TooManyConnections("This meeting is open in too many windows.")
        edits = ROLE_ABILITIES[me.role].edit_board
        connection = Connection(meeting_id, me.id, token, session, edits, me.language)
        self.connections[sid] = connection
        await self.sio.enter_room(sid, meeting_id)
        await self.sio.enter_room(sid, participant_room(me.id))
        self.broadcaster.forget_heard(meeting_id)
        state = wire.encode_state(
            board,
            seq,
            me,
            retention_days=self.settings.retention_days,
            link_days=self.settings.link_days,
            now=iso(self.clock()),
        )
        await self.sio.emit("state", state, to=sid)
        with contextlib.suppress(KinboardError):
            await self._put_presence(sid, connection)
            self._presence_changed(meeting_id)

    async def on_disconnect(self, sid: str, *_: Any) -> None:
        connection = self.connections.pop(sid, None)
        if connection is None or self.broadcaster.stopping:  # close_all tidies presence
            return
        self.editing_limiter.forget(sid)
        with contextlib.suppress(KinboardError):
            await self.presence.drop(connection.meeting_id, sid)
            self._presence_changed(connection.meeting_id)

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
            self.broadcaster.disconnect_soon({sid})
            raise SessionEnded("Your link has expired. Please ask the facilitator for a new one.")
        return connection

    async def _checked(self, sid: str) -> Connection:
        """The caller's connection, re-checking the session on every message so that an
        expired or ended session stops at once, not only at the next connect."""
        connection = self._connection(sid)
        session = await self.sessions.find(connection.session_token, connection.meeting_id)
        if session is None:
            self.broadcaster.disconnect_soon({sid})  # after this refusal has reached them
            raise SessionEnded("You are no longer in this meeting. Please ask the facilitator.")
        return connection

    async def on_op(self, sid: str, data: Any = None, *_: Any) -> dict[str, Any]:
        try:
            connection = self._live(sid)
            if connection.session.staff_session:
                # The store checks the meeting session in the op's commit; the staff
                # session it hangs on (signed out, idle, disabled) is checked here.
                connection = await self._checked(sid)
            self.limiter.check(connection.participant_id, self.clock())
            op_id, op = ops.parse_op(data)
            commit = await self.boards.commit(
                connection.meeting_id,
                f"{connection.participant_id}:{op_id}",
                connection.participant_id,
                op,
                op_type=data["type"],
                session=connection.session,
            )
        except SessionEnded as error:
            self.broadcaster.disconnect_soon({sid})  # after this refusal has reached them
            return self._refused(sid, error)
        except KinboardError as error:
            return self._refused(sid, error)
        except Exception:  # a bug must not leave the sender waiting; sending again won't help
            log.exception("op failed")
            return self._refused(
                sid, Internal("Something went wrong, and this change was not saved.")
            )
        ack: dict[str, Any] = {"ok": True, "seq": commit.seq}
        connection.language = commit.board.participants[connection.participant_id].language
        if commit.duplicate:
            ack["duplicate"] = True
        if isinstance(op, houses.HouseOp) and not commit.duplicate:
            await self.broadcaster.private_items(commit.seq, commit.board)
        if isinstance(op, scaling.VoteCast):
            # The number goes back to its voter only; the room learns just that they answered.
            cast = scaling.cast_ballot(commit.board, op, connection.participant_id)
            if cast is not None:
                ack["vote"] = wire.encode_ballot(*cast)
        return ack

    async def on_sync(self, sid: str, data: Any = None, *_: Any) -> dict[str, Any]:
        try:
            self.sync_limiter.check(self._connection(sid).participant_id, self.clock())
            connection = await self._checked(sid)
            since = data.get("since") if isinstance(data, dict) else None
            since = parsing.whole_number(since, 0, None, SYNC_SINCE)
            # Ops from before the caller joined would show them deleted cards and the
            # words a card had before it was edited: from there they get the board as it is.
            records = None
            if since + 1 >= connection.session.joined_seq:
                seq, records = await self.boards.changes_since(connection.meeting_id, since)
            board, board_seq = await self.boards.load(connection.meeting_id)
            me = board.participants.get(connection.participant_id)
            viewer = me.viewer if me is not None else visibility.ANYONE
            # What this person may see of the children's unshared items, whole each time.
            private = wire.encode_private_items(board, viewer)
            if records is None:
                return {
                    "ok": True,
                    "seq": board_seq,
                    "board": wire.encode_board(board, viewer),
                    "private_items": private,
                }
            if any(visibility.restricted(record.changes) for record in records):
                records = [
                    replace(record, changes=tuple(visibility.changes_for(viewer, record.changes)))
                    for record in records
                ]
        except KinboardError as error:
            return self._refused(sid, error)
        changes = [record.to_json() for record in records]
        return {"ok": True, "seq": seq, "changes": changes, "private_items": private}

    async def on_editing(self, sid: str, data: Any = None, *_: Any) -> dict[str, Any]:
        """Which card this person is editing (null: none). The answer matters only to a
        client that asks for one; the page does not."""
        try:
            connection = self._live(sid)  # presence only: the 5-second re-check suffices
            if not connection.edits:
                raise Forbidden("Only people who can change the board say what they edit.")
            self.editing_limiter.check(sid, self.clock())
            card_id = data.get("card_id") if isinstance(data, dict) else None
            if not isinstance(data, dict) or (card_id is not None and not parsing.is_id(card_id)):
                raise Invalid("editing needs card_id: a card's id, or null.")
            connection.editing = card_id
            await self._put_presence(sid, connection)
        except KinboardError as error:
            return self._refused(sid, error)
        self._presence_changed(connection.meeting_id)
        return {"ok": True}

    def _refused(self, sid: str, error: KinboardError) -> dict[str, Any]:
        """A refusal in the asker's own language (as they last chose it on this socket)."""
        connection = self.connections.get(sid)
        words = i18n.refusal(error, connection.language if connection else i18n.DEFAULT)
        ack: dict[str, Any] = {"ok": False, "code": error.code, "message": words}
        if isinstance(error, RateLimited) and error.retry_after is not None:
            ack["retry_after"] = error.retry_after
        return ack

    async def on_unknown(self, event: Any, sid: Any, *_: Any) -> dict[str, Any]:
        """Any other event: refused, so that a caller waiting for an answer gets one. An
        event named "*" itself comes without its name: (sid, data...)."""
        asker = sid if isinstance(sid, str) and sid in self.connections else event
        return self._refused(asker, Invalid("There is no such event."))
