"""A worker killed behind nginx: deploy/nginx.conf, rendered with local ports, in front of two
workers sharing Redis. nginx routes by meeting: every socket of a meeting reaches the same
worker. The killed worker's meetings move, all their sockets to the other worker, within
5 s; their clients sync and resend what was not acknowledged; nothing acknowledged is lost,
every board converges, and the other worker's meetings never notice.

nginx is skipped when missing, unless KINBOARD_REQUIRE_NGINX=1.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.faults import (
    RECONNECTED_WITHIN,
    Replica,
    assert_converged,
    keep_adding_cards,
    wait_until,
)
from tests.support.harness import ServerProcess, create_meeting, start_workers, stop_all
from tests.support.nginx import Nginx
from tests.support.services import REDIS_URL


@pytest.fixture
async def behind_nginx(
    tmp_path: Path, redis_prefix: str
) -> AsyncIterator[tuple[Nginx, list[ServerProcess]]]:
    """Two workers on the shared test Redis, behind nginx as docker-compose.yml runs them."""
    proxy = Nginx(tmp_path / "nginx", [])
    workers = start_workers(
        tmp_path, REDIS_URL, prefix=redis_prefix, base_url=proxy.url, origins=[proxy.url]
    )
    proxy.upstreams = [int(worker.url.rsplit(":", 1)[1]) for worker in workers]
    try:
        proxy.start()
        yield proxy, workers
    finally:
        proxy.stop()
        stop_all(*workers)


def meetings_on_each_worker(proxy: Nginx) -> dict[int, dict[str, Any]]:
    """A meeting that nginx routes to each worker (the hash decides: try a few)."""
    by_port: dict[int, dict[str, Any]] = {}
    for n in range(40):
        meeting = create_meeting(proxy.url, f"Meeting {n}")
        by_port.setdefault(proxy.upstream_for_meeting(meeting["id"]), meeting)
        if len(by_port) == len(proxy.upstreams):
            return by_port
    raise AssertionError(f"40 meetings, all routed to {sorted(by_port)}")


def socket_routes(proxy: Nginx, meeting_id: str) -> list[list[int]]:
    """The workers nginx tried for each of this meeting's Socket.IO requests, in order."""
    return [
        ports
        for _, ports, _, request in proxy.requests()
        if "/socket.io/" in request and f"meeting={meeting_id}" in request
    ]


async def test_worker_killed_behind_nginx_its_meetings_move_whole_to_the_other_and_converge(
    behind_nginx: tuple[Nginx, list[ServerProcess]],
) -> None:
    proxy, workers = behind_nginx
    victim = workers[0]  # the other survives
    victim_port, survivor_port = proxy.upstreams
    meetings = meetings_on_each_worker(proxy)
    moved, stays = meetings[victim_port], meetings[survivor_port]
    people = {
        moved["id"]: [("ann", None), ("ben", "parent"), ("cat", "child")],
        stays["id"]: [("dan", None), ("eve", "network")],
    }
    clients: dict[str, Replica] = {}
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        for meeting in (moved, stays):
            for name, role in people[meeting["id"]]:
                link = meeting["links"]["participant" if role else "facilitator"]
                # (A session of its own: python-socketio's reconnect then keeps the cookie.)
                clients[name] = await Replica.join(
                    proxy.url, link, name, role, local_address="127.0.0.1", reconnection=True
                )
        on_victim = [name for name, _ in people[moved["id"]]]
        tasks = [asyncio.create_task(keep_adding_cards(c, n, stop)) for n, c in clients.items()]
        await asyncio.sleep(1.5)

        killed_at = time.monotonic()
        victim.stop(signal.SIGKILL)

        def back(client: Replica) -> bool:
            return client.online.is_set() and any(t > killed_at for t in client.times("connect"))

        await wait_until(
            lambda: all(back(clients[n]) for n in on_victim),
            RECONNECTED_WITHIN,
            "the dead worker's clients are back",
        )
        reconnected = {
            n: min(t for t in clients[n].times("connect") if t > killed_at) - killed_at
            for n in on_victim
        }
        for name, client in clients.items():
            dropped = any(t > killed_at for t in client.times("disconnect"))
            assert dropped == (name in on_victim), f"{name} dropped: {dropped}"
        await asyncio.sleep(1.5)  # everyone keeps adding cards on the survivor
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
        for client in clients.values():  # anything still unanswered goes now
            await client.resend_queue()
            assert client.queue == []

        acked = {(c.id, k): v for c in clients.values() for k, v in c.acked().items()}
        duplicates = sum(
            1
            for c in clients.values()
            for _, event, data in c.events
            if event == "answer" and data[1].get("duplicate")
        )
        for names in people.values():
            together = [clients[name] for name, _ in names]
            mine = {(c.id, k): v for c in together for k, v in c.acked().items()}
            board = await assert_converged(proxy.url, together, mine)
            card_ids = {card["id"] for card in board["cards"]}
            for client in together:
                for op_id in client.acked():
                    assert op_id.replace("o_", "c_", 1) in card_ids, f"acknowledged {op_id} lost"
        for client in clients.values():  # a WebSocket is in nginx's log once it has closed
            await client.close()
        await wait_until(
            lambda: len(socket_routes(proxy, stays["id"])) >= len(people[stays["id"]]),
            5,
            "nginx has logged the sockets",
        )
        # The moved meeting's sockets were all on the victim, and after the kill all on the
        # survivor (nginx tried the victim first until it marked it down); the other
        # meeting's were all on the survivor, all along.
        routes = socket_routes(proxy, moved["id"])
        assert sum(ports == [victim_port] for ports in routes) == len(on_victim), routes
        assert all(ports[-1] == survivor_port for ports in routes if ports != [victim_port])
        assert sum(ports[-1] == survivor_port for ports in routes) >= len(on_victim), routes
        assert all(ports == [survivor_port] for ports in socket_routes(proxy, stays["id"]))
        print(
            f"worker killed: {', '.join(f'{n} back in {t:.2f} s' for n, t in reconnected.items())}"
            f" (their meeting moved whole, through nginx, to the other worker); "
            f"{len(acked)} acknowledged ops all there, "
            f"{duplicates} resends answered as duplicates; {len(clients)} boards converged"
        )
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        for client in clients.values():
            await client.close()
