"""One op whose write fails, of whatever kind, fails alone: the other meetings' ops sent at
the same moment (on SQLite, one group-commit transaction) are committed and acknowledged,
and the failed one leaves nothing behind."""

from __future__ import annotations

import asyncio
from typing import Any

from server.board import ops
from server.board.cards import CardAdd
from server.board.model import Board
from server.board.ops import Context
from server.store.records import Commit, OpRecord
from server.store.roles import Update
from tests.support.boards import T1, empty_board
from tests.support.stores import OpenStore

MEETINGS = [f"m{n:02d}Batch{n:03d}" for n in range(24)]
SURROGATE = MEETINGS[3]  # text SQLite (and redis-py) cannot encode: not text at all
UNWRITABLE_AUDIT = MEETINGS[11]  # an audit entry that is no JSON, failing after the op's rows


def add(text: str) -> Any:
    op = CardAdd(section="strengths", text=text, card_id="c_1")
    return lambda board: ops.apply(board, op, Context("p_mum", T1, "c_1"))


def update(meeting_id: str, text: str = "Gran walks Ayaan to school", **extra: Any) -> Update:
    return Update(meeting_id, "p_mum:o_1", "o_1", "p_mum", T1, add(text), **extra)


def unwritable(record: OpRecord, board: Board) -> dict[str, Any]:
    return {"event": "card.add", "not_json": object()}


def request(meeting_id: str) -> Update:
    if meeting_id == SURROGATE:
        return update(meeting_id, "Gran \ud800")
    if meeting_id == UNWRITABLE_AUDIT:
        return update(meeting_id, audit=unwritable)
    return update(meeting_id)


def cards(board: Board) -> dict[str, str]:
    return {card_id: card.text for card_id, card in board.cards.items()}


async def test_one_failing_write_fails_only_its_own_op(open_store: OpenStore) -> None:
    store = await open_store()
    for meeting_id in MEETINGS:
        await store.create(empty_board(meeting_id=meeting_id))

    # All sent at once: on SQLite they queue behind one another into one transaction.
    outcomes = await asyncio.gather(
        *(store.update(request(m)) for m in MEETINGS), return_exceptions=True
    )

    failed = {
        m for m, outcome in zip(MEETINGS, outcomes, strict=True) if not isinstance(outcome, Commit)
    }
    assert failed == {SURROGATE, UNWRITABLE_AUDIT}
    assert all(o.seq == 1 for o in outcomes if isinstance(o, Commit))

    restarted = await open_store()  # what is on disk, not in this worker's memory
    for meeting_id in MEETINGS:
        board, seq = await restarted.load(meeting_id)
        if meeting_id in failed:
            assert (seq, cards(board)) == (0, {})
            assert await restarted.changes_since(meeting_id, 0) == (0, [])
        else:
            assert (seq, cards(board)) == (1, {"c_1": "Gran walks Ayaan to school"})


async def test_a_failed_op_left_no_op_key_behind(open_store: OpenStore) -> None:
    store = await open_store()
    await store.create(empty_board(meeting_id=SURROGATE))
    await asyncio.gather(store.update(request(SURROGATE)), return_exceptions=True)

    # The same op key, sent again with words that can be written, is a new op, not a duplicate.
    commit = await store.update(update(SURROGATE))
    assert (commit.seq, commit.duplicate) == (1, False)
    assert cards(commit.board) == {"c_1": "Gran walks Ayaan to school"}
