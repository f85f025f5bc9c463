"""The collector after start-up: young collections on a timer, survivors frozen, frozen
garbage swept, and the pauses it measures."""

from __future__ import annotations

import asyncio
import gc
import logging
import weakref
from collections.abc import Iterator

import pytest

from server import collector


class Node:
    """A container that can be weakly referenced, to see when the collector frees it."""

    def __init__(self) -> None:
        self.me: Node | None = None


@pytest.fixture
def settled() -> Iterator[None]:
    thresholds = gc.get_threshold()
    collector.settle()
    yield
    gc.callbacks.remove(collector.PAUSES)
    gc.callbacks.remove(collector._freeze_survivors)
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def _young(obj: object) -> bool:
    return any(o is obj for generation in range(3) for o in gc.get_objects(generation))


def _garbage_cycle() -> weakref.ref[Node]:
    """A cycle that only the collector can free, known to us by a weak reference."""
    node = Node()
    node.me = node
    return weakref.ref(node)


def test_start_up_freezes_what_is_alive_and_sets_the_thresholds(settled: None) -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == collector.THRESHOLDS
    assert collector.PAUSES in gc.callbacks and collector._freeze_survivors in gc.callbacks


def test_what_survives_an_older_collection_is_frozen(settled: None) -> None:
    survivor = [Node()]
    frozen_before = gc.get_freeze_count()
    assert _young(survivor)
    gc.collect(0)
    assert _young(survivor), "a young collection alone freezes nothing"
    gc.collect(1)
    assert not _young(survivor)
    assert gc.get_freeze_count() > frozen_before


def test_a_young_garbage_cycle_is_freed_by_a_young_collection(settled: None) -> None:
    cycle = _garbage_cycle()
    gc.collect(0)
    assert cycle() is None


def test_a_frozen_garbage_cycle_waits_for_the_sweep(settled: None) -> None:
    node = Node()
    node.me = node
    cycle = weakref.ref(node)
    gc.collect(1)  # node survives, and is frozen
    del node
    gc.collect(2)
    assert cycle() is not None, "no collection looks at frozen objects"
    line = collector.sweep()
    assert cycle() is None
    assert line.startswith("garbage collection: swept ")
    assert f"; {gc.get_freeze_count()} frozen" in line


async def test_the_server_collects_young_objects_on_a_timer_and_sweeps(
    settled: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(collector, "YOUNG_SECONDS", 0.01)
    monkeypatch.setattr(collector, "SWEEP_SECONDS", 0.3)
    gc.set_threshold(0)  # Python's own collections off: what happens is the timer's
    survivor = [Node()]
    caplog.set_level(logging.INFO, logger="kinboard.collector")
    running = asyncio.create_task(collector.run())
    try:
        await asyncio.sleep(0.1)
        assert not _young(survivor), "a tick collected and froze it"
        assert "swept" not in caplog.text
        await asyncio.sleep(0.4)
        assert "garbage collection: swept " in caplog.text
    finally:
        running.cancel()


def test_each_collection_is_measured_and_reported_once(settled: None) -> None:
    collector.PAUSES.report()
    gc.collect(2)
    line = collector.PAUSES.report()
    assert line.startswith("garbage collection: 1 collections, ")
    assert line.endswith("(generation 2)")
    assert collector.PAUSES.report() == (
        "garbage collection: 0 collections, 0.0 ms in all, longest 0.0 ms (generation -1)"
    )
