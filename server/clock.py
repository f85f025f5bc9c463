"""Time, in one place, so that tests can move it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]

system_clock: Clock = time.time


def iso(timestamp: float) -> str:
    """UTC time with milliseconds, as the board records it: 2026-11-27T09:14:03.221Z."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_iso(text: str) -> float:
    """The timestamp of an `iso` string."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
