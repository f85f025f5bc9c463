"""The bundled pictures a child can choose for their houses, read once from
`pictures.json` (the one list: the client's build copies the same ids' pictures)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

PICTURES_FILE = Path(__file__).resolve().parent / "pictures.json"


def load_pictures(path: Path = PICTURES_FILE) -> Mapping[str, str]:
    """id -> plain name, in the file's order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return MappingProxyType({p["id"]: p["name"] for p in data["pictures"]})


PICTURES = load_pictures()
