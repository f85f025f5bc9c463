"""The board's vocabulary: meetings, participants, sections and cards, as frozen values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

MAX_TEXT = 2000
MAX_ATTRIBUTION = 80
MAX_TITLE = 200
MAX_NAME = 80
MAX_CARDS = 500
MAX_ID = 64
# A position key longer than this makes the core re-space its section.
MAX_POSITION = 32
MAX_QUESTION = 300
MAX_ANCHOR = 120
MAX_REASON = 500
MAX_SCALES = 50
MAX_OWNER = 80
MAX_NOTE = 2000
MAX_LABEL = 120
SCALE_MIN, SCALE_MAX = 0, 10
DEFAULT_WORRY_THRESHOLD = 2


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PROFESSIONAL = "professional"
    PARENT = "parent"
    CHILD = "child"
    NETWORK = "network"
    VIEWER = "viewer"


# The roles a joiner may pick for themselves on a participant link.
SELF_CHOSEN_ROLES = (Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL)

ROLE_LABELS: Mapping[Role, str] = MappingProxyType(
    {
        Role.FACILITATOR: "Facilitator",
        Role.PROFESSIONAL: "Worker (school, health, social care...)",
        Role.PARENT: "Parent or carer",
        Role.CHILD: "Child or young person",
        Role.NETWORK: "Family, friend or support person",
        Role.VIEWER: "Meeting room screen",
    }
)


@dataclass(frozen=True)
class Abilities:
    """What a role may do; `ops.apply` checks every op against these."""

    edit_board: bool  # add cards, edit and delete their own, move any card, agree / disagree
    edit_any_card: bool  # edit, delete and bring back anyone's card
    run_meeting: bool  # change the title and words, lock and unlock


_CONTRIBUTOR = Abilities(edit_board=True, edit_any_card=False, run_meeting=False)

ROLE_ABILITIES: Mapping[Role, Abilities] = MappingProxyType(
    {
        Role.FACILITATOR: Abilities(edit_board=True, edit_any_card=True, run_meeting=True),
        Role.PROFESSIONAL: _CONTRIBUTOR,
        Role.PARENT: _CONTRIBUTOR,
        Role.CHILD: _CONTRIBUTOR,
        Role.NETWORK: _CONTRIBUTOR,
        Role.VIEWER: Abilities(edit_board=False, edit_any_card=False, run_meeting=False),
    }
)


class Group(StrEnum):
    """Whose voice a number is, for the picture of a revealed round."""

    FAMILY = "family"
    NETWORK = "network"
    PROFESSIONALS = "professionals"


ROLE_GROUP: Mapping[Role, Group] = MappingProxyType(
    {
        Role.PARENT: Group.FAMILY,
        Role.CHILD: Group.FAMILY,
        Role.NETWORK: Group.NETWORK,
        Role.PROFESSIONAL: Group.PROFESSIONALS,
        Role.FACILITATOR: Group.PROFESSIONALS,
    }
)


GROUP_LABELS: Mapping[Group, str] = MappingProxyType(
    {Group.FAMILY: "Family", Group.NETWORK: "Network", Group.PROFESSIONALS: "Professionals"}
)


class Status(StrEnum):
    OPEN = "open"
    LOCKED = "locked"
    CLOSED = "closed"


class Vocabulary(StrEnum):
    SAFETY = "safety"
    WELLBEING = "wellbeing"


class Kind(StrEnum):
    INITIAL = "initial"
    REVIEW = "review"
    NETWORK = "network"
    CORE_GROUP = "core_group"
    CONFERENCE = "conference"


class Stance(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"


class RoundStatus(StrEnum):
    OPEN = "open"
    REVEALED = "revealed"


class LinkKind(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    DISPLAY = "display"
    PERSON = "person"  # for one named person, with a preset role


@dataclass(frozen=True)
class Section:
    key: str
    safety_label: str
    wellbeing_label: str

    def label(self, vocabulary: Vocabulary) -> str:
        return self.safety_label if vocabulary is Vocabulary.SAFETY else self.wellbeing_label


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    prompt: str
    sections: tuple[Section, ...]
    view: str = "map"  # "map": the three columns; "plan": the family's plan


COLUMNS: tuple[Column, ...] = (
    Column(
        "worries",
        "What are we worried about?",
        "What has happened that worries us? What could happen if nothing changes?",
        (
            Section("harm", "What has happened (harm)", "What has happened"),
            Section("danger", "Danger statements", "Worry statements"),
            Section("complicating", "Complicating factors", "Complicating factors"),
        ),
    ),
    Column(
        "working_well",
        "What's working well?",
        "What is going well already? Who helps? What keeps the children safe now?",
        (
            Section("strengths", "Existing strengths", "Existing strengths"),
            Section("safety", "Existing safety", "Existing wellbeing"),
        ),
    ),
    Column(
        "needs_to_happen",
        "What needs to happen?",
        "What do we want to see? What are the next steps, who will do them, and by when?",
        (
            Section("goals", "Safety goals", "Wellbeing goals"),
            Section("next_steps", "Next steps (who, what, by when)", "Next steps"),
            Section("bottom_lines", "Bottom lines", "Bottom lines"),
        ),
    ),
    Column(
        "plan",
        "Our plan",
        "What will we do, who will help, and how will we know it is working?",
        (
            Section(
                "plan_rules",
                "What we will do to keep the children safe",
                "What we will do to help the children be well",
            ),
            Section(
                "plan_helpers",
                "Who will help, and how to reach them",
                "Who will help, and how to reach them",
            ),
            Section("plan_warning_signs", "Warning signs", "Warning signs"),
            Section(
                "plan_difficult",
                "What we will do when things get difficult",
                "What we will do when things get difficult",
            ),
            Section(
                "plan_working",
                "How we will know the plan is working",
                "How we will know the plan is working",
            ),
        ),
        view="plan",
    ),
)

# Cards here may name who does it (`owner`) and by when (`due`).
TIMED_SECTIONS = frozenset(
    {
        "next_steps",
        "plan_rules",
        "plan_helpers",
        "plan_warning_signs",
        "plan_difficult",
        "plan_working",
    }
)

# What a review meeting asks first.
REVIEW_PROMPTS = (
    "What difference has the plan made so far?",
    "Are you still worried? What needs to happen differently?",
)

SECTIONS: Mapping[str, Section] = MappingProxyType(
    {section.key: section for column in COLUMNS for section in column.sections}
)


@dataclass(frozen=True)
class ScaleWords:
    question: str
    low_label: str
    high_label: str


# The overall scale every new meeting starts with, in each vocabulary.
OVERALL_SCALE: Mapping[Vocabulary, ScaleWords] = MappingProxyType(
    {
        Vocabulary.SAFETY: ScaleWords(
            "On a scale of 0 to 10, where 10 means we are confident the children are safe "
            "and 0 means we are sure they will be hurt, where are you?",
            "We are sure the children will be hurt",
            "We are confident the children are safe",
        ),
        Vocabulary.WELLBEING: ScaleWords(
            "On a scale of 0 to 10, where 10 means we are not worried and 0 means we are "
            "really worried, where are you?",
            "Really worried",
            "Not worried",
        ),
    }
)


@dataclass(frozen=True)
class Meeting:
    id: str
    title: str
    kind: Kind = Kind.INITIAL
    status: Status = Status.OPEN
    vocabulary: Vocabulary = Vocabulary.SAFETY
    previous: str | None = None
    created_at: str = ""
    # A revealed number at or below this makes the facilitator's screen raise a worry.
    worry_threshold: int = DEFAULT_WORRY_THRESHOLD
    closed_at: str | None = None


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    role: Role
    joined_at: str = ""
    removed: bool = False  # taken out of the meeting by the facilitator


@dataclass(frozen=True)
class Card:
    id: str
    section: str
    text: str
    position: str
    author: str
    created_at: str
    updated_at: str
    updated_by: str
    attributed_to: str | None = None
    stances: Mapping[str, Stance] = field(default_factory=lambda: MappingProxyType({}))
    owner: str | None = None  # who will do it (timed sections only)
    due: str | None = None  # by when, an ISO date (timed sections only)
    from_last_meeting: bool = False  # carried over into a review
    deleted: bool = False


class Outcome(StrEnum):
    CONTINUE = "continue"
    STEP_DOWN = "step_down"
    CLOSE = "close"
    ESCALATE = "escalate"


OUTCOME_LABELS: Mapping[Outcome, str] = MappingProxyType(
    {
        Outcome.CONTINUE: "Keep going with the plan, with the same help",
        Outcome.STEP_DOWN: "Step down: less help from children's services",
        Outcome.CLOSE: "Close: children's services stop being involved",
        Outcome.ESCALATE: "Step up: more help and more checks",
    }
)


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    AGREED = "agreed"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    set_at: str
    set_by: str
    next_review: str | None = None  # an ISO date
    note: str | None = None

    @property
    def id(self) -> str:
        return "decision"


@dataclass(frozen=True)
class SignOff:
    participant_id: str
    name: str
    role: Role
    stance: Stance
    at: str
    reason: str | None = None


@dataclass(frozen=True)
class Minutes:
    """Numbered minutes. What they record (`Snapshot`) never changes; sign-offs gather
    beside it while they are a draft."""

    number: int
    taken_at: str
    taken_by: str
    hash: str  # SHA-256 of the snapshot's canonical JSON
    label: str | None = None
    status: MinutesStatus = MinutesStatus.DRAFT
    signoffs: tuple[SignOff, ...] = ()
    agreed_at: str | None = None
    agreed_by: str | None = None

    @property
    def id(self) -> str:
        return str(self.number)


@dataclass(frozen=True)
class Snapshot:
    """The frozen content of minutes `number`, as canonical JSON text."""

    number: int
    body: str

    @property
    def id(self) -> str:
        return str(self.number)


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

    @property
    def group(self) -> Group:
        return ROLE_GROUP[self.role]


@dataclass(frozen=True)
class Answered:
    """That someone has voted in an open round: public, unlike their number."""

    voter: str
    name: str
    role: Role
    recorded_by: str | None = None


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


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Board:
    meeting: Meeting
    participants: Mapping[str, Participant] = field(default_factory=_empty)
    # Deleted cards stay here as tombstones, so a late edit is refused clearly and undo works.
    cards: Mapping[str, Card] = field(default_factory=_empty)
    scales: Mapping[str, Scale] = field(default_factory=_empty)
    rounds: Mapping[str, Round] = field(default_factory=_empty)
    # SECRET: the numbers of open rounds, keyed "<round id>/<voter>". Stored apart from the
    # public entities and never encoded into `state`, `applied`, `sync` or the API.
    ballots: Mapping[str, Vote] = field(default_factory=_empty)
    decision: Mapping[str, Decision] = field(default_factory=_empty)  # at most one: "decision"
    minutes: Mapping[str, Minutes] = field(default_factory=_empty)  # by number
    # Stored apart too (large, and read over HTTP only), by number.
    snapshots: Mapping[str, Snapshot] = field(default_factory=_empty)

    def live_cards(self) -> list[Card]:
        return [card for card in self.cards.values() if not card.deleted]

    def section_cards(self, section: str) -> list[Card]:
        """The live cards of one section, in board order."""
        cards = [c for c in self.cards.values() if c.section == section and not c.deleted]
        return sorted(cards, key=lambda c: (c.position, c.id))

    def live_scales(self) -> list[Scale]:
        scales = [s for s in self.scales.values() if not s.deleted]
        return sorted(scales, key=lambda s: (s.created_at, s.id))

    def scale_rounds(self, scale_id: str) -> list[Round]:
        return sorted(
            (r for r in self.rounds.values() if r.scale_id == scale_id), key=lambda r: r.number
        )

    def open_round(self, scale_id: str) -> Round | None:
        rounds = self.scale_rounds(scale_id)
        return rounds[-1] if rounds and rounds[-1].status is RoundStatus.OPEN else None

    def round_ballots(self, round_id: str) -> list[tuple[str, Vote]]:
        prefix = f"{round_id}/"
        return [(key, vote) for key, vote in self.ballots.items() if key.startswith(prefix)]


Entity = Meeting | Participant | Card | Scale | Round | Vote | Decision | Minutes | Snapshot

# Entities whose changes are never broadcast: they are stored apart from the board's
# records and the op log. Ballots are secret; snapshots are large and served over HTTP.
SECRET_ENTITIES = frozenset({"ballot", "snapshot"})


@dataclass(frozen=True)
class Change:
    """One entity written by an op: an upsert (value set) or a deletion."""

    entity: str
    id: str
    value: Entity | None
    deleted: bool = False

    @property
    def secret(self) -> bool:
        return self.entity in SECRET_ENTITIES
