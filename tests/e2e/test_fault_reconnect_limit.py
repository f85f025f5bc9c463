"""A worker killed while someone has the meeting open in three windows: their presence
entries on it would count against the limit of three sockets per person for a minute more,
so every window reconnecting to the other worker was refused `too_many_connections`."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.harness import (
    Client,
    ServerProcess,
    create_meeting,
    refusal,
    start_workers,
    stop_all,
)
from tests.support.services import REDIS_URL


@pytest.fixture
async def workers(tmp_path: Path, redis_prefix: str) -> AsyncIterator[list[ServerProcess]]:
    processes = start_workers(tmp_path, REDIS_URL, prefix=redis_prefix)
    yield processes
    stop_all(*processes)


async def test_after_a_worker_is_killed_three_windows_reconnect_to_the_other_at_once(
    workers: list[ServerProcess],
) -> None:
    killed, other = workers
    meeting = create_meeting(killed.url, "Meeting on a worker that dies")
    first = await Client.join(killed.url, meeting["links"]["participant"], "Sam", "parent")
    windows = [first] + [
        Client(killed.url, first.meeting_id, first.cookie, first.me, origin=killed.url)
        for _ in range(2)
    ]
    moved = [
        Client(other.url, first.meeting_id, first.cookie, first.me, origin=other.url)
        for _ in range(3)
    ]
    try:
        for window in windows[1:]:
            await window.connect()
        # The limit holds across workers: a fourth window, on the other worker, is refused.
        assert await refusal(moved[0]) == "too_many_connections"

        assert killed.process is not None
        killed.process.send_signal(signal.SIGKILL)
        killed.process.wait()
        # About when a browser's first reconnect comes (Socket.IO waits 0.5 to 1.5 s).
        await asyncio.sleep(0.5)
        outcomes = await asyncio.gather(
            *(window.connect() for window in moved), return_exceptions=True
        )
        assert outcomes == [None, None, None], outcomes
        assert all(window.sio.connected for window in moved)
    finally:
        await asyncio.gather(*(w.close() for w in windows + moved), return_exceptions=True)
