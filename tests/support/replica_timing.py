"""What waiting for a replica costs a commit: `SentinelGroup` (a master, a replica and
three sentinels on free ports), then the same card edits committed one after another
through `redis+sentinel://`, without and with KINBOARD_REDIS_WAIT_REPLICAS=1.

    .venv/bin/python -m tests.support.replica_timing [commits]

The numbers in docs/operations.md ("Replicas and WAIT") come from it.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from server.board import ops
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Meeting
from server.board.ops import Context
from server.board.roles import Role
from server.store.redis import RedisStore
from server.store.roles import Mutation, Update
from tests.support.redis_topology import SentinelGroup

AT = "2026-11-27T09:00:00.000Z"


def edit(message: dict[str, str], new_id: str = "") -> Mutation:
    _, op = ops.parse_op({"id": "o_x", **message})
    return lambda board: ops.apply(board, op, Context("p_fac", AT, new_id))


async def commit_times(url: str, wait_replicas: int, commits: int) -> list[float]:
    """Milliseconds each of `commits` card edits took, on a meeting of their own."""
    store = RedisStore(url, prefix=f"timing{wait_replicas}", wait_replicas=wait_replicas)
    await store.open()
    try:
        board, _ = ops.apply(
            Board(Meeting("m_timing", "Timing", created_at=AT)),
            ParticipantJoin("p_fac", "Fatima", Role.FACILITATOR),
            Context("p_fac", AT),
        )
        await store.create(board)
        add = {"type": "card.add", "section": "strengths", "text": "Gran helps"}
        await store.update(Update("m_timing", "k:add", "o_add", "p_fac", AT, edit(add, "c_1")))
        times = []
        for n in range(commits):
            change = {"type": "card.edit", "card_id": "c_1", "text": f"Gran helps {n}"}
            started = time.perf_counter()
            await store.update(Update("m_timing", f"k:{n}", f"o_{n}", "p_fac", AT, edit(change)))
            times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        await store.close()


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"median {statistics.median(ordered):.2f} ms, p99 {p99:.2f} ms"


async def main(commits: int) -> None:
    group = SentinelGroup(Path(tempfile.mkdtemp(prefix="kinboard-timing-"))).start()
    try:
        for wait_replicas in (0, 1):
            times = await commit_times(group.url, wait_replicas, commits)
            print(
                f"KINBOARD_REDIS_WAIT_REPLICAS={wait_replicas}: {commits} commits, {summary(times)}"
            )
    finally:
        group.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
