"""WCAG 2.2 AA on the pages people use most, in a real browser: axe-core finds no violation
on the join page, sign-in, the accessibility statement, the board (facilitator, parent,
phone) and a child's houses page; other
people's changes are heard through a polite live region, in short batches, never one's own,
and the switch for it is remembered on the device."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.support.axe import assert_accessible
from tests.support.harness import ServerProcess, create_meeting
from tests.support.pages import LAPTOP, PHONE, Screens, add_card, join

# Everything the live region says, as it says it (it is emptied between messages).
LISTEN = """() => {
  window.heard = [];
  const region = document.querySelector('[data-role=announcements]');
  new MutationObserver(() => { if (region.textContent) window.heard.push(region.textContent); })
    .observe(region, { childList: true, characterData: true, subtree: true });
}"""


@pytest.fixture
def meeting(server: ServerProcess) -> dict[str, Any]:
    return create_meeting(server.url, "Family meeting for Ava and Leo")


def heard(page: Page) -> list[str]:
    said: list[str] = page.evaluate("() => window.heard")
    return said


def test_the_main_pages_pass_axe_and_other_peoples_changes_are_announced(
    server: ServerProcess, meeting: dict[str, Any], screens: Screens
) -> None:
    links = meeting["links"]
    priya = screens.open(**LAPTOP)
    priya.goto(links["participant"])
    expect(priya.locator("[data-role=join-form]")).to_be_visible()
    assert_accessible(priya, "the join page")
    for path, what in (("/accessibility", "the accessibility statement"), ("/signin", "sign-in")):
        priya.goto(server.url + path)
        assert_accessible(priya, what)
    ava = screens.open(**PHONE)
    ava.goto(links["participant"])
    ava.fill("input[name=name]", "Ava")
    ava.check("input[name=role][value=child]")
    ava.locator("[data-role=join-form] [type=submit]").click()
    ava.wait_for_url("**/houses")
    expect(ava.locator("[data-role=houses-title]")).to_be_visible()
    assert_accessible(ava, "a child's three houses")
    priya = screens.open(**LAPTOP)
    join(priya, links["facilitator"], "Priya (social worker)")
    sam = screens.open(**LAPTOP)
    join(sam, links["participant"], "Sam", "parent")
    gran = screens.open(**PHONE)
    join(gran, links["participant"], "Gran", "network")
    gran.click("[data-tab=working_well]")
    region = sam.locator("[data-role=announcements]")
    expect(region).to_have_text("Gran joined the meeting")

    sam.evaluate(LISTEN)
    # Sam's own card is not said to Sam; Gran's is, in one short sentence.
    add_card(sam, "harm", "Leo came to school with a bruise")
    add_card(gran, "strengths", "Gran walks the children to school")
    expect(region).to_have_text("Gran added a card to Existing strengths")
    assert heard(sam) == ["Gran added a card to Existing strengths"]
    for page, who in ((priya, "the facilitator's board"), (sam, "a parent's board")):
        assert_accessible(page, who)
    # At the top: what scrolls under the sticky tabs is covered there, as it should be.
    gran.evaluate("() => window.scrollTo(0, 0)")
    assert_accessible(gran, "the board on a phone")

    # Sam turns it off; the choice outlives a reload, and nothing more is said.
    switch = sam.get_by_label("Tell me about other people's changes")
    expect(switch).to_be_checked()
    switch.uncheck()
    sam.reload()
    expect(sam.locator("[data-role=connection]")).to_have_attribute("data-state", "connected")
    expect(switch).not_to_be_checked()
    sam.evaluate(LISTEN)
    add_card(gran, "strengths", "Gran phones every evening")
    expect(sam.locator("[data-section=strengths] [data-card-id]")).to_have_count(2)
    sam.wait_for_timeout(2_000)  # past the batch's second and a half
    assert heard(sam) == []
    assert not screens.problems, screens.problems
