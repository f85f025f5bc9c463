"""Fixtures of the in-process HTTP tests: a clock the test moves, the application, and a
meeting a staff member looks after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.inprocess import Kin, MovableClock, fast_hashing, staff_with_meeting, start


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def kin(tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kin]:
    fast_hashing(monkeypatch)
    yield from start(tmp_path, clock)


@pytest.fixture
def looked_after(kin: Kin) -> dict[str, Any]:
    """A signed-in staff member (who is also the meeting's facilitator), a meeting with a
    per-person link and minutes."""
    staff, meeting_id = staff_with_meeting(kin)
    (facilitator,) = kin.board(meeting_id).participants
    link = staff.post(
        f"/api/meetings/{meeting_id}/people-links", json={"name": "Gran", "role": "network"}
    )
    assert link.status_code == 201
    kin.op(meeting_id, facilitator, "minutes.take")
    links = kin.run(kin.services.links.urls, meeting_id)
    return {
        "staff": staff,
        "meeting_id": meeting_id,
        "facilitator": facilitator,
        "link_id": link.json()["id"],
        "person_link": link.json()["url"],
        "links": links,
    }
