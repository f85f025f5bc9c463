"""Realtime, end to end: a real server process on a free port and real Socket.IO clients."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio

from tests.support.harness import Client, ServerProcess, create_meeting


def cards_of(client: Client) -> dict[str, dict[str, Any]]:
    """The client's view of the board: its state plus every applied change, applied in order."""
    assert client.state is not None
    cards = {card["id"]: card for card in client.state["board"]["cards"]}
    for record in sorted(client.applied(), key=lambda r: r["seq"]):
        if record["seq"] <= client.state["seq"]:
            continue
        for change in record["changes"]:
            if change["entity"] != "card":
                continue
            if change.get("deleted"):
                cards.pop(change["id"], None)
            else:
                cards[change["id"]] = change["value"]
    return cards


async def settle() -> None:
    """Give broadcasts that should NOT arrive a fair chance to arrive."""
    await asyncio.sleep(0.3)


async def test_state_on_connect_names_me_and_the_template(room: dict[str, Any]) -> None:
    state = room["parent"].state
    assert state["me"]["name"] == "Sam" and state["me"]["role"] == "parent"
    assert state["board"]["meeting"]["title"] == "Family meeting for Ava"
    assert {p["name"] for p in state["board"]["participants"]} >= {"Priya", "Sam"}
    sections = [s["key"] for c in state["template"]["columns"] for s in c["sections"]]
    assert sections == [
        "harm",
        "danger",
        "complicating",
        "strengths",
        "safety",
        "goals",
        "next_steps",
        "bottom_lines",
        "plan_rules",
        "plan_helpers",
        "plan_warning_signs",
        "plan_difficult",
        "plan_working",
    ]
    assert room["display"].state["me"]["role"] == "viewer"


async def test_an_added_card_reaches_everyone_after_the_ack(room: dict[str, Any]) -> None:
    parent: Client = room["parent"]
    ack = await parent.op(
        "card.add", section="strengths", text="  Gran walks them to school  ", attributed_to="Gran"
    )
    assert ack["ok"] is True
    for name in ("facilitator", "parent", "gran", "display"):
        client: Client = room[name]
        await client.wait_for(lambda c=client: any(r["seq"] == ack["seq"] for r in c.applied()))
        record = next(r for r in client.applied() if r["seq"] == ack["seq"])
        assert record["by"] == parent.me["id"]
        (change,) = record["changes"]
        assert change["entity"] == "card"
        assert change["value"]["text"] == "Gran walks them to school"
        assert change["value"]["attributed_to"] == "Gran"
        assert change["value"]["author"] == parent.me["id"]


async def test_edit_move_react_delete_restore_broadcast_in_seq_order(room: dict[str, Any]) -> None:
    parent: Client = room["parent"]
    gran: Client = room["gran"]
    first = await parent.op("card.add", section="harm", text="Leo was hurt", card_id="c_first")
    second = await parent.op("card.add", section="harm", text="Ava missed school", after="c_first")
    assert second["seq"] == first["seq"] + 1
    assert (await parent.op("card.edit", card_id="c_first", text="Leo had a bruise"))["ok"]
    assert (await gran.op("card.move", card_id="c_first", section="danger", after=None))["ok"]
    assert (await gran.op("card.react", card_id="c_first", stance="agree"))["ok"]
    assert (await parent.op("card.delete", card_id="c_first"))["ok"]
    last = await parent.op("card.restore", card_id="c_first")
    assert last["ok"]
    facilitator: Client = room["facilitator"]
    await facilitator.wait_for(lambda: any(r["seq"] == last["seq"] for r in facilitator.applied()))
    seqs = [r["seq"] for r in facilitator.applied("card")]
    assert seqs == sorted(seqs)
    card = cards_of(facilitator)["c_first"]
    assert card["text"] == "Leo had a bruise"
    assert card["section"] == "danger"
    assert card["stances"] == {gran.me["id"]: "agree"}


