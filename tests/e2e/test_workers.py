"""Two Kinboard workers sharing one Redis: a meeting is the same meeting on both."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.support.harness import Client, ServerProcess, create_meeting


async def test_a_card_added_on_one_worker_appears_on_the_other(
    workers: list[ServerProcess],
) -> None:
    first, second = workers
    meeting = create_meeting(first.url, "Meeting across two workers")
    links = meeting["links"]
    # Links name the base URL; each client joins and connects through its own worker.
    on_first = await Client.join(first.url, links["facilitator"], "Priya")
    on_second = await Client.join(second.url, links["participant"], "Sam", "parent")
    try:
        ack = await on_first.op("card.add", section="harm", text="Leo was hurt", card_id="c_1")
        assert ack["ok"]
        await on_second.wait_for(lambda: any(r["seq"] == ack["seq"] for r in on_second.applied()))
        back = await on_second.op("card.add", section="strengths", text="Gran helps", after=None)
        assert back["ok"] and back["seq"] == ack["seq"] + 1
        await on_first.wait_for(lambda: any(r["seq"] == back["seq"] for r in on_first.applied()))

        # Both workers answer with one board and one seq.
        boards = []
        for worker, client in ((first, on_first), (second, on_second)):
            answer = httpx.get(
                f"{worker.url}/api/meetings/{meeting['id']}", headers={"Cookie": client.cookie}
            )
            assert answer.status_code == 200
            boards.append(answer.json())
        assert boards[0] == boards[1]
        assert boards[0]["seq"] == back["seq"]
        assert sorted(c["text"] for c in boards[0]["cards"]) == ["Gran helps", "Leo was hurt"]

        # Presence crosses workers too.
        def sees_both(events: list[tuple[str, Any]]) -> bool:
            presence = [data for event, data in events if event == "presence"]
            ids = {p["participant_id"] for p in presence[-1]["online"]} if presence else set()
            return {on_first.me["id"], on_second.me["id"]} <= ids

        await on_first.wait_for(lambda: sees_both(on_first.events))
    finally:
        await on_first.close()
        await on_second.close()


async def test_concurrent_ops_on_both_workers_get_one_gap_free_order(
    workers: list[ServerProcess],
) -> None:
    first, second = workers
    meeting = create_meeting(first.url, "Busy meeting")
    links = meeting["links"]
    a = await Client.join(first.url, links["participant"], "Sam", "parent")
    b = await Client.join(second.url, links["participant"], "Ava", "child")
    try:
        acks = await asyncio.gather(
            *(a.op("card.add", section="goals", text=f"A{n}") for n in range(15)),
            *(b.op("card.add", section="goals", text=f"B{n}") for n in range(15)),
        )
        assert all(ack["ok"] for ack in acks)
        seqs = sorted(ack["seq"] for ack in acks)
        assert seqs == list(range(seqs[0], seqs[0] + 30))
        for client in (a, b):
            await client.wait_for(
                lambda c=client: {r["seq"] for r in c.applied("card")} >= set(seqs), timeout=10
            )
    finally:
        await a.close()
        await b.close()
