"""An interpreter's own link over HTTP, in-process: the facilitator makes it with the language
they translate into (or is told clearly why not, with nothing made), and joining by it makes
an interpreter of that language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.inprocess import KEY, Kin


def make(kin: Kin, meeting_id: str, **body: Any) -> Any:
    return kin.client.post(f"/api/meetings/{meeting_id}/people-links", json=body, headers=KEY)


def test_an_interpreters_link_has_their_language_and_joining_makes_them_an_interpreter(
    kin: Kin,
) -> None:
    mid = kin.new_meeting()["id"]
    answer = make(kin, mid, name="Olga", role="interpreter", language="pl")
    assert answer.status_code == 201, answer.text
    link = answer.json()
    assert (link["name"], link["role"], link["language"]) == ("Olga", "interpreter", "pl")
    gran = make(kin, mid, name="Gran", role="network").json()
    assert gran["language"] is None
    joined = kin.browser().join(link["url"], "", None)
    assert joined.status_code == 200, joined.text
    assert joined.json()["participant"]["role"] == "interpreter"
    board = kin.client.get(f"/api/meetings/{mid}", headers=KEY).json()
    olga = next(p for p in board["participants"] if p["name"] == "Olga")
    assert (olga["role"], olga["interprets"]) == ("interpreter", "pl")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"role": "interpreter"}, "Please choose the language the interpreter translates into."),
        ({"role": "interpreter", "language": "xx"}, "An interpreter can translate into one of"),
        ({"role": "interpreter", "language": "en"}, "An interpreter can translate into one of"),
        ({"role": "interpreter", "language": 7}, "An interpreter can translate into one of"),
        ({"role": "parent", "language": "pl"}, "Only an interpreter's link has a language."),
        ({"role": "viewer"}, "Please choose who the person is in this meeting."),
    ],
)
def test_a_bad_interpreters_link_is_refused_and_nothing_is_made(
    kin: Kin, body: dict[str, Any], message: str
) -> None:
    mid = kin.new_meeting()["id"]
    answer = make(kin, mid, name="Olga", **body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "invalid"
    assert answer.json()["error"]["message"].startswith(message)
    listed = kin.client.get(f"/api/meetings/{mid}/people-links", headers=KEY).json()
    assert listed["links"] == []


def test_inviting_the_same_people_to_a_review_gives_the_interpreter_their_language_again(
    kin: Kin,
) -> None:
    meeting = kin.new_meeting()
    mid = meeting["id"]
    fay = kin.browser().join(meeting["links"]["facilitator"], "Fay", role=None).json()
    olga = make(kin, mid, name="Olga", role="interpreter", language="ar").json()
    assert kin.browser().join(olga["url"], "", None).status_code == 200
    kin.op(mid, fay["participant"]["id"], "minutes.take")
    review = kin.client.post(f"/api/meetings/{mid}/review", json={}, headers=KEY)
    assert review.status_code == 201, review.text
    invited = kin.client.post(
        f"/api/meetings/{review.json()['id']}/invite-same-people", json={}, headers=KEY
    )
    assert invited.status_code == 201, invited.text
    assert [(link["name"], link["role"], link["language"]) for link in invited.json()["links"]] == [
        ("Olga", "interpreter", "ar")
    ]
