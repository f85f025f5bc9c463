"""Fractional position keys, and card order on the board under random adds, moves, deletes
and restores (a Hypothesis state machine over the real `ops.apply`)."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from server.board import ops, storage, wire
from server.board.limits import MAX_CARDS, MAX_POSITION
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Meeting
from server.board.ops import Context
from server.board.positions import DIGITS, even_keys, key_between
from server.board.roles import Role
from server.board.template import SECTIONS

T0 = "2026-11-27T09:00:00.000Z"


def is_key(key: str) -> bool:
    """A well-formed key: base-62 digits, not empty, never ending in the zero digit."""
    return bool(key) and all(ch in DIGITS for ch in key) and not key.endswith(DIGITS[0])


# --- key_between ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(None, None, "V", id="empty-section"),
        pytest.param("V", None, "l", id="below-the-last"),
        pytest.param(None, "V", "G", id="above-the-first"),
        pytest.param("A", "C", "B", id="room-for-one-digit"),
        pytest.param("A", "B", "AV", id="adjacent-digits-go-deeper"),
        pytest.param("AZ", "B5", "B", id="shorter-key-in-between"),
        pytest.param(None, "1", "0V", id="above-the-smallest-digit"),
        pytest.param("z", None, "zV", id="below-the-largest-digit"),
        pytest.param("zz", None, "zzV", id="below-zz"),
        pytest.param("V", "V1", "V0V", id="shared-prefix"),
        pytest.param("", "V", "G", id="empty-string-is-the-start"),
    ],
)
def test_key_between_values(before: str | None, after: str | None, expected: str) -> None:
    key = key_between(before, after)
    assert key == expected
    assert (before or "") < key
    assert after is None or key < after
    assert is_key(key)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("B", "A", id="reversed"),
        pytest.param("A", "A", id="equal"),
        pytest.param("Ab", "A", id="longer-before"),
    ],
)
def test_key_between_refuses_out_of_order(before: str, after: str) -> None:
    with pytest.raises(ValueError, match="out of order"):
        key_between(before, after)


keys = st.text(alphabet=DIGITS, min_size=1, max_size=10).filter(is_key)


@given(st.lists(keys, min_size=2, max_size=2, unique=True))
def test_key_between_any_two_keys(pair: list[str]) -> None:
    low, high = sorted(pair)
    key = key_between(low, high)
    assert low < key < high
    assert is_key(key)
    # Never more than one digit longer than its longer neighbour.
    assert len(key) <= max(len(low), len(high)) + 1


@given(keys)
def test_key_between_the_ends(key: str) -> None:
    top = key_between(None, key)
    bottom = key_between(key, None)
    assert top < key < bottom
    assert is_key(top)
    assert is_key(bottom)
    assert len(top) <= len(key) + 1
    assert len(bottom) <= len(key) + 1


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=300))
def test_random_inserts_keep_the_intended_order(picks: list[int]) -> None:
    """Insert items at random indexes; their keys must sort exactly in the intended order."""
    labels: list[int] = []  # the intended order
    key_of: dict[int, str] = {}
    for label, pick in enumerate(picks):
        index = pick % (len(labels) + 1)
        before = key_of[labels[index - 1]] if index > 0 else None
        after = key_of[labels[index]] if index < len(labels) else None
        key_of[label] = key_between(before, after)
        labels.insert(index, label)
        ordered = [key_of[x] for x in labels]
        assert all(a < b for a, b in itertools.pairwise(ordered))
        assert sorted(labels, key=key_of.__getitem__) == labels
    assert all(is_key(k) for k in key_of.values())


def test_inserting_at_the_top_grows_keys_slowly() -> None:
    key = key_between(None, None)
    for _ in range(120):
        key = key_between(None, key)
        assert is_key(key)
    # Halving each time: a base-62 digit holds about six halvings.
    assert 20 <= len(key) <= 22


# --- even_keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        pytest.param(0, [], id="none"),
        pytest.param(1, ["V"], id="one-in-the-middle"),
        pytest.param(2, ["K", "f"], id="two"),
        pytest.param(3, ["F", "V", "k"], id="three"),
    ],
)
def test_even_keys_values(count: int, expected: list[str]) -> None:
    assert even_keys(count) == expected


@pytest.mark.parametrize(
    ("count", "width"),
    [(1, 1), (10, 1), (60, 1), (61, 1), (62, 2), (500, 2), (3842, 2), (3843, 2), (3844, 3)],
)
def test_even_keys_are_short_sorted_and_unique(count: int, width: int) -> None:
    result = even_keys(count)
    assert len(result) == count
    assert result == sorted(result)
    assert len(set(result)) == count
    assert all(is_key(k) for k in result)
    assert max(len(k) for k in result) == width


def test_even_keys_leave_room_at_both_ends_and_between() -> None:
    result = even_keys(MAX_CARDS)
    assert result[0] > DIGITS[0]
    assert key_between(None, result[0]) < result[0]
    assert key_between(result[-1], None) > result[-1]
    for low, high in itertools.pairwise(result):
        assert low < key_between(low, high) < high


# --- order on the board: a reference model -----------------------------------------------------

ACTOR = "p_fac"


def new_board() -> Board:
    board = Board(Meeting("m_positions", "Positions", created_at=T0))
    for pid, name, role in [("p_fac", "Fatima", Role.FACILITATOR), ("p_mum", "Sam", Role.PARENT)]:
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, T0))
    return board


def place(model: list[str], card_id: str, after: str | None) -> None:
    """Where the protocol says a card goes: below `after`, at the top for None, and at the end
    when `after` is not a live card of that section."""
    if after is None:
        model.insert(0, card_id)
    elif after in model:
        model.insert(model.index(after) + 1, card_id)
    else:
        model.append(card_id)


def check_section_keys(board: Board) -> None:
    for section in SECTIONS:
        positions = [card.position for card in board.section_cards(section)]
        assert len(set(positions)) == len(positions), f"{section}: positions not unique"
        assert positions == sorted(positions)
    for card in board.cards.values():
        assert is_key(card.position), card
        assert len(card.position) <= MAX_POSITION, card


class Apply:
    """Applies client messages to a board and checks each op's changes reproduce the board."""

    def __init__(self) -> None:
        self.board = new_board()
        self.clock = 0
        self.respaced = 0

    def __call__(self, message: dict[str, Any], new_id: str = "") -> list[ops.Change]:
        self.clock += 1
        _, op = ops.parse_op({"id": f"o{self.clock}", **message})
        previous = self.board
        now = f"2026-11-27T09:{self.clock:012d}"
        self.board, changes = ops.apply(previous, op, Context(ACTOR, now, new_id))
        if len(changes) > 1:
            self.respaced += 1
        # What every client does with `applied`: the changes alone give the same live board.
        sent = json.loads(json.dumps([wire.encode_change(c) for c in changes]))
        replayed = storage.apply_encoded(previous, sent, ACTOR, now)
        assert wire.encode_board(replayed) == wire.encode_board(self.board)
        return changes


