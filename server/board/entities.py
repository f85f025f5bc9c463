"""Writing a board's entities: every op's upserts go through `put`, which also says what
changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .errors import NotFound
from .family_group import FamilyItem, FamilyTime
from .model import Board, Card, Change, Decision, Entity, HouseItem, Minutes, Participant, Snapshot
from .scaling_model import Round, Scale, Vote
from .steering import Agenda, Focus, Readiness, Timer
from .translation_model import Translation
from .visibility import audience_of

# Which board field holds each kind of entity.
FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "participant": "participants",
        "card": "cards",
        "scale": "scales",
        "round": "rounds",
        "ballot": "ballots",
        "decision": "decision",
        "minutes": "minutes",
        "snapshot": "snapshots",
        "agenda": "agenda",
        "focus": "focus",
        "timer": "timer",
        "readiness": "readiness",
        "family_time": "family_time",
        "family_item": "family_plan",
        "house_item": "house_items",
        "private_item": "private_items",
        "translation": "translations",
    }
)


def put(
    board: Board,
    kind: str,
    *values: Participant
    | Card
    | Scale
    | Round
    | Decision
    | Minutes
    | Snapshot
    | Agenda
    | Focus
    | Timer
    | Readiness
    | FamilyTime
    | FamilyItem
    | HouseItem
    | Translation,
) -> tuple[Board, list[Change]]:
    """Upsert entities that carry their own id. One with `deleted` set stays on the board as
    a tombstone and is announced as a deletion."""
    field = FIELDS[kind]
    merged = dict(getattr(board, field))
    changes = []
    for value in values:
        merged[value.id] = value
        deleted = getattr(value, "deleted", False)
        changes.append(
            Change(
                kind,
                value.id,
                None if deleted else value,
                deleted=deleted,
                audience=audience_of(value),
            )
        )
    updated: dict[str, Any] = {field: MappingProxyType(merged)}
    return replace(board, **updated), changes


def put_ballots(board: Board, ballots: Mapping[str, Vote | None]) -> tuple[Board, list[Change]]:
    """Set (a vote) or remove (None) secret ballots by key."""
    merged = dict(board.ballots)
    changes = []
    for key, vote in ballots.items():
        if vote is None:
            merged.pop(key, None)
        else:
            merged[key] = vote
        changes.append(Change("ballot", key, vote, deleted=vote is None))
    return replace(board, ballots=MappingProxyType(merged)), changes


def live_card(board: Board, card_id: str) -> Card:
    card = board.cards.get(card_id)
    if card is None or card.deleted:
        raise NotFound("That card is not on the board any more.")
    return card


def value_of(board: Board, change: Change) -> Entity:
    """The entity a change wrote, as it now stands on the board (tombstones included)."""
    if change.value is not None:
        return change.value
    entities: Mapping[str, Entity] = getattr(board, FIELDS[change.entity])
    return entities[change.id]
