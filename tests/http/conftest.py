"""Fixtures of the in-process HTTP tests: a clock the test moves, and the application."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.inprocess import Kin, MovableClock, fast_hashing, start


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def kin(tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kin]:
    fast_hashing(monkeypatch)
    yield from start(tmp_path, clock)
