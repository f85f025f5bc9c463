"""Every row of docs/benchmarks.md's targets table, one `bench.run` after the other, each
rewriting its own generated part of the page:

    .venv/bin/python -m bench.table [--only load-500,sockets-5000] [--dry-run] [bench.run options]

Options after the row names (e.g. `--nice -10 --quiet-wait 60`) go to every run. Run it on
a quiet machine: each row measures the relay and Kinboard side by side, but a busy machine
still ends up in the latencies.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time

# (docs section, what the row measures, bench.run's options). Each is a row's one command.
ROWS = (
    (
        "load-500",
        "50 meetings x 10 people x 1 op/s (500 sockets, 500 ops/s): CPU per op, the longest "
        "GC pause and the latency tail against the relay, and each one's highest sustained rate",
        "--meetings 50 --participants 10 --rate 1 --duration 60 --targets a,b,c --sustain a,b,c",
    ),
    (
        "load-250",
        "50 meetings x 10 people x 0.5 op/s (250 ops/s): the latency tail against the relay",
        "--meetings 50 --participants 10 --rate 0.5 --duration 60 --targets a,b,c --sustain none",
    ),
    (
        "sockets-5000",
        "500 meetings x 10 people x 0.1 op/s (5,000 sockets, with presence): one worker's "
        "fan-out and memory per connection",
        "--meetings 500 --participants 10 --rate 0.1 --duration 60 --targets a,b,c "
        "--sustain none --procs 2",
    ),
    (
        "affinity",
        "two workers behind nginx, by meeting (e), against one worker (c) and against two "
        "that spread every meeting (d): CPU per op, and the highest sustained rates",
        "--meetings 50 --participants 10 --rate 1 --duration 60 --targets c,d,e --sustain c,e",
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.table", description=__doc__)
    parser.add_argument("--only", default="", help="these rows only (comma-separated names)")
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args, extra = parser.parse_known_args(argv)
    chosen = [row for row in ROWS if not args.only or row[0] in args.only.split(",")]
    for name, what, options in chosen:
        command = [
            sys.executable,
            "-m",
            "bench.run",
            *shlex.split(options),
            "--docs-section",
            name,
            *extra,
        ]
        print(f"== {name}: {what}\n   {shlex.join(command[1:])}", flush=True)
        if args.dry_run:
            continue
        began = time.monotonic()
        if subprocess.run(command, check=False).returncode != 0:
            print(f"== {name} failed", flush=True)
            return 1
        print(f"== {name} took {(time.monotonic() - began) / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
