"""Steering the meeting in real browsers: Fay, signed in, runs the meeting from her laptop
with the keyboard alone; Sam and Gran are on phones and the meeting-room screen is a
projector. The step bar and the timer show the same on every screen; "I'm done" is counted
for everyone and named for Fay; the room screen always moves to what Fay spotlights, and a
phone only when its person chose to follow her."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.support.harness import ServerProcess
from tests.support.pages import (
    PASSWORD,
    PHONE,
    PROJECTOR,
    Screens,
    add_card,
    add_staff,
    join,
    staff_meeting,
)

FAY = "fay.steer@council.example"
NEXT_STEP = "Gran will take Leo to football on Saturdays"


@pytest.fixture(scope="module", autouse=True)
def fay(server: ServerProcess) -> None:
    add_staff(server, FAY)


def start_meeting(
    screens: Screens, server: ServerProcess, title: str
) -> tuple[Page, dict[str, str]]:
    """Fay signs in and starts a meeting; its links, as her Share panel has them."""
    office, _, links = staff_meeting(
        screens,
        server.url,
        (FAY, PASSWORD),
        title,
        "Fay, social worker",
        family_name=f"{title} family",
    )
    return office, links


def press(page: Page, selector: str, key: str = "Enter") -> None:
    """A control worked from the keyboard: focused, then a key."""
    page.locator(selector).focus()
    page.keyboard.press(key)


def seconds_shown(page: Page) -> int:
    minutes, seconds = page.locator("[data-role=timer-clock]").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def shown_tab(phone: Page) -> Locator:
    return phone.locator(".column-tab[aria-selected=true]:visible")


def scrolled(page: Page) -> float:
    return float(page.evaluate("window.scrollY"))


def step_bar(page: Page) -> Locator:
    return page.locator(".step-bar")


def test_the_step_bar_the_timer_and_im_done_on_a_phone_and_the_room_screen(
    server: ServerProcess, screens: Screens
) -> None:
    office, links = start_meeting(screens, server, "Meeting for Leo")
    phone = screens.open(**PHONE)
    join(phone, links["participant"], "Sam", "parent")
    room = screens.open(**PROJECTOR)
    join(room, links["display"], "")
    everyone = (office, phone, room)

    for page in everyone:
        expect(page.locator("[data-role=step-now]")).to_have_text(
            "Step 1 of 9: Welcome and purpose"
        )
        expect(step_bar(page).locator(".step")).to_have_count(9)
    # Only the facilitator moves it.
    for page in (phone, room):
        expect(page.locator("[data-action=step-next]")).not_to_be_visible()

    # Fay moves the meeting on, renames the step and adds one, all by keyboard.
    # Each press once the last one's step shows, as Fay would see it before the next.
    for action, now in (("next", 2), ("next", 3), ("back", 2)):
        press(office, f"[data-action=step-{action}]")
        expect(office.locator("[data-role=step-now]")).to_have_text(re.compile(f"^Step {now} "))
    press(office, "[data-action=change-steps]")
    expect(office.locator(".agenda-editor input[data-step='0']")).to_be_focused()
    # Its name, then Down and Remove (the first step has no Up), then the second's name.
    for _ in range(3):
        office.keyboard.press("Tab")
    expect(office.locator(".agenda-editor input[data-step='1']")).to_be_focused()
    office.keyboard.press("Control+A")
    office.keyboard.type("What we are worried about today")
    office.keyboard.press("Enter")
    for page in everyone:
        expect(page.locator("[data-role=step-now]")).to_have_text(
            "Step 2 of 9: What we are worried about today"
        )
        expect(step_bar(page).locator(".step[aria-current=step]")).to_have_text(
            "What we are worried about today"
        )

    # Sam says he is done: Fay sees his name, the others how many.
    phone.click("[data-action=ready-done]")
    expect(phone.locator("[data-action=ready-done]")).to_have_attribute("aria-pressed", "true")
    expect(office.locator("[data-role=done-names]")).to_have_text("Done: Sam")
    for page in everyone:
        expect(page.locator("[data-role=readiness-summary]")).to_have_text(
            "1 person is done. 0 people need more time."
        )
    expect(room.locator("[data-role=done-names]")).to_be_hidden()
    expect(phone.locator("[data-role=done-names]")).to_be_hidden()

    # A timer of one minute, started by keyboard: the same on every screen.
    office.locator("[data-field=timer-minutes]").focus()
    office.keyboard.press("Control+A")
    office.keyboard.type("1")
    office.keyboard.press("Tab")
    expect(office.locator("[data-action=timer-start]")).to_be_focused()
    office.keyboard.press("Enter")
    for page in everyone:
        expect(page.locator("[data-role=timer-clock]")).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    shown = [seconds_shown(page) for page in everyone]
    assert max(shown) - min(shown) <= 1, shown
    # A new round: what Sam said was about the last one.
    expect(phone.locator("[data-action=ready-done]")).to_have_attribute("aria-pressed", "false")
    expect(phone.locator("[data-role=readiness-summary]")).to_be_hidden()

    # Paused, it holds still on every screen.
    press(office, "[data-action=timer-pause]")
    for page in everyone:
        expect(page.locator("[data-role=timer-state]")).to_have_text("Paused")
    held = seconds_shown(phone)
    time.sleep(1.5)
    assert seconds_shown(phone) == held
    assert seconds_shown(room) == held
    expect(office.locator("[data-action=timer-pause]")).to_have_text("Carry on")

    # Ten seconds, then time is up, said calmly: words, no flashing, nothing red.
    office.locator("[data-field=timer-minutes]").fill("0.17")
    press(office, "[data-action=timer-start]")
    for page in everyone:
        expect(page.locator("[data-role=time-up]")).to_have_text("Time is up", timeout=15_000)
        expect(page.locator("[data-role=timer-clock]")).to_have_text("0:00")
        up = page.locator("[data-role=time-up]")
        assert up.evaluate("e => getComputedStyle(e).animationName") == "none"
        colour = up.evaluate("e => getComputedStyle(e).color")
        assert colour == "rgb(27, 27, 27)", colour  # the ordinary ink

    # Too short a timer: the server's words, nothing changes.
    office.locator("[data-field=timer-minutes]").fill("0.1")
    press(office, "[data-action=timer-start]")
    expect(office.locator(".toast")).to_contain_text(
        "A timer runs for 10 seconds at least and 3 hours at most."
    )
    expect(phone.locator("[data-role=time-up]")).to_have_text("Time is up")
    assert screens.problems == []


def test_a_parents_screen_follows_the_spotlight_when_it_chose_to_and_not_when_it_did_not(
    server: ServerProcess, screens: Screens
) -> None:
    office, links = start_meeting(screens, server, "Meeting for Ava")
    add_card(office, "next_steps", NEXT_STEP)
    card_id = office.locator("[data-card-id]", has_text=NEXT_STEP).get_attribute("data-card-id")
    sam = screens.open(**PHONE)
    join(sam, links["participant"], "Sam", "parent")
    gran = screens.open(**PHONE, reduced_motion="reduce")
    join(gran, links["participant"], "Gran", "network")
    room = screens.open(**PROJECTOR)
    join(room, links["display"], "")

    # Off until chosen; Sam chooses to follow, Gran does not.
    for phone in (sam, gran):
        expect(phone.locator("[data-field=follow]")).not_to_be_checked()
    expect(office.locator("[data-field=follow]")).to_be_hidden()
    sam.check("[data-field=follow]")
    for phone in (sam, gran):
        expect(shown_tab(phone)).to_have_attribute("data-tab", "worries")
        assert scrolled(phone) == 0

    # Fay spotlights the next step by keyboard.
    office.locator("[data-field=spotlight]").focus()
    office.locator("[data-field=spotlight]").select_option(f"card:{card_id}")
    office.keyboard.press("Tab")
    expect(office.locator("[data-action=spotlight]")).to_be_focused()
    office.keyboard.press("Enter")

    spotlit = f"[data-card-id={card_id}]"
    for page in (office, sam, gran, room):
        expect(page.locator(spotlit)).to_have_class(re.compile(r"\bis-spotlit\b"))
    expect(sam.locator(spotlit)).to_be_in_viewport()
    expect(room.locator(spotlit)).to_be_in_viewport()
    expect(shown_tab(sam)).to_have_attribute("data-tab", "needs_to_happen")
    # Gran's phone stays where she is: the worries, not the next steps.
    expect(shown_tab(gran)).to_have_attribute("data-tab", "worries")
    expect(gran.locator(spotlit)).to_be_hidden()
    assert scrolled(gran) == 0
    # Her screen does not animate the highlight, as she asked her phone.
    duration = gran.locator(spotlit).evaluate("e => getComputedStyle(e).transitionDuration")
    assert duration == "0s", duration

    # A scale, below the board on the room screen: it goes there.
    # The overall scale: the room screen shows a scale only while it is in use, or spotlit.
    scale_id = office.locator("[data-scale-id]").first.get_attribute("data-scale-id")
    scale = room.locator(f"[data-scale-id={scale_id}]")
    expect(scale).to_have_count(0)
    office.locator("[data-field=spotlight]").select_option(f"scale:{scale_id}")
    press(office, "[data-action=spotlight]")
    expect(scale).to_have_class(re.compile(r"\bis-spotlit\b"))
    expect(scale).to_be_in_viewport()
    expect(sam.locator(f"[data-scale-id={scale_id}]")).to_be_in_viewport()
    expect(shown_tab(gran)).to_have_attribute("data-tab", "worries")
    assert scrolled(gran) == 0

    # Sam stops following: the next spotlight leaves him where he is.
    sam.uncheck("[data-field=follow]")  # (Playwright scrolls up to the box to untick it)
    where = scrolled(sam)
    office.locator("[data-field=spotlight]").select_option("section:harm")
    press(office, "[data-action=spotlight]")
    expect(sam.locator("[data-section=harm]")).to_have_class(re.compile(r"\bis-spotlit\b"))
    expect(shown_tab(sam)).to_have_attribute("data-tab", "scales")
    assert scrolled(sam) == where
    # Cleared: nothing is highlighted anywhere.
    press(office, "[data-action=clear-spotlight]")
    for page in (office, sam, gran, room):
        expect(page.locator(".is-spotlit")).to_have_count(0)
    assert screens.problems == []
