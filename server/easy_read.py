""" "Our plan in easy read": the agreed plan for parents with a learning disability, in the
UK easy read way: a part per heading in plain words, each with a picture; one item a line,
with who and when as lines of their own, each with its picture. What people wrote is
shown as they wrote it: easy read changes the page, never their words.

The view reads what "Our plan" reads (`documents.agreed_content`: the latest agreed
minutes, as the reader may see them); its headings and fixed words are in
templates/easy_read.html, and its pictures (OpenMoji) in server/pictures.json."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .board.model import Board
from .board.visibility import Viewer
from .documents import agreed_content
from .pictures import EASY_READ_PICTURES

STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "easy_read.css"
# Where the client build copies the pictures: served at /static/pictures, read by the PDF.
PICTURES_DIR = Path(__file__).resolve().parent.parent / "client" / "dist" / "pictures"
PAGE_PICTURES = "/static/pictures/"


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
    }


def pictures_for_pdf() -> str:
    """The pictures' folder as the PDF renderer reads it (a file URL, ending in "/")."""
    return PICTURES_DIR.as_uri() + "/"
