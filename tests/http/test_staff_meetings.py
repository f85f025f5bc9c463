"""Staff are people of their meetings, not link holders: a staff member opens a meeting of
theirs at any time while it exists, as their one facilitator participant with the name they
chose; and a meeting session they opened lives only as long as their staff session.

In-process with a clock the tests move. (The socket side is in
tests/realtime/test_staff_sockets.py.)
"""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from server.board.roles import Role
from server.security import hash_token
from server.staff import IDLE_SECONDS, LONGEST_SECONDS
from tests.support.inprocess import Browser, Kin, MovableClock

PRIYA = "priya@council.example"
BEA = "bea@council.example"
FAY = "Fay, social worker"
DAY = 86400


def signed_in(kin: Kin, email: str, address: str) -> Browser:
    if kin.run(kin.staff.find, email) is None:
        kin.add_staff(email)
    browser = kin.browser(address)
    assert browser.sign_in(email).status_code == 303
    return browser


def start_meeting(staff: Browser, name: str = FAY) -> str:
    answer = staff.form("/meetings", {"title": "Meeting for Ava", "name": name}, page="/")
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[1]


def open_meeting(staff: Browser, meeting_id: str, **form: str) -> httpx.Response:
    return staff.form(f"/m/{meeting_id}/open", form, page="/")


def facilitators(kin: Kin, meeting_id: str) -> dict[str, str]:
    return {
        p.id: p.name
        for p in kin.board(meeting_id).participants.values()
        if p.role is Role.FACILITATOR
    }


def meeting_cookie(staff: Browser, meeting_id: str) -> str:
    value = staff.cookie(f"kb_{meeting_id}")
    assert value
    return f"kb_{meeting_id}={value}"


def uses(kin: Kin, cookie: str, meeting_id: str) -> dict[str, int]:
    """What the meeting cookie alone (no staff cookie) gets, from another computer."""
    other = kin.browser("192.0.2.77")
    paths = (f"/m/{meeting_id}", f"/api/meetings/{meeting_id}", f"/api/meetings/{meeting_id}/links")
    return {path: other.get(path, headers={"Cookie": cookie}).status_code for path in paths}


ALLOWED = {"/m/{}": 200, "/api/meetings/{}": 200, "/api/meetings/{}/links": 200}
REFUSED = {"/m/{}": 403, "/api/meetings/{}": 403, "/api/meetings/{}/links": 403}


def expect(table: dict[str, int], meeting_id: str) -> dict[str, int]:
    return {path.format(meeting_id): status for path, status in table.items()}


# --- opening, whatever became of the links ------------------------------------------------


@pytest.mark.parametrize("days", [30, 90, 365])
def test_a_staff_member_reopens_their_meeting_long_after_its_links_expired(
    kin: Kin, clock: MovableClock, days: int
) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    meeting_id = start_meeting(priya)
    (me,) = facilitators(kin, meeting_id)
    facilitator_link = kin.run(kin.services.links.urls, meeting_id)["facilitator"]
    clock.now += days * DAY
    # The facilitator link (7 days) is long gone; opening does not need it.
    assert kin.browser("192.0.2.50").join(facilitator_link, role=None).status_code == 410
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    opened = open_meeting(priya, meeting_id)
    assert (opened.status_code, opened.headers["location"]) == (303, f"/m/{meeting_id}")
    assert uses(kin, meeting_cookie(priya, meeting_id), meeting_id) == expect(ALLOWED, meeting_id)
    assert facilitators(kin, meeting_id) == {me: FAY}


def test_ten_reopens_from_two_browsers_leave_one_staff_participant_with_the_chosen_name(
    kin: Kin,
) -> None:
    office, laptop = signed_in(kin, PRIYA, "192.0.2.1"), signed_in(kin, PRIYA, "192.0.2.2")
    meeting_id = start_meeting(office)
    (me,) = facilitators(kin, meeting_id)
    for turn in range(10):
        browser = (office, laptop)[turn % 2]
        opened = open_meeting(browser, meeting_id, name="Someone else")  # asked once only
        assert opened.status_code == 303
        assert uses(kin, meeting_cookie(browser, meeting_id), meeting_id) == expect(
            ALLOWED, meeting_id
        )
    assert facilitators(kin, meeting_id) == {me: FAY}
    assert len(kin.board(meeting_id).participants) == 1
    # Both browsers are the same person, at once.
    for browser in (office, laptop):
        session = kin.run(
            kin.services.sessions.find, browser.cookie(f"kb_{meeting_id}"), meeting_id
        )
        assert session is not None and session.participant_id == me


