"""Participants' sessions: opened by joining (or by a staff member opening their meeting),
checked on every request and message, and ended (with their sockets, on every worker) when
someone is taken out, a link turned off, or the staff session they hang on ends."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .clock import Clock
from .security import hash_token, new_session_token
from .settings import Settings
from .store import Link, Session
from .store.roles import LinksAndSessions

# How ended sessions close their sockets on every worker; the broadcaster provides it.
Disconnect = Callable[[str, set[str]], Awaitable[None]]
# Whether a staff session (by its hash) still stands, its account enabled; the bool says
# whether this asking counts as using it. Staff provides it.
StaffLive = Callable[[str, bool], Awaitable[bool]]


def plan_reader(link_id: str) -> str:
    """The participant id of a session opened only to read a closed meeting's plan, by a
    family member's own link: nobody on the board, so it opens no socket and changes
    nothing."""
    return f"plan:{link_id}"


class Sessions:
    def __init__(
        self,
        settings: Settings,
        store: LinksAndSessions,
        clock: Clock,
        disconnect: Disconnect,
        staff_live: StaffLive,
    ) -> None:
        self._settings = settings
        self._store = store
        self._clock = clock
        self._disconnect = disconnect
        self._staff_live = staff_live

    async def open(self, link: Link, participant_id: str, joined_seq: int) -> str:
        """A new session for someone who joined with `link` at `joined_seq`; its token
        (kept only hashed)."""
        token = new_session_token()
        now = self._clock()
        await self._store.add_session(
            Session(
                token_hash=hash_token(token),
                meeting_id=link.meeting_id,
                participant_id=participant_id,
                created_at=now,
                expires_at=now + self._settings.session_hours * 3600,
                link_id=link.id,
                joined_seq=joined_seq,
            )
        )
        return token

    async def open_for_staff(
        self,
        meeting_id: str,
        participant_id: str,
        joined_seq: int,
        staff_session: str,
        until: float,
    ) -> str:
        """A new session for a staff member who opened the meeting under the staff session
        with hash `staff_session`: it ends when that one ends, and at `until` at the latest
        (the staff session's own limit). Its token."""
        token = new_session_token()
        now = self._clock()
        await self._store.add_session(
            Session(
                token_hash=hash_token(token),
                meeting_id=meeting_id,
                participant_id=participant_id,
                created_at=now,
                expires_at=min(now + self._settings.session_hours * 3600, until),
                joined_seq=joined_seq,
                staff_session=staff_session,
            )
        )
        return token

    async def find(self, token: str | None, meeting_id: str, use: bool = True) -> Session | None:
        """The live session this token opens for this meeting, if any. One a staff member
        opened lives only as long as their staff session; `use` says whether this asking
        counts as using that (the periodic re-check of sockets does not)."""
        if not token:
            return None
        session = await self._store.find_session(hash_token(token))
        if session is None or session.meeting_id != meeting_id:
            return None
        if session.expires_at <= self._clock():
            return None
        if session.staff_session and not await self._staff_live(session.staff_session, use):
            return None
        return session

    async def ended(self, meeting_id: str, sessions: list[Session]) -> set[str]:
        """The token hashes of those of these sessions of the meeting that no longer stand
        (ended, expired, or opened under a staff session that has ended), as `find` would
        say of each (the asking does not count as using a staff session), in one store call."""
        live = await self._store.live_sessions(meeting_id, {s.token_hash for s in sessions})
        now, staff_live = self._clock(), dict[str, bool]()
        for staff in {s.staff_session for s in sessions if s.staff_session}:
            staff_live[staff] = await self._staff_live(staff, False)
        return {
            s.token_hash
            for s in sessions
            if s.token_hash not in live
            or s.expires_at <= now
            or (s.staff_session and not staff_live[s.staff_session])
        }

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
