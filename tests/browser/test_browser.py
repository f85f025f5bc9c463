"""The live map in a real browser: Debian's Chromium driven by Playwright.

Two people join one meeting through its links, one adds cards through the page, the other
and the meeting room screen see them at once, and user text stays text.
"""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.harness import ROOT, ServerProcess, create_meeting
from tests.support.pages import LAPTOP, PHONE, PROJECTOR, add_card

ARTIFACTS = ROOT / "tests" / "artifacts"
XSS = "<img src=x onerror=alert(1)>"


def open_context(browser: Browser, **options: object) -> tuple[BrowserContext, Page]:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return context, page


def join(page: Page, link: str, name: str, role: str | None = None) -> None:
    page.goto(link)
    form = page.locator("[data-role=join-form]")
    expect(form).to_be_visible()
    # The token is read from the fragment and then removed from the address bar.
    expect(page).not_to_have_url(link)
    if name:
        page.fill("input[name=name]", name)
    if role:
        page.check(f"input[name=role][value={role}]")
    form.locator("[type=submit]").click()
    expect(page.locator("[data-role=connection]")).to_have_attribute(
        "data-state", "connected", timeout=10_000
    )


def card_texts(page: Page, section: str) -> list[str]:
    return page.locator(f"[data-section={section}] [data-card-id] .card-text").all_text_contents()


def test_two_people_and_the_room_screen_share_one_live_board(
    server: ServerProcess, browser: Browser
) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava and Leo")
    links = meeting["links"]
    facilitator_context, facilitator = open_context(browser, **LAPTOP)
    parent_context, parent = open_context(browser, **LAPTOP)
    display_context, display = open_context(browser, **PROJECTOR)
    try:
        join(facilitator, links["facilitator"], "Priya (social worker)")
        join(parent, links["participant"], "Sam", "parent")
        join(display, links["display"], "")
        expect(display).to_have_url(f"{server.url}/m/{meeting['id']}/display")

        add_card(parent, "harm", "Leo came to school with a bruise on his arm", "School")
        add_card(parent, "strengths", "Gran walks the children to school every day", "Gran")
        add_card(parent, "next_steps", "Sam will call Gran when things get hard", "Sam")
        add_card(parent, "danger", XSS)

        # The facilitator sees every card without reloading, attributed as said.
        for section, text in [
            ("harm", "Leo came to school with a bruise on his arm"),
            ("strengths", "Gran walks the children to school every day"),
            ("next_steps", "Sam will call Gran when things get hard"),
            ("danger", XSS),
        ]:
            expect(
                facilitator.locator(f"[data-section={section}] [data-card-id]", has_text=text)
            ).to_be_visible()
            expect(
                display.locator(f"[data-section={section}] [data-card-id]", has_text=text)
            ).to_be_visible()
        strengths = facilitator.locator("[data-section=strengths] [data-card-id]")
        expect(strengths.locator(".card-said-by")).to_have_text("said by Gran")

        # User text is text: the markup shows as typed and creates no element.
        assert card_texts(facilitator, "danger") == [XSS]
        assert facilitator.locator("[data-section=danger] img").count() == 0
        assert display.locator("img[src=x]").count() == 0
        assert facilitator.dialogs == [] and parent.dialogs == []  # type: ignore[attr-defined]

        # Who is here.
        presence = facilitator.locator("[data-role=presence]")
        expect(presence).to_contain_text("Sam")
        expect(presence).to_contain_text("Priya")

        # The facilitator edits in place; the parent sees it.
        card = facilitator.locator("[data-section=next_steps] [data-card-id]")
        card.locator("[data-action=edit]").click()
        editor = card.locator("[data-field=card-text]")
        editor.fill("Sam will call Gran or Mr Khan when things get hard")
        editor.press("Enter")
        expect(parent.locator("[data-section=next_steps] .card-text")).to_have_text(
            "Sam will call Gran or Mr Khan when things get hard"
        )

        # The display is read-only and shows the family's link as a QR code.
        expect(display.locator("[data-action=add-card]")).to_have_count(0)
        qr = display.locator("img[src$='qr.svg']")
        expect(qr).to_be_visible()
        assert qr.evaluate("image => image.naturalWidth") > 0

        ARTIFACTS.mkdir(exist_ok=True)
        facilitator.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)
        display.screenshot(path=str(ARTIFACTS / "display.png"))
    finally:
        for context in (facilitator_context, parent_context, display_context):
            context.close()


