"""The Redis store: shared by several Kinboard workers.

Every key of one meeting carries the hash tag `{meeting_id}`, so a meeting lives in one
slot and the store also runs on Redis Cluster. A commit is one Lua script: it checks the
op key and the seq, then writes the changed entity records, the op log entry and the op
key together. Cost per op is the changed entities plus the log entry, never the board.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import secrets
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, cast

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..board import codec, storage
from ..board.errors import NotFound, StoreFailed, Unavailable, UnknownOutcome
from ..board.model import Board, Meeting
from .board_log import LOG_LIMIT, SharedBoardLog, activity_time
from .migrations import NewerData, upgrade
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

log = logging.getLogger("kinboard.store")
# Set while this task upgrades the data: its calls go through before the store is ready.
_UPGRADING: ContextVar[bool] = ContextVar("kinboard_upgrading", default=False)

# KEYS: seq, records, log, opkeys, secrets, sessions, audit.  ARGV: expected seq, op key,
# new seq, log entry, log limit, n, session hash (or ''), audit entry (or ''), then n
# field/value pairs of records, then field/value pairs of secrets ('' deletes the field).
_COMMIT = """
local first = redis.call('HGET', KEYS[4], ARGV[2])
if first then return {'duplicate', first} end
if ARGV[7] ~= '' and redis.call('SISMEMBER', KEYS[6], ARGV[7]) == 0 then
  return {'session_ended', '0'}
end
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then return {'conflict', '0'} end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[5]))
local last = 8 + 2 * tonumber(ARGV[6])
for i = 9, last, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = last + 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[5], ARGV[i])
  else redis.call('HSET', KEYS[5], ARGV[i], ARGV[i + 1]) end
end
if ARGV[8] ~= '' then redis.call('RPUSH', KEYS[7], ARGV[8]) end
return {'committed', ARGV[3]}
"""

# KEYS: seq, records.  ARGV: field/value pairs.  Never overwrites an existing meeting.
_CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('SET', KEYS[1], '0')
return 1
"""

# A counter: a hash of its value and the end of its window (the caller's clock); Redis
# forgets it a while after the window ends.
_COUNT = """
local ends = tonumber(redis.call('HGET', KEYS[1], 'until'))
if not ends or ends <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'until', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
local value = redis.call('HINCRBY', KEYS[1], 'value', ARGV[1])
if value < 0 then
  redis.call('HSET', KEYS[1], 'value', 0)
  value = 0
end
return value
"""

# KEYS: a family's meetings hash.  ARGV: meeting id, its entry, the entry's seq.  An entry
# taken at an earlier seq than the kept one changes nothing (workers may finish out of order).
_PUT_FAMILY_MEETING = """
local kept = redis.call('HGET', KEYS[1], ARGV[1])
if kept and cjson.decode(kept)['seq'] > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# KEYS: a staff member's families (sorted by activity).  ARGV: family id, activity.
_LIST_FAMILY = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return 1
"""

# KEYS: the upgrade lock.  ARGV: the holder's token.  Only its holder lets it go.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""

# Keys that one of them exists in any Redis an older release wrote to (its meetings, or
# its staff records), under the prefix.
_DATA_KEYS = ("meetings", "recs:staff", "recs:setup", "recs:meeting_staff", "recs:staff_session")

# Expired sessions are kept a day longer, so that "expired" can be told from "unknown".
SESSION_GRACE = 86400

# Seconds to wait for Redis (with one quick retry, for a connection that went stale when
# Redis restarted) before an op is refused as `unavailable` rather than left hanging.
TIMEOUT = 0.9
# Seconds a command waits for a free connection of a full pool before it is refused
# `unavailable`: a burst (hundreds of sockets connecting or closing at once) queues
# briefly instead of failing with redis-py's "Too many connections".
POOL_WAIT = 2.0
# Seconds between tries to hold the worker's lease again after losing Redis.
LEASE_RETRY = 0.5


