"""The map every meeting uses: its columns and sections, and the words people read (section
labels in both vocabularies, the overall scale, role, group and outcome names). Those words
are English msgids, marked `N_` for the catalogues: each reader sees them in their own
language where they are shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .errors import N_
from .family_group import Stage
from .model import House, Outcome, Vocabulary
from .roles import Group, Role
from .visibility import Audience, Reach


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
        N_("What are we worried about?"),
        N_("What has happened that worries us? What could happen if nothing changes?"),
        (
            Section("harm", N_("What has happened (harm)"), N_("What has happened")),
            Section("danger", N_("Danger statements"), N_("Worry statements")),
            Section("complicating", N_("Complicating factors"), N_("Complicating factors")),
        ),
    ),
    Column(
        "working_well",
        N_("What's working well?"),
        N_("What is going well already? Who helps? What keeps the children safe now?"),
        (
            Section("strengths", N_("Existing strengths"), N_("Existing strengths")),
            Section("safety", N_("Existing safety"), N_("Existing wellbeing")),
        ),
    ),
    Column(
        "needs_to_happen",
        N_("What needs to happen?"),
        N_("What do we want to see? What are the next steps, who will do them, and by when?"),
        (
            Section("goals", N_("Safety goals"), N_("Wellbeing goals")),
            Section("next_steps", N_("Next steps (who, what, by when)"), N_("Next steps")),
            Section(
                "bottom_lines",
                N_("Bottom lines: what will we not accept?"),
                N_("Bottom lines: what will we not accept?"),
            ),
        ),
    ),
    Column(
        "plan",
        N_("Our plan"),
        N_("What will we do, who will help, and how will we know it is working?"),
        (
            Section(
                "plan_rules",
                N_("What we will do to keep the children safe"),
                N_("What we will do to help the children be well"),
            ),
            Section(
                "plan_helpers",
                N_("Who will help, and how to reach them"),
                N_("Who will help, and how to reach them"),
            ),
            Section("plan_warning_signs", N_("Warning signs"), N_("Warning signs")),
            Section(
                "plan_difficult",
                N_("What we will do when things get difficult"),
                N_("What we will do when things get difficult"),
            ),
            Section(
                "plan_working",
                N_("How we will know the plan is working"),
                N_("How we will know the plan is working"),
            ),
        ),
        view="plan",
    ),
)


# Cards here may name who does it (`owner`) and by when (`due`).
TIMED_SECTIONS = frozenset(
    {
        "goals",
        "next_steps",
        "plan_rules",
        "plan_helpers",
        "plan_warning_signs",
        "plan_difficult",
        "plan_working",
    }
)


# The family's own plan, written in family time, has these sections (Our plan's).
PLAN_SECTIONS = tuple(section.key for section in COLUMNS[-1].sections)

# Who the cards of a shared family plan are "said by" (each is by the one who wrote it).
FAMILY_ATTRIBUTION = N_("the family")

STAGE_LABELS: Mapping[Stage, str] = MappingProxyType(
    {
        Stage.INFORMATION: N_("Information sharing"),
        Stage.FAMILY_TIME: N_("Private family time"),
        Stage.AGREEING: N_("Agreeing the plan"),
        Stage.REVIEW: N_("Review"),
    }
)


# A card here (a worry statement) may have a scale of its own: the page offers one.
SCALED_SECTIONS = frozenset({"danger"})


# Where the composers put what they write, and where the harm cards a statement names are.
STATEMENT_SECTION = "danger"
GOAL_SECTION = "goals"
HARM_SECTION = "harm"


# The one sentence each composer makes of its parts: every `{part}` is that part's words.
# The page fills the same pattern to show the sentence before it is saved.
STATEMENT_PATTERN = N_(
    "{who} are worried that if {happened} again, {worry}. We think this is {likely}."
)
GOAL_PATTERN = N_("{will_do}. {seen_by} will see this {how_often}, for {how_long}.")


# Who usually sets a bottom line: the page offers it as the bottom line's "set by".
BOTTOM_LINE_SETTER = N_("Children's services")


# What a review meeting asks first.
REVIEW_PROMPTS = (
    N_("What difference has the plan made so far?"),
    N_("Are you still worried? What needs to happen differently?"),
)


# The steps a meeting starts with, in the order the family's leaflet walks through them;
# the facilitator can rename, add, remove and reorder them per meeting.
AGENDA = (
    N_("Welcome and purpose"),
    N_("What we are worried about"),
    N_("What's working well"),
    N_("The child's voice"),
    N_("Scaling"),
    N_("Statements and goals"),
    N_("The plan"),
    N_("Decision"),
    N_("Next steps and review"),
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
            N_(
                "On a scale of 0 to 10, where 10 means we are confident the children are safe "
                "and 0 means we are sure they will be hurt, where are you?"
            ),
            N_("We are sure the children will be hurt"),
            N_("We are confident the children are safe"),
        ),
        Vocabulary.WELLBEING: ScaleWords(
            N_(
                "On a scale of 0 to 10, where 10 means we are not worried and 0 means we are "
                "really worried, where are you?"
            ),
            N_("Really worried"),
            N_("Not worried"),
        ),
    }
)


ROLE_LABELS: Mapping[Role, str] = MappingProxyType(
    {
        Role.FACILITATOR: N_("Facilitator"),
        Role.PROFESSIONAL: N_("Worker (school, health, social care...)"),
        Role.PARENT: N_("Parent or carer"),
        Role.CHILD: N_("Child or young person"),
        Role.NETWORK: N_("Family, friend or support person"),
        Role.VIEWER: N_("Meeting room screen"),
        Role.INTERPRETER: N_("Interpreter"),
    }
)


# How someone who chose "worker" on the family link is shown until a facilitator confirms them.
UNCONFIRMED_LABEL = N_("Says they are a worker")


# The child's three houses, as their page, the board and the minutes name them.
HOUSE_LABELS: Mapping[House, str] = MappingProxyType(
    {House.WORRIES: N_("Worries"), House.GOOD_THINGS: N_("Good things"), House.DREAMS: N_("Dreams")}
)

GROUP_LABELS: Mapping[Group, str] = MappingProxyType(
    {
        Group.FAMILY: N_("Family"),
        Group.NETWORK: N_("Network"),
        Group.PROFESSIONALS: N_("Professionals"),
    }
)


OUTCOME_LABELS: Mapping[Outcome, str] = MappingProxyType(
    {
        Outcome.CONTINUE: N_("Keep going with the plan, with the same help"),
        Outcome.STEP_DOWN: N_("Step down: less help from children's services"),
        Outcome.CLOSE: N_("Close: children's services stop being involved"),
        Outcome.ESCALATE: N_("Step up: more help and more checks"),
    }
)


# The marking of what not everyone may see, on the board and in staff minutes; `{names}`
# is who the marking names.
AUDIENCE_LABELS: Mapping[Reach, str] = MappingProxyType(
    {
        Reach.EVERYONE: N_("Everyone can see this"),
        Reach.HIDDEN_FROM: N_("Hidden from {names}"),
        Reach.PROFESSIONALS: N_("For professionals only"),
        Reach.ONLY: N_("Only {names} can see this"),
        Reach.WITH_FACILITATORS: N_("Only {names} and the facilitator can see this"),
        Reach.FAMILY: N_("Only the family can see this"),
        Reach.LANGUAGE: N_("For those who read this language"),
    }
)


def audience_words(audience: Audience, names: Mapping[str, str]) -> str:
    """The marking in words, naming people by their names on the board."""
    # One browser's joins are named together, often under one name: each name once.
    named = ", ".join(dict.fromkeys(names.get(p, "someone") for p in audience.people))
    return AUDIENCE_LABELS[audience.kind].format(names=named)
