"""A language per person over HTTP: the join page offers every language, the browser's own
chosen first, and the one chosen goes with the join and stays theirs."""

from __future__ import annotations

import re
from typing import Any

import pytest

from server import i18n
from tests.support.catalogues import with_words
from tests.support.inprocess import Kin, joined, token_of


def chosen(page: str) -> list[str]:
    return re.findall(r'<option value="([a-z]+)"[^>]* selected>', page)


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("pl-PL,pl;q=0.9,en;q=0.8", "pl"),
        ("de-DE,de;q=0.9,cy;q=0.5,en;q=0.3", "cy"),  # the first one Kinboard speaks
        ("en;q=0.4,ar;q=0.9", "ar"),  # by weight, not order
        ("ur;q=0,ro", "ro"),  # q=0: not wanted
        ("de", "en"),
        (None, "en"),
    ],
)
def test_the_join_page_offers_every_language_with_the_browsers_chosen(
    kin: Kin, accept_language: str | None, expected: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    page = kin.browser().get("/join", headers=headers).text
    offered = re.findall(r'<option value="([a-z]+)" lang="\1"', page)
    assert offered == [language.code for language in i18n.LANGUAGES]
    assert chosen(page) == [expected]
    assert ">Polski</option>" in page and ">العربية</option>" in page


def languages(kin: Kin, meeting_id: str) -> dict[str, str]:
    return {p.name: p.language for p in kin.board(meeting_id).participants.values()}


def test_the_language_chosen_on_joining_is_kept_as_theirs(kin: Kin) -> None:
    meeting = kin.new_meeting()
    body = {"token": token_of(meeting["links"]["participant"]), "name": "Ola", "role": "parent"}
    assert kin.browser().post("/api/join", json={**body, "language": "pl"}).is_success
    # Sent without one (not from the join page): the browser's first, else English.
    welsh = {**body, "name": "Dafydd"}
    assert kin.browser().post("/api/join", json=welsh, headers={"Accept-Language": "cy"}).is_success
    joined(kin.browser(), meeting["links"]["facilitator"], "Priya", None)
    assert languages(kin, meeting["id"]) == {"Ola": "pl", "Dafydd": "cy", "Priya": "en"}


@pytest.mark.parametrize("language", ["xx", "PL", "", None, 3])
def test_joining_in_a_language_kinboard_does_not_speak_adds_nobody(kin: Kin, language: Any) -> None:
    meeting = kin.new_meeting()
    body = {"token": token_of(meeting["links"]["participant"]), "name": "Ola", "role": "parent"}
    answer = kin.browser().post("/api/join", json={**body, "language": language})
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid")
    assert languages(kin, meeting["id"]) == {}


WHO_WAS_THERE = {"pl": "Kto był obecny", "cy": "Pwy oedd yno"}


def page_lang(page: str) -> str:
    found = re.search(r'<html lang="([a-z]+)"', page)
    assert found, page[:200]
    return found.group(1)


def test_each_reader_has_the_meeting_in_their_own_language_and_the_screen_the_meetings(
    kin: Kin, monkeypatch: pytest.MonkeyPatch
) -> None:
    for code, words in WHO_WAS_THERE.items():
        with_words(monkeypatch, code, {"Who was there": words})  # each keeps the ones before
    meeting = kin.new_meeting()
    mid, links = meeting["id"], meeting["links"]
    ola, screen, priya = kin.browser("192.0.2.21"), kin.browser("192.0.2.22"), kin.browser()
    body = {"token": token_of(links["participant"]), "name": "Ola", "role": "parent"}
    assert ola.post("/api/join", json={**body, "language": "pl"}).is_success
    facilitator = joined(priya, links["facilitator"], "Priya", None)
    assert screen.post("/api/join", json={"token": token_of(links["display"])}).is_success
    kin.op(mid, facilitator, "meeting.language", language="cy")
    kin.op(mid, facilitator, "minutes.take")
    english = {"Accept-Language": "en"}  # whatever their browsers ask for
    assert page_lang(ola.get(f"/m/{mid}", headers=english).text) == "pl"
    assert page_lang(priya.get(f"/m/{mid}", headers=english).text) == "en"
    assert page_lang(screen.get(f"/m/{mid}/display", headers=english).text) == "cy"
    # The minutes: the family member's copy in her language, the record in the meeting's.
    assert "## Kto był obecny" in ola.get(f"/m/{mid}/minutes/1.md", headers=english).text
    assert "## Pwy oedd yno" in priya.get(f"/m/{mid}/minutes/1.md", headers=english).text
    assert page_lang(ola.get(f"/m/{mid}/minutes/1", headers=english).text) == "pl"