# Few sections, so that cards crowd together and `after` often names another section's card.
PLAY_SECTIONS = ("harm", "strengths", "goals")


class BoardOrder(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.apply = Apply()
        self.model: dict[str, list[str]] = {s: [] for s in SECTIONS}
        self.deleted: dict[str, str] = {}  # tombstone id -> its section
        self.next_id = 0

    # --- helpers ---

    def live(self) -> list[str]:
        return sorted(cid for cards in self.model.values() for cid in cards)

    def section_of(self, card_id: str) -> str:
        return next(s for s, cards in self.model.items() if card_id in cards)

    def draw_after(self, data: st.DataObject, exclude: str | None = None) -> str | None:
        known = sorted({*self.live(), *self.deleted} - {exclude})
        choices = [st.none(), st.just("c_ghost")]
        if known:
            choices.append(st.sampled_from(known))
        return data.draw(st.one_of(*choices), label="after")

    # --- rules ---

    @precondition(lambda self: len(self.live()) < MAX_CARDS)
    @rule(section=st.sampled_from(PLAY_SECTIONS), data=st.data())
    def add(self, section: str, data: st.DataObject) -> None:
        card_id = f"c{self.next_id}"
        self.next_id += 1
        after = self.draw_after(data)
        message = {"type": "card.add", "section": section, "text": card_id, "after": after}
        self.apply(message, new_id=card_id)
        place(self.model[section], card_id, after)

    @precondition(lambda self: bool(self.live()))
    @rule(section=st.sampled_from(PLAY_SECTIONS), data=st.data())
    def move(self, section: str, data: st.DataObject) -> None:
        card_id = data.draw(st.sampled_from(self.live()), label="card")
        after = self.draw_after(data, exclude=card_id)
        self.apply({"type": "card.move", "card_id": card_id, "section": section, "after": after})
        self.model[self.section_of(card_id)].remove(card_id)
        place(self.model[section], card_id, after)

    @precondition(lambda self: bool(self.live()))
    @rule(data=st.data(), times=st.integers(min_value=1, max_value=250))
    def squeeze(self, data: st.DataObject, times: int) -> None:
        """Many moves into one gap (below the first card, or to the top): keys grow fast."""
        section = self.section_of(data.draw(st.sampled_from(self.live()), label="section of"))
        to_top = data.draw(st.booleans(), label="to top")
        cards = self.model[section]
        if len(cards) < 3:
            return
        for _ in range(times):
            card_id = cards[-1]
            after = None if to_top else cards[0]
            self.apply(
                {"type": "card.move", "card_id": card_id, "section": section, "after": after}
            )
            cards.remove(card_id)
            place(cards, card_id, after)
            assert [c.id for c in self.apply.board.section_cards(section)] == cards

    @precondition(lambda self: bool(self.live()))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        card_id = data.draw(st.sampled_from(self.live()), label="card")
        changes = self.apply({"type": "card.delete", "card_id": card_id})
        assert [(c.id, c.deleted) for c in changes] == [(card_id, True)]
        section = self.section_of(card_id)
        self.model[section].remove(card_id)
        self.deleted[card_id] = section

    @precondition(lambda self: bool(self.deleted) and len(self.live()) < MAX_CARDS)
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        card_id = data.draw(st.sampled_from(sorted(self.deleted)), label="card")
        section = self.deleted.pop(card_id)
        tomb = self.apply.board.cards[card_id]
        siblings = self.apply.board.section_cards(section)
        self.apply({"type": "card.restore", "card_id": card_id})
        cards = self.model[section]
        if any(c.position == tomb.position for c in siblings):
            cards.append(card_id)  # its place was given away by a re-spacing: at the end
        else:
            # Back at its own key, between whichever cards now surround that key.
            index = sum((c.position, c.id) < (tomb.position, card_id) for c in siblings)
            cards.insert(index, card_id)
            assert self.apply.board.cards[card_id].position == tomb.position

    # --- invariants ---

    @invariant()
    def order_matches_the_model(self) -> None:
        board = self.apply.board
        for section in SECTIONS:
            assert [c.id for c in board.section_cards(section)] == self.model[section], section

    @invariant()
    def keys_are_unique_and_short(self) -> None:
        check_section_keys(self.apply.board)

    @invariant()
    def tombstones_match(self) -> None:
        board = self.apply.board
        assert {cid for cid, c in board.cards.items() if c.deleted} == set(self.deleted)


BoardOrder.TestCase.settings = settings(
    max_examples=120,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestBoardOrder = pytest.mark.slow(BoardOrder.TestCase)


# --- hammering one spot -----------------------------------------------------------------------


def _section_of(apply: Apply, section: str, count: int) -> list[str]:
    ids = [f"h{i}" for i in range(count)]
    after = None
    for card_id in ids:
        apply({"type": "card.add", "section": section, "text": card_id, "after": after}, card_id)
        after = card_id
    return ids


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("top", id="to-the-top"),
        pytest.param("below-first", id="below-the-first-card"),
        pytest.param("below-second-last", id="into-the-last-gap"),
    ],
)
def test_thousands_of_moves_to_one_spot_keep_keys_short(target: str) -> None:
    apply = Apply()
    model = _section_of(apply, "danger", 6)
    apply({"type": "card.add", "section": "goals", "text": "other", "after": None}, "g1")
    longest = 0
    for _ in range(3000):
        if target == "top":
            card_id, after = model[-1], None
        elif target == "below-first":
            card_id, after = model[-1], model[0]
        else:
            card_id, after = model[0], model[-2]
        apply({"type": "card.move", "card_id": card_id, "section": "danger", "after": after})
        model.remove(card_id)
        place(model, card_id, after)
        board = apply.board
        assert [c.id for c in board.section_cards("danger")] == model
        positions = [c.position for c in board.section_cards("danger")]
        longest = max(longest, *map(len, positions))
        assert len(set(positions)) == len(positions)
    assert longest <= MAX_POSITION
    assert longest > 10  # the keys did grow before being re-spaced
    assert apply.respaced >= 5  # ...and the core re-spaced the section many times
    assert [c.id for c in apply.board.section_cards("goals")] == ["g1"]
    check_section_keys(apply.board)


