"""What one broadcast of a meeting a worker does not host costs that worker: with Redis,
python-socketio's manager delivers every worker's room broadcasts to every other worker,
which decodes each and finds no socket of its own in the room.

    .venv/bin/python -m bench.foreign [--rate 2000] [--seconds 10]

Starts one idle Kinboard worker on Redis, measures its CPU for `--seconds` doing nothing,
then for as long while `applied` broadcasts of a meeting it does not host arrive at
`--rate` per second on its Socket.IO channel, exactly as another worker publishes them;
prints the CPU per foreign broadcast, to set against the CPU per op of bench.run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

import redis

from .servers import TARGETS, Servers

# An `applied` as python-socketio's Redis manager publishes it (a card added, ~400 bytes).
RECORD = {
    "seq": 41,
    "op_id": "o_2b9f0c1e",
    "by": "p_5Kq2fX8wZr1a",
    "at": "2026-12-01T14:20:11.482Z",
    "changes": [
        {
            "entity": "card",
            "id": "c_7d1e4a",
            "value": {
                "id": "c_7d1e4a",
                "section": "strengths",
                "text": "Sam walks the dog with Gran every Sunday",
                "author": "p_5Kq2fX8wZr1a",
                "position": "a0V",
                "created_at": "2026-12-01T14:20:11.482Z",
                "reactions": {},
            },
        }
    ],
}


def message(room: str) -> str:
    return json.dumps(
        {
            "method": "emit",
            "event": "applied",
            "data": [RECORD],
            "binary": False,
            "namespace": "/",
            "room": room,
            "skip_sid": None,
            "callback": None,
            "host_id": "another-worker",
        },
        separators=(",", ":"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.foreign", description=__doc__)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--rate", type=float, default=2000.0, help="foreign broadcasts a second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    with Servers(TARGETS["c"], args.redis_url) as servers:
        client = redis.Redis.from_url(args.redis_url)
        channel = f"{servers.prefix}:socketio"
        payload = message("a-meeting-of-another-worker")
        time.sleep(2.0)  # let start-up settle
        idle = _cpu_over(servers, args.seconds, lambda: None)
        publisher = Publisher(client, channel, payload, args.rate)
        busy = _cpu_over(servers, args.seconds, publisher.publish_due)
        client.close()
    sent = publisher.sent
    per_emit_us = (busy - idle) / sent * 1e6 if sent else float("nan")
    print(
        f"{sent} foreign broadcasts in {args.seconds:.0f} s ({sent / args.seconds:.0f}/s): the "
        f"worker used {busy:.2f} s of CPU against {idle:.2f} s idle, "
        f"{per_emit_us:.0f} µs per foreign broadcast"
    )
    return 0


class Publisher:
    """Publishes `payload` on `channel` at `rate` a second, however often it is called."""

    def __init__(self, client: redis.Redis, channel: str, payload: str, rate: float) -> None:
        self.client, self.channel, self.payload, self.rate = client, channel, payload, rate
        self.started: float | None = None
        self.sent = 0

    def publish_due(self) -> None:
        if self.started is None:
            self.started = time.monotonic()
        due = int((time.monotonic() - self.started) * self.rate)
        if due > self.sent:
            with self.client.pipeline(transaction=False) as pipe:
                for _ in range(due - self.sent):
                    pipe.publish(self.channel, self.payload)
                pipe.execute()
            self.sent = due


def _cpu_over(servers: Servers, seconds: float, tick: Callable[[], None]) -> float:
    """The worker's CPU seconds over `seconds`, calling `tick` every millisecond."""
    cpu0, end = servers.cpu_seconds(), time.monotonic() + seconds
    while time.monotonic() < end:
        tick()
        time.sleep(0.001)
    return servers.cpu_seconds() - cpu0


if __name__ == "__main__":
    sys.exit(main())
