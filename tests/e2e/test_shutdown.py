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
from tests.support.harness import API_KEY, Client, ServerProcess, create_meeting

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
    acknowledged: list[str] = []

    async def keep_sending(client: Client, n: int) -> None:
        for k in range(1000):
            card_id = f"c_{n}_{k}"
            message = {"id": f"o_{n}_{k}", "type": "card.add", "section": "goals"}
            try:
                ack = await client.sio.call(
                    "op", {**message, "text": card_id, "card_id": card_id}, timeout=3
                )
            except (TimeoutError, socketio.exceptions.SocketIOError):
                return  # closed or unanswered: not acknowledged
            if ack["ok"]:
                acknowledged.append(card_id)
            await asyncio.sleep(0.1)

    closed = closings([c.sio for c in clients])
    senders = [asyncio.create_task(keep_sending(c, n)) for n, c in enumerate(clients)]
    await asyncio.sleep(1.5)
    assert acknowledged, "no op was acknowledged before the SIGTERM"
    sent, seconds = await sigterm(server)
    print(f"exited {seconds:.2f} s after SIGTERM with 6 sockets sending")
    assert seconds < EXIT_WITHIN
    await all_closed(closed, len(clients), sent)
    await asyncio.wait_for(asyncio.gather(*senders), 5)

    restarted = ServerProcess(server.data_dir, port=server.port).start()
    try:
        answer = httpx.get(
            f"{restarted.url}/api/meetings/{meeting['id']}",
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
        assert answer.status_code == 200
        stored = {card["id"] for card in answer.json()["cards"]}
        assert set(acknowledged) <= stored, sorted(set(acknowledged) - stored)
    finally:
        restarted.stop()


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
