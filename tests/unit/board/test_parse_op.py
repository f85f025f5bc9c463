"""Parsing ops: what a client may send, and the clear refusal of everything else.

Table-driven: each case names the message and what must come back.
"""

from __future__ import annotations

from typing import Any

import pytest

from server.board import ops
from server.board.cards import CardAdd, CardDelete, CardEdit, CardMove, CardReact, CardRestore
from server.board.errors import (
    Invalid,
    KinboardError,
    TooLong,
)
from server.board.limits import MAX_ATTRIBUTION, MAX_TEXT, MAX_TITLE
from server.board.meeting import MeetingEdit, MeetingLock, MeetingUnlock
from server.board.model import Stance, Vocabulary
from server.board.parsing import UNSET
from tests.support.boards import raw

# --- parse_op: what a client may send --------------------------------------------------------

LONG_ID = "a" * 64

PARSE_REFUSALS = [
    # (id, message, error)
    ("not-an-object-list", ["card.add"], Invalid),
    ("not-an-object-string", "card.add", Invalid),
    ("not-an-object-null", None, Invalid),
    ("not-an-object-number", 42, Invalid),
    ("missing-id", {"type": "meeting.lock"}, Invalid),
    ("empty-id", {"id": "", "type": "meeting.lock"}, Invalid),
    ("id-with-space", {"id": "o 1", "type": "meeting.lock"}, Invalid),
    ("id-with-dot", {"id": "o.1", "type": "meeting.lock"}, Invalid),
    ("id-with-newline", {"id": "o1\n", "type": "meeting.lock"}, Invalid),
    ("id-65-chars", {"id": "a" * 65, "type": "meeting.lock"}, Invalid),
    ("id-number", {"id": 7, "type": "meeting.lock"}, Invalid),
    ("id-null", {"id": None, "type": "meeting.lock"}, Invalid),
    ("missing-type", {"id": "o1"}, Invalid),
    ("unknown-type", raw("card.fly"), Invalid),
    ("type-number", raw(5), Invalid),  # type: ignore[arg-type]
    ("type-null", raw(None), Invalid),  # type: ignore[arg-type]
    ("server-only-join-type", raw("participant.join", name="Eve", role="parent"), Invalid),
    # unknown fields
    ("lock-unknown-field", raw("meeting.lock", title="x"), Invalid),
    ("unlock-unknown-field", raw("meeting.unlock", force=True), Invalid),
    ("delete-unknown-field", raw("card.delete", card_id="c1", text="x"), Invalid),
    ("add-position-field", raw("card.add", section="harm", text="x", position="V"), Invalid),
    ("edit-section-field", raw("card.edit", card_id="c1", text="x", section="harm"), Invalid),
    ("react-unknown-field", raw("card.react", card_id="c1", stance="agree", why="x"), Invalid),
    # missing required fields
    ("add-no-section", raw("card.add", text="x"), Invalid),
    ("add-no-text", raw("card.add", section="harm"), Invalid),
    ("edit-no-card-id", raw("card.edit", text="x"), Invalid),
    ("move-no-card-id", raw("card.move", section="harm", after=None), Invalid),
    ("move-no-section", raw("card.move", card_id="c1", after=None), Invalid),
    ("move-no-after", raw("card.move", card_id="c1", section="harm"), Invalid),
    ("delete-no-card-id", raw("card.delete"), Invalid),
    ("restore-no-card-id", raw("card.restore"), Invalid),
    ("react-no-card-id", raw("card.react", stance="agree"), Invalid),
    ("react-no-stance", raw("card.react", card_id="c1"), Invalid),
    # sections
    ("add-unknown-section", raw("card.add", section="feelings", text="x"), Invalid),
    ("add-section-label-not-key", raw("card.add", section="Danger statements", text="x"), Invalid),
    ("add-section-null", raw("card.add", section=None, text="x"), Invalid),
    ("add-section-number", raw("card.add", section=3, text="x"), Invalid),
    (
        "move-unknown-section",
        raw("card.move", card_id="c1", section="worries", after=None),
        Invalid,
    ),
    # text
    ("add-empty-text", raw("card.add", section="harm", text=""), Invalid),
    ("add-whitespace-text", raw("card.add", section="harm", text="  \n\t  "), Invalid),
    ("add-null-text", raw("card.add", section="harm", text=None), Invalid),
    ("add-number-text", raw("card.add", section="harm", text=12), Invalid),
    ("add-list-text", raw("card.add", section="harm", text=["x"]), Invalid),
    ("add-text-2001", raw("card.add", section="harm", text="x" * 2001), TooLong),
    ("add-text-2001-trimmed", raw("card.add", section="harm", text=f"  {'x' * 2001}  "), TooLong),
    ("edit-empty-text", raw("card.edit", card_id="c1", text=" "), Invalid),
    ("edit-null-text", raw("card.edit", card_id="c1", text=None), Invalid),
    ("edit-text-2001", raw("card.edit", card_id="c1", text="y" * 2001), TooLong),
    ("edit-nothing", raw("card.edit", card_id="c1"), Invalid),
    # attributed_to
    (
        "add-attribution-81",
        raw("card.add", section="harm", text="x", attributed_to="M" * 81),
        TooLong,
    ),
    ("edit-attribution-81", raw("card.edit", card_id="c1", attributed_to="M" * 81), TooLong),
    ("add-attribution-number", raw("card.add", section="harm", text="x", attributed_to=1), Invalid),
    ("edit-attribution-list", raw("card.edit", card_id="c1", attributed_to=["Mum"]), Invalid),
    # ids of cards
    ("edit-card-id-number", raw("card.edit", card_id=5, text="x"), Invalid),
    ("edit-card-id-null", raw("card.edit", card_id=None, text="x"), Invalid),
    ("delete-card-id-bad-chars", raw("card.delete", card_id="c/1"), Invalid),
    ("delete-card-id-65", raw("card.delete", card_id="c" * 65), Invalid),
    ("add-card-id-bad-chars", raw("card.add", section="harm", text="x", card_id="a b"), Invalid),
    ("add-after-number", raw("card.add", section="harm", text="x", after=3), Invalid),
    ("move-after-bad-chars", raw("card.move", card_id="c1", section="harm", after="<b>"), Invalid),
    ("move-after-itself", raw("card.move", card_id="c1", section="harm", after="c1"), Invalid),
    # stances
    ("react-bad-stance", raw("card.react", card_id="c1", stance="maybe"), Invalid),
    ("react-stance-number", raw("card.react", card_id="c1", stance=1), Invalid),
    ("react-stance-uppercase", raw("card.react", card_id="c1", stance="AGREE"), Invalid),
    # meeting.edit
    ("meeting-edit-nothing", raw("meeting.edit"), Invalid),
    ("meeting-edit-title-201", raw("meeting.edit", title="T" * (MAX_TITLE + 1)), TooLong),
    ("meeting-edit-title-empty", raw("meeting.edit", title="   "), Invalid),
    ("meeting-edit-title-null", raw("meeting.edit", title=None), Invalid),
    ("meeting-edit-title-number", raw("meeting.edit", title=2026), Invalid),
    ("meeting-edit-bad-vocabulary", raw("meeting.edit", vocabulary="klingon"), Invalid),
    ("meeting-edit-vocabulary-null", raw("meeting.edit", vocabulary=None), Invalid),
]


