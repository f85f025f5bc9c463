"""One SQLite file, several stores: a store opened beside one still open (a restart, a
second worker) in this process, and `kinboard staff` in another process meanwhile."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from server.store.sqlite import SQLiteStore
from tests.support.harness import ROOT

# Another process's store: it writes or reads one record, then closes (the last one out,
# when this process has let its lock go).
OTHER_PROCESS = """
import asyncio, sys
from pathlib import Path
from server.store.sqlite import SQLiteStore

async def main(path: str, verb: str, key: str) -> None:
    store = SQLiteStore(Path(path))
    await store.open()
    try:
        if verb == "put":
            await store.put_record("note", key, {"by": "another process"})
        else:
            print(await store.get_record("note", key) is not None)
    finally:
        await store.close()

asyncio.run(main(*sys.argv[1:]))
"""


def in_another_process(path: Path, verb: str, key: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(path), verb, key],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("beside", ["a restart", "a second worker"])
async def test_a_store_opened_beside_an_open_one_leaves_its_commits_seen_by_others(
    tmp_path: Path, beside: str
) -> None:
    path = tmp_path / "kinboard.sqlite3"
    first = SQLiteStore(path)
    await first.open()
    second = SQLiteStore(path)
    await second.open()
    try:
        if beside == "a restart":
            await second.close()
        in_another_process(path, "put", "command")
        assert await first.get_record("note", "command") is not None
        # Acknowledged here, so every other process sees it; and the first store's close
        # later must not write its own older pages over the other process's commit.
        await first.put_record("note", "server", {"by": "the server"})
        assert in_another_process(path, "get", "server") == "True"
        in_another_process(path, "put", "command-2")
        assert await first.get_record("note", "command-2") is not None
    finally:
        await first.close()
        if beside == "a second worker":
            await second.close()
    assert [sorted(path.parent.iterdir())] == [[path]]  # the last one out tidied up
    for key in ("command", "server", "command-2"):
        assert in_another_process(path, "get", key) == "True", key
