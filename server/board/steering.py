"""What the facilitator steers a meeting with, as frozen values: the agenda and its step,
the spotlight, the shared timer, and who has said "I'm done" or "I need more time".

Each is one entity per meeting with a fixed id. A board without one has the template's
(`agenda.agenda_of`, and nothing spotlit, no timer, nobody answered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


@dataclass(frozen=True)
class Agenda:
    """The meeting's steps, in order, and the one it is at (an index into `steps`)."""

    steps: tuple[str, ...]
    current: int = 0

    @property
    def id(self) -> str:
        return "agenda"


class FocusKind(StrEnum):
    SECTION = "section"
    CARD = "card"
    SCALE = "scale"


@dataclass(frozen=True)
class Focus:
    """What the facilitator has spotlit; `kind` and `target` None once it is cleared."""

    kind: FocusKind | None
    target: str | None
    by: str
    at: str

    @property
    def id(self) -> str:
        return "focus"


class TimerStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Timer:
    """The shared timer of a step or a round. Running, it holds the server time it ends at,
    so every screen counts down to the same moment; paused, what was left. Each start is a
    new `round`."""

    status: TimerStatus
    seconds: int  # how long it was set for, extensions included
    started_at: str
    started_by: str
    round: int = 1
    ends_at: str | None = None  # while running
    remaining_ms: int | None = None  # while paused

    @property
    def id(self) -> str:
        return "timer"


class ReadyState(StrEnum):
    DONE = "done"
    MORE_TIME = "more_time"


def _no_answers() -> Mapping[str, ReadyState]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Readiness:
    """Who has said "I'm done" or "I need more time" in this step or round, by participant
    id. A new step or a new timer starts it afresh."""

    answers: Mapping[str, ReadyState] = field(default_factory=_no_answers)

    @property
    def id(self) -> str:
        return "readiness"
