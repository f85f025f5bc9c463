"""A worker killed behind nginx: deploy/nginx.conf, rendered with local ports, in front of two
workers sharing Redis. The clients of the killed worker reconnect through nginx to the other
within 5 s, sync, resend what was not acknowledged; nothing acknowledged is lost and every
board converges.

nginx is skipped when missing, unless KINBOARD_REQUIRE_NGINX=1.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

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


async def test_worker_killed_behind_nginx_clients_reconnect_to_the_other_and_converge(
    behind_nginx: tuple[Nginx, list[ServerProcess]],
) -> None:
    proxy, workers = behind_nginx
    # ip_hash keeps a client address (its first three octets) on one worker: find two
    # local addresses for each worker, so that the kill takes some clients and not others.
    by_port: dict[int, list[str]] = {}
    for octet in range(1, 60):
        address = f"127.0.{octet}.1"
        addresses = by_port.setdefault(proxy.upstream_for(address), [])
        if len(addresses) < 2:
            addresses.append(address)
        if len(by_port) == 2 and all(len(a) == 2 for a in by_port.values()):
            break
    victim = workers[0]  # the other survives
    victim_port = int(victim.url.rsplit(":", 1)[1])
    assert all(len(by_port.get(p, [])) == 2 for p in proxy.upstreams), by_port

    meeting = create_meeting(proxy.url, "Worker killed")
    links = meeting["links"]
    people = [("ann", None), ("ben", "parent"), ("cat", "child"), ("dan", "network")]
    addresses = [a for port in proxy.upstreams for a in by_port[port]]
    clients: dict[str, Replica] = {}
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        for (name, role), address in zip(people, addresses, strict=True):
            link = links["participant"] if role else links["facilitator"]
            clients[name] = await Replica.join(
                proxy.url, link, name, role, local_address=address, reconnection=True
            )
        on_victim = [n for n, c in clients.items() if c.local_address in by_port[victim_port]]
        assert len(on_victim) == 2
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
        board = await assert_converged(proxy.url, list(clients.values()), acked)
        card_ids = {card["id"] for card in board["cards"]}
        for client in clients.values():
            for op_id in client.acked():
                assert op_id.replace("o_", "c_", 1) in card_ids, f"acknowledged {op_id} lost"
        print(
            f"worker killed: {', '.join(f'{n} back in {t:.2f} s' for n, t in reconnected.items())}"
            f" (through nginx to the other worker); {len(acked)} acknowledged ops all there, "
            f"{duplicates} resends answered as duplicates; {len(clients)} boards converged"
        )
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        for client in clients.values():
            await client.close()
