"""Fault tolerance, end to end, each test printing the figure it measures and asserting its
bound: a lost ack, a missed broadcast, Redis restarted or hanging. (A worker killed behind
nginx is in test_fault_failover.py; the Hypothesis convergence run in
test_fault_convergence.py; the helpers are in tests/support/faults.py.)

Real server processes, and a Redis of the test's own (AOF `everysec`, `noeviction`, a
password, its own port and directory) where a test needs to stop, freeze or pause it.
"""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from tests.support.faults import (
    HEARTBEAT_AFTER_OPS_WITHIN,
    HEARTBEAT_WITHIN,
    REFUSED_WITHIN,
    REPAIRED_WITHIN,
    RESUMED_WITHIN,
    RedisServer,
    Replica,
    assert_converged,
    card_add,
    fetch_board,
    wait_until,
)
from tests.support.harness import API_KEY, create_meeting, start_workers, stop_all


def readyz(url: str, timeout: float = 5.0) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    answer = httpx.get(f"{url}/readyz", timeout=timeout)
    return answer.status_code, answer.json(), time.monotonic() - started


# --- lost ack ---------------------------------------------------------------------------


def commit_waiting(admin: redis.Redis) -> bool:
    """Whether a commit script is held by CLIENT PAUSE WRITE."""
    return any("b" in c["flags"] and c["cmd"] in ("evalsha", "eval") for c in admin.client_list())


