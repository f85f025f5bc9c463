"""A family group meeting's stages and private family time in the pure core: every op, who
may send it, and every refusal (which changes nothing).

Table-driven: each case names the board it starts from, the op, who sends it, and what
must come back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from server.board import storage
from server.board.errors import (
    FamilyTimeNotRunning,
    FamilyTimeRunning,
    Forbidden,
    Invalid,
    KinboardError,
    Locked,
    NotFound,
    TooLong,
    TooMany,
)
from server.board.family_group import Answer, Ended, Stage
from server.board.family_time import first_stage
from server.board.limits import MAX_FAMILY_ITEMS
from server.board.model import Board, Kind, Status
from server.board.roles import Role
from tests.support.boards import BY_ROLE, T1, empty_board, raw, run, with_status

# T1 is 09:14:03.221Z: family time back at 10:00 is 46 minutes away.
BACK = "2026-11-27T10:00:00Z"
BACK_STORED = "2026-11-27T10:00:00.000Z"
T2 = "2026-11-27T09:20:00.000Z"
T3 = "2026-11-27T09:30:00.000Z"
FAC, MUM, KID, GRAN, SW, TV = (
    BY_ROLE[r]
    for r in (
        Role.FACILITATOR,
        Role.PARENT,
        Role.CHILD,
        Role.NETWORK,
        Role.PROFESSIONAL,
        Role.VIEWER,
    )
)
FAMILY = [MUM, KID, GRAN]
NOT_FAMILY = [FAC, SW]


def family_group() -> Board:
    board = empty_board()
    meeting = replace(board.meeting, kind=Kind.FAMILY_GROUP, stage=first_stage(Kind.FAMILY_GROUP))
    return replace(board, meeting=meeting)


def in_family_time() -> Board:
    board, _ = run(family_group(), raw("family_time.start", back_at=BACK), FAC)
    return board


def with_items() -> Board:
    """Family time with two lines of the family's plan: Sam's and Gran's."""
    board = in_family_time()
    board, _ = run(
        board,
        raw("family_plan.add", section="plan_rules", text="Gran collects Ava"),
        GRAN,
        now=T2,
        new_id="i_gran",
    )
    board, _ = run(
        board,
        raw("family_plan.add", section="plan_helpers", text="Call Aunt Rose"),
        MUM,
        now=T3,
        new_id="i_mum",
    )
    return board


def asked() -> Board:
    board, _ = run(in_family_time(), raw("family_time.ask"), FAC, now=T2)
    return board


def ended() -> Board:
    board, _ = run(with_items(), raw("family_time.force_end"), FAC, now=T3)
    return board


def snapshot(board: Board) -> dict[str, str]:
    return storage.board_records(board)


# --- what each op does ------------------------------------------------------------------------


def test_a_family_group_meeting_starts_at_information_sharing_and_others_have_no_stage() -> None:
    assert first_stage(Kind.FAMILY_GROUP) is Stage.INFORMATION
    for kind in Kind:
        if kind is not Kind.FAMILY_GROUP:
            assert first_stage(kind) is None


@pytest.mark.parametrize("stage", [Stage.AGREEING, Stage.REVIEW, Stage.INFORMATION])
def test_the_facilitator_moves_the_stage(stage: Stage) -> None:
    start = replace(family_group(), meeting=replace(family_group().meeting, stage=Stage.AGREEING))
    board, changes = run(start, raw("meeting.stage", stage=stage.value), FAC)
    assert board.meeting.stage is stage
    if stage is Stage.AGREEING:
        assert changes == []  # already there: nothing to send
    else:
        assert [(c.entity, c.value) for c in changes] == [("meeting", board.meeting)]


def test_starting_family_time_sets_the_stage_and_the_expected_end() -> None:
    board, changes = run(family_group(), raw("family_time.start", back_at=BACK), FAC)
    time = board.family_time["family_time"]
    assert (time.started_at, time.started_by, time.back_at) == (T1, FAC, BACK_STORED)
    assert time.running and time.ended is None
    assert board.meeting.stage is Stage.FAMILY_TIME
    assert [c.entity for c in changes] == ["meeting", "family_time"]


def test_a_back_at_in_another_zone_is_kept_in_utc() -> None:
    board, _ = run(
        family_group(), raw("family_time.start", back_at="2026-11-27T11:00:00+01:00"), FAC
    )
    assert board.family_time["family_time"].back_at == BACK_STORED


