"""Kinboard's load benchmark, one command per row of docs/benchmarks.md (bench/table.py
runs them all):

    .venv/bin/python -m bench.run --meetings 50 --participants 10 --rate 1 --duration 60 \\
        --targets a,b,c --sustain a,b,c

(a) bare relay, (b) Kinboard embedded, (c) Kinboard + Redis, 1 worker, (d) 2 workers with
every meeting spread over both, (e) 2 workers behind nginx routing by meeting. Then a step
search for the highest load each of `--sustain` carries with fan-out p99 under 50 ms, the
targets verdict, and docs/benchmarks.md updated. `--soak 1800` runs the soak instead.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import resource
import shlex
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import profiling, report
from .measure import Load, Measurement, measure, wait_for_quiet
from .servers import TARGETS, Target
from .stats import Histogram

RESULTS = Path(__file__).resolve().parent / "results"
# Meetings per step of the sustain search (x participants x rate = ops/s offered).
LADDER = (5, 10, 15, 20, 25, 35, 50, 75, 100, 150, 200, 300)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # `kill` (SIGTERM) stops the servers and deletes the Redis keys on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.nice:
        _prioritise(args.nice)
    _allow_many_sockets()
    command = "python -m bench.run " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    load = Load(
        args.meetings,
        args.participants,
        args.rate,
        args.duration,
        warmup=args.warmup,
        processes=args.procs,
        seed=args.seed,
        split=args.split,
        server_root=args.server_root,
    )
    chosen = args.targets if args.targets is not None else ("b" if args.soak else "a,b,c,e")
    targets = [TARGETS[key] for key in chosen.split(",") if key]
    machine = report.machine()
    print(f"Machine: {machine}\n", flush=True)
    if args.soak:
        return _soak(args, load, targets, command, machine)

    rows = []
    for target in targets:
        print(f"== ({target.key}) {target.name}: {_describe(load)}", flush=True)
        m = _measure(target, load, args)
        print(f"   {_line(m)}", flush=True)
        rows.append(m)
    sustained = {}
    for key in [k for k in args.sustain.split(",") if k and k != "none"]:
        sustained[key] = _sustain(key, load, args)
    for key in [k for k in args.profile.split(",") if k]:
        _profile(key, load, args)

    verdicts = report.verdicts(rows, sustained)
    print("\n" + report.table(rows))
    if sustained:
        print("\nSustain search (fan-out p99 under 50 ms):\n" + report.sustain_table(sustained))
    print("\nTargets:\n" + report.verdict_lines(verdicts))
    _save_json(rows, sustained, command)
    if not args.no_docs:
        body = "\n\n".join(
            [
                f"Command: `{command}`",
                f"Machine: {machine}",
                f"Load: {_describe(load)}; {load.warmup:.0f} s warm-up, then "
                f"{load.duration:.0f} s measured; "
                f"{len(rows[0].generator_cpu) if rows else '?'} generator process(es); "
                f"(d) split by {load.split}.",
                report.table(rows),
                "Targets:\n\n" + report.verdict_lines(verdicts),
            ]
            + (["Sustain search:\n\n" + report.sustain_table(sustained)] if sustained else [])
        )
        report.update_docs(args.docs_section, body)
        print(f"\nUpdated {report.DOCS}")
    return 0


def _prioritise(nice: int) -> None:
    """Run this benchmark's processes (servers and generators, not Redis) at `nice`. With
    autogroup scheduling, nice only ranks processes within one session, so the session's
    autogroup gets it too: that is what ranks us against other people's work."""
    os.nice(nice)
    with contextlib.suppress(OSError):
        Path("/proc/self/autogroup").write_text(str(nice))


