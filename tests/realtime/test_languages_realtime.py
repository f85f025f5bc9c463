"""A language per person, with a real server and real sockets: someone chooses theirs, the
others' screens hear it (the facilitator's list of people can show it), a language
Kinboard does not speak is refused, and each refusal comes in the asker's own language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.catalogues import with_words
from tests.support.harness import Client
from tests.support.live import LiveServer
from tests.support.rooms import Room, staffed_room

POLISH = {
    "A card needs some words.": "Karta potrzebuje słów.",
    "We do not have that language. Choose one of: {codes}.": (
        "Nie mamy tego języka. Wybierz jeden z: {codes}."
    ),
}


def languages_seen(client: Client, participant_id: str) -> list[str]:
    return [
        change["value"]["language"]
        for event in client.applied("participant")
        for change in event["changes"]
        if change["entity"] == "participant" and change["id"] == participant_id
    ]


async def join_in_polish(room: Room, name: str) -> Client:
    links = room.live.run(room.live.services.links.urls, room.id)
    client = await Client.join(room.live.url, links["participant"], name, "parent", language="pl")
    room.people[name] = client
    return client


async def test_a_persons_language_reaches_the_others_and_their_refusals_follow_it(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_words(monkeypatch, "pl", POLISH)
    async with staffed_room(live, {"Gran": "network"}) as room:
        ola = await join_in_polish(room, "Ola")
        assert ola.state is not None and ola.state["me"]["language"] == "pl"
        priya, gran = room.people["Priya"], room.people["Gran"]
        # Refusals come in Polish for Ola, in English for Priya; the code is the same.
        blank: dict[str, Any] = {"section": "strengths", "text": " "}
        assert await room.op("Ola", "card.add", **blank) == {
            "ok": False,
            "code": "invalid",
            "message": "Karta potrzebuje słów.",
        }
        assert (await room.op("Priya", "card.add", **blank))[
            "message"
        ] == "A card needs some words."
        # A language Kinboard does not speak: refused, in her language, and nothing changes.
        refused = await room.op("Ola", "participant.language", language="xx")
        assert refused == {
            "ok": False,
            "code": "invalid",
            "message": "Nie mamy tego języka. Wybierz jeden z: en, cy, pl, ro, ar, ur.",
        }
        # She chooses English: everyone's screen hears it, and her refusals follow at once.
        assert (await room.op("Ola", "participant.language", language="en"))["ok"]
        for screen in (priya, gran, ola):
            await screen.wait_for(lambda s=screen: languages_seen(s, ola.me["id"])[-1:] == ["en"])
        assert (await room.op("Ola", "card.add", **blank))["message"] == "A card needs some words."
        # Nobody chooses for someone else.
        other = await room.op("Priya", "participant.language", language="pl", participant_id="x")
        assert other["code"] == "invalid"


async def test_the_facilitator_sets_the_meetings_language_for_everyone_to_see(
    live: LiveServer,
) -> None:
    async with staffed_room(live, {"Gran": "network"}) as room:
        gran = room.people["Gran"]
        refused = await room.op("Gran", "meeting.language", language="cy")
        assert (refused["ok"], refused["code"]) == (False, "forbidden")
        assert (await room.op("Priya", "meeting.language", language="cy"))["ok"]
        await gran.wait_for(
            lambda: any(
                change["value"]["language"] == "cy"
                for event in gran.applied("meeting")
                for change in event["changes"]
            )
        )
        assert (await room.op("Priya", "meeting.language", language="xx"))["code"] == "invalid"
        await gran.close()
        await gran.connect()
        assert gran.state is not None
        assert gran.state["board"]["meeting"]["language"] == "cy"
