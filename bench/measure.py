"""One measured run: start a target's servers, drive them with generator processes, and
collect latency, delivery, loss and cost numbers into a `Measurement`."""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil

from .generator import GeneratorConfig, Results, Window, process_main
from .servers import ROOT, Servers, Target, redis_cpu_seconds
from .stats import Histogram

# When the generator itself is this busy, its delays show up as the server's latency.
GENERATOR_CPU_LIMIT = 90.0  # % of one core, per generator process
GENERATOR_LAG_LIMIT_MS = 10.0  # event-loop lag p99
MACHINE_CPU_LIMIT = 95.0  # % of all cores together
STEAL_LIMIT = 5.0  # % of one core taken by the host: the run was not on a quiet machine
LOGS = Path(__file__).resolve().parent / "results" / "logs"  # the last run's server logs


@dataclass(frozen=True)
class Load:
    meetings: int
    participants: int
    rate: float  # ops/s per participant
    duration: float  # measured seconds
    warmup: float = 5.0
    processes: int = 0  # generator processes; 0: one per 1000 ops/s offered
    seed: int = 1
    interval: float = 0.0  # soak: histograms and memory per interval
    split: str = "participant"  # how clients spread over workers: participant or meeting
    server_root: str = ""  # run Kinboard from this checkout instead of this one
    drain: float = 3.0  # stop waiting for late deliveries after this long without any

    @property
    def offered(self) -> float:
        return self.meetings * self.participants * self.rate


@dataclass
class Measurement:
    target: Target
    load: Load
    connections: int = 0
    ack: Histogram = field(default_factory=Histogram)
    fanout: Histogram = field(default_factory=Histogram)
    lag: Histogram = field(default_factory=Histogram)
    ack_by_interval: dict[int, Histogram] = field(default_factory=dict)
    fanout_by_interval: dict[int, Histogram] = field(default_factory=dict)
    sent: int = 0
    acked: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    no_ack: int = 0
    lost_ops: int = 0
    missing_deliveries: int = 0
    duplicated: int = 0
    refused_applied: int = 0
    deliveries: int = 0
    presence: int = 0
    window: float = 0.0
    server_cpu: float = 0.0  # % of one core, all the target's processes together
    redis_cpu: float | None = None
    machine_cpu: float = 0.0  # % of one core, all cores together (200 = both of 2 busy)
    # % of one core that the hypervisor gave to other machines while ours wanted it (steal):
    # on a shared host it makes every CPU figure of the run higher than on a quiet one.
    steal_cpu: float = 0.0
    generator_cpu: list[float] = field(default_factory=list)  # % of one core, per process
    rss_before: int = 0
    rss_connected: int = 0
    rss_end: int = 0
    rss_samples: list[tuple[float, int]] = field(default_factory=list)  # (s into window, B)
    gc_longest_ms: float = float("nan")  # the longest collector pause in the window
    gc_longest_generation: int = -1  # and the generation it collected
    gc_total_ms: float = float("nan")  # all the collector's pauses in the window
    proxy_cpu: float = 0.0  # nginx, % of one core (apart from server_cpu)
    errors: list[str] = field(default_factory=list)

    @property
    def kb_per_connection(self) -> float:
        if not self.connections:
            return float("nan")
        return (self.rss_connected - self.rss_before) / self.connections / 1024

    @property
    def deliveries_per_second(self) -> float:
        return self.deliveries / self.window if self.window else 0.0

    @property
    def ops_per_second(self) -> float:
        return self.sent / self.window if self.window else 0.0

    @property
    def committed_per_second(self) -> float:
        # Every committed op reaches all participants: deliveries say what was committed
        # within the window, even when the server fell behind.
        return self.deliveries_per_second / self.load.participants

    @property
    def cpu_ms_per_op(self) -> float:
        """Server CPU per committed op (with its fan-out): comparable across configs."""
        committed = self.committed_per_second
        return self.server_cpu * 10 / committed if committed else float("nan")

    @property
    def gc_ms_per_op(self) -> float:
        """The collector's time per committed op: the part of `cpu_ms_per_op` it takes."""
        committed = self.committed_per_second * self.window
        return self.gc_total_ms / committed if committed else float("nan")

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())

    def generator_warnings(self) -> list[str]:
        """Why the numbers may be the generator's rather than the server's, if they may."""
        notes = []
        busiest = max(self.generator_cpu, default=0.0)
        if busiest >= GENERATOR_CPU_LIMIT:
            notes.append(f"a generator process used {busiest:.0f} % of a core")
        lag = self.lag.percentile(99)
        if self.lag.count and lag >= GENERATOR_LAG_LIMIT_MS:
            notes.append(f"generator event-loop lag p99 {lag:.0f} ms")
        cores = psutil.cpu_count() or 1
        if self.machine_cpu >= MACHINE_CPU_LIMIT * cores:
            notes.append(f"all {cores} CPUs were busy ({self.machine_cpu:.0f} % of a core)")
        if self.other_cpu >= 25:
            notes.append(f"other processes used {self.other_cpu:.0f} % of a core")
        if self.steal_cpu >= STEAL_LIMIT:
            notes.append(f"the host took {self.steal_cpu:.0f} % of a core from this machine")
        return notes

    @property
    def other_cpu(self) -> float:
        """CPU used by processes outside the benchmark (other work on a shared machine)."""
        ours = self.server_cpu + self.proxy_cpu + (self.redis_cpu or 0.0) + sum(self.generator_cpu)
        return max(0.0, self.machine_cpu - self.steal_cpu - ours)


