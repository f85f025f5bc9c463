"""The data's version, and the steps that bring data written by an older release up to it.

Each store keeps one number, the version of the shapes it holds (SQLite: the `meta`
table; Redis: `<prefix>:schema`). Opening a store runs `upgrade`: a store with neither a
version nor data is new and is given this release's; one with data but no version was
written before versions were kept, and is version 1; each step from its version on then
runs once, in order, is logged, and moves the version on. A version past this release's
refuses to start: the data may have shapes this code would misread or destroy.

One process upgrades at a time: it holds the store's upgrade lock (a lease, so that a
process killed half-way does not block the others for ever), and the others wait for the
version it writes. A step is written so that running it again after such a kill is harmless.

Steps go through the store's own roles, so one step serves both backends.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from ..board.entities import put
from ..board.errors import KinboardError, Unavailable
from ..board.model import Board, Change
from .records import Family, FamilyMeeting, OpRecord
from .roles import Store, Update

log = logging.getLogger("kinboard.store")

# How long one process may hold the upgrade lock; a step's work is far shorter.
LOCK_SECONDS = 120.0
# How long opening a store waits for it to answer (Redis starting) or for another
# process's upgrade, before giving up.
WAIT_SECONDS = 150.0
POLL_SECONDS = 0.2


class NewerData(KinboardError):
    """The store holds data of a newer release: this one refuses to run on it."""

    code = "newer_data"


class Versioned(Protocol):
    """What a backend keeps for `upgrade`: the version, whether it holds any data, a lock."""

    async def _read_version(self) -> int | None: ...

    async def _holds_data(self) -> bool: ...

    async def _write_version(self, version: int) -> None: ...

    async def _try_upgrade_lock(self, token: str, seconds: float) -> bool: ...

    async def _release_upgrade_lock(self, token: str) -> None: ...


class UpgradableStore(Store, Versioned, Protocol):
    pass


@dataclass(frozen=True)
class Step:
    """Brings version `to - 1` up to `to`; `what` says what it changes, for the log."""

    to: int
    what: str
    run: Callable[[Store], Awaitable[None]]


async def _first_account_is_administrator(store: Store) -> None:
    """Releases before version 2 had no administrators; a new install's first account
    (the set-up link's) is one, so the earliest enabled account of an older one becomes one."""
    accounts = await store.list_records("staff")
    if any(account.get("admin") for account in accounts):
        return
    enabled = [a for a in accounts if not a.get("disabled")]
    if enabled:
        first = min(enabled, key=lambda account: (account["created_at"], account["email"]))
        await store.put_record("staff", first["email"], {**first, "admin": True})


async def _meetings_join_families(store: Store) -> None:
    """Releases before version 3 had no families, and gave a review meeting no staff. Each
    meeting, oldest first, joins its previous meeting's family (and, with none of its
    own, that meeting's staff), or else a family of its own named after it, whose id it
    derives from the meeting's (so that a step killed half-way and run again makes no
    second one); the family is in the list of each of the meeting's staff."""
    for meeting in sorted(await store.list_meetings(), key=lambda m: (m.created_at, m.id)):
        if await store.meeting_family(meeting.id) is not None:
            continue
        staff = list((await store.get_record("meeting_staff", meeting.id) or {}).get("staff", ()))
        family_id = meeting.previous and await store.meeting_family(meeting.previous)
        if meeting.previous and not staff:
            previous = await store.get_record("meeting_staff", meeting.previous)
            staff = list((previous or {}).get("staff", ()))
            if staff:
                record = {"meeting_id": meeting.id, "staff": staff}
                await store.put_record("meeting_staff", meeting.id, record)
        if not family_id:
            family_id = f"f_{meeting.id}"
            if await store.family(family_id) is None:
                name = meeting.title.removeprefix("Review: ")
                await store.add_family(Family(family_id, name, meeting.created_at), None)
        active = datetime.fromisoformat(meeting.created_at).timestamp()
        for email in staff:
            await store.list_family_for(email, family_id, active)
        # Last: a meeting in its family is one this step has done.
        board, seq = await store.load(meeting.id)
        await store.put_family_meeting(family_id, FamilyMeeting.of(board, seq))


async def _staff_emails_leave_boards(store: Store) -> None:
    """Releases before version 4 made a staff member reopening a meeting another
    facilitator named by their e-mail, which the family saw. Each such participant is
    renamed to the name the account offers, or "Facilitator", by one op in the meeting's
    log (by nobody: the upgrade; once, by its op key), audited, so that clients get the
    change like any other. Minutes taken meanwhile keep what they recorded."""
    offered = {
        a["email"]: a.get("display_name") or "Facilitator"
        for a in await store.list_records("staff")
    }
    for meeting in await store.list_meetings():
        record = await store.get_record("meeting_staff", meeting.id)
        staff = set(record["staff"]) if record else set()

        def mutate(board: Board, staff: set[str] = staff) -> tuple[Board, list[Change]]:
            named = [p for p in board.participants.values() if p.name.strip().lower() in staff]
            return put(
                board,
                "participant",
                *(
                    replace(p, name=offered.get(p.name.strip().lower(), "Facilitator"))
                    for p in named
                ),
            )

        board, _ = await store.load(meeting.id)
        if not mutate(board)[1]:
            continue
        at = datetime.now(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"

        def audit(op: OpRecord, _: Board, at: str = at) -> dict[str, Any]:
            entities = [f"{c['entity']}:{c['id']}" for c in op.changes]
            return {"at": at, "event": "upgrade", "seq": op.seq, "entities": entities}

        update = Update(meeting.id, "upgrade:4", "upgrade-4", "", at, mutate, audit=audit)
        await store.update(update)


async def _meetings_note_their_last_change(store: Store) -> None:
    """Releases before version 5 kept no index of when each meeting last changed. Each
    meeting's is its last logged op's time, or with none its start. The op of version 4's
    step (the only op by nobody before version 5) is no one's activity: it does not keep
    an idle meeting open."""
    for meeting in await store.list_meetings():
        seq = await store.seq(meeting.id)
        _, records = await store.changes_since(meeting.id, max(seq - 2, 0))
        people = [record for record in records or () if record.by]
        at = people[-1].at if people else meeting.created_at
        if at:
            await store.note_activity(meeting.id, datetime.fromisoformat(at).timestamp())


STEPS: tuple[Step, ...] = (
    Step(2, "the first staff account is an administrator", _first_account_is_administrator),
    Step(
        3,
        "each meeting is in a family, and each review has its meeting's staff",
        _meetings_join_families,
    ),
    Step(4, "no participant is named by a staff member's e-mail", _staff_emails_leave_boards),
    Step(
        5,
        "each meeting's last change is kept in an index, for closing idle meetings",
        _meetings_note_their_last_change,
    ),
)
VERSION = STEPS[-1].to if STEPS else 1


async def upgrade(
    store: UpgradableStore, steps: tuple[Step, ...] = STEPS, *, wait_for_store: bool = True
) -> None:
    """Bring the store's data to this release's version, or raise NewerData. Without
    `wait_for_store`, a store that does not answer is `Unavailable` at once."""
    latest = steps[-1].to if steps else 1
    deadline = time.monotonic() + WAIT_SECONDS
    token = secrets.token_hex(8)
    waiting_for = ""
    while True:
        try:
            version = await store._read_version()
            if version is None and not await store._holds_data():
                if await store._try_upgrade_lock(token, LOCK_SECONDS):
                    try:  # (another process may have filled it meanwhile: look again)
                        if await store._read_version() is None and not await store._holds_data():
                            await store._write_version(latest)
                    finally:
                        await store._release_upgrade_lock(token)
                    continue
            else:
                version = version or 1
                _refuse_newer(version, latest)
                if version == latest:
                    return
                if await store._try_upgrade_lock(token, LOCK_SECONDS):
                    try:
                        await _run_steps(store, steps, latest)
                    finally:
                        await store._release_upgrade_lock(token)
                    continue
            waiting_for = "another Kinboard process to upgrade the data"
        except Unavailable as error:
            if not wait_for_store:
                raise
            waiting_for = f"the store ({error.message})"
        if time.monotonic() > deadline:
            raise Unavailable("Kinboard gave up waiting for {what}.", what=waiting_for)
        await asyncio.sleep(POLL_SECONDS)


async def _run_steps(store: UpgradableStore, steps: tuple[Step, ...], latest: int) -> None:
    """Under the lock: from the version stored now (another process may have moved it)."""
    version = await store._read_version() or 1
    _refuse_newer(version, latest)
    for step in steps:
        if step.to <= version:
            continue
        await step.run(store)
        await store._write_version(step.to)
        log.info(
            "Kinboard upgraded its data from version %d to %d: %s", version, step.to, step.what
        )
        version = step.to


def _refuse_newer(version: int, latest: int) -> None:
    if version > latest:
        raise NewerData(
            "This data was written by a newer release of Kinboard (data version {version}; "
            "this release knows versions up to {latest}). Start that release or a newer one, "
            "or restore the backup made before the upgrade.",
            version=version,
            latest=latest,
        )
