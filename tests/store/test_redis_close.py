"""The Redis store closes in time even when redis-py swallows a cancellation: a lease
that went on would keep the worker's event loop from ever closing (redis/redis-py#2551)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio.client import PubSub

from server.store.redis import RedisStore
from server.store.redis_connection import LEASE_POLL
from tests.support.services import REDIS_URL


def swallow_one_cancellation(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`get_message` as redis-py behaves when a cancellation lands inside its timeout: the
    cancellation disappears and the call returns as if nothing came."""
    swallowed: list[str] = []
    original = PubSub.get_message

    async def get_message(self: PubSub, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, *args, **kwargs)
        except asyncio.CancelledError:
            if swallowed:
                raise
            swallowed.append("once")
            task = asyncio.current_task()
            assert task is not None
            task.uncancel()
            return None

    monkeypatch.setattr(PubSub, "get_message", get_message)
    return swallowed


async def test_close_ends_the_lease_though_its_cancellation_was_swallowed(
    redis_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    swallowed = swallow_one_cancellation(monkeypatch)
    store = RedisStore(REDIS_URL, prefix=redis_prefix)
    await store.open()
    lease = store._lease
    assert lease is not None and not lease.done()
    await asyncio.sleep(0.05)  # the lease waits on its subscription
    # Not wait_for: its own cancellation of close() would reach the lease a second time.
    closing = asyncio.create_task(store.close())
    done, _ = await asyncio.wait({closing}, timeout=LEASE_POLL + 1.5)
    if not done:
        closing.cancel()
        await asyncio.wait({closing})
    assert swallowed == ["once"]
    assert done == {closing}, "the lease went on after the store closed"
    assert lease.done()
