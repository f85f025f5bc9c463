"""Waiting for replicas before a commit is acknowledged, so that a failover (Redis
Sentinel promoting a replica) loses no acknowledged op.

KINBOARD_REDIS_WAIT_REPLICAS is the most replicas a commit waits for; it waits for those
of them that are online. A master left with none (its replica lost, or a replica just
promoted with no other) acknowledges on its own copy: Kinboard carries on rather than
refusing every change until a replica is back (operations.md, "Replicas and WAIT").
"""

from __future__ import annotations

import logging
import time

import redis.asyncio as aioredis

from ..board.errors import UnknownOutcome

log = logging.getLogger("kinboard.store")

# Milliseconds a commit waits for its replicas (WAIT): less than the store's socket timeout,
# so the answer, not the timeout, tells.
REPLICA_WAIT_MS = 500
# Seconds the count of online replicas is trusted before it is asked for again.
RECOUNT_SECONDS = 1.0


class Replicas:
    def __init__(self, wanted: int) -> None:
        self.wanted = wanted
        self._online = wanted
        self._counted_at: float | None = None

    async def confirm(self, client: aioredis.Redis) -> None:
        """Return once the online replicas (up to `wanted`) have this connection's last
        write; else `unknown_outcome`: it is on the master, but may be lost with it."""
        if not self.wanted:
            return
        now = time.monotonic()
        if self._counted_at is None or now - self._counted_at > RECOUNT_SECONDS:
            info = await client.info("replication")
            online = sum(
                1
                for name, replica in info.items()
                if name.startswith("slave")
                and isinstance(replica, dict)
                and replica.get("state") == "online"
            )
            self._online, self._counted_at = min(self.wanted, online), now
        if not self._online:
            return
        reached = int(await client.wait(self._online, REPLICA_WAIT_MS))
        if reached < self._online:
            self._counted_at = None  # count again: a replica may be gone for good
            log.warning("a commit reached %s of %s replicas in time", reached, self._online)
            raise UnknownOutcome(
                "The store did not keep a second copy of this change in time: it may have "
                "been saved. Sending it again."
            )
