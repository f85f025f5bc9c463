"""Minutes as Markdown, from the view `documents.minutes_view` makes: what people wrote as
they wrote it (escaped), the document's own words in the view's language."""

from __future__ import annotations

import re
from typing import Any

from .documents import MARKING, language_name, role_of
from .i18n import gettext, pgettext
from .minutes_sets import sets_markdown


def to_markdown(view: dict[str, Any]) -> str:
    code = view["page_language"].code
    content = view["content"]
    taken = gettext(
        code,
        "Minutes {number} ({status}), taken {taken}",
        number=view["number"],
        status=pgettext(code, "minutes status", "agreed")
        if view["status"] == "agreed"
        else pgettext(code, "minutes status", "draft"),
        taken=view["taken_at"][:10],
    )
    lines = [
        f"**{MARKING}**",
        "",
        f"# {_md(view['meeting']['title'])}",
        "",
        taken + (f": {_md(view['label'])}" if view["label"] else ""),
        "",
        f"## {gettext(code, 'Who was there')}",
        "",
        *[f"- {_md(p['name'])} ({role_of(p, code)})" for p in content["people"]],
    ]
    for column in content["columns"]:
        lines += ["", f"## {_md(gettext(code, column['heading']))}"]
        for section in column["sections"]:
            lines += ["", f"### {_md(gettext(code, section['label']))}", ""]
            if not section["cards"]:
                lines.append(f"- ({gettext(code, 'nothing written')})")
            for card in section["cards"]:
                bottom_line = section["key"] == "bottom_lines"
                lines.append(f"- {_md(card['text'])}{_card_details(card, bottom_line, code)}")
                lines += [f"  - {words}" for words in _translated(card, code)]
    lines += sets_markdown(view["sets"], _md, code)
    lines += _scales_markdown(content["scales"], code)
    for child in view["houses"]:
        lines += ["", f"## {_md(child['title'])}"]
        for house in child["houses"]:
            lines += ["", f"### {_md(house['label'])}", ""]
            lines += [f"- {_md(item['words'])}{_md_marking(item)}" for item in house["items"]]
    lines += _decision_markdown(view, code)
    lines += ["", f"## {gettext(code, 'Agreeing the minutes')}", ""]
    lines += [f"- {gettext(code, '{name} agreed', name=_md(n))}" for n in view["agreed_by_people"]]
    lines += [
        "- "
        + gettext(
            code, "{name} did not agree: {reason}", name=_md(n["name"]), reason=_md(n["reason"])
        )
        for n in view["not_agreed"]
    ]
    if view["status"] == "agreed":
        lines.append("- " + gettext(code, "Marked agreed on {day}", day=view["agreed_at"][:10]))
    digest = f"`{view['hash']}`"  # not inside the gettext call: Babel reads its arguments
    hash_line = gettext(code, "SHA-256 of the minutes: {hash}", hash=digest)
    lines += ["", hash_line, "", f"**{MARKING}**", ""]
    return "\n".join(lines)


def _decision_markdown(view: dict[str, Any], code: str) -> list[str]:
    lines = ["", f"## {gettext(code, 'What was decided')}", ""]
    decision = view["content"]["decision"]
    if not decision:
        return [*lines, f"- {gettext(code, 'No decision was written down.')}"]
    lines.append(f"- {view['decision_words']}")
    if decision["next_review"]:
        lines.append("- " + gettext(code, "Next review: {day}", day=decision["next_review"]))
    if decision["note"]:
        lines.append(f"- {_md(decision['note'])}")
    return lines


def _scales_markdown(scales: list[dict[str, Any]], code: str) -> list[str]:
    """Each scale's words, its earlier meetings' medians and its rounds' tables."""
    lines: list[str] = []
    for scale in scales:
        # A scale's words as the meeting started with them are the template's (msgids).
        question, low, high = (
            gettext(code, scale[k]) for k in ("question", "low_label", "high_label")
        )
        lines += ["", "## " + gettext(code, "Scale: {question}", question=_md(question))]
        lines += ["", f"0 = {_md(low)}; 10 = {_md(high)}"]
        for point in scale["history"]:
            medians = ", ".join(f"{g} {m}" for g, m in point["medians"].items())
            earlier = gettext(
                code, "Earlier meeting {day}: {medians}", day=point["date"], medians=medians
            )
            lines.append(f"- {earlier}")
        for round_ in scale["rounds"]:
            summary = _md(round_["summary"]["words"])
            lines += [
                "",
                gettext(
                    code, "Round {number}: {summary}", number=round_["number"], summary=summary
                ),
                "",
            ]
            heads = [
                gettext(code, "Name"),
                gettext(code, "Who"),
                gettext(code, "Number"),
                gettext(code, "Why"),
            ]
            lines += ["| " + " | ".join(heads) + " |", "|---|---|---|---|"]
            recorded = " (" + gettext(code, "recorded by the facilitator") + ")"
            for vote in round_["votes"]:
                lines.append(
                    f"| {_md(vote['name'])}{recorded if vote['recorded_by_facilitator'] else ''} "
                    f"| {role_of(vote, code)} | {vote['value']} "
                    f"| {'<br>'.join([_md(vote['reason'] or ''), *_translated(vote, code)])} |"
                )
            # Minutes taken before answers could be left out have no `left_out`.
            for words in round_.get("left_out", []):
                lines += ["", _md(words)]
    return lines


def _translated(entry: dict[str, Any], code: str) -> list[str]:
    """Each translation of a card or a reason, as Markdown: in its language's own name, and
    who made it."""
    return [
        f"{_md(language_name(t['language']))}: {_md(t['text'])} — "
        + gettext(code, "translated by {name} (interpreter)", name=_md(t["by"]))
        + (
            " (" + gettext(code, "The words above changed after this was translated.") + ")"
            if t.get("outdated")
            else ""
        )
        for t in entry.get("translations", [])
    ]


def _card_details(card: dict[str, Any], bottom_line: bool, code: str) -> str:
    details = []
    if card["attributed_to"]:
        who = _md(card["attributed_to"])
        details.append(
            gettext(code, "set by {name}", name=who)
            if bottom_line
            else gettext(code, "said by {name}", name=who)
        )
    if card["owner"]:
        details.append(gettext(code, "who: {name}", name=_md(card["owner"])))
    if card["due"]:
        details.append(gettext(code, "by {day}", day=card["due"]))
    if card["from_last_meeting"]:
        details.append(gettext(code, "from last meeting"))
    if "audience" in card:
        details.append(_md(card["audience"]["words"]))
    if card["agree"]:
        names = ", ".join(_md(n) for n in card["agree"])
        details.append(gettext(code, "agreed by {names}", names=names))
    if card["disagree"]:
        names = ", ".join(_md(n) for n in card["disagree"])
        details.append(gettext(code, "not agreed by {names}", names=names))
    return f" ({'; '.join(details)})" if details else ""


def _md_marking(item: dict[str, Any]) -> str:
    return f" ({_md(item['audience']['words'])})" if "audience" in item else ""


def _md(text: str) -> str:
    """User text as literal Markdown: markup characters escaped, one line."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", " ".join(str(text).split()))
