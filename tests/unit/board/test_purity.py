"""The core stays pure: server/board/ imports only itself and a few pure parts of the
standard library, and never asks for the time or opens anything."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import server

BOARD = Path(server.__file__).resolve().parent / "board"
# Pure standard-library modules: no I/O, no clock, no randomness. (`_typeshed` is for
# type checking only.)
ALLOWED = {
    "__future__",
    "_typeshed",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "hashlib",
    "itertools",
    "json",
    "re",
    "statistics",
    "types",
    "typing",
}
# Calls that would read the clock or the outside world.
FORBIDDEN_CALLS = {"now", "today", "utcnow", "time", "open", "print", "input"}


def _problems(source: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            names = []
        problems += [f"imports {n}" for n in names if n.split(".")[0] not in ALLOWED]
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                problems.append(f"calls {name}() on line {node.lineno}")
    return problems


@pytest.mark.parametrize("path", sorted(BOARD.glob("*.py")), ids=lambda p: p.name)
def test_core_module_is_pure(path: Path) -> None:
    assert _problems(path.read_text(encoding="utf-8")) == []


def test_impurity_is_noticed() -> None:
    source = "import os\nfrom starlette.responses import Response\nfrom datetime import datetime\n"
    source += "stamp = datetime.now()\n"
    assert _problems(source) == [
        "imports os",
        "imports starlette.responses",
        "calls now() on line 4",
    ]
