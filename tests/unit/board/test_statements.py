"""Worry statements and safety goals in the pure core: composing a sentence from parts and
changing one part, every refusal (changing nothing), pairs that survive moving, removing
and bringing back either card, and sets carried into the minutes and a review meeting.

Table-driven: each case names the op, who sends it and what must come back.
"""

from __future__ import annotations

from typing import Any

import pytest

from server.board import storage, wire
from server.board.errors import Forbidden, Invalid, KinboardError, NotFound, TooLong, TooMany
from server.board.limits import MAX_HARMS, MAX_PART
from server.board.model import Board, GoalParts, Kind, Meeting, WorryParts
from server.board.review import review_board
from server.board.statements import compose, pairs
from server.board.template import GOAL_PATTERN, STATEMENT_PATTERN, TIMED_SECTIONS
from tests.support.boards import MID, T1, raw, run
from tests.support.minutes import LATER, content_of, new_board, step

WORRY = {
    "who": "Children's services and Gran",
    "happened": "Dad drinks and shouts",
    "worry": "Ava and Leo could be hurt or frightened",
    "likely": "likely to happen soon",
}
SENTENCE = (
    "Children's services and Gran are worried that if Dad drinks and shouts again, Ava and "
    "Leo could be hurt or frightened. We think this is likely to happen soon."
)
GOAL = {
    "will_do": "Dad will not drink when he looks after Ava and Leo",
    "seen_by": "Gran and the social worker",
    "how_often": "every week",
    "how_long": "the next 6 months",
}
GOAL_SENTENCE = (
    "Dad will not drink when he looks after Ava and Leo. Gran and the social worker will "
    "see this every week, for the next 6 months."
)


def base() -> Board:
    """Two harm cards (h_1, h_2), a plain worry (c_plain), a strength (c_good)."""
    board = new_board()
    board = step(board, raw("card.add", section="harm", text="Dad shouted on Friday"), new_id="h_1")
    board = step(board, raw("card.add", section="harm", text="A plate was broken"), new_id="h_2")
    board = step(board, raw("card.add", section="danger", text="Leo may be hit"), new_id="c_plain")
    return step(board, raw("card.add", section="strengths", text="Gran helps"), new_id="c_good")


def with_statement(actor: str = "p_mum") -> Board:
    return step(base(), raw("statement.add", **WORRY, harms=["h_1"]), actor, new_id="s_1")


def with_pair(actor: str = "p_mum") -> Board:
    board = with_statement(actor)
    return step(
        board, raw("goal.add", statement_id="s_1", **GOAL, due="2027-06-01"), actor, new_id="g_1"
    )


def sets(board: Board) -> list[tuple[str, list[str]]]:
    """The board's sets: each statement with a goal, by card id."""
    return [(s.id, [g.id for g in goals]) for s, goals in pairs(board) if goals]


def assert_refused(
    board: Board, message: dict[str, Any], actor: str, error: type[KinboardError]
) -> KinboardError:
    before = storage.board_records(board)
    with pytest.raises(KinboardError) as caught:
        run(board, message, actor)
    assert type(caught.value) is error, caught.value
    assert caught.value.message
    assert storage.board_records(board) == before
    return caught.value


# --- composing ------------------------------------------------------------------------------


def test_a_statement_is_composed_from_its_parts_and_keeps_them() -> None:
    board, changes = run(
        base(), raw("statement.add", **WORRY, harms=["h_2", "h_1", "h_2"]), "p_mum", new_id="s_1"
    )
    card = board.cards["s_1"]
    assert (card.section, card.text, card.author) == ("danger", SENTENCE, "p_mum")
    assert card.worry == WorryParts(**WORRY, harms=("h_2", "h_1"))
    assert card.goal is None
    (change,) = changes
    assert wire.encode_change(change)["value"]["worry"] == {**WORRY, "harms": ["h_2", "h_1"]}


def test_the_group_may_save_its_own_sentence_instead() -> None:
    board = step(
        base(), raw("statement.add", **WORRY, text="  We are worried about Leo. "), new_id="s_1"
    )
    assert board.cards["s_1"].text == "We are worried about Leo."
    assert board.cards["s_1"].worry == WorryParts(**WORRY)


def test_the_template_sends_the_patterns_the_core_composes_with() -> None:
    composers = wire.encode_template(link_days=7)["composers"]
    assert composers["statement"] == {"section": "danger", "pattern": STATEMENT_PATTERN}
    assert composers["goal"] == {"section": "goals", "pattern": GOAL_PATTERN}
    assert compose(STATEMENT_PATTERN, WorryParts(**WORRY)) == SENTENCE
    assert compose(GOAL_PATTERN, GoalParts("s_1", **GOAL)) == GOAL_SENTENCE


