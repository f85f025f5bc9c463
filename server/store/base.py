"""The store interface, and the commit loop both backends share.

A backend supplies a handful of primitives (read the seq, read the board, read the op log,
commit one op atomically if the seq has not moved). `Store.update` turns them into the
one operation the rest of Kinboard uses: run a pure function on the current board and
commit what it changed, exactly once per op key.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, replace
from enum import Enum
from typing import Any

from ..board import storage, wire
from ..board.errors import Invalid, KinboardError, NotFound, SessionEnded, Unavailable
from ..board.model import Board, Change, LinkKind, Meeting
from ..board.roles import Role

# How many committed ops a meeting's log keeps for `sync`; older gaps get the whole board.
LOG_LIMIT = 10_000
# Commit attempts before giving up when other workers keep moving the seq.
MAX_ATTEMPTS = 50

Mutation = Callable[[Board], tuple[Board, list[Change]]]


@dataclass(frozen=True)
class OpRecord:
    """One committed op as the log keeps it and `applied` / `sync` send it."""

    seq: int
    op_id: str
    by: str
    at: str
    changes: tuple[Mapping[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "op_id": self.op_id,
            "by": self.by,
            "at": self.at,
            "changes": list(self.changes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OpRecord:
        return cls(data["seq"], data["op_id"], data["by"], data["at"], tuple(data["changes"]))


@dataclass(frozen=True)
class Commit:
    seq: int
    record: OpRecord | None  # None when the op key had been committed before
    board: Board

    @property
    def duplicate(self) -> bool:
        return self.record is None


@dataclass(frozen=True)
class Link:
    """A capability to join one meeting. A per-person link names who it is for and the
    role they get; the three general links leave `name` and `role` empty."""

    id: str
    meeting_id: str
    kind: LinkKind
    token_hash: str
    created_at: float
    expires_at: float | None = None
    revoked: bool = False
    name: str | None = None
    role: Role | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Link:
        role = data.get("role")
        return cls(**{**data, "kind": LinkKind(data["kind"]), "role": role and Role(role)})


@dataclass(frozen=True)
class Session:
    token_hash: str
    meeting_id: str
    participant_id: str
    created_at: float
    expires_at: float
    link_id: str = ""  # the link it was opened with: revoking the link ends it

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Session:
        return cls(**data)


@dataclass(frozen=True)
class Presence:
    participant_id: str
    editing: str | None


class CommitResult(Enum):
    COMMITTED = "committed"
    CONFLICT = "conflict"  # the seq moved on: catch up and try again
    DUPLICATE = "duplicate"  # the op key was committed before
    SESSION_ENDED = "session_ended"  # the caller was taken out or their link turned off


class Store(ABC):
    """Persistence for boards, their op logs, links, sessions and presence."""

    def __init__(self, log_limit: int = LOG_LIMIT) -> None:
        self.log_limit = log_limit
        # Each active meeting's board stays in memory; it is reloaded only when the seq has
        # moved on elsewhere (another worker).
        self._boards: dict[str, tuple[Board, int]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    # --- lifecycle ---

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Connect; called once at start-up."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections; called once at shut-down."""

    @abstractmethod
    async def ping(self) -> None:
        """Raise Unavailable when the store does not answer."""

    # --- boards ---

    async def create(self, board: Board) -> None:
        """Store a new meeting's first board at seq 0; never overwrites an existing one."""
        if not await self._create(board.meeting.id, storage.board_records(board)):
            raise Invalid("A meeting with that id exists already.")
        self._boards[board.meeting.id] = (board, 0)

    async def load(self, meeting_id: str) -> tuple[Board, int]:
        """The current board and seq, or NotFound."""
        async with self._lock(meeting_id):
            return await self._current(meeting_id)

    async def update(
        self,
        meeting_id: str,
        op_key: str,
        op_id: str,
        by: str,
        at: str,
        mutate: Mutation,
        after_commit: Callable[[Commit], Awaitable[None]] | None = None,
        session_hash: str | None = None,
        audit: Callable[[OpRecord, Board], Mapping[str, Any]] | None = None,
    ) -> Commit:
        """Run `mutate` on the current board and commit its changes as one op.

        Atomic: board records, secret records, the op log entry, the op key and the audit
        entry (`audit(record, new board)`) are written together, and only if the seq is
        still the one `mutate` saw and the caller's session (`session_hash`) stands. An op key
        committed before returns its first seq and applies nothing. An error raised by
        `mutate` commits nothing. `after_commit` runs while the meeting is still held, so
        that this worker publishes its commits in seq order.

        The commit is tried against this worker's copy of the board first: one trip to the
        store when nobody else wrote meanwhile. A conflict means another worker moved on:
        replay its ops onto the copy and try again.
        """
        async with self._lock(meeting_id):
            current = self._boards.get(meeting_id) or await self._current(meeting_id)
            for _ in range(MAX_ATTEMPTS):
                board, seq = current
                try:
                    new_board, changes = mutate(board)
                except KinboardError:
                    # Refuse only on a fresh board, and not an op that was committed before.
                    fresh = await self._current(meeting_id)
                    if fresh[1] != seq:
                        current = fresh
                        continue
                    first = await self._find_op(meeting_id, op_key)
                    if first is not None:
                        return Commit(first, None, board)
                    raise
                public = tuple(wire.encode_change(c) for c in changes if not c.secret)
                record = OpRecord(seq + 1, op_id, by, at, public)
                records, secrets = storage.stored_changes(changes, new_board)
                result, first = await self._commit(
                    meeting_id,
                    seq,
                    op_key,
                    record,
                    records,
                    secrets,
                    session_hash,
                    audit(record, new_board) if audit is not None else None,
                )
                if result is CommitResult.COMMITTED:
                    self._boards[meeting_id] = (new_board, seq + 1)
                    commit = Commit(seq + 1, record, new_board)
                    if after_commit is not None:
                        await after_commit(commit)
                    return commit
                if result is CommitResult.DUPLICATE:
                    return Commit(first, None, board)
                if result is CommitResult.SESSION_ENDED:
                    raise SessionEnded("You are no longer in this meeting.")
                current = await self._current(meeting_id)
            raise Unavailable("The board is too busy to save right now. Please try again.")

    async def seq(self, meeting_id: str) -> int:
        """The meeting's latest committed seq."""
        seq = await self._read_seq(meeting_id)
        if seq is None:
            raise NotFound("There is no such meeting.")
        return seq

    async def changes_since(self, meeting_id: str, since: int) -> tuple[int, list[OpRecord] | None]:
        """(current seq, the ops committed after `since`), or None for the ops when the log
        no longer reaches back that far."""
        seq = await self.seq(meeting_id)
        if since >= seq:
            return seq, []
        records = await self._read_log(meeting_id, since)
        if not records or records[0].seq != since + 1:
            return seq, None
        return records[-1].seq, records

    async def _current(self, meeting_id: str) -> tuple[Board, int]:
        seq = await self.seq(meeting_id)
        cached = self._boards.get(meeting_id)
        if cached is not None and cached[1] == seq:
            return cached
        if cached is not None and cached[1] < seq:
            # Another worker moved on: replay its ops onto our copy rather than reload it all.
            records = await self._read_log(meeting_id, cached[1])
            if records and records[0].seq == cached[1] + 1:
                board = cached[0]
                for record in records:
                    board = storage.apply_encoded(board, record.changes, record.by, record.at)
                # Secret changes are not in the log: read them afresh.
                secrets = await self._read_secrets(meeting_id)
                board = replace(board, **storage.secret_parts(secrets))
                self._boards[meeting_id] = (board, records[-1].seq)
                return board, records[-1].seq
        board, seq = await self._read_board(meeting_id)
        self._boards[meeting_id] = (board, seq)
        return board, seq

    def _lock(self, meeting_id: str) -> asyncio.Lock:
        lock = self._locks.get(meeting_id)
        if lock is None:
            lock = self._locks[meeting_id] = asyncio.Lock()
        return lock

    def forget(self, meeting_id: str) -> None:
        """Drop a meeting's in-memory copy (it is reloaded when next used)."""
        self._boards.pop(meeting_id, None)

    async def list_meetings(self) -> list[Meeting]:
        """Every meeting on this server, newest first."""
        meetings = await self._read_meetings()
        return sorted(meetings, key=lambda m: (m.created_at, m.id), reverse=True)

    # --- backend primitives ---

    @abstractmethod
    async def _create(self, meeting_id: str, records: Mapping[str, str]) -> bool:
        """Write a new meeting's records at seq 0; False if the meeting exists."""

    @abstractmethod
    async def _read_seq(self, meeting_id: str) -> int | None: ...

    @abstractmethod
    async def _read_board(self, meeting_id: str) -> tuple[Board, int]: ...

    @abstractmethod
    async def _read_log(self, meeting_id: str, since: int) -> list[OpRecord]:
        """The logged ops with seq > since, in order (possibly not reaching back to since+1)."""

    @abstractmethod
    async def _read_secrets(self, meeting_id: str) -> dict[str, str]:
        """The meeting's secret records (open-round ballots), kept apart from the board's."""

    @abstractmethod
    async def _find_op(self, meeting_id: str, op_key: str) -> int | None: ...

    @abstractmethod
    async def _commit(
        self,
        meeting_id: str,
        expected_seq: int,
        op_key: str,
        record: OpRecord,
        records: Mapping[str, str],
        secrets: Mapping[str, str | None],
        session_hash: str | None,
        audit: Mapping[str, Any] | None,
    ) -> tuple[CommitResult, int]:
        """Atomically, if the op key is new (else DUPLICATE with its seq), the session (if
        named) is still one of the meeting's (else SESSION_ENDED) and the seq is still
        `expected_seq` (else CONFLICT): write the records, write or delete (None) the secret
        records, log the op, remember the key, append the audit entry."""

    @abstractmethod
    async def _read_meetings(self) -> list[Meeting]: ...

    # --- links and sessions ---

    @abstractmethod
    async def add_link(self, link: Link) -> None: ...

    @abstractmethod
    async def find_link(self, token_hash: str) -> Link | None: ...

    @abstractmethod
    async def meeting_links(self, meeting_id: str) -> list[Link]: ...

    @abstractmethod
    async def add_session(self, session: Session) -> None: ...

    @abstractmethod
    async def find_session(self, token_hash: str) -> Session | None:
        """The session, or None. An expired one may still be returned (the caller checks
        expiry with its own clock); Redis forgets it a day after it expired."""

    @abstractmethod
    async def end_sessions(
        self, meeting_id: str, participant_id: str | None = None, link_id: str | None = None
    ) -> set[str]:
        """Delete the meeting's sessions (only a participant's, or only a link's, if named);
        the participants whose sessions ended."""

    # --- small records: staff accounts, staff sessions, set-up codes, meeting staff ---

    @abstractmethod
    async def put_record(
        self, kind: str, key: str, data: Mapping[str, Any], expires_at: float | None = None
    ) -> None: ...

    @abstractmethod
    async def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """The record, or None (also once `expires_at` has passed)."""

    @abstractmethod
    async def list_records(self, kind: str) -> list[dict[str, Any]]: ...

    @abstractmethod
    async def delete_record(self, kind: str, key: str) -> None: ...

    # --- the audit log: append-only, per meeting ---

    @abstractmethod
    async def append_audit(self, meeting_id: str, entry: Mapping[str, Any]) -> None: ...

    @abstractmethod
    async def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        """Every entry, oldest first."""

    # --- erasing ---

    async def erase(self, meeting_id: str) -> None:
        """Remove everything held about a meeting: board, log, secrets, links, sessions,
        presence, audit log."""
        async with self._lock(meeting_id):
            await self._erase(meeting_id)
            self._boards.pop(meeting_id, None)

    @abstractmethod
    async def _erase(self, meeting_id: str) -> None: ...

    # --- presence: ephemeral, kept with an expiry so a dead worker's sockets fade away ---

    @abstractmethod
    async def presence_put(
        self, meeting_id: str, socket_id: str, entry: Presence, expires_at: float
    ) -> None: ...

    @abstractmethod
    async def presence_drop(self, meeting_id: str, socket_id: str) -> None: ...

    @abstractmethod
    async def presence_sockets(self, meeting_id: str, now: float) -> dict[str, Presence]:
        """Each live socket's entry, by socket id, dropping expired entries."""

    async def presence(self, meeting_id: str, now: float) -> list[Presence]:
        """Who is online (one entry per participant)."""
        return merge_presence(list((await self.presence_sockets(meeting_id, now)).values()))


def merge_presence(entries: list[Presence]) -> list[Presence]:
    """One entry per participant; a participant on several devices is editing what any
    of them is editing."""
    merged: dict[str, Presence] = {}
    for entry in entries:
        known = merged.get(entry.participant_id)
        if known is None or (known.editing is None and entry.editing is not None):
            merged[entry.participant_id] = entry
    return sorted(merged.values(), key=lambda p: p.participant_id)
