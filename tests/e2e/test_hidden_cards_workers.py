"""Hidden cards across two workers sharing Redis: each person's copy of `applied` reaches
their socket on whichever worker it is, with no gap in anyone's seq, and the card never
reaches the sockets of those it is kept from, on either worker (`state`, `applied`,
presence, `sync`, the API)."""

from __future__ import annotations

import asyncio

from tests.support.harness import Client, ServerProcess, create_meeting
from tests.support.secrets import Secret, as_client, assert_kept, assert_shown, received, synced

HIDDEN = Secret("the card hidden from Sam", ("REFUGE4B", "c_refuge"))


async def test_a_hidden_card_reaches_only_those_who_may_see_it_on_every_worker(
    workers: list[ServerProcess],
) -> None:
    first, second = workers
    meeting = create_meeting(first.url, "Meeting across two workers")
    links = meeting["links"]
    priya = await Client.join(first.url, links["facilitator"], "Priya")
    jo = await Client.join(first.url, links["participant"], "Jo", "professional")
    sam = await Client.join(second.url, links["participant"], "Sam", "parent")
    gran = await Client.join(second.url, links["participant"], "Gran", "network")
    screen = await Client.join(second.url, links["display"], "")
    people = {"Priya": priya, "Jo": jo, "Sam": sam, "Gran": gran, "screen": screen}
    try:
        ack = await priya.op(
            "card.add",
            section="plan_rules",
            text="Mum is safe at REFUGE4B",
            card_id="c_refuge",
            audience={"kind": "hidden_from", "people": [sam.me["id"]]},
        )
        assert ack["ok"], ack
        edited = await gran.op("card.react", card_id="c_refuge", stance="agree")
        assert edited["ok"], edited
        await priya.sio.call("editing", {"card_id": "c_refuge"}, timeout=10)
        last = await sam.op("card.add", section="strengths", text="Sam cooks tea")
        for client in people.values():
            await client.wait_for(
                lambda c=client: any(r["seq"] == last["seq"] for r in c.applied())
            )
        # Gran, on the other worker, hears that Priya edits it; Sam does not.
        await gran.wait_for(
            lambda: any(
                e["editing"] == "c_refuge"
                for event, data in gran.events
                if event == "presence"
                for e in data["online"]
            )
        )
        # Sam comes back through the other worker while it exists.
        await sam.close()
        sam.base_url = first.url
        sam.origin = second.url
        await sam.connect()
        await asyncio.sleep(0.3)

        for name, client in people.items():
            seqs = [r["seq"] for r in client.applied()]
            assert seqs == list(range(seqs[0], last["seq"] + 1)), (name, seqs)
            sent = {
                **received(client),
                **await synced(client),
                "api on worker 1": as_client(first.url, client.cookie)(
                    f"/api/meetings/{meeting['id']}"
                ).text,
                "api on worker 2": as_client(second.url, client.cookie)(
                    f"/api/meetings/{meeting['id']}"
                ).text,
            }
            if name in ("Sam", "screen"):
                assert_kept(HIDDEN, sent, name)
            else:
                assert_shown(
                    HIDDEN, sent, name, ["socket applied", "api on worker 1", "api on worker 2"]
                )
    finally:
        for client in people.values():
            await client.close()
