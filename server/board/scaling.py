"""Scaling together: 0-10 scales, rounds of secret votes, and the revealed picture.

The rules of scales, rounds and votes live here; `ops.apply` hands these ops over after
its common checks (participant, role may edit, meeting not closed or locked).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from statistics import median
from types import MappingProxyType
from typing import Any

from .entities import live_card, put, put_ballots
from .errors import AlreadyVoted, Forbidden, Invalid, NotFound, RoundClosed, TooMany
from .limits import (
    MAX_ANCHOR,
    MAX_NAME,
    MAX_QUESTION,
    MAX_REASON,
    MAX_SCALES,
    SCALE_MAX,
    SCALE_MIN,
)
from .model import (
    Answered,
    Board,
    Change,
    LeftOut,
    LeftOutWhy,
    Participant,
    Round,
    RoundStatus,
    Scale,
    Vocabulary,
    Vote,
)
from .parsing import NAME, UNSET, Fields, Words, whole_number, words
from .roles import ROLE_ABILITIES, SELF_CHOSEN_ROLES, Group, Role
from .template import GROUP_LABELS, OVERALL_SCALE

# --- op values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleAdd:
    question: str
    low_label: str
    high_label: str
    scale_id: str | None = None
    card_id: str | None = None


@dataclass(frozen=True)
class ScaleEdit:
    scale_id: str
    question: str = UNSET
    low_label: str = UNSET
    high_label: str = UNSET


@dataclass(frozen=True)
class ScaleDelete:
    scale_id: str


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


ScalingOp = ScaleAdd | ScaleEdit | ScaleDelete | RoundOpen | RoundReveal | VoteCast | VoteExclude


# --- parsing -------------------------------------------------------------------------------


_QUESTION = Words.required("The question", MAX_QUESTION)
_LOW = Words.required("What 0 means", MAX_ANCHOR)
_HIGH = Words.required("What 10 means", MAX_ANCHOR)
_REASON = Words(
    MAX_REASON, f"A reason can be at most {MAX_REASON} characters.", "reason must be a string."
)
# `behalf:<name>|<role>`: a name, and the longest role.
MAX_VOTER = len("behalf:|professional") + MAX_NAME
_VOTE = f"A vote is a whole number from {SCALE_MIN} to {SCALE_MAX}."


def _optional_words(f: Fields, name: str, kind: Words) -> Any:
    value = f.get(name)
    return UNSET if value is UNSET else words(value, kind)


def _parse_scale_add(f: Fields) -> ScaleAdd:
    scale_id = f.card_id("scale_id", required=False, nullable=True)
    card_id = f.card_id("card_id", required=False, nullable=True)
    return ScaleAdd(
        question=words(f.get("question", required=True), _QUESTION),
        low_label=words(f.get("low_label", required=True), _LOW),
        high_label=words(f.get("high_label", required=True), _HIGH),
        scale_id=None if scale_id is UNSET else scale_id,
        card_id=None if card_id is UNSET else card_id,
    )


def _parse_scale_edit(f: Fields) -> ScaleEdit:
    op = ScaleEdit(
        scale_id=f.card_id("scale_id"),
        question=_optional_words(f, "question", _QUESTION),
        low_label=_optional_words(f, "low_label", _LOW),
        high_label=_optional_words(f, "high_label", _HIGH),
    )
    if op.question is UNSET and op.low_label is UNSET and op.high_label is UNSET:
        raise Invalid("scale.edit needs question, low_label or high_label.")
    return op


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
        raise Invalid(f"on_behalf_of.role must be one of: {choices}.")
    return OnBehalf(words(raw.get("name"), NAME), Role(role))


def _parse_vote_exclude(f: Fields) -> VoteExclude:
    voter = f.get("voter", required=True)
    # A participant id, or `behalf:<name>|<role>` for a vote the facilitator recorded.
    if not isinstance(voter, str) or not 0 < len(voter) <= MAX_VOTER:
        raise Invalid("voter is the voter of an answer in the open round.")
    return VoteExclude(f.card_id("scale_id"), voter)


PARSERS: Mapping[str, Callable[[Fields], ScalingOp]] = MappingProxyType(
    {
        "scale.add": _parse_scale_add,
        "scale.edit": _parse_scale_edit,
        "scale.delete": lambda f: ScaleDelete(f.card_id("scale_id")),
        "round.open": lambda f: RoundOpen(f.card_id("scale_id")),
        "round.reveal": lambda f: RoundReveal(f.card_id("scale_id")),
        "vote.cast": _parse_vote_cast,
        "vote.exclude": _parse_vote_exclude,
    }
)


# --- applying ------------------------------------------------------------------------------


def overall_scale(vocabulary: Vocabulary, scale_id: str, now: str, created_by: str) -> Scale:
    words = OVERALL_SCALE[vocabulary]
    return Scale(
        id=scale_id,
        question=words.question,
        low_label=words.low_label,
        high_label=words.high_label,
        created_at=now,
        created_by=created_by,
        overall=True,
    )


def follow_vocabulary(board: Board, old: Vocabulary, new: Vocabulary) -> tuple[Board, list[Change]]:
    """The overall scale's words switch with the vocabulary, unless someone reworded them."""
    if old is new:
        return board, []
    before, after = OVERALL_SCALE[old], OVERALL_SCALE[new]
    switched = [
        replace(s, question=after.question, low_label=after.low_label, high_label=after.high_label)
        for s in board.live_scales()
        if s.overall
        and (s.question, s.low_label, s.high_label)
        == (before.question, before.low_label, before.high_label)
    ]
    return put(board, "scale", *switched) if switched else (board, [])


