"""Joining a meeting by its link (what the link says before joining, and joining itself),
and a staff member coming into a meeting of theirs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .audit import Audit
from .board import parsing
from .board.errors import N_, Closed, Forbidden
from .board.languages import DEFAULT as DEFAULT_LANGUAGE
from .board.languages import language_code
from .board.meeting import CLOSED, ParticipantJoin
from .board.model import Board, LinkKind, Meeting, Participant, Status
from .board.roles import Role
from .boards import Boards
from .links import Links, chosen_role, opens_plan
from .security import LinkKeys, new_id, session_token_from_cookies
from .sessions import Sessions, plan_reader
from .settings import Settings
from .store import Link

LINK_ROLE = {LinkKind.FACILITATOR: Role.FACILITATOR, LinkKind.DISPLAY: Role.VIEWER}
DISPLAY_NAME = "Meeting room screen"


@dataclass(frozen=True)
class Joined:
    session_token: str
    # None for a family member's own link to a closed meeting: it opens "Our plan" only.
    participant: Participant | None
    meeting_id: str
    link_kind: LinkKind


class Joining:
    def __init__(
        self,
        settings: Settings,
        keys: LinkKeys,
        links: Links,
        boards: Boards,
        sessions: Sessions,
        audit: Audit,
    ) -> None:
        self._settings = settings
        self._keys = keys
        self._links = links
        self._boards = boards
        self._sessions = sessions
        self._audit = audit

    async def preview(self, token: Any) -> tuple[Link, Meeting]:
        link, board, _ = await self._opened(token)
        return link, board.meeting

    async def _opened(self, token: Any) -> tuple[Link, Board, int]:
        """The link, its meeting's board and seq, or why the link does not open it. A
        family member's own link to a closed meeting opens its plan, expired or not."""
        link = await self._links.find(token)
        board, seq = await self._boards.load(link.meeting_id)
        if not (board.meeting.status is Status.CLOSED and opens_plan(link)):
            await self._links.check(link)
        return link, board, seq

    async def join(
        self,
        token: Any,
        name: Any,
        role: Any = None,
        cookies: str | None = None,
        language: Any = DEFAULT_LANGUAGE,
    ) -> Joined:
        """`cookies`: the browser's Cookie header. When it still holds a session of this
        meeting, the join is marked as from the same browser (`Participant.device`).
        `language`: the one they chose on the join page, kept as theirs."""
        link, board, seq = await self._opened(token)
        if board.meeting.status is Status.CLOSED:
            return await self._to_plan(link, seq)
        earlier = session_token_from_cookies(self._settings, cookies, link.meeting_id)
        before = await self._sessions.find(earlier, link.meeting_id)
        if link.kind is LinkKind.PARTICIPANT:
            chosen = chosen_role(role, N_("Please choose who you are in this meeting."))
        elif link.kind is LinkKind.PERSON:
            assert link.role is not None
            chosen, name = link.role, link.name
        else:
            chosen = LINK_ROLE[link.kind]
        if link.kind is LinkKind.DISPLAY and (name is None or name == ""):
            name = DISPLAY_NAME
        name = parsing.words(name, parsing.NAME)
        language = language_code(language)
        participant_id = new_id("p_")
        commit = await self._boards.commit(
            link.meeting_id,
            f"join:{participant_id}",
            participant_id,
            ParticipantJoin(
                participant_id,
                name,
                chosen,
                device=before.participant_id if before else None,
                chose_role=link.kind is LinkKind.PARTICIPANT,
                language=language,
                interprets=link.language,
            ),
        )
        token = await self._sessions.open(link, participant_id, commit.seq)
        await self._audit.record(
            link.meeting_id,
            "join",
            by=participant_id,
            role=chosen.value,
            link_id=link.id,
            link=link.kind.value,
        )
        return Joined(token, commit.board.participants[participant_id], link.meeting_id, link.kind)

    async def _to_plan(self, link: Link, seq: int) -> Joined:
        """After the meeting, a family member's own link opens a session that reads "Our
        plan" and nothing else; any other link is refused."""
        if not opens_plan(link):
            raise Closed(CLOSED)
        reader = plan_reader(link.id)
        token = await self._sessions.open(link, reader, seq)
        await self._audit.record(link.meeting_id, "plan.opened", by=reader, link_id=link.id)
        return Joined(token, None, link.meeting_id, link.kind)

    def staff_participant(self, meeting_id: str, email: str) -> str:
        """A staff member's one participant id in a meeting."""
        return self._keys.staff_participant(meeting_id, email)

    async def as_staff(
        self, meeting_id: str, email: str, name: Any, staff_session: str, until: float
    ) -> str:
        """A staff member of the meeting comes in, whatever became of its links: as their
        one facilitator participant (the same at every opening, on every device), joined
        under `name` the first time. The session ends with the staff session (its hash),
        and at `until` at the latest. Its token."""
        participant_id = self.staff_participant(meeting_id, email)
        board, seq = await self._boards.load(meeting_id)
        me = board.participants.get(participant_id)
        if me is not None and me.removed:
            raise Forbidden("You were taken out of this meeting.")
        joined = me is None
        if joined:
            # One op key for the participant: two first openings at once make one.
            join = ParticipantJoin(
                participant_id, parsing.words(name, parsing.NAME), Role.FACILITATOR
            )
            commit = await self._boards.commit(
                meeting_id, f"join:{participant_id}", participant_id, join
            )
            seq, joined = commit.seq, not commit.duplicate
        # From their join on, or (opening again) from now: `sync` from before either is
        # answered with the board.
        token = await self._sessions.open_for_staff(
            meeting_id, participant_id, seq, staff_session, until
        )
        if joined:
            await self._audit.record(
                meeting_id,
                "join",
                by=participant_id,
                role=Role.FACILITATOR.value,
                link_id="",
                link="staff",
                staff=email,
            )
        else:
            await self._audit.record(meeting_id, "staff.reopened", by=participant_id, staff=email)
        return token