def test_asking_then_not_yet_then_yes() -> None:
    board = asked()
    assert board.family_time["family_time"].asked_at == T2
    board, _ = run(board, raw("family_time.answer", ready=False), KID, now=T3)
    time = board.family_time["family_time"]
    assert (time.answer, time.answered_by, time.running) == (Answer.NOT_YET, KID, True)
    board, _ = run(board, raw("family_time.ask"), FAC, now=T3)
    assert board.family_time["family_time"].answer is None  # a new ask, not answered yet
    board, changes = run(board, raw("family_time.answer", ready=True), GRAN, now=T3)
    time = board.family_time["family_time"]
    assert (time.ended, time.ended_at, time.ended_by) == (Ended.READY, T3, GRAN)
    assert board.meeting.stage is Stage.AGREEING
    assert [c.entity for c in changes] == ["family_time", "meeting"]


def test_the_facilitator_can_end_family_time_by_force() -> None:
    board, _ = run(in_family_time(), raw("family_time.force_end"), FAC, now=T2)
    time = board.family_time["family_time"]
    assert (time.ended, time.ended_by, time.running) == (Ended.FORCED, FAC, False)
    assert board.meeting.stage is Stage.AGREEING


def test_the_family_write_their_plan() -> None:
    board = with_items()
    gran = board.family_plan["i_gran"]
    assert (gran.section, gran.text, gran.author) == ("plan_rules", "Gran collects Ava", GRAN)
    board, changes = run(
        board,
        raw(
            "family_plan.edit",
            item_id="i_gran",
            text="Gran collects Ava at 3",
            section="plan_difficult",
        ),
        KID,
        now=T3,
    )
    edited = board.family_plan["i_gran"]
    assert (edited.text, edited.section, edited.author, edited.updated_by) == (
        "Gran collects Ava at 3",
        "plan_difficult",
        GRAN,
        KID,
    )
    assert [c.entity for c in changes] == ["family_item"]
    board, changes = run(board, raw("family_plan.delete", item_id="i_mum"), GRAN, now=T3)
    assert board.family_plan["i_mum"].deleted
    assert changes[0].deleted


def test_sharing_the_plan_makes_cards_by_their_writers_said_by_the_family_and_ends_it() -> None:
    board, changes = run(with_items(), raw("family_plan.share"), KID, now=T3, new_id="c_fp")
    cards = {c.id: c for c in board.live_cards()}
    assert {(c.section, c.text, c.author, c.attributed_to) for c in cards.values()} == {
        ("plan_rules", "Gran collects Ava", GRAN, "the family"),
        ("plan_helpers", "Call Aunt Rose", MUM, "the family"),
    }
    assert board.family_plan["i_gran"].shared_as == "c_fp-1"
    assert board.family_plan["i_mum"].shared_as == "c_fp-2"
    time = board.family_time["family_time"]
    assert (time.ended, time.ended_by) == (Ended.SHARED, KID)
    assert board.meeting.stage is Stage.AGREEING
    assert [c.entity for c in changes] == [
        "card",
        "family_item",
        "card",
        "family_item",
        "family_time",
        "meeting",
    ]


def test_a_plan_left_after_a_forced_end_can_still_be_shared_once() -> None:
    board, _ = run(ended(), raw("family_plan.share"), MUM, now=T3, new_id="c_fp")
    assert len(board.live_cards()) == 2
    assert board.family_time["family_time"].ended is Ended.FORCED  # as it ended
    with pytest.raises(FamilyTimeNotRunning):
        run(board, raw("family_plan.share"), MUM, now=T3, new_id="c_fp2")


def test_a_shared_card_goes_below_the_cards_already_in_its_section() -> None:
    board = with_items()
    board, _ = run(board, raw("card.add", section="plan_rules", text="First"), FAC, new_id="c_a")
    board, _ = run(board, raw("family_plan.share"), MUM, now=T3, new_id="c_fp")
    assert [c.id for c in board.section_cards("plan_rules")] == ["c_a", "c_fp-1"]


def test_family_time_can_start_again_after_it_ended() -> None:
    board, _ = run(ended(), raw("family_time.start", back_at=BACK), FAC, now=T3)
    assert board.family_time["family_time"].running


# --- who may: every op by every role ----------------------------------------------------------

