"""Nothing acknowledged is lost when the server process stops, however it stops."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.support.harness import Client, ServerProcess, create_meeting


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL], ids=["stop", "kill"])
async def test_an_acknowledged_card_is_there_after_a_restart(
    tmp_path: Path, stop_signal: int
) -> None:
    server = ServerProcess(tmp_path / "data").start()
    try:
        meeting = create_meeting(server.url, "Meeting before the restart")
        parent = await Client.join(server.url, meeting["links"]["participant"], "Sam", "parent")
        ack = await parent.op(
            "card.add", section="safety", text="Dad takes the night shift", card_id="c_kept"
        )
        assert ack["ok"]
        await parent.close()
    finally:
        server.stop(stop_signal)

    again = ServerProcess(tmp_path / "data", port=server.port).start()
    try:
        # The same browser session still works, and the board is as it was acknowledged.
        await parent.connect()
        assert parent.state is not None
        assert parent.state["seq"] == ack["seq"]
        cards = {card["id"]: card for card in parent.state["board"]["cards"]}
        assert cards["c_kept"]["text"] == "Dad takes the night shift"
        # And the log still answers a resend of the same op with its first result.
        resend = await parent.op(
            "card.add", op_id="o_after", section="safety", text="Another", card_id="c_after"
        )
        assert resend["seq"] == ack["seq"] + 1
        await parent.close()
    finally:
        again.stop()
