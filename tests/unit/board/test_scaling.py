"""Scaling together, in the pure core: scales, rounds, secret votes and the summary.

Table-driven: each case names the op, who sends it and what must come back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from server.board import ops, scaling, wire
from server.board.errors import (
    Closed,
    Forbidden,
    Invalid,
    KinboardError,
    Locked,
    NotFound,
    RoundClosed,
    TooLong,
    TooMany,
)
from server.board.limits import (
    DEFAULT_WORRY_THRESHOLD,
    MAX_ANCHOR,
    MAX_QUESTION,
    MAX_REASON,
    MAX_SCALES,
)
from server.board.meeting import MeetingEdit
from server.board.model import Board, Change, Status, Vocabulary
from server.board.ops import Context
from server.board.roles import Role
from server.board.scales import ScaleAdd, ScaleDelete, ScaleEdit, overall_scale
from server.board.scaling import OnBehalf, RoundOpen, RoundReveal, VoteCast, VoteExclude
from server.board.scaling_model import Answered, Round, RoundStatus, Scale, Vote
from server.board.summary import summarise
from server.board.template import OVERALL_SCALE
from tests.support.boards import BY_ROLE, MID, PEOPLE, T0, T1, raw, run, with_status
from tests.support.scaling import (
    NOT_FACILITATOR,
    OVERALL,
    SAFETY,
    T2,
    T3,
    WORDS,
    Q,
    assert_no_numbers,
    assert_refused,
    new_meeting,
    step,
    vote,
    with_open_round,
    with_votes,
)

VOTERS = [Role.FACILITATOR, Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL]


# The fields of a scale in `state`, `applied` and the API, as docs/protocol.md lists them.
SCALE_KEYS = (
    "id",
    "question",
    "low_label",
    "high_label",
    "card_id",
    "overall",
    "created_at",
    "created_by",
)


WELLBEING = OVERALL_SCALE[Vocabulary.WELLBEING]


# --- parsing ----------------------------------------------------------------------------------

PARSE_REFUSALS = [
    # scale.add
    ("add-no-question", raw("scale.add", low_label="a", high_label="b"), Invalid),
    ("add-blank-question", raw("scale.add", **{**WORDS, "question": "  \n "}), Invalid),
    ("add-null-question", raw("scale.add", **{**WORDS, "question": None}), Invalid),
    ("add-number-question", raw("scale.add", **{**WORDS, "question": 7}), Invalid),
    ("add-no-low-label", raw("scale.add", question=Q, high_label="b"), Invalid),
    ("add-no-high-label", raw("scale.add", question=Q, low_label="a"), Invalid),
    ("add-empty-low-label", raw("scale.add", **{**WORDS, "low_label": ""}), Invalid),
    ("add-question-301", raw("scale.add", **{**WORDS, "question": "q" * 301}), TooLong),
    ("add-low-label-121", raw("scale.add", **{**WORDS, "low_label": "l" * 121}), TooLong),
    ("add-high-label-121", raw("scale.add", **{**WORDS, "high_label": "h" * 121}), TooLong),
    ("add-bad-scale-id", raw("scale.add", **WORDS, scale_id="s 1"), Invalid),
    ("add-bad-card-id", raw("scale.add", **WORDS, card_id="c/1"), Invalid),
    ("add-unknown-field", raw("scale.add", **WORDS, overall=True), Invalid),
    # scale.edit
    ("edit-nothing", raw("scale.edit", scale_id="s1"), Invalid),
    ("edit-no-scale-id", raw("scale.edit", question=Q), Invalid),
    ("edit-blank-question", raw("scale.edit", scale_id="s1", question=" "), Invalid),
    ("edit-null-label", raw("scale.edit", scale_id="s1", low_label=None), Invalid),
    ("edit-question-301", raw("scale.edit", scale_id="s1", question="q" * 301), TooLong),
    ("edit-high-label-121", raw("scale.edit", scale_id="s1", high_label="h" * 121), TooLong),
    # scale.delete, round.open, round.reveal
    ("delete-no-scale-id", raw("scale.delete"), Invalid),
    ("open-no-scale-id", raw("round.open"), Invalid),
    ("open-scale-id-number", raw("round.open", scale_id=3), Invalid),
    ("open-unknown-field", raw("round.open", scale_id="s1", number=2), Invalid),
    ("reveal-no-scale-id", raw("round.reveal"), Invalid),
    # vote.cast: the number
    ("vote-11", vote(value=11), Invalid),
    ("vote-minus-1", vote(value=-1), Invalid),
    ("vote-3.5", vote(value=3.5), Invalid),
    ("vote-7.0", vote(value=7.0), Invalid),
    ("vote-string-7", vote(value="7"), Invalid),
    ("vote-true", vote(value=True), Invalid),
    ("vote-false", vote(value=False), Invalid),
    ("vote-null", vote(value=None), Invalid),
    ("vote-list", vote(value=[7]), Invalid),
    ("vote-no-value", raw("vote.cast", scale_id="s1"), Invalid),
    ("vote-no-scale-id", raw("vote.cast", value=5), Invalid),
    # vote.cast: the reason
    ("vote-reason-501", vote(reason="r" * 501), TooLong),
    ("vote-reason-number", vote(reason=5), Invalid),
    # vote.cast: on_behalf_of
    ("behalf-string", vote(on_behalf_of="Grandad"), Invalid),
    ("behalf-no-role", vote(on_behalf_of={"name": "Grandad"}), Invalid),
    ("behalf-no-name", vote(on_behalf_of={"role": "network"}), Invalid),
    ("behalf-blank-name", vote(on_behalf_of={"name": "  ", "role": "network"}), Invalid),
    ("behalf-name-81", vote(on_behalf_of={"name": "G" * 81, "role": "network"}), TooLong),
    ("behalf-viewer", vote(on_behalf_of={"name": "Screen", "role": "viewer"}), Invalid),
    ("behalf-facilitator", vote(on_behalf_of={"name": "Al", "role": "facilitator"}), Invalid),
    ("behalf-bad-role", vote(on_behalf_of={"name": "Al", "role": "uncle"}), Invalid),
    (
        "behalf-extra-key",
        vote(on_behalf_of={"name": "Al", "role": "network", "value": 3}),
        Invalid,
    ),
    ("vote-unknown-field", vote(voter="p_gran"), Invalid),
    # vote.exclude
    ("exclude-no-voter", raw("vote.exclude", scale_id="s1"), Invalid),
    ("exclude-no-scale-id", raw("vote.exclude", voter="p_mum"), Invalid),
    ("exclude-empty-voter", raw("vote.exclude", scale_id="s1", voter=""), Invalid),
    ("exclude-number-voter", raw("vote.exclude", scale_id="s1", voter=7), Invalid),
    ("exclude-null-voter", raw("vote.exclude", scale_id="s1", voter=None), Invalid),
    ("exclude-long-voter", raw("vote.exclude", scale_id="s1", voter="v" * 101), Invalid),
    ("exclude-unknown-field", raw("vote.exclude", scale_id="s1", voter="p", value=3), Invalid),
    # the worry threshold
    ("threshold-11", raw("meeting.edit", worry_threshold=11), Invalid),
    ("threshold-minus-1", raw("meeting.edit", worry_threshold=-1), Invalid),
    ("threshold-2.5", raw("meeting.edit", worry_threshold=2.5), Invalid),
    ("threshold-string", raw("meeting.edit", worry_threshold="2"), Invalid),
    ("threshold-true", raw("meeting.edit", worry_threshold=True), Invalid),
    ("threshold-null", raw("meeting.edit", worry_threshold=None), Invalid),
]


@pytest.mark.parametrize(
    ("message", "error"), [pytest.param(m, e, id=i) for i, m, e in PARSE_REFUSALS]
)
def test_parse_refuses(message: dict[str, Any], error: type[KinboardError]) -> None:
    with pytest.raises(KinboardError) as caught:
        ops.parse_op(message)
    assert type(caught.value) is error, caught.value
    assert caught.value.code == error.code
    assert caught.value.message


PARSED = [
    ("add-minimal", raw("scale.add", **WORDS), ScaleAdd(Q, "Not safe", "Safe")),
    (
        "add-everything-words-tidied",
        raw(
            "scale.add",
            question=f"  {Q}\n",
            low_label=" Not\tsafe ",
            high_label="Safe",
            scale_id="s_dad",
            card_id="c_worry",
        ),
        ScaleAdd(Q, "Not safe", "Safe", "s_dad", "c_worry"),
    ),
    (
        "add-nulls",
        raw("scale.add", **WORDS, scale_id=None, card_id=None),
        ScaleAdd(Q, "Not safe", "Safe"),
    ),
    (
        "add-at-the-limits",
        raw(
            "scale.add",
            question="q" * MAX_QUESTION,
            low_label="l" * MAX_ANCHOR,
            high_label="h" * MAX_ANCHOR,
        ),
        ScaleAdd("q" * MAX_QUESTION, "l" * MAX_ANCHOR, "h" * MAX_ANCHOR),
    ),
    ("edit-question", raw("scale.edit", scale_id="s1", question=Q), ScaleEdit("s1", question=Q)),
    (
        "edit-labels",
        raw("scale.edit", scale_id="s1", low_label="0", high_label="10"),
        ScaleEdit("s1", low_label="0", high_label="10"),
    ),
    ("delete", raw("scale.delete", scale_id="s1"), ScaleDelete("s1")),
    ("open", raw("round.open", scale_id="s1"), RoundOpen("s1")),
    ("reveal", raw("round.reveal", scale_id="s1"), RoundReveal("s1")),
    ("vote-0", vote("s1", 0), VoteCast("s1", 0)),
    ("vote-10", vote("s1", 10), VoteCast("s1", 10)),
    (
        "vote-reason",
        vote("s1", 4, reason="  He goes\nto school "),
        VoteCast("s1", 4, "He goes to school"),
    ),
    (
        "vote-reason-500",
        vote("s1", 4, reason="r" * MAX_REASON),
        VoteCast("s1", 4, "r" * MAX_REASON),
    ),
    ("vote-reason-blank", vote("s1", 4, reason="   "), VoteCast("s1", 4)),
    ("vote-reason-null", vote("s1", 4, reason=None), VoteCast("s1", 4)),
    ("vote-behalf-null", vote("s1", 4, on_behalf_of=None), VoteCast("s1", 4)),
    (
        "vote-behalf",
        vote("s1", 9, on_behalf_of={"name": "  Grandad ", "role": "network"}),
        VoteCast("s1", 9, None, OnBehalf("Grandad", Role.NETWORK)),
    ),
    ("exclude", raw("vote.exclude", scale_id="s1", voter="p_mum"), VoteExclude("s1", "p_mum")),
    (
        "exclude-recorded",
        raw("vote.exclude", scale_id="s1", voter="behalf:al|child"),
        VoteExclude("s1", "behalf:al|child"),
    ),
    ("threshold-0", raw("meeting.edit", worry_threshold=0), MeetingEdit(worry_threshold=0)),
    ("threshold-10", raw("meeting.edit", worry_threshold=10), MeetingEdit(worry_threshold=10)),
]


@pytest.mark.parametrize(("message", "expected"), [pytest.param(m, e, id=i) for i, m, e in PARSED])
def test_parse_accepts(message: dict[str, Any], expected: Any) -> None:
    assert ops.parse_op(message) == ("o_k2m9", expected)


# --- refusals when applying -------------------------------------------------------------------


def _refusal_cases() -> Iterator[Any]:
    setup = [
        raw("scale.add", **WORDS),
        raw("scale.edit", scale_id=OVERALL, question=Q),
        raw("scale.delete", scale_id=OVERALL),
        raw("round.open", scale_id=OVERALL),
        raw("round.reveal", scale_id=OVERALL),
        vote(on_behalf_of={"name": "Grandad", "role": "network"}),
    ]
    for role in NOT_FACILITATOR:
        for message in setup:
            yield pytest.param(
                "open-round",
                message,
                role,
                Forbidden,
                id=f"{role}-{message['type']}" + ("-behalf" if "on_behalf_of" in message else ""),
            )
    for message in [*setup, vote()]:
        yield pytest.param(
            "open-round", message, Role.VIEWER, Forbidden, id=f"viewer-{message['type']}"
        )
    yield pytest.param(
        "open-round",
        raw("round.open", scale_id=OVERALL),
        Role.FACILITATOR,
        Invalid,
        id="second-open-round",
    )
    yield pytest.param(
        "fresh",
        raw("scale.add", **WORDS, scale_id=OVERALL),
        Role.FACILITATOR,
        Invalid,
        id="add-used-scale-id",
    )
    yield pytest.param(
        "deleted-scale",
        raw("scale.add", **WORDS, scale_id="s_dead"),
        Role.FACILITATOR,
        Invalid,
        id="add-tombstone-scale-id",
    )
    # not_found: unknown and deleted scales, unknown and deleted cards
    for board, sid in (("fresh", "s_nowhere"), ("deleted-scale", "s_dead")):
        for message, role in (
            (raw("scale.edit", scale_id=sid, question=Q), Role.FACILITATOR),
            (raw("scale.delete", scale_id=sid), Role.FACILITATOR),
            (raw("round.open", scale_id=sid), Role.FACILITATOR),
            (raw("round.reveal", scale_id=sid), Role.FACILITATOR),
            (vote(sid), Role.PARENT),
            (vote(sid, on_behalf_of={"name": "Al", "role": "child"}), Role.FACILITATOR),
        ):
            yield pytest.param(
                board, message, role, NotFound, id=f"{board}-{message['type']}-{role}"
            )
    for card in ("c_nowhere", "c_gone"):
        yield pytest.param(
            "fresh",
            raw("scale.add", **WORDS, card_id=card),
            Role.FACILITATOR,
            NotFound,
            id=f"add-about-{card}",
        )
    # round_closed: nothing open on the scale
    for board in ("fresh", "revealed"):
        yield pytest.param(board, vote(), Role.PARENT, RoundClosed, id=f"{board}-vote")
        yield pytest.param(
            board,
            vote(on_behalf_of={"name": "Al", "role": "child"}),
            Role.FACILITATOR,
            RoundClosed,
            id=f"{board}-behalf-vote",
        )
        yield pytest.param(
            board,
            raw("round.reveal", scale_id=OVERALL),
            Role.FACILITATOR,
            RoundClosed,
            id=f"{board}-reveal",
        )
    yield pytest.param(
        "open-round", vote("s_other"), Role.PARENT, RoundClosed, id="vote-on-another-scale"
    )


def _board(name: str) -> Board:
    other = raw("scale.add", **WORDS, scale_id="s_other")
    board = step(new_meeting(), other, "p_fac")
    match name:
        case "fresh":
            return board
        case "open-round":
            return with_votes(board)
        case "revealed":
            return step(with_votes(board), raw("round.reveal", scale_id=OVERALL), "p_fac")
        case "deleted-scale":
            board = step(board, raw("scale.add", **WORDS, scale_id="s_dead"), "p_fac")
            return step(board, raw("scale.delete", scale_id="s_dead"), "p_fac")
    raise AssertionError(name)


@pytest.mark.parametrize(("board", "message", "role", "error"), list(_refusal_cases()))
def test_refusals(
    board: str, message: dict[str, Any], role: Role, error: type[KinboardError]
) -> None:
    assert_refused(_board(board), message, BY_ROLE[role], error)


def test_refusal_messages_say_who_may() -> None:
    board = with_open_round()
    behalf = vote(on_behalf_of={"name": "Al", "role": "child"})
    assert "facilitator" in assert_refused(board, behalf, "p_mum", Forbidden).message
    opening = raw("round.open", scale_id="s_x")
    assert "facilitator" in assert_refused(board, opening, "p_sw", Forbidden).message
    viewer = assert_refused(board, vote(), "p_tv", Forbidden).message
    assert viewer == "This screen can only show the board."
    closed = assert_refused(new_meeting(), vote(), "p_mum", RoundClosed).message
    assert closed == "There is no open round on this scale. Ask the facilitator to start one."


def test_a_stranger_cannot_vote() -> None:
    assert_refused(with_open_round(), vote(), "p_stranger", Forbidden)


EVERY_SCALING_OP = [
    ("p_fac", raw("scale.add", **WORDS)),
    ("p_fac", raw("scale.edit", scale_id=OVERALL, question=Q)),
    ("p_fac", raw("scale.delete", scale_id=OVERALL)),
    ("p_fac", raw("round.open", scale_id="s_other")),
    ("p_fac", raw("round.reveal", scale_id=OVERALL)),
    ("p_fac", vote(on_behalf_of={"name": "Al", "role": "child"})),
    ("p_fac", vote()),
    ("p_mum", vote()),
    ("p_sw", vote(value=0)),
    ("p_fac", raw("meeting.edit", worry_threshold=4)),
    ("p_fac", raw("vote.exclude", scale_id=OVERALL, voter="p_mum")),
]


@pytest.mark.parametrize("status", [Status.LOCKED, Status.CLOSED], ids=str)
@pytest.mark.parametrize(
    ("actor", "message"), [pytest.param(a, m, id=f"{a}-{m['type']}") for a, m in EVERY_SCALING_OP]
)
def test_a_locked_or_closed_meeting_refuses_every_scaling_op(
    status: Status, actor: str, message: dict[str, Any]
) -> None:
    board = with_status(_board("open-round"), status)
    assert_refused(board, message, actor, Closed if status is Status.CLOSED else Locked)


def test_the_51st_scale_is_too_many() -> None:
    board = new_meeting()  # the overall scale is the first of 50
    for n in range(MAX_SCALES - 1):
        board = step(board, raw("scale.add", **WORDS), "p_fac", new_id=f"s_{n}")
    assert len(board.live_scales()) == MAX_SCALES
    error = assert_refused(board, raw("scale.add", **WORDS), "p_fac", TooMany)
    assert str(MAX_SCALES) in error.message
    # Deleted scales do not count.
    board = step(board, raw("scale.delete", scale_id="s_7"), "p_fac")
    board = step(board, raw("scale.add", **WORDS), "p_fac", new_id="s_again")
    assert len(board.live_scales()) == MAX_SCALES
    assert_refused(board, raw("scale.add", **WORDS), "p_fac", TooMany)


# --- the overall scale and the vocabulary -----------------------------------------------------


@pytest.mark.parametrize(
    ("vocabulary", "low", "high"),
    [
        (
            Vocabulary.SAFETY,
            "We are sure the children will be hurt",
            "We are confident the children are safe",
        ),
        (Vocabulary.WELLBEING, "Really worried", "Not worried"),
    ],
)
def test_a_new_meeting_has_one_overall_scale(vocabulary: Vocabulary, low: str, high: str) -> None:
    scale = overall_scale(vocabulary, "s_q", T0, created_by="")
    assert scale == Scale(
        id="s_q",
        question=OVERALL_SCALE[vocabulary].question,
        low_label=low,
        high_label=high,
        created_at=T0,
        created_by="",
        card_id=None,
        overall=True,
    )
    assert scale.question.startswith("On a scale of 0 to 10")
    assert new_meeting(vocabulary).meeting.worry_threshold == DEFAULT_WORRY_THRESHOLD == 2


def _overall(board: Board) -> tuple[str, str, str]:
    scale = board.scales[OVERALL]
    return scale.question, scale.low_label, scale.high_label


def test_the_overall_scale_follows_the_vocabulary() -> None:
    board = new_meeting()
    board, changes = run(board, raw("meeting.edit", vocabulary="wellbeing"), "p_fac")
    expected = replace(
        new_meeting().scales[OVERALL],
        question=WELLBEING.question,
        low_label=WELLBEING.low_label,
        high_label=WELLBEING.high_label,
    )
    assert changes == [Change("meeting", MID, board.meeting), Change("scale", OVERALL, expected)]
    assert board.meeting.vocabulary is Vocabulary.WELLBEING
    assert board.scales[OVERALL] == expected
    board, changes = run(board, raw("meeting.edit", vocabulary="safety"), "p_fac")
    assert [c.entity for c in changes] == ["meeting", "scale"]
    assert _overall(board) == (SAFETY.question, SAFETY.low_label, SAFETY.high_label)


@pytest.mark.parametrize(
    "reword",
    [{"question": "Where are we today?"}, {"low_label": "Very unsafe"}, {"high_label": "Safe"}],
    ids=["question", "low_label", "high_label"],
)
def test_a_reworded_overall_scale_keeps_its_words(reword: dict[str, str]) -> None:
    board = step(new_meeting(), raw("scale.edit", scale_id=OVERALL, **reword), "p_fac")
    before = _overall(board)
    board, changes = run(board, raw("meeting.edit", vocabulary="wellbeing"), "p_fac")
    assert [c.entity for c in changes] == ["meeting"]
    assert _overall(board) == before


def test_only_the_overall_scale_follows_the_vocabulary() -> None:
    same_words = {
        "question": SAFETY.question,
        "low_label": SAFETY.low_label,
        "high_label": SAFETY.high_label,
    }
    board = step(new_meeting(), raw("scale.add", **same_words, scale_id="s_copy"), "p_fac")
    board, changes = run(board, raw("meeting.edit", vocabulary="wellbeing"), "p_fac")
    assert [(c.entity, c.id) for c in changes] == [("meeting", MID), ("scale", OVERALL)]
    assert board.scales["s_copy"].low_label == SAFETY.low_label


def test_a_deleted_overall_scale_does_not_come_back_with_the_vocabulary() -> None:
    board = step(new_meeting(), raw("scale.delete", scale_id=OVERALL), "p_fac")
    board, changes = run(board, raw("meeting.edit", vocabulary="wellbeing"), "p_fac")
    assert [c.entity for c in changes] == ["meeting"]
    assert board.live_scales() == []


@pytest.mark.parametrize(
    "message",
    [
        raw("meeting.edit", title="Review"),
        raw("meeting.edit", worry_threshold=5),
        raw("meeting.lock"),
    ],
    ids=["title", "worry_threshold", "lock"],
)
def test_a_meeting_op_without_a_vocabulary_switch_leaves_the_scales_alone(
    message: dict[str, Any],
) -> None:
    board, changes = run(new_meeting(), message, "p_fac")
    assert changes == [Change("meeting", MID, board.meeting)]


def test_a_meeting_op_without_a_vocabulary_switch_keeps_the_scale_as_it_was() -> None:
    board = new_meeting()
    for message in (raw("meeting.edit", title="Review"), raw("meeting.lock")):
        after, changes = run(board, message, "p_fac")
        assert changes[0] == Change("meeting", MID, after.meeting)
        assert after.scales == board.scales
    # A reworded overall scale is not touched at all.
    board = step(board, raw("scale.edit", scale_id=OVERALL, question=Q), "p_fac")
    after, changes = run(board, raw("meeting.edit", title="Review"), "p_fac")
    assert changes == [Change("meeting", MID, after.meeting)]


@pytest.mark.parametrize("threshold", [0, 3, 10])
def test_worry_threshold(threshold: int) -> None:
    reworded = step(new_meeting(), raw("scale.edit", scale_id=OVERALL, question=Q), "p_fac")
    board, changes = run(reworded, raw("meeting.edit", worry_threshold=threshold), "p_fac")
    assert board.meeting.worry_threshold == threshold
    assert board.meeting == replace(reworded.meeting, worry_threshold=threshold)
    assert changes == [Change("meeting", MID, board.meeting)]
    assert wire.encode_change(changes[0])["value"]["worry_threshold"] == threshold
    # The same threshold again changes nothing.
    again, no_changes = run(board, raw("meeting.edit", worry_threshold=threshold), "p_fac")
    assert (again, no_changes) == (board, [])


def test_the_default_threshold_again_changes_nothing() -> None:
    board = new_meeting()
    again, changes = run(board, raw("meeting.edit", worry_threshold=2), "p_fac")
    assert (again, changes) == (board, [])


@pytest.mark.parametrize("role", NOT_FACILITATOR, ids=str)
def test_only_the_facilitator_sets_the_worry_threshold(role: Role) -> None:
    assert_refused(new_meeting(), raw("meeting.edit", worry_threshold=5), BY_ROLE[role], Forbidden)


# --- scales -----------------------------------------------------------------------------------


def test_scale_add_returns_the_whole_scale() -> None:
    board, changes = run(new_meeting(), raw("scale.add", **WORDS), "p_fac", new_id="s_new")
    expected = Scale(
        id="s_new",
        question=Q,
        low_label="Not safe",
        high_label="Safe",
        created_at=T1,
        created_by="p_fac",
        card_id=None,
        overall=False,
    )
    assert changes == [Change("scale", "s_new", expected)]
    assert board.scales["s_new"] == expected
    assert [s.id for s in board.live_scales()] == [OVERALL, "s_new"]
    encoded = wire.encode_change(changes[0])
    assert (encoded["entity"], encoded["id"]) == ("scale", "s_new")
    assert "deleted" not in encoded["value"]  # participants never see a tombstone flag
    documented = {k: encoded["value"][k] for k in SCALE_KEYS}
    assert documented == {
        "id": "s_new",
        "question": Q,
        "low_label": "Not safe",
        "high_label": "Safe",
        "created_at": T1,
        "created_by": "p_fac",
        "card_id": None,
        "overall": False,
    }


def test_scale_add_with_its_own_id_about_a_worry_statement() -> None:
    message = raw("scale.add", **WORDS, scale_id="s_dad", card_id="c_worry")
    board, changes = run(new_meeting(), message, "p_fac", new_id="s_unused")
    assert [(c.entity, c.id) for c in changes] == [("scale", "s_dad")]
    assert board.scales["s_dad"].card_id == "c_worry"
    assert "s_unused" not in board.scales


def test_scale_add_without_any_id_is_invalid() -> None:
    _, op = ops.parse_op(raw("scale.add", **WORDS))
    with pytest.raises(Invalid):
        ops.apply(new_meeting(), op, Context("p_fac", T1, ""))


def test_scale_edit() -> None:
    message = raw("scale.edit", scale_id=OVERALL, question=Q, high_label="All good")
    board, changes = run(new_meeting(), message, "p_fac")
    expected = replace(new_meeting().scales[OVERALL], question=Q, high_label="All good")
    assert changes == [Change("scale", OVERALL, expected)]
    assert board.scales[OVERALL] == expected
    assert expected.overall and expected.low_label == SAFETY.low_label


def test_scale_edit_without_a_difference_changes_nothing() -> None:
    board = new_meeting()
    message = raw("scale.edit", scale_id=OVERALL, low_label=SAFETY.low_label)
    assert run(board, message, "p_fac") == (board, [])


def test_scale_delete_leaves_a_tombstone() -> None:
    board, changes = run(new_meeting(), raw("scale.delete", scale_id=OVERALL), "p_fac")
    assert changes == [Change("scale", OVERALL, None, deleted=True)]
    assert board.scales[OVERALL].deleted
    assert board.live_scales() == []
    assert wire.encode_change(changes[0]) == {"entity": "scale", "id": OVERALL, "deleted": True}


def test_scale_delete_drops_an_open_rounds_numbers_unseen() -> None:
    board = with_votes()
    keys = sorted(board.ballots)
    assert len(keys) == 3
    board, changes = run(board, raw("scale.delete", scale_id=OVERALL), "p_fac")
    assert changes[0] == Change("scale", OVERALL, None, deleted=True)
    assert sorted(c.id for c in changes[1:]) == keys
    assert all(c.entity == "ballot" and c.secret and c.deleted for c in changes[1:])
    assert all(c.value is None for c in changes[1:])
    assert dict(board.ballots) == {}
    assert board.rounds["r_1"].votes == ()  # nobody's number was revealed
    assert wire.encode_board(board)["rounds"] == []


def test_scale_delete_leaves_other_scales_ballots() -> None:
    board = step(new_meeting(), raw("scale.add", **WORDS, scale_id="s_b"), "p_fac")
    board = step(board, raw("round.open", scale_id="s_b"), "p_fac", new_id="r_b")
    board = step(board, vote("s_b", 4), "p_mum")
    board = with_votes(board)
    board = step(board, raw("scale.delete", scale_id=OVERALL), "p_fac")
    assert list(board.ballots) == ["r_b/p_mum"]


# --- rounds and votes -------------------------------------------------------------------------


def test_round_open_starts_round_one() -> None:
    board, changes = run(new_meeting(), raw("round.open", scale_id=OVERALL), "p_fac", new_id="r_1")
    expected = Round("r_1", OVERALL, 1, RoundStatus.OPEN, opened_at=T1, opened_by="p_fac")
    assert changes == [Change("round", "r_1", expected)]
    assert board.open_round(OVERALL) == expected
    assert wire.encode_change(changes[0]) == {
        "entity": "round",
        "id": "r_1",
        "value": {
            "id": "r_1",
            "scale_id": OVERALL,
            "number": 1,
            "status": "open",
            "opened_at": T1,
            "opened_by": "p_fac",
            "revealed_at": None,
            "answered": [],
            "votes": [],
            "left_out": [],
            "likely_duplicates": [],
        },
    }


def test_round_open_needs_a_new_round_id() -> None:
    board = with_open_round()
    board = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac")
    for used in ("r_1", ""):
        with pytest.raises(Invalid):
            run(board, raw("round.open", scale_id=OVERALL), "p_fac", new_id=used)


@pytest.mark.parametrize("role", VOTERS, ids=str)
def test_every_role_but_the_viewer_votes(role: Role) -> None:
    pid = BY_ROLE[role]
    name = PEOPLE[pid][0]
    board, changes = run(with_open_round(), vote(value=6, reason="Because"), pid, now=T2)
    answered = (Answered(pid, name, role, None),)
    ballot = Vote(pid, name, role, 6, T2, "Because", None)
    round_ = replace(with_open_round().rounds["r_1"], answered=answered)
    assert changes == [Change("round", "r_1", round_), Change("ballot", f"r_1/{pid}", ballot)]
    assert [c.secret for c in changes] == [False, True]
    assert changes[0].value.votes == ()  # type: ignore[union-attr]
    assert dict(board.ballots) == {f"r_1/{pid}": ballot}
    assert board.rounds["r_1"] == round_


def test_the_round_change_of_a_vote_says_who_answered_but_never_what() -> None:
    board = with_open_round()
    board, changes = run(board, vote(value=7, reason="REASON-ALPHA"), "p_mum")
    public = [wire.encode_change(c) for c in changes if not c.secret]
    assert public == [
        {
            "entity": "round",
            "id": "r_1",
            "value": {
                "id": "r_1",
                "scale_id": OVERALL,
                "number": 1,
                "status": "open",
                "opened_at": T1,
                "opened_by": "p_fac",
                "revealed_at": None,
                "answered": [
                    {
                        "voter": "p_mum",
                        "name": "Sam",
                        "role": "parent",
                        "recorded_by": None,
                        "device": None,
                        "unconfirmed": False,
                        "group": "family",
                    }
                ],
                "votes": [],
                "left_out": [],
                "likely_duplicates": [],
            },
        }
    ]
    assert_no_numbers(public)
    (secret,) = [c for c in changes if c.secret]
    with pytest.raises(ValueError):
        wire.encode_change(secret)


def test_a_second_vote_replaces_the_first() -> None:
    board = with_votes()
    board, changes = run(board, vote(value=2, reason="Changed my mind"), "p_mum", now=T2)
    ballots = board.round_ballots("r_1")
    assert len(ballots) == 3
    assert board.ballots["r_1/p_mum"] == Vote("p_mum", "Sam", Role.PARENT, 2, T2, "Changed my mind")
    answered = board.rounds["r_1"].answered
    assert [a.voter for a in answered] == ["p_gran", "behalf:grandad|network", "p_mum"]
    assert [(c.entity, c.id) for c in changes] == [("round", "r_1"), ("ballot", "r_1/p_mum")]
    # A re-cast without a reason clears the old one.
    board = step(board, vote(value=8), "p_mum", now=T3)
    assert board.ballots["r_1/p_mum"] == Vote("p_mum", "Sam", Role.PARENT, 8, T3, None)
    assert sum(a.voter == "p_mum" for a in board.rounds["r_1"].answered) == 1


def test_a_vote_on_behalf_is_recorded_by_the_facilitator() -> None:
    board = with_open_round()
    behalf = {"name": "Grandad", "role": "network"}
    board, changes = run(board, vote(value=9, reason="Ok", on_behalf_of=behalf), "p_fac", now=T2)
    key = "behalf:grandad|network"
    ballot = Vote(key, "Grandad", Role.NETWORK, 9, T2, "Ok", "p_fac")
    assert board.ballots == {f"r_1/{key}": ballot}
    assert board.rounds["r_1"].answered == (Answered(key, "Grandad", Role.NETWORK, "p_fac"),)
    assert [c.id for c in changes] == ["r_1", f"r_1/{key}"]
    _, op = ops.parse_op(vote(value=9, on_behalf_of=behalf))
    # What the ack carries.
    assert scaling.cast_ballot(board, op, "p_fac") == (board.rounds["r_1"], ballot)


def test_recording_the_same_name_and_role_again_replaces_it() -> None:
    board = with_votes()
    again = {"name": "  GRANDAD ", "role": "network"}
    board = step(board, vote(value=1, on_behalf_of=again), "p_fac", now=T2)
    key = "r_1/behalf:grandad|network"
    assert board.ballots[key] == Vote(
        "behalf:grandad|network", "GRANDAD", Role.NETWORK, 1, T2, None, "p_fac"
    )
    assert len(board.round_ballots("r_1")) == 3
    voters = [a.voter for a in board.rounds["r_1"].answered]
    assert voters == ["p_mum", "p_gran", "behalf:grandad|network"]
    # The same name in another role is another person.
    board = step(board, vote(value=4, on_behalf_of={"name": "Grandad", "role": "parent"}), "p_fac")
    assert "r_1/behalf:grandad|parent" in board.ballots
    assert len(board.round_ballots("r_1")) == 4
    # The facilitator's own vote is apart from the ones they record.
    board = step(board, vote(value=5), "p_fac")
    assert board.ballots["r_1/p_fac"].recorded_by is None
    assert len(board.round_ballots("r_1")) == 5


def test_cast_ballot_is_the_callers_own() -> None:
    board = with_votes()
    _, own = ops.parse_op(vote(value=7))
    round_ = board.rounds["r_1"]
    assert scaling.cast_ballot(board, own, "p_mum") == (round_, board.ballots["r_1/p_mum"])
    assert scaling.cast_ballot(board, own, "p_gran") == (round_, board.ballots["r_1/p_gran"])
    assert scaling.cast_ballot(board, own, "p_kid") is None  # has not voted
    assert scaling.cast_ballot(board, own, "p_nobody") is None
    revealed = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac")
    assert scaling.cast_ballot(revealed, own, "p_mum") is None


def test_reveal_shows_every_vote_in_answered_order_and_closes_the_round() -> None:
    board = with_votes()
    board = step(board, vote(value=6, reason="REASON-ALPHA-2"), "p_mum", now=T2)  # Sam last now
    keys = sorted(board.ballots)
    board, changes = run(board, raw("round.reveal", scale_id=OVERALL), "p_fac", now=T3)
    round_ = board.rounds["r_1"]
    assert round_.status is RoundStatus.REVEALED
    assert round_.revealed_at == T3
    assert board.open_round(OVERALL) is None
    assert [(v.voter, v.value, v.reason) for v in round_.votes] == [
        ("p_gran", 3, "REASON-BRAVO"),
        ("behalf:grandad|network", 9, "REASON-CHARLIE"),
        ("p_mum", 6, "REASON-ALPHA-2"),
    ]
    assert round_.votes[1].recorded_by == "p_fac"
    assert dict(board.ballots) == {}
    assert changes[0] == Change("round", "r_1", round_)
    assert sorted(c.id for c in changes[1:]) == keys
    assert all(c.entity == "ballot" and c.secret and c.deleted for c in changes[1:])
    encoded = wire.encode_change(changes[0])["value"]
    assert encoded["status"] == "revealed"
    assert [v["value"] for v in encoded["votes"]] == [3, 9, 6]
    assert [(v["name"], v["role"]) for v in encoded["votes"]] == [
        ("Gran", "network"),
        ("Grandad", "network"),
        ("Sam", "parent"),
    ]
    assert encoded["summary"] == {
        "groups": [
            {"group": "family", "median": 6, "count": 1},
            {"group": "network", "median": 6, "count": 2},
        ],
        "gap": 0,
        "lowest": 3,
        "highest": 9,
        "words": "Family 6, network 6: a gap of 0",
    }
    # Once revealed, voting and revealing again are refused.
    assert_refused(board, vote(), "p_kid", RoundClosed)
    assert_refused(board, raw("round.reveal", scale_id=OVERALL), "p_fac", RoundClosed)


def test_an_empty_round_can_be_revealed() -> None:
    board, changes = run(with_open_round(), raw("round.reveal", scale_id=OVERALL), "p_fac")
    assert board.rounds["r_1"].votes == ()
    assert [c.entity for c in changes] == ["round"]
    summary = wire.encode_change(changes[0])["value"]["summary"]
    assert summary == {"groups": [], "gap": None, "lowest": None, "highest": None, "words": ""}


def test_a_second_round_is_number_two_and_leaves_the_first_alone() -> None:
    board = step(with_votes(), raw("round.reveal", scale_id=OVERALL), "p_fac", now=T2)
    first = board.rounds["r_1"]
    board, changes = run(board, raw("round.open", scale_id=OVERALL), "p_fac", now=T3, new_id="r_2")
    assert changes == [
        Change("round", "r_2", Round("r_2", OVERALL, 2, RoundStatus.OPEN, T3, "p_fac"))
    ]
    board = step(board, vote(value=10, reason="Better now"), "p_mum")
    assert board.rounds["r_1"] == first
    assert list(board.ballots) == ["r_2/p_mum"]
    assert board.open_round(OVERALL).id == "r_2"  # type: ignore[union-attr]
    board = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac")
    board = step(board, raw("round.open", scale_id=OVERALL), "p_fac", new_id="r_3")
    assert [r.number for r in board.scale_rounds(OVERALL)] == [1, 2, 3]
    assert board.rounds["r_1"] == first
    assert [v.value for v in board.rounds["r_2"].votes] == [10]
    encoded = wire.encode_board(board)["rounds"]
    assert [(r["id"], r["number"], r["status"]) for r in encoded] == [
        ("r_1", 1, "revealed"),
        ("r_2", 2, "revealed"),
        ("r_3", 3, "open"),
    ]


def test_rounds_on_two_scales_are_apart() -> None:
    board = step(new_meeting(), raw("scale.add", **WORDS, scale_id="s_b"), "p_fac")
    board = step(board, raw("round.open", scale_id="s_b"), "p_fac", new_id="r_b")
    board = with_votes(board)
    board = step(board, vote("s_b", 1), "p_mum")
    assert board.ballots["r_b/p_mum"].value == 1
    assert board.ballots["r_1/p_mum"].value == 7
    board = step(board, raw("round.reveal", scale_id="s_b"), "p_fac")
    assert [v.value for v in board.rounds["r_b"].votes] == [1]
    assert board.rounds["r_1"].status is RoundStatus.OPEN
    assert len(board.round_ballots("r_1")) == 3 and len(board.ballots) == 3


def test_refused_scaling_ops_leave_the_board_exactly_as_it_was() -> None:
    board = with_votes()
    for message, actor in (
        (vote(value=11), "p_mum"),
        (vote(), "p_tv"),
        (raw("round.open", scale_id=OVERALL), "p_fac"),
        (raw("round.reveal", scale_id=OVERALL), "p_mum"),
    ):
        with pytest.raises(KinboardError):
            run(board, message, actor)
        assert len(board.ballots) == 3
        assert board.rounds["r_1"].status is RoundStatus.OPEN


# --- the summary ------------------------------------------------------------------------------


def votes_of(*pairs: tuple[Role, int]) -> tuple[Vote, ...]:
    return tuple(Vote(f"p_{n}", f"P{n}", role, value, T1) for n, (role, value) in enumerate(pairs))


F, C, N, P, X = Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL, Role.FACILITATOR

SUMMARIES = [
    (
        "the-protocol-example",
        votes_of((F, 6), (C, 8), (N, 6), (P, 2), (X, 4)),
        [("family", 7, 2), ("network", 6, 1), ("professionals", 3, 2)],
        4,
        (2, 8),
        "Family 7, network 6, professionals 3: a gap of 4",
    ),
    (
        "odd-counts",
        votes_of((F, 1), (C, 9), (F, 5), (N, 2), (N, 3), (N, 10), (P, 0)),
        [("family", 5, 3), ("network", 3, 3), ("professionals", 0, 1)],
        5,
        (0, 10),
        "Family 5, network 3, professionals 0: a gap of 5",
    ),
    (
        "even-counts-give-halves",
        votes_of((F, 5), (C, 6), (P, 3)),
        [("family", 5.5, 2), ("professionals", 3, 1)],
        2.5,
        (3, 6),
        "Family 5.5, professionals 3: a gap of 2.5",
    ),
    (
        "halves-that-cancel",
        votes_of((F, 6), (F, 7), (X, 3), (P, 4)),
        [("family", 6.5, 2), ("professionals", 3.5, 2)],
        3,
        (3, 7),
        "Family 6.5, professionals 3.5: a gap of 3",
    ),
    (
        "one-group-only-has-no-gap-words",
        votes_of((N, 4), (N, 8), (N, 9)),
        [("network", 8, 3)],
        0,
        (4, 9),
        "Network 8",
    ),
    (
        "the-facilitator-alone",
        votes_of((X, 10)),
        [("professionals", 10, 1)],
        0,
        (10, 10),
        "Professionals 10",
    ),
    ("empty", (), [], None, (None, None), ""),
    (
        "ties",
        votes_of((P, 5), (N, 5), (C, 5)),
        [("family", 5, 1), ("network", 5, 1), ("professionals", 5, 1)],
        0,
        (5, 5),
        "Family 5, network 5, professionals 5: a gap of 0",
    ),
    (
        "two-groups-order-fixed",
        votes_of((P, 9), (C, 1)),
        [("family", 1, 1), ("professionals", 9, 1)],
        8,
        (1, 9),
        "Family 1, professionals 9: a gap of 8",
    ),
]


@pytest.mark.parametrize(
    ("votes", "groups", "gap", "extremes", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in SUMMARIES],
)
def test_summarise(
    votes: tuple[Vote, ...],
    groups: list[tuple[str, float, int]],
    gap: float | None,
    extremes: tuple[int | None, int | None],
    words: str,
) -> None:
    summary = summarise(votes)
    assert summary == {
        "groups": [{"group": g, "median": m, "count": n} for g, m, n in groups],
        "gap": gap,
        "lowest": extremes[0],
        "highest": extremes[1],
        "words": words,
    }
    # Whole medians and gaps are ints on the wire ("7", not "7.0").
    for group in summary["groups"]:
        assert type(group["median"]) is (int if float(group["median"]).is_integer() else float)
    json.dumps(summary)
