"""A page's words that hold a number take the plural form of the page's language for it,
from the shipped catalogues (`ngettext` in the templates): the Accounts page's set-up link
works for "24 godziny" in Polish, "24 de ore" in Romanian."""

from __future__ import annotations

import re

import httpx
import pytest

import server.http.account_routes
from tests.support.inprocess import PASSWORD, Browser, Kin

ADA = "ada@council.example"


def admin(kin: Kin, language: str) -> Browser:
    kin.run(kin.staff.add, ADA, PASSWORD, admin=True)
    ada = kin.browser("192.0.2.50")
    ada.set_cookie("kinboard-lang", language)
    assert ada.sign_in(ADA).status_code == 303
    return ada


def setup_words(answer: httpx.Response) -> str:
    found = re.search(r'data-role="setup-link">\s*<h2[^>]*>.*?</h2>\s*<p>([^<]*)</p>', answer.text)
    assert found, answer.text
    return found.group(1)


@pytest.mark.parametrize(
    ("language", "hours", "words"),
    [
        ("pl", 1, "przez 1 godzinę."),
        ("pl", 2, "przez 2 godziny."),
        ("pl", 5, "przez 5 godzin."),
        ("pl", 22, "przez 22 godziny."),
        ("pl", 24, "przez 24 godziny."),
        ("ro", 1, "timp de 1 oră."),
        ("ro", 2, "timp de 2 ore."),
        ("ro", 20, "timp de 20 de ore."),
        ("ar", 2, "لمدة 2 ساعتين."),
        ("ar", 5, "لمدة 5 ساعات."),
        ("en", 1, "It works once, for 1 hour."),
        ("en", 24, "It works once, for 24 hours."),
    ],
)
def test_the_set_up_link_says_for_how_many_hours_it_works(
    kin: Kin, monkeypatch: pytest.MonkeyPatch, language: str, hours: int, words: str
) -> None:
    monkeypatch.setattr(server.http.account_routes, "SETUP_HOURS", hours)
    answer = admin(kin, language).form("/accounts", {"email": "bea@council.example"})
    assert answer.status_code == 200
    assert words in setup_words(answer)
