"""The spotlight: the facilitator points the room at one section, card or scale. The room
screen always shows it; the others highlight it, and move to it if they chose to follow."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .entities import live_card, put
from .errors import Forbidden, Invalid, NotFound
from .model import Board, Change, Participant
from .parsing import Fields
from .roles import ROLE_ABILITIES
from .scales import live_scale
from .steering import Focus, FocusKind
from .template import SECTIONS
from .visibility import EVERYONE


@dataclass(frozen=True)
class FocusSet:
    kind: FocusKind
    target: str


@dataclass(frozen=True)
class FocusClear:
    pass


FocusOp = FocusSet | FocusClear

PARSERS: Mapping[str, Callable[[Fields], FocusOp]] = MappingProxyType(
    {
        "focus.set": lambda f: FocusSet(
            f.enum("kind", FocusKind, required=True), f.card_id("target")
        ),
        "focus.clear": lambda f: FocusClear(),
    }
)


def focus_of(board: Board) -> Focus | None:
    focus = board.focus.get("focus")
    return focus if focus is not None and focus.kind is not None else None


def apply(board: Board, op: FocusOp, actor: Participant, now: str) -> tuple[Board, list[Change]]:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can spotlight part of the board.")
    if isinstance(op, FocusClear):
        if focus_of(board) is None:
            return board, []
        return put(board, "focus", Focus(None, None, actor.id, now))
    _check_target(board, op)
    current = focus_of(board)
    if current is not None and (current.kind, current.target) == (op.kind, op.target):
        return board, []
    return put(board, "focus", Focus(op.kind, op.target, actor.id, now))


def _check_target(board: Board, op: FocusSet) -> None:
    """Only what is on the board, for everyone, can be spotlit."""
    if op.kind is FocusKind.SECTION and op.target not in SECTIONS:
        raise NotFound("There is no section called {section!r}.", section=op.target)
    if op.kind is FocusKind.CARD and live_card(board, op.target).audience != EVERYONE:
        # The room screen shows the spotlight, and everyone follows it.
        raise Invalid("Only a card everyone can see can be in the spotlight.")
    if op.kind is FocusKind.SCALE:
        live_scale(board, op.target)


def off_card(
    board: Board, card_id: str, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    """The spotlight cleared if it is on this card (which not everyone may see any more)."""
    current = focus_of(board)
    if current is None or (current.kind, current.target) != (FocusKind.CARD, card_id):
        return board, []
    return put(board, "focus", Focus(None, None, actor.id, now))
