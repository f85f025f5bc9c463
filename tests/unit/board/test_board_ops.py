"""The pure domain core: parsing ops, applying them, every refusal, and the codec.

Table-driven: each case names the op, the acting role and what must come back.
"""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace
from types import MappingProxyType
from typing import Any

import pytest

from server.board import ops, storage, wire
from server.board.cards import CardAdd, CardDelete, CardEdit, CardMove, CardReact, CardRestore
from server.board.errors import (
    Forbidden,
    Invalid,
    KinboardError,
    Locked,
    NotFound,
    TooLong,
    TooMany,
)
from server.board.limits import MAX_ATTRIBUTION, MAX_CARDS, MAX_TEXT, MAX_TITLE
from server.board.meeting import MeetingEdit, MeetingLock, MeetingUnlock, ParticipantJoin
from server.board.model import Board, Card, Change, Meeting, Participant, Stance, Status, Vocabulary
from server.board.ops import Context
from server.board.parsing import UNSET
from server.board.positions import even_keys
from server.board.roles import Role
from server.board.template import SECTIONS
from tests.support.boards import BY_ROLE, PEOPLE, T0, T1, raw, run

MEETING_ID = "m7Hq2LwX9pZa"

# Who is in the meeting: one participant per role.
EDITOR_ROLES = [
    Role.FACILITATOR,
    Role.PARENT,
    Role.CHILD,
    Role.NETWORK,
    Role.PROFESSIONAL,
]
OTHERS = (Role.PARENT, Role.CHILD, Role.NETWORK, Role.PROFESSIONAL)


def with_status(board: Board, status: Status) -> Board:
    return replace(board, meeting=replace(board.meeting, status=status))


def empty_board(status: Status = Status.OPEN) -> Board:
    board = Board(Meeting(MEETING_ID, "Family meeting for the Ahmed children", created_at=T0))
    for pid, (name, role) in PEOPLE.items():
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, T0))
    return with_status(board, status)


def card_id_of(role: Role, prefix: str = "c") -> str:
    return f"{prefix}_{BY_ROLE[role][2:]}"


def populated(status: Status = Status.OPEN) -> Board:
    """Each editor has one live card in `strengths` (c_fac, c_mum, ...) and one deleted card
    in `harm` (d_fac, d_mum, ...)."""
    board = empty_board()
    after = None
    for role in EDITOR_ROLES:
        pid = BY_ROLE[role]
        cid = card_id_of(role)
        message = raw("card.add", section="strengths", text=f"Strength noted by {pid}", after=after)
        board, _ = run(board, message, pid, now=T0, new_id=cid)
        after = cid
        did = card_id_of(role, "d")
        board, _ = run(board, raw("card.add", section="harm", text="Oops"), pid, now=T0, new_id=did)
        board, _ = run(board, raw("card.delete", card_id=did), pid, now=T0)
    return with_status(board, status)


def order(board: Board, section: str) -> list[str]:
    return [card.id for card in board.section_cards(section)]


def snapshot(board: Board) -> dict[str, str]:
    return storage.board_records(board)


def assert_refused(
    board: Board, message: dict[str, Any], actor: str, error: type[KinboardError]
) -> KinboardError:
    before = snapshot(board)
    with pytest.raises(KinboardError) as caught:
        run(board, message, actor)
    assert type(caught.value) is error, caught.value
    assert caught.value.code == error.code
    assert caught.value.message  # every refusal says something a person can read
    assert snapshot(board) == before
    return caught.value


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
        "meeting.edit",
        "meeting.lock",
        "meeting.unlock",
        "meeting.close",
        "participant.remove",
        "participant.rename",
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
    }


# --- permissions by role ----------------------------------------------------------------------


def _other_role(role: Role) -> Role:
    """Someone else's card: the facilitator's for everyone but the facilitator."""
    return Role.PARENT if role is Role.FACILITATOR else Role.FACILITATOR


def _action(role: Role, action: str) -> tuple[dict[str, Any], Status, str]:
    """(message, meeting status, id of the entity that must change) for `role` doing `action`."""
    own = card_id_of(role) if role is not Role.VIEWER else card_id_of(Role.FACILITATOR)
    other = card_id_of(_other_role(role))
    own_deleted = own.replace("c_", "d_")
    other_deleted = other.replace("c_", "d_")
    table = {
        "add": (raw("card.add", section="goals", text="Kids at school every day"), "c_new"),
        "edit-own": (raw("card.edit", card_id=own, text="Changed"), own),
        "edit-other": (raw("card.edit", card_id=other, text="Changed"), other),
        "attribute-other": (raw("card.edit", card_id=other, attributed_to="Dad"), other),
        "move-own": (raw("card.move", card_id=own, section="safety", after=None), own),
        "move-other": (raw("card.move", card_id=other, section="safety", after=None), other),
        "delete-own": (raw("card.delete", card_id=own), own),
        "delete-other": (raw("card.delete", card_id=other), other),
        "restore-own": (raw("card.restore", card_id=own_deleted), own_deleted),
        "restore-other": (raw("card.restore", card_id=other_deleted), other_deleted),
        "react-own": (raw("card.react", card_id=own, stance="agree"), own),
        "react-other": (raw("card.react", card_id=other, stance="disagree"), other),
        "meeting-edit": (raw("meeting.edit", title="Review meeting"), MEETING_ID),
        "meeting-lock": (raw("meeting.lock"), MEETING_ID),
    }
    if action == "meeting-unlock":
        return raw("meeting.unlock"), Status.LOCKED, MEETING_ID
    message, target = table[action]
    return message, Status.OPEN, target


