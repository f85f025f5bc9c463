""" "Our plan" and "Our plan in easy read": what each shows of the latest agreed minutes,
as the reader may see them (never a draft).

"Our plan" is the plan, the next steps and the bottom lines, with what was decided. Its
easy read is for parents with a learning disability, in the UK easy read way: a part per
heading in plain words, each with a picture; one item a line, with who and when as lines
of their own, each with its picture. What people wrote is shown as they wrote it: easy
read changes the page, never their words. Its headings and fixed words are in
templates/easy_read.html, and its pictures (OpenMoji) in server/pictures.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import i18n
from .board.minutes_content import content_for
from .board.model import Board, Minutes, MinutesStatus, Outcome
from .board.template import OUTCOME_LABELS
from .board.visibility import Viewer
from .i18n import gettext
from .pictures import EASY_READ_PICTURES

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PLAN_STYLESHEET = TEMPLATES / "plan.css"
EASY_READ_STYLESHEET = TEMPLATES / "easy_read.css"
# Where the client build copies the pictures: served at /static/pictures, read by the PDF.
PICTURES_DIR = Path(__file__).resolve().parent.parent / "client" / "dist" / "pictures"
PAGE_PICTURES = "/static/pictures/"


# What "Our plan" shows of the agreed minutes: the plan, the next steps (who, by when),
# and the bottom lines (who set each).
PLAN_SECTIONS = ("plan_rules", "plan_helpers", "plan_warning_signs", "plan_difficult")
PLAN_LAST = ("plan_working", "next_steps", "bottom_lines")


def agreed_content(board: Board, viewer: Viewer) -> tuple[Minutes, dict[str, Any]] | None:
    """The latest agreed minutes and their content as `viewer` may see it, or None while no
    minutes are agreed: "Our plan" and its easy read read only these."""
    agreed = [
        m
        for m in board.minutes.values()
        if m.status is MinutesStatus.AGREED and m.id in board.snapshots
    ]
    if not agreed:
        return None
    minutes = max(agreed, key=lambda m: m.number)
    return minutes, content_for(json.loads(board.snapshots[minutes.id].body), viewer)


def plan_view(board: Board, viewer: Viewer, code: str = i18n.DEFAULT) -> dict[str, Any] | None:
    """ "Our plan": the plan of the latest agreed minutes and what was decided, as `viewer`
    may see it, or None while no minutes are agreed; its fixed words in the language `code`."""
    agreed = agreed_content(board, viewer)
    if agreed is None:
        return None
    minutes, content = agreed
    sections = {
        section["key"]: {**section, "label": gettext(code, section["label"])}
        for column in content["columns"]
        for section in column["sections"]
    }
    decision = content["decision"]
    outcome = OUTCOME_LABELS[Outcome(decision["outcome"])] if decision else None
    return {
        "number": minutes.number,
        "agreed_at": minutes.agreed_at,
        "sections": [sections[key] for key in (*PLAN_SECTIONS, *PLAN_LAST) if key in sections],
        "decision_words": gettext(code, outcome) if outcome else None,
        "next_review": decision["next_review"] if decision else None,
        "file_base": f"/m/{board.meeting.id}/minutes/{minutes.number}",
    }


@dataclass(frozen=True)
class Part:
    """One part of the easy read plan: its heading and picture (by `key`), and the map's
    sections whose cards it lists, in their order."""

    key: str
    sections: tuple[str, ...]


PARTS: tuple[Part, ...] = (
    Part("worries", ("danger",)),
    Part("going_well", ("strengths", "safety")),
    Part("goals", ("goals",)),
    Part("we_will_do", ("plan_rules",)),
    Part("helpers", ("plan_helpers",)),
    Part("warning_signs", ("plan_warning_signs",)),
    Part("difficult", ("plan_difficult",)),
    Part("bottom_lines", ("bottom_lines",)),
    Part("working", ("plan_working",)),
    # Always there: it also says what was decided and when the next meeting is.
    Part("next", ("next_steps",)),
)


def easy_read_view(board: Board, viewer: Viewer) -> dict[str, Any] | None:
    """The easy read plan as `viewer` may see it (what is kept from them is not in it), or
    None while no minutes are agreed. A part nobody wrote in is left out."""
    agreed = agreed_content(board, viewer)
    if agreed is None:
        return None
    minutes, content = agreed
    cards = {
        section["key"]: section["cards"]
        for column in content["columns"]
        for section in column["sections"]
    }
    parts = []
    for part in PARTS:
        listed = [_item(card, key) for key in part.sections for card in cards.get(key, [])]
        if listed or part.key == "next":
            parts.append(
                {"key": part.key, "picture": EASY_READ_PICTURES[part.key], "cards": listed}
            )
    decision = content["decision"]
    return {
        "number": minutes.number,
        "agreed_at": minutes.agreed_at,
        "parts": parts,
        "outcome": decision["outcome"] if decision else None,
        "next_review": decision["next_review"] if decision else None,
        "who_picture": EASY_READ_PICTURES["who"],
        "when_picture": EASY_READ_PICTURES["when"],
        "file_base": f"/m/{board.meeting.id}/plan/easy-read",
    }


def _item(card: dict[str, Any], section: str) -> dict[str, Any]:
    return {
        "text": card["text"],
        "who": card["owner"],
        # A bottom line says who set it (children's services, the family).
        "set_by": card["attributed_to"] if section == "bottom_lines" else "",
        "when": card["due"],
        # Staff copies show what is kept from someone, as the minutes do.
        "marking": card["audience"]["words"] if "audience" in card else None,
        # An interpreter's, under the words (those the reader may read: `content_for`).
        "translations": card.get("translations", []),
    }


def pictures_for_pdf() -> str:
    """The pictures' folder as the PDF renderer reads it (a file URL, ending in "/")."""
    return PICTURES_DIR.as_uri() + "/"
