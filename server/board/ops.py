"""Ops: parsing what a client sends, and applying it to a board.

`apply` makes the checks every op shares (who is acting, whether their role may change the
board, whether the meeting is closed or locked) and hands the op to the module of its
concept: cards, meeting, scaling or minutes. It is pure: the caller passes the acting
participant, the time and any new id, and gets back the new board and the list of entities
that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import (
    agenda,
    cards,
    family_time,
    focus,
    houses,
    marking,
    meeting,
    minutes,
    people,
    readiness,
    scaling,
    statements,
    timer,
    translations,
)
from .errors import Closed, Forbidden, Invalid, Locked, NotFound
from .model import STATUS_ALLOWS, Board, Change, Participant
from .parsing import Fields, is_id
from .roles import ROLE_ABILITIES
from .visibility import visible


@dataclass(frozen=True)
class Context:
    actor: str
    now: str
    new_id: str = ""
    # The bundled pictures a child may choose from: id -> plain name.
    pictures: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # What a placed picture's or drawing's card says, per language (houses.PlacedWords).
    placed_words: houses.PlacedWords = field(default_factory=lambda: MappingProxyType({}))


Op = (
    cards.CardOp
    | statements.StatementOp
    | meeting.MeetingOp
    | meeting.ParticipantJoin
    | meeting.MeetingIdleClose
    | people.PeopleOp
    | scaling.ScalingOp
    | minutes.DecisionSet
    | minutes.MinutesOp
    | agenda.AgendaOp
    | focus.FocusOp
    | timer.TimerOp
    | readiness.ReadySay
    | marking.MarkOp
    | family_time.FamilyGroupOp
    | houses.HouseOp
    | translations.CardTranslate
)


def parse_op(raw: Any) -> tuple[str, Op]:
    """(op id, op) from a client's message, or Invalid / TooLong saying what is wrong."""
    if not isinstance(raw, Mapping):
        raise Invalid("An op must be an object.")
    op_id = raw.get("id")
    if not is_id(op_id):
        raise Invalid("An op needs an id of letters, digits, - or _ (at most 64).")
    op_type = raw.get("type")
    if not isinstance(op_type, str) or op_type not in _PARSERS:
        raise Invalid("Unknown op type {type!r}.", type=op_type)
    fields = Fields(raw, op_type)
    op = _PARSERS[op_type](fields)
    fields.reject_unknown()
    return op_id, op


_PARSERS: Mapping[str, Callable[[Fields], Op]] = MappingProxyType(
    {
        **cards.PARSERS,
        **statements.PARSERS,
        **meeting.PARSERS,
        **people.PARSERS,
        **scaling.PARSERS,
        **minutes.PARSERS,
        **agenda.PARSERS,
        **focus.PARSERS,
        **timer.PARSERS,
        **readiness.PARSERS,
        **marking.PARSERS,
        **family_time.PARSERS,
        **houses.PARSERS,
        **translations.PARSERS,
    }
)

OP_TYPES = tuple(_PARSERS)


def apply(board: Board, op: Op, ctx: Context) -> tuple[Board, list[Change]]:
    """Check `op` against every rule and return the new board and what changed (with the
    translations its changes to cards' words leave outdated)."""
    after, changes = _apply(board, op, ctx)
    return translations.follow_edits(board, after, changes)


def _apply(board: Board, op: Op, ctx: Context) -> tuple[Board, list[Change]]:
    if isinstance(op, meeting.ParticipantJoin):
        return meeting.join(board, op, ctx.now)
    if isinstance(op, meeting.MeetingIdleClose):
        return meeting.idle_close(board, ctx.now)
    actor = board.participants.get(ctx.actor)
    if actor is None or actor.removed:
        raise Forbidden("You are not part of this meeting.")
    _require_able(actor, op)
    allows = STATUS_ALLOWS[board.meeting.status]
    if not allows.meeting:
        raise Closed(meeting.CLOSED)
    if isinstance(op, meeting.MeetingOp):
        # Run by the facilitator, who may lock, unlock and take people out of a locked board.
        return meeting.apply(board, op, actor, ctx.now)
    if isinstance(op, people.PeopleOp):
        # Like taking someone out: setting who is who right goes on while the board is locked.
        return people.apply(board, op, actor)
    if isinstance(op, minutes.MinutesOp):
        # Minutes record the board; taking and signing them is not changing it, so a
        # board locked for the end of the meeting still takes them.
        return minutes.apply_minutes(board, op, actor, ctx.now)
    _require_visible(board, op, actor)
    if isinstance(op, marking.MarkOp):
        # Keeping something from someone is never paused: a locked board takes it too.
        return marking.apply(board, op, actor, ctx.now)
    steered = _steer(board, op, actor, ctx.now)
    if steered is not None:
        return steered
    if not allows.board:
        raise Locked("The facilitator has paused changes for now.")
    if isinstance(op, translations.CardTranslate):
        return translations.apply(board, op, actor, ctx.now)
    if isinstance(op, minutes.DecisionSet):
        return minutes.apply_decision(board, op, actor, ctx.now)
    if isinstance(op, scaling.ScalingOp):
        return scaling.apply(board, op, actor, ctx.now, ctx.new_id)
    if isinstance(op, family_time.FamilyGroupOp):
        return family_time.apply(board, op, actor, ctx.now, ctx.new_id)
    if isinstance(op, houses.HouseOp):
        return houses.apply(board, op, actor, ctx.now, ctx.new_id, ctx.pictures, ctx.placed_words)
    if isinstance(op, statements.StatementOp):
        return statements.apply(board, op, actor, ctx.now, ctx.new_id)
    if isinstance(op, cards.CardOp):
        return cards.apply(board, op, actor, ctx.now, ctx.new_id)
    raise Invalid("Unknown op {op}.", op=type(op).__name__)  # pragma: no cover - exhaustive above


def _require_able(actor: Participant, op: Op) -> None:
    """Whether the actor's role may send this op at all: the room screen nothing; an
    interpreter only translations (and everyone else may send one, to be told it is an
    interpreter's)."""
    can = ROLE_ABILITIES[actor.role]
    if can.edit_board or (can.translate and isinstance(op, translations.CardTranslate)):
        return
    if can.translate:
        raise Forbidden("An interpreter adds translations, and does not change the board.")
    raise Forbidden("This screen can only show the board.")


def _steer(board: Board, op: Op, actor: Participant, now: str) -> tuple[Board, list[Change]] | None:
    """Steering the meeting (its step, the spotlight, the timer, who is done) changes no
    part of the board, so it goes on while the board is locked. None: not such an op."""
    if isinstance(op, agenda.AgendaOp):
        return agenda.apply(board, op, actor)
    if isinstance(op, focus.FocusOp):
        return focus.apply(board, op, actor, now)
    if isinstance(op, timer.TimerOp):
        return timer.apply(board, op, actor, now)
    if isinstance(op, readiness.ReadySay):
        return readiness.apply(board, op, actor)
    return None


def _require_visible(board: Board, op: Op, actor: Participant) -> None:
    """A card the actor may not see is, to them, not on the board: an op on it is refused
    just as one on a card that never was."""
    card = board.cards.get(getattr(op, "card_id", None) or "")
    if card is not None and not visible(actor.viewer, card):
        raise NotFound("That card is not on the board.")
