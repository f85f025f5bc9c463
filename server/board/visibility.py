"""Who may see an entity: the one rule behind every secret kept from some of the people in a
meeting (hidden cards, a child's items not shared yet, private family time, translations).

An entity that not everyone may see carries an `Audience`; `sees(viewer, audience)` is the
only place that decides. Every channel asks it: the board a client is sent (`state`, a whole
board in `sync`), each op's changes (`applied`, and ops replayed by `sync`, through
`changes_for`), presence, the API, the display, minutes, "Our plan" and the subject-access
export. What a viewer may not see is left out, never blanked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .roles import PLAN_READERS, Role


class Reach(StrEnum):
    EVERYONE = "everyone"
    HIDDEN_FROM = "hidden_from"  # everyone but `people`
    PROFESSIONALS = "professionals"  # facilitators, professionals and `people` (a child's own)
    ONLY = "only"  # only `people` (a child's item nobody else sees yet)
    WITH_FACILITATORS = "with_facilitators"  # `people` and the facilitators
    FAMILY = "family"  # parents, children and family friends (private family time)
    # An interpreter's translation: those who chose `language`, the facilitators, and
    # `people` (the interpreter who wrote it).
    LANGUAGE = "language"


# Who counts as a professional for `Reach.PROFESSIONALS`.
PROFESSIONAL_ROLES = frozenset({Role.FACILITATOR, Role.PROFESSIONAL})


@dataclass(frozen=True)
class Audience:
    """Who may see an entity. `people` are participant ids (for HIDDEN_FROM, ONLY and
    WITH_FACILITATORS; for PROFESSIONALS, a child who sees their own item marked so; for
    LANGUAGE, its interpreter; empty otherwise). `language` is LANGUAGE's. `within` narrows
    it further: a translation of a card is seen only by those who may see the card too."""

    kind: Reach = Reach.EVERYONE
    people: tuple[str, ...] = ()
    language: str | None = None
    within: Audience | None = None


EVERYONE = Audience()


@dataclass(frozen=True)
class Viewer:
    """Who is looking. A participant has an id and a role; staff and integration keys read
    as a facilitator with no id of their own; the meeting-room screen (role `viewer`), and
    anyone who cannot be placed on the board, see only what everyone sees."""

    participant_id: str | None = None
    role: Role | None = None
    # Says they are a worker (people.py), not confirmed: not a professional to this rule.
    unconfirmed: bool = False
    # The first participant who joined from the same browser (`Participant.device_key`):
    # what is hidden from that one is hidden from every join of that browser.
    device: str | None = None
    # The language they chose to read Kinboard in (None: the meeting's).
    language: str | None = None


ANYONE = Viewer()  # sees only what everyone may see (the room screen, a stranger)
STAFF = Viewer(role=Role.FACILITATOR)


def sees(viewer: Viewer, audience: Audience) -> bool:
    """Whether `viewer` may see an entity meant for `audience`."""
    if audience.within is not None and not sees(viewer, audience.within):
        return False
    if audience.kind is Reach.EVERYONE:
        return True
    role, me = viewer.role, viewer.participant_id
    if role is None or role is Role.VIEWER:
        return False  # the room screen shows only what everyone may see
    match audience.kind:
        case Reach.HIDDEN_FROM:
            return me not in audience.people and viewer.device not in audience.people
        case Reach.PROFESSIONALS:
            mine = me is not None and me in audience.people
            return mine or (role in PROFESSIONAL_ROLES and not viewer.unconfirmed)
        case Reach.ONLY:
            return me is not None and me in audience.people
        case Reach.WITH_FACILITATORS:
            return role is Role.FACILITATOR or (me is not None and me in audience.people)
        case Reach.FAMILY:
            return role in PLAN_READERS
        case Reach.LANGUAGE:
            mine = me is not None and me in audience.people
            reads = viewer.language is not None and viewer.language == audience.language
            return mine or reads or role is Role.FACILITATOR
    return False  # pragma: no cover - exhaustive above


def audience_of(value: object) -> Audience:
    """An entity's audience: everyone, unless it carries one."""
    audience = getattr(value, "audience", EVERYONE)
    return audience if isinstance(audience, Audience) else EVERYONE


def visible(viewer: Viewer, value: object) -> bool:
    return sees(viewer, audience_of(value))


def carried(audience: Audience) -> Audience | None:
    """What an audience becomes in the next meeting (a review), whose participants are new:
    what was kept from someone is for professionals only there, until the facilitator says
    otherwise; what was one person's or the family's alone is not carried (None)."""
    if audience.kind is Reach.EVERYONE:
        return EVERYONE
    if audience.kind in (Reach.HIDDEN_FROM, Reach.PROFESSIONALS):
        return Audience(Reach.PROFESSIONALS)
    return None


def encode_audience(audience: Audience) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": audience.kind.value, "people": list(audience.people)}
    if audience.language is not None:
        data["language"] = audience.language
    if audience.within is not None:
        data["within"] = encode_audience(audience.within)
    return data


def decode_audience(data: Any) -> Audience:
    """An audience from its JSON; absent (None) is everyone. Extra keys (the names minutes
    keep beside the ids) are ignored."""
    if data is None:
        return EVERYONE
    within = data.get("within")
    return Audience(
        Reach(data["kind"]),
        tuple(data.get("people", ())),
        data.get("language"),
        None if within is None else decode_audience(within),
    )


# The keys an encoded change carries for this rule only; `changes_for` takes them off.
AUDIENCE_KEY = "audience"  # the entity's audience, when not everyone
WAS_KEY = "was"  # its audience before this change, when the change moved it


def restricted(changes: Iterable[Mapping[str, Any]]) -> bool:
    """Whether some viewers get a different copy of these encoded changes than others."""
    return any(AUDIENCE_KEY in c or WAS_KEY in c for c in changes)


def changes_for(viewer: Viewer, changes: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One op's encoded changes as `viewer` gets them: what they may see; a removal of what
    they saw until this change; nothing of the rest."""
    mine = []
    for change in changes:
        audience = decode_audience(change.get(AUDIENCE_KEY))
        was = decode_audience(change[WAS_KEY]) if WAS_KEY in change else audience
        if sees(viewer, audience):
            mine.append({k: v for k, v in change.items() if k not in (AUDIENCE_KEY, WAS_KEY)})
        elif sees(viewer, was):
            mine.append({"entity": change["entity"], "id": change["id"], "deleted": True})
    return mine
