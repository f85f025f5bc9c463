"""The forms of REDIS_URL: one Redis (`redis://`, `rediss://`, `unix://`), or the master
that Redis Sentinel names (`redis+sentinel://`, as python-socketio reads it)."""

from __future__ import annotations

from typing import Any

from socketio.redis_manager import parse_redis_sentinel_url

PLAIN_SCHEMES = ("redis", "rediss", "unix")
SENTINEL_SCHEMES = ("redis+sentinel",)


def sentinel_parts(url: str) -> tuple[list[tuple[str, int]], str, dict[str, Any]]:
    """`redis+sentinel://[:password]@host:port,host:port/<db>/<service>`: the sentinels'
    addresses, the service (master) name, and the master's password and db. ValueError
    when a part is missing or malformed."""
    sentinels, service, credentials = parse_redis_sentinel_url(url)
    if not service:
        raise ValueError("no service name (the master's name in the sentinels' configuration)")
    return sentinels, service, credentials
