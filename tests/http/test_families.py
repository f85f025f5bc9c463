"""Families: a meeting belongs to a family; the staff home page lists a staff member's
families (paged, searched), each with its chain of meetings, the agreed plan, the decision
and the next review; its owner shares a whole family with a colleague and takes it back;
bad input is refused and changes nothing.

In-process with a clock the tests move (tests/e2e/test_family_journey.py follows a family
over months)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from server.board.roles import Role
from server.families import PAGE_SIZE
from tests.support.inprocess import BASE, KEY, Browser, Kin, MovableClock

PRIYA = "priya@council.example"
BEA = "bea@council.example"
CAL = "cal@council.example"
EVIL = "http://evil.example"
DAY = 86400


def signed_in(kin: Kin, email: str = PRIYA, address: str = "192.0.2.1") -> Browser:
    if kin.run(kin.staff.find, email) is None:
        kin.add_staff(email)
    browser = kin.browser(address)
    assert browser.sign_in(email).status_code == 303
    return browser


def start(staff: Browser, title: str = "First meeting", **family: str) -> str:
    fields = {"family_name": "Khan family", **family} if "family_id" not in family else family
    answer = staff.form("/meetings", {"title": title, "name": "Fay", **fields}, page="/")
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[1]


def family_ids(page: str) -> list[str]:
    return re.findall(r'data-family="([^"]+)"', page)


def meeting_count(kin: Kin) -> int:
    return len(kin.run(kin.store.list_meetings))


def api_start(kin: Kin, **body: Any) -> Any:
    return kin.client.post("/api/meetings", json={"title": "Meeting", **body}, headers=KEY)


# --- starting a meeting for a family ------------------------------------------------------


def test_the_api_starts_a_meeting_for_a_new_family_then_for_it_by_case_reference(
    kin: Kin, clock: MovableClock
) -> None:
    children = [{"name": "Ava", "age": 7}, {"name": "Leo", "age": None}]
    first = api_start(
        kin, family={"name": "Khan family", "case_ref": "CR-1042", "children": children}
    )
    assert first.status_code == 201, first.text
    family_id = first.json()["family_id"]
    family = kin.run(kin.store.family, family_id)
    assert (family.name, family.case_ref) == ("Khan family", "CR-1042")
    assert [(c.name, c.age) for c in family.children] == [("Ava", 7), ("Leo", None)]
    clock.now += DAY
    second = api_start(kin, case_ref="CR-1042")
    assert (second.status_code, second.json()["family_id"]) == (201, family_id)
    clock.now += DAY
    third = api_start(kin, family_id=family_id)
    assert third.json()["family_id"] == family_id
    chain = kin.run(kin.services.families.chain, family_id)
    assert [m.meeting_id for m in chain] == [
        first.json()["id"],
        second.json()["id"],
        third.json()["id"],
    ]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"case_ref": "CR-0000"}, 404, "not_found"),
        ({"family_id": "f_nosuch"}, 404, "not_found"),
        ({"family": {"name": "Khan family", "case_ref": "CR-1042"}}, 409, "duplicate"),
        ({"family": {"name": "Ali family", "case_ref": "C" * 41}}, 400, "too_long"),
        ({"family": {"name": ""}}, 400, "invalid"),
        (
            {"family": {"name": "Ali family", "children": [{"name": "Ava", "age": 99}]}},
            400,
            "invalid",
        ),
        ({"family": {"name": "Ali family", "children": "Ava"}}, 400, "invalid"),
        ({"family": "Ali family"}, 400, "invalid"),
    ],
)
def test_bad_family_input_is_refused_clearly_and_changes_nothing(
    kin: Kin, body: dict[str, Any], status: int, code: str
) -> None:
    assert api_start(kin, family={"name": "Khan family", "case_ref": "CR-1042"}).status_code == 201
    before = meeting_count(kin)
    answer = api_start(kin, **body)
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), answer.text
    assert answer.json()["error"]["message"]
    assert meeting_count(kin) == before


def test_a_case_reference_of_40_characters_is_kept(kin: Kin) -> None:
    answer = api_start(kin, family={"name": "Ali family", "case_ref": "C" * 40})
    assert answer.status_code == 201
    assert kin.run(kin.store.family, answer.json()["family_id"]).case_ref == "C" * 40


def test_a_staff_member_cannot_make_the_same_family_twice_but_a_colleague_can(kin: Kin) -> None:
    priya = signed_in(kin)
    start(priya, children="Ava 7, Leo 4")
    before = meeting_count(kin)
    again = priya.form(
        "/meetings",
        {
            "title": "Again",
            "name": "Fay",
            "family_name": " khan  FAMILY",
            "children": "Leo 4, Ava 7",
        },
        page="/",
    )
    assert again.status_code == 409
    assert "same children" in again.text
    assert meeting_count(kin) == before
    assert len(family_ids(priya.get("/").text)) == 1
    # Other children: another family of the same name.
    start(priya, children="Sara 3")
    assert len(family_ids(priya.get("/").text)) == 2
    bea = signed_in(kin, BEA, "192.0.2.2")
    start(bea, children="Ava 7, Leo 4")
    assert len(family_ids(bea.get("/").text)) == 1


def test_a_staff_member_starts_meetings_only_for_families_of_theirs(
    kin: Kin, clock: MovableClock
) -> None:
    priya = signed_in(kin)
    start(priya, case_ref="CR-9")
    (family_id,) = family_ids(priya.get("/").text)
    bea = signed_in(kin, BEA, "192.0.2.2")
    before = meeting_count(kin)
    refused = bea.form(
        "/meetings", {"title": "Mine?", "name": "Bea", "family_id": family_id}, page="/"
    )
    assert refused.status_code == 404
    assert bea.get(f"/?family={family_id}").status_code == 404
    refused = bea.post("/api/meetings", json={"title": "Mine?", "family_id": family_id})
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    by_case = bea.form("/meetings", {"title": "Mine?", "name": "Bea", "case_ref": "CR-9"}, page="/")
    assert by_case.status_code == 404
    assert meeting_count(kin) == before
    # Priya picks it from her list: the form says which family.
    page = priya.get(f"/?family={family_id}").text
    assert 'data-role="chosen-family"' in page and "Khan family" in page
    clock.now += 60
    start(priya, "Second meeting", family_id=family_id)
    clock.now += 60
    third = priya.form(
        "/meetings", {"title": "Third meeting", "name": "Fay", "case_ref": "CR-9 "}, page="/"
    )
    assert third.status_code == 303
    chain = kin.run(kin.services.families.chain, family_id)
    assert [m.title for m in chain] == ["First meeting", "Second meeting", "Third meeting"]


def test_a_meeting_started_without_a_family_gets_one_named_after_it(kin: Kin) -> None:
    first, second = api_start(kin, title="Meeting for Ava"), api_start(kin, title="Meeting for Ava")
    assert first.json()["family_id"] != second.json()["family_id"]
    assert kin.run(kin.store.family, first.json()["family_id"]).name == "Meeting for Ava"


# --- the list of families -----------------------------------------------------------------


def test_the_home_page_lists_only_my_families_newest_first_paged_and_searched(
    kin: Kin, clock: MovableClock
) -> None:
    priya = signed_in(kin)
    for n in range(PAGE_SIZE + 5):
        clock.now += 60
        start(priya, f"Meeting {n}", family_name=f"Family {n:02d}", case_ref=f"CASE-{n:02d}")
    bea = signed_in(kin, BEA, "192.0.2.2")
    start(bea, family_name="Okafor family")

    first = priya.get("/").text
    assert len(family_ids(first)) == PAGE_SIZE
    assert first.index("Family 24") < first.index("Family 23")
    assert "Okafor" not in first and "Page 1 of 2" in first
    second = priya.get("/?page=2").text
    assert len(family_ids(second)) == 5 and "Family 00" in second
    # By name or by case reference, whatever the case.
    found = priya.get("/", params={"q": "family 1"}).text
    assert len(family_ids(found)) == 10
    by_case = priya.get("/", params={"q": "case-07"}).text
    assert len(family_ids(by_case)) == 1 and "Family 07" in by_case
    nothing = priya.get("/", params={"q": "okafor"}).text
    assert family_ids(nothing) == [] and "No family of yours matches" in nothing
    assert priya.get("/", params={"q": "x" * 121}).status_code == 400
    # A page past the end (or far past it) is the last one.
    assert family_ids(priya.get("/?page=3").text) == family_ids(second)
    assert family_ids(priya.get("/?page=" + "9" * 40).text) == family_ids(second)


def test_a_shared_meetings_family_is_in_the_colleagues_list_until_it_is_unshared(
    kin: Kin, clock: MovableClock
) -> None:
    priya = signed_in(kin)
    first = start(priya)
    (family_id,) = family_ids(priya.get("/").text)
    clock.now += 60
    second = start(priya, "Second meeting", family_id=family_id)
    bea = signed_in(kin, BEA, "192.0.2.2")
    assert family_ids(bea.get("/").text) == []
    for meeting_id in (first, second):
        shared = priya.post(f"/api/meetings/{meeting_id}/share", json={"email": BEA})
        assert shared.status_code == 200
    assert family_ids(bea.get("/").text) == [family_id]
    # Still hers while one meeting of the family is shared with her.
    assert priya.request("DELETE", f"/api/meetings/{first}/share/{BEA}").status_code == 200
    assert family_ids(bea.get("/").text) == [family_id]
    assert priya.request("DELETE", f"/api/meetings/{second}/share/{BEA}").status_code == 200
    assert family_ids(bea.get("/").text) == []
    assert family_ids(priya.get("/").text) == [family_id]


def facilitator_of(kin: Kin, meeting_id: str) -> str:
    return next(
        p.id for p in kin.board(meeting_id).participants.values() if p.role is Role.FACILITATOR
    )


def agree_minutes(kin: Kin, meeting_id: str, next_review: str | None, **plan: str) -> None:
    facilitator = facilitator_of(kin, meeting_id)
    for section, text in plan.items():
        kin.op(meeting_id, facilitator, "card.add", section=section, text=text)
    kin.op(meeting_id, facilitator, "decision.set", outcome="continue", next_review=next_review)
    kin.op(meeting_id, facilitator, "minutes.take")
    number = len(kin.board(meeting_id).minutes)
    kin.op(meeting_id, facilitator, "minutes.agree", minutes=number)


def test_each_family_shows_its_chain_the_agreed_plan_the_decision_and_the_next_review(
    kin: Kin,
) -> None:
    priya = signed_in(kin)
    meeting_id = start(priya, case_ref="CR-1")
    page = priya.get("/").text
    assert "No agreed plan yet" in page
    agree_minutes(kin, meeting_id, "2027-03-01", plan_rules="Gran stays on Fridays")
    page = priya.get("/").text
    assert f'href="/m/{meeting_id}/minutes/1"' in page
    assert "Gran stays on Fridays" in page
    assert "Decision: " in page and "1 March 2027" in page


# --- the families API ---------------------------------------------------------------------


def test_the_families_api_finds_a_family_by_case_reference_and_lists_its_meetings(
    kin: Kin,
) -> None:
    made = api_start(kin, family={"name": "Khan family", "case_ref": "CR-1042"})
    family_id = made.json()["family_id"]
    found = kin.client.get("/api/families", params={"case_ref": "CR-1042"}, headers=KEY)
    assert found.status_code == 200, found.text
    (family,) = found.json()["families"]
    assert (family["id"], family["name"], family["case_ref"]) == (
        family_id,
        "Khan family",
        "CR-1042",
    )
    assert [m["id"] for m in family["meetings"]] == [made.json()["id"]]
    meetings = kin.client.get(f"/api/families/{family_id}/meetings", headers=KEY)
    assert meetings.json()["family"]["id"] == family_id
    (meeting,) = meetings.json()["meetings"]
    assert (meeting["title"], meeting["status"], meeting["agreed_minutes"]) == (
        "Meeting",
        "open",
        None,
    )
    unknown = kin.client.get("/api/families", params={"case_ref": "CR-0000"}, headers=KEY)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "not_found")
    too_long = kin.client.get("/api/families", params={"case_ref": "C" * 41}, headers=KEY)
    assert (too_long.status_code, too_long.json()["error"]["code"]) == (400, "too_long")
    blank = kin.client.get("/api/families", params={"case_ref": " "}, headers=KEY)
    assert (blank.status_code, blank.json()["error"]["code"]) == (400, "invalid")
    asked_for_all = kin.client.get("/api/families", headers=KEY)
    assert asked_for_all.status_code == 400
    assert kin.client.get("/api/families/f_nosuch/meetings", headers=KEY).status_code == 404
    assert kin.client.get("/api/families", params={"case_ref": "CR-1042"}).status_code == 401


def test_staff_read_only_their_own_families_through_the_api(kin: Kin) -> None:
    priya = signed_in(kin)
    start(priya, case_ref="CR-1")
    (family_id,) = family_ids(priya.get("/").text)
    mine = priya.get("/api/families")
    assert [f["id"] for f in mine.json()["families"]] == [family_id]
    assert mine.json()["total"] == 1
    assert priya.get("/api/families", params={"case_ref": "CR-1"}).status_code == 200
    bea = signed_in(kin, BEA, "192.0.2.2")
    assert bea.get("/api/families").json()["families"] == []
    assert bea.get("/api/families", params={"case_ref": "CR-1"}).status_code == 404
    assert bea.get(f"/api/families/{family_id}/meetings").status_code == 404


# --- sharing a whole family: every meeting of it, now and later, and taking it back ---


def a_family_of_two(kin: Kin, clock: MovableClock) -> tuple[Browser, str, list[str]]:
    priya = signed_in(kin)
    first = start(priya)
    (family_id,) = family_ids(priya.get("/").text)
    clock.now += 60
    second = start(priya, "Second meeting", family_id=family_id)
    return priya, family_id, [first, second]


def share(who: Browser, family_id: str, email: str, **kwargs: object) -> tuple[int, object]:
    answer = who.post(f"/api/families/{family_id}/share", json={"email": email}, **kwargs)  # type: ignore[arg-type]
    return answer.status_code, answer.json()


def unshare(who: Browser, family_id: str, email: str, **kwargs: object) -> int:
    path = f"/api/families/{family_id}/share/{email}"
    return who.request("DELETE", path, **kwargs).status_code  # type: ignore[arg-type]


def test_only_the_familys_owner_shares_it_from_our_own_pages(kin: Kin, clock: MovableClock) -> None:
    priya, family_id, meetings = a_family_of_two(kin, clock)
    bea = signed_in(kin, BEA, "192.0.2.2")
    assert priya.post(f"/api/meetings/{meetings[0]}/share", json={"email": BEA}).status_code == 200
    # Bea has the family in her list by one meeting, but it is not hers to share.
    assert share(bea, family_id, CAL)[0] == 403
    assert unshare(bea, family_id, PRIYA) == 403
    assert bea.get(f"/api/families/{family_id}/share").status_code == 403
    cal = signed_in(kin, CAL, "192.0.2.3")
    assert share(cal, family_id, CAL)[0] == 404  # not in her list: nothing said of it
    assert share(kin.browser("192.0.2.9"), family_id, CAL)[0] == 401
    assert share(priya, family_id, CAL, headers={"Origin": EVIL})[0] == 403
    assert unshare(priya, family_id, BEA, headers={"Origin": EVIL}) == 403
    assert share(priya, family_id, "not-an-email")[0] == 400
    assert share(priya, "f_nosuchfamily", CAL)[0] == 404
    # Not even KINBOARD_API_KEY: a key is no staff member, and no scope covers sharing.
    assert share(kin.browser("192.0.2.8"), family_id, CAL, headers=KEY)[0] == 401
    assert kin.run(kin.staff.family_shares, family_id) == []
    assert [kin.run(kin.staff.meeting_staff, m) for m in meetings] == [[PRIYA, BEA], [PRIYA]]


def test_sharing_a_family_answers_alike_whether_or_not_the_email_has_an_account(
    kin: Kin, clock: MovableClock
) -> None:
    priya, family_id, meetings = a_family_of_two(kin, clock)
    kin.add_staff(BEA)
    nobody = "dan@council.example"
    assert share(priya, family_id, BEA) == (200, {"staff": [BEA]})
    assert share(priya, family_id, " Dan@Council.Example ") == (200, {"staff": [BEA, nobody]})
    assert priya.get(f"/api/families/{family_id}/share").json() == {"staff": [BEA, nobody]}
    for meeting_id in meetings:
        entries = [e for e in kin.audit(meeting_id) if e["event"] == "staff.family_shared"]
        assert [(e["by"], e["staff"], e["family"]) for e in entries] == [
            (PRIYA, BEA, family_id),
            (PRIYA, nobody, family_id),
        ]
    dan = signed_in(kin, nobody, "192.0.2.4")
    assert family_ids(dan.get("/").text) == [family_id]


def test_a_review_started_after_the_share_is_the_colleagues_too(
    kin: Kin, clock: MovableClock
) -> None:
    priya, family_id, meetings = a_family_of_two(kin, clock)
    bea = signed_in(kin, BEA, "192.0.2.2")
    assert share(priya, family_id, BEA)[0] == 200
    agree_minutes(kin, meetings[1], None)
    clock.now += 60
    answer = priya.post(f"/api/meetings/{meetings[1]}/review", headers={"Origin": BASE})
    assert answer.status_code == 201, answer.text
    review = answer.json()["id"]
    assert kin.run(kin.staff.meeting_staff, review) == [PRIYA, BEA]
    # A meeting started in the family from the home page is hers too.
    clock.now += 60
    later = start(priya, "Another meeting", family_id=family_id)
    assert kin.run(kin.staff.meeting_staff, later) == [PRIYA, BEA]
    assert bea.get(f"/api/meetings/{review}").status_code == 200


def test_removing_the_family_share_ends_the_colleagues_way_in(
    kin: Kin, clock: MovableClock
) -> None:
    priya, family_id, meetings = a_family_of_two(kin, clock)
    bea = signed_in(kin, BEA, "192.0.2.2")
    assert share(priya, family_id, BEA)[0] == 200
    assert share(priya, family_id, CAL)[0] == 200
    opened = bea.form(f"/m/{meetings[0]}/open", {"name": "Bea"}, page="/")
    assert opened.status_code == 303 and bea.cookie(f"kb_{meetings[0]}")
    assert unshare(priya, family_id, PRIYA) == 400
    assert unshare(priya, family_id, "eve@council.example") == 404
    assert unshare(priya, family_id, BEA) == 200
    assert priya.get(f"/api/families/{family_id}/share").json() == {"staff": [CAL]}
    assert family_ids(bea.get("/").text) == []
    for meeting_id in meetings:
        assert kin.run(kin.staff.meeting_staff, meeting_id) == [PRIYA, CAL]
        assert bea.get(f"/api/meetings/{meeting_id}").status_code == 403
        (entry,) = [e for e in kin.audit(meeting_id) if e["event"] == "staff.family_unshared"]
        assert (entry["by"], entry["staff"]) == (PRIYA, BEA)
    # The meeting session she had opened it with ends too (a copy of her cookie is no use).
    alone = kin.browser("192.0.2.5")
    alone.set_cookie(f"kb_{meetings[0]}", bea.cookie(f"kb_{meetings[0]}") or "")
    assert alone.get(f"/api/meetings/{meetings[0]}").status_code == 403
    # And a review started now is not hers.
    agree_minutes(kin, meetings[1], None)
    answer = priya.post(f"/api/meetings/{meetings[1]}/review", headers={"Origin": BASE})
    assert kin.run(kin.staff.meeting_staff, answer.json()["id"]) == [PRIYA, CAL]
