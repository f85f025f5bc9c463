"""Worry statements with their safety goals and their scale, as minutes documents list them
(the page, the PDF and Markdown), from a reader's copy of the minutes content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .i18n import gettext


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


def sets_markdown(sets: list[dict[str, Any]], md: Callable[[str], str], code: str) -> list[str]:
    """The sets as Markdown lines, user text through `md` (escaped, one line), the fixed
    words in the language `code`."""
    if not sets:
        return []
    lines = ["", f"## {gettext(code, 'Worries and safety goals')}"]
    for n, item in enumerate(sets, 1):
        worry = gettext(code, "Worry: {words}", words=md(item["worry"]))
        lines += ["", f"### {gettext(code, 'Set {number}', number=n)}", "", f"- {worry}"]
        for goal in item["goals"]:
            goal_words = gettext(code, "Safety goal: {words}", words=md(goal["text"]))
            due = " (" + gettext(code, "by {day}", day=goal["due"]) + ")" if goal["due"] else ""
            lines.append(f"- {goal_words}{due}")
        if item["scale"]:
            result = md(item["result"]) if item["result"] else gettext(code, "not scaled yet")
            scale = gettext(code, "Scale: {question}", question=md(item["scale"]))
            lines.append(f"- {scale}: {result}")
    return lines
