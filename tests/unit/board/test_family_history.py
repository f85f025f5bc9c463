"""A review's scales carry the trend of every earlier meeting of its family
(`review.with_family_history`)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from server.board.model import Board, Meeting
from server.board.review import with_family_history
from server.board.roles import Role
from server.board.scaling_model import Scale, ScalePoint


def scale(scale_id: str, overall: bool, *history: ScalePoint) -> Scale:
    return Scale(
        scale_id, "How safe?", "Not safe", "Safe", "", "", overall=overall, history=history
    )


def point(meeting_id: str, date: str) -> ScalePoint:
    return ScalePoint(meeting_id, date, (), MappingProxyType({}))


def minutes_of(meeting_id: str, date: str, *scales: tuple[str, bool, int]) -> dict[str, Any]:
    """The minutes content of an earlier meeting, with one shown round a scale."""
    return {
        "meeting": {"id": meeting_id},
        "minutes": {"taken_at": f"{date}T10:00:00.000Z"},
        "scales": [
            {
                "id": scale_id,
                "overall": overall,
                "rounds": [
                    {
                        "revealed_at": f"{date}T09:00:00.000Z",
                        "votes": [{"name": "Sam", "role": Role.PARENT.value, "value": value}],
                    }
                ],
            }
            for scale_id, overall, value in scales
        ],
    }


def test_each_earlier_meeting_of_the_family_joins_the_trend_once_in_order() -> None:
    carried = point("m_2", "2027-02-01")  # the meeting the review follows
    board = Board(
        Meeting("m_3", "Review"),
        scales=MappingProxyType(
            {"s_o": scale("s_o", True, carried), "s_w": scale("s_w", False, carried)}
        ),
    )
    earlier = [
        minutes_of("m_1", "2027-01-01", ("s_first", True, 3), ("s_w", False, 2)),
        minutes_of("m_0", "2027-01-01", ("s_zero", True, 1)),
        minutes_of("m_2", "2027-02-01", ("s_o", True, 9)),  # already carried: kept as it is
    ]
    review = with_family_history(board, earlier)
    overall = review.scales["s_o"].history
    assert [p.meeting_id for p in overall] == ["m_1", "m_0", "m_2"]
    assert overall[0].medians == {"family": 3}
    assert overall[-1] is carried
    # Another scale joins only the same scale (by id), not the overall ones.
    assert [p.meeting_id for p in review.scales["s_w"].history] == ["m_1", "m_2"]


def test_a_meeting_without_a_shown_round_adds_nothing() -> None:
    board = Board(Meeting("m_2", "Review"), scales=MappingProxyType({"s_o": scale("s_o", True)}))
    content = minutes_of("m_1", "2027-01-01")
    review = with_family_history(board, [content])
    assert review.scales["s_o"].history == ()
