"""What the scaling tests share: a meeting with its overall scale, rounds and votes on it,
and a check that no number of an open round is in some data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import pytest

from server.board import ops, storage
from server.board.errors import (
    KinboardError,
)
from server.board.meeting import ParticipantJoin
from server.board.model import (
    Board,
    Meeting,
    Status,
    Vocabulary,
)
from server.board.ops import Context
from server.board.roles import Role
from server.board.scales import overall_scale
from server.board.template import OVERALL_SCALE
from tests.support.boards import MID, PEOPLE, T0, raw, run

T2 = "2026-11-27T09:20:00.000Z"


T3 = "2026-11-27T09:30:00.000Z"


OVERALL = "s_all"


NOT_FACILITATOR = [Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL]


SAFETY = OVERALL_SCALE[Vocabulary.SAFETY]


Q = "How safe are the children at Dad's?"


WORDS = {"question": Q, "low_label": "Not safe", "high_label": "Safe"}


def step(board: Board, message: dict[str, Any], actor: str, **kw: Any) -> Board:
    return run(board, message, actor, **kw)[0]


def new_meeting(vocabulary: Vocabulary = Vocabulary.SAFETY, status: Status = Status.OPEN) -> Board:
    """A board as `Meetings.create` makes it (one overall scale), everyone joined, a live
    worry statement `c_worry` and a deleted card `c_gone`."""
    meeting = Meeting(MID, "Family meeting for the Ahmed children", vocabulary=vocabulary)
    overall = overall_scale(vocabulary, OVERALL, T0, created_by="")
    board = Board(meeting, scales=MappingProxyType({OVERALL: overall}))
    for pid, (name, role) in PEOPLE.items():
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, T0))
    board = step(
        board,
        raw("card.add", section="danger", text="Leo may be hit"),
        "p_fac",
        now=T0,
        new_id="c_worry",
    )
    board = step(
        board, raw("card.add", section="harm", text="Oops"), "p_fac", now=T0, new_id="c_gone"
    )
    board = step(board, raw("card.delete", card_id="c_gone"), "p_fac", now=T0)
    return replace(board, meeting=replace(board.meeting, status=status))


def with_open_round(board: Board | None = None, round_id: str = "r_1") -> Board:
    board = board or new_meeting()
    return step(board, raw("round.open", scale_id=OVERALL), "p_fac", new_id=round_id)


def vote(scale_id: str = OVERALL, value: int = 5, **fields: Any) -> dict[str, Any]:
    return raw("vote.cast", scale_id=scale_id, value=value, **fields)


def with_votes(board: Board | None = None) -> Board:
    """An open round r_1 on the overall scale: Sam 7, Gran 3, Fatima records Grandad's 9."""
    board = with_open_round(board)
    board = step(board, vote(value=7, reason="REASON-ALPHA"), "p_mum")
    board = step(board, vote(value=3, reason="REASON-BRAVO"), "p_gran")
    behalf = {"name": "Grandad", "role": "network"}
    return step(board, vote(value=9, reason="REASON-CHARLIE", on_behalf_of=behalf), "p_fac")


def assert_refused(
    board: Board, message: dict[str, Any], actor: str, error: type[KinboardError]
) -> KinboardError:
    records = storage.board_records(board)
    with pytest.raises(KinboardError) as caught:
        run(board, message, actor)
    assert type(caught.value) is error, caught.value
    assert caught.value.code == error.code
    assert caught.value.message
    assert storage.board_records(board) == records
    return caught.value


def vote_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object that carries somebody's number: it has both `voter` and `value`."""
    if isinstance(data, dict):
        if "voter" in data and "value" in data:
            yield data
        for item in data.values():
            yield from vote_objects(item)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from vote_objects(item)


def assert_no_numbers(data: Any) -> None:
    """Nothing in `data` says what anyone voted in the open round."""
    text = json.dumps(data)
    assert "REASON-" not in text
    assert '"ballot' not in text
    assert list(vote_objects(data)) == []
