"""The pure domain core: applying ops, every refusal by role, status and limit, and what
each op returns.

Table-driven: each case names the op, the acting role and what must come back.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from types import MappingProxyType
from typing import Any

import pytest

from server.board import ops, storage
from server.board.errors import (
    Closed,
    Forbidden,
    Invalid,
    KinboardError,
    Locked,
    NotFound,
    TooLong,
    TooMany,
)
from server.board.limits import MAX_CARDS
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Card, Change, Participant, Stance, Status, Vocabulary
from server.board.ops import Context
from server.board.parsing import UNSET
from server.board.positions import even_keys
from server.board.roles import Role
from server.board.template import SECTIONS
from tests.support.boards import (
    BY_ROLE,
    EDITOR_ROLES,
    MID,
    PEOPLE,
    T0,
    T1,
    card_id_of,
    empty_board,
    order,
    populated,
    raw,
    run,
)


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
        "meeting-edit": (raw("meeting.edit", title="Review meeting"), MID),
        "meeting-lock": (raw("meeting.lock"), MID),
    }
    if action == "meeting-unlock":
        return raw("meeting.unlock"), Status.LOCKED, MID
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
        assert changes == [Change("meeting", MID, new_board.meeting)]
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
    error = assert_refused(populated(Status.CLOSED), EVERY_OP[op_type], BY_ROLE[role], Closed)
    assert error.code == "closed" and "ended" in error.message


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
    assert changes == [Change("meeting", MID, meeting)]
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
    assert changes == [Change("meeting", MID, locked.meeting)]
    opened, changes = run(locked, raw("meeting.unlock"), "p_fac")
    assert opened.meeting == board.meeting
    assert changes == [Change("meeting", MID, board.meeting)]


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
            ParticipantJoin("p_new", "Eve", Role.PARENT), Status.CLOSED, Closed, id="closed-meeting"
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
    assert_refused(empty_board(Status.CLOSED), message, "p_fac", Closed)
