"""A review meeting's first board, from the minutes content of the meetings before it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .model import Board, Card, GoalParts, WorryParts
from .positions import key_between
from .roles import Role
from .scaling_model import Scale, ScalePoint, Vote
from .summary import summarise
from .visibility import EVERYONE, carried, decode_audience


def _carried_cards(content: dict[str, Any], now: str) -> list[Card]:
    """The minutes' cards, each in its section in order, that a review may carry."""
    cards = []
    for column in content["columns"]:
        for section in column["sections"]:
            previous_key = None
            for item in section["cards"]:
                audience = carried(decode_audience(item.get("audience")))
                if audience is None:
                    continue
                position = key_between(previous_key, None)
                previous_key = position
                cards.append(
                    Card(
                        id=item["id"],
                        section=section["key"],
                        text=item["text"],
                        position=position,
                        author="",
                        created_at=now,
                        updated_at=now,
                        updated_by="",
                        attributed_to=item["attributed_to"],
                        owner=item["owner"],
                        due=item["due"],
                        from_last_meeting=True,
                        audience=audience,
                        # Minutes from before the composers have no parts.
                        worry=_worry(item.get("worry")),
                        goal=GoalParts(**item["goal"]) if item.get("goal") else None,
                    )
                )
    return cards


def review_board(content: dict[str, Any], meeting: Any, now: str) -> Board:
    """A review meeting's first board, from the minutes `content` of the meeting before:
    its cards marked as from last meeting, its scales with last time's numbers added to
    their history (the new meeting votes afresh)."""
    cards = _carried_cards(content, now)
    scales = []
    for item in content["scales"]:
        history = tuple(_point(p) for p in item["history"])
        last = _last_point(content, item)
        if last is not None:
            history += (last,)
        scales.append(
            Scale(
                id=item["id"],
                question=item["question"],
                low_label=item["low_label"],
                high_label=item["high_label"],
                created_at=now,
                created_by="",
                # About a card carried for everyone, or about none (the scale is everyone's).
                card_id=item["card_id"]
                if any(c.id == item["card_id"] and c.audience == EVERYONE for c in cards)
                else None,
                overall=item["overall"],
                history=history,
            )
        )
    return Board(
        meeting,
        cards=MappingProxyType({card.id: card for card in cards}),
        scales=MappingProxyType({scale.id: scale for scale in scales}),
    )


def with_family_history(board: Board, earlier: list[dict[str, Any]]) -> Board:
    """A review's first board with each scale's history spanning every earlier meeting of
    its family, not only the one it follows: `earlier` is each earlier meeting's minutes
    content, in the family's order (the meeting the review follows is not among them). An
    earlier scale is the same scale by its id (a review keeps its scales' ids), and the
    overall scales of a family's meetings are one scale. A meeting already in a scale's
    history stays as it is; the history is in date order, then the family's."""
    order = {content["meeting"]["id"]: n for n, content in enumerate(earlier)}
    scales = dict(board.scales)
    for scale in board.scales.values():
        history = list(scale.history)
        known = {point.meeting_id for point in history}
        for content in earlier:
            meeting_id = content["meeting"]["id"]
            same = [
                item
                for item in content["scales"]
                if item["id"] == scale.id or (scale.overall and item["overall"])
            ]
            points = [p for p in (_last_point(content, item) for item in same) if p is not None]
            if meeting_id not in known and points:
                history.append(points[0])
                known.add(meeting_id)
        if len(history) != len(scale.history):
            history.sort(key=lambda p: (p.date, order.get(p.meeting_id, len(earlier))))
            scales[scale.id] = replace(scale, history=tuple(history))
    return replace(board, scales=MappingProxyType(scales))


def _worry(data: dict[str, Any] | None) -> WorryParts | None:
    return None if data is None else WorryParts(**{**data, "harms": tuple(data["harms"])})


def _last_point(content: dict[str, Any], item: dict[str, Any]) -> ScalePoint | None:
    """A scale's last revealed round in minutes `content`, as a point of its history."""
    if not item["rounds"]:
        return None
    last = item["rounds"][-1]
    votes = tuple(
        Vote(f"was:{n}", v["name"], Role(v["role"]), v["value"], last["revealed_at"] or "")
        for n, v in enumerate(last["votes"])
    )
    date = content["minutes"]["taken_at"][:10]
    return ScalePoint(content["meeting"]["id"], date, votes, _medians(votes))


def _point(data: dict[str, Any]) -> ScalePoint:
    votes = tuple(
        Vote(f"was:{n}", v["name"], Role(v["role"]), v["value"], data["date"])
        for n, v in enumerate(data["votes"])
    )
    return ScalePoint(data["meeting_id"], data["date"], votes, MappingProxyType(data["medians"]))


def _medians(votes: tuple[Vote, ...]) -> Mapping[str, float]:
    summary = summarise(votes)
    return MappingProxyType({g["group"]: g["median"] for g in summary["groups"]})
