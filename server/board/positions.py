"""Fractional index keys: a card's place in its section is a string that sorts between its
neighbours, so a move rewrites one card only.

Keys are base-62 fractions (digits after an implied "0."), never ending in the zero digit,
so there is always room between two different keys.
"""

from __future__ import annotations

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE = len(DIGITS)
_ZERO = DIGITS[0]


def key_between(before: str | None, after: str | None) -> str:
    """A key strictly between `before` (None: the start) and `after` (None: the end)."""
    low = before or ""
    if after is not None and not low < after:
        raise ValueError(f"keys out of order: {before!r} >= {after!r}")
    return _midpoint(low, after)


def _midpoint(low: str, high: str | None) -> str:
    if high is not None:
        # Skip the shared prefix; the key continues below it.
        n = 0
        while n < len(high) and (low[n] if n < len(low) else _ZERO) == high[n]:
            n += 1
        if n:
            return high[:n] + _midpoint(low[n:], high[n:])
    low_digit = DIGITS.index(low[0]) if low else 0
    high_digit = DIGITS.index(high[0]) if high is not None else _BASE
    if high_digit - low_digit > 1:
        return DIGITS[(low_digit + high_digit + 1) // 2]
    if high is not None and len(high) > 1:
        return high[:1]
    return DIGITS[low_digit] + _midpoint(low[1:], None)


def even_keys(count: int) -> list[str]:
    """`count` short keys in ascending order, evenly spread: used to re-space a section whose
    keys have grown long under many moves to the same spot."""
    width = 1
    while _BASE**width <= count + 1:
        width += 1
    keys = []
    for i in range(1, count + 1):
        value = i * _BASE**width // (count + 1)
        digits = []
        for _ in range(width):
            value, digit = divmod(value, _BASE)
            digits.append(DIGITS[digit])
        keys.append("".join(reversed(digits)).rstrip(_ZERO))
    return keys
