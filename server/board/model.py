"""The board's entities: meetings, participants, cards, the decision and minutes, a child's
items and the board that holds them all, as frozen values (scaling's are in scaling_model)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .family_group import FamilyItem, FamilyTime, Stage
from .languages import DEFAULT as DEFAULT_LANGUAGE
from .limits import DEFAULT_WORRY_THRESHOLD
from .roles import Role
from .scaling_model import Round, RoundStatus, Scale, Vote
from .steering import Agenda, Focus, Readiness, Timer
from .translation_model import Translation
from .visibility import ANYONE, EVERYONE, Audience, Reach, Viewer


class Status(StrEnum):
    OPEN = "open"
    LOCKED = "locked"
    CLOSED = "closed"


@dataclass(frozen=True)
class Allows:
    """What a meeting accepts in one status; `ops.apply` checks every op against these."""

    board: bool  # cards, scales, votes, the decision, and the meeting's title and words
    meeting: bool  # lock, unlock and end it, take someone out, take and sign minutes


STATUS_ALLOWS: Mapping[Status, Allows] = MappingProxyType(
    {
        Status.OPEN: Allows(board=True, meeting=True),
        # Paused for the end of the meeting: minutes are still taken and signed.
        Status.LOCKED: Allows(board=False, meeting=True),
        Status.CLOSED: Allows(board=False, meeting=False),
    }
)


class Vocabulary(StrEnum):
    SAFETY = "safety"
    WELLBEING = "wellbeing"


class Kind(StrEnum):
    INITIAL = "initial"
    REVIEW = "review"
    NETWORK = "network"
    CORE_GROUP = "core_group"
    CONFERENCE = "conference"
    FAMILY_GROUP = "family_group"  # family group decision-making: stages, family time


class Stance(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"


class LinkKind(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    DISPLAY = "display"
    PERSON = "person"  # for one named person, with a preset role


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
    stage: Stage | None = None  # a family group meeting's stage; None for other kinds
    # The meeting room screen's and the minutes' language (a code in languages.py).
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    role: Role
    joined_at: str = ""
    removed: bool = False  # taken out of the meeting by the facilitator
    interprets: str | None = None  # an interpreter's: the language they translate into
    # The browser they joined from had joined this meeting before, as this participant
    # (the first of that browser's joins): its session cookie came with the join. Two
    # joins sharing it are likely one person twice, or people sharing a phone.
    device: str | None = None
    # Chose "worker" on the family link: shown as "says they are a worker", and their
    # numbers count with the family and network, until a facilitator confirms them.
    unconfirmed: bool = False
    age: int | None = None  # a child's, for "Ava (9)" on what they said
    # The language their pages, refusals and downloads are in (a code in languages.py).
    language: str = DEFAULT_LANGUAGE

    @property
    def viewer(self) -> Viewer:
        """Who they are to the visibility rule; taken out, they see only what everyone may
        (and are sent nothing at all)."""
        if self.removed:
            return ANYONE
        return Viewer(self.id, self.role, self.unconfirmed, self.device_key, self.language)

    @property
    def device_key(self) -> str:
        """The same for every join from one browser (while it keeps its cookie)."""
        return self.device or self.id


@dataclass(frozen=True)
class Timing:
    """Who will do a step and by when, set aside while its card is out of the timed
    sections, so that moving it back brings them back."""

    owner: str | None
    due: str | None


@dataclass(frozen=True)
class WorryParts:
    """The parts a worry statement was written from, kept so it can be changed part by
    part: who is worried, what happened (and the harm cards it names), what could happen
    to the children if nothing changes, how likely and how soon."""

    who: str
    happened: str
    worry: str
    likely: str
    harms: tuple[str, ...] = ()  # ids of the harm cards it names


@dataclass(frozen=True)
class GoalParts:
    """The parts a safety goal was written from, and the worry statement it answers (its
    pair): what the family will do, who will see it, how often, for how long."""

    statement: str  # the id of its worry statement's card
    will_do: str
    seen_by: str
    how_often: str
    how_long: str


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
    set_aside: Timing | None = None  # owner and due while out of the timed sections
    from_last_meeting: bool = False  # carried over into a review
    house_item: str | None = None  # the child's item it was placed from
    deleted: bool = False
    audience: Audience = EVERYONE  # who may see it (visibility.py)
    worry: WorryParts | None = None  # a worry statement written with the composer
    goal: GoalParts | None = None  # a safety goal written with the composer


class Outcome(StrEnum):
    CONTINUE = "continue"
    STEP_DOWN = "step_down"
    CLOSE = "close"
    ESCALATE = "escalate"


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


class House(StrEnum):
    """The child's three houses."""

    WORRIES = "worries"
    GOOD_THINGS = "good_things"
    DREAMS = "dreams"


