"""Who can see a card, in real browsers: the signed-in facilitator hides a card from Sam by
keyboard alone; it goes from Sam's phone and the room screen at once, and Gran sees it with
its marking; for professionals only it goes from Gran's phone too; for everyone it comes
back to all of them, unmarked."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.harness import ServerProcess
from tests.support.pages import (
    PHONE,
    PROJECTOR,
    Screens,
    add_card,
    join,
    priyas_meeting,
)

WORDS = "Mum has a new phone number PHONE2X"


def test_the_facilitator_hides_a_card_by_keyboard_and_each_screen_follows(
    server: ServerProcess, screens: Screens
) -> None:
    priya, _, links = priyas_meeting(screens, server)
    sam, gran = screens.open(**PHONE), screens.open(**PHONE)
    join(sam, links["participant"], "Sam", "parent")
    join(gran, links["participant"], "Gran", "network")
    screen = screens.open(**PROJECTOR)
    join(screen, links["display"], "")

    add_card(priya, "harm", WORDS)
    for page in (sam, gran, screen):
        expect(page.locator("[data-card-id]", has_text=WORDS)).to_have_count(1)
    # Nobody but the facilitator is offered the choice.
    expect(
        gran.locator("[data-card-id]", has_text=WORDS).locator("[data-action=audience]")
    ).to_be_hidden()

    # By keyboard: the button, the second choice, Sam's box, Save.
    card = priya.locator("[data-card-id]", has_text=WORDS)
    card.locator("[data-action=audience]").focus()
    priya.keyboard.press("Enter")
    picker = card.locator("[data-role=audience-picker]")
    expect(picker.locator("[data-audience-kind=everyone]")).to_be_focused()
    priya.keyboard.press("ArrowDown")
    expect(picker.locator("[data-audience-kind=hidden_from]")).to_be_checked()
    boxes = picker.locator("[data-hide-from]")
    expect(boxes).to_have_count(2)  # Gran and Sam; never the facilitator or the screen
    priya.keyboard.press("Tab")  # Gran
    priya.keyboard.press("Tab")  # Sam
    expect(picker.locator("label", has_text="Sam").locator("input")).to_be_focused()
    priya.keyboard.press("Space")
    priya.keyboard.press("Tab")
    expect(picker.locator("[data-action=audience-save]")).to_be_focused()
    priya.keyboard.press("Enter")
    expect(picker).to_have_count(0)
    expect(card.locator("[data-action=audience]")).to_be_focused()

    expect(card.locator("[data-role=audience]")).to_have_text("Hidden from Sam")
    expect(
        gran.locator("[data-card-id]", has_text=WORDS).locator("[data-role=audience]")
    ).to_have_text("Hidden from Sam")
    for page in (sam, screen):
        expect(page.locator("[data-card-id]", has_text=WORDS)).to_have_count(0)
        expect(page.locator("body")).not_to_contain_text("PHONE2X")

    # For professionals only: Gran's phone loses it too.
    card.locator("[data-action=audience]").click()
    picker.locator("[data-audience-kind=professionals]").check()
    picker.locator("[data-action=audience-save]").click()
    expect(card.locator("[data-role=audience]")).to_have_text("For professionals only")
    for page in (sam, gran, screen):
        expect(page.locator("[data-card-id]", has_text=WORDS)).to_have_count(0)

    # Escape closes the choice and changes nothing.
    card.locator("[data-action=audience]").click()
    picker.locator("[data-audience-kind=everyone]").focus()
    priya.keyboard.press("Escape")
    expect(picker).to_have_count(0)
    expect(card.locator("[data-role=audience]")).to_have_text("For professionals only")

    # For everyone again: back on every screen, with no marking.
    card.locator("[data-action=audience]").click()
    picker.locator("[data-audience-kind=everyone]").check()
    picker.locator("[data-action=audience-save]").click()
    expect(card.locator("[data-role=audience]")).to_be_hidden()
    for page in (sam, gran, screen):
        shown = page.locator("[data-card-id]", has_text=WORDS)
        expect(shown).to_have_count(1)
        expect(shown.locator("[data-role=audience]")).to_be_hidden()
    assert screens.problems == []
