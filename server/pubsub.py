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
