"""Secret votes, end to end: a real server process and real Socket.IO clients.

While a round is open nobody's number (or reason) reaches anyone else: not the other
participants, not the display, not the API, not `state` or `sync`. The voter gets their own
back in the ack and in `state.my_votes`. At the reveal everyone gets everything.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.support.harness import Client, ServerProcess, create_meeting

ROUND_KEYS = {
    "id",
    "scale_id",
    "number",
    "status",
    "opened_at",
    "opened_by",
    "revealed_at",
    "answered",
    "votes",
    "left_out",
    "likely_duplicates",
}
# `unconfirmed` (the voter only says they are a worker) is as public as their role.
ANSWERED_KEYS = {"voter", "name", "role", "recorded_by", "device", "group", "unconfirmed"}
VOTE_KEYS = {
    "voter",
    "name",
    "role",
    "value",
    "at",
    "reason",
    "recorded_by",
    "replaces_recorded_by",
    "group",
    "unconfirmed",
}
ACK_VOTE_KEYS = VOTE_KEYS | {"round_id", "scale_id"}
REASON = re.compile(r"REASON-[A-Z0-9-]+")

# name, role, value, reason
# (Sam goes last: they answered 6 first, and change it to 7 after the others.)
VOTES = [
    ("Ava", "child", 3, "REASON-BRAVO"),
    ("Gran", "network", 9, "REASON-CHARLIE"),
    ("Sam", "parent", 7, "REASON-ALPHA"),
]
# The facilitator records one for Grandad, who has no device.
BEHALF = ("Grandad", "network", 4, "REASON-DELTA")
# Family 7 and 3: 5; network 9 and 4: 6.5.
WORDS = "Family 5, network 6.5: a gap of 1.5"


@dataclass
class Room:
    base_url: str
    meeting: dict[str, Any]
    clients: dict[str, Client]
    acks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Client:
        return self.clients[name]

    async def op(self, name: str, op_type: str, **fields: Any) -> dict[str, Any]:
        ack = await self.clients[name].op(op_type, **fields)
        self.acks.setdefault(name, []).append(ack)
        return ack

    async def add(self, name: str, link: str, who: str, role: str | None = None) -> Client:
        client = await Client.join(self.base_url, self.meeting["links"][link], who, role)
        self.clients[name] = client
        return client

    def api(self, name: str = "quiet") -> dict[str, Any]:
        answer = httpx.get(
            f"{self.base_url}/api/meetings/{self.meeting['id']}",
            headers={"Cookie": self.clients[name].cookie},
            timeout=10,
        )
        assert answer.status_code == 200
        return answer.json()

    async def everyone_has(self, seq: int) -> None:
        for client in self.clients.values():
            if client.sio.connected:
                await client.wait_for(lambda c=client: any(r["seq"] == seq for r in c.applied()))

    async def close(self) -> None:
        for client in self.clients.values():
            await client.close()


async def join_room(base_url: str, **meeting_fields: Any) -> Room:
    """Facilitator, three voters, a fourth participant who does not vote, and the display."""
    meeting = create_meeting(base_url, "Family meeting for Ava and Leo", **meeting_fields)
    room = Room(base_url, meeting, {})
    await room.add("facilitator", "facilitator", "Priya")
    for name, role, _, _ in VOTES:
        await room.add(name, "participant", name, role)
    await room.add("quiet", "participant", "Jo from school", "professional")
    await room.add("display", "display", "")
    return room


@pytest.fixture
async def room(server: ServerProcess) -> AsyncIterator[Room]:
    room = await join_room(server.url)
    yield room
    await room.close()


def overall_scale_id(client: Client) -> str:
    assert client.state is not None
    (scale,) = [s for s in client.state["board"]["scales"] if s["overall"]]
    return scale["id"]


# --- looking through everything a client was sent ---------------------------------------------


def walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for item in data.values():
            yield from walk(item)
    elif isinstance(data, list):
        for item in data:
            yield from walk(item)


def vote_objects(data: Any) -> list[dict[str, Any]]:
    """Every object that carries somebody's number."""
    return [d for d in walk(data) if "voter" in d and "value" in d]