ACTIONS = [
    "add",
    "edit-own",
    "edit-other",
    "attribute-other",
    "move-own",
    "move-other",
    "delete-own",
    "delete-other",
    "restore-own",
    "restore-other",
    "react-own",
    "react-other",
    "meeting-edit",
    "meeting-lock",
    "meeting-unlock",
]
# What a non-facilitator editor may do; the facilitator may do everything; a viewer nothing.
MEMBER_MAY = {
    "add",
    "edit-own",
    "move-own",
    "move-other",
    "delete-own",
    "restore-own",
    "react-own",
    "react-other",
}


def _permission_cases() -> list[Any]:
    cases = []
    for role in [*EDITOR_ROLES, Role.VIEWER]:
        for action in ACTIONS:
            if role is Role.VIEWER:
                expected: type[KinboardError] | None = Forbidden
            elif role is Role.FACILITATOR:
                expected = None
            else:
                expected = None if action in MEMBER_MAY else Forbidden
            outcome = "allowed" if expected is None else "forbidden"
            cases.append(pytest.param(role, action, expected, id=f"{role}-{action}-{outcome}"))
    return cases


@pytest.mark.parametrize(("role", "action", "expected"), _permission_cases())
def test_permissions(role: Role, action: str, expected: type[KinboardError] | None) -> None:
    message, status, target = _action(role, action)
    board = populated(status)
    actor = BY_ROLE[role]
    if expected is not None:
        assert_refused(board, message, actor, expected)
        return
    new_board, changes = run(board, message, actor)
    assert [change.id for change in changes] == [target]
    assert new_board != board


def test_a_non_participant_is_forbidden_everything() -> None:
    board = populated()
    for message in [
        raw("card.add", section="harm", text="x"),
        raw("card.react", card_id="c_mum", stance="agree"),
        raw("meeting.lock"),
    ]:
        error = assert_refused(board, message, "p_stranger", Forbidden)
        assert error.message == "You are not part of this meeting."


def test_the_viewer_is_told_it_can_only_show_the_board() -> None:
    error = assert_refused(
        populated(), raw("card.add", section="harm", text="x"), "p_tv", Forbidden
    )
    assert error.message == "This screen can only show the board."


# --- locked and closed meetings ---------------------------------------------------------------

EVERY_OP = {
    "card.add": raw("card.add", section="goals", text="x"),
    "card.edit": raw("card.edit", card_id="c_mum", text="y"),
    "card.move": raw("card.move", card_id="c_mum", section="goals", after=None),
    "card.delete": raw("card.delete", card_id="c_mum"),
    "card.restore": raw("card.restore", card_id="d_mum"),
    "card.react": raw("card.react", card_id="c_mum", stance="agree"),
    "meeting.edit": raw("meeting.edit", title="New title"),
    "meeting.lock": raw("meeting.lock"),
    "meeting.unlock": raw("meeting.unlock"),
}


def _locked_cases() -> list[Any]:
    cases = []
    for op_type in EVERY_OP:
        for role in (Role.FACILITATOR, Role.PARENT, Role.VIEWER):
            if role is Role.VIEWER:
                expected: Any = Forbidden
            elif op_type == "meeting.unlock":
                expected = "changes" if role is Role.FACILITATOR else Forbidden
            elif op_type == "meeting.lock":
                expected = "no-op" if role is Role.FACILITATOR else Forbidden
            elif op_type == "meeting.edit" and role is not Role.FACILITATOR:
                expected = Forbidden
            else:
                expected = Locked
            name = expected if isinstance(expected, str) else expected.code
            cases.append(
                pytest.param(op_type, role, expected, id=f"locked-{op_type}-{role}-{name}")
            )
    return cases


@pytest.mark.parametrize(("op_type", "role", "expected"), _locked_cases())
def test_locked_meeting_refuses_all_but_unlock(op_type: str, role: Role, expected: Any) -> None:
    board = populated(Status.LOCKED)
    actor = BY_ROLE[role]
    if expected == "changes":
        new_board, changes = run(board, EVERY_OP[op_type], actor)
        assert new_board.meeting.status is Status.OPEN
        assert changes == [Change("meeting", MEETING_ID, new_board.meeting)]
    elif expected == "no-op":
        new_board, changes = run(board, EVERY_OP[op_type], actor)
        assert (new_board, changes) == (board, [])
    else:
        error = assert_refused(board, EVERY_OP[op_type], actor, expected)
        if expected is Locked and op_type.startswith("card."):
            assert error.message == "The facilitator has paused changes for now."


@pytest.mark.parametrize("op_type", list(EVERY_OP))
@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARENT], ids=str)
def test_closed_meeting_refuses_everything(op_type: str, role: Role) -> None:
    error = assert_refused(populated(Status.CLOSED), EVERY_OP[op_type], BY_ROLE[role], Locked)
    assert "ended" in error.message


@pytest.mark.parametrize("op_type", list(EVERY_OP))
def test_closed_meeting_viewer_is_still_forbidden(op_type: str) -> None:
    assert_refused(populated(Status.CLOSED), EVERY_OP[op_type], "p_tv", Forbidden)


# --- unknown and deleted cards ----------------------------------------------------------------

NOT_FOUND = [
    ("edit-deleted", raw("card.edit", card_id="d_mum", text="x")),
    ("edit-unknown", raw("card.edit", card_id="c_nobody", text="x")),
    ("attribute-deleted", raw("card.edit", card_id="d_mum", attributed_to=None)),
    ("move-deleted", raw("card.move", card_id="d_mum", section="harm", after=None)),
    ("move-unknown", raw("card.move", card_id="c_nobody", section="harm", after=None)),
    ("react-deleted", raw("card.react", card_id="d_mum", stance="agree")),
    ("react-unknown", raw("card.react", card_id="c_nobody", stance="agree")),
    ("clear-react-deleted", raw("card.react", card_id="d_mum", stance=None)),
    ("delete-unknown", raw("card.delete", card_id="c_nobody")),
    ("restore-unknown", raw("card.restore", card_id="c_nobody")),
]


