"""A whole meeting by keyboard alone (WCAG 2.1.1), in real browsers: no mouse event is sent.
Priya (facilitator) and Sam (parent) join; Sam adds a card, changes it, moves it to another
section with "Move" (the single-pointer and keyboard way instead of dragging, 2.5.7) and
agrees with it; Priya opens the scale, both answer, Priya shows the answers, takes the
minutes, both sign and Priya marks them agreed. The focus moves only by Tab and Shift+Tab.
axe-core checks the Share and settings panel, the board with the scale open and with its
answers shown, and the plan."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.axe import assert_accessible
from tests.support.harness import ServerProcess, create_meeting
from tests.support.keyboard import focused, is_focused, tab_to
from tests.support.pages import LAPTOP, Screens, connected

WORRY = "Leo came to school hungry"
WORRY_NOW = "Leo came to school hungry twice"


def join_by_keyboard(page: Page, link: str, name: str, role: str | None) -> None:
    page.goto(link)
    expect(page.locator("[data-role=join-form]")).to_be_visible()
    tab_to(page, "input[name=name]")
    page.keyboard.type(name)
    if role:
        tab_to(page, "input[name=role]")
        # Arrows move through a group of radio buttons, choosing as they go.
        while not is_focused(page, f"input[name=role][value={role}]"):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
    tab_to(page, "[data-role=join-form] [type=submit]")
    page.keyboard.press("Enter")
    connected(page)


def card_in(section: str, card_id: str) -> str:
    return f"[data-section={section}] [data-card-id='{card_id}']"


def press_on(page: Page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def test_a_whole_meeting_by_keyboard_alone(server: ServerProcess, screens: Screens) -> None:
    links = create_meeting(server.url, "Family meeting for Leo")["links"]
    priya = screens.open(**LAPTOP)
    join_by_keyboard(priya, links["facilitator"], "Priya", None)
    sam = screens.open(**LAPTOP)
    join_by_keyboard(sam, links["participant"], "Sam", "parent")
    # Priya's Share and settings panel opens and closes from the keyboard.
    press_on(priya, "[data-role=share-toggle]")
    expect(priya.locator("[data-role=share-panel]")).to_be_visible()
    assert_accessible(priya, "the Share and settings panel")
    tab_to(priya, "[data-role=share-toggle]", backwards=True)
    priya.keyboard.press("Enter")
    expect(priya.locator("[data-role=share-panel]")).to_be_hidden()

    # Sam adds a worry: the editor opens with the focus in it; Enter saves, Escape closes.
    press_on(sam, "[data-section=harm] [data-action=add-card]")
    assert is_focused(sam, "[data-section=harm] [data-field=card-text]"), focused(sam)
    sam.keyboard.type(WORRY)
    sam.keyboard.press("Enter")
    added = sam.locator("[data-section=harm] [data-card-id]", has_text=WORRY)
    expect(added).not_to_have_class("is-pending")
    card_id = added.get_attribute("data-card-id") or ""
    the_card = f"[data-card-id='{card_id}']"
    sam.keyboard.press("Escape")
    expect(priya.locator(f"{card_in('harm', card_id)} .card-text")).to_have_text(WORRY)

    # ... changes it ...
    press_on(sam, f"{the_card} [data-action=edit]")
    sam.keyboard.press("Control+A")
    sam.keyboard.type(WORRY_NOW)
    sam.keyboard.press("Enter")
    expect(priya.locator(f"{card_in('harm', card_id)} .card-text")).to_have_text(WORRY_NOW)

    # ... moves it to "Complicating factors" with Move, not by dragging ...
    press_on(sam, f"{the_card} [data-action=move]")
    assert is_focused(sam, ".move-menu button"), focused(sam)
    tab_to(sam, ".move-menu [data-action=move-to][data-section=complicating]")
    sam.keyboard.press("Enter")
    expect(priya.locator(card_in("complicating", card_id))).to_be_visible()
    # The focus stays with the card it moved.
    expect(sam.locator(f"{card_in('complicating', card_id)} [data-action=move]")).to_be_focused()

    # ... and agrees with it.
    press_on(sam, f"{the_card} [data-action=agree]", "Space")
    expect(priya.locator(f"{the_card} [data-action=agree] .count")).to_have_text("1")

    # Priya opens the scale; both answer with a reason; Priya shows the answers.
    open_round = "[data-round-id][data-status=open]"
    press_on(priya, "[data-action=open-round]")
    expect(sam.locator(open_round)).to_have_count(1)
    assert_accessible(sam, "the board with a scale open")
    for page, number in ((priya, 4), (sam, 6)):
        tab_to(page, f"{open_round} [data-field=vote-reason]")
        page.keyboard.type("Leo is safer at school now")
        press_on(page, f"{open_round} [data-action=vote][data-value='{number}']")
        expect(page.locator(f"{open_round} [data-role=my-vote]")).to_contain_text(
            f"You said {number}."
        )
    press_on(priya, "[data-action=reveal-round]")
    for page in (priya, sam):
        expect(page.locator("[data-round-id][data-status=revealed]")).to_have_count(1)
    assert_accessible(priya, "the board with the answers shown")

    # Priya takes the minutes; Sam and Priya sign them; Priya marks them agreed.
    for page in (priya, sam):
        press_on(page, "[data-view=plan]")
    press_on(priya, "[data-action=pause-for-minutes]")
    tab_to(priya, "[data-field=minutes-label]")
    priya.keyboard.type("End of the meeting")
    press_on(priya, "[data-action=take-minutes]")
    minutes = "[data-role=minutes-list] [data-minutes='1']"
    for page in (sam, priya):
        expect(page.locator(minutes)).to_contain_text("Minutes 1: End of the meeting")
        press_on(page, f"{minutes} [data-action=sign-agree]")
        expect(page.locator(f"{minutes} [data-role=my-signoff]")).to_have_text("You said: I agree.")
    press_on(priya, f"{minutes} [data-action=agree-minutes]")
    for page in (priya, sam):
        expect(page.locator(f"{minutes} [data-role=minutes-status]")).to_have_text("Agreed")
    assert_accessible(sam, "the plan with agreed minutes")
    assert not screens.problems, screens.problems
