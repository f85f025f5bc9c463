"""Participants' sessions: opened by joining, checked on every request and message, and
ended (with their sockets, on every worker) when someone is taken out or a link turned off."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .clock import Clock
from .security import hash_token, new_session_token
from .settings import Settings
from .store import Link, Session
from .store.roles import LinksAndSessions

# How ended sessions close their sockets on every worker; the broadcaster provides it.
Disconnect = Callable[[str, set[str]], Awaitable[None]]


class Sessions:
    def __init__(
        self, settings: Settings, store: LinksAndSessions, clock: Clock, disconnect: Disconnect
    ) -> None:
        self._settings = settings
        self._store = store
        self._clock = clock
        self._disconnect = disconnect

    async def open(
        self, meeting_id: str, link: Link | None, participant_id: str, joined_seq: int
    ) -> str:
        """A new session for someone who joined with `link` (None: staff, through their
        staff session) at `joined_seq`; its token (kept only hashed)."""
        token = new_session_token()
        now = self._clock()
        await self._store.add_session(
            Session(
                token_hash=hash_token(token),
                meeting_id=meeting_id,
                participant_id=participant_id,
                created_at=now,
                expires_at=now + self._settings.session_hours * 3600,
                link_id=link.id if link else "",
                joined_seq=joined_seq,
            )
        )
        return token

    async def find(self, token: str | None, meeting_id: str) -> Session | None:
        """The live session this token opens for this meeting, if any."""
        if not token:
            return None
        session = await self._store.find_session(hash_token(token))
        if session is None or session.meeting_id != meeting_id:
            return None
        if session.expires_at <= self._clock():
            return None
        return session

    async def end(
        self,
        meeting_id: str,
        participant_id: str | None = None,
        link_id: str | None = None,
        keep: Session | None = None,
    ) -> None:
        """End a participant's, a link's, or everyone's sessions (never `keep`), and close
        their sockets."""
        ended = await self._store.end_sessions(
            meeting_id,
            participant_id=participant_id,
            link_id=link_id,
            keep=keep.token_hash if keep else None,
        )
        if participant_id is not None:
            ended.add(participant_id)
        await self._disconnect(meeting_id, ended)
