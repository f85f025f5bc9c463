"""Work a participant could make expensive, bounded: `sync` per participant, `editing`
per socket and presence broadcasts per meeting, with a real server and real clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from server.realtime import EDITING_BURST, PRESENCE_INTERVAL, SYNC_BURST, SYNC_PER_SECOND
from tests.support.harness import Client, ServerProcess, create_meeting


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("limits")).start()
    yield process
    process.stop()


@pytest.fixture
async def room(server: ServerProcess) -> AsyncIterator[dict[str, Client]]:
    links = create_meeting(server.url, "Family meeting for Ava")["links"]
    clients = {
        "facilitator": await Client.join(server.url, links["facilitator"], "Priya"),
        "parent": await Client.join(server.url, links["participant"], "Sam", role="parent"),
        "gran": await Client.join(server.url, links["participant"], "Gran", role="network"),
        "display": await Client.join(server.url, links["display"], ""),
    }
    yield clients
    for client in clients.values():
        await client.close()


def presences(client: Client) -> list[dict[str, Any]]:
    return [data for event, data in client.events if event == "presence"]


def editing_of(presence: dict[str, Any], who: Client) -> list[str | None]:
    return [p["editing"] for p in presence["online"] if p["participant_id"] == who.me["id"]]


# --- sync --------------------------------------------------------------------------------------


async def test_sync_is_limited_per_participant_and_says_when_to_try_again(
    room: dict[str, Client],
) -> None:
    parent, gran = room["parent"], room["gran"]
    began = time.monotonic()
    answers = []
    while time.monotonic() - began < 2:
        answers.append(await parent.sio.call("sync", {"since": 0}, timeout=10))
    took = time.monotonic() - began
    answered = [a for a in answers if a["ok"]]
    refused = [a for a in answers if not a["ok"]]
    assert len(answered) <= SYNC_BURST + took * SYNC_PER_SECOND + 1
    assert refused and {a["code"] for a in refused} == {"rate_limited"}
    assert all(0 < a["retry_after"] <= 1 / SYNC_PER_SECOND for a in refused)
    # Another person's catching up is not theirs to use up.
    assert (await gran.sio.call("sync", {"since": 0}, timeout=10))["ok"] is True
    await asyncio.sleep(refused[-1]["retry_after"])
    again = await parent.sio.call("sync", {"since": 0}, timeout=10)
    assert again["ok"] is True and "board" in again


# --- editing and presence --------------------------------------------------------------------


async def test_a_burst_of_editing_is_one_presence_broadcast_carrying_the_last(
    room: dict[str, Client],
) -> None:
    parent, facilitator = room["parent"], room["facilitator"]
    await asyncio.sleep(PRESENCE_INTERVAL * 3)  # the joins' own presence is out
    before = len(presences(facilitator))
    began = time.monotonic()
    cards = [f"c_{n}" for n in range(EDITING_BURST - 1)] + ["c_last"]
    for card_id in cards:
        assert (await parent.sio.call("editing", {"card_id": card_id}, timeout=10))["ok"]
    took = time.monotonic() - began

    def last_seen() -> bool:
        seen = presences(facilitator)
        return len(seen) > before and editing_of(seen[-1], parent) == ["c_last"]

    await facilitator.wait_for(last_seen)
    await asyncio.sleep(PRESENCE_INTERVAL * 3)
    assert len(presences(facilitator)) - before <= took / PRESENCE_INTERVAL + 2


async def test_a_flood_of_editing_from_several_sockets_is_a_few_broadcasts(
    room: dict[str, Client],
) -> None:
    facilitator = room["facilitator"]
    senders = [room["parent"], room["gran"]]
    await asyncio.sleep(PRESENCE_INTERVAL * 3)
    before = len(presences(facilitator))
    began = time.monotonic()
    for n in range(1_000):
        for sender in senders:
            await sender.sio.emit("editing", {"card_id": f"c_{n % 7}"})
    # An answer to the last means the server has read every message before it.
    for sender in senders:
        await sender.sio.call("editing", {"card_id": None}, timeout=10)
    took = time.monotonic() - began
    await asyncio.sleep(PRESENCE_INTERVAL * 3)
    broadcasts = len(presences(facilitator)) - before
    assert 1 <= broadcasts <= took / PRESENCE_INTERVAL + 2


async def test_editing_is_limited_per_socket_and_a_refused_one_changes_nothing(
    room: dict[str, Client],
) -> None:
    parent, facilitator = room["parent"], room["facilitator"]
    answers = [
        await parent.sio.call("editing", {"card_id": f"c_{n}"}, timeout=10) for n in range(40)
    ]
    refused = [n for n, a in enumerate(answers) if not a["ok"]]
    assert refused, "40 at once are more than a socket may send"
    assert {answers[n]["code"] for n in refused} == {"rate_limited"}
    last_accepted = max(n for n, a in enumerate(answers) if a["ok"])
    await asyncio.sleep(PRESENCE_INTERVAL * 3)
    assert editing_of(presences(facilitator)[-1], parent) == [f"c_{last_accepted}"]


async def test_the_room_screen_cannot_say_it_is_editing(room: dict[str, Client]) -> None:
    display, facilitator = room["display"], room["facilitator"]
    answer = await display.sio.call("editing", {"card_id": "c_any"}, timeout=10)
    assert (answer["ok"], answer["code"]) == (False, "forbidden")
    await asyncio.sleep(PRESENCE_INTERVAL * 3)
    assert editing_of(presences(facilitator)[-1], display) == [None]


async def test_editing_a_malformed_card_id_is_refused_invalid(room: dict[str, Client]) -> None:
    answer = await room["parent"].sio.call("editing", {"card_id": "no spaces!"}, timeout=10)
    assert (answer["ok"], answer["code"]) == (False, "invalid")


async def test_a_rate_limited_op_says_when_to_send_it_again(room: dict[str, Client]) -> None:
    gran = room["gran"]
    acks = await asyncio.gather(
        *(gran.op("card.add", section="strengths", text=f"Card {n}") for n in range(30))
    )
    refused = [a for a in acks if not a["ok"]]
    assert refused and {a["code"] for a in refused} == {"rate_limited"}
    assert all(0 < a["retry_after"] <= 1 for a in refused)
    await asyncio.sleep(max(a["retry_after"] for a in refused))
    assert (await gran.op("card.add", section="strengths", text="After waiting"))["ok"] is True
