"""Ops: parsing what a client sends, and applying it to a board.

Every rule and permission check of the board lives here. `apply` is pure: the caller passes
the acting participant, the time and any new id, and gets back the new board and the list
of entities that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from . import minutes, scaling
from .entities import live_card, put
from .errors import Forbidden, Invalid, Locked, NotFound, TooMany
from .limits import MAX_CARDS, MAX_OWNER, MAX_POSITION
from .model import Board, Card, Change, Participant, Stance, Status, Vocabulary
from .parsing import (
    UNSET,
    Fields,
    attribution,
    card_text,
    clean_name,
    clean_title,
    is_id,
    iso_date,
    scale_number,
    short_text,
)
from .positions import even_keys, key_between
from .roles import ROLE_ABILITIES, Role
from .template import TIMED_SECTIONS


@dataclass(frozen=True)
class Context:
    actor: str
    now: str
    new_id: str = ""


# --- op values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardAdd:
    section: str
    text: str
    attributed_to: str | None = None
    after: str | None = None
    card_id: str | None = None
    owner: str | None = None
    due: str | None = None


@dataclass(frozen=True)
class CardEdit:
    card_id: str
    text: str = UNSET
    attributed_to: str | None = UNSET
    owner: str | None = UNSET
    due: str | None = UNSET


@dataclass(frozen=True)
class CardMove:
    card_id: str
    section: str
    after: str | None = None


@dataclass(frozen=True)
class CardDelete:
    card_id: str


@dataclass(frozen=True)
class CardRestore:
    card_id: str


@dataclass(frozen=True)
class CardReact:
    card_id: str
    stance: Stance | None


@dataclass(frozen=True)
class MeetingEdit:
    title: str = UNSET
    vocabulary: Vocabulary = UNSET
    worry_threshold: int = UNSET


@dataclass(frozen=True)
class MeetingLock:
    pass


@dataclass(frozen=True)
class MeetingUnlock:
    pass


@dataclass(frozen=True)
class MeetingClose:
    pass


@dataclass(frozen=True)
class ParticipantRemove:
    participant_id: str


@dataclass(frozen=True)
class ParticipantJoin:
    """Not sent by clients: the server applies it when someone joins by a link."""

    participant_id: str
    name: str
    role: Role


Op = (
    CardAdd
    | CardEdit
    | CardMove
    | CardDelete
    | CardRestore
    | CardReact
    | MeetingEdit
    | MeetingLock
    | MeetingUnlock
    | MeetingClose
    | ParticipantRemove
    | ParticipantJoin
    | scaling.ScalingOp
    | minutes.DecisionSet
    | minutes.MinutesOp
)


# --- parsing -------------------------------------------------------------------------------


def parse_op(raw: Any) -> tuple[str, Op]:
    """(op id, op) from a client's message, or Invalid / TooLong saying what is wrong."""
    if not isinstance(raw, Mapping):
        raise Invalid("An op must be an object.")
    op_id = raw.get("id")
    if not is_id(op_id):
        raise Invalid("An op needs an id of letters, digits, - or _ (at most 64).")
    op_type = raw.get("type")
    parser = _PARSERS.get(op_type) if isinstance(op_type, str) else None
    if parser is None:
        raise Invalid(f"Unknown op type {op_type!r}.")
    fields = Fields(raw, op_type)
    op = parser(fields)
    fields.reject_unknown()
    return op_id, op


def _parse_card_add(f: Fields) -> CardAdd:
    section = f.section()
    text = card_text(f.get("text", required=True))
    attributed = f.get("attributed_to", nullable=True)
    after = f.card_id("after", required=False, nullable=True)
    card_id = f.card_id("card_id", required=False, nullable=True)
    owner, due = _timing(f)
    return CardAdd(
        section=section,
        text=text,
        attributed_to=None if attributed is UNSET else attribution(attributed),
        after=None if after is UNSET else after,
        card_id=None if card_id is UNSET else card_id,
        owner=None if owner is UNSET else owner,
        due=None if due is UNSET else due,
    )


