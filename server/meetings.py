"""Starting meetings: a new one, or the review that follows one from its minutes."""

from __future__ import annotations

import json
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .board import minutes as minutes_core
from .board import parsing
from .board.errors import Invalid
from .board.limits import MAX_TITLE
from .board.model import Board, Kind, Meeting, MinutesStatus, Vocabulary
from .board.scales import overall_scale
from .boards import Boards
from .clock import Clock, iso
from .links import Links, choice
from .security import new_id


class Meetings:
    def __init__(self, boards: Boards, links: Links, clock: Clock) -> None:
        self._boards = boards
        self._links = links
        self._clock = clock

    async def create(self, title: Any, vocabulary: Any = None, kind: Any = None) -> Meeting:
        now = iso(self._clock())
        meeting = Meeting(
            id=new_id(nbytes=9),
            title=parsing.words(title, parsing.TITLE),
            kind=choice(Kind, kind, Kind.INITIAL, "kind"),
            vocabulary=choice(Vocabulary, vocabulary, Vocabulary.SAFETY, "vocabulary"),
            created_at=now,
        )
        overall = overall_scale(meeting.vocabulary, new_id("s_"), now, created_by="")
        return await self._start(Board(meeting, scales=MappingProxyType({overall.id: overall})))

    async def create_review(self, board: Board) -> Meeting:
        """The meeting after `board`'s, starting from its last agreed minutes (or its last
        minutes). The caller has checked that the facilitator asks."""
        if not board.minutes:
            raise Invalid("Take the minutes first: the review starts from them.")
        agreed = [m for m in board.minutes.values() if m.status is MinutesStatus.AGREED]
        basis = max(agreed or board.minutes.values(), key=lambda m: m.number)
        content = json.loads(board.snapshots[basis.id].body)
        now = iso(self._clock())
        meeting = Meeting(
            id=new_id(nbytes=9),
            title=_review_title(board.meeting.title),
            kind=Kind.REVIEW,
            vocabulary=board.meeting.vocabulary,
            previous=board.meeting.id,
            created_at=now,
            worry_threshold=board.meeting.worry_threshold,
        )
        review = minutes_core.review_board(content, meeting, now)
        if not any(scale.overall for scale in review.scales.values()):
            overall = overall_scale(meeting.vocabulary, new_id("s_"), now, created_by="")
            review = replace(
                review, scales=MappingProxyType({**review.scales, overall.id: overall})
            )
        return await self._start(review)

    async def _start(self, board: Board) -> Meeting:
        """Store a new meeting's first board and make its three links."""
        await self._boards.create(board)
        await self._links.make_general(board.meeting.id)
        return board.meeting


def _review_title(title: str) -> str:
    return title if title.startswith("Review: ") else f"Review: {title}"[:MAX_TITLE]
