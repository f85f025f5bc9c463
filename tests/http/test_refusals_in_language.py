"""Refusals over HTTP in the asker's language: the JSON error's message and the error
page's, in the language they chose on joining (its cookie), else their browser's; the code
is the same in every language, and English speakers read what they always did."""

from __future__ import annotations

import pytest

from tests.support.catalogues import with_words
from tests.support.inprocess import Kin, token_of

POLISH: dict[str, str | tuple[str, ...]] = {
    "A name can be at most {most} character.": (
        "Imię może mieć najwyżej {most} znak.",
        "Imię może mieć najwyżej {most} znaki.",
        "Imię może mieć najwyżej {most} znaków.",
    ),
    "To see this board, please open the link the facilitator gave you.": (
        "Aby zobaczyć tablicę, otwórz link od prowadzącego."
    ),
}


@pytest.fixture(autouse=True)
def catalogues(monkeypatch: pytest.MonkeyPatch) -> None:
    with_words(monkeypatch, "pl", POLISH)


def long_name(kin: Kin, **headers: str) -> tuple[int, dict[str, str]]:
    meeting = kin.new_meeting()
    body = {"token": token_of(meeting["links"]["participant"]), "role": "parent"}
    answer = kin.browser().post("/api/join", json={**body, "name": "x" * 81}, headers=headers)
    return answer.status_code, answer.json()["error"]


def test_a_refusal_is_in_the_browsers_language_with_its_numbers_filled_in(kin: Kin) -> None:
    assert long_name(kin, **{"Accept-Language": "pl-PL,pl;q=0.9"}) == (
        400,
        {"code": "too_long", "message": "Imię może mieć najwyżej 80 znaków."},
    )


def test_english_speakers_read_what_they_always_did(kin: Kin) -> None:
    for headers in ({}, {"Accept-Language": "en-GB"}, {"Accept-Language": "de"}):
        assert long_name(kin, **headers)[1] == {
            "code": "too_long",
            "message": "A name can be at most 80 characters.",
        }


def test_the_language_chosen_on_joining_comes_before_the_browsers(
    kin: Kin, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = kin.new_meeting()
    body = {"token": token_of(meeting["links"]["participant"]), "name": "Ola", "role": "parent"}
    browser = kin.browser()
    joined = browser.post("/api/join", json={**body, "language": "pl"})
    assert joined.cookies["kinboard-lang"] == "pl"
    # The next refusal this browser is given, its browser set to English, is in Polish.
    again = browser.post("/api/join", json={**body, "name": "x" * 81})
    assert again.json()["error"]["message"] == "Imię może mieć najwyżej 80 znaków."
    # A language Kinboard does not speak in the cookie counts for nothing.
    browser.set_cookie("kinboard-lang", "xx")
    headers = {"Accept-Language": "pl"}
    again = browser.post("/api/join", json={**body, "name": "x" * 81}, headers=headers)
    assert again.json()["error"]["message"] == "Imię może mieć najwyżej 80 znaków."


def test_the_error_page_is_in_the_askers_language(kin: Kin) -> None:
    polish = kin.browser().get("/m/nosuchmeeting", headers={"Accept-Language": "pl"})
    english = kin.browser().get("/m/nosuchmeeting")
    assert polish.status_code == english.status_code == 403
    assert "Aby zobaczyć tablicę, otwórz link od prowadzącego." in polish.text
    assert "To see this board, please open the link the facilitator gave you." in english.text
