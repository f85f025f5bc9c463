"""The data dir and what it holds are the server's own: no other user on the host reads them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from server.board.model import Board, Meeting
from server.security import load_secret
from server.settings import Settings
from server.store.sqlite import SQLiteStore


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual umask (022) makes new files readable by everyone unless the server says
    otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def used_store(data_dir: Path, meeting_id: str = "m7Hq2LwX9pZa") -> dict[str, int]:
    """Open a store in `data_dir`, write to it, and say the mode of each file in the dir
    while it is open (the -wal and -shm files exist only then)."""
    store = SQLiteStore(data_dir / "kinboard.sqlite3")
    await store.open()
    try:
        await store.create(Board(Meeting(meeting_id, "Family meeting", created_at="")))
        return {path.name: mode(path) for path in data_dir.iterdir()}
    finally:
        await store.close()


async def test_a_new_data_dir_and_database_are_readable_by_the_server_only(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    load_secret(replace(Settings(), data_dir=data_dir, secret_key=None))
    files = await used_store(data_dir)
    assert set(files) == {
        "kinboard.sqlite3",
        "kinboard.sqlite3-wal",
        "kinboard.sqlite3-shm",
        "secret.key",
    }
    assert mode(data_dir) == 0o700
    assert files == dict.fromkeys(files, 0o600)


async def test_files_left_readable_before_are_made_private_at_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await used_store(data_dir)
    (data_dir / "secret.key").write_text("an old key\n")
    for path in [data_dir, *data_dir.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert load_secret(replace(Settings(), data_dir=data_dir, secret_key=None)) == b"an old key"
    assert mode(data_dir / "secret.key") == 0o600
    files = await used_store(data_dir, "n8Jr3MxY0qAb")
    assert mode(data_dir) == 0o700
    assert files == dict.fromkeys(files, 0o600)