@pytest.mark.parametrize(
    ("part", "words", "expected"),
    [
        ("who", "Gran", SENTENCE.replace("Children's services and Gran", "Gran")),
        (
            "likely",
            "possible, in a few months",
            SENTENCE.replace("likely to happen soon", "possible, in a few months"),
        ),
        (
            "happened",
            "Dad hits the door",
            SENTENCE.replace("Dad drinks and shouts", "Dad hits the door"),
        ),
    ],
)
def test_editing_one_part_composes_the_sentence_again(part: str, words: str, expected: str) -> None:
    board, changes = run(
        with_statement(), raw("statement.edit", card_id="s_1", **{part: words}), "p_mum"
    )
    card = board.cards["s_1"]
    assert card.text == expected
    assert card.worry == WorryParts(**{**WORRY, part: words}, harms=("h_1",))
    assert (card.updated_by, card.updated_at) == ("p_mum", T1)
    assert [c.id for c in changes] == ["s_1"]


def test_editing_the_harms_links_other_harm_cards() -> None:
    board = step(with_statement(), raw("statement.edit", card_id="s_1", harms=["h_2"]))
    assert board.cards["s_1"].worry.harms == ("h_2",)  # type: ignore[union-attr]


def test_an_edit_with_text_keeps_the_groups_sentence() -> None:
    message = raw("statement.edit", card_id="s_1", worry="Leo could be hurt", text="Our words.")
    board = step(with_statement(), message)
    assert board.cards["s_1"].text == "Our words."
    assert board.cards["s_1"].worry.worry == "Leo could be hurt"  # type: ignore[union-attr]


def test_the_same_parts_again_change_nothing() -> None:
    board = with_statement()
    after, changes = run(board, raw("statement.edit", card_id="s_1", who=WORRY["who"]), "p_mum")
    assert (after, changes) == (board, [])


def test_a_goal_is_composed_paired_and_timed() -> None:
    board = with_pair()
    goal = board.cards["g_1"]
    assert (goal.section, goal.text, goal.due) == ("goals", GOAL_SENTENCE, "2027-06-01")
    assert goal.goal == GoalParts("s_1", **GOAL)
    assert "goals" in TIMED_SECTIONS
    assert pairs(board) == [(board.cards["s_1"], [goal]), (board.cards["c_plain"], [])]


def test_a_goal_may_answer_a_worry_written_by_hand() -> None:
    board = step(base(), raw("goal.add", statement_id="c_plain", **GOAL), new_id="g_1")
    assert board.cards["g_1"].goal.statement == "c_plain"  # type: ignore[union-attr]


def test_editing_a_goal_part_and_its_by_when() -> None:
    board = step(
        with_pair(), raw("goal.edit", card_id="g_1", how_often="every day", due="2027-03-01")
    )
    goal = board.cards["g_1"]
    assert goal.text == GOAL_SENTENCE.replace("every week", "every day")
    assert goal.due == "2027-03-01"
    board = step(board, raw("goal.edit", card_id="g_1", due=None))
    assert (board.cards["g_1"].due, board.cards["g_1"].text) == (None, goal.text)


# --- refusals, each changing nothing -------------------------------------------------------

