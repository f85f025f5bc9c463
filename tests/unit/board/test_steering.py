"""Steering the meeting in the pure core: the agenda and its step, the spotlight, the
shared timer, and "I'm done" / "I need more time"; every op and every refusal.

Table-driven: each case names the op, who sends it and what must come back.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from server.board import export, storage, wire
from server.board.agenda import agenda_of
from server.board.errors import (
    Closed,
    Forbidden,
    Invalid,
    KinboardError,
    NotFound,
    TooLong,
    TooMany,
)
from server.board.model import Board, Status
from server.board.steering import FocusKind, ReadyState, TimerStatus
from server.board.template import AGENDA
from tests.support.boards import T1, raw, run
from tests.support.scaling import OVERALL, T2, assert_refused, new_meeting, step

FACILITATOR = "p_fac"
NOT_FACILITATOR = ["p_mum", "p_kid", "p_gran", "p_sw", "p_tv"]
FIVE_MINUTES = 300
T_UP = "2026-11-27T09:40:00.000Z"  # well past a five-minute timer started at T1


def fac(board: Board, op_type: str, now: str = T1, **fields: Any) -> Board:
    return step(board, raw(op_type, **fields), FACILITATOR, now=now)


def answered(board: Board) -> Board:
    """Sam is done and Gran needs more time."""
    board = step(board, raw("ready.say", state="done"), "p_mum")
    return step(board, raw("ready.say", state="more_time"), "p_gran")


def answers(board: Board) -> dict[str, str]:
    return {
        pid: state.value
        for pid, state in wire.encode_steering(board)["readiness"]["answers"].items()
    }


def timed(board: Board | None = None, seconds: int = FIVE_MINUTES) -> Board:
    return fac(board or new_meeting(), "timer.start", seconds=seconds)


# --- the agenda -------------------------------------------------------------------------------


def test_a_new_meeting_has_the_templates_agenda_at_its_first_step() -> None:
    encoded = wire.encode_steering(new_meeting())
    assert encoded["agenda"] == {"steps": list(AGENDA), "current": 0}
    assert AGENDA[0] == "Welcome and purpose" and AGENDA[-1] == "Next steps and review"
    assert encoded["focus"] is None and encoded["timer"] is None
    assert encoded["readiness"] == {"answers": {}}


STEPS = list(AGENDA)

AGENDA_CASES = [
    # (op fields, the meeting's step before, steps after, step after)
    ({"type": "agenda.go", "step": 3}, 0, STEPS, 3),
    ({"type": "agenda.go", "step": 0}, 4, STEPS, 0),
    (
        {"type": "agenda.rename", "step": 1, "title": "  Our worries  "},
        1,
        [STEPS[0], "Our worries", *STEPS[2:]],
        1,
    ),
    ({"type": "agenda.add", "title": "A break"}, 2, [*STEPS, "A break"], 2),
    ({"type": "agenda.add", "title": "A break", "at": None}, 2, [*STEPS, "A break"], 2),
    ({"type": "agenda.add", "title": "Tea", "at": 0}, 2, ["Tea", *STEPS], 3),
    ({"type": "agenda.add", "title": "Tea", "at": 3}, 2, [*STEPS[:3], "Tea", *STEPS[3:]], 2),
    ({"type": "agenda.remove", "step": 0}, 2, STEPS[1:], 1),
    ({"type": "agenda.remove", "step": 5}, 2, [*STEPS[:5], *STEPS[6:]], 2),
    # Removing the step the meeting is at moves it to the next; at the end, the last.
    ({"type": "agenda.remove", "step": 2}, 2, [*STEPS[:2], *STEPS[3:]], 2),
    ({"type": "agenda.remove", "step": 8}, 8, STEPS[:8], 7),
    (
        {"type": "agenda.move", "step": 2, "to": 5},
        2,
        [*STEPS[:2], *STEPS[3:6], STEPS[2], *STEPS[6:]],
        5,
    ),
    ({"type": "agenda.move", "step": 0, "to": 4}, 2, [*STEPS[1:5], STEPS[0], *STEPS[5:]], 1),
    (
        {"type": "agenda.move", "step": 6, "to": 1},
        2,
        [STEPS[0], STEPS[6], *STEPS[1:6], *STEPS[7:]],
        3,
    ),
]


@pytest.mark.parametrize(("fields", "before", "steps", "after"), AGENDA_CASES)
def test_the_facilitator_changes_the_agenda(
    fields: dict[str, Any], before: int, steps: list[str], after: int
) -> None:
    board = fac(new_meeting(), "agenda.go", step=before) if before else new_meeting()
    board, changes = run(board, {"id": "o_1", **fields}, FACILITATOR)
    agenda = agenda_of(board)
    assert (list(agenda.steps), agenda.current) == (steps, after)
    assert (changes[0].entity, changes[0].value) == ("agenda", agenda)


def test_going_to_the_step_the_meeting_is_at_changes_nothing() -> None:
    board = fac(new_meeting(), "agenda.go", step=2)
    assert run(board, raw("agenda.go", step=2), FACILITATOR)[1] == []


def test_a_new_step_starts_everyones_answers_afresh() -> None:
    board = answered(new_meeting())
    assert answers(board) == {"p_mum": "done", "p_gran": "more_time"}
    board, changes = run(board, raw("agenda.go", step=1), FACILITATOR)
    assert answers(board) == {}
    assert [c.entity for c in changes] == ["agenda", "readiness"]


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "agenda.rename", "step": 0, "title": "Hello"},
        {"type": "agenda.add", "title": "Tea", "at": 0},  # the same step, one place on
        {"type": "agenda.move", "step": 0, "to": 3},
        {"type": "agenda.remove", "step": 5},
    ],
)
def test_changing_the_agenda_around_the_step_keeps_everyones_answers(
    fields: dict[str, Any],
) -> None:
    board = answered(fac(new_meeting(), "agenda.go", step=1))
    board, changes = run(board, {"id": "o_1", **fields}, FACILITATOR)
    assert answers(board) == {"p_mum": "done", "p_gran": "more_time"}
    assert [c.entity for c in changes] == ["agenda"]


def test_removing_the_step_the_meeting_is_at_starts_answers_afresh() -> None:
    board = answered(fac(new_meeting(), "agenda.go", step=1))
    board = fac(board, "agenda.remove", step=1)
    assert agenda_of(board).steps[agenda_of(board).current] == AGENDA[2]
    assert answers(board) == {}


def _full_agenda() -> Board:
    board = new_meeting()
    for number in range(20 - len(AGENDA)):
        board = fac(board, "agenda.add", title=f"Extra {number}")
    return board


def _one_step() -> Board:
    board = new_meeting()
    for _ in range(len(AGENDA) - 1):
        board = fac(board, "agenda.remove", step=0)
    return board


AGENDA_REFUSALS = [
    (raw("agenda.go", step=9), Invalid),  # nine steps: 0 to 8
    (raw("agenda.go", step=-1), Invalid),
    (raw("agenda.go", step=2.0), Invalid),
    (raw("agenda.go", step="2"), Invalid),
    (raw("agenda.go"), Invalid),
    (raw("agenda.rename", step=9, title="Hello"), Invalid),
    (raw("agenda.rename", step=1, title="   "), Invalid),
    (raw("agenda.rename", step=1, title="x" * 81), TooLong),
    (raw("agenda.add", title="Tea", at=10), Invalid),
    (raw("agenda.add", title=""), Invalid),
    (raw("agenda.add", title=7), Invalid),
    (raw("agenda.remove", step=9), Invalid),
    (raw("agenda.move", step=9, to=0), Invalid),
    (raw("agenda.move", step=0, to=9), Invalid),
    (raw("agenda.move", step=0), Invalid),
    (raw("agenda.go", step=1, extra=True), Invalid),
]


@pytest.mark.parametrize(("message", "error"), AGENDA_REFUSALS)
def test_bad_agenda_ops_are_refused_and_change_nothing(
    message: dict[str, Any], error: type[KinboardError]
) -> None:
    assert_refused(new_meeting(), message, FACILITATOR, error)


def test_an_agenda_has_at_most_twenty_steps_and_at_least_one() -> None:
    refused = assert_refused(
        _full_agenda(), raw("agenda.add", title="One more"), FACILITATOR, TooMany
    )
    assert "20" in refused.message
    assert_refused(_one_step(), raw("agenda.remove", step=0), FACILITATOR, Invalid)


# --- the spotlight ----------------------------------------------------------------------------

FOCUS_CASES = [
    ({"kind": "section", "target": "strengths"}, FocusKind.SECTION),
    ({"kind": "card", "target": "c_worry"}, FocusKind.CARD),
    ({"kind": "scale", "target": OVERALL}, FocusKind.SCALE),
]


@pytest.mark.parametrize(("fields", "kind"), FOCUS_CASES)
def test_the_facilitator_spotlights_a_section_a_card_or_a_scale(
    fields: dict[str, str], kind: FocusKind
) -> None:
    board, changes = run(new_meeting(), raw("focus.set", **fields), FACILITATOR)
    encoded = wire.encode_steering(board)["focus"]
    assert encoded == {"kind": kind.value, "target": fields["target"], "by": FACILITATOR, "at": T1}
    assert [c.entity for c in changes] == ["focus"]
    assert run(board, raw("focus.set", **fields), FACILITATOR)[1] == []  # the same again


def test_clearing_the_spotlight() -> None:
    board = fac(new_meeting(), "focus.set", kind="card", target="c_worry")
    board, changes = run(board, raw("focus.clear"), FACILITATOR)
    assert wire.encode_steering(board)["focus"] is None
    assert [c.entity for c in changes] == ["focus"]
    assert run(board, raw("focus.clear"), FACILITATOR)[1] == []


FOCUS_REFUSALS = [
    (raw("focus.set", kind="section", target="nowhere"), NotFound),
    (raw("focus.set", kind="card", target="c_gone"), NotFound),  # deleted
    (raw("focus.set", kind="card", target="c_nobody"), NotFound),
    (raw("focus.set", kind="scale", target="s_nobody"), NotFound),
    (raw("focus.set", kind="card", target="strengths"), NotFound),  # a section is no card
    (raw("focus.set", kind="person", target="p_mum"), Invalid),
    (raw("focus.set", kind="card"), Invalid),
    (raw("focus.set", kind="card", target="not an id!"), Invalid),
]


@pytest.mark.parametrize(("message", "error"), FOCUS_REFUSALS)
def test_spotlighting_what_is_not_on_the_board_is_refused(
    message: dict[str, Any], error: type[KinboardError]
) -> None:
    assert_refused(new_meeting(), message, FACILITATOR, error)


# --- the timer --------------------------------------------------------------------------------


def test_a_timer_ends_at_a_server_time_every_screen_counts_down_to() -> None:
    board, changes = run(new_meeting(), raw("timer.start", seconds=FIVE_MINUTES), FACILITATOR)
    assert wire.encode_steering(board)["timer"] == {
        "status": "running",
        "seconds": FIVE_MINUTES,
        "started_at": T1,
        "started_by": FACILITATOR,
        "round": 1,
        "ends_at": "2026-11-27T09:19:03.221Z",
        "remaining_ms": None,
    }
    assert [c.entity for c in changes] == ["timer"]


def test_each_start_is_a_new_round_and_starts_answers_afresh() -> None:
    board = answered(timed())
    board, changes = run(board, raw("timer.start", seconds=60), FACILITATOR, now=T2)
    timer = board.timer["timer"]
    assert (timer.round, timer.seconds, timer.ends_at) == (2, 60, "2026-11-27T09:21:00.000Z")
    assert answers(board) == {}
    assert [c.entity for c in changes] == ["timer", "readiness"]


TIMER_CASES = [
    # (ops after a five-minute timer started at T1: (type, fields, now), what it then is)
    (
        [("timer.extend", {"seconds": 60}, "2026-11-27T09:16:00.000Z")],
        ("running", 360, "2026-11-27T09:20:03.221Z", None),
    ),
    # Extending a timer whose time is up counts from now.
    (
        [("timer.extend", {"seconds": 120}, T_UP)],
        ("running", 420, "2026-11-27T09:42:00.000Z", None),
    ),
    ([("timer.pause", {}, "2026-11-27T09:15:03.221Z")], ("paused", 300, None, 240_000)),
    (
        [("timer.pause", {}, "2026-11-27T09:15:03.221Z"), ("timer.extend", {"seconds": 30}, T2)],
        ("paused", 330, None, 270_000),
    ),
    (
        [("timer.pause", {}, "2026-11-27T09:15:03.221Z"), ("timer.resume", {}, T2)],
        ("running", 300, "2026-11-27T09:24:00.000Z", None),
    ),
    ([("timer.stop", {}, T2)], ("stopped", 300, None, None)),
]


@pytest.mark.parametrize(("steps", "expected"), TIMER_CASES)
def test_the_facilitator_extends_pauses_resumes_and_stops_the_timer(
    steps: list[tuple[str, dict[str, Any], str]], expected: tuple[str, int, str | None, int | None]
) -> None:
    board = timed()
    for op_type, fields, now in steps:
        board = fac(board, op_type, now=now, **fields)
    timer = board.timer["timer"]
    assert (timer.status.value, timer.seconds, timer.ends_at, timer.remaining_ms) == expected


@pytest.mark.parametrize("op_type", ["timer.pause", "timer.resume"])
def test_pausing_a_paused_timer_or_resuming_a_running_one_changes_nothing(op_type: str) -> None:
    board = timed()
    if op_type == "timer.pause":
        board = fac(board, "timer.pause", now=T2)
    assert run(board, raw(op_type), FACILITATOR, now=T2)[1] == []


def test_answers_carry_on_through_pausing_and_extending() -> None:
    board = answered(timed())
    board = fac(fac(board, "timer.pause", now=T2), "timer.extend", now=T2, seconds=60)
    assert answers(board) == {"p_mum": "done", "p_gran": "more_time"}


TIMER_REFUSALS = [
    (None, raw("timer.start", seconds=9), Invalid),
    (None, raw("timer.start", seconds=10_801), Invalid),
    (None, raw("timer.start", seconds=0), Invalid),
    (None, raw("timer.start", seconds=60.5), Invalid),
    (None, raw("timer.start", seconds="60"), Invalid),
    (None, raw("timer.start", seconds=True), Invalid),
    (None, raw("timer.start"), Invalid),
    (None, raw("timer.extend", seconds=60), NotFound),
    (None, raw("timer.pause"), NotFound),
    (None, raw("timer.resume"), NotFound),
    (None, raw("timer.stop"), NotFound),
    ("running", raw("timer.extend", seconds=9), Invalid),
    # Five minutes left, and three hours more would take it past three hours.
    ("running", raw("timer.extend", seconds=10_800), Invalid),
    ("stopped", raw("timer.extend", seconds=60), NotFound),
    ("stopped", raw("timer.pause"), NotFound),
    ("stopped", raw("timer.stop"), NotFound),
]


@pytest.mark.parametrize(("timer", "message", "error"), TIMER_REFUSALS)
def test_bad_timer_ops_are_refused_and_change_nothing(
    timer: str | None, message: dict[str, Any], error: type[KinboardError]
) -> None:
    board = new_meeting()
    if timer is not None:
        board = timed(board)
    if timer == "stopped":
        board = fac(board, "timer.stop")
    refused = assert_refused(board, message, FACILITATOR, error)
    if error is Invalid and "seconds" in message and not isinstance(message["seconds"], bool):
        assert "10 seconds" in refused.message and "3 hours" in refused.message


# --- "I'm done" and "I need more time" --------------------------------------------------------


@pytest.mark.parametrize("pid", ["p_fac", "p_mum", "p_kid", "p_gran", "p_sw"])
@pytest.mark.parametrize("state", [ReadyState.DONE, ReadyState.MORE_TIME])
def test_everyone_says_they_are_done_or_need_more_time_for_themselves(
    pid: str, state: ReadyState
) -> None:
    board, changes = run(new_meeting(), raw("ready.say", state=state.value), pid)
    assert answers(board) == {pid: state.value}
    assert [c.entity for c in changes] == ["readiness"]
    assert run(board, raw("ready.say", state=state.value), pid)[1] == []  # the same again


def test_saying_something_else_or_taking_it_back() -> None:
    board = answered(new_meeting())
    board = step(board, raw("ready.say", state="more_time"), "p_mum")
    assert answers(board) == {"p_mum": "more_time", "p_gran": "more_time"}
    board = step(board, raw("ready.say", state=None), "p_gran")
    assert answers(board) == {"p_mum": "more_time"}
    assert run(board, raw("ready.say", state=None), "p_gran")[1] == []


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (raw("ready.say", state="finished"), Invalid),
        (raw("ready.say"), Invalid),
        (raw("ready.say", state="done", participant="p_gran"), Invalid),
    ],
)
def test_bad_ready_ops_are_refused(message: dict[str, Any], error: type[KinboardError]) -> None:
    assert_refused(new_meeting(), message, "p_mum", error)


# --- who may, and when ------------------------------------------------------------------------

FACILITATOR_OPS = [
    raw("agenda.go", step=1),
    raw("agenda.add", title="Tea"),
    raw("agenda.rename", step=1, title="Our worries"),
    raw("agenda.remove", step=1),
    raw("agenda.move", step=1, to=2),
    raw("focus.set", kind="card", target="c_worry"),
    raw("focus.clear"),
    raw("timer.start", seconds=60),
    raw("timer.extend", seconds=60),
    raw("timer.pause"),
    raw("timer.resume"),
    raw("timer.stop"),
]


@pytest.mark.parametrize("pid", NOT_FACILITATOR)
@pytest.mark.parametrize("message", FACILITATOR_OPS, ids=lambda m: m["type"])
def test_only_the_facilitator_steers_the_meeting(pid: str, message: dict[str, Any]) -> None:
    board = fac(timed(), "focus.set", kind="section", target="harm")
    assert_refused(board, message, pid, Forbidden)


def test_the_room_screen_cannot_say_it_is_done() -> None:
    assert_refused(new_meeting(), raw("ready.say", state="done"), "p_tv", Forbidden)


@pytest.mark.parametrize(
    "message", [*FACILITATOR_OPS, raw("ready.say", state="done")], ids=lambda m: m["type"]
)
def test_steering_goes_on_while_the_board_is_locked_and_stops_when_it_is_closed(
    message: dict[str, Any],
) -> None:
    locked = timed(new_meeting(status=Status.LOCKED))
    board, _ = run(locked, message, FACILITATOR)
    assert board.meeting.status is Status.LOCKED
    closed = replace(locked, meeting=replace(locked.meeting, status=Status.CLOSED))
    assert_refused(closed, message, FACILITATOR, Closed)


def test_steering_survives_the_store() -> None:
    """Each new entity is written as a record and read back the same."""
    board = answered(
        fac(
            fac(timed(), "agenda.add", title="Tea", at=0), "focus.set", kind="scale", target=OVERALL
        )
    )
    again = storage.board_from_records(storage.board_records(board))
    assert wire.encode_steering(again) == wire.encode_steering(board)
    assert again.timer["timer"].status is TimerStatus.RUNNING


def test_a_persons_export_says_what_they_said_and_nothing_of_anyone_else() -> None:
    board = answered(new_meeting())
    assert export.encode_person(board, "p_mum")["ready"] == "done"
    assert export.encode_person(board, "p_gran")["ready"] == "more_time"
    assert export.encode_person(board, "p_kid")["ready"] is None
