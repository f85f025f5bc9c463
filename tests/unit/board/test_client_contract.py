"""The client's unit tests read `client/test/state.json`: a `state` payload written here by
the real core and codec, so their fixture cannot drift from what the server sends."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType

import server
from server.board import ops, wire
from server.board.meeting import ParticipantJoin
from server.board.model import Board, Meeting
from server.board.ops import Context
from server.board.scales import overall_scale
from server.settings import Settings
from tests.support.boards import MID, PEOPLE, T0, T1, raw, run

FIXTURE = Path(server.__file__).resolve().parent.parent / "client" / "test" / "state.json"
OVERALL = "s_overall"


def _meeting() -> Board:
    """A meeting part-way through: everyone joined, cards in the map and the plan, a
    revealed round and an open one on the overall scale, a worry's own scale, the
    decision and draft minutes."""
    meeting = Meeting(MID, "Family meeting for the Ahmed children", created_at=T0)
    overall = overall_scale(meeting.vocabulary, OVERALL, T0, created_by="")
    board = Board(meeting, scales=MappingProxyType({OVERALL: overall}))
    for pid, (name, role) in PEOPLE.items():
        board, _ = ops.apply(board, ParticipantJoin(pid, name, role), Context(pid, T0))
    steps = [
        ("p_fac", "c_worry", raw("card.add", section="danger", text="Leo may be hit")),
        ("p_mum", "c_strong", raw("card.add", section="strengths", text="Gran visits daily")),
        ("p_sw", "c_step", raw("card.add", section="next_steps", text="Call the school")),
        ("p_sw", "", raw("card.edit", card_id="c_step", owner="Jo", due="2026-12-04")),
        ("p_gran", "", raw("card.react", card_id="c_strong", stance="agree")),
        ("p_fac", "s_worry", raw("scale.add", **_scale_words(), card_id="c_worry")),
        ("p_fac", "r_1", raw("round.open", scale_id=OVERALL)),
        ("p_mum", "", raw("vote.cast", scale_id=OVERALL, value=7, reason="Gran helps")),
        ("p_kid", "", raw("vote.cast", scale_id=OVERALL, value=6)),
        ("p_gran", "", raw("vote.cast", scale_id=OVERALL, value=8)),
        ("p_sw", "", raw("vote.cast", scale_id=OVERALL, value=3)),
        ("p_fac", "", raw("round.reveal", scale_id=OVERALL)),
        ("p_fac", "r_2", raw("round.open", scale_id=OVERALL)),
        ("p_fac", "", raw("vote.cast", scale_id=OVERALL, value=4)),
        ("p_mum", "", raw("vote.cast", scale_id=OVERALL, value=6)),
        ("p_fac", "", raw("decision.set", outcome="continue", next_review="2027-01-08")),
        ("p_fac", "", raw("minutes.take", label="Before the break")),
        ("p_mum", "", raw("minutes.sign", minutes=1, stance="agree")),
        ("p_fac", "", raw("agenda.go", step=2)),
        ("p_fac", "", raw("focus.set", kind="card", target="c_strong")),
        ("p_fac", "", raw("timer.start", seconds=300)),
        ("p_mum", "", raw("ready.say", state="done")),
    ]
    for actor, new_id, message in steps:
        board, _ = run(board, message, actor, now=T1, new_id=new_id)
    return board


def _scale_words() -> dict[str, str]:
    return {
        "question": "How sure are we that Leo will not be hit?",
        "low_label": "Sure he will be",
        "high_label": "Sure he will not be",
    }


def _state() -> str:
    board = _meeting()
    defaults = Settings()
    state = wire.encode_state(
        board,
        20,
        board.participants["p_fac"],
        retention_days=defaults.retention_days,
        link_days=defaults.link_days,
        now=T1,
    )
    return json.dumps(state, indent=2, ensure_ascii=False) + "\n"


def test_the_client_fixture_is_what_the_codec_writes() -> None:
    expected = _state()
    current = FIXTURE.read_text(encoding="utf-8") if FIXTURE.exists() else None
    if current != expected:
        FIXTURE.write_text(expected, encoding="utf-8")
    assert current == expected, f"{FIXTURE} was out of date and is rewritten: commit it"
