"""Languages: which Kinboard speaks, and the words of each, from gettext catalogues.

Every word Kinboard shows is an English msgid in the code (templates: `_("…")` and
`{% trans %}`; Python: the error classes and `gettext`; the client: `t`, `tn`, `tc` from
`client/src/i18n.js`), with `{name}` placeholders in Python and the client and
`%(name)s` in templates. Which languages there are is `server/board/languages.py` (the
core checks codes against it). The catalogues under `server/locale/` give the other
languages: `<code>/LC_MESSAGES/messages.po`, which translators write, compiled by
`make setup` (`python -m server.catalogues compile`) into `messages.mo` for the server and
`client.json`, the client's words that every page embeds. English needs no catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, dates, negotiate_locale, support
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .board.errors import KinboardError, PluralMsgid
from .board.languages import BY_CODE, DEFAULT, LANGUAGES, Language

__all__ = [
    "BY_CODE",
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "Language",
    "client_catalogue",
    "client_words_json",
    "format_date",
    "gettext",
    "negotiate",
    "ngettext",
    "page_language",
    "pgettext",
    "refusal",
    "translate",
    "translations",
]

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
CLIENT_CATALOGUE = "client.json"
# A page's language chosen explicitly in this browser (POST /language sets it).
COOKIE = "kinboard-lang"
# Babel's locale for dates: English as it is written in the UK ("27 November 2026").
DATE_LOCALES = {"en": "en_GB"}


@cache
def translations(code: str) -> support.NullTranslations:
    """The words of one language: its compiled catalogue; English (the msgids themselves)
    for English, and for a language whose catalogue is not compiled (`make setup`)."""
    if code == DEFAULT:
        return support.NullTranslations()
    return support.Translations.load(str(LOCALE), [code], DOMAIN)


def translate(text: str, params: Mapping[str, object], code: str) -> str:
    """A message (a msgid with `{name}` placeholders, as the error classes carry it) in one
    language, filled in; English, as the code wrote it, where a catalogue lacks it. A
    `PluralMsgid` takes the language's plural form for its counted param's number."""
    if isinstance(text, PluralMsgid):
        count = params[text.counted]
        assert isinstance(count, int), f"{text.counted} counts: {count!r}"
        words = str(translations(code).ngettext(str(text), text.plural, count))
        return words.format(**params)
    words = str(translations(code).gettext(text))
    return words.format(**params) if params else words


def refusal(error: KinboardError, code: str) -> str:
    """What a refusal says, in one language."""
    return translate(error.text, error.params, code)


def gettext(code: str, msgid: str, **params: object) -> str:
    """One message in a language, its `{name}` placeholders filled from `params`."""
    return translate(msgid, params, code)


def ngettext(code: str, singular: str, plural: str, count: int, **params: object) -> str:
    """A message that depends on a number, in the language's plural form for `count`;
    `{count}` is filled in with the others."""
    words = str(translations(code).ngettext(singular, plural, count))
    return words.format(count=count, **params)


def pgettext(code: str, context: str, msgid: str, **params: object) -> str:
    """The same English in another sense (`context` tells the translators which)."""
    words = str(translations(code).pgettext(context, msgid))
    return words.format(**params) if params else words


def N_(msgid: str) -> str:
    """Marks words kept now and translated where they are shown (`gettext(code, words)`)."""
    return msgid


def format_date(day: date, code: str) -> str:
    """A date as people of the language write it ("27 November 2026" in English)."""
    return dates.format_date(day, format="long", locale=Locale.parse(DATE_LOCALES.get(code, code)))


@cache
def client_catalogue(code: str) -> dict[str, Any]:
    """The client's words of a language, in the format at the top of client/src/i18n.js."""
    path = LOCALE / code / "LC_MESSAGES" / CLIENT_CATALOGUE
    if code == DEFAULT or not path.exists():
        direction = BY_CODE[code].direction
        return {"lang": code, "dir": direction, "plural": "(n != 1)", "messages": {}}
    words: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return words


@cache
def client_words_json(code: str) -> Markup:
    """`client_catalogue(code)` as every page's JSON script holds it (escaped as jinja's
    `tojson` does: no text can close the element), made once per language rather than
    once per page: the catalogue is some 46 KB."""
    return htmlsafe_json_dumps(client_catalogue(code))


def accepted(header: str | None) -> list[str]:
    """An Accept-Language header's tags, most wanted first ("pl-PL,pl;q=0.9,en;q=0.5")."""
    weighted = []
    for index, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag.strip() and tag.strip() != "*" and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(accept_language: str | None) -> str:
    """The language a browser asks for first (its Accept-Language header) among those
    Kinboard speaks, by the main part of each tag ("pl-PL" is Polish); else English."""
    best = negotiate_locale(accepted(accept_language), list(BY_CODE), sep="-", aliases={})
    return best.lower() if best else DEFAULT


def page_language(chosen: str | None, accept_language: str | None) -> Language:
    """A page's language: the one chosen (the `kinboard-lang` cookie, or a person's own,
    if Kinboard has it), else the best of the browser's that Kinboard has, else English."""
    if chosen and chosen in BY_CODE:
        return BY_CODE[chosen]
    return BY_CODE[negotiate(accept_language)]
