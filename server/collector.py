"""Python's garbage collector, set for a long-running server, and its pauses measured.

The collector stops everything while it runs, for as long as it takes to look at every
object of the generations it collects. With Python's defaults a busy worker's full
collections look at every board and socket it holds: 44-123 ms at 500 sockets and most of a
second at 5,000, during which no family's op is answered. Its young collections are no
better here: Python starts one when the new container objects outnumber the freed ones,
of any age, by a threshold, and an op mostly replaces old objects with new ones (a board's
changed card, the board itself), so the count stays low while the young generation grows
to tens of thousands of objects, and each young collection took 5-20 ms when it came. So:

- once start-up is done, `settle` moves everything alive into the permanent generation,
  which is never scanned;
- `run` collects the young generations every `YOUNG_SECONDS`, whatever the count says, so
  each collection looks at what the last 50 ms left alive: a few thousand objects, most
  of them the asyncio waits of the sockets and ops in flight;
- whatever survives an older collection is frozen (`_freeze_survivors`): a board's cards and
  a socket's state live for the whole meeting, and looking at them again and again would
  find nothing to free;
- what frozen objects leave behind as garbage cycles (a closed socket's, say: a few hundred
  objects a minute under load) is freed by one full collection every `SWEEP_SECONDS`
  (`sweep`), whose pause is logged.

`Pauses` records how long each collection took; SIGUSR1 makes the server log the longest
since the last report (`kill -USR1 <pid>`; the benchmark reads it).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import time
from typing import Any

log = logging.getLogger("kinboard.collector")

# Python's own collections, for a burst that allocates faster than `run` collects: a young
# one after this many new container objects (Python: 700), an older one after this many
# young ones, a full one after this many older ones (and only once the long-lived objects
# have grown by a quarter since the last full one).
THRESHOLDS = (10_000, 10, 10)

# The young generations are collected this often, and the frozen objects swept this often.
YOUNG_SECONDS = 0.05
SWEEP_SECONDS = 60 * 60


class Pauses:
    """gc.callbacks: the number, total and longest of the collections since `report`."""

    def __init__(self) -> None:
        self._started = 0.0
        self.count = 0
        self.total = 0.0
        self.longest = 0.0
        self.longest_generation = -1

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = time.perf_counter() - self._started
        self.count += 1
        self.total += took
        if took > self.longest:
            self.longest, self.longest_generation = took, info["generation"]

    def report(self) -> str:
        """One line about the collections since the last report, and start counting anew."""
        line = (
            f"garbage collection: {self.count} collections, {self.total * 1000:.1f} ms in all, "
            f"longest {self.longest * 1000:.1f} ms (generation {self.longest_generation})"
        )
        self.count, self.total, self.longest, self.longest_generation = 0, 0.0, 0.0, -1
        return line


PAUSES = Pauses()


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    """gc.callbacks: after an older collection the young generations are empty, and what
    is left (its survivors) has lived through two collections: freeze it."""
    if phase == "stop" and info["generation"] >= 1:
        gc.freeze()


def settle() -> None:
    """After start-up: freeze what is alive, collect young objects only, and measure the
    pauses."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    for callback in (PAUSES, _freeze_survivors):
        if callback not in gc.callbacks:
            gc.callbacks.append(callback)
    log.info("garbage collection: %d objects of start-up frozen", gc.get_freeze_count())


def sweep() -> str:
    """One full collection over everything, frozen objects included, and then freeze what
    is alive again: the garbage cycles that frozen objects have become since the last sweep
    are freed. Says what it found and how long it stopped the server."""
    started = time.perf_counter()
    gc.unfreeze()
    found = gc.collect()
    gc.freeze()
    took = (time.perf_counter() - started) * 1000
    frozen = gc.get_freeze_count()
    return f"garbage collection: swept {found} objects in {took:.1f} ms; {frozen} frozen"


async def run() -> None:
    """Collect the young generations every YOUNG_SECONDS (their survivors are frozen) and
    sweep every SWEEP_SECONDS, for as long as the server runs."""
    swept = time.monotonic()
    while True:
        await asyncio.sleep(YOUNG_SECONDS)
        if time.monotonic() - swept < SWEEP_SECONDS:
            gc.collect(1)
            continue
        log.info(sweep())
        swept = time.monotonic()


def report_on_signal() -> None:
    """SIGUSR1 logs the pauses since the last report (from the main thread: the handler
    runs between two bytecodes of whatever the event loop was doing, and only logs)."""
    signal.signal(signal.SIGUSR1, lambda *_: log.info(PAUSES.report()))
