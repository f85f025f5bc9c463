"""Two workers on a real three-master Redis Cluster (`redis+cluster://`): the store, each
worker's lease and Socket.IO's manager on the cluster. A change made through one worker
reaches a person on the other, and each sees the other online."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.harness import Client, ServerProcess, create_meeting, start_workers, stop_all
from tests.support.redis_topology import RedisClusterNodes


@pytest.fixture
def workers(
    tmp_path: Path, redis_cluster: RedisClusterNodes, cluster_prefix: str
) -> Iterator[list[ServerProcess]]:
    processes = start_workers(tmp_path, redis_cluster.url, prefix=cluster_prefix)
    yield processes
    stop_all(*processes)


async def test_two_workers_on_a_cluster_share_a_meeting_its_changes_and_presence(
    workers: list[ServerProcess],
) -> None:
    meeting = create_meeting(workers[0].url, "On a cluster")
    links = meeting["links"]
    sam = await Client.join(workers[0].url, links["participant"], "Sam", "parent")
    gran = await Client.join(workers[1].url, links["participant"], "Gran", "network")
    try:
        for worker in workers:
            assert httpx.get(f"{worker.url}/readyz", timeout=5).status_code == 200
        added = await sam.op("card.add", section="strengths", text="Gran helps", card_id="c_1")
        assert added["ok"], added
        await gran.wait_for(
            lambda: any(r["seq"] == added["seq"] for r in gran.applied("card")), timeout=5
        )
        await sam.wait_for(
            lambda: any(
                event == "presence" and gran.me["id"] in str(data) for event, data in sam.events
            ),
            timeout=5,
        )
        board = httpx.get(
            f"{workers[1].url}/api/meetings/{gran.meeting_id}", headers={"Cookie": gran.cookie}
        ).json()
        assert [card["text"] for card in board["cards"]] == ["Gran helps"]
    finally:
        await sam.close()
        await gran.close()
