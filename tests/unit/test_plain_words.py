"""The plain-words lists (server/plain_words/<language>.json): one for every language
Kinboard speaks, at least 60 English entries, each phrase once, and every suggestion
real words; the lists not in English say they are for a council's translators to review."""

from __future__ import annotations

import json
from typing import Any

import pytest

from server.app import PLAIN_WORDS
from server.i18n import LANGUAGES

CODES = [language.code for language in LANGUAGES]


def plain_words(code: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PLAIN_WORDS / f"{code}.json").read_text(encoding="utf-8"))
    return data


def test_every_language_has_a_list_and_there_is_no_other() -> None:
    assert sorted(path.stem for path in PLAIN_WORDS.glob("*.json")) == sorted(CODES)


def test_the_english_list_has_at_least_60_entries_from_practice() -> None:
    jargon = {entry["jargon"] for entry in plain_words("en")["entries"]}
    assert len(jargon) >= 60
    for phrase in ("non-engagement", "disguised compliance", "section 47", "LAC", "threshold"):
        assert phrase in jargon


@pytest.mark.parametrize("code", CODES)
def test_each_phrase_once_and_every_suggestion_is_words(code: str) -> None:
    data = plain_words(code)
    assert data["language"] == code
    assert data["entries"]
    seen: set[str] = set()
    for entry in data["entries"]:
        phrases = [entry["jargon"], *entry.get("forms", [])]
        for phrase in phrases:
            key = " ".join(phrase.casefold().replace("-", " ").split())
            assert key and key not in seen, (code, phrase)
            seen.add(key)
        assert 1 <= len(entry["plain"]) <= 2, entry
        for words in entry["plain"]:
            assert words.strip() == words and words, entry
            assert words.casefold() not in {p.casefold() for p in phrases}, entry
        assert set(entry) <= {"jargon", "forms", "plain"}, entry


@pytest.mark.parametrize("code", [code for code in CODES if code != "en"])
def test_the_lists_not_in_english_are_marked_for_review(code: str) -> None:
    data = plain_words(code)
    assert data["review"] is True
    assert "translators" in data["note"]
