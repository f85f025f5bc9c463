"""Pages in the language of the person reading them: chosen in this browser (POST
/language), else their browser's, else English; `lang` and `dir` on the page, its words
from the catalogue, and the client's words embedded for client/src/i18n.js."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server import i18n
from tests.support.catalogues import speaking
from tests.support.inprocess import Kin, staff_with_meeting

POLISH = {
    "Join the meeting": "Dołącz do spotkania",
    "What is your name?": "Jak masz na imię?",
    "Exit this page": "Zamknij tę stronę",
    "Sign in": "Zaloguj się",
    "Staff sign-in. Families and other people in a meeting join with the link they were given.": (
        "Logowanie dla pracowników."
    ),
    "Sorry": "Przepraszamy",
    "Save": "Zapisz",
    "{count} card": ("{count} karta", "{count} karty", "{count} kart"),
    "kind of meeting\x04initial": "pierwsze",
    "meeting status\x04open": "otwarte",
    "Your families": "Twoje rodziny",
}
ARABIC = {
    "Join the meeting": "انضم إلى الاجتماع",
    # A translation that tries to end the script element: it must stay inside it.
    "Save": "</script><script>alert(1)</script>",
}


@pytest.fixture(autouse=True)
def words(tmp_path: Path) -> Iterator[None]:
    with speaking(
        tmp_path / "locale", {"pl": POLISH, "ar": ARABIC}, client=("Save", "{count} card")
    ):
        yield


def html_of(page: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([a-z]+)" dir="([a-z]+)">', page)
    assert found, page[:200]
    return found.group(1), found.group(2)


def client_words(page: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="kinboard-words">(.*?)</script>', page, re.S
    )
    assert found, page[:400]
    words: dict[str, Any] = json.loads(found.group(1))
    return words


def test_a_page_speaks_the_browsers_language_with_its_lang_dir_and_client_words(
    kin: Kin,
) -> None:
    page = kin.browser().get("/join", headers={"Accept-Language": "pl-PL,pl;q=0.9"}).text
    assert html_of(page) == ("pl", "ltr")
    assert "<title>Dołącz do spotkania \N{EN DASH} Kinboard</title>" in page
    assert ">Jak masz na imię?</label>" in page
    assert ">Zamknij tę stronę</a>" in page  # the included "Exit this page" too
    assert ">Opening your link…</p>" in page  # not translated yet: English
    words = client_words(page)
    assert (words["lang"], words["dir"]) == ("pl", "ltr")
    assert words["messages"] == {
        "Save": "Zapisz",
        "{count} card": ["{count} karta", "{count} karty", "{count} kart"],
    }  # the client's messages only
    assert words["plural"] == i18n.client_catalogue("pl")["plural"]


def test_arabic_pages_are_right_to_left_and_the_embedded_words_cannot_break_out(
    kin: Kin,
) -> None:
    page = kin.browser().get("/join", headers={"Accept-Language": "ar"}).text
    assert html_of(page) == ("ar", "rtl")
    assert "انضم إلى الاجتماع" in page
    assert "<script>alert(1)" not in page
    assert client_words(page)["messages"]["Save"] == "</script><script>alert(1)</script>"


def test_english_is_the_page_language_when_nothing_else_fits(kin: Kin) -> None:
    page = kin.browser().get("/signin", headers={"Accept-Language": "de-DE"}).text
    assert html_of(page) == ("en", "ltr")
    assert client_words(page) == {"lang": "en", "dir": "ltr", "plural": "(n != 1)", "messages": {}}
    assert ">Sign in</button>" in page


def test_a_language_chosen_in_the_browser_wins_over_its_accept_language(kin: Kin) -> None:
    browser = kin.browser()
    answer = browser.form("/language", {"language": "pl", "next": "/signin?x=1"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin?x=1")
    assert browser.cookie(i18n.COOKIE) == "pl"
    page = browser.get("/signin", headers={"Accept-Language": "ar"}).text
    assert html_of(page) == ("pl", "ltr")
    assert ">Zaloguj się</button>" in page
    # The join page's chooser offers the chosen one.
    join = browser.get("/join", headers={"Accept-Language": "ar"}).text
    assert re.findall(r'<option value="([a-z]+)"[^>]* selected>', join) == ["pl"]


@pytest.mark.parametrize(
    "back", ["//elsewhere.example/", "/\\elsewhere.example", "https://x.example/", None]
)
def test_choosing_a_language_goes_back_only_to_a_page_of_this_site(
    kin: Kin, back: str | None
) -> None:
    data = {"language": "cy"} if back is None else {"language": "cy", "next": back}
    answer = kin.browser().form("/language", data)
    assert (answer.status_code, answer.headers["location"]) == (303, "/")


@pytest.mark.parametrize("code", ["xx", "PL", ""])
def test_an_unknown_language_is_refused_and_changes_nothing(kin: Kin, code: str) -> None:
    browser = kin.browser()
    answer = browser.form("/language", {"language": code, "next": "/"}, page="/signin")
    assert answer.status_code == 400
    assert browser.cookie(i18n.COOKIE) is None
    assert "We do not have that language." in answer.text


def test_choosing_a_language_needs_a_form_from_this_site(kin: Kin) -> None:
    browser = kin.browser()
    answer = browser.post("/language", data={"language": "pl", "next": "/"})
    assert answer.status_code == 403
    assert browser.cookie(i18n.COOKIE) is None


def test_the_staff_home_lists_meetings_with_their_kind_and_status_in_the_language(
    kin: Kin,
) -> None:
    staff, _ = staff_with_meeting(kin)
    english = staff.get("/").text
    assert html_of(english) == ("en", "ltr")
    assert " · initial · open" in english
    staff.form("/language", {"language": "pl", "next": "/"}, page="/")
    polish = staff.get("/").text
    assert html_of(polish) == ("pl", "ltr")
    assert ">Twoje rodziny</h2>" in polish
    assert " · pierwsze · otwarte" in polish
