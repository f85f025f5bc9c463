"""Socket.IO's Redis manager, made to come back quickly, to say whether it is listening,
and to publish without making anyone wait for Redis.

python-socketio's AsyncRedisManager waits up to 60 s between attempts to re-subscribe after
Redis goes away; a family meeting cannot wait that long, so this one tries again every
half second. It also records whether its subscription is live, for /readyz.

It publishes each message in its own round trip, awaited by whoever emitted it: an op's
answer, and the next op of the same meeting (which commits only once this one has
published), waited for Redis to take a broadcast that this worker's own sockets already
have. Here emitting only queues the message (`_publish`); one sender publishes what is
queued, in order, a batch per round trip. A broadcast that never reaches the other workers
is repaired by their clients' sync, as with python-socketio's own, which gives up after two
tries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import socketio

from .redis_urls import CLUSTER_SCHEMES, node_urls, scheme_of
from .store.redis_connection import redis_client

RETRY_SECONDS = 0.5
# Messages queued while Redis takes none (it hangs): past this many they are dropped, as
# broadcasts lost, rather than held without end.
OUTBOX_LIMIT = 10_000
log = logging.getLogger("kinboard.pubsub")


async def _nothing() -> None:
    return None


class RedisManager(socketio.AsyncRedisManager):
    listening = False
    connected = False
    pubsub: Any  # set by socketio's _redis_connect
    redis: Any
    # Called after every (re)subscription: broadcasts sent while we were deaf are lost to
    # us, so realtime tells its sockets the latest seq at once and they catch up.
    on_subscribed: Callable[[], Awaitable[None]] = staticmethod(_nothing)

    def __init__(self, url: str, channel: str, pool_size: int, **options: Any) -> None:
        super().__init__(url, channel=channel, redis_options=options)
        self.pool_size = pool_size
        # On a Redis Cluster the broadcasts go through one node (a PUBLISH on any node
        # reaches the subscribers on every node), the next one after each failure.
        self.urls = node_urls(url) if scheme_of(url) in CLUSTER_SCHEMES else [url]
        self.failures = 0
        self._outbox: list[dict[str, Any]] = []
        self._sender: asyncio.Task[None] | None = None

    async def _publish(self, data: dict[str, Any]) -> None:
        """Queue a message for the other workers; the sender publishes it after those
        queued before it."""
        if len(self._outbox) >= OUTBOX_LIMIT:
            log.error("Redis has taken no message for a while; dropped %d", len(self._outbox))
            self._outbox = []
        self._outbox.append(data)
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._send_queued())

    async def _send_queued(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            await self._publish_batch(batch)

    async def _publish_batch(self, batch: list[dict[str, Any]]) -> None:
        """Publish in one round trip, trying once more on a fresh connection (as
        python-socketio does for each message)."""
        for attempt in (1, 2):
            try:
                if not self.connected:
                    self._redis_connect()
                async with self.redis.pipeline(transaction=False) as pipe:
                    for data in batch:
                        pipe.publish(self.channel, self.json.dumps(data))
                    await pipe.execute()
                return
            except Exception as error:  # any failure: once more, then the clients' sync
                self.connected = False
                level = logging.WARNING if attempt == 1 else logging.ERROR
                outcome = "trying again" if attempt == 1 else "giving up"
                log.log(level, "Could not publish %d messages (%s); %s", len(batch), error, outcome)

    async def flush(self) -> None:
        """Wait until what is queued has been published (or given up on)."""
        while self._sender is not None and not self._sender.done():
            await asyncio.shield(self._sender)

    def _redis_connect(self) -> None:
        """As python-socketio's (Redis Sentinel included), but on a pool of a chosen size
        that makes a burst of broadcasts wait for a connection instead of failing ("Too
        many connections"). After a failed publish python-socketio calls this again: the
        pool, which drops broken connections, and the subscription are kept, rather than
        left open."""
        if self.redis is None:
            url = self.urls[self.failures % len(self.urls)]
            self.redis = redis_client(url, self.pool_size, **self.redis_options)
            self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        subscribed = False
        while True:
            try:
                if not subscribed:
                    await self._close_connection()
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    subscribed = self.listening = True
                    await self.on_subscribed()
                async for message in self.pubsub.listen():
                    yield message
            except Exception as error:  # any failure: resubscribe on a fresh connection
                if subscribed:
                    log.warning("Socket.IO lost Redis (%s); subscribing again", error)
                subscribed = self.listening = False
                self.failures += 1
                await asyncio.sleep(RETRY_SECONDS)

    async def _close_connection(self) -> None:
        """Close the old subscription before making a new one: redis-py would otherwise
        quietly resubscribe it, and Redis would buffer messages nobody reads."""
        pubsub, redis = self.pubsub, self.redis
        self.pubsub = self.redis = None
        with contextlib.suppress(Exception):
            if pubsub is not None:
                await pubsub.aclose()
            if redis is not None:
                await redis.aclose()
