"""The webhook with real server processes: a delivery the receiving server refused, still
pending when Kinboard stops, is delivered once it is back, by the restarted Kinboard; two
workers sharing Redis send it once. Every attempt has one idempotency key and signature."""

from __future__ import annotations

import secrets
import signal
import time
from pathlib import Path

import pytest

from tests.support.harness import Client, ServerProcess, create_meeting, free_port
from tests.support.receiver import Receiver
from tests.support.services import REDIS_URL

SECRET = secrets.token_urlsafe(40)


def hook_env(receiver: Receiver) -> dict[str, str]:
    return {
        "KINBOARD_WEBHOOK_URL": receiver.url,
        "KINBOARD_WEBHOOK_SECRET": SECRET,
        "KINBOARD_WEBHOOK_RETRY_SECONDS": "0.2",
    }


async def agree_minutes(server: ServerProcess) -> str:
    meeting = create_meeting(server.url, "Family meeting")
    facilitator = await Client.join(server.url, meeting["links"]["facilitator"], "Fay")
    try:
        assert (await facilitator.op("minutes.take"))["ok"]
        assert (await facilitator.op("minutes.agree", minutes=1))["ok"]
    finally:
        await facilitator.close()
    return meeting["id"]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL], ids=["stop", "kill"])
async def test_a_pending_delivery_is_made_after_a_restart(tmp_path: Path, stop_signal: int) -> None:
    receiver = Receiver([500]).start()
    env = hook_env(receiver)
    server = ServerProcess(tmp_path / "data", env=env).start()
    try:
        meeting_id = await agree_minutes(server)
        (refused,) = receiver.wait_for(1)
        assert refused.status == 500 and refused.signed_by(SECRET)
        assert refused.headers["idempotency-key"].startswith(f"{meeting_id}.1.")
        receiver.stop()  # the case-record system goes away; the retries fail meanwhile
        time.sleep(1.0)
    finally:
        server.stop(stop_signal)

    back = Receiver(port=receiver.port).start()
    again = ServerProcess(tmp_path / "data", env=env, port=server.port).start()
    try:
        (delivered,) = back.wait_for(1, timeout=20)
        assert delivered.status == 200 and delivered.signed_by(SECRET)
        assert delivered.body == refused.body
        assert delivered.headers["idempotency-key"] == refused.headers["idempotency-key"]
        assert int(delivered.headers["x-kinboard-attempt"]) >= 2
        time.sleep(1.5)  # later retries would have come by now
        assert len(back.received) == 1
    finally:
        again.stop()
        back.stop()


@pytest.mark.redis
async def test_two_workers_sharing_redis_deliver_once(tmp_path: Path, redis_prefix: str) -> None:
    receiver = Receiver([500, 500]).start()
    ports = [free_port(), free_port()]
    shared = {
        **hook_env(receiver),
        "REDIS_URL": REDIS_URL,
        "KINBOARD_REDIS_PREFIX": redis_prefix,
        "KINBOARD_SECRET_KEY": secrets.token_urlsafe(40),
        "KINBOARD_ALLOWED_ORIGINS": ",".join(f"http://127.0.0.1:{port}" for port in ports),
        "KINBOARD_BASE_URL": f"http://127.0.0.1:{ports[0]}",
    }
    workers = [
        ServerProcess(tmp_path / f"worker{n}", env=shared, port=port).start()
        for n, port in enumerate(ports)
    ]
    try:
        await agree_minutes(workers[0])
        received = receiver.wait_for(3, timeout=20)
        time.sleep(1.5)
        # Two refusals, then one delivery: each attempt made by one worker only.
        assert [r.status for r in receiver.received] == [500, 500, 200]
        assert [int(r.headers["x-kinboard-attempt"]) for r in received] == [1, 2, 3]
        assert len({r.headers["idempotency-key"] for r in received}) == 1
    finally:
        for worker in workers:
            worker.stop()
        receiver.stop()
