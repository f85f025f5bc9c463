"""The counts a board holds, at and past each bound: removed cards count against the cards a
board keeps, and everyone who joined against the people a meeting can have.

Table-driven: each case builds a board at a count, runs one op, and says what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

import pytest

from server.board import ops
from server.board.errors import TooMany
from server.board.limits import MAX_CARDS, MAX_CARDS_KEPT, MAX_PARTICIPANTS
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Card, Meeting, Participant
from server.board.ops import Context
from server.board.positions import even_keys
from server.board.roles import Role
from server.board.template import SECTIONS
from tests.support.boards import MID, PEOPLE, T0, T1, raw, run


def meeting() -> Board:
    board = Board(Meeting(MID, "Family meeting", created_at=T0))
    for pid, (name, role) in PEOPLE.items():
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, T0))
    return board


def with_cards(live: int, removed: int) -> Board:
    """`live` cards and `removed` ones (c0000 ... first the live ones), all by the parent."""
    board = meeting()
    sections = list(SECTIONS)
    keys = even_keys(live + removed)
    cards = {
        f"c{i:04d}": Card(
            id=f"c{i:04d}",
            section=sections[i % len(sections)],
            text="x" * 2000,
            position=keys[i],
            author="p_mum",
            created_at=T0,
            updated_at=T0,
            updated_by="p_mum",
            deleted=i >= live,
        )
        for i in range(live + removed)
    }
    return replace(board, cards=MappingProxyType(cards))


def with_people(count: int, taken_out: int = 0) -> Board:
    """`count` people in all, the last `taken_out` of them taken out of the meeting."""
    board = meeting()
    people = dict(board.participants)
    for n in range(count - len(people)):
        pid = f"p_{n:04d}"
        people[pid] = Participant(pid, f"Cousin {n}", Role.NETWORK, T0)
    for pid in list(people)[count - taken_out :]:
        people[pid] = replace(people[pid], removed=True)
    return replace(board, participants=MappingProxyType(people))


ADD = raw("card.add", section="harm", text="One more worry")
JOIN = ParticipantJoin("p_new", "Uncle Tariq", Role.NETWORK)
KEPT = (
    f"A board keeps at most {MAX_CARDS_KEPT} cards, counting removed ones "
    "(so they can be brought back): this one has no room for more."
)
PEOPLE_FULL = f"A meeting can have at most {MAX_PARTICIPANTS} people join it."


@dataclass(frozen=True)
class Case:
    board: Callable[[], Board]
    apply: Callable[[Board], object]
    refused: str | None  # the refusal's message, or None: accepted


def add(board: Board) -> object:
    return run(board, ADD, "p_mum")


def restore_last(board: Board) -> object:
    return run(board, raw("card.restore", card_id=max(board.cards)), "p_mum")


def join(board: Board) -> object:
    return ops.apply(board, JOIN, Context("p_new", T1))


CASES = {
    "a card below both bounds": Case(lambda: with_cards(10, MAX_CARDS_KEPT - 11), add, None),
    "the last card the board can keep": Case(
        lambda: with_cards(MAX_CARDS - 1, MAX_CARDS_KEPT - MAX_CARDS), add, None
    ),
    "a card once removed ones fill the board": Case(
        lambda: with_cards(10, MAX_CARDS_KEPT - 10), add, KEPT
    ),
    "a card once only removed ones are kept": Case(
        lambda: with_cards(0, MAX_CARDS_KEPT), add, KEPT
    ),
    "the 501st live card, first of the two bounds": Case(
        lambda: with_cards(MAX_CARDS, MAX_CARDS_KEPT - MAX_CARDS),
        add,
        f"A board can hold at most {MAX_CARDS} cards.",
    ),
    "bringing a card back when the board is full of kept ones": Case(
        lambda: with_cards(10, MAX_CARDS_KEPT - 10), restore_last, None
    ),
    "the last person a meeting can have": Case(
        lambda: with_people(MAX_PARTICIPANTS - 1), join, None
    ),
    "one person more": Case(lambda: with_people(MAX_PARTICIPANTS), join, PEOPLE_FULL),
    "one more when some were taken out": Case(
        lambda: with_people(MAX_PARTICIPANTS, taken_out=20), join, PEOPLE_FULL
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_bound(case: Case) -> None:
    board = case.board()
    if case.refused is None:
        case.apply(board)
        return
    with pytest.raises(TooMany) as refused:
        case.apply(board)
    assert (refused.value.code, refused.value.message) == ("too_many", case.refused)


def test_a_refused_card_or_join_changes_nothing() -> None:
    full = with_cards(0, MAX_CARDS_KEPT)
    with pytest.raises(TooMany):
        add(full)
    assert len(full.cards) == MAX_CARDS_KEPT and "c_new" not in full.cards
    crowded = with_people(MAX_PARTICIPANTS)
    with pytest.raises(TooMany):
        join(crowded)
    assert "p_new" not in crowded.participants


def test_adding_and_removing_cannot_grow_a_board_past_its_bound() -> None:
    """What a participant could do in a loop: add a long card, remove it, again."""
    board = meeting()
    for n in range(MAX_CARDS_KEPT):
        card = f"c_{n:04d}"
        board, _ = run(
            board, raw("card.add", section="harm", text="x" * 2000), "p_mum", new_id=card
        )
        board, _ = run(board, raw("card.delete", card_id=card), "p_mum")
    with pytest.raises(TooMany):
        run(board, raw("card.add", section="harm", text="x" * 2000), "p_mum", new_id="c_more")
    assert len(board.cards) == MAX_CARDS_KEPT and not board.live_cards()
