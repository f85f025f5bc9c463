"""Which answers count, over real sockets: someone joining the family link again and again
from one browser, someone taken out after answering, and answers the facilitator records
for someone who also has a device. Each through the server: the acks, what everyone is
sent, the reveal, the audit log and the minutes."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.support.harness import API_KEY, Client, ServerProcess, create_meeting

KEY = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("ballots")).start()
    yield process
    process.stop()


class Room:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.meeting = create_meeting(base_url, "Family meeting for Ava")
        self.clients: list[Client] = []

    async def join(self, link: str, name: str, role: str | None = None, cookie: str = "") -> Client:
        client = await Client.join(
            self.base_url, self.meeting["links"][link], name, role, cookie=cookie
        )
        self.clients.append(client)
        return client

    def get(self, path: str) -> httpx.Response:
        answer = httpx.get(f"{self.base_url}{path}", headers=KEY, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer

    def board(self) -> dict[str, Any]:
        return self.get(f"/api/meetings/{self.meeting['id']}").json()

    def audit(self) -> list[dict[str, str]]:
        text = self.get(f"/m/{self.meeting['id']}/activity.csv").text
        return list(csv.DictReader(io.StringIO(text)))

    def minutes(self) -> str:
        return self.get(f"/m/{self.meeting['id']}/minutes/1.md").text

    async def close(self) -> None:
        for client in self.clients:
            await client.close()


@pytest.fixture
async def room(server: ServerProcess) -> AsyncIterator[Room]:
    room = Room(server.url)
    yield room
    await room.close()


def overall(client: Client) -> str:
    assert client.state is not None
    return next(s["id"] for s in client.state["board"]["scales"] if s["overall"])


def the_round(board: dict[str, Any]) -> dict[str, Any]:
    (round_,) = board["rounds"]
    return round_


async def ok(client: Client, op_type: str, **fields: Any) -> dict[str, Any]:
    ack = await client.op(op_type, **fields)
    assert ack["ok"] is True, ack
    return ack


async def test_one_person_joining_four_times_from_one_browser_is_counted_once(room: Room) -> None:
    facilitator = await room.join("facilitator", "Priya")
    scale_id = overall(facilitator)
    await ok(facilitator, "round.open", scale_id=scale_id)
    # The same browser joins four times: each join carries the cookie of the one before.
    sams: list[Client] = []
    cookie = ""
    for n in range(4):
        sam = await room.join("participant", "Sam" if n < 3 else "Mum", "parent", cookie=cookie)
        cookie = sam.cookie
        sams.append(sam)
        await ok(sam, "vote.cast", scale_id=scale_id, value=8, reason=f"REASON-SAM-{n}")
    gran = await room.join("participant", "Gran", "network")
    await ok(gran, "vote.cast", scale_id=scale_id, value=2, reason="REASON-GRAN")
    people = {p["id"]: p for p in room.board()["participants"]}
    first = sams[0].me["id"]
    assert [people[s.me["id"]]["device"] for s in sams] == [None, first, first, first]
    assert people[gran.me["id"]]["device"] is None

    # Leave three of them out; the last one of the four is nobody's duplicate any more.
    for sam in sams[1:]:
        ack = await ok(facilitator, "vote.exclude", scale_id=scale_id, voter=sam.me["id"])
        assert "vote" not in ack
    last = await facilitator.op("vote.exclude", scale_id=scale_id, voter=first)
    assert (last["ok"], last["code"]) == (False, "invalid")
    refused = await sams[1].op("vote.cast", scale_id=scale_id, value=9)
    assert (refused["ok"], refused["code"]) == (False, "forbidden")

    # Gran sees whose answers were left out, never a number.
    def all_left_out() -> bool:
        rounds = [c["value"] for r in gran.applied("round") for c in r["changes"]]
        return any(len(r["left_out"]) == 3 for r in rounds)

    await gran.wait_for(all_left_out)
    seen = str([r["changes"] for r in gran.applied()])
    assert "REASON-" not in seen and "'value': 8" not in seen
    round_ = the_round(room.board())
    assert [a["voter"] for a in round_["answered"]] == [first, gran.me["id"]]
    assert [(x["voter"], x["why"], x["by"]) for x in round_["left_out"]] == [
        (s.me["id"], "duplicate", facilitator.me["id"]) for s in sams[1:]
    ]

    await ok(facilitator, "round.reveal", scale_id=scale_id)
    revealed = the_round(room.board())
    assert [(v["voter"], v["value"]) for v in revealed["votes"]] == [
        (first, 8),
        (gran.me["id"], 2),
    ]
    assert revealed["summary"]["words"] == "Family 8, network 2: a gap of 6"
    excluded = [e for e in room.audit() if e["op"] == "vote.exclude"]
    assert [e["by"] for e in excluded] == [facilitator.me["id"]] * 3
    await ok(facilitator, "minutes.take")
    minutes = room.minutes()
    assert minutes.count("answer was left out by Priya: it looked like a second") == 3
    assert "Mum's answer was left out by Priya" in minutes
    page = room.get(f"/m/{room.meeting['id']}/minutes/1").text
    assert page.count('<p class="left-out">') == 3


async def test_someone_taken_out_after_answering_is_not_counted(room: Room) -> None:
    facilitator = await room.join("facilitator", "Priya")
    scale_id = overall(facilitator)
    await ok(facilitator, "round.open", scale_id=scale_id)
    sam = await room.join("participant", "Sam", "parent")
    stranger = await room.join("participant", "Gran", "network")
    await ok(sam, "vote.cast", scale_id=scale_id, value=7)
    await ok(stranger, "vote.cast", scale_id=scale_id, value=0, reason="REASON-GONE")
    await ok(facilitator, "participant.remove", participant_id=stranger.me["id"])
    await ok(facilitator, "round.reveal", scale_id=scale_id)
    revealed = the_round(room.board())
    assert [v["voter"] for v in revealed["votes"]] == [sam.me["id"]]
    assert revealed["summary"]["groups"] == [{"group": "family", "median": 7, "count": 1}]
    assert revealed["summary"]["lowest"] == 7
    assert [x["why"] for x in revealed["left_out"]] == ["removed"]
    await ok(facilitator, "minutes.take")
    minutes = room.minutes()
    assert "Gran's answer was left out: Priya took them out of the meeting" in minutes
    assert "REASON-GONE" not in minutes


async def test_an_answer_recorded_for_someone_counts_once_with_their_own(room: Room) -> None:
    facilitator = await room.join("facilitator", "Priya")
    scale_id = overall(facilitator)
    await ok(facilitator, "round.open", scale_id=scale_id)
    sam = await room.join("participant", "Sam", "parent")
    await ok(sam, "vote.cast", scale_id=scale_id, value=7)
    seq = room.board()["seq"]
    # Sam answered on their own phone: recording one for them is refused, and changes nothing.
    behalf = {"name": "sam", "role": "parent"}
    refused = await facilitator.op("vote.cast", scale_id=scale_id, value=3, on_behalf_of=behalf)
    assert (refused["ok"], refused["code"]) == (False, "already_voted")
    assert "Sam has answered on their own device already" in refused["message"]
    await asyncio.sleep(0.2)
    assert room.board()["seq"] == seq
    assert not [r for r in sam.applied() if r["seq"] > seq]

    # Ava's phone was flat, so Priya recorded hers; then Ava answers herself: hers counts.
    await ok(
        facilitator,
        "vote.cast",
        scale_id=scale_id,
        value=2,
        on_behalf_of={"name": "Ava", "role": "child"},
    )
    ava = await room.join("participant", "Ava", "child")
    ack = await ok(ava, "vote.cast", scale_id=scale_id, value=6)
    assert ack["vote"]["replaces_recorded_by"] == facilitator.me["id"]
    assert ack["vote"]["value"] == 6
    assert ava.state is not None
    answered = the_round(room.board())["answered"]
    assert [(a["name"], a["recorded_by"]) for a in answered] == [("Sam", None), ("Ava", None)]
    await ok(facilitator, "round.reveal", scale_id=scale_id)
    votes = the_round(room.board())["votes"]
    assert [(v["name"], v["value"]) for v in votes] == [("Sam", 7), ("Ava", 6)]
