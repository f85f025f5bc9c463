"""Who is who, in the pure core: the facilitator corrects someone's name and role, and
confirms someone who says they are a worker; until then their numbers count with the
family and network."""

from __future__ import annotations

from typing import Any

import pytest

from server.board import ops, people, wire
from server.board.errors import Closed, Forbidden, Invalid, KinboardError, NotFound, TooLong
from server.board.meeting import ParticipantJoin
from server.board.minutes_content import snapshot_content
from server.board.model import Board, Status
from server.board.ops import Context
from server.board.roles import Role
from tests.support.boards import T1, raw, run, with_status
from tests.support.scaling import (
    NOT_FACILITATOR,
    OVERALL,
    assert_refused,
    new_meeting,
    step,
    vote,
    with_open_round,
)

# Joined on the family link, saying they are a worker.
SAYS = "p_says"


def with_says(board: Board | None = None, *, chose_role: bool = True) -> Board:
    board = board or new_meeting()
    join = ParticipantJoin(SAYS, "Kim", Role.PROFESSIONAL, chose_role=chose_role)
    board, _ = ops.apply(board, join, Context(SAYS, T1))
    return board


def correct(**fields: Any) -> dict[str, Any]:
    return raw("participant.correct", **fields)


def confirm(participant_id: str = SAYS) -> dict[str, Any]:
    return raw("participant.confirm", participant_id=participant_id)


# --- joining ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "chose_role", "unconfirmed"),
    [
        (Role.PROFESSIONAL, True, True),  # "worker" picked on the family link
        (Role.PROFESSIONAL, False, False),  # a named person's link for a professional
        (Role.FACILITATOR, False, False),  # staff, and the facilitator's link
        (Role.PARENT, True, False),
        (Role.NETWORK, True, False),
        (Role.CHILD, True, False),
    ],
)
def test_only_a_worker_by_their_own_choice_joins_unconfirmed(
    role: Role, chose_role: bool, unconfirmed: bool
) -> None:
    join = ParticipantJoin("p_new", "Kim", role, chose_role=chose_role)
    board, changes = ops.apply(new_meeting(), join, Context("p_new", T1))
    assert board.participants["p_new"].unconfirmed is unconfirmed
    assert wire.encode_change(changes[0])["value"]["unconfirmed"] is unconfirmed


# --- correcting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "name", "role", "unconfirmed"),
    [
        ({"name": "  Kim   Lee "}, "Kim Lee", Role.PROFESSIONAL, True),  # a name leaves it
        ({"role": "network"}, "Kim", Role.NETWORK, False),
        ({"role": "professional"}, "Kim", Role.PROFESSIONAL, False),  # a role set is sure
        ({"name": "Kim", "role": "parent"}, "Kim", Role.PARENT, False),
    ],
)
def test_the_facilitator_corrects_a_name_and_role(
    fields: dict[str, Any], name: str, role: Role, unconfirmed: bool
) -> None:
    board, changes = run(with_says(), correct(participant_id=SAYS, **fields), "p_fac")
    person = board.participants[SAYS]
    assert (person.name, person.role, person.unconfirmed) == (name, role, unconfirmed)
    assert [(c.entity, c.id) for c in changes] == [("participant", SAYS)]


def test_the_same_name_and_role_again_changes_nothing() -> None:
    board = with_says()
    after, changes = run(board, correct(participant_id=SAYS, name="Kim"), "p_fac")
    assert (after, changes) == (board, [])


def test_a_locked_meeting_still_takes_corrections() -> None:
    board = with_status(with_says(), Status.LOCKED)
    board, _ = run(board, correct(participant_id=SAYS, name="Kim Lee"), "p_fac")
    assert board.participants[SAYS].name == "Kim Lee"