def _allow_many_sockets() -> None:
    """Every socket is a file on both ends: let the generators and servers (which inherit
    this) open as many as the system allows."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--meetings", type=int, default=50)
    p.add_argument("--participants", type=int, default=10)
    p.add_argument("--rate", type=float, default=1.0, help="ops per second per participant")
    p.add_argument("--duration", type=float, default=60.0, help="measured seconds per config")
    p.add_argument("--warmup", type=float, default=5.0)
    p.add_argument(
        "--targets", default=None, help="any of a (relay), b, c, d, e (default a,b,c,e; soak: b)"
    )
    p.add_argument(
        "--procs", type=int, default=0, help="load-generator processes (0: one per 1000 ops/s)"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--split",
        choices=("participant", "meeting"),
        default="participant",
        help="(d): each meeting's participants across both workers, or whole meetings",
    )
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    p.add_argument(
        "--server-root",
        default="",
        help="run Kinboard from this checkout (e.g. an older commit: before / after)",
    )
    p.add_argument(
        "--sustain",
        default="a,b,c",
        help="configs to step-search for their highest rate (the relay's too), or none",
    )
    p.add_argument("--step-duration", type=float, default=20.0)
    p.add_argument("--ladder", default=",".join(map(str, LADDER)), help="meetings per step")
    p.add_argument(
        "--refine",
        type=int,
        default=3,
        help="steps halving the gap between the last step carried and the first not",
    )
    p.add_argument("--profile", default="", help="configs to re-run under py-spy, e.g. b,c")
    p.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="seconds to wait, before each run, for other work on the machine to calm down",
    )
    p.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run the servers and generators at this niceness (e.g. -10 on a shared machine)",
    )
    p.add_argument("--soak", type=float, default=0.0, help="seconds of steady load (soak mode)")
    p.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    p.add_argument(
        "--docs-section",
        default="results",
        help="the generated part of docs/benchmarks.md this run rewrites (one per table row)",
    )
    return p


def _measure(target: Target, load: Load, args: argparse.Namespace, **kw: Any) -> Measurement:
    busy = wait_for_quiet(args.quiet_wait)
    if busy is not None:
        print(f"   (the machine stayed busy: {busy:.0f} % of a core used by others)", flush=True)
    return measure(target, load, args.redis_url, **kw)


def _describe(load: Load) -> str:
    return (
        f"{load.meetings} meetings x {load.participants} participants x {load.rate:g} op/s "
        f"= {load.offered:.0f} ops/s offered"
    )


def _line(m: Measurement) -> str:
    warnings = m.generator_warnings()
    return (
        f"ack p99 {report.ms(m.ack.percentile(99))} ms, fan-out p99 "
        f"{report.ms(m.fanout.percentile(99))} ms, {m.deliveries_per_second:.0f} deliveries/s, "
        f"lost {m.lost_ops}, dup {m.duplicated}, refused {m.refused_total}, no ack {m.no_ack}, "
        f"server CPU {m.server_cpu:.0f} %, {m.kb_per_connection:.1f} KB/conn"
        + (f"  [{_warning_label(warnings)}: {'; '.join(warnings)}]" if warnings else "")
    )


def _warning_label(warnings: list[str]) -> str:
    if any("generator" in w for w in warnings):
        return "THE LOAD GENERATOR MAY BE THE BOTTLENECK"
    return "MEASUREMENT DISTURBED BY OTHER WORK ON THE MACHINE"


def judge(m: Measurement) -> tuple[bool, str]:
    """Whether a sustain step carried its load, and if not, why."""
    why = []
    p99 = m.fanout.percentile(99)
    if not p99 < report.SUSTAIN_P99_MS:
        why.append(f"fan-out p99 {report.ms(p99)} ms")
    if m.lost_ops or m.no_ack or m.duplicated:
        why.append(f"lost {m.lost_ops}, no ack {m.no_ack}, dup {m.duplicated}")
    if m.refused_total > 0.01 * max(1, m.sent):
        why.append(f"{m.refused_total} refused")
    if m.window and m.acked / m.window < 0.95 * m.load.offered:
        why.append(f"only {m.acked / m.window:.0f} ops/s acknowledged")
    return not why, "; ".join(why)


def _sustain(key: str, load: Load, args: argparse.Namespace) -> report.Sustained:
    """Up the ladder to the first step not carried; then halve the gap between it and the
    last one carried `--refine` times, since the ladder's steps grow by up to half and a
    ratio of two targets' rates needs a finer reading than that."""
    target = TARGETS[key]
    result = report.Sustained(key, 0.0, [])

    def carries(meetings: int) -> bool:
        step = replace(load, meetings=meetings, duration=args.step_duration)
        print(f"== sustain ({key}) {target.name}: {_describe(step)}", flush=True)
        m = _measure(target, step, args)
        passed, why = judge(m)
        print(f"   {'pass' if passed else 'FAIL'}: {_line(m)} {why}", flush=True)
        result.steps.append((m, passed, why))
        if passed:
            result.rate = max(result.rate, m.acked / m.window)
        return passed

    carried, failed = 0, None
    for meetings in [int(x) for x in args.ladder.split(",")]:
        if not carries(meetings):
            failed = meetings
            break
        carried = meetings
    for _ in range(args.refine):
        if failed is None or failed - carried <= 1:
            break
        middle = (carried + failed) // 2
        if carries(middle):
            carried = middle
        else:
            failed = middle
    return result


def _profile(key: str, load: Load, args: argparse.Namespace) -> None:
    """A separate run under py-spy, so that the table's numbers are not perturbed."""
    target = TARGETS[key]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    holder: list[profiling.Recording] = []

    def profiler(pids: list[int], seconds: float) -> profiling.Recording:
        holder.append(profiling.record(pids, seconds, RESULTS, f"{key}-{stamp}"))
        return holder[0]

    print(f"== profile ({key}) {target.name}: {_describe(load)}", flush=True)
    m = _measure(target, load, args, profiler=profiler)
    print(f"   (under py-spy) {_line(m)}", flush=True)
    summary = profiling.summarise(holder[0].outputs) if holder else "(no recording)"
    path = RESULTS / f"profile-{key}-{stamp}-summary.txt"
    path.write_text(f"({key}) {target.name}, {_describe(load)}\n{_line(m)}\n\n{summary}\n")
    print(summary + f"\n(saved in {path})", flush=True)


