"""A language per person and per meeting, in the pure core: each person chooses their own
(on joining and later), the facilitator the meeting's; a code Kinboard does not speak is
refused and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from server.board import ops, wire
from server.board.errors import Closed, Forbidden, Invalid, KinboardError
from server.board.languages import BY_CODE, LANGUAGES
from server.board.meeting import ParticipantJoin
from server.board.model import Status
from server.board.ops import Context
from server.board.roles import Role
from server.i18n import LANGUAGES as OFFERED
from tests.support.boards import PEOPLE, T1, empty_board, raw, run, with_status
from tests.support.scaling import assert_refused


def mine(language: Any) -> dict[str, Any]:
    return raw("participant.language", language=language)


def meetings(language: Any) -> dict[str, Any]:
    return raw("meeting.language", language=language)


def test_the_core_and_the_pages_speak_the_same_languages() -> None:
    assert OFFERED is LANGUAGES
    assert list(BY_CODE) == ["en", "cy", "pl", "ro", "ar", "ur"]


def test_someone_joins_in_the_language_they_chose() -> None:
    join = ParticipantJoin("p_new", "Ola", Role.PARENT, chose_role=True, language="pl")
    board, changes = ops.apply(empty_board(), join, Context("p_new", T1))
    assert board.participants["p_new"].language == "pl"
    assert wire.encode_change(changes[0])["value"]["language"] == "pl"
    assert empty_board().participants["p_mum"].language == "en"  # no choice: English


def test_joining_in_a_language_kinboard_does_not_speak_is_refused() -> None:
    join = ParticipantJoin("p_new", "Ola", Role.PARENT, language="xx")
    with pytest.raises(Invalid):
        ops.apply(empty_board(), join, Context("p_new", T1))


@pytest.mark.parametrize("actor", [pid for pid in PEOPLE if pid != "p_tv"])
def test_each_person_chooses_their_own_language(actor: str) -> None:
    board, changes = run(empty_board(), mine("cy"), actor)
    assert board.participants[actor].language == "cy"
    assert [(c.entity, c.id) for c in changes] == [("participant", actor)]
    others = {pid: p.language for pid, p in board.participants.items() if pid != actor}
    assert set(others.values()) == {"en"}


@pytest.mark.parametrize("status", [Status.OPEN, Status.LOCKED])
def test_a_language_is_chosen_in_an_open_or_locked_meeting(status: Status) -> None:
    board, _ = run(with_status(empty_board(), status), mine("ar"), "p_mum")
    assert board.participants["p_mum"].language == "ar"
    board, _ = run(with_status(empty_board(), status), meetings("ur"), "p_fac")
    assert board.meeting.language == "ur"


def test_the_same_language_again_changes_nothing() -> None:
    board = empty_board()
    assert run(board, mine("en"), "p_mum") == (board, [])
    assert run(board, meetings("en"), "p_fac") == (board, [])


def test_the_facilitator_sets_the_meetings_language() -> None:
    board, changes = run(empty_board(), meetings("cy"), "p_fac")
    assert board.meeting.language == "cy"
    assert [(c.entity, c.id) for c in changes] == [("meeting", board.meeting.id)]
    assert wire.encode_board(board)["meeting"]["language"] == "cy"
    assert {p.language for p in board.participants.values()} == {"en"}  # theirs stay


@pytest.mark.parametrize(
    ("message", "actor", "error"),
    [
        *[(mine(code), "p_mum", Invalid) for code in ("xx", "PL", "pl-PL", "", 3, [], True)],
        (mine(None), "p_mum", Invalid),
        (raw("participant.language"), "p_mum", Invalid),
        (mine("pl") | {"participant_id": "p_gran"}, "p_mum", Invalid),  # never another's
        (mine("pl"), "p_tv", Forbidden),  # the room screen follows the meeting's
        (mine("pl"), "p_nobody", Forbidden),
        *[(meetings("pl"), pid, Forbidden) for pid in PEOPLE if pid != "p_fac"],
        *[(meetings(code), "p_fac", Invalid) for code in ("xx", "", None, 7)],
        (raw("meeting.language"), "p_fac", Invalid),
    ],
)
def test_language_refusals_change_nothing(
    message: dict[str, Any], actor: str, error: type[KinboardError]
) -> None:
    assert_refused(empty_board(), message, actor, error)


def test_an_unknown_code_is_refused_in_plain_words() -> None:
    with pytest.raises(Invalid) as refused:
        run(empty_board(), mine("xx"), "p_mum")
    assert refused.value.message == (
        "We do not have that language. Choose one of: en, cy, pl, ro, ar, ur."
    )


def test_no_language_changes_once_the_meeting_has_ended() -> None:
    board = with_status(empty_board(), Status.CLOSED)
    assert_refused(board, mine("pl"), "p_mum", Closed)
    assert_refused(board, meetings("pl"), "p_fac", Closed)