@pytest.mark.parametrize("role", [Role.PARENT, Role.FACILITATOR], ids=str)
@pytest.mark.parametrize("message", [pytest.param(m, id=i) for i, m in NOT_FOUND])
def test_unknown_or_deleted_card_is_not_found(message: dict[str, Any], role: Role) -> None:
    assert_refused(populated(), message, BY_ROLE[role], NotFound)


# --- the 500-card limit -----------------------------------------------------------------------


def board_with_cards(live: int, deleted: int = 0) -> Board:
    """`live` live cards and `deleted` tombstones, all by the parent, spread over the sections."""
    board = empty_board()
    sections = list(SECTIONS)
    keys = even_keys(live + deleted)
    cards = {}
    for i in range(live + deleted):
        cid = f"c{i:03d}"
        cards[cid] = Card(
            id=cid,
            section=sections[i % len(sections)],
            text=f"Card {i}",
            position=keys[i],
            author="p_mum",
            created_at=T0,
            updated_at=T0,
            updated_by="p_mum",
            deleted=i >= live,
        )
    return replace(board, cards=MappingProxyType(cards))


def test_the_501st_live_card_is_too_many() -> None:
    board = board_with_cards(MAX_CARDS)
    error = assert_refused(
        board, raw("card.add", section="harm", text="one more"), "p_mum", TooMany
    )
    assert error.message == "A board can hold at most 500 cards."


def test_the_500th_card_is_accepted() -> None:
    board, changes = run(
        board_with_cards(MAX_CARDS - 1), raw("card.add", section="harm", text="x"), "p_mum"
    )
    assert len(board.live_cards()) == MAX_CARDS
    assert [c.id for c in changes] == ["c_new"]


def test_deleting_one_of_500_allows_another() -> None:
    board = board_with_cards(MAX_CARDS)
    board, _ = run(board, raw("card.delete", card_id="c007"), "p_mum")
    board, changes = run(board, raw("card.add", section="harm", text="x"), "p_mum")
    assert len(board.live_cards()) == MAX_CARDS
    assert len(board.cards) == MAX_CARDS + 1
    assert changes[0].id == "c_new"
    assert_refused(
        board, raw("card.add", section="harm", text="y", card_id="c_2"), "p_mum", TooMany
    )


def test_tombstones_do_not_count_towards_the_limit() -> None:
    board = board_with_cards(MAX_CARDS - 1, deleted=20)
    board, _ = run(board, raw("card.add", section="harm", text="x"), "p_fac")
    assert len(board.live_cards()) == MAX_CARDS


def test_restoring_at_500_is_too_many() -> None:
    board = board_with_cards(MAX_CARDS, deleted=1)
    error = assert_refused(board, raw("card.restore", card_id="c500"), "p_mum", TooMany)
    assert error.code == "too_many"


def test_restoring_at_499_is_allowed() -> None:
    board = board_with_cards(MAX_CARDS - 1, deleted=1)
    board, changes = run(board, raw("card.restore", card_id="c499"), "p_mum")
    assert [(c.id, c.deleted) for c in changes] == [("c499", False)]
    assert len(board.live_cards()) == MAX_CARDS


# --- what apply returns, op by op -------------------------------------------------------------


def test_card_add_returns_the_whole_card() -> None:
    board = empty_board()
    message = raw(
        "card.add",
        section="strengths",
        text="  Gran walks them to school  ",
        attributed_to=" Gran ",
        after=None,
    )
    new_board, changes = run(board, message, "p_mum", now=T1, new_id="c_8f2")
    card = Card(
        id="c_8f2",
        section="strengths",
        text="Gran walks them to school",
        position="V",
        author="p_mum",
        created_at=T1,
        updated_at=T1,
        updated_by="p_mum",
        attributed_to="Gran",
    )
    assert changes == [Change("card", "c_8f2", card)]
    assert new_board.cards == {"c_8f2": card}
    assert new_board.meeting == board.meeting
    assert new_board.participants == board.participants
    assert board.cards == {}  # the input board is untouched


def test_card_add_uses_the_client_card_id_over_the_new_id() -> None:
    message = raw("card.add", section="harm", text="x", card_id="c_client")
    board, changes = run(empty_board(), message, "p_mum", new_id="c_server")
    assert list(board.cards) == ["c_client"]
    assert changes[0].id == "c_client"


@pytest.mark.parametrize("existing", ["c_mum", "d_mum"], ids=["live-card", "tombstone"])
def test_card_add_refuses_a_used_card_id(existing: str) -> None:
    message = raw("card.add", section="harm", text="x", card_id=existing)
    error = assert_refused(populated(), message, "p_kid", Invalid)
    assert error.message == "That card id is used already."


def test_card_add_without_any_id_is_invalid() -> None:
    _, op = ops.parse_op(raw("card.add", section="harm", text="x"))
    with pytest.raises(Invalid):
        ops.apply(empty_board(), op, Context("p_mum", T1, new_id=""))


