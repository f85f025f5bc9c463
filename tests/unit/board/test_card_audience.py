"""`card.audience`: the facilitator hides a card from named people, keeps it for
professionals only, or shows it to everyone again; every refusal changes nothing; what
each viewer is then sent of the board and of the op's changes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from server.board import minutes_content, storage, wire
from server.board.errors import Closed, Forbidden, Invalid, KinboardError, NotFound
from server.board.export import encode_person
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Status
from server.board.ops import Context, apply
from server.board.review import review_board
from server.board.roles import Role
from server.board.visibility import (
    ANYONE,
    EVERYONE,
    STAFF,
    Audience,
    Reach,
    changes_for,
    restricted,
)
from tests.support.boards import BY_ROLE, populated, raw, run, with_status

HIDE_FROM_MUM = {"kind": "hidden_from", "people": ["p_mum"]}
PROS = {"kind": "professionals"}


def hide_from(*people: str) -> dict[str, Any]:
    return {"kind": "hidden_from", "people": list(people)}


def mark(card_id: str, audience: dict[str, Any]) -> dict[str, Any]:
    return raw("card.audience", card_id=card_id, audience=audience)


def refused(board: Board, message: dict[str, Any], actor: str) -> KinboardError:
    before = storage.board_records(board)
    with pytest.raises(KinboardError) as caught:
        run(board, message, actor)
    assert caught.value.message
    assert storage.board_records(board) == before
    return caught.value


def hidden(board: Board, card_id: str = "c_gran", audience: Any = HIDE_FROM_MUM) -> Board:
    return run(board, mark(card_id, audience), "p_fac")[0]


# --- refusals -----------------------------------------------------------------------------

REFUSALS = [
    ("parent", "p_mum", mark("c_gran", PROS), Forbidden),
    ("professional", "p_sw", mark("c_gran", PROS), Forbidden),
    ("child", "p_kid", mark("c_gran", HIDE_FROM_MUM), Forbidden),
    ("network", "p_gran", mark("c_gran", PROS), Forbidden),
    ("screen", "p_tv", mark("c_gran", PROS), Forbidden),
    ("not-in-meeting", "p_fac", mark("c_gran", hide_from("p_x")), Invalid),
    ("facilitator-named", "p_fac", mark("c_gran", hide_from("p_fac")), Invalid),
    ("nobody-named", "p_fac", mark("c_gran", hide_from()), Invalid),
    ("people-for-pros", "p_fac", mark("c_gran", {**PROS, "people": ["p_mum"]}), Invalid),
    ("not-for-cards", "p_fac", mark("c_gran", {"kind": "family"}), Invalid),
    ("only-not-for-cards", "p_fac", mark("c_gran", {"kind": "only", "people": ["p_kid"]}), Invalid),
    ("unknown-kind", "p_fac", mark("c_gran", {"kind": "secret"}), Invalid),
    ("not-an-object", "p_fac", mark("c_gran", "professionals"), Invalid),
    ("extra-key", "p_fac", mark("c_gran", {"kind": "professionals", "why": "x"}), Invalid),
    ("people-not-ids", "p_fac", mark("c_gran", {"kind": "hidden_from", "people": [3]}), Invalid),
    ("no-audience", "p_fac", raw("card.audience", card_id="c_gran"), Invalid),
    ("gone-card", "p_fac", mark("d_gran", PROS), NotFound),
    ("unknown-card", "p_fac", mark("c_nobody", PROS), NotFound),
]  # fmt: skip


@pytest.mark.parametrize(
    ("actor", "message", "error"), [pytest.param(*case[1:], id=case[0]) for case in REFUSALS]
)
def test_refusals_change_nothing(actor: str, message: dict[str, Any], error: type) -> None:
    assert type(refused(populated(), message, actor)) is error


def test_naming_someone_taken_out_of_the_meeting_is_refused() -> None:
    board = run(populated(), raw("participant.remove", participant_id="p_mum"), "p_fac")[0]
    assert type(refused(board, mark("c_gran", HIDE_FROM_MUM), "p_fac")) is Invalid


def test_a_closed_meeting_refuses_it() -> None:
    board = populated(Status.CLOSED)
    assert type(refused(board, mark("c_gran", PROS), "p_fac")) is Closed


def test_a_locked_meeting_takes_it() -> None:
    board = with_status(populated(), Status.LOCKED)
    assert hidden(board).cards["c_gran"].audience == Audience(Reach.HIDDEN_FROM, ("p_mum",))


# --- what it does ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (HIDE_FROM_MUM, Audience(Reach.HIDDEN_FROM, ("p_mum",))),
        (
            {"kind": "hidden_from", "people": ["p_mum", "p_gran", "p_mum"]},
            Audience(Reach.HIDDEN_FROM, ("p_gran", "p_mum")),
        ),
        (PROS, Audience(Reach.PROFESSIONALS)),
        ({"kind": "everyone", "people": []}, EVERYONE),
    ],
)
def test_it_sets_the_cards_audience(audience: dict[str, Any], expected: Audience) -> None:
    board, changes = run(populated(), mark("c_gran", audience), "p_fac")
    assert board.cards["c_gran"].audience == expected
    before = populated().cards["c_gran"]
    if expected == EVERYONE:
        assert changes == []  # already for everyone
    else:
        assert board.cards["c_gran"] == replace(before, audience=expected)
        (change,) = changes
        assert (change.audience, change.was) == (expected, EVERYONE)


def test_the_same_marking_again_changes_nothing() -> None:
    board = hidden(populated())
    assert run(board, mark("c_gran", HIDE_FROM_MUM), "p_fac") == (board, [])


def test_someone_it_is_hidden_from_cannot_touch_it() -> None:
    board = hidden(populated(), "c_kid")
    for message in (
        raw("card.edit", card_id="c_kid", text="x"),
        raw("card.react", card_id="c_kid", stance="agree"),
        raw("card.move", card_id="c_kid", section="harm", after=None),
    ):
        assert type(refused(board, message, "p_mum")) is NotFound
    # Those who see it still can.
    assert run(board, raw("card.react", card_id="c_kid", stance="agree"), "p_gran")[1]


def test_it_survives_storage_and_the_log() -> None:
    board, changes = run(populated(), mark("c_gran", PROS), "p_fac")
    stored = storage.board_from_records(storage.board_records(board))
    assert stored.cards["c_gran"].audience == Audience(Reach.PROFESSIONALS)
    encoded = [wire.encode_change(c) for c in changes]
    replayed = storage.apply_encoded(populated(), encoded, "p_fac", "t")
    assert replayed.cards["c_gran"].audience == Audience(Reach.PROFESSIONALS)
    # Cleared, the card's JSON has no audience at all, as before.
    cleared = run(board, mark("c_gran", {"kind": "everyone"}), "p_fac")[0]
    assert storage.board_records(cleared) == storage.board_records(populated())


# --- what each viewer is sent --------------------------------------------------------------


def card_ids(board: Board, viewer: Any) -> set[str]:
    return {c["id"] for c in wire.encode_board(board, viewer)["cards"]}


ALL = {"c_fac", "c_mum", "c_kid", "c_gran", "c_sw"}


@pytest.mark.parametrize(
    ("audience", "without"),
    [
        (HIDE_FROM_MUM, {Role.PARENT, Role.VIEWER}),
        (PROS, {Role.PARENT, Role.CHILD, Role.NETWORK, Role.VIEWER}),
    ],
    ids=["hidden-from-mum", "professionals"],
)
def test_each_role_is_sent_the_board_without_what_it_may_not_see(
    audience: dict[str, Any], without: set[Role]
) -> None:
    board = hidden(populated(), "c_gran", audience)
    for role, pid in BY_ROLE.items():
        viewer = board.participants[pid].viewer
        expected = ALL - {"c_gran"} if role in without else ALL
        assert card_ids(board, viewer) == expected, role
    assert card_ids(board, STAFF) == ALL
    assert card_ids(board, ANYONE) == ALL - {"c_gran"}
    marked = [c for c in wire.encode_board(board, STAFF)["cards"] if c["id"] == "c_gran"]
    assert marked[0]["audience"]["kind"] == audience["kind"]


def test_each_viewer_gets_an_add_or_a_removal_exactly_when_their_view_changes() -> None:
    board = populated()
    steps = [
        (HIDE_FROM_MUM, {"p_mum": "deleted", "p_tv": "deleted"}),
        (PROS, {"p_kid": "deleted", "p_gran": "deleted"}),
        (HIDE_FROM_MUM, {"p_kid": "value", "p_gran": "value"}),
        ({"kind": "everyone"}, {"p_mum": "value", "p_tv": "value"}),
    ]
    for audience, expected in steps:
        board, changes = run(board, mark("c_gran", audience), "p_fac")
        encoded = [wire.encode_change(c) for c in changes]
        assert restricted(encoded)
        for pid, participant in board.participants.items():
            got = changes_for(participant.viewer, encoded)
            if pid in expected:
                (change,) = got
                assert expected[pid] in change and set(change) & {"audience", "was"} == set()
            elif "c_gran" in card_ids(board, participant.viewer):
                # Saw it before and sees it now: the card with its new marking.
                assert [c["id"] for c in got if "value" in c] == ["c_gran"], pid
            else:
                assert got == [], pid  # saw it neither before nor now: nothing at all


def test_minutes_keep_the_marking_and_each_copy_leaves_out_what_its_reader_may_not_see() -> None:
    board = hidden(populated(), "c_gran")
    content = minutes_content.snapshot_content(board, 1, None, "t")
    strengths = next(
        s for col in content["columns"] for s in col["sections"] if s["key"] == "strengths"
    )
    (marked,) = [c for c in strengths["cards"] if c["id"] == "c_gran"]
    assert marked["audience"]["words"] == "Hidden from Sam"

    def ids(viewer: Any) -> set[str]:
        copy = minutes_content.content_for(content, viewer)
        return {c["id"] for col in copy["columns"] for s in col["sections"] for c in s["cards"]}

    assert "c_gran" in ids(STAFF)
    assert "c_gran" in ids(board.participants["p_kid"].viewer)
    assert "c_gran" not in ids(board.participants["p_mum"].viewer)
    assert "c_gran" not in ids(board.participants["p_tv"].viewer)


def test_a_copy_of_minutes_from_before_the_houses_keeps_their_shape_and_so_their_digest() -> None:
    content = minutes_content.snapshot_content(populated(), 1, None, "t")
    del content["houses"]  # as minutes taken before the three houses were kept
    signed = minutes_content.digest(minutes_content.canonical(content))
    for viewer in (STAFF, ANYONE):
        copy = minutes_content.content_for(content, viewer)
        assert "houses" not in copy
        assert minutes_content.digest(minutes_content.canonical(copy)) == signed


def test_the_export_of_someones_data_leaves_out_what_is_kept_from_them() -> None:
    board = run(populated(), raw("card.react", card_id="c_gran", stance="agree"), "p_mum")[0]
    board = run(board, raw("card.audience", card_id="c_mum", audience=PROS), "p_fac")[0]
    board = hidden(board, "c_gran")
    data = encode_person(board, "p_mum")
    assert [c["id"] for c in data["cards_added"]] == ["d_mum"]  # the one not kept from them
    assert data["agree_or_disagree"] == []
    gran = encode_person(board, "p_gran")
    assert [c["id"] for c in gran["cards_added"]] == ["c_gran", "d_gran"]


# --- a card kept from some people from the start --------------------------------------------


def add(audience: Any) -> dict[str, Any]:
    return raw("card.add", section="plan_rules", text="New address", audience=audience)


def test_the_facilitator_can_add_a_card_kept_from_someone_from_the_start() -> None:
    board, changes = run(populated(), add(HIDE_FROM_MUM), "p_fac", new_id="c_secret")
    assert board.cards["c_secret"].audience == Audience(Reach.HIDDEN_FROM, ("p_mum",))
    (change,) = changes
    assert change.audience == Audience(Reach.HIDDEN_FROM, ("p_mum",)) and change.was is None
    encoded = [wire.encode_change(c) for c in changes]
    assert changes_for(board.participants["p_mum"].viewer, encoded) == []
    assert changes_for(board.participants["p_tv"].viewer, encoded) == []
    assert [c["id"] for c in changes_for(board.participants["p_kid"].viewer, encoded)] == [
        "c_secret"
    ]


@pytest.mark.parametrize(
    ("actor", "audience", "error"),
    [
        ("p_sw", PROS, Forbidden),
        ("p_mum", HIDE_FROM_MUM, Forbidden),
        ("p_fac", hide_from("p_nobody"), Invalid),
        ("p_fac", {"kind": "family"}, Invalid),
    ],
)
def test_adding_a_kept_card_is_refused_for_others_and_for_bad_names(
    actor: str, audience: Any, error: type
) -> None:
    assert type(refused(populated(), add(audience), actor)) is error


def test_anyone_may_add_a_card_for_everyone_saying_so() -> None:
    board, _ = run(populated(), add({"kind": "everyone"}), "p_mum", new_id="c_open")
    assert board.cards["c_open"].audience == EVERYONE


# --- the spotlight, which the room screen always shows ---------------------------------------


def test_a_card_not_everyone_may_see_cannot_be_spotlit() -> None:
    board = hidden(populated(), "c_gran", PROS)
    message = raw("focus.set", kind="card", target="c_gran")
    assert type(refused(board, message, "p_fac")) is Invalid


def test_marking_the_spotlit_card_takes_the_spotlight_off_it_in_the_same_op() -> None:
    board = run(populated(), raw("focus.set", kind="card", target="c_gran"), "p_fac")[0]
    board, changes = run(board, mark("c_gran", HIDE_FROM_MUM), "p_fac")
    assert [(c.entity, c.id) for c in changes] == [("card", "c_gran"), ("focus", "focus")]
    assert board.focus["focus"].kind is None
    # A spotlight elsewhere stays where it is.
    board = run(board, raw("focus.set", kind="card", target="c_kid"), "p_fac")[0]
    board, changes = run(board, mark("c_gran", PROS), "p_fac")
    assert [(c.entity, c.id) for c in changes] == [("card", "c_gran")]
    assert board.focus["focus"].target == "c_kid"


def test_a_card_not_everyone_may_see_cannot_have_a_scale_of_its_own() -> None:
    board = hidden(populated(), "c_gran", PROS)
    message = raw(
        "scale.add", question="How sure?", low_label="a", high_label="b", card_id="c_gran"
    )
    assert type(refused(board, message, "p_fac")) is Invalid
    assert run(populated(), message, "p_fac")[1]  # a card for everyone can


def test_a_review_carries_kept_cards_for_professionals_and_not_one_persons_alone() -> None:
    board = hidden(populated(), "c_gran")  # hidden from Sam
    board = hidden(board, "c_kid", PROS)
    content = minutes_content.snapshot_content(board, 1, None, "t")
    for column in content["columns"]:
        for section in column["sections"]:
            for card in section["cards"]:
                if card["id"] == "c_mum":  # as a child's item kept for them alone would be
                    card["audience"] = {"kind": "only", "people": ["p_kid"]}
    review = review_board(content, replace(board.meeting, id="m_next"), "t")
    assert review.cards["c_gran"].audience == Audience(Reach.PROFESSIONALS)
    assert review.cards["c_kid"].audience == Audience(Reach.PROFESSIONALS)
    assert review.cards["c_sw"].audience == EVERYONE
    assert "c_mum" not in review.cards


def test_marking_a_card_with_a_scale_leaves_the_scale_about_no_card() -> None:
    message = raw(
        "scale.add", scale_id="s_gran", question="How sure?", low_label="a", high_label="b",
        card_id="c_gran",
    )  # fmt: skip
    board = run(populated(), message, "p_fac")[0]
    board, changes = run(board, mark("c_gran", PROS), "p_fac")
    assert [(c.entity, c.id) for c in changes] == [("card", "c_gran"), ("scale", "s_gran")]
    assert board.scales["s_gran"].card_id is None


# --- joining again from the same browser --------------------------------------------------


def test_what_is_hidden_from_someone_is_hidden_from_their_browsers_other_joins() -> None:
    board = populated()
    # Sam joined again from the same browser (p_mum's cookie came with the join).
    board, _ = apply(
        board, ParticipantJoin("p_mum2", "Sam", Role.PARENT, device="p_mum"), Context("p_mum2", "t")
    )
    # Hidden from the second join: the browser's first join is named too, and shown once.
    board = hidden(board, "c_gran", hide_from("p_mum2"))
    assert board.cards["c_gran"].audience == Audience(Reach.HIDDEN_FROM, ("p_mum", "p_mum2"))
    content = minutes_content.snapshot_content(board, 1, None, "t")
    words = [
        c["audience"]["words"]
        for col in content["columns"]
        for s in col["sections"]
        for c in s["cards"]
        if c["id"] == "c_gran"
    ]
    assert words == ["Hidden from Sam"]
    # A third join from that browser does not see it either; a join from elsewhere does.
    for pid, device in (("p_mum3", "p_mum"), ("p_other", None)):
        board, _ = apply(
            board, ParticipantJoin(pid, "Sam", Role.PARENT, device=device), Context(pid, "t")
        )
    assert "c_gran" not in card_ids(board, board.participants["p_mum3"].viewer)
    assert "c_gran" in card_ids(board, board.participants["p_other"].viewer)
    assert [c["id"] for c in encode_person(board, "p_mum3")["cards_added"]] == []