FACILITATOR_OPS: list[tuple[str, Callable[[], Board], dict[str, Any]]] = [
    ("stage", family_group, raw("meeting.stage", stage="agreeing")),
    ("start", family_group, raw("family_time.start", back_at=BACK)),
    ("ask", in_family_time, raw("family_time.ask")),
    ("force-end", in_family_time, raw("family_time.force_end")),
]
FAMILY_OPS: list[tuple[str, Callable[[], Board], dict[str, Any]]] = [
    ("add", in_family_time, raw("family_plan.add", section="plan_rules", text="x")),
    ("edit", with_items, raw("family_plan.edit", item_id="i_gran", text="y")),
    ("delete", with_items, raw("family_plan.delete", item_id="i_gran")),
    ("share", with_items, raw("family_plan.share")),
    ("answer", asked, raw("family_time.answer", ready=False)),
]


def _cases(
    ops: list[tuple[str, Callable[[], Board], dict[str, Any]]],
    allowed: list[str],
    refused: list[str],
) -> list[Any]:
    return [
        pytest.param(make, message, actor, actor in allowed, id=f"{name}-{actor}")
        for name, make, message in ops
        for actor in [*allowed, *refused]
    ]


@pytest.mark.parametrize(
    ("make", "message", "actor", "allowed"),
    _cases(FACILITATOR_OPS, [FAC], [*FAMILY, SW, TV])
    + _cases(FAMILY_OPS, FAMILY, [*NOT_FAMILY, TV]),
)
def test_who_may_send_each_op(
    make: Callable[[], Board], message: dict[str, Any], actor: str, allowed: bool
) -> None:
    board = make()
    if allowed:
        updated, changes = run(board, message, actor, now=T3, new_id="n_1")
        assert changes and updated != board
    else:
        assert_refused(board, message, actor, Forbidden)


# --- refusals: each one changes nothing -------------------------------------------------------


def assert_refused(
    board: Board, message: dict[str, Any], actor: str, error: type[KinboardError], now: str = T3
) -> None:
    before = snapshot(board)
    with pytest.raises(KinboardError) as caught:
        run(board, message, actor, now=now, new_id="n_1")
    assert type(caught.value) is error, caught.value
    assert caught.value.message
    assert snapshot(board) == before


def other_kind() -> Board:
    return empty_board()


def locked_family_time() -> Board:
    return with_status(in_family_time(), Status.LOCKED)


def full_plan() -> Board:
    board = in_family_time()
    for n in range(MAX_FAMILY_ITEMS):
        board, _ = run(
            board, raw("family_plan.add", section="plan_rules", text="x"), MUM, new_id=f"i{n}"
        )
    return board


def shared() -> Board:
    board, _ = run(with_items(), raw("family_plan.share"), MUM, now=T3, new_id="c_fp")
    return board


