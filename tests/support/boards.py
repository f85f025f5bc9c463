"""What the pure-core tests share: the people of one meeting, fixed times, running a
client's op the way the realtime layer does, and boards with cards of every role."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from server.board import ops
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Change, Meeting, Status
from server.board.ops import Context
from server.board.roles import Role

T0 = "2026-11-27T09:00:00.000Z"
T1 = "2026-11-27T09:14:03.221Z"
MID = "m7Hq2LwX9pZa"
NEW_ID = "c_new"

PEOPLE: dict[str, tuple[str, Role]] = {
    "p_fac": ("Fatima", Role.FACILITATOR),
    "p_mum": ("Sam", Role.PARENT),
    "p_kid": ("Ayaan", Role.CHILD),
    "p_gran": ("Gran", Role.NETWORK),
    "p_sw": ("Jo from school", Role.PROFESSIONAL),
    "p_tv": ("Meeting room screen", Role.VIEWER),
}
BY_ROLE = {role: pid for pid, (_, role) in PEOPLE.items()}


def raw(op_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": "o_k2m9", "type": op_type, **fields}


def run(
    board: Board, message: dict[str, Any], actor: str, *, now: str = T1, new_id: str = NEW_ID
) -> tuple[Board, list[Change]]:
    """Parse a client's message and apply it, as the realtime layer does."""
    _, op = ops.parse_op(message)
    return ops.apply(board, op, Context(actor, now, new_id))


# Who is in the meeting: one participant per role.
EDITOR_ROLES = [
    Role.FACILITATOR,
    Role.PARENT,
    Role.CHILD,
    Role.NETWORK,
    Role.PROFESSIONAL,
]


def with_status(board: Board, status: Status) -> Board:
    return replace(board, meeting=replace(board.meeting, status=status))


def empty_board(status: Status = Status.OPEN, *, meeting_id: str = MID) -> Board:
    board = Board(Meeting(meeting_id, "Family meeting for the Ahmed children", created_at=T0))
    for pid, (name, role) in PEOPLE.items():
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, T0))
    return with_status(board, status)


def card_id_of(role: Role, prefix: str = "c") -> str:
    return f"{prefix}_{BY_ROLE[role][2:]}"


def populated(status: Status = Status.OPEN) -> Board:
    """Each editor has one live card in `strengths` (c_fac, c_mum, ...) and one deleted card
    in `harm` (d_fac, d_mum, ...)."""
    board = empty_board()
    after = None
    for role in EDITOR_ROLES:
        pid = BY_ROLE[role]
        cid = card_id_of(role)
        message = raw("card.add", section="strengths", text=f"Strength noted by {pid}", after=after)
        board, _ = run(board, message, pid, now=T0, new_id=cid)
        after = cid
        did = card_id_of(role, "d")
        board, _ = run(board, raw("card.add", section="harm", text="Oops"), pid, now=T0, new_id=did)
        board, _ = run(board, raw("card.delete", card_id=did), pid, now=T0)
    return with_status(board, status)


def order(board: Board, section: str) -> list[str]:
    return [card.id for card in board.section_cards(section)]