def measure(target: Target, load: Load, redis_url: str, profiler: Any = None) -> Measurement:
    """Run `load` against a fresh instance of `target`. `profiler(pids, seconds)` may
    record the servers during the measured window."""
    result = Measurement(target, load)
    root = Path(load.server_root) if load.server_root else ROOT
    with Servers(target, redis_url, logs=LOGS, kinboard_root=root) as servers:
        pipes, processes = _start_generators(servers.client_urls, servers.api_key, load)
        try:
            _expect(pipes, "joined", servers)
            result.rss_before = servers.rss()
            for pipe in pipes:
                pipe.send(("connect", None))
            result.connections = sum(_expect(pipes, "connected", servers))
            time.sleep(1.0)  # let the connect-time presence broadcasts settle
            result.rss_connected = servers.rss()
            _run_window(result, servers, pipes, load, redis_url, profiler)
            result.rss_end = servers.rss()
        finally:
            for pipe in pipes:
                with contextlib.suppress(BrokenPipeError, OSError):
                    pipe.send(("close", None))
            for process in processes:
                process.join(timeout=20)
                if process.is_alive():
                    process.terminate()
    return result


def wait_for_quiet(max_wait: float, limit: float = 30.0) -> float | None:
    """On a shared machine, wait (up to `max_wait` s) until other processes use less than
    `limit` % of a core, so that they do not end up in our latencies. Returns how busy the
    machine still was if it never calmed down, else None."""
    deadline = time.monotonic() + max_wait
    busy = 0.0
    while True:
        busy = psutil.cpu_percent(interval=2.0) * (psutil.cpu_count() or 1)
        if busy < limit:
            return None
        if time.monotonic() >= deadline:
            return busy


def _start_generators(
    urls: list[str], api_key: str, load: Load
) -> tuple[list[Connection], list[multiprocessing.Process]]:
    context = multiprocessing.get_context("spawn")
    # One process carries ~1000 ops/s (10,000 deliveries/s) at well under a core; fewer
    # processes than needed would measure the generator, more would crowd a small machine.
    wanted = load.processes or math.ceil(load.offered / 1000)
    count = max(1, min(wanted, load.meetings))
    pipes, processes = [], []
    for k in range(count):
        meetings = load.meetings // count + (1 if k < load.meetings % count else 0)
        config = GeneratorConfig(
            k,
            tuple(urls),
            meetings,
            load.participants,
            load.rate,
            load.seed * 1000 + k,
            api_key,
            load.split,
        )
        ours, theirs = context.Pipe()
        process = context.Process(target=process_main, args=(theirs, config), daemon=True)
        process.start()
        pipes.append(ours)
        processes.append(process)
    return pipes, processes