def _soak(args: argparse.Namespace, load: Load, targets: list, command: str, machine: str) -> int:
    warmup = min(300.0, args.soak / 6)
    interval = min(60.0, (args.soak - warmup) / 10)  # latency per interval, for the drift
    soak = replace(load, duration=args.soak - warmup, warmup=warmup, interval=interval)
    sections = []
    for target in targets:
        print(f"== soak ({target.key}) {target.name}: {_describe(soak)}, {args.soak:.0f} s")
        m = _measure(target, soak, args)
        growth = _mb_per_hour(m.rss_samples)
        drift_p50, drift_p99, first, last = _drift(m.fanout_by_interval)
        ok_memory = growth < report.SOAK_MB_PER_HOUR
        ok_drift = drift_p99 < report.SOAK_DRIFT  # getting faster is not drift
        text = (
            f"({target.key}) {target.name}: {_line(m)}\n"
            f"- memory growth after {warmup:.0f} s warm-up: {growth:+.2f} MB/h "
            f"({m.rss_samples[0][1] / 2**20:.1f} → {m.rss_samples[-1][1] / 2**20:.1f} MB over "
            f"{m.rss_samples[-1][0] / 60:.0f} min) — {'met' if ok_memory else '**not met**'} "
            f"(target under {report.SOAK_MB_PER_HOUR:.0f} MB/h)\n"
            f"- fan-out latency drift, first vs last intervals: p50 {drift_p50:+.0%}, "
            f"p99 {drift_p99:+.0%} ({first} → {last}) — {'met' if ok_drift else '**not met**'} "
            f"(target under {report.SOAK_DRIFT:.0%})"
        )
        print(text, flush=True)
        sections.append(text)
    if not args.no_docs:
        report.update_docs(
            "soak", f"Command: `{command}`\n\nMachine: {machine}\n\n" + "\n\n".join(sections)
        )
    return 0


def _mb_per_hour(samples: list[tuple[float, int]]) -> float:
    """Least-squares slope of RSS over time, in MB per hour."""
    if len(samples) < 2:
        return float("nan")
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_b = sum(b for _, b in samples) / n
    var = sum((t - mean_t) ** 2 for t, _ in samples)
    cov = sum((t - mean_t) * (b - mean_b) for t, b in samples)
    return cov / var * 3600 / 2**20 if var else float("nan")


def _drift(by_interval: dict[int, Histogram]) -> tuple[float, float, str, str]:
    """Relative change of fan-out p50 and p99 from the first fifth of the intervals to the
    last fifth."""
    keys = sorted(by_interval)
    if len(keys) < 2:
        return math.nan, math.nan, "-", "-"
    k = max(1, len(keys) // 5)
    first = Histogram.merged(by_interval[i] for i in keys[:k])
    last = Histogram.merged(by_interval[i] for i in keys[-k:])

    def change(p: float) -> float:
        return last.percentile(p) / first.percentile(p) - 1

    def show(h: Histogram) -> str:
        return f"p50 {report.ms(h.percentile(50))} / p99 {report.ms(h.percentile(99))} ms"

    return change(50), change(99), show(first), show(last)


def _save_json(rows: list[Measurement], sustained: dict, command: str) -> None:
    def summary(m: Measurement) -> dict[str, object]:
        return {
            "config": m.target.key,
            "name": m.target.name,
            "meetings": m.load.meetings,
            "participants": m.load.participants,
            "rate": m.load.rate,
            "connections": m.connections,
            "ops_per_second": m.ops_per_second,
            "ack_ms": [m.ack.percentile(50), m.ack.percentile(99), m.ack.max_ms],
            "fanout_ms": [m.fanout.percentile(50), m.fanout.percentile(99), m.fanout.max_ms],
            "deliveries_per_second": m.deliveries_per_second,
            "refused": dict(m.refused),
            "no_ack": m.no_ack,
            "lost": m.lost_ops,
            "duplicated": m.duplicated,
            "server_cpu": m.server_cpu,
            "redis_cpu": m.redis_cpu,
            "kb_per_connection": m.kb_per_connection,
            "cpu_ms_per_op": m.cpu_ms_per_op,
            "gc_longest_ms": m.gc_longest_ms,
            "gc_longest_generation": m.gc_longest_generation,
            "gc_ms_per_op": m.gc_ms_per_op,
            "proxy_cpu": m.proxy_cpu,
            "generator_cpu": m.generator_cpu,
            "other_cpu": m.other_cpu,
            "steal_cpu": m.steal_cpu,
            "warnings": m.generator_warnings(),
        }

    RESULTS.mkdir(exist_ok=True)
    data = {
        "command": command,
        "runs": [summary(m) for m in rows],
        "sustain": {
            k: {"rate": s.rate, "steps": [summary(m) | {"passed": p} for m, p, _ in s.steps]}
            for k, s in sustained.items()
        },
    }
    path = RESULTS / f"run-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(data, indent=1))
    print(f"Raw numbers: {path}")


if __name__ == "__main__":
    sys.exit(main())
