"""After the meeting: "Our plan", read by the family's own sessions and links once the
meeting has closed, and by nobody else; every change refused `closed`; gone once purged."""

from __future__ import annotations

from typing import Any

import pytest

from server.board.errors import Closed
from tests.support.inprocess import KEY, Kin, MovableClock, joined, token_of

PLAN_TEXT = "Mum calls Gran <b>before</b> she gets upset"
BOTTOM_LINE = "The children are never left alone with someone who has been drinking"
DRAFT_TEXT = "DRAFT-ONLY words nobody agreed"


@pytest.fixture
def closed(kin: Kin) -> dict[str, Any]:
    """A meeting with an agreed plan (minutes 1), later draft minutes nobody agreed (2),
    then closed. Sam came by the family link, Gran and Jo (a worker) by links of their own."""
    meeting = kin.new_meeting(title="Meeting for Ava")
    mid, links = meeting["id"], meeting["links"]
    facilitator = joined(kin.browser("203.0.113.1"), links["facilitator"], "Priya", None)
    gran_link = kin.run(
        kin.services.links.add_person_link, mid, "Gran", "network", None, facilitator
    )
    jo_link = kin.run(
        kin.services.links.add_person_link, mid, "Jo", "professional", None, facilitator
    )
    sam, gran, jo = (kin.browser(f"203.0.113.{n}") for n in (2, 3, 4))
    sam_id = joined(sam, links["participant"], "Sam", "parent")
    joined(gran, kin.services.links.url(gran_link), "ignored", None)
    joined(jo, kin.services.links.url(jo_link), "ignored", None)

    def do(by: str, op_type: str, **fields: Any) -> None:
        kin.op(mid, by, op_type, **fields)

    do(
        facilitator,
        "card.add",
        section="plan_rules",
        text=PLAN_TEXT,
        owner="Gran",
        due="2027-01-15",
    )
    line = {"text": BOTTOM_LINE, "attributed_to": "Children's services"}
    do(facilitator, "card.add", section="bottom_lines", **line)
    do(facilitator, "decision.set", outcome="continue", next_review="2027-03-01")
    do(facilitator, "minutes.take")
    do(sam_id, "minutes.sign", minutes=1, stance="agree")
    do(facilitator, "minutes.agree", minutes=1)
    do(facilitator, "card.add", section="plan_helpers", text=DRAFT_TEXT)
    do(facilitator, "minutes.take")
    do(facilitator, "meeting.close")
    return {
        "id": mid,
        "links": links,
        "sam": sam,
        "sam_id": sam_id,
        "gran": gran,
        "jo": jo,
        "gran_link": kin.services.links.url(gran_link),
        "jo_link": kin.services.links.url(jo_link),
        "gran_link_id": gran_link.id,
        "facilitator": facilitator,
    }


