"""Storage records: a board as one JSON record per entity, keyed "kind:id", with secret
entities (ballots, snapshots) in records of their own."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from itertools import chain
from types import MappingProxyType
from typing import Any

from .codec import decode_entity, dumps, encode_entity
from .entities import FIELDS, value_of
from .houses import content_free
from .model import SECRET_ENTITIES, Board, Card, Change, HouseItem, Meeting


def storage_key(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def stored_changes(
    changes: Iterable[Change], board: Board
) -> tuple[dict[str, str], dict[str, str | None]]:
    """The records an op writes: (public records, secret records). Each changed entity is
    written as it now stands on `board`, so a deleted card or scale stays as a tombstone;
    a removed secret record is None."""
    public: dict[str, str] = {}
    secret: dict[str, str | None] = {}
    for change in changes:
        key = storage_key(change.entity, change.id)
        if change.secret:
            secret[key] = None if change.value is None else dumps(encode_entity(change.value))
        else:
            public[key] = dumps(encode_entity(value_of(board, change)))
    return public, secret


def board_from_records(
    records: Mapping[str, str], secrets: Mapping[str, str] | None = None
) -> Board:
    meeting: Meeting | None = None
    parts: dict[str, dict[str, Any]] = {field: {} for field in FIELDS.values()}
    for key, raw in chain(records.items(), (secrets or {}).items()):
        kind, entity_id = key.split(":", 1)
        value = decode_entity(kind, json.loads(raw))
        if isinstance(value, Meeting):
            meeting = value
        else:
            parts[FIELDS[kind]][entity_id] = value
    if meeting is None:
        raise ValueError("stored board has no meeting record")
    return Board(meeting, **{field: MappingProxyType(d) for field, d in parts.items()})


def secret_parts(secrets: Mapping[str, str]) -> dict[str, Any]:
    """The board fields held in secret records (ballots, snapshots), decoded."""
    parts: dict[str, dict[str, Any]] = {FIELDS[kind]: {} for kind in SECRET_ENTITIES}
    for key, raw in secrets.items():
        kind, entity_id = key.split(":", 1)
        parts[FIELDS[kind]][entity_id] = decode_entity(kind, json.loads(raw))
    return {field: MappingProxyType(values) for field, values in parts.items()}


def board_records(board: Board) -> dict[str, str]:
    """Every public record of a board (its secret ballots are not included)."""
    records = {storage_key("meeting", board.meeting.id): dumps(encode_entity(board.meeting))}
    for kind, field in FIELDS.items():
        if kind in SECRET_ENTITIES:
            continue
        for entity_id, value in getattr(board, field).items():
            records[storage_key(kind, entity_id)] = dumps(encode_entity(value))
    return records


def apply_encoded(board: Board, changes: Iterable[Mapping[str, Any]], by: str, at: str) -> Board:
    """Apply one op's encoded changes (as sent in `applied`) to a board: how a worker
    catches up with ops another worker committed. `by` and `at` are the op's, which a
    deletion stamps on its tombstone just as the op did."""
    meeting = board.meeting
    parts = {field: dict(getattr(board, field)) for field in FIELDS.values()}
    for change in changes:
        kind, entity_id = change["entity"], change["id"]
        entities = parts[FIELDS[kind]] if kind in FIELDS else None
        if change.get("deleted"):
            if entities is not None and entity_id in entities:
                entities[entity_id] = _tombstone(entities[entity_id], by, at, parts)
            continue
        value = decode_entity(kind, change["value"])
        if isinstance(value, Meeting):
            meeting = value
        elif entities is not None:
            entities[entity_id] = value
    return Board(meeting, **{field: MappingProxyType(d) for field, d in parts.items()})


def _tombstone(value: Any, by: str, at: str, parts: Mapping[str, Mapping[str, Any]]) -> Any:
    if isinstance(value, HouseItem):
        return content_free(value, at)
    if isinstance(value, Card) and value.house_item is not None:
        item = parts["house_items"].get(value.house_item)
        if item is not None and item.deleted:
            # Taken off the map with its child's item taken back: without their words.
            return replace(value, text="", deleted=True, updated_at=at, updated_by=by)
    if isinstance(value, Card):
        return replace(value, deleted=True, updated_at=at, updated_by=by)
    return replace(value, deleted=True)
