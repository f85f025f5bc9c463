"""Minutes as documents: the page, Markdown, JSON and PDF, all from the frozen snapshot."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .board import codec
from .board.languages import BY_CODE
from .board.minutes_content import content_for
from .board.model import Minutes, Outcome
from .board.roles import Role
from .board.template import GROUP_LABELS, OUTCOME_LABELS, ROLE_LABELS, UNCONFIRMED_LABEL
from .board.visibility import Viewer
from .minutes_sets import minutes_sets, sets_markdown
from .pictures import PICTURES

MARKING = "OFFICIAL \N{EN DASH} SENSITIVE"  # the UK government marking, as written
STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "minutes.css"
# A 200-card PDF takes seconds of CPU: renders get threads of their own (not the default
# pool, which hashes passwords), and the same document is rendered once.
PDF_THREADS = 2
PDF_CACHE = 32  # documents kept, most recently asked for first

log = logging.getLogger("kinboard.documents")


def minutes_view(minutes: Minutes, body: str, viewer: Viewer) -> dict[str, Any]:
    """What a minutes document shows `viewer`: the frozen content they may see (each person's
    copy leaves out what they may not; staff copies show it with its marking), and the
    sign-offs beside it."""
    content = content_for(json.loads(body), viewer)
    decision = content["decision"]
    groups = {group.value: label for group, label in GROUP_LABELS.items()}
    return {
        "marking": MARKING,
        "content": content,
        "meeting": content["meeting"],
        "number": minutes.number,
        "label": minutes.label,
        "status": minutes.status.value,
        "taken_at": minutes.taken_at,
        "hash": minutes.hash,
        "agreed_at": minutes.agreed_at,
        "signoffs": [codec.plain(s) for s in minutes.signoffs],
        "agreed_by_people": [s.name for s in minutes.signoffs if s.stance.value == "agree"],
        "not_agreed": [
            {"name": s.name, "reason": s.reason}
            for s in minutes.signoffs
            if s.stance.value == "disagree"
        ],
        "decision_words": OUTCOME_LABELS[Outcome(decision["outcome"])] if decision else None,
        "role_of": role_of,
        "language_name": language_name,
        "group_labels": groups,
        "trends": [trend_chart(scale, groups) for scale in content["scales"]],
        "houses": houses_view(content),
        "sets": minutes_sets(content),
    }


def houses_view(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The children's shared houses as documents show them: words; a picture by its name;
    a drawing as SVG polylines of its numbers. (Minutes taken before the houses have none.)"""
    children = []
    for child in content.get("houses", []):
        houses = []
        for house in child["houses"]:
            items = [_house_item(item) for item in house["items"]]
            if items:
                houses.append({"label": house["label"], "items": items})
        children.append({"title": f"{child['child']}'s three houses", "houses": houses})
    return children


def _house_item(item: dict[str, Any]) -> dict[str, Any]:
    # Staff copies show a facilitator's marking, as they do a card's.
    marking = {"audience": item["audience"]} if "audience" in item else {}
    return {**_house_words(item), **marking}


def _house_words(item: dict[str, Any]) -> dict[str, Any]:
    if item["words"] is not None:
        return {"words": item["words"]}
    if item["picture"] is not None:
        return {"words": f"A picture: {PICTURES.get(item['picture'], 'a picture')}"}
    lines = [
        " ".join(f"{int(s[i])},{int(s[i + 1])}" for i in range(0, len(s) - 1, 2))
        for s in item["strokes"]
    ]
    return {"words": "A drawing", "drawing": lines}


def role_of(entry: dict[str, Any]) -> str:
    """Who a person or a vote's voter was, as the minutes say it. Minutes taken before
    workers could be unconfirmed have no `unconfirmed`."""
    if entry.get("unconfirmed"):
        return UNCONFIRMED_LABEL
    return ROLE_LABELS[Role(entry["role"])]


# Colour-blind-safe colours (Okabe-Ito) and a dash pattern each, so the lines differ in
# greyscale too; the same groups and colours as the board's dot plot.
_SERIES = {
    "family": ("#E69F00", ""),
    "network": ("#009E73", "6 3"),
    "professionals": ("#0072B2", "2 3"),
}
_CHART_W, _CHART_H, _PAD = 520, 170, 36


