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
from tests.support.keyboard import focused, is_focused
from tests.support.pages import LAPTOP, PHONE, Screens, add_card, join, join_as_child
from tests.support.wcag import focus_covered_by, moving, sideways_scroll, small_targets

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
    join_as_child(ava, links["participant"])
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


def tab_through(page: Page, most: int = 200) -> list[str]:
    """Tabs forward to the page's last link, then back to its first control, noting every
    focused element that a sticky or fixed bar hides."""
    hidden = []
    for key, end in (
        ("Tab", "[data-role=accessibility-link]"),
        ("Shift+Tab", "[data-role=quick-exit-button]"),
    ):
        for _ in range(most):
            page.keyboard.press(key)
            if covered := focus_covered_by(page):
                hidden.append(f"{key}: {covered}")
            if is_focused(page, end):
                break
        else:
            raise AssertionError(f"{key} never reached {end}; the focus is on {focused(page)}")
    return hidden


def test_focus_is_never_hidden_targets_are_big_enough_pages_reflow_and_nothing_moves(
    server: ServerProcess, meeting: dict[str, Any], screens: Screens
) -> None:
    links = meeting["links"]
    # A 360 x 640 phone that asks for reduced motion.
    phone = screens.open(
        **{**PHONE, "viewport": {"width": 360, "height": 640}}, reduced_motion="reduce"
    )
    join(phone, links["participant"], "Sam", "parent")
    for number in range(1, 5):
        add_card(phone, "harm", f"Worry number {number}: Leo is often late for school")
    phone.evaluate("() => window.scrollTo(0, 0)")
    assert tab_through(phone) == []  # 2.4.11, both ways through the board
    assert small_targets(phone) == []  # 2.5.8
    assert moving(phone) == []  # 2.3.3

    # 320 CSS px wide (1.4.10), and a 1280 x 1024 screen at 400 % zoom: 320 x 256 CSS px.
    for viewport, scale in (({"width": 320, "height": 640}, 1), ({"width": 320, "height": 256}, 4)):
        size = f"{viewport['width']}x{viewport['height']}"
        narrow = screens.open(viewport=viewport, device_scale_factor=scale)
        narrow.goto(links["participant"])
        expect(narrow.locator("[data-role=join-form]")).to_be_visible()
        pages = [("the join page", sideways_scroll(narrow), small_targets(narrow))]
        join_as_child(narrow, links["participant"])
        pages.append(("a child's houses", sideways_scroll(narrow), small_targets(narrow)))
        for path in (f"/m/{meeting['id']}/plan", "/accessibility", "/signin", "/m/nothing-here"):
            narrow.goto(server.url + path)
            pages.append((path, sideways_scroll(narrow), small_targets(narrow)))
        board = screens.open(viewport=viewport, device_scale_factor=scale)
        join(board, links["facilitator"], f"Priya {size}")
        pages.append(("the facilitator's board", sideways_scroll(board), small_targets(board)))
        for what, wide, small in pages:
            assert (wide, small) == (None, []), f"{what} at {size}: {wide} {small}"
    # The one error: the error page, of a meeting that is not theirs, asked for on purpose.
    assert all("status of 403" in problem for problem in screens.problems), screens.problems