def _three_in_goals() -> Board:
    board = empty_board()
    after = None
    for cid in ("g1", "g2", "g3"):
        board, _ = run(
            board, raw("card.add", section="goals", text=cid, after=after), "p_mum", new_id=cid
        )
        after = cid
    board, _ = run(
        board, raw("card.add", section="safety", text="s", after=None), "p_mum", new_id="s1"
    )
    board, _ = run(
        board, raw("card.add", section="goals", text="gone", after="g3"), "p_mum", new_id="gx"
    )
    board, _ = run(board, raw("card.delete", card_id="gx"), "p_mum")
    return board


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        pytest.param(None, ["new", "g1", "g2", "g3"], id="null-goes-to-top"),
        pytest.param(UNSET, ["new", "g1", "g2", "g3"], id="absent-goes-to-top"),
        pytest.param("g1", ["g1", "new", "g2", "g3"], id="below-first"),
        pytest.param("g2", ["g1", "g2", "new", "g3"], id="below-middle"),
        pytest.param("g3", ["g1", "g2", "g3", "new"], id="below-last"),
        pytest.param("s1", ["g1", "g2", "g3", "new"], id="after-card-in-other-section-goes-to-end"),
        pytest.param("gx", ["g1", "g2", "g3", "new"], id="after-deleted-card-goes-to-end"),
        pytest.param("c_nope", ["g1", "g2", "g3", "new"], id="after-unknown-card-goes-to-end"),
    ],
)
def test_card_add_places_the_card(after: Any, expected: list[str]) -> None:
    board = _three_in_goals()
    fields = {} if after is UNSET else {"after": after}
    new_board, changes = run(
        board, raw("card.add", section="goals", text="x", **fields), "p_kid", new_id="new"
    )
    assert order(new_board, "goals") == expected
    assert [c.id for c in changes] == ["new"]
    assert order(new_board, "safety") == ["s1"]


def test_card_add_after_a_card_that_was_moved_away_lands_at_the_end() -> None:
    board = _three_in_goals()
    # Someone moved g2 to another section before this add (naming g2) arrived.
    board, _ = run(board, raw("card.move", card_id="g2", section="safety", after="s1"), "p_gran")
    board, _ = run(
        board, raw("card.add", section="goals", text="x", after="g2"), "p_kid", new_id="new"
    )
    assert order(board, "goals") == ["g1", "g3", "new"]
    assert order(board, "safety") == ["s1", "g2"]


def test_card_edit_text_sets_updated_from_context() -> None:
    board = populated()
    before = board.cards["c_mum"]
    new_board, changes = run(
        board,
        raw("card.edit", card_id="c_mum", text="  Mum takes them to the GP  "),
        "p_mum",
        now=T1,
    )
    expected = replace(before, text="Mum takes them to the GP", updated_at=T1, updated_by="p_mum")
    assert changes == [Change("card", "c_mum", expected)]
    assert new_board.cards["c_mum"] == expected
    assert expected.created_at == T0
    assert board.cards["c_mum"] == before


def test_facilitator_edit_records_the_facilitator_but_keeps_the_author() -> None:
    board, changes = run(
        populated(), raw("card.edit", card_id="c_mum", text="Reworded"), "p_fac", now=T1
    )
    card = board.cards["c_mum"]
    assert (card.author, card.updated_by, card.updated_at, card.text) == (
        "p_mum",
        "p_fac",
        T1,
        "Reworded",
    )
    assert changes == [Change("card", "c_mum", card)]


@pytest.mark.parametrize(
    ("start", "fields", "expected"),
    [
        pytest.param("Mum", {"attributed_to": None}, None, id="null-clears"),
        pytest.param("Mum", {"attributed_to": "   "}, None, id="blank-clears"),
        pytest.param(None, {"attributed_to": " Dad "}, "Dad", id="set-trimmed"),
        pytest.param("Mum", {"attributed_to": "Gran"}, "Gran", id="replace"),
        pytest.param("Mum", {"text": "New words"}, "Mum", id="text-only-keeps-it"),
    ],
)
def test_card_edit_attribution(
    start: str | None, fields: dict[str, Any], expected: str | None
) -> None:
    board = empty_board()
    board, _ = run(
        board,
        raw("card.add", section="harm", text="Words", attributed_to=start),
        "p_mum",
        new_id="c1",
        now=T0,
    )
    new_board, changes = run(board, raw("card.edit", card_id="c1", **fields), "p_mum", now=T1)
    card = new_board.cards["c1"]
    assert card.attributed_to == expected
    assert (card.updated_at, card.updated_by) == (T1, "p_mum")
    assert changes == [Change("card", "c1", card)]


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"text": "Strength noted by p_mum"}, id="same-text"),
        pytest.param({"text": "  Strength noted by p_mum\n"}, id="same-text-after-trimming"),
        pytest.param({"attributed_to": None}, id="clear-absent-attribution"),
        pytest.param({"attributed_to": "  "}, id="blank-absent-attribution"),
    ],
)
def test_card_edit_without_a_difference_changes_nothing(fields: dict[str, Any]) -> None:
    board = populated()
    new_board, changes = run(board, raw("card.edit", card_id="c_mum", **fields), "p_mum")
    assert changes == []
    assert new_board == board
    assert new_board.cards["c_mum"].updated_at == T0


