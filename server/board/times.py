"""Times as the board records them (ISO text in UTC, with milliseconds), and reading them
back: the core works out a timer's end from the time it is given, never from a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def iso(timestamp: float) -> str:
    """UTC time with milliseconds, as the board records it: 2026-11-27T09:14:03.221Z."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_iso(text: str) -> float:
    """The timestamp of an `iso` string."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _read(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def later(text: str, ms: int) -> str:
    """The time `ms` milliseconds after `text`, exactly (no floating point on the way)."""
    moved = _read(text) + timedelta(milliseconds=ms)
    return moved.isoformat(timespec="milliseconds")[:-6] + "Z"


def ms_between(start: str, end: str) -> int:
    """Whole milliseconds from `start` to `end` (negative when `end` is earlier)."""
    return (_read(end) - _read(start)) // timedelta(milliseconds=1)
