"""What arrives on a socket, read strictly: a frame no client of ours sends closes its
socket cleanly, with one line in the log, instead of raising inside python-engineio or
python-socketio (a traceback in the log, and the sender never answered).

The libraries read a frame in three steps, so there are three parts: `FrameCheck` (ASGI)
for Engine.IO's own frames, which engineio decodes outside any handler; `SocketServer` for
the Socket.IO packets inside them; `SocketJson`, the JSON both decode with. A well-formed
event with a bad argument is not for here: its handler answers it with a refusal code.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs

import socketio
from engineio import packet as engineio_packet
from engineio import payload as engineio_payload
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import engine_socket, fastjson
from .board.errors import Invalid
from .http.replies import http_error

log = logging.getLogger("kinboard.realtime")

SOCKET_PATH = "/socket.io/"
# The WebSocket close code for "a message that does not fit its type" (RFC 6455).
INVALID_DATA = 1007
# The Engine.IO packets a client sends: over a WebSocket (PING only while upgrading to it),
# and in a long-polling request.
WEBSOCKET_SENDS = frozenset(
    {
        engineio_packet.CLOSE,
        engineio_packet.PING,
        engineio_packet.PONG,
        engineio_packet.MESSAGE,
        engineio_packet.UPGRADE,
    }
)
POLLING_SENDS = frozenset({engineio_packet.CLOSE, engineio_packet.PONG, engineio_packet.MESSAGE})
# Socket.IO's BINARY_EVENT and BINARY_ACK packets.
BINARY_PACKETS = ("5", "6")
# What decoding a garbled frame or packet raises in the libraries.
GARBLED = (ValueError, TypeError, KeyError, IndexError, AttributeError)


class SocketJson:
    """python-socketio's `json=` (engineio's too): as strict as HTTP bodies, except that
    strings that are not text are left to the op's fields, which refuse them `invalid` in
    the op's answer; fast (`fastjson`). It replaces engineio's own JSON, whose one guard, on
    the length of integers, `parsing.read_json` keeps (MAX_DIGITS). Raising ValueError is
    what both libraries expect of a JSON module."""

    @staticmethod
    def dumps(data: Any, **_: Any) -> str:
        return fastjson.dumps(data)  # the libraries' separators are orjson's anyway

    @staticmethod
    def loads(text: str | bytes, **_: Any) -> Any:
        try:
            return fastjson.read_client_json(text, text_only=False)
        except Invalid as error:
            raise ValueError(error.message) from None


class SocketServer(socketio.AsyncServer):
    """python-socketio's server, closing a socket that sends a packet it cannot read
    (python-socketio raises, and engineio logs the traceback and answers nothing), an
    event not named by a string, or one sent before the socket was let in."""

    def __init__(self, **options: Any) -> None:
        engine_socket.install()
        super().__init__(json=SocketJson, **options)

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            if not isinstance(data, str) or data[:1] in BINARY_PACKETS:
                raise TypeError("Kinboard sends and takes no binary.")
            await super()._handle_eio_message(eio_sid, data)
        except GARBLED as error:
            log.warning("Closed a socket that sent a garbled packet (%s).", type(error).__name__)
            await self.close_engine(eio_sid)

    async def _handle_event(self, eio_sid: str, namespace: str, id: Any, data: Any) -> None:
        # python-socketio looks the name up in a dict, later, in a task of its own.
        if not (isinstance(data, list) and data and isinstance(data[0], str)):
            raise ValueError("An event is a list starting with its name.")
        # python-socketio ignores an event from a socket not let in, leaving it unanswered;
        # our client sends none before it is.
        namespace = namespace or "/"
        if not self.manager.is_connected(
            self.manager.sid_from_eio_sid(eio_sid, namespace), namespace
        ):
            raise ValueError("An event before the socket was let in.")
        await super()._handle_event(eio_sid, namespace, id, data)

    async def close_engine(self, eio_sid: str) -> None:
        """Close an Engine.IO socket: a WebSocket is sent Engine.IO's close, a long-polling
        client is answered 400 at its next request. Not `eio.disconnect`, which waits for a
        long-polling client to fetch the close, and it never will."""
        socket = self.eio.sockets.get(eio_sid)
        if socket is not None:
            await socket.close(wait=False, reason=self.eio.reason.SERVER_DISCONNECT)


class FrameCheck:
    """Engine.IO frames, checked before engineio decodes them: a garbled WebSocket frame
    closes the WebSocket (1007), a garbled long-polling body is answered `invalid` (400) and
    its session closed."""

    def __init__(self, app: ASGIApp, sio: SocketServer) -> None:
        self.app = app
        self.sio = sio

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not scope.get("path", "").startswith(SOCKET_PATH):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await self.app(scope, self._checked_frames(receive, send), send)
        elif scope["type"] == "http" and scope["method"] == "POST":
            await self._checked_body(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _checked_frames(self, receive: Receive, send: Send) -> Receive:
        async def checked() -> Message:
            message = await receive()
            text = message.get("text") if message["type"] == "websocket.receive" else None
            if text is not None and not _readable(text, WEBSOCKET_SENDS):
                log.warning("Closed a WebSocket that sent a garbled frame.")
                await send({"type": "websocket.close", "code": INVALID_DATA})
                return {"type": "websocket.disconnect", "code": INVALID_DATA}
            return message

        return checked

    async def _checked_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []  # at most 64 KiB: BodyLimit has read it
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None or not _readable_payload(text):
            log.warning("Refused a long-polling request with a garbled body.")
            sid = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("sid", [""])[0]
            await self.sio.close_engine(sid)
            await http_error(Invalid("That is not an Engine.IO payload."))(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _readable(text: str, sent: frozenset[int]) -> bool:
    """Whether engineio can decode this text frame (binary ones it always can) into a
    packet a client sends this way (engineio ignores others, or raises on them)."""
    try:
        return engineio_packet.Packet(encoded_packet=text).packet_type in sent
    except GARBLED:
        return False


def _readable_payload(text: str) -> bool:
    try:
        packets = engineio_payload.Payload(encoded_payload=text).packets
    except GARBLED:
        return False
    return all(packet.packet_type in POLLING_SENDS for packet in packets)
