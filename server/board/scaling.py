"""Scaling together: rounds of secret votes on a scale, who has answered, and answers left
out.

`ops.apply` hands every scaling op here after its common checks (participant, role may
edit, meeting not closed or locked); this checks who may do it and hands scale ops on to
`scales`. The picture of a revealed round is in `summary`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from . import scales
from .entities import put, put_ballots
from .errors import N_, AlreadyVoted, Forbidden, Invalid, Nn_, NotFound, RoundClosed
from .limits import (
    MAX_NAME,
    MAX_REASON,
    SCALE_MAX,
    SCALE_MIN,
)
from .model import Board, Change, Participant
from .parsing import NAME, UNSET, Fields, Words, is_text, whole_number, words
from .roles import ROLE_ABILITIES, SELF_CHOSEN_ROLES, Role
from .scales import live_scale
from .scaling_model import Answered, LeftOut, LeftOutWhy, Round, RoundStatus, Vote


@dataclass(frozen=True)
class RoundOpen:
    scale_id: str


@dataclass(frozen=True)
class RoundReveal:
    scale_id: str


@dataclass(frozen=True)
class OnBehalf:
    name: str
    role: Role


@dataclass(frozen=True)
class VoteCast:
    scale_id: str
    value: int
    reason: str | None = None
    on_behalf_of: OnBehalf | None = None


@dataclass(frozen=True)
class VoteExclude:
    """Leave one of a likely pair of votes from one person out of the open round."""

    scale_id: str
    voter: str


RoundOp = RoundOpen | RoundReveal | VoteCast | VoteExclude
ScalingOp = scales.ScaleOp | RoundOp


_REASON = Words(
    MAX_REASON,
    Nn_(
        "A reason can be at most {most} character.",
        "A reason can be at most {most} characters.",
        "most",
    ),
    N_("reason must be a string."),
)


# `behalf:<name>|<role>`: a name, and the longest role.
MAX_VOTER = len("behalf:|professional") + MAX_NAME


_VOTE = N_("A vote is a whole number from {low} to {high}.")


def _parse_vote_cast(f: Fields) -> VoteCast:
    scale_id = f.card_id("scale_id")
    value = whole_number(f.get("value", required=True), SCALE_MIN, SCALE_MAX, _VOTE)
    reason = f.get("reason", nullable=True)
    reason = reason if reason is UNSET else words(reason, _REASON) or None
    behalf = f.get("on_behalf_of", nullable=True)
    return VoteCast(
        scale_id=scale_id,
        value=value,
        reason=None if reason is UNSET else reason,
        on_behalf_of=None if behalf in (UNSET, None) else _parse_behalf(behalf),
    )


def _parse_behalf(raw: Any) -> OnBehalf:
    if not isinstance(raw, Mapping) or set(raw) - {"name", "role"}:
        raise Invalid("on_behalf_of is {name, role}.")
    role = raw.get("role")
    if role not in {r.value for r in SELF_CHOSEN_ROLES}:
        choices = ", ".join(r.value for r in SELF_CHOSEN_ROLES)
        raise Invalid("on_behalf_of.role must be one of: {choices}.", choices=choices)
    return OnBehalf(words(raw.get("name"), NAME), Role(role))


def _parse_vote_exclude(f: Fields) -> VoteExclude:
    voter = f.get("voter", required=True)
    # A participant id, or `behalf:<name>|<role>` for a vote the facilitator recorded.
    if not isinstance(voter, str) or not 0 < len(voter) <= MAX_VOTER or not is_text(voter):
        raise Invalid("voter is the voter of an answer in the open round.")
    return VoteExclude(f.card_id("scale_id"), voter)


PARSERS: Mapping[str, Callable[[Fields], ScalingOp]] = MappingProxyType(
    {
        **scales.PARSERS,
        "round.open": lambda f: RoundOpen(f.card_id("scale_id")),
        "round.reveal": lambda f: RoundReveal(f.card_id("scale_id")),
        "vote.cast": _parse_vote_cast,
        "vote.exclude": _parse_vote_exclude,
    }
)


def apply(
    board: Board, op: ScalingOp, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    if not isinstance(op, VoteCast) or op.on_behalf_of is not None:
        _require_facilitator(actor, op)
    if isinstance(op, scales.ScaleOp):
        return scales.apply(board, op, actor, now, new_id)
    match op:
        case RoundOpen():
            return _open(board, op, actor, now, new_id)
        case RoundReveal():
            return _reveal(board, op, now)
        case VoteCast():
            return _cast(board, op, actor, now)
        case VoteExclude():
            return _exclude(board, op, actor, now)
    raise Invalid("Unknown op {op}.", op=type(op).__name__)  # pragma: no cover - exhaustive above


def _require_facilitator(actor: Participant, op: ScalingOp) -> None:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        if isinstance(op, VoteCast):
            raise Forbidden("Only the facilitator can record a vote for someone else.")
        raise Forbidden("Only the facilitator can set up scales and rounds.")


def _open(
    board: Board, op: RoundOpen, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    scale = live_scale(board, op.scale_id)
    if board.open_round(scale.id) is not None:
        raise Invalid("A round is open on this scale already. Show the answers first.")
    if not new_id or new_id in board.rounds:
        raise Invalid("round.open needs a new round id.")
    number = len(board.scale_rounds(scale.id)) + 1
    return put(
        board,
        "round",
        Round(new_id, scale.id, number, RoundStatus.OPEN, opened_at=now, opened_by=actor.id),
    )


def _current_round(board: Board, scale_id: str) -> Round:
    live_scale(board, scale_id)
    round_ = board.open_round(scale_id)
    if round_ is None:
        raise RoundClosed("There is no open round on this scale. Ask the facilitator to start one.")
    return round_


def voter_of(op: VoteCast, actor: Participant) -> tuple[str, str, Role, str | None]:
    """(voter key, name, role, recorded by) of a vote: the caller's own, or the person
    without a device the facilitator records it for."""
    if op.on_behalf_of is None:
        return actor.id, actor.name, actor.role, None
    behalf = op.on_behalf_of
    return (
        f"behalf:{behalf.name.casefold()}|{behalf.role.value}",
        behalf.name,
        behalf.role,
        actor.id,
    )


def cast_ballot(board: Board, op: VoteCast, actor_id: str) -> tuple[Round, Vote] | None:
    """The round and ballot `op` left on `board` (after it was applied): for the ack."""
    round_ = board.open_round(op.scale_id)
    actor = board.participants.get(actor_id)
    if round_ is None or actor is None:
        return None
    vote = board.ballots.get(ballot_key(round_.id, voter_of(op, actor)[0]))
    return None if vote is None else (round_, vote)


def _cast(board: Board, op: VoteCast, actor: Participant, now: str) -> tuple[Board, list[Change]]:
    round_ = _current_round(board, op.scale_id)
    voter, name, role, recorded_by = voter_of(op, actor)
    if any(v.voter == voter for v in round_.left_out):
        raise Forbidden("The facilitator left this vote out of this round.")
    same_name = [a for a in round_.answered if a.voter != voter and same_person(a.name, name)]
    own = next((a for a in same_name if a.recorded_by is None), None)
    if recorded_by is not None and own is not None:
        raise AlreadyVoted(
            "{name} has answered on their own device already. If this is someone else, "
            "add to the name (an initial, say).",
            name=own.name,
        )
    # Someone answering on their own device after the facilitator recorded an answer for
    # them: theirs takes its place, so they count once.
    recorded = [a for a in same_name if a.recorded_by is not None] if recorded_by is None else []
    key = ballot_key(round_.id, voter)
    earlier = board.ballots.get(key)
    if recorded:
        replaces = recorded[0].recorded_by
    else:
        replaces = earlier.replaces_recorded_by if earlier else None
    # A vote recorded for someone counts as the role the facilitator gave it.
    unconfirmed = actor.unconfirmed and recorded_by is None
    vote = Vote(voter, name, role, op.value, now, op.reason, recorded_by, replaces, unconfirmed)
    gone = {voter, *(a.voter for a in recorded)}
    answered = [a for a in round_.answered if a.voter not in gone]
    device = actor.device if recorded_by is None else None
    answered.append(Answered(voter, name, role, recorded_by, device, unconfirmed))
    board, changes = put(board, "round", replace(round_, answered=tuple(answered)))
    ballots: dict[str, Vote | None] = {ballot_key(round_.id, a.voter): None for a in recorded}
    board, secret = put_ballots(board, {**ballots, key: vote})
    return board, changes + secret


def same_person(a: str, b: str) -> bool:
    """Two names that read as one: case and spacing aside."""
    return _name_key(a) == _name_key(b)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def likely_duplicates(round_: Round) -> list[tuple[Answered, ...]]:
    """Groups of answers in `round_` that may be one person's: given from one browser
    (`Answered.device`), or under one name. Names only, never numbers."""

    def keys(a: Answered) -> set[str]:
        # A browser's first join is known by its own id, the later ones by that id too.
        device = a.device or (a.voter if a.recorded_by is None else None)
        return {f"name:{_name_key(a.name)}", *([f"device:{device}"] if device else [])}

    groups: list[tuple[set[str], list[Answered]]] = []
    for answered in round_.answered:
        mine, members = keys(answered), [answered]
        for group in [g for g in groups if g[0] & mine]:
            groups.remove(group)
            mine |= group[0]
            members = group[1] + members
        groups.append((mine, members))
    order = {a.voter: n for n, a in enumerate(round_.answered)}
    found = [tuple(sorted(m, key=lambda a: order[a.voter])) for _, m in groups if len(m) > 1]
    return sorted(found, key=lambda g: order[g[0].voter])


def _exclude(
    board: Board, op: VoteExclude, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    round_ = _current_round(board, op.scale_id)
    answered = next((a for a in round_.answered if a.voter == op.voter), None)
    if answered is None:
        raise NotFound("That answer is not in this round.")
    if not any(answered in group for group in likely_duplicates(round_)):
        raise Invalid(
            "Only an answer that looks like a second one from the same person can be left out."
        )
    return _leave_out(board, round_, answered, LeftOutWhy.DUPLICATE, actor.id, now)


def _leave_out(
    board: Board, round_: Round, answered: Answered, why: LeftOutWhy, by: str, now: str
) -> tuple[Board, list[Change]]:
    """Take one answer out of an open round: its number is dropped unseen, and the round
    says whose answer was left out, why and by whom."""
    left = LeftOut(answered.voter, answered.name, answered.role, why, by, now)
    board, changes = put(
        board,
        "round",
        replace(
            round_,
            answered=tuple(a for a in round_.answered if a.voter != answered.voter),
            left_out=(*round_.left_out, left),
        ),
    )
    board, secret = put_ballots(board, {ballot_key(round_.id, answered.voter): None})
    return board, changes + secret


def leave_out_removed(
    board: Board, participant_id: str, by: str, now: str
) -> tuple[Board, list[Change]]:
    """Someone taken out of the meeting: their answers in open rounds do not count."""
    changes: list[Change] = []
    for round_ in list(board.rounds.values()):
        answered = next((a for a in round_.answered if a.voter == participant_id), None)
        if round_.status is RoundStatus.OPEN and answered is not None:
            board, more = _leave_out(board, round_, answered, LeftOutWhy.REMOVED, by, now)
            changes += more
    return board, changes


def left_out_words(left: LeftOut, names: Mapping[str, str]) -> str:
    """What the minutes say of an answer that did not count."""
    by = names.get(left.by, "the facilitator")
    if left.why is LeftOutWhy.REMOVED:
        return f"{left.name}'s answer was left out: {by} took them out of the meeting."
    return (
        f"{left.name}'s answer was left out by {by}: it looked like a second answer "
        "from the same person."
    )


def _reveal(board: Board, op: RoundReveal, now: str) -> tuple[Board, list[Change]]:
    round_ = _current_round(board, op.scale_id)
    ballots = dict(board.round_ballots(round_.id))
    # Only the answers the round still counts, in the order they came.
    keyed = [ballot_key(round_.id, a.voter) for a in round_.answered]
    votes = tuple(ballots[key] for key in keyed if key in ballots)
    revealed = replace(round_, status=RoundStatus.REVEALED, revealed_at=now, votes=votes)
    board, changes = put(board, "round", revealed)
    board, secret = put_ballots(board, dict.fromkeys(ballots))
    return board, changes + secret


def follow_person(board: Board, person: Participant) -> tuple[Board, list[Change]]:
    """Someone's name, role or confirmation changed: their own answers in every round
    (open ones' secret ballots too) say it, so vote tables, the minutes and each group's
    median follow."""

    def follow(entry: Any) -> Any:
        if entry.voter != person.id or getattr(entry, "recorded_by", None) is not None:
            return entry
        if isinstance(entry, LeftOut):
            return replace(entry, name=person.name, role=person.role)
        return replace(entry, name=person.name, role=person.role, unconfirmed=person.unconfirmed)

    rounds = []
    for round_ in board.rounds.values():
        followed = replace(
            round_,
            answered=tuple(follow(a) for a in round_.answered),
            votes=tuple(follow(v) for v in round_.votes),
            left_out=tuple(follow(left) for left in round_.left_out),
        )
        if followed != round_:
            rounds.append(followed)
    board, changes = put(board, "round", *rounds)
    ballots = {
        key: follow(vote)
        for key, vote in board.ballots.items()
        if key.endswith(f"/{person.id}") and follow(vote) != vote
    }
    board, secret = put_ballots(board, ballots)
    return board, changes + secret


def ballot_key(round_id: str, voter: str) -> str:
    return f"{round_id}/{voter}"
