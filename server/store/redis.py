"""The Redis store: shared by several Kinboard workers.

Every key of one meeting carries the hash tag `{meeting_id}`, so a meeting lives in one
slot and the store also runs on Redis Cluster. A commit is one Lua script: it checks the
op key and the seq, then writes the changed entity records, the op log entry and the op
key together. Cost per op is the changed entities plus the log entry, never the board.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from .. import fastjson
from ..board import codec, storage
from ..board.errors import NotFound, Unavailable
from ..board.model import Board, Meeting
from .activity_notes import ActivityNotes
from .board_log import LOG_LIMIT, SharedBoardLog, activity_time
from .migrations import NewerData, upgrade
from .records import (
    CommitResult,
    Link,
    OpRecord,
    OpWrite,
    Session,
)
from .redis_connection import TIMEOUT, UPGRADING, RedisConnection
from .redis_families import RedisFamilies
from .redis_presence import RedisPresence
from .redis_records import RedisRecords
from .roles import Store

log = logging.getLogger("kinboard.store")

# Keys that one of them exists in any Redis an older release wrote to (its meetings, or
# its staff records), under the prefix.
_DATA_KEYS = ("meetings", "recs:staff", "recs:setup", "recs:meeting_staff", "recs:staff_session")

# Expired sessions are kept a day longer, so that "expired" can be told from "unknown".
SESSION_GRACE = 86400


class RedisStore(SharedBoardLog, RedisFamilies, RedisPresence, RedisRecords, Store):
    def __init__(
        self,
        url: str,
        prefix: str = "kb",
        log_limit: int = LOG_LIMIT,
        pool_size: int = 50,
        wait_replicas: int = 0,
    ) -> None:
        SharedBoardLog.__init__(self, log_limit)
        RedisConnection.__init__(self, url, prefix, pool_size, wait_replicas)
        self._activity = ActivityNotes()

    async def open(self) -> None:
        """Take the worker's lease, waiting a moment for it (without it, the sockets this
        worker accepts first would not count); redis-py connects on first use (and again
        after Redis restarts)."""
        self._lease = asyncio.create_task(self._hold_lease())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._leased.wait(), TIMEOUT)
        try:
            await self._upgrade(wait_for_store=False)
        except Unavailable:
            # Redis is not there yet: the worker starts all the same (/readyz says why) and
            # upgrades the data once Redis answers; until then every call is refused.
            self._upgrading = asyncio.create_task(self._upgrade_when_it_answers())
        except BaseException:
            await self.close()
            raise

    async def _upgrade(self, wait_for_store: bool) -> None:
        upgrading = UPGRADING.set(True)
        try:
            await upgrade(self, wait_for_store=wait_for_store)
        finally:
            UPGRADING.reset(upgrading)
        self._ready = True

    async def _upgrade_when_it_answers(self) -> None:
        while not self._ready and not self._closing:
            try:
                await self._upgrade(wait_for_store=True)
            except NewerData as error:
                log.error("%s", error.message)  # never ready: every call stays refused
                return
            except Unavailable:
                continue  # `upgrade` waited a while already; Redis may come later still

    async def close(self) -> None:
        self._closing = True
        if self._upgrading is not None:
            self._upgrading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._upgrading
        if self._lease is not None:
            self._lease.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lease
        await self._redis.aclose()

    # --- the data's version (migrations.py) ---

    async def _read_version(self) -> int | None:
        async with self._redis_call() as r:
            raw = await r.get(f"{self.prefix}:schema")
        return None if raw is None else int(raw)

    async def _holds_data(self) -> bool:
        async with self._redis_call() as r:
            return bool(await r.exists(*(f"{self.prefix}:{name}" for name in _DATA_KEYS)))

    async def _write_version(self, version: int) -> None:
        async with self._redis_call() as r:
            await r.set(f"{self.prefix}:schema", str(version))

    async def _try_upgrade_lock(self, token: str, seconds: float) -> bool:
        async with self._redis_call() as r:
            key = f"{self.prefix}:schema:lock"
            return bool(await r.set(key, token, nx=True, px=int(seconds * 1000)))

    async def _release_upgrade_lock(self, token: str) -> None:
        async with self._redis_call():
            await self._release_script(keys=[f"{self.prefix}:schema:lock"], args=[token])

    # --- boards ---

    async def _create(self, meeting_id: str, records: Mapping[str, str]) -> bool:
        args: list[str] = []
        for key, value in records.items():
            args += [key, value]
        keys = [self._key(meeting_id, "seq"), self._key(meeting_id, "records")]
        async with self._redis_call() as r:
            if not await self._create_script(keys=keys, args=args):
                return False
            await r.sadd(f"{self.prefix}:meetings", meeting_id)
        return True

    async def _read_seq(self, meeting_id: str) -> int | None:
        async with self._redis_call() as r:
            raw = await r.get(self._key(meeting_id, "seq"))
        return None if raw is None else int(raw)

    async def _read_board(self, meeting_id: str) -> tuple[Board, int]:
        async with self._redis_call() as r, r.pipeline(transaction=True) as pipe:
            pipe.get(self._key(meeting_id, "seq"))
            pipe.hgetall(self._key(meeting_id, "records"))
            pipe.hgetall(self._key(meeting_id, "secrets"))
            seq, records, secrets = await pipe.execute()
        if seq is None:
            raise NotFound("There is no such meeting.")
        return storage.board_from_records(records, secrets), int(seq)

    async def _read_secrets(self, meeting_id: str) -> dict[str, str]:
        async with self._redis_call() as r:
            return cast(dict[str, str], await r.hgetall(self._key(meeting_id, "secrets")))

    async def _read_log(self, meeting_id: str, since: int) -> list[OpRecord]:
        async with self._redis_call() as r:
            rows = cast(
                list[str], await r.zrangebyscore(self._key(meeting_id, "log"), f"({since}", "+inf")
            )
        return [OpRecord.from_json(fastjson.loads(row)) for row in rows]

    async def _find_op(self, meeting_id: str, op_key: str) -> int | None:
        key = self._key(meeting_id, "opkeys")
        if self.replicas.wanted:  # found, it is acknowledged: once a replica has it too
            raw = await self._replicated(
                self._find_op_script, [key], [op_key], lambda found: found is not None
            )
        else:
            async with self._redis_call() as r:
                raw = await r.hget(key, op_key)
        return None if raw is None else int(raw)

    async def _commit(self, write: OpWrite) -> tuple[CommitResult, int]:
        names = ("seq", "records", "log", "opkeys", "secrets", "sessions", "audit")
        keys = [self._key(write.meeting_id, name) for name in names]
        args: list[Any] = [
            str(write.expected_seq),
            write.op_key,
            str(write.record.seq),
            fastjson.dumps(write.record.to_json()),
            str(self.log_limit),
            str(len(write.records)),
            write.session_hash or "",
            fastjson.dumps(write.audit) if write.audit is not None else "",
            "1" if self.replicas.wanted else "",
        ]
        for key, value in write.records.items():
            args += [key, value]
        for key, secret in write.secrets.items():
            args += [key, secret or ""]
        settled = (CommitResult.COMMITTED.value, CommitResult.DUPLICATE.value)
        outcome, seq = await self._replicated(
            self._commit_script, keys, args, lambda result: result[0] in settled
        )
        at = activity_time(write.record.at)
        if outcome == CommitResult.COMMITTED.value and self._activity.due(write.meeting_id, at):
            # Outside the script: the index is not in the meeting's slot. Should this fail,
            # the index says older than the truth, and `Retention` checks the log itself.
            with contextlib.suppress(Unavailable):
                await self.note_activity(write.meeting_id, at)
                self._activity.noted(write.meeting_id, at)
        return CommitResult(outcome), int(seq)

    async def note_activity(self, meeting_id: str, at: float) -> None:
        async with self._redis_call() as r:
            await r.zadd(f"{self.prefix}:activity", {meeting_id: at})

    async def last_activity(self, meeting_ids: Sequence[str]) -> dict[str, float]:
        if not meeting_ids:
            return {}
        async with self._redis_call() as r:
            scores = await r.zmscore(f"{self.prefix}:activity", list(meeting_ids))
        return {mid: at for mid, at in zip(meeting_ids, scores, strict=True) if at is not None}

    async def idle_meetings(self, before: float) -> list[str]:
        async with self._redis_call() as r:
            ids = await r.zrangebyscore(f"{self.prefix}:activity", "-inf", before)
        return cast(list[str], ids)

    async def _read_meetings(self) -> list[Meeting]:
        async with self._redis_call() as r:
            ids = cast(set[str], await r.smembers(f"{self.prefix}:meetings"))
            async with r.pipeline(transaction=False) as pipe:
                for meeting_id in ids:
                    pipe.hget(self._key(meeting_id, "records"), f"meeting:{meeting_id}")
                rows = await pipe.execute()
        return [
            codec.decode_entity("meeting", fastjson.loads(row))  # type: ignore[misc]
            for row in rows
            if row is not None
        ]

    # --- links and sessions ---

    async def add_link(self, link: Link) -> None:
        data = fastjson.dumps(link.to_json())
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.set(f"{self.prefix}:link:{link.token_hash}", data)
            pipe.hset(self._key(link.meeting_id, "links"), link.token_hash, data)
            await pipe.execute()

    async def find_link(self, token_hash: str) -> Link | None:
        async with self._redis_call() as r:
            raw = await r.get(f"{self.prefix}:link:{token_hash}")
        return None if raw is None else Link.from_json(fastjson.loads(raw))

    async def meeting_links(self, meeting_id: str) -> list[Link]:
        async with self._redis_call() as r:
            rows = await r.hvals(self._key(meeting_id, "links"))
        return sorted(
            (Link.from_json(fastjson.loads(row)) for row in rows), key=lambda link: link.created_at
        )

    async def add_session(self, session: Session) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.set(
                f"{self.prefix}:session:{session.token_hash}",
                fastjson.dumps(session.to_json()),
                exat=int(session.expires_at) + SESSION_GRACE,
            )
            pipe.sadd(self._key(session.meeting_id, "sessions"), session.token_hash)
            await pipe.execute()

    async def find_session(self, token_hash: str) -> Session | None:
        async with self._redis_call() as r:
            raw = await r.get(f"{self.prefix}:session:{token_hash}")
        return None if raw is None else Session.from_json(fastjson.loads(raw))

    async def live_sessions(self, meeting_id: str, token_hashes: Collection[str]) -> set[str]:
        hashes = list(token_hashes)
        if not hashes:
            return set()
        async with self._redis_call() as r:  # the meeting's index: one key, one trip
            found = await r.smismember(self._key(meeting_id, "sessions"), hashes)
        return {token_hash for token_hash, live in zip(hashes, found, strict=True) if live}

    async def end_sessions(
        self,
        meeting_id: str,
        participant_id: str | None = None,
        link_id: str | None = None,
        keep: str | None = None,
    ) -> set[str]:
        index = self._key(meeting_id, "sessions")
        async with self._redis_call() as r:
            hashes = sorted(cast(set[str], await r.smembers(index)))
            rows = await self._get_each(r, [f"{self.prefix}:session:{h}" for h in hashes])
            ended, participants = [], set()
            for token_hash, raw in zip(hashes, rows, strict=True):
                session = None if raw is None else Session.from_json(fastjson.loads(raw))
                if session is None:
                    ended.append(token_hash)  # expired: tidy the index
                elif (
                    participant_id in (None, session.participant_id)
                    and link_id in (None, session.link_id)
                    and token_hash != keep
                ):
                    ended.append(token_hash)
                    participants.add(session.participant_id)
            if ended:
                await r.delete(*(f"{self.prefix}:session:{h}" for h in ended))
                await r.srem(index, *ended)
        return participants

    # --- audit ---

    async def append_audit(self, meeting_id: str, entry: Mapping[str, Any]) -> None:
        async with self._redis_call() as r:
            await r.rpush(self._key(meeting_id, "audit"), fastjson.dumps(entry))

    async def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        async with self._redis_call() as r:
            rows = await r.lrange(self._key(meeting_id, "audit"), 0, -1)
        return [fastjson.loads(row) for row in rows]

    async def _erase(self, meeting_id: str) -> None:
        await self.end_sessions(meeting_id)
        await self._leave_family(meeting_id)
        async with self._redis_call() as r:
            links = cast(list[str], await r.hkeys(self._key(meeting_id, "links")))
            meeting_keys = [
                key async for key in r.scan_iter(match=f"{self.prefix}:{{{meeting_id}}}:*")
            ]
            kinds = await self._record_kinds(r)
            async with r.pipeline(transaction=False) as pipe:
                for token_hash in links:
                    pipe.delete(f"{self.prefix}:link:{token_hash}")
                if meeting_keys:
                    pipe.delete(*meeting_keys)
                pipe.srem(f"{self.prefix}:meetings", meeting_id)
                pipe.zrem(f"{self.prefix}:activity", meeting_id)
                self._drop_records(pipe, kinds, meeting_id)
                await pipe.execute()
