"""Meeting ops: the facilitator's title, vocabulary, worry threshold and language, locking,
unlocking and closing, and who is in the meeting (joining, being taken out, changing one's name)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from . import scaling
from .entities import put
from .errors import N_, Closed, Forbidden, Invalid, Locked, Nn_, NotFound, TooMany
from .languages import DEFAULT as DEFAULT_LANGUAGE
from .languages import language_code
from .limits import MAX_PARTICIPANTS, SCALE_MAX, SCALE_MIN
from .model import STATUS_ALLOWS, Board, Change, Participant, Status, Vocabulary
from .parsing import NAME, TITLE, UNSET, Fields, whole_number, words
from .roles import NEEDS_CONFIRMING, ROLE_ABILITIES, Role
from .scales import follow_vocabulary


@dataclass(frozen=True)
class MeetingEdit:
    title: str = UNSET
    vocabulary: Vocabulary = UNSET
    worry_threshold: int = UNSET


@dataclass(frozen=True)
class MeetingLanguage:
    """The facilitator sets the language of the meeting room screen and of the minutes."""

    language: str


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
class MeetingIdleClose:
    """Not sent by clients: the server closes a meeting nothing has changed in for long,
    so that its retention period starts."""


@dataclass(frozen=True)
class ParticipantRemove:
    participant_id: str


@dataclass(frozen=True)
class ParticipantRename:
    """Someone changes the name the meeting sees them by: their own, never another's."""

    name: str


@dataclass(frozen=True)
class ParticipantJoin:
    """Not sent by clients: the server applies it when someone joins by a link."""

    participant_id: str
    name: str
    role: Role
    # The participant this browser joined as before (its session cookie), if any.
    device: str | None = None
    # They chose their role themselves, on the family link (not a named person's link).
    chose_role: bool = False
    language: str = DEFAULT_LANGUAGE  # chosen on the join page (a code in languages.py)
    # An interpreter's language, from their link.
    interprets: str | None = None


CLOSED = N_("This meeting has ended, so nothing in it can be changed any more.")
_THRESHOLD = N_("worry_threshold is a whole number from {low} to {high}.")

MeetingOp = (
    MeetingEdit
    | MeetingLanguage
    | MeetingLock
    | MeetingUnlock
    | MeetingClose
    | ParticipantRemove
    | ParticipantRename
)


def _parse_meeting_edit(f: Fields) -> MeetingEdit:
    title = f.get("title")
    vocabulary = f.enum("vocabulary", Vocabulary)
    threshold = f.get("worry_threshold")
    if title is UNSET and vocabulary is UNSET and threshold is UNSET:
        raise Invalid("meeting.edit needs title, vocabulary or worry_threshold.")
    return MeetingEdit(
        title=UNSET if title is UNSET else words(title, TITLE),
        vocabulary=vocabulary,
        worry_threshold=UNSET
        if threshold is UNSET
        else whole_number(threshold, SCALE_MIN, SCALE_MAX, _THRESHOLD),
    )


PARSERS: Mapping[str, Callable[[Fields], MeetingOp]] = MappingProxyType(
    {
        "meeting.edit": _parse_meeting_edit,
        "meeting.language": lambda f: MeetingLanguage(
            language_code(f.get("language", required=True))
        ),
        "meeting.lock": lambda f: MeetingLock(),
        "meeting.unlock": lambda f: MeetingUnlock(),
        "meeting.close": lambda f: MeetingClose(),
        "participant.remove": lambda f: ParticipantRemove(f.card_id("participant_id")),
        "participant.rename": lambda f: ParticipantRename(
            words(f.get("name", required=True), NAME)
        ),
    }
)


_FULL = Nn_(
    "A meeting can have at most {most} person join it.",
    "A meeting can have at most {most} people join it.",
    "most",
)


def join(board: Board, op: ParticipantJoin, now: str) -> tuple[Board, list[Change]]:
    if op.participant_id in board.participants:
        raise Invalid("That participant has joined already.")
    if board.meeting.status is Status.CLOSED:
        raise Closed(CLOSED)
    if len(board.participants) >= MAX_PARTICIPANTS:
        raise TooMany(_FULL, most=MAX_PARTICIPANTS)
    # Every join from one browser shares the first one's id.
    earlier = board.participants.get(op.device) if op.device else None
    device = earlier.device_key if earlier else None
    unconfirmed = op.chose_role and op.role in NEEDS_CONFIRMING
    participant = Participant(
        op.participant_id,
        words(op.name, NAME),
        op.role,
        now,
        device=device,
        unconfirmed=unconfirmed,
        language=language_code(op.language),
        interprets=op.interprets,
    )
    return put(board, "participant", participant)


def idle_close(board: Board, now: str) -> tuple[Board, list[Change]]:
    if board.meeting.status is Status.CLOSED:
        raise Closed(CLOSED)
    meeting = replace(board.meeting, status=Status.CLOSED, closed_at=now)
    return replace(board, meeting=meeting), [Change("meeting", meeting.id, meeting)]


def apply(board: Board, op: MeetingOp, actor: Participant, now: str) -> tuple[Board, list[Change]]:
    if isinstance(op, ParticipantRemove):
        return _remove(board, op, actor, now)
    if isinstance(op, ParticipantRename):
        if op.name == actor.name:
            return board, []
        renamed = replace(actor, name=op.name)
        board, changes = put(board, "participant", renamed)
        board, followed = scaling.follow_person(board, renamed)
        return board, changes + followed
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can change the meeting.")
    meeting = board.meeting
    match op:
        case MeetingClose():
            # Ends the meeting for good: nothing more changes; its records are kept until
            # the retention period after `closed_at` has passed.
            meeting = replace(meeting, status=Status.CLOSED, closed_at=now)
        case MeetingLock():
            meeting = replace(meeting, status=Status.LOCKED)
        case MeetingUnlock():
            meeting = replace(meeting, status=Status.OPEN)
        case MeetingLanguage():
            # Like locking, not a change to the board: a locked meeting takes it too.
            meeting = replace(meeting, language=op.language)
        case MeetingEdit():
            if not STATUS_ALLOWS[meeting.status].board:
                raise Locked("Unlock the meeting to change it.")
            if op.title is not UNSET:
                meeting = replace(meeting, title=op.title)
            if op.vocabulary is not UNSET:
                meeting = replace(meeting, vocabulary=op.vocabulary)
            if op.worry_threshold is not UNSET:
                meeting = replace(meeting, worry_threshold=op.worry_threshold)
    if meeting == board.meeting:
        return board, []
    updated, changes = follow_vocabulary(
        replace(board, meeting=meeting), board.meeting.vocabulary, meeting.vocabulary
    )
    return updated, [Change("meeting", meeting.id, meeting), *changes]


def _remove(
    board: Board, op: ParticipantRemove, actor: Participant, now: str
) -> tuple[Board, list[Change]]:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can take someone out of the meeting.")
    participant = board.participants.get(op.participant_id)
    if participant is None or participant.removed:
        raise NotFound("That person is not in the meeting.")
    if participant.id == actor.id:
        raise Invalid("You cannot take yourself out of the meeting.")
    board, changes = put(board, "participant", replace(participant, removed=True))
    board, left_out = scaling.leave_out_removed(board, participant.id, actor.id, now)
    return board, changes + left_out