def test_respacing_reports_every_repositioned_card() -> None:
    apply = Apply()
    model = _section_of(apply, "safety", 5)
    for _ in range(1000):
        card_id = model[-1]
        changes = apply(
            {"type": "card.move", "card_id": card_id, "section": "safety", "after": None}
        )
        model.remove(card_id)
        model.insert(0, card_id)
        if len(changes) > 1:
            break
    else:
        pytest.fail("1000 moves to the top never re-spaced the section")
    assert sorted(c.id for c in changes) == sorted(model)
    board = apply.board
    assert [c.position for c in board.section_cards("safety")] == even_keys(5)
    assert [c.id for c in board.section_cards("safety")] == model
    assert all(c.value == board.cards[c.id] for c in changes)


@pytest.mark.slow
def test_adding_hundreds_of_cards_at_the_top() -> None:
    apply = Apply()
    for i in range(MAX_CARDS):
        apply({"type": "card.add", "section": "next_steps", "text": f"step {i}"}, f"s{i}")
    assert [c.id for c in apply.board.section_cards("next_steps")] == [
        f"s{i}" for i in reversed(range(MAX_CARDS))
    ]
    check_section_keys(apply.board)
    assert apply.respaced >= 1


def test_cards_bouncing_between_sections_keep_order() -> None:
    apply = Apply()
    left = _section_of(apply, "strengths", 4)
    right: list[str] = []
    for i in range(2000):
        source, target = (left, right) if i % 2 == 0 else (right, left)
        if not source:
            source, target = target, source
        card_id = source[-1]
        after = target[0] if target else None
        section = "safety" if target is right else "strengths"
        apply({"type": "card.move", "card_id": card_id, "section": section, "after": after})
        source.remove(card_id)
        place(target, card_id, after)
        assert [c.id for c in apply.board.section_cards("strengths")] == left
        assert [c.id for c in apply.board.section_cards("safety")] == right
    check_section_keys(apply.board)
