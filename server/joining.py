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
from .store import Link

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
        name = parsing.words(name, parsing.NAME)
        participant_id = new_id("p_")
        commit = await self._boards.commit(
            link.meeting_id,
            f"join:{participant_id}",
            participant_id,
            ParticipantJoin(
                participant_id, name, chosen, device=before.participant_id if before else None
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

    async def as_facilitator(self, meeting_id: str, name: Any) -> Joined:
        """A staff member the meeting belongs to comes in by its facilitator link."""
        return await self.join(await self._links.facilitator_token(meeting_id), name)
