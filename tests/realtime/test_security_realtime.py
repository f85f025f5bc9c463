"""Security over Socket.IO, with real server processes and real clients: origins, sessions
ended by revoking, removing and closing (on every worker, and even when the message that
should close a socket is lost), at most three sockets a person, oversized messages, and a
flooding client that must not slow the others down.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import statistics
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
import redis

from server.audit import Audit
from server.board.meeting import ParticipantRemove
from server.boards import Boards
from server.families import Families
from server.heartbeat import HEARTBEAT
from server.links import Links
from server.security import LinkKeys
from server.sessions import Sessions
from server.settings import Settings
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore
from server.webhook import Webhook
from tests.support.harness import (
    API_KEY,
    Client,
    ServerProcess,
    between_heartbeats,
    create_meeting,
    disconnected_within,
    free_port,
    people_of_a_meeting,
    refusal,
)
from tests.support.services import REDIS_URL, need_redis

KEY = {"Authorization": f"Bearer {API_KEY}"}
EVIL = "http://evil.example"


# --- helpers --------------------------------------------------------------------------------


async def second_socket(client: Client, base_url: str | None = None) -> Client:
    """The same person on another device (same cookie), optionally through another worker."""
    other = Client(base_url or client.base_url, client.meeting_id, client.cookie, client.me)
    other.origin = client.origin
    await other.connect()
    return other


async def send(client: Client, message: str, payload: dict[str, Any]) -> asyncio.Future[Any]:
    """Send without waiting: the future gets the ack, if one ever comes."""
    acked: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def on_ack(data: Any) -> None:
        if not acked.done():
            acked.set_result(data)

    await client.sio.emit(message, payload, callback=on_ack)
    return acked


async def ack_of(acked: asyncio.Future[Any], seconds: float = 3.0) -> Any:
    try:
        return await asyncio.wait_for(asyncio.shield(acked), seconds)
    except TimeoutError:
        return None


def late_op(text: str) -> dict[str, Any]:
    return {"id": f"o_{secrets.token_hex(4)}", "type": "card.add", "section": "harm", "text": text}


def board(base_url: str, meeting_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{base_url}/api/meetings/{meeting_id}", headers=KEY, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def api(method: str, url: str, cookie: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, url, headers={"Cookie": cookie}, timeout=10, **kwargs)


async def close_all(*clients: Client) -> None:
    for client in clients:
        await client.close()


# --- one server (SQLite) ---------------------------------------------------------------------


@pytest.fixture
async def room(server: ServerProcess) -> AsyncIterator[dict[str, Any]]:
    async with people_of_a_meeting(server, display=False) as people:
        yield people


async def test_a_socket_from_another_site_or_without_a_session_is_refused(
    room: dict[str, Any],
) -> None:
    parent: Client = room["parent"]
    assert await refusal(parent, origin=EVIL) == "origin_not_allowed"
    assert await refusal(parent, origin="http://127.0.0.1:1") == "origin_not_allowed"
    assert await refusal(parent, cookie="") == "no_session"
    forged = f"kb_{parent.meeting_id}={secrets.token_urlsafe(32)}"
    assert await refusal(parent, cookie=forged) == "session_invalid"
    assert await refusal(parent) == ""  # the same, from our own page, is let in


async def test_at_most_three_sockets_per_participant(room: dict[str, Any]) -> None:
    parent: Client = room["parent"]
    second, third = await second_socket(parent), await second_socket(parent)
    try:
        assert await refusal(parent) == "too_many_connections"
        assert await refusal(parent) == "too_many_connections"
        # Someone else in the meeting is not affected.
        assert await refusal(room["gran"]) == ""
        # One tab closed: a new one may open.
        await third.close()
        await asyncio.sleep(0.2)
        fourth = await second_socket(parent)
        assert (await fourth.op("card.add", section="goals", text="From the new tab"))["ok"]
        await fourth.close()
    finally:
        await close_all(second, third)


async def end_grans_sessions_behind_the_servers_back(room: dict[str, Any]) -> None:
    server: ServerProcess = room["server"]
    gran: Client = room["gran"]
    store = SQLiteStore(server.data_dir / "kinboard.sqlite3")
    await store.open()
    try:
        ended = await store.end_sessions(gran.meeting_id, participant_id=gran.me["id"])
    finally:
        await store.close()
    assert ended == {gran.me["id"]}
    assert gran.sio.connected  # nobody told the server: the socket is still open


async def test_an_ended_session_stops_the_very_next_op_even_if_its_socket_was_not_closed(
    room: dict[str, Any],
) -> None:
    """The message that closes a socket can be lost; the session is checked on every op."""
    server: ServerProcess = room["server"]
    gran: Client = room["gran"]
    idle = await second_socket(gran)  # a second tab that sends nothing
    await end_grans_sessions_behind_the_servers_back(room)
    acked = await send(gran, "op", late_op("After the end"))
    await disconnected_within([gran], 1)
    ack = await ack_of(acked, 0.5)
    assert ack is None or (ack["ok"], ack["code"]) == (False, "forbidden"), ack
    texts = [card["text"] for card in board(server.url, gran.meeting_id)["cards"]]
    assert "After the end" not in texts
    # The tab that sent nothing is closed by the next heartbeat's check (every 5 s).
    await disconnected_within([idle], 7)
    assert await refusal(gran) == "session_invalid"
    assert (await room["parent"].op("card.add", section="goals", text="Sam goes on"))["ok"]


async def test_the_op_of_an_ended_session_is_acknowledged_forbidden(
    room: dict[str, Any],
) -> None:
    gran: Client = room["gran"]
    await end_grans_sessions_behind_the_servers_back(room)
    for message, payload in (("op", late_op("After the end")), ("sync", {"since": 0})):
        ack = await ack_of(await send(gran, message, payload))
        assert ack is not None and (ack["ok"], ack["code"]) == (False, "forbidden"), message


async def test_a_one_mebibyte_message_closes_only_its_own_connection(
    room: dict[str, Any],
) -> None:
    parent: Client = room["parent"]
    gran: Client = room["gran"]
    other_tab = await second_socket(parent)
    try:
        big = {"id": "o_huge", "type": "card.add", "section": "harm", "text": "x" * (1 << 20)}
        await parent.sio.emit("op", big)
        await disconnected_within([parent], 5)
        # Everyone else goes on, acks and all; so does the sender's other tab.
        for client in (gran, room["facilitator"], other_tab):
            assert client.sio.connected
            ack = await client.op("card.add", section="strengths", text="Still here")
            assert ack["ok"] is True, ack
        assert httpx.get(f"{room['server'].url}/healthz").status_code == 200
        texts = [card["text"] for card in board(room["server"].url, parent.meeting_id)["cards"]]
        assert not any(text.startswith("xxxx") for text in texts)
        # The sender may come back.
        await parent.connect()
        assert (await parent.op("card.add", section="goals", text="Back again"))["ok"]
    finally:
        await other_tab.close()


FLOODER = """
import asyncio, json, sys, time
import socketio