def connection_pool(url: str, size: int, **options: Any) -> aioredis.BlockingConnectionPool:
    """At most `size` connections to Redis; a command waits up to POOL_WAIT for one."""
    return aioredis.BlockingConnectionPool.from_url(
        url, max_connections=size, timeout=POOL_WAIT, **options
    )


class RedisStore(SharedBoardLog, Store):
    def __init__(
        self, url: str, prefix: str = "kb", log_limit: int = LOG_LIMIT, pool_size: int = 50
    ) -> None:
        super().__init__(log_limit)
        self.url = url
        self.prefix = prefix
        # Every reply is decoded to str, though redis-py types replies bytes | str: hence
        # the casts where a reply is read.
        self._redis = aioredis.Redis.from_pool(
            connection_pool(
                url,
                pool_size,
                decode_responses=True,
                socket_timeout=TIMEOUT,
                socket_connect_timeout=TIMEOUT,
                retry=Retry(NoBackoff(), retries=1),
                health_check_interval=15,
            )
        )
        self._commit_script = self._redis.register_script(_COMMIT)
        self._create_script = self._redis.register_script(_CREATE)
        self._count_script = self._redis.register_script(_COUNT)
        self._release_script = self._redis.register_script(_RELEASE)
        # This worker's presence entries name it. It is alive while its lease (a pub/sub
        # subscription of its own) stands: Redis drops that the moment the worker's process
        # dies, SIGKILL included, so a dead worker's sockets stop counting against the
        # limit per person at once rather than when their entries expire.
        self.worker_id = secrets.token_hex(8)
        self._lease: asyncio.Task[None] | None = None
        self._leased = asyncio.Event()
        self._failing: str | None = None  # the failure last logged, while it goes on
        # While the data waits for its upgrade (Redis not there at open), only the upgrade
        # may use the store.
        self._ready = False
        self._upgrading: asyncio.Task[None] | None = None
        self._put_family_meeting_script = self._redis.register_script(_PUT_FAMILY_MEETING)
        self._list_family_script = self._redis.register_script(_LIST_FAMILY)

    def _key(self, meeting_id: str, name: str) -> str:
        return f"{self.prefix}:{{{meeting_id}}}:{name}"

    def _lease_channel(self, worker_id: str) -> str:
        return f"{self.prefix}:worker:{worker_id}"

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
        upgrading = _UPGRADING.set(True)
        try:
            await upgrade(self, wait_for_store=wait_for_store)
        finally:
            _UPGRADING.reset(upgrading)
        self._ready = True

    async def _upgrade_when_it_answers(self) -> None:
        while not self._ready:
            try:
                await self._upgrade(wait_for_store=True)
            except NewerData as error:
                log.error("%s", error.message)  # never ready: every call stays refused
                return
            except Unavailable:
                continue  # `upgrade` waited a while already; Redis may come later still

    async def close(self) -> None:
        if self._upgrading is not None:
            self._upgrading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._upgrading
        if self._lease is not None:
            self._lease.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lease
        await self._redis.aclose()

    async def _hold_lease(self) -> None:
        """Stay subscribed to this worker's own channel (nothing is ever sent on it),
        subscribing again whenever the connection is lost."""
        while True:
            client = aioredis.Redis.from_url(
                self.url, socket_connect_timeout=TIMEOUT, health_check_interval=5
            )
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self._lease_channel(self.worker_id))
                    self._leased.set()
                    while True:
                        await pubsub.get_message(timeout=5.0)
            except (RedisError, OSError):
                pass
            finally:
                await client.aclose()
            await asyncio.sleep(LEASE_RETRY)

    @asynccontextmanager
    async def _redis_call(self, sent: bool = False) -> AsyncIterator[aioredis.Redis]:
        """Redis not answering is `unavailable`, but with `sent` (a commit already on its
        way) `unknown_outcome`: it may have been applied. Redis answering with an error is
        `unavailable` too (StoreFailed)."""
        if self._upgrading is not None and not self._ready and not _UPGRADING.get():
            raise Unavailable("The store does not answer. Please try again shortly.")
        try:
            yield self._redis
        except (RedisError, OSError) as error:
            # The detail names Redis's address: for the log, never for the people asking.
            # Logged once while the same failure goes on.
            if str(error) != self._failing:
                self._failing = str(error)
                log.warning("Redis does not answer: %s", error)
            if not isinstance(error, RedisConnectionError | RedisTimeoutError | OSError):
                # Redis answered, refusing (out of memory under `noeviction`, read-only).
                raise StoreFailed("The store cannot save changes just now.") from error
            if sent:
                raise UnknownOutcome(
                    "No answer came from the store: this change may have been saved. "
                    "Sending it again."
                ) from error
            raise Unavailable("The store does not answer. Please try again shortly.") from error
        self._failing = None

    async def ping(self) -> None:
        async with self._redis_call() as r:
            await r.ping()

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
        return [OpRecord.from_json(json.loads(row)) for row in rows]

    async def _find_op(self, meeting_id: str, op_key: str) -> int | None:
        async with self._redis_call() as r:
            raw = await r.hget(self._key(meeting_id, "opkeys"), op_key)
        return None if raw is None else int(raw)

    async def _commit(self, write: OpWrite) -> tuple[CommitResult, int]:
        names = ("seq", "records", "log", "opkeys", "secrets", "sessions", "audit")
        keys = [self._key(write.meeting_id, name) for name in names]
        args: list[Any] = [
            str(write.expected_seq),
            write.op_key,
            str(write.record.seq),
            codec.dumps(write.record.to_json()),
            str(self.log_limit),
            str(len(write.records)),
            write.session_hash or "",
            codec.dumps(write.audit) if write.audit is not None else "",
        ]
        for key, value in write.records.items():
            args += [key, value]
        for key, secret in write.secrets.items():
            args += [key, secret or ""]
        # The commit gets a connection of its own first: failing to (Redis away), it was
        # never sent, and is `unavailable`. Failing once it was sent, nobody knows whether
        # Redis ran it (a restart, a stall): `unknown_outcome`, and the resend with the
        # same op key finds out.
        async with self._redis_call():
            client = await aioredis.Redis(
                connection_pool=self._redis.connection_pool, single_connection_client=True
            ).initialize()
        try:
            async with self._redis_call(sent=True):
                outcome, seq = await self._commit_script(keys=keys, args=args, client=client)
        finally:
            await client.aclose()
        if outcome == CommitResult.COMMITTED.value:
            # Outside the script: the index is not in the meeting's slot. Should this fail,
            # the index says older than the truth, and `Retention` checks the log itself.
            with contextlib.suppress(Unavailable):
                await self.note_activity(write.meeting_id, activity_time(write.record.at))
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
            codec.decode_entity("meeting", json.loads(row))  # type: ignore[misc]
            for row in rows
            if row is not None
        ]

    # --- links and sessions ---

    async def add_link(self, link: Link) -> None:
        data = codec.dumps(link.to_json())
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.set(f"{self.prefix}:link:{link.token_hash}", data)
            pipe.hset(self._key(link.meeting_id, "links"), link.token_hash, data)
            await pipe.execute()

    async def find_link(self, token_hash: str) -> Link | None:
        async with self._redis_call() as r:
            raw = await r.get(f"{self.prefix}:link:{token_hash}")
        return None if raw is None else Link.from_json(json.loads(raw))

    async def meeting_links(self, meeting_id: str) -> list[Link]:
        async with self._redis_call() as r:
            rows = await r.hvals(self._key(meeting_id, "links"))
        return sorted(
            (Link.from_json(json.loads(row)) for row in rows), key=lambda link: link.created_at
        )

    async def add_session(self, session: Session) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.set(
                f"{self.prefix}:session:{session.token_hash}",
                codec.dumps(session.to_json()),
                exat=int(session.expires_at) + SESSION_GRACE,
            )
            pipe.sadd(self._key(session.meeting_id, "sessions"), session.token_hash)
            await pipe.execute()

    async def find_session(self, token_hash: str) -> Session | None:
        async with self._redis_call() as r:
            raw = await r.get(f"{self.prefix}:session:{token_hash}")
        return None if raw is None else Session.from_json(json.loads(raw))

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
            rows = await r.mget([f"{self.prefix}:session:{h}" for h in hashes]) if hashes else []
            ended, participants = [], set()
            for token_hash, raw in zip(hashes, rows, strict=True):
                session = None if raw is None else Session.from_json(json.loads(raw))
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

    # --- small records ---

    def _record_key(self, kind: str, key: str) -> str:
        return f"{self.prefix}:rec:{kind}:{key}"

    async def put_record(
        self, kind: str, key: str, data: Mapping[str, Any], expires_at: float | None = None
    ) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.set(
                self._record_key(kind, key),
                codec.dumps(data),
                exat=None if expires_at is None else int(expires_at) + 1,
            )
            pipe.sadd(f"{self.prefix}:recs:{kind}", key)
            await pipe.execute()

    async def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        async with self._redis_call() as r:
            raw = await r.get(self._record_key(kind, key))
        return None if raw is None else json.loads(raw)

    async def list_records(self, kind: str) -> list[dict[str, Any]]:
        async with self._redis_call() as r:
            keys = sorted(cast(set[str], await r.smembers(f"{self.prefix}:recs:{kind}")))
            rows = await r.mget([self._record_key(kind, k) for k in keys]) if keys else []
        return [json.loads(row) for row in rows if row is not None]

    async def delete_record(self, kind: str, key: str) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.delete(self._record_key(kind, key))
            pipe.srem(f"{self.prefix}:recs:{kind}", key)
            await pipe.execute()

    # --- counters ---

    def _counter_key(self, kind: str, key: str) -> str:
        return f"{self.prefix}:counter:{kind}:{key}"

    async def add_to_counter(
        self, kind: str, key: str, amount: int, now: float, until: float
    ) -> int:
        forget_after = math.ceil((until - now) * 1000) + 60_000
        async with self._redis_call():
            value = await self._count_script(
                keys=[self._counter_key(kind, key)],
                args=[amount, repr(now), repr(until), forget_after],
            )
        return int(value)

    async def reset_counter(self, kind: str, key: str) -> None:
        async with self._redis_call() as r:
            await r.delete(self._counter_key(kind, key))

    # --- audit ---

    async def append_audit(self, meeting_id: str, entry: Mapping[str, Any]) -> None:
        async with self._redis_call() as r:
            await r.rpush(self._key(meeting_id, "audit"), codec.dumps(entry))

    async def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        async with self._redis_call() as r:
            rows = await r.lrange(self._key(meeting_id, "audit"), 0, -1)
        return [json.loads(row) for row in rows]

    async def _erase(self, meeting_id: str) -> None:
        await self.end_sessions(meeting_id)
        await self._leave_family(meeting_id)
        async with self._redis_call() as r:
            links = cast(list[str], await r.hkeys(self._key(meeting_id, "links")))
            meeting_keys = [
                key async for key in r.scan_iter(match=f"{self.prefix}:{{{meeting_id}}}:*")
            ]
            kinds = [k.rsplit(":", 1)[-1] async for k in r.scan_iter(match=f"{self.prefix}:recs:*")]
            async with r.pipeline(transaction=False) as pipe:
                for token_hash in links:
                    pipe.delete(f"{self.prefix}:link:{token_hash}")
                if meeting_keys:
                    pipe.delete(*meeting_keys)
                pipe.srem(f"{self.prefix}:meetings", meeting_id)
                pipe.zrem(f"{self.prefix}:activity", meeting_id)
                for kind in kinds:
                    pipe.delete(self._record_key(kind, meeting_id))
                    pipe.srem(f"{self.prefix}:recs:{kind}", meeting_id)
                await pipe.execute()

    # --- families: each family's keys share its hash tag, as each staff member's do ---

    def _staff_key(self, email: str, name: str) -> str:
        return f"{self.prefix}:{{staff:{email}}}:{name}"

    def _case_key(self, case_ref: str) -> str:
        return f"{self.prefix}:family_case:{case_ref}"

    def _same_key(self, owner: str, fingerprint: str) -> str:
        return f"{self.prefix}:family_same:{owner}:{fingerprint}"

    async def add_family(self, family: Family, fingerprint: str | None) -> str | None:
        async with self._redis_call() as r:
            # Each claim is one SET NX, so two families made at once cannot both have it.
            if family.case_ref is not None and not await r.set(
                self._case_key(family.case_ref), family.id, nx=True
            ):
                return "case_ref"
            if fingerprint is not None and not await r.set(
                self._same_key(family.owner, fingerprint), family.id, nx=True
            ):
                if family.case_ref is not None:
                    await r.delete(self._case_key(family.case_ref))
                return "fingerprint"
            data = {**family.to_json(), "fingerprint": fingerprint}
            await r.set(self._key(family.id, "family"), codec.dumps(data))
        return None

    async def family(self, family_id: str) -> Family | None:
        async with self._redis_call() as r:
            raw = cast(str | None, await r.get(self._key(family_id, "family")))
        return None if raw is None else _family(raw)

    async def family_by_case_ref(self, case_ref: str) -> Family | None:
        async with self._redis_call() as r:
            family_id = cast(str | None, await r.get(self._case_key(case_ref)))
        return None if family_id is None else await self.family(family_id)

    async def put_family_meeting(self, family_id: str, meeting: FamilyMeeting) -> None:
        async with self._redis_call() as r:
            await self._put_family_meeting_script(
                keys=[self._key(family_id, "meetings")],
                args=[meeting.meeting_id, codec.dumps(meeting.to_json()), meeting.seq],
            )
            await r.set(self._key(meeting.meeting_id, "family"), family_id)

    async def meeting_family(self, meeting_id: str) -> str | None:
        async with self._redis_call() as r:
            return cast(str | None, await r.get(self._key(meeting_id, "family")))

    async def family_meetings(self, family_ids: list[str]) -> dict[str, list[FamilyMeeting]]:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            for family_id in family_ids:
                pipe.hvals(self._key(family_id, "meetings"))
            rows = await pipe.execute()
        return {
            family_id: sorted(
                (FamilyMeeting.from_json(json.loads(row)) for row in chain),
                key=lambda m: (m.created_at, m.meeting_id),
            )
            for family_id, chain in zip(family_ids, rows, strict=True)
        }

    async def list_family_for(self, email: str, family_id: str, active: float) -> None:
        family = await self.family(family_id)
        if family is None:
            return
        async with self._redis_call() as r:
            await self._list_family_script(
                keys=[self._staff_key(email, "families")], args=[family_id, repr(active)]
            )
            async with r.pipeline(transaction=False) as pipe:
                pipe.hset(self._staff_key(email, "search"), family_id, family.search_text)
                pipe.sadd(self._key(family_id, "staff"), email)
                await pipe.execute()

    async def unlist_family_for(self, email: str, family_id: str) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.zrem(self._staff_key(email, "families"), family_id)
            pipe.hdel(self._staff_key(email, "search"), family_id)
            pipe.srem(self._key(family_id, "staff"), email)
            await pipe.execute()

    async def lists_family(self, email: str, family_id: str) -> bool:
        async with self._redis_call() as r:
            return await r.zscore(self._staff_key(email, "families"), family_id) is not None

    async def staff_families(self, email: str, search: str, offset: int, limit: int) -> FamilyPage:
        index = self._staff_key(email, "families")
        async with self._redis_call() as r:
            if search:
                texts = cast(dict[str, str], await r.hgetall(self._staff_key(email, "search")))
                ordered = cast(list[str], await r.zrevrange(index, 0, -1))
                matching = [f for f in ordered if search in texts.get(f, "")]
                total, ids = len(matching), matching[offset : offset + limit]
            else:
                total = await r.zcard(index)
                ids = cast(list[str], await r.zrevrange(index, offset, offset + limit - 1))
            async with r.pipeline(transaction=False) as pipe:
                for family_id in ids:
                    pipe.get(self._key(family_id, "family"))
                rows = await pipe.execute()
        return FamilyPage(tuple(_family(row) for row in rows if row is not None), total)

    async def _leave_family(self, meeting_id: str) -> None:
        """Take an erased meeting out of its family; a family left with none goes too."""
        family_id = await self.meeting_family(meeting_id)
        if family_id is None:
            return
        async with self._redis_call() as r:
            await r.hdel(self._key(family_id, "meetings"), meeting_id)
            if await r.hlen(self._key(family_id, "meetings")):
                return
            raw = await r.get(self._key(family_id, "family"))
            staff = cast(set[str], await r.smembers(self._key(family_id, "staff")))
            async with r.pipeline(transaction=False) as pipe:
                for email in staff:
                    pipe.zrem(self._staff_key(email, "families"), family_id)
                    pipe.hdel(self._staff_key(email, "search"), family_id)
                if raw is not None:
                    data = json.loads(raw)
                    if data.get("case_ref") is not None:
                        pipe.delete(self._case_key(data["case_ref"]))
                    if data.get("fingerprint") is not None:
                        pipe.delete(self._same_key(data["owner"], data["fingerprint"]))
                pipe.delete(
                    *(self._key(family_id, name) for name in ("family", "meetings", "staff"))
                )
                await pipe.execute()

    # --- presence ---

    async def presence_put(
        self, meeting_id: str, socket_id: str, entry: Presence, expires_at: float
    ) -> None:
        data = {
            "participant_id": entry.participant_id,
            "editing": entry.editing,
            "expires_at": expires_at,
            "worker": self.worker_id,
        }
        async with self._redis_call() as r:
            await r.hset(self._key(meeting_id, "presence"), socket_id, codec.dumps(data))

    async def presence_drop(self, meeting_id: str, socket_id: str) -> None:
        async with self._redis_call() as r:
            await r.hdel(self._key(meeting_id, "presence"), socket_id)

    async def presence_sockets(self, meeting_id: str, now: float) -> dict[str, Presence]:
        key = self._key(meeting_id, "presence")
        async with self._redis_call() as r:
            found = cast(dict[str, str], await r.hgetall(key))
            rows = {socket_id: json.loads(raw) for socket_id, raw in found.items()}
            # (An entry of a worker from before leases names none: it just expires.)
            gone = await self._gone_workers({data.get("worker", "") for data in rows.values()})
            # A gone worker's entries are left out but deleted only when they expire: after a
            # Redis restart a live worker's lease takes a moment to come back.
            live, expired = {}, []
            for socket_id, data in rows.items():
                if data["expires_at"] <= now:
                    expired.append(socket_id)
                elif data.get("worker") not in gone:
                    live[socket_id] = Presence(data["participant_id"], data["editing"])
            if expired:
                await r.hdel(key, *expired)
        return live

    async def _gone_workers(self, workers: set[str]) -> set[str]:
        """Those of these workers whose lease no longer stands (never this one: it is
        alive, even while it is subscribing again)."""
        others = sorted(workers - {self.worker_id, ""})
        if not others:
            return set()
        counts = await self._redis.pubsub_numsub(*(self._lease_channel(w) for w in others))
        return {w for w, (_, count) in zip(others, counts, strict=True) if count == 0}


def _family(raw: str) -> Family:
    data = json.loads(raw)
    data.pop("fingerprint", None)
    return Family.from_json(data)