def open_rounds(data: Any) -> list[dict[str, Any]]:
    return [
        d for d in walk(data) if "scale_id" in d and "answered" in d and d.get("status") == "open"
    ]


def reasons(data: Any) -> set[str]:
    return set(REASON.findall(repr(data)))


def assert_secret(
    data: Any, me: str | None = None, own: set[str] | frozenset[str] = frozenset()
) -> None:
    """`data` tells nobody's number or reason, except those of `me` (given or recorded by
    them) and the reasons in `own`. Open rounds have exactly the documented public fields."""
    for found in vote_objects(data):
        assert me is not None and me in (found["voter"], found["recorded_by"]), found
    assert reasons(data) <= own, reasons(data) - own
    for round_ in open_rounds(data):
        assert set(round_) == ROUND_KEYS, round_
        assert round_["votes"] == []
        for answered in round_["answered"]:
            assert set(answered) == ANSWERED_KEYS, answered


def received(room: Room, name: str) -> list[Any]:
    """Every event and every ack this client was sent."""
    return [*room[name].events, *room.acks.get(name, [])]


# --- the round, from opening to reveal --------------------------------------------------------


async def cast_everything(room: Room, scale_id: str) -> dict[str, dict[str, Any]]:
    """Open a round and cast every vote (Sam first says 6, then changes it to 7)."""
    opened = await room.op("facilitator", "round.open", scale_id=scale_id)
    assert opened["ok"], opened
    assert "vote" not in opened
    first = await room.op("Sam", "vote.cast", scale_id=scale_id, value=6, reason="REASON-ALPHA-0")
    assert first["ok"] and first["vote"]["value"] == 6
    acks = {}
    for name, _, value, reason in VOTES:
        acks[name] = await room.op(name, "vote.cast", scale_id=scale_id, value=value, reason=reason)
    who, role, value, reason = BEHALF
    acks["facilitator"] = await room.op(
        "facilitator",
        "vote.cast",
        scale_id=scale_id,
        value=value,
        reason=reason,
        on_behalf_of={"name": who, "role": role},
    )
    await room.everyone_has(acks["facilitator"]["seq"])
    await asyncio.sleep(0.2)  # and give anything that should not arrive a chance to
    return acks


