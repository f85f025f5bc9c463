"""What minutes record of the children's three houses: only what each child shared with
everyone at the meeting (unshared items are a secret part of the board, never in minutes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .houses import shared_items
from .model import Board, House
from .template import HOUSE_LABELS
from .visibility import Audience


def houses_content(
    board: Board, marking: Callable[[Audience], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each child with shared items, by name and age, and their items house by house, each
    with `marking(its audience)` (what each reader's copy is cut by, and the staff's words)."""
    children: dict[str, list[Any]] = {}
    for item in shared_items(board):
        children.setdefault(item.child, []).append(item)
    return [
        {
            "child": board.participants[child].name,
            "age": board.participants[child].age,
            "houses": [
                {
                    "key": house.value,
                    "label": HOUSE_LABELS[house],
                    "items": [
                        {
                            **marking(i.audience),
                            "words": i.words,
                            "picture": i.picture,
                            "strokes": None if i.strokes is None else [list(s) for s in i.strokes],
                        }
                        for i in items
                        if i.house is house
                    ],
                }
                for house in House
            ],
        }
        for child, items in children.items()
    ]
