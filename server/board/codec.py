"""The one JSON shape of boards, entities and changes, shared by the store and the transport."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from types import MappingProxyType
from typing import Any

from .model import (
    COLUMNS,
    ROLE_ABILITIES,
    ROLE_LABELS,
    SELF_CHOSEN_ROLES,
    Board,
    Card,
    Change,
    Kind,
    Meeting,
    Participant,
    Role,
    Stance,
    Status,
    Vocabulary,
)

Entity = Meeting | Participant | Card


def encode_entity(value: Entity) -> dict[str, Any]:
    data = {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, Card):
        data["stances"] = dict(value.stances)
    return data


def decode_entity(kind: str, data: Mapping[str, Any]) -> Entity:
    match kind:
        case "meeting":
            return Meeting(
                id=data["id"],
                title=data["title"],
                kind=Kind(data["kind"]),
                status=Status(data["status"]),
                vocabulary=Vocabulary(data["vocabulary"]),
                previous=data.get("previous"),
                created_at=data.get("created_at", ""),
            )
        case "participant":
            return Participant(
                id=data["id"],
                name=data["name"],
                role=Role(data["role"]),
                joined_at=data.get("joined_at", ""),
            )
        case "card":
            return Card(
                id=data["id"],
                section=data["section"],
                text=data["text"],
                position=data["position"],
                author=data["author"],
                created_at=data["created_at"],
                updated_at=data["updated_at"],
                updated_by=data["updated_by"],
                attributed_to=data.get("attributed_to"),
                stances=MappingProxyType(
                    {pid: Stance(s) for pid, s in data.get("stances", {}).items()}
                ),
                deleted=bool(data.get("deleted", False)),
            )
    raise ValueError(f"unknown entity kind {kind!r}")


def entity_kind(value: Entity) -> str:
    return {Meeting: "meeting", Participant: "participant", Card: "card"}[type(value)]


# --- storage: one record per entity, keyed "kind:id" ---------------------------------------


def storage_key(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def stored_changes(changes: Iterable[Change], board: Board) -> dict[str, str]:
    """The records an op writes: each changed entity as it now stands on `board`.

    A deleted card is kept as a tombstone record so that it can be brought back.
    """
    records = {}
    for change in changes:
        value: Entity | None = change.value
        if change.entity == "card":
            value = board.cards[change.id]
        elif value is None:  # pragma: no cover - only cards are deleted
            raise ValueError(f"cannot store a deleted {change.entity}")
        records[storage_key(change.entity, change.id)] = dumps(encode_entity(value))
    return records


def board_from_records(records: Mapping[str, str]) -> Board:
    meeting: Meeting | None = None
    participants: dict[str, Participant] = {}
    cards: dict[str, Card] = {}
    for key, raw in records.items():
        kind = key.split(":", 1)[0]
        value = decode_entity(kind, json.loads(raw))
        if isinstance(value, Meeting):
            meeting = value
        elif isinstance(value, Participant):
            participants[value.id] = value
        elif isinstance(value, Card):
            cards[value.id] = value
    if meeting is None:
        raise ValueError("stored board has no meeting record")
    return Board(meeting, MappingProxyType(participants), MappingProxyType(cards))


def board_records(board: Board) -> dict[str, str]:
    records = {storage_key("meeting", board.meeting.id): dumps(encode_entity(board.meeting))}
    for participant in board.participants.values():
        records[storage_key("participant", participant.id)] = dumps(encode_entity(participant))
    for card in board.cards.values():
        records[storage_key("card", card.id)] = dumps(encode_entity(card))
    return records


def apply_encoded(board: Board, changes: Iterable[Mapping[str, Any]], by: str, at: str) -> Board:
    """Apply one op's encoded changes (as sent in `applied`) to a board: how a worker
    catches up with ops another worker committed. `by` and `at` are the op's, which a
    deletion stamps on its tombstone just as the op did."""
    meeting = board.meeting
    participants = dict(board.participants)
    cards = dict(board.cards)
    for change in changes:
        kind, entity_id = change["entity"], change["id"]
        if change.get("deleted"):
            if kind == "card" and entity_id in cards:
                cards[entity_id] = replace(
                    cards[entity_id], deleted=True, updated_at=at, updated_by=by
                )
            continue
        value = decode_entity(kind, change["value"])
        if isinstance(value, Meeting):
            meeting = value
        elif isinstance(value, Participant):
            participants[value.id] = value
        elif isinstance(value, Card):
            cards[value.id] = value
    return Board(meeting, MappingProxyType(participants), MappingProxyType(cards))


# --- transport -----------------------------------------------------------------------------


def encode_change(change: Change) -> dict[str, Any]:
    if change.deleted or change.value is None:
        return {"entity": change.entity, "id": change.id, "deleted": True}
    value = encode_entity(change.value)
    value.pop("deleted", None)
    return {"entity": change.entity, "id": change.id, "value": value}


def encode_me(me: Participant) -> dict[str, Any]:
    """The participant a client acts as, with what their role may do (the page offers only
    that; the server checks every op anyway)."""
    can = ROLE_ABILITIES[me.role]
    return {**encode_entity(me), "can": {f.name: getattr(can, f.name) for f in fields(can)}}


def encode_board(board: Board) -> dict[str, Any]:
    """The board as participants see it: live cards only, in board order."""
    cards = sorted(board.live_cards(), key=lambda c: (c.section, c.position, c.id))
    encoded = []
    for card in cards:
        data = encode_entity(card)
        data.pop("deleted")
        encoded.append(data)
    return {
        "meeting": encode_entity(board.meeting),
        "participants": [encode_entity(p) for p in board.participants.values()],
        "cards": encoded,
    }


def encode_template() -> dict[str, Any]:
    """The map's columns and sections with both vocabularies' labels, and the role names."""
    return {
        "columns": [
            {
                "key": column.key,
                "heading": column.heading,
                "prompt": column.prompt,
                "sections": [
                    {
                        "key": section.key,
                        "labels": {
                            Vocabulary.SAFETY.value: section.safety_label,
                            Vocabulary.WELLBEING.value: section.wellbeing_label,
                        },
                    }
                    for section in column.sections
                ],
            }
            for column in COLUMNS
        ],
        "roles": {role.value: label for role, label in ROLE_LABELS.items()},
        "self_chosen_roles": [role.value for role in SELF_CHOSEN_ROLES],
    }