async def test_lost_ack_the_resent_op_is_applied_exactly_once(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    (worker,) = start_workers(tmp_path, own_redis.url, count=1)
    sam = gran = None
    try:
        meeting = create_meeting(worker.url, "Lost ack")
        links = meeting["links"]
        sam = await Replica.join(worker.url, links["participant"], "Sam", "parent")
        gran = await Replica.join(worker.url, links["participant"], "Gran", "network")
        op = card_add("o_lost", "Gran walks them to school", "c_lost")
        acks: list[Any] = []
        assert sam.sio is not None

        # Redis holds writes, so the op stops at its commit; the socket drops meanwhile.
        with own_redis.admin() as admin:
            admin.client_pause(5000, all=False)
            held_from = time.monotonic()
            try:
                await sam.sio.emit("op", op, callback=lambda *answer: acks.append(answer))
                await wait_until(lambda: commit_waiting(admin), 0.5, "the commit reaches Redis")
                await sam.sio.disconnect()
            finally:
                admin.client_unpause()
            held = time.monotonic() - held_from
        assert held < 0.8, f"the commit was held {held:.2f} s, near the store's time-out"

        # The server commits it: the room hears it, the sender never hears the ack.
        await wait_until(lambda: gran.seq is not None and gran.seq > sam.seq, 5, "commit")
        committed = [r for _, e, r in gran.events if e == "applied" and r["op_id"] == "o_lost"]
        assert len(committed) == 1
        seq = committed[0]["seq"]
        await asyncio.sleep(0.3)
        assert acks == [], "the ack reached a disconnected client"

        # The client reconnects, syncs (its card is there) and resends the same op id.
        started = time.monotonic()
        await sam.connect()
        assert ("card", "c_lost") in sam.view()
        answer = await sam.send(op)
        took = time.monotonic() - started
        assert answer == {"ok": True, "seq": seq, "duplicate": True}

        await asyncio.sleep(0.3)  # a second `applied` would have arrived by now
        heard = [r for _, e, r in gran.events if e == "applied" and r["op_id"] == "o_lost"]
        assert len(heard) == 1, "the resent op was broadcast again"
        board = await assert_converged(worker.url, [sam, gran], {(sam.id, "o_lost"): seq})
        assert board["seq"] == seq
        assert [c["id"] for c in board["cards"] if c["text"] == op["text"]] == ["c_lost"]
        print(
            f"lost ack: commit held {held:.2f} s while the socket dropped; reconnect, sync and "
            f"resend answered duplicate (seq {seq}) in {took:.2f} s; applied once"
        )
    finally:
        for client in (sam, gran):
            if client is not None:
                await client.close()
        worker.stop()


# --- missed broadcast -------------------------------------------------------------------


def numsub(admin: redis.Redis, channel: str) -> int:
    return int(dict(admin.pubsub_numsub(channel)).get(channel, 0))


async def test_a_missed_broadcast_is_repaired_by_the_next_heartbeat_or_at_once_on_listening(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    first, second = start_workers(tmp_path, own_redis.url)
    ann = ben = None
    admin = own_redis.admin()
    try:
        meeting = create_meeting(first.url, "Missed broadcast")
        links = meeting["links"]
        ann = await Replica.join(first.url, links["facilitator"], "Ann")
        ben = await Replica.join(second.url, links["participant"], "Ben", "parent")
        assert ann.sio is not None

        ack = await ann.send(card_add("o_1", "Warm-up", "c_1"))
        assert ack is not None and ack["ok"]
        await wait_until(lambda: ben.seq == ack["seq"], 5, "a broadcast reaches the other worker")

        async def until_second_worker_listens() -> None:
            """Until a broadcast from the first worker reaches the second again: Ann says
            she is editing nothing, and Ben, on the second worker, hears the presence."""
            started = time.monotonic()
            while time.monotonic() - started < 5:
                asked = time.monotonic()
                await ann.sio.emit("editing", {"card_id": None})
                await asyncio.sleep(0.1)
                if any(at > asked for at in ben.times("presence")):
                    return
            raise AssertionError("the second worker does not hear the first again")

        async def missed_by_second_worker(op: dict[str, Any]) -> tuple[dict[str, Any], float]:
            """Commit `op` on the first worker while the second does not listen: freeze it,
            drop every pub/sub connection, commit, thaw it; it re-subscribes 0.5 s later."""
            assert second.process is not None
            second.process.send_signal(signal.SIGSTOP)
            try:
                admin.client_kill_filter(_type="pubsub")
                answer = await ann.send(op)
                committed_at = time.monotonic()
                assert answer is not None and answer["ok"], answer
            finally:
                second.process.send_signal(signal.SIGCONT)
            await until_second_worker_listens()
            return answer, committed_at

        # 1. A quiet room: only the heartbeat can reveal the gap.
        ack2, committed_at = await missed_by_second_worker(card_add("o_2", "Quiet", "c_2"))
        mine = [r for _, e, r in ann.events if e == "applied" and r["seq"] == ack2["seq"]]
        assert len(mine) == 1
        assert all(r["seq"] != ack2["seq"] for _, e, r in ben.events if e == "applied")
        await wait_until(
            lambda: ben.seq == ack2["seq"], HEARTBEAT_WITHIN + REPAIRED_WITHIN, "heartbeat repair"
        )
        beats = [(at, d) for at, e, d in ben.events if e == "heartbeat" and at > committed_at]
        beat_at, beat = beats[0]
        assert beat["seq"] == ack2["seq"], "the heartbeat names the room's latest seq"
        assert beat_at - committed_at <= HEARTBEAT_WITHIN
        revealed_by, repaired_in = ben.repairs[-1]
        assert revealed_by == "heartbeat"
        assert repaired_in <= REPAIRED_WITHIN
        since, answer = ben.syncs[-1]
        assert since == ack2["seq"] - 1
        # The log's record is the `applied` but for the time that broadcast was sent.
        logged = [{key: value for key, value in r.items() if key != "now"} for r in mine]
        expected = {"ok": True, "seq": ack2["seq"], "changes": logged, "private_items": []}
        assert answer == expected, "exactly the missed op (Ben keeps no items of his own)"
        print(
            f"missed broadcast, quiet room: heartbeat {beat_at - committed_at:.2f} s after the "
            f"commit named seq {beat['seq']}; sync repaired it in {repaired_in:.3f} s"
        )

        # 2. The worker beats as soon as it listens again: the gap is repaired before any
        # other op is sent, and the next op reaches Ben as usual.
        ack3, _ = await missed_by_second_worker(card_add("o_3", "Missed", "c_3"))
        await wait_until(lambda: ben.seq == ack3["seq"], REPAIRED_WITHIN, "repair on listening")
        revealed_by, repaired_in = ben.repairs[-1]
        assert revealed_by == "heartbeat"
        assert repaired_in <= REPAIRED_WITHIN
        since, answer = ben.syncs[-1]
        assert since == ack2["seq"]
        assert [r["op_id"] for r in answer["changes"]] == ["o_3"]
        repairs = len(ben.repairs)
        ack4 = await ann.send(card_add("o_4", "Next", "c_4"))
        assert ack4 is not None and ack4["ok"]
        await wait_until(lambda: ben.seq == ack4["seq"], 5, "the next op's broadcast")
        assert len(ben.repairs) == repairs, "the next op came by its broadcast, not a repair"
        print(f"missed broadcast, on listening: heartbeat repaired it in {repaired_in:.2f} s")

        await assert_converged(first.url, [ann, ben])
    finally:
        for client in (ann, ben):
            if client is not None:
                await client.close()
        admin.close()
        stop_all(first, second)


async def test_a_dropped_pubsub_connection_leaves_one_subscription_per_worker(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    (worker,) = start_workers(tmp_path, own_redis.url, count=1)
    admin = own_redis.admin()
    try:
        if numsub(admin, "kb:socketio") != 1:
            pytest.fail("the worker should subscribe once at start")
        admin.client_kill_filter(_type="pubsub")
        await asyncio.sleep(1.5)  # the worker re-subscribes within 0.5 s
        if readyz(worker.url)[0] != 200:
            pytest.fail("the worker should be listening again")
        subscribers = numsub(admin, "kb:socketio")
        print(f"pub/sub dropped: one worker now holds {subscribers} subscriber connection(s)")
        assert subscribers == 1, "a subscriber connection that nobody reads was left behind"
    finally:
        admin.close()
        worker.stop()


async def test_an_erased_meeting_does_not_silence_the_heartbeat_of_others(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    first, second = start_workers(tmp_path, own_redis.url)
    admin = own_redis.admin()
    gone = kept = None
    try:
        # Two meetings with a socket each on the second worker, the erased one first.
        erased = create_meeting(first.url, "Erased meeting")
        other = create_meeting(first.url, "Another meeting")
        gone = await Replica.join(second.url, erased["links"]["participant"], "Sam", "parent")
        kept = await Replica.join(second.url, other["links"]["participant"], "Ava", "child")

        # Erase the first while the second worker does not hear the other's broadcasts, so
        # the message that should close its socket there is lost (pub/sub: at most once).
        assert second.process is not None
        second.process.send_signal(signal.SIGSTOP)
        try:
            admin.client_kill_filter(_type="pubsub")
            answer = httpx.delete(
                f"{first.url}/api/meetings/{erased['id']}",
                headers={"Authorization": f"Bearer {API_KEY}"},
                timeout=10,
            )
        finally:
            second.process.send_signal(signal.SIGCONT)
        resumed_at = time.monotonic()
        if answer.status_code != 204:
            pytest.fail(f"erasing answered {answer.status_code}: {answer.text}")

        def beat_since(client: Replica) -> bool:
            return any(at > resumed_at for at in client.times("heartbeat"))

        await wait_until(lambda: beat_since(kept), HEARTBEAT_WITHIN, "the other meeting's beat")
        await wait_until(
            lambda: any(at > resumed_at for at in gone.times("disconnect")),
            HEARTBEAT_WITHIN,
            "the erased meeting's socket is closed",
        )
    finally:
        for client in (gone, kept):
            if client is not None:
                await client.close()
        admin.close()
        stop_all(first, second)


# --- Redis away -----------------------------------------------------------------------


async def test_redis_restarted_workers_and_clients_resume_and_nothing_acked_is_lost(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    first, second = start_workers(tmp_path, own_redis.url)
    ann = ben = None
    try:
        meeting = create_meeting(first.url, "Redis restart")
        links = meeting["links"]
        ann = await Replica.join(first.url, links["facilitator"], "Ann")
        ben = await Replica.join(second.url, links["participant"], "Ben", "parent")
        for client, n in ((ann, 1), (ben, 2)):
            answer = await client.send(card_add(f"o_before_{n}", f"Before {n}", f"c_b{n}"))
            assert answer is not None and answer["ok"]

        own_redis.stop(signal.SIGTERM)
        down_at = time.monotonic()
        await wait_until(
            lambda: all(readyz(w.url)[0] == 503 for w in (first, second)),
            REFUSED_WITHIN,
            "workers unready",
            step=0.1,
        )

        # While Redis is away: ops are answered at once, `unavailable` (nothing was sent:
        # Redis had closed the connections, and no new one is made), and stay queued.
        refused_in = []
        for client, n in ((ann, 1), (ben, 2)):
            op = card_add(f"o_queued_{n}", f"Queued {n}", f"c_q{n}")
            started = time.monotonic()
            answer = await client.send(op, timeout=10)
            refused_in.append(time.monotonic() - started)
            assert answer is not None, op
            assert answer["ok"] is False and answer["code"] == "unavailable", answer
            assert client.queue == [op]
        assert max(refused_in) <= REFUSED_WITHIN
        await asyncio.sleep(max(0.0, 1.5 - (time.monotonic() - down_at)))

        own_redis.start()  # the same port, directory and AOF
        back_at = time.monotonic()

        # Every worker is ready again, and the queued ops go through, each once.
        await wait_until(
            lambda: all(readyz(w.url)[0] == 200 for w in (first, second)),
            RESUMED_WITHIN,
            "workers ready",
            step=0.1,
        )
        ready_in = time.monotonic() - back_at
        for client in (ann, ben):
            await client.resend_queue()
            assert client.queue == []
        accepted_in = time.monotonic() - back_at
        for client in (ann, ben):
            for n in (1, 2):
                answer = client.answers.get(f"o_queued_{n}")
                if answer is not None:
                    assert answer["ok"] and "duplicate" not in answer, answer
        final = (await fetch_board(first.url, ann))["seq"]
        await wait_until(
            lambda: ann.seq == ben.seq == final, RESUMED_WITHIN, "both clients hear both ops"
        )
        converged_in = time.monotonic() - back_at
        assert converged_in <= RESUMED_WITHIN

        acked = {(c.id, op_id): seq for c in (ann, ben) for op_id, seq in c.acked().items()}
        assert len(acked) == 4
        board = await assert_converged(first.url, [ann, ben], acked)
        assert {c["id"] for c in board["cards"]} >= {"c_b1", "c_b2", "c_q1", "c_q2"}

        # The heartbeat carries on after the outage, on both workers, once the room is quiet.
        await wait_until(
            lambda: all(
                any(at > back_at and d["seq"] == final for at, e, d in c.events if e == "heartbeat")
                for c in (ann, ben)
            ),
            HEARTBEAT_AFTER_OPS_WITHIN,
            "a heartbeat after Redis came back",
        )
        print(
            f"Redis restart: ops refused in {max(refused_in):.3f} s while down; after Redis was "
            f"back workers ready in {ready_in:.2f} s, queued ops accepted in {accepted_in:.2f} s, "
            f"clients converged in {converged_in:.2f} s"
        )
    finally:
        for client in (ann, ben):
            if client is not None:
                await client.close()
        stop_all(first, second)


async def test_redis_that_hangs_ops_are_refused_within_two_seconds(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    (worker,) = start_workers(tmp_path, own_redis.url, count=1)
    sam = None
    try:
        meeting = create_meeting(worker.url, "Redis hangs")
        sam = await Replica.join(worker.url, meeting["links"]["participant"], "Sam", "parent")
        answer = await sam.send(card_add("o_1", "Before", "c_1"))
        assert answer is not None and answer["ok"]

        own_redis.signal(signal.SIGSTOP)  # Redis takes connections but answers nothing
        try:
            op = card_add("o_2", "While Redis hangs", "c_2")
            started = time.monotonic()
            answer = await sam.send(op, timeout=10)
            refused_in = time.monotonic() - started
            status, body, readyz_in = readyz(worker.url)
        finally:
            own_redis.signal(signal.SIGCONT)
        back_at = time.monotonic()
        # The commit went out and no answer came: it may have been applied.
        assert answer is not None and answer["code"] == "unknown_outcome", answer
        assert refused_in <= REFUSED_WITHIN
        assert status == 503 and body["status"] == "unavailable", body
        assert readyz_in <= REFUSED_WITHIN + 0.5
        assert sam.queue == [op]

        await sam.resend_queue()
        assert sam.queue == [] and sam.answers["o_2"]["ok"]
        accepted_in = time.monotonic() - back_at
        assert accepted_in <= RESUMED_WITHIN
        await wait_until(lambda: readyz(worker.url)[0] == 200, RESUMED_WITHIN, "ready", step=0.1)
        await assert_converged(worker.url, [sam], {(sam.id, k): v for k, v in sam.acked().items()})
        print(
            f"Redis hung: op answered `unknown_outcome` in {refused_in:.2f} s, /readyz 503 in "
            f"{readyz_in:.2f} s; the queued op went through {accepted_in:.2f} s after Redis woke"
        )
    finally:
        if sam is not None:
            await sam.close()
        worker.stop()
