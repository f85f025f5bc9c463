"""The one visibility rule: who may see an entity of each audience, and each viewer's copy of
an op's changes."""

from __future__ import annotations

import pytest

from server.board.roles import Role
from server.board.visibility import (
    ANYONE,
    EVERYONE,
    STAFF,
    Audience,
    Reach,
    Viewer,
    carried,
    changes_for,
    decode_audience,
    encode_audience,
    restricted,
    sees,
)

MUM = Viewer("p_mum", Role.PARENT)
DAD = Viewer("p_dad", Role.PARENT)
KID = Viewer("p_kid", Role.CHILD)
GRAN = Viewer("p_gran", Role.NETWORK)
WORKER = Viewer("p_sw", Role.PROFESSIONAL)
FAC = Viewer("p_fac", Role.FACILITATOR)
SCREEN = Viewer("p_tv", Role.VIEWER)
VIEWERS = {
    "mum": MUM,
    "dad": DAD,
    "kid": KID,
    "gran": GRAN,
    "worker": WORKER,
    "fac": FAC,
    "screen": SCREEN,
    "staff": STAFF,
    "anyone": ANYONE,
}

# audience -> the viewers who see it (everyone else does not)
TABLE = [
    (EVERYONE, set(VIEWERS)),
    (Audience(Reach.HIDDEN_FROM, ("p_dad",)), {"mum", "kid", "gran", "worker", "fac", "staff"}),
    (Audience(Reach.HIDDEN_FROM, ("p_dad", "p_mum")), {"kid", "gran", "worker", "fac", "staff"}),
    (Audience(Reach.PROFESSIONALS), {"worker", "fac", "staff"}),
    (Audience(Reach.ONLY, ("p_kid",)), {"kid"}),
    (Audience(Reach.WITH_FACILITATORS, ("p_kid",)), {"kid", "fac", "staff"}),
    (Audience(Reach.FAMILY), {"mum", "dad", "kid", "gran"}),
]


@pytest.mark.parametrize(("audience", "seen_by"), TABLE)
def test_who_sees_each_audience(audience: Audience, seen_by: set[str]) -> None:
    assert {name for name, viewer in VIEWERS.items() if sees(viewer, audience)} == seen_by


@pytest.mark.parametrize(("audience", "_"), TABLE)
def test_an_audience_survives_its_json(audience: Audience, _: set[str]) -> None:
    assert decode_audience(encode_audience(audience)) == audience


def test_no_audience_in_json_is_everyone() -> None:
    assert decode_audience(None) == EVERYONE


HIDDEN = Audience(Reach.HIDDEN_FROM, ("p_dad",))
CARD = {"id": "c1", "text": "New address: 4 Elm Road"}


def test_changes_for_everyone_are_the_same_for_all_and_not_restricted() -> None:
    changes = [{"entity": "card", "id": "c1", "value": CARD}]
    assert not restricted(changes)
    assert changes_for(DAD, changes) == changes


def test_a_hidden_change_reaches_only_who_may_see_it_without_its_audience() -> None:
    changes = [
        {"entity": "card", "id": "c1", "value": CARD, "audience": encode_audience(HIDDEN)},
        {"entity": "card", "id": "c2", "value": {"id": "c2"}},
    ]
    assert restricted(changes)
    assert changes_for(DAD, changes) == [{"entity": "card", "id": "c2", "value": {"id": "c2"}}]
    assert changes_for(MUM, changes) == [
        {"entity": "card", "id": "c1", "value": CARD},
        {"entity": "card", "id": "c2", "value": {"id": "c2"}},
    ]


def test_a_change_of_audience_removes_it_for_who_saw_it_and_adds_it_for_who_now_may() -> None:
    hide = [
        {
            "entity": "card",
            "id": "c1",
            "value": CARD,
            "audience": encode_audience(HIDDEN),
            "was": encode_audience(Audience(Reach.PROFESSIONALS)),
        }
    ]
    assert changes_for(DAD, hide) == []  # never saw it, still does not: nothing
    assert changes_for(MUM, hide) == [{"entity": "card", "id": "c1", "value": CARD}]
    assert changes_for(SCREEN, hide) == []
    show_to_pros = [
        {
            "entity": "card",
            "id": "c1",
            "value": CARD,
            "audience": encode_audience(Audience(Reach.PROFESSIONALS)),
            "was": encode_audience(HIDDEN),
        }
    ]
    assert changes_for(MUM, show_to_pros) == [{"entity": "card", "id": "c1", "deleted": True}]
    assert changes_for(DAD, show_to_pros) == []
    assert changes_for(WORKER, show_to_pros) == [{"entity": "card", "id": "c1", "value": CARD}]


def test_a_hidden_deletion_reaches_only_who_may_see_it() -> None:
    changes = [{"entity": "card", "id": "c1", "deleted": True, "audience": encode_audience(HIDDEN)}]
    assert changes_for(DAD, changes) == []
    assert changes_for(MUM, changes) == [{"entity": "card", "id": "c1", "deleted": True}]


@pytest.mark.parametrize(
    ("audience", "next_meeting"),
    [
        (EVERYONE, EVERYONE),
        (HIDDEN, Audience(Reach.PROFESSIONALS)),
        (Audience(Reach.PROFESSIONALS), Audience(Reach.PROFESSIONALS)),
        (Audience(Reach.ONLY, ("p_kid",)), None),
        (Audience(Reach.WITH_FACILITATORS, ("p_kid",)), None),
        (Audience(Reach.FAMILY), None),
    ],
)
def test_what_a_review_carries_of_an_audience(
    audience: Audience, next_meeting: Audience | None
) -> None:
    assert carried(audience) == next_meeting
