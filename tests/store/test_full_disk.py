"""The embedded store's disk fills up: ops are refused `unavailable` and change nothing, the
worker says it is not ready (/readyz 503, in plain words, naming no file) and the log says
so once, not once per op; with room again, ops are saved and the worker is ready.

Two ways to fill the disk. A real one, a 2 MB tmpfs the test mounts and fills with a file,
needs root (so it is skipped without). The other runs everywhere: SQLite's own quota,
`PRAGMA max_page_count` lowered to the pages the file has, on the store's connection; a
write that needs one page more fails with SQLITE_FULL, "database or disk is full", the error
a full disk gives.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import subprocess
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from server.board.errors import Unavailable
from server.store.sqlite import SQLiteStore
from tests.support.inprocess import Kin, MovableClock, start

TEXT = "Gran walks them to school and stays for breakfast. " * 38  # ~1,900 characters


class Disk(ABC):
    """Where the data dir is, and a way to fill its disk up and to make room again."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @abstractmethod
    def fill(self, kin: Kin) -> None: ...

    @abstractmethod
    def free(self, kin: Kin) -> None: ...


class SmallFilesystem(Disk):
    def fill(self, kin: Kin) -> None:
        with (self.directory / "filler").open("wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError as error:
                assert error.errno == errno.ENOSPC

    def free(self, kin: Kin) -> None:
        (self.directory / "filler").unlink()


class PageLimit(Disk):
    def _pragma(self, kin: Kin, sql: str) -> None:
        store = cast(SQLiteStore, kin.store)
        # The store's own connection, on its own thread: the quota holds for its writes.
        kin.run(store._db.run, lambda db: db.execute(sql).fetchall())

    def fill(self, kin: Kin) -> None:
        self._pragma(kin, "PRAGMA max_page_count = 1")  # as low as the pages it has

    def free(self, kin: Kin) -> None:
        self._pragma(kin, "PRAGMA max_page_count = 1000000")


@pytest.fixture(params=["small filesystem", "page limit"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Disk]:
    directory = tmp_path / "data"
    directory.mkdir()
    if request.param == "page limit":
        yield PageLimit(directory)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(directory)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        yield SmallFilesystem(directory)
    finally:
        subprocess.run(["umount", str(directory)], check=True)


def add_card(kin: Kin, meeting_id: str, by: str) -> bool:
    """Whether a card (of some 1,900 characters: each needs new pages) was saved."""
    try:
        kin.op(meeting_id, by, "card.add", section="strengths", text=TEXT)
    except Unavailable:
        return False
    return True


def test_a_full_disk_refuses_ops_says_not_ready_and_logs_once(
    disk: Disk, caplog: pytest.LogCaptureFixture
) -> None:
    with contextlib.contextmanager(start)(disk.directory, MovableClock()) as kin:
        meeting = kin.new_meeting()
        joined = kin.browser().join(meeting["links"]["participant"])
        assert joined.status_code == 200
        sam = joined.json()["participant"]["id"]
        assert add_card(kin, meeting["id"], sam)
        caplog.set_level(logging.INFO, logger="kinboard")

        disk.fill(kin)
        # Some room may be left in pages or blocks the file has already: the first ops can
        # still fit. Once one is refused, so is every one after it.
        tries = 1
        while add_card(kin, meeting["id"], sam):
            tries += 1
            assert tries < 50, "the disk never filled up"
        board = kin.board(meeting["id"])
        assert not any(add_card(kin, meeting["id"], sam) for _ in range(5))
        assert kin.board(meeting["id"]) == board, "a refused op changed nothing"

        ready = kin.client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        reason = ready.json()["reason"]
        assert "saved" in reason
        assert str(disk.directory) not in reason and "sqlite" not in reason.lower()
        failures = [r for r in caplog.records if "cannot be saved" in r.getMessage()]
        assert len(failures) == 1, [r.getMessage() for r in caplog.records]
        assert failures[0].levelno == logging.ERROR
        assert "full" in failures[0].getMessage()

        disk.free(kin)
        assert add_card(kin, meeting["id"], sam)
        assert kin.client.get("/readyz").status_code == 200
        assert [r for r in caplog.records if "saved again" in r.getMessage()]
        assert len(kin.board(meeting["id"]).cards) == len(board.cards) + 1
