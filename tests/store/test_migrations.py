"""The data's version and its upgrade steps, on both stores: in order, once each, logged,
once among processes opening the store together, past a lock its holder left, and never
on data of a newer release. (tests/e2e/test_upgrade.py upgrades a real older release's data.)"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from server.board.errors import Unavailable
from server.board.model import Board, Meeting
from server.store import Store, migrations
from server.store.migrations import VERSION, NewerData, Step, upgrade
from server.store.redis import RedisStore
from tests.support.faults import RedisServer, wait_until
from tests.support.stores import OpenStore


def recording(ran: list[int], seconds: float = 0.0) -> tuple[Step, ...]:
    async def run(number: int, store: Store) -> None:
        await asyncio.sleep(seconds)
        ran.append(number)
        await store.put_record("step", str(number), {"ran": number})

    def step(number: int) -> Step:
        return Step(number, f"step {number}", lambda store: run(number, store))

    return (step(2), step(3))


async def older(open_store: OpenStore) -> Any:
    """A store holding data at version 1."""
    store: Any = await open_store()
    await store.put_record("step", "1", {"ran": 1})
    await store._write_version(1)
    return store


async def test_a_new_store_is_given_this_releases_version(open_store: OpenStore) -> None:
    store: Any = await open_store()
    assert await store._read_version() == VERSION


async def test_each_step_runs_once_in_order_and_is_logged(
    open_store: OpenStore, caplog: pytest.LogCaptureFixture
) -> None:
    store = await older(open_store)
    ran: list[int] = []
    with caplog.at_level(logging.INFO, logger="kinboard.store"):
        await upgrade(store, recording(ran))
        await upgrade(store, recording(ran))
    assert ran == [2, 3]
    assert await store._read_version() == 3
    lines = [r.getMessage() for r in caplog.records if "upgraded its data" in r.getMessage()]
    assert lines == [
        "Kinboard upgraded its data from version 1 to 2: step 2",
        "Kinboard upgraded its data from version 2 to 3: step 3",
    ]


async def test_processes_opening_together_upgrade_once(open_store: OpenStore) -> None:
    others = [await open_store() for _ in range(3)]
    first = await older(open_store)
    ran: list[int] = []
    await asyncio.gather(*(upgrade(s, recording(ran, 0.2)) for s in [first, *others]))
    assert ran == [2, 3]
    for store in (first, *others):
        assert await store._read_version() == 3  # type: ignore[attr-defined]


async def test_a_lock_left_by_a_killed_process_is_taken_over(open_store: OpenStore) -> None:
    store = await older(open_store)
    assert await store._try_upgrade_lock("killed-half-way", 0.5)
    ran: list[int] = []
    started = asyncio.get_running_loop().time()
    await upgrade(store, recording(ran))
    assert ran == [2, 3]
    assert asyncio.get_running_loop().time() - started >= 0.4  # it waited for the lease
    assert await store._try_upgrade_lock("next", 60)  # and let the lock go


async def test_waiting_for_a_lock_that_stays_held_gives_up_with_a_clear_error(
    open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await older(open_store)
    assert await store._try_upgrade_lock("another process", 60)
    monkeypatch.setattr(migrations, "WAIT_SECONDS", 0.5)
    with pytest.raises(migrations.Unavailable, match="another Kinboard process"):
        await upgrade(store, recording([]))
    assert await store._read_version() == 1


async def test_data_of_a_newer_release_is_refused_and_not_touched(open_store: OpenStore) -> None:
    store: Any = await open_store()
    await store._write_version(VERSION + 1)
    with pytest.raises(NewerData, match=f"data version {VERSION + 1}"):
        await upgrade(store)
    assert await store._read_version() == VERSION + 1
    with pytest.raises(NewerData):
        await open_store()  # opening refuses, too


async def test_version_5_indexes_each_meetings_last_change(open_store: OpenStore) -> None:
    store: Any = await open_store()
    start = "2026-06-01T09:00:00.000Z"
    started = datetime.fromisoformat(start).timestamp()
    await store.create(Board(Meeting("m_old", "Before the index", created_at=start)))
    await store.note_activity("m_old", 0.0)  # as an older release left it: not indexed
    assert "m_old" in await store.idle_meetings(started - 86400)
    (step,) = [s for s in migrations.STEPS if s.to == 5]
    await step.run(store)
    await step.run(store)  # run again after a kill: harmless
    assert "m_old" not in await store.idle_meetings(started - 1)
    assert "m_old" in await store.idle_meetings(started)


@pytest.mark.redis
async def test_a_redis_that_answers_later_is_upgraded_then_and_refused_before(
    tmp_path: Path,
) -> None:
    # A worker starting before its Redis: it opens at once, refuses every call meanwhile
    # (its /readyz says so), and upgrades the data as soon as Redis answers.
    server = RedisServer(tmp_path / "redis")
    store = RedisStore(server.url, prefix="kb")
    await asyncio.wait_for(store.open(), 10)
    try:
        with pytest.raises(Unavailable):
            await store.ping()
        server.start()
        await wait_until(lambda: store._ready, timeout=10, what="upgraded once Redis answers")
        await store.ping()
        assert await store._read_version() == VERSION
    finally:
        await store.close()
        server.stop()
