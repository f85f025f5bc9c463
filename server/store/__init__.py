"""Persistence behind a few small role interfaces (`roles.py`), chosen by one setting."""

from __future__ import annotations

from ..settings import Settings
from .records import Commit, Link, OpRecord, Presence, Session
from .roles import Store, Update

__all__ = ["Commit", "Link", "OpRecord", "Presence", "Session", "Store", "Update", "store_for"]


def store_for(settings: Settings) -> Store:
    """Redis when REDIS_URL is set, else the embedded SQLite file under the data dir."""
    if settings.redis_url:
        from .redis import RedisStore

        return RedisStore(
            settings.redis_url,
            settings.redis_prefix,
            pool_size=settings.redis_pool,
            wait_replicas=settings.redis_wait_replicas,
        )
    from .sqlite import SQLiteStore

    return SQLiteStore(settings.data_dir / "kinboard.sqlite3")