@pytest.mark.parametrize(
    ("message", "actor", "error"),
    [
        *[
            (correct(participant_id=SAYS, name="Kim Lee"), pid, Forbidden)
            for pid in ("p_mum", "p_kid", "p_gran", "p_sw", SAYS)
        ],
        (correct(participant_id=SAYS, name="Kim Lee"), "p_tv", Forbidden),
        (correct(participant_id="p_nobody", name="Kim"), "p_fac", NotFound),
        (correct(participant_id="p_fac", name="Fay"), "p_fac", Invalid),  # staff: their own
        (correct(participant_id="p_tv", role="parent"), "p_fac", Invalid),  # the room screen
        (correct(participant_id=SAYS), "p_fac", Invalid),  # nothing to change
        (correct(participant_id=SAYS, role="facilitator"), "p_fac", Invalid),
        (correct(participant_id=SAYS, role="viewer"), "p_fac", Invalid),
        (correct(participant_id=SAYS, role="boss"), "p_fac", Invalid),
        (correct(participant_id=SAYS, role=3), "p_fac", Invalid),
        (correct(participant_id=SAYS, name=""), "p_fac", Invalid),
        (correct(participant_id=SAYS, name="   "), "p_fac", Invalid),
        (correct(participant_id=SAYS, name=7), "p_fac", Invalid),
        (correct(participant_id=SAYS, name="x" * 81), "p_fac", TooLong),
        (correct(participant_id=SAYS, name="Kim", colour="red"), "p_fac", Invalid),
        (correct(name="Kim"), "p_fac", Invalid),  # whose?
        (confirm(), "p_mum", Forbidden),
        (confirm(), "p_sw", Forbidden),
        (confirm(), SAYS, Forbidden),  # not of themselves
        (confirm("p_nobody"), "p_fac", NotFound),
        (confirm("p_sw"), "p_fac", Invalid),  # a named person's link: sure already
        (confirm("p_mum"), "p_fac", Invalid),
        (confirm("p_fac"), "p_fac", Invalid),
        (raw("participant.confirm"), "p_fac", Invalid),
    ],
)
def test_who_is_who_refusals_change_nothing(
    message: dict[str, Any], actor: str, error: type[KinboardError]
) -> None:
    assert_refused(with_says(), message, actor, error)


def test_corrections_are_refused_once_the_meeting_has_ended() -> None:
    board = with_status(with_says(), Status.CLOSED)
    assert_refused(board, correct(participant_id=SAYS, name="Kim Lee"), "p_fac", Closed)
    assert_refused(board, confirm(), "p_fac", Closed)


def test_someone_taken_out_cannot_be_corrected_or_confirmed() -> None:
    board = step(with_says(), raw("participant.remove", participant_id=SAYS), "p_fac")
    assert_refused(board, correct(participant_id=SAYS, name="Kim Lee"), "p_fac", NotFound)
    assert_refused(board, confirm(), "p_fac", NotFound)


@pytest.mark.parametrize("role", NOT_FACILITATOR)
def test_a_corrected_person_keeps_what_their_new_role_may_do(role: Role) -> None:
    board, _ = run(with_says(), correct(participant_id=SAYS, role=role.value), "p_fac")
    me = wire.encode_me(board.participants[SAYS])
    assert me["role"] == role.value
    assert me["can"] == wire.encode_template(14)["abilities"][role.value]
    # and they go on adding cards as that role
    board, _ = run(board, raw("card.add", section="strengths", text="Kind"), SAYS)
    assert board.cards["c_new"].author == SAYS


# --- confirming, and where their number counts ---------------------------------------------


def test_confirming_makes_them_a_worker_everywhere() -> None:
    board, changes = run(with_says(), confirm(), "p_fac")
    assert board.participants[SAYS].unconfirmed is False
    assert board.participants[SAYS].role is Role.PROFESSIONAL
    assert [(c.entity, c.id) for c in changes] == [("participant", SAYS)]
    assert_refused(board, confirm(), "p_fac", Invalid)  # once is enough


def revealed(board: Board) -> dict[str, Any]:
    """The revealed round r_1 as every screen gets it."""
    return next(r for r in wire.encode_board(board)["rounds"] if r["id"] == "r_1")


def groups(round_: dict[str, Any]) -> dict[str, tuple[float, int]]:
    return {g["group"]: (g["median"], g["count"]) for g in round_["summary"]["groups"]}


def with_revealed_round(board: Board) -> Board:
    """Sam (parent) 6, Gran (network) 8, Jo (professional, by a named link) 2, Kim (says
    they are a worker) 4, revealed."""
    board = with_open_round(board)
    for pid, value in (("p_mum", 6), ("p_gran", 8), ("p_sw", 2), (SAYS, 4)):
        board = step(board, vote(value=value), pid)
    return step(board, raw("round.reveal", scale_id=OVERALL), "p_fac")


def test_an_unconfirmed_workers_number_counts_with_the_network_until_confirmed() -> None:
    board = with_revealed_round(with_says())
    before = revealed(board)
    kim = next(v for v in before["votes"] if v["voter"] == SAYS)
    assert (kim["group"], kim["unconfirmed"]) == ("network", True)
    assert groups(before) == {"family": (6, 1), "network": (6, 2), "professionals": (2, 1)}
    assert before["summary"]["words"] == "Family 6, network 6, professionals 2: a gap of 4"

    board, changes = run(board, confirm(), "p_fac")
    assert [(c.entity, c.id) for c in changes] == [("participant", SAYS), ("round", "r_1")]
    after = revealed(board)
    kim = next(v for v in after["votes"] if v["voter"] == SAYS)
    assert (kim["group"], kim["unconfirmed"]) == ("professionals", False)
    assert groups(after) == {"family": (6, 1), "network": (8, 1), "professionals": (3, 2)}
    assert after["summary"]["words"] == "Family 6, network 8, professionals 3: a gap of 5"


