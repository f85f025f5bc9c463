"""A catalogue of the test's own words for one language, in place of the compiled ones:
whatever the shipped translations say, a test sees exactly the words it gave."""

from __future__ import annotations

import gettext
from collections.abc import Mapping

import pytest

from server import i18n


class Words(gettext.NullTranslations):
    def __init__(self, words: Mapping[str, str]) -> None:
        super().__init__()
        self.words = words

    def gettext(self, message: str) -> str:
        return self.words.get(message, message)


def with_words(monkeypatch: pytest.MonkeyPatch, code: str, words: Mapping[str, str]) -> None:
    """`code` speaks `words` (msgid -> translation); other languages, and other msgids,
    stay English."""
    english = i18n.translations

    def translations(asked: str) -> gettext.NullTranslations:
        return Words(words) if asked == code else english(asked)

    monkeypatch.setattr(i18n, "translations", translations)