def _expect(pipes: list[Connection], what: str, servers: Servers, timeout: float = 300) -> list:
    answers = []
    for pipe in pipes:
        if not pipe.poll(timeout):
            raise RuntimeError(f"a generator did not answer {what!r} in {timeout} s")
        kind, value = pipe.recv()
        if kind == "error":
            raise RuntimeError(f"generator failed before {what!r}: {value}\n{servers.log(0)}")
        if kind != what:
            raise RuntimeError(f"generator said {kind!r}, expected {what!r}")
        answers.append(value)
    return answers


def _run_window(
    result: Measurement,
    servers: Servers,
    pipes: list[Connection],
    load: Load,
    redis_url: str,
    profiler: Any,
) -> None:
    begin = time.monotonic() + 0.5
    start = begin + load.warmup
    window = Window(start, start + load.duration, load.drain, load.interval)
    for pipe in pipes:
        pipe.send(("run", window))
    _sleep_until(window.start)
    servers.collections()  # from here on
    cpu0, machine0 = servers.cpu_seconds(), psutil.cpu_times()
    proxy0 = servers.proxy_cpu_seconds()
    redis0 = redis_cpu_seconds(redis_url) if servers.target.redis else None
    recording = profiler(servers.pids, load.duration) if profiler else None
    sample_every = min(10.0, load.interval) if load.interval else load.duration
    next_sample = window.start
    while time.monotonic() < window.end:
        if time.monotonic() >= next_sample:
            result.rss_samples.append((time.monotonic() - window.start, servers.rss()))
            next_sample += sample_every
        _sleep_until(min(window.end, next_sample))
    wall = time.monotonic() - window.start
    result.server_cpu = (servers.cpu_seconds() - cpu0) / wall * 100
    result.proxy_cpu = (servers.proxy_cpu_seconds() - proxy0) / wall * 100
    collections = servers.collections()
    result.gc_longest_ms, result.gc_longest_generation = (
        collections.longest_ms,
        collections.generation,
    )
    result.gc_total_ms = collections.total_ms
    if redis0 is not None:
        redis1 = redis_cpu_seconds(redis_url)
        result.redis_cpu = (redis1 - redis0) / wall * 100 if redis1 is not None else None
    machine1 = psutil.cpu_times()
    result.machine_cpu = _busy_percent(machine0, machine1)
    result.steal_cpu = _steal_percent(machine0, machine1)
    result.rss_samples.append((wall, servers.rss()))
    for results in _expect(pipes, "results", servers, timeout=180):
        _merge(result, results)
    if recording is not None:
        recording.wait()


def _merge(total: Measurement, part: Results) -> None:
    total.ack.merge(part.ack)
    total.fanout.merge(part.fanout)
    total.lag.merge(part.lag)
    for mine, theirs in (
        (total.ack_by_interval, part.ack_by_interval),
        (total.fanout_by_interval, part.fanout_by_interval),
    ):
        for key, histogram in theirs.items():
            mine.setdefault(key, Histogram()).merge(histogram)
    total.sent += part.sent
    total.acked += part.acked
    total.refused.update(part.refused)
    total.no_ack += part.no_ack
    total.lost_ops += part.lost_ops
    total.missing_deliveries += part.missing_deliveries
    total.duplicated += part.duplicated
    total.refused_applied += part.refused_applied
    total.deliveries += part.deliveries
    total.presence += part.presence
    total.window = max(total.window, part.window_seconds)
    if part.window_seconds:
        total.generator_cpu.append(part.cpu_seconds / part.window_seconds * 100)
    total.errors += part.errors[:5]


def _percent_of_a_core(before: Any, after: Any, *kinds: str) -> float:
    """The CPU time of these kinds (psutil.cpu_times fields) between two readings, as % of
    one core, all cores together."""
    total = sum(after) - sum(before)
    part = sum(getattr(after, kind, 0.0) - getattr(before, kind, 0.0) for kind in kinds)
    return part / total * 100 * (psutil.cpu_count() or 1) if total > 0 else 0.0


def _busy_percent(before: Any, after: Any) -> float:
    busy = [kind for kind in after._fields if kind not in ("idle", "iowait")]
    return _percent_of_a_core(before, after, *busy)


def _steal_percent(before: Any, after: Any) -> float:
    return _percent_of_a_core(before, after, "steal")


def _sleep_until(t: float) -> None:
    delay = t - time.monotonic()
    if delay > 0:
        time.sleep(delay)
