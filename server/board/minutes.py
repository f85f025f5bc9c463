"""Minutes and the decision: a frozen, numbered record of the meeting that people sign.

What minutes record is a `Snapshot`: the board as canonical JSON, hashed with SHA-256, and
never changed afterwards. Sign-offs gather beside it while the minutes are a draft; once
the facilitator marks them agreed, nothing about them changes again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from . import scaling
from .entities import put
from .errors import Forbidden, Invalid, NotFound
from .limits import MAX_LABEL, MAX_NOTE, MAX_REASON
from .model import (
    Board,
    Card,
    Change,
    Decision,
    Minutes,
    MinutesStatus,
    Outcome,
    Participant,
    RoundStatus,
    Scale,
    ScalePoint,
    SignOff,
    Snapshot,
    Stance,
    Vote,
)
from .parsing import UNSET, Fields, Words, iso_date, whole_number, words
from .positions import key_between
from .roles import ROLE_ABILITIES, Role
from .summary import summarise
from .template import COLUMNS

# --- op values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionSet:
    outcome: Outcome
    next_review: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class MinutesTake:
    label: str | None = None


@dataclass(frozen=True)
class MinutesSign:
    number: int
    stance: Stance
    reason: str | None = None


@dataclass(frozen=True)
class MinutesAgree:
    number: int


_NOTE = Words.optional("The note", MAX_NOTE)
_LABEL = Words.optional("The label", MAX_LABEL)
_REASON = Words.optional("Your reason", MAX_REASON)

MinutesOp = MinutesTake | MinutesSign | MinutesAgree


def _number(f: Fields) -> int:
    return whole_number(
        f.get("minutes", required=True), 1, None, "minutes is the number of the minutes: 1, 2, ..."
    )


def _parse_decision(f: Fields) -> DecisionSet:
    outcome = f.enum("outcome", Outcome, required=True)
    review = f.get("next_review", nullable=True)
    note = f.get("note", nullable=True)
    return DecisionSet(
        outcome=outcome,
        next_review=None if review in (UNSET, None) else iso_date(review, "next_review"),
        note=None if note is UNSET else words(note, _NOTE) or None,
    )


def _parse_take(f: Fields) -> MinutesTake:
    label = f.get("label", nullable=True)
    return MinutesTake(None if label is UNSET else words(label, _LABEL) or None)


def _parse_sign(f: Fields) -> MinutesSign:
    number = _number(f)
    stance = f.enum("stance", Stance, required=True)
    reason = f.get("reason", nullable=True)
    reason = None if reason is UNSET else words(reason, _REASON) or None
    if stance is Stance.DISAGREE and reason is None:
        raise Invalid("Please say why you don't agree, so that it is written down.")
    return MinutesSign(number, stance, reason)


PARSERS: Mapping[str, Callable[[Fields], DecisionSet | MinutesOp]] = MappingProxyType(
    {
        "decision.set": _parse_decision,
        "minutes.take": _parse_take,
        "minutes.sign": _parse_sign,
        "minutes.agree": lambda f: MinutesAgree(_number(f)),
    }
)


# --- applying ------------------------------------------------------------------------------


def apply_decision(
    board: Board, op: DecisionSet, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    _require_facilitator(actor, "record the decision")
    return put(board, "decision", Decision(op.outcome, now, actor.id, op.next_review, op.note))


def apply_minutes(
    board: Board, op: MinutesOp, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    match op:
        case MinutesTake():
            _require_facilitator(actor, "take the minutes")
            return _take(board, op, actor, now)
        case MinutesSign():
            return _sign(board, op, actor, now)
        case MinutesAgree():
            _require_facilitator(actor, "mark minutes as agreed")
            minutes = _draft_or_agreed(board, op.number)
            if minutes.status is MinutesStatus.AGREED:
                return board, []
            agreed = replace(
                minutes, status=MinutesStatus.AGREED, agreed_at=now, agreed_by=actor.id
            )
            return put(board, "minutes", agreed)
    raise Invalid(f"Unknown op {type(op).__name__}.")  # pragma: no cover - exhaustive above


def _require_facilitator(actor: Participant, doing: str) -> None:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden(f"Only the facilitator can {doing}.")


def _draft_or_agreed(board: Board, number: int) -> Minutes:
    minutes = board.minutes.get(str(number))
    if minutes is None:
        raise NotFound(f"There are no minutes number {number}.")
    return minutes


def _take(
    board: Board, op: MinutesTake, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    number = len(board.minutes) + 1
    body = canonical(snapshot_content(board, number, op.label, now))
    minutes = Minutes(number, now, actor.id, digest(body), label=op.label)
    board, changes = put(board, "minutes", minutes)
    board, secret = put(board, "snapshot", Snapshot(number, body))
    return board, changes + secret


def _sign(
    board: Board, op: MinutesSign, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    minutes = _draft_or_agreed(board, op.number)
    if minutes.status is MinutesStatus.AGREED:
        raise Invalid("These minutes are agreed and cannot change any more.")
    signoff = SignOff(actor.id, actor.name, actor.role, op.stance, now, op.reason)
    others = tuple(s for s in minutes.signoffs if s.participant_id != actor.id)
    return put(board, "minutes", replace(minutes, signoffs=(*others, signoff)))


# --- the frozen content --------------------------------------------------------------------


def canonical(content: Any) -> str:
    """One text for one content: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def snapshot_content(board: Board, number: int, label: str | None, now: str) -> dict[str, Any]:
    """Everything the minutes record, by name rather than by internal id."""
    names = {p.id: p.name for p in board.participants.values()}
    meeting = board.meeting
    people = sorted(
        (p for p in board.participants.values() if p.role is not Role.VIEWER),
        key=lambda p: (p.joined_at, p.id),
    )
    return {
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "kind": meeting.kind.value,
            "vocabulary": meeting.vocabulary.value,
            "previous": meeting.previous,
            "created_at": meeting.created_at,
        },
        "minutes": {"number": number, "label": label, "taken_at": now},
        "people": [{"name": p.name, "role": p.role.value} for p in people],
        "columns": [
            {
                "key": column.key,
                "heading": column.heading,
                "view": column.view,
                "sections": [
                    {
                        "key": section.key,
                        "label": section.label(meeting.vocabulary),
                        "cards": [_card(card, names) for card in board.section_cards(section.key)],
                    }
                    for section in column.sections
                ],
            }
            for column in COLUMNS
        ],
        "scales": [_scale(board, scale, names) for scale in board.live_scales()],
        "decision": _decision(board, names),
    }