def apply(
    board: Board, op: ScalingOp, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    if not isinstance(op, VoteCast) or op.on_behalf_of is not None:
        _require_facilitator(actor, op)
    match op:
        case ScaleAdd():
            return _add(board, op, actor, now, new_id)
        case ScaleEdit():
            return _edit(board, op)
        case ScaleDelete():
            return _delete(board, op)
        case RoundOpen():
            return _open(board, op, actor, now, new_id)
        case RoundReveal():
            return _reveal(board, op, now)
        case VoteCast():
            return _cast(board, op, actor, now)
        case VoteExclude():
            return _exclude(board, op, actor, now)
    raise Invalid(f"Unknown op {type(op).__name__}.")  # pragma: no cover - exhaustive above


def _require_facilitator(actor: Participant, op: ScalingOp) -> None:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        if isinstance(op, VoteCast):
            raise Forbidden("Only the facilitator can record a vote for someone else.")
        raise Forbidden("Only the facilitator can set up scales and rounds.")


def _live_scale(board: Board, scale_id: str) -> Scale:
    scale = board.scales.get(scale_id)
    if scale is None or scale.deleted:
        raise NotFound("That scale is not on the board any more.")
    return scale


def _add(
    board: Board, op: ScaleAdd, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    scale_id = op.scale_id or new_id
    if not scale_id:
        raise Invalid("scale.add needs a scale id.")
    if scale_id in board.scales:
        raise Invalid("That scale id is used already.")
    if op.card_id is not None:
        live_card(board, op.card_id)
    if len(board.live_scales()) >= MAX_SCALES:
        raise TooMany(f"A meeting can have at most {MAX_SCALES} scales.")
    scale = Scale(
        id=scale_id,
        question=op.question,
        low_label=op.low_label,
        high_label=op.high_label,
        created_at=now,
        created_by=actor.id,
        card_id=op.card_id,
    )
    return put(board, "scale", scale)


def _edit(board: Board, op: ScaleEdit) -> tuple[Board, list[Change]]:
    scale = _live_scale(board, op.scale_id)
    edited = scale
    for name in ("question", "low_label", "high_label"):
        value = getattr(op, name)
        if value is not UNSET:
            edited = replace(edited, **{name: value})
    return (board, []) if edited == scale else put(board, "scale", edited)


def _delete(board: Board, op: ScaleDelete) -> tuple[Board, list[Change]]:
    scale = _live_scale(board, op.scale_id)
    board, changes = put(board, "scale", replace(scale, deleted=True))
    round_ = board.open_round(scale.id)
    if round_ is not None:
        # Nobody will ever see an abandoned round's numbers: drop them.
        board, dropped = put_ballots(
            board, dict.fromkeys(k for k, _ in board.round_ballots(round_.id))
        )
        changes += dropped
    return board, changes


def _open(
    board: Board, op: RoundOpen, actor: Participant, now: str, new_id: str
) -> tuple[Board, list[Change]]:
    scale = _live_scale(board, op.scale_id)
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
    _live_scale(board, scale_id)
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
            f"{own.name} has answered on their own device already. If this is someone else, "
            "add to the name (an initial, say)."
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
    vote = Vote(voter, name, role, op.value, now, op.reason, recorded_by, replaces)
    gone = {voter, *(a.voter for a in recorded)}
    answered = [a for a in round_.answered if a.voter not in gone]
    device = actor.device if recorded_by is None else None
    answered.append(Answered(voter, name, role, recorded_by, device))
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


def ballot_key(round_id: str, voter: str) -> str:
    return f"{round_id}/{voter}"


# --- the picture of a revealed round -------------------------------------------------------


def summarise(votes: tuple[Vote, ...]) -> dict[str, Any]:
    """Each group's median, the gap between the highest and lowest median, and the same in
    words: "Family 7, network 6, professionals 3: a gap of 4"."""
    counted = [
        (group, [v.value for v in votes if v.group is group])
        for group in Group
        if any(v.group is group for v in votes)
    ]
    medians = [(group, _number(median(values)), len(values)) for group, values in counted]
    groups = [{"group": g.value, "median": m, "count": n} for g, m, n in medians]
    gap = (
        _number(max(m for _, m, _ in medians) - min(m for _, m, _ in medians)) if medians else None
    )
    words = ", ".join(f"{GROUP_LABELS[g].lower()} {m}" for g, m, _ in medians)
    if len(groups) > 1:
        words += f": a gap of {gap}"
    values = [v.value for v in votes]
    return {
        "groups": groups,
        "gap": gap,
        "lowest": min(values) if values else None,
        "highest": max(values) if values else None,
        "words": words[:1].upper() + words[1:],
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)
