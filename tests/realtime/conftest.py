"""Fixtures of the realtime tests: people of one meeting on real Socket.IO sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.harness import ServerProcess, people_of_a_meeting
from tests.support.live import LiveServer
from tests.support.markers import mark_folder
from tests.support.rooms import staffed_server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, Path(__file__).parent, pytest.mark.slow)


@pytest.fixture
async def room(server: ServerProcess) -> AsyncIterator[dict[str, Any]]:
    async with people_of_a_meeting(server) as people:
        yield people


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """A live server in this process with Priya's staff account (tests.support.rooms)."""
    with staffed_server(tmp_path, monkeypatch) as server:
        yield server
