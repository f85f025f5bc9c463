"""Latency histograms: log-spaced buckets (1 % wide), so that a 30-minute soak with
millions of samples costs a few kilobytes, and histograms from several processes merge."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_BASE_MS = 0.001  # bucket 0 starts at 1 microsecond
_GROWTH = math.log(1.01)


@dataclass
class Histogram:
    """Latencies in milliseconds: count, exact max, and percentiles within 1 %."""

    buckets: Counter[int] = field(default_factory=Counter)
    count: int = 0
    max_ms: float = 0.0

    def add(self, ms: float) -> None:
        self.buckets[int(math.log(max(ms, _BASE_MS) / _BASE_MS) / _GROWTH)] += 1
        self.count += 1
        if ms > self.max_ms:
            self.max_ms = ms

    def merge(self, other: Histogram) -> None:
        self.buckets.update(other.buckets)
        self.count += other.count
        self.max_ms = max(self.max_ms, other.max_ms)

    def percentile(self, p: float) -> float:
        """The upper edge of the bucket holding the p-th percentile (never above max)."""
        if not self.count:
            return math.nan
        rank = math.ceil(self.count * p / 100)
        seen = 0
        for bucket in sorted(self.buckets):
            seen += self.buckets[bucket]
            if seen >= rank:
                return min(_BASE_MS * math.exp((bucket + 1) * _GROWTH), self.max_ms)
        return self.max_ms

    def to_json(self) -> dict[str, object]:
        return {"b": dict(self.buckets), "n": self.count, "max": self.max_ms}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Histogram:
        buckets = Counter({int(k): int(v) for k, v in data["b"].items()})  # type: ignore[attr-defined]
        return cls(buckets, int(data["n"]), float(data["max"]))  # type: ignore[arg-type]

    @classmethod
    def merged(cls, parts: Iterable[Histogram]) -> Histogram:
        total = cls()
        for part in parts:
            total.merge(part)
        return total


def summary(h: Histogram) -> tuple[float, float, float]:
    """(p50, p99, max) in milliseconds."""
    return h.percentile(50), h.percentile(99), h.max_ms