def test_a_worker_by_a_named_link_counts_among_the_professionals_at_once() -> None:
    board = with_revealed_round(with_says(chose_role=False))
    assert groups(revealed(board))["professionals"] == (3, 2)


def test_an_open_rounds_answer_and_secret_ballot_follow_a_confirmation() -> None:
    board = step(with_open_round(with_says()), vote(value=4), SAYS)
    round_ = wire.encode_board(board)["rounds"][0]
    assert [(a["voter"], a["group"]) for a in round_["answered"]] == [(SAYS, "network")]
    board, changes = run(board, confirm(), "p_fac")
    assert [(c.entity, c.id, c.secret) for c in changes] == [
        ("participant", SAYS, False),
        ("round", "r_1", False),
        ("ballot", f"r_1/{SAYS}", True),
    ]
    round_ = wire.encode_board(board)["rounds"][0]
    assert [(a["voter"], a["group"]) for a in round_["answered"]] == [(SAYS, "professionals")]
    assert wire.encode_own_ballots(board, SAYS)[0]["group"] == "professionals"
    board = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac")
    assert groups(revealed(board)) == {"professionals": (4, 1)}


def test_a_corrected_name_and_role_follow_into_their_votes() -> None:
    board = with_revealed_round(with_says())
    board, _ = run(board, correct(participant_id=SAYS, name="Kim Lee", role="parent"), "p_fac")
    kim = next(v for v in revealed(board)["votes"] if v["voter"] == SAYS)
    assert (kim["name"], kim["role"], kim["group"]) == ("Kim Lee", "parent", "family")
    assert groups(revealed(board))["family"] == (5, 2)


def test_the_minutes_say_who_only_says_they_are_a_worker() -> None:
    board = with_revealed_round(with_says())
    content = snapshot_content(board, 1, None, T1)
    people = {p["name"]: p["unconfirmed"] for p in content["people"]}
    assert people == {
        "Fatima": False,
        "Sam": False,
        "Ayaan": False,
        "Gran": False,
        "Jo from school": False,
        "Kim": True,
    }
    votes = {v["name"]: v["unconfirmed"] for v in content["scales"][0]["rounds"][0]["votes"]}
    assert votes == {"Sam": False, "Gran": False, "Jo from school": False, "Kim": True}
    board, _ = run(board, confirm(), "p_fac")
    confirmed = snapshot_content(board, 2, None, T1)
    assert not any(p["unconfirmed"] for p in confirmed["people"])
    assert not any(v["unconfirmed"] for v in confirmed["scales"][0]["rounds"][0]["votes"])


# --- what they may see ----------------------------------------------------------------------


def with_professionals_card(board: Board) -> Board:
    board = step(board, raw("card.add", section="harm", text="Refuge"), "p_fac", new_id="c_pro")
    audience = {"kind": "professionals"}
    return step(board, raw("card.audience", card_id="c_pro", audience=audience), "p_fac")


def card_ids(board: Board, participant_id: str) -> set[str]:
    viewer = board.participants[participant_id].viewer
    return {c["id"] for c in wire.encode_board(board, viewer)["cards"]}


def test_someone_who_only_says_they_are_a_worker_sees_nothing_for_professionals() -> None:
    board = with_professionals_card(with_says())
    assert "c_pro" in card_ids(board, "p_sw")  # a worker by their own link
    assert "c_pro" not in card_ids(board, SAYS)
    confirmed, _ = run(board, confirm(), "p_fac")
    assert "c_pro" in card_ids(confirmed, SAYS)
    assert people.view_changed(board, confirmed) == {SAYS}
    # A professional set right as a parent no longer sees it either.
    corrected, _ = run(confirmed, correct(participant_id="p_sw", role="parent"), "p_fac")
    assert "c_pro" not in card_ids(corrected, "p_sw")
    assert people.view_changed(confirmed, corrected) == {"p_sw"}


def test_a_new_name_alone_changes_nobodys_view() -> None:
    board = with_says()
    renamed, _ = run(board, correct(participant_id=SAYS, name="Kim Lee"), "p_fac")
    assert people.view_changed(board, renamed) == set()
