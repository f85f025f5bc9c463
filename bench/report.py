"""Turning measurements into the Markdown table, the targets verdict and docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import math
import platform
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import psutil

from .measure import Measurement
from .stats import Histogram

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"

# The targets (issue 15), each against the relay measured in the same run where it can be.
CPU_VS_RELAY = 1.3  # CPU per committed op
LATENCY_VS_RELAY = {500.0: 2.0, 0.0: 1.5}  # fan-out and ack p99, by the ops/s offered (at least)
GC_PAUSE_MS = 10.0  # the longest pause of the collector in the window
SUSTAIN_VS_RELAY = 0.75  # the highest rate with fan-out p99 under SUSTAIN_P99_MS
SUSTAIN_P99_MS = 50.0
MANY_SOCKETS = 5000  # a run with this many sockets is the realistic-load one:
MANY_FANOUT_P99_MS = 100.0
MANY_KB_PER_CONNECTION = 50.0
AFFINITY_CPU_VS_ONE = 1.1  # (e) two workers by meeting: CPU per op against (c) one worker
KB_PER_CONNECTION = 60.0
SOAK_MB_PER_HOUR = 5.0
SOAK_DRIFT = 0.20


@dataclass
class Sustained:
    """The highest load a target carried with fan-out p99 under SUSTAIN_P99_MS."""

    target: str
    rate: float  # ops/s acknowledged at the best passing step (0: none passed)
    steps: list[tuple[Measurement, bool, str]]  # each step, whether it passed, and why not


def ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def triple(h: Histogram) -> str:
    return " / ".join(ms(h.percentile(p)) for p in (50, 99)) + f" / {ms(h.max_ms)}"


def table(rows: list[Measurement]) -> str:
    head = (
        "| config | conns | ops/s | ack p50 / p99 / max (ms) | fan-out p50 / p99 / max (ms) "
        "| deliveries/s | refused | no ack | lost | dup | server CPU % | CPU ms / op | Redis CPU % "
        "| KB / conn | longest GC pause; all GC per op (ms) | generator CPU % (per process) "
        "| other CPU % | notes |"
    )
    lines = [head, "|" + "---|" * 18]
    for m in rows:
        refused = str(m.refused_total)
        if m.refused:
            refused += " (" + ", ".join(f"{k} {v}" for k, v in m.refused.most_common(3)) + ")"
        redis_cpu = "-" if m.redis_cpu is None else f"{m.redis_cpu:.0f}"
        generator = " + ".join(f"{c:.0f}" for c in m.generator_cpu)
        anomalies = (
            [f"{m.refused_applied} deliveries of ops refused yet committed"]
            if m.refused_applied
            else []
        )
        if m.target.proxy:
            anomalies.append(f"nginx used {m.proxy_cpu:.0f} % of a core")
        notes = "; ".join(anomalies + m.generator_warnings() + m.errors[:2]) or "-"
        lines.append(
            f"| ({m.target.key}) {m.target.name} | {m.connections} | {m.ops_per_second:.0f} "
            f"| {triple(m.ack)} | {triple(m.fanout)} | {m.deliveries_per_second:.0f} "
            f"| {refused} | {m.no_ack} | {m.lost_ops} | {m.duplicated} | {m.server_cpu:.0f} "
            f"| {m.cpu_ms_per_op:.2f} | {redis_cpu} | {m.kb_per_connection:.1f} "
            f"| {ms(m.gc_longest_ms)} (gen {m.gc_longest_generation}); "
            f"{m.gc_ms_per_op:.3f} / op | {generator} "
            f"| {m.other_cpu:.0f}"
            f" | {notes} |"
        )
    return "\n".join(lines)


def verdicts(
    rows: list[Measurement], sustained: dict[str, Sustained]
) -> list[tuple[str, bool, str]]:
    """(target, met, the numbers) for each of the targets that this run measured."""
    by_key = {m.target.key: m for m in rows}
    kinboard = [m for m in rows if not m.target.relay]
    relay = by_key.get("a")
    out: list[tuple[str, bool, str]] = []
    if relay is not None and relay.fanout.count:
        out += _against_relay(relay, kinboard)
    for m in kinboard:
        bad = m.lost_ops + m.duplicated + m.no_ack
        out.append(
            (
                f"({m.target.key}) zero lost, duplicated or unacknowledged ops",
                bad == 0,
                f"lost {m.lost_ops}, duplicated {m.duplicated}, unacknowledged {m.no_ack}"
                f" of {m.sent} sent",
            )
        )
    for m in kinboard:
        pause = m.gc_longest_ms
        out.append(
            (
                f"({m.target.key}) longest garbage-collection pause ≤ {GC_PAUSE_MS:.0f} ms",
                pause <= GC_PAUSE_MS,
                f"{ms(pause)} ms"
                + (f" (the relay's {ms(relay.gc_longest_ms)} ms)" if relay else ""),
            )
        )
    for m in kinboard:
        if m.connections >= MANY_SOCKETS:
            p99, kb = m.fanout.percentile(99), m.kb_per_connection
            out.append(
                (
                    f"({m.target.key}) {m.connections} sockets: fan-out p99 < "
                    f"{MANY_FANOUT_P99_MS:.0f} ms and ≤ {MANY_KB_PER_CONNECTION:.0f} KB each",
                    p99 < MANY_FANOUT_P99_MS and kb <= MANY_KB_PER_CONNECTION,
                    f"{ms(p99)} ms, {kb:.1f} KB per connection",
                )
            )
    one, two = by_key.get("c"), by_key.get("e")
    if one is not None and two is not None:
        ratio = two.cpu_ms_per_op / one.cpu_ms_per_op
        out.append(
            (
                f"(e) two workers by meeting: CPU per op ≤ {AFFINITY_CPU_VS_ONE}x one worker (c)",
                ratio <= AFFINITY_CPU_VS_ONE,
                f"{two.cpu_ms_per_op:.2f} vs {one.cpu_ms_per_op:.2f} ms: {ratio:.2f}x "
                f"(workers only; nginx {two.proxy_cpu:.0f} % of a core besides)",
            )
        )
    out += _sustained(sustained)
    return out


def _against_relay(relay: Measurement, kinboard: list[Measurement]) -> list[tuple[str, bool, str]]:
    """CPU per op and the latency tail, against the relay under the same load."""
    out = []
    limit = next(
        v for at, v in sorted(LATENCY_VS_RELAY.items(), reverse=True) if relay.load.offered >= at
    )
    for m in kinboard:
        ratio = m.cpu_ms_per_op / relay.cpu_ms_per_op
        out.append(
            (
                f"({m.target.key}) CPU per committed op ≤ {CPU_VS_RELAY}x the relay's",
                ratio <= CPU_VS_RELAY,
                f"{m.cpu_ms_per_op:.2f} vs {relay.cpu_ms_per_op:.2f} ms: {ratio:.2f}x",
            )
        )
        for what, mine, floor in (
            ("fan-out", m.fanout.percentile(99), relay.fanout.percentile(99)),
            ("ack", m.ack.percentile(99), relay.ack.percentile(99)),
        ):
            out.append(
                (
                    f"({m.target.key}) {what} p99 ≤ {limit}x the relay's",
                    mine <= limit * floor,
                    f"{ms(mine)} ms vs {ms(floor)} ms: {mine / floor:.2f}x",
                )
            )
    return out


def _sustained(sustained: dict[str, Sustained]) -> list[tuple[str, bool, str]]:
    """Each configuration's highest sustained rate against the relay's."""
    relay = sustained.get("a")
    if relay is None or not relay.rate:
        return []
    out = []
    for key, s in sustained.items():
        if key == "a":
            continue
        ratio = s.rate / relay.rate
        disturbed = sorted({w for t in (s, relay) for m, _, _ in t.steps for w in _kinds(m)})
        caveat = f" (inconclusive: during the search {', '.join(disturbed)})" if disturbed else ""
        top = (
            " (the relay passed every step: its own limit is higher)"
            if _never_failed(relay)
            else ""
        )
        out.append(
            (
                f"({key}) highest rate with fan-out p99 < {SUSTAIN_P99_MS:.0f} ms ≥ "
                f"{SUSTAIN_VS_RELAY:.0%} of the relay's",
                ratio >= SUSTAIN_VS_RELAY,
                f"{s.rate:.0f} vs {relay.rate:.0f} ops/s: {ratio:.0%}{top}{caveat}",
            )
        )
    return out


def _never_failed(s: Sustained) -> bool:
    return all(passed for _, passed, _ in s.steps)


def _kinds(m: Measurement) -> list[str]:
    """What disturbed a measurement, in words that do not depend on the numbers."""
    kinds = []
    for warning in m.generator_warnings():
        if "generator" in warning:
            kinds.append("the generator was busy")
        elif "other processes" in warning:
            kinds.append("other processes used the CPUs")
        elif "the host took" in warning:
            kinds.append("the host took CPU from this machine")
        else:
            kinds.append("all CPUs were busy")
    return kinds


def verdict_lines(items: list[tuple[str, bool, str]]) -> str:
    return "\n".join(
        f"- {'met' if ok else '**not met**'}: {what}: {numbers}" for what, ok, numbers in items
    )


def sustain_table(sustained: dict[str, Sustained]) -> str:
    lines = [
        "| config | meetings | offered ops/s | acked ops/s | fan-out p99 (ms) | ack p99 (ms) "
        "| server CPU % | generator CPU % | other CPU % | passed | why not / notes |",
        "|" + "---|" * 11,
    ]
    for s in sustained.values():
        for m, passed, why in s.steps:
            notes = "; ".join(([why] if why else []) + m.generator_warnings()) or "-"
            lines.append(
                f"| ({m.target.key}) {m.target.name} | {m.load.meetings} | {m.load.offered:.0f} "
                f"| {m.acked / m.window if m.window else 0:.0f} | {ms(m.fanout.percentile(99))} "
                f"| {ms(m.ack.percentile(99))} | {m.server_cpu:.0f} "
                f"| {' + '.join(f'{c:.0f}' for c in m.generator_cpu)} | {m.other_cpu:.0f} "
                f"| {'yes' if passed else 'no'} | {notes} |"
            )
    best = ", ".join(f"({k}) {s.rate:.0f} ops/s" for k, s in sustained.items())
    return "\n".join(lines) + f"\n\nHighest sustained rate: {best}."


def machine() -> str:
    model = "unknown CPU"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        found = re.search(r"Model name:\s*(.+)", lscpu)
        model = found.group(1).strip() if found else model
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    versions = ", ".join(
        f"{name} {_version(name)}"
        for name in ("python-socketio", "python-engineio", "uvicorn", "aiohttp", "redis")
    )
    return (
        f"{model}, {psutil.cpu_count()} CPUs (nproc), {memory:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"{versions}; {_redis_server()}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _redis_server() -> str:
    try:
        out = subprocess.run(
            ["redis-server", "--version"], capture_output=True, text=True, check=False
        ).stdout
        found = re.search(r"v=(\S+)", out)
        return f"Redis {found.group(1)}" if found else "Redis ?"
    except OSError:
        return "Redis ?"


def update_docs(section: str, body: str, path: Path = DOCS) -> None:
    """Replace the generated part `section` of docs/benchmarks.md (between its markers),
    leaving everything written by hand as it is."""
    start, end = f"<!-- bench:{section}:start -->", f"<!-- bench:{section}:end -->"
    text = path.read_text() if path.exists() else ""
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip() + f"\n\n{block}\n"
    path.write_text(text)