@pytest.mark.parametrize(
    ("message", "error"),
    [pytest.param(m, e, id=i) for i, m, e in PARSE_REFUSALS],
)
def test_parse_op_refuses(message: Any, error: type[KinboardError]) -> None:
    with pytest.raises(KinboardError) as caught:
        ops.parse_op(message)
    assert type(caught.value) is error
    assert caught.value.code == error.code


PARSED = [
    (
        "add-minimal",
        raw("card.add", section="strengths", text="Gran walks them to school"),
        CardAdd("strengths", "Gran walks them to school"),
    ),
    (
        "add-everything",
        raw(
            "card.add",
            section="danger",
            text="  Dad shouts when he drinks  ",
            attributed_to="  Mum ",
            after="c_1",
            card_id="c_2",
        ),
        CardAdd("danger", "Dad shouts when he drinks", "Mum", "c_1", "c_2"),
    ),
    (
        "add-nulls",
        raw("card.add", section="goals", text="x", attributed_to=None, after=None, card_id=None),
        CardAdd("goals", "x"),
    ),
    (
        "add-blank-attribution-is-none",
        raw("card.add", section="goals", text="x", attributed_to="   "),
        CardAdd("goals", "x"),
    ),
    (
        "add-text-2000",
        raw("card.add", section="harm", text="x" * MAX_TEXT),
        CardAdd("harm", "x" * MAX_TEXT),
    ),
    (
        "add-text-2000-after-trimming",
        raw("card.add", section="harm", text=f"\n  {'x' * MAX_TEXT}  \t"),
        CardAdd("harm", "x" * MAX_TEXT),
    ),
    (
        "add-attribution-80",
        raw("card.add", section="harm", text="x", attributed_to="M" * MAX_ATTRIBUTION),
        CardAdd("harm", "x", "M" * MAX_ATTRIBUTION),
    ),
    (
        "add-card-id-64",
        raw("card.add", section="harm", text="x", card_id=LONG_ID),
        CardAdd("harm", "x", card_id=LONG_ID),
    ),
    ("edit-text", raw("card.edit", card_id="c1", text=" new "), CardEdit("c1", "new")),
    (
        "edit-clear-attribution",
        raw("card.edit", card_id="c1", attributed_to=None),
        CardEdit("c1", UNSET, None),
    ),
    (
        "edit-both",
        raw("card.edit", card_id="c1", text="a", attributed_to="Gran"),
        CardEdit("c1", "a", "Gran"),
    ),
    (
        "move-to-top",
        raw("card.move", card_id="c1", section="safety", after=None),
        CardMove("c1", "safety", None),
    ),
    (
        "move-below",
        raw("card.move", card_id="c1", section="safety", after="c2"),
        CardMove("c1", "safety", "c2"),
    ),
    ("delete", raw("card.delete", card_id="c1"), CardDelete("c1")),
    ("restore", raw("card.restore", card_id="c1"), CardRestore("c1")),
    ("react-agree", raw("card.react", card_id="c1", stance="agree"), CardReact("c1", Stance.AGREE)),
    (
        "react-disagree",
        raw("card.react", card_id="c1", stance="disagree"),
        CardReact("c1", Stance.DISAGREE),
    ),
    ("react-clear", raw("card.react", card_id="c1", stance=None), CardReact("c1", None)),
    (
        "meeting-edit-title",
        raw("meeting.edit", title="  Review   meeting "),
        MeetingEdit("Review meeting", UNSET),
    ),
    (
        "meeting-edit-title-200",
        raw("meeting.edit", title="T" * MAX_TITLE),
        MeetingEdit("T" * MAX_TITLE, UNSET),
    ),
    (
        "meeting-edit-vocabulary",
        raw("meeting.edit", vocabulary="wellbeing"),
        MeetingEdit(UNSET, Vocabulary.WELLBEING),
    ),
    ("meeting-lock", raw("meeting.lock"), MeetingLock()),
    ("meeting-unlock", raw("meeting.unlock"), MeetingUnlock()),
]