class Sharing(StrEnum):
    """Who the child lets see one of their items."""

    EVERYONE = "everyone"  # everyone at the meeting
    WORKER = "worker"  # only my worker: the child and the meeting's facilitators
    NOBODY = "nobody"  # nobody yet: only the child


@dataclass(frozen=True)
class HouseItem:
    """One thing a child put in one of their houses: words, a picture from the bundled
    set, or a drawing (strokes of x, y numbers, never markup). Exactly one is set."""

    id: str
    child: str  # the child participant's id
    house: House
    sharing: Sharing
    created_at: str
    updated_at: str
    words: str | None = None
    picture: str | None = None
    strokes: tuple[tuple[int, ...], ...] | None = None
    card_id: str | None = None  # the card a facilitator placed it on the map as
    deleted: bool = False
    # The facilitator's marking (marking.py): hidden from named people, or for professionals
    # only. It narrows a shared item and stays while the child keeps it unshared, so sharing
    # it again never shows it to those it was kept from.
    marking: Audience = EVERYONE

    @property
    def audience(self) -> Audience:
        """Who may see it (visibility.py): everyone, or as the facilitator marked it (the
        child always sees their own); the child and the facilitators; or the child alone."""
        if self.sharing is Sharing.EVERYONE:
            if self.marking.kind is Reach.PROFESSIONALS:
                return Audience(Reach.PROFESSIONALS, (self.child,))
            return self.marking
        reach = Reach.WITH_FACILITATORS if self.sharing is Sharing.WORKER else Reach.ONLY
        return Audience(reach, (self.child,))


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
    # How the facilitator steers the meeting, at most one each (steering.py).
    agenda: Mapping[str, Agenda] = field(default_factory=_empty)
    focus: Mapping[str, Focus] = field(default_factory=_empty)
    timer: Mapping[str, Timer] = field(default_factory=_empty)
    readiness: Mapping[str, Readiness] = field(default_factory=_empty)
    family_time: Mapping[str, FamilyTime] = field(default_factory=_empty)  # "family_time"
    family_plan: Mapping[str, FamilyItem] = field(default_factory=_empty)  # by item id
    # Children's items shared with everyone at the meeting (removed ones as tombstones
    # without their content).
    house_items: Mapping[str, HouseItem] = field(default_factory=_empty)
    # SECRET: children's items not shared with everyone ("only my worker", "nobody yet"),
    # stored apart like ballots and never encoded into the board.
    private_items: Mapping[str, HouseItem] = field(default_factory=_empty)
    # Interpreters' translations, each seen by the readers of its language (translations.py).
    translations: Mapping[str, Translation] = field(default_factory=_empty)

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


Entity = (
    Meeting
    | Participant
    | Card
    | Scale
    | Round
    | Vote
    | Decision
    | Minutes
    | Snapshot
    | Agenda
    | Focus
    | Timer
    | Readiness
    | FamilyTime
    | FamilyItem
    | HouseItem
    | Translation
)


# Entities whose changes are never broadcast: they are stored apart from the board's
# records and the op log. Ballots and children's unshared items are secret; snapshots are
# large and served over HTTP.
SECRET_ENTITIES = frozenset({"ballot", "snapshot", "private_item"})


@dataclass(frozen=True)
class Change:
    """One entity written by an op: an upsert (value set) or a deletion. `audience` is who
    may see the entity (a deletion too); `was`, its audience before, when the op moved it."""

    entity: str
    id: str
    value: Entity | None
    deleted: bool = False
    audience: Audience = EVERYONE
    was: Audience | None = None

    @property
    def secret(self) -> bool:
        return self.entity in SECRET_ENTITIES
