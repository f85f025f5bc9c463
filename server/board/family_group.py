"""The family group decision-making meeting: its stages, and private family time with the
family's own plan, as frozen values (the ops are in family_time.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .visibility import Audience, Reach


class Stage(StrEnum):
    """A family group meeting's stages, in order; everyone's screen shows which is on."""

    INFORMATION = "information"
    FAMILY_TIME = "family_time"
    AGREEING = "agreeing"
    REVIEW = "review"


class Ended(StrEnum):
    """How family time ended."""

    SHARED = "shared"  # the family shared their plan with everyone
    READY = "ready"  # the worker asked to come back and the family said yes
    FORCED = "forced"  # the facilitator ended it without the family's yes (audited)


# Who may see a line of the family's plan before they share it: the family alone.
FAMILY_ONLY = Audience(Reach.FAMILY)


class Answer(StrEnum):
    NOT_YET = "not_yet"


@dataclass(frozen=True)
class FamilyTime:
    """Private family time: public in all but the family's plan. While it runs, the
    professionals' and the display's screens show only that it is on and `back_at`."""

    started_at: str
    started_by: str
    back_at: str  # when the family expect to be back, as the facilitator set it
    asked_at: str | None = None  # the facilitator asked the family if they are ready
    answer: Answer | None = None  # the family's answer to that, until they are ready
    answered_by: str | None = None
    ended_at: str | None = None
    ended_by: str | None = None
    ended: Ended | None = None

    @property
    def id(self) -> str:
        return "family_time"

    @property
    def running(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class FamilyItem:
    """One line of the family's own plan, written in family time. Only the family may see
    it until they share their plan, which makes each item a card in its `plan_*` section."""

    id: str
    section: str
    text: str
    author: str
    created_at: str
    updated_at: str
    updated_by: str
    shared_as: str | None = None  # the card it became when the family shared their plan
    deleted: bool = False
    audience: Audience = FAMILY_ONLY  # visibility.py: sent to the family's screens only
