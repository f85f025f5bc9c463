"""Redis that answers but will not write: out of memory under `noeviction` (docker-compose's
policy), the Redis form of a full disk. Ops are refused `unavailable` and change nothing,
the worker says it is not ready, the log says so once; with memory again, all is well."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.faults import RedisServer
from tests.support.harness import Client, ServerProcess, create_meeting


@pytest.fixture
def worker(tmp_path: Path, own_redis: RedisServer) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "worker", env={"REDIS_URL": own_redis.url})
    yield process.start()
    process.stop()


async def test_redis_out_of_memory_refuses_ops_and_the_worker_is_not_ready(
    worker: ServerProcess, own_redis: RedisServer
) -> None:
    meeting = create_meeting(worker.url, "Meeting on a full Redis")
    sam = await Client.join(worker.url, meeting["links"]["participant"], "Sam", "parent")
    try:
        first = await sam.op("card.add", section="strengths", text="Gran helps")
        assert first["ok"]
        with own_redis.admin() as admin:
            admin.config_set("maxmemory", "1")  # less than it uses already: no more writes
        answers = [await sam.op("card.add", section="strengths", text=f"Try {n}") for n in range(4)]
        assert all(a["ok"] is False and a["code"] == "unavailable" for a in answers), answers
        ready = httpx.get(f"{worker.url}/readyz", timeout=5)
        assert ready.status_code == 503
        assert "saved" in ready.json()["reason"]
        assert "127.0.0.1" not in ready.json()["reason"]
        assert worker.log().count("changes cannot be saved") == 1

        with own_redis.admin() as admin:
            admin.config_set("maxmemory", "0")
        again = await sam.op("card.add", section="strengths", text="Sam cooks")
        assert again == {"ok": True, "seq": first["seq"] + 1}, "the refused ones changed nothing"
        assert httpx.get(f"{worker.url}/readyz", timeout=5).status_code == 200
        assert "changes are saved again" in worker.log()
    finally:
        await sam.close()