async def test_votes_stay_secret_until_the_reveal(room: Room) -> None:
    facilitator = room["facilitator"]
    scale_id = overall_scale_id(facilitator)
    acks = await cast_everything(room, scale_id)

    # Each voter's ack holds their own number, and only that.
    for name, role, value, reason in VOTES:
        ack = acks[name]
        assert ack["ok"] is True, ack
        assert set(ack) == {"ok", "seq", "vote"}
        assert set(ack["vote"]) == ACK_VOTE_KEYS
        me = room[name].me
        assert ack["vote"] == {**ack["vote"], "voter": me["id"], "name": name, "role": role}
        assert (ack["vote"]["value"], ack["vote"]["reason"]) == (value, reason)
        assert ack["vote"]["recorded_by"] is None
    recorded = acks["facilitator"]["vote"]
    assert recorded["voter"] == "behalf:grandad|network"
    assert (recorded["name"], recorded["role"], recorded["value"]) == ("Grandad", "network", 4)
    assert recorded["recorded_by"] == facilitator.me["id"]

    # Nobody else learned a number: not the quiet participant, not the display...
    for name in ("quiet", "display"):
        assert room[name].applied("round"), name  # they did hear that people answered
        assert_secret(received(room, name))
    # ...not the facilitator (except the vote they recorded)...
    assert_secret(facilitator.events)
    assert_secret(room.acks["facilitator"], facilitator.me["id"], {"REASON-DELTA"})
    # ...and no voter learned anyone else's. Broadcasts carry not even their own.
    for name, _, _, reason in VOTES:
        client = room[name]
        assert_secret(client.events)
        own = {reason, "REASON-ALPHA-0"} if name == "Sam" else {reason}
        assert_secret(room.acks[name], client.me["id"], own)

    # Everyone was told who has answered, in the order of their latest answer.
    last = next(r for r in room["display"].applied() if r["seq"] == acks["facilitator"]["seq"])
    (change,) = last["changes"]
    assert change["entity"] == "round"
    assert change["value"]["status"] == "open"
    assert [(a["name"], a["role"], a["recorded_by"]) for a in change["value"]["answered"]] == [
        ("Ava", "child", None),
        ("Gran", "network", None),
        ("Sam", "parent", None),
        ("Grandad", "network", facilitator.me["id"]),
    ]

    # The API, a fresh client's `state` and `sync` from the start tell no numbers either.
    api = room.api("quiet")
    assert_secret(api)
    (round_,) = api["rounds"]
    assert (round_["status"], len(round_["answered"])) == ("open", 4)
    late = await room.add("late", "participant", "Kim", "professional")
    assert late.state is not None
    assert late.state["my_votes"] == []
    assert_secret(late.state)
    assert late.state["board"]["rounds"] == [round_]
    for name in ("facilitator", "quiet", "Sam", "late"):
        # `sync` sends the ops from the caller's own arrival on (the facilitator's is the
        # start); Kim arrived after the votes, so from the start she gets the board.
        arrived = room[name].state["seq"] if name in ("quiet", "Sam") else 1
        answer = await room[name].sio.call("sync", {"since": arrived - 1}, timeout=10)
        assert answer["ok"] is True and answer["board" if name == "late" else "changes"]
        me = room[name].me["id"]
        assert_secret(answer, me)
        assert not vote_objects(answer)

    # A voter coming back sees their own number in `my_votes`, and nobody else's.
    sam = room["Sam"]
    await sam.close()
    await sam.connect()
    assert sam.state is not None
    assert sam.state["my_votes"] == [
        {"round_id": round_["id"], "scale_id": scale_id, **acks["Sam"]["vote"]}
    ]
    assert_secret(sam.state, sam.me["id"], {"REASON-ALPHA"})
    assert_secret({**sam.state, "my_votes": []})
    # The facilitator on a second device sees the vote they recorded.
    tab = Client(
        room.base_url,
        room.meeting["id"],
        facilitator.cookie,
        facilitator.me,
        origin=facilitator.origin,
    )
    await tab.connect()
    room.clients["facilitator-tab"] = tab
    assert tab.state is not None
    assert [(v["voter"], v["value"]) for v in tab.state["my_votes"]] == [
        ("behalf:grandad|network", 4)
    ]

    # The reveal: everyone receives every number, name, role and reason, and the summary.
    reveal = await room.op("facilitator", "round.reveal", scale_id=scale_id)
    assert reveal["ok"] is True and "vote" not in reveal
    await room.everyone_has(reveal["seq"])
    expected = sorted([*VOTES, BEHALF])
    for name, client in room.clients.items():
        record = next(r for r in client.applied() if r["seq"] == reveal["seq"])
        assert record["by"] == facilitator.me["id"]
        (change,) = record["changes"]
        revealed = change["value"]
        assert (change["entity"], revealed["status"]) == ("round", "revealed"), name
        assert revealed["revealed_at"]
        got = sorted((v["name"], v["role"], v["value"], v["reason"]) for v in revealed["votes"])
        assert got == expected, name
        assert revealed["summary"]["words"] == WORDS
        assert revealed["summary"]["groups"] == [
            {"group": "family", "median": 5, "count": 2},
            {"group": "network", "median": 6.5, "count": 2},
        ]
    api = room.api("display")
    (round_,) = api["rounds"]
    assert round_["status"] == "revealed"
    assert sorted(v["value"] for v in round_["votes"]) == [3, 4, 7, 9]
    assert round_["summary"]["words"] == WORDS
    # Revealed numbers are on the board now, not anyone's own any more.
    await sam.close()
    await sam.connect()
    assert sam.state is not None and sam.state["my_votes"] == []
    assert sorted(v["value"] for v in sam.state["board"]["rounds"][0]["votes"]) == [3, 4, 7, 9]


