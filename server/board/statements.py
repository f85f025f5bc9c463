"""Worry statements and safety goals written with the composers: their parts, the one
sentence made of them, and the pair a goal makes with the statement it answers.

A composed card is a card like any other (moved, removed, brought back, agreed with by the
card ops); it also keeps its parts, so that it can be changed part by part, and the
sentence is made again from them. A goal's pair is the id of its statement's card, which
nothing but `goal.edit` changes: moving or removing either card never breaks it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .cards import CHANGE_CARD, new_card, place, require_author_or_facilitator, require_timed
from .entities import live_card, put
from .errors import N_, Invalid, Nn_, NotFound, TooMany
from .limits import MAX_HARMS, MAX_PART
from .model import Board, Card, Change, GoalParts, Participant, WorryParts
from .parsing import CARD_TEXT, UNSET, Fields, Words, iso_date, words
from .template import (
    GOAL_PATTERN,
    GOAL_SECTION,
    HARM_SECTION,
    STATEMENT_PATTERN,
    STATEMENT_SECTION,
)
from .visibility import visible

# Each part's words, by the name it has in ops, in the card and in its pattern.
WORRY_WORDS: Mapping[str, Words] = MappingProxyType(
    {
        "who": Words.required(
            MAX_PART,
            Nn_(
                "Who is worried can be at most {most} character.",
                "Who is worried can be at most {most} characters.",
                "most",
            ),
            N_("Who is worried needs some words."),
        ),
        "happened": Words.required(
            MAX_PART,
            Nn_(
                "What happened can be at most {most} character.",
                "What happened can be at most {most} characters.",
                "most",
            ),
            N_("What happened needs some words."),
        ),
        "worry": Words.required(
            MAX_PART,
            Nn_(
                "What we are worried could happen can be at most {most} character.",
                "What we are worried could happen can be at most {most} characters.",
                "most",
            ),
            N_("What we are worried could happen needs some words."),
        ),
        "likely": Words.required(
            MAX_PART,
            Nn_(
                "How likely and how soon can be at most {most} character.",
                "How likely and how soon can be at most {most} characters.",
                "most",
            ),
            N_("How likely and how soon needs some words."),
        ),
    }
)
GOAL_WORDS: Mapping[str, Words] = MappingProxyType(
    {
        "will_do": Words.required(
            MAX_PART,
            Nn_(
                "What the family will do can be at most {most} character.",
                "What the family will do can be at most {most} characters.",
                "most",
            ),
            N_("What the family will do needs some words."),
        ),
        "seen_by": Words.required(
            MAX_PART,
            Nn_(
                "Who will see it can be at most {most} character.",
                "Who will see it can be at most {most} characters.",
                "most",
            ),
            N_("Who will see it needs some words."),
        ),
        "how_often": Words.required(
            MAX_PART,
            Nn_(
                "How often can be at most {most} character.",
                "How often can be at most {most} characters.",
                "most",
            ),
            N_("How often needs some words."),
        ),
        "how_long": Words.required(
            MAX_PART,
            Nn_(
                "For how long can be at most {most} character.",
                "For how long can be at most {most} characters.",
                "most",
            ),
            N_("For how long needs some words."),
        ),
    }
)

_PART = re.compile(r"\{(\w+)\}")


def compose(pattern: str, parts: Any) -> str:
    """The sentence `pattern` makes of `parts` (a WorryParts or GoalParts): each `{name}`
    is that part's words."""
    return _PART.sub(lambda match: str(getattr(parts, match.group(1))), pattern)


@dataclass(frozen=True)
class StatementAdd:
    parts: WorryParts
    text: str | None = None  # the group's own sentence; None: the composed one
    card_id: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class StatementEdit:
    card_id: str
    parts: Mapping[str, Any]  # the parts sent, by name
    text: str | None = None  # None: composed again from the parts


@dataclass(frozen=True)
class GoalAdd:
    parts: GoalParts
    text: str | None = None
    card_id: str | None = None
    after: str | None = None
    due: str | None = None


@dataclass(frozen=True)
class GoalEdit:
    card_id: str
    parts: Mapping[str, Any]
    text: str | None = None
    due: str | None = UNSET


StatementOp = StatementAdd | StatementEdit | GoalAdd | GoalEdit


def _parts(f: Fields, kinds: Mapping[str, Words], *, required: bool) -> dict[str, Any]:
    parts = {}
    for name, kind in kinds.items():
        value = f.get(name, required=required)
        if value is not UNSET:
            parts[name] = words(value, kind)
    return parts


def _text(f: Fields) -> str | None:
    text = f.get("text", nullable=True)
    return None if text in (UNSET, None) else words(text, CARD_TEXT)


_HARMS = Nn_(
    "A worry statement can name at most {most} harm card.",
    "A worry statement can name at most {most} harm cards.",
    "most",
)


def _harms(f: Fields) -> Any:
    value = f.get("harms")
    if value is UNSET:
        return UNSET
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("harms must be a list of card ids.")
    if len(value) > MAX_HARMS:
        raise TooMany(_HARMS, most=MAX_HARMS)
    return tuple(dict.fromkeys(value))  # each once, in the order picked


def _new_ids(f: Fields) -> dict[str, Any]:
    card_id = f.card_id("card_id", required=False, nullable=True)
    after = f.card_id("after", required=False, nullable=True)
    return {
        "card_id": None if card_id is UNSET else card_id,
        "after": None if after is UNSET else after,
    }


