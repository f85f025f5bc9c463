"""Sharing a whole family: its owner gives a colleague every meeting of it, now and later
(reviews too), and takes them all back; the colleague's way in ends with it."""

from __future__ import annotations

from tests.http.test_families import BEA, PRIYA, agree_minutes, family_ids, signed_in, start
from tests.support.inprocess import BASE, KEY, Browser, Kin, MovableClock

CAL = "cal@council.example"
EVIL = "http://evil.example"


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
