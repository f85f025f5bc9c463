"""The embedded store's families, and each staff member's family list."""

from __future__ import annotations

import json
import sqlite3

from ..board import codec
from .records import Family, FamilyMeeting, FamilyPage
from .sqlite_db import Database, transaction


class SQLiteFamilies:
    _db: Database

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


def leave_family(db: sqlite3.Connection, meeting_id: str) -> None:
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
    db.execute("DELETE FROM kv WHERE key = ?", (row[0],))  # its records: who it is shared with