def _parse_statement_add(f: Fields) -> StatementAdd:
    parts = _parts(f, WORRY_WORDS, required=True)
    harms = _harms(f)
    worry = WorryParts(**parts, harms=() if harms is UNSET else harms)
    return StatementAdd(worry, _text(f), **_new_ids(f))


def _parse_statement_edit(f: Fields) -> StatementEdit:
    card_id = f.card_id()
    parts = _parts(f, WORRY_WORDS, required=False)
    harms = _harms(f)
    if harms is not UNSET:
        parts["harms"] = harms
    text = _text(f)
    if not parts and text is None:
        raise Invalid("statement.edit needs a part to change, or text.")
    return StatementEdit(card_id, MappingProxyType(parts), text)


def _due(f: Fields) -> Any:
    due = f.get("due", nullable=True)
    return due if due in (UNSET, None) else iso_date(due, "due")


def _parse_goal_add(f: Fields) -> GoalAdd:
    statement = f.card_id("statement_id")
    parts = GoalParts(statement, **_parts(f, GOAL_WORDS, required=True))
    due = _due(f)
    return GoalAdd(parts, _text(f), due=None if due is UNSET else due, **_new_ids(f))


def _parse_goal_edit(f: Fields) -> GoalEdit:
    card_id = f.card_id()
    parts = _parts(f, GOAL_WORDS, required=False)
    due, text = _due(f), _text(f)
    if not parts and text is None and due is UNSET:
        raise Invalid("goal.edit needs a part to change, text or due.")
    return GoalEdit(card_id, MappingProxyType(parts), text, due)


PARSERS: Mapping[str, Callable[[Fields], StatementOp]] = MappingProxyType(
    {
        "statement.add": _parse_statement_add,
        "statement.edit": _parse_statement_edit,
        "goal.add": _parse_goal_add,
        "goal.edit": _parse_goal_edit,
    }
)


def apply(
    board: Board, op: StatementOp, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    match op:
        case StatementAdd():
            _check_harms(board, op.parts.harms, actor)
            text = _sentence(op.text, STATEMENT_PATTERN, op.parts)
            card = new_card(
                board, op.card_id or new_id, STATEMENT_SECTION, text, actor, now, worry=op.parts
            )
            return place(board, card, op.after)
        case GoalAdd():
            statement(board, op.parts.statement, actor)
            text = _sentence(op.text, GOAL_PATTERN, op.parts)
            card = new_card(
                board,
                op.card_id or new_id,
                GOAL_SECTION,
                text,
                actor,
                now,
                goal=op.parts,
                due=op.due,
            )
            return place(board, card, op.after)
        case StatementEdit():
            card = _composed(board, op.card_id, actor, "worry")
            if "harms" in op.parts:
                _check_harms(board, op.parts["harms"], actor)
            return _edit(board, card, "worry", op.parts, op.text, actor, now)
        case GoalEdit():
            card = _composed(board, op.card_id, actor, "goal")
            require_timed(card.section, None, op.due)
            if op.due is not UNSET:
                card = replace(card, due=op.due)
            return _edit(board, card, "goal", op.parts, op.text, actor, now)
    raise Invalid("Unknown op {op}.", op=type(op).__name__)  # pragma: no cover - exhaustive above


def statement(board: Board, card_id: str, actor: Participant) -> Card:
    """The live worry statement `card_id`, which `actor`'s goal may be paired with. One they
    may not see is, to them, not on the board."""
    card = board.cards.get(card_id)
    if card is None or card.deleted or not visible(actor.viewer, card):
        raise NotFound("That worry statement is not on the board any more.")
    if card.section != STATEMENT_SECTION:
        raise Invalid("A safety goal goes with a worry statement, and that card is not one.")
    return card


def _check_harms(board: Board, harms: tuple[str, ...], actor: Participant) -> None:
    for card_id in harms:
        card = board.cards.get(card_id)
        if (
            card is None
            or card.deleted
            or card.section != HARM_SECTION
            or not visible(actor.viewer, card)
        ):
            raise Invalid("A worry statement can only name cards from what has happened.")


def _sentence(text: str | None, pattern: str, parts: Any) -> str:
    return text if text is not None else words(compose(pattern, parts), CARD_TEXT)


def _composed(board: Board, card_id: str, actor: Participant, kind: str) -> Card:
    card = live_card(board, card_id)
    if getattr(card, kind) is None:
        if kind == "worry":
            raise Invalid("That card was not written with the worry statement composer.")
        raise Invalid("That card was not written with the safety goal composer.")
    require_author_or_facilitator(actor, card, CHANGE_CARD)
    return card


def _edit(
    board: Board,
    card: Card,
    kind: str,
    changes: Mapping[str, Any],
    text: str | None,
    actor: Participant,
    now: str,
) -> tuple[Board, list[Change]]:
    """`card` with some parts changed, and its sentence made again from them (unless the
    group wrote their own, `text`)."""
    parts = replace(getattr(card, kind), **changes)
    pattern = STATEMENT_PATTERN if kind == "worry" else GOAL_PATTERN
    edited = replace(card, **{kind: parts})
    if changes or text is not None:
        edited = replace(edited, text=_sentence(text, pattern, parts))
    if edited == board.cards[card.id]:
        return board, []
    return put(board, "card", replace(edited, updated_at=now, updated_by=actor.id))


def pairs(board: Board) -> list[tuple[Card, list[Card]]]:
    """Each live worry statement with its live safety goals, in board order: the sets the
    board and the minutes show."""
    goals = board.section_cards(GOAL_SECTION)
    return [
        (card, [g for g in goals if g.goal is not None and g.goal.statement == card.id])
        for card in board.section_cards(STATEMENT_SECTION)
    ]
