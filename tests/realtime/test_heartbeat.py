"""The heartbeat over real sockets, against a real server process: a busy room hears no
heartbeat, since each `applied` carries the seq and the server's time; a room gone quiet
hears one again within two beats, with its latest seq and the server's time."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from server.heartbeat import HEARTBEAT
from tests.support.harness import Client

# The op every half second: every beat of the busy time comes after an `applied`.
OP_EVERY = 0.5


def at(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def beats(client: Client, since: int = 0) -> list[dict[str, Any]]:
    return [data for event, data in client.events[since:] if event == "heartbeat"]


async def test_a_busy_room_hears_no_heartbeat_and_a_quiet_one_hears_its_latest_seq(
    room: dict[str, Any],
) -> None:
    parent, gran = room["parent"], room["gran"]
    first = await parent.op("card.add", section="strengths", text="Gran visits daily")
    assert first["ok"] is True, first
    await gran.wait_for(lambda: any(r["seq"] == first["seq"] for r in gran.applied()))
    busy_from = len(gran.events)
    last = first
    # Longer than a beat: each meeting's beat comes round once in every HEARTBEAT seconds.
    until = time.monotonic() + HEARTBEAT + 1
    n = 0
    while time.monotonic() < until:
        await asyncio.sleep(OP_EVERY)
        n += 1
        last = await parent.op("card.add", section="strengths", text=f"Sam walks to school {n}")
        assert last["ok"] is True, last
    await gran.wait_for(lambda: any(r["seq"] == last["seq"] for r in gran.applied()))
    assert beats(gran, busy_from) == [], "a room that heard its latest seq needs no heartbeat"

    # Every `applied` says the server's time it was sent at, after the op's own time.
    busy = [data for event, data in gran.events[busy_from:] if event == "applied"]
    assert len(busy) == n
    assert all(at(r["now"]) >= at(r["at"]) for r in busy), busy

    # Quiet now: the next beat may still find the last `applied` since the one before it,
    # the one after cannot.
    quiet_from = {id(client): len(client.events) for client in (parent, gran)}
    for client in (parent, gran):
        await client.wait_for(
            lambda c=client: bool(beats(c, quiet_from[id(c)])), timeout=2 * HEARTBEAT + 1
        )
        beat = beats(client, quiet_from[id(client)])[0]
        assert beat["seq"] == last["seq"]
        assert at(beat["now"]) > at(busy[-1]["now"])


async def test_after_someone_joins_the_next_beat_tells_the_room_its_seq(
    room: dict[str, Any],
) -> None:
    """A socket's board is read before it enters its room, so an `applied` sent meanwhile
    misses it: a join makes the next beat say the seq, though the room heard it."""
    parent = room["parent"]
    since = len(parent.events)
    link = room["meeting"]["links"]["participant"]
    aunt = await Client.join(room["server"].url, link, "Aunt May", role="network")
    try:
        assert aunt.state is not None
        seq = aunt.state["seq"]
        # Her joining was an op: the room heard it in an `applied`.
        await parent.wait_for(lambda: any(r["seq"] == seq for r in parent.applied()))
        await parent.wait_for(lambda: bool(beats(parent, since)), timeout=HEARTBEAT + 1)
        await aunt.wait_for(lambda: bool(beats(aunt)), timeout=HEARTBEAT + 1)
        assert beats(parent, since)[0]["seq"] == beats(aunt)[0]["seq"] == seq
    finally:
        await aunt.close()