def test_first_openings_at_once_make_one_participant(kin: Kin, clock: MovableClock) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    staff_session = hash_token(priya.cookie("kb_staff") or "")
    meeting_id = kin.new_meeting()["id"]
    joining = kin.services.joining

    async def at_once() -> list[str]:
        openings = [
            joining.as_staff(meeting_id, PRIYA, f"Fay {n}", staff_session, clock.now + 3600)
            for n in range(6)
        ]
        return await asyncio.gather(*openings)

    tokens = kin.run(at_once)
    ((me, name),) = facilitators(kin, meeting_id).items()
    assert name.startswith("Fay ")
    sessions = [kin.run(kin.services.sessions.find, token, meeting_id) for token in tokens]
    assert len(set(tokens)) == 6
    assert [s.participant_id if s else None for s in sessions] == [me] * 6
    events = [e["event"] for e in kin.audit(meeting_id) if e["by"] == me]
    assert sorted(events) == ["join", *["staff.reopened"] * 5]


def test_a_colleague_is_asked_their_name_once_and_joins_as_a_facilitator_of_their_own(
    kin: Kin,
) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    bea = signed_in(kin, BEA, "192.0.2.2")
    meeting_id = start_meeting(priya)
    assert priya.post(f"/api/meetings/{meeting_id}/share", json={"email": BEA}).status_code == 200
    # The first time, Bea is asked how the family will see her; the offer is not her e-mail.
    asked = open_meeting(bea, meeting_id)
    assert asked.status_code == 200 and 'data-role="open-meeting"' in asked.text
    offered = re.search(r'id="name"[^>]*value="([^"]*)"', asked.text)
    assert offered and offered.group(1) == "Facilitator"
    assert BEA not in asked.text and bea.cookie(f"kb_{meeting_id}") is None
    # A blank name is refused and changes nothing.
    blank = open_meeting(bea, meeting_id, name="   ")
    assert blank.status_code == 400 and "Please tell us your name." in blank.text
    assert len(facilitators(kin, meeting_id)) == 1
    assert open_meeting(bea, meeting_id, name="Bea, team manager").status_code == 303
    assert open_meeting(bea, meeting_id).status_code == 303  # not asked again
    assert sorted(facilitators(kin, meeting_id).values()) == ["Bea, team manager", FAY]
    # Her account keeps the name to offer next time (on the home page's form too).
    assert kin.run(kin.staff.find, BEA).display_name == "Bea, team manager"
    assert 'value="Bea, team manager"' in bea.get("/").text


