"""The board log's commit loop, written once for both backends.

A backend supplies a handful of primitives (read the seq, read the board, read the op log,
write one op atomically if the seq has not moved). `SharedBoardLog.update` turns them into
the one operation the rest of Kinboard uses: run a pure function on the current board and
commit what it changed, exactly once per op key.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from ..board import storage, wire
from ..board.errors import Invalid, KinboardError, NotFound, SessionEnded, Unavailable
from ..board.model import Board, Meeting
from .records import Commit, CommitResult, OpRecord, OpWrite
from .roles import BoardLog, Update

# How many committed ops a meeting's log keeps for `sync`; older gaps get the whole board.
LOG_LIMIT = 10_000
# Commit attempts before giving up when other workers keep moving the seq.
MAX_ATTEMPTS = 50


def activity_time(at: str) -> float:
    """The timestamp of an op's (or a meeting's) ISO time, as the activity index keeps it."""
    return datetime.fromisoformat(at).timestamp()


class SharedBoardLog(BoardLog, ABC):
    """`BoardLog` over a backend's primitives, with each active meeting's board in memory."""

    def __init__(self, log_limit: int = LOG_LIMIT) -> None:
        self.log_limit = log_limit
        # Each active meeting's board stays in memory; it is reloaded only when the seq has
        # moved on elsewhere (another worker).
        self._boards: dict[str, tuple[Board, int]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def create(self, board: Board) -> None:
        if not await self._create(board.meeting.id, storage.board_records(board)):
            raise Invalid("A meeting with that id exists already.")
        if board.meeting.created_at:  # its start is its first activity
            await self.note_activity(board.meeting.id, activity_time(board.meeting.created_at))
        self._boards[board.meeting.id] = (board, 0)

    async def load(self, meeting_id: str) -> tuple[Board, int]:
        async with self._lock(meeting_id):
            return await self._current(meeting_id)

    async def update(self, request: Update) -> Commit:
        """The commit is tried against this worker's copy of the board first: one trip to
        the store when nobody else wrote meanwhile. A conflict means another worker moved
        on: catch the copy up and try again."""
        async with self._lock(request.meeting_id):
            current = self._boards.get(request.meeting_id) or await self._current(
                request.meeting_id
            )
            for _ in range(MAX_ATTEMPTS):
                outcome = await self._attempt(request, *current)
                if isinstance(outcome, Commit):
                    if not outcome.duplicate and request.after_commit is not None:
                        await request.after_commit(outcome)
                    return outcome
                current = outcome
            raise Unavailable("The board is too busy to save right now. Please try again.")

    async def _attempt(self, request: Update, board: Board, seq: int) -> Commit | tuple[Board, int]:
        """One try on `board` at `seq`: the commit, or the fresh board to try again on."""
        meeting_id = request.meeting_id
        try:
            new_board, changes = request.mutate(board)
        except KinboardError:
            # Refuse only on a fresh board, and not an op that was committed before.
            fresh = await self._current(meeting_id)
            if fresh[1] != seq:
                return fresh
            first = await self._find_op(meeting_id, request.op_key)
            if first is not None:
                return Commit(first, None, board)
            raise
        public = tuple(wire.encode_change(c) for c in changes if not c.secret)
        record = OpRecord(seq + 1, request.op_id, request.by, request.at, public)
        records, secrets = storage.stored_changes(changes, new_board)
        audit = request.audit(record, new_board) if request.audit is not None else None
        write = OpWrite(
            meeting_id, seq, request.op_key, record, records, secrets, request.session_hash, audit
        )
        result, first = await self._commit(write)
        if result is CommitResult.COMMITTED:
            self._boards[meeting_id] = (new_board, seq + 1)
            return Commit(seq + 1, record, new_board)
        if result is CommitResult.DUPLICATE:
            return Commit(first, None, board)
        if result is CommitResult.SESSION_ENDED:
            raise SessionEnded("You are no longer in this meeting.")
        return await self._current(meeting_id)

    async def seq(self, meeting_id: str) -> int:
        seq = await self._read_seq(meeting_id)
        if seq is None:
            raise NotFound("There is no such meeting.")
        return seq

    async def changes_since(self, meeting_id: str, since: int) -> tuple[int, list[OpRecord] | None]:
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
        self._boards.pop(meeting_id, None)

    async def list_meetings(self) -> list[Meeting]:
        meetings = await self._read_meetings()
        return sorted(meetings, key=lambda m: (m.created_at, m.id), reverse=True)

    async def erase(self, meeting_id: str) -> None:
        async with self._lock(meeting_id):
            await self._erase(meeting_id)
            self._boards.pop(meeting_id, None)

    # --- the backend's primitives ---

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
    async def _commit(self, write: OpWrite) -> tuple[CommitResult, int]:
        """Atomically, if the op key is new (else DUPLICATE with its seq), the session (if
        named) is still one of the meeting's (else SESSION_ENDED) and the seq is still
        `expected_seq` (else CONFLICT): write the records, write or delete (None) the secret
        records, log the op, remember the key, append the audit entry."""

    @abstractmethod
    async def _read_meetings(self) -> list[Meeting]: ...

    @abstractmethod
    async def _erase(self, meeting_id: str) -> None:
        """Delete every row or key held about the meeting, in every role."""
