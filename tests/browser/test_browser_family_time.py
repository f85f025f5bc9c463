"""Private family time in real browsers, on two screens: the facilitator's laptop (signed in
as staff) and a parent's phone, with the meeting room screen looking on.

The facilitator starts a family group meeting from the staff home page, and family time
from its stage bar by the keyboard. The laptop then shows only "Family time — back at ..."
and a countdown; the phone shows the family's own plan, which the parent writes. The
facilitator asks the family to come back; the parent says not yet, and later shares the
plan, which ends family time and brings the plan onto the board, said by the family.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.support.harness import API_KEY, ROOT, ServerProcess
from tests.support.pages import (
    PHONE,
    PROJECTOR,
    Screens,
    join,
    new_meeting,
    signed_in_staff,
)
from tests.support.readme_pictures import keep_for_readme

PRIYA = "priya@council.example"
KEY = {"Authorization": f"Bearer {API_KEY}"}
PICTURE = ROOT / "tests" / "artifacts" / "family-time.png"
RULE = "Gran stays with the children on the nights Sam works"
HELPER = "Aunt Rose: 07700 900123, any time"
STAGES = ["Information sharing", "Private family time", "Agreeing the plan", "Review"]


def current_stage(page: Page) -> str:
    return page.locator("[data-role=stages] .stage-current").inner_text()


def add_item(phone: Page, text: str, section: str) -> None:
    phone.fill("#family-item-text", text)
    phone.select_option("#family-item-section", section)
    phone.click("[data-action=add-family-item]")
    expect(
        phone.locator("[data-role=family-plan] .family-item-text", has_text=text)
    ).to_be_visible()


def side_by_side(screens: Screens, phone: Page, laptop: Page) -> None:
    """The parent's phone beside the facilitator's laptop (docs/family-time.png, when asked)."""
    phone.evaluate("window.scrollTo(0, 0)")  # its fixed "Exit this page" stays at the top
    shots = [base64.b64encode(p.screenshot(full_page=p is phone)).decode() for p in (phone, laptop)]
    page = screens.open(viewport={"width": 1780, "height": 600})
    page.set_content(
        '<body style="margin:0;padding:20px;background:#d6d1c7;display:flex;gap:20px;'
        'align-items:flex-start">'
        + "".join(
            f'<img style="box-shadow:0 2px 8px #0004" src="data:image/png;base64,{shot}">'
            for shot in shots
        )
        + "</body>"
    )
    page.screenshot(path=str(PICTURE), full_page=True)
    keep_for_readme(PICTURE, "family-time.png")


def start_family_group(server: ServerProcess, screens: Screens) -> tuple[Page, Page, str]:
    """Priya signs in and starts a family group meeting from the home page; Sam joins it on
    a phone. (laptop, phone, meeting id)"""
    laptop = signed_in_staff(screens, server, PRIYA)
    meeting_id = new_meeting(
        laptop, "Family group meeting for Ava and Leo", "Priya (social worker)", kind="family_group"
    )
    phone = screens.open(**PHONE)
    join(phone, links_of(server, meeting_id)["participant"], "Sam", "parent")
    return laptop, phone, meeting_id


def links_of(server: ServerProcess, meeting_id: str) -> dict[str, str]:
    answer = httpx.get(f"{server.url}/api/meetings/{meeting_id}/links", headers=KEY)
    links: dict[str, str] = answer.json()
    return links


def start_family_time(laptop: Page) -> str:
    """By the keyboard, at the time offered (in half an hour); the time, as shown."""
    back_at = laptop.locator("#family-time-back-at")
    back_at.focus()
    back = back_at.input_value()
    assert re.fullmatch(r"\d\d:\d\d", back), back
    laptop.keyboard.press("Enter")
    expect(laptop.locator("[data-role=family-time-heading]")).to_have_text(
        f"Family time — back at {back}"
    )
    return back


def test_family_time_on_a_phone_and_a_laptop_ends_with_the_share(
    tmp_path: Path, browser: Browser
) -> None:
    server = ServerProcess(tmp_path / "data").start()
    screens = Screens(browser)
    try:
        laptop, phone, meeting_id = start_family_group(server, screens)
        # The meeting room screen looks on, as the room would.
        room = screens.open(**PROJECTOR)
        join(room, links_of(server, meeting_id)["display"], "")

        # Both screens show the stages, with the first one on.
        for page in (laptop, phone):
            expect(page.locator("[data-role=stages] .stage")).to_have_text(STAGES)
            expect(page.locator("[data-role=stages] .stage-current")).to_have_text(STAGES[0])
        expect(phone.locator("[data-action=start-family-time]")).to_be_hidden()

        # The facilitator starts family time by the keyboard.
        back = start_family_time(laptop)
        # Half an hour ahead, to the minute: 29 to 30 minutes, less the moments since.
        expect(laptop.locator("[data-role=family-time-left]")).to_have_text(
            re.compile(r"^(2[89]|30):\d\d left$")
        )
        expect(laptop.locator("[data-role=board]")).to_be_hidden()
        expect(room.locator("[data-role=family-time-heading]")).to_have_text(
            f"Family time — back at {back}"
        )
        expect(room.locator("[data-role=board]")).to_be_hidden()
        for page in (laptop, phone, room):
            expect(page.locator("[data-role=stages] .stage-current")).to_have_text(STAGES[1])

        # The parent writes the family's plan; the laptop never shows a word of it.
        expect(phone.locator("[data-role=family-time-heading]")).to_have_text("Our family plan")
        expect(phone.locator("[data-role=board]")).to_be_hidden()
        add_item(phone, RULE, "plan_rules")
        add_item(phone, HELPER, "plan_helpers")
        expect(phone.locator(".family-item-meta").first).to_contain_text("written by Sam")

        # The facilitator asks to come back; the parent says not yet.
        laptop.click("[data-action=ask-family-back]")
        prompt = phone.locator("[data-role=family-prompt]")
        expect(prompt).to_contain_text("Your worker asks to come back. Are you ready?")
        expect(laptop.locator("[data-role=family-answer]")).to_have_text(
            "You asked the family if they are ready. Waiting for their answer…"
        )
        side_by_side(screens, phone, laptop)
        phone.click("[data-action=family-not-yet]")
        expect(prompt).to_be_hidden()
        expect(laptop.locator("[data-role=family-answer]")).to_have_text(
            "The family said: not yet."
        )
        for text in (RULE, HELPER, "Aunt Rose"):
            for page in (laptop, room):
                expect(page.locator("body")).not_to_contain_text(text)

        # The parent shares the plan: family time ends, and the plan is on the board.
        phone.click("[data-action=share-family-plan]")
        for page in (laptop, phone, room):
            expect(page.locator("[data-role=family-time]")).to_be_hidden()
            expect(page.locator("[data-role=stages] .stage-current")).to_have_text(STAGES[2])
            expect(page.locator("[data-role=family-time-ended]")).to_have_text(
                "The family shared their plan. It is on the board now."
            )
        laptop.click("[data-tab=plan]")
        for section, text in (("plan_rules", RULE), ("plan_helpers", HELPER)):
            card = laptop.locator(f"[data-section={section}] [data-card-id]", has_text=text)
            expect(card).to_be_visible()
            expect(card).to_contain_text("said by the family")

        board = httpx.get(f"{server.url}/api/meetings/{meeting_id}", headers=KEY).json()
        sam = next(p["id"] for p in board["participants"] if p["name"] == "Sam")
        shared = {c["text"]: c for c in board["cards"] if c["section"].startswith("plan_")}
        assert {t: (c["author"], c["attributed_to"]) for t, c in shared.items()} == {
            RULE: (sam, "the family"),
            HELPER: (sam, "the family"),
        }
        assert screens.problems == []
    finally:
        screens.close()
        server.stop()


def test_the_facilitator_ends_family_time_by_force_and_the_family_can_still_share(
    tmp_path: Path, browser: Browser
) -> None:
    server = ServerProcess(tmp_path / "data").start()
    screens = Screens(browser)
    try:
        laptop, phone, meeting_id = start_family_group(server, screens)
        # A time the facilitator types stays while the board changes (someone joins).
        typed = (datetime.now() + timedelta(minutes=45)).strftime("%H:%M")
        laptop.fill("#family-time-back-at", typed)
        laptop.locator("[data-role=title]").click()
        join(screens.open(**PROJECTOR), links_of(server, meeting_id)["display"], "")
        expect(laptop.locator("[data-role=presence] .person-name")).to_have_count(3)
        expect(laptop.locator("#family-time-back-at")).to_have_value(typed)
        laptop.click("[data-action=start-family-time]")
        expect(laptop.locator("[data-role=family-time-heading]")).to_have_text(
            f"Family time — back at {typed}"
        )
        add_item(phone, RULE, "plan_rules")

        # "End family time now" asks first, and No (which has the focus) keeps it on.
        laptop.click("[data-action=force-end-family-time]")
        expect(laptop.locator("[data-action=cancel]")).to_be_focused()
        laptop.keyboard.press("Enter")
        expect(laptop.locator("[data-action=confirm]")).to_have_count(0)
        expect(phone.locator("[data-role=family-plan]")).to_be_visible()
        laptop.click("[data-action=force-end-family-time]")
        laptop.click("[data-action=confirm]")

        expect(laptop.locator("[data-role=family-time]")).to_be_hidden()
        expect(laptop.locator("[data-role=family-time-ended]")).to_have_text(
            "Family time has ended."
        )
        expect(laptop.locator("[data-role=stages] .stage-current")).to_have_text(STAGES[2])
        expect(laptop.locator("body")).not_to_contain_text(RULE)
        # The parent's line is still only the family's, to share when they are ready.
        expect(phone.locator("[data-role=family-time-heading]")).to_have_text("Our family plan")
        expect(phone.locator("#family-item-text")).to_be_hidden()
        expect(phone.locator("[data-action=edit-family-item]")).to_be_hidden()
        phone.click("[data-action=share-family-plan]")
        expect(phone.locator("[data-role=family-time]")).to_be_hidden()
        laptop.click("[data-tab=plan]")
        card = laptop.locator("[data-section=plan_rules] [data-card-id]", has_text=RULE)
        expect(card).to_contain_text("said by the family")

        # The forced end is in the activity log, by Priya.
        activity = httpx.get(f"{server.url}/m/{meeting_id}/activity.csv", headers=KEY).text
        assert len([row for row in activity.splitlines() if "family_time.force_end" in row]) == 1
        assert screens.problems == []
    finally:
        screens.close()
        server.stop()