def trend_chart(scale: dict[str, Any], group_labels: dict[str, str]) -> dict[str, Any] | None:
    """Each group's middle number at each meeting of a chain (earlier meetings, then this
    one's last revealed round), as coordinates for a small SVG line chart."""
    points = [(p["date"], p["medians"]) for p in scale["history"]]
    if scale["rounds"]:
        summary = scale["rounds"][-1]["summary"]
        points.append(("This meeting", {g["group"]: g["median"] for g in summary["groups"]}))
    if len(points) < 2:
        return None
    step = (_CHART_W - 2 * _PAD) / (len(points) - 1)

    def y(value: float) -> float:
        return round(_CHART_H - _PAD / 2 - value * (_CHART_H - _PAD) / 10, 1)

    series = []
    for group, (colour, dash) in _SERIES.items():
        dots = [
            (round(_PAD + i * step, 1), y(medians[group]), medians[group])
            for i, (_, medians) in enumerate(points)
            if group in medians
        ]
        if dots:
            series.append(
                {
                    "group": group,
                    "label": group_labels[group],
                    "colour": colour,
                    "dash": dash,
                    "points": " ".join(f"{x},{yy}" for x, yy, _ in dots),
                    "dots": dots,
                }
            )
    return {
        "width": _CHART_W,
        "height": _CHART_H,
        "x_labels": [(round(_PAD + i * step, 1), label) for i, (label, _) in enumerate(points)],
        "y_ticks": [(y(v), v) for v in (0, 5, 10)],
        "series": series,
    }


def file_name(title: str, day: str, what: str, extension: str) -> str:
    """Safe, telling file names: kinboard-family-meeting-for-ava-2026-11-27-minutes-1.pdf"""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower())[:60].strip("-") or "meeting"
    return f"kinboard-{slug}-{day[:10]}-{what}.{extension}"


