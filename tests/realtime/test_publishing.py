"""What a worker emits reaches the other workers through Redis in order, without the
emitter waiting for Redis; and when Redis cannot take it, the emitter is not held up."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from server import pubsub
from server.frames import SocketServer
from server.pubsub import RedisManager
from tests.support.services import REDIS_URL


@pytest.fixture
async def channel(redis_prefix: str) -> str:
    return f"{redis_prefix}:socketio"


@pytest.fixture
async def other_worker(channel: str) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
    """What another worker hears on the channel, message by message."""
    client = aioredis.from_url(REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)
    heard: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def listen() -> None:
        async for message in pubsub.listen():
            await heard.put(json.loads(message["data"]))

    listening = asyncio.create_task(listen())
    yield heard
    listening.cancel()
    await pubsub.aclose()
    await client.aclose()


def emitter(url: str, channel: str) -> tuple[SocketServer, RedisManager]:
    manager = RedisManager(url, channel=channel, pool_size=4, socket_connect_timeout=1)
    return SocketServer(async_mode="asgi", client_manager=manager), manager


async def test_a_burst_of_broadcasts_reaches_the_other_workers_all_and_in_order(
    channel: str, other_worker: asyncio.Queue[dict[str, Any]]
) -> None:
    sio, manager = emitter(REDIS_URL, channel)
    for seq in range(1, 201):
        await sio.emit("applied", {"seq": seq}, room="m_burst")
    await manager.flush()
    heard = [await asyncio.wait_for(other_worker.get(), 5) for _ in range(200)]
    assert [(m["event"], m["room"], m["data"]) for m in heard] == [
        ("applied", "m_burst", [{"seq": seq}]) for seq in range(1, 201)
    ]
    assert other_worker.empty()


async def test_the_emitter_does_not_wait_for_redis_to_take_the_broadcast(
    channel: str, other_worker: asyncio.Queue[dict[str, Any]]
) -> None:
    sio, manager = emitter(REDIS_URL, channel)
    await sio.emit("applied", {"seq": 1}, room="m_pause")  # connected, and heard
    assert (await asyncio.wait_for(other_worker.get(), 5))["data"] == [{"seq": 1}]
    admin = aioredis.from_url(REDIS_URL)
    try:
        await admin.client_pause(1000, all=False)  # Redis holds every write for a second
        await asyncio.wait_for(sio.emit("applied", {"seq": 2}, room="m_pause"), 0.5)
        assert other_worker.empty()  # the emitter went on while Redis held the broadcast
        assert (await asyncio.wait_for(other_worker.get(), 5))["data"] == [{"seq": 2}]
    finally:
        await admin.client_unpause()
        await admin.aclose()
    await manager.flush()


async def test_when_redis_cannot_be_reached_the_emitter_goes_on_and_the_log_says_so(
    channel: str, caplog: pytest.LogCaptureFixture
) -> None:
    sio, manager = emitter("redis://127.0.0.1:9/0", channel)  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="kinboard.pubsub"):
        await asyncio.wait_for(sio.emit("applied", {"seq": 1}, room="m_gone"), 0.5)
        await asyncio.wait_for(manager.flush(), 10)
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "Could not publish 1 messages",
        "Could not publish 1 messages",
    ]
    assert caplog.records[-1].getMessage().endswith("giving up")


async def test_while_redis_takes_nothing_the_queue_is_dropped_past_its_limit(
    channel: str, other_worker: asyncio.Queue[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    sio, manager = emitter(REDIS_URL, channel)
    await sio.emit("applied", {"seq": 0}, room="m_hang")
    assert (await asyncio.wait_for(other_worker.get(), 5))["data"] == [{"seq": 0}]
    admin = aioredis.from_url(REDIS_URL)
    try:
        await admin.client_pause(1000, all=False)
        await sio.emit("applied", {"seq": 1}, room="m_hang")
        await asyncio.sleep(0.1)  # the sender has taken it, and waits for Redis
        with caplog.at_level(logging.ERROR, logger="kinboard.pubsub"):
            for seq in range(2, pubsub.OUTBOX_LIMIT + 4):
                await sio.emit("applied", {"seq": seq}, room="m_hang")
    finally:
        await admin.client_unpause()
        await admin.aclose()
    await manager.flush()
    # The one Redis was given arrives; of those queued behind it, the first OUTBOX_LIMIT
    # were dropped and the two after them published.
    assert caplog.messages == [
        f"Redis has taken no message for a while; dropped {pubsub.OUTBOX_LIMIT}"
    ]
    heard = []
    while len(heard) < 3:
        heard.append((await asyncio.wait_for(other_worker.get(), 5))["data"][0]["seq"])
    assert heard == [1, pubsub.OUTBOX_LIMIT + 2, pubsub.OUTBOX_LIMIT + 3]
    assert other_worker.empty()
