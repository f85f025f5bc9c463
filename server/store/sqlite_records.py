"""The embedded store's small records and counters."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from typing import Any

from ..board import codec
from .sqlite_db import Database, transaction


class SQLiteRecords:
    _db: Database

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

    async def forget_expired_records(self, now: float) -> int:
        return await self._db.run(
            lambda db: (
                db.execute(
                    "DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?", (now,)
                ).rowcount
            )
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
