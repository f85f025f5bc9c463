"""The collector's settings after start-up, and the pauses it measures."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from server import collector


@pytest.fixture
def settled() -> Iterator[None]:
    thresholds = gc.get_threshold()
    collector.settle()
    yield
    gc.callbacks.remove(collector.PAUSES)
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def test_start_up_freezes_what_is_alive_and_collects_rarely(settled: None) -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == collector.THRESHOLDS


def test_each_collection_is_measured_and_reported_once(settled: None) -> None:
    collector.PAUSES.report()
    gc.collect(0)
    gc.collect(2)
    line = collector.PAUSES.report()
    assert line.startswith("garbage collection: 2 collections, ")
    assert "(generation 0)" in line or "(generation 2)" in line
    assert collector.PAUSES.report().startswith("garbage collection: 0 collections, 0.0 ms")
