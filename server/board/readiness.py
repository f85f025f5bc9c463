"""'I'm done' and 'I need more time': each person's word on the step or round under way,
which the facilitator's screen counts. It starts afresh at each new step and each new
timer (`reset`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .entities import put
from .model import Board, Change, Participant
from .parsing import Fields
from .steering import Readiness, ReadyState


@dataclass(frozen=True)
class ReadySay:
    state: ReadyState | None  # None takes back what they said


PARSERS: Mapping[str, Callable[[Fields], ReadySay]] = MappingProxyType(
    {"ready.say": lambda f: ReadySay(f.enum("state", ReadyState, required=True, nullable=True))}
)


def readiness_of(board: Board) -> Readiness:
    return board.readiness.get("readiness") or Readiness()


def apply(board: Board, op: ReadySay, actor: Participant) -> tuple[Board, list[Change]]:
    """Anyone who may change the board says it for themselves (`ops.apply` has checked)."""
    answers = dict(readiness_of(board).answers)
    if answers.get(actor.id) == op.state:
        return board, []
    if op.state is None:
        del answers[actor.id]
    else:
        answers[actor.id] = op.state
    return put(board, "readiness", Readiness(MappingProxyType(answers)))


def reset(board: Board) -> tuple[Board, list[Change]]:
    """A new step or round: nobody has said anything yet."""
    if not readiness_of(board).answers:
        return board, []
    return put(board, "readiness", Readiness())