async def test_the_secrecy_check_would_catch_a_leak(room: Room) -> None:
    """The check above fails on the shapes a leak would have."""
    scale_id = overall_scale_id(room["facilitator"])
    acks = await cast_everything(room, scale_id)
    others = [acks["Ava"]]  # another voter's ack, as if it had been broadcast
    with pytest.raises(AssertionError):
        assert_secret(others, room["Sam"].me["id"], {"REASON-ALPHA"})
    board = room.api()
    board["rounds"][0]["votes"] = [{"voter": "p_x", "value": 3}]
    with pytest.raises(AssertionError):
        assert_secret(board)
    board["rounds"][0]["votes"] = []
    board["rounds"][0]["values"] = [7, 3, 9]
    with pytest.raises(AssertionError):
        assert_secret(board)
    with pytest.raises(AssertionError):
        assert_secret({"note": "REASON-BRAVO"})


async def test_a_second_round_is_secret_again_and_numbered_two(room: Room) -> None:
    scale_id = overall_scale_id(room["facilitator"])
    await room.op("facilitator", "round.open", scale_id=scale_id)
    await room.op("Sam", "vote.cast", scale_id=scale_id, value=2, reason="REASON-ONE")
    revealed = await room.op("facilitator", "round.reveal", scale_id=scale_id)
    assert revealed["ok"]
    second = await room.op("facilitator", "round.open", scale_id=scale_id)
    ack = await room.op("Ava", "vote.cast", scale_id=scale_id, value=8, reason="REASON-TWO")
    assert ack["ok"] and ack["vote"]["value"] == 8
    await room.everyone_has(ack["seq"])
    api = room.api()
    assert [(r["number"], r["status"]) for r in api["rounds"]] == [(1, "revealed"), (2, "open")]
    assert [v["value"] for v in api["rounds"][0]["votes"]] == [2]
    assert reasons(api) == {"REASON-ONE"}
    assert_secret(api["rounds"][1])
    display = [r for r in room["display"].applied() if r["seq"] > second["seq"]]
    assert_secret(display)
    assert not reasons(display)


# --- refusals ---------------------------------------------------------------------------------


async def test_refused_scaling_ops_change_and_broadcast_nothing(room: Room) -> None:
    scale_id = overall_scale_id(room["facilitator"])
    before = room.api()
    cases = [
        ("Sam", {"type": "vote.cast", "scale_id": scale_id, "value": 5}, "round_closed"),
        ("facilitator", {"type": "round.reveal", "scale_id": scale_id}, "round_closed"),
        ("Sam", {"type": "round.open", "scale_id": scale_id}, "forbidden"),
        (
            "quiet",
            {"type": "scale.add", "question": "Q?", "low_label": "a", "high_label": "b"},
            "forbidden",
        ),
        ("facilitator", {"type": "round.open", "scale_id": "s_nowhere"}, "not_found"),
    ]
    for name, op, code in cases:
        ack = await room[name].send({"id": f"o_refused_{code}", **op})
        assert (ack["ok"], ack.get("code")) == (False, code), (name, op, ack)
        assert ack["message"]
        assert "vote" not in ack
    opened = await room.op("facilitator", "round.open", scale_id=scale_id)
    assert opened["ok"]
    open_cases = [
        ("display", {"type": "vote.cast", "scale_id": scale_id, "value": 5}, "forbidden"),
        (
            "Sam",
            {
                "type": "vote.cast",
                "scale_id": scale_id,
                "value": 5,
                "on_behalf_of": {"name": "Grandad", "role": "network"},
            },
            "forbidden",
        ),
        ("Sam", {"type": "round.reveal", "scale_id": scale_id}, "forbidden"),
        ("facilitator", {"type": "round.open", "scale_id": scale_id}, "invalid"),
        ("Sam", {"type": "vote.cast", "scale_id": scale_id, "value": 11}, "invalid"),
        ("Sam", {"type": "vote.cast", "scale_id": scale_id, "value": "7"}, "invalid"),
        (
            "Sam",
            {"type": "vote.cast", "scale_id": scale_id, "value": 7, "reason": "r" * 501},
            "too_long",
        ),
    ]
    for name, op, code in open_cases:
        ack = await room[name].send({"id": f"o_refused_open_{code}", **op})
        assert (ack["ok"], ack.get("code")) == (False, code), (name, op, ack)
        assert "vote" not in ack
    await asyncio.sleep(0.3)
    for name, client in room.clients.items():
        later = [r["seq"] for r in client.applied() if r["seq"] > before["seq"]]
        assert later == [opened["seq"]], name
    after = room.api()
    assert after["seq"] == before["seq"] + 1 == opened["seq"]
    (round_,) = after["rounds"]
    assert round_["answered"] == []
    assert after["scales"] == before["scales"]


