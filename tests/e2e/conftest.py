"""Fixtures of the end-to-end tests: real server processes, workers, Redis and nginx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.faults import RedisServer
from tests.support.harness import ServerProcess
from tests.support.markers import mark_folder
from tests.support.services import REDIS_URL


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, Path(__file__).parent, pytest.mark.slow)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment that picks the store, and the data dir, for server and command."""
    env = {"KINBOARD_DATA_DIR": str(tmp_path / "data")}
    if request.param == "redis":
        prefix = request.getfixturevalue("redis_prefix")
        env |= {"REDIS_URL": REDIS_URL, "KINBOARD_REDIS_PREFIX": prefix}
    return env


@pytest.fixture
def store_server(tmp_path: Path, store_env: dict[str, str]) -> Iterator[ServerProcess]:
    """A real server process on the store `store_env` picks."""
    process = ServerProcess(tmp_path / "data", store_env).start()
    try:
        yield process
    finally:
        process.stop()
