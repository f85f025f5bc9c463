"""One store suite, both backends: how a test opens a store on SQLite or on Redis (one
Redis, or a Redis Cluster)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from server.store import Store
from server.store.board_log import LOG_LIMIT
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore

from .services import REDIS_URL


@dataclass(frozen=True)
class Backend:
    kind: str
    path: Path | None = None
    prefix: str | None = None
    url: str = REDIS_URL  # a Redis Cluster's, for the "cluster" case

    def new_store(self, log_limit: int = LOG_LIMIT) -> Store:
        if self.kind == "sqlite":
            assert self.path is not None
            return SQLiteStore(self.path, log_limit=log_limit)
        assert self.prefix is not None
        return RedisStore(self.url, prefix=self.prefix, log_limit=log_limit)


OpenStore = Callable[..., Awaitable[Store]]