async def test_votes_in_a_locked_meeting_are_refused(room: Room) -> None:
    scale_id = overall_scale_id(room["facilitator"])
    assert (await room.op("facilitator", "round.open", scale_id=scale_id))["ok"]
    assert (await room.op("facilitator", "meeting.lock"))["ok"]
    ack = await room.op("Sam", "vote.cast", scale_id=scale_id, value=5)
    assert (ack["ok"], ack["code"]) == (False, "locked")
    ack = await room.op("facilitator", "round.reveal", scale_id=scale_id)
    assert (ack["ok"], ack["code"]) == (False, "locked")


# --- the overall scale's words and the worry threshold ---------------------------------------


async def test_the_overall_scale_words_follow_the_vocabulary(room: Room) -> None:
    state = room["display"].state
    assert state is not None
    (scale,) = state["board"]["scales"]
    assert scale["overall"] is True
    assert (scale["low_label"], scale["high_label"]) == (
        "We are sure the children will be hurt",
        "We are confident the children are safe",
    )
    assert state["board"]["meeting"]["worry_threshold"] == 2
    assert state["board"]["rounds"] == []
    assert state["my_votes"] == []
    assert state["template"]["groups"] == {
        "family": "Family",
        "network": "Network",
        "professionals": "Professionals",
    }
    ack = await room.op("facilitator", "meeting.edit", vocabulary="wellbeing", worry_threshold=3)
    assert ack["ok"]
    await room.everyone_has(ack["seq"])
    record = next(r for r in room["display"].applied() if r["seq"] == ack["seq"])
    values = {c["entity"]: c["value"] for c in record["changes"]}
    assert values["meeting"]["worry_threshold"] == 3
    assert (values["scale"]["low_label"], values["scale"]["high_label"]) == (
        "Really worried",
        "Not worried",
    )
    refused = await room.op("Sam", "meeting.edit", worry_threshold=5)
    assert (refused["ok"], refused["code"]) == (False, "forbidden")
    refused = await room.op("facilitator", "meeting.edit", worry_threshold=11)
    assert (refused["ok"], refused["code"]) == (False, "invalid")


async def test_a_wellbeing_meeting_starts_with_wellbeing_words(server: ServerProcess) -> None:
    meeting = create_meeting(server.url, "Wellbeing review", vocabulary="wellbeing")
    client = await Client.join(server.url, meeting["links"]["display"], "")
    try:
        assert client.state is not None
        (scale,) = client.state["board"]["scales"]
        assert (scale["overall"], scale["low_label"], scale["high_label"]) == (
            True,
            "Really worried",
            "Not worried",
        )
    finally:
        await client.close()


# --- two workers sharing Redis ----------------------------------------------------------------


async def two_worker_room(workers: list[ServerProcess]) -> tuple[Room, Room]:
    """The facilitator and Sam on worker A; Ava, Gran, the quiet one and the display on B."""
    first, second = workers
    meeting = create_meeting(first.url, "Meeting across two workers")
    on_a = Room(first.url, meeting, {})
    on_b = Room(second.url, meeting, {})
    await on_a.add("facilitator", "facilitator", "Priya")
    await on_a.add("Sam", "participant", "Sam", "parent")
    await on_b.add("Ava", "participant", "Ava", "child")
    await on_b.add("Gran", "participant", "Gran", "network")
    await on_b.add("quiet", "participant", "Jo from school", "professional")
    await on_b.add("display", "display", "")
    return on_a, on_b


