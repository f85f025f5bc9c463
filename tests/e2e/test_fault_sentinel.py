"""Redis behind Sentinel: a real master, a replica and three sentinels (redis_topology.py).
Two workers reach the store and Socket.IO's manager through `redis+sentinel://` and wait
for the replica on every commit (KINBOARD_REDIS_WAIT_REPLICAS=1). The master is killed
under load: the sentinels promote the replica, the workers find it, and nothing
acknowledged is lost. A replica that does not confirm a commit in time leaves the op
unacknowledged (`unknown_outcome`), and its resend tells.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.faults import (
    Replica,
    assert_converged,
    keep_adding_cards,
    wait_until,
)
from tests.support.harness import (
    Client,
    ServerProcess,
    create_meeting,
    start_workers,
    stop_all,
)
from tests.support.redis_topology import SentinelGroup

pytestmark = pytest.mark.redis

# The bound: Kinboard commits again this soon after the master dies.
BACK_WITHIN = 10.0
WAIT_FOR_ONE = {"KINBOARD_REDIS_WAIT_REPLICAS": "1"}


@pytest.fixture
def group(tmp_path: Path) -> Iterator[SentinelGroup]:
    sentinels = SentinelGroup(tmp_path / "redis").start()
    yield sentinels
    sentinels.stop()


@pytest.fixture
def workers(tmp_path: Path, group: SentinelGroup) -> Iterator[list[ServerProcess]]:
    processes = start_workers(tmp_path, group.url, env=WAIT_FOR_ONE)
    yield processes
    stop_all(*processes)


def ready(worker: ServerProcess) -> bool:
    return httpx.get(f"{worker.url}/readyz", timeout=2).status_code == 200


def answered_ok_after(client: Replica, at: float) -> list[float]:
    return [t for t, event, data in client.events if event == "answer" and t > at and data[1]["ok"]]


async def test_the_master_killed_under_load_the_replica_takes_over_and_nothing_acked_is_lost(
    group: SentinelGroup, workers: list[ServerProcess]
) -> None:
    meeting = create_meeting(workers[0].url, "Master killed")
    links = meeting["links"]
    people = [
        ("ann", None),
        ("ben", "parent"),
        ("cat", "child"),
        ("dan", "network"),
        ("eve", "network"),
        ("fay", "parent"),
    ]
    clients: dict[str, Replica] = {}
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        for n, (name, role) in enumerate(people):  # half on each worker
            link = links["participant"] if role else links["facilitator"]
            url = workers[n % 2].url
            clients[name] = await Replica.join(url, link, name, role, reconnection=True)
        tasks = [asyncio.create_task(keep_adding_cards(c, n, stop)) for n, c in clients.items()]
        await asyncio.sleep(2.0)
        assert all(c.acked() for c in clients.values()), "everyone is adding cards"
        acked_before = sum(len(c.acked()) for c in clients.values())

        killed_at = time.monotonic()
        group.kill_master()
        promoted = killed_at + await wait_until(
            lambda: group.master_port() == group.replica.port,
            BACK_WITHIN,
            "the sentinels promote the replica",
            step=0.1,
        )
        await wait_until(
            lambda: all(answered_ok_after(c, promoted) for c in clients.values()),
            BACK_WITHIN - (promoted - killed_at),
            "every person's ops are acknowledged again after the promotion",
        )
        back = {n: min(answered_ok_after(c, promoted)) - killed_at for n, c in clients.items()}
        for worker in workers:  # its store and Socket.IO's manager on the new master
            await wait_until(lambda w=worker: ready(w), 5, f"{worker.url} ready", step=0.2)
        await asyncio.sleep(1.5)  # everyone keeps adding cards on the new master
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
        for client in clients.values():  # anything still unanswered goes now
            for op in list(client.queue):
                await client.deliver(op)
            assert client.queue == []

        acked = {(c.id, k): v for c in clients.values() for k, v in c.acked().items()}
        refused = [
            data[1]["code"]
            for c in clients.values()
            for t, event, data in c.events
            if event == "answer" and t > killed_at and not data[1]["ok"]
        ]
        board = await assert_converged(workers[1].url, list(clients.values()), acked)
        card_ids = {card["id"] for card in board["cards"]}
        for client in clients.values():
            for op_id in client.acked():
                assert op_id.replace("o_", "c_", 1) in card_ids, f"acknowledged {op_id} lost"
        print(
            f"master killed: replica promoted after {promoted - killed_at:.2f} s, everyone's "
            f"ops acknowledged again after {max(back.values()):.2f} s; {len(acked)} "
            f"acknowledged ops all there "
            f"({acked_before} before the kill); answers during the failover: "
            f"{ {code: refused.count(code) for code in sorted(set(refused))} }"
        )
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        for client in clients.values():
            await client.close()


async def test_a_commit_no_replica_confirms_is_not_acknowledged_and_its_resend_tells(
    tmp_path: Path, group: SentinelGroup
) -> None:
    """The replica frozen (SIGSTOP): the commit is on the master, but WAIT finds no replica
    with it within its 0.5 s, so the op is `unknown_outcome`, not acknowledged. Its
    resends, found duplicates (by the commit script, then by the op-key look-up of an op
    the board already holds), are not acknowledged either while no replica has it; with
    the replica back, the resend is acknowledged as the duplicate it is."""
    server = ServerProcess(tmp_path / "data", {"REDIS_URL": group.url, **WAIT_FOR_ONE}).start()
    meeting = create_meeting(server.url, "A replica that stalls")
    sam = await Client.join(server.url, meeting["links"]["participant"], "Sam", "parent")
    gran = await Client.join(server.url, meeting["links"]["participant"], "Gran", "network")
    try:
        first = await sam.op("card.add", section="strengths", text="Gran helps", card_id="c_1")
        assert first["ok"], first
        op = {"section": "strengths", "text": "Sam cooks", "card_id": "c_2"}
        group.replica.signal(signal.SIGSTOP)
        try:
            unknown = await sam.op("card.add", op_id="o_kept", **op)
            assert unknown["ok"] is False and unknown["code"] == "unknown_outcome", unknown
            again = await sam.op("card.add", op_id="o_kept", **op)
            assert again["ok"] is False and again["code"] == "unknown_outcome", again
            # Gran's op moves the worker's board on to one holding c_2: Sam's resend then
            # fails on it ("used already") and is found by its op key instead.
            other = await gran.op("card.add", section="harm", text="Late", card_id="c_3")
            assert other["ok"] is False and other["code"] == "unknown_outcome", other
            found = await sam.op("card.add", op_id="o_kept", **op)
            assert found["ok"] is False and found["code"] == "unknown_outcome", found
        finally:
            group.replica.signal(signal.SIGCONT)

        settled = await sam.op("card.add", op_id="o_kept", **op)
        assert settled == {"ok": True, "seq": first["seq"] + 1, "duplicate": True}, settled
        last = str(first["seq"] + 2)  # Gran's
        with group.replica.admin() as replica:
            await wait_until(lambda: replica.get("kb:{" + sam.meeting_id + "}:seq") == last, 5)
            assert replica.hget("kb:{" + sam.meeting_id + "}:opkeys", f"{sam.me['id']}:o_kept")
    finally:
        await sam.close()
        await gran.close()
        server.stop()