REFUSED: list[tuple[str, dict[str, Any], str, type[KinboardError], str | None]] = [
    (
        "no-worry",
        raw("statement.add", **{**WORRY, "worry": "  "}),
        "p_mum",
        Invalid,
        "What we are worried could happen needs some words.",
    ),
    (
        "worry-missing",
        raw("statement.add", who="Gran", happened="x", likely="soon"),
        "p_mum",
        Invalid,
        "statement.add needs worry.",
    ),
    (
        "who-blank",
        raw("statement.add", **{**WORRY, "who": ""}),
        "p_mum",
        Invalid,
        "Who is worried needs some words.",
    ),
    ("part-not-words", raw("statement.add", **{**WORRY, "likely": 3}), "p_mum", Invalid, None),
    (
        "part-too-long",
        raw("statement.add", **{**WORRY, "happened": "x" * (MAX_PART + 1)}),
        "p_mum",
        TooLong,
        None,
    ),
    (
        "harm-not-harm",
        raw("statement.add", **WORRY, harms=["c_good"]),
        "p_mum",
        Invalid,
        "A worry statement can only name cards from what has happened.",
    ),
    ("harm-unknown", raw("statement.add", **WORRY, harms=["nope"]), "p_mum", Invalid, None),
    ("harms-not-list", raw("statement.add", **WORRY, harms="h_1"), "p_mum", Invalid, None),
    (
        "too-many-harms",
        raw("statement.add", **WORRY, harms=[f"h{n}" for n in range(MAX_HARMS + 1)]),
        "p_mum",
        TooMany,
        None,
    ),
    ("unknown-field", raw("statement.add", **WORRY, section="harm"), "p_mum", Invalid, None),
    ("viewer-adds", raw("statement.add", **WORRY), "p_tv", Forbidden, None),
    ("edit-nothing", raw("statement.edit", card_id="s_1"), "p_mum", Invalid, None),
    ("edit-blank-worry", raw("statement.edit", card_id="s_1", worry=""), "p_mum", Invalid, None),
    (
        "edit-plain-card",
        raw("statement.edit", card_id="c_plain", who="Gran"),
        "p_fac",
        Invalid,
        "That card was not written with the worry statement composer.",
    ),
    ("edit-others", raw("statement.edit", card_id="s_1", who="Gran"), "p_gran", Forbidden, None),
    ("edit-gone", raw("statement.edit", card_id="s_gone", who="Gran"), "p_fac", NotFound, None),
    (
        "goal-not-statement",
        raw("goal.add", statement_id="c_good", **GOAL),
        "p_mum",
        Invalid,
        "A safety goal goes with a worry statement, and that card is not one.",
    ),
    ("goal-to-goal", raw("goal.add", statement_id="g_1", **GOAL), "p_mum", Invalid, None),
    ("goal-unknown", raw("goal.add", statement_id="nope", **GOAL), "p_mum", NotFound, None),
    (
        "goal-bad-date",
        raw("goal.add", statement_id="s_1", **GOAL, due="2027-02-30"),
        "p_mum",
        Invalid,
        "due must be a date like 2026-12-31.",
    ),
    (
        "goal-date-words",
        raw("goal.add", statement_id="s_1", **GOAL, due="next week"),
        "p_mum",
        Invalid,
        None,
    ),
    (
        "goal-no-will-do",
        raw("goal.add", statement_id="s_1", **{**GOAL, "will_do": ""}),
        "p_mum",
        Invalid,
        "What the family will do needs some words.",
    ),
    (
        "goal-no-statement",
        raw("goal.add", **GOAL),
        "p_mum",
        Invalid,
        "goal.add needs statement_id.",
    ),
    (
        "goal-edit-statement",
        raw("goal.edit", card_id="s_1", how_often="daily"),
        "p_fac",
        Invalid,
        "That card was not written with the safety goal composer.",
    ),
    (
        "goal-edit-bad-date",
        raw("goal.edit", card_id="g_1", due="31/12/2026"),
        "p_mum",
        Invalid,
        None,
    ),
    ("goal-edit-nothing", raw("goal.edit", card_id="g_1"), "p_mum", Invalid, None),
    (
        "goal-edit-others",
        raw("goal.edit", card_id="g_1", due="2027-01-01"),
        "p_sw",
        Forbidden,
        None,
    ),
    ("text-too-long", raw("statement.add", **WORRY, text="x" * 2001), "p_mum", TooLong, None),
]


@pytest.mark.parametrize(
    ("message", "actor", "error", "words"),
    [pytest.param(m, a, e, w, id=i) for i, m, a, e, w in REFUSED],
)
def test_bad_input_is_refused_and_changes_nothing(
    message: dict[str, Any], actor: str, error: type[KinboardError], words: str | None
) -> None:
    board = step(with_pair(), raw("card.add", section="danger", text="x"), new_id="s_gone")
    board = step(board, raw("card.delete", card_id="s_gone"))
    refused = assert_refused(board, message, actor, error)
    if words is not None:
        assert refused.message == words


def test_a_goal_paired_to_a_removed_statement_is_not_found() -> None:
    board = step(with_statement(), raw("card.delete", card_id="s_1"))
    assert_refused(board, raw("goal.add", statement_id="s_1", **GOAL), "p_mum", NotFound)


def test_a_due_on_a_goal_moved_out_of_the_timed_sections_is_refused() -> None:
    board = step(with_pair(), raw("card.move", card_id="g_1", section="strengths", after=None))
    assert_refused(board, raw("goal.edit", card_id="g_1", due="2027-01-01"), "p_mum", Invalid)


# --- pairs survive moving, removing and bringing back either card --------------------------


@pytest.mark.parametrize("card_id", ["s_1", "g_1"])
def test_a_pair_survives_its_cards_moving_away_and_back(card_id: str) -> None:
    board = with_pair()
    home = board.cards[card_id].section
    moved = step(board, raw("card.move", card_id=card_id, section="complicating", after=None))
    # Away, the statement is no set (the goal is no statement's goal): no set shows.
    assert sets(moved) == []
    back = step(moved, raw("card.move", card_id=card_id, section=home, after=None))
    assert sets(back) == [("s_1", ["g_1"])]
    assert back.cards["g_1"].goal == GoalParts("s_1", **GOAL)
    assert back.cards["g_1"].due == "2027-06-01"
    assert back.cards["s_1"].worry == WorryParts(**WORRY, harms=("h_1",))


