"""A staff member's board over a real socket: what the family is sent names them only as they
chose (never by e-mail), and their sockets end with their staff session (signing out, half an
hour idle), the open one closed by the 5-second re-check.

A live server in this process (uvicorn on a free port) with a clock the test moves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import socketio

from server.board.errors import SessionEnded
from server.heartbeat import HEARTBEAT
from server.staff import IDLE_SECONDS
from tests.support.harness import Client, disconnected_within, refusal
from tests.support.inprocess import MovableClock
from tests.support.live import LiveServer, StaffBrowser
from tests.support.rooms import PRIYA

FAY = "Fay, social worker"


@pytest.fixture
def priya(live: LiveServer) -> Iterator[StaffBrowser]:
    browser = StaffBrowser(live.url)
    browser.sign_in(PRIYA)
    yield browser
    browser.close()


async def staff_socket(live: LiveServer, priya: StaffBrowser, meeting_id: str) -> Client:
    client = Client(live.url, meeting_id, priya.meeting_cookie(meeting_id), {}, origin=live.url)
    await client.connect()
    return client


def family_link(live: LiveServer, meeting_id: str) -> str:
    return live.run(live.services.links.urls, meeting_id)["participant"]


def clock_of(live: LiveServer) -> MovableClock:
    clock = live.services.clock
    assert isinstance(clock, MovableClock)
    return clock


async def test_the_family_is_sent_the_name_the_staff_member_chose_and_never_their_email(
    live: LiveServer, priya: StaffBrowser
) -> None:
    meeting_id = priya.start_meeting(FAY)
    staff = await staff_socket(live, priya, meeting_id)
    family = await Client.join(live.url, family_link(live, meeting_id), "Sam", "parent")
    try:
        renamed = await staff.op("participant.rename", name="Fay Okafor, social worker")
        assert renamed["ok"], renamed
        await family.wait_for(lambda: bool(family.applied("participant")))
        await staff.op("card.add", section="strengths", text="Ava goes to school")
        await family.wait_for(lambda: bool(family.applied("card")))
        synced = await family.sio.call("sync", {"since": 0}, timeout=10)
        again = await Client.join(live.url, family_link(live, meeting_id), "Gran", "network")
        await again.close()
        assert again.state is not None
        names = {p["name"] for p in again.state["board"]["participants"]}
        assert names == {"Fay Okafor, social worker", "Sam", "Gran"}
        sent: list[Any] = [*family.events, *again.events, synced]
        for event in sent:
            text = json.dumps(event).lower()
            assert "priya" not in text and "council.example" not in text, event
    finally:
        await staff.close()
        await family.close()


@pytest.mark.parametrize("ending", ["sign-out", "idle"])
async def test_the_end_of_the_staff_session_closes_its_meeting_sockets_and_refuses_the_cookie(
    live: LiveServer, priya: StaffBrowser, ending: str
) -> None:
    meeting_id = priya.start_meeting(FAY)
    cookie = priya.meeting_cookie(meeting_id)
    staff = await staff_socket(live, priya, meeting_id)
    family = await Client.join(live.url, family_link(live, meeting_id), "Sam", "parent")
    try:
        assert (await staff.op("card.add", section="goals", text="Before"))["ok"]
        if ending == "sign-out":
            signed_out = priya.form("/signout", {}, page="/")
            assert signed_out.status_code == 303
        else:
            clock_of(live).now += IDLE_SECONDS + 1
        # The open socket is closed by the next re-check, though nothing told it.
        await disconnected_within([staff], HEARTBEAT + 2)
        assert await refusal(staff, cookie=cookie) == "session_invalid"
        with httpx.Client(base_url=live.url) as other:
            for path in (f"/api/meetings/{meeting_id}/links", f"/api/meetings/{meeting_id}"):
                assert other.get(path, headers={"Cookie": cookie}).status_code == 403, path
        # The family carries on.
        assert family.sio.connected
        assert (await family.op("card.add", section="goals", text="After"))["ok"]
        board, _ = live.run(live.services.boards.load, meeting_id)
        assert {card.text for card in board.cards.values()} == {"Before", "After"}
    finally:
        await staff.close()
        await family.close()


async def test_an_op_right_after_signing_out_is_refused(
    live: LiveServer, priya: StaffBrowser
) -> None:
    meeting_id = priya.start_meeting(FAY)
    staff = await staff_socket(live, priya, meeting_id)
    try:
        assert priya.form("/signout", {}, page="/").status_code == 303
        try:
            ack = await staff.op("card.add", section="goals", text="After signing out")
        except (socketio.exceptions.BadNamespaceError, socketio.exceptions.TimeoutError):
            ack = {"ok": False, "code": SessionEnded.code}  # a re-check closed it just before
        assert (ack["ok"], ack["code"]) == (False, SessionEnded.code)
        board, _ = live.run(live.services.boards.load, meeting_id)
        assert not board.cards
        await disconnected_within([staff], 2)
    finally:
        await staff.close()
