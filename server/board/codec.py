"""The one JSON shape of every entity, which storage records, the wire format and data
exports are all built from."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from .family_group import Answer, Ended, FamilyItem, FamilyTime, Stage
from .model import (
    Card,
    Decision,
    Entity,
    GoalParts,
    House,
    HouseItem,
    Kind,
    Meeting,
    Minutes,
    MinutesStatus,
    Outcome,
    Participant,
    Sharing,
    SignOff,
    Snapshot,
    Stance,
    Status,
    Timing,
    Vocabulary,
    WorryParts,
)
from .roles import Role
from .scaling_model import (
    Answered,
    LeftOut,
    LeftOutWhy,
    Round,
    RoundStatus,
    Scale,
    ScalePoint,
    Vote,
)
from .steering import Agenda, Focus, FocusKind, Readiness, ReadyState, Timer, TimerStatus
from .translation_model import Target, Translation
from .visibility import EVERYONE, Audience, decode_audience, encode_audience

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def plain(value: Any) -> Any:
    """Dataclasses, mappings and tuples as JSON-ready dicts and lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    return value


def encode_entity(value: Entity) -> dict[str, Any]:
    data: dict[str, Any] = plain(value)
    # Most entities are for everyone: their JSON says so by having no audience at all; the
    # others carry it in its one shape (visibility.encode_audience).
    for name in ("audience", "marking"):
        audience = getattr(value, name, None)
        if name in data and isinstance(audience, Audience):
            if audience == EVERYONE:
                del data[name]
            else:
                data[name] = encode_audience(audience)
    return data


def _build(cls: type[T], data: Mapping[str, Any], **convert: Any) -> T:
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


def _house_item(data: Mapping[str, Any]) -> HouseItem:
    return _build(
        HouseItem,
        data,
        house=House,
        sharing=Sharing,
        marking=decode_audience,
        strokes=lambda strokes: None if strokes is None else tuple(tuple(s) for s in strokes),
    )


def _stances(data: Mapping[str, str]) -> Mapping[str, Stance]:
    return MappingProxyType({participant: Stance(s) for participant, s in data.items()})


_DECODERS: Mapping[str, Callable[[Mapping[str, Any]], Entity]] = MappingProxyType(
    {
        "meeting": lambda d: _build(
            Meeting,
            d,
            kind=Kind,
            status=Status,
            vocabulary=Vocabulary,
            stage=lambda s: s and Stage(s),
        ),
        "participant": lambda d: _build(Participant, d, role=Role),
        "card": lambda d: _build(
            Card,
            d,
            stances=_stances,
            set_aside=lambda t: t and _build(Timing, t),
            audience=decode_audience,
            worry=lambda w: w and _build(WorryParts, w, harms=tuple),
            goal=lambda g: g and _build(GoalParts, g),
        ),
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
            left_out=lambda items: tuple(
                _build(LeftOut, a, role=Role, why=LeftOutWhy) for a in items
            ),
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
        "agenda": lambda d: _build(Agenda, d, steps=tuple),
        "focus": lambda d: _build(Focus, d, kind=lambda k: k and FocusKind(k)),
        "timer": lambda d: _build(Timer, d, status=TimerStatus),
        "readiness": lambda d: _build(
            Readiness,
            d,
            answers=lambda a: MappingProxyType({p: ReadyState(s) for p, s in a.items()}),
        ),
        "family_time": lambda d: _build(
            FamilyTime, d, answer=lambda a: a and Answer(a), ended=lambda e: e and Ended(e)
        ),
        "family_item": lambda d: _build(FamilyItem, d, audience=decode_audience),
        "house_item": _house_item,
        "private_item": _house_item,
        "translation": lambda d: _build(
            Translation, d, target_kind=Target, audience=decode_audience
        ),
    }
)


def decode_entity(kind: str, data: Mapping[str, Any]) -> Entity:
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise ValueError(f"unknown entity kind {kind!r}")
    return decoder(data)


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
