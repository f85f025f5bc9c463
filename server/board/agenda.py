"""The agenda: the meeting's steps and the one it is at, which the facilitator moves on
and back, renames, adds to, removes and reorders. A board that has never had its agenda
changed has the template's (`agenda_of`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from . import readiness
from .entities import put
from .errors import N_, Forbidden, Invalid, Msgid, Nn_, TooMany
from .limits import MAX_STEP, MAX_STEPS
from .model import Board, Change, Participant
from .parsing import UNSET, Fields, Words, whole_number, words
from .roles import ROLE_ABILITIES
from .steering import Agenda
from .template import AGENDA


@dataclass(frozen=True)
class AgendaGo:
    step: int


@dataclass(frozen=True)
class AgendaAdd:
    title: str
    at: int | None  # where it goes; None: at the end


@dataclass(frozen=True)
class AgendaRename:
    step: int
    title: str


@dataclass(frozen=True)
class AgendaRemove:
    step: int


@dataclass(frozen=True)
class AgendaMove:
    step: int
    to: int


AgendaOp = AgendaGo | AgendaAdd | AgendaRename | AgendaRemove | AgendaMove

STEP = Words.required(
    MAX_STEP,
    Nn_(
        "A step can be at most {most} character.",
        "A step can be at most {most} characters.",
        "most",
    ),
    N_("A step needs some words."),
)


def agenda_of(board: Board) -> Agenda:
    """The meeting's agenda: its own once changed, else the template's, at its first step."""
    return board.agenda.get("agenda") or Agenda(AGENDA)


def _index(f: Fields, name: str) -> int:
    """A step's place, checked against the agenda when the op is applied."""
    return whole_number(
        f.get(name, required=True),
        0,
        None,
        N_("{field} is a step's number: 0, 1, 2..."),
        field=name,
    )


def _parse_add(f: Fields) -> AgendaAdd:
    at: Any = f.get("at", nullable=True)
    return AgendaAdd(
        words(f.get("title", required=True), STEP),
        None
        if at is UNSET or at is None
        else whole_number(at, 0, None, N_("at is a step's number.")),
    )


PARSERS: Mapping[str, Callable[[Fields], AgendaOp]] = MappingProxyType(
    {
        "agenda.go": lambda f: AgendaGo(_index(f, "step")),
        "agenda.add": _parse_add,
        "agenda.rename": lambda f: AgendaRename(
            _index(f, "step"), words(f.get("title", required=True), STEP)
        ),
        "agenda.remove": lambda f: AgendaRemove(_index(f, "step")),
        "agenda.move": lambda f: AgendaMove(_index(f, "step"), _index(f, "to")),
    }
)


_NO_STEP = Nn_(
    "There is no step {number}: the agenda has {count} step.",
    "There is no step {number}: the agenda has {count} steps.",
    "count",
)
_NO_PLACE = Nn_(
    "There is no place {number}: the agenda has {count} step.",
    "There is no place {number}: the agenda has {count} steps.",
    "count",
)
_TOO_MANY_STEPS = Nn_(
    "An agenda can have at most {most} step.", "An agenda can have at most {most} steps.", "most"
)


def _in_range(index: int, count: int, refusal: Msgid = _NO_STEP) -> int:
    if index >= count:
        raise Invalid(refusal, number=index + 1, count=count)
    return index


def apply(board: Board, op: AgendaOp, actor: Participant) -> tuple[Board, list[Change]]:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can change the agenda.")
    agenda = agenda_of(board)
    steps, count = list(agenda.steps), len(agenda.steps)
    current_step = agenda.current
    new_step = False  # the meeting moves to another step (not the same one renumbered)
    match op:
        case AgendaGo():
            current_step = _in_range(op.step, count)
            new_step = current_step != agenda.current
        case AgendaRename():
            steps[_in_range(op.step, count)] = op.title
        case AgendaAdd():
            if count >= MAX_STEPS:
                raise TooMany(_TOO_MANY_STEPS, most=MAX_STEPS)
            at = count if op.at is None else _in_range(op.at, count + 1, _NO_PLACE)
            steps.insert(at, op.title)
            current_step += at <= current_step
        case AgendaRemove():
            _in_range(op.step, count)
            if count == 1:
                raise Invalid("An agenda needs at least one step.")
            del steps[op.step]
            new_step = op.step == current_step
            # The meeting stays at its step; if that is the one removed, at the next.
            current_step = min(current_step - (op.step < current_step), count - 2)
        case AgendaMove():
            moving = steps.pop(_in_range(op.step, count))
            steps.insert(_in_range(op.to, count, _NO_PLACE), moving)
            current_step = _followed(current_step, op.step, op.to)
    updated = Agenda(tuple(steps), current_step)
    if updated == agenda:
        return board, []
    board, changes = put(board, "agenda", updated)
    if new_step:
        # Everyone's "I'm done" was about the step before.
        board, reset = readiness.reset(board)
        changes += reset
    return board, changes


def _followed(current: int, moved_from: int, moved_to: int) -> int:
    """Where the step the meeting is at is after one step moved."""
    if current == moved_from:
        return moved_to
    if moved_from < current <= moved_to:
        return current - 1
    if moved_to <= current < moved_from:
        return current + 1
    return current
