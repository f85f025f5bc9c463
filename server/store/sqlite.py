"""The embedded store: one SQLite file, for a single Kinboard process.

All database work runs on one dedicated thread, so the event loop never waits on the disk
and the connection is never shared between threads. WAL with synchronous=FULL: a commit
is on disk before the op is acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..board import codec, storage
from ..board.errors import NotFound, Unavailable
from ..board.model import Board, Meeting
from .base import (
    LOG_LIMIT,
    CommitResult,
    Link,
    OpRecord,
    Presence,
    Session,
    Store,
)

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meetings (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS records (
  meeting_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (meeting_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS secrets (
  meeting_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (meeting_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS oplog (
  meeting_id TEXT NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (meeting_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS opkeys (
  meeting_id TEXT NOT NULL, op_key TEXT NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, op_key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links (
  token_hash TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_by_meeting ON links (meeting_id);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kv (
  kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, expires_at REAL,
  PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (
  n INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_by_meeting ON audit (meeting_id, n);
"""

# Every table that holds a meeting's rows, by its meeting_id column.
_MEETING_TABLES = ("records", "secrets", "oplog", "opkeys", "links", "audit")


class SQLiteStore(Store):
    def __init__(self, path: Path, log_limit: int = LOG_LIMIT) -> None:
        super().__init__(log_limit)
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinboard-sqlite")
        self._presence: dict[str, dict[str, tuple[Presence, float]]] = {}
        self._queue: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]] = []
        self._flushing = False
        self._flusher: asyncio.Task[None] | None = None

    async def open(self) -> None:
        self._db = await self._in_thread(self._connect)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA busy_timeout=5000")
        # Erased meetings must not linger in free pages of the file.
        db.execute("PRAGMA secure_delete=ON")
        db.executescript(_SCHEMA)
        return db

    async def close(self) -> None:
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)  # acknowledged = written
        db, self._db = self._db, None
        if db is not None:
            await self._in_thread(db.close)
        self._thread.shutdown(wait=True)

    async def _grouped(
        self, work: Callable[[sqlite3.Connection], tuple[CommitResult, int]]
    ) -> tuple[CommitResult, int]:
        """Commits that queue up while the database thread is busy go to disk together:
        one transaction, one fsync, each commit in a savepoint of its own."""
        future: asyncio.Future[tuple[CommitResult, int]] = (
            asyncio.get_running_loop().create_future()
        )
        self._queue.append((work, future))
        if not self._flushing:
            self._flushing = True
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    outcomes = await self._run(partial(_in_one_transaction, batch=batch))
                except Exception as error:  # the whole transaction failed: nothing was written
                    outcomes = [error] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if isinstance(outcome, Exception):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            self._flushing = False

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        db = self._db
        if db is None:
            raise Unavailable("The store is not open.")
        return await self._in_thread(lambda: work(db))

    async def _in_thread(self, work: Callable[[], T]) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread, work)
        except sqlite3.Error as error:
            raise Unavailable(f"The database failed: {error}") from error

    async def ping(self) -> None:
        await self._run(lambda db: db.execute("SELECT 1").fetchone())

    # --- boards ---

    async def _create(self, meeting_id: str, records: Mapping[str, str]) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            with _transaction(db):
                inserted = db.execute(
                    "INSERT OR IGNORE INTO meetings (id, seq) VALUES (?, 0)", (meeting_id,)
                ).rowcount
                if not inserted:
                    return False
                db.executemany(
                    "INSERT INTO records (meeting_id, key, value) VALUES (?, ?, ?)",
                    [(meeting_id, key, value) for key, value in records.items()],
                )
            return True

        return await self._run(work)

    async def _read_seq(self, meeting_id: str) -> int | None:
        row = await self._run(
            lambda db: db.execute("SELECT seq FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        )
        return None if row is None else row[0]

    async def _read_board(self, meeting_id: str) -> tuple[Board, int]:
        def work(db: sqlite3.Connection) -> tuple[dict[str, str], dict[str, str], int | None]:
            with _transaction(db):
                row = db.execute("SELECT seq FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
                records = db.execute(
                    "SELECT key, value FROM records WHERE meeting_id = ?", (meeting_id,)
                ).fetchall()
                secrets = db.execute(
                    "SELECT key, value FROM secrets WHERE meeting_id = ?", (meeting_id,)
                ).fetchall()
            return dict(records), dict(secrets), None if row is None else row[0]

        records, secrets, seq = await self._run(work)
        if seq is None:
            raise NotFound("There is no such meeting.")
        return storage.board_from_records(records, secrets), seq

    async def _read_secrets(self, meeting_id: str) -> dict[str, str]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT key, value FROM secrets WHERE meeting_id = ?", (meeting_id,)
            ).fetchall()
        )
        return dict(rows)

    async def _read_log(self, meeting_id: str, since: int) -> list[OpRecord]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT record FROM oplog WHERE meeting_id = ? AND seq > ? ORDER BY seq",
                (meeting_id, since),
            ).fetchall()
        )
        return [OpRecord.from_json(json.loads(row[0])) for row in rows]

    async def _find_op(self, meeting_id: str, op_key: str) -> int | None:
        row = await self._run(
            lambda db: db.execute(
                "SELECT seq FROM opkeys WHERE meeting_id = ? AND op_key = ?", (meeting_id, op_key)
            ).fetchone()
        )
        return None if row is None else row[0]

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
        def work(db: sqlite3.Connection) -> tuple[CommitResult, int]:
            first = db.execute(
                "SELECT seq FROM opkeys WHERE meeting_id = ? AND op_key = ?",
                (meeting_id, op_key),
            ).fetchone()
            if first is not None:
                return CommitResult.DUPLICATE, first[0]
            if (
                session_hash is not None
                and not db.execute(
                    "SELECT 1 FROM sessions WHERE token_hash = ?", (session_hash,)
                ).fetchone()
            ):
                return CommitResult.SESSION_ENDED, 0
            moved = db.execute(
                "UPDATE meetings SET seq = ? WHERE id = ? AND seq = ?",
                (record.seq, meeting_id, expected_seq),
            ).rowcount
            if not moved:
                return CommitResult.CONFLICT, 0
            db.execute(
                "INSERT INTO opkeys (meeting_id, op_key, seq) VALUES (?, ?, ?)",
                (meeting_id, op_key, record.seq),
            )
            db.execute(
                "INSERT INTO oplog (meeting_id, seq, record) VALUES (?, ?, ?)",
                (meeting_id, record.seq, codec.dumps(record.to_json())),
            )
            db.execute(
                "DELETE FROM oplog WHERE meeting_id = ? AND seq <= ?",
                (meeting_id, record.seq - self.log_limit),
            )
            db.executemany(
                "INSERT INTO records (meeting_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (meeting_id, key) DO UPDATE SET value = excluded.value",
                [(meeting_id, key, value) for key, value in records.items()],
            )
            db.executemany(
                "INSERT INTO secrets (meeting_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (meeting_id, key) DO UPDATE SET value = excluded.value",
                [(meeting_id, k, v) for k, v in secrets.items() if v is not None],
            )
            db.executemany(
                "DELETE FROM secrets WHERE meeting_id = ? AND key = ?",
                [(meeting_id, k) for k, v in secrets.items() if v is None],
            )
            if audit is not None:
                db.execute(
                    "INSERT INTO audit (meeting_id, data) VALUES (?, ?)",
                    (meeting_id, codec.dumps(audit)),
                )
            return CommitResult.COMMITTED, record.seq

        return await self._grouped(work)

    async def _read_meetings(self) -> list[Meeting]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT r.value FROM meetings m JOIN records r "
                "ON r.meeting_id = m.id AND r.key = 'meeting:' || m.id"
            ).fetchall()
        )
        return [codec.decode_entity("meeting", json.loads(row[0])) for row in rows]  # type: ignore[misc]

    # --- links and sessions ---

    async def add_link(self, link: Link) -> None:
        await self._run(
            lambda db: db.execute(
                "INSERT INTO links (token_hash, meeting_id, data) VALUES (?, ?, ?) "
                "ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data",
                (link.token_hash, link.meeting_id, codec.dumps(link.to_json())),
            )
        )

    async def find_link(self, token_hash: str) -> Link | None:
        row = await self._run(
            lambda db: db.execute(
                "SELECT data FROM links WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        )
        return None if row is None else Link.from_json(json.loads(row[0]))

    async def meeting_links(self, meeting_id: str) -> list[Link]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT data FROM links WHERE meeting_id = ?", (meeting_id,)
            ).fetchall()
        )
        return sorted(
            (Link.from_json(json.loads(row[0])) for row in rows), key=lambda link: link.created_at
        )

    async def add_session(self, session: Session) -> None:
        await self._run(
            lambda db: db.execute(
                "INSERT INTO sessions (token_hash, data) VALUES (?, ?)",
                (session.token_hash, codec.dumps(session.to_json())),
            )
        )

    async def find_session(self, token_hash: str) -> Session | None:
        row = await self._run(
            lambda db: db.execute(
                "SELECT data FROM sessions WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        )
        return None if row is None else Session.from_json(json.loads(row[0]))

    async def end_sessions(
        self, meeting_id: str, participant_id: str | None = None, link_id: str | None = None
    ) -> set[str]:
        where = "json_extract(data, '$.meeting_id') = ?"
        args: list[Any] = [meeting_id]
        if participant_id is not None:
            where += " AND json_extract(data, '$.participant_id') = ?"
            args.append(participant_id)
        if link_id is not None:
            where += " AND json_extract(data, '$.link_id') = ?"
            args.append(link_id)

        def work(db: sqlite3.Connection) -> set[str]:
            with _transaction(db):
                rows = db.execute(
                    f"SELECT json_extract(data, '$.participant_id') FROM sessions WHERE {where}",
                    args,
                ).fetchall()
                db.execute(f"DELETE FROM sessions WHERE {where}", args)
            return {row[0] for row in rows}

        return await self._run(work)

    # --- small records ---

    async def put_record(
        self, kind: str, key: str, data: Mapping[str, Any], expires_at: float | None = None
    ) -> None:
        await self._run(
            lambda db: db.execute(
                "INSERT INTO kv (kind, key, data, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, "
                "expires_at = excluded.expires_at",
                (kind, key, codec.dumps(data), expires_at),
            )
        )

    async def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        row = await self._run(
            lambda db: db.execute(
                "SELECT data FROM kv WHERE kind = ? AND key = ? "
                "AND (expires_at IS NULL OR expires_at > ?)",
                (kind, key, time.time()),
            ).fetchone()
        )
        return None if row is None else json.loads(row[0])

    async def list_records(self, kind: str) -> list[dict[str, Any]]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT data FROM kv WHERE kind = ? AND (expires_at IS NULL OR expires_at > ?) "
                "ORDER BY key",
                (kind, time.time()),
            ).fetchall()
        )
        return [json.loads(row[0]) for row in rows]

    async def delete_record(self, kind: str, key: str) -> None:
        await self._run(
            lambda db: db.execute("DELETE FROM kv WHERE kind = ? AND key = ?", (kind, key))
        )

    # --- audit ---

    async def append_audit(self, meeting_id: str, entry: Mapping[str, Any]) -> None:
        await self._run(
            lambda db: db.execute(
                "INSERT INTO audit (meeting_id, data) VALUES (?, ?)",
                (meeting_id, codec.dumps(entry)),
            )
        )

    async def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        rows = await self._run(
            lambda db: db.execute(
                "SELECT data FROM audit WHERE meeting_id = ? ORDER BY n", (meeting_id,)
            ).fetchall()
        )
        return [json.loads(row[0]) for row in rows]

    async def _erase(self, meeting_id: str) -> None:
        def work(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))
                for table in _MEETING_TABLES:
                    db.execute(f"DELETE FROM {table} WHERE meeting_id = ?", (meeting_id,))
                db.execute(
                    "DELETE FROM sessions WHERE json_extract(data, '$.meeting_id') = ?",
                    (meeting_id,),
                )
                db.execute("DELETE FROM kv WHERE key = ?", (meeting_id,))
            # ... nor in the write-ahead log until some later checkpoint.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        await self._run(work)
        self._presence.pop(meeting_id, None)

    # --- presence: in memory, since the embedded store serves a single process ---

    async def presence_put(
        self, meeting_id: str, socket_id: str, entry: Presence, expires_at: float
    ) -> None:
        self._presence.setdefault(meeting_id, {})[socket_id] = (entry, expires_at)

    async def presence_drop(self, meeting_id: str, socket_id: str) -> None:
        self._presence.get(meeting_id, {}).pop(socket_id, None)

    async def presence_sockets(self, meeting_id: str, now: float) -> dict[str, Presence]:
        entries = self._presence.get(meeting_id, {})
        for socket_id in [s for s, (_, expires) in entries.items() if expires <= now]:
            del entries[socket_id]
        return {socket_id: entry for socket_id, (entry, _) in entries.items()}


def _in_one_transaction(
    db: sqlite3.Connection,
    *,
    batch: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]]],
) -> list[Any]:
    """Run each work in a savepoint of one transaction: an error undoes only its own."""
    outcomes: list[Any] = []
    with _transaction(db):
        for work, _ in batch:
            db.execute("SAVEPOINT op")
            try:
                outcomes.append(work(db))
            except sqlite3.Error as error:
                db.execute("ROLLBACK TO op")
                outcomes.append(Unavailable(f"The database failed: {error}"))
            db.execute("RELEASE op")
    return outcomes


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
