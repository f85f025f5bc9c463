"""What the pure-core tests share: the people of one meeting, fixed times, and running a
client's op the way the realtime layer does."""

from __future__ import annotations

from typing import Any

from server.board import ops
from server.board.model import Board, Change
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