async def test_votes_stay_secret_across_two_workers(workers: list[ServerProcess]) -> None:
    on_a, on_b = await two_worker_room(workers)
    try:
        scale_id = overall_scale_id(on_a["facilitator"])
        assert (await on_a.op("facilitator", "round.open", scale_id=scale_id))["ok"]
        sam = await on_a.op("Sam", "vote.cast", scale_id=scale_id, value=7, reason="REASON-ALPHA")
        ava = await on_b.op("Ava", "vote.cast", scale_id=scale_id, value=3, reason="REASON-BRAVO")
        gran = await on_b.op(
            "Gran", "vote.cast", scale_id=scale_id, value=9, reason="REASON-CHARLIE"
        )
        assert [a["vote"]["value"] for a in (sam, ava, gran)] == [7, 3, 9]
        await on_a.everyone_has(gran["seq"])
        await on_b.everyone_has(gran["seq"])
        await asyncio.sleep(0.2)
        for room in (on_a, on_b):
            for name in ("facilitator", "quiet", "display"):
                if name in room.clients:
                    assert_secret(received(room, name))
        assert_secret(on_b["Ava"].events)
        assert_secret(on_b.acks["Ava"], on_b["Ava"].me["id"], {"REASON-BRAVO"})
        for worker, room, name in ((workers[0], on_a, "Sam"), (workers[1], on_b, "quiet")):
            answer = httpx.get(
                f"{worker.url}/api/meetings/{room.meeting['id']}",
                headers={"Cookie": room[name].cookie},
            )
            assert_secret(answer.json())
            assert len(answer.json()["rounds"][0]["answered"]) == 3

        # Sam comes back through the other worker: their own number is there, nobody else's.
        moved = Client(
            workers[1].url,
            on_a.meeting["id"],
            on_a["Sam"].cookie,
            on_a["Sam"].me,
            origin=workers[1].url,
        )
        await moved.connect()
        on_b.clients["Sam-moved"] = moved
        assert moved.state is not None
        assert [(v["value"], v["reason"]) for v in moved.state["my_votes"]] == [(7, "REASON-ALPHA")]
        assert_secret({**moved.state, "my_votes": []})

        reveal = await on_a.op("facilitator", "round.reveal", scale_id=scale_id)
        assert reveal["ok"]
        for room in (on_a, on_b):
            await room.everyone_has(reveal["seq"])
            for client in room.clients.values():
                record = next(r for r in client.applied() if r["seq"] == reveal["seq"])
                votes = record["changes"][0]["value"]["votes"]
                assert sorted((v["value"], v["reason"]) for v in votes) == [
                    (3, "REASON-BRAVO"),
                    (7, "REASON-ALPHA"),
                    (9, "REASON-CHARLIE"),
                ]
    finally:
        await on_a.close()
        await on_b.close()


async def test_a_deleted_scales_numbers_are_gone_on_the_other_worker_too(
    workers: list[ServerProcess],
) -> None:
    on_a, on_b = await two_worker_room(workers)
    try:
        add = await on_a.op(
            "facilitator",
            "scale.add",
            question="How safe at Dad's?",
            low_label="Not safe",
            high_label="Safe",
            scale_id="s_dad",
        )
        assert add["ok"]
        assert (await on_a.op("facilitator", "round.open", scale_id="s_dad"))["ok"]
        ack = await on_b.op("Ava", "vote.cast", scale_id="s_dad", value=2, reason="REASON-BRAVO")
        assert ack["ok"]
        # Worker B has the ballot in memory; A deletes the scale, which drops it unseen.
        await on_b["Ava"].close()
        await on_b["Ava"].connect()
        assert len(on_b["Ava"].state["my_votes"]) == 1  # type: ignore[index]
        deleted = await on_a.op("facilitator", "scale.delete", scale_id="s_dad")
        assert deleted["ok"]
        await on_b.everyone_has(deleted["seq"])
        await on_b["Ava"].close()
        await on_b["Ava"].connect()  # through worker B again
        assert on_b["Ava"].state["my_votes"] == []  # type: ignore[index]
    finally:
        await on_a.close()
        await on_b.close()
