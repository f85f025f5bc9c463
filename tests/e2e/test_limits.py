"""What one HTTP client or socket may cost a worker: bodies over 64 KiB are refused while
they arrive, slow clients and sockets that never join are closed. A real server process."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.support.harness import Client, ServerProcess, create_meeting

HUNDRED_MB = 100 * 1024 * 1024
CHUNK = 64 * 1024
# The server's own deadlines (server/serving.py, server/http/body_limit.py,
# server/realtime.py), and a little more for scheduling.
HEADERS_WITHIN = 10.0 + 2
BODY_WITHIN = 10.0 + 2
KEEP_ALIVE_WITHIN = 5.0 + 2
JOINED_WITHIN = 5.0 + 2.5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(Path(tmp_path_factory.mktemp("limits")) / "data").start()
    yield process
    process.stop()


def rss_kib(server: ServerProcess) -> int:
    assert server.process is not None
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))


def answer_of(raw: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def send_big_body(server: ServerProcess, path: str, declare_length: bool) -> tuple[bytes, int]:
    """POST 100 MB (with Content-Length, or chunked), reading the answer while sending; the
    answer, and how much had been sent when it came."""
    connection = socket.create_connection(("127.0.0.1", server.port))
    framing = f"Content-Length: {HUNDRED_MB}" if declare_length else "Transfer-Encoding: chunked"
    connection.sendall(
        f"POST {path} HTTP/1.1\r\nHost: kinboard\r\nContent-Type: application/json\r\n"
        f"{framing}\r\n\r\n".encode()
    )
    sent = 0
    stop = threading.Event()

    def keep_sending() -> None:
        nonlocal sent
        chunk = b"x" * CHUNK if declare_length else b"%x\r\n%s\r\n" % (CHUNK, b"x" * CHUNK)
        try:
            while sent < HUNDRED_MB and not stop.is_set():
                connection.sendall(chunk)
                sent += CHUNK
        except OSError:  # the server has answered and closed the connection
            pass

    sender = threading.Thread(target=keep_sending)
    sender.start()
    connection.settimeout(20)
    answer = b""
    try:
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            data = connection.recv(65536)
            if not data:
                break
            answer += data
        sent_then = sent
    finally:
        stop.set()
        sender.join()
        connection.close()
    return answer, sent_then


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/api/join", "/socket.io/?EIO=4&transport=polling"])
def test_a_100_mb_body_is_refused_while_it_arrives(
    server: ServerProcess, path: str, declare_length: bool
) -> None:
    send_big_body(server, path, declare_length)  # the first one warms the worker up
    before = rss_kib(server)
    for _ in range(2):
        answer, sent = send_big_body(server, path, declare_length)
        status, body = answer_of(answer)
        assert status == 413
        assert body["error"]["code"] == "too_large"  # type: ignore[index]
        assert sent < HUNDRED_MB / 2, f"answered only after {sent} bytes"
    grown = rss_kib(server) - before
    print(f"RSS grew {grown} KiB over two 100 MB bodies to {path}")
    assert grown < 4 * 1024


async def read_until_closed(reader: asyncio.StreamReader, within: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it closed."""
    received = b""
    started = time.monotonic()
    async with asyncio.timeout(within):
        while True:
            try:
                data = await reader.read(65536)
            except ConnectionResetError:
                data = b""
            if not data:
                return received, time.monotonic() - started
            received += data


async def test_slow_and_idle_http_clients_are_closed(server: ServerProcess) -> None:
    async def idle() -> tuple[bytes, float]:
        reader, _ = await asyncio.open_connection("127.0.0.1", server.port)
        return await read_until_closed(reader, HEADERS_WITHIN)

    async def headers_a_byte_a_second() -> tuple[bytes, float]:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: kinboard\r\n")

        async def trickle() -> None:
            for byte in b"X-Slow: " + b"a" * 100:
                await asyncio.sleep(1)
                writer.write(bytes([byte]))

        trickling = asyncio.create_task(trickle())
        try:
            return await read_until_closed(reader, HEADERS_WITHIN)
        finally:
            trickling.cancel()

    async def half_a_body() -> tuple[bytes, float]:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(
            b"POST /api/join HTTP/1.1\r\nHost: kinboard\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"token": '
        )
        return await read_until_closed(reader, BODY_WITHIN)

    async def kept_alive() -> tuple[bytes, float]:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: kinboard\r\n\r\n")
        return await read_until_closed(reader, KEEP_ALIVE_WITHIN)

    (idle_answer, _), (slow_answer, _), (body_answer, _), (alive_answer, _) = await asyncio.gather(
        idle(), headers_a_byte_a_second(), half_a_body(), kept_alive()
    )
    assert idle_answer == b""
    assert slow_answer == b""
    status, body = answer_of(body_answer)
    assert status == 408 and body["error"]["code"] == "too_slow"  # type: ignore[index]
    assert alive_answer.startswith(b"HTTP/1.1 200")


def test_headers_growing_past_16_kib_are_refused(server: ServerProcess) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: kinboard\r\nX-Big: " + b"a" * 20_000)
        connection.settimeout(5)
        assert connection.recv(100).startswith(b"HTTP/1.1 400")


async def test_a_socket_that_does_not_join_is_closed(server: ServerProcess) -> None:
    meeting = create_meeting(server.url)
    member = await Client.join(server.url, meeting["links"]["participant"], "Sam", "parent")
    url = server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as http:

        async def held_open(first: str | None) -> float:
            """An engine.io socket that answers pings but never joins (sends `first`, if
            anything); the seconds until the server closes it."""
            async with http.ws_connect(url, headers={"Origin": server.url}) as ws:
                started = time.monotonic()
                opened = await ws.receive_str()
                assert opened.startswith("0")
                if first is not None:
                    await ws.send_str(first)
                async with asyncio.timeout(JOINED_WITHIN):
                    async for message in ws:
                        if message.data == "2":
                            await ws.send_str("3")
                return time.monotonic() - started

        try:
            # One never connects to the namespace; one connects without a session, is
            # refused, and stays.
            never, refused = await asyncio.gather(held_open(None), held_open("40{}"))
            print(f"closed after {never:.1f} s (never joined), {refused:.1f} s (refused)")
            assert member.sio.connected  # one that joined stays
        finally:
            await member.close()
