"""Engine.IO's socket without a task per packet: it answers as the library's does."""

from __future__ import annotations

import asyncio

import engineio
import pytest
from engineio import exceptions, packet

from server.engine_socket import QuickSocket
from server.frames import SocketServer


def quick_socket(wait: float = 10.0) -> QuickSocket:
    server = engineio.AsyncServer(async_mode="asgi", ping_interval=wait / 2, ping_timeout=wait / 2)
    return QuickSocket(server, "s1")


def message(text: str) -> packet.Packet:
    return packet.Packet(packet.MESSAGE, data=text)


async def test_what_is_queued_is_sent_at_once_in_one_batch() -> None:
    socket = quick_socket()
    for text in ("one", "two", "three"):
        await socket.queue.put(message(text))
    assert [p.data for p in await socket.poll()] == ["one", "two", "three"]
    assert socket.queue.empty()


async def test_a_packet_queued_while_waiting_ends_the_wait() -> None:
    socket = quick_socket()
    waiting = asyncio.create_task(socket.poll())
    await asyncio.sleep(0.01)
    assert not waiting.done()
    await socket.queue.put(message("late"))
    assert [p.data for p in await waiting] == ["late"]


async def test_the_packets_before_a_close_are_sent_then_the_close_is_told() -> None:
    socket = quick_socket()
    await socket.queue.put(message("last"))
    await socket.queue.put(None)
    assert [p.data for p in await socket.poll()] == ["last"]
    assert await socket.poll() == []


async def test_nothing_to_send_for_the_ping_interval_and_timeout_is_queue_empty() -> None:
    socket = quick_socket(wait=0.1)
    with pytest.raises(exceptions.QueueEmpty):
        await socket.poll()
    assert socket.queue.empty()


async def test_a_websockets_writer_waits_past_the_timeout_for_its_reader_to_end_it() -> None:
    socket = quick_socket(wait=0.1)
    socket.upgraded = True
    waiting = asyncio.create_task(socket.poll())
    await asyncio.sleep(0.3)
    assert not waiting.done()
    await socket.queue.put(message("after a quiet while"))
    assert [p.data for p in await waiting] == ["after a quiet while"]
    waiting = asyncio.create_task(socket.poll())
    await socket.queue.put(None)  # the reader gave up on the client, or the socket closed
    assert await waiting == []


async def test_kinboards_server_builds_quick_sockets() -> None:
    sio = SocketServer(async_mode="asgi")
    environ = {"REQUEST_METHOD": "GET", "QUERY_STRING": "EIO=4&transport=polling"}
    await sio.eio._handle_connect(environ, "polling")
    assert [type(s) for s in sio.eio.sockets.values()] == [QuickSocket]
