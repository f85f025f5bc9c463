"""A child's items not shared with everyone, end to end: Ava's "nobody yet" item reaches
nobody but Ava, and her "only my worker" item nobody but Ava and the facilitator, on any
channel: `state`, `applied`, `private_items`, `sync`, presence, acks, the API, the board and
display pages, the minutes (page, Markdown, JSON, PDF), "Our plan" and the subject-access
export; for every role, including someone who joins, comes back or syncs while the secret
exists; and with Redis, through a socket on a second worker.

A live server in this process with a signed-in staff member as the facilitator.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.harness import Client, ServerProcess, create_meeting
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

NOBODY = Secret("Ava's item for nobody yet", ("NOBODYSEC1", "i_nobody1"))
WORKER = Secret("Ava's item for her worker", ("WORKERSEC2", "i_worker2"))
TAKEN_BACK = Secret("Ava's item she took back", ("TAKENBACK3", "i_back3"))
SHARED = Secret("Ava's item shared with everyone", ("SHAREDOK4",))
FAMILY = {"Sam": "parent", "Ava": "child", "Mia": "child", "Gran": "network"}


@pytest.fixture
async def meeting(live: LiveServer) -> AsyncIterator[Room]:
    async with staffed_room(live, FAMILY) as room:
        await room.join("Jo", "professional")
        await room.join("screen", None)
        yield room


async def keep_secrets(room: Room) -> None:
    """Ava fills her houses and changes her mind; others try to reach what is hers."""
    for item_id, words, sharing in [
        ("i_nobody1", "NOBODYSEC1 first words", "nobody"),
        ("i_worker2", "WORKERSEC2 for Priya", "worker"),
        ("i_back3", "TAKENBACK3 I said too much", "everyone"),
        ("i_all4", "SHAREDOK4 I like my school", "everyone"),
    ]:
        ack = await room.op(
            "Ava", "house.add", item_id=item_id, house="worries", words=words, sharing=sharing
        )
        assert ack["ok"], ack
    for op_type, fields in [
        ("house.edit", {"item_id": "i_nobody1", "words": "NOBODYSEC1 my dream", "house": "dreams"}),
        ("house.share", {"item_id": "i_back3", "sharing": "nobody"}),
        ("house.edit", {"item_id": "i_worker2", "house": "good_things"}),
    ]:
        ack = await room.op("Ava", op_type, **fields)
        assert ack["ok"], (op_type, ack)
    assert (await room.op("Priya", "child.age", participant_id=room.pid("Ava"), age=9))["ok"]
    assert (await room.op("Priya", "house.place", item_id="i_all4", section="strengths"))["ok"]
    # Reaching for them by id: to anyone else they are not there.
    for name, op_type, fields, code in [
        ("Mia", "house.edit", {"item_id": "i_nobody1", "words": "mine"}, "not_found"),
        ("Mia", "house.share", {"item_id": "i_worker2", "sharing": "everyone"}, "not_found"),
        ("Mia", "house.remove", {"item_id": "i_back3"}, "not_found"),
        ("Priya", "house.place", {"item_id": "i_worker2", "section": "harm"}, "not_found"),
        ("Priya", "house.place", {"item_id": "i_nobody1", "section": "harm"}, "not_found"),
        ("Sam", "house.share", {"item_id": "i_nobody1", "sharing": "everyone"}, "forbidden"),
    ]:
        ack = await room.op(name, op_type, **fields)
        assert (ack["ok"], ack["code"]) == (False, code), (name, op_type, ack)
    last = await room.op("Priya", "card.add", section="strengths", text="Ava reads every day")
    await room.everyone_has(last["seq"])


async def test_unshared_items_reach_nobody_they_are_kept_from_on_any_channel(
    meeting: Room,
) -> None:
    room = meeting
    await keep_secrets(room)
    # Someone joins, and three come back, while the secrets exist.
    await room.join("Kim", "parent")
    for name in ("Sam", "screen", "Priya"):
        await room.people[name].close()
        await room.people[name].connect()
    await asyncio.sleep(0.3)  # anything that should not arrive has its chance to

    taken = await room.op("Priya", "minutes.take")
    assert taken["ok"], taken
    assert (await room.op("Priya", "minutes.agree", minutes=1))["ok"]
    # The houses stay as they are now: Ava's change of mind is refused, and changes nothing.
    late = await room.op("Ava", "house.share", item_id="i_nobody1", sharing="everyone")
    assert (late["ok"], late["code"]) == (False, "minutes_taken"), late

    sent: dict[str, dict[str, Any]] = {}
    for name, client in room.people.items():
        family = name in {*FAMILY, "Kim"}
        get = room.staff.http.get if name == "Priya" else as_client(room.live.url, client.cookie)
        sent[name] = {
            **received(client, room.acks.get(name, [])),
            **await synced(client),
            **over_http(get, room.id, minutes=[1], plan=family),
        }
    for name in ("Sam", "Ava", "Gran", "Kim"):
        assert status_of(sent[name], "minutes 1 pdf") == 200, name

    for name in sent:
        if name != "Ava":
            assert_kept(NOBODY, sent[name], name)
        if name not in ("Ava", "Priya"):
            assert_kept(WORKER, sent[name], name)
    # Ava sees all her own, through the channel that is hers, and after a sync.
    for secret in (NOBODY, WORKER, TAKEN_BACK):
        assert_shown(secret, sent["Ava"], "Ava", ["socket private_items", "sync from 0"])
    assert_shown(WORKER, sent["Priya"], "Priya", ["socket private_items", "sync from 0"])
    # Kim came after Ava took it back: nothing of it reaches her. Nobody's board, API or
    # minutes has it now (those who were there when it was shared saw it then, and a
    # replay of the log from then shows it coming and going).
    assert_kept(TAKEN_BACK, sent["Kim"], "Kim")
    for name, person in sent.items():
        if name == "Ava":
            continue
        board_now = {k: person[k] for k in ("api board", "minutes 1", "minutes 1 md")}
        board_now |= {k: person[k] for k in ("minutes 1 json", "minutes 1 pdf", "board page")}
        assert_kept(TAKEN_BACK, board_now, name)
    # What Ava shared with everyone is on every channel, the minutes included.
    everywhere = ["api board", "minutes 1", "minutes 1 md", "minutes 1 json", "minutes 1 pdf"]
    for name in ("Sam", "Gran", "Mia", "Jo", "Priya"):
        assert_shown(SHARED, sent[name], name, ["socket applied", *everywhere])
    assert_shown(SHARED, sent["Kim"], "Kim", ["socket state", *everywhere])
    assert "Ava (9)" in sent["Sam"]["api board"]  # the card placed on the map

    # Nobody's seq has a gap: everyone was sent every seq, secret or not.
    for name, client in room.people.items():
        seqs = [r["seq"] for r in client.applied()]
        assert seqs == list(range(seqs[0], seqs[-1] + 1)), name

    # Ava's export has what she shared, and no words she did not share (her audit entries
    # name her items by id, never their words); anyone else's holds none of them.
    answer = room.export("Ava")
    assert [item["id"] for item in answer.json()["three_houses"]] == ["i_all4"]
    words = Secret("the words Ava did not share", ("NOBODYSEC1", "WORKERSEC2", "TAKENBACK3"))
    assert_kept(words, {"export": answer.json()}, "Ava")
    for name in sent:
        if name == "Ava":
            continue
        answer = room.export(name)
        for secret in (NOBODY, WORKER, TAKEN_BACK):
            assert_kept(secret, {"export": answer.json()}, name)


async def test_sharing_and_taking_back_reach_exactly_those_whose_view_changes(
    meeting: Room,
) -> None:
    room = meeting
    ack = await room.op(
        "Ava",
        "house.add",
        item_id="i_later",
        house="dreams",
        words="LATER5 a dog",
        sharing="worker",
    )
    assert ack["ok"], ack
    await room.everyone_has(ack["seq"])

    def private_at(name: str, seq: int) -> list[str]:
        lists = [d for e, d in room.people[name].events if e == "private_items" and d["seq"] == seq]
        assert len(lists) == 1, (name, seq, lists)
        return [item["id"] for item in lists[0]["items"]]

    def applied_at(name: str, seq: int) -> list[tuple[str, str, bool]]:
        (record,) = [r for r in room.people[name].applied() if r["seq"] == seq]
        return [(c["entity"], c["id"], "deleted" in c) for c in record["changes"]]

    for name in room.people:
        await room.people[name].wait_for(
            lambda n=name: any(
                e == "private_items" and d["seq"] == ack["seq"] for e, d in room.people[n].events
            )
        )
        sees = ["i_later"] if name in ("Ava", "Priya") else []
        assert private_at(name, ack["seq"]) == sees, name
        assert applied_at(name, ack["seq"]) == [], name  # the op's place in the seq, no content

    for sharing, on_board in (("everyone", True), ("nobody", False)):
        ack = await room.op("Ava", "house.share", item_id="i_later", sharing=sharing)
        assert ack["ok"], ack
        await room.everyone_has(ack["seq"])
        for name in room.people:
            change = [("house_item", "i_later", not on_board)]
            assert applied_at(name, ack["seq"]) == change, (name, sharing)
        assert (await room.op("Priya", "card.add", section="harm", text="x"))["ok"]
    # Taken back, it is on nobody's board: a whole board for Jo (from before he came) has
    # none of it.
    whole = (await synced(room.people["Jo"]))["sync from 0"]
    assert "board" in whole
    assert_kept(Secret("the item taken back", ("LATER5",)), {"sync from 0": whole}, "Jo")


async def test_unshared_items_stay_with_their_people_across_two_workers(
    workers: list[ServerProcess],
) -> None:
    """Sockets on the second worker get exactly what their person may see."""
    first, second = workers
    meeting = create_meeting(first.url, "Family meeting for Ava")
    links = meeting["links"]
    people = {
        "Ava": await Client.join(first.url, links["participant"], "Ava", "child"),
        "Priya": await Client.join(second.url, links["facilitator"], "Priya"),
        "Sam": await Client.join(second.url, links["participant"], "Sam", "parent"),
    }
    try:
        for item_id, words, sharing in [
            ("i_nobody1", "NOBODYSEC1 hers alone", "nobody"),
            ("i_worker2", "WORKERSEC2 for Priya", "worker"),
        ]:
            ack = await people["Ava"].op(
                "house.add", item_id=item_id, house="worries", words=words, sharing=sharing
            )
            assert ack["ok"], ack
        for client in people.values():
            await client.wait_for(lambda c=client: any(r["seq"] == ack["seq"] for r in c.applied()))
        await people["Priya"].wait_for(
            lambda: any(
                e == "private_items" and d["seq"] == ack["seq"] for e, d in people["Priya"].events
            )
        )
        await asyncio.sleep(0.2)
        assert_shown(WORKER, received(people["Priya"]), "Priya", ["socket private_items"])
        assert_kept(NOBODY, received(people["Priya"]), "Priya")
        for name in ("Sam", "Priya"):
            # Coming back through the second worker, and its API, keep it so.
            await people[name].close()
            await people[name].connect()
            sent = received(people[name]) | await synced(people[name])
            sent |= over_http(as_client(second.url, people[name].cookie), meeting["id"])
            assert_kept(NOBODY, sent, name)
            if name == "Sam":
                assert_kept(WORKER, sent, name)
            else:
                assert_shown(WORKER, sent, name, ["socket state", "sync from 0"])
    finally:
        for client in people.values():
            await client.close()


KEPT = Secret("Ava's item hidden from Sam", ("KEPTSEC6", "i_kept6", "c_kept6"))
PROS = Secret("Ava's item for professionals only", ("PROSSEC7", "i_pros7"))


def changes_at(client: Client, seq: int) -> list[tuple[str, str, bool]]:
    (record,) = [r for r in client.applied() if r["seq"] == seq]
    return sorted((c["entity"], c["id"], "deleted" in c) for c in record["changes"])


async def mark_shared_items(room: Room) -> int:
    """Ava shares two items; Priya places one on the map, hides it from Sam and keeps the
    other for professionals only. The seq after which neither may reach those they are kept
    from."""
    # Jo said he is a worker: until Priya confirms it, he is not one to the rule.
    confirmed = await room.op("Priya", "participant.confirm", participant_id=room.pid("Jo"))
    assert confirmed["ok"], confirmed
    for item_id, words in [("i_kept6", "KEPTSEC6 Dad shouts"), ("i_pros7", "PROSSEC7 at night")]:
        ack = await room.op(
            "Ava", "house.add", item_id=item_id, house="worries", words=words, sharing="everyone"
        )
        assert ack["ok"], ack
    placed = await room.op(
        "Priya", "house.place", item_id="i_kept6", section="harm", card_id="c_kept6"
    )
    assert placed["ok"], placed
    hide_from_sam = {"kind": "hidden_from", "people": [room.pid("Sam")]}
    for name, op_type, fields, code in [
        ("Sam", "house.audience", {"item_id": "i_kept6", "audience": hide_from_sam}, "forbidden"),
        ("Jo", "house.audience", {"item_id": "i_pros7", "audience": {"kind": "professionals"}},
         "forbidden"),
        ("Priya", "house.audience",
         {"item_id": "i_kept6", "audience": {"kind": "hidden_from", "people": [room.pid("Ava")]}},
         "invalid"),
        ("Priya", "card.audience", {"card_id": "c_kept6", "audience": {"kind": "professionals"}},
         "invalid"),
    ]:  # fmt: skip
        ack = await room.op(name, op_type, **fields)
        assert (ack["ok"], ack["code"]) == (False, code), (name, op_type, ack)
    hidden = await room.op("Priya", "house.audience", item_id="i_kept6", audience=hide_from_sam)
    assert hidden["ok"], hidden
    pros = await room.op(
        "Priya", "house.audience", item_id="i_pros7", audience={"kind": "professionals"}
    )
    assert pros["ok"], pros
    await room.everyone_has(pros["seq"])
    # The marking is an add or a removal to exactly those whose view changes.
    gone = [("card", "c_kept6", True), ("house_item", "i_kept6", True)]
    assert changes_at(room.people["Sam"], hidden["seq"]) == gone
    assert changes_at(room.people["screen"], hidden["seq"]) == gone
    for name in ("Gran", "Jo", "Priya", "Ava"):
        kept = [("card", "c_kept6", False), ("house_item", "i_kept6", False)]
        assert changes_at(room.people[name], hidden["seq"]) == kept, name
    for name in ("Sam", "Gran", "Mia", "screen"):
        assert changes_at(room.people[name], pros["seq"]) == [("house_item", "i_pros7", True)]
    for name in ("Jo", "Priya", "Ava"):
        assert changes_at(room.people[name], pros["seq"]) == [("house_item", "i_pros7", False)]
    return int(pros["seq"])


async def test_a_shared_item_kept_from_someone_reaches_none_of_them_on_any_channel(
    meeting: Room,
) -> None:
    room = meeting
    marked = await mark_shared_items(room)
    # From here on, what they were sent before the marking is behind them.
    for client in room.people.values():
        client.events.clear()
    room.acks.clear()
    # Ava takes one back and shares it again: it stays kept from the same people.
    for sharing in ("worker", "everyone"):
        ack = await room.op("Ava", "house.share", item_id="i_pros7", sharing=sharing)
        assert ack["ok"], ack
    # Someone editing its card is said to be only to those who may see it.
    await room.people["Priya"].sio.call("editing", {"card_id": "c_kept6"}, timeout=10)
    gran = room.people["Gran"]
    await gran.wait_for(lambda: editing(gran, room.pid("Priya")) == "c_kept6")
    # Two join, and two come back (Sam from the same browser), while it is kept.
    await room.join("Kim", "parent")
    await room.join("screen2", None)
    for name in ("Sam", "screen"):
        await room.people[name].close()
        await room.people[name].connect()
    await asyncio.sleep(0.3)  # anything that should not arrive has its chance to
    assert (await room.op("Priya", "minutes.take"))["ok"]
    everyone = {"kind": "everyone"}
    late = await room.op("Priya", "house.audience", item_id="i_kept6", audience=everyone)
    assert (late["ok"], late["code"]) == (False, "minutes_taken"), late

    sent: dict[str, dict[str, Any]] = {}
    for name, client in room.people.items():
        get = room.staff.http.get if name == "Priya" else as_client(room.live.url, client.cookie)
        since = await client.sio.call("sync", {"since": marked}, timeout=10)
        came_after = name in ("Kim", "screen2")  # their whole sync, from the start, too
        sent[name] = {
            **received(client, room.acks.get(name, [])),
            **(await synced(client) if came_after else {}),
            "sync from the marking": since,
            **over_http(get, room.id, minutes=[1], plan=name in {*FAMILY, "Kim"}),
        }
    for name in ("Sam", "screen", "screen2"):
        assert_kept(KEPT, sent[name], name)
        assert editing(room.people[name], room.pid("Priya")) is None, name
    for name in ("Sam", "Gran", "Mia", "Kim", "screen", "screen2"):
        assert_kept(PROS, sent[name], name)
    everywhere = ["api board", "minutes 1", "minutes 1 md", "minutes 1 json", "minutes 1 pdf"]
    for name in ("Gran", "Kim", "Jo", "Priya"):
        assert_shown(KEPT, sent[name], name, everywhere)
    for name in ("Ava", "Jo", "Priya"):
        assert_shown(PROS, sent[name], name, everywhere)
    # Staff minutes show each with its marking.
    assert "Hidden from Sam" in sent["Priya"]["minutes 1"]
    assert "For professionals only" in sent["Priya"]["minutes 1 md"]
    # Ava always sees her own, and her export has both; Sam's has neither.
    exports = f"/api/meetings/{room.id}/participants/{{}}/export"
    mine = room.staff.http.get(exports.format(room.pid("Ava"))).json()
    assert sorted(item["id"] for item in mine["three_houses"]) == ["i_kept6", "i_pros7"]
    sams = room.staff.http.get(exports.format(room.pid("Sam")))
    assert sams.status_code == 200
    for secret in (KEPT, PROS):
        assert_kept(secret, {"export": sams.json()}, "Sam")