def to_json(view: dict[str, Any]) -> str:
    document = {
        "minutes": {
            "number": view["number"],
            "label": view["label"],
            "status": view["status"],
            "taken_at": view["taken_at"],
            "agreed_at": view["agreed_at"],
            "sha256": view["hash"],
            "signoffs": view["signoffs"],
        },
        "content": view["content"],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_markdown(view: dict[str, Any]) -> str:
    content = view["content"]
    lines = [
        f"**{MARKING}**",
        "",
        f"# {_md(view['meeting']['title'])}",
        "",
        f"Minutes {view['number']} ({view['status']}), taken {view['taken_at'][:10]}"
        + (f": {_md(view['label'])}" if view["label"] else ""),
        "",
        "## Who was there",
        "",
        *[f"- {_md(p['name'])} ({role_of(p)})" for p in content["people"]],
    ]
    for column in content["columns"]:
        lines += ["", f"## {_md(column['heading'])}"]
        for section in column["sections"]:
            lines += ["", f"### {_md(section['label'])}", ""]
            if not section["cards"]:
                lines.append("- (nothing written)")
            for card in section["cards"]:
                said = "set by" if section["key"] == "bottom_lines" else "said by"
                lines.append(f"- {_md(card['text'])}{_card_details(card, said)}")
                lines += [f"  - {words}" for words in _translated(card)]
    lines += sets_markdown(view["sets"], _md)
    lines += _scales_markdown(content["scales"])
    for child in view["houses"]:
        lines += ["", f"## {_md(child['title'])}"]
        for house in child["houses"]:
            lines += ["", f"### {_md(house['label'])}", ""]
            lines += [f"- {_md(item['words'])}{_md_marking(item)}" for item in house["items"]]
    lines += ["", "## What was decided", ""]
    decision = content["decision"]
    if decision:
        lines.append(f"- {view['decision_words']}")
        if decision["next_review"]:
            lines.append(f"- Next review: {decision['next_review']}")
        if decision["note"]:
            lines.append(f"- {_md(decision['note'])}")
    else:
        lines.append("- No decision was written down.")
    lines += ["", "## Agreeing the minutes", ""]
    lines += [f"- {_md(name)} agreed" for name in view["agreed_by_people"]]
    lines += [f"- {_md(n['name'])} did not agree: {_md(n['reason'])}" for n in view["not_agreed"]]
    if view["status"] == "agreed":
        lines.append(f"- Marked agreed on {view['agreed_at'][:10]}")
    lines += ["", f"SHA-256 of the minutes: `{view['hash']}`", "", f"**{MARKING}**", ""]
    return "\n".join(lines)


def _scales_markdown(scales: list[dict[str, Any]]) -> list[str]:
    """Each scale's words, its earlier meetings' medians and its rounds' tables."""
    lines: list[str] = []
    for scale in scales:
        lines += ["", f"## Scale: {_md(scale['question'])}", ""]
        lines.append(f"0 = {_md(scale['low_label'])}; 10 = {_md(scale['high_label'])}")
        for point in scale["history"]:
            medians = ", ".join(f"{g} {m}" for g, m in point["medians"].items())
            lines.append(f"- Earlier meeting {point['date']}: {medians}")
        for round_ in scale["rounds"]:
            lines += ["", f"Round {round_['number']}: {_md(round_['summary']['words'])}", ""]
            lines += ["| Name | Who | Number | Why |", "|---|---|---|---|"]
            for vote in round_["votes"]:
                recorded = (
                    " (recorded by the facilitator)" if vote["recorded_by_facilitator"] else ""
                )
                lines.append(
                    f"| {_md(vote['name'])}{recorded} | {role_of(vote)} | {vote['value']} "
                    f"| {'<br>'.join([_md(vote['reason'] or ''), *_translated(vote)])} |"
                )
            # Minutes taken before answers could be left out have no `left_out`.
            for words in round_.get("left_out", []):
                lines += ["", _md(words)]
    return lines


def _translated(entry: dict[str, Any]) -> list[str]:
    """Each translation of a card or a reason, as Markdown: in its language's own name, and
    who made it."""
    return [
        f"{_md(language_name(t['language']))}: {_md(t['text'])} — "
        f"translated by {_md(t['by'])} (interpreter)"
        + (" (The words above changed after this was translated.)" if t.get("outdated") else "")
        for t in entry.get("translations", [])
    ]


def language_name(code: str) -> str:
    known = BY_CODE.get(code)
    return known.name if known else code


def _card_details(card: dict[str, Any], said: str = "said by") -> str:
    details = []
    if card["attributed_to"]:
        details.append(f"{said} {_md(card['attributed_to'])}")
    if card["owner"]:
        details.append(f"who: {_md(card['owner'])}")
    if card["due"]:
        details.append(f"by {card['due']}")
    if card["from_last_meeting"]:
        details.append("from last meeting")
    if "audience" in card:
        details.append(_md(card["audience"]["words"]))
    if card["agree"]:
        details.append("agreed by " + ", ".join(_md(n) for n in card["agree"]))
    if card["disagree"]:
        details.append("not agreed by " + ", ".join(_md(n) for n in card["disagree"]))
    return f" ({'; '.join(details)})" if details else ""


def _md_marking(item: dict[str, Any]) -> str:
    return f" ({_md(item['audience']['words'])})" if "audience" in item else ""


def _md(text: str) -> str:
    """User text as literal Markdown: markup characters escaped, one line."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", " ".join(str(text).split()))


def to_pdf(html: str, base_url: str, stylesheet: Path = STYLESHEET) -> bytes:
    from weasyprint import CSS, HTML  # heavy: loaded only when a PDF is asked for

    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(filename=stylesheet)])


class PdfRenderer:
    """Minutes PDFs, rendered in a small pool of their own: one render at a time per
    meeting (so one meeting cannot take the whole pool), and each distinct document once.
    Requests for a document being rendered wait for that render and share its bytes."""

    def __init__(
        self,
        render: Callable[[str, str, Path], bytes] = to_pdf,
        threads: int = PDF_THREADS,
        cache_size: int = PDF_CACHE,
    ) -> None:
        self._render = render
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kinboard-pdf")
        self._cache_size = cache_size
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._rendering: dict[str, asyncio.Task[bytes]] = {}
        # meeting id -> its lock, and how many renders hold or wait for it
        self._meetings: dict[str, tuple[asyncio.Lock, int]] = {}
        self.renders = 0

    async def pdf(
        self, meeting_id: str, html: str, base_url: str, stylesheet: Path = STYLESHEET
    ) -> bytes:
        # The HTML and its stylesheet hold everything the PDF shows (the minutes, their hash
        # and sign-offs; or "Our plan in easy read").
        key = hashlib.sha256(f"{stylesheet}\n{html}".encode()).hexdigest()
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        task = self._rendering.get(key)
        if task is None:
            task = asyncio.create_task(
                self._render_once(meeting_id, key, html, base_url, stylesheet)
            )
            self._rendering[key] = task
            task.add_done_callback(lambda _: self._rendering.pop(key, None))
        # A caller that gives up (a closed connection) does not cancel the others' render.
        return await asyncio.shield(task)

    async def _render_once(
        self, meeting_id: str, key: str, html: str, base_url: str, stylesheet: Path
    ) -> bytes:
        lock, users = self._meetings.get(meeting_id, (asyncio.Lock(), 0))
        self._meetings[meeting_id] = (lock, users + 1)
        try:
            async with lock:
                loop = asyncio.get_running_loop()
                body = await loop.run_in_executor(
                    self._pool, self._render, html, base_url, stylesheet
                )
        finally:
            lock, users = self._meetings.pop(meeting_id)
            if users > 1:
                self._meetings[meeting_id] = (lock, users - 1)
        self.renders += 1
        log.info("rendered a PDF for meeting %s (%d bytes)", meeting_id, len(body))
        self._cache[key] = body
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return body
