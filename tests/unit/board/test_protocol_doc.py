"""docs/protocol.md lists every op a client may send: its tables of ops (`| type | fields |
who |`) name exactly the op types the core parses, each once."""

from __future__ import annotations

import re
from pathlib import Path

import server
from server.board.ops import OP_TYPES

PROTOCOL = Path(server.__file__).resolve().parent.parent / "docs" / "protocol.md"
OPS_HEADER = "| type | fields | who |"


def documented_op_types(text: str) -> list[str]:
    """The first cell of every row of every table of ops, in order."""
    types: list[str] = []
    in_ops_table = False
    for line in text.splitlines():
        if not line.startswith("|"):
            in_ops_table = False
        elif line.strip() == OPS_HEADER:
            in_ops_table = True
        elif in_ops_table and not re.fullmatch(r"\|[-| ]+\|", line.strip()):
            cell = line.split("|")[1].strip()
            match = re.fullmatch(r"`([a-z_]+\.[a-z_]+)`", cell)
            assert match, f"not an op type in a table of ops: {cell!r}"
            types.append(match.group(1))
    return types


def test_every_op_type_is_documented_once() -> None:
    documented = documented_op_types(PROTOCOL.read_text(encoding="utf-8"))
    assert sorted(documented) == sorted(OP_TYPES)