def _timing(f: Fields) -> tuple[Any, Any]:
    """`owner` and `due` (UNSET when not sent; None clears)."""
    owner = f.get("owner", nullable=True)
    due = f.get("due", nullable=True)
    return (
        owner if owner is UNSET else short_text(owner, "Who will do it", MAX_OWNER),
        due if due in (UNSET, None) else iso_date(due, "due"),
    )


def _parse_card_edit(f: Fields) -> CardEdit:
    card_id = f.card_id()
    text = f.get("text")
    attributed = f.get("attributed_to", nullable=True)
    owner, due = _timing(f)
    if text is UNSET and attributed is UNSET and owner is UNSET and due is UNSET:
        raise Invalid("card.edit needs text, attributed_to, owner or due.")
    return CardEdit(
        card_id=card_id,
        text=UNSET if text is UNSET else card_text(text),
        attributed_to=UNSET if attributed is UNSET else attribution(attributed),
        owner=owner,
        due=due,
    )


def _parse_card_move(f: Fields) -> CardMove:
    card_id = f.card_id()
    section = f.section()
    after = f.card_id("after", required=True, nullable=True)
    if after == card_id:
        raise Invalid("A card cannot go below itself.")
    return CardMove(card_id=card_id, section=section, after=after)


def _parse_card_react(f: Fields) -> CardReact:
    card_id = f.card_id()
    stance = f.enum("stance", Stance, required=True, nullable=True)
    return CardReact(card_id=card_id, stance=stance)


def _parse_meeting_edit(f: Fields) -> MeetingEdit:
    title = f.get("title")
    vocabulary = f.enum("vocabulary", Vocabulary)
    threshold = f.get("worry_threshold")
    if title is UNSET and vocabulary is UNSET and threshold is UNSET:
        raise Invalid("meeting.edit needs title, vocabulary or worry_threshold.")
    return MeetingEdit(
        title=UNSET if title is UNSET else clean_title(title),
        vocabulary=vocabulary,
        worry_threshold=UNSET if threshold is UNSET else scale_number(threshold, "worry_threshold"),
    )


_PARSERS: Mapping[str, Callable[[Fields], Op]] = MappingProxyType(
    {
        "card.add": _parse_card_add,
        "card.edit": _parse_card_edit,
        "card.move": _parse_card_move,
        "card.delete": lambda f: CardDelete(f.card_id()),
        "card.restore": lambda f: CardRestore(f.card_id()),
        "card.react": _parse_card_react,
        "meeting.edit": _parse_meeting_edit,
        "meeting.lock": lambda f: MeetingLock(),
        "meeting.unlock": lambda f: MeetingUnlock(),
        "meeting.close": lambda f: MeetingClose(),
        "participant.remove": lambda f: ParticipantRemove(f.card_id("participant_id")),
        **scaling.PARSERS,
        **minutes.PARSERS,
    }
)

OP_TYPES = tuple(_PARSERS)


# --- applying ------------------------------------------------------------------------------


def apply(board: Board, op: Op, ctx: Context) -> tuple[Board, list[Change]]:
    """Check `op` against every rule and return the new board and what changed."""
    if isinstance(op, ParticipantJoin):
        return _join(board, op, ctx)
    actor = board.participants.get(ctx.actor)
    if actor is None or actor.removed:
        raise Forbidden("You are not part of this meeting.")
    if not ROLE_ABILITIES[actor.role].edit_board:
        raise Forbidden("This screen can only show the board.")
    if board.meeting.status is Status.CLOSED:
        raise Locked("This meeting has ended. Nothing more can be changed.")
    if isinstance(op, MeetingEdit | MeetingLock | MeetingUnlock | MeetingClose):
        return _meeting_op(board, op, actor, ctx)
    if isinstance(op, ParticipantRemove):
        return _remove(board, op, actor)
    if isinstance(op, minutes.MinutesOp):
        # Minutes record the board; taking and signing them is not changing it, so a
        # board locked for the end of the meeting still takes them.
        return minutes.apply_minutes(board, op, actor, ctx.now)
    if board.meeting.status is Status.LOCKED:
        raise Locked("The facilitator has paused changes for now.")
    if isinstance(op, minutes.DecisionSet):
        return minutes.apply_decision(board, op, actor, ctx.now)
    if isinstance(op, scaling.ScalingOp):
        return scaling.apply(board, op, actor, ctx.now, ctx.new_id)
    match op:
        case CardAdd():
            return _add(board, op, ctx)
        case CardEdit():
            return _edit(board, op, actor, ctx)
        case CardMove():
            return _move(board, op, ctx)
        case CardDelete() | CardRestore():
            return _delete_or_restore(board, op, actor, ctx)
        case CardReact():
            return _react(board, op, actor)
    raise Invalid(f"Unknown op {type(op).__name__}.")  # pragma: no cover - exhaustive above