@pytest.mark.parametrize(
    ("section", "after", "expected_strengths", "expected_target"),
    [
        pytest.param(
            "strengths", None, ["c_gran", "c_fac", "c_mum", "c_kid", "c_sw"], None, id="to-top"
        ),
        pytest.param(
            "strengths",
            "c_kid",
            ["c_fac", "c_mum", "c_kid", "c_gran", "c_sw"],
            None,
            id="same-place",
        ),
        pytest.param(
            "strengths", "c_fac", ["c_fac", "c_gran", "c_mum", "c_kid", "c_sw"], None, id="up"
        ),
        pytest.param(
            "strengths", "c_sw", ["c_fac", "c_mum", "c_kid", "c_sw", "c_gran"], None, id="to-bottom"
        ),
        pytest.param(
            "strengths",
            "d_mum",
            ["c_fac", "c_mum", "c_kid", "c_sw", "c_gran"],
            None,
            id="after-deleted-to-end",
        ),
        pytest.param(
            "strengths",
            "zz",
            ["c_fac", "c_mum", "c_kid", "c_sw", "c_gran"],
            None,
            id="after-unknown-to-end",
        ),
        pytest.param(
            "safety",
            None,
            ["c_fac", "c_mum", "c_kid", "c_sw"],
            ["c_gran", "s1"],
            id="other-section-top",
        ),
        pytest.param(
            "safety",
            "s1",
            ["c_fac", "c_mum", "c_kid", "c_sw"],
            ["s1", "c_gran"],
            id="other-section-below",
        ),
        pytest.param(
            "safety",
            "c_kid",
            ["c_fac", "c_mum", "c_kid", "c_sw"],
            ["s1", "c_gran"],
            id="after-card-left-behind-to-end",
        ),
        pytest.param(
            "goals", None, ["c_fac", "c_mum", "c_kid", "c_sw"], ["c_gran"], id="into-empty-section"
        ),
    ],
)
def test_card_move(
    section: str,
    after: str | None,
    expected_strengths: list[str],
    expected_target: list[str] | None,
) -> None:
    board = populated()
    board, _ = run(board, raw("card.add", section="safety", text="s"), "p_fac", new_id="s1", now=T0)
    before = board.cards["c_gran"]
    # Anyone but a viewer may move anyone's card.
    new_board, changes = run(
        board, raw("card.move", card_id="c_gran", section=section, after=after), "p_kid", now=T1
    )
    moved = new_board.cards["c_gran"]
    assert order(new_board, "strengths") == expected_strengths
    if expected_target is not None:
        assert order(new_board, section) == expected_target
    assert moved == replace(
        before, section=section, position=moved.position, updated_at=T1, updated_by="p_kid"
    )
    assert changes == [Change("card", "c_gran", moved)]


def test_card_delete_leaves_a_tombstone() -> None:
    board = populated()
    new_board, changes = run(board, raw("card.delete", card_id="c_kid"), "p_kid", now=T1)
    assert changes == [Change("card", "c_kid", None, deleted=True)]
    tomb = new_board.cards["c_kid"]
    assert tomb == replace(board.cards["c_kid"], deleted=True, updated_at=T1, updated_by="p_kid")
    assert "c_kid" not in order(new_board, "strengths")
    assert "c_kid" not in [c.id for c in new_board.live_cards()]
    assert not board.cards["c_kid"].deleted


def test_card_delete_twice_changes_nothing() -> None:
    board = populated()
    new_board, changes = run(board, raw("card.delete", card_id="d_kid"), "p_kid")
    assert (new_board, changes) == (board, [])


def test_card_restore_brings_it_back_in_its_place() -> None:
    board = populated()
    board, _ = run(board, raw("card.delete", card_id="c_kid"), "p_kid", now=T0)
    new_board, changes = run(board, raw("card.restore", card_id="c_kid"), "p_fac", now=T1)
    card = new_board.cards["c_kid"]
    assert card == replace(board.cards["c_kid"], deleted=False, updated_at=T1, updated_by="p_fac")
    assert changes == [Change("card", "c_kid", card)]
    assert order(new_board, "strengths") == ["c_fac", "c_mum", "c_kid", "c_gran", "c_sw"]


def test_card_restore_of_a_live_card_changes_nothing() -> None:
    board = populated()
    new_board, changes = run(board, raw("card.restore", card_id="c_kid"), "p_kid")
    assert (new_board, changes) == (board, [])


def test_card_restore_goes_to_the_end_when_its_place_was_given_away() -> None:
    board = empty_board()
    board, _ = run(board, raw("card.add", section="harm", text="a"), "p_mum", new_id="a", now=T0)
    board, _ = run(board, raw("card.delete", card_id="a"), "p_mum", now=T0)
    # A re-spaced section handed the same key to another card.
    board, _ = run(board, raw("card.add", section="harm", text="b"), "p_mum", new_id="b", now=T0)
    board, _ = run(
        board, raw("card.add", section="harm", text="c", after="b"), "p_mum", new_id="c", now=T0
    )
    assert board.cards["a"].position == board.cards["b"].position == "V"
    new_board, changes = run(board, raw("card.restore", card_id="a"), "p_mum", now=T1)
    assert order(new_board, "harm") == ["b", "c", "a"]
    positions = [c.position for c in new_board.section_cards("harm")]
    assert len(set(positions)) == 3
    assert [c.id for c in changes] == ["a"]
    assert not new_board.cards["a"].deleted


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        pytest.param([("p_kid", "agree")], {"p_kid": Stance.AGREE}, id="agree"),
        pytest.param([("p_kid", "disagree")], {"p_kid": Stance.DISAGREE}, id="disagree"),
        pytest.param(
            [("p_kid", "agree"), ("p_kid", "disagree")],
            {"p_kid": Stance.DISAGREE},
            id="change-mind",
        ),
        pytest.param([("p_kid", "agree"), ("p_kid", None)], {}, id="null-clears"),
        pytest.param(
            [("p_kid", "agree"), ("p_sw", "disagree"), ("p_fac", "agree")],
            {"p_kid": Stance.AGREE, "p_sw": Stance.DISAGREE, "p_fac": Stance.AGREE},
            id="several-people",
        ),
        pytest.param(
            [("p_kid", "agree"), ("p_sw", "agree"), ("p_kid", None)],
            {"p_sw": Stance.AGREE},
            id="clear-only-own",
        ),
    ],
)
def test_card_react(steps: list[tuple[str, str | None]], expected: dict[str, Stance]) -> None:
    board = populated()
    before = board.cards["c_mum"]
    for actor, stance in steps:
        board, changes = run(board, raw("card.react", card_id="c_mum", stance=stance), actor)
        assert changes == [Change("card", "c_mum", board.cards["c_mum"])]
    card = board.cards["c_mum"]
    assert dict(card.stances) == expected
    assert replace(card, stances=before.stances) == before  # nothing else on the card moves


