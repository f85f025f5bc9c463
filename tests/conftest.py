"""Fixtures every folder may use: a real Redis server (own key prefix per test), one store
suite over both backends, a server process per module and two workers sharing Redis.
Helpers live in tests/support/."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis

from server.store import Store
from server.store.board_log import LOG_LIMIT
from server.store.redis_connection import redis_client
from tests.support.harness import ServerProcess, start_workers, stop_all
from tests.support.redis_topology import RedisClusterNodes
from tests.support.services import REDIS_URL, need_redis
from tests.support.stores import Backend, OpenStore

# Fixtures that bring Redis with them (at 6379, or a redis-server of the test's own).
REDIS_FIXTURES = {"redis_prefix", "own_redis", "redis_workers", "redis_cluster"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`redis` on every test that needs Redis: through a fixture, or as the "redis" case of a
    test run on both backends."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = [str(v) for v in callspec.params.values()] if callspec is not None else []
        on_redis = "redis" in params or "cluster" in params
        if on_redis or REDIS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.redis)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile` (`make test`), with every browser test counted as one file: the
    tests of a module run on one xdist worker, in order, so that its module-scoped server
    and fixtures are made once; the browser tests all on one worker, one at a time, as
    without xdist: Chromium keeps a CPU busy, so two at once on two CPUs would only slow
    each other down, while the other worker runs the rest."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserTestsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope: str = super()._split_scope(nodeid)
            return "tests/browser" if scope.startswith("tests/browser/") else scope

    return BrowserTestsTogether(config, log)


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of this test's own; afterwards only keys under it are deleted."""
    need_redis()
    prefix = f"kbtest-{secrets.token_hex(6)}"
    yield prefix
    client = aioredis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisClusterNodes]:
    """A three-master Redis Cluster of the test run's own, started once."""
    cluster = RedisClusterNodes(tmp_path_factory.mktemp("cluster")).start()
    yield cluster
    cluster.stop()


@pytest.fixture
async def cluster_prefix(redis_cluster: RedisClusterNodes) -> AsyncIterator[str]:
    """As `redis_prefix`, on the cluster: afterwards the keys under it go, on every node."""
    prefix = f"kbtest-{secrets.token_hex(6)}"
    yield prefix
    client = redis_client(redis_cluster.url, 4, decode_responses=True)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each store backend; a module may add "cluster" (a Redis Cluster) by parametrizing
    `backend` indirectly."""
    if request.param == "redis":
        return Backend("redis", prefix=request.getfixturevalue("redis_prefix"))
    if request.param == "cluster":
        cluster: RedisClusterNodes = request.getfixturevalue("redis_cluster")
        return Backend("redis", prefix=request.getfixturevalue("cluster_prefix"), url=cluster.url)
    return Backend("sqlite", path=tmp_path / "kb.sqlite3")


@pytest.fixture
async def open_store(backend: Backend) -> AsyncIterator[OpenStore]:
    """Opens another store object on the same data: another worker, or a restarted one."""
    opened: list[Store] = []

    async def make(log_limit: int = LOG_LIMIT) -> Store:
        store = backend.new_store(log_limit)
        await store.open()
        opened.append(store)
        return store

    yield make
    for store in reversed(opened):
        await store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server process for the tests of a module."""
    process = ServerProcess(tmp_path_factory.mktemp("server")).start()
    yield process
    process.stop()


@pytest.fixture
def workers(tmp_path: Path, redis_prefix: str) -> Iterator[list[ServerProcess]]:
    """Two workers sharing the test Redis under this test's key prefix."""
    processes = start_workers(tmp_path, REDIS_URL, prefix=redis_prefix)
    yield processes
    stop_all(*processes)
