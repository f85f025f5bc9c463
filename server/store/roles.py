"""What the store does, one small interface per role; `Store` is all of them together.

Both backends implement every role (`SQLiteStore`, `RedisStore`); the board log's commit
loop is written once for both, in `board_log.py`. A caller that needs only one role can
ask for only that one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..board.model import Board, Change, Meeting
from .records import (
    Commit,
    Family,
    FamilyMeeting,
    FamilyPage,
    Link,
    OpRecord,
    Presence,
    Session,
    merge_presence,
)

Mutation = Callable[[Board], tuple[Board, list[Change]]]


@dataclass(frozen=True)
class Update:
    """One op for `BoardLog.update`: run `mutate` on the current board, commit what it
    changed as op `op_id` by `by` at `at`, once per `op_key`.

    `after_commit` runs while the meeting is still held, so that this worker publishes its
    commits in seq order. With `session_hash` the commit is refused once that session has
    ended. `audit(record, new board)` is the audit entry written in the same commit.
    """

    meeting_id: str
    op_key: str
    op_id: str
    by: str
    at: str
    mutate: Mutation
    after_commit: Callable[[Commit], Awaitable[None]] | None = None
    session_hash: str | None = None
    audit: Callable[[OpRecord, Board], Mapping[str, Any]] | None = None


class BoardLog(Protocol):
    """Each meeting's board, the log of the ops that made it, and their one write path."""

    async def create(self, board: Board) -> None:
        """Store a new meeting's first board at seq 0; never overwrites an existing one."""

    async def load(self, meeting_id: str) -> tuple[Board, int]:
        """The current board and seq, or NotFound."""

    async def update(self, request: Update) -> Commit:
        """Run the request's op on the current board and commit what it changed.

        Atomic: board records, secret records, the op log entry, the op key and the audit
        entry are written together, and only if the seq is still the one `mutate` saw and
        the caller's session stands. An op key committed before returns its first seq and
        applies nothing. An error raised by `mutate` commits nothing.
        """

    async def seq(self, meeting_id: str) -> int:
        """The meeting's latest committed seq."""

    async def changes_since(self, meeting_id: str, since: int) -> tuple[int, list[OpRecord] | None]:
        """(current seq, the ops committed after `since`), or None for the ops when the log
        no longer reaches back that far."""

    def forget(self, meeting_id: str) -> None:
        """Drop a meeting's in-memory copy (it is reloaded when next used)."""

    async def list_meetings(self) -> list[Meeting]:
        """Every meeting on this server, newest first."""

    async def idle_meetings(self, before: float) -> list[str]:
        """The meetings whose last committed op (or, with none, their creation) was at or
        before `before`: from an index each commit keeps, without reading any board."""

    async def last_activity(self, meeting_ids: Sequence[str]) -> dict[str, float]:
        """Those meetings' last activity, from that index, in one read (a meeting not in
        it is left out)."""

    async def note_activity(self, meeting_id: str, at: float) -> None:
        """Set the meeting's last activity in that index (commits and `create` keep it
        themselves; this is for upgrades)."""

    async def erase(self, meeting_id: str) -> None:
        """Remove everything held about a meeting: board, log, secrets, links, sessions,
        presence, audit log."""


class LinksAndSessions(Protocol):
    """The links that let people join a meeting, and the sessions joining opened."""

    async def add_link(self, link: Link) -> None:
        """Store a link, or replace the one with the same token hash."""

    async def find_link(self, token_hash: str) -> Link | None: ...

    async def meeting_links(self, meeting_id: str) -> list[Link]:
        """The meeting's links, oldest first."""

    async def add_session(self, session: Session) -> None: ...

    async def find_session(self, token_hash: str) -> Session | None:
        """The session, or None. An expired one may still be returned (the caller checks
        expiry with its own clock); Redis forgets it a day after it expired."""

    async def end_sessions(
        self,
        meeting_id: str,
        participant_id: str | None = None,
        link_id: str | None = None,
        keep: str | None = None,
    ) -> set[str]:
        """Delete the meeting's sessions (only a participant's, or only a link's, if named;
        never the one whose token hash is `keep`); the participants whose sessions ended."""

    async def live_sessions(self, meeting_id: str, token_hashes: Collection[str]) -> set[str]:
        """Those of these token hashes whose session of this meeting has not been ended
        (expired ones too, until the store forgets them: the caller checks expiry). One
        call for many sockets: what each worker's heartbeat asks of every meeting."""


