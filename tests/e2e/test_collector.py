"""A served worker freezes what start-up made, collects young objects on its timer, and logs
its collections' pauses when asked."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import httpx

from tests.support.harness import ServerProcess, create_meeting


def test_a_worker_freezes_start_up_collects_on_a_timer_and_reports_on_usr1(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "data").start()
    try:
        frozen = re.search(r"garbage collection: (\d+) objects of start-up frozen", server.log())
        assert frozen is not None and int(frozen.group(1)) > 10_000, server.log()
        for _ in range(20):  # some work, so that there is something to collect
            create_meeting(server.url)
        assert server.process is not None
        server.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 5
        while "longest" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        report = re.search(
            r"garbage collection: (\d+) collections, [\d.]+ ms in all, longest ([\d.]+) ms",
            server.log(),
        )
        assert report is not None, server.log()
        # The timer's young collections, ten a second since start-up, are among them.
        assert int(report.group(1)) >= 3, report.group(0)
        assert httpx.get(f"{server.url}/healthz").status_code == 200  # and it carries on
    finally:
        server.stop()
