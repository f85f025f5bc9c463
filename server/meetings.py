"""Starting meetings: a new one in a family, or the review that follows one from its
minutes, in the same family and owned by the same staff."""

from __future__ import annotations

import json
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .board import parsing
from .board import review as review_core
from .board.errors import Invalid, NotFound
from .board.family_time import first_stage
from .board.limits import MAX_TITLE
from .board.model import Board, Kind, Meeting, MinutesStatus, Vocabulary
from .board.roles import PERSON_LINK_ROLES, Role
from .board.scales import overall_scale
from .boards import Boards
from .clock import Clock, iso
from .families import NO_FAMILY_CHOSEN, Families, FamilyChoice
from .links import Links, choice
from .security import new_id
from .staff import Staff
from .store.records import Family


class Meetings:
    def __init__(
        self, boards: Boards, links: Links, families: Families, staff: Staff, clock: Clock
    ) -> None:
        self._boards = boards
        self._links = links
        self._families = families
        self._staff = staff
        self._clock = clock

    async def create(
        self,
        title: Any,
        vocabulary: Any = None,
        kind: Any = None,
        family: FamilyChoice = NO_FAMILY_CHOSEN,
        staff: str | None = None,
    ) -> Meeting:
        """A new meeting of the chosen family (or a new one), owned by `staff` if a staff
        member starts it. Bad input is refused before anything is stored."""
        now = iso(self._clock())
        chosen_kind = choice(Kind, kind, Kind.INITIAL, "kind")
        meeting = Meeting(
            id=new_id(nbytes=9),
            title=parsing.words(title, parsing.TITLE),
            kind=chosen_kind,
            vocabulary=choice(Vocabulary, vocabulary, Vocabulary.SAFETY, "vocabulary"),
            created_at=now,
            stage=first_stage(chosen_kind),
        )
        chosen = await self._families.choose(family, staff, meeting.title)
        overall = overall_scale(meeting.vocabulary, new_id("s_"), now, created_by="")
        board = Board(meeting, scales=MappingProxyType({overall.id: overall}))
        return await self._start(board, chosen, [staff] if staff else [])

    async def create_review(self, board: Board) -> Meeting:
        """The meeting after `board`'s, starting from its last agreed minutes (or its last
        minutes), in the same family and with the same staff (its owner first). The caller
        has checked that the facilitator asks."""
        content = _basis(board)
        if content is None:
            raise Invalid("Take the minutes first: the review starts from them.")
        family_id = await self._families.family_of(board.meeting.id)
        if family_id is None:
            raise Invalid("This meeting belongs to no family, so its review cannot start.")
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
        review = review_core.review_board(content, meeting, now)
        if not any(scale.overall for scale in review.scales.values()):
            overall = overall_scale(meeting.vocabulary, new_id("s_"), now, created_by="")
            review = replace(
                review, scales=MappingProxyType({**review.scales, overall.id: overall})
            )
        # The scales' trend spans the whole family, not only the meeting before.
        earlier = await self._earlier_minutes(family_id, board.meeting)
        review = review_core.with_family_history(review, earlier)
        family = await self._families.family(family_id)
        staff = await self._staff.meeting_staff(board.meeting.id)
        return await self._start(review, family, staff)

    async def _earlier_minutes(self, family_id: str, meeting: Meeting) -> list[dict[str, Any]]:
        """The minutes each meeting of the family before `meeting` starts a review from
        (those erased meanwhile are gone from the chain)."""
        contents = []
        for seen in await self._families.chain(family_id):
            if seen.meeting_id == meeting.id or seen.created_at > meeting.created_at:
                continue
            try:
                earlier, _ = await self._boards.load(seen.meeting_id)
            except NotFound:
                continue
            content = _basis(earlier)
            if content is not None:
                contents.append(content)
        return contents

    async def invite_same_people(self, board: Board, by: str) -> list[dict[str, Any]]:
        """Fresh person links in `board`'s meeting (a review) for the named people of the
        meeting before it: those who took part (but not staff, the room screen, anyone
        taken out or anyone who says they are a worker, unconfirmed) and those it had a
        person's link for. Someone who has a working link here already keeps it rather than
        getting a second. Their links, to send."""
        previous_id = board.meeting.previous
        if previous_id is None:
            raise Invalid("This meeting follows no earlier one: there is nobody to invite again.")
        try:
            previous, _ = await self._boards.load(previous_id)
        except NotFound:
            raise NotFound(
                "The last meeting is no longer kept, so its people cannot be invited again."
            ) from None
        # By name and role: (name, role, the language an interpreter translates into).
        people: dict[tuple[str, str], tuple[str, Role, str | None]] = {}
        joined = sorted(previous.participants.values(), key=lambda p: (p.joined_at, p.id))
        invited = [
            (link["name"], Role(link["role"]), link.get("language"))
            for link in await self._links.person_links(previous_id)
            if not link["revoked"]
        ]
        # Someone who only said they were a worker is not given a worker's own link, which
        # would count them among the professionals unconfirmed.
        came = [
            (p.name, p.role, p.interprets) for p in joined if not p.removed and not p.unconfirmed
        ]
        for name, role, language in came + invited:
            if role in PERSON_LINK_ROLES:
                people.setdefault((name.casefold(), role.value), (name, role, language))
        meeting_id = board.meeting.id

        async def usable() -> dict[tuple[str, str], dict[str, Any]]:
            return {
                (link["name"].casefold(), link["role"]): link
                for link in await self._links.person_links(meeting_id)
                if link["usable"]
            }

        have = await usable()
        for key, (name, role, language) in people.items():
            if key not in have:
                await self._links.add_person_link(meeting_id, name, role.value, None, by, language)
        have = await usable()
        return [have[key] for key in people]

    async def unshared(self, meeting_id: str, email: str) -> None:
        """A colleague no longer has the meeting: its family leaves their list unless
        another meeting of the family is still theirs."""
        family_id = await self._families.family_of(meeting_id)
        if family_id is None:
            return
        for meeting in await self._families.chain(family_id):
            if email in await self._staff.meeting_staff(meeting.meeting_id):
                return
        await self._families.unlist(email, family_id)

    async def _start(self, board: Board, family: Family, staff: list[str]) -> Meeting:
        """Store a new meeting's first board, make its three links, and put it in its
        family and its staff's lists."""
        await self._boards.create(board)
        await self._links.make_general(board.meeting.id)
        # A colleague the whole family is shared with has each new meeting of it too.
        shared = await self._staff.family_shares(family.id)
        staff = [*staff, *(email for email in shared if email not in staff)]
        for email in staff:
            await self._staff.add_to_meeting(board.meeting.id, email)
        await self._families.add_meeting(family, board, staff)
        return board.meeting


def _basis(board: Board) -> dict[str, Any] | None:
    """What a review starts from: the last agreed minutes, else the last minutes."""
    if not board.minutes:
        return None
    agreed = [m for m in board.minutes.values() if m.status is MinutesStatus.AGREED]
    basis = max(agreed or board.minutes.values(), key=lambda m: m.number)
    content: dict[str, Any] = json.loads(board.snapshots[basis.id].body)
    return content


def _review_title(title: str) -> str:
    return title if title.startswith("Review: ") else f"Review: {title}"[:MAX_TITLE]
