"""A meeting's bound on the people who join it, as a joiner meets it over HTTP."""

from __future__ import annotations

from server.board.limits import MAX_PARTICIPANTS
from server.security import cookie_name
from tests.support.inprocess import Kin


def test_a_join_past_the_meetings_bound_is_refused_409_and_adds_no_one(kin: Kin) -> None:
    meeting = kin.new_meeting()
    link = meeting["links"]["participant"]
    for n in range(MAX_PARTICIPANTS):
        answer = kin.browser(f"198.51.100.{n}").join(link, name=f"Cousin {n}")
        assert answer.status_code == 200, answer.text
    refused = kin.browser("203.0.113.9").join(link, name="One too many")
    assert refused.status_code == 409
    assert refused.json()["error"] == {
        "code": "too_many",
        "message": f"A meeting can have at most {MAX_PARTICIPANTS} people join it.",
    }
    assert cookie_name(kin.settings, meeting["id"]) not in refused.cookies
    board = kin.board(meeting["id"])
    assert len(board.participants) == MAX_PARTICIPANTS
    assert "One too many" not in {p.name for p in board.participants.values()}