@pytest.mark.parametrize("card_id", ["s_1", "g_1"])
def test_a_pair_survives_removing_and_bringing_back_either_card(card_id: str) -> None:
    board = with_pair()
    removed = step(board, raw("card.delete", card_id=card_id))
    assert sets(removed) == []
    restored = step(removed, raw("card.restore", card_id=card_id))
    assert sets(restored) == [("s_1", ["g_1"])]


def test_a_statement_edited_by_hand_keeps_its_parts_and_pair() -> None:
    board = step(with_pair(), raw("card.edit", card_id="s_1", text="Our own words"), "p_mum")
    assert board.cards["s_1"].worry == WorryParts(**WORRY, harms=("h_1",))
    assert sets(board) == [("s_1", ["g_1"])]


# --- minutes and the review meeting --------------------------------------------------------


def scaled_pair() -> Board:
    board = with_pair()
    scale = {"question": "How close are we?", "low_label": "Far", "high_label": "There"}
    board = step(board, raw("scale.add", scale_id="s_pair", card_id="s_1", **scale))
    board = step(board, raw("round.open", scale_id="s_pair"), new_id="r_p")
    board = step(board, raw("vote.cast", scale_id="s_pair", value=4), "p_mum")
    board = step(board, raw("vote.cast", scale_id="s_pair", value=2), "p_sw")
    board = step(board, raw("round.reveal", scale_id="s_pair"))
    return step(board, raw("minutes.take"), now="2026-11-27T11:00:00.000Z")


def test_minutes_record_the_sets_with_their_scale_and_the_parts() -> None:
    content = content_of(scaled_pair())
    assert content["sets"] == [{"statement": "s_1", "goals": ["g_1"], "scale": "s_pair"}]
    cards = {c["id"]: c for col in content["columns"] for s in col["sections"] for c in s["cards"]}
    assert cards["s_1"]["worry"] == {**WORRY, "harms": ["h_1"]}
    assert cards["g_1"]["goal"] == {"statement": "s_1", **GOAL}
    assert (cards["g_1"]["due"], cards["c_plain"]["worry"], cards["c_plain"]["goal"]) == (
        "2027-06-01",
        None,
        None,
    )


def test_a_review_months_later_carries_the_pairs_parts_and_dates() -> None:
    content = content_of(scaled_pair())
    review = review_board(
        content, Meeting("mREVIEW00001", "Review", kind=Kind.REVIEW, previous=MID), LATER
    )
    assert review.cards["g_1"].goal == GoalParts("s_1", **GOAL)
    assert review.cards["g_1"].due == "2027-06-01"
    assert review.cards["s_1"].worry == WorryParts(**WORRY, harms=("h_1",))
    assert sets(review) == [("s_1", ["g_1"])]
    assert review.scales["s_pair"].card_id == "s_1"
    (point,) = review.scales["s_pair"].history
    assert dict(point.medians) == {"family": 4, "professionals": 2}


def test_old_minutes_without_parts_still_start_a_review() -> None:
    content = content_of(scaled_pair())
    for column in content["columns"]:
        for section in column["sections"]:
            for card in section["cards"]:
                del card["worry"], card["goal"]
    review = review_board(content, Meeting("mREVIEW00001", "Review", kind=Kind.REVIEW), LATER)
    assert (review.cards["s_1"].worry, review.cards["g_1"].goal) == (None, None)


# --- what someone may not see is, to them, not on the board -----------------------------


def hidden_from_sam(board: Board, card_id: str) -> Board:
    audience = {"kind": "hidden_from", "people": ["p_mum"]}
    return step(board, raw("card.audience", card_id=card_id, audience=audience))


def test_a_goal_cannot_be_paired_with_a_statement_its_writer_may_not_see() -> None:
    board = hidden_from_sam(with_statement("p_fac"), "s_1")
    refused = assert_refused(board, raw("goal.add", statement_id="s_1", **GOAL), "p_mum", NotFound)
    assert refused.message == "That worry statement is not on the board any more."
    assert (
        "g_2"
        in step(board, raw("goal.add", statement_id="s_1", **GOAL), "p_gran", new_id="g_2").cards
    )


def test_a_statement_cannot_name_a_harm_card_its_writer_may_not_see() -> None:
    board = hidden_from_sam(base(), "h_1")
    assert_refused(board, raw("statement.add", **WORRY, harms=["h_1"]), "p_mum", Invalid)
    board = step(board, raw("statement.add", **WORRY, harms=["h_2"]), "p_mum", new_id="s_1")
    assert_refused(board, raw("statement.edit", card_id="s_1", harms=["h_1"]), "p_mum", Invalid)
