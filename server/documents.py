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

from . import i18n
from .board import codec
from .board.minutes_content import content_for
from .board.model import Minutes, Outcome
from .board.roles import Role
from .board.template import GROUP_LABELS, OUTCOME_LABELS, ROLE_LABELS, UNCONFIRMED_LABEL
from .board.visibility import Viewer
from .i18n import Language, gettext, pgettext
from .minutes_sets import minutes_sets
from .pictures import PICTURES

# The UK government marking, as written: it stays English in every language.
MARKING = "OFFICIAL \N{EN DASH} SENSITIVE"
ENGLISH = i18n.BY_CODE[i18n.DEFAULT]
STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "minutes.css"
# A 200-card PDF takes seconds of CPU: renders get threads of their own (not the default
# pool, which hashes passwords), and the same document is rendered once.
PDF_THREADS = 2
PDF_CACHE = 32  # documents kept, most recently asked for first

log = logging.getLogger("kinboard.documents")


def minutes_view(
    minutes: Minutes, body: str, viewer: Viewer, language: Language = ENGLISH
) -> dict[str, Any]:
    """What a minutes document shows `viewer`: the frozen content they may see (each person's
    copy leaves out what they may not; staff copies show it with its marking), and the
    sign-offs beside it; the document's own words in `language` (what people wrote as they
    wrote it)."""
    code = language.code
    content = content_for(json.loads(body), viewer)
    decision = content["decision"]
    groups = {group.value: gettext(code, label) for group, label in GROUP_LABELS.items()}
    outcome = OUTCOME_LABELS[Outcome(decision["outcome"])] if decision else None
    return {
        "page_language": language,
        "words_json": i18n.client_words_json(code),
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
        "decision_words": gettext(code, outcome) if outcome else None,
        "role_of": lambda entry: role_of(entry, code),
        "language_name": language_name,
        "group_labels": groups,
        "trends": [trend_chart(scale, groups, code) for scale in content["scales"]],
        "houses": houses_view(content, code),
        # The words the content carries from the meeting's template (column headings,
        # section labels): in `language` where the catalogue has them, else as recorded.
        "fixed": lambda words: gettext(code, words),
        "sets": minutes_sets(content),
    }


def houses_view(content: dict[str, Any], code: str = i18n.DEFAULT) -> list[dict[str, Any]]:
    """The children's shared houses as documents show them: words; a picture by its name;
    a drawing as SVG polylines of its numbers. (Minutes taken before the houses have none.)"""
    children = []
    for child in content.get("houses", []):
        houses = []
        for house in child["houses"]:
            items = [_house_item(item, code) for item in house["items"]]
            if items:
                houses.append({"label": gettext(code, house["label"]), "items": items})
        title = gettext(code, "{name}'s three houses", name=child["child"])
        children.append({"title": title, "houses": houses})
    return children


def _house_item(item: dict[str, Any], code: str) -> dict[str, Any]:
    # Staff copies show a facilitator's marking, as they do a card's.
    marking = {"audience": item["audience"]} if "audience" in item else {}
    return {**_house_words(item, code), **marking}


def _house_words(item: dict[str, Any], code: str) -> dict[str, Any]:
    if item["words"] is not None:
        return {"words": item["words"]}
    if item["picture"] is not None:
        name = PICTURES.get(item["picture"])
        # A picture's name is a msgid in the context "picture" (babel.cfg, pictures.json).
        picture = pgettext(code, "picture", name) if name else gettext(code, "a picture")
        return {"words": gettext(code, "A picture: {picture}", picture=picture)}
    lines = [
        " ".join(f"{int(s[i])},{int(s[i + 1])}" for i in range(0, len(s) - 1, 2))
        for s in item["strokes"]
    ]
    return {"words": gettext(code, "A drawing"), "drawing": lines}


def language_name(code: str) -> str:
    known = i18n.BY_CODE.get(code)
    return known.name if known else code


def role_of(entry: dict[str, Any], code: str = i18n.DEFAULT) -> str:
    """Who a person or a vote's voter was, as the minutes say it. Minutes taken before
    workers could be unconfirmed have no `unconfirmed`."""
    if entry.get("unconfirmed"):
        return gettext(code, UNCONFIRMED_LABEL)
    return gettext(code, ROLE_LABELS[Role(entry["role"])])


# Colour-blind-safe colours (Okabe-Ito) and a dash pattern each, so the lines differ in
# greyscale too; the same groups and colours as the board's dot plot.
_SERIES = {
    "family": ("#E69F00", ""),
    "network": ("#009E73", "6 3"),
    "professionals": ("#0072B2", "2 3"),
}
_CHART_W, _CHART_H, _PAD = 520, 170, 36


def trend_chart(
    scale: dict[str, Any], group_labels: dict[str, str], code: str = i18n.DEFAULT
) -> dict[str, Any] | None:
    """Each group's middle number at each meeting of a chain (earlier meetings, then this
    one's last revealed round), as coordinates for a small SVG line chart. In a language
    read right to left the meetings run from the right and the numbers 0, 5 and 10 stand
    on the right, as on the board (client/src/trend.js)."""
    rtl = i18n.BY_CODE[code].direction == "rtl"
    points = [(p["date"], p["medians"]) for p in scale["history"]]
    if scale["rounds"]:
        summary = scale["rounds"][-1]["summary"]
        medians = {g["group"]: g["median"] for g in summary["groups"]}
        points.append((gettext(code, "This meeting"), medians))
    if len(points) < 2:
        return None
    step = (_CHART_W - 2 * _PAD) / (len(points) - 1)

    def x(index: int) -> float:
        along = _PAD + index * step
        return round(_CHART_W - along if rtl else along, 1)

    def y(value: float) -> float:
        return round(_CHART_H - _PAD / 2 - value * (_CHART_H - _PAD) / 10, 1)

    series = []
    for group, (colour, dash) in _SERIES.items():
        dots = [
            (x(i), y(medians[group]), medians[group])
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
        "x_labels": [(x(i), label) for i, (label, _) in enumerate(points)],
        "y_ticks": [(y(v), v) for v in (0, 5, 10)],
        # the grid's lines, and where the numbers end (left to right) or begin beside them
        "grid": (20, _CHART_W - 30) if rtl else (30, _CHART_W - 20),
        "numbers": (_CHART_W - 4, "end") if rtl else (4, "start"),
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


def to_pdf(html: str, base_url: str, stylesheet: Path = STYLESHEET) -> bytes:
    """A tagged PDF (PDF/UA-1): screen readers read its headings, lists and tables in
    order, in the page's language, with the document's title."""
    from weasyprint import CSS, HTML  # heavy: loaded only when a PDF is asked for

    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=stylesheet)], pdf_variant="pdf/ua-1"
    )


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