@pytest.mark.parametrize(
    ("first", "again"),
    [
        pytest.param(None, None, id="clear-when-none"),
        pytest.param("agree", "agree", id="same-stance"),
    ],
)
def test_card_react_without_a_difference_changes_nothing(
    first: str | None, again: str | None
) -> None:
    board = populated()
    board, _ = run(board, raw("card.react", card_id="c_mum", stance=first), "p_gran")
    new_board, changes = run(board, raw("card.react", card_id="c_mum", stance=again), "p_gran")
    assert (new_board, changes) == (board, [])


def test_stances_cannot_be_changed_in_place() -> None:
    board, _ = run(populated(), raw("card.react", card_id="c_mum", stance="agree"), "p_kid")
    with pytest.raises(TypeError):
        board.cards["c_mum"].stances["p_kid"] = Stance.DISAGREE  # type: ignore[index]


@pytest.mark.parametrize(
    ("fields", "title", "vocabulary"),
    [
        pytest.param(
            {"title": "  Review   meeting  "}, "Review meeting", Vocabulary.SAFETY, id="title"
        ),
        pytest.param(
            {"vocabulary": "wellbeing"},
            "Family meeting for the Ahmed children",
            Vocabulary.WELLBEING,
            id="vocabulary",
        ),
        pytest.param(
            {"title": "Review", "vocabulary": "wellbeing"},
            "Review",
            Vocabulary.WELLBEING,
            id="both",
        ),
    ],
)
def test_meeting_edit(fields: dict[str, Any], title: str, vocabulary: Vocabulary) -> None:
    board = populated()
    new_board, changes = run(board, raw("meeting.edit", **fields), "p_fac")
    meeting = replace(board.meeting, title=title, vocabulary=vocabulary)
    assert new_board.meeting == meeting
    assert changes == [Change("meeting", MEETING_ID, meeting)]
    assert new_board.cards == board.cards


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"title": "Family meeting for the Ahmed children"}, id="same-title"),
        pytest.param(
            {"title": " Family  meeting for the Ahmed\tchildren "}, id="same-title-after-cleaning"
        ),
        pytest.param({"vocabulary": "safety"}, id="same-vocabulary"),
    ],
)
def test_meeting_edit_without_a_difference_changes_nothing(fields: dict[str, Any]) -> None:
    board = populated()
    assert run(board, raw("meeting.edit", **fields), "p_fac") == (board, [])


def test_meeting_lock_and_unlock() -> None:
    board = populated()
    locked, changes = run(board, raw("meeting.lock"), "p_fac")
    assert locked.meeting == replace(board.meeting, status=Status.LOCKED)
    assert changes == [Change("meeting", MEETING_ID, locked.meeting)]
    opened, changes = run(locked, raw("meeting.unlock"), "p_fac")
    assert opened.meeting == board.meeting
    assert changes == [Change("meeting", MEETING_ID, board.meeting)]


@pytest.mark.parametrize(
    ("status", "op_type"),
    [
        pytest.param(Status.LOCKED, "meeting.lock", id="lock-when-locked"),
        pytest.param(Status.OPEN, "meeting.unlock", id="unlock-when-open"),
    ],
)
def test_meeting_lock_unlock_no_ops(status: Status, op_type: str) -> None:
    board = populated(status)
    assert run(board, raw(op_type), "p_fac") == (board, [])


def test_meeting_edit_when_locked_says_unlock_first() -> None:
    error = assert_refused(
        populated(Status.LOCKED), raw("meeting.edit", title="x"), "p_fac", Locked
    )
    assert error.message == "Unlock the meeting to change it."


# --- ParticipantJoin (server-internal) --------------------------------------------------------


@pytest.mark.parametrize("status", [Status.OPEN, Status.LOCKED], ids=str)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_participant_join(role: Role, status: Status) -> None:
    board = populated(status)
    new_board, changes = ops.apply(
        board, ParticipantJoin("p_new", "  Uncle   Tariq ", role), Context("p_new", T1)
    )
    participant = Participant("p_new", "Uncle Tariq", role, T1)
    assert changes == [Change("participant", "p_new", participant)]
    assert new_board.participants["p_new"] == participant
    assert len(new_board.participants) == len(PEOPLE) + 1
    assert "p_new" not in board.participants


@pytest.mark.parametrize(
    ("op", "status", "error"),
    [
        pytest.param(
            ParticipantJoin("p_mum", "Sam again", Role.PARENT),
            Status.OPEN,
            Invalid,
            id="already-joined",
        ),
        pytest.param(
            ParticipantJoin("p_new", "Eve", Role.PARENT), Status.CLOSED, Locked, id="closed-meeting"
        ),
        pytest.param(
            ParticipantJoin("p_new", "   ", Role.PARENT), Status.OPEN, Invalid, id="blank-name"
        ),
        pytest.param(
            ParticipantJoin("p_new", "", Role.NETWORK), Status.OPEN, Invalid, id="empty-name"
        ),
        pytest.param(
            ParticipantJoin("p_new", "N" * 81, Role.CHILD), Status.OPEN, TooLong, id="name-81"
        ),
    ],
)
def test_participant_join_refusals(
    op: ParticipantJoin, status: Status, error: type[KinboardError]
) -> None:
    board = populated(status)
    before = snapshot(board)
    with pytest.raises(error) as caught:
        ops.apply(board, op, Context(op.participant_id, T1))
    assert caught.value.code == error.code
    assert snapshot(board) == before


