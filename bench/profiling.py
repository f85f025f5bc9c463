"""py-spy on the server processes during a measured window, summed up as text: where the
CPU goes (own time per function and per layer) and which call paths hold it (inclusive
time). Only threads holding the GIL are sampled (`--gil`): a thread waiting for the disk or
the network, or an event loop waiting for work, is not using the CPU."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


@dataclass
class Recording:
    processes: list[subprocess.Popen[bytes]]
    outputs: list[Path]

    def wait(self) -> None:
        for process in self.processes:
            process.wait()


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise RuntimeError("py-spy is not installed: pip install -r bench/requirements.txt")
    return found


def record(pids: list[int], seconds: float, out_dir: Path, name: str) -> Recording:
    """Start sampling every pid for `seconds` (raw collapsed stacks, one file per pid)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    processes, outputs = [], []
    for n, pid in enumerate(pids):
        output = out_dir / f"profile-{name}-{n}.txt"
        command = [
            py_spy(),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(max(1, int(seconds))),
            "--rate",
            "250",
            "--format",
            "raw",
            "--nonblocking",  # do not pause the server: it is being measured
            "--gil",
            "--output",
            str(output),
        ]
        processes.append(
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        outputs.append(output)
    return Recording(processes, outputs)


# Each frame's file, by the layer it belongs to (the first that matches).
LAYERS = (
    ("server/board/", "Kinboard's core (server/board)"),
    ("server/store/", "Kinboard's store (server/store)"),
    ("server/fastjson", "JSON (orjson and its guards)"),
    ("server/collector", "garbage collection on the timer"),
    ("server/", "Kinboard's handlers and services"),
    ("bench/relay", "the relay's handler"),
    ("redis/", "redis-py"),
    ("sqlite3", "sqlite3"),
    ("json/", "JSON (orjson and its guards)"),
    ("engineio/", "the transport"),
    ("socketio/", "the transport"),
    ("uvicorn/", "the transport"),
    ("websockets/", "the transport"),
    ("asyncio/", "asyncio"),
)
# Where a stack starts in Kinboard, the frames below that are start-up, not work done for
# one op.
_ENTRY = ("server/__main__", "server/serving")


def _layer(frame: str) -> str:
    return next((name for marker, name in LAYERS if marker in frame), "other")


def _asked_by(frames: list[str]) -> str:
    """Whom a sample works for: the innermost Kinboard (or relay) frame's layer, or the
    transport when no Kinboard code is on the stack."""
    for frame in reversed(frames):
        if ("server/" in frame or "bench/relay" in frame) and not any(e in frame for e in _ENTRY):
            return _layer(frame)
    return "the transport, asyncio and the rest (no Kinboard frame on the stack)"


def _short(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3."):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['func']} ({path})"


def summarise(paths: list[Path], top: int = 15) -> str:
    """Own and inclusive sample shares per function, over all the given recordings."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    total = 0
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not count_text.isdigit():
                continue
            count = int(count_text)
            frames = [_short(f) for f in stack.split(";")[1:]]  # [0] is the process
            if not frames:
                continue
            total += count
            own[frames[-1]] += count
            layers[_layer(frames[-1])] += count
            asked[_asked_by(frames)] += count
            for frame in set(frames):
                inclusive[frame] += count
    if not total:
        return "(no samples: is py-spy allowed to read the process? try running as root)"
    lines = [f"{total} samples (threads holding the GIL)", "", "own time by layer:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in layers.most_common()]
    lines += ["", "by whom it is for (the innermost Kinboard frame, libraries it calls included):"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in asked.most_common()]
    lines += ["", "own time (where the CPU is):"]
    lines += [f"  {n / total:6.1%}  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "inclusive time (what it is spent for):"]
    lines += [f"  {n / total:6.1%}  {frame}" for frame, n in inclusive.most_common(top * 2)]
    return "\n".join(lines)
