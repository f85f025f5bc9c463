"""Interpreters' translations, end to end: Olga's Polish translation of a card reaches Ewa (a
parent who reads Kinboard in Polish), Olga herself and the facilitator, and never Sam (a
parent who reads English), Gran, a worker or the room screen, on any channel: `state`,
`applied`, `sync`, acks, the API, the board and display pages, the minutes (page, Markdown,
JSON, PDF), "Our plan" and the subject-access export. When someone changes their language,
what they are sent follows it.

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
    over_http,
    received,
    synced,
)

POLISH = Secret("Olga's Polish translation", ("POLSKI7Q",))
FAMILY = {"Sam": "parent", "Ewa": "parent", "Gran": "network"}


@pytest.fixture
async def meeting(live: LiveServer) -> AsyncIterator[Room]:
    async with staffed_room(live, FAMILY) as room:
        await room.join("Jo", "professional")
        assert (await room.op("Priya", "participant.confirm", participant_id=room.pid("Jo")))["ok"]
        await room.join("screen", None)
        links = live.services.links
        link = live.run(links.add_person_link, room.id, "Olga", "interpreter", None, "test", "pl")
        room.people["Olga"] = await Client.join(live.url, links.url(link), "", None)
        assert (await room.op("Ewa", "participant.language", language="pl"))["ok"]
        yield room


def refreshed(client: Client) -> bool:
    return any(event == "refresh" for event, _ in client.events)


async def add_grans_card(room: Room) -> None:
    """Priya's card that Olga translates."""
    added = await room.op(
        "Priya",
        "card.add",
        section="plan_rules",
        text="Gran walks them to school",
        card_id="c_gran",
    )
    assert added["ok"], added


async def translate(room: Room, text: str) -> dict[str, Any]:
    ack = await room.op("Olga", "card.translate", card_id="c_gran", language="pl", text=text)
    assert ack["ok"], ack
    return ack


async def test_a_translation_reaches_only_its_languages_readers_on_every_channel(
    meeting: Room,
) -> None:
    room = meeting
    await add_grans_card(room)
    await translate(room, "Babcia odprowadza je do szkoły POLSKI7Q")
    # Changed by Olga, and the card edited and agreed with: the translation stays hers.
    await translate(room, "Babcia codziennie odprowadza je do szkoły POLSKI7Q")
    for name, op_type, fields in [
        ("Priya", "card.edit", {"card_id": "c_gran", "text": "Gran walks them to school daily"}),
        ("Sam", "card.react", {"card_id": "c_gran", "stance": "agree"}),
    ]:
        assert (await room.op(name, op_type, **fields))["ok"]
    # Nobody else can write one, nor Olga into another language; refusals send nothing.
    for name, fields, code in [
        ("Sam", {"language": "pl"}, "forbidden"),
        ("Priya", {"language": "pl"}, "forbidden"),
        ("Olga", {"language": "ro"}, "forbidden"),
        ("Olga", {"language": "xx"}, "invalid"),
    ]:
        ack = await room.op(name, "card.translate", card_id="c_gran", text="POLSKI7Q", **fields)
        assert (ack["ok"], ack["code"]) == (False, code), (name, ack)
    # Someone joins while it exists, and Sam comes back.
    await room.join("Kim", "parent")
    await room.people["Sam"].close()
    await room.people["Sam"].connect()
    await asyncio.sleep(0.3)  # anything that should not arrive has its chance to
    assert (await room.op("Priya", "minutes.take"))["ok"]
    assert (await room.op("Priya", "minutes.agree", minutes=1))["ok"]

    sent: dict[str, dict[str, Any]] = {}
    for name, client in room.people.items():
        family = name in {*FAMILY, "Kim"}
        get = room.staff.http.get if name == "Priya" else as_client(room.live.url, client.cookie)
        sent[name] = {
            **received(client, room.acks.get(name, [])),
            **await synced(client),
            **over_http(get, room.id, minutes=[1], plan=family),
        }
    for name in ("Sam", "Gran", "Kim", "Jo", "screen"):
        assert_kept(POLISH, sent[name], name)
    assert_shown(POLISH, sent["Ewa"], "Ewa", ["socket applied", "api board", "minutes 1"])
    assert_shown(POLISH, sent["Ewa"], "Ewa", ["minutes 1 md", "minutes 1 json", "minutes 1 pdf"])
    assert_shown(POLISH, sent["Ewa"], "Ewa", ["easy read", "easy read pdf"])
    assert_shown(POLISH, sent["Ewa"], "Ewa", ["our plan"])
    assert_shown(POLISH, sent["Olga"], "Olga", ["socket applied", "api board", "sync from 0"])
    assert_shown(POLISH, sent["Priya"], "Priya", ["socket applied", "api board", "minutes 1"])
    # Minutes show the original and the translation, with who made it.
    minutes = sent["Priya"]["minutes 1"]
    assert "Gran walks them to school daily" in minutes
    assert "translated by Olga (interpreter)" in minutes
    assert "translated by Olga (interpreter)" in sent["Priya"]["minutes 1 md"]
    assert "Gran walks them to school daily" in sent["Ewa"]["minutes 1"]
    [card] = json.loads(sent["Ewa"]["api board"])["cards"]
    assert card["text"] == "Gran walks them to school daily"  # the original is never replaced

    assert POLISH.markers[0] in room.export("Olga").text
    for name in ("Sam", "Ewa", "Gran"):
        assert_kept(POLISH, {"export": room.export(name).text}, name)


async def test_changing_ones_language_changes_which_translations_one_is_sent(
    meeting: Room,
) -> None:
    room = meeting
    await add_grans_card(room)
    await translate(room, "Babcia POLSKI7Q")
    sam, ewa = room.people["Sam"], room.people["Ewa"]
    # Sam chooses Polish and Ewa Welsh: both pages are asked to take the board afresh.
    assert (await room.op("Sam", "participant.language", language="pl"))["ok"]
    assert (await room.op("Ewa", "participant.language", language="cy"))["ok"]
    for client in (sam, ewa):
        await client.wait_for(lambda client=client: refreshed(client))
        await client.close()
        client.events.clear()
        await client.connect()
    assert sam.state is not None and ewa.state is not None
    assert POLISH.markers[0] in json.dumps(sam.state)
    assert_kept(POLISH, {"state": ewa.state, **await synced(ewa)}, "Ewa in Welsh")
    # From then on Olga's changes reach Sam and not Ewa.
    ack = await translate(room, "Babcia zawsze POLSKI7Q")
    await room.everyone_has(ack["seq"])
    assert "zawsze" in json.dumps(room.record("Sam", ack["seq"]))
    assert room.record("Ewa", ack["seq"])["changes"] == []
