"""Languages: which Kinboard speaks, and the words of each, from gettext catalogues.

Every word Kinboard shows is an English msgid in the code (templates: `_("…")` and
`{% trans %}`; Python: the error classes and `gettext`; the client: `t`, `tn`, `tc` from
`client/src/i18n.js`), with `{name}` placeholders in Python and the client and
`%(name)s` in templates. The catalogues under `server/locale/` give the other languages;
which languages there are is `server/board/languages.py` (the core checks codes against it).
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Mapping

from .board.languages import BY_CODE, DEFAULT, LANGUAGES, Language

__all__ = [
    "BY_CODE",
    "DEFAULT",
    "LANGUAGES",
    "Language",
    "negotiate",
    "translate",
    "translations",
]


def translations(code: str) -> gettext_module.NullTranslations:
    """The words of one language (English, the msgids themselves, until its catalogue is
    compiled)."""
    return gettext_module.NullTranslations()


def translate(text: str, params: Mapping[str, object], code: str) -> str:
    """A message (a msgid with `{name}` placeholders, as the error classes carry it) in one
    language, filled in; English, as the code wrote it, where a catalogue lacks it."""
    words = translations(code).gettext(text)
    return words.format(**params) if params else words


def negotiate(accept_language: str | None) -> str:
    """The language a browser asks for first (its Accept-Language header) among those
    Kinboard speaks, by the main part of each tag ("pl-PL" is Polish); else English."""
    asked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, quality = part.strip().partition(";")
        try:
            weight = float(quality.strip()[2:]) if quality.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        code = tag.strip().split("-")[0].lower()
        if code in BY_CODE and weight > 0:
            asked.append((-weight, index, code))
    return min(asked)[2] if asked else DEFAULT