@pytest.mark.parametrize(
    ("who", "op", "code"),
    [
        ("parent", {"type": "card.add", "section": "harm", "text": "   "}, "invalid"),
        ("parent", {"type": "card.add", "section": "attic", "text": "x"}, "invalid"),
        ("parent", {"type": "card.fly", "card_id": "c_x"}, "invalid"),
        ("parent", {"type": "card.add", "section": "harm", "text": "x" * 2001}, "too_long"),
        ("parent", {"type": "card.edit", "card_id": "c_nowhere", "text": "x"}, "not_found"),
        ("display", {"type": "card.add", "section": "harm", "text": "hello"}, "forbidden"),
        ("display", {"type": "card.react", "card_id": "c_seed", "stance": "agree"}, "forbidden"),
        ("gran", {"type": "card.edit", "card_id": "c_seed", "text": "changed"}, "forbidden"),
        ("gran", {"type": "card.delete", "card_id": "c_seed"}, "forbidden"),
        ("parent", {"type": "meeting.lock"}, "forbidden"),
        ("parent", {"type": "meeting.edit", "title": "Mine now"}, "forbidden"),
    ],
)
async def test_a_refused_op_changes_and_broadcasts_nothing(
    room: dict[str, Any], who: str, op: dict[str, Any], code: str
) -> None:
    seed = await room["parent"].op("card.add", section="harm", text="Seed", card_id="c_seed")
    assert seed["ok"]
    facilitator: Client = room["facilitator"]
    await facilitator.wait_for(lambda: len(facilitator.applied("card")) == 1)
    ack = await room[who].send({"id": "o_refused", **op})
    assert ack["ok"] is False
    assert ack["code"] == code
    assert isinstance(ack["message"], str) and ack["message"]
    await settle()
    assert len(facilitator.applied("card")) == 1
    answer = httpx.get(
        f"{room['server'].url}/api/meetings/{room['meeting']['id']}",
        headers={"Cookie": facilitator.cookie},
    ).json()
    assert answer["seq"] == seed["seq"]
    assert [card["text"] for card in answer["cards"]] == ["Seed"]


async def test_a_locked_meeting_refuses_every_edit_but_unlock(room: dict[str, Any]) -> None:
    facilitator: Client = room["facilitator"]
    parent: Client = room["parent"]
    assert (await parent.op("card.add", section="goals", text="Safe at home", card_id="c_goal"))[
        "ok"
    ]
    assert (await facilitator.op("meeting.lock"))["ok"]
    for op in (
        {"type": "card.add", "section": "goals", "text": "More"},
        {"type": "card.edit", "card_id": "c_goal", "text": "Changed"},
        {"type": "card.move", "card_id": "c_goal", "section": "harm", "after": None},
        {"type": "card.react", "card_id": "c_goal", "stance": "agree"},
        {"type": "card.delete", "card_id": "c_goal"},
    ):
        ack = await parent.send({"id": f"o_locked_{op['type'].replace('.', '_')}", **op})
        assert (ack["ok"], ack.get("code")) == (False, "locked"), op
    assert (await facilitator.op("meeting.edit", title="New title"))["code"] == "locked"
    assert (await room["display"].op("meeting.unlock"))["code"] == "forbidden"
    assert (await facilitator.op("meeting.unlock"))["ok"]
    assert (await parent.op("card.add", section="goals", text="More"))["ok"]


async def test_a_resent_op_id_is_applied_once_and_answered_with_its_first_result(
    room: dict[str, Any],
) -> None:
    parent: Client = room["parent"]
    first = await parent.op("card.add", op_id="o_same", section="safety", text="Mum calls Gran")
    again = await parent.op("card.add", op_id="o_same", section="safety", text="Mum calls Gran")
    assert first == {"ok": True, "seq": first["seq"]}
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    # The same id from someone else is their own op.
    other = await room["gran"].op("card.add", op_id="o_same", section="safety", text="I visit")
    assert other["ok"] and other["seq"] == first["seq"] + 1
    facilitator: Client = room["facilitator"]
    await facilitator.wait_for(lambda: len(facilitator.applied("card")) == 2)
    await settle()
    assert [r["seq"] for r in facilitator.applied("card")] == [first["seq"], other["seq"]]
    texts = sorted(card["text"] for card in cards_of(facilitator).values())
    assert texts == ["I visit", "Mum calls Gran"]


async def test_sync_returns_the_ops_a_client_missed(room: dict[str, Any]) -> None:
    gran: Client = room["gran"]
    parent: Client = room["parent"]
    await settle()
    seen = max([gran.state["seq"], *(r["seq"] for r in gran.applied())])
    await gran.close()
    acks = [await parent.op("card.add", section="goals", text=f"Step {n}") for n in range(3)]
    await gran.connect()
    answer = await gran.sio.call("sync", {"since": seen}, timeout=10)
    assert answer["ok"] is True
    assert answer["seq"] == acks[-1]["seq"]
    assert [r["seq"] for r in answer["changes"]] == [a["seq"] for a in acks]
    assert [r["changes"][0]["value"]["text"] for r in answer["changes"]] == [
        "Step 0",
        "Step 1",
        "Step 2",
    ]
    assert (await gran.sio.call("sync", {"since": acks[-1]["seq"]}))["changes"] == []
    refused = await gran.sio.call("sync", {"since": "yesterday"})
    assert (refused["ok"], refused["code"]) == (False, "invalid")


