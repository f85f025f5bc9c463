"""The op mix: what one participant does at each tick, and the little the generator must
know about a board to make valid ops (which cards are live, in which section, whose).

The generator learns the board from its own acks rather than from `applied`, because
every op of a meeting comes from the same generator process: that costs nothing per
delivery and works the same against the relay, which sends no real entities.

Mix per tick: 25 % card.add (or, once a participant's pool of card ids is used up,
card.delete / card.restore so a long soak keeps a bounded board), 25 % card.edit of an
own card (half of them wrapped in `editing` presence: start before, stop after the ack),
20 % card.move, 20 % card.react, 10 % vote.cast in the round the facilitator opened.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

SECTIONS = (
    "harm",
    "danger",
    "complicating",
    "strengths",
    "safety",
    "goals",
    "next_steps",
    "bottom_lines",
)
PHRASES = (
    "Gran walks them to school on Tuesdays and Thursdays",
    "Dad has been to every contact session since March",
    "The school says Leo is tired and hungry most mornings",
    "Mum calls the health visitor when she feels low",
    "Aunt Rosa can have the children at short notice",
    "Arguments at night wake the children up",
    "Everyone agrees the children should stay at their school",
    "A plan for who collects the children if Mum is unwell",
)
ROLES = ("parent", "child", "network", "professional")
# Card ids a participant adds before switching to delete / restore (bounded boards).
CARD_POOL = 24


@dataclass
class Board:
    """The live cards of one meeting, as far as this generator's acks tell."""

    cards: dict[str, str] = field(default_factory=dict)  # card id -> section
    order: list[str] = field(default_factory=list)  # the same ids, for random choice
    sections: dict[str, str] = field(default_factory=dict)  # every card ever, -> section
    scale_id: str | None = None
    round_open: bool = False

    def put(self, card_id: str, section: str) -> None:
        if card_id not in self.cards:
            self.order.append(card_id)
        self.cards[card_id] = self.sections[card_id] = section

    def drop(self, card_id: str) -> None:
        if self.cards.pop(card_id, None) is not None:
            # swap-remove: O(1), order does not matter
            i = self.order.index(card_id)
            self.order[i] = self.order[-1]
            self.order.pop()

    def any_card(self, rng: random.Random) -> str | None:
        return rng.choice(self.order) if self.order else None


@dataclass
class Author:
    """One participant's own cards."""

    tag: str  # makes card ids unique within the meeting
    facilitator: bool
    live: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    added: int = 0


@dataclass(frozen=True)
class Action:
    op: dict[str, Any]
    editing: str | None = None  # a card to announce `editing` for, around the op


def next_action(rng: random.Random, board: Board, me: Author, texts: int) -> Action:
    """The next op for this participant (without its id)."""
    roll = rng.random()
    if roll < 0.25:
        return _add_or_cycle(rng, board, me, texts)
    if roll < 0.50:
        return _edit(rng, board, me, texts)
    card = board.any_card(rng)
    if card is None:
        return _add_or_cycle(rng, board, me, texts)
    if roll < 0.70:
        after = board.any_card(rng)
        if after is None or after == card:
            section, after = rng.choice(SECTIONS), None
        else:
            section = board.cards[after]
        return Action({"type": "card.move", "card_id": card, "section": section, "after": after})
    if roll < 0.90 or not board.round_open:
        stance = rng.choice(("agree", "disagree", None))
        return Action({"type": "card.react", "card_id": card, "stance": stance})
    vote: dict[str, Any] = {"type": "vote.cast", "scale_id": board.scale_id}
    vote["value"] = rng.randint(0, 10)
    if rng.random() < 0.3:
        vote["reason"] = rng.choice(PHRASES)
    return Action(vote)


def _add_or_cycle(rng: random.Random, board: Board, me: Author, texts: int) -> Action:
    if me.added < CARD_POOL:
        return _new_card(rng, board, me, texts)
    if len(me.live) > CARD_POOL // 2:
        return Action({"type": "card.delete", "card_id": rng.choice(me.live)})
    if me.deleted:
        return Action({"type": "card.restore", "card_id": rng.choice(me.deleted)})
    if me.live:
        return _edit(rng, board, me, texts)
    return _new_card(rng, board, me, texts)  # only after refused adds


def _new_card(rng: random.Random, board: Board, me: Author, texts: int) -> Action:
    me.added += 1
    after = board.any_card(rng) if rng.random() < 0.5 else None
    section = board.cards[after] if after else rng.choice(SECTIONS)
    op = {
        "type": "card.add",
        "card_id": f"c{me.tag}x{me.added}",
        "section": section,
        "text": _text(rng, texts),
        "after": after,
    }
    if rng.random() < 0.3:
        op["attributed_to"] = rng.choice(("Gran", "Dad", "Mum", "Rosa", "the school"))
    return Action(op)


def _edit(rng: random.Random, board: Board, me: Author, texts: int) -> Action:
    card = board.any_card(rng) if me.facilitator else (rng.choice(me.live) if me.live else None)
    if card is None:  # nothing of mine to edit yet
        return _new_card(rng, board, me, texts)
    op = {"type": "card.edit", "card_id": card, "text": _text(rng, texts)}
    return Action(op, editing=card if rng.random() < 0.5 else None)


def _text(rng: random.Random, n: int) -> str:
    return f"{rng.choice(PHRASES)} ({n})"


def acked(op: dict[str, Any], board: Board, me: Author) -> None:
    """Record what a committed op did to the board."""
    kind, card = op["type"], op.get("card_id")
    if kind == "card.add":
        board.put(card, op["section"])
        me.live.append(card)
    elif kind == "card.move" and card in board.cards:
        board.put(card, op["section"])
    elif kind == "card.delete" and card in me.live:
        board.drop(card)
        me.live.remove(card)
        me.deleted.append(card)
    elif kind == "card.restore" and card in me.deleted:
        board.put(card, board.sections[card])
        me.deleted.remove(card)
        me.live.append(card)
