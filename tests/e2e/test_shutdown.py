"""SIGTERM ends a worker within 10 seconds in every state, closes its sockets so that
clients reconnect elsewhere, and loses no acknowledged op.

Real server processes; where Redis must be paused or stopped, a Redis of the test's own.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import socketio

from tests.support.faults import RedisServer
from tests.support.harness import (
    API_KEY,
    Client,
    ServerProcess,
    create_meeting,
    start_workers,
    stop_all,
)
from tests.support.services import REDIS_URL

EXIT_WITHIN = 10.0
# Its sockets are closed by then, so that their clients reconnect (elsewhere) at once, not
# when the process finally exits.
CLOSED_WITHIN = 3.0


async def sigterm(server: ServerProcess) -> tuple[float, float]:
    """SIGTERM; when it was sent, and the seconds until the process had exited (killed if
    it has not after a while longer, so that a failing test ends too)."""
    process = server.process
    assert process is not None
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.to_thread(process.wait, EXIT_WITHIN + 5)
    except subprocess.TimeoutExpired:
        process.kill()
        await asyncio.to_thread(process.wait)
    return sent, time.monotonic() - sent


def closings(sockets: list[socketio.AsyncClient]) -> list[float]:
    """When each of these sockets is closed (filled in as they are)."""
    closed: list[float] = []
    for sio in sockets:
        sio.on("disconnect", lambda *_: closed.append(time.monotonic()))
    return closed


async def all_closed(closed: list[float], count: int, sent: float) -> None:
    deadline = time.monotonic() + 5
    while len(closed) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert len(closed) == count, f"{count - len(closed)} of {count} sockets were left open"
    print(f"sockets closed {max(closed) - sent:.2f} s after SIGTERM")
    assert max(closed) - sent < CLOSED_WITHIN


async def polling_client(server: ServerProcess, link: str, name: str) -> socketio.AsyncClient:
    """A participant whose socket stays on long-polling (as behind a proxy without
    WebSocket)."""
    joined = await Client.join(server.url, link, name, "parent", connect=False)
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(
        server.url,
        headers={"Cookie": joined.cookie, "Origin": server.url},
        auth={"meeting_id": joined.meeting_id},
        transports=["polling"],
        wait_timeout=10,
    )
    return sio


class Sender:
    """A participant adding cards one after another (each `card_id` its text), as fast as
    the rate limit lets them, until their socket closes."""

    def __init__(self, client: Client, n: int) -> None:
        self.client = client
        self.n = n
        self.acknowledged: list[str] = []
        self.unanswered: dict[str, str] | None = None  # the op the close cut off, if any
        self.task = asyncio.create_task(self._send())

    async def _send(self) -> None:
        for k in range(1000):
            card_id = f"c_{self.n}_{k}"
            message = {
                "id": f"o_{self.n}_{k}",
                "type": "card.add",
                "section": "goals",
                "text": card_id,
                "card_id": card_id,
            }
            try:
                ack = await self.client.sio.call("op", message, timeout=3)
            except (TimeoutError, socketio.exceptions.SocketIOError):
                self.unanswered = message
                return
            if ack["ok"]:
                self.acknowledged.append(card_id)
            await asyncio.sleep(0.1)


def slow_connections(server: ServerProcess) -> list[socket.socket]:
    """One client half-way through sending a body, one half-way through its headers, and
    one that connected and sent nothing."""
    half_body = socket.create_connection(("127.0.0.1", server.port))
    half_body.sendall(
        b"POST /api/join HTTP/1.1\r\nHost: kinboard\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"token": "'
    )
    half_headers = socket.create_connection(("127.0.0.1", server.port))
    half_headers.sendall(b"GET /healthz HTTP/1.1\r\nHost: kinb")
    return [half_body, half_headers, socket.create_connection(("127.0.0.1", server.port))]


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[ServerProcess]:
    process = ServerProcess(tmp_path / "data").start()
    yield process
    process.stop(signal.SIGKILL)


async def test_sigterm_while_sockets_send_keeps_every_acknowledged_op(
    server: ServerProcess, tmp_path: Path
) -> None:
    meeting = create_meeting(server.url, "Busy meeting")
    link = meeting["links"]["participant"]
    clients = [await Client.join(server.url, link, f"Person {n}", "parent") for n in range(6)]
    closed = closings([c.sio for c in clients])
    senders = [Sender(c, n) for n, c in enumerate(clients)]
    await asyncio.sleep(1.5)
    acknowledged = {card for sender in senders for card in sender.acknowledged}
    assert acknowledged, "no op was acknowledged before the SIGTERM"
    sent, seconds = await sigterm(server)
    print(f"exited {seconds:.2f} s after SIGTERM with 6 sockets sending")
    assert seconds < EXIT_WITHIN
    await all_closed(closed, len(clients), sent)
    await asyncio.wait_for(asyncio.gather(*(sender.task for sender in senders)), 5)
    acknowledged = {card for sender in senders for card in sender.acknowledged}

    restarted = ServerProcess(server.data_dir, port=server.port).start()
    try:
        answer = httpx.get(
            f"{restarted.url}/api/meetings/{meeting['id']}",
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
        assert answer.status_code == 200
        stored = {card["id"] for card in answer.json()["cards"]}
        assert acknowledged <= stored, sorted(acknowledged - stored)
    finally:
        restarted.stop()


async def test_sigterm_on_one_of_two_workers_its_clients_carry_on_on_the_other(
    tmp_path: Path, redis_prefix: str
) -> None:
    first, second = start_workers(tmp_path, REDIS_URL, prefix=redis_prefix)
    try:
        meeting = create_meeting(first.url, "Busy meeting")
        link = meeting["links"]["participant"]
        clients = [await Client.join(first.url, link, f"Person {n}", "parent") for n in range(4)]
        closed = closings([c.sio for c in clients])
        senders = [Sender(c, n) for n, c in enumerate(clients)]
        await asyncio.sleep(1.5)
        sent, seconds = await sigterm(first)
        print(f"exited {seconds:.2f} s after SIGTERM with 4 sockets sending")
        assert seconds < EXIT_WITHIN
        await all_closed(closed, len(clients), sent)
        await asyncio.wait_for(asyncio.gather(*(sender.task for sender in senders)), 5)

        # As the page does: reconnect (to the other worker), resend what was not answered.
        for sender in senders:
            sender.client.base_url = second.url
            await sender.client.connect()
            if sender.unanswered is not None:
                ack = await sender.client.send(sender.unanswered)
                assert ack["ok"], ack
                sender.acknowledged.append(sender.unanswered["card_id"])
        acknowledged = [card for sender in senders for card in sender.acknowledged]
        answer = httpx.get(
            f"{second.url}/api/meetings/{meeting['id']}",
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
        stored = [card["id"] for card in answer.json()["cards"]]
        assert sorted(stored) == sorted(acknowledged)  # each once, none lost
    finally:
        stop_all(first, second)


async def test_sigterm_with_long_polling_sockets_closes_them(server: ServerProcess) -> None:
    meeting = create_meeting(server.url)
    sockets = [
        await polling_client(server, meeting["links"]["participant"], f"Person {n}")
        for n in range(3)
    ]
    closed = closings(sockets)
    await asyncio.sleep(0.5)  # each is now waiting in a long poll
    sent, seconds = await sigterm(server)
    print(f"exited {seconds:.2f} s after SIGTERM with 3 long-polling sockets")
    assert seconds < EXIT_WITHIN
    await all_closed(closed, len(sockets), sent)


async def test_sigterm_with_slow_http_clients(server: ServerProcess) -> None:
    connections = slow_connections(server)
    try:
        await asyncio.sleep(0.5)
        _, seconds = await sigterm(server)
    finally:
        for connection in connections:
            connection.close()
    print(f"exited {seconds:.2f} s after SIGTERM with three slow HTTP clients")
    assert seconds < EXIT_WITHIN


@pytest.mark.parametrize("redis_state", ["paused", "down"])
async def test_sigterm_when_redis_does_not_answer(
    tmp_path: Path,
    own_redis: RedisServer,
    redis_state: str,
) -> None:
    worker = ServerProcess(tmp_path / "worker", env={"REDIS_URL": own_redis.url}).start()
    try:
        meeting = create_meeting(worker.url)
        link = meeting["links"]["participant"]
        on_websocket = [
            await Client.join(worker.url, link, f"Person {n}", "parent") for n in range(3)
        ]
        on_polling = await polling_client(worker, link, "Polly")
        closed = closings([on_polling, *(c.sio for c in on_websocket)])
        connections = slow_connections(worker)
        if redis_state == "paused":
            own_redis.signal(signal.SIGSTOP)
        else:
            own_redis.stop()
        await asyncio.sleep(0.5)
        sent, seconds = await sigterm(worker)
        for connection in connections:
            connection.close()
        print(f"exited {seconds:.2f} s after SIGTERM with Redis {redis_state}")
        assert seconds < EXIT_WITHIN
        await all_closed(closed, len(on_websocket) + 1, sent)
    finally:
        worker.stop(signal.SIGKILL)