async def main(url, cookie, meeting_id, seconds):
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, headers={"Cookie": cookie, "Origin": url},
                      auth={"meeting_id": meeting_id}, transports=["websocket"], wait_timeout=10)
    print("ready", flush=True)
    answers, n, end = [], 0, time.monotonic() + seconds
    while n < 2000 or time.monotonic() < end:
        batch = [sio.call("op", {"id": f"o_flood{n + i}", "type": "card.add",
                                 "section": "harm", "text": "f"}, timeout=60)
                 for i in range(250)]
        answers += await asyncio.gather(*batch)
        n += len(batch)
    await sio.disconnect()
    print(json.dumps({"sent": n, "ok": sum(a["ok"] for a in answers),
                      "codes": sorted({a.get("code", "ok") for a in answers})}), flush=True)

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
"""


async def test_a_client_flooding_ops_does_not_slow_the_others_down(room: dict[str, Any]) -> None:
    """The flooder runs in a process of its own (as fast as it can), so that its client-side
    work does not count against the latency measured here."""
    flooder: Client = room["parent"]
    gran: Client = room["gran"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        FLOODER,
        flooder.base_url,
        flooder.cookie,
        flooder.meeting_id,
        "6",
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), 20)).strip() == b"ready"
    await asyncio.sleep(0.3)
    latencies = []
    for n in range(25):  # 5 a second: under this person's own rate limit
        began = time.perf_counter()
        ack = await gran.op("card.add", section="strengths", text=f"Gran's card {n}")
        latencies.append(time.perf_counter() - began)
        assert ack["ok"] is True, ack
        await asyncio.sleep(0.2)
    outcome = json.loads(await asyncio.wait_for(process.stdout.readline(), 60))
    assert await process.wait() == 0
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"flood of {outcome['sent']} ops ({outcome['ok']} accepted): another participant's "
        f"ack p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    assert outcome["sent"] >= 2_000
    assert outcome["codes"] == ["ok", "rate_limited"]
    assert outcome["ok"] < 100  # the flooder is held to its own limit
    assert p95 < 0.3


async def test_ops_over_the_socket_are_in_the_audit_log_by_link_and_type_without_text(
    room: dict[str, Any],
) -> None:
    parent: Client = room["parent"]
    ack = await parent.op(
        "card.add", section="strengths", text="AUDIT-TEXT Sam cooks tea", card_id="c_audit"
    )
    assert ack["ok"]
    url = f"{room['server'].url}/m/{parent.meeting_id}/activity.csv"
    assert api("GET", url, parent.cookie).status_code == 403
    sheet = httpx.get(url, headers=KEY, timeout=10)
    assert sheet.status_code == 200
    assert "AUDIT-TEXT" not in sheet.text
    rows = [line.split(",") for line in sheet.text.splitlines()]
    header = rows[0]
    entries = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    (join,) = [e for e in entries if e["event"] == "join" and e["by"] == parent.me["id"]]
    (op,) = [e for e in entries if e["event"] == "op" and e["entities"] == "card:c_audit"]
    assert (op["by"], op["role"], op["op"], op["link_id"]) == (
        parent.me["id"],
        "parent",
        "card.add",
        join["link_id"],
    )
    assert join["link_id"].startswith("l_")


# --- staff and closing, on the same server -----------------------------------------------


async def test_closing_a_meeting_ends_the_sessions_of_all_but_the_family_and_staff_still_read_it(
    room: dict[str, Any],
) -> None:
    server: ServerProcess = room["server"]
    facilitator: Client = room["facilitator"]
    family = [room["parent"], room["gran"]]
    extra = await second_socket(room["gran"])
    display = await Client.join(server.url, room["meeting"]["links"]["display"], "")
    worker = await Client.join(
        server.url, room["meeting"]["links"]["participant"], "Jo", role="professional"
    )
    try:
        # A staff account and the meeting shared with it (as the home page would).
        email = f"staff-{secrets.token_hex(3)}@council.example"
        store = SQLiteStore(server.data_dir / "kinboard.sqlite3")
        await store.open()
        try:
            from server.staff import Staff

            staff = Staff(store, time.time)
            await staff.add(email, "a long password 1")
            await staff.add_to_meeting(facilitator.meeting_id, email)
        finally:
            await store.close()
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            page = await http.get("/signin")
            csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            signed = await http.post(
                "/signin",
                data={"email": email, "password": "a long password 1", "csrf": csrf},
                headers={"Origin": server.url},
            )
            assert signed.status_code == 303
            await send(facilitator, "op", {"id": "o_close", "type": "meeting.close"})
            took = await disconnected_within([facilitator, worker, display], 1.0)
            print(f"meeting.close: the others' sockets closed within {took * 1000:.0f} ms")
            for client in (facilitator, worker, display):
                assert await refusal(client) == "session_invalid"
                answer = api("GET", f"{server.url}/api/meetings/{client.meeting_id}", client.cookie)
                assert answer.status_code == 403
            # The family stay, to read "Our plan"; every change they send is refused.
            for client in (*family, extra):
                assert client.sio.connected
                ack = await ack_of(await send(client, "op", late_op("After the end")))
                assert (ack["ok"], ack["code"]) == (False, "closed"), ack
                assert "ended" in ack["message"]
            plan = api("GET", f"{server.url}/m/{facilitator.meeting_id}/plan", family[0].cookie)
            assert plan.status_code == 200 and "Our plan" in plan.text
            read = await http.get(f"/api/meetings/{facilitator.meeting_id}")
            assert read.status_code == 200
            assert read.json()["meeting"]["status"] == "closed"
            assert "After the end" not in {card["text"] for card in read.json()["cards"]}
        joining = httpx.post(
            f"{server.url}/api/join",
            json={
                "token": room["meeting"]["links"]["participant"].split("#")[1],
                "name": "Late",
                "role": "parent",
            },
        )
        assert (joining.status_code, joining.json()["error"]["code"]) == (409, "closed")
    finally:
        await close_all(extra, display, worker)


# --- two workers sharing Redis ------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    need_redis()
    prefix = f"kbtest-{secrets.token_hex(6)}"
    secret = secrets.token_urlsafe(40)
    ports = [free_port(), free_port()]
    shared = {
        "REDIS_URL": REDIS_URL,
        "KINBOARD_REDIS_PREFIX": prefix,
        "KINBOARD_SECRET_KEY": secret,
        "KINBOARD_ALLOWED_ORIGINS": ",".join(f"http://127.0.0.1:{port}" for port in ports),
        "KINBOARD_BASE_URL": f"http://127.0.0.1:{ports[0]}",
    }
    base = tmp_path_factory.mktemp("workers")
    workers = [
        ServerProcess(base / f"worker{n}", env=shared, port=port).start()
        for n, port in enumerate(ports)
    ]
    yield {"workers": workers, "prefix": prefix, "secret": secret}
    for worker in workers:
        worker.stop()
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
async def spread(redis_workers: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
    """A meeting whose facilitator is on the first worker, a parent on the second, and a
    grandmother (her own link) with one tab on each worker."""
    first, second = redis_workers["workers"]
    meeting = create_meeting(first.url, "Meeting across two workers")
    links = meeting["links"]
    facilitator = await Client.join(first.url, links["facilitator"], "Priya")
    person = api(
        "POST",
        f"{first.url}/api/meetings/{meeting['id']}/people-links",
        facilitator.cookie,
        json={"name": "Gran", "role": "network"},
    )
    assert person.status_code == 201
    parent = await Client.join(second.url, links["participant"], "Sam", role="parent")
    gran = await Client.join(first.url, person.json()["url"], "ignored")
    gran_elsewhere = await second_socket(gran, second.url)
    clients = {
        "facilitator": facilitator,
        "parent": parent,
        "gran": gran,
        "gran_elsewhere": gran_elsewhere,
    }
    yield {**redis_workers, "meeting": meeting, "person": person.json(), **clients}
    await close_all(*clients.values())


async def test_revoking_a_persons_link_closes_their_sockets_on_every_worker_within_a_second(
    spread: dict[str, Any],
) -> None:
    first, _ = spread["workers"]
    gran: Client = spread["gran"]
    assert gran.me["name"] == "Gran" and gran.me["role"] == "network"
    answer = api(
        "DELETE",
        f"{first.url}/api/meetings/{gran.meeting_id}/people-links/{spread['person']['id']}",
        spread["facilitator"].cookie,
    )
    assert answer.status_code == 200
    took = await disconnected_within([gran, spread["gran_elsewhere"]], 1.0)
    print(f"revoked: both of Gran's sockets closed within {took * 1000:.0f} ms")
    assert any(event == "session_ended" for event, _ in spread["gran_elsewhere"].events)
    assert await refusal(gran) == "session_invalid"
    joining = httpx.post(
        f"{first.url}/api/join", json={"token": spread["person"]["url"].split("#")[1]}
    )
    assert (joining.status_code, joining.json()["error"]["code"]) == (410, "link_gone")
    # Nobody else was touched.
    for name in ("facilitator", "parent"):
        client: Client = spread[name]
        assert client.sio.connected
        assert (await client.op("card.add", section="goals", text=f"{name} goes on"))["ok"]


async def test_removing_a_participant_closes_their_sockets_on_every_worker_within_a_second(
    spread: dict[str, Any],
) -> None:
    gran: Client = spread["gran"]
    facilitator: Client = spread["facilitator"]
    ack = await facilitator.op("participant.remove", participant_id=gran.me["id"])
    assert ack["ok"], ack
    took = await disconnected_within([gran, spread["gran_elsewhere"]], 1.0)
    print(f"removed: both of Gran's sockets closed within {took * 1000:.0f} ms")
    assert await refusal(gran) == "session_invalid"
    answer = api("GET", f"{spread['workers'][1].url}/api/meetings/{gran.meeting_id}", gran.cookie)
    assert answer.status_code == 403
    parent: Client = spread["parent"]
    assert (await parent.op("card.add", section="goals", text="Sam goes on"))["ok"]


@dataclass(frozen=True)
class OutOfBand:
    store: RedisStore
    links: Links
    boards: Boards


def out_of_band(spread: dict[str, Any]) -> OutOfBand:
    """The link and board services on the shared Redis, but with no way to reach any
    socket: as if the worker that revokes had lost its pub/sub connection."""
    settings = replace(Settings(), redis_url=REDIS_URL, redis_prefix=spread["prefix"], api_key=None)
    store = RedisStore(REDIS_URL, prefix=spread["prefix"])

    async def lost(meeting_id: str, what: Any) -> None:
        """Neither the commit's broadcast nor the sockets' closing reaches anyone."""

    async def no_staff(token_hash: str, use: bool) -> bool:
        """No staff session stands: none of these sessions was opened under one."""
        return False

    audit = Audit(store, store, time.time)
    sessions = Sessions(settings, store, time.time, lost, no_staff)
    keys = LinkKeys(spread["secret"].encode())
    webhook = Webhook(settings, store, store, store, audit, time.time)
    return OutOfBand(
        store,
        Links(settings, store, keys, time.time, sessions, audit),
        Boards(
            store,
            time.time,
            lost,
            sessions,
            audit,
            Families(store, time.time).noted,
            webhook,
            lost,
        ),
    )


async def test_a_revoked_persons_next_op_is_refused_even_when_the_disconnect_is_lost(
    spread: dict[str, Any],
) -> None:
    gran: Client = spread["gran"]
    elsewhere: Client = spread["gran_elsewhere"]
    services = out_of_band(spread)
    await between_heartbeats([gran, elsewhere], HEARTBEAT, quiet=2)
    try:
        await services.links.revoke_link(gran.meeting_id, spread["person"]["id"], "test")
    finally:
        await services.store.close()
    await asyncio.sleep(0.3)
    assert gran.sio.connected and elsewhere.sio.connected  # nothing told the workers
    assert not any(event == "session_ended" for event, _ in gran.events)
    for client in (gran, elsewhere):  # one on each worker
        acked = await send(client, "op", late_op("Sent after revoking"))
        await disconnected_within([client], 1)
        ack = await ack_of(acked, 0.5)
        assert ack is None or (ack["ok"], ack["code"]) == (False, "forbidden"), ack
    texts = [card["text"] for card in board(spread["workers"][0].url, gran.meeting_id)["cards"]]
    assert "Sent after revoking" not in texts
    parent: Client = spread["parent"]
    assert (await parent.op("card.add", section="goals", text="Sam goes on"))["ok"]


async def test_a_removed_persons_next_op_is_refused_even_when_the_disconnect_is_lost(
    spread: dict[str, Any],
) -> None:
    gran: Client = spread["gran"]
    elsewhere: Client = spread["gran_elsewhere"]
    facilitator: Client = spread["facilitator"]
    services = out_of_band(spread)
    await between_heartbeats([gran, elsewhere], HEARTBEAT, quiet=2)
    try:
        await services.boards.commit(
            gran.meeting_id,
            f"{facilitator.me['id']}:o_remove",
            facilitator.me["id"],
            ParticipantRemove(gran.me["id"]),
            op_type="participant.remove",
        )
    finally:
        await services.store.close()
    await asyncio.sleep(0.3)
    assert gran.sio.connected and elsewhere.sio.connected
    for client in (elsewhere, gran):
        acked = await send(client, "op", late_op("Sent after removal"))
        await disconnected_within([client], 1)
        ack = await ack_of(acked, 0.5)
        assert ack is None or (ack["ok"], ack["code"]) == (False, "forbidden"), ack
    texts = [card["text"] for card in board(spread["workers"][0].url, gran.meeting_id)["cards"]]
    assert "Sent after removal" not in texts


async def test_closing_a_meeting_refuses_the_familys_changes_on_every_worker(
    spread: dict[str, Any],
) -> None:
    facilitator: Client = spread["facilitator"]
    await send(facilitator, "op", {"id": "o_close", "type": "meeting.close"})
    took = await disconnected_within([facilitator], 1.0)
    print(f"closed: the facilitator's socket closed within {took * 1000:.0f} ms")
    for name in ("parent", "gran", "gran_elsewhere"):
        ack = await ack_of(await send(spread[name], "op", late_op("After the end")))
        assert (ack["ok"], ack["code"]) == (False, "closed"), (name, ack)
    assert board(spread["workers"][1].url, facilitator.meeting_id)["meeting"]["status"] == "closed"


async def test_the_facilitator_who_closes_the_meeting_gets_the_ack(room: dict[str, Any]) -> None:
    facilitator: Client = room["facilitator"]
    ack = await ack_of(await send(facilitator, "op", {"id": "o_close", "type": "meeting.close"}))
    assert ack is not None and ack["ok"] is True


def test_the_workers_really_share_one_redis(redis_workers: dict[str, Any]) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{redis_workers['prefix']}:*", count=500))
    client.close()
    assert keys, "the workers wrote nothing under the test's prefix"
