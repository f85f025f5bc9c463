"""The embedded store: one SQLite file, for a single Kinboard process.

The file, its thread and its group commit are in `sqlite_db.py`; here is what the board
log, links and sessions, and the audit log read and write (families, records and counters,
and presence, each in a module of its own). Presence is kept in memory: there is only one
process to share it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from .. import fastjson
from ..board import codec, storage
from ..board.errors import NotFound
from ..board.model import Board, Meeting
from .board_log import LOG_LIMIT, SharedBoardLog, activity_time
from .migrations import upgrade
from .records import (
    CommitResult,
    Link,
    OpRecord,
    OpWrite,
    Session,
)
from .roles import Store
from .sqlite_db import MEETING_TABLES, Database, transaction
from .sqlite_families import SQLiteFamilies, leave_family
from .sqlite_presence import MemoryPresence
from .sqlite_records import SQLiteRecords


class SQLiteStore(SharedBoardLog, SQLiteFamilies, SQLiteRecords, MemoryPresence, Store):
    def __init__(self, path: Path, log_limit: int = LOG_LIMIT) -> None:
        super().__init__(log_limit)
        self.path = path
        self._db = Database(path)
        self._presence = {}

    async def open(self) -> None:
        await self._db.open()
        try:
            await upgrade(self)
        except BaseException:
            await self._db.close()
            raise

    async def close(self) -> None:
        await self._db.close()

    async def ping(self) -> None:
        await self._db.run(lambda db: db.execute("SELECT 1").fetchone())

    # --- the data's version (migrations.py) ---

    async def _read_version(self) -> int | None:
        row = await self._db.run(
            lambda db: db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        )
        return None if row is None else int(row[0])

    async def _holds_data(self) -> bool:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT EXISTS (SELECT 1 FROM meetings) OR EXISTS (SELECT 1 FROM kv) "
                "OR EXISTS (SELECT 1 FROM audit)"
            ).fetchone()
        )
        return bool(row[0])

    async def _write_version(self, version: int) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO meta (key, value) VALUES ('version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(version),),
            )
        )

    async def _try_upgrade_lock(self, token: str, seconds: float) -> bool:
        now = time.time()
        rows = await self._db.run(
            lambda db: db.execute(
                "INSERT INTO meta (key, value, until) VALUES ('upgrading', ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, until = excluded.until "
                "WHERE meta.until <= ? RETURNING value",
                (token, now + seconds, now),
            ).fetchall()
        )
        return bool(rows)

    async def _release_upgrade_lock(self, token: str) -> None:
        await self._db.run(
            lambda db: db.execute(
                "DELETE FROM meta WHERE key = 'upgrading' AND value = ?", (token,)
            )
        )

    # --- boards ---

    async def _create(self, meeting_id: str, records: Mapping[str, str]) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            with transaction(db):
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

        return await self._db.run(work)

    async def note_activity(self, meeting_id: str, at: float) -> None:
        await self._db.run(lambda db: _note_activity(db, meeting_id, at))

    async def last_activity(self, meeting_ids: Sequence[str]) -> dict[str, float]:
        if not meeting_ids:
            return {}
        marks = ",".join("?" * len(meeting_ids))
        rows = await self._db.run(
            lambda db: db.execute(
                f"SELECT meeting_id, at FROM activity WHERE meeting_id IN ({marks})",
                tuple(meeting_ids),
            ).fetchall()
        )
        return {row[0]: row[1] for row in rows}

    async def idle_meetings(self, before: float) -> list[str]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT meeting_id FROM activity WHERE at <= ?", (before,)
            ).fetchall()
        )
        return [row[0] for row in rows]

    async def _read_seq(self, meeting_id: str) -> int | None:
        row = await self._db.run(
            lambda db: db.execute("SELECT seq FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        )
        return None if row is None else row[0]

    async def _read_board(self, meeting_id: str) -> tuple[Board, int]:
        def work(db: sqlite3.Connection) -> tuple[dict[str, str], dict[str, str], int | None]:
            with transaction(db):
                row = db.execute("SELECT seq FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
                records = db.execute(
                    "SELECT key, value FROM records WHERE meeting_id = ?", (meeting_id,)
                ).fetchall()
                secrets = db.execute(
                    "SELECT key, value FROM secrets WHERE meeting_id = ?", (meeting_id,)
                ).fetchall()
            return dict(records), dict(secrets), None if row is None else row[0]

        records, secrets, seq = await self._db.run(work)
        if seq is None:
            raise NotFound("There is no such meeting.")
        return storage.board_from_records(records, secrets), seq

    async def _read_secrets(self, meeting_id: str) -> dict[str, str]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT key, value FROM secrets WHERE meeting_id = ?", (meeting_id,)
            ).fetchall()
        )
        return dict(rows)

    async def _read_log(self, meeting_id: str, since: int) -> list[OpRecord]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT record FROM oplog WHERE meeting_id = ? AND seq > ? ORDER BY seq",
                (meeting_id, since),
            ).fetchall()
        )
        return [OpRecord.from_json(fastjson.loads(row[0])) for row in rows]

    async def _find_op(self, meeting_id: str, op_key: str) -> int | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT seq FROM opkeys WHERE meeting_id = ? AND op_key = ?", (meeting_id, op_key)
            ).fetchone()
        )
        return None if row is None else row[0]

    async def _commit(self, write: OpWrite) -> tuple[CommitResult, int]:
        return await self._db.grouped(partial(_write_op, write=write, log_limit=self.log_limit))

    async def _read_meetings(self) -> list[Meeting]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT r.value FROM meetings m JOIN records r "
                "ON r.meeting_id = m.id AND r.key = 'meeting:' || m.id"
            ).fetchall()
        )
        return [codec.decode_entity("meeting", fastjson.loads(row[0])) for row in rows]  # type: ignore[misc]

    # --- links and sessions ---

    async def add_link(self, link: Link) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO links (token_hash, meeting_id, data) VALUES (?, ?, ?) "
                "ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data",
                (link.token_hash, link.meeting_id, fastjson.dumps(link.to_json())),
            )
        )

    async def find_link(self, token_hash: str) -> Link | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM links WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        )
        return None if row is None else Link.from_json(fastjson.loads(row[0]))

    async def meeting_links(self, meeting_id: str) -> list[Link]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM links WHERE meeting_id = ?", (meeting_id,)
            ).fetchall()
        )
        return sorted(
            (Link.from_json(fastjson.loads(row[0])) for row in rows),
            key=lambda link: link.created_at,
        )

    async def add_session(self, session: Session) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO sessions (token_hash, data) VALUES (?, ?)",
                (session.token_hash, fastjson.dumps(session.to_json())),
            )
        )

    async def find_session(self, token_hash: str) -> Session | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM sessions WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        )
        return None if row is None else Session.from_json(fastjson.loads(row[0]))

    async def live_sessions(self, meeting_id: str, token_hashes: Collection[str]) -> set[str]:
        hashes = list(token_hashes)
        marks, meeting = ",".join("?" * len(hashes)), "json_extract(data, '$.meeting_id')"
        rows = await self._db.run(
            lambda db: db.execute(
                f"SELECT token_hash FROM sessions WHERE token_hash IN ({marks}) AND {meeting} = ?",
                [*hashes, meeting_id],
            ).fetchall()
        )
        return {row[0] for row in rows}

    async def end_sessions(
        self,
        meeting_id: str,
        participant_id: str | None = None,
        link_id: str | None = None,
        keep: str | None = None,
    ) -> set[str]:
        where = "json_extract(data, '$.meeting_id') = ?"
        args: list[Any] = [meeting_id]
        if participant_id is not None:
            where += " AND json_extract(data, '$.participant_id') = ?"
            args.append(participant_id)
        if link_id is not None:
            where += " AND json_extract(data, '$.link_id') = ?"
            args.append(link_id)
        if keep is not None:
            where += " AND token_hash != ?"
            args.append(keep)

        def work(db: sqlite3.Connection) -> set[str]:
            with transaction(db):
                rows = db.execute(
                    f"SELECT json_extract(data, '$.participant_id') FROM sessions WHERE {where}",
                    args,
                ).fetchall()
                db.execute(f"DELETE FROM sessions WHERE {where}", args)
            return {row[0] for row in rows}

        return await self._db.run(work)

    # --- audit ---

    async def append_audit(self, meeting_id: str, entry: Mapping[str, Any]) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO audit (meeting_id, data) VALUES (?, ?)",
                (meeting_id, fastjson.dumps(entry)),
            )
        )

    async def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM audit WHERE meeting_id = ? ORDER BY n", (meeting_id,)
            ).fetchall()
        )
        return [fastjson.loads(row[0]) for row in rows]

    async def _erase(self, meeting_id: str) -> None:
        def work(db: sqlite3.Connection) -> None:
            with transaction(db):
                db.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))
                for table in MEETING_TABLES:
                    db.execute(f"DELETE FROM {table} WHERE meeting_id = ?", (meeting_id,))
                db.execute(
                    "DELETE FROM sessions WHERE json_extract(data, '$.meeting_id') = ?",
                    (meeting_id,),
                )
                db.execute("DELETE FROM kv WHERE key = ?", (meeting_id,))
                leave_family(db, meeting_id)
            # ... nor in the write-ahead log until some later checkpoint.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        await self._db.run(work)
        self._presence.pop(meeting_id, None)


def _note_activity(db: sqlite3.Connection, meeting_id: str, at: float) -> None:
    db.execute(
        "INSERT INTO activity (meeting_id, at) VALUES (?, ?) "
        "ON CONFLICT (meeting_id) DO UPDATE SET at = excluded.at",
        (meeting_id, at),
    )


def _write_op(
    db: sqlite3.Connection, *, write: OpWrite, log_limit: int
) -> tuple[CommitResult, int]:
    """`_commit`'s checks and writes, inside the group commit's transaction."""
    meeting_id, record = write.meeting_id, write.record
    first = db.execute(
        "SELECT seq FROM opkeys WHERE meeting_id = ? AND op_key = ?", (meeting_id, write.op_key)
    ).fetchone()
    if first is not None:
        return CommitResult.DUPLICATE, first[0]
    if (
        write.session_hash is not None
        and not db.execute(
            "SELECT 1 FROM sessions WHERE token_hash = ?", (write.session_hash,)
        ).fetchone()
    ):
        return CommitResult.SESSION_ENDED, 0
    moved = db.execute(
        "UPDATE meetings SET seq = ? WHERE id = ? AND seq = ?",
        (record.seq, meeting_id, write.expected_seq),
    ).rowcount
    if not moved:
        return CommitResult.CONFLICT, 0
    _write_changes(db, write, log_limit)
    return CommitResult.COMMITTED, record.seq


def _write_changes(db: sqlite3.Connection, write: OpWrite, log_limit: int) -> None:
    """The op key, the log entry (trimming the log), the records, the secrets, the audit,
    the meeting's last activity."""
    meeting_id, record = write.meeting_id, write.record
    _note_activity(db, meeting_id, activity_time(record.at))
    db.execute(
        "INSERT INTO opkeys (meeting_id, op_key, seq) VALUES (?, ?, ?)",
        (meeting_id, write.op_key, record.seq),
    )
    db.execute(
        "INSERT INTO oplog (meeting_id, seq, record) VALUES (?, ?, ?)",
        (meeting_id, record.seq, fastjson.dumps(record.to_json())),
    )
    db.execute(
        "DELETE FROM oplog WHERE meeting_id = ? AND seq <= ?",
        (meeting_id, record.seq - log_limit),
    )
    db.executemany(
        "INSERT INTO records (meeting_id, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (meeting_id, key) DO UPDATE SET value = excluded.value",
        [(meeting_id, key, value) for key, value in write.records.items()],
    )
    db.executemany(
        "INSERT INTO secrets (meeting_id, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (meeting_id, key) DO UPDATE SET value = excluded.value",
        [(meeting_id, k, v) for k, v in write.secrets.items() if v is not None],
    )
    db.executemany(
        "DELETE FROM secrets WHERE meeting_id = ? AND key = ?",
        [(meeting_id, k) for k, v in write.secrets.items() if v is None],
    )
    if write.audit is not None:
        db.execute(
            "INSERT INTO audit (meeting_id, data) VALUES (?, ?)",
            (meeting_id, fastjson.dumps(write.audit)),
        )
