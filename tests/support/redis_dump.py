"""Every key under a Redis prefix as JSON (type, value, expiry), and back under another
prefix: how the upgrade fixture keeps a Redis written by an older release."""

from __future__ import annotations

from typing import Any

import redis


def dump(client: redis.Redis, prefix: str) -> list[dict[str, Any]]:
    """The keys under `prefix:`, named without it, sorted; `expire_at_ms` is absolute."""
    keys = []
    for key in sorted(client.scan_iter(match=f"{prefix}:*")):
        kind = client.type(key)
        if kind == "string":
            value: Any = client.get(key)
        elif kind == "hash":
            value = dict(sorted(client.hgetall(key).items()))
        elif kind == "set":
            value = sorted(client.smembers(key))
        elif kind == "zset":
            value = [
                [member, score] for member, score in client.zrange(key, 0, -1, withscores=True)
            ]
        elif kind == "list":
            value = client.lrange(key, 0, -1)
        else:
            raise ValueError(f"{key} is a {kind}: the dump knows no such type")
        expires = client.pexpiretime(key)
        keys.append(
            {
                "key": key.removeprefix(f"{prefix}:"),
                "type": kind,
                "value": value,
                "expire_at_ms": expires if expires > 0 else None,
            }
        )
    return keys


def load(client: redis.Redis, keys: list[dict[str, Any]], prefix: str) -> None:
    """Write a dump's keys under `prefix:`; a key whose time is up is left out, as Redis
    would have dropped it by now."""
    with client.pipeline(transaction=True) as pipe:
        for entry in keys:
            key, value = f"{prefix}:{entry['key']}", entry["value"]
            pipe.delete(key)
            if entry["type"] == "string":
                pipe.set(key, value)
            elif entry["type"] == "hash":
                pipe.hset(key, mapping=value)
            elif entry["type"] == "set":
                pipe.sadd(key, *value)
            elif entry["type"] == "zset":
                pipe.zadd(key, {member: score for member, score in value})
            else:
                pipe.rpush(key, *value)
            if entry["expire_at_ms"] is not None:
                pipe.pexpireat(key, entry["expire_at_ms"])
        pipe.execute()
