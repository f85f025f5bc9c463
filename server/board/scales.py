"""Scales: the 0-10 questions a meeting asks (the overall one, and one per worry if
wanted), their ops and rules. `scaling.apply` hands these over after checking that the
facilitator is asking."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .entities import live_card, put, put_ballots
from .errors import N_, Invalid, Nn_, NotFound, TooMany
from .limits import MAX_ANCHOR, MAX_QUESTION, MAX_SCALES
from .model import Board, Change, Participant, Vocabulary
from .parsing import UNSET, Fields, Words, words
from .scaling_model import Scale
from .template import OVERALL_SCALE
from .visibility import EVERYONE


@dataclass(frozen=True)
class ScaleAdd:
    question: str
    low_label: str
    high_label: str
    scale_id: str | None = None
    card_id: str | None = None


@dataclass(frozen=True)
class ScaleEdit:
    scale_id: str
    question: str = UNSET
    low_label: str = UNSET
    high_label: str = UNSET


@dataclass(frozen=True)
class ScaleDelete:
    scale_id: str


ScaleOp = ScaleAdd | ScaleEdit | ScaleDelete


_QUESTION = Words.required(
    MAX_QUESTION,
    Nn_(
        "The question can be at most {most} character.",
        "The question can be at most {most} characters.",
        "most",
    ),
    N_("The question needs some words."),
)


_LOW = Words.required(
    MAX_ANCHOR,
    Nn_(
        "What 0 means can be at most {most} character.",
        "What 0 means can be at most {most} characters.",
        "most",
    ),
    N_("What 0 means needs some words."),
)


_HIGH = Words.required(
    MAX_ANCHOR,
    Nn_(
        "What 10 means can be at most {most} character.",
        "What 10 means can be at most {most} characters.",
        "most",
    ),
    N_("What 10 means needs some words."),
)


def _optional_words(f: Fields, name: str, kind: Words) -> Any:
    value = f.get(name)
    return UNSET if value is UNSET else words(value, kind)


def _parse_scale_add(f: Fields) -> ScaleAdd:
    scale_id = f.card_id("scale_id", required=False, nullable=True)
    card_id = f.card_id("card_id", required=False, nullable=True)
    return ScaleAdd(
        question=words(f.get("question", required=True), _QUESTION),
        low_label=words(f.get("low_label", required=True), _LOW),
        high_label=words(f.get("high_label", required=True), _HIGH),
        scale_id=None if scale_id is UNSET else scale_id,
        card_id=None if card_id is UNSET else card_id,
    )


def _parse_scale_edit(f: Fields) -> ScaleEdit:
    op = ScaleEdit(
        scale_id=f.card_id("scale_id"),
        question=_optional_words(f, "question", _QUESTION),
        low_label=_optional_words(f, "low_label", _LOW),
        high_label=_optional_words(f, "high_label", _HIGH),
    )
    if op.question is UNSET and op.low_label is UNSET and op.high_label is UNSET:
        raise Invalid("scale.edit needs question, low_label or high_label.")
    return op


PARSERS: Mapping[str, Callable[[Fields], ScaleOp]] = MappingProxyType(
    {
        "scale.add": _parse_scale_add,
        "scale.edit": _parse_scale_edit,
        "scale.delete": lambda f: ScaleDelete(f.card_id("scale_id")),
    }
)


def overall_scale(vocabulary: Vocabulary, scale_id: str, now: str, created_by: str) -> Scale:
    words = OVERALL_SCALE[vocabulary]
    return Scale(
        id=scale_id,
        question=words.question,
        low_label=words.low_label,
        high_label=words.high_label,
        created_at=now,
        created_by=created_by,
        overall=True,
    )


def follow_vocabulary(board: Board, old: Vocabulary, new: Vocabulary) -> tuple[Board, list[Change]]:
    """The overall scale's words switch with the vocabulary, unless someone reworded them."""
    if old is new:
        return board, []
    before, after = OVERALL_SCALE[old], OVERALL_SCALE[new]
    switched = [
        replace(s, question=after.question, low_label=after.low_label, high_label=after.high_label)
        for s in board.live_scales()
        if s.overall
        and (s.question, s.low_label, s.high_label)
        == (before.question, before.low_label, before.high_label)
    ]
    return put(board, "scale", *switched) if switched else (board, [])


def apply(
    board: Board, op: ScaleOp, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    match op:
        case ScaleAdd():
            return _add(board, op, actor, now, new_id)
        case ScaleEdit():
            return _edit(board, op)
        case ScaleDelete():
            return _delete(board, op)
    raise Invalid("Unknown op {op}.", op=type(op).__name__)  # pragma: no cover - exhaustive above


def live_scale(board: Board, scale_id: str) -> Scale:
    scale = board.scales.get(scale_id)
    if scale is None or scale.deleted:
        raise NotFound("That scale is not on the board any more.")
    return scale


_TOO_MANY = Nn_(
    "A meeting can have at most {most} scale.",
    "A meeting can have at most {most} scales.",
    "most",
)


def _add(
    board: Board, op: ScaleAdd, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    scale_id = op.scale_id or new_id
    if not scale_id:
        raise Invalid("scale.add needs a scale id.")
    if scale_id in board.scales:
        raise Invalid("That scale id is used already.")
    if op.card_id is not None and live_card(board, op.card_id).audience != EVERYONE:
        # Everyone sees the scales, and which card each is about.
        raise Invalid("Only a card everyone can see can have a scale of its own.")
    if len(board.live_scales()) >= MAX_SCALES:
        raise TooMany(_TOO_MANY, most=MAX_SCALES)
    scale = Scale(
        id=scale_id,
        question=op.question,
        low_label=op.low_label,
        high_label=op.high_label,
        created_at=now,
        created_by=actor.id,
        card_id=op.card_id,
    )
    return put(board, "scale", scale)


def _edit(board: Board, op: ScaleEdit) -> tuple[Board, list[Change]]:
    scale = live_scale(board, op.scale_id)
    edited = scale
    for name in ("question", "low_label", "high_label"):
        value = getattr(op, name)
        if value is not UNSET:
            edited = replace(edited, **{name: value})
    return (board, []) if edited == scale else put(board, "scale", edited)


def _delete(board: Board, op: ScaleDelete) -> tuple[Board, list[Change]]:
    scale = live_scale(board, op.scale_id)
    board, changes = put(board, "scale", replace(scale, deleted=True))
    round_ = board.open_round(scale.id)
    if round_ is not None:
        # Nobody will ever see an abandoned round's numbers: drop them.
        board, dropped = put_ballots(
            board, dict.fromkeys(k for k, _ in board.round_ballots(round_.id))
        )
        changes += dropped
    return board, changes