async def test_presence_shows_who_is_here_and_who_is_editing(room: dict[str, Any]) -> None:
    parent: Client = room["parent"]
    facilitator: Client = room["facilitator"]
    await parent.op("card.add", section="harm", text="Worry", card_id="c_worry")
    await parent.sio.emit("editing", {"card_id": "c_worry"})

    def editing_seen() -> bool:
        for event, data in reversed(facilitator.events):
            if event == "presence":
                return {"participant_id": parent.me["id"], "editing": "c_worry"} in data["online"]
        return False

    await facilitator.wait_for(editing_seen)
    latest = [d for e, d in facilitator.events if e == "presence"][-1]
    online = {entry["participant_id"] for entry in latest["online"]}
    assert online == {room[n].me["id"] for n in ("facilitator", "parent", "gran", "display")}
    await parent.close()

    def parent_gone() -> bool:
        presence = [d for e, d in facilitator.events if e == "presence"]
        return parent.me["id"] not in {p["participant_id"] for p in presence[-1]["online"]}

    await facilitator.wait_for(parent_gone)


async def test_the_rate_limit_refuses_a_flood_and_commits_what_it_accepted(
    room: dict[str, Any],
) -> None:
    gran: Client = room["gran"]
    acks = await asyncio.gather(
        *(gran.op("card.add", section="strengths", text=f"Card {n}") for n in range(30))
    )
    accepted = [a for a in acks if a["ok"]]
    refused = [a for a in acks if not a["ok"]]
    assert 20 <= len(accepted) < 30
    assert {a["code"] for a in refused} == {"rate_limited"}
    facilitator: Client = room["facilitator"]
    await facilitator.wait_for(lambda: len(facilitator.applied("card")) == len(accepted))
    assert len(cards_of(facilitator)) == len(accepted)


async def test_the_501st_card_is_refused_too_many(server: ServerProcess) -> None:
    meeting = create_meeting(server.url, "A full board")
    writers = [
        await Client.join(server.url, meeting["links"]["participant"], f"Helper {n}", "network")
        for n in range(25)
    ]
    try:
        acks = await asyncio.gather(
            *(
                writer.op("card.add", section="strengths", text=f"{n}-{i}")
                for n, writer in enumerate(writers)
                for i in range(20)
            )
        )
        assert all(ack["ok"] for ack in acks)
        await asyncio.sleep(0.5)  # let the rate-limit buckets refill a little
        ack = await writers[0].op("card.add", section="strengths", text="One more")
        assert (ack["ok"], ack["code"]) == (False, "too_many")
    finally:
        for writer in writers:
            await writer.close()


@pytest.mark.parametrize(
    ("origin", "cookie", "reason"),
    [
        ("http://evil.example", True, "origin_not_allowed"),
        (None, False, "no_session"),
        (None, "kb_{meeting}=not-a-real-session", "session_invalid"),
    ],
)
async def test_a_connection_is_refused_with_a_clear_reason(
    room: dict[str, Any], origin: str | None, cookie: Any, reason: str
) -> None:
    parent: Client = room["parent"]
    headers = {"Origin": origin or parent.origin}
    if cookie is True:
        headers["Cookie"] = parent.cookie
    elif cookie:
        headers["Cookie"] = cookie.format(meeting=parent.meeting_id)
    client = socketio.AsyncClient(reconnection=False)
    reasons: list[Any] = []
    client.on("connect_error", reasons.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(
            parent.base_url,
            headers=headers,
            auth={"meeting_id": parent.meeting_id},
            transports=["websocket"],
            wait_timeout=5,
        )
    assert reasons == [{"message": reason}] or reasons == [reason]


async def test_a_session_of_one_meeting_does_not_open_another(room: dict[str, Any]) -> None:
    other = create_meeting(room["server"].url, "Another family")
    parent: Client = room["parent"]
    client = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(
            parent.base_url,
            headers={"Origin": parent.origin, "Cookie": parent.cookie},
            auth={"meeting_id": other["id"]},
            transports=["websocket"],
            wait_timeout=5,
        )


async def test_messages_over_64_kib_are_refused_by_the_transport(room: dict[str, Any]) -> None:
    parent: Client = room["parent"]
    with pytest.raises((socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError)):
        await parent.sio.call(
            "op",
            {"id": "o_big", "type": "card.add", "section": "harm", "text": "x" * 70_000},
            timeout=3,
        )
    await settle()
    facilitator: Client = room["facilitator"]
    assert facilitator.applied("card") == []


def test_data_dir_holds_the_store(server: ServerProcess) -> None:
    assert (Path(server.data_dir) / "kinboard.sqlite3").exists()