def test_starting_a_meeting_without_a_name_never_shows_the_email(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    assert 'value="Facilitator"' in priya.get("/").text
    meeting_id = start_meeting(priya, name="")
    assert list(facilitators(kin, meeting_id).values()) == ["Facilitator"]


def test_the_email_appears_nowhere_a_family_member_is_sent(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    meeting_id = start_meeting(priya)
    (me,) = facilitators(kin, meeting_id)
    open_meeting(priya, meeting_id)
    kin.op(meeting_id, me, "participant.rename", name="Fay Okafor, social worker")
    family = kin.browser("192.0.2.30")
    assert (
        family.join(kin.run(kin.services.links.urls, meeting_id)["participant"]).status_code == 200
    )
    kin.op(meeting_id, me, "card.add", section="strengths", text="Ava goes to school")
    kin.op(meeting_id, me, "minutes.take")
    seen = [family.get(f"/api/meetings/{meeting_id}"), family.get(f"/m/{meeting_id}")]
    seen += [family.get(f"/m/{meeting_id}/minutes/1{ext}") for ext in ("", ".json", ".md")]
    assert [answer.status_code for answer in seen] == [200] * 5
    assert "Fay Okafor, social worker" in seen[2].text  # "Who was there"
    for answer in seen:
        assert "priya" not in answer.text.lower() and "council.example" not in answer.text


# --- a meeting session ends with the staff session ----------------------------------------


def test_signing_out_ends_the_meetings_opened_and_clears_their_cookies(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    meeting_id = start_meeting(priya)
    cookie = meeting_cookie(priya, meeting_id)
    assert uses(kin, cookie, meeting_id) == expect(ALLOWED, meeting_id)
    signed_out = priya.form("/signout", {}, page="/")
    cleared = signed_out.headers.get_list("set-cookie")
    assert any(c.startswith(f"kb_{meeting_id}=") and "Max-Age=0" in c for c in cleared)
    assert not any(c.startswith("kb_csrf=") for c in cleared)
    # A copy of the meeting cookie (the next person at a shared computer) gets nothing:
    # not the board, not the links (the facilitator link among them), no way back in.
    assert uses(kin, cookie, meeting_id) == expect(REFUSED, meeting_id)
    again = kin.browser("192.0.2.77").form(f"/m/{meeting_id}/open", {}, page="/signin")
    assert (again.status_code, again.headers["location"]) == (303, "/signin")
    assert len(kin.board(meeting_id).participants) == 1


def test_an_idle_staff_session_ends_its_meetings_and_using_the_board_is_not_idle(
    kin: Kin, clock: MovableClock
) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    meeting_id = start_meeting(priya)
    cookie = meeting_cookie(priya, meeting_id)
    # Working on the board keeps the staff session alive...
    for _ in range(3):
        clock.now += IDLE_SECONDS - 60
        assert uses(kin, cookie, meeting_id) == expect(ALLOWED, meeting_id)
    assert priya.signed_in()
    # ...and half an hour of nothing ends both.
    clock.now += IDLE_SECONDS + 1
    assert uses(kin, cookie, meeting_id) == expect(REFUSED, meeting_id)
    assert not priya.signed_in()


def test_a_meeting_session_never_outlives_the_staff_sessions_eight_hours(
    kin: Kin, clock: MovableClock
) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    began = clock.now
    meeting_id = start_meeting(priya)
    cookie = meeting_cookie(priya, meeting_id)
    while clock.now + 20 * 60 - began < LONGEST_SECONDS:
        clock.now += 20 * 60
        assert uses(kin, cookie, meeting_id) == expect(ALLOWED, meeting_id)
    clock.now = began + LONGEST_SECONDS + 1
    assert uses(kin, cookie, meeting_id) == expect(REFUSED, meeting_id)


def test_disabling_an_account_ends_the_meetings_it_opened(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    meeting_id = start_meeting(priya)
    cookie = meeting_cookie(priya, meeting_id)
    assert uses(kin, cookie, meeting_id) == expect(ALLOWED, meeting_id)
    kin.run(kin.staff.disable, PRIYA, "test")
    assert uses(kin, cookie, meeting_id) == expect(REFUSED, meeting_id)
    assert priya.get(f"/api/meetings/{meeting_id}/links").status_code == 403


def test_a_family_members_session_does_not_depend_on_any_staff_session(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    meeting_id = start_meeting(priya)
    family = kin.browser("192.0.2.30")
    assert (
        family.join(kin.run(kin.services.links.urls, meeting_id)["participant"]).status_code == 200
    )
    priya.form("/signout", {}, page="/")
    kin.run(kin.staff.disable, PRIYA, "test")
    assert family.get(f"/api/meetings/{meeting_id}").status_code == 200


def test_the_board_has_the_staff_menu_only_for_the_meetings_staff(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    meeting = start_meeting(priya)
    assert 'data-role="staff-menu"' in priya.get(f"/m/{meeting}").text
    links = kin.run(kin.services.links.urls, meeting)
    family = kin.browser("192.0.2.7")
    assert family.join(links["participant"]).status_code == 200
    page = family.get(f"/m/{meeting}")
    assert page.status_code == 200 and 'data-role="staff-menu"' not in page.text
    # What the menu asks for is refused to them, and changes nothing.
    [staff_participant] = facilitators(kin, meeting)
    export = f"/api/meetings/{meeting}/participants/{staff_participant}/export"
    assert family.get(export).status_code == 403
    assert family.request("DELETE", f"/api/meetings/{meeting}").status_code == 403
    assert kin.board(meeting).meeting.title == "Meeting for Ava"
    assert priya.get(export).status_code == 200