REFUSALS: list[tuple[str, Callable[[], Board], dict[str, Any], str, type[KinboardError]]] = [
    # started twice, ended or written when not running
    ("start-twice", in_family_time, raw("family_time.start", back_at=BACK), FAC, FamilyTimeRunning),
    (
        "stage-while-running",
        in_family_time,
        raw("meeting.stage", stage="agreeing"),
        FAC,
        FamilyTimeRunning,
    ),
    (
        "force-end-not-running",
        family_group,
        raw("family_time.force_end"),
        FAC,
        FamilyTimeNotRunning,
    ),
    ("force-end-twice", ended, raw("family_time.force_end"), FAC, FamilyTimeNotRunning),
    ("ask-not-running", family_group, raw("family_time.ask"), FAC, FamilyTimeNotRunning),
    ("answer-not-running", ended, raw("family_time.answer", ready=True), MUM, FamilyTimeNotRunning),
    (
        "add-not-running",
        family_group,
        raw("family_plan.add", section="plan_rules", text="x"),
        MUM,
        FamilyTimeNotRunning,
    ),
    (
        "add-after-end",
        ended,
        raw("family_plan.add", section="plan_rules", text="x"),
        MUM,
        FamilyTimeNotRunning,
    ),
    (
        "edit-after-end",
        ended,
        raw("family_plan.edit", item_id="i_gran", text="x"),
        GRAN,
        FamilyTimeNotRunning,
    ),
    ("share-never-started", family_group, raw("family_plan.share"), MUM, FamilyTimeNotRunning),
    ("share-nothing-left", shared, raw("family_plan.share"), MUM, FamilyTimeNotRunning),
    # a professional sharing (or touching) the family's plan
    ("professional-shares", with_items, raw("family_plan.share"), SW, Forbidden),
    ("facilitator-shares", with_items, raw("family_plan.share"), FAC, Forbidden),
    ("professional-answers", asked, raw("family_time.answer", ready=True), SW, Forbidden),
    ("screen-shares", with_items, raw("family_plan.share"), TV, Forbidden),
    # another kind of meeting
    ("other-kind-start", other_kind, raw("family_time.start", back_at=BACK), FAC, Invalid),
    ("other-kind-stage", other_kind, raw("meeting.stage", stage="agreeing"), FAC, Invalid),
    (
        "other-kind-add",
        other_kind,
        raw("family_plan.add", section="plan_rules", text="x"),
        MUM,
        Invalid,
    ),
    ("other-kind-share", other_kind, raw("family_plan.share"), MUM, Invalid),
    # bad end times
    (
        "back-in-the-past",
        family_group,
        raw("family_time.start", back_at="2026-11-27T09:00:00Z"),
        FAC,
        Invalid,
    ),
    (
        "back-now",
        family_group,
        raw("family_time.start", back_at="2026-11-27T09:30:00Z"),
        FAC,
        Invalid,
    ),
    (
        "back-too-far",
        family_group,
        raw("family_time.start", back_at="2026-11-27T13:31:00Z"),
        FAC,
        Invalid,
    ),
    (
        "back-next-year",
        family_group,
        raw("family_time.start", back_at="2027-11-27T10:00:00Z"),
        FAC,
        Invalid,
    ),
    (
        "back-no-zone",
        family_group,
        raw("family_time.start", back_at="2026-11-27T10:00:00"),
        FAC,
        Invalid,
    ),
    (
        "back-not-a-time",
        family_group,
        raw("family_time.start", back_at="half past two"),
        FAC,
        Invalid,
    ),
    ("back-a-number", family_group, raw("family_time.start", back_at=1764599400), FAC, Invalid),
    ("back-missing", family_group, raw("family_time.start"), FAC, Invalid),
    # other bad input
    ("stage-family-time", family_group, raw("meeting.stage", stage="family_time"), FAC, Invalid),
    ("stage-unknown", family_group, raw("meeting.stage", stage="lunch"), FAC, Invalid),
    ("answer-not-asked", in_family_time, raw("family_time.answer", ready=True), MUM, Invalid),
    ("answer-not-bool", asked, raw("family_time.answer", ready="yes"), MUM, Invalid),
    (
        "add-not-plan-section",
        in_family_time,
        raw("family_plan.add", section="harm", text="x"),
        MUM,
        Invalid,
    ),
    (
        "add-no-text",
        in_family_time,
        raw("family_plan.add", section="plan_rules", text="  "),
        MUM,
        Invalid,
    ),
    (
        "add-too-long",
        in_family_time,
        raw("family_plan.add", section="plan_rules", text="x" * 2001),
        MUM,
        TooLong,
    ),
    (
        "add-id-taken",
        with_items,
        raw("family_plan.add", section="plan_rules", text="x", item_id="i_gran"),
        MUM,
        Invalid,
    ),
    (
        "add-past-the-limit",
        full_plan,
        raw("family_plan.add", section="plan_rules", text="x"),
        MUM,
        TooMany,
    ),
    ("edit-nothing", with_items, raw("family_plan.edit", item_id="i_gran"), MUM, Invalid),
    (
        "edit-unknown",
        with_items,
        raw("family_plan.edit", item_id="i_nope", text="x"),
        MUM,
        NotFound,
    ),
    (
        "edit-deleted",
        lambda: run(with_items(), raw("family_plan.delete", item_id="i_mum"), MUM)[0],
        raw("family_plan.edit", item_id="i_mum", text="x"),
        MUM,
        NotFound,
    ),
    (
        "start-unknown-field",
        family_group,
        raw("family_time.start", back_at=BACK, minutes=20),
        FAC,
        Invalid,
    ),
    (
        "locked",
        locked_family_time,
        raw("family_plan.add", section="plan_rules", text="x"),
        MUM,
        Locked,
    ),
]


@pytest.mark.parametrize(
    ("make", "message", "actor", "error"),
    [pytest.param(m, msg, a, e, id=i) for i, m, msg, a, e in REFUSALS],
)
def test_refusals_change_nothing(
    make: Callable[[], Board], message: dict[str, Any], actor: str, error: type[KinboardError]
) -> None:
    assert_refused(make(), message, actor, error)


def test_the_family_plan_is_stored_and_read_back_whole() -> None:
    board = shared()
    records = storage.board_records(board)
    assert storage.board_from_records(records) == board
