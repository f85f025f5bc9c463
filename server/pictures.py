"""The bundled pictures, read once from `pictures.json` (the one list: the client's build
copies the same ids' pictures): those a child can choose for their houses, and those of
"Our plan in easy read"."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import i18n
from .board.houses import DRAWING, PlacedWords

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


def placed_words(pictures: Mapping[str, str]) -> PlacedWords:
    """The words a child's picture or drawing starts with when put on the map, in every
    language: the card is written in the meeting's language, as its facilitator would."""
    return MappingProxyType(
        {
            language.code: MappingProxyType(
                {
                    **{
                        picture: i18n.gettext(
                            language.code,
                            "A picture: {picture}",
                            picture=i18n.pgettext(language.code, "picture", name),
                        )
                        for picture, name in pictures.items()
                    },
                    DRAWING: i18n.gettext(language.code, "A drawing"),
                }
            )
            for language in i18n.LANGUAGES
        }
    )


PICTURES = load_pictures()
EASY_READ_PICTURES = load_easy_read()
PLACED_WORDS = placed_words(PICTURES)
