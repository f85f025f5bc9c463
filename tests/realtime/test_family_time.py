"""Private family time, end to end: real sockets and real HTTP.

While family time runs, the family's plan (each line's words) reaches the family (parent,
child, network) and nobody else: not the facilitator (a signed-in staff member), a
professional or the meeting room screen, on any channel: `state` (joining or coming back
during family time), `applied`, `sync`, presence, acks, the API, the board and display
pages, the minutes (page, Markdown, JSON, PDF), the subject-access export and the activity
log; nor a socket on a second worker with Redis. When the family share it, it is
everyone's, said by the family.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from tests.support.harness import Client, ServerProcess, create_meeting
from tests.support.live import LiveServer
from tests.support.rooms import Room, staffed_room
from tests.support.secrets import (
    Secret,
    Sent,
    as_client,
    assert_kept,
    assert_shown,
    over_http,
    received,
    synced,
)

# Every line the family write: the first words are what the plan ends up saying.
PLAN = Secret("the family's plan", ("FAMPLANEDITED", "FAMPLANAUNT", "FAMPLANFIRST", "FAMPLANGONE"))
SHARED = Secret("the family's plan as shared", ("FAMPLANEDITED", "FAMPLANAUNT"))
FIRST = Secret("the family's first line", ("FAMPLANFIRST",))
REMOVED = Secret("the line the family removed", ("FAMPLANGONE",))
FAMILY = {"Sam": "parent", "Ava": "child", "Gran": "network"}
OTHERS = ("Priya", "Jo", "screen")


def back_at(now: str, minutes: int = 30) -> str:
    return (datetime.fromisoformat(now) + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
async def meeting(live: LiveServer) -> AsyncIterator[Room]:
    async with staffed_room(live, FAMILY, kind="family_group") as room:
        await room.join("Jo", "professional")
        await room.join("screen", None)
        yield room


async def write_the_plan(room: Room) -> tuple[int, int]:
    """Family time, and the family write, change and remove lines of their plan; the seqs
    of the first and last of it."""
    started = await room.op("Priya", "family_time.start", back_at=back_at(room.now()))
    assert started["ok"], started
    for name, op_type, fields in [
        (
            "Sam",
            "family_plan.add",
            {"section": "plan_rules", "text": "FAMPLANFIRST", "item_id": "i_1"},
        ),
        (
            "Ava",
            "family_plan.add",
            {"section": "plan_helpers", "text": "FAMPLANAUNT", "item_id": "i_2"},
        ),
        (
            "Gran",
            "family_plan.add",
            {"section": "plan_working", "text": "FAMPLANGONE", "item_id": "i_3"},
        ),
        ("Gran", "family_plan.edit", {"item_id": "i_1", "text": "FAMPLANEDITED"}),
        ("Sam", "family_plan.delete", {"item_id": "i_3"}),
    ]:
        ack = await room.op(name, op_type, **fields)
        assert ack["ok"], (name, op_type, ack)
    # What a professional tries on the family's plan is refused, and tells nothing.
    for name in ("Priya", "Jo"):
        refused = await room.op(name, "family_plan.share")
        assert (refused["ok"], refused["code"]) == (False, "forbidden"), refused
        refused = await room.op(name, "family_plan.edit", item_id="i_2", text="x")
        assert (refused["ok"], refused["code"]) == (False, "forbidden"), refused
    await room.everyone_has(ack["seq"])
    await asyncio.sleep(0.2)  # and give anything that should not arrive a chance to
    return started["seq"], ack["seq"]


async def everything_sent(room: Room, name: str) -> Sent:
    client = room.people[name]
    sent = received(client, room.acks.get(name, []))
    sent |= await synced(client)
    sent |= over_http(as_client(room.live.url, client.cookie), room.id, minutes=[1])
    return sent


async def test_the_family_plan_reaches_the_family_and_nobody_else(meeting: Room) -> None:
    room = meeting
    first, last = await write_the_plan(room)
    # Minutes taken during family time hold none of it, for anyone.
    taken = await room.op("Priya", "minutes.take", label="During family time")
    assert taken["ok"], taken
    await room.everyone_has(taken["seq"])

    # Someone joining during family time, and everyone coming back.
    await room.join("Kim", "professional")
    await room.join("Rose", "network")
    for name in (*OTHERS, *FAMILY):
        await room.people[name].close()
        await room.people[name].connect()

    for name in (*OTHERS, "Kim"):
        sent = await everything_sent(room, name)
        assert_kept(PLAN, sent, name)
        if name in OTHERS:
            # Every seq reached them all the same: a gap would have their screens ask again.
            seqs = {r["seq"] for r in room.people[name].applied()}
            assert set(range(first, last + 1)) <= seqs, name
    for name in (*FAMILY, "Rose"):
        sent = await everything_sent(room, name)
        assert_shown(SHARED, sent, name, ["socket state", "sync from 0", "api board"])
        assert_kept(REMOVED, {"state": room.people[name].state}, name)
        assert_kept(PLAN, {k: v for k, v in sent.items() if k.startswith("minutes")}, name)
    for name in FAMILY:
        assert_shown(PLAN, received(room.people[name]), name, ["socket applied"])

    # The signed-in staff member and the integration key read as a facilitator: not the
    # plan either, in the API, the pages, the minutes, each family member's subject-access
    # export or the activity log.
    for who, get in (("staff", room.staff.http.get), ("key", room.key)):
        staff: Sent = over_http(get, room.id, minutes=[1])
        for name in FAMILY:
            pid = room.people[name].me["id"]
            export = get(f"/api/meetings/{room.id}/participants/{pid}/export")
            assert export.status_code == 200, export.text
            staff[f"export {name}"] = export.text
        staff["activity"] = get(f"/m/{room.id}/activity.csv").text
        assert "family_plan.add" in staff["activity"]
        assert_kept(PLAN, staff, who)


async def test_sharing_brings_the_plan_to_everyone_said_by_the_family(meeting: Room) -> None:
    room = meeting
    await write_the_plan(room)
    shared = await room.op("Ava", "family_plan.share")
    assert shared["ok"], shared
    await room.everyone_has(shared["seq"])
    sam, ava = room.people["Sam"].me["id"], room.people["Ava"].me["id"]
    for name in (*FAMILY, *OTHERS):
        record = next(r for r in room.people[name].applied() if r["seq"] == shared["seq"])
        cards = [c["value"] for c in record["changes"] if c["entity"] == "card"]
        assert sorted(
            (c["section"], c["text"], c["author"], c["attributed_to"]) for c in cards
        ) == [
            ("plan_helpers", "FAMPLANAUNT", ava, "the family"),
            ("plan_rules", "FAMPLANEDITED", sam, "the family"),
        ], name
        (time,) = [c["value"] for c in record["changes"] if c["entity"] == "family_time"]
        assert (time["ended"], time["ended_by"]) == ("shared", ava)
        (stage,) = [c["value"]["stage"] for c in record["changes"] if c["entity"] == "meeting"]
        assert stage == "agreeing"
        # The line the family removed was never shared.
        assert_kept(REMOVED, {"applied": record}, name)


async def test_refusals_change_and_broadcast_nothing(meeting: Room) -> None:
    room = meeting
    _, last = await write_the_plan(room)
    before = room.key(f"/api/meetings/{room.id}").json()
    cases = [
        (
            "Priya",
            {"type": "family_time.start", "back_at": back_at(room.now())},
            "family_time_running",
        ),
        ("Priya", {"type": "meeting.stage", "stage": "review"}, "family_time_running"),
        ("Jo", {"type": "family_plan.add", "section": "plan_rules", "text": "x"}, "forbidden"),
        ("screen", {"type": "family_plan.share"}, "forbidden"),
        ("Sam", {"type": "family_time.force_end"}, "forbidden"),
        ("Sam", {"type": "family_time.answer", "ready": True}, "invalid"),
    ]
    for n, (name, op, code) in enumerate(cases):
        ack = await room.people[name].send({"id": f"o_refused_{n}", **op})
        assert (ack["ok"], ack.get("code")) == (False, code), (name, op, ack)
        assert ack["message"]
    forced = await room.op("Priya", "family_time.force_end")
    assert forced["ok"]
    after_end = [
        ("Priya", {"type": "family_time.force_end"}, "family_time_not_running"),
        (
            "Sam",
            {"type": "family_plan.add", "section": "plan_rules", "text": "x"},
            "family_time_not_running",
        ),
        ("Priya", {"type": "family_time.start", "back_at": back_at(room.now(), -5)}, "invalid"),
        (
            "Priya",
            {"type": "family_time.start", "back_at": back_at(room.now(), 60 * 24)},
            "invalid",
        ),
    ]
    for n, (name, op, code) in enumerate(after_end):
        ack = await room.people[name].send({"id": f"o_refused_late_{n}", **op})
        assert (ack["ok"], ack.get("code")) == (False, code), (name, op, ack)
    await asyncio.sleep(0.3)
    after = room.key(f"/api/meetings/{room.id}").json()
    assert before["seq"] == last
    assert after["seq"] == last + 1 == forced["seq"]
    # The forced end is in the activity log, by the facilitator.
    activity = room.key(f"/m/{room.id}/activity.csv").text
    (line,) = [row for row in activity.splitlines() if "family_time.force_end" in row]
    assert room.people["Priya"].me["id"] in line


async def test_a_meeting_of_another_kind_has_no_family_time(server: ServerProcess) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava")
    facilitator = await Client.join(server.url, meeting["links"]["facilitator"], "Priya")
    try:
        assert facilitator.state is not None
        assert facilitator.state["board"]["meeting"]["stage"] is None
        ack = await facilitator.op("family_time.start", back_at=back_at(facilitator.state["now"]))
        assert (ack["ok"], ack["code"]) == (False, "invalid")
        assert ack["message"] == "Family time is part of family group meetings only."
    finally:
        await facilitator.close()


async def test_the_family_plan_stays_with_the_family_across_two_workers(
    workers: list[ServerProcess],
) -> None:
    """Sockets on the second worker get exactly what their person may see."""
    first, second = workers
    meeting = create_meeting(first.url, "Family group meeting for Ava", kind="family_group")
    links = meeting["links"]
    people = {
        "Priya": await Client.join(first.url, links["facilitator"], "Priya"),
        "Sam": await Client.join(first.url, links["participant"], "Sam", "parent"),
        "Dev": await Client.join(second.url, links["participant"], "Dev", "professional"),
        "Grandad": await Client.join(second.url, links["participant"], "Grandad", "network"),
    }
    try:
        assert people["Priya"].state is not None
        start = back_at(people["Priya"].state["now"])
        assert (await people["Priya"].op("family_time.start", back_at=start))["ok"]
        ack = await people["Sam"].op("family_plan.add", section="plan_rules", text="FAMPLANFIRST")
        assert ack["ok"], ack
        for client in people.values():
            await client.wait_for(lambda c=client: any(r["seq"] == ack["seq"] for r in c.applied()))
        await asyncio.sleep(0.2)
        assert_shown(FIRST, received(people["Grandad"]), "Grandad", ["socket applied"])
        assert_kept(PLAN, received(people["Dev"]), "Dev")
        # Coming back through the second worker, and its API, keep it so.
        await people["Dev"].close()
        await people["Dev"].connect()
        sent = received(people["Dev"]) | await synced(people["Dev"])
        sent |= over_http(as_client(second.url, people["Dev"].cookie), meeting["id"])
        assert_kept(PLAN, sent, "Dev")
        await people["Grandad"].close()
        await people["Grandad"].connect()
        assert_shown(FIRST, received(people["Grandad"]), "Grandad", ["socket state"])
    finally:
        for client in people.values():
            await client.close()
