"""Secret ballots through the store, on both backends: apart from the log, and caught up
with by another worker."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest

from server.board import ops, wire
from server.board.model import (
    Board,
)
from server.board.ops import Context
from server.store.roles import Mutation, Store, Update
from tests.support.boards import MID, T1, raw
from tests.support.scaling import (
    OVERALL,
    assert_no_numbers,
    new_meeting,
    vote,
)
from tests.support.stores import OpenStore

# --- through the store: both backends ---------------------------------------------------------


def mutation(message: dict[str, Any], actor: str, new_id: str = "") -> Mutation:
    _, op = ops.parse_op({"id": "o_x", **message})
    return lambda board: ops.apply(board, op, Context(actor, T1, new_id))


# Op numbers across all `Ops`: not `id(ops)`, which a new one made where a freed one was
# shares, and with it that one's op keys (the store then rightly answers "duplicate").
_op_numbers = count(1)


class Ops:
    """Commits ops through one store object, each with an op key never used before."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def __call__(self, actor: str, message: dict[str, Any], new_id: str = "") -> Any:
        op_id = f"o_{next(_op_numbers)}"
        commit = await self.store.update(
            Update(MID, f"{actor}:{op_id}", op_id, actor, T1, mutation(message, actor, new_id))
        )
        assert not commit.duplicate, op_id
        return commit


async def test_ops_made_one_after_another_commit_each_op(open_store: OpenStore) -> None:
    store = await open_store()
    await store.create(new_meeting())
    await Ops(store)("p_fac", raw("round.open", scale_id=OVERALL), "r_1")
    for value in range(10):  # each `Ops` freed before the next is made
        await Ops(store)("p_mum", vote(value=value))
    assert await store.seq(MID) == 11
    assert _values((await (await open_store()).load(MID))[0]) == {"r_1/p_mum": 9}


async def _voted(store: Store) -> Ops:
    """A stored meeting with an open round: Sam 7, Gran 3, Grandad 9 (recorded)."""
    await store.create(new_meeting())
    commit = Ops(store)
    await commit("p_fac", raw("round.open", scale_id=OVERALL), "r_1")
    await commit("p_mum", vote(value=7, reason="REASON-ALPHA"))
    await commit("p_gran", vote(value=3, reason="REASON-BRAVO"))
    behalf = {"name": "Grandad", "role": "network"}
    await commit("p_fac", vote(value=9, reason="REASON-CHARLIE", on_behalf_of=behalf))
    return commit


def _values(board: Board) -> dict[str, int]:
    return {key: vote.value for key, vote in board.ballots.items()}


EXPECTED = {"r_1/p_mum": 7, "r_1/p_gran": 3, "r_1/behalf:grandad|network": 9}


async def test_store_keeps_ballots_apart_from_the_log(open_store: OpenStore) -> None:
    store = await open_store()
    commit = await _voted(store)
    board, seq = await store.load(MID)
    assert seq == 4
    assert _values(board) == EXPECTED

    restarted = await open_store()
    loaded, loaded_seq = await restarted.load(MID)
    assert (loaded, loaded_seq) == (board, seq)
    assert loaded.ballots["r_1/p_mum"].reason == "REASON-ALPHA"

    _, records = await restarted.changes_since(MID, 0)
    assert records is not None and [r.seq for r in records] == [1, 2, 3, 4]
    log = [r.to_json() for r in records]
    assert_no_numbers(log)
    assert [len(r["changes"][0]["value"]["answered"]) for r in log[1:]] == [1, 2, 3]

    # A re-cast replaces the stored ballot; still nothing in the log.
    await commit("p_mum", vote(value=1, reason="REASON-ALPHA-2"))
    again, _ = await (await open_store()).load(MID)
    assert _values(again) == {**EXPECTED, "r_1/p_mum": 1}
    assert again.ballots["r_1/p_mum"].reason == "REASON-ALPHA-2"
    assert_no_numbers([r.to_json() for r in (await store.changes_since(MID, 0))[1] or []])

    # The reveal moves them into the round and deletes the ballots from the store.
    revealed = await commit("p_fac", raw("round.reveal", scale_id=OVERALL))
    fresh, _ = await (await open_store()).load(MID)
    assert dict(fresh.ballots) == {}
    assert fresh == revealed.board
    assert sorted(v.value for v in fresh.rounds["r_1"].votes) == [1, 3, 9]
    assert revealed.record is not None
    (change,) = revealed.record.changes
    assert sorted(v["value"] for v in change["value"]["votes"]) == [1, 3, 9]
    assert change["value"]["summary"]["words"] == "Family 1, network 6: a gap of 5"


async def test_another_worker_catches_up_with_ballots(
    open_store: OpenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker_a = await open_store()
    worker_b = await open_store()
    await worker_a.create(new_meeting())
    on_a = Ops(worker_a)
    await on_a("p_fac", raw("round.open", scale_id=OVERALL), "r_1")
    await worker_b.load(MID)  # B has the board cached, with no ballots yet

    await on_a("p_mum", vote(value=7, reason="REASON-ALPHA"))
    await on_a("p_gran", vote(value=3, reason="REASON-BRAVO"))
    await on_a("p_fac", vote(value=9, on_behalf_of={"name": "Grandad", "role": "network"}))
    full_reloads = 0
    read_board = worker_b._read_board

    async def counting(meeting_id: str) -> tuple[Board, int]:
        nonlocal full_reloads
        full_reloads += 1
        return await read_board(meeting_id)

    monkeypatch.setattr(worker_b, "_read_board", counting)
    board_b, seq_b = await worker_b.load(MID)
    assert full_reloads == 0  # the replay path, not a reload
    assert seq_b == 4
    assert _values(board_b) == EXPECTED
    assert (board_b, seq_b) == await worker_a.load(MID)
    assert [b["value"] for b in wire.encode_own_ballots(board_b, "p_mum")] == [7]

    # B goes on from there: a re-cast on B, then the reveal on A, seen by B.
    await Ops(worker_b)("p_mum", vote(value=5))
    board_a, _ = await worker_a.load(MID)
    assert _values(board_a) == {**EXPECTED, "r_1/p_mum": 5}
    await on_a("p_fac", raw("round.reveal", scale_id=OVERALL))
    board_b, _ = await worker_b.load(MID)
    assert dict(board_b.ballots) == {}
    assert [v.value for v in board_b.rounds["r_1"].votes] == [3, 9, 5]
    assert board_b == (await worker_a.load(MID))[0]
    assert full_reloads == 0


async def test_another_worker_forgets_ballots_dropped_by_a_scale_delete(
    open_store: OpenStore,
) -> None:
    worker_a = await open_store()
    worker_b = await open_store()
    await _voted(worker_a)
    assert _values((await worker_b.load(MID))[0]) == EXPECTED  # B caches the ballots
    await Ops(worker_a)("p_fac", raw("scale.delete", scale_id=OVERALL))
    stored, seq = await (await open_store()).load(MID)
    assert dict(stored.ballots) == {}
    board_b, seq_b = await worker_b.load(MID)
    assert seq_b == seq == 5
    # The voter's `state.my_votes` on worker B must not show a number that was dropped.
    assert wire.encode_own_ballots(board_b, "p_mum") == []
    assert dict(board_b.ballots) == {}
    assert board_b == stored
