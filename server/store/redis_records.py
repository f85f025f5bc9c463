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
            rows = await self._get_each(r, [self._record_key(kind, k) for k in keys])
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
