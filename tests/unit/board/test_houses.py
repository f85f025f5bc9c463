"""The child's three houses in the pure core: every op, who may do it, where each item is
kept by who can see it, and every refusal (which changes nothing).

Table-driven: each case names the op, who sends it and what must come back.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from server import documents, i18n, minutes_markdown
from server.board import export, houses, ops, storage, wire
from server.board.errors import (
    Closed,
    Forbidden,
    Invalid,
    KinboardError,
    Locked,
    MinutesTaken,
    NotFound,
    TooLong,
    TooMany,
)
from server.board.limits import DRAWING_SIZE, MAX_HOUSE_ITEMS, MAX_POINTS, MAX_STROKES
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Change, House, Sharing, Status
from server.board.ops import Context
from server.board.visibility import STAFF, visible
from server.pictures import PICTURES, placed_words
from tests.support.boards import T0, T1, empty_board, raw, with_status

KID, SIS, FAC, MUM, SW, TV = "p_kid", "p_sis", "p_fac", "p_mum", "p_sw", "p_tv"
SUN = "2600"
DRAWN = [[10, 10, 20, 20.4, 30, 30], [500, 500, 1000, 0]]


def run(board: Board, message: dict[str, Any], actor: str, new_id: str = "c_new") -> Any:
    _, op = ops.parse_op(message)
    return ops.apply(board, op, Context(actor, T1, new_id, pictures=PICTURES))


def board_with_sister() -> Board:
    board = empty_board()
    board, _ = ops.apply(board, ParticipantJoin(SIS, "Mia", _child_role()), Context(SIS, T0))
    return board


def _child_role() -> Any:
    return empty_board().participants[KID].role


def with_items(board: Board | None = None) -> Board:
    """Ayaan's three items, one per sharing, and Mia's unshared one."""
    board = board or board_with_sister()
    for item_id, house, sharing, actor in (
        ("i_all", "worries", "everyone", KID),
        ("i_worker", "good_things", "worker", KID),
        ("i_nobody", "dreams", "nobody", KID),
        ("i_sis", "dreams", "nobody", SIS),
    ):
        message = raw("house.add", item_id=item_id, house=house, words=f"{item_id} words")
        board, _ = run(board, {**message, "sharing": sharing}, actor)
    return board


def stored(board: Board) -> tuple[dict[str, str], dict[str, str]]:
    secrets = {
        storage.storage_key("private_item", key): repr(item)
        for key, item in board.private_items.items()
    }
    return storage.board_records(board), secrets


def assert_refused(
    board: Board, message: dict[str, Any], actor: str, error: type[KinboardError]
) -> KinboardError:
    before = stored(board)
    with pytest.raises(KinboardError) as caught:
        run(board, message, actor)
    assert type(caught.value) is error, caught.value
    assert caught.value.message
    assert stored(board) == before
    return caught.value


# --- adding, and where each item is kept -------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"words": "  I miss   my dog "}, {"words": "I miss my dog"}),
        ({"picture": SUN}, {"picture": SUN}),
        ({"strokes": DRAWN}, {"strokes": ((10, 10, 20, 20, 30, 30), (500, 500, 1000, 0))}),
    ],
)
@pytest.mark.parametrize("sharing", ["everyone", "worker", "nobody", None])
def test_a_child_adds_words_a_picture_or_a_drawing(
    content: dict[str, Any], expected: dict[str, Any], sharing: str | None
) -> None:
    message = raw("house.add", item_id="i_1", house="dreams", **content)
    if sharing is not None:
        message["sharing"] = sharing
    board, changes = run(board_with_sister(), message, KID)
    chosen = Sharing(sharing or "nobody")  # nobody yet, unless the child says
    shared = chosen is Sharing.EVERYONE
    item = (board.house_items if shared else board.private_items)["i_1"]
    assert (item.child, item.house, item.sharing) == (KID, House.DREAMS, chosen)
    assert {k: getattr(item, k) for k in expected} == expected
    assert "i_1" not in (board.private_items if shared else board.house_items)
    assert [(c.entity, c.id, c.secret) for c in changes] == [
        ("house_item" if shared else "private_item", "i_1", not shared)
    ]
    # Only a shared item reaches the board everyone is sent.
    sent = [i["id"] for i in wire.encode_board(board)["house_items"]]
    assert sent == (["i_1"] if shared else [])


@pytest.mark.parametrize("actor", [FAC, MUM, SW, "p_gran"])
def test_only_a_child_adds_to_houses(actor: str) -> None:
    message = raw("house.add", item_id="i_1", house="worries", words="hello")
    error = assert_refused(board_with_sister(), message, actor, Forbidden)
    assert "child" in error.message


def test_the_room_screen_adds_nothing() -> None:
    message = raw("house.add", item_id="i_1", house="worries", words="hello")
    assert_refused(board_with_sister(), message, TV, Forbidden)


# --- refusals of what is sent ----------------------------------------------------------------


def _points(n: int) -> list[int]:
    return [5] * (2 * n)


BAD_ADDS: list[tuple[str, dict[str, Any], type[KinboardError], str]] = [
    ("no content", {}, Invalid, "one thing"),
    ("two contents", {"words": "hi", "picture": SUN}, Invalid, "one thing"),
    ("blank words", {"words": "   "}, Invalid, "something"),
    ("words too long", {"words": "a" * 501}, TooLong, "500"),
    ("words not a string", {"words": 7}, Invalid, "string"),
    ("a picture not in the set", {"picture": "1F52B"}, Invalid, "picture"),
    ("a picture that is markup", {"picture": "<svg onload=x>"}, Invalid, "picture"),
    ("a picture id not a string", {"picture": 9728}, Invalid, "picture"),
    ("a drawing that is markup", {"strokes": "<path d='M0 0'/>"}, Invalid, "strokes"),
    ("no strokes", {"strokes": []}, Invalid, "strokes"),
    ("a stroke not a list", {"strokes": [{"x": 1}]}, Invalid, "strokes"),
    ("an odd number of numbers", {"strokes": [[1, 2, 3]]}, Invalid, "strokes"),
    ("a number as a string", {"strokes": [[1, "2"]]}, Invalid, "numbers"),
    ("true as a number", {"strokes": [[1, True]]}, Invalid, "numbers"),
    ("null as a number", {"strokes": [[1, None]]}, Invalid, "numbers"),
    ("below the drawing", {"strokes": [[1, -1]]}, Invalid, "0 to"),
    ("past the drawing", {"strokes": [[DRAWING_SIZE + 0.5, 1]]}, Invalid, "0 to"),
    ("too many strokes", {"strokes": [[1, 1]] * (MAX_STROKES + 1)}, TooMany, "200"),
    ("too many points", {"strokes": [_points(MAX_POINTS // 2)] * 2 + [[1, 1]]}, TooMany, "20000"),
    ("no such house", {"words": "hi", "house": "garage"}, Invalid, "house"),
    ("no such sharing", {"words": "hi", "sharing": "mum"}, Invalid, "sharing"),
    ("an unknown field", {"words": "hi", "colour": "red"}, Invalid, "colour"),
    ("a bad item id", {"words": "hi", "item_id": "no spaces"}, Invalid, "item_id"),
]


@pytest.mark.parametrize(
    ("fields", "error", "says"), [case[1:] for case in BAD_ADDS], ids=[c[0] for c in BAD_ADDS]
)
def test_bad_adds_are_refused(fields: dict[str, Any], error: type, says: str) -> None:
    message = {**raw("house.add", item_id="i_1", house="worries"), **fields}
    caught = assert_refused(board_with_sister(), message, KID, error)
    assert says in caught.message.replace(",", "")


def test_the_largest_drawing_is_taken() -> None:
    most = [_points(MAX_POINTS // MAX_STROKES)] * MAX_STROKES
    message = raw("house.add", item_id="i_1", house="worries", strokes=most)
    board, _ = run(board_with_sister(), message, KID)
    drawn = board.private_items["i_1"].strokes
    assert drawn is not None
    assert sum(len(s) // 2 for s in drawn) == MAX_POINTS


def test_an_item_id_is_used_once() -> None:
    message = raw("house.add", item_id="i_nobody", house="worries", words="again")
    assert_refused(with_items(), message, KID, Invalid)


def test_houses_hold_a_limited_number_of_items() -> None:
    board = board_with_sister()
    for n in range(MAX_HOUSE_ITEMS):
        board, _ = run(board, raw("house.add", item_id=f"i_{n}", house="dreams", words="x"), KID)
    message = raw("house.add", item_id="i_more", house="dreams", words="x")
    assert_refused(board, message, KID, TooMany)
    # Her sister's houses are her own.
    run(board, raw("house.add", item_id="i_sis", house="dreams", words="x"), SIS)


# --- changing, sharing, removing ---------------------------------------------------------------


MOVES = [
    ("i_nobody", "everyone", "house_item", [("private_item", True), ("house_item", False)]),
    ("i_nobody", "worker", "private_item", [("private_item", True)]),
    ("i_worker", "everyone", "house_item", [("private_item", True), ("house_item", False)]),
    ("i_all", "worker", "private_item", [("house_item", False), ("private_item", True)]),
    ("i_all", "nobody", "private_item", [("house_item", False), ("private_item", True)]),
]


@pytest.mark.parametrize(("item_id", "sharing", "kept_as", "changes"), MOVES)
def test_sharing_moves_an_item_between_the_board_and_its_secret_part(
    item_id: str, sharing: str, kept_as: str, changes: list[tuple[str, bool]]
) -> None:
    board, written = run(with_items(), raw("house.share", item_id=item_id, sharing=sharing), KID)
    assert [(c.entity, c.secret) for c in written] == changes
    shared = kept_as == "house_item"
    item = (board.house_items if shared else board.private_items)[item_id]
    assert item.sharing is Sharing(sharing) and not item.deleted
    if not shared and item_id in board.house_items:
        # What stays on the board is a tombstone without the child's words.
        tombstone = board.house_items[item_id]
        assert tombstone.deleted and tombstone.words is None
        assert item_id not in [i["id"] for i in wire.encode_board(board)["house_items"]]
    if shared:
        assert item_id not in board.private_items


def test_unsharing_a_placed_item_takes_its_card_off_the_map_without_its_words() -> None:
    board, _ = run(with_items(), raw("house.place", item_id="i_all", section="harm"), FAC)
    card_id = board.house_items["i_all"].card_id
    assert card_id == "c_new"
    board, changes = run(board, raw("house.share", item_id="i_all", sharing="nobody"), KID)
    card = board.cards["c_new"]
    assert card.deleted and card.text == ""
    assert ("card", "c_new") in [(c.entity, c.id) for c in changes]
    assert all(c["id"] != "c_new" for c in wire.encode_board(board)["cards"])
    # Nor can it be brought back while it is not shared.
    assert_refused(board, raw("card.restore", card_id="c_new"), FAC, Forbidden)


def test_a_child_edits_their_item() -> None:
    message = raw("house.edit", item_id="i_worker", house="dreams", picture=SUN)
    board, changes = run(with_items(), message, KID)
    item = board.private_items["i_worker"]
    assert (item.house, item.picture, item.words, item.updated_at) == (
        House.DREAMS,
        SUN,
        None,
        T1,
    )
    assert [(c.entity, c.secret) for c in changes] == [("private_item", True)]


def test_a_child_removes_their_item() -> None:
    board, changes = run(with_items(), raw("house.remove", item_id="i_nobody"), KID)
    assert "i_nobody" not in board.private_items
    assert [(c.entity, c.deleted, c.secret) for c in changes] == [("private_item", True, True)]
    board, changes = run(board, raw("house.remove", item_id="i_all"), KID)
    assert board.house_items["i_all"].deleted and board.house_items["i_all"].words is None
    assert [(c.entity, c.deleted) for c in changes] == [("house_item", True)]


CHANGES = [
    raw("house.edit", item_id="ITEM", words="mine now"),
    raw("house.share", item_id="ITEM", sharing="everyone"),
    raw("house.remove", item_id="ITEM"),
]


@pytest.mark.parametrize("message", CHANGES, ids=lambda m: m["type"])
def test_someone_elses_unshared_item_is_refused_as_if_it_did_not_exist(
    message: dict[str, Any],
) -> None:
    board = with_items()
    theirs = assert_refused(board, {**message, "item_id": "i_sis"}, KID, NotFound)
    missing = assert_refused(board, {**message, "item_id": "i_none"}, KID, NotFound)
    assert theirs.message == missing.message


@pytest.mark.parametrize("message", CHANGES, ids=lambda m: m["type"])
def test_someone_elses_shared_item_is_refused(message: dict[str, Any]) -> None:
    assert_refused(with_items(), {**message, "item_id": "i_all"}, SIS, Forbidden)


@pytest.mark.parametrize("message", CHANGES, ids=lambda m: m["type"])
@pytest.mark.parametrize("actor", [FAC, MUM])
def test_only_the_child_changes_their_items(message: dict[str, Any], actor: str) -> None:
    assert_refused(with_items(), {**message, "item_id": "i_all"}, actor, Forbidden)


def taken(board: Board) -> Board:
    board, _ = run(board, raw("minutes.take"), FAC)
    return board


@pytest.mark.parametrize(
    "message",
    [raw("house.add", item_id="i_new", house="worries", words="late"), *CHANGES],
    ids=lambda m: m["type"],
)
def test_once_the_minutes_are_taken_the_houses_stay(message: dict[str, Any]) -> None:
    board = taken(with_items())
    error = assert_refused(
        board, {**message, "item_id": message.get("item_id", "i_all")}, KID, MinutesTaken
    )
    assert "minutes" in error.message


@pytest.mark.parametrize(("status", "error"), [(Status.LOCKED, Locked), (Status.CLOSED, Closed)])
def test_a_locked_or_closed_meeting_refuses_houses(status: Status, error: type) -> None:
    board = with_status(with_items(), status)
    assert_refused(board, raw("house.add", item_id="i_x", house="worries", words="x"), KID, error)
    assert_refused(board, raw("house.share", item_id="i_nobody", sharing="everyone"), KID, error)


# --- placing on the map, and the child's age --------------------------------------------------


def test_a_facilitator_places_a_shared_item_as_a_card_attributed_to_the_child() -> None:
    board, _ = run(with_items(), raw("child.age", participant_id=KID, age=9), FAC)
    board, changes = run(board, raw("house.place", item_id="i_all", section="harm"), FAC)
    card = board.cards["c_new"]
    assert (card.text, card.attributed_to, card.house_item, card.section, card.author) == (
        "i_all words",
        "Ayaan (9)",
        "i_all",
        "harm",
        FAC,
    )
    assert board.house_items["i_all"].card_id == "c_new"
    assert sorted((c.entity, c.id) for c in changes) == [
        ("card", "c_new"),
        ("house_item", "i_all"),
    ]


def test_a_placed_picture_or_drawing_says_what_it_is() -> None:
    board = board_with_sister()
    for item_id, content in (("i_pic", {"picture": SUN}), ("i_draw", {"strokes": DRAWN})):
        message = raw("house.add", item_id=item_id, house="dreams", sharing="everyone", **content)
        board, _ = run(board, message, KID)
    board, _ = run(board, raw("house.place", item_id="i_pic", section="goals"), FAC, "c_1")
    board, _ = run(board, raw("house.place", item_id="i_draw", section="goals"), FAC, "c_2")
    assert (board.cards["c_1"].text, board.cards["c_2"].text) == ("A picture: sun", "A drawing")
    assert board.cards["c_1"].attributed_to == "Ayaan"  # no age given


def test_a_placed_picture_or_drawing_is_written_in_the_meetings_language() -> None:
    board = board_with_sister()
    for item_id, content in (("i_pic", {"picture": SUN}), ("i_draw", {"strokes": DRAWN})):
        message = raw("house.add", item_id=item_id, house="dreams", sharing="everyone", **content)
        board, _ = run(board, message, KID)
    board, _ = run(board, raw("meeting.language", language="pl"), FAC)
    placed = {"pl": {SUN: "Obrazek: słońce", houses.DRAWING: "Rysunek"}}
    for item_id, card_id in (("i_pic", "c_1"), ("i_draw", "c_2")):
        _, op = ops.parse_op(raw("house.place", item_id=item_id, section="goals"))
        context = Context(FAC, T1, card_id, pictures=PICTURES, placed_words=placed)
        board, _ = ops.apply(board, op, context)
    assert (board.cards["c_1"].text, board.cards["c_2"].text) == ("Obrazek: słońce", "Rysunek")


def test_the_servers_placed_words_come_from_each_languages_catalogue() -> None:
    words = placed_words(PICTURES)
    assert set(words) == {language.code for language in i18n.LANGUAGES}
    assert words["en"][SUN] == "A picture: sun" and words["en"][houses.DRAWING] == "A drawing"
    sun = i18n.pgettext("pl", "picture", "sun")
    assert sun != "sun" and words["pl"][SUN] == i18n.gettext(
        "pl", "A picture: {picture}", picture=sun
    )
    assert words["pl"][houses.DRAWING] == i18n.gettext("pl", "A drawing") != "A drawing"


@pytest.mark.parametrize("item_id", ["i_worker", "i_nobody", "i_none"])
def test_only_shared_items_are_placed_and_the_rest_look_missing(item_id: str) -> None:
    message = raw("house.place", item_id=item_id, section="harm")
    error = assert_refused(with_items(), message, FAC, NotFound)
    assert error.message == "That is not shared with everyone at the meeting."


@pytest.mark.parametrize("actor", [KID, MUM, SW])
def test_only_a_facilitator_places_items(actor: str) -> None:
    assert_refused(
        with_items(), raw("house.place", item_id="i_all", section="harm"), actor, Forbidden
    )


def test_an_item_is_placed_once() -> None:
    board, _ = run(with_items(), raw("house.place", item_id="i_all", section="harm"), FAC)
    assert_refused(board, raw("house.place", item_id="i_all", section="goals"), FAC, Invalid)


@pytest.mark.parametrize(
    ("actor", "target", "age", "error"),
    [
        (MUM, KID, 9, Forbidden),
        (SIS, KID, 9, Forbidden),
        (FAC, MUM, 40, Invalid),
        (FAC, "p_none", 9, NotFound),
        (FAC, KID, 26, Invalid),
        (FAC, KID, 8.5, Invalid),
        (FAC, KID, "9", Invalid),
    ],
)
def test_bad_ages_are_refused(actor: str, target: str, age: Any, error: type) -> None:
    assert_refused(with_items(), raw("child.age", participant_id=target, age=age), actor, error)


def test_a_child_says_their_own_age_and_can_take_it_away() -> None:
    board, changes = run(with_items(), raw("child.age", participant_id=KID, age=9), KID)
    assert board.participants[KID].age == 9 and [c.entity for c in changes] == ["participant"]
    board, _ = run(board, raw("child.age", participant_id=KID, age=None), KID)
    assert board.participants[KID].age is None


# --- who may see -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        (KID, {"i_all", "i_worker", "i_nobody"}),
        (SIS, {"i_all", "i_sis"}),
        (FAC, {"i_all", "i_worker"}),
        (MUM, {"i_all"}),
        (SW, {"i_all"}),
        (TV, {"i_all"}),
    ],
)
def test_who_may_see_each_item(viewer: str, sees: set[str]) -> None:
    board = with_items()
    person = board.participants[viewer]
    assert {i.id for i in houses.items(board) if visible(person.viewer, i)} == sees


def test_changes_of_unshared_items_are_never_encoded() -> None:
    board, changes = run(with_items(), raw("house.share", item_id="i_all", sharing="nobody"), KID)
    secret = [c for c in changes if c.secret]
    assert secret and all(isinstance(c, Change) for c in secret)
    for change in secret:
        with pytest.raises(ValueError, match="never encoded"):
            wire.encode_change(change)
    assert "i_all words" not in repr(wire.encode_board(board))


def test_another_worker_catching_up_keeps_no_words_of_a_taken_back_item() -> None:
    board, _ = run(with_items(), raw("house.place", item_id="i_all", section="harm"), FAC)
    after, changes = run(board, raw("house.share", item_id="i_all", sharing="nobody"), KID)
    public = [wire.encode_change(c) for c in changes if not c.secret]
    caught_up = storage.apply_encoded(board, public, KID, T1)
    assert caught_up.cards["c_new"].text == "" and caught_up.cards["c_new"].deleted
    assert caught_up.house_items["i_all"] == after.house_items["i_all"]
    assert caught_up.house_items["i_all"].words is None


# --- the minutes ---------------------------------------------------------------------------


def test_minutes_record_only_the_shared_houses_and_documents_show_them() -> None:
    board = with_items()
    for item_id, content in (("i_pic", {"picture": SUN}), ("i_draw", {"strokes": DRAWN})):
        message = raw("house.add", item_id=item_id, house="dreams", sharing="everyone", **content)
        board, _ = run(board, message, KID)
    board = taken(board)
    body = board.snapshots["1"].body
    assert "i_all words" in body
    for kept in ("i_worker words", "i_nobody words", "i_sis words"):
        assert kept not in body
    (child,) = json.loads(body)["houses"]
    assert child["child"] == "Ayaan"
    assert [h["key"] for h in child["houses"]] == ["worries", "good_things", "dreams"]
    view = documents.minutes_view(board.minutes["1"], body, STAFF)
    markdown = minutes_markdown.to_markdown(view)
    assert "## Ayaan's three houses" in markdown
    for line in ("### Worries", "- i\\_all words", "- A picture: sun", "- A drawing"):
        assert line in markdown
    # A picture's name is in the reader's language (what the child wrote stays as written).
    polish = documents.minutes_view(board.minutes["1"], body, STAFF, i18n.BY_CODE["pl"])
    words = [i.get("words") for h in polish["houses"][0]["houses"] for i in h["items"]]
    assert "i_all words" in words and any(w and w.endswith("słońce") for w in words)
    (drawing,) = [i for h in view["houses"][0]["houses"] for i in h["items"] if "drawing" in i]
    assert drawing["drawing"] == ["10,10 20,20 30,30", "500,500 1000,0"]
    assert json.loads(documents.to_json(view))["content"]["houses"] == json.loads(body)["houses"]


def test_a_childs_export_has_what_they_shared_and_nothing_they_kept() -> None:
    board = with_items()
    mine = export.encode_person(board, KID)["three_houses"]
    assert [(i["id"], i["words"]) for i in mine] == [("i_all", "i_all words")]
    assert "i_nobody words" not in repr(export.encode_person(board, KID))
    assert export.encode_person(board, SIS)["three_houses"] == []
