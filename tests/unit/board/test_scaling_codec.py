"""Scaling in the codec: what leaves the server (never a number of an open round), and
the ballots in the secret storage records."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from server.board import codec, storage, wire
from server.board.model import (
    Change,
)
from tests.support.boards import MID, T1, raw, run
from tests.support.scaling import (
    OVERALL,
    SAFETY,
    WORDS,
    assert_no_numbers,
    new_meeting,
    step,
    vote,
    vote_objects,
    with_open_round,
    with_votes,
)

# --- the codec: what leaves the server --------------------------------------------------------


def test_encode_board_never_has_a_number_of_an_open_round() -> None:
    board = with_votes()
    encoded = wire.encode_board(board)
    assert set(encoded) >= {"meeting", "participants", "cards", "scales", "rounds"}
    assert_no_numbers(encoded)
    (round_,) = encoded["rounds"]
    assert round_["votes"] == [] and round_["status"] == "open"
    assert "summary" not in round_
    assert round_["answered"] == [
        {
            "voter": "p_mum",
            "name": "Sam",
            "role": "parent",
            "recorded_by": None,
            "device": None,
            "unconfirmed": False,
            "group": "family",
        },
        {
            "voter": "p_gran",
            "name": "Gran",
            "role": "network",
            "recorded_by": None,
            "device": None,
            "unconfirmed": False,
            "group": "network",
        },
        {
            "voter": "behalf:grandad|network",
            "name": "Grandad",
            "role": "network",
            "recorded_by": "p_fac",
            "device": None,
            "unconfirmed": False,
            "group": "network",
        },
    ]
    scale = encoded["scales"][0]
    assert (scale["id"], scale["overall"], scale["low_label"]) == (OVERALL, True, SAFETY.low_label)
    # After the reveal, every number is there.
    revealed = wire.encode_board(step(board, raw("round.reveal", scale_id=OVERALL), "p_fac"))
    assert sorted(v["value"] for v in vote_objects(revealed)) == [3, 7, 9]
    assert "REASON-ALPHA" in json.dumps(revealed)


def test_assert_no_numbers_would_catch_a_leak() -> None:
    """The check the secrecy tests rely on does fail on a leak."""
    board = with_votes()
    leaky = {**wire.encode_board(board), "ballots": wire.encode_own_ballots(board, "p_mum")}
    with pytest.raises(AssertionError):
        assert_no_numbers(leaky)
    bare = {"rounds": [{"votes": [{"voter": "p_mum", "value": 7}]}]}
    with pytest.raises(AssertionError):
        assert_no_numbers(bare)


def test_every_public_change_of_voting_has_no_number() -> None:
    board = with_open_round()
    seen: list[Change] = []
    for actor, message in (
        ("p_mum", vote(value=7, reason="REASON-ALPHA")),
        ("p_gran", vote(value=3, reason="REASON-BRAVO")),
        (
            "p_fac",
            vote(value=9, reason="REASON-CHARLIE", on_behalf_of={"name": "G", "role": "child"}),
        ),
        ("p_mum", vote(value=8, reason="REASON-ALPHA-2")),
    ):
        board, changes = run(board, message, actor)
        seen += changes
    public = [wire.encode_change(c) for c in seen if not c.secret]
    assert len(public) == 4
    assert_no_numbers(public)
    assert sum(c.secret for c in seen) == 4
    for change in (c for c in seen if c.secret):
        with pytest.raises(ValueError):
            wire.encode_change(change)


def test_encode_own_ballots_is_only_the_callers_own_and_recorded() -> None:
    board = with_votes()
    mine = wire.encode_own_ballots(board, "p_mum")
    assert mine == [
        {
            "round_id": "r_1",
            "scale_id": OVERALL,
            "group": "family",
            "voter": "p_mum",
            "name": "Sam",
            "role": "parent",
            "value": 7,
            "at": T1,
            "reason": "REASON-ALPHA",
            "recorded_by": None,
            "replaces_recorded_by": None,
            "unconfirmed": False,
        }
    ]
    assert [b["value"] for b in wire.encode_own_ballots(board, "p_gran")] == [3]
    facilitator = wire.encode_own_ballots(board, "p_fac")
    assert [(b["voter"], b["value"], b["recorded_by"]) for b in facilitator] == [
        ("behalf:grandad|network", 9, "p_fac")
    ]
    for pid in ("p_kid", "p_sw", "p_tv", "p_nobody"):
        assert wire.encode_own_ballots(board, pid) == []
    json.dumps(mine)
    # Revealed rounds are in the board, not in anyone's own numbers.
    revealed = step(board, raw("round.reveal", scale_id=OVERALL), "p_fac")
    assert wire.encode_own_ballots(revealed, "p_mum") == []


def test_stored_changes_put_ballots_in_the_secret_records() -> None:
    board = with_open_round()
    board, changes = run(board, vote(value=7, reason="REASON-ALPHA"), "p_mum")
    public, secret = storage.stored_changes(changes, board)
    assert list(public) == ["round:r_1"]
    assert "REASON-" not in public["round:r_1"]
    assert_no_numbers(json.loads(public["round:r_1"]))
    assert list(secret) == ["ballot:r_1/p_mum"]
    assert json.loads(secret["ballot:r_1/p_mum"]) == {
        "voter": "p_mum",
        "name": "Sam",
        "role": "parent",
        "value": 7,
        "at": T1,
        "reason": "REASON-ALPHA",
        "recorded_by": None,
        "replaces_recorded_by": None,
        "unconfirmed": False,
    }
    board = step(board, vote(value=2, on_behalf_of={"name": "Al", "role": "child"}), "p_fac")
    board, changes = run(board, raw("round.reveal", scale_id=OVERALL), "p_fac")
    public, secret = storage.stored_changes(changes, board)
    assert list(public) == ["round:r_1"]
    assert json.loads(public["round:r_1"])["status"] == "revealed"
    assert secret == {"ballot:r_1/p_mum": None, "ballot:r_1/behalf:al|child": None}


def test_stored_changes_of_a_scale_delete_drop_the_ballots() -> None:
    board = with_votes()
    board, changes = run(board, raw("scale.delete", scale_id=OVERALL), "p_fac")
    public, secret = storage.stored_changes(changes, board)
    assert json.loads(public[f"scale:{OVERALL}"])["deleted"] is True
    assert set(secret) == {
        "ballot:r_1/p_mum",
        "ballot:r_1/p_gran",
        "ballot:r_1/behalf:grandad|network",
    }
    assert set(secret.values()) == {None}


def test_board_records_leave_the_ballots_out() -> None:
    records = storage.board_records(with_votes())
    assert not [key for key in records if key.startswith("ballot")]
    assert {"round:r_1", f"scale:{OVERALL}", f"meeting:{MID}"} <= set(records)
    assert "REASON-" not in json.dumps(records)
    assert_no_numbers([json.loads(value) for value in records.values()])


def test_board_from_records_round_trips_a_board_with_ballots() -> None:
    board = with_votes()
    board = step(board, raw("scale.add", **WORDS, scale_id="s_b", card_id="c_worry"), "p_fac")
    board = step(board, raw("round.open", scale_id="s_b"), "p_fac", new_id="r_b")
    board = step(board, vote("s_b", 0), "p_kid")
    board = step(board, raw("round.reveal", scale_id="s_b"), "p_fac")
    board = step(board, raw("round.open", scale_id="s_b"), "p_fac", new_id="r_b2")
    board = step(board, vote("s_b", 10, reason="x"), "p_sw")
    board = step(board, raw("meeting.edit", worry_threshold=4), "p_fac")
    records = storage.board_records(board)
    secrets = {
        f"ballot:{key}": codec.dumps(codec.encode_entity(vote))
        for key, vote in board.ballots.items()
    }
    assert len(secrets) == 4
    assert storage.board_from_records(records, secrets) == board
    without = storage.board_from_records(records)
    assert dict(without.ballots) == {}
    assert replace(without, ballots=board.ballots) == board


def test_apply_encoded_of_the_public_changes_reproduces_the_public_board() -> None:
    start = new_meeting()
    board = start
    replayed = start
    script = [
        ("p_fac", raw("scale.add", **WORDS, scale_id="s_b", card_id="c_worry"), "x1"),
        ("p_fac", raw("scale.edit", scale_id=OVERALL, question="Where are we?"), "x2"),
        ("p_fac", raw("round.open", scale_id=OVERALL), "r_1"),
        ("p_mum", vote(value=7, reason="REASON-ALPHA"), "x3"),
        ("p_fac", vote(value=9, on_behalf_of={"name": "Grandad", "role": "network"}), "x4"),
        ("p_mum", vote(value=6), "x5"),
        ("p_fac", raw("round.reveal", scale_id=OVERALL), "x6"),
        ("p_fac", raw("round.open", scale_id=OVERALL), "r_2"),
        ("p_gran", vote(value=3), "x7"),
        ("p_fac", raw("round.open", scale_id="s_b"), "r_b"),
        ("p_kid", vote("s_b", 2), "x8"),
        ("p_fac", raw("scale.delete", scale_id="s_b"), "x9"),
        ("p_fac", raw("meeting.edit", vocabulary="wellbeing", worry_threshold=3), "x10"),
    ]
    for actor, message, new_id in script:
        board, changes = run(board, message, actor, new_id=new_id)
        public = [wire.encode_change(c) for c in changes if not c.secret]
        replayed = storage.apply_encoded(replayed, json.loads(json.dumps(public)), actor, T1)
        assert wire.encode_board(replayed) == wire.encode_board(board), message
    assert replayed.scales == board.scales
    assert replayed.rounds == board.rounds
    assert dict(replayed.ballots) == {}  # numbers never travel with the public changes
    assert list(board.ballots) == ["r_2/p_gran"]