def test_participant_join_name_of_80_chars_is_accepted() -> None:
    board, _ = ops.apply(
        empty_board(), ParticipantJoin("p_new", "N" * 80, Role.CHILD), Context("p_new", T1)
    )
    assert board.participants["p_new"].name == "N" * 80


def test_a_newly_joined_parent_can_add_a_card() -> None:
    board, _ = ops.apply(
        empty_board(), ParticipantJoin("p_dad", "Dad", Role.PARENT), Context("p_dad", T1)
    )
    board, _ = run(board, raw("card.add", section="safety", text="I stopped drinking"), "p_dad")
    assert board.cards["c_new"].author == "p_dad"


# --- immutability -----------------------------------------------------------------------------


REFUSED = [
    ("viewer-add", raw("card.add", section="harm", text="x"), "p_tv"),
    ("parent-edits-others", raw("card.edit", card_id="c_fac", text="x"), "p_mum"),
    ("edit-deleted", raw("card.edit", card_id="d_mum", text="x"), "p_mum"),
    ("parent-locks", raw("meeting.lock"), "p_mum"),
    ("stranger-reacts", raw("card.react", card_id="c_mum", stance="agree"), "p_x"),
]


@pytest.mark.parametrize(("message", "actor"), [pytest.param(m, a, id=i) for i, m, a in REFUSED])
def test_refused_ops_leave_the_board_as_it_was(message: dict[str, Any], actor: str) -> None:
    board = populated()
    before = snapshot(board)
    cards = dict(board.cards)
    with pytest.raises(KinboardError):
        run(board, message, actor)
    assert snapshot(board) == before
    assert dict(board.cards) == cards


def test_board_values_are_frozen() -> None:
    board = populated()
    with pytest.raises(FrozenInstanceError):
        board.meeting.title = "x"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        board.cards["c_mum"].text = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        board.cards["c_x"] = board.cards["c_mum"]  # type: ignore[index]
    with pytest.raises(TypeError):
        board.participants["p_x"] = board.participants["p_mum"]  # type: ignore[index]


def test_successful_ops_do_not_touch_the_input_board() -> None:
    board = populated()
    before = snapshot(board)
    for message, actor in [
        (raw("card.add", section="harm", text="x"), "p_mum"),
        (raw("card.edit", card_id="c_mum", text="other"), "p_mum"),
        (raw("card.move", card_id="c_mum", section="goals", after=None), "p_mum"),
        (raw("card.delete", card_id="c_mum"), "p_mum"),
        (raw("card.restore", card_id="d_mum"), "p_mum"),
        (raw("card.react", card_id="c_mum", stance="agree"), "p_mum"),
        (raw("meeting.edit", title="x"), "p_fac"),
        (raw("meeting.lock"), "p_fac"),
    ]:
        new_board, changes = run(board, message, actor)
        assert changes
        assert snapshot(board) == before
        assert new_board is not board


# --- codec ------------------------------------------------------------------------------------


def _varied_board() -> Board:
    board = populated()
    board, _ = run(
        board,
        raw("card.add", section="danger", text="Dad shouts", attributed_to="Mum"),
        "p_sw",
        new_id="c_dan",
    )
    board, _ = run(board, raw("card.react", card_id="c_dan", stance="agree"), "p_mum")
    board, _ = run(board, raw("card.react", card_id="c_dan", stance="disagree"), "p_gran")
    board, _ = run(board, raw("meeting.edit", vocabulary="wellbeing"), "p_fac")
    return board


def test_board_records_round_trip() -> None:
    board = _varied_board()
    records = storage.board_records(board)
    assert set(records) == (
        {f"meeting:{MEETING_ID}"}
        | {f"participant:{pid}" for pid in PEOPLE}
        | {f"card:{cid}" for cid in board.cards}
    )
    assert json.loads(records["card:d_mum"])["deleted"] is True
    assert json.loads(records["card:c_dan"])["stances"] == {"p_mum": "agree", "p_gran": "disagree"}
    restored = storage.board_from_records(records)
    assert restored == board
    assert restored.cards["c_dan"].stances["p_gran"] is Stance.DISAGREE
    assert restored.meeting.vocabulary is Vocabulary.WELLBEING
    assert restored.participants["p_tv"].role is Role.VIEWER


def test_board_from_records_needs_a_meeting() -> None:
    records = storage.board_records(populated())
    del records[f"meeting:{MEETING_ID}"]
    with pytest.raises(ValueError):
        storage.board_from_records(records)


def test_encode_change_of_a_card() -> None:
    board, changes = run(
        empty_board(),
        raw("card.add", section="harm", text="Bruise", attributed_to="School"),
        "p_sw",
        new_id="c1",
    )
    board, changes = run(board, raw("card.react", card_id="c1", stance="agree"), "p_fac")
    assert [wire.encode_change(c) for c in changes] == [
        {
            "entity": "card",
            "id": "c1",
            "value": {
                "id": "c1",
                "section": "harm",
                "text": "Bruise",
                "position": "V",
                "author": "p_sw",
                "created_at": T1,
                "updated_at": T1,
                "updated_by": "p_sw",
                "attributed_to": "School",
                "stances": {"p_fac": "agree"},
                "owner": None,
                "due": None,
                "set_aside": None,
                "from_last_meeting": False,
            },
        }
    ]


