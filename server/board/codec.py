"""The one JSON shape of boards, entities and changes, shared by the store and the transport."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass, replace
from itertools import chain
from types import MappingProxyType
from typing import Any

from . import scaling
from .entities import FIELDS, value_of
from .model import (
    COLUMNS,
    GROUP_LABELS,
    OUTCOME_LABELS,
    REVIEW_PROMPTS,
    ROLE_ABILITIES,
    ROLE_GROUP,
    ROLE_LABELS,
    SECRET_ENTITIES,
    SELF_CHOSEN_ROLES,
    TIMED_SECTIONS,
    Answered,
    Board,
    Card,
    Change,
    Decision,
    Entity,
    Kind,
    Meeting,
    Minutes,
    MinutesStatus,
    Outcome,
    Participant,
    Role,
    Round,
    RoundStatus,
    Scale,
    ScalePoint,
    SignOff,
    Snapshot,
    Stance,
    Status,
    Vocabulary,
    Vote,
)


def _plain(value: Any) -> Any:
    """Dataclasses, mappings and tuples as JSON-ready dicts and lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def encode_entity(value: Entity) -> dict[str, Any]:
    return _plain(value)


def _build(cls: type, data: Mapping[str, Any], **convert: Any) -> Any:
    """A dataclass from its JSON: the fields present, each through its converter if it has
    one; absent fields take their defaults and unknown keys (e.g. `summary`) are ignored."""
    values = {}
    for f in fields(cls):
        if f.name in data:
            value = data[f.name]
            values[f.name] = convert[f.name](value) if f.name in convert else value
    return cls(**values)


def _vote(data: Mapping[str, Any]) -> Vote:
    return _build(Vote, data, role=Role)


def _stances(data: Mapping[str, str]) -> Mapping[str, Stance]:
    return MappingProxyType({participant: Stance(s) for participant, s in data.items()})


_DECODERS: Mapping[str, Any] = MappingProxyType(
    {
        "meeting": lambda d: _build(Meeting, d, kind=Kind, status=Status, vocabulary=Vocabulary),
        "participant": lambda d: _build(Participant, d, role=Role),
        "card": lambda d: _build(Card, d, stances=_stances),
        "scale": lambda d: _build(
            Scale,
            d,
            history=lambda points: tuple(
                _build(
                    ScalePoint,
                    p,
                    votes=lambda items: tuple(_vote(v) for v in items),
                    medians=MappingProxyType,
                )
                for p in points
            ),
        ),
        "round": lambda d: _build(
            Round,
            d,
            status=RoundStatus,
            answered=lambda items: tuple(_build(Answered, a, role=Role) for a in items),
            votes=lambda items: tuple(_vote(v) for v in items),
        ),
        "ballot": _vote,
        "decision": lambda d: _build(Decision, d, outcome=Outcome),
        "minutes": lambda d: _build(
            Minutes,
            d,
            status=MinutesStatus,
            signoffs=lambda items: tuple(
                _build(SignOff, s, role=Role, stance=Stance) for s in items
            ),
        ),
        "snapshot": lambda d: _build(Snapshot, d),
    }
)


def decode_entity(kind: str, data: Mapping[str, Any]) -> Entity:
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise ValueError(f"unknown entity kind {kind!r}")
    return decoder(data)


# --- storage: one record per entity, keyed "kind:id" ---------------------------------------


