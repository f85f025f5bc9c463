"""Socket.IO's Redis manager, made to come back quickly and to say whether it is listening.

python-socketio's AsyncRedisManager waits up to 60 s between attempts to re-subscribe after
Redis goes away; a family meeting cannot wait that long, so this one tries again every
half second. It also records whether its subscription is live, for /readyz.
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
log = logging.getLogger("kinboard.pubsub")


async def _nothing() -> None:
    return None


class RedisManager(socketio.AsyncRedisManager):
    listening = False
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
