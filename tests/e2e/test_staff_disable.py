"""`kinboard staff disable` ends what the account opened: a real server process, on both
stores, the command run beside it. The staff member's open meeting socket is closed by the
5-second re-check, and the meeting cookie they had reads no link, joins nothing, opens no
socket."""

from __future__ import annotations

import httpx

from server.heartbeat import HEARTBEAT
from tests.support.harness import Client, ServerProcess, disconnected_within, refusal, staff_command
from tests.support.live import StaffBrowser

PRIYA = "priya@council.example"
PASSWORD = "a long password 1"


async def test_disabling_an_account_closes_its_meeting_socket_and_refuses_its_cookie(
    store_server: ServerProcess, store_env: dict[str, str]
) -> None:
    staff_command(store_env, "add", PRIYA, password=PASSWORD)
    priya = StaffBrowser(store_server.url)
    priya.sign_in(PRIYA, PASSWORD)
    meeting_id = priya.start_meeting("Fay, social worker")
    cookie = priya.meeting_cookie(meeting_id)
    staff = Client(store_server.url, meeting_id, cookie, {}, origin=store_server.url)
    await staff.connect()
    try:
        links = priya.http.get(f"/api/meetings/{meeting_id}/links")
        assert links.status_code == 200 and "facilitator" in links.json()
        staff_command(store_env, "disable", PRIYA)
        await disconnected_within([staff], HEARTBEAT + 2)
        assert await refusal(staff, cookie=cookie) == "session_invalid"
        # Neither the browser as it is (both cookies) nor the meeting cookie alone.
        with httpx.Client(base_url=store_server.url, headers={"Cookie": cookie}) as alone:
            for http in (priya.http, alone):
                for path in (f"/api/meetings/{meeting_id}/links", f"/api/meetings/{meeting_id}"):
                    assert http.get(path).status_code == 403, path
        opened = priya.form(f"/m/{meeting_id}/open", {})
        assert (opened.status_code, opened.headers["location"]) == (303, "/signin")
    finally:
        await staff.close()
        priya.close()
