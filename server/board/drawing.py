"""A child's drawing as the server keeps it: strokes of numbers, never markup, read strictly."""

from __future__ import annotations

from typing import Any

from .errors import N_, Invalid, Nn_, TooMany
from .limits import DRAWING_SIZE, MAX_POINTS, MAX_STROKES

_POINT = N_("A drawing's points are numbers from 0 to {size}.")
_SHAPE = N_("A drawing is a list of strokes, each a list of x, y numbers.")


_LINES = Nn_(
    "A drawing can have at most {most} line.",
    "A drawing can have at most {most} lines.",
    "most",
)


_POINTS = Nn_(
    "A drawing can have at most {most} point.",
    "A drawing can have at most {most} points.",
    "most",
)


def strokes(value: Any) -> tuple[tuple[int, ...], ...]:
    """`value` as strokes: a list of at most MAX_STROKES strokes, each a flat list of x, y
    numbers from 0 to DRAWING_SIZE (whole numbers kept; others rounded), MAX_POINTS points
    in all; or Invalid / TooMany saying what is wrong."""
    if not isinstance(value, list) or not value:
        raise Invalid(_SHAPE)
    if len(value) > MAX_STROKES:
        raise TooMany(_LINES, most=MAX_STROKES)
    if sum(len(stroke) // 2 for stroke in value if isinstance(stroke, list)) > MAX_POINTS:
        raise TooMany(_POINTS, most=MAX_POINTS)
    return tuple(_stroke(stroke) for stroke in value)


def _stroke(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value or len(value) % 2:
        raise Invalid(_SHAPE)
    return tuple(_coordinate(number) for number in value)


def _coordinate(value: Any) -> int:
    # Floats are rounded; JSON has no NaN or Infinity (the reader refuses them), and a bool
    # is not a number here.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(_POINT, size=DRAWING_SIZE)
    if not 0 <= value <= DRAWING_SIZE:
        raise Invalid(_POINT, size=DRAWING_SIZE)
    return round(value)
