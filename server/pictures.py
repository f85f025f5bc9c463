"""The bundled pictures, read once from `pictures.json` (the one list: the client's build
copies the same ids' pictures): those a child can choose for their houses, and those of
"Our plan in easy read"."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

PICTURES_FILE = Path(__file__).resolve().parent / "pictures.json"


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_pictures(path: Path = PICTURES_FILE) -> Mapping[str, str]:
    """id -> plain name, in the file's order."""
    return MappingProxyType({p["id"]: p["name"] for p in _read(path)["pictures"]})


def load_easy_read(path: Path = PICTURES_FILE) -> Mapping[str, str]:
    """What an easy read picture stands for (a part of the plan, "who", "when") -> its id."""
    return MappingProxyType(dict(_read(path)["easy_read"]))


PICTURES = load_pictures()
EASY_READ_PICTURES = load_easy_read()
