"""How uvicorn serves Kinboard: slow clients are timed out, and shutdown finishes.

uvicorn on its own waits for ever for a request's headers, and on SIGTERM waits for every
connection to finish, so one client half-way through a request kept a worker from exiting.
"""

from __future__ import annotations

import asyncio
import socket

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from . import collector
from .app import Kinboard

# A request's headers must have arrived this long after the connection opened, or after
# the data that began them; otherwise the connection is closed (a slowloris client).
HEADER_SECONDS = 10.0
# At most this much of a request's line and headers (h11 refuses more with a 400).
MAX_HEADERS = 16 * 1024
# An idle keep-alive connection is closed after this.
KEEP_ALIVE_SECONDS = 5
# On SIGTERM, requests still running after this are cancelled (then the app gets
# STOP_WITHIN to stop): a worker is gone within 10 seconds in every state.
GRACEFUL_SECONDS = 3


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer = self.loop.call_later(HEADER_SECONDS, self._headers_too_slow)

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and self.conn.their_state is h11.IDLE:
            self._header_timer = self.loop.call_later(HEADER_SECONDS, self._headers_too_slow)
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in (or it is upgraded)
            self._stop_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        # uvicorn would wait for a request still arriving; its client can send it again to
        # another worker (no handler has seen it: BodyLimit reads every body first).
        if self.conn.their_state is h11.SEND_BODY:
            self.transport.close()
        else:
            super().shutdown()

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


class Server(uvicorn.Server):
    """Stops taking connections, then closes the app's sockets (so their clients reconnect
    to another worker) before uvicorn's own shutdown, which is bounded by GRACEFUL_SECONDS."""

    def __init__(self, config: uvicorn.Config, app: Kinboard) -> None:
        super().__init__(config)
        self.app = app
        self._collecting: asyncio.Task[None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # Everything alive now (modules, settings, the store's connections) lives as long
        # as the process: the collector need never look at it again (collector.py).
        collector.settle()
        self._collecting = asyncio.create_task(collector.run())

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self._collecting is not None:
            self._collecting.cancel()
        for server in self.servers:
            server.close()
        await self.app.closing()
        await super().shutdown(sockets)