def test_drag_and_keyboard_moves_reach_the_other_screen(
    server: ServerProcess, browser: Browser
) -> None:
    meeting = create_meeting(server.url, "Moving cards")
    links = meeting["links"]
    one_context, one = open_context(browser, **LAPTOP)
    two_context, two = open_context(browser, **LAPTOP)
    try:
        join(one, links["participant"], "Mo", "network")
        join(two, links["participant"], "Jo", "professional")
        add_card(one, "harm", "First worry")
        add_card(one, "harm", "Second worry")
        expect(two.locator("[data-section=harm] [data-card-id]")).to_have_count(2)

        # Keyboard: move the second card up, then to another section.
        second = one.locator("[data-section=harm] [data-card-id]", has_text="Second worry")
        second.locator("[data-action=move]").click()
        one.locator("[data-action=move-up]").click()
        expect(two.locator("[data-section=harm] .card-text")).to_have_text(
            ["Second worry", "First worry"]
        )
        second = one.locator("[data-card-id]", has_text="Second worry")
        second.locator("[data-action=move]").click()
        one.locator("[data-action=move-to][data-section=complicating]").click()
        expect(two.locator("[data-section=complicating] .card-text")).to_have_text(["Second worry"])

        # Drag and drop by the handle, into "What's working well?", once the mover's own
        # screen shows the move too (its board laid out anew: the handle's place is final).
        expect(one.locator("[data-section=harm] .card-text")).to_have_text(["First worry"])
        expect(one.locator("[data-section=complicating] .card-text")).to_have_text(["Second worry"])
        card = one.locator("[data-card-id]", has_text="First worry")
        target = one.locator(".card-list[data-section-list=strengths]")
        handle = card.locator(".drag-handle")
        box, goal = handle.bounding_box(), target.bounding_box()
        assert box and goal
        one.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        one.mouse.down()
        one.mouse.move(goal["x"] + 40, goal["y"] + 20, steps=10)
        # Dropped once the card stands in its new list. The drag library checks where the
        # pointer is on a timer of its own, so a move that came before its drag had
        # started is made again, a pixel aside, until the card shows there.
        moved = target.locator("[data-card-id]", has_text="First worry")
        for nudge in range(20):
            if moved.count() == 1:
                break
            one.mouse.move(goal["x"] + 40 + nudge % 2, goal["y"] + 20, steps=2)
            one.wait_for_timeout(100)
        expect(moved).to_have_count(1)
        one.mouse.up()
        expect(two.locator("[data-section=strengths] .card-text")).to_have_text(["First worry"])
        expect(two.locator("[data-section=harm] [data-card-id]")).to_have_count(0)
    finally:
        one_context.close()
        two_context.close()


def test_a_phone_shows_one_column_at_a_time_and_adds_cards(
    server: ServerProcess, browser: Browser
) -> None:
    meeting = create_meeting(server.url, "On a phone")
    context, phone = open_context(browser, **PHONE)
    try:
        join(phone, meeting["links"]["participant"], "Sam", "parent")
        worries = phone.locator("[data-column=worries]")
        working_well = phone.locator("[data-column=working_well]")
        expect(worries).to_be_visible()
        expect(working_well).to_be_hidden()
        phone.click("[data-tab=working_well]")
        expect(working_well).to_be_visible()
        expect(worries).to_be_hidden()
        add_card(phone, "strengths", "Gran picks the children up from school")
        # Nothing sticks out sideways on a 360 px screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "phone.png"))
    finally:
        context.close()


def test_remote_changes_leave_the_card_being_typed_in_alone(
    server: ServerProcess, browser: Browser
) -> None:
    meeting = create_meeting(server.url, "Typing while others change things")
    links = meeting["links"]
    typing_context, typing = open_context(browser, **LAPTOP)
    other_context, other = open_context(browser, **LAPTOP)
    try:
        join(typing, links["facilitator"], "Priya")
        join(other, links["participant"], "Sam", "parent")
        add_card(other, "harm", "Sam's first words")
        found = typing.locator("[data-section=harm] [data-card-id]", has_text="Sam's first words")
        card = typing.locator(f"[data-card-id={found.get_attribute('data-card-id')}]")
        card.locator("[data-action=edit]").click()
        editor = card.locator("[data-field=card-text]")
        editor.fill("Priya's half-written draft")
        # Mark the element: if the page rebuilt the card, the mark would be gone.
        card.evaluate("element => { element.dataset.untouched = 'yes'; }")

        # Meanwhile Sam changes that very card and adds another one above it.
        sams = other.locator("[data-section=harm] [data-card-id]", has_text="Sam's first words")
        sams.locator("[data-action=edit]").click()
        sams_editor = sams.locator("[data-field=card-text]")
        sams_editor.fill("Sam's second words")
        sams_editor.press("Enter")
        add_card(other, "harm", "Another worry")
        expect(typing.locator("[data-section=harm] [data-card-id]")).to_have_count(2)
        expect(typing.locator("[data-card-id]", has_text="Sam is editing")).to_have_count(0)

        # Priya's draft, focus and card element are as she left them.
        expect(editor).to_be_focused()
        expect(editor).to_have_value("Priya's half-written draft")
        assert card.evaluate("element => element.dataset.untouched") == "yes"
        editor.press("Enter")
        expect(other.locator("[data-section=harm] .card-text").first).to_have_text(
            "Priya's half-written draft"
        )
    finally:
        typing_context.close()
        other_context.close()
