"""Languages (server/i18n.py): which one a page gets, the words and dates of each."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.support import Translations

from server import i18n
from tests.support.catalogues import Messages, speaking


@pytest.mark.parametrize(
    ("chosen", "header", "expected"),
    [
        (None, None, "en"),
        (None, "", "en"),
        (None, "pl-PL,pl;q=0.9,en-GB;q=0.8", "pl"),
        (None, "de-DE,de;q=0.9,cy;q=0.5,en;q=0.4", "cy"),  # the best that Kinboard has
        (None, "en;q=0.3, ar-EG;q=0.7", "ar"),  # by weight, not by order
        (None, "UR-pk", "ur"),
        (None, "fr, de", "en"),
        (None, "ro;q=0, pl;q=bad, *", "en"),  # refused, unreadable and "any" choose nothing
        ("ar", "pl-PL", "ar"),  # the person's own choice first
        ("xx", "pl-PL", "pl"),  # a chosen code Kinboard lacks is passed over
        ("CY", "ro", "ro"),  # codes are chosen from Kinboard's list, as written there
    ],
)
def test_a_page_speaks_the_chosen_language_else_the_browsers_else_english(
    chosen: str | None, header: str | None, expected: str
) -> None:
    assert i18n.page_language(chosen, header).code == expected
    if chosen is None:
        assert i18n.negotiate(header) == expected


def test_right_to_left_languages_say_so() -> None:
    assert [lang.code for lang in i18n.LANGUAGES if lang.direction == "rtl"] == ["ar", "ur"]


@pytest.fixture
def polish(tmp_path: Path) -> Iterator[None]:
    """A compiled Polish catalogue of a few messages in place of the shipped ones."""
    words: Messages = {
        "Save": "Zapisz",
        "{count} card": ("{count} karta", "{count} karty", "{count} kart"),
        "verb\x04Move": "Przesuń",
        "Hello {name}": "",  # not translated yet
    }
    with speaking(tmp_path, {"pl": words}, client=("Save",)):
        yield


@pytest.mark.usefixtures("polish")
def test_words_come_from_the_compiled_catalogue_and_fall_back_to_english() -> None:
    assert i18n.gettext("pl", "Save") == "Zapisz"
    assert i18n.gettext("en", "Save") == "Save"
    assert i18n.gettext("pl", "Hello {name}", name="Ola") == "Hello Ola"  # untranslated
    assert i18n.gettext("pl", "Not in any catalogue") == "Not in any catalogue"
    assert i18n.pgettext("pl", "verb", "Move") == "Przesuń"
    cards = [i18n.ngettext("pl", "{count} card", "{count} cards", n) for n in (1, 3, 5)]
    assert cards == ["1 karta", "3 karty", "5 kart"]
    assert i18n.ngettext("en", "{count} card", "{count} cards", 1) == "1 card"
    # A language with no compiled catalogue here speaks English.
    assert i18n.gettext("cy", "Save") == "Save"
    assert i18n.client_catalogue("pl")["messages"] == {"Save": "Zapisz"}


def test_every_shipped_language_is_compiled_by_setup() -> None:
    for language in i18n.LANGUAGES:
        words = i18n.client_catalogue(language.code)
        assert (words["lang"], words["dir"]) == (language.code, language.direction)
        index = gettext.c2py(words["plural"])
        assert index(1) != index(5), language  # one card, five cards
        if language.code != i18n.DEFAULT:
            assert isinstance(i18n.translations(language.code), Translations), language


def test_dates_are_written_as_each_language_writes_them() -> None:
    day = date(2026, 11, 27)
    assert i18n.format_date(day, "en") == "27 November 2026"
    assert i18n.format_date(day, "pl") == "27 listopada 2026"
    assert i18n.format_date(day, "cy") == "27 Tachwedd 2026"
    assert i18n.format_date(day, "ar") == "27 نوفمبر 2026"
