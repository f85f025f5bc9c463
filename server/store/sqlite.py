"""The embedded store: one SQLite file, for a single Kinboard process.

The file, its thread and its group commit are in `sqlite_db.py`; here is what each role
reads and writes. Presence is kept in memory: there is only one process to share it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from ..board import codec, storage
from ..board.errors import NotFound
from ..board.model import Board, Meeting
from .board_log import LOG_LIMIT, SharedBoardLog, activity_time
from .migrations import upgrade
from .records import (
    CommitResult,
    Family,
    FamilyMeeting,
    FamilyPage,
    Link,
    OpRecord,
    OpWrite,
    Presence,
    Session,
)
from .roles import Store
from .sqlite_db import MEETING_TABLES, Database, transaction


class SQLiteStore(SharedBoardLog, Store):
    def __init__(self, path: Path, log_limit: int = LOG_LIMIT) -> None:
        super().__init__(log_limit)
        self.path = path
        self._db = Database(path)
        self._presence: dict[str, dict[str, tuple[Presence, float]]] = {}

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
        return [OpRecord.from_json(json.loads(row[0])) for row in rows]

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
        return [codec.decode_entity("meeting", json.loads(row[0])) for row in rows]  # type: ignore[misc]

    # --- links and sessions ---

    async def add_link(self, link: Link) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO links (token_hash, meeting_id, data) VALUES (?, ?, ?) "
                "ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data",
                (link.token_hash, link.meeting_id, codec.dumps(link.to_json())),
            )
        )

    async def find_link(self, token_hash: str) -> Link | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM links WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        )
        return None if row is None else Link.from_json(json.loads(row[0]))

    async def meeting_links(self, meeting_id: str) -> list[Link]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM links WHERE meeting_id = ?", (meeting_id,)
            ).fetchall()
        )
        return sorted(
            (Link.from_json(json.loads(row[0])) for row in rows), key=lambda link: link.created_at
        )

    async def add_session(self, session: Session) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO sessions (token_hash, data) VALUES (?, ?)",
                (session.token_hash, codec.dumps(session.to_json())),
            )
        )

    async def find_session(self, token_hash: str) -> Session | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM sessions WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        )
        return None if row is None else Session.from_json(json.loads(row[0]))

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

    # --- small records ---

    async def put_record(
        self, kind: str, key: str, data: Mapping[str, Any], expires_at: float | None = None
    ) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO kv (kind, key, data, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, "
                "expires_at = excluded.expires_at",
                (kind, key, codec.dumps(data), expires_at),
            )
        )

    async def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM kv WHERE kind = ? AND key = ? "
                "AND (expires_at IS NULL OR expires_at > ?)",
                (kind, key, time.time()),
            ).fetchone()
        )
        return None if row is None else json.loads(row[0])

    async def list_records(self, kind: str) -> list[dict[str, Any]]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM kv WHERE kind = ? AND (expires_at IS NULL OR expires_at > ?) "
                "ORDER BY key",
                (kind, time.time()),
            ).fetchall()
        )
        return [json.loads(row[0]) for row in rows]

    async def delete_record(self, kind: str, key: str) -> None:
        await self._db.run(
            lambda db: db.execute("DELETE FROM kv WHERE kind = ? AND key = ?", (kind, key))
        )

    # --- counters ---

    async def add_to_counter(
        self, kind: str, key: str, amount: int, now: float, until: float
    ) -> int:
        def work(db: sqlite3.Connection) -> int:
            with transaction(db):
                # Ended windows go first (also those of e-mails nobody has), so the upsert
                # meets only a live counter.
                db.execute("DELETE FROM counters WHERE until <= ?", (now,))
                rows = db.execute(
                    "INSERT INTO counters (kind, key, value, until) VALUES (?, ?, MAX(?, 0), ?) "
                    "ON CONFLICT (kind, key) DO UPDATE SET value = MAX(value + ?, 0) "
                    "RETURNING value",
                    (kind, key, amount, until, amount),
                ).fetchall()
            return int(rows[0][0])

        return await self._db.run(work)

    async def reset_counter(self, kind: str, key: str) -> None:
        await self._db.run(
            lambda db: db.execute("DELETE FROM counters WHERE kind = ? AND key = ?", (kind, key))
        )

    # --- audit ---

    async def append_audit(self, meeting_id: str, entry: Mapping[str, Any]) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO audit (meeting_id, data) VALUES (?, ?)",
                (meeting_id, codec.dumps(entry)),
            )
        )

    async def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        rows = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM audit WHERE meeting_id = ? ORDER BY n", (meeting_id,)
            ).fetchall()
        )
        return [json.loads(row[0]) for row in rows]

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
                _leave_family(db, meeting_id)
            # ... nor in the write-ahead log until some later checkpoint.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        await self._db.run(work)
        self._presence.pop(meeting_id, None)

    # --- families ---

    async def add_family(self, family: Family, fingerprint: str | None) -> str | None:
        def work(db: sqlite3.Connection) -> str | None:
            with transaction(db):
                if (
                    family.case_ref is not None
                    and db.execute(
                        "SELECT 1 FROM families WHERE case_ref = ?", (family.case_ref,)
                    ).fetchone()
                ):
                    return "case_ref"
                if (
                    fingerprint is not None
                    and db.execute(
                        "SELECT 1 FROM families WHERE owner = ? AND fingerprint = ?",
                        (family.owner, fingerprint),
                    ).fetchone()
                ):
                    return "fingerprint"
                db.execute(
                    "INSERT INTO families (id, owner, fingerprint, case_ref, search, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        family.id,
                        family.owner,
                        fingerprint,
                        family.case_ref,
                        family.search_text,
                        codec.dumps(family.to_json()),
                    ),
                )
            return None

        return await self._db.run(work)

    async def family(self, family_id: str) -> Family | None:
        row = await self._db.run(
            lambda db: db.execute("SELECT data FROM families WHERE id = ?", (family_id,)).fetchone()
        )
        return None if row is None else Family.from_json(json.loads(row[0]))

    async def family_by_case_ref(self, case_ref: str) -> Family | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT data FROM families WHERE case_ref = ?", (case_ref,)
            ).fetchone()
        )
        return None if row is None else Family.from_json(json.loads(row[0]))

    async def put_family_meeting(self, family_id: str, meeting: FamilyMeeting) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO family_meetings (meeting_id, family_id, created_at, seq, data) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id) DO UPDATE SET "
                "data = excluded.data, seq = excluded.seq WHERE excluded.seq >= seq",
                (
                    meeting.meeting_id,
                    family_id,
                    meeting.created_at,
                    meeting.seq,
                    codec.dumps(meeting.to_json()),
                ),
            )
        )

    async def meeting_family(self, meeting_id: str) -> str | None:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT family_id FROM family_meetings WHERE meeting_id = ?", (meeting_id,)
            ).fetchone()
        )
        return None if row is None else row[0]

    async def family_meetings(self, family_ids: list[str]) -> dict[str, list[FamilyMeeting]]:
        marks = ",".join("?" * len(family_ids))
        rows = await self._db.run(
            lambda db: db.execute(
                f"SELECT family_id, data FROM family_meetings WHERE family_id IN ({marks}) "
                "ORDER BY family_id, created_at, meeting_id",
                family_ids,
            ).fetchall()
        )
        chains: dict[str, list[FamilyMeeting]] = {family_id: [] for family_id in family_ids}
        for family_id, data in rows:
            chains[family_id].append(FamilyMeeting.from_json(json.loads(data)))
        return chains

    async def list_family_for(self, email: str, family_id: str, active: float) -> None:
        await self._db.run(
            lambda db: db.execute(
                "INSERT INTO family_staff (email, family_id, active) VALUES (?, ?, ?) "
                "ON CONFLICT (email, family_id) "
                "DO UPDATE SET active = MAX(active, excluded.active)",
                (email, family_id, active),
            )
        )

    async def unlist_family_for(self, email: str, family_id: str) -> None:
        await self._db.run(
            lambda db: db.execute(
                "DELETE FROM family_staff WHERE email = ? AND family_id = ?", (email, family_id)
            )
        )

    async def lists_family(self, email: str, family_id: str) -> bool:
        row = await self._db.run(
            lambda db: db.execute(
                "SELECT 1 FROM family_staff WHERE email = ? AND family_id = ?",
                (email, family_id),
            ).fetchone()
        )
        return row is not None

    async def staff_families(self, email: str, search: str, offset: int, limit: int) -> FamilyPage:
        def work(db: sqlite3.Connection) -> FamilyPage:
            # The staff member's index rows, then their families by primary key: a few
            # hundred rows at most, never anyone else's.
            where = "s.email = ? AND instr(f.search, ?) > 0"
            rows = db.execute(
                "SELECT f.data FROM family_staff s JOIN families f ON f.id = s.family_id "
                f"WHERE {where} ORDER BY s.active DESC, s.family_id LIMIT ? OFFSET ?",
                (email, search, limit, offset),
            ).fetchall()
            (total,) = db.execute(
                "SELECT count(*) FROM family_staff s JOIN families f ON f.id = s.family_id "
                f"WHERE {where}",
                (email, search),
            ).fetchone()
            families = tuple(Family.from_json(json.loads(row[0])) for row in rows)
            return FamilyPage(families, total)

        return await self._db.run(work)

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


def _leave_family(db: sqlite3.Connection, meeting_id: str) -> None:
    """Take an erased meeting out of its family; a family left with none goes too."""
    row = db.execute(
        "DELETE FROM family_meetings WHERE meeting_id = ? RETURNING family_id", (meeting_id,)
    ).fetchone()
    if (
        row is None
        or db.execute(
            "SELECT 1 FROM family_meetings WHERE family_id = ? LIMIT 1", (row[0],)
        ).fetchone()
    ):
        return
    db.execute("DELETE FROM families WHERE id = ?", (row[0],))
    db.execute("DELETE FROM family_staff WHERE family_id = ?", (row[0],))


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
        (meeting_id, record.seq, codec.dumps(record.to_json())),
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
            (meeting_id, codec.dumps(write.audit)),
        )
