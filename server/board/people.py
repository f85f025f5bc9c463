"""Who is who: the facilitator corrects the name and role someone joined with, and
confirms someone who says they are a worker, so that their numbers count among the
professionals'; and each person's own language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from . import scaling
from .entities import put
from .errors import Forbidden, Invalid, NotFound
from .languages import language_code
from .model import Board, Change, Participant
from .parsing import NAME, UNSET, Fields, words
from .roles import ROLE_ABILITIES, SELF_CHOSEN_ROLES, Role


@dataclass(frozen=True)
class ParticipantCorrect:
    """The facilitator sets someone's name or role right. A role they set is confirmed."""

    participant_id: str
    name: str = UNSET
    role: Role = UNSET


@dataclass(frozen=True)
class ParticipantConfirm:
    """The facilitator confirms that someone who says they are a worker is one."""

    participant_id: str


@dataclass(frozen=True)
class ParticipantLanguage:
    """Someone chooses the language Kinboard speaks to them in: their own, never another's."""

    language: str


PeopleOp = ParticipantCorrect | ParticipantConfirm | ParticipantLanguage

_ROLES = ", ".join(role.value for role in SELF_CHOSEN_ROLES)


def _parse_correct(f: Fields) -> ParticipantCorrect:
    participant_id = f.card_id("participant_id")
    name = f.get("name")
    role = f.get("role")
    if name is UNSET and role is UNSET:
        raise Invalid("participant.correct needs name or role.")
    if role is not UNSET and role not in {r.value for r in SELF_CHOSEN_ROLES}:
        raise Invalid("role must be one of: {choices}.", choices=_ROLES)
    return ParticipantCorrect(
        participant_id,
        name=UNSET if name is UNSET else words(name, NAME),
        role=UNSET if role is UNSET else Role(role),
    )


PARSERS: Mapping[str, Callable[[Fields], PeopleOp]] = MappingProxyType(
    {
        "participant.correct": _parse_correct,
        "participant.confirm": lambda f: ParticipantConfirm(f.card_id("participant_id")),
        "participant.language": lambda f: ParticipantLanguage(
            language_code(f.get("language", required=True))
        ),
    }
)


def apply(board: Board, op: PeopleOp, actor: Participant) -> tuple[Board, list[Change]]:
    if isinstance(op, ParticipantLanguage):
        if op.language == actor.language:
            return board, []
        return put(board, "participant", replace(actor, language=op.language))
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can change who someone is in the meeting.")
    person = board.participants.get(op.participant_id)
    if person is None or person.removed:
        raise NotFound("That person is not in the meeting.")
    if person.role not in SELF_CHOSEN_ROLES:
        raise Invalid("Only family members and workers can be changed here.")
    if isinstance(op, ParticipantConfirm):
        if not person.unconfirmed:
            raise Invalid("{name} does not need confirming.", name=person.name)
        corrected = replace(person, unconfirmed=False)
    else:
        corrected = person
        if op.name is not UNSET:
            corrected = replace(corrected, name=op.name)
        if op.role is not UNSET:
            corrected = replace(corrected, role=op.role, unconfirmed=False)
    if corrected == person:
        return board, []
    board, changes = put(board, "participant", corrected)
    board, followed = scaling.follow_person(board, corrected)
    return board, changes + followed


def view_changed(before: Board, after: Board) -> set[str]:
    """The participants whose view of the board changed from `before` to `after` (their
    role, their confirmation as a worker, their language): their screens need the board
    afresh."""
    if before.participants is after.participants:
        return set()  # most ops change nobody
    return {
        person.id
        for person in after.participants.values()
        if (old := before.participants.get(person.id)) is not None
        and not person.removed
        and old.viewer != person.viewer
    }
