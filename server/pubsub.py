"""Socket.IO's Redis manager, made to come back quickly and to say whether it is listening.

python-socketio's AsyncRedisManager waits up to 60 s between attempts to re-subscribe after
Redis goes away; a family meeting cannot wait that long, so this one tries again every
half second. It also records whether its subscription is live, for /readyz.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import socketio

RETRY_SECONDS = 0.5


class RedisManager(socketio.AsyncRedisManager):
    listening = False

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    subscribed = self.listening = True
                async for message in self.pubsub.listen():
                    yield message
            except Exception as error:  # any failure: resubscribe on a fresh connection
                self._get_logger().warning("Socket.IO lost Redis (%s); retrying", error)
                subscribed = self.listening = False
                await asyncio.sleep(RETRY_SECONDS)
