"""Minutes in the codec: the decision, minutes and snapshots stored, replayed and sent (the
list, never the content), and the template's plan view and review prompts."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from server.board import codec, storage, wire
from server.board.model import (
    Board,
    Outcome,
    Stance,
)
from server.board.roles import Role
from tests.support.boards import T1, raw, run
from tests.support.minutes import (
    PLAN_SECTIONS,
    T3,
    meeting_board,
    records,
    signed_board,
)

# --- codec --------------------------------------------------------------------------------


def secret_records(board: Board) -> dict[str, str]:
    """The records a store keeps apart: open rounds' ballots and minutes' snapshots."""
    kept = {
        storage.storage_key("snapshot", key): codec.dumps(codec.encode_entity(snap))
        for key, snap in board.snapshots.items()
    }
    for key, vote in board.ballots.items():
        kept[storage.storage_key("ballot", key)] = codec.dumps(codec.encode_entity(vote))
    return kept


def test_the_codec_round_trips_decision_minutes_and_snapshots() -> None:
    board = signed_board()
    stored = records(board)
    assert {"decision:decision", "minutes:1", "minutes:2"} <= set(stored)
    assert not any(key.startswith("snapshot:") for key in stored)  # kept apart
    assert "Leo had a bruise" not in stored["minutes:1"]
    restored = storage.board_from_records(stored, secret_records(board))
    assert restored == board
    assert restored.minutes["1"].signoffs[1].stance is Stance.DISAGREE
    assert restored.minutes["1"].signoffs[1].role is Role.NETWORK
    assert restored.decision["decision"].outcome is Outcome.CONTINUE


def test_stored_changes_put_the_snapshot_with_the_secrets() -> None:
    board = meeting_board()
    after, changes = run(board, raw("minutes.take"), "p_fac", now=T3)
    public, secret = storage.stored_changes(changes, after)
    assert set(public) == {"minutes:1"} and set(secret) == {"snapshot:1"}
    assert json.loads(secret["snapshot:1"]) == {"number": 1, "body": after.snapshots["1"].body}
    with pytest.raises(ValueError):
        wire.encode_change(changes[1])


def test_a_worker_replaying_the_log_sees_the_same_minutes() -> None:
    board = meeting_board()
    after = board
    for message, actor in [
        (raw("minutes.take", label="One"), "p_fac"),
        (raw("minutes.sign", minutes=1, stance="agree"), "p_mum"),
        (raw("minutes.sign", minutes=1, stance="disagree", reason="No"), "p_gran"),
        (raw("minutes.agree", minutes=1), "p_fac"),
    ]:
        after, changes = run(after, message, actor)
        encoded = [wire.encode_change(c) for c in changes if not c.secret]
        board = storage.apply_encoded(board, encoded, actor, T1)
    board = replace(board, **storage.secret_parts(secret_records(after)))
    assert board == after


def test_encode_board_lists_minutes_without_their_content() -> None:
    board = signed_board()
    encoded = wire.encode_board(board)
    assert [m["number"] for m in encoded["minutes"]] == [1, 2]
    first = encoded["minutes"][0]
    assert set(first) == {
        "number",
        "label",
        "status",
        "taken_at",
        "taken_by",
        "hash",
        "signoffs",
        "agreed_at",
        "agreed_by",
    }
    assert (first["status"], first["hash"]) == ("agreed", board.minutes["1"].hash)
    assert [(s["name"], s["stance"], s["reason"]) for s in first["signoffs"]] == [
        ("Sam", "agree", None),
        ("Gran", "disagree", "Dad was not asked"),
    ]
    assert "snapshots" not in encoded and '"body"' not in json.dumps(encoded)
    assert encoded["decision"]["note"] == "Review soon"


def test_the_template_has_the_plan_view_and_the_review_prompts() -> None:
    template = wire.encode_template(link_days=7)
    plan = template["columns"][-1]
    assert (plan["key"], plan["view"]) == ("plan", "plan")
    assert [s["key"] for s in plan["sections"]] == PLAN_SECTIONS
    assert all(c["view"] == "map" for c in template["columns"][:-1])
    prompts = template["review_prompts"]
    assert len(prompts) == 2 and all(isinstance(p, str) and p.endswith("?") for p in prompts)
