"""The facilitator keeps a child's shared item from someone, in real browsers: Ava shares her
worry with everyone; Fay (signed in) chooses by keyboard, on the item in "Ava's three
houses", that Sam may not see it. Fay's board and Ava's houses say "Hidden from Sam"; Sam's
phone and the room screen lose the item and its card on the map, and a fresh page of Sam's
never receives its words. Clearing it brings it back to Sam."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_browser_houses import (
    FAY,
    api,
    avas_link,
    house,
    saved,
    share,
    socket_frames,
    start_meeting,
)
from tests.support.harness import ServerProcess
from tests.support.pages import LAPTOP, PHONE, PROJECTOR, Screens, add_staff, connected, join

WORRY = "Dad shouts when he is cross"


def test_the_facilitator_hides_a_childs_shared_item_from_sam_by_keyboard(
    server: ServerProcess, screens: Screens
) -> None:
    add_staff(server, FAY)
    office = screens.open(**LAPTOP)
    meeting_id = start_meeting(office, server)
    link = avas_link(office)
    links = api(server, f"/api/meetings/{meeting_id}/links")
    sam = screens.open(**PHONE)
    join(sam, links["participant"], "Sam", "parent")
    room = screens.open(**PROJECTOR)
    join(room, links["display"], "")
    ava = screens.open(**PHONE)
    ava.goto(link)
    ava.locator("[data-role=join-form] [type=submit]").click()
    ava.wait_for_url(f"**/m/{meeting_id}/houses")
    connected(ava)
    house(ava, "worries").locator("[data-role=add-words]").click()
    house(ava, "worries").locator("[data-role=words-input]").fill(WORRY)
    house(ava, "worries").locator("[data-role=put-in]").click()
    saved(ava, "worries", 1)
    share(ava, "worries", "everyone")

    shared = office.locator("[data-role=shared-houses]")
    expect(shared.locator(".house-words")).to_have_text(WORRY)
    shared.locator("[data-action=place]").click()
    card = office.locator("[data-section=complicating] [data-card-id]", has_text=WORRY)
    expect(card).to_be_visible()
    for page in (sam, room):
        expect(page.locator("[data-section=complicating] [data-card-id]", has_text=WORRY))
        expect(page.locator("[data-role=shared-houses] .house-words")).to_have_text(WORRY)

    # Fay, by keyboard: open "Who can see this", choose "Everyone but some people", tick
    # Sam (Ava is not offered: she always sees her own), save.
    button = shared.locator("[data-action=item-audience]")
    button.focus()
    office.keyboard.press("Enter")
    picker = shared.locator("[data-role=audience-picker]")
    expect(picker).to_be_visible()
    expect(picker.locator("legend").first).to_have_text("Who can see this?")
    expect(picker.locator("[data-hide-from]")).to_have_count(1)  # Sam only
    expect(picker.locator("[data-audience-kind=everyone]")).to_be_focused()
    office.keyboard.press("ArrowDown")
    expect(picker.locator("[data-audience-kind=hidden_from]")).to_be_checked()
    office.keyboard.press("Tab")
    office.keyboard.press("Space")
    office.keyboard.press("Tab")
    office.keyboard.press("Enter")
    expect(picker).to_have_count(0)
    expect(button).to_be_focused()
    expect(shared.locator("[data-role=audience]")).to_have_text("Hidden from Sam")
    expect(card).to_contain_text("Hidden from Sam")  # its card is kept from him too
    expect(house(ava, "worries").locator("[data-role=audience]")).to_have_text("Hidden from Sam")

    for page in (sam, room):
        expect(page.locator("[data-role=shared-houses] .house-words")).to_have_count(0)
        expect(page.get_by_text(WORRY)).to_have_count(0)
    # A fresh page of Sam's is never sent its words.
    frames = socket_frames(sam)
    sam.reload()
    connected(sam)
    expect(sam.locator("[data-section=complicating]")).to_be_attached()
    assert frames, "Sam's new socket was watched"
    assert WORRY not in "".join(frames)
    assert WORRY not in sam.content()

    # Everyone again: Sam sees it once more.
    button.focus()
    office.keyboard.press("Enter")
    expect(picker.locator("[data-audience-kind=hidden_from]")).to_be_focused()
    office.keyboard.press("ArrowUp")
    office.keyboard.press("Tab")  # the people are hidden now: straight to Save
    office.keyboard.press("Enter")
    expect(shared.locator("[data-role=audience]")).to_have_count(0)
    expect(sam.locator("[data-role=shared-houses] .house-words")).to_have_text(WORRY)
    assert screens.problems == []
