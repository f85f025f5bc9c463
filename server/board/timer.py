"""The shared timer of a step or a round. It keeps the server time it ends at, so every
screen counts down to the same moment whatever its own clock says; "time is up" is that
moment passing, which each screen sees for itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from . import readiness
from .entities import put
from .errors import N_, Forbidden, Invalid, NotFound
from .limits import MAX_TIMER_SECONDS, MIN_TIMER_SECONDS
from .model import Board, Change, Participant
from .parsing import Fields, whole_number
from .roles import ROLE_ABILITIES
from .steering import Timer, TimerStatus
from .times import later, ms_between


@dataclass(frozen=True)
class TimerStart:
    seconds: int


@dataclass(frozen=True)
class TimerExtend:
    seconds: int


@dataclass(frozen=True)
class TimerPause:
    pass


@dataclass(frozen=True)
class TimerResume:
    pass


@dataclass(frozen=True)
class TimerStop:
    pass


TimerOp = TimerStart | TimerExtend | TimerPause | TimerResume | TimerStop

_RANGE = N_("A timer runs for {low} seconds at least and {hours} hours at most.")


def _seconds(f: Fields) -> int:
    return whole_number(
        f.get("seconds", required=True),
        MIN_TIMER_SECONDS,
        MAX_TIMER_SECONDS,
        _RANGE,
        hours=MAX_TIMER_SECONDS // 3600,
    )


PARSERS: Mapping[str, Callable[[Fields], TimerOp]] = MappingProxyType(
    {
        "timer.start": lambda f: TimerStart(_seconds(f)),
        "timer.extend": lambda f: TimerExtend(_seconds(f)),
        "timer.pause": lambda f: TimerPause(),
        "timer.resume": lambda f: TimerResume(),
        "timer.stop": lambda f: TimerStop(),
    }
)


def apply(board: Board, op: TimerOp, actor: Participant, now: str) -> tuple[Board, list[Change]]:
    if not ROLE_ABILITIES[actor.role].run_meeting:
        raise Forbidden("Only the facilitator can set the timer.")
    current = board.timer.get("timer")
    if isinstance(op, TimerStart):
        started = Timer(
            TimerStatus.RUNNING,
            op.seconds,
            now,
            actor.id,
            round=current.round + 1 if current else 1,
            ends_at=later(now, op.seconds * 1000),
        )
        board, changes = put(board, "timer", started)
        # A new round: what people said about the last one no longer holds.
        board, reset = readiness.reset(board)
        return board, changes + reset
    if current is None or current.status is TimerStatus.STOPPED:
        raise NotFound("There is no timer going. Start one first.")
    updated = _changed(current, op, now)
    return (board, []) if updated == current else put(board, "timer", updated)


def _changed(timer: Timer, op: TimerOp, now: str) -> Timer:
    left = _left_ms(timer, now)
    match op:
        case TimerExtend():
            left += op.seconds * 1000
            if left > MAX_TIMER_SECONDS * 1000:
                raise Invalid(_RANGE, low=MIN_TIMER_SECONDS, hours=MAX_TIMER_SECONDS // 3600)
            timer = replace(timer, seconds=timer.seconds + op.seconds)
            return _with_left(timer, left, now)
        case TimerPause() if timer.status is TimerStatus.RUNNING:
            return replace(timer, status=TimerStatus.PAUSED, ends_at=None, remaining_ms=left)
        case TimerResume() if timer.status is TimerStatus.PAUSED:
            return replace(
                timer, status=TimerStatus.RUNNING, ends_at=later(now, left), remaining_ms=None
            )
        case TimerStop():
            return replace(timer, status=TimerStatus.STOPPED, ends_at=None, remaining_ms=None)
    return timer  # pausing a paused timer, resuming a running one: nothing changes


def _left_ms(timer: Timer, now: str) -> int:
    """What is left of it at `now`; 0 once time is up."""
    if timer.status is TimerStatus.PAUSED:
        return timer.remaining_ms or 0
    if timer.ends_at is None:
        return 0
    return max(0, ms_between(now, timer.ends_at))


def _with_left(timer: Timer, left_ms: int, now: str) -> Timer:
    if timer.status is TimerStatus.PAUSED:
        return replace(timer, remaining_ms=left_ms)
    return replace(timer, ends_at=later(now, left_ms))
