"""The entities of scaling: scales and their history, rounds, votes and who has answered,
as frozen values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .roles import Group, Role, group_of


class RoundStatus(StrEnum):
    OPEN = "open"
    REVEALED = "revealed"


@dataclass(frozen=True)
class ScalePoint:
    """One earlier meeting's revealed round of a scale: its votes and each group's median."""

    meeting_id: str
    date: str
    votes: tuple[Vote, ...]
    medians: Mapping[str, float]


@dataclass(frozen=True)
class Scale:
    id: str
    question: str
    low_label: str
    high_label: str
    created_at: str
    created_by: str
    card_id: str | None = None  # the worry statement this scale is about, if any
    overall: bool = False  # the meeting's first scale: its words follow the vocabulary
    deleted: bool = False
    # Earlier meetings' revealed rounds of this scale, oldest first (reviews carry them).
    history: tuple[ScalePoint, ...] = ()


@dataclass(frozen=True)
class Vote:
    """One person's number. `voter` is a participant id, or for someone without a device
    whose vote the facilitator records, `behalf:<name>|<role>`."""

    voter: str
    name: str
    role: Role
    value: int
    at: str
    reason: str | None = None
    recorded_by: str | None = None
    # Their own vote took the place of the one this facilitator had recorded for them.
    replaces_recorded_by: str | None = None
    unconfirmed: bool = False  # the voter's `Participant.unconfirmed`, kept up to date

    @property
    def group(self) -> Group:
        return group_of(self.role, self.unconfirmed)


@dataclass(frozen=True)
class Answered:
    """That someone has voted in an open round: public, unlike their number."""

    voter: str
    name: str
    role: Role
    recorded_by: str | None = None
    device: str | None = None  # the voter's `Participant.device`; None when recorded
    unconfirmed: bool = False  # the voter's `Participant.unconfirmed`, kept up to date

    @property
    def group(self) -> Group:
        return group_of(self.role, self.unconfirmed)


class LeftOutWhy(StrEnum):
    DUPLICATE = "duplicate"  # the facilitator left it out as a second vote of one person
    REMOVED = "removed"  # its voter was taken out of the meeting


@dataclass(frozen=True)
class LeftOut:
    """A vote of an open round that will not count: who gave it (never its number), why,
    and which facilitator left it out."""

    voter: str
    name: str
    role: Role
    why: LeftOutWhy
    by: str
    at: str


@dataclass(frozen=True)
class Round:
    id: str
    scale_id: str
    number: int
    status: RoundStatus
    opened_at: str
    opened_by: str
    revealed_at: str | None = None
    answered: tuple[Answered, ...] = ()
    votes: tuple[Vote, ...] = ()  # empty until the reveal
    left_out: tuple[LeftOut, ...] = ()
