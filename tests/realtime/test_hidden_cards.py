"""Hidden cards, end to end: a card hidden from Sam, and one for professionals only, never
reach the people they are kept from, on any channel: `state`, `applied`, `sync`, presence,
acks, the API, the board and display pages, the minutes (page, Markdown, JSON, PDF), "Our
plan" and the subject-access export; for every role, including someone who joins, comes
back or syncs while the secret exists. Changing the marking sends an add or a removal to
exactly those whose view changes.

A live server in this process with a signed-in staff member as the facilitator.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.harness import Client
from tests.support.live import LiveServer
from tests.support.rooms import Room, staffed_room
from tests.support.secrets import (
    Secret,
    as_client,
    assert_kept,
    assert_shown,
    editing,
    over_http,
    received,
    status_of,
    synced,
)

HIDDEN = Secret("the card hidden from Sam", ("ELMROAD7Q", "c_elmroad"))
PROS = Secret("the card for professionals only", ("PROSONLY3K", "c_pros3k"))
# Who is in the room, by name: (role, link)
FAMILY = {"Sam": "parent", "Ava": "child", "Gran": "network"}


@pytest.fixture
async def meeting(live: LiveServer) -> AsyncIterator[Room]:
    async with staffed_room(live, FAMILY) as room:
        await room.join("Jo", "professional")
        confirmed = await room.op("Priya", "participant.confirm", participant_id=room.pid("Jo"))
        assert confirmed["ok"], confirmed
        # Lee only says they are a worker: nothing for professionals reaches them.
        await room.join("Lee", "professional")
        await room.join("screen", None)
        yield room


async def keep_secrets(room: Room) -> None:
    """Priya writes both secrets, and everyone who may works with them."""
    sam = room.pid("Sam")
    ack = await room.op(
        "Priya",
        "card.add",
        section="plan_rules",
        text="Mum and Ava live at ELMROAD7Q now",
        card_id="c_elmroad",
        audience={"kind": "hidden_from", "people": [sam]},
    )
    assert ack["ok"], ack
    ack = await room.op(
        "Priya",
        "card.add",
        section="harm",
        text="PROSONLY3K: the police check came back",
        card_id="c_pros3k",
        audience={"kind": "professionals"},
    )
    assert ack["ok"], ack
    for name, op_type, fields in [
        ("Priya", "card.edit", {"card_id": "c_elmroad", "text": "They live at ELMROAD7Q"}),
        ("Gran", "card.react", {"card_id": "c_elmroad", "stance": "agree"}),
        ("Ava", "card.move", {"card_id": "c_elmroad", "section": "plan_rules", "after": None}),
        ("Jo", "card.react", {"card_id": "c_pros3k", "stance": "agree"}),
        ("Priya", "card.delete", {"card_id": "c_pros3k"}),
        ("Priya", "card.restore", {"card_id": "c_pros3k"}),
    ]:
        ack = await room.op(name, op_type, **fields)
        assert ack["ok"], (name, op_type, ack)
    # Those it is kept from cannot reach it by its id: to them it is not there.
    for name, card_id in [("Sam", "c_elmroad"), ("Sam", "c_pros3k"), ("Gran", "c_pros3k")]:
        ack = await room.op(name, "card.react", card_id=card_id, stance="agree")
        assert (ack["ok"], ack["code"]) == (False, "not_found"), ack
    # Someone editing a secret card is said to be only to those who may see it.
    await room.people["Priya"].sio.call("editing", {"card_id": "c_elmroad"}, timeout=10)
    await room.people["Jo"].sio.call("editing", {"card_id": "c_pros3k"}, timeout=10)
    gran, priya = room.people["Gran"], room.people["Priya"]
    await gran.wait_for(lambda: editing(gran, room.pid("Priya")) == "c_elmroad")
    await priya.wait_for(lambda: editing(priya, room.pid("Jo")) == "c_pros3k")
    last = await room.op("Priya", "card.add", section="strengths", text="Ava reads every day")
    await room.everyone_has(last["seq"])


async def test_hidden_cards_reach_nobody_they_are_kept_from_on_any_channel(
    meeting: Room,
) -> None:
    room = meeting
    await keep_secrets(room)
    # Someone joins, Sam joins again from his browser, and two come back, while the
    # secrets exist.
    await room.join("Kim", "parent")
    links = room.live.run(room.live.services.links.urls, room.id)
    again = await Client.join(
        room.live.url, links["participant"], "Sam", "parent", cookie=room.people["Sam"].cookie
    )
    room.people["Sam again"] = again
    for name in ("Sam", "screen"):
        await room.people[name].close()
        await room.people[name].connect()
    await asyncio.sleep(0.3)  # anything that should not arrive has its chance to

    # Minutes, agreed, so that "Our plan" shows them.
    taken = await room.op("Priya", "minutes.take")
    assert taken["ok"], taken
    assert (await room.op("Priya", "minutes.agree", minutes=1))["ok"]

    sent: dict[str, dict[str, Any]] = {}
    for name, client in room.people.items():
        family = name in {*FAMILY, "Kim", "Sam again"}
        get = room.staff.http.get if name == "Priya" else as_client(room.live.url, client.cookie)
        sent[name] = {
            **received(client, room.acks.get(name, [])),
            **await synced(client),
            **over_http(get, room.id, minutes=[1], plan=family),
        }
    for name in ("Sam", "Ava", "Gran", "Kim"):
        assert status_of(sent[name], "our plan") == 200, name
        assert status_of(sent[name], "minutes 1 pdf") == 200, name

    # Sam and the room screen get neither; the rest of the family not the professionals'.
    for name in ("Sam", "Sam again", "screen"):
        assert_kept(HIDDEN, sent[name], name)
        assert_kept(PROS, sent[name], name)
    everywhere = ["sync from 0", "api board", "minutes 1", "minutes 1 md", "minutes 1 json"]
    everywhere += ["minutes 1 pdf", "our plan"]
    assert_kept(PROS, sent["Lee"], "Lee")
    assert_shown(HIDDEN, sent["Lee"], "Lee", ["socket applied", "api board", "minutes 1 pdf"])
    for name in ("Ava", "Gran", "Kim"):
        assert_kept(PROS, sent[name], name)
        # Kim came in after it was written: her `state` has it, the others' `applied`.
        first = "socket state" if name == "Kim" else "socket applied"
        assert_shown(HIDDEN, sent[name], name, [first, *everywhere])
    for name in ("Jo", "Priya"):
        for secret in (HIDDEN, PROS):
            assert_shown(secret, sent[name], name, ["socket applied", "api board", "minutes 1"])
    # Those who see a secret card see its marking; staff minutes show it too.
    assert "Hidden from Sam" in sent["Priya"]["minutes 1"]
    assert "For professionals only" in sent["Priya"]["minutes 1 md"]
    assert "Hidden from Sam" in sent["Gran"]["minutes 1"]
    state_cards = {c["id"]: c for c in json.loads(sent["Jo"]["api board"])["cards"]}
    assert state_cards["c_elmroad"]["audience"] == {
        "kind": "hidden_from",
        "people": [room.pid("Sam")],
    }
    assert state_cards["c_pros3k"]["audience"] == {"kind": "professionals", "people": []}

    # Nobody's seq has a gap: everyone was sent every seq, secret or not.
    for name, client in room.people.items():
        seqs = [r["seq"] for r in client.applied()]
        assert seqs == sorted(set(seqs)) and seqs == list(range(seqs[0], seqs[-1] + 1)), name

    # The subject-access export of each person's data leaves out what is kept from them.
    def export(name: str) -> Any:
        return room.export(name).json()

    assert_kept(HIDDEN, {"export": export("Sam")}, "Sam")
    assert_kept(PROS, {"export": export("Gran")}, "Gran")
    gran = export("Gran")
    assert [s["card_id"] for s in gran["agree_or_disagree"]] == ["c_elmroad"]
    assert [s["card_id"] for s in export("Jo")["agree_or_disagree"]] == ["c_pros3k"]


async def test_changing_the_marking_sends_an_add_or_a_removal_to_exactly_those_it_changes_for(
    meeting: Room,
) -> None:
    room = meeting
    sam = room.pid("Sam")
    added = await room.op("Priya", "card.add", section="harm", text="LATER9Z", card_id="c_later")
    await room.everyone_has(added["seq"])
    steps: list[tuple[dict[str, Any], dict[str, str | None]]] = [
        # marking, then each person's change: "value", "deleted", or None for nothing
        (
            {"kind": "hidden_from", "people": [sam]},
            {"Sam": "deleted", "screen": "deleted", "Ava": "value", "Gran": "value"},
        ),
        (
            {"kind": "professionals"},
            {"Sam": None, "screen": None, "Ava": "deleted", "Gran": "deleted"},
        ),
        (
            {"kind": "everyone"},
            {"Sam": "value", "screen": "value", "Ava": "value", "Gran": "value"},
        ),
    ]
    for audience, expected in steps:
        ack = await room.op("Priya", "card.audience", card_id="c_later", audience=audience)
        assert ack["ok"], ack
        await room.everyone_has(ack["seq"])
        for name, what in {**expected, "Jo": "value", "Priya": "value"}.items():
            changes = room.record(name, ack["seq"])["changes"]
            if what is None:
                assert changes == [], name
                continue
            (change,) = changes
            assert (change["entity"], change["id"], what in change) == ("card", "c_later", True)
            assert "was" not in change, name
            if what == "value":
                marked = change["value"].get("audience", {"kind": "everyone"})
                assert marked["kind"] == audience["kind"], name

    # Refusals change nothing and send nothing.
    before = room.live.run(room.live.services.boards.load, room.id)
    for name, fields, code in [
        ("Gran", {"card_id": "c_later", "audience": {"kind": "professionals"}}, "forbidden"),
        ("Jo", {"card_id": "c_later", "audience": {"kind": "professionals"}}, "forbidden"),
        (
            "Priya",
            {"card_id": "c_later", "audience": {"kind": "hidden_from", "people": ["p_nobody"]}},
            "invalid",
        ),
        ("Priya", {"card_id": "c_gone", "audience": {"kind": "professionals"}}, "not_found"),
    ]:
        ack = await room.op(name, "card.audience", **fields)
        assert (ack["ok"], ack["code"]) == (False, code), ack
        assert ack["message"]
    assert room.live.run(room.live.services.boards.load, room.id) == before