def _card(card: Any, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": card.id,
        "text": card.text,
        "attributed_to": card.attributed_to,
        "owner": card.owner,
        "due": card.due,
        "added_by": names.get(card.author, "someone at the last meeting"),
        "from_last_meeting": card.from_last_meeting,
        "agree": sorted(names.get(p, "?") for p, s in card.stances.items() if s is Stance.AGREE),
        "disagree": sorted(
            names.get(p, "?") for p, s in card.stances.items() if s is Stance.DISAGREE
        ),
    }


def _scale(board: Board, scale: Any, names: dict[str, str]) -> dict[str, Any]:
    # Only revealed rounds: an open round's numbers are secret, in minutes too.
    rounds = [r for r in board.scale_rounds(scale.id) if r.status is RoundStatus.REVEALED]
    return {
        "id": scale.id,
        "question": scale.question,
        "low_label": scale.low_label,
        "high_label": scale.high_label,
        "overall": scale.overall,
        "card_id": scale.card_id,
        "rounds": [
            {
                "number": r.number,
                "revealed_at": r.revealed_at,
                "votes": [
                    {
                        "name": v.name,
                        "role": v.role.value,
                        "value": v.value,
                        "reason": v.reason,
                        "recorded_by_facilitator": v.recorded_by is not None,
                    }
                    for v in r.votes
                ],
                "summary": summarise(r.votes),
                "left_out": [scaling.left_out_words(left, names) for left in r.left_out],
            }
            for r in rounds
        ],
        "history": [
            {
                "meeting_id": p.meeting_id,
                "date": p.date,
                "medians": dict(p.medians),
                "votes": [
                    {"name": v.name, "role": v.role.value, "value": v.value} for v in p.votes
                ],
            }
            for p in scale.history
        ],
    }


def _decision(board: Board, names: dict[str, str]) -> dict[str, Any] | None:
    decision = board.decision.get("decision")
    if decision is None:
        return None
    return {
        "outcome": decision.outcome.value,
        "next_review": decision.next_review,
        "note": decision.note,
        "set_by": names.get(decision.set_by, ""),
    }


# --- the next meeting ----------------------------------------------------------------------


def review_board(content: dict[str, Any], meeting: Any, now: str) -> Board:
    """A review meeting's first board, from the minutes `content` of the meeting before:
    its cards marked as from last meeting, its scales with last time's numbers added to
    their history (the new meeting votes afresh)."""
    cards = []
    for column in content["columns"]:
        for section in column["sections"]:
            previous_key = None
            for item in section["cards"]:
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
                    )
                )
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
                card_id=item["card_id"] if any(c.id == item["card_id"] for c in cards) else None,
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
