"""Minutes and the decision: a frozen, numbered record of the meeting that people sign.

What minutes record is a `Snapshot`: the board as canonical JSON, hashed with SHA-256, and
never changed afterwards. Sign-offs gather beside it while the minutes are a draft; once
the facilitator marks them agreed, nothing about them changes again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from .entities import put
from .errors import N_, Forbidden, Invalid, Msgid, Nn_, NotFound
from .limits import MAX_LABEL, MAX_NOTE, MAX_REASON
from .minutes_content import canonical, digest, snapshot_content
from .model import (
    Board,
    Change,
    Decision,
    Minutes,
    MinutesStatus,
    Outcome,
    Participant,
    SignOff,
    Snapshot,
    Stance,
)
from .parsing import UNSET, Fields, Words, iso_date, whole_number, words
from .roles import ROLE_ABILITIES

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


_NOTE = Words.optional(
    MAX_NOTE,
    Nn_(
        "The note can be at most {most} character.",
        "The note can be at most {most} characters.",
        "most",
    ),
    N_("The note must be words or null."),
)
_LABEL = Words.optional(
    MAX_LABEL,
    Nn_(
        "The label can be at most {most} character.",
        "The label can be at most {most} characters.",
        "most",
    ),
    N_("The label must be words or null."),
)
_REASON = Words.optional(
    MAX_REASON,
    Nn_(
        "Your reason can be at most {most} character.",
        "Your reason can be at most {most} characters.",
        "most",
    ),
    N_("Your reason must be words or null."),
)

MinutesOp = MinutesTake | MinutesSign | MinutesAgree


def _number(f: Fields) -> int:
    return whole_number(
        f.get("minutes", required=True),
        1,
        None,
        N_("minutes is the number of the minutes: 1, 2, ..."),
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
    _require_facilitator(actor, N_("Only the facilitator can record the decision."))
    return put(board, "decision", Decision(op.outcome, now, actor.id, op.next_review, op.note))


def apply_minutes(
    board: Board, op: MinutesOp, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    match op:
        case MinutesTake():
            _require_facilitator(actor, N_("Only the facilitator can take the minutes."))
            return _take(board, op, actor, now)
        case MinutesSign():
            return _sign(board, op, actor, now)
        case MinutesAgree():
            _require_facilitator(actor, N_("Only the facilitator can mark minutes as agreed."))
            minutes = _draft_or_agreed(board, op.number)
            if minutes.status is MinutesStatus.AGREED:
                return board, []
            agreed = replace(
                minutes, status=MinutesStatus.AGREED, agreed_at=now, agreed_by=actor.id
            )
            return put(board, "minutes", agreed)
    raise Invalid("Unknown op {op}.", op=type(op).__name__)  # pragma: no cover - exhaustive above


def _require_facilitator(actor: Participant, refusal: Msgid) -> None:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden(refusal)


def _draft_or_agreed(board: Board, number: int) -> Minutes:
    minutes = board.minutes.get(str(number))
    if minutes is None:
        raise NotFound("There are no minutes number {number}.", number=number)
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