class AuditLog(Protocol):
    """Each meeting's audit log: append-only."""

    async def append_audit(self, meeting_id: str, entry: Mapping[str, Any]) -> None: ...

    async def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        """Every entry, oldest first."""


class PresenceMap(Protocol):
    """Who is online, per socket: ephemeral, kept with an expiry so that sockets fade away
    unless refreshed. The entries of a worker that is gone are left out at once, not only
    once they expire."""

    async def presence_put(
        self, meeting_id: str, socket_id: str, entry: Presence, expires_at: float
    ) -> None: ...

    async def presence_put_many(
        self, meeting_id: str, entries: Mapping[str, Presence], expires_at: float
    ) -> None:
        """`presence_put` for many sockets of one meeting at once (one write)."""

    async def presence_drop(self, meeting_id: str, socket_id: str) -> None: ...

    async def presence_sockets(self, meeting_id: str, now: float) -> dict[str, Presence]:
        """Each live socket's entry, by socket id, dropping expired entries."""

    async def presence(self, meeting_id: str, now: float) -> list[Presence]:
        """Who is online (one entry per participant)."""
        return merge_presence(list((await self.presence_sockets(meeting_id, now)).values()))


class Records(Protocol):
    """Small JSON records by kind and key: staff accounts, staff sessions, set-up codes,
    meeting staff."""

    async def put_record(
        self, kind: str, key: str, data: Mapping[str, Any], expires_at: float | None = None
    ) -> None: ...

    async def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """The record, or None (also once `expires_at` has passed)."""

    async def list_records(self, kind: str) -> list[dict[str, Any]]:
        """Every live record of the kind, by key."""

    async def delete_record(self, kind: str, key: str) -> None: ...

    async def forget_expired_records(self, now: float) -> int:
        """Delete the records whose `expires_at` is `now` or before (staff sessions, set-up codes),
        which reads already skip, so that what is kept does not grow with every one ever
        made; how many it deleted."""


class Counters(Protocol):
    """Counters with a window: tries reserved before slow work (sign-in), one-time claims."""

    async def add_to_counter(
        self, kind: str, key: str, amount: int, now: float, until: float
    ) -> int:
        """Add `amount` to a counter and return its new value in one atomic step, so that
        concurrent callers each see a value of their own. A counter whose window has ended
        (its `until` <= `now`) starts again from zero, with this `until`. It never goes
        below zero."""

    async def reset_counter(self, kind: str, key: str) -> None: ...


class FamilyIndex(Protocol):
    """Families, the meetings of each (as the family list shows them), and each staff
    member's families, indexed so that one staff member's list never reads anyone else's.

    Erasing a meeting (`BoardLog.erase`) takes it out of its family; erasing a family's last
    meeting erases the family too."""

    async def add_family(self, family: Family, fingerprint: str | None) -> str | None:
        """Store a new family, unless its case reference is another family's ("case_ref")
        or its owner has a family with the same `fingerprint` ("fingerprint"; None: not
        checked); the clash, or None once stored. Checked and claimed in one step."""

    async def family(self, family_id: str) -> Family | None: ...

    async def family_by_case_ref(self, case_ref: str) -> Family | None: ...

    async def put_family_meeting(self, family_id: str, meeting: FamilyMeeting) -> None:
        """Add the meeting to the family, or replace what is kept of it, unless what is kept
        was taken at a later seq."""

    async def meeting_family(self, meeting_id: str) -> str | None:
        """The id of the meeting's family."""

    async def family_meetings(self, family_ids: list[str]) -> dict[str, list[FamilyMeeting]]:
        """Each family's meetings, oldest first (one trip for a page of families)."""

    async def list_family_for(self, email: str, family_id: str, active: float) -> None:
        """Put the family in the staff member's list, as active at `active` (a later time
        moves it up; an earlier one changes nothing)."""

    async def unlist_family_for(self, email: str, family_id: str) -> None:
        """Take the family out of the staff member's list."""

    async def lists_family(self, email: str, family_id: str) -> bool: ...

    async def staff_families(self, email: str, search: str, offset: int, limit: int) -> FamilyPage:
        """The staff member's families whose name or case reference contains `search`
        (lower case; "" for all), most recently active first, from `offset`."""


class Store(
    BoardLog, LinksAndSessions, AuditLog, PresenceMap, Records, Counters, FamilyIndex, Protocol
):
    """Every role, behind one connection."""

    async def open(self) -> None:
        """Connect; called once at start-up."""

    async def close(self) -> None:
        """Release connections; called once at shut-down."""

    async def ping(self) -> None:
        """Raise Unavailable when the store does not answer."""
