"""Marking every test of a folder, from that folder's conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest


def mark_folder(items: list[pytest.Item], folder: Path, *marks: pytest.MarkDecorator) -> None:
    # pytest_collection_modifyitems sees every collected test, not only the folder's own.
    for item in items:
        if item.path.is_relative_to(folder):
            for mark in marks:
                item.add_marker(mark)
