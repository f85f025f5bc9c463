"""The Redis store's connection: its pool, its scripts, this worker's identity, and how a
Redis that does not answer (or refuses) becomes a Kinboard error."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, cast

import redis.asyncio as aioredis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel, SentinelConnectionPool
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisClusterException, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..board.errors import StoreFailed, Unavailable, UnknownOutcome
from ..redis_urls import (
    CLUSTER_SCHEMES,
    SENTINEL_SCHEMES,
    cluster_parts,
    scheme_of,
    sentinel_parts,
)
from . import redis_scripts
from .redis_replicas import Replicas

log = logging.getLogger("kinboard.store")
# Set while this task upgrades the data: its calls go through before the store is ready.
UPGRADING: ContextVar[bool] = ContextVar("kinboard_upgrading", default=False)

# Seconds to wait for Redis (with one quick retry, for a connection that went stale when
# Redis restarted) before an op is refused as `unavailable` rather than left hanging.
TIMEOUT = 0.9
# Seconds a command waits for a free connection of a full pool before it is refused
# `unavailable`: a burst (hundreds of sockets connecting or closing at once) queues
# briefly instead of failing with redis-py's "Too many connections".
POOL_WAIT = 2.0
# Seconds between tries to hold the worker's lease again after losing Redis.
LEASE_RETRY = 0.5
# Seconds the lease waits on its subscription at a time: the longest a closing store's
# lease takes to see `_closing` (well inside the app's STOP_WITHIN).
LEASE_POLL = 1.0


def connection_pool(url: str, size: int, **options: Any) -> aioredis.BlockingConnectionPool:
    """At most `size` connections to Redis; a command waits up to POOL_WAIT for one."""
    return aioredis.BlockingConnectionPool.from_url(
        url, max_connections=size, timeout=POOL_WAIT, **options
    )


class BlockingSentinelPool(SentinelConnectionPool, aioredis.BlockingConnectionPool):
    """The pool of connections to the master the sentinels name, waiting for a free
    connection as `connection_pool`'s does. After a failover each new connection asks the
    sentinels again, and a connection to a master turned replica is dropped."""


def redis_client(url: str, size: int, **options: Any) -> aioredis.Redis:
    """A client on `connection_pool`, or through Redis Sentinel for a `redis+sentinel://`
    URL (the form python-socketio reads: operations.md, "Redis Sentinel"), or on a Redis
    Cluster for `redis+cluster://`."""
    scheme = scheme_of(url)
    if scheme in CLUSTER_SCHEMES:
        nodes, credentials = cluster_parts(url)
        cluster = RedisCluster(
            startup_nodes=[ClusterNode(host, port) for host, port in nodes],
            max_connections=size,  # for each node
            **credentials,
            **options,
        )
        # It answers every command the store sends as one Redis does (each key to its
        # slot's node); only the commit's own connection is one Redis's (`_replicated`).
        return cast(aioredis.Redis, cluster)
    if scheme not in SENTINEL_SCHEMES:
        return aioredis.Redis.from_pool(connection_pool(url, size, **options))
    sentinels, service, credentials = sentinel_parts(url)
    # The sentinels themselves have no password; the master and its replicas do.
    timeouts = {k: v for k, v in options.items() if k.startswith("socket_")}
    sentinel = Sentinel(sentinels, sentinel_kwargs=timeouts, **credentials)
    client: aioredis.Redis = sentinel.master_for(
        service,
        connection_pool_class=BlockingSentinelPool,
        max_connections=size,
        timeout=POOL_WAIT,
        **options,
    )
    return client


class RedisConnection:
    """What every part of the Redis store shares."""

    def __init__(self, url: str, prefix: str, pool_size: int, wait_replicas: int = 0) -> None:
        self.url = url
        self.prefix = prefix
        self.cluster = scheme_of(url) in CLUSTER_SCHEMES
        if self.cluster and wait_replicas:
            raise ValueError("waiting for replicas is not supported on a Redis Cluster")
        self.replicas = Replicas(wait_replicas)
        # Every reply is decoded to str, though redis-py types replies bytes | str: hence
        # the casts where a reply is read.
        self._redis = redis_client(
            url,
            pool_size,
            decode_responses=True,
            socket_timeout=TIMEOUT,
            socket_connect_timeout=TIMEOUT,
            retry=Retry(NoBackoff(), retries=1),
            health_check_interval=15,
        )
        # Clients of one connection each, for commits (`_replicated`), kept without their
        # connection for the next commit: making one anew cost a third of a commit's CPU.
        self._commit_clients: list[aioredis.Redis] = []
        self._pool_size = pool_size
        self._commit_script = self._redis.register_script(redis_scripts.COMMIT)
        self._create_script = self._redis.register_script(redis_scripts.CREATE)
        self._count_script = self._redis.register_script(redis_scripts.COUNT)
        self._release_script = self._redis.register_script(redis_scripts.RELEASE)
        self._put_family_meeting_script = self._redis.register_script(
            redis_scripts.PUT_FAMILY_MEETING
        )
        self._list_family_script = self._redis.register_script(redis_scripts.LIST_FAMILY)
        self._find_op_script = self._redis.register_script(redis_scripts.FIND_OP)
        # This worker's presence entries name it. It is alive while its lease (a pub/sub
        # subscription of its own) stands: Redis drops that the moment the worker's process
        # dies, SIGKILL included, so a dead worker's sockets stop counting against the
        # limit per person at once rather than when their entries expire.
        self.worker_id = secrets.token_hex(8)
        self._lease: asyncio.Task[None] | None = None
        self._leased = asyncio.Event()
        self._failing: str | None = None  # the failure last logged, while it goes on
        # While the data waits for its upgrade (Redis not there at open), only the upgrade
        # may use the store.
        self._ready = False
        self._upgrading: asyncio.Task[None] | None = None
        # The background loops also stop on this, not only on cancellation: redis-py can
        # swallow a cancellation that lands inside one of its timeouts, and a loop that
        # went on would keep the event loop from closing.
        self._closing = False

    def _key(self, meeting_id: str, name: str) -> str:
        return f"{self.prefix}:{{{meeting_id}}}:{name}"

    def _lease_channel(self, worker_id: str) -> str:
        return f"{self.prefix}:worker:{worker_id}"

    @asynccontextmanager
    async def _redis_call(self, sent: bool = False) -> AsyncIterator[aioredis.Redis]:
        """Redis not answering is `unavailable`, but with `sent` (a commit already on its
        way) `unknown_outcome`: it may have been applied. Redis answering with an error is
        `unavailable` too (StoreFailed)."""
        if self._upgrading is not None and not self._ready and not UPGRADING.get():
            raise Unavailable("The store does not answer. Please try again shortly.")
        try:
            yield self._redis
        except (RedisError, RedisClusterException, OSError) as error:
            # The detail names Redis's address: for the log, never for the people asking.
            # Logged once while the same failure goes on.
            if str(error) != self._failing:
                self._failing = str(error)
                log.warning("Redis does not answer: %s", error)
            if not isinstance(
                error, RedisConnectionError | RedisTimeoutError | RedisClusterException | OSError
            ):
                # Redis answered, refusing (out of memory under `noeviction`, read-only).
                raise StoreFailed("The store cannot save changes just now.") from error
            if sent:
                raise UnknownOutcome(
                    "No answer came from the store: this change may have been saved. "
                    "Sending it again."
                ) from error
            raise Unavailable("The store does not answer. Please try again shortly.") from error
        self._failing = None

    async def _replicated(
        self, script: AsyncScript, keys: list[str], args: list[Any], settled: Callable[[Any], bool]
    ) -> Any:
        """Run a commit's `script` on a connection of its own, and when its result is
        `settled` (written: to be acknowledged), wait on that connection for the
        replicas to have it (redis_replicas.py). Failing to get the connection (Redis away),
        nothing was sent: `unavailable`. Failing once it was sent, nobody knows whether
        Redis ran it (a restart, a stall, a failover), nor whether a replica has it:
        `unknown_outcome`, and the resend with the same op key finds out. (On a Redis
        Cluster the script goes to its slot's node as any command does: a failure is
        `unknown_outcome` even before it was sent.)"""
        if self.cluster:
            async with self._redis_call(sent=True) as r:
                return await script(keys=keys, args=args, client=r)
        client = (
            self._commit_clients.pop()
            if self._commit_clients
            else aioredis.Redis(
                connection_pool=self._redis.connection_pool, single_connection_client=True
            )
        )
        try:
            async with self._redis_call():
                await client.initialize()
            async with self._redis_call(sent=True):
                result = await script(keys=keys, args=args, client=client)
                if settled(result):
                    await self.replicas.confirm(client)
        finally:
            await client.aclose()  # its connection back to the pool
            if len(self._commit_clients) < self._pool_size:
                self._commit_clients.append(client)
        return result

    async def _get_each(self, r: aioredis.Redis, keys: list[str]) -> list[str | None]:
        """GET of each key, in one trip: MGET would refuse keys of several cluster slots."""
        if not keys:
            return []
        async with r.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.get(key)
            return cast(list[str | None], await pipe.execute())

    async def ping(self) -> None:
        async with self._redis_call() as r:
            await r.ping()
