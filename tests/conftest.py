"""Fixtures every folder may use: a real Redis server (own key prefix per test) and one
store suite over both backends. Helpers live in tests/support/."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from server.store import Store
from server.store.board_log import LOG_LIMIT
from tests.support.services import REDIS_URL, need_redis
from tests.support.stores import Backend, OpenStore


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


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "redis":
        return Backend("redis", prefix=request.getfixturevalue("redis_prefix"))
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
