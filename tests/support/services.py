"""Where the tests find Redis and Chromium, and what they do when one is missing.

With KINBOARD_REQUIRE_REDIS=1 (CI) a missing Redis fails the tests instead of skipping them;
KINBOARD_REQUIRE_BROWSER=1 does the same for Chromium.
"""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = os.environ.get("KINBOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM = os.environ.get("KINBOARD_CHROMIUM", "/usr/bin/chromium")


def required(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0", "false")


def redis_available() -> bool:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except (redis.RedisError, OSError):
        return False
    return True


def need_redis() -> None:
    if redis_available():
        return
    message = f"Redis does not answer at {REDIS_URL}"
    if required("KINBOARD_REQUIRE_REDIS"):
        pytest.fail(message + " (KINBOARD_REQUIRE_REDIS is set)")
    pytest.skip(message)


def need_chromium() -> None:
    if os.access(CHROMIUM, os.X_OK):
        return
    message = f"Chromium is not installed at {CHROMIUM}"
    if required("KINBOARD_REQUIRE_BROWSER"):
        pytest.fail(message + " (KINBOARD_REQUIRE_BROWSER is set)")
    pytest.skip(message)
