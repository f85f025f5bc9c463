"""Private family time, end to end: a real server process, real Socket.IO clients.

While family time runs, the family's plan (its words, and which section each line is in)
reaches the family (parent, child, network) and nobody else: not the facilitator, a
professional or the meeting room screen, on any channel: `state` (joining or reconnecting
during family time), `applied`, `sync`, acks, presence, the API, the minutes, the
subject-access export and the activity log. When the family share it, it is everyone's.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.harness import API_KEY, Client, ServerProcess, create_meeting

KEY = {"Authorization": f"Bearer {API_KEY}"}
SECRET = re.compile(r"FAMPLAN-[A-Z0-9]+")
FAMILY = ("parent", "child", "network")
OTHERS = ("facilitator", "professional", "display")


def back_at(minutes: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def secrets_in(data: Any) -> set[str]:
    return set(SECRET.findall(repr(data)))


class Room:
    def __init__(self, base_url: str, meeting: dict[str, Any]) -> None:
        self.base_url = base_url
        self.meeting = meeting
        self.clients: dict[str, Client] = {}
        self.acks: dict[str, list[dict[str, Any]]] = {}
        self.arrived: dict[str, int] = {}  # the seq each client's first `state` had

    def __getitem__(self, name: str) -> Client:
        return self.clients[name]

    async def add(
        self, name: str, link: str, who: str, role: str | None = None, base_url: str = ""
    ) -> Client:
        client = await Client.join(
            base_url or self.base_url, self.meeting["links"][link], who, role
        )
        assert client.state is not None
        self.clients[name] = client
        self.arrived[name] = client.state["seq"]
        return client

    async def op(self, name: str, op_type: str, **fields: Any) -> dict[str, Any]:
        ack = await self.clients[name].op(op_type, **fields)
        self.acks.setdefault(name, []).append(ack)
        return ack

    def received(self, name: str) -> list[Any]:
        return [*self.clients[name].events, *self.acks.get(name, [])]

    async def everyone_has(self, seq: int) -> None:
        for client in self.clients.values():
            if client.sio.connected:
                await client.wait_for(lambda c=client: any(r["seq"] == seq for r in c.applied()))

    def get(self, path: str, name: str | None = None) -> httpx.Response:
        headers = {"Cookie": self.clients[name].cookie} if name else KEY
        return httpx.get(f"{self.base_url}{path}", headers=headers, timeout=30)

    async def close(self) -> None:
        for client in self.clients.values():
            await client.close()


async def family_group_room(base_url: str) -> Room:
    meeting = create_meeting(base_url, "Family group meeting for Ava", kind="family_group")
    room = Room(base_url, meeting)
    await room.add("facilitator", "facilitator", "Priya")
    await room.add("professional", "participant", "Jo from school", "professional")
    await room.add("parent", "participant", "Sam", "parent")
    await room.add("child", "participant", "Ava", "child")
    await room.add("network", "participant", "Gran", "network")
    await room.add("display", "display", "")
    return room


@pytest.fixture
async def room(server: ServerProcess) -> AsyncIterator[Room]:
    room = await family_group_room(server.url)
    yield room
    await room.close()


async def write_the_plan(room: Room) -> dict[str, dict[str, Any]]:
    """Family time, and the family write, change and remove lines of their plan."""
    started = await room.op("facilitator", "family_time.start", back_at=back_at())
    assert started["ok"], started
    acks = {
        "rule": await room.op(
            "parent", "family_plan.add", section="plan_rules", text="FAMPLAN-RULE", item_id="i_1"
        ),
        "helper": await room.op(
            "child", "family_plan.add", section="plan_helpers", text="FAMPLAN-AUNT", item_id="i_2"
        ),
        "gone": await room.op(
            "network", "family_plan.add", section="plan_working", text="FAMPLAN-GONE", item_id="i_3"
        ),
    }
    acks["edit"] = await room.op(
        "network", "family_plan.edit", item_id="i_1", text="FAMPLAN-RULETWO"
    )
    acks["delete"] = await room.op("parent", "family_plan.delete", item_id="i_3")
    for ack in acks.values():
        assert ack["ok"], ack
    await room.everyone_has(acks["delete"]["seq"])
    await asyncio.sleep(0.2)  # and give anything that should not arrive a chance to
    return acks


async def test_the_family_plan_reaches_the_family_and_nobody_else(room: Room) -> None:
    acks = await write_the_plan(room)
    everything = {"FAMPLAN-RULE", "FAMPLAN-AUNT", "FAMPLAN-GONE", "FAMPLAN-RULETWO"}

    # Live: each family member heard every line; nobody else heard a word, yet every seq
    # reached everyone (a gap would make their screens ask for the board again and again).
    seqs = list(range(room["facilitator"].state["seq"] + 1, acks["delete"]["seq"] + 1))
    for name in FAMILY:
        assert secrets_in(room.received(name)) == everything, name
    for name in OTHERS:
        assert secrets_in(room.received(name)) == set(), name
        got = sorted(r["seq"] for r in room[name].applied() if r["seq"] in seqs)
        assert got == seqs, name
        assert not room[name].applied("family_item"), name
    # Family time itself is public: everyone knows it is on, and until when.
    for name in (*FAMILY, *OTHERS):
        assert room[name].applied("family_time"), name

    # Joining during family time: a professional's `state` has no plan, a relative's has.
    late_worker = await room.add("late-worker", "participant", "Kim", "professional")
    late_aunt = await room.add("late-aunt", "participant", "Rose", "network")
    assert secrets_in(late_worker.state) == set()
    assert late_worker.state["board"]["family_time"]["ended_at"] is None
    assert secrets_in(late_aunt.state) == {"FAMPLAN-RULETWO", "FAMPLAN-AUNT"}
    plan = late_aunt.state["board"]["family_plan"]
    assert sorted((i["id"], i["section"], i["text"]) for i in plan) == [
        ("i_1", "plan_rules", "FAMPLAN-RULETWO"),
        ("i_2", "plan_helpers", "FAMPLAN-AUNT"),
    ]

    # Reconnecting: the same.
    for name in ("professional", "facilitator", "display", "parent"):
        await room[name].close()
        await room[name].connect()
    for name in ("professional", "facilitator", "display"):
        assert secrets_in(room[name].state) == set(), name
    assert secrets_in(room["parent"].state) == {"FAMPLAN-RULETWO", "FAMPLAN-AUNT"}

    # `sync` from their arrival (the ops since, those the caller may not see left out) and
    # from the start (before their arrival: the whole board, as the caller may see it).
    for name in (*FAMILY, *OTHERS, "late-worker"):
        for since in (room.arrived[name], 0):
            answer = await room[name].sio.call("sync", {"since": since}, timeout=10)
            assert answer["ok"], (name, answer)
            if name in FAMILY:
                assert secrets_in(answer), (name, since)
            else:
                assert secrets_in(answer) == set(), (name, since)
    answer = await late_aunt.sio.call("sync", {"since": 0}, timeout=10)
    assert secrets_in(answer["board"]) == {"FAMPLAN-RULETWO", "FAMPLAN-AUNT"}

    # The API: the family's own cookie gets their plan; professionals, the room screen and
    # the staff key do not.
    meeting_id = room.meeting["id"]
    for name in ("facilitator", "professional", "display", None):
        answer = room.get(f"/api/meetings/{meeting_id}", name)
        assert answer.status_code == 200, answer.text
        assert secrets_in(answer.text) == set(), name
    assert secrets_in(room.get(f"/api/meetings/{meeting_id}", "child").text)

    # Minutes taken during family time, the subject-access export of each family member
    # and the activity log (ids only) hold none of it.
    taken = await room.op("facilitator", "minutes.take", label="During family time")
    assert taken["ok"], taken
    for path in ("/minutes/1", "/minutes/1.json", "/minutes/1.md"):
        answer = room.get(f"/m/{meeting_id}{path}")
        assert answer.status_code == 200, (path, answer.text)
        assert secrets_in(answer.text) == set(), path
    for name in FAMILY:
        pid = room[name].me["id"]
        answer = room.get(f"/api/meetings/{meeting_id}/participants/{pid}/export")
        assert answer.status_code == 200, answer.text
        assert secrets_in(answer.text) == set(), name
    activity = room.get(f"/m/{meeting_id}/activity.csv")
    assert activity.status_code == 200
    assert "family_plan.add" in activity.text
    assert secrets_in(activity.text) == set()


async def test_sharing_brings_the_plan_to_everyone_said_by_the_family(room: Room) -> None:
    await write_the_plan(room)
    refused = await room.op("professional", "family_plan.share")
    assert (refused["ok"], refused["code"]) == (False, "forbidden")
    assert refused["message"]
    shared = await room.op("child", "family_plan.share")
    assert shared["ok"], shared
    await room.everyone_has(shared["seq"])
    for name in (*FAMILY, *OTHERS):
        (record,) = [r for r in room[name].applied() if r["seq"] == shared["seq"]]
        cards = [c["value"] for c in record["changes"] if c["entity"] == "card"]
        assert sorted((c["section"], c["text"], c["attributed_to"]) for c in cards) == [
            ("plan_helpers", "FAMPLAN-AUNT", "the family"),
            ("plan_rules", "FAMPLAN-RULETWO", "the family"),
        ], name
        by = {c["text"]: c["author"] for c in cards}
        # Each card is by the one who first wrote its line.
        assert by == {
            "FAMPLAN-RULETWO": room["parent"].me["id"],
            "FAMPLAN-AUNT": room["child"].me["id"],
        }
        (time,) = [c["value"] for c in record["changes"] if c["entity"] == "family_time"]
        assert (time["ended"], time["ended_by"]) == ("shared", room["child"].me["id"])
        (meeting,) = [c["value"] for c in record["changes"] if c["entity"] == "meeting"]
        assert meeting["stage"] == "agreeing"
    # The line the family removed was never shared.
    assert "FAMPLAN-GONE" not in repr(room.get(f"/api/meetings/{room.meeting['id']}").json())


async def test_refusals_change_and_broadcast_nothing(room: Room) -> None:
    await write_the_plan(room)
    before = room.get(f"/api/meetings/{room.meeting['id']}").json()
    cases = [
        ("facilitator", {"type": "family_time.start", "back_at": back_at()}, "family_time_running"),
        ("professional", {"type": "family_plan.share"}, "forbidden"),
        ("facilitator", {"type": "family_plan.share"}, "forbidden"),
        (
            "professional",
            {"type": "family_plan.add", "section": "plan_rules", "text": "x"},
            "forbidden",
        ),
        ("display", {"type": "family_plan.share"}, "forbidden"),
        ("parent", {"type": "family_time.force_end"}, "forbidden"),
        ("parent", {"type": "family_time.answer", "ready": True}, "invalid"),
        ("facilitator", {"type": "meeting.stage", "stage": "review"}, "family_time_running"),
    ]
    for name, op, code in cases:
        ack = await room[name].send({"id": f"o_refused_{len(room.acks)}_{code}", **op})
        room.acks.setdefault(name, []).append(ack)
        assert (ack["ok"], ack.get("code")) == (False, code), (name, op, ack)
        assert ack["message"]
    forced = await room.op("facilitator", "family_time.force_end")
    assert forced["ok"]
    after_end = [
        ("facilitator", {"type": "family_time.force_end"}, "family_time_not_running"),
        (
            "parent",
            {"type": "family_plan.add", "section": "plan_rules", "text": "x"},
            "family_time_not_running",
        ),
        ("facilitator", {"type": "family_time.start", "back_at": back_at(-5)}, "invalid"),
        ("facilitator", {"type": "family_time.start", "back_at": back_at(60 * 24)}, "invalid"),
    ]
    for name, op, code in after_end:
        ack = await room[name].send({"id": f"o_refused_late_{len(room.acks)}", **op})
        room.acks.setdefault(name, []).append(ack)
        assert (ack["ok"], ack.get("code")) == (False, code), (name, op, ack)
    await asyncio.sleep(0.3)
    after = room.get(f"/api/meetings/{room.meeting['id']}").json()
    assert after["seq"] == before["seq"] + 1 == forced["seq"]
    # The forced end is written in the activity log, by the facilitator.
    entries = room.get(f"/m/{room.meeting['id']}/activity.csv").text
    (line,) = [row for row in entries.splitlines() if "family_time.force_end" in row]
    assert room["facilitator"].me["id"] in line
    for name in (*FAMILY, *OTHERS):
        assert secrets_in(room.acks.get(name, [])) <= (
            {"FAMPLAN-RULE", "FAMPLAN-AUNT", "FAMPLAN-GONE", "FAMPLAN-RULETWO"}
            if name in FAMILY
            else set()
        )


async def test_a_meeting_of_another_kind_has_no_family_time(server: ServerProcess) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava")
    facilitator = await Client.join(server.url, meeting["links"]["facilitator"], "Priya")
    try:
        assert facilitator.state["board"]["meeting"]["stage"] is None
        ack = await facilitator.op("family_time.start", back_at=back_at())
        assert (ack["ok"], ack["code"]) == (False, "invalid")
        assert ack["message"] == "Family time is part of family group meetings only."
    finally:
        await facilitator.close()


async def test_the_family_plan_stays_with_the_family_across_two_workers(
    workers: list[ServerProcess],
) -> None:
    """A socket on the second worker gets exactly what its person may see."""
    first, second = workers
    room = await family_group_room(first.url)
    try:
        await room.add("far-worker", "participant", "Dev", "professional", base_url=second.url)
        await room.add("far-gran", "participant", "Grandad", "network", base_url=second.url)
        acks = await write_the_plan(room)
        for name in ("far-worker", "far-gran"):
            await room[name].wait_for(
                lambda n=name: any(r["seq"] == acks["delete"]["seq"] for r in room[n].applied())
            )
        assert secrets_in(room.received("far-worker")) == set()
        assert secrets_in(room.received("far-gran")) == {
            "FAMPLAN-RULE",
            "FAMPLAN-AUNT",
            "FAMPLAN-GONE",
            "FAMPLAN-RULETWO",
        }
        # And a reconnect through the second worker, and its API, keep it so.
        await room["far-worker"].close()
        await room["far-worker"].connect()
        assert secrets_in(room["far-worker"].state) == set()
        answer = httpx.get(
            f"{second.url}/api/meetings/{room.meeting['id']}",
            headers={"Cookie": room["far-worker"].cookie},
            timeout=10,
        )
        assert answer.status_code == 200 and secrets_in(answer.text) == set()
    finally:
        await room.close()