def storage_key(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


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


def secret_parts(secrets: Mapping[str, str]) -> dict[str, Mapping[str, Any]]:
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
                entities[entity_id] = _tombstone(entities[entity_id], by, at)
            continue
        value = decode_entity(kind, change["value"])
        if isinstance(value, Meeting):
            meeting = value
        elif entities is not None:
            entities[entity_id] = value
    return Board(meeting, **{field: MappingProxyType(d) for field, d in parts.items()})


def _tombstone(value: Any, by: str, at: str) -> Any:
    if isinstance(value, Card):
        return replace(value, deleted=True, updated_at=at, updated_by=by)
    return replace(value, deleted=True)


# --- transport -----------------------------------------------------------------------------


def _public(value: Entity) -> dict[str, Any]:
    """An entity as participants see it: no tombstone flag; a revealed round with its
    summary."""
    data = encode_entity(value)
    data.pop("deleted", None)
    if isinstance(value, Round):
        for key in ("answered", "votes"):
            for entry in data[key]:
                entry["group"] = ROLE_GROUP[Role(entry["role"])].value
        if value.status is RoundStatus.REVEALED:
            data["summary"] = scaling.summarise(value.votes)
    return data


def encode_change(change: Change) -> dict[str, Any]:
    if change.secret:
        raise ValueError("secret changes are never encoded for clients")
    if change.deleted or change.value is None:
        return {"entity": change.entity, "id": change.id, "deleted": True}
    return {"entity": change.entity, "id": change.id, "value": _public(change.value)}


def encode_me(me: Participant) -> dict[str, Any]:
    """The participant a client acts as, with what their role may do (the page offers only
    that; the server checks every op anyway)."""
    can = ROLE_ABILITIES[me.role]
    return {**encode_entity(me), "can": {f.name: getattr(can, f.name) for f in fields(can)}}


def encode_board(board: Board) -> dict[str, Any]:
    """The board as everyone may see it: live cards and scales, and the rounds of live
    scales. Open rounds say who has answered, never what; secret ballots are not here."""
    cards = sorted(board.live_cards(), key=lambda c: (c.section, c.position, c.id))
    scales = board.live_scales()
    return {
        "meeting": encode_entity(board.meeting),
        "participants": [
            encode_entity(p)
            for p in sorted(board.participants.values(), key=lambda p: (p.joined_at, p.id))
        ],
        "cards": [_public(card) for card in cards],
        "scales": [_public(scale) for scale in scales],
        "rounds": [_public(r) for scale in scales for r in board.scale_rounds(scale.id)],
        "decision": _public(board.decision["decision"]) if board.decision else None,
        "minutes": [_public(m) for m in sorted(board.minutes.values(), key=lambda m: m.number)],
    }


def encode_own_ballots(board: Board, participant_id: str) -> list[dict[str, Any]]:
    """The numbers this participant gave (or recorded for someone) in open rounds: shown
    only on their own screen."""
    return [
        encode_ballot(board.rounds[key.split("/", 1)[0]], vote)
        for key, vote in sorted(board.ballots.items())
        if participant_id in (vote.voter, vote.recorded_by)
    ]


def encode_person(board: Board, participant_id: str) -> dict[str, Any]:
    """Everything the board holds about one participant, and nothing about anyone else:
    for a subject access request."""
    cards = [c for c in board.cards.values() if c.author == participant_id]
    own = ("id", "section", "text", "attributed_to", "owner", "due", "created_at", "deleted")
    return {
        "participant": encode_entity(board.participants[participant_id]),
        # Their own words, without what others did with them (others' stances, edits).
        "cards_added": [{name: getattr(card, name) for name in own} for card in cards],
        "agree_or_disagree": [
            {"card_id": card.id, "stance": card.stances[participant_id]}
            for card in board.cards.values()
            if participant_id in card.stances
        ],
        "votes": [
            {"scale_id": r.scale_id, "round": r.number, **_plain(vote)}
            for r in board.rounds.values()
            for vote in r.votes
            if vote.voter == participant_id
        ],
        "votes_in_open_rounds": [
            encode_ballot(board.rounds[key.split("/", 1)[0]], vote)
            for key, vote in board.ballots.items()
            if vote.voter == participant_id
        ],
        "minutes_sign_offs": [
            {"minutes": m.number, **_plain(signoff)}
            for m in board.minutes.values()
            for signoff in m.signoffs
            if signoff.participant_id == participant_id
        ],
    }


def encode_ballot(round_: Round, vote: Vote) -> dict[str, Any]:
    """A vote as its own voter sees it, with where it belongs."""
    return {
        "round_id": round_.id,
        "scale_id": round_.scale_id,
        "group": vote.group.value,
        **_plain(vote),
    }


def encode_template() -> dict[str, Any]:
    """The map's columns and sections with both vocabularies' labels, and the role names."""
    return {
        "columns": [
            {
                "key": column.key,
                "heading": column.heading,
                "prompt": column.prompt,
                "view": column.view,
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
        "groups": {group.value: label for group, label in GROUP_LABELS.items()},
        "outcomes": {outcome.value: label for outcome, label in OUTCOME_LABELS.items()},
        "timed_sections": sorted(TIMED_SECTIONS),
        "review_prompts": list(REVIEW_PROMPTS),
        "self_chosen_roles": [role.value for role in SELF_CHOSEN_ROLES],
    }
