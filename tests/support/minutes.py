"""What the minutes tests share: a meeting with cards in the map and the plan, minutes
taken and signed, and what a board keeps of them."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from server.board import ops, storage
from server.board.meeting import ParticipantJoin
from server.board.model import (
    Board,
    Meeting,
    Status,
    Vocabulary,
)
from server.board.ops import Context
from server.board.scales import overall_scale
from server.board.template import COLUMNS
from tests.support.boards import MID, PEOPLE, T0, raw, run, with_status

T2 = "2026-11-27T10:30:00.000Z"


T3 = "2026-11-27T11:00:00.000Z"


LATER = "2027-03-01T09:00:00.000Z"


TITLE = "Family meeting for the Ahmed children"


OVERALL = "s_all"


PLAN_SECTIONS = [s.key for c in COLUMNS if c.view == "plan" for s in c.sections]


# Every live card of `meeting_board()`: id -> (section, text, owner, due).
CARDS: dict[str, tuple[str, str, str | None, str | None]] = {
    "c_harm": ("harm", "Leo had a bruise on his arm in October", None, None),
    "c_danger": ("danger", "We worry Leo may be hit again when Dad drinks", None, None),
    "c_strength": ("strengths", "Gran walks them to school every day", None, None),
    "c_step": ("next_steps", "Sam books a GP appointment for Leo", "Sam", "2026-12-15"),
    "c_rule": ("plan_rules", "No drinking when the children are home", "Dad", "2026-12-01"),
    "c_help": ("plan_helpers", "Gran on 07700 900123, any time", "Gran", None),
    "c_warn": ("plan_warning_signs", "Leo stops talking at school", None, None),
    "c_hard": ("plan_difficult", "Sam takes the children to Gran's", "Sam", "2026-12-31"),
    "c_works": ("plan_working", "Leo is at school every day for a month", None, "2027-01-31"),
}


def step(board: Board, message: dict[str, Any], actor: str = "p_fac", **kw: Any) -> Board:
    return run(board, message, actor, **kw)[0]


def new_board(status: Status = Status.OPEN, title: str = TITLE) -> Board:
    """A board as `Meetings.create` makes it (one overall scale), with everyone joined."""
    meeting = Meeting(MID, title, created_at=T0)
    overall = overall_scale(Vocabulary.SAFETY, OVERALL, T0, created_by="")
    board = Board(meeting, scales=MappingProxyType({OVERALL: overall}))
    for pid, (name, role) in PEOPLE.items():
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, T0))
    return with_status(board, status)


def meeting_board() -> Board:
    """A meeting near its end: a card in the map and in every plan section (`CARDS`), a
    deleted card, stances, a revealed round on the overall scale (Sam 7, Gran 3, Fatima
    records Grandad's 9, each with a reason), a scale about the worry with an open round
    whose number must never reach the minutes, and the decision."""
    board = new_board()
    authors = ["p_mum", "p_gran", "p_fac", "p_sw", "p_kid"]
    for n, (cid, (section, text, owner, due)) in enumerate(CARDS.items()):
        fields: dict[str, Any] = {"section": section, "text": text}
        if owner is not None:
            fields["owner"] = owner
        if due is not None:
            fields["due"] = due
        board = step(board, raw("card.add", **fields), authors[n % 5], now=T0, new_id=cid)
    board = step(board, raw("card.edit", card_id="c_harm", attributed_to="School"), now=T0)
    board = step(board, raw("card.add", section="harm", text="GONE-CARD"), new_id="c_gone")
    board = step(board, raw("card.delete", card_id="c_gone"))
    board = step(board, raw("card.react", card_id="c_strength", stance="agree"), "p_gran")
    board = step(board, raw("card.react", card_id="c_strength", stance="disagree"), "p_sw")
    board = step(board, raw("round.open", scale_id=OVERALL), new_id="r_1")
    board = step(
        board, raw("vote.cast", scale_id=OVERALL, value=7, reason="He goes to school"), "p_mum"
    )
    board = step(
        board, raw("vote.cast", scale_id=OVERALL, value=3, reason="Dad still drinks"), "p_gran"
    )
    behalf = {"name": "Grandad", "role": "network"}
    board = step(
        board,
        raw("vote.cast", scale_id=OVERALL, value=9, reason="They are fine", on_behalf_of=behalf),
    )
    board = step(board, raw("round.reveal", scale_id=OVERALL), now=T2)
    leo = {"question": "How safe is Leo?", "low_label": "Not safe", "high_label": "Safe"}
    board = step(board, raw("scale.add", scale_id="s_leo", card_id="c_danger", **leo), now=T0)
    board = step(board, raw("round.open", scale_id="s_leo"), new_id="r_2")
    board = step(
        board, raw("vote.cast", scale_id="s_leo", value=1, reason="SECRET-REASON"), "p_kid"
    )
    return step(
        board,
        raw("decision.set", outcome="continue", next_review="2027-03-01", note="Review soon"),
    )


def taken(board: Board | None = None, label: str | None = "End of meeting") -> Board:
    board = board if board is not None else meeting_board()
    fields = {} if label is None else {"label": label}
    return step(board, raw("minutes.take", **fields), now=T3)


def content_of(board: Board, number: int = 1) -> dict[str, Any]:
    return json.loads(board.snapshots[str(number)].body)


def records(board: Board) -> dict[str, str]:
    return storage.board_records(board)


def signed_board() -> Board:
    """Minutes 1 agreed with a yes and a no; minutes 2 a draft."""
    board = taken()
    board = step(board, raw("minutes.sign", minutes=1, stance="agree"), "p_mum")
    board = step(
        board,
        raw("minutes.sign", minutes=1, stance="disagree", reason="Dad was not asked"),
        "p_gran",
    )
    board = step(board, raw("minutes.agree", minutes=1), now=LATER)
    return step(board, raw("minutes.take", label="Second"), now=LATER)
