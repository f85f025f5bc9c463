"""The codec: boards and changes to storage records, the wire format and back."""

from __future__ import annotations

import json

import pytest

from server.board import ops, storage, wire
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Stance, Vocabulary
from server.board.ops import Context
from server.board.roles import Role
from tests.support.boards import (
    MID,
    PEOPLE,
    T0,
    T1,
    empty_board,
    order,
    populated,
    raw,
    run,
)

# --- codec ------------------------------------------------------------------------------------


def _varied_board() -> Board:
    board = populated()
    board, _ = run(
        board,
        raw("card.add", section="danger", text="Dad shouts", attributed_to="Mum"),
        "p_sw",
        new_id="c_dan",
    )
    board, _ = run(board, raw("card.react", card_id="c_dan", stance="agree"), "p_mum")
    board, _ = run(board, raw("card.react", card_id="c_dan", stance="disagree"), "p_gran")
    board, _ = run(board, raw("meeting.edit", vocabulary="wellbeing"), "p_fac")
    return board


def test_board_records_round_trip() -> None:
    board = _varied_board()
    records = storage.board_records(board)
    assert set(records) == (
        {f"meeting:{MID}"}
        | {f"participant:{pid}" for pid in PEOPLE}
        | {f"card:{cid}" for cid in board.cards}
    )
    assert json.loads(records["card:d_mum"])["deleted"] is True
    assert json.loads(records["card:c_dan"])["stances"] == {"p_mum": "agree", "p_gran": "disagree"}
    restored = storage.board_from_records(records)
    assert restored == board
    assert restored.cards["c_dan"].stances["p_gran"] is Stance.DISAGREE
    assert restored.meeting.vocabulary is Vocabulary.WELLBEING
    assert restored.participants["p_tv"].role is Role.VIEWER


def test_board_from_records_needs_a_meeting() -> None:
    records = storage.board_records(populated())
    del records[f"meeting:{MID}"]
    with pytest.raises(ValueError):
        storage.board_from_records(records)


def test_encode_change_of_a_card() -> None:
    board, changes = run(
        empty_board(),
        raw("card.add", section="harm", text="Bruise", attributed_to="School"),
        "p_sw",
        new_id="c1",
    )
    board, changes = run(board, raw("card.react", card_id="c1", stance="agree"), "p_fac")
    assert [wire.encode_change(c) for c in changes] == [
        {
            "entity": "card",
            "id": "c1",
            "value": {
                "id": "c1",
                "section": "harm",
                "text": "Bruise",
                "position": "V",
                "author": "p_sw",
                "created_at": T1,
                "updated_at": T1,
                "updated_by": "p_sw",
                "attributed_to": "School",
                "stances": {"p_fac": "agree"},
                "owner": None,
                "due": None,
                "set_aside": None,
                "from_last_meeting": False,
                "house_item": None,
                "worry": None,
                "goal": None,
            },
        }
    ]


def test_encode_change_of_a_deletion_meeting_and_participant() -> None:
    _, deleted = run(populated(), raw("card.delete", card_id="c_mum"), "p_mum")
    assert [wire.encode_change(c) for c in deleted] == [
        {"entity": "card", "id": "c_mum", "deleted": True}
    ]
    _, locked = run(populated(), raw("meeting.lock"), "p_fac")
    assert [wire.encode_change(c) for c in locked] == [
        {
            "entity": "meeting",
            "id": MID,
            "value": {
                "id": MID,
                "title": "Family meeting for the Ahmed children",
                "kind": "initial",
                "status": "locked",
                "vocabulary": "safety",
                "previous": None,
                "created_at": T0,
                "worry_threshold": 2,
                "closed_at": None,
                "stage": None,
                "language": "en",
            },
        }
    ]
    _, joined = ops.apply(
        empty_board(), ParticipantJoin("p_x", "Eve", Role.NETWORK), Context("p_x", T1)
    )
    assert [wire.encode_change(c) for c in joined] == [
        {
            "entity": "participant",
            "id": "p_x",
            "value": {
                "id": "p_x",
                "name": "Eve",
                "role": "network",
                "joined_at": T1,
                "removed": False,
                "interprets": None,
                "device": None,
                "unconfirmed": False,
                "age": None,
                "language": "en",
            },
        }
    ]


def test_stored_changes_keep_the_tombstone() -> None:
    board, changes = run(populated(), raw("card.delete", card_id="c_mum"), "p_mum", now=T1)
    stored, secrets = storage.stored_changes(changes, board)
    assert list(stored) == ["card:c_mum"]
    assert secrets == {}
    record = json.loads(stored["card:c_mum"])
    assert (record["deleted"], record["updated_at"], record["text"]) == (
        True,
        T1,
        "Strength noted by p_mum",
    )


def test_encode_board_shows_live_cards_only_in_order() -> None:
    encoded = wire.encode_board(_varied_board())
    ids = [card["id"] for card in encoded["cards"]]
    assert ids == ["c_dan", "c_fac", "c_mum", "c_kid", "c_gran", "c_sw"]
    assert all("deleted" not in card for card in encoded["cards"])
    assert encoded["meeting"]["vocabulary"] == "wellbeing"
    # In the order they joined (here all at once, so by id).
    assert [p["id"] for p in encoded["participants"]] == sorted(PEOPLE)


SEQUENCE = [
    ("p_mum", raw("card.add", section="strengths", text="Mum walks them", after=None), "c1"),
    ("p_gran", raw("card.add", section="strengths", text="Gran cooks", after="c1"), "c2"),
    ("p_sw", raw("card.add", section="danger", text="Missed school", attributed_to="School"), "c3"),
    ("p_kid", raw("card.react", card_id="c1", stance="agree"), ""),
    (
        "p_mum",
        raw("card.edit", card_id="c1", text="Mum walks them every day", attributed_to=None),
        "",
    ),
    ("p_kid", raw("card.move", card_id="c2", section="safety", after=None), ""),
    ("p_kid", raw("card.react", card_id="c1", stance=None), ""),
    ("p_fac", raw("meeting.edit", title="Ahmed family review"), ""),
    ("p_sw", raw("card.add", section="danger", text="Temporary", after="c3"), "c4"),
    ("p_sw", raw("card.delete", card_id="c4"), ""),
    ("p_mum", raw("card.delete", card_id="c1"), ""),
    ("p_fac", raw("card.restore", card_id="c1"), ""),
    ("p_fac", raw("meeting.lock"), ""),
    ("p_fac", raw("meeting.unlock"), ""),
]


def _replay(board: Board) -> tuple[Board, Board]:
    """(the board after SEQUENCE, the board rebuilt from its JSON-encoded changes alone)."""
    replayed = board
    for i, (actor, message, new_id) in enumerate(SEQUENCE):
        now = f"2026-11-27T10:00:{i:02d}.000Z"
        board, changes = run(board, message, actor, now=now, new_id=new_id)
        sent = json.loads(json.dumps([wire.encode_change(c) for c in changes]))
        replayed = storage.apply_encoded(replayed, sent, actor, now)
    return board, replayed


def test_apply_encoded_reproduces_what_participants_see() -> None:
    board, replayed = _replay(empty_board())
    assert wire.encode_board(replayed) == wire.encode_board(board)
    assert order(replayed, "strengths") == ["c1"]
    assert order(replayed, "safety") == ["c2"]
    assert replayed.meeting.title == "Ahmed family review"


def test_apply_encoded_reproduces_the_whole_board_including_tombstones() -> None:
    board, replayed = _replay(empty_board())
    assert replayed == board