@pytest.mark.parametrize(("message", "expected"), [pytest.param(m, e, id=i) for i, m, e in PARSED])
def test_parse_op_accepts(message: dict[str, Any], expected: ops.Op) -> None:
    op_id, op = ops.parse_op(message)
    assert op_id == "o_k2m9"
    assert op == expected
    assert type(op) is type(expected)


def test_parse_op_returns_the_op_id_of_64_chars() -> None:
    assert ops.parse_op({"id": LONG_ID, "type": "meeting.lock"}) == (LONG_ID, MeetingLock())


def test_every_client_op_type_is_parsed() -> None:
    assert set(ops.OP_TYPES) == {
        "card.add",
        "card.edit",
        "card.move",
        "card.delete",
        "card.restore",
        "card.react",
        "card.translate",
        "card.audience",
        "house.audience",
        "statement.add",
        "statement.edit",
        "goal.add",
        "goal.edit",
        "meeting.edit",
        "meeting.language",
        "meeting.lock",
        "meeting.unlock",
        "meeting.close",
        "participant.remove",
        "participant.rename",
        "participant.correct",
        "participant.confirm",
        "participant.language",
        "scale.add",
        "scale.edit",
        "scale.delete",
        "round.open",
        "round.reveal",
        "vote.cast",
        "vote.exclude",
        "decision.set",
        "minutes.take",
        "minutes.sign",
        "minutes.agree",
        "agenda.go",
        "agenda.add",
        "agenda.rename",
        "agenda.remove",
        "agenda.move",
        "focus.set",
        "focus.clear",
        "timer.start",
        "timer.extend",
        "timer.pause",
        "timer.resume",
        "timer.stop",
        "ready.say",
        "meeting.stage",
        "family_time.start",
        "family_time.ask",
        "family_time.answer",
        "family_time.force_end",
        "family_plan.add",
        "family_plan.edit",
        "family_plan.delete",
        "family_plan.share",
        "house.add",
        "house.edit",
        "house.share",
        "house.remove",
        "house.place",
        "child.age",
    }
