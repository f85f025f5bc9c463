"""Python's garbage collector, set for a long-running server, and its pauses measured.

The collector stops everything while it runs. With Python's defaults a busy worker runs a
young collection every few ops and, every so often, a full one over every object it holds
(boards, sockets, the libraries' modules): 44-123 ms during which no family's op is
answered. So once start-up is done, `settle` moves everything alive then into the
permanent generation, which is never scanned again, and makes collections rarer: the
objects an op makes are freed by reference counting as soon as the op is answered, and only
the few cycles among them need the collector at all.

`Pauses` records how long each collection took; SIGUSR1 makes the server log the longest
since the last report (`kill -USR1 <pid>`; the benchmark reads it).
"""

from __future__ import annotations

import gc
import logging
import signal
import time
from typing import Any

log = logging.getLogger("kinboard.collector")

# A young collection after this many new container objects (Python: 700), an older one
# after this many young ones (10), a full one after this many older ones (10; and only
# once the long-lived objects have grown by a quarter since the last full one).
THRESHOLDS = (20_000, 20, 50)


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


def settle() -> None:
    """After start-up: freeze what is alive, collect rarely, and measure the pauses."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    if PAUSES not in gc.callbacks:
        gc.callbacks.append(PAUSES)
    log.info("garbage collection: %d objects of start-up frozen", gc.get_freeze_count())


def report_on_signal() -> None:
    """SIGUSR1 logs the pauses since the last report (from the main thread: the handler
    runs between two bytecodes of whatever the event loop was doing, and only logs)."""
    signal.signal(signal.SIGUSR1, lambda *_: log.info(PAUSES.report()))
