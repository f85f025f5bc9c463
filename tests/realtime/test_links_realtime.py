"""Renewing or turning off the facilitator link, with a real server and real sockets: whoever
came in by the old link is out at once, on their open socket too; the one renewing stays."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
import socketio

from tests.support.harness import Client, ServerProcess, create_meeting


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("links")).start()
    yield process
    process.stop()


@pytest.mark.parametrize("change", ["renew", "turn off"])
async def test_a_leaked_facilitator_link_stops_at_once(server: ServerProcess, change: str) -> None:
    links = create_meeting(server.url, "Family meeting for Ava")["links"]
    jo = await Client.join(server.url, links["facilitator"], "Jo")
    mallory = await Client.join(server.url, links["facilitator"], "Mallory")
    sam = await Client.join(server.url, links["participant"], "Sam", role="parent")
    try:
        path = f"{server.url}/api/meetings/{jo.meeting_id}/links/facilitator"
        began = time.monotonic()
        answer = httpx.request(
            "POST" if change == "renew" else "DELETE",
            f"{path}/renew" if change == "renew" else path,
            headers={"Cookie": jo.cookie, "Origin": server.url},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        await mallory.wait_for(lambda: not mallory.sio.connected, timeout=2)
        assert time.monotonic() - began < 2
        assert any(event == "session_ended" for event, _ in mallory.events)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await mallory.connect()
        joined = httpx.post(
            f"{server.url}/api/join",
            json={"token": links["facilitator"].split("#", 1)[1], "name": "Mallory"},
            timeout=10,
        )
        code = "link_gone" if change == "renew" else "link_off"
        assert (joined.status_code, joined.json()["error"]["code"]) == (410, code)
        # The one who renewed it, and the family, go on.
        for client in (jo, sam):
            assert client.sio.connected
            assert (await client.op("card.add", section="goals", text="We go on"))["ok"]
    finally:
        for client in (jo, mallory, sam):
            await client.close()
