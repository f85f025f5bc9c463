"""The picture of a revealed round: each group's median, the gap between them, and the
same in words."""

from __future__ import annotations

from statistics import median
from typing import Any

from .roles import Group
from .scaling_model import Vote
from .template import GROUP_LABELS


def summarise(votes: tuple[Vote, ...]) -> dict[str, Any]:
    """Each group's median, the gap between the highest and lowest median, and the same in
    words: "Family 7, network 6, professionals 3: a gap of 4"."""
    counted = [
        (group, [v.value for v in votes if v.group is group])
        for group in Group
        if any(v.group is group for v in votes)
    ]
    medians = [(group, _number(median(values)), len(values)) for group, values in counted]
    groups = [{"group": g.value, "median": m, "count": n} for g, m, n in medians]
    gap = (
        _number(max(m for _, m, _ in medians) - min(m for _, m, _ in medians)) if medians else None
    )
    words = ", ".join(f"{GROUP_LABELS[g].lower()} {m}" for g, m, _ in medians)
    if len(groups) > 1:
        words += f": a gap of {gap}"
    values = [v.value for v in votes]
    return {
        "groups": groups,
        "gap": gap,
        "lowest": min(values) if values else None,
        "highest": max(values) if values else None,
        "words": words[:1].upper() + words[1:],
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)
