"""Settings: the only place that reads the environment."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .redis_urls import (
    CLUSTER_SCHEMES,
    PLAIN_SCHEMES,
    SENTINEL_SCHEMES,
    cluster_parts,
    sentinel_parts,
)


class SettingsError(ValueError):
    """A bad environment value; the message names the variable in one line."""


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = "http://127.0.0.1:8000"
    data_dir: Path = Path("data")
    # One Redis; `redis+sentinel://[:password]@host:port,host:port/<db>/<service>`, the
    # master the sentinels name; or `redis+cluster://[:password]@host:port,host:port`, a
    # Redis Cluster: for the store and Socket.IO alike (operations.md).
    redis_url: str | None = None
    # Replicas a commit waits for (WAIT) before it is acknowledged; 0 waits for none.
    redis_wait_replicas: int = 0
    api_key: str | None = None
    allowed_origins: tuple[str, ...] = ("http://127.0.0.1:8000",)
    secret_key: str | None = None
    # Key prefix for everything this instance writes to Redis; tests give each run its own.
    redis_prefix: str = "kb"
    session_hours: int = 24
    link_days: int = 7
    rate_burst: int = 20
    rate_per_second: float = 5.0
    # Joins (and link look-ups) one address may make at once before it is slowed down.
    join_burst: int = 20
    retention_days: int = 30
    # An open meeting nothing has changed in for this long is closed (its retention then
    # starts); its staff are warned IDLE_WARNING_DAYS before.
    idle_close_days: int = 180
    # Addresses or networks of the reverse proxies whose X-Forwarded-For is believed; none
    # by default, so that nobody can choose the address their requests are counted under.
    trusted_proxies: tuple[str, ...] = ()
    # Connections to Redis each worker keeps at most, for the store and for Socket.IO's
    # manager each; a command waits for a free one rather than failing (operations.md).
    redis_pool: int = 50
    # Agreed minutes are POSTed here, signed with the secret (protocol.md, "Webhook").
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # The first retry's wait; each next one doubles, up to an hour (tests make it short).
    webhook_retry_seconds: float = 30.0
    # Where "Exit this page" on the family's pages goes at once: a neutral site.
    exit_url: str = "https://www.bbc.co.uk/weather"
    # Who runs this Kinboard, and where people report accessibility problems (an e-mail
    # address or an http(s) address): the accessibility statement names both (/accessibility).
    operator: str | None = None
    accessibility_contact: str | None = None

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        host, port, base_url, origins = _addresses(env)
        data_dir = Path(env.get("KINBOARD_DATA_DIR", "data"))
        if not str(data_dir).strip():
            raise SettingsError("KINBOARD_DATA_DIR must not be empty")
        redis_url, prefix, wait_replicas = _redis(env)
        webhook_url, webhook_secret = _webhook(env)
        return cls(
            trusted_proxies=_trusted_proxies(env),
            join_burst=_positive(env, "KINBOARD_JOIN_BURST", 20),
            retention_days=_positive(env, "KINBOARD_RETENTION_DAYS", 30),
            idle_close_days=_idle_close_days(env),
            redis_pool=_positive(env, "KINBOARD_REDIS_POOL", 50),
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            webhook_retry_seconds=_seconds(env, "KINBOARD_WEBHOOK_RETRY_SECONDS", 30.0),
            exit_url=_exit_url(env),
            operator=env.get("KINBOARD_OPERATOR", "").strip() or None,
            accessibility_contact=_contact(env),
            host=host,
            port=port,
            base_url=base_url,
            data_dir=data_dir,
            redis_url=redis_url,
            redis_wait_replicas=wait_replicas,
            api_key=_key(env, "KINBOARD_API_KEY", 16),
            allowed_origins=origins,
            secret_key=_key(env, "KINBOARD_SECRET_KEY", 32),
            redis_prefix=prefix,
        )


# Staff are warned this many days before an idle meeting is closed.
IDLE_WARNING_DAYS = 14


def _addresses(env: Mapping[str, str]) -> tuple[str, int, str, tuple[str, ...]]:
    """Where the server listens, the address it is reached at, and the origins allowed."""
    host = env.get("KINBOARD_HOST", "127.0.0.1").strip()
    if not host:
        raise SettingsError("KINBOARD_HOST must not be empty")
    port = _port(env.get("KINBOARD_PORT", "8000"))
    base_url = _base_url(env.get("KINBOARD_BASE_URL", f"http://{host}:{port}"))
    origins_raw = env.get("KINBOARD_ALLOWED_ORIGINS")
    origins = (
        tuple(_origin(o.strip()) for o in origins_raw.split(",") if o.strip())
        if origins_raw
        else (_origin_of(base_url),)
    )
    return host, port, base_url, origins


def _redis(env: Mapping[str, str]) -> tuple[str | None, str, int]:
    redis_url = env.get("REDIS_URL") or None
    if redis_url is not None:
        _redis_url(redis_url)
    prefix = env.get("KINBOARD_REDIS_PREFIX", "kb").strip()
    if not prefix or not prefix.replace("-", "").replace("_", "").isalnum():
        raise SettingsError("KINBOARD_REDIS_PREFIX must be letters, digits, - or _")
    raw = env.get("KINBOARD_REDIS_WAIT_REPLICAS", "").strip() or "0"
    if not raw.isdigit():
        raise SettingsError(
            f"KINBOARD_REDIS_WAIT_REPLICAS must be a whole number of 0 or more (got {raw!r})"
        )
    if int(raw) and redis_url is None:
        raise SettingsError("KINBOARD_REDIS_WAIT_REPLICAS is set but REDIS_URL is not")
    if int(raw) and urlsplit(redis_url or "").scheme in CLUSTER_SCHEMES:
        # A meeting's commit goes to its slot's node; WAIT would go to any node.
        raise SettingsError("KINBOARD_REDIS_WAIT_REPLICAS is not supported with redis+cluster://")
    return redis_url, prefix, int(raw)


def _redis_url(url: str) -> None:
    scheme = urlsplit(url).scheme
    if scheme in SENTINEL_SCHEMES:
        try:
            sentinel_parts(url)
        except ValueError as error:
            raise SettingsError(
                "REDIS_URL must look like redis+sentinel://:password@host:port,host:port/0/"
                f"service ({error})"
            ) from None
    elif scheme in CLUSTER_SCHEMES:
        try:
            cluster_parts(url)
        except ValueError as error:
            raise SettingsError(
                f"REDIS_URL must look like redis+cluster://:password@host:port,host:port ({error})"
            ) from None
    elif scheme not in PLAIN_SCHEMES:
        raise SettingsError(
            "REDIS_URL must start with redis://, rediss://, unix://, redis+sentinel:// or "
            f"redis+cluster:// (got {scheme or 'no scheme'})"
        )


def _key(env: Mapping[str, str], name: str, shortest: int) -> str | None:
    key = env.get(name) or None
    if key is not None and len(key) < shortest:
        raise SettingsError(f"{name} must be at least {shortest} characters long")
    return key


def _idle_close_days(env: Mapping[str, str]) -> int:
    days = _positive(env, "KINBOARD_IDLE_CLOSE_DAYS", 180)
    if days <= IDLE_WARNING_DAYS:
        raise SettingsError(
            f"KINBOARD_IDLE_CLOSE_DAYS must be more than {IDLE_WARNING_DAYS}, the days of "
            f"warning staff are given before (got {days})"
        )
    return days


def _trusted_proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    proxies = env.get("KINBOARD_TRUSTED_PROXIES", "")
    return tuple(_network(p.strip()) for p in proxies.split(",") if p.strip())


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number of 1 or more (got {raw!r})")
    return int(raw)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise SettingsError(
            f"{name} must be a number of seconds above 0, at most 3600 (got {raw!r})"
        )
    return value


def _webhook(env: Mapping[str, str]) -> tuple[str | None, str | None]:
    url = env.get("KINBOARD_WEBHOOK_URL", "").strip() or None
    secret = env.get("KINBOARD_WEBHOOK_SECRET") or None
    if url is None:
        if secret is not None:
            raise SettingsError("KINBOARD_WEBHOOK_SECRET is set but KINBOARD_WEBHOOK_URL is not")
        return None, None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"KINBOARD_WEBHOOK_URL must be an http:// or https:// address (got {url!r})"
        )
    if secret is None:
        raise SettingsError(
            "KINBOARD_WEBHOOK_URL needs KINBOARD_WEBHOOK_SECRET, the key its signatures "
            "are made with (32+ characters)"
        )
    if len(secret) < 32:
        raise SettingsError("KINBOARD_WEBHOOK_SECRET must be at least 32 characters long")
    return url, secret


def _exit_url(env: Mapping[str, str]) -> str:
    raw = env.get("KINBOARD_EXIT_URL", "").strip()
    if not raw:
        return Settings.exit_url
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"KINBOARD_EXIT_URL must be an http:// or https:// address (got {raw!r})"
        )
    return raw


def _contact(env: Mapping[str, str]) -> str | None:
    raw = env.get("KINBOARD_ACCESSIBILITY_CONTACT", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    is_address = parts.scheme in ("http", "https") and bool(parts.hostname)
    local, at, domain = raw.partition("@")
    is_email = bool(at and local and "." in domain and " " not in raw and ":" not in raw)
    if not (is_address or is_email):
        raise SettingsError(
            "KINBOARD_ACCESSIBILITY_CONTACT must be an e-mail address or an http:// or "
            f"https:// address (got {raw!r})"
        )
    return raw


def _network(raw: str) -> str:
    try:
        return str(ipaddress.ip_network(raw, strict=False))
    except ValueError:
        raise SettingsError(
            "KINBOARD_TRUSTED_PROXIES must be a comma-separated list of IP addresses or "
            f"networks like 10.0.0.2 or 172.30.0.0/24 (got {raw!r})"
        ) from None


def _port(raw: str) -> int:
    port = int(raw) if raw.strip().isdigit() else 0
    if not 0 < port < 65536:
        raise SettingsError(f"KINBOARD_PORT must be a number from 1 to 65535 (got {raw!r})")
    return port


def _base_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(
            f"KINBOARD_BASE_URL must be an http:// or https:// address (got {raw!r})"
        )
    if parts.query or parts.fragment:
        raise SettingsError("KINBOARD_BASE_URL must not have a query or fragment")
    return raw.strip().rstrip("/")


def _origin(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise SettingsError(
            f"KINBOARD_ALLOWED_ORIGINS must be a comma-separated list of origins "
            f"like https://kinboard.example.org (got {raw!r})"
        )
    return f"{parts.scheme}://{parts.netloc}"


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
