"""Each meeting's board: reading it, and committing ops to it (with their audit entries),
publishing what they changed and ending the sessions they end."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from .audit import Audit
from .board import ops, people
from .board.errors import KinboardError, StoreFailed
from .board.meeting import MeetingClose, MeetingIdleClose, ParticipantJoin, ParticipantRemove
from .board.minutes import MinutesAgree
from .board.model import Board, Change, MinutesStatus
from .board.roles import PLAN_READERS
from .clock import Clock, iso
from .pictures import PICTURES, PLACED_WORDS
from .security import new_id
from .sessions import Sessions
from .store import Commit, OpRecord, Session, Update
from .store.roles import BoardLog
from .webhook import Webhook

log = logging.getLogger("kinboard.boards")

# How a committed op reaches the meeting's sockets; the broadcaster provides it.
Publish = Callable[[str, Commit], Awaitable[None]]
# What else follows a commit: (the board it ran on, the new board, the new seq).
Noted = Callable[[Board, Board, int], Awaitable[None]]
# Asks these participants' screens to take the board afresh: what they may see changed.
Refresh = Callable[[str, set[str]], Awaitable[None]]

# The worker is not ready (/readyz) once this many commits in a row failed in the store (a
# full disk, a read-only file, Redis refusing writes; not a store that does not answer,
# which /readyz finds by itself), until one succeeds: for at most FAILING_FOR seconds after
# the last failure, so that a load balancer that stopped sending people here lets some
# back to find out.
FAILED_COMMITS = 3
FAILING_FOR = 30.0


class Boards:
    def __init__(
        self,
        store: BoardLog,
        clock: Clock,
        publish: Publish,
        sessions: Sessions,
        audit: Audit,
        noted: Noted,
        webhook: Webhook,
        refresh: Refresh,
    ) -> None:
        self._store = store
        self._noted = noted
        self._clock = clock
        self._publish = publish
        self._sessions = sessions
        self._audit = audit
        self._webhook = webhook
        self._refresh = refresh
        self._failed = 0  # commits in a row that failed in the store
        self._failed_at = 0.0
        self._failure: str | None = None  # what the store said, as logged

    # --- reading ---

    async def load(self, meeting_id: str) -> tuple[Board, int]:
        """The current board and seq, or NotFound."""
        return await self._store.load(meeting_id)

    async def seq(self, meeting_id: str) -> int:
        return await self._store.seq(meeting_id)

    async def changes_since(self, meeting_id: str, since: int) -> tuple[int, list[OpRecord] | None]:
        """(current seq, the ops after `since`), or None for the ops when the log no longer
        reaches back that far."""
        return await self._store.changes_since(meeting_id, since)

    # --- writing ---

    async def create(self, board: Board) -> None:
        await self._store.create(board)

    async def commit(
        self,
        meeting_id: str,
        op_key: str,
        by: str,
        op: ops.Op,
        op_type: str = "",
        session: Session | None = None,
        link_id: str = "",
    ) -> Commit:
        """Apply one op through the store, with its audit entry (ids only, never text) in
        the same commit, refused if the caller's `session` has ended meanwhile; publish
        what it changed, and end the sessions it ends. (`link_id` names the link for the
        audit log when there is no session, as for the server's own ops.)"""
        now = iso(self._clock())
        op_id = op_key.rsplit(":", 1)[-1]
        # Whatever the op makes (a card, a round, a scale) takes this id if it needs one.
        context = ops.Context(
            actor=by, now=now, new_id=new_id(), pictures=PICTURES, placed_words=PLACED_WORDS
        )
        audit_link = session.link_id if session else link_id

        def audit_entry(record: OpRecord, board: Board) -> dict[str, Any]:
            return _audit_entry(record, board, now, by, audit_link, op_type)

        joining = isinstance(op, ParticipantJoin)
        ran_on: list[Board] = []

        def mutate(board: Board) -> tuple[Board, list[Change]]:
            ran_on.append(board)
            return ops.apply(board, op, context)

        try:
            commit = await self._store.update(
                Update(
                    meeting_id,
                    op_key,
                    op_id,
                    by,
                    now,
                    mutate,
                    after_commit=lambda commit: self._publish(meeting_id, commit),
                    session_hash=session.token_hash if session else None,
                    audit=None if joining else audit_entry,
                )
            )
        except StoreFailed as error:
            self._commit_failed(error)
            raise
        self._commit_saved()
        await self._after_commit(meeting_id, by, op, ran_on, commit)
        return commit

    async def _after_commit(
        self, meeting_id: str, by: str, op: ops.Op, ran_on: list[Board], commit: Commit
    ) -> None:
        """What follows a saved commit: the family list's view, the sessions it ends, and
        the webhook for agreed minutes."""
        if commit.record is not None:
            # The family list's view of the meeting (the family service checks what moved).
            await self._noted(ran_on[-1], commit.board, commit.seq)
            if isinstance(op, ParticipantRemove | MeetingClose | MeetingIdleClose):
                await self._after_ending(meeting_id, by, op, commit.board)
            # Whoever's view changed (a role, a confirmation, a language) takes it afresh.
            changed = people.view_changed(ran_on[-1], commit.board)
            if changed:
                await self._refresh(meeting_id, changed)
        if isinstance(op, MinutesAgree) and (commit.record is None or commit.record.changes):
            # Kept before the op is acknowledged: should this fail, or the process stop
            # first, the client resends the op, which answers as a duplicate and comes here
            # again. (The commit itself writes only the meeting's own keys.)
            minutes = commit.board.minutes[str(op.number)]
            if minutes.status is MinutesStatus.AGREED:
                await self._webhook.agreed(meeting_id, minutes)

    def saving_fails(self) -> bool:
        """Whether the last FAILED_COMMITS commits (or more) all failed in the store, the
        last of them less than FAILING_FOR seconds ago."""
        return self._failed >= FAILED_COMMITS and self._clock() - self._failed_at < FAILING_FOR

    def _commit_failed(self, error: KinboardError) -> None:
        # Logged once while the store keeps failing the same way, not once per op.
        if error.message != self._failure:
            log.error("changes cannot be saved: %s", error.message)
            self._failure = error.message
        self._failed += 1
        self._failed_at = self._clock()

    def _commit_saved(self) -> None:
        if self._failure is not None:
            log.warning("changes are saved again (%d failed before)", self._failed)
        self._failed, self._failure = 0, None

    async def _after_ending(
        self,
        meeting_id: str,
        by: str,
        op: ParticipantRemove | MeetingClose | MeetingIdleClose,
        board: Board,
    ) -> None:
        """The op is committed whatever happens here: a failure is logged, never refused."""
        try:
            if isinstance(op, ParticipantRemove):
                await self._sessions.end(meeting_id, op.participant_id)
                await self._audit.record(
                    meeting_id, "participant.removed", by=by, participant=op.participant_id
                )
            else:
                # The family keep their sessions, to read "Our plan"; everyone else's end.
                for participant in board.participants.values():
                    if not participant.removed and participant.role not in PLAN_READERS:
                        await self._sessions.end(meeting_id, participant.id)
        except KinboardError as error:
            log.warning("could not end sessions after %s: %s", type(op).__name__, error.message)


def _audit_entry(
    record: OpRecord, board: Board, now: str, by: str, link_id: str, op_type: str
) -> dict[str, Any]:
    """An op's audit entry: ids only, never text."""
    actor = board.participants.get(by)
    return {
        "at": now,
        "event": "op",
        "by": by,
        "role": actor.role.value if actor else None,
        "link_id": link_id,
        "op": op_type,
        "seq": record.seq,
        "entities": [f"{c['entity']}:{c['id']}" for c in record.changes],
    }
