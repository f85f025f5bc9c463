"""Joining a meeting by its link: what the link says before joining, and joining itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .audit import Audit
from .board import parsing
from .board.meeting import ParticipantJoin
from .board.model import LinkKind, Meeting, Participant
from .board.roles import Role
from .boards import Boards
from .links import Links, chosen_role
from .security import new_id, session_token_from_cookies
from .sessions import Sessions
from .settings import Settings
from .store import Link, Session

LINK_ROLE = {LinkKind.FACILITATOR: Role.FACILITATOR, LinkKind.DISPLAY: Role.VIEWER}
DISPLAY_NAME = "Meeting room screen"


@dataclass(frozen=True)
class Joined:
    session_token: str
    participant: Participant
    meeting_id: str
    link_kind: LinkKind


class Joining:
    def __init__(
        self, settings: Settings, links: Links, boards: Boards, sessions: Sessions, audit: Audit
    ) -> None:
        self._settings = settings
        self._links = links
        self._boards = boards
        self._sessions = sessions
        self._audit = audit

    async def preview(self, token: Any) -> tuple[Link, Meeting]:
        link = await self._links.valid(token)
        board, _ = await self._boards.load(link.meeting_id)
        return link, board.meeting

    async def join(
        self, token: Any, name: Any, role: Any = None, cookies: str | None = None
    ) -> Joined:
        """`cookies`: the browser's Cookie header. When it still holds a session of this
        meeting, the join is marked as from the same browser (`Participant.device`)."""
        link = await self._links.valid(token)
        earlier = session_token_from_cookies(self._settings, cookies, link.meeting_id)
        before = await self._sessions.find(earlier, link.meeting_id)
        if link.kind is LinkKind.PARTICIPANT:
            chosen = chosen_role(role, "Please choose who you are in this meeting.")
        elif link.kind is LinkKind.PERSON:
            assert link.role is not None
            chosen, name = link.role, link.name
        else:
            chosen = LINK_ROLE[link.kind]
        if link.kind is LinkKind.DISPLAY and (name is None or name == ""):
            name = DISPLAY_NAME
        return await self._admit(link.meeting_id, name, chosen, link, before)

    async def as_facilitator(self, meeting_id: str, name: Any) -> Joined:
        """A staff member the meeting belongs to comes in as its facilitator on the strength
        of their staff session, not by a link: renewing or turning off the facilitator link
        does not shut them out."""
        return await self._admit(meeting_id, name, Role.FACILITATOR, None, None)

    async def _admit(
        self, meeting_id: str, name: Any, role: Role, link: Link | None, before: Session | None
    ) -> Joined:
        name = parsing.words(name, parsing.NAME)
        participant_id = new_id("p_")
        commit = await self._boards.commit(
            meeting_id,
            f"join:{participant_id}",
            participant_id,
            ParticipantJoin(
                participant_id, name, role, device=before.participant_id if before else None
            ),
        )
        token = await self._sessions.open(meeting_id, link, participant_id, commit.seq)
        await self._audit.record(
            meeting_id,
            "join",
            by=participant_id,
            role=role.value,
            link_id=link.id if link else "",
            link=link.kind.value if link else "staff",
        )
        kind = link.kind if link else LinkKind.FACILITATOR
        return Joined(token, commit.board.participants[participant_id], meeting_id, kind)
