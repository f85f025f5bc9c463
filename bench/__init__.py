"""Kinboard's load benchmark: `python -m bench.run` (see docs/benchmarks.md)."""