def _join(board: Board, op: ParticipantJoin, ctx: Context) -> tuple[Board, list[Change]]:
    if op.participant_id in board.participants:
        raise Invalid("That participant has joined already.")
    if board.meeting.status is Status.CLOSED:
        raise Locked("This meeting has ended.")
    return put(
        board, "participant", Participant(op.participant_id, clean_name(op.name), op.role, ctx.now)
    )


def _meeting_op(
    board: Board,
    op: MeetingEdit | MeetingLock | MeetingUnlock | MeetingClose,
    actor: Participant,
    ctx: Context,
) -> tuple[Board, list[Change]]:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can change the meeting.")
    meeting = board.meeting
    match op:
        case MeetingClose():
            # Ends the meeting for good: nothing more changes; its records are kept until
            # the retention period after `closed_at` has passed.
            meeting = replace(meeting, status=Status.CLOSED, closed_at=ctx.now)
        case MeetingLock():
            meeting = replace(meeting, status=Status.LOCKED)
        case MeetingUnlock():
            meeting = replace(meeting, status=Status.OPEN)
        case MeetingEdit():
            if meeting.status is Status.LOCKED:
                raise Locked("Unlock the meeting to change it.")
            if op.title is not UNSET:
                meeting = replace(meeting, title=op.title)
            if op.vocabulary is not UNSET:
                meeting = replace(meeting, vocabulary=op.vocabulary)
            if op.worry_threshold is not UNSET:
                meeting = replace(meeting, worry_threshold=op.worry_threshold)
    if meeting == board.meeting:
        return board, []
    updated, changes = scaling.follow_vocabulary(
        replace(board, meeting=meeting), board.meeting.vocabulary, meeting.vocabulary
    )
    return updated, [Change("meeting", meeting.id, meeting), *changes]


def _remove(board: Board, op: ParticipantRemove, actor: Participant) -> tuple[Board, list[Change]]:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can take someone out of the meeting.")
    participant = board.participants.get(op.participant_id)
    if participant is None or participant.removed:
        raise NotFound("That person is not in the meeting.")
    if participant.id == actor.id:
        raise Invalid("You cannot take yourself out of the meeting.")
    return put(board, "participant", replace(participant, removed=True))


def _add(board: Board, op: CardAdd, ctx: Context) -> tuple[Board, list[Change]]:
    card_id = op.card_id or ctx.new_id
    if not card_id:
        raise Invalid("card.add needs a card id.")
    if card_id in board.cards:
        raise Invalid("That card id is used already.")
    if len(board.live_cards()) >= MAX_CARDS:
        raise TooMany(f"A board can hold at most {MAX_CARDS} cards.")
    _require_timed(op.section, op.owner, op.due)
    card = Card(
        id=card_id,
        section=op.section,
        text=op.text,
        position="",
        author=ctx.actor,
        created_at=ctx.now,
        updated_at=ctx.now,
        updated_by=ctx.actor,
        attributed_to=op.attributed_to,
        owner=op.owner,
        due=op.due,
    )
    return _place(board, card, op.after)