def test_encode_change_of_a_deletion_meeting_and_participant() -> None:
    _, deleted = run(populated(), raw("card.delete", card_id="c_mum"), "p_mum")
    assert [wire.encode_change(c) for c in deleted] == [
        {"entity": "card", "id": "c_mum", "deleted": True}
    ]
    _, locked = run(populated(), raw("meeting.lock"), "p_fac")
    assert [wire.encode_change(c) for c in locked] == [
        {
            "entity": "meeting",
            "id": MEETING_ID,
            "value": {
                "id": MEETING_ID,
                "title": "Family meeting for the Ahmed children",
                "kind": "initial",
                "status": "locked",
                "vocabulary": "safety",
                "previous": None,
                "created_at": T0,
                "worry_threshold": 2,
                "closed_at": None,
            },
        }
    ]
    _, joined = ops.apply(
        empty_board(), ParticipantJoin("p_x", "Eve", Role.NETWORK), Context("p_x", T1)
    )
    assert [wire.encode_change(c) for c in joined] == [
        {
            "entity": "participant",
            "id": "p_x",
            "value": {
                "id": "p_x",
                "name": "Eve",
                "role": "network",
                "joined_at": T1,
                "removed": False,
                "device": None,
            },
        }
    ]


def test_stored_changes_keep_the_tombstone() -> None:
    board, changes = run(populated(), raw("card.delete", card_id="c_mum"), "p_mum", now=T1)
    stored, secrets = storage.stored_changes(changes, board)
    assert list(stored) == ["card:c_mum"]
    assert secrets == {}
    record = json.loads(stored["card:c_mum"])
    assert (record["deleted"], record["updated_at"], record["text"]) == (
        True,
        T1,
        "Strength noted by p_mum",
    )


def test_encode_board_shows_live_cards_only_in_order() -> None:
    encoded = wire.encode_board(_varied_board())
    ids = [card["id"] for card in encoded["cards"]]
    assert ids == ["c_dan", "c_fac", "c_mum", "c_kid", "c_gran", "c_sw"]
    assert all("deleted" not in card for card in encoded["cards"])
    assert encoded["meeting"]["vocabulary"] == "wellbeing"
    # In the order they joined (here all at once, so by id).
    assert [p["id"] for p in encoded["participants"]] == sorted(PEOPLE)


SEQUENCE = [
    ("p_mum", raw("card.add", section="strengths", text="Mum walks them", after=None), "c1"),
    ("p_gran", raw("card.add", section="strengths", text="Gran cooks", after="c1"), "c2"),
    ("p_sw", raw("card.add", section="danger", text="Missed school", attributed_to="School"), "c3"),
    ("p_kid", raw("card.react", card_id="c1", stance="agree"), ""),
    (
        "p_mum",
        raw("card.edit", card_id="c1", text="Mum walks them every day", attributed_to=None),
        "",
    ),
    ("p_kid", raw("card.move", card_id="c2", section="safety", after=None), ""),
    ("p_kid", raw("card.react", card_id="c1", stance=None), ""),
    ("p_fac", raw("meeting.edit", title="Ahmed family review"), ""),
    ("p_sw", raw("card.add", section="danger", text="Temporary", after="c3"), "c4"),
    ("p_sw", raw("card.delete", card_id="c4"), ""),
    ("p_mum", raw("card.delete", card_id="c1"), ""),
    ("p_fac", raw("card.restore", card_id="c1"), ""),
    ("p_fac", raw("meeting.lock"), ""),
    ("p_fac", raw("meeting.unlock"), ""),
]


def _replay(board: Board) -> tuple[Board, Board]:
    """(the board after SEQUENCE, the board rebuilt from its JSON-encoded changes alone)."""
    replayed = board
    for i, (actor, message, new_id) in enumerate(SEQUENCE):
        now = f"2026-11-27T10:00:{i:02d}.000Z"
        board, changes = run(board, message, actor, now=now, new_id=new_id)
        sent = json.loads(json.dumps([wire.encode_change(c) for c in changes]))
        replayed = storage.apply_encoded(replayed, sent, actor, now)
    return board, replayed


def test_apply_encoded_reproduces_what_participants_see() -> None:
    board, replayed = _replay(empty_board())
    assert wire.encode_board(replayed) == wire.encode_board(board)
    assert order(replayed, "strengths") == ["c1"]
    assert order(replayed, "safety") == ["c2"]
    assert replayed.meeting.title == "Ahmed family review"


def test_apply_encoded_reproduces_the_whole_board_including_tombstones() -> None:
    board, replayed = _replay(empty_board())
    assert replayed == board


# --- changing one's name ----------------------------------------------------------------------


@pytest.mark.parametrize("role", EDITOR_ROLES, ids=str)
def test_a_participant_renames_themselves_and_nobody_else(role: Role) -> None:
    board = empty_board()
    actor = BY_ROLE[role]
    message = raw("participant.rename", name="  Fay,   social worker ")
    renamed, changes = run(board, message, actor)
    assert renamed.participants[actor].name == "Fay, social worker"
    assert changes == [Change("participant", actor, renamed.participants[actor])]
    assert {p: renamed.participants[p].name for p in PEOPLE if p != actor} == {
        p: name for p, (name, _) in PEOPLE.items() if p != actor
    }
    # The same name again changes nothing.
    assert run(renamed, message, actor) == (renamed, [])


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (raw("participant.rename"), Invalid),
        (raw("participant.rename", name="   "), Invalid),
        (raw("participant.rename", name=7), Invalid),
        (raw("participant.rename", name="x" * 81), TooLong),
        (raw("participant.rename", name="Fay", participant_id="p_mum"), Invalid),
    ],
    ids=["missing", "blank", "not-text", "too-long", "someone-else"],
)
def test_a_bad_rename_is_refused(message: dict[str, Any], error: type[KinboardError]) -> None:
    with pytest.raises(error):
        run(empty_board(), message, "p_fac")


def test_the_room_screen_cannot_rename_itself_and_a_closed_meeting_keeps_its_names() -> None:
    message = raw("participant.rename", name="Fay")
    assert_refused(empty_board(), message, "p_tv", Forbidden)
    assert_refused(empty_board(Status.CLOSED), message, "p_fac", Locked)
