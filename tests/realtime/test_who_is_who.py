"""Who is who, with a real server and real sockets: the facilitator corrects someone's name
and role and confirms a worker; the person's own screen hears it at once, and every
screen's round picture follows."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.harness import API_KEY, Client

KEY = {"Authorization": f"Bearer {API_KEY}"}


def participant_changes(client: Client, participant_id: str) -> list[dict[str, Any]]:
    return [
        change["value"]
        for event in client.applied("participant")
        for change in event["changes"]
        if change["entity"] == "participant" and change["id"] == participant_id
    ]


async def test_the_renamed_person_sees_their_new_name_and_role_at_once(
    room: dict[str, Any],
) -> None:
    facilitator: Client = room["facilitator"]
    server = room["server"]
    kim = await Client.join(server.url, room["meeting"]["links"]["participant"], "Km", "parent")
    try:
        assert kim.state is not None
        assert kim.state["me"]["unconfirmed"] is False
        ack = await facilitator.op(
            "participant.correct", participant_id=kim.me["id"], name="Kim", role="network"
        )
        assert ack["ok"], ack
        await kim.wait_for(lambda: participant_changes(kim, kim.me["id"]) != [])
        (seen,) = participant_changes(kim, kim.me["id"])
        assert (seen["name"], seen["role"]) == ("Kim", "network")
        # The rules their screen follows for that role come with the template.
        abilities = kim.state["template"]["abilities"]["network"]
        # Opening the board again, they are who the facilitator said.
        await kim.close()
        await kim.connect()
        assert kim.state["me"]["name"] == "Kim"
        assert kim.state["me"]["role"] == "network"
        assert kim.state["me"]["can"] == abilities
        # Everyone else hears it too.
        parent: Client = room["parent"]
        await parent.wait_for(lambda: participant_changes(parent, kim.me["id"]) != [])
        # Someone who is not the facilitator cannot do it, and nothing changes.
        refused = await parent.op("participant.correct", participant_id=kim.me["id"], name="X")
        assert (refused["ok"], refused["code"]) == (False, "forbidden")
    finally:
        await kim.close()


async def test_a_worker_from_the_family_link_counts_with_the_family_until_confirmed(
    room: dict[str, Any],
) -> None:
    facilitator: Client = room["facilitator"]
    server = room["server"]
    meeting_id = room["meeting"]["id"]
    kim = await Client.join(
        server.url, room["meeting"]["links"]["participant"], "Kim", "professional"
    )
    named = httpx.post(
        f"{server.url}/api/meetings/{meeting_id}/people-links",
        headers={"Cookie": facilitator.cookie, "Origin": server.url},
        json={"name": "Jo from school", "role": "professional"},
        timeout=10,
    )
    assert named.status_code == 201, named.text
    jo = await Client.join(server.url, named.json()["url"], "ignored")
    try:
        assert kim.state is not None and jo.state is not None
        assert kim.state["me"]["unconfirmed"] is True
        assert jo.state["me"]["unconfirmed"] is False
        scale_id = next(s["id"] for s in facilitator.state["board"]["scales"] if s["overall"])
        assert (await facilitator.op("round.open", scale_id=scale_id))["ok"]
        for client, value in ((kim, 4), (jo, 2), (room["parent"], 6)):
            assert (await client.op("vote.cast", scale_id=scale_id, value=value))["ok"]
        assert (await facilitator.op("round.reveal", scale_id=scale_id))["ok"]

        def summary_words() -> str | None:
            rounds = [
                c["value"]
                for e in facilitator.applied("round")
                for c in e["changes"]
                if c["entity"] == "round" and c["value"]["status"] == "revealed"
            ]
            return rounds[-1]["summary"]["words"] if rounds else None

        await facilitator.wait_for(lambda: summary_words() is not None)
        assert summary_words() == "Family 6, network 4, professionals 2: a gap of 4"
        before = summary_words()
        ack = await facilitator.op("participant.confirm", participant_id=kim.me["id"])
        assert ack["ok"], ack
        await facilitator.wait_for(lambda: summary_words() != before)
        assert summary_words() == "Family 6, professionals 3: a gap of 3"
        await kim.wait_for(lambda: participant_changes(kim, kim.me["id"]) != [])
        assert participant_changes(kim, kim.me["id"])[-1]["unconfirmed"] is False

        sheet = httpx.get(f"{server.url}/m/{meeting_id}/activity.csv", headers=KEY, timeout=10)
        rows = [line.split(",") for line in sheet.text.splitlines()]
        entries = [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]
        (confirmed,) = [e for e in entries if e["op"] == "participant.confirm"]
        assert confirmed["by"] == facilitator.me["id"]
        assert f"participant:{kim.me['id']}" in confirmed["entities"]
    finally:
        await kim.close()
        await jo.close()


async def test_a_confirmed_worker_is_sent_the_board_afresh_with_what_professionals_see(
    room: dict[str, Any],
) -> None:
    facilitator: Client = room["facilitator"]
    server = room["server"]
    kim = await Client.join(
        server.url, room["meeting"]["links"]["participant"], "Kim", "professional"
    )
    try:
        add = await facilitator.op(
            "card.add", section="harm", text="PRO-ONLY refuge", card_id="c_pro"
        )
        assert add["ok"], add
        marked = await facilitator.op(
            "card.audience", card_id="c_pro", audience={"kind": "professionals"}
        )
        assert marked["ok"], marked
        await kim.close()
        await kim.connect()
        assert kim.state is not None
        assert "PRO-ONLY" not in str(kim.state)

        ack = await facilitator.op("participant.confirm", participant_id=kim.me["id"])
        assert ack["ok"], ack
        # Their page is asked to take the board afresh; a new connection's state has it.
        await kim.wait_for(lambda: any(event == "refresh" for event, _ in kim.events))
        # Others whose view did not change are not asked.
        parent: Client = room["parent"]
        await parent.wait_for(lambda: participant_changes(parent, kim.me["id"]) != [])
        assert not any(event == "refresh" for event, _ in parent.events)
        await kim.close()
        await kim.connect()
        assert [c["text"] for c in kim.state["board"]["cards"]] == ["PRO-ONLY refuge"]
    finally:
        await kim.close()
