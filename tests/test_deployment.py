"""The deployment files say what docs/operations.md promises: Redis that neither loses nor
evicts acknowledged changes and has a password, two workers sharing it and one secret key,
health checks on every service, and nginx in front with WebSocket upgrade and sticky routing.
"""

from __future__ import annotations

import re
import shlex
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from .harness import ROOT

COMPOSE = ROOT / "docker-compose.yml"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
DOCKERFILE = ROOT / "Dockerfile"
# Socket.IO pings every 10 s (server/realtime.py); nginx must not cut a socket between pings.
PING_INTERVAL = 10


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load(COMPOSE.read_text())
    return compose["services"]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def command(service: dict[str, Any]) -> list[str]:
    value = service.get("command") or []
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def option(args: list[str], name: str) -> str | None:
    """The value after `--name` (or in `--name=value`), or None."""
    for n, arg in enumerate(args):
        if arg == name and n + 1 < len(args):
            return args[n + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def environment(service: dict[str, Any]) -> dict[str, str]:
    value = service.get("environment") or {}
    if isinstance(value, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in value)
    return {key: "" if v is None else str(v) for key, v in value.items()}


def variables(text: str) -> set[str]:
    """The ${NAME...} interpolations in a compose value."""
    return set(re.findall(r"\$\{(\w+)", text))


def volumes(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, target) of every volume, short or long syntax."""
    found = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, target, *_ = [*volume.split(":"), ""]
        else:
            source, target = str(volume.get("source", "")), str(volume.get("target", ""))
        found.append((source, target))
    return found


def redis_service(services: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    named = [
        (name, s)
        for name, s in services.items()
        if "redis" in str(s.get("image", "")) or "redis-server" in command(s)
    ]
    assert len(named) == 1, f"one Redis service expected, found {[n for n, _ in named]}"
    return named[0]


def workers(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services.items() if "REDIS_URL" in environment(s)}


def nginx_service(services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    found = [s for s in services.values() if str(s.get("image", "")).startswith("nginx")]
    assert len(found) == 1, "one nginx service expected in docker-compose.yml"
    return found[0]


def worker_port() -> str:
    match = re.search(r"KINBOARD_PORT=(\d+)", DOCKERFILE.read_text())
    assert match, "the Dockerfile sets KINBOARD_PORT"
    return match.group(1)


def nginx_conf() -> str:
    """deploy/nginx.conf without its comments."""
    return "\n".join(line.split("#", 1)[0] for line in NGINX_CONF.read_text().splitlines())


def block(conf: str, head: str) -> str:
    """The body of the first `head { ... }` block (no nested braces in it)."""
    match = re.search(re.escape(head) + r"\s*\{([^{}]*)\}", conf)
    assert match, f"deploy/nginx.conf has no `{head} {{ ... }}` block"
    return match.group(1)


def directives(body: str, name: str) -> list[str]:
    return [m.strip() for m in re.findall(rf"(?m)^\s*{re.escape(name)}\s+([^;]*);", body)]


# --- Redis ---


def test_redis_keeps_every_acknowledged_change_and_never_evicts(
    services: dict[str, dict[str, Any]],
) -> None:
    _, redis = redis_service(services)
    args = command(redis)
    assert option(args, "--appendonly") == "yes", "AOF on: a restart keeps the meetings"
    assert option(args, "--appendfsync") in ("everysec", "always")
    assert option(args, "--appendfsync") == "everysec", "as docs/operations.md says"
    assert option(args, "--maxmemory-policy") == "noeviction", "refuse writes, never drop data"


def test_redis_has_a_password_and_the_workers_use_it(
    services: dict[str, dict[str, Any]],
) -> None:
    redis_name, redis = redis_service(services)
    password = option(command(redis), "--requirepass")
    assert password, "Redis needs --requirepass"
    for name, worker in workers(services).items():
        url = environment(worker)["REDIS_URL"]
        parts = urlsplit(url)
        assert parts.hostname == redis_name, f"{name} reaches Redis at its service name"
        assert parts.password, f"{name}'s REDIS_URL carries the password"
        if variables(password):
            assert variables(password) <= variables(parts.password), (
                f"{name}'s REDIS_URL password is {parts.password!r}, Redis's is {password!r}"
            )
        else:
            assert parts.password == password


def test_redis_data_lives_on_a_volume(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    _, redis = redis_service(services)
    data_dir = option(command(redis), "--dir") or "/data"  # the redis image's working dir
    mounted = {target: source for source, target in volumes(redis)}
    assert data_dir in mounted, f"Redis data ({data_dir}) is not on a volume: {mounted}"
    source = mounted[data_dir]
    if not source.startswith((".", "/")):  # a named volume: declared at the top level
        assert source in (compose.get("volumes") or {}), f"volume {source} is not declared"


# --- the workers ---


def test_two_workers_share_redis_and_one_secret_key(
    services: dict[str, dict[str, Any]],
) -> None:
    found = workers(services)
    assert len(found) >= 2, f"two Kinboard workers expected, found {list(found)}"
    envs = [environment(worker) for worker in found.values()]
    for name, env in zip(found, envs, strict=True):
        assert env.get("KINBOARD_SECRET_KEY"), f"{name} needs KINBOARD_SECRET_KEY"
        secret = env["KINBOARD_SECRET_KEY"]
        assert variables(secret) or len(secret) >= 32, "a real key, or one from the environment"
    for variable in ("REDIS_URL", "KINBOARD_SECRET_KEY", "KINBOARD_BASE_URL"):
        values = {env.get(variable) for env in envs}
        assert len(values) == 1, f"the workers must share {variable}: {values}"


# --- health ---


def test_every_service_has_a_health_check(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
    for name, worker in workers(services).items():
        test = " ".join(worker["healthcheck"]["test"])
        assert "/readyz" in test, f"{name}: check /readyz (store and pub/sub), not only /healthz"


# --- nginx ---


def test_nginx_fronts_the_workers_with_deploy_nginx_conf(
    services: dict[str, dict[str, Any]],
) -> None:
    nginx = nginx_service(services)
    sources = [
        (COMPOSE.parent / source).resolve()
        for source, target in volumes(nginx)
        if target.startswith("/etc/nginx/")
    ]
    assert NGINX_CONF.resolve() in sources, "deploy/nginx.conf is mounted into nginx"
    assert nginx.get("ports"), "nginx publishes a port"
    depends = nginx.get("depends_on") or []
    for name in workers(services):
        assert name in depends, f"nginx starts after {name}"


def test_nginx_conf_upgrades_websockets_and_keeps_each_client_on_one_worker(
    services: dict[str, dict[str, Any]],
) -> None:
    conf = nginx_conf()
    upstream = re.search(r"upstream\s+(\w+)\s*\{([^{}]*)\}", conf)
    assert upstream, "deploy/nginx.conf has an upstream for the workers"
    name, body = upstream.groups()
    sticky = re.search(r"(?m)^\s*ip_hash\s*;", body) or directives(body, "hash")
    assert sticky, "sticky routing (ip_hash or hash): Socket.IO polling needs one worker"
    servers = " ".join(directives(body, "server"))
    port = worker_port()
    for worker in workers(services):
        assert f"{worker}:{port}" in servers, f"the upstream names {worker}:{port}"

    location = block(conf, "location /")
    assert f"http://{name}" in directives(location, "proxy_pass")
    assert "1.1" in directives(location, "proxy_http_version"), "WebSocket needs HTTP/1.1"
    headers = {
        h.split()[0].lower(): h.split(None, 1)[1] for h in directives(location, "proxy_set_header")
    }
    assert headers.get("upgrade") == "$http_upgrade"
    connection = headers.get("connection", "")
    if connection.startswith("$"):
        mapped = re.search(r"map\s+\$http_upgrade\s+" + re.escape(connection) + r"\s*\{", conf)
        assert mapped, f"{connection} is mapped from $http_upgrade"
    else:
        assert connection.strip("\"'").lower() == "upgrade"
    for timeout in directives(location, "proxy_read_timeout"):
        assert seconds(timeout) > 2 * PING_INTERVAL, f"proxy_read_timeout {timeout} is too short"


def seconds(value: str) -> float:
    """An nginx time ("60", "60s", "1m", "500ms") in seconds."""
    match = re.fullmatch(r"(\d+)(ms|s|m|h)?", value.strip())
    assert match, f"unreadable nginx time {value!r}"
    number, unit = int(match.group(1)), match.group(2) or "s"
    return number * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
