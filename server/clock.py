"""Time, in one place, so that tests can move it."""

from __future__ import annotations

import time
from collections.abc import Callable

from .board.times import iso, parse_iso

Clock = Callable[[], float]

system_clock: Clock = time.time

__all__ = ["Clock", "iso", "parse_iso", "system_clock"]
