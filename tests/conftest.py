"""Shared fixtures: a real Redis server (own key prefix per test) and the services' switches.

With KINBOARD_REQUIRE_REDIS=1 (CI) a missing Redis fails the tests instead of skipping them;
KINBOARD_REQUIRE_BROWSER=1 does the same for Chromium.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import redis.asyncio as aioredis

from server.store import Store
from server.store.board_log import LOG_LIMIT
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore

REDIS_URL = os.environ.get("KINBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM = os.environ.get("KINBOARD_CHROMIUM", "/usr/bin/chromium")


def _required(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0", "false")


def redis_available() -> bool:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except (redis.RedisError, OSError):
        return False
    return True


def need_redis() -> None:
    if redis_available():
        return
    message = f"Redis does not answer at {REDIS_URL}"
    if _required("KINBOARD_REQUIRE_REDIS"):
        pytest.fail(message + " (KINBOARD_REQUIRE_REDIS is set)")
    pytest.skip(message)


def need_chromium() -> None:
    if os.access(CHROMIUM, os.X_OK):
        return
    message = f"Chromium is not installed at {CHROMIUM}"
    if _required("KINBOARD_REQUIRE_BROWSER"):
        pytest.fail(message + " (KINBOARD_REQUIRE_BROWSER is set)")
    pytest.skip(message)


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


# --- one store suite, both backends -----------------------------------------------------------


@dataclass(frozen=True)
class Backend:
    kind: str
    path: Path | None = None
    prefix: str | None = None

    def new_store(self, log_limit: int = LOG_LIMIT) -> Store:
        if self.kind == "sqlite":
            assert self.path is not None
            return SQLiteStore(self.path, log_limit=log_limit)
        assert self.prefix is not None
        return RedisStore(REDIS_URL, prefix=self.prefix, log_limit=log_limit)


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "redis":
        return Backend("redis", prefix=request.getfixturevalue("redis_prefix"))
    return Backend("sqlite", path=tmp_path / "kb.sqlite3")


OpenStore = Callable[..., Awaitable[Store]]


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
