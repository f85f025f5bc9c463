"""The SQLite file behind `SQLiteStore`: its schema, its one thread, and group commit.

All database work runs on one dedicated thread, so the event loop never waits on the disk
and the connection is never shared between threads. WAL with synchronous=FULL: a commit
is on disk before the op is acknowledged.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..board.errors import StoreFailed, Unavailable

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], T]

SCHEMA = """
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
CREATE TABLE IF NOT EXISTS counters (
  kind TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL, until REAL NOT NULL,
  PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (
  n INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_by_meeting ON audit (meeting_id, n);
CREATE TABLE IF NOT EXISTS families (
  id TEXT PRIMARY KEY, owner TEXT NOT NULL, fingerprint TEXT, case_ref TEXT UNIQUE,
  search TEXT NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS families_by_fingerprint ON families (owner, fingerprint);
CREATE TABLE IF NOT EXISTS family_meetings (
  meeting_id TEXT PRIMARY KEY, family_id TEXT NOT NULL, created_at TEXT NOT NULL,
  seq INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS family_meetings_by_family
  ON family_meetings (family_id, created_at);
CREATE TABLE IF NOT EXISTS family_staff (
  email TEXT NOT NULL, family_id TEXT NOT NULL, active REAL NOT NULL,
  PRIMARY KEY (email, family_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS family_staff_by_activity ON family_staff (email, active DESC);
CREATE INDEX IF NOT EXISTS family_staff_by_family ON family_staff (family_id);
CREATE TABLE IF NOT EXISTS activity (
  meeting_id TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS activity_by_time ON activity (at);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY, value TEXT NOT NULL, until REAL) WITHOUT ROWID;
"""

# Every table that holds a meeting's rows, by its meeting_id column.
MEETING_TABLES = ("records", "secrets", "oplog", "opkeys", "links", "audit", "activity")


def _make_private(path: Path) -> None:
    """Only the server's own user may read the data dir and the database: 0700 and 0600,
    also for files an older version left readable. SQLite gives the -wal and -shm files
    it makes the database file's mode.

    The database file is opened here only to make it new (O_EXCL). Closing any descriptor
    of a file drops every POSIX lock this process holds on it, so opening an existing
    database beside a connection still open (a restart, a second store) would take that
    connection's lock away; another process (`kinboard staff`) closing last would then
    delete the -wal and -shm files from under it, and its commits would reach nobody."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        # Another process closing last deletes the -wal and -shm files at any moment.
        with suppress(FileNotFoundError):
            (path.parent / name).chmod(0o600)


class Database:
    """One connection on one thread. `run` does one piece of work; `grouped` queues a
    commit to share a transaction with the others queued behind the one being written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinboard-sqlite")
        self._queue: list[tuple[Work[Any], asyncio.Future[Any]]] = []
        self._flushing = False
        self._flusher: asyncio.Task[None] | None = None

    async def open(self) -> None:
        self._db = await self._in_thread(self._connect)

    def _connect(self) -> sqlite3.Connection:
        _make_private(self.path)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA busy_timeout=5000")
        # Erased meetings must not linger in free pages of the file.
        db.execute("PRAGMA secure_delete=ON")
        db.executescript(SCHEMA)
        return db

    async def close(self) -> None:
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)  # acknowledged = written
        db, self._db = self._db, None
        if db is not None:
            await self._in_thread(db.close)
        self._thread.shutdown(wait=True)

    async def run(self, work: Work[T]) -> T:
        db = self._db
        if db is None:
            raise Unavailable("The store is not open.")
        return await self._in_thread(lambda: work(db))

    async def grouped(self, work: Work[T]) -> T:
        """Commits that queue up while the database thread is busy go to disk together:
        one transaction, one fsync, each commit in a savepoint of its own."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
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
                    outcomes = await self.run(partial(_in_one_transaction, batch=batch))
                except Exception as error:  # the whole transaction failed: nothing was written
                    outcomes = [error] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if isinstance(outcome, Exception):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            self._flushing = False

    async def _in_thread(self, work: Callable[[], T]) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread, work)
        except sqlite3.Error as error:
            raise StoreFailed("The database failed: {error}", error=error) from error


def _in_one_transaction(
    db: sqlite3.Connection, *, batch: list[tuple[Work[Any], asyncio.Future[Any]]]
) -> list[Any]:
    """Run each work in a savepoint of one transaction: an error of any kind (a value the
    database cannot take, too) undoes only its own work, and fails only its own commit.
    An error that ends the whole transaction (the disk full) fails them all."""
    outcomes: list[Any] = []
    with transaction(db):
        for work, _ in batch:
            db.execute("SAVEPOINT op")
            try:
                outcomes.append(work(db))
            except sqlite3.Error as error:
                if not db.in_transaction:  # it ended the whole transaction: say why
                    raise
                db.execute("ROLLBACK TO op")
                outcomes.append(StoreFailed("The database failed: {error}", error=error))
            except Exception as error:  # a bug in one commit's work
                db.execute("ROLLBACK TO op")
                outcomes.append(error)
            db.execute("RELEASE op")
    return outcomes


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:  # some errors (a full disk) have rolled it back already
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
