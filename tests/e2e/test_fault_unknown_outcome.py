"""An op whose commit reached Redis but whose answer did not: it was answered `unavailable`
("a refused op changes nothing") yet had been applied. It is answered `unknown_outcome`; the
client sends it again with the same id, and the op key makes that a duplicate."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.faults import RedisServer, wait_until
from tests.support.harness import Client, ServerProcess, create_meeting


@pytest.fixture
def worker(tmp_path: Path, own_redis: RedisServer) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "worker", env={"REDIS_URL": own_redis.url})
    yield process.start()
    process.stop()


async def test_a_commit_sent_but_unanswered_is_unknown_outcome_and_its_resend_a_duplicate(
    worker: ServerProcess, own_redis: RedisServer
) -> None:
    """Redis, the test's own, is frozen (SIGSTOP) while the commit is on its way: the
    worker sends the script into the socket, no answer comes within its timeout, and it
    gives up. Once thawed, Redis reads what was sent before the worker hung up and runs it:
    the op is applied, though the worker never heard so. (CLIENT PAUSE would not do: Redis
    drops a paused command whose client has gone.)"""
    meeting = create_meeting(worker.url, "Meeting with a stalled Redis")
    sam = await Client.join(worker.url, meeting["links"]["participant"], "Sam", "parent")
    try:
        # The worker has the board in memory: the op's only trip to Redis is its commit.
        first = await sam.op("card.add", section="strengths", text="Gran helps", card_id="c_1")
        assert first["ok"]
        op = {"section": "strengths", "text": "Sam cooks", "card_id": "c_2"}
        own_redis.signal(signal.SIGSTOP)
        try:
            unknown = await sam.op("card.add", op_id="o_stalled", **op)
        finally:
            own_redis.signal(signal.SIGCONT)
        assert unknown["ok"] is False and unknown["code"] == "unknown_outcome", unknown
        await wait_until(own_redis.answers, 5, "Redis answers again")

        again = await sam.op("card.add", op_id="o_stalled", **op)
        assert again == {"ok": True, "seq": first["seq"] + 1, "duplicate": True}
        board = httpx.get(
            f"{worker.url}/api/meetings/{sam.meeting_id}", headers={"Cookie": sam.cookie}
        ).json()
        assert [c["text"] for c in board["cards"]].count("Sam cooks") == 1
        log = await sam.sio.call("sync", {"since": 0}, timeout=10)
        assert [r["op_id"] for r in log["changes"]].count("o_stalled") == 1
    finally:
        await sam.close()
