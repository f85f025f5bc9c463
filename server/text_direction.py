"""Which way people's own words read, wherever the page is in another language.

Pages mark each piece of user text `dir="auto"` (or put it in a `<bdi>`), and the browser
finds its direction from its first letter that has one. WeasyPrint, which lays out the
minutes PDF, does not implement `dir="auto"`, so the PDF is given the same answer outright.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from jinja2 import pass_context


def direction_of(text: str | None) -> str:
    """ "ltr" or "rtl" as a browser decides `dir="auto"` (the first character of bidi class
    L, or R / AL); "auto" when nothing in it has a direction (digits, signs)."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"


@pass_context
def user_dir(context: Any, text: str | None) -> str:
    """The `dir` of an element holding `text`: "auto" for the browser, the direction
    itself in a page rendered for the PDF (a template's `for_pdf`)."""
    return direction_of(text) if context.get("for_pdf") else "auto"
