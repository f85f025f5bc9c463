"""The forms of REDIS_URL: one Redis (`redis://`, `rediss://`, `unix://`), the master
that Redis Sentinel names (`redis+sentinel://`, as python-socketio reads it), or a Redis
Cluster (`redis+cluster://`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from socketio.redis_manager import parse_redis_sentinel_url

PLAIN_SCHEMES = ("redis", "rediss", "unix")
SENTINEL_SCHEMES = ("redis+sentinel",)
CLUSTER_SCHEMES = ("redis+cluster",)


def scheme_of(url: str) -> str:
    return urlsplit(url).scheme


def sentinel_parts(url: str) -> tuple[list[tuple[str, int]], str, dict[str, Any]]:
    """`redis+sentinel://[:password]@host:port,host:port/<db>/<service>`: the sentinels'
    addresses, the service (master) name, and the master's password and db. ValueError
    when a part is missing or malformed."""
    sentinels, service, credentials = parse_redis_sentinel_url(url)
    if not service:
        raise ValueError("no service name (the master's name in the sentinels' configuration)")
    return sentinels, service, credentials


def cluster_parts(url: str) -> tuple[list[tuple[str, int]], dict[str, Any]]:
    """`redis+cluster://[:password]@host:port,host:port`: some of the cluster's nodes (the
    client learns the others from them), and the password. ValueError when malformed."""
    parts = urlsplit(url)
    credentials, _, hosts = parts.netloc.rpartition("@")
    if parts.path not in ("", "/", "/0") or parts.query:
        raise ValueError("a cluster has one database, 0, and takes no options")
    nodes = []
    for node in hosts.split(","):
        host, _, port = node.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"{node!r} is not host:port")
        nodes.append((host, int(port)))
    user, _, password = credentials.partition(":")
    found = {"username": user, "password": password}
    return nodes, {k: v for k, v in found.items() if v}


def node_urls(url: str) -> list[str]:
    """A `redis+cluster://` URL as one `redis://` URL per node it names."""
    nodes, credentials = cluster_parts(url)
    user, password = credentials.get("username", ""), credentials.get("password", "")
    auth = f"{user}:{password}@" if user or password else ""
    return [f"redis://{auth}{host}:{port}/0" for host, port in nodes]
