"""A minimal Socket.IO client (Engine.IO 4 over one websocket, no polling, no namespaces).

Why not python-socketio's AsyncClient: the generator runs hundreds of clients per process,
and the stock client spends most of its time in per-packet machinery (a task per event,
queues, reconnection bookkeeping). This one does only what the benchmark needs, with
callbacks instead of tasks, so one process can drive many more sockets before its own
event loop becomes what is being measured.

Wire format: `0{...}` open, `2`/`3` ping/pong, `40{auth}` connect, `44{...}` refused,
`42["event",data]` event, `42<id>["event",data]` event wanting an ack, `43<id>[data]` ack.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from itertools import count
from typing import Any

import aiohttp

EventHandler = Callable[[str, str], None]  # (event name, the raw packet)
AckHandler = Callable[[Any], None]


class ConnectRefused(Exception):
    pass


class SioClient:
    """One socket. `on_event(name, raw)` gets every server event; it parses what it needs,
    so events nobody reads (heartbeats, presence) cost no JSON decoding."""

    def __init__(self, on_event: EventHandler) -> None:
        self.on_event = on_event
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._acks: dict[int, AckHandler] = {}
        self._ids = count(1)
        self._connected: asyncio.Future[None] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def connect(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        headers: dict[str, str],
        auth: dict[str, Any],
        timeout: float = 20.0,
    ) -> None:
        # The meeting in the URL, as the page puts it: nginx routes by it.
        url = base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        url += f"&meeting={auth['meeting_id']}"
        self.ws = await http.ws_connect(url, headers=headers, max_msg_size=0, timeout=timeout)
        opened = await self.ws.receive(timeout=timeout)
        if not isinstance(opened.data, str) or not opened.data.startswith("0"):
            raise ConnectRefused(f"unexpected open packet {opened.data!r}")
        self._connected = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read())
        await self.ws.send_str("40" + json.dumps(auth))
        await asyncio.wait_for(self._connected, timeout)

    async def _read(self) -> None:
        assert self.ws is not None
        ws = self.ws
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            data: str = message.data
            kind = data[0]
            if kind == "4":  # a Socket.IO packet
                self._packet(data)
            elif kind == "2":  # Engine.IO ping: answer or the server drops us
                await ws.send_str("3")
            elif kind == "1":
                break
        if self._connected is not None and not self._connected.done():
            self._connected.set_exception(ConnectRefused("closed before connecting"))

    def _packet(self, data: str) -> None:
        kind = data[1]
        if kind == "2":  # event: 42["name",...]; the name is between the first quotes
            self.on_event(data[4 : data.index('"', 4)], data)
        elif kind == "3":  # ack: 43<id>[payload]
            bracket = data.index("[")
            handler = self._acks.pop(int(data[2:bracket]), None)
            if handler is not None:
                handler(json.loads(data[bracket:])[0])
        elif kind == "0" and self._connected is not None and not self._connected.done():
            self._connected.set_result(None)
        elif kind == "4" and self._connected is not None and not self._connected.done():
            self._connected.set_exception(ConnectRefused(data[2:]))

    async def emit(self, event: str, data: Any) -> None:
        assert self.ws is not None
        await self.ws.send_str("42" + json.dumps([event, data], separators=(",", ":")))

    async def call(self, event: str, data: Any, on_ack: AckHandler) -> None:
        """Emit wanting an ack; `on_ack(payload)` runs when it comes (never, if it never does)."""
        assert self.ws is not None
        ack_id = next(self._ids)
        self._acks[ack_id] = on_ack
        await self.ws.send_str(f"42{ack_id}" + json.dumps([event, data], separators=(",", ":")))

    async def call_and_wait(self, event: str, data: Any, timeout: float = 10.0) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        await self.call(event, data, lambda payload: future.done() or future.set_result(payload))
        return await asyncio.wait_for(future, timeout)

    @property
    def unanswered(self) -> int:
        return len(self._acks)

    async def close(self) -> None:
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()


def event_payload(raw: str) -> Any:
    """The data of a `42["name",data]` packet."""
    return json.loads(raw[2:])[1]
