"""The Redis store's small records and counters."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, cast

from ..board import codec
from .redis_connection import RedisConnection


class RedisRecords(RedisConnection):
    def _record_key(self, kind: str, key: str) -> str:
        return f"{self.prefix}:rec:{kind}:{key}"

    def _index_key(self, kind: str) -> str:
        """The set of the kind's keys, which `list_records` reads."""
        return f"{self.prefix}:recs:{kind}"

    async def put_record(
        self, kind: str, key: str, data: Mapping[str, Any], expires_at: float | None = None
    ) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.set(
                self._record_key(kind, key),
                codec.dumps(data),
                exat=None if expires_at is None else int(expires_at) + 1,
            )
            pipe.sadd(self._index_key(kind), key)
            await pipe.execute()

    async def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        async with self._redis_call() as r:
            raw = await r.get(self._record_key(kind, key))
        return None if raw is None else json.loads(raw)

    async def list_records(self, kind: str) -> list[dict[str, Any]]:
        async with self._redis_call() as r:
            keys = sorted(cast(set[str], await r.smembers(self._index_key(kind))))
            rows = await self._get_each(r, [self._record_key(kind, k) for k in keys])
        return [json.loads(row) for row in rows if row is not None]

    async def delete_record(self, kind: str, key: str) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.delete(self._record_key(kind, key))
            pipe.srem(self._index_key(kind), key)
            await pipe.execute()

    async def forget_expired_records(self, now: float) -> int:
        """Redis has deleted the expired records themselves (by EXAT); what stays is their
        keys in the kinds' index sets, taken out here a batch at a time."""
        forgotten = 0
        async with self._redis_call() as r:
            for kind in await self._record_kinds(r):
                index = self._index_key(kind)
                keys = [k async for k in r.sscan_iter(index, count=500)]
                for start in range(0, len(keys), 500):
                    batch = keys[start : start + 500]
                    existing = await self._existing(r, kind, batch)
                    gone = [k for k in batch if k not in existing]
                    if not gone:
                        continue
                    await r.srem(index, *gone)
                    # `put_record` sets a record before it indexes it: one written again
                    # before the SREM is seen now, and indexed again.
                    back = sorted(await self._existing(r, kind, gone))
                    if back:
                        await r.sadd(index, *back)
                    forgotten += len(gone) - len(back)
        return forgotten

    async def _record_kinds(self, r: Any) -> list[str]:
        """Every kind of record there is (each has its index set)."""
        return [k.rsplit(":", 1)[-1] async for k in r.scan_iter(match=self._index_key("*"))]

    def _drop_records(self, pipe: Any, kinds: list[str], key: str) -> None:
        """Queue the deletion of `key`'s record of every kind, with its index entries: the
        records keyed by a meeting's id go with the meeting, a family's with the family."""
        for kind in kinds:
            pipe.delete(self._record_key(kind, key))
            pipe.srem(self._index_key(kind), key)

    async def _existing(self, r: Any, kind: str, keys: list[str]) -> set[str]:
        """Those of `keys` whose record of the kind still exists, in one round trip."""
        async with r.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.exists(self._record_key(kind, key))
            found = await pipe.execute()
        return {key for key, n in zip(keys, found, strict=True) if n}

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
