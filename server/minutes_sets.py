"""Worry statements with their safety goals and their scale, as minutes documents list them
(the page, the PDF and Markdown), from a reader's copy of the minutes content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def minutes_sets(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Each worry statement with its safety goals (words and by when) and its own scale's
    last revealed round, from the ids minutes record (none before the composers). `content`
    is a viewer's copy: a statement or goal they may not see is not in it, nor here."""
    cards = {
        card["id"]: card
        for column in content["columns"]
        for section in column["sections"]
        for card in section["cards"]
    }
    scales = {scale["id"]: scale for scale in content["scales"]}
    sets = []
    for item in content.get("sets", []):
        goals = [cards[g] for g in item["goals"] if g in cards]
        if item["statement"] not in cards or not goals:
            continue
        scale = scales.get(item["scale"]) if item["scale"] else None
        rounds = scale["rounds"] if scale else []
        sets.append(
            {
                "worry": cards[item["statement"]]["text"],
                "goals": [{"text": g["text"], "due": g["due"]} for g in goals],
                "scale": scale["question"] if scale else None,
                "result": rounds[-1]["summary"]["words"] if rounds else None,
            }
        )
    return sets


def sets_markdown(sets: list[dict[str, Any]], md: Callable[[str], str]) -> list[str]:
    """The sets as Markdown lines, user text through `md` (escaped, one line)."""
    if not sets:
        return []
    lines = ["", "## Worries and safety goals"]
    for n, item in enumerate(sets, 1):
        lines += ["", f"### Set {n}", "", f"- Worry: {md(item['worry'])}"]
        for goal in item["goals"]:
            due = f" (by {goal['due']})" if goal["due"] else ""
            lines.append(f"- Safety goal: {md(goal['text'])}{due}")
        if item["scale"]:
            result = md(item["result"]) if item["result"] else "not scaled yet"
            lines.append(f"- Scale: {md(item['scale'])}: {result}")
    return lines
