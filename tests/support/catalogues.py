"""Catalogues of a test's own words, in place of the shipped ones: whatever the shipped
translations say, a test sees exactly the words it gave.

- `with_words(monkeypatch, "pl", {"Save": "Zapisz"})`: the server's gettext of one
  language answers from a dict (a tuple of strings: a plural's forms, keyed by its
  singular, chosen by the language's own plural rule);
- `with speaking(tmp_path, {"pl": {...}}, client=("Save",)):` compiles real catalogues
  (.mo and the client's JSON, through server/catalogues.py) and has server/i18n.py read
  them; a msgid named in `client` is the client's too, "context\\x04msgid" has a context,
  and a tuple of strings is a plural's forms."""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural

from server import catalogues, i18n

Messages = dict[str, str | tuple[str, ...]]


class Words(gettext.NullTranslations):
    def __init__(self, words: Mapping[str, str | tuple[str, ...]], code: str) -> None:
        super().__init__()
        self.words = words
        self.plural = gettext.c2py(get_plural(code).plural_expr)

    def gettext(self, message: str) -> str:
        found = self.words.get(message, message)
        return found if isinstance(found, str) else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.words.get(singular)
        if isinstance(found, tuple):
            return found[self.plural(n)]
        return singular if n == 1 else plural


def with_words(
    monkeypatch: pytest.MonkeyPatch, code: str, words: Mapping[str, str | tuple[str, ...]]
) -> None:
    """`code` speaks `words` (msgid -> translation); other languages, and other msgids,
    stay English."""
    english = i18n.translations

    def translations(asked: str) -> gettext.NullTranslations:
        return Words(words, code) if asked == code else english(asked)

    monkeypatch.setattr(i18n, "translations", translations)


def clear() -> None:
    i18n.translations.cache_clear()
    i18n.client_catalogue.cache_clear()
    i18n.client_words_json.cache_clear()


@contextmanager
def speaking(
    folder: Path, languages: dict[str, Messages], client: tuple[str, ...] = ()
) -> Iterator[None]:
    """Compiles `languages` into `folder`, and server/i18n.py reads them from there while
    this lasts."""
    for code, words in languages.items():
        catalogue = Catalog(locale=code, domain=i18n.DOMAIN)
        for msgid, string in words.items():
            singular = msgid.split("\x04")[-1]
            context = msgid.split("\x04")[0] if "\x04" in msgid else None
            where = "client/src/words.js" if singular in client else "server/words.py"
            ids = (singular, singular) if isinstance(string, tuple) else singular
            catalogue.add(ids, string, locations=[(where, None)], context=context)  # type: ignore[list-item]
        path = catalogues.po_path(folder, code)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(catalogues.po_bytes(catalogue))
    catalogues.compile_all(folder, languages)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(i18n, "LOCALE", folder)
        clear()
        try:
            yield
        finally:
            clear()
