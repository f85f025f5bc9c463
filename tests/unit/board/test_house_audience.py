"""`house.audience`: the facilitator hides a child's shared item from named people, keeps it
for professionals only, or shows it to everyone again, on the one rule cards use
(visibility.py). The child always sees their own item; every refusal changes nothing; each
viewer is sent an add or a removal exactly when their view changes; a card placed from the
item is kept from the same people; and the marking outlasts the child taking it back.

Table-driven: each refusal names the op, who sends it and the error.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from server import documents, minutes_markdown
from server.board import export, minutes_content, storage, wire
from server.board.errors import Closed, Forbidden, Invalid, MinutesTaken, NotFound
from server.board.model import Board, Status
from server.board.visibility import (
    ANYONE,
    EVERYONE,
    STAFF,
    Audience,
    Reach,
    Viewer,
    changes_for,
    restricted,
)
from tests.support.boards import raw, with_status
from tests.unit.board.test_houses import (
    FAC,
    KID,
    MUM,
    SIS,
    SW,
    TV,
    assert_refused,
    run,
    taken,
    with_items,
)

GRAN = "p_gran"
HIDE_FROM_MUM = {"kind": "hidden_from", "people": [MUM]}
PROS = {"kind": "professionals"}
CLEAR = {"kind": "everyone"}


def mark(audience: Any, item_id: str = "i_all") -> dict[str, Any]:
    return raw("house.audience", item_id=item_id, audience=audience)


def marked(board: Board, audience: Any = HIDE_FROM_MUM) -> Board:
    return run(board, mark(audience), FAC)[0]


def viewer(board: Board, pid: str) -> Viewer:
    return board.participants[pid].viewer


def item_ids(board: Board, who: Viewer) -> set[str]:
    return {i["id"] for i in wire.encode_board(board, who)["house_items"]}


def card_ids(board: Board, who: Viewer) -> set[str]:
    return {c["id"] for c in wire.encode_board(board, who)["cards"]}


# --- refusals -----------------------------------------------------------------------------

REFUSALS = [
    ("parent", MUM, mark(PROS), Forbidden),
    ("professional", SW, mark(PROS), Forbidden),
    ("the-child", KID, mark(HIDE_FROM_MUM), Forbidden),
    ("network", GRAN, mark(PROS), Forbidden),
    ("screen", TV, mark(PROS), Forbidden),
    ("not-in-meeting", FAC, mark({"kind": "hidden_from", "people": ["p_x"]}), Invalid),
    ("the-child-named", FAC, mark({"kind": "hidden_from", "people": [KID]}), Invalid),
    ("facilitator-named", FAC, mark({"kind": "hidden_from", "people": [FAC]}), Invalid),
    ("nobody-named", FAC, mark({"kind": "hidden_from", "people": []}), Invalid),
    ("only-is-the-childs", FAC, mark({"kind": "only", "people": [KID]}), Invalid),
    ("not-an-object", FAC, mark("professionals"), Invalid),
    ("no-audience", FAC, raw("house.audience", item_id="i_all"), Invalid),
    ("only-my-worker", FAC, mark(PROS, "i_worker"), NotFound),
    ("nobody-yet", FAC, mark(PROS, "i_nobody"), NotFound),
    ("someone-elses-unshared", FAC, mark(PROS, "i_sis"), NotFound),
    ("unknown", FAC, mark(PROS, "i_none"), NotFound),
]  # fmt: skip


@pytest.mark.parametrize(
    ("actor", "message", "error"), [pytest.param(*case[1:], id=case[0]) for case in REFUSALS]
)
def test_refusals_change_nothing(actor: str, message: dict[str, Any], error: type) -> None:
    assert_refused(with_items(), message, actor, error)


def test_an_item_taken_back_or_removed_is_refused_as_missing() -> None:
    for message in (
        raw("house.share", item_id="i_all", sharing="nobody"),
        raw("house.remove", item_id="i_all"),
    ):
        board, _ = run(with_items(), message, KID)
        assert_refused(board, mark(PROS), FAC, NotFound)


@pytest.mark.parametrize(
    ("audience", "error"),
    [(CLEAR, Forbidden), ({"kind": "hidden_from", "people": [SIS]}, NotFound), (PROS, NotFound)],
    ids=["seen", "hidden-from-her", "professionals"],
)
def test_another_child_reaching_for_a_kept_item_is_told_nothing_of_it(
    audience: dict[str, Any], error: type
) -> None:
    board = marked(with_items(), audience)
    for message in (
        raw("house.edit", item_id="i_all", words="mine"),
        raw("house.share", item_id="i_all", sharing="nobody"),
        raw("house.remove", item_id="i_all"),
    ):
        assert_refused(board, message, SIS, error)


def test_a_closed_meeting_or_minutes_taken_refuse_it() -> None:
    assert_refused(with_status(with_items(), Status.CLOSED), mark(PROS), FAC, Closed)
    error = assert_refused(taken(with_items()), mark(PROS), FAC, MinutesTaken)
    assert "minutes" in error.message


# --- what it does ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "stored", "without"),
    [
        (HIDE_FROM_MUM, Audience(Reach.HIDDEN_FROM, (MUM,)), {MUM, TV}),
        (PROS, Audience(Reach.PROFESSIONALS), {MUM, GRAN, SIS, TV}),
    ],
    ids=["hidden-from-mum", "professionals"],
)
def test_each_person_is_sent_the_houses_without_what_is_kept_from_them(
    audience: dict[str, Any], stored: Audience, without: set[str]
) -> None:
    board, changes = run(with_items(), mark(audience), FAC)
    item = board.house_items["i_all"]
    assert item.marking == stored
    (change,) = changes
    assert (change.entity, change.was) == ("house_item", EVERYONE)
    for pid in board.participants:
        expected = set() if pid in without else {"i_all"}
        assert item_ids(board, viewer(board, pid)) == expected, pid
    assert item_ids(board, STAFF) == {"i_all"}
    assert item_ids(board, ANYONE) == set()  # nor the display
    # Those who see it see its marking; the child always sees their own.
    (mine,) = wire.encode_board(board, viewer(board, KID))["house_items"]
    assert mine["marking"]["kind"] == audience["kind"]


def test_the_same_marking_again_changes_nothing_and_clearing_is_as_before() -> None:
    board = marked(with_items())
    assert run(board, mark(HIDE_FROM_MUM), FAC) == (board, [])
    cleared = marked(board, CLEAR)
    assert storage.board_records(cleared) == storage.board_records(with_items())
    assert "marking" not in wire.encode_board(with_items(), STAFF)["house_items"][0]


def test_it_survives_storage_and_the_log() -> None:
    board, changes = run(with_items(), mark(PROS), FAC)
    stored = storage.board_from_records(storage.board_records(board))
    assert stored.house_items["i_all"].marking == Audience(Reach.PROFESSIONALS)
    encoded = [wire.encode_change(c) for c in changes]
    replayed = storage.apply_encoded(with_items(), encoded, FAC, "t")
    assert replayed.house_items["i_all"].marking == Audience(Reach.PROFESSIONALS)


def test_each_viewer_gets_an_add_or_a_removal_exactly_when_their_view_changes() -> None:
    board = with_items()
    steps = [
        (HIDE_FROM_MUM, {MUM: "deleted", TV: "deleted"}),
        (PROS, {GRAN: "deleted", SIS: "deleted"}),
        (HIDE_FROM_MUM, {GRAN: "value", SIS: "value"}),
        (CLEAR, {MUM: "value", TV: "value"}),
    ]
    for audience, expected in steps:
        board, changes = run(board, mark(audience), FAC)
        encoded = [wire.encode_change(c) for c in changes]
        assert restricted(encoded)
        for pid, participant in board.participants.items():
            got = changes_for(participant.viewer, encoded)
            if pid in expected:
                (change,) = got
                assert expected[pid] in change, pid
                assert set(change) & {"audience", "was"} == set()
            elif "i_all" in item_ids(board, participant.viewer):
                assert [c["id"] for c in got if "value" in c] == ["i_all"], pid
            else:
                assert got == [], pid


# --- the child's choice and the marking together --------------------------------------------


def test_taking_it_back_and_sharing_again_keeps_it_from_the_same_people() -> None:
    board = marked(with_items())
    board, back = run(board, raw("house.share", item_id="i_all", sharing="worker"), KID)
    # The removal of the shared copy goes only to those who saw it.
    encoded = [wire.encode_change(c) for c in back if not c.secret]
    assert [c["entity"] for c in encoded] == ["house_item"]
    assert changes_for(viewer(board, MUM), encoded) == []
    assert [c["id"] for c in changes_for(viewer(board, GRAN), encoded)] == ["i_all"]
    assert board.private_items["i_all"].marking == Audience(Reach.HIDDEN_FROM, (MUM,))
    board, again = run(board, raw("house.share", item_id="i_all", sharing="everyone"), KID)
    encoded = [wire.encode_change(c) for c in again if not c.secret]
    assert changes_for(viewer(board, MUM), encoded) == []
    assert item_ids(board, viewer(board, MUM)) == set()
    assert item_ids(board, viewer(board, GRAN)) == {"i_all"}


# --- its card on the map --------------------------------------------------------------------


def place(board: Board) -> Board:
    return run(board, raw("house.place", item_id="i_all", section="harm"), FAC, "c_ava")[0]


@pytest.mark.parametrize("placed_first", [True, False], ids=["then-marked", "marked-then-placed"])
def test_its_card_is_kept_from_the_same_people(placed_first: bool) -> None:
    board = marked(place(with_items())) if placed_first else place(marked(with_items()))
    assert board.cards["c_ava"].audience == Audience(Reach.HIDDEN_FROM, (MUM,))
    assert "c_ava" not in card_ids(board, viewer(board, MUM))
    assert "c_ava" not in card_ids(board, ANYONE)
    assert "c_ava" in card_ids(board, viewer(board, GRAN))
    cleared = marked(board, CLEAR)
    assert cleared.cards["c_ava"].audience == EVERYONE
    assert "c_ava" in card_ids(cleared, viewer(cleared, MUM))


def test_marking_a_placed_item_tells_the_hidden_person_of_neither() -> None:
    board, changes = run(place(with_items()), mark(PROS), FAC)
    encoded = [wire.encode_change(c) for c in changes]
    got = changes_for(viewer(board, MUM), encoded)
    assert sorted((c["entity"], c["id"], "deleted" in c) for c in got) == [
        ("card", "c_ava", True),
        ("house_item", "i_all", True),
    ]


def test_the_card_of_an_item_is_marked_only_on_the_item() -> None:
    board = place(with_items())
    message = raw("card.audience", card_id="c_ava", audience=PROS)
    error = assert_refused(board, message, FAC, Invalid)
    assert "three houses" in error.message


# --- minutes and export --------------------------------------------------------------------


def test_minutes_keep_the_marking_and_each_copy_leaves_out_what_its_reader_may_not_see() -> None:
    board = taken(marked(with_items()))
    body = board.snapshots["1"].body

    def words(who: Viewer) -> list[str]:
        copy = minutes_content.content_for(json.loads(body), who)
        return [i["words"] for c in copy["houses"] for h in c["houses"] for i in h["items"]]

    assert words(STAFF) == ["i_all words"]
    assert words(viewer(board, KID)) == ["i_all words"]
    assert words(viewer(board, MUM)) == []
    assert words(ANYONE) == []
    view = documents.minutes_view(board.minutes["1"], body, STAFF)
    assert "- i\\_all words (Hidden from Sam)" in minutes_markdown.to_markdown(view)


def test_the_childs_export_still_has_their_own_marked_item() -> None:
    board = marked(with_items(), PROS)
    mine = export.encode_person(board, KID)["three_houses"]
    assert [i["id"] for i in mine] == ["i_all"]
