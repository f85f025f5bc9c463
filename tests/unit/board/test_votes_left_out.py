"""Votes that do not count, in the pure core: people taken out, one person twice (likely
pairs and vote.exclude), an answer recorded for someone who answered themselves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from server.board import ops, scaling, wire
from server.board.errors import (
    AlreadyVoted,
    Closed,
    Forbidden,
    Invalid,
    KinboardError,
    Locked,
    NotFound,
    RoundClosed,
)
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Status
from server.board.ops import Context
from server.board.roles import Role
from server.board.scaling_model import Answered, LeftOut, LeftOutWhy, Vote
from server.board.summary import summarise
from tests.support.boards import BY_ROLE, T1, raw, run, with_status
from tests.support.scaling import (
    NOT_FACILITATOR,
    OVERALL,
    T2,
    T3,
    assert_no_numbers,
    assert_refused,
    new_meeting,
    step,
    vote,
    with_open_round,
    with_votes,
)

# --- votes that do not count: people taken out, one person twice, recorded twice -----------


def with_twice(board: Board | None = None) -> Board:
    """An open round r_1 where Sam answered twice: once as p_mum, and again from the same
    browser as "sam " (p_sam2); Gran answered once."""
    board = with_open_round(board)
    again = ParticipantJoin("p_sam2", "sam ", Role.PARENT, device="p_mum")
    board, _ = ops.apply(board, again, Context("p_sam2", T1))
    board = step(board, vote(value=7, reason="REASON-ALPHA"), "p_mum")
    board = step(board, vote(value=3, reason="REASON-BRAVO"), "p_gran")
    return step(board, vote(value=7, reason="REASON-ALPHA-AGAIN"), "p_sam2")


def exclude(voter: str, scale_id: str = OVERALL) -> dict[str, Any]:
    return raw("vote.exclude", scale_id=scale_id, voter=voter)


def test_taking_someone_out_leaves_their_open_answer_out_of_the_reveal() -> None:
    board = with_votes()
    removal = raw("participant.remove", participant_id="p_gran")
    board, changes = run(board, removal, "p_fac", now=T2)
    round_ = board.rounds["r_1"]
    assert [a.voter for a in round_.answered] == ["p_mum", "behalf:grandad|network"]
    assert round_.left_out == (
        LeftOut("p_gran", "Gran", Role.NETWORK, LeftOutWhy.REMOVED, "p_fac", T2),
    )
    assert "r_1/p_gran" not in board.ballots
    assert [(c.entity, c.id, c.deleted) for c in changes] == [
        ("participant", "p_gran", False),
        ("round", "r_1", False),
        ("ballot", "r_1/p_gran", True),
    ]
    assert_no_numbers([wire.encode_change(c) for c in changes if not c.secret])
    revealed = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac").rounds["r_1"]
    assert [v.voter for v in revealed.votes] == ["p_mum", "behalf:grandad|network"]
    assert summarise(revealed.votes)["groups"] == [
        {"group": "family", "median": 7, "count": 1},
        {"group": "network", "median": 9, "count": 1},
    ]


def test_taking_out_someone_who_has_not_answered_changes_no_round() -> None:
    board = with_votes()
    _, changes = run(board, raw("participant.remove", participant_id="p_kid"), "p_fac")
    assert [c.entity for c in changes] == ["participant"]


def test_a_revealed_round_keeps_the_answer_of_someone_taken_out_later() -> None:
    board = step(with_votes(), raw("round.reveal", scale_id=OVERALL), "p_fac")
    board = step(board, raw("participant.remove", participant_id="p_gran"), "p_fac")
    assert [v.voter for v in board.rounds["r_1"].votes] == [
        "p_mum",
        "p_gran",
        "behalf:grandad|network",
    ]


def _joins(*people: tuple[str, str, str | None]) -> Board:
    """A meeting with an open round that (pid, name, device) join and answer in order."""
    board = with_open_round()
    for pid, name, device in people:
        board, _ = ops.apply(
            board, ParticipantJoin(pid, name, Role.PARENT, device=device), Context(pid, T1)
        )
        board = step(board, vote(value=5), pid)
    return board


DUPLICATES = [
    ("one-each", [("p_a", "Ann", None), ("p_b", "Bob", None)], []),
    ("same-name", [("p_a", "Ann", None), ("p_b", " ANN ", None)], [["p_a", "p_b"]]),
    ("same-browser", [("p_a", "Ann", None), ("p_b", "Mum", "p_a")], [["p_a", "p_b"]]),
    (
        "same-browser-four-times",
        [("p_a", "Ann", None), ("p_b", "Ann", "p_a"), ("p_c", "Ann", "p_a"), ("p_d", "A", "p_a")],
        [["p_a", "p_b", "p_c", "p_d"]],
    ),
    (
        "browser-then-name",
        [("p_a", "Ann", None), ("p_b", "Mum", "p_a"), ("p_c", "mum", None)],
        [["p_a", "p_b", "p_c"]],
    ),
    (
        "two-pairs",
        [("p_a", "Ann", None), ("p_b", "Bob", None), ("p_c", "Bob", None), ("p_d", "ann", None)],
        [["p_a", "p_d"], ["p_b", "p_c"]],
    ),
]


@pytest.mark.parametrize(("people", "groups"), [pytest.param(p, g, id=i) for i, p, g in DUPLICATES])
def test_likely_duplicates(people: list[tuple[str, str, str | None]], groups: list[Any]) -> None:
    board = _joins(*people)
    found = scaling.likely_duplicates(board.rounds["r_1"])
    assert [[a.voter for a in group] for group in found] == groups


def test_two_answers_recorded_under_one_name_are_a_likely_pair_and_one_can_go() -> None:
    board = with_votes()  # Grandad recorded as network
    board = step(board, vote(value=1, on_behalf_of={"name": "grandad", "role": "parent"}), "p_fac")
    pairs = scaling.likely_duplicates(board.rounds["r_1"])
    assert [[a.voter for a in g] for g in pairs] == [
        ["behalf:grandad|network", "behalf:grandad|parent"]
    ]
    board = step(board, exclude("behalf:grandad|parent"), "p_fac")
    assert "r_1/behalf:grandad|parent" not in board.ballots
    assert [v.why for v in board.rounds["r_1"].left_out] == [LeftOutWhy.DUPLICATE]


def test_the_facilitator_leaves_out_one_of_a_likely_pair() -> None:
    board = with_twice()
    assert [[a.voter for a in g] for g in scaling.likely_duplicates(board.rounds["r_1"])] == [
        ["p_mum", "p_sam2"]
    ]
    # Everyone is sent who may be one person twice (names only); the facilitator is shown it.
    (encoded,) = wire.encode_board(board)["rounds"]
    assert encoded["likely_duplicates"] == [["p_mum", "p_sam2"]]
    assert_no_numbers(encoded)
    board, changes = run(board, exclude("p_sam2"), "p_fac", now=T2)
    round_ = board.rounds["r_1"]
    assert [a.voter for a in round_.answered] == ["p_mum", "p_gran"]
    assert round_.left_out == (
        LeftOut("p_sam2", "sam", Role.PARENT, LeftOutWhy.DUPLICATE, "p_fac", T2),
    )
    assert sorted(board.ballots) == ["r_1/p_gran", "r_1/p_mum"]
    assert [(c.entity, c.id, c.deleted) for c in changes] == [
        ("round", "r_1", False),
        ("ballot", "r_1/p_sam2", True),
    ]
    public = [wire.encode_change(c) for c in changes if not c.secret]
    assert_no_numbers(public)
    assert public[0]["value"]["left_out"] == [
        {
            "voter": "p_sam2",
            "name": "sam",
            "role": "parent",
            "why": "duplicate",
            "by": "p_fac",
            "at": T2,
        }
    ]
    assert scaling.likely_duplicates(round_) == []
    # The one left out cannot answer again in this round; the reveal counts Sam once.
    assert_refused(board, vote(value=9), "p_sam2", Forbidden)
    revealed = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac").rounds["r_1"]
    assert [(v.voter, v.value) for v in revealed.votes] == [("p_mum", 7), ("p_gran", 3)]
    assert revealed.left_out == round_.left_out
    # The next round starts afresh.
    board = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac")
    board = step(board, raw("round.open", scale_id=OVERALL), "p_fac", new_id="r_2")
    assert step(board, vote(value=4), "p_sam2").rounds["r_2"].answered[0].voter == "p_sam2"


def _exclude_refusals() -> Iterator[Any]:
    for role in [*NOT_FACILITATOR, Role.VIEWER]:
        yield pytest.param("twice", exclude("p_sam2"), role, Forbidden, id=f"{role}")
    yield pytest.param("twice", exclude("p_gran"), Role.FACILITATOR, Invalid, id="not-a-pair")
    yield pytest.param("twice", exclude("p_kid"), Role.FACILITATOR, NotFound, id="not-answered")
    yield pytest.param("twice", exclude("p_nobody"), Role.FACILITATOR, NotFound, id="unknown")
    yield pytest.param("left-out", exclude("p_sam2"), Role.FACILITATOR, NotFound, id="twice")
    yield pytest.param(
        "twice", exclude("p_mum", "s_nowhere"), Role.FACILITATOR, NotFound, id="unknown-scale"
    )
    yield pytest.param("revealed", exclude("p_sam2"), Role.FACILITATOR, RoundClosed, id="shown")
    yield pytest.param("fresh", exclude("p_sam2"), Role.FACILITATOR, RoundClosed, id="no-round")
    for status in (Status.LOCKED, Status.CLOSED):
        refusal = Closed if status is Status.CLOSED else Locked
        yield pytest.param(status.value, exclude("p_sam2"), Role.FACILITATOR, refusal, id=status)


def _exclude_board(name: str) -> Board:
    match name:
        case "fresh":
            return new_meeting()
        case "twice":
            return with_twice()
        case "left-out":
            return step(with_twice(), exclude("p_sam2"), "p_fac")
        case "revealed":
            return step(with_twice(), raw("round.reveal", scale_id=OVERALL), "p_fac")
    return with_status(with_twice(), Status(name))


@pytest.mark.parametrize(("board", "message", "role", "error"), list(_exclude_refusals()))
def test_vote_exclude_refusals(
    board: str, message: dict[str, Any], role: Role, error: type[KinboardError]
) -> None:
    assert_refused(_exclude_board(board), message, BY_ROLE[role], error)


def test_a_recorded_answer_for_someone_who_answered_on_their_own_device_is_refused() -> None:
    board = with_votes()  # Sam answered on their own device
    for name, role in (("Sam", "parent"), (" sam ", "network")):
        recorded = vote(value=2, on_behalf_of={"name": name, "role": role})
        refusal = assert_refused(board, recorded, "p_fac", AlreadyVoted)
        assert refusal.code == "already_voted"
        assert "Sam has answered on their own device already" in refusal.message
    # Someone who joined but has not answered yet (a flat phone) can be recorded.
    recorded = vote(value=2, on_behalf_of={"name": "Ayaan", "role": "child"})
    assert "r_1/behalf:ayaan|child" in step(board, recorded, "p_fac").ballots


def test_answering_on_ones_own_device_replaces_the_answer_recorded_for_one() -> None:
    board = with_open_round()
    board = step(board, vote(value=2, on_behalf_of={"name": "ayaan", "role": "child"}), "p_fac")
    board, changes = run(board, vote(value=6, reason="REASON-DELTA"), "p_kid", now=T2)
    round_ = board.rounds["r_1"]
    assert round_.answered == (Answered("p_kid", "Ayaan", Role.CHILD),)
    assert dict(board.ballots) == {
        "r_1/p_kid": Vote("p_kid", "Ayaan", Role.CHILD, 6, T2, "REASON-DELTA", None, "p_fac")
    }
    assert sorted((c.id, c.deleted) for c in changes if c.secret) == [
        ("r_1/behalf:ayaan|child", True),
        ("r_1/p_kid", False),
    ]
    # What their ack says, and it still says so after they change their number.
    _, own = ops.parse_op(vote(value=5))
    assert scaling.cast_ballot(board, own, "p_kid")[1].replaces_recorded_by == "p_fac"
    board = step(board, vote(value=5), "p_kid", now=T3)
    assert board.ballots["r_1/p_kid"].replaces_recorded_by == "p_fac"
    revealed = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac").rounds["r_1"]
    assert [(v.voter, v.value) for v in revealed.votes] == [("p_kid", 5)]
