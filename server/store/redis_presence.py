"""The Redis store's presence: each socket's entry names its worker, and a worker is
alive while its lease (a pub/sub subscription of its own) stands."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

from redis.exceptions import RedisError

from .. import fastjson
from .records import Presence
from .redis_connection import LEASE_POLL, LEASE_RETRY, TIMEOUT, RedisConnection, redis_client


class RedisPresence(RedisConnection):
    async def _hold_lease(self) -> None:
        """Stay subscribed to this worker's own channel (nothing is ever sent on it),
        subscribing again whenever the connection is lost."""
        while not self._closing:
            client = redis_client(
                self.url, 1, socket_connect_timeout=TIMEOUT, health_check_interval=5
            )
            try:
                await client.ping()  # a Redis Cluster's client learns its nodes so
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self._lease_channel(self.worker_id))
                    self._leased.set()
                    while not self._closing:
                        await pubsub.get_message(timeout=LEASE_POLL)
            except (RedisError, OSError):
                pass
            finally:
                await client.aclose()
            await asyncio.sleep(LEASE_RETRY)

    async def presence_put(
        self, meeting_id: str, socket_id: str, entry: Presence, expires_at: float
    ) -> None:
        await self.presence_put_many(meeting_id, {socket_id: entry}, expires_at)

    async def presence_put_many(
        self, meeting_id: str, entries: Mapping[str, Presence], expires_at: float
    ) -> None:
        if not entries:
            return
        rows: dict[Any, Any] = {  # (redis-py types its mapping's keys invariantly)
            socket_id: fastjson.dumps(
                {
                    "participant_id": entry.participant_id,
                    "editing": entry.editing,
                    "expires_at": expires_at,
                    "worker": self.worker_id,
                }
            )
            for socket_id, entry in entries.items()
        }
        async with self._redis_call() as r:
            await r.hset(self._key(meeting_id, "presence"), mapping=rows)

    async def presence_drop(self, meeting_id: str, socket_id: str) -> None:
        async with self._redis_call() as r:
            await r.hdel(self._key(meeting_id, "presence"), socket_id)

    async def presence_sockets(self, meeting_id: str, now: float) -> dict[str, Presence]:
        key = self._key(meeting_id, "presence")
        async with self._redis_call() as r:
            found = cast(dict[str, str], await r.hgetall(key))
            rows = {socket_id: fastjson.loads(raw) for socket_id, raw in found.items()}
            # (An entry of a worker from before leases names none: it just expires.)
            gone = await self._gone_workers({data.get("worker", "") for data in rows.values()})
            # A gone worker's entries are left out but deleted only when they expire: after a
            # Redis restart a live worker's lease takes a moment to come back.
            live, expired = {}, []
            for socket_id, data in rows.items():
                if data["expires_at"] <= now:
                    expired.append(socket_id)
                elif data.get("worker") not in gone:
                    live[socket_id] = Presence(data["participant_id"], data["editing"])
            if expired:
                await r.hdel(key, *expired)
        return live

    async def _gone_workers(self, workers: set[str]) -> set[str]:
        """Those of these workers whose lease no longer stands (never this one: it is
        alive, even while it is subscribing again)."""
        others = sorted(workers - {self.worker_id, ""})
        if not others:
            return set()
        channels = [self._lease_channel(w) for w in others]
        # On a Redis Cluster a subscription counts only on its node: ask every node.
        where: dict[str, Any] = {"target_nodes": "all"} if self.cluster else {}
        counts = await self._redis.pubsub_numsub(*channels, **where)
        return {w for w, (_, count) in zip(others, counts, strict=True) if count == 0}
