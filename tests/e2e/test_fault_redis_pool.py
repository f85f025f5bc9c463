"""A burst against one worker on Redis: 200 sockets connecting at once, then closing at once.

redis-py's default pool refuses a command at once with "Too many connections" past 100
connections: then half the connects were refused `unavailable`, and the closes' broadcasts
logged "Cannot publish to redis... retrying". The store's and Socket.IO's pools are sized
(KINBOARD_REDIS_POOL) and make a command wait for a free connection instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.harness import Client, ServerProcess, create_meeting, token_of
from tests.support.services import REDIS_URL

MEETINGS = 40
PEOPLE = 5  # in each meeting: 200 sockets


@pytest.fixture
async def worker(tmp_path: Path, redis_prefix: str) -> AsyncIterator[ServerProcess]:
    # A pool smaller than the burst, so that waiting for a connection is what is tested.
    env = {"REDIS_URL": REDIS_URL, "KINBOARD_REDIS_PREFIX": redis_prefix}
    process = ServerProcess(tmp_path / "worker", env={**env, "KINBOARD_REDIS_POOL": "20"})
    yield process.start()
    process.stop()


async def join_everyone(base_url: str) -> list[Client]:
    """200 people joined over HTTP (not yet connected), five to a meeting."""
    links = [create_meeting(base_url, f"Meeting {n}")["links"] for n in range(MEETINGS)]
    clients = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        for n, link in enumerate(links):
            for person in range(PEOPLE):
                body = {"token": token_of(link["participant"]), "name": f"P{n}-{person}"}
                answer = await http.post("/api/join", json=body | {"role": "parent"})
                answer.raise_for_status()
                data = answer.json()
                cookie = "; ".join(f"{k}={v}" for k, v in answer.cookies.items())
                clients.append(
                    Client(base_url, data["meeting_id"], cookie, data["participant"], base_url)
                )
    return clients


async def test_200_sockets_connect_at_once_and_close_at_once(worker: ServerProcess) -> None:
    clients = await join_everyone(worker.url)
    try:
        outcomes = await asyncio.gather(
            *(client.connect() for client in clients), return_exceptions=True
        )
        refused = [repr(outcome) for outcome in outcomes if outcome is not None]
        assert not refused, f"{len(refused)} of 200 refused, e.g. {refused[:3]}"
        assert all(client.state is not None for client in clients)
    finally:
        await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
    await asyncio.sleep(1.0)  # the closes' presence broadcasts and store writes
    log = worker.log()
    assert "Too many connections" not in log
    assert "retrying" not in log
    assert "Traceback" not in log
    # And the worker still works.
    assert httpx.get(f"{worker.url}/readyz", timeout=5).status_code == 200
