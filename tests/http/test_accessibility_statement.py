"""The accessibility statement: the model statement's parts, who runs the service and where
to report a problem from the operator's settings, and a link to it on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.inprocess import Kin, MovableClock, start

# The headings of the model accessibility statement, in its order.
PARTS = [
    "Accessibility statement for Kinboard",
    "How accessible this service is",
    "What to do if you cannot use part of this service",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service's accessibility",
    "Compliance status",
    "Non-accessible content",
    "What we are doing to improve accessibility",
    "Preparation of this accessibility statement",
]
LINK = 'href="/accessibility"'


def statement(tmp_path: Path, **settings: Any) -> str:
    for kin in start(tmp_path, MovableClock(), **settings):  # the app runs for one request
        answer = kin.browser().get("/accessibility")
    assert answer.status_code == 200
    assert "text/html" in answer.headers["content-type"]
    return answer.text


def test_the_statement_has_the_model_statements_parts_and_the_operators_contact(
    tmp_path: Path,
) -> None:
    page = statement(
        tmp_path,
        operator="Example Borough Council",
        accessibility_contact="access@example.gov.uk",
    )
    places = [page.find(f">{part}</") for part in PARTS]
    assert -1 not in places, [p for p, at in zip(PARTS, places, strict=True) if at == -1]
    assert places == sorted(places)
    assert "This service is run by Example Borough Council." in page
    assert page.count('href="mailto:access@example.gov.uk"') == 2  # other formats, problems
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert 'href="https://www.equalityadvisoryservice.com/"' in page
    assert "Equality Commission for Northern Ireland (ECNI)" in page
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in page
    assert "This statement was prepared on 1 December 2026." in page
    assert "axe-core" in page and "with the keyboard alone" in page


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("https://example.gov.uk/contact", 'href="https://example.gov.uk/contact"'),
        (None, "the worker who invited you to the meeting"),
    ],
)
def test_without_an_e_mail_the_statement_gives_the_contact_page_or_the_worker(
    tmp_path: Path, contact: str | None, expected: str
) -> None:
    page = statement(tmp_path, accessibility_contact=contact)
    assert page.count(expected) == 2
    assert "mailto:" not in page
    assert "This service is run by the organisation that invited you to the meeting." in page


def test_every_page_links_to_the_statement(kin: Kin, looked_after: dict[str, Any]) -> None:
    staff, meeting_id = looked_after["staff"], looked_after["meeting_id"]
    for path in (
        "/",
        f"/m/{meeting_id}",
        f"/m/{meeting_id}/plan",
        f"/m/{meeting_id}/minutes/1",
        f"/m/{meeting_id}/activity",
        "/accessibility",
    ):
        answer = staff.get(path)
        assert answer.status_code == 200, path
        assert answer.text.count(LINK) == 1, path
    stranger = kin.browser()
    for path in ("/signin", "/join", "/m/no-such-meeting"):
        assert stranger.get(path).text.count(LINK) == 1, path
