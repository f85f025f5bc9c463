"""The plan, the decision and minutes, in the pure core: who and when on plan cards,
decision.set, minutes.take / sign / agree with every refusal, frozen minutes and their hash,
and a review meeting's first board.

Table-driven: each case names the op, who sends it and what must come back.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest

from server.board import minutes, ops, storage, wire
from server.board.cards import CardAdd, CardEdit
from server.board.errors import Closed, Forbidden, Invalid, KinboardError, Locked, NotFound, TooLong
from server.board.limits import MAX_LABEL, MAX_NOTE, MAX_OWNER, MAX_REASON
from server.board.meeting import ParticipantJoin
from server.board.minutes import (
    DecisionSet,
    MinutesAgree,
    MinutesSign,
    MinutesTake,
)
from server.board.minutes_content import canonical, digest, snapshot_content
from server.board.model import Board, Kind, Meeting, MinutesStatus, Outcome, Stance, Status
from server.board.ops import Context
from server.board.review import review_board
from server.board.roles import Role
from server.board.scaling_model import RoundStatus
from server.board.template import COLUMNS, OUTCOME_LABELS, SECTIONS, TIMED_SECTIONS
from tests.support.boards import BY_ROLE, MID, PEOPLE, T0, T1, raw, run, with_status
from tests.support.minutes import (
    CARDS,
    LATER,
    OVERALL,
    PLAN_SECTIONS,
    T2,
    T3,
    TITLE,
    content_of,
    meeting_board,
    new_board,
    records,
    step,
    taken,
)

SIGNERS = [Role.FACILITATOR, Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL]


NOT_FACILITATOR = [Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL, Role.VIEWER]


UNTIMED_SECTIONS = sorted(set(SECTIONS) - TIMED_SECTIONS)


def assert_refused(
    board: Board, message: dict[str, Any], actor: str, error: type[KinboardError]
) -> KinboardError:
    before = records(board)
    snapshots = dict(board.snapshots)
    with pytest.raises(KinboardError) as caught:
        run(board, message, actor)
    assert type(caught.value) is error, caught.value
    assert caught.value.code == error.code
    assert caught.value.message
    assert records(board) == before and dict(board.snapshots) == snapshots
    return caught.value


def all_cards(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        card
        for column in content["columns"]
        for section in column["sections"]
        for card in section["cards"]
    ]


# --- parsing ----------------------------------------------------------------------------------

PARSE_REFUSALS = [
    # decision.set
    ("decision-no-outcome", raw("decision.set"), Invalid),
    ("decision-bad-outcome", raw("decision.set", outcome="maybe"), Invalid),
    ("decision-outcome-label", raw("decision.set", outcome="Step down"), Invalid),
    ("decision-outcome-null", raw("decision.set", outcome=None), Invalid),
    ("decision-outcome-number", raw("decision.set", outcome=1), Invalid),
    (
        "decision-review-not-a-date",
        raw("decision.set", outcome="close", next_review="soon"),
        Invalid,
    ),
    (
        "decision-review-feb-30",
        raw("decision.set", outcome="close", next_review="2027-02-30"),
        Invalid,
    ),
    (
        "decision-review-uk-date",
        raw("decision.set", outcome="close", next_review="01/03/2027"),
        Invalid,
    ),
    ("decision-review-number", raw("decision.set", outcome="close", next_review=20270301), Invalid),
    (
        "decision-note-too-long",
        raw("decision.set", outcome="close", note="n" * (MAX_NOTE + 1)),
        TooLong,
    ),
    ("decision-note-number", raw("decision.set", outcome="close", note=5), Invalid),
    ("decision-unknown-field", raw("decision.set", outcome="close", by="p_fac"), Invalid),
    # minutes.take
    ("take-label-too-long", raw("minutes.take", label="L" * (MAX_LABEL + 1)), TooLong),
    ("take-label-number", raw("minutes.take", label=1), Invalid),
    ("take-unknown-field", raw("minutes.take", number=1), Invalid),
    ("take-with-content", raw("minutes.take", content={"cards": []}), Invalid),
    # minutes.sign
    ("sign-no-number", raw("minutes.sign", stance="agree"), Invalid),
    ("sign-number-zero", raw("minutes.sign", minutes=0, stance="agree"), Invalid),
    ("sign-number-negative", raw("minutes.sign", minutes=-1, stance="agree"), Invalid),
    ("sign-number-string", raw("minutes.sign", minutes="1", stance="agree"), Invalid),
    ("sign-number-float", raw("minutes.sign", minutes=1.0, stance="agree"), Invalid),
    ("sign-number-true", raw("minutes.sign", minutes=True, stance="agree"), Invalid),
    ("sign-number-null", raw("minutes.sign", minutes=None, stance="agree"), Invalid),
    ("sign-no-stance", raw("minutes.sign", minutes=1), Invalid),
    ("sign-bad-stance", raw("minutes.sign", minutes=1, stance="abstain"), Invalid),
    ("sign-stance-null", raw("minutes.sign", minutes=1, stance=None), Invalid),
    ("sign-disagree-no-reason", raw("minutes.sign", minutes=1, stance="disagree"), Invalid),
    (
        "sign-disagree-null-reason",
        raw("minutes.sign", minutes=1, stance="disagree", reason=None),
        Invalid,
    ),
    (
        "sign-disagree-blank-reason",
        raw("minutes.sign", minutes=1, stance="disagree", reason=" \n\t "),
        Invalid,
    ),
    (
        "sign-reason-too-long",
        raw("minutes.sign", minutes=1, stance="disagree", reason="r" * (MAX_REASON + 1)),
        TooLong,
    ),
    ("sign-reason-number", raw("minutes.sign", minutes=1, stance="agree", reason=3), Invalid),
    ("sign-unknown-field", raw("minutes.sign", minutes=1, stance="agree", name="Sam"), Invalid),
    # minutes.agree
    ("agree-no-number", raw("minutes.agree"), Invalid),
    ("agree-number-zero", raw("minutes.agree", minutes=0), Invalid),
    ("agree-number-string", raw("minutes.agree", minutes="1"), Invalid),
    ("agree-unknown-field", raw("minutes.agree", minutes=1, status="agreed"), Invalid),
    # owner and due
    (
        "add-owner-too-long",
        raw("card.add", section="plan_rules", text="x", owner="O" * 81),
        TooLong,
    ),
    ("add-owner-number", raw("card.add", section="plan_rules", text="x", owner=7), Invalid),
    ("add-due-not-a-date", raw("card.add", section="next_steps", text="x", due="Friday"), Invalid),
    (
        "add-due-month-13",
        raw("card.add", section="next_steps", text="x", due="2026-13-01"),
        Invalid,
    ),
    ("add-due-feb-30", raw("card.add", section="next_steps", text="x", due="2026-02-30"), Invalid),
    ("add-due-short", raw("card.add", section="next_steps", text="x", due="2026-1-1"), Invalid),
    ("add-due-uk", raw("card.add", section="next_steps", text="x", due="31/12/2026"), Invalid),
    ("add-due-datetime", raw("card.add", section="next_steps", text="x", due=T0), Invalid),
    ("add-due-empty", raw("card.add", section="next_steps", text="x", due=""), Invalid),
    ("add-due-number", raw("card.add", section="next_steps", text="x", due=20261231), Invalid),
    ("edit-owner-too-long", raw("card.edit", card_id="c1", owner="O" * 81), TooLong),
    ("edit-due-bad", raw("card.edit", card_id="c1", due="2026-12-32"), Invalid),
]


@pytest.mark.parametrize(
    ("message", "error"), [pytest.param(m, e, id=i) for i, m, e in PARSE_REFUSALS]
)
def test_parse_op_refuses(message: dict[str, Any], error: type[KinboardError]) -> None:
    with pytest.raises(KinboardError) as caught:
        ops.parse_op(message)
    assert type(caught.value) is error, caught.value
    assert caught.value.code == error.code
    assert caught.value.message


@pytest.mark.parametrize("field", ["due", "next_review"])
def test_a_week_date_is_not_a_yyyy_mm_dd_date(field: str) -> None:
    if field == "due":
        message = raw("card.add", section="next_steps", text="x", due="2026-W01-1")
    else:
        message = raw("decision.set", outcome="close", next_review="2026-W01-1")
    with pytest.raises(Invalid):
        ops.parse_op(message)


PARSED = [
    ("decision-minimal", raw("decision.set", outcome="close"), DecisionSet(Outcome.CLOSE)),
    (
        "decision-everything",
        raw("decision.set", outcome="step_down", next_review="2027-03-01", note="  Well  done "),
        DecisionSet(Outcome.STEP_DOWN, "2027-03-01", "Well done"),
    ),
    (
        "decision-nulls",
        raw("decision.set", outcome="escalate", next_review=None, note=None),
        DecisionSet(Outcome.ESCALATE),
    ),
    (
        "decision-note-at-limit",
        raw("decision.set", outcome="continue", note="n" * MAX_NOTE),
        DecisionSet(Outcome.CONTINUE, note="n" * MAX_NOTE),
    ),
    ("take-no-label", raw("minutes.take"), MinutesTake()),
    ("take-label", raw("minutes.take", label="  Part   one "), MinutesTake("Part one")),
    ("take-blank-label", raw("minutes.take", label="   "), MinutesTake(None)),
    (
        "take-label-at-limit",
        raw("minutes.take", label="L" * MAX_LABEL),
        MinutesTake("L" * MAX_LABEL),
    ),
    ("sign-agree", raw("minutes.sign", minutes=1, stance="agree"), MinutesSign(1, Stance.AGREE)),
    (
        "sign-agree-with-reason",
        raw("minutes.sign", minutes=3, stance="agree", reason="Fair"),
        MinutesSign(3, Stance.AGREE, "Fair"),
    ),
    (
        "sign-disagree",
        raw("minutes.sign", minutes=2, stance="disagree", reason=" Dad was not asked "),
        MinutesSign(2, Stance.DISAGREE, "Dad was not asked"),
    ),
    (
        "sign-reason-at-limit",
        raw("minutes.sign", minutes=1, stance="disagree", reason="r" * MAX_REASON),
        MinutesSign(1, Stance.DISAGREE, "r" * MAX_REASON),
    ),
    ("agree", raw("minutes.agree", minutes=12), MinutesAgree(12)),
    (
        "add-owner-due",
        raw("card.add", section="plan_rules", text="x", owner=" Sam ", due="2026-12-31"),
        CardAdd("plan_rules", "x", owner="Sam", due="2026-12-31"),
    ),
    (
        "edit-clear-owner-due",
        raw("card.edit", card_id="c1", owner=None, due=None),
        CardEdit("c1", owner=None, due=None),
    ),
]


@pytest.mark.parametrize(("message", "expected"), [pytest.param(m, e, id=i) for i, m, e in PARSED])
def test_parse_op_accepts(message: dict[str, Any], expected: Any) -> None:
    assert ops.parse_op(message) == ("o_k2m9", expected)


def test_every_minutes_op_type_is_known() -> None:
    assert {"decision.set", "minutes.take", "minutes.sign", "minutes.agree"} <= set(ops.OP_TYPES)


# --- who and when: owner and due on plan cards and next steps ------------------------------


def test_the_timed_sections_are_the_plan_next_steps_and_goals() -> None:
    assert PLAN_SECTIONS == [
        "plan_rules",
        "plan_helpers",
        "plan_warning_signs",
        "plan_difficult",
        "plan_working",
    ]
    assert set(PLAN_SECTIONS) | {"next_steps", "goals"} == TIMED_SECTIONS
    assert wire.encode_template(link_days=7)["timed_sections"] == sorted(TIMED_SECTIONS)


@pytest.mark.parametrize("section", sorted(TIMED_SECTIONS))
@pytest.mark.parametrize("role", SIGNERS)
def test_card_add_in_a_timed_section_keeps_who_and_when(section: str, role: Role) -> None:
    board, changes = run(
        new_board(),
        raw("card.add", section=section, text="Call Gran", owner="O" * MAX_OWNER, due="2026-12-31"),
        BY_ROLE[role],
        new_id="c_t",
    )
    card = board.cards["c_t"]
    assert (card.section, card.owner, card.due) == (section, "O" * MAX_OWNER, "2026-12-31")
    assert [(c.entity, c.id) for c in changes] == [("card", "c_t")]
    encoded = wire.encode_change(changes[0])["value"]
    assert (encoded["owner"], encoded["due"], encoded["from_last_meeting"]) == (
        "O" * MAX_OWNER,
        "2026-12-31",
        False,
    )


@pytest.mark.parametrize("section", UNTIMED_SECTIONS)
@pytest.mark.parametrize("field", [{"owner": "Sam"}, {"due": "2026-12-31"}])
def test_card_add_elsewhere_refuses_who_and_when(section: str, field: dict[str, str]) -> None:
    message = raw("card.add", section=section, text="Leo was hurt", **field)
    error = assert_refused(new_board(), message, "p_mum", Invalid)
    assert "next steps and the plan" in error.message


@pytest.mark.parametrize("section", UNTIMED_SECTIONS)
@pytest.mark.parametrize("field", [{"owner": "Sam"}, {"due": "2026-12-31"}])
def test_card_edit_elsewhere_refuses_who_and_when(section: str, field: dict[str, str]) -> None:
    board = step(new_board(), raw("card.add", section=section, text="A worry"), new_id="c_w")
    assert_refused(board, raw("card.edit", card_id="c_w", **field), "p_fac", Invalid)


def test_an_owner_on_a_worry_card_is_invalid() -> None:
    board = step(
        new_board(), raw("card.add", section="danger", text="Leo may be hit"), new_id="c_w"
    )
    assert_refused(board, raw("card.edit", card_id="c_w", owner="Dad"), "p_fac", Invalid)
    assert_refused(
        board, raw("card.add", section="danger", text="x", owner="Dad"), "p_fac", Invalid
    )


@pytest.mark.parametrize("section", sorted(TIMED_SECTIONS))
def test_card_edit_sets_and_clears_who_and_when(section: str) -> None:
    board = step(
        new_board(), raw("card.add", section=section, text="Call Gran"), "p_mum", new_id="c_t"
    )
    assert (board.cards["c_t"].owner, board.cards["c_t"].due) == (None, None)
    board, changes = run(board, raw("card.edit", card_id="c_t", owner="Sam"), "p_mum", now=T2)
    assert (board.cards["c_t"].owner, board.cards["c_t"].due) == ("Sam", None)
    assert (board.cards["c_t"].updated_at, board.cards["c_t"].updated_by) == (T2, "p_mum")
    assert len(changes) == 1
    board = step(board, raw("card.edit", card_id="c_t", due="2027-01-02"), "p_fac")
    assert (board.cards["c_t"].owner, board.cards["c_t"].due) == ("Sam", "2027-01-02")
    assert board.cards["c_t"].text == "Call Gran"
    board = step(board, raw("card.edit", card_id="c_t", owner=None, due=None), "p_mum")
    assert (board.cards["c_t"].owner, board.cards["c_t"].due) == (None, None)


def test_card_edit_of_who_and_when_is_for_the_author_or_the_facilitator() -> None:
    board = step(
        new_board(), raw("card.add", section="plan_rules", text="x"), "p_mum", new_id="c_t"
    )
    assert_refused(board, raw("card.edit", card_id="c_t", owner="Gran"), "p_gran", Forbidden)
    assert_refused(board, raw("card.edit", card_id="c_t", due="2026-12-31"), "p_tv", Forbidden)


def test_the_same_who_and_when_again_changes_nothing() -> None:
    board = step(
        new_board(),
        raw("card.add", section="next_steps", text="x", owner="Sam", due="2026-12-31"),
        new_id="c_t",
    )
    after, changes = run(
        board, raw("card.edit", card_id="c_t", owner="Sam", due="2026-12-31"), "p_fac"
    )
    assert changes == [] and after.cards == board.cards


@pytest.mark.parametrize("target", UNTIMED_SECTIONS)
def test_moving_a_plan_card_out_of_the_timed_sections_clears_who_and_when(target: str) -> None:
    board = step(
        new_board(),
        raw("card.add", section="plan_rules", text="x", owner="Sam", due="2026-12-31"),
        new_id="c_t",
    )
    board, changes = run(
        board, raw("card.move", card_id="c_t", section=target, after=None), "p_gran"
    )
    card = board.cards["c_t"]
    assert (card.section, card.owner, card.due) == (target, None, None)
    assert wire.encode_change(changes[0])["value"]["owner"] is None


@pytest.mark.parametrize("target", sorted(TIMED_SECTIONS - {"plan_rules"}))
def test_moving_between_timed_sections_keeps_who_and_when(target: str) -> None:
    board = step(
        new_board(),
        raw("card.add", section="plan_rules", text="x", owner="Sam", due="2026-12-31"),
        new_id="c_t",
    )
    board = step(board, raw("card.move", card_id="c_t", section=target, after=None), "p_gran")
    card = board.cards["c_t"]
    assert (card.section, card.owner, card.due) == (target, "Sam", "2026-12-31")


def to(section: str) -> dict[str, Any]:
    return raw("card.move", card_id="c_t", section=section, after=None)


# (what happens to Sam's plan step, added to plan_rules with who "Sam" and by "2026-12-31"
# by Gran; the card's (section, owner, due) after it).
OUT_AND_BACK = {
    "out-and-back": ([to("harm"), to("plan_rules")], ("plan_rules", "Sam", "2026-12-31")),
    "back-to-another-timed-section": (
        [to("strengths"), to("next_steps")],
        ("next_steps", "Sam", "2026-12-31"),
    ),
    "round-the-map-first": (
        [to("harm"), to("danger"), to("goals"), to("plan_helpers")],
        ("plan_helpers", "Sam", "2026-12-31"),
    ),
    "reworded-while-out": (
        [to("danger"), raw("card.edit", card_id="c_t", text="Reworded"), to("plan_rules")],
        ("plan_rules", "Sam", "2026-12-31"),
    ),
    "out-back-and-out-again": (
        [to("harm"), to("plan_rules"), to("goals"), to("plan_difficult")],
        ("plan_difficult", "Sam", "2026-12-31"),
    ),
    "changed-when-back": (
        [
            to("harm"),
            to("plan_rules"),
            raw("card.edit", card_id="c_t", owner="Gran", due=None),
            to("harm"),
            to("next_steps"),
        ],
        ("next_steps", "Gran", None),
    ),
    "still-out": ([to("harm"), to("strengths")], ("strengths", None, None)),
}


@pytest.mark.parametrize(("moves", "expected"), OUT_AND_BACK.values(), ids=OUT_AND_BACK.keys())
def test_a_plan_card_moved_out_and_back_keeps_its_owner_and_due_date(
    moves: list[dict[str, Any]], expected: tuple[str, str | None, str | None]
) -> None:
    board = step(
        new_board(),
        raw("card.add", section="plan_rules", text="x", owner="Sam", due="2026-12-31"),
        "p_gran",
        new_id="c_t",
    )
    for message in moves:
        before = board
        board, changes = run(board, message, "p_fac")
        card = board.cards["c_t"]
        assert card.set_aside is None or (card.owner, card.due) == (None, None)
        # Another worker catching up from the change it was sent has the same card.
        sent = [wire.encode_change(change) for change in changes]
        assert storage.apply_encoded(before, sent, "p_fac", T1).cards["c_t"] == card
    card = board.cards["c_t"]
    assert (card.section, card.owner, card.due) == expected


# --- decision.set -------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(Outcome))
def test_the_facilitator_records_the_decision(outcome: Outcome) -> None:
    board, changes = run(
        new_board(),
        raw("decision.set", outcome=outcome.value, next_review="2027-03-01", note="Three months"),
        "p_fac",
        now=T2,
    )
    decision = board.decision["decision"]
    assert (decision.outcome, decision.next_review, decision.note) == (
        outcome,
        "2027-03-01",
        "Three months",
    )
    assert (decision.set_at, decision.set_by) == (T2, "p_fac")
    (change,) = changes
    assert wire.encode_change(change) == {
        "entity": "decision",
        "id": "decision",
        "value": {
            "outcome": outcome.value,
            "next_review": "2027-03-01",
            "note": "Three months",
            "set_at": T2,
            "set_by": "p_fac",
        },
    }
    assert wire.encode_board(board)["decision"]["outcome"] == outcome.value


def test_a_new_decision_replaces_the_last_and_can_clear_the_review_date() -> None:
    board = step(new_board(), raw("decision.set", outcome="continue", next_review="2027-03-01"))
    board = step(board, raw("decision.set", outcome="escalate"), now=T2)
    decision = board.decision["decision"]
    assert list(board.decision) == ["decision"]
    assert (decision.outcome, decision.next_review, decision.note, decision.set_at) == (
        Outcome.ESCALATE,
        None,
        None,
        T2,
    )


@pytest.mark.parametrize("role", NOT_FACILITATOR)
def test_only_the_facilitator_decides(role: Role) -> None:
    assert_refused(new_board(), raw("decision.set", outcome="close"), BY_ROLE[role], Forbidden)


def test_a_stranger_cannot_decide() -> None:
    assert_refused(new_board(), raw("decision.set", outcome="close"), "p_nobody", Forbidden)


def test_the_decision_is_not_set_on_a_locked_or_closed_board() -> None:
    assert_refused(new_board(Status.LOCKED), raw("decision.set", outcome="close"), "p_fac", Locked)
    assert_refused(new_board(Status.CLOSED), raw("decision.set", outcome="close"), "p_fac", Closed)


def test_the_outcomes_have_plain_words() -> None:
    assert set(OUTCOME_LABELS) == set(Outcome)
    assert {o.value for o in Outcome} == {"continue", "step_down", "close", "escalate"}
    assert wire.encode_template(link_days=7)["outcomes"] == {
        o.value: OUTCOME_LABELS[o] for o in Outcome
    }


# --- minutes.take -------------------------------------------------------------------------


def test_taking_minutes_freezes_them_as_number_1_in_draft() -> None:
    board = meeting_board()
    after, changes = run(board, raw("minutes.take", label="End of meeting"), "p_fac", now=T3)
    entry = after.minutes["1"]
    assert (entry.number, entry.label, entry.status) == (1, "End of meeting", MinutesStatus.DRAFT)
    assert (entry.taken_at, entry.taken_by, entry.signoffs) == (T3, "p_fac", ())
    assert (entry.agreed_at, entry.agreed_by) == (None, None)
    body = after.snapshots["1"].body
    assert entry.hash == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", entry.hash)
    # Canonical JSON: keys sorted, no spaces, UTF-8 as is.
    assert body == json.dumps(
        json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert [(c.entity, c.id, c.secret) for c in changes] == [
        ("minutes", "1", False),
        ("snapshot", "1", True),
    ]
    # The board itself is untouched: cards, scales, rounds, decision.
    assert (after.cards, after.scales, after.rounds, after.decision) == (
        board.cards,
        board.scales,
        board.rounds,
        board.decision,
    )


def test_minutes_are_numbered_1_2_3() -> None:
    board = taken()
    board = step(board, raw("minutes.take"), now=T3)
    board, changes = run(board, raw("minutes.take", label="After the break"), "p_fac", now=LATER)
    assert sorted(board.minutes) == ["1", "2", "3"] and sorted(board.snapshots) == ["1", "2", "3"]
    assert [board.minutes[n].number for n in ("1", "2", "3")] == [1, 2, 3]
    assert board.minutes["2"].label is None and board.minutes["3"].label == "After the break"
    assert changes[0].id == "3"
    assert content_of(board, 3)["minutes"] == {
        "number": 3,
        "label": "After the break",
        "taken_at": LATER,
    }
    # Same board, another number and time: a different record and hash.
    assert len({board.minutes[n].hash for n in ("1", "2", "3")}) == 3


@pytest.mark.parametrize("role", NOT_FACILITATOR)
def test_only_the_facilitator_takes_minutes(role: Role) -> None:
    assert_refused(meeting_board(), raw("minutes.take"), BY_ROLE[role], Forbidden)


def test_minutes_are_taken_on_a_locked_board_but_not_a_closed_one() -> None:
    board = with_status(meeting_board(), Status.LOCKED)
    after = taken(board)
    assert after.minutes["1"].number == 1 and after.meeting.status is Status.LOCKED
    assert_refused(
        with_status(meeting_board(), Status.CLOSED), raw("minutes.take"), "p_fac", Closed
    )


def test_minutes_record_the_whole_board_by_name() -> None:
    content = content_of(taken())
    assert content["meeting"] == {
        "id": MID,
        "title": TITLE,
        "kind": "initial",
        "vocabulary": "safety",
        "previous": None,
        "created_at": T0,
    }
    assert content["minutes"] == {"number": 1, "label": "End of meeting", "taken_at": T3}
    # The people there with their roles, not the meeting room screen.
    assert content["people"] == [
        {"name": name, "role": role.value, "unconfirmed": False}
        for _, (name, role) in sorted(PEOPLE.items())  # all joined at T0: then by id
        if role is not Role.VIEWER
    ]
    # Every column and section, map and plan, in template order; live cards only.
    assert [c["key"] for c in content["columns"]] == [c.key for c in COLUMNS]
    assert [c["view"] for c in content["columns"]] == ["map", "map", "map", "plan"]
    sections = [s["key"] for c in content["columns"] for s in c["sections"]]
    assert sections == list(SECTIONS)
    labels = {s["key"]: s["label"] for c in content["columns"] for s in c["sections"]}
    assert labels == {key: section.safety_label for key, section in SECTIONS.items()}
    by_id = {card["id"]: card for card in all_cards(content)}
    assert set(by_id) == set(CARDS)
    for column in content["columns"]:
        for section in column["sections"]:
            for card in section["cards"]:
                assert CARDS[card["id"]][0] == section["key"]
    for cid, (_, text, owner, due) in CARDS.items():
        assert (by_id[cid]["text"], by_id[cid]["owner"], by_id[cid]["due"]) == (text, owner, due)
        assert by_id[cid]["from_last_meeting"] is False
    assert by_id["c_harm"]["attributed_to"] == "School"
    assert (by_id["c_harm"]["added_by"], by_id["c_strength"]["added_by"]) == ("Sam", "Fatima")
    assert (by_id["c_strength"]["agree"], by_id["c_strength"]["disagree"]) == (
        ["Gran"],
        ["Jo from school"],
    )
    assert "GONE-CARD" not in json.dumps(content)
    # The decision, with who set it by name.
    assert content["decision"] == {
        "outcome": "continue",
        "next_review": "2027-03-01",
        "note": "Review soon",
        "set_by": "Fatima",
    }


def test_minutes_record_every_revealed_round_but_never_an_open_one() -> None:
    content = content_of(taken())
    overall, leo = content["scales"]
    assert (overall["id"], overall["overall"], leo["id"], leo["card_id"]) == (
        OVERALL,
        True,
        "s_leo",
        "c_danger",
    )
    assert leo["question"] == "How safe is Leo?" and leo["rounds"] == []
    (round_,) = overall["rounds"]
    assert (round_["number"], round_["revealed_at"]) == (1, T2)
    assert round_["votes"] == [
        {
            "name": "Sam",
            "role": "parent",
            "value": 7,
            "reason": "He goes to school",
            "recorded_by_facilitator": False,
            "unconfirmed": False,
        },
        {
            "name": "Gran",
            "role": "network",
            "value": 3,
            "reason": "Dad still drinks",
            "recorded_by_facilitator": False,
            "unconfirmed": False,
        },
        {
            "name": "Grandad",
            "role": "network",
            "value": 9,
            "reason": "They are fine",
            "recorded_by_facilitator": True,
            "unconfirmed": False,
        },
    ]
    assert round_["summary"]["groups"] == [
        {"group": "family", "median": 7, "count": 1},
        {"group": "network", "median": 6, "count": 2},
    ]
    text = json.dumps(content)
    assert "SECRET-REASON" not in text and "Ayaan" not in json.dumps(content["scales"])
    assert "voter" not in text  # by name, not by internal id


def test_minutes_of_an_empty_meeting_say_nothing_was_written() -> None:
    board = taken(new_board(), label=None)
    content = content_of(board)
    assert all_cards(content) == []
    assert content["decision"] is None
    assert content["scales"][0]["rounds"] == []
    assert board.minutes["1"].label is None


def test_canonical_and_digest() -> None:
    content = {"b": [1, 2.5, None], "a": "Zoë 👪 <x>", "c": {"z": True, "y": "é"}}
    body = canonical(content)
    assert body == '{"a":"Zoë 👪 <x>","b":[1,2.5,null],"c":{"y":"é","z":true}}'
    assert digest(body) == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert canonical(json.loads(json.dumps(content, indent=4))) == body


def test_snapshot_content_is_canonical_and_reproducible() -> None:
    board = meeting_board()
    first = snapshot_content(board, 1, "x", T3)
    assert first == snapshot_content(board, 1, "x", T3)
    assert canonical(first) == taken(board, label="x").snapshots["1"].body


# --- minutes are frozen -------------------------------------------------------------------


def test_minutes_never_change_when_the_board_does() -> None:
    board = taken()
    body, entry = board.snapshots["1"].body, board.minutes["1"]
    board = step(board, raw("card.edit", card_id="c_harm", text="EDITED-AFTER", attributed_to=None))
    board = step(board, raw("card.edit", card_id="c_rule", owner="Someone else", due="2030-01-01"))
    board = step(board, raw("card.move", card_id="c_strength", section="danger", after=None))
    board = step(board, raw("card.move", card_id="c_step", section="harm", after=None))
    board = step(board, raw("card.delete", card_id="c_help"))
    board = step(board, raw("card.restore", card_id="c_gone"))
    board = step(board, raw("card.add", section="goals", text="ADDED-AFTER"), new_id="c_new")
    board = step(board, raw("card.react", card_id="c_warn", stance="disagree"), "p_mum")
    board = step(board, raw("meeting.edit", title="RENAMED-AFTER", vocabulary="wellbeing"))
    board = step(board, raw("round.reveal", scale_id="s_leo"))
    board = step(board, raw("scale.edit", scale_id=OVERALL, question="REWORDED-AFTER?"))
    board = step(board, raw("decision.set", outcome="escalate", note="CHANGED-AFTER"))
    board, _ = ops.apply(board, ParticipantJoin("p_dad", "Dad", Role.PARENT), Context("p_dad", T3))
    board = step(board, raw("minutes.sign", minutes=1, stance="agree"), "p_mum")
    board = step(board, raw("minutes.sign", minutes=1, stance="disagree", reason="No"), "p_gran")
    board = step(board, raw("minutes.agree", minutes=1))
    assert board.snapshots["1"].body == body
    assert board.minutes["1"].hash == entry.hash == digest(body)
    assert (board.minutes["1"].taken_at, board.minutes["1"].label) == (entry.taken_at, entry.label)
    for marker in (
        "EDITED-AFTER",
        "ADDED-AFTER",
        "RENAMED-AFTER",
        "REWORDED-AFTER",
        "CHANGED-AFTER",
        "SECRET-REASON",
    ):
        assert marker not in body
    assert {"name": "Dad", "role": "parent", "unconfirmed": False} not in json.loads(body)["people"]
    # The next minutes see the changed board.
    board = step(board, raw("minutes.take"), now=LATER)
    second = board.snapshots["2"].body
    assert {"name": "Dad", "role": "parent", "unconfirmed": False} in json.loads(second)["people"]
    for marker in (
        "EDITED-AFTER",
        "ADDED-AFTER",
        "RENAMED-AFTER",
        "REWORDED-AFTER",
        "CHANGED-AFTER",
        "SECRET-REASON",
    ):
        assert marker in second
    assert board.minutes["2"].hash == digest(second) != entry.hash
    assert board.snapshots["1"].body == body


def test_minutes_entities_cannot_be_changed_in_place() -> None:
    board = taken()
    with pytest.raises(AttributeError):
        board.minutes["1"].hash = "0" * 64  # type: ignore[misc]
    with pytest.raises(AttributeError):
        board.snapshots["1"].body = "{}"  # type: ignore[misc]
    with pytest.raises(TypeError):
        board.minutes["2"] = board.minutes["1"]  # type: ignore[index]


# --- minutes.sign -------------------------------------------------------------------------


@pytest.mark.parametrize("role", SIGNERS)
def test_everyone_but_the_screen_signs(role: Role) -> None:
    board = taken()
    pid = BY_ROLE[role]
    after, changes = run(board, raw("minutes.sign", minutes=1, stance="agree"), pid, now=LATER)
    name = PEOPLE[pid][0]
    (signoff,) = after.minutes["1"].signoffs
    assert (signoff.participant_id, signoff.name, signoff.role) == (pid, name, role)
    assert (signoff.stance, signoff.reason, signoff.at) == (Stance.AGREE, None, LATER)
    assert [(c.entity, c.id) for c in changes] == [("minutes", "1")]
    assert wire.encode_change(changes[0])["value"]["signoffs"] == [
        {
            "participant_id": pid,
            "name": name,
            "role": role.value,
            "stance": "agree",
            "at": LATER,
            "reason": None,
        }
    ]
    assert after.minutes["1"].hash == board.minutes["1"].hash
    assert after.snapshots == board.snapshots


def test_a_viewer_signing_is_forbidden() -> None:
    board = taken()
    assert_refused(board, raw("minutes.sign", minutes=1, stance="agree"), "p_tv", Forbidden)


def test_a_stranger_signing_is_forbidden() -> None:
    assert_refused(taken(), raw("minutes.sign", minutes=1, stance="agree"), "p_eve", Forbidden)


def test_signing_minutes_that_do_not_exist_is_not_found() -> None:
    assert_refused(
        meeting_board(), raw("minutes.sign", minutes=1, stance="agree"), "p_mum", NotFound
    )
    assert_refused(taken(), raw("minutes.sign", minutes=2, stance="agree"), "p_mum", NotFound)


def test_disagreeing_without_a_reason_is_invalid() -> None:
    board = taken()
    error = assert_refused(
        board, raw("minutes.sign", minutes=1, stance="disagree"), "p_mum", Invalid
    )
    assert "why" in error.message
    assert_refused(
        board, raw("minutes.sign", minutes=1, stance="disagree", reason="  "), "p_mum", Invalid
    )


def test_disagreeing_with_a_reason_is_written_down() -> None:
    board = step(
        taken(),
        raw("minutes.sign", minutes=1, stance="disagree", reason=" Dad  was not asked "),
        "p_gran",
    )
    (signoff,) = board.minutes["1"].signoffs
    assert (signoff.name, signoff.stance, signoff.reason) == (
        "Gran",
        Stance.DISAGREE,
        "Dad was not asked",
    )


def test_signing_again_replaces_the_first_signature() -> None:
    board = taken()
    board = step(board, raw("minutes.sign", minutes=1, stance="agree"), "p_mum", now=T3)
    board = step(board, raw("minutes.sign", minutes=1, stance="agree"), "p_gran", now=T3)
    board = step(
        board,
        raw("minutes.sign", minutes=1, stance="disagree", reason="Changed my mind"),
        "p_mum",
        now=LATER,
    )
    signoffs = board.minutes["1"].signoffs
    assert [(s.name, s.stance, s.reason) for s in signoffs] == [
        ("Gran", Stance.AGREE, None),
        ("Sam", Stance.DISAGREE, "Changed my mind"),
    ]
    assert [s.participant_id for s in signoffs].count("p_mum") == 1


def test_signing_one_set_of_minutes_leaves_the_others() -> None:
    board = step(taken(), raw("minutes.take"), now=T3)
    board = step(board, raw("minutes.sign", minutes=2, stance="agree"), "p_mum")
    assert board.minutes["1"].signoffs == ()
    assert [s.name for s in board.minutes["2"].signoffs] == ["Sam"]


def test_signing_agreed_minutes_is_invalid() -> None:
    board = step(taken(), raw("minutes.agree", minutes=1))
    for pid in ("p_mum", "p_fac"):
        error = assert_refused(board, raw("minutes.sign", minutes=1, stance="agree"), pid, Invalid)
        assert "agreed" in error.message
    assert_refused(
        board,
        raw("minutes.sign", minutes=1, stance="disagree", reason="Too late"),
        "p_gran",
        Invalid,
    )


def test_minutes_are_signed_on_a_locked_board_but_not_a_closed_one() -> None:
    board = with_status(taken(), Status.LOCKED)
    board = step(board, raw("minutes.sign", minutes=1, stance="agree"), "p_mum")
    board = step(board, raw("minutes.agree", minutes=1))
    assert board.minutes["1"].status is MinutesStatus.AGREED
    closed = with_status(taken(), Status.CLOSED)
    assert_refused(closed, raw("minutes.sign", minutes=1, stance="agree"), "p_mum", Closed)
    assert_refused(closed, raw("minutes.agree", minutes=1), "p_fac", Closed)


# --- minutes.agree ------------------------------------------------------------------------


def test_the_facilitator_marks_minutes_agreed() -> None:
    board = step(taken(), raw("minutes.sign", minutes=1, stance="agree"), "p_mum")
    after, changes = run(board, raw("minutes.agree", minutes=1), "p_fac", now=LATER)
    entry = after.minutes["1"]
    assert (entry.status, entry.agreed_at, entry.agreed_by) == (
        MinutesStatus.AGREED,
        LATER,
        "p_fac",
    )
    assert entry.signoffs == board.minutes["1"].signoffs
    assert entry.hash == board.minutes["1"].hash and after.snapshots == board.snapshots
    (change,) = changes
    value = wire.encode_change(change)["value"]
    assert (value["status"], value["agreed_at"], value["agreed_by"]) == ("agreed", LATER, "p_fac")
    assert "body" not in value and "Leo had a bruise" not in json.dumps(value)


def test_agreeing_agreed_minutes_again_changes_nothing() -> None:
    board = step(taken(), raw("minutes.agree", minutes=1), now=T3)
    after, changes = run(board, raw("minutes.agree", minutes=1), "p_fac", now=LATER)
    assert changes == [] and after.minutes == board.minutes
    assert after.minutes["1"].agreed_at == T3


@pytest.mark.parametrize("role", NOT_FACILITATOR)
def test_a_non_facilitator_marking_minutes_agreed_is_forbidden(role: Role) -> None:
    assert_refused(taken(), raw("minutes.agree", minutes=1), BY_ROLE[role], Forbidden)


def test_agreeing_minutes_that_do_not_exist_is_not_found() -> None:
    assert_refused(meeting_board(), raw("minutes.agree", minutes=1), "p_fac", NotFound)
    assert_refused(taken(), raw("minutes.agree", minutes=2), "p_fac", NotFound)


def test_agreeing_one_set_of_minutes_leaves_the_others_draft() -> None:
    board = step(taken(), raw("minutes.take"), now=T3)
    board = step(board, raw("minutes.agree", minutes=1))
    assert board.minutes["1"].status is MinutesStatus.AGREED
    assert board.minutes["2"].status is MinutesStatus.DRAFT
    board = step(board, raw("minutes.sign", minutes=2, stance="agree"), "p_mum")
    assert len(board.minutes["2"].signoffs) == 1


# --- locked: minutes yes, decision no -----------------------------------------------------

LOCKED_CASES = [
    ("minutes.take", {}, "p_fac", None),
    ("minutes.sign", {"minutes": 1, "stance": "agree"}, "p_mum", None),
    ("minutes.agree", {"minutes": 1}, "p_fac", None),
    ("decision.set", {"outcome": "close"}, "p_fac", Locked),
    ("card.edit", {"card_id": "c_rule", "owner": "Gran"}, "p_fac", Locked),
    ("card.add", {"section": "plan_rules", "text": "x", "owner": "Gran"}, "p_mum", Locked),
]


@pytest.mark.parametrize(("op_type", "fields", "actor", "expected"), LOCKED_CASES)
def test_a_locked_board_takes_minutes_ops_only(
    op_type: str, fields: dict[str, Any], actor: str, expected: type[KinboardError] | None
) -> None:
    board = with_status(taken(), Status.LOCKED)
    if expected is not None:
        assert_refused(board, raw(op_type, **fields), actor, expected)
    else:
        _, changes = run(board, raw(op_type, **fields), actor)
        assert changes


# --- the next meeting: review_board -------------------------------------------------------

REVIEW_ID = "mREVIEW00001"


def review_meeting(previous: str = MID, review_id: str = REVIEW_ID) -> Meeting:
    return Meeting(
        review_id, f"Review: {TITLE}", kind=Kind.REVIEW, previous=previous, created_at=LATER
    )


def test_a_review_starts_with_the_cards_of_the_minutes() -> None:
    board = taken()
    content = content_of(board)
    review = review_board(content, review_meeting(), LATER)
    assert review.meeting == review_meeting()
    assert set(review.cards) == set(CARDS)
    for cid, (section, text, owner, due) in CARDS.items():
        card = review.cards[cid]
        assert (card.section, card.text, card.owner, card.due) == (section, text, owner, due)
        assert card.from_last_meeting is True and card.deleted is False
        assert (card.author, card.created_at, dict(card.stances)) == ("", LATER, {})
    assert review.cards["c_harm"].attributed_to == "School"
    # The same order in every section.
    for section in SECTIONS:
        expected = [
            c["id"]
            for col in content["columns"]
            for s in col["sections"]
            if s["key"] == section
            for c in s["cards"]
        ]
        assert [c.id for c in review.section_cards(section)] == expected
    assert (dict(review.participants), dict(review.rounds), dict(review.ballots)) == ({}, {}, {})
    assert (dict(review.decision), dict(review.minutes), dict(review.snapshots)) == ({}, {}, {})
    encoded = wire.encode_board(review)
    assert all(card["from_last_meeting"] is True for card in encoded["cards"])


def test_a_review_carries_last_times_numbers_into_each_scales_history() -> None:
    review = review_board(content_of(taken()), review_meeting(), LATER)
    overall, leo = review.scales[OVERALL], review.scales["s_leo"]
    assert overall.overall is True and overall.question == meeting_board().scales[OVERALL].question
    (point,) = overall.history
    assert (point.meeting_id, point.date) == (MID, "2026-11-27")
    assert [(v.name, v.role, v.value) for v in point.votes] == [
        ("Sam", Role.PARENT, 7),
        ("Gran", Role.NETWORK, 3),
        ("Grandad", Role.NETWORK, 9),
    ]
    assert dict(point.medians) == {"family": 7, "network": 6}
    # The open round's number never left the first meeting.
    assert leo.history == () and leo.card_id == "c_danger"
    encoded = wire.encode_board(review)["scales"]
    assert encoded[0]["history"][0]["medians"] == {"family": 7, "network": 6}
    assert [v["value"] for v in encoded[0]["history"][0]["votes"]] == [7, 3, 9]
    assert "SECRET-REASON" not in json.dumps(encoded)


def test_a_review_drops_a_scale_card_link_to_a_card_that_is_not_carried() -> None:
    board = step(meeting_board(), raw("card.delete", card_id="c_danger"))
    review = review_board(content_of(taken(board)), review_meeting(), LATER)
    assert "c_danger" not in review.cards
    assert review.scales["s_leo"].card_id is None


def test_a_review_of_a_review_keeps_the_whole_trend_oldest_first() -> None:
    first = review_board(content_of(taken()), review_meeting(), LATER)
    board = first
    for pid, (name, role) in PEOPLE.items():
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, LATER))
    board = step(board, raw("round.open", scale_id=OVERALL), new_id="r_9", now=LATER)
    board = step(board, raw("vote.cast", scale_id=OVERALL, value=8), "p_mum", now=LATER)
    board = step(board, raw("vote.cast", scale_id=OVERALL, value=5), "p_sw", now=LATER)
    board = step(board, raw("round.reveal", scale_id=OVERALL), now=LATER)
    board = step(board, raw("card.edit", card_id="c_rule", text="No drinking at all"), now=LATER)
    board = step(board, raw("minutes.take"), now="2027-03-01T11:00:00.000Z")
    content = content_of(board)
    assert content["meeting"]["kind"] == "review" and content["meeting"]["previous"] == MID
    assert all(card["from_last_meeting"] for card in all_cards(content))
    second = review_board(
        content, review_meeting(REVIEW_ID, "mREVIEW00002"), "2027-06-01T09:00:00.000Z"
    )
    history = second.scales[OVERALL].history
    assert [(p.meeting_id, p.date) for p in history] == [
        (MID, "2026-11-27"),
        (REVIEW_ID, "2027-03-01"),
    ]
    assert [dict(p.medians) for p in history] == [
        {"family": 7, "network": 6},
        {"family": 8, "professionals": 5},
    ]
    assert [v.value for v in history[0].votes] == [7, 3, 9]
    assert second.cards["c_rule"].text == "No drinking at all"
    # And the second review's minutes record that history too.
    board2 = second
    for pid, (name, role) in PEOPLE.items():
        board2, _ = ops.apply(board2, ParticipantJoin(pid, name, role), Context(pid, LATER))
    recorded = content_of(taken(board2))["scales"][0]["history"]
    assert [p["meeting_id"] for p in recorded] == [MID, REVIEW_ID]
    assert recorded[1]["votes"] == [
        {"name": "Sam", "role": "parent", "value": 8},
        {"name": "Jo from school", "role": "professional", "value": 5},
    ]


def test_review_board_round_trips_through_the_store_records() -> None:
    review = review_board(content_of(taken()), review_meeting(), LATER)
    assert storage.board_from_records(records(review)) == review


def test_minutes_core_parsers_cover_exactly_the_minutes_ops() -> None:
    assert set(minutes.PARSERS) == {"decision.set", "minutes.take", "minutes.sign", "minutes.agree"}
    assert RoundStatus.REVEALED.value == "revealed"