def _require_timed(section: str, owner: Any, due: Any) -> None:
    if section not in TIMED_SECTIONS and (owner not in (None, UNSET) or due not in (None, UNSET)):
        raise Invalid("Only next steps and the plan say who will do it and by when.")


def _require_author_or_facilitator(actor: Participant, card: Card, doing: str) -> None:
    if not ROLE_ABILITIES[actor.role].edit_any_card and card.author != actor.id:
        raise Forbidden(f"Only the person who added a card, or the facilitator, can {doing} it.")


def _edit(
    board: Board, op: CardEdit, actor: Participant, ctx: Context
) -> tuple[Board, list[Change]]:
    card = live_card(board, op.card_id)
    _require_author_or_facilitator(actor, card, "change")
    _require_timed(card.section, op.owner, op.due)
    updated = card
    for name in ("text", "attributed_to", "owner", "due"):
        value = getattr(op, name)
        if value is not UNSET:
            updated = replace(updated, **{name: value})
    if updated == card:
        return board, []
    return put(board, "card", replace(updated, updated_at=ctx.now, updated_by=ctx.actor))


def _move(board: Board, op: CardMove, ctx: Context) -> tuple[Board, list[Change]]:
    card = live_card(board, op.card_id)
    moved = replace(card, section=op.section, updated_at=ctx.now, updated_by=ctx.actor)
    if op.section not in TIMED_SECTIONS:
        moved = replace(moved, owner=None, due=None)  # who and when belong to plans only
    return _place(board, moved, op.after)


def _delete_or_restore(
    board: Board, op: CardDelete | CardRestore, actor: Participant, ctx: Context
) -> tuple[Board, list[Change]]:
    card = board.cards.get(op.card_id)
    if card is None:
        raise NotFound("That card is not on the board.")
    _require_author_or_facilitator(actor, card, "remove or bring back")
    restoring = isinstance(op, CardRestore)
    if card.deleted != restoring:
        return board, []  # already as asked: nothing to do
    if restoring and len(board.live_cards()) >= MAX_CARDS:
        raise TooMany(f"A board can hold at most {MAX_CARDS} cards.")
    updated = replace(card, deleted=not restoring, updated_at=ctx.now, updated_by=ctx.actor)
    if restoring:
        # A re-spaced section may have given its old place away: then it goes to the end.
        siblings = board.section_cards(card.section)
        if any(c.position == card.position for c in siblings):
            return _place(board, updated, siblings[-1].id)
    return put(board, "card", updated)


def _react(board: Board, op: CardReact, actor: Participant) -> tuple[Board, list[Change]]:
    card = live_card(board, op.card_id)
    stances = dict(card.stances)
    if op.stance is None:
        stances.pop(actor.id, None)
    else:
        stances[actor.id] = op.stance
    if stances == dict(card.stances):
        return board, []
    return put(board, "card", replace(card, stances=MappingProxyType(stances)))


def _place(board: Board, card: Card, after: str | None) -> tuple[Board, list[Change]]:
    """Put `card` into its section just below `after` (None: at the top).

    When `after` has meanwhile left the section (a concurrent move or delete), the card
    goes to the end of the section rather than being refused: nothing the user typed is lost.
    """
    siblings = [c for c in board.section_cards(card.section) if c.id != card.id]
    ids = [c.id for c in siblings]
    if after is None:
        index = 0
    elif after in ids:
        index = ids.index(after) + 1
    else:
        index = len(siblings)
    before_key = siblings[index - 1].position if index > 0 else None
    after_key = siblings[index].position if index < len(siblings) else None
    position = key_between(before_key, after_key)
    if len(position) <= MAX_POSITION:
        return put(board, "card", replace(card, position=position))
    # Many moves to one spot made the keys long: re-space the whole section.
    ordered = [*siblings[:index], card, *siblings[index:]]
    respaced = [
        replace(c, position=key) for c, key in zip(ordered, even_keys(len(ordered)), strict=True)
    ]
    return put(board, "card", *respaced)
