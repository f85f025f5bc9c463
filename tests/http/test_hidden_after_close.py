"""Hidden cards after the meeting: "Our plan", its easy read (page and PDF), its PDF and the
agreed minutes leave out what is kept from the reader, by their session and by their own
link on a new phone (a plan-only session, which sees only what everyone may); staff read
all of it, marked."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.inprocess import Kin, joined, staff_with_meeting
from tests.support.secrets import Secret, assert_kept, assert_shown, over_http, status_of

HIDDEN = Secret("the plan step hidden from Dad", ("SAFEHOUSE8", "c_safe"))
PROS = Secret("the plan step for professionals only", ("MARAC5J", "c_marac"))
# The easy read plan shows the worries too ("Our plan" does not).
WORRY = Secret("the worry hidden from Dad", ("WORRYZ7", "c_worry"))
PLAN = [
    "our plan",
    "easy read",
    "easy read pdf",
    "minutes 1",
    "minutes 1 md",
    "minutes 1 json",
    "minutes 1 pdf",
]


@pytest.fixture
def closed(kin: Kin) -> dict[str, Any]:
    """Priya (signed-in staff) ran the meeting; Dad came by his own link, Mum by the family
    link. The agreed plan holds a step hidden from Dad and one for professionals only."""
    staff, mid = staff_with_meeting(kin)
    board = kin.board(mid)
    (priya,) = board.participants
    dad_link = kin.run(kin.services.links.add_person_link, mid, "Dad", "parent", None, priya)
    dad, mum = kin.browser("203.0.113.2"), kin.browser("203.0.113.3")
    dad_id = joined(dad, kin.services.links.url(dad_link), "ignored", None)
    links = kin.run(kin.services.links.urls, mid)
    joined(mum, links["participant"], "Mum", "parent")

    def do(op_type: str, **fields: Any) -> None:
        kin.op(mid, priya, op_type, **fields)

    hide = {"kind": "hidden_from", "people": [dad_id]}
    do(
        "card.add",
        section="plan_rules",
        text="Mum stays at SAFEHOUSE8",
        card_id="c_safe",
        audience=hide,
    )
    do(
        "card.add",
        section="plan_rules",
        text="MARAC5J referral",
        card_id="c_marac",
        audience={"kind": "professionals"},
    )
    do("card.add", section="plan_rules", text="Gran collects Ava from school")
    do("card.add", section="danger", text="WORRYZ7 at home", card_id="c_worry", audience=hide)
    do("minutes.take")
    do("minutes.agree", minutes=1)
    do("meeting.close")
    dad_url = kin.services.links.url(dad_link)
    return {"id": mid, "staff": staff, "dad": dad, "mum": mum, "dad_link": dad_url}


def test_the_plan_and_its_downloads_leave_out_what_is_kept_from_the_reader(
    kin: Kin, closed: dict[str, Any]
) -> None:
    mid = closed["id"]
    phone = kin.browser("198.51.100.30")
    opened = phone.join(closed["dad_link"], "ignored", None)
    assert opened.status_code == 200 and "participant" not in opened.json()  # plan only
    readers = {
        "Dad": closed["dad"],
        "Dad's new phone": phone,
        "Mum": closed["mum"],
        "Priya": closed["staff"],
    }
    sent = {name: over_http(b.get, mid, minutes=[1], plan=True) for name, b in readers.items()}
    for name, answers in sent.items():
        assert status_of(answers, "our plan") == 200, name
        assert status_of(answers, "minutes 1 pdf") == 200, name
        assert status_of(answers, "easy read pdf") == 200, name
        assert "Gran collects Ava" in answers["our plan"], name
        assert "Gran collects Ava" in answers["easy read pdf"], name
    for name in ("Dad", "Dad's new phone"):
        assert_kept(HIDDEN, sent[name], name)
        assert_kept(PROS, sent[name], name)
        assert_kept(WORRY, sent[name], name)
    for name in ("Mum", "Priya"):
        assert_shown(WORRY, sent[name], name, ["easy read", "easy read pdf", "minutes 1"])
    assert_kept(PROS, sent["Mum"], "Mum")
    assert_shown(HIDDEN, sent["Mum"], "Mum", PLAN)
    assert_shown(HIDDEN, sent["Priya"], "Priya", PLAN)
    assert_shown(PROS, sent["Priya"], "Priya", PLAN)
    assert "Hidden from Dad" in sent["Priya"]["minutes 1"]
    assert "For professionals only" in sent["Priya"]["minutes 1 pdf"]
    assert "For professionals only" in sent["Priya"]["easy read pdf"]
