"""The records the store keeps and hands back (committed ops, links, sessions, presence,
families), and what one op writes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from enum import Enum
from typing import Any

from ..board.model import Board, LinkKind, MinutesStatus
from ..board.roles import Role


@dataclass(frozen=True)
class OpRecord:
    """One committed op as the log keeps it and `applied` / `sync` send it."""

    seq: int
    op_id: str
    by: str
    at: str
    changes: tuple[Mapping[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "op_id": self.op_id,
            "by": self.by,
            "at": self.at,
            "changes": list(self.changes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OpRecord:
        return cls(data["seq"], data["op_id"], data["by"], data["at"], tuple(data["changes"]))


@dataclass(frozen=True)
class Commit:
    seq: int
    record: OpRecord | None  # None when the op key had been committed before
    board: Board

    @property
    def duplicate(self) -> bool:
        return self.record is None


@dataclass(frozen=True)
class Link:
    """A capability to join one meeting. A per-person link names who it is for and the
    role they get; the three general links leave `name` and `role` empty."""

    id: str
    meeting_id: str
    kind: LinkKind
    token_hash: str
    created_at: float
    expires_at: float | None = None
    revoked: bool = False
    name: str | None = None
    role: Role | None = None
    language: str | None = None  # an interpreter's link: the language they translate into

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Link:
        role = data.get("role")
        return cls(**{**data, "kind": LinkKind(data["kind"]), "role": role and Role(role)})


@dataclass(frozen=True)
class Session:
    token_hash: str
    meeting_id: str
    participant_id: str
    created_at: float
    expires_at: float
    link_id: str = ""  # the link it was opened with: revoking the link ends it
    # The seq of their own join: `sync` sends no op from before it (the board instead).
    joined_seq: int = 0
    # The staff session it was opened under (its hash), when a staff member opened the
    # meeting: it ends when that staff session ends.
    staff_session: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Session:
        return cls(**data)


@dataclass(frozen=True)
class Presence:
    participant_id: str
    editing: str | None


def merge_presence(entries: list[Presence]) -> list[Presence]:
    """One entry per participant; a participant on several devices is editing what any
    of them is editing."""
    merged: dict[str, Presence] = {}
    for entry in entries:
        known = merged.get(entry.participant_id)
        if known is None or (known.editing is None and entry.editing is not None):
            merged[entry.participant_id] = entry
    return sorted(merged.values(), key=lambda p: p.participant_id)


@dataclass(frozen=True)
class OpWrite:
    """Everything one op writes, together or not at all."""

    meeting_id: str
    expected_seq: int  # the seq the op was run on: written only if it has not moved
    op_key: str
    record: OpRecord
    records: Mapping[str, str]  # the changed entities' board records
    secrets: Mapping[str, str | None]  # secret records to write, or to delete (None)
    session_hash: str | None  # the caller's session, which must still stand
    audit: Mapping[str, Any] | None


class CommitResult(Enum):
    COMMITTED = "committed"
    CONFLICT = "conflict"  # the seq moved on: catch up and try again
    DUPLICATE = "duplicate"  # the op key was committed before
    SESSION_ENDED = "session_ended"  # the caller was taken out or their link turned off


@dataclass(frozen=True)
class Child:
    name: str  # first name only
    age: int | None = None


@dataclass(frozen=True)
class Family:
    """The family a chain of meetings is about, named as the council writes it."""

    id: str
    name: str
    created_at: str
    case_ref: str | None = None  # the council's case-record id, unique on this server
    children: tuple[Child, ...] = ()
    owner: str = ""  # the staff member who made it ("" when made through the API key)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Family:
        children = tuple(Child(**child) for child in data.get("children", ()))
        return cls(**{**data, "children": children})

    @property
    def search_text(self) -> str:
        """What a search by name or case reference looks in (lower case)."""
        return f"{self.name}\n{self.case_ref or ''}".lower()


# The plan steps the family list shows of the latest agreed minutes.
PLAN_SHOWN = 3
# The sections of the family's plan, and the next steps, in the order the list names them.
PLAN_SECTIONS = ("plan_rules", "next_steps")


@dataclass(frozen=True)
class FamilyMeeting:
    """What the family list shows of one meeting, kept beside the family so that the list
    reads no board: written when the meeting starts and whenever this changes."""

    meeting_id: str
    title: str
    kind: str
    status: str
    created_at: str
    seq: int = 0  # the board's seq it was taken at: an older one never replaces a newer
    minutes: int | None = None  # the latest agreed minutes' number
    plan: tuple[str, ...] = ()  # the first steps of those minutes' plan
    plan_size: int = 0  # how many steps that plan has
    decision: str | None = None  # the agreed outcome
    next_review: str | None = None  # an ISO date, from the agreed minutes
    closed_at: str | None = None  # when it was closed: its purge date follows

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FamilyMeeting:
        return cls(**{**data, "plan": tuple(data.get("plan", ()))})

    @classmethod
    def of(cls, board: Board, seq: int) -> FamilyMeeting:
        """What the family list shows of a meeting: pure, from its board."""
        meeting = board.meeting
        agreed = [m for m in board.minutes.values() if m.status is MinutesStatus.AGREED]
        base = cls(
            meeting_id=meeting.id,
            title=meeting.title,
            kind=meeting.kind.value,
            status=meeting.status.value,
            created_at=meeting.created_at,
            seq=seq,
            closed_at=meeting.closed_at,
        )
        if not agreed:
            return base
        latest = max(agreed, key=lambda m: m.number)
        content = json.loads(board.snapshots[latest.id].body)
        steps = [
            card["text"]
            for column in content["columns"]
            for section in column["sections"]
            if section["key"] in PLAN_SECTIONS
            for card in section["cards"]
        ]
        decision = content.get("decision") or {}
        return replace(
            base,
            minutes=latest.number,
            plan=tuple(step[:120] for step in steps[:PLAN_SHOWN]),
            plan_size=len(steps),
            decision=decision.get("outcome"),
            next_review=decision.get("next_review"),
        )


@dataclass(frozen=True)
class FamilyPage:
    """One page of a staff member's families, most recently active first."""

    families: tuple[Family, ...]
    total: int  # how many of their families match, on every page
