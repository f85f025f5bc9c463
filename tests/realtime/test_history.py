"""What someone who joins later can read of the past: the board as it is, never the ops from
before they joined (a deleted card, the words a card had before it was edited). A real server
process and real Socket.IO clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.harness import Client, ServerProcess, create_meeting

OLD_WORDS = "OLDWORDS-Dad shouted at Leo"
NEW_WORDS = "Dad and Leo had an argument"
GONE_WORDS = "GONEWORDS-Gran drinks"
GONE_ID = "c_gonecard"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path_factory.mktemp("history")).start()
    yield process
    process.stop()


def traces(messages: list[Any]) -> set[str]:
    """The old words, the deleted card's words or its id, wherever they appear."""
    text = json.dumps(messages)
    return {marker for marker in ("OLDWORDS", "GONEWORDS", GONE_ID) if marker in text}


async def test_a_late_joiner_gets_the_board_as_it_is_never_the_ops_from_before(
    server: ServerProcess,
) -> None:
    links = create_meeting(server.url, "Family meeting for Leo")["links"]
    facilitator = await Client.join(server.url, links["facilitator"], "Priya")
    clients = [facilitator]
    try:
        kept = await facilitator.op("card.add", section="harm", text=OLD_WORDS, card_id="c_kept")
        assert kept["ok"]
        assert (await facilitator.op("card.edit", card_id="c_kept", text=NEW_WORDS))["ok"]
        assert (
            await facilitator.op("card.add", section="danger", text=GONE_WORDS, card_id=GONE_ID)
        )["ok"]
        gone = await facilitator.op("card.delete", card_id=GONE_ID)
        assert gone["ok"]

        kim = await Client.join(server.url, links["participant"], "Kim", role="professional")
        screen = await Client.join(server.url, links["display"], "")
        clients += [kim, screen]
        for late in (kim, screen):
            answers = [
                await late.sio.call("sync", {"since": since}, timeout=10)
                for since in (0, 1, kept["seq"], gone["seq"] - 1)
            ]
            for answer in answers:
                assert answer["ok"] is True and "changes" not in answer, answer
                assert [card["text"] for card in answer["board"]["cards"]] == [NEW_WORDS]
            assert traces([*late.events, *answers]) == set()

        # From their own join on they get ops, as everyone does.
        assert kim.state is not None
        after = await facilitator.op("card.add", section="goals", text="Leo sleeps at home")
        answer = await kim.sio.call("sync", {"since": kim.state["seq"]}, timeout=10)
        # (the screen joining, then the new card)
        seqs = [record["seq"] for record in answer["changes"]]
        assert seqs == list(range(kim.state["seq"] + 1, after["seq"] + 1)) and len(seqs) == 2
        assert traces([*kim.events, answer]) == set()

        # Someone who was there from the start still gets the ops they were there for.
        answer = await facilitator.sio.call("sync", {"since": 0}, timeout=10)
        assert answer["ok"] is True and "board" not in answer
        assert answer["changes"][-1]["seq"] == after["seq"]
        assert traces(answer["changes"]) == {"OLDWORDS", "GONEWORDS", GONE_ID}
    finally:
        for client in clients:
            await client.close()