def test_a_family_members_session_reads_the_agreed_plan_and_downloads_it(
    kin: Kin, closed: dict[str, Any]
) -> None:
    mid, sam = closed["id"], closed["sam"]
    page = sam.get(f"/m/{mid}/plan")
    assert page.status_code == 200
    assert "Our plan" in page.text and "Meeting for Ava" in page.text
    # User text is escaped; what nobody agreed is not sent.
    assert "Mum calls Gran &lt;b&gt;before&lt;/b&gt; she gets upset" in page.text
    assert "<b>before</b>" not in page.text
    assert DRAFT_TEXT not in page.text
    # People's own words in a <bdi>: their direction, whatever the page's.
    assert "Who: <bdi>Gran</bdi>" in page.text and "By 15 January 2027" in page.text
    # The bottom lines, and who set each.
    assert "Bottom lines: what will we not accept?" in page.text
    assert BOTTOM_LINE in page.text and "Set by <bdi>Children&#39;s services</bdi>" in page.text
    assert "The next meeting is on 1 March 2027." in page.text
    assert "The meeting has ended." in page.text
    kept_until = kin.services.retention.purge_at(kin.board(mid).meeting)
    assert kept_until is not None
    assert f'href="/m/{mid}/minutes/1.pdf"' in page.text
    pdf = sam.get(f"/m/{mid}/minutes/1.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert sam.get(f"/m/{mid}/minutes/1").status_code == 200
    # Only agreed minutes: the draft is not there for them.
    for url in (f"/m/{mid}/minutes/2", f"/m/{mid}/minutes/2.pdf", f"/m/{mid}/minutes/2.json"):
        assert sam.get(url).status_code == 404, url
    # The board's own way in leads to the plan; the board itself is not sent.
    board_page = sam.get(f"/m/{mid}")
    assert (board_page.status_code, board_page.headers["location"]) == (303, f"/m/{mid}/plan")
    board = sam.get(f"/api/meetings/{mid}")
    assert (board.status_code, board.json()["error"]["code"]) == (409, "closed")
    assert DRAFT_TEXT not in board.text
    assert any(e["event"] == "plan.viewed" and e["by"] == closed["sam_id"] for e in kin.audit(mid))


def test_every_change_is_refused_closed_over_http_and_as_an_op(
    kin: Kin, closed: dict[str, Any]
) -> None:
    mid, sam = closed["id"], closed["sam"]
    before = kin.board(mid)
    edit = sam.post(f"/api/meetings/{mid}/people-links", json={"name": "Bob", "role": "parent"})
    assert (edit.status_code, edit.json()["error"]["code"]) == (409, "closed")
    assert edit.json()["error"]["message"]
    with pytest.raises(Closed, match="ended"):
        kin.op(mid, closed["sam_id"], "card.add", section="harm", text="Too late")
    with pytest.raises(Closed):
        kin.op(mid, closed["facilitator"], "meeting.unlock")
    assert kin.board(mid) == before
    late = kin.browser("198.51.100.9").join(closed["links"]["participant"], "Late", "parent")
    assert (late.status_code, late.json()["error"]["code"]) == (409, "closed")


def test_a_family_members_own_link_opens_the_plan_on_a_new_phone_even_past_its_expiry(
    kin: Kin, closed: dict[str, Any], clock: MovableClock
) -> None:
    mid = closed["id"]
    clock.now += (kin.settings.link_days + 1) * 86400  # the link's joining days are over
    phone = kin.browser("198.51.100.20")
    preview = phone.post("/api/join/preview", json={"token": token_of(closed["gran_link"])})
    assert preview.status_code == 200 and preview.json()["meeting"]["status"] == "closed"
    opened = phone.join(closed["gran_link"], "ignored", None)
    assert opened.status_code == 200, opened.text
    assert opened.json()["board_url"] == f"/m/{mid}/plan"
    assert "participant" not in opened.json()
    page = phone.get(f"/m/{mid}/plan")
    assert page.status_code == 200 and "Mum calls Gran" in page.text
    assert phone.get(f"/m/{mid}/minutes/1.pdf").status_code == 200
    # It reads the plan, and nothing else.
    assert phone.get(f"/api/meetings/{mid}").status_code == 409
    assert phone.get(f"/m/{mid}/minutes/2").status_code == 404
    assert len(kin.board(mid).participants) == 4  # nobody joined
    # Turned off, the link opens nothing any more, and its sessions end.
    kin.run(kin.services.links.revoke_link, mid, closed["gran_link_id"], "staff")
    assert phone.get(f"/m/{mid}/plan").status_code == 403
    assert closed["gran"].get(f"/m/{mid}/plan").status_code == 403
    refused = kin.browser("198.51.100.21").join(closed["gran_link"], "ignored", None)
    assert refused.status_code == 410


def test_someone_not_of_the_family_and_a_stranger_get_nothing(
    kin: Kin, closed: dict[str, Any]
) -> None:
    mid = closed["id"]
    jo, stranger = closed["jo"], kin.browser("198.51.100.66")
    for browser in (jo, stranger):
        for url in (f"/m/{mid}/plan", f"/m/{mid}/minutes/1", f"/m/{mid}/minutes/1.pdf"):
            answer = browser.get(url)
            assert answer.status_code == 403, (url, answer.text)
            assert "Mum calls Gran" not in answer.text
    # A worker's own link and the family's shared link open nothing after the meeting.
    for link, role in ((closed["jo_link"], None), (closed["links"]["participant"], "parent")):
        answer = stranger.join(link, "Someone", role)
        assert (answer.status_code, answer.json()["error"]["code"]) == (409, "closed")
    assert stranger.get(f"/m/{mid}/plan").status_code == 403
    assert kin.client.get(f"/m/{mid}/plan", headers=KEY).status_code == 200


def test_the_plan_is_gone_once_the_meeting_is_purged(
    kin: Kin, closed: dict[str, Any], clock: MovableClock
) -> None:
    mid, sam = closed["id"], closed["sam"]
    purge_at = kin.services.retention.purge_at(kin.board(mid).meeting)
    assert purge_at == clock.now + kin.settings.retention_days * 86400
    clock.now = purge_at - 1
    assert kin.run(kin.services.retention.purge_expired) == []
    opened = kin.browser("198.51.100.30").join(closed["gran_link"], "ignored", None)
    assert opened.status_code == 200
    clock.now = purge_at
    assert kin.run(kin.services.retention.purge_expired) == [mid]
    assert sam.get(f"/m/{mid}/plan").status_code == 403
    assert kin.browser("198.51.100.31").join(closed["gran_link"], "x", None).status_code == 404


def test_before_any_minutes_are_agreed_the_plan_page_says_so(kin: Kin) -> None:
    meeting = kin.new_meeting(title="Meeting for Leo")
    mid, links = meeting["id"], meeting["links"]
    facilitator = joined(kin.browser("203.0.113.9"), links["facilitator"], "Priya", None)
    sam = kin.browser("203.0.113.10")
    joined(sam, links["participant"], "Sam", "parent")
    kin.op(mid, facilitator, "card.add", section="plan_rules", text=DRAFT_TEXT)
    kin.op(mid, facilitator, "minutes.take")
    kin.op(mid, facilitator, "meeting.close")
    page = sam.get(f"/m/{mid}/plan")
    assert page.status_code == 200
    assert "There is no agreed plan from this meeting yet." in page.text
    assert DRAFT_TEXT not in page.text
    assert sam.get(f"/m/{mid}/minutes/1").status_code == 404
