"""Staff in a real browser: the first run (the set-up link printed at start, the first staff
account, signing in, starting a meeting from the home page), and opening a meeting again and
again from two browsers as one participant, renamed on the board, and sharing a meeting (or its
whole family) from the Share panel and no longer."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.support.harness import API_KEY, ServerProcess
from tests.support.pages import (
    LAPTOP,
    PASSWORD,
    PHONE,
    Screens,
    add_staff,
    connected,
    join,
    new_meeting,
    sign_in,
    signed_in_staff,
)

PRIYA = "priya@council.example"
KEY = {"Authorization": f"Bearer {API_KEY}"}


def test_first_run_set_up_sign_in_and_start_a_meeting(tmp_path: Path, browser: Browser) -> None:
    server = ServerProcess(tmp_path / "data").start()
    try:
        found = re.search(r"(http://\S+/setup#\S+)", server.log())
        assert found, server.log()
        setup_link = found.group(1)
        page = browser.new_page()
        page.goto(setup_link)
        # The code came from the fragment into the form, and left the address bar.
        expect(page.locator("input[name=code]")).to_have_value(setup_link.split("#", 1)[1])
        assert "#" not in page.url
        page.fill("input[name=email]", "Priya@Council.example")
        page.fill("input[name=password]", "a long enough password")
        page.click("[data-role=setup-form] [type=submit]")
        expect(page.locator("h2#new-meeting")).to_be_visible()
        expect(page.locator(".signout")).to_contain_text("priya@council.example")

        # The link works once.
        again = browser.new_page()
        again.goto(setup_link)
        again.fill("input[name=email]", "mallory@example.org")
        again.fill("input[name=password]", "another long password")
        again.click("[data-role=setup-form] [type=submit]")
        expect(again.locator("[data-role=setup-problem]")).to_contain_text("has been used")

        page.fill("#title", "Family meeting for Ava and Leo")
        page.fill("#name", "Priya (social worker)")
        page.click("[data-role=new-meeting] [type=submit]")
        expect(page.locator("[data-role=connection]")).to_have_attribute(
            "data-state", "connected", timeout=10_000
        )
        expect(page.locator("[data-role=title]")).to_have_text("Family meeting for Ava and Leo")
        expect(page.locator("[data-role=share-toggle]")).to_be_visible()

        # Signing out and in again lists the meeting, which opens as its facilitator.
        page.goto(server.url + "/")
        page.click(".signout [type=submit]")
        expect(page).to_have_url(server.url + "/signin")
        page.fill("input[name=email]", "priya@council.example")
        page.fill("input[name=password]", "wrong password here")
        page.click("[data-role=signin-form] [type=submit]")
        expect(page.locator("[data-role=signin-problem]")).to_contain_text("do not match")
        page.fill("input[name=email]", "priya@council.example")
        page.fill("input[name=password]", "a long enough password")
        page.click("[data-role=signin-form] [type=submit]")
        meeting = page.locator("[data-role=meeting-list] button", has_text="Family meeting")
        meeting.click()
        expect(page.locator("[data-role=connection]")).to_have_attribute(
            "data-state", "connected", timeout=10_000
        )
        assert page.url.startswith(server.url + "/m/")
    finally:
        server.stop()


def test_ten_reopens_from_two_browsers_are_one_staff_participant_renamed_on_the_board(
    tmp_path: Path, browser: Browser
) -> None:
    data = tmp_path / "data"
    server = ServerProcess(data).start()
    add_staff(server, PRIYA)
    screens = Screens(browser)
    try:
        office, laptop = screens.open(**LAPTOP), screens.open(**LAPTOP)
        for page in (office, laptop):
            sign_in(page, server.url, PRIYA, PASSWORD)
            # The name offered is never the e-mail.
            expect(page.locator("#name")).to_have_value("Facilitator")
        meeting_id = new_meeting(office, "Family meeting for Ava", "Fay, social worker")
        for turn in range(10):
            page = (office, laptop)[turn % 2]
            page.goto(server.url + "/")
            page.locator("[data-role=meeting-list] button", has_text="Family meeting").click()
            connected(page)
        links = httpx.get(f"{server.url}/api/meetings/{meeting_id}/links", headers=KEY).json()
        family = screens.open(**PHONE)
        join(family, links["participant"], "Sam", "parent")

        # Fay changes her name on the board; the family sees it at once.
        office.click("[data-role=share-toggle]")
        office.click("[data-role=people] [data-action=rename-me]")
        office.fill("[data-field=my-name]", "Fay Okafor, social worker")
        office.click("[data-action=save-my-name]")
        presence = family.locator("[data-role=presence] .person-name")
        expect(presence.filter(has_text="Fay Okafor, social worker")).to_have_count(1)
        expect(family.locator("body")).not_to_contain_text("council.example")

        board = httpx.get(f"{server.url}/api/meetings/{meeting_id}", headers=KEY).json()
        staff = [p for p in board["participants"] if p["role"] == "facilitator"]
        assert [p["name"] for p in staff] == ["Fay Okafor, social worker"]
        assert screens.problems == []
    finally:
        screens.close()
        server.stop()


def test_the_owner_shares_a_meeting_from_the_share_panel_and_stops_sharing_it(
    tmp_path: Path, browser: Browser
) -> None:
    data = tmp_path / "data"
    server = ServerProcess(data).start()
    bea_email = "bea@council.example"
    for email in (PRIYA, bea_email):
        add_staff(server, email)
    screens = Screens(browser)
    try:
        priya, bea = screens.open(**LAPTOP), screens.open(**LAPTOP)
        for page, email in ((priya, PRIYA), (bea, bea_email)):
            sign_in(page, server.url, email, PASSWORD)
        new_meeting(priya, "Family meeting for Ava", "Priya, social worker")
        priya.click("[data-role=share-toggle]")
        colleagues = priya.locator("[data-role=colleagues] .colleague-email")
        expect(colleagues).to_have_text([PRIYA])
        priya.fill("input[name=colleague-email]", bea_email)
        priya.click("[data-action=share]")
        expect(colleagues).to_have_text([PRIYA, bea_email])

        # Bea has it now, and sees who has it, but cannot share it on or take it away.
        bea.goto(server.url + "/")
        bea.locator("[data-role=meeting-list] button", has_text="Family meeting").click()
        bea.fill("input[name=name]", "Bea")
        bea.click("form [type=submit]")
        connected(bea)
        bea.click("[data-role=share-toggle]")
        expect(bea.locator("[data-role=colleagues] .colleague-email")).to_have_text(
            [PRIYA, bea_email]
        )
        expect(bea.locator("[data-action=unshare]")).to_have_count(0)
        expect(bea.locator("input[name=colleague-email]")).to_be_hidden()

        # Priya stops sharing it (after an "Are you sure?"): Bea's board closes for her.
        priya.click(f"[data-email='{bea_email}'] [data-action=unshare]")
        priya.click(f"[data-email='{bea_email}'] [data-action=confirm]")
        expect(colleagues).to_have_text([PRIYA])
        expect(bea.locator("[data-role=session-ended]")).to_be_visible(timeout=10_000)
        bea.goto(server.url + "/")
        expect(bea.locator("[data-role=meeting-list] button")).to_have_count(0)
        assert screens.problems == []
    finally:
        screens.close()
        server.stop()


def test_the_owner_shares_the_whole_family_from_the_share_panel_and_stops_sharing_it(
    tmp_path: Path, browser: Browser
) -> None:
    data = tmp_path / "data"
    server = ServerProcess(data).start()
    bea_email = "bea@council.example"
    screens = Screens(browser)
    try:
        priya = signed_in_staff(screens, server, PRIYA)
        new_meeting(priya, "Family meeting for Ava", "Priya, social worker")
        priya.click("[data-role=share-toggle]")
        family = priya.locator("[data-role=family-colleagues] .colleague-email")
        expect(family).to_be_hidden()
        priya.fill("input[name=colleague-email]", bea_email)
        priya.check("input[name=whole-family]")
        priya.click("[data-action=share]")
        expect(family).to_have_text([bea_email])
        # The meeting is hers too, as every meeting of the family is.
        colleagues = priya.locator("[data-role=colleagues] .colleague-email")
        expect(colleagues).to_have_text([PRIYA, bea_email])

        priya.click("[data-role=family-colleagues] [data-action=unshare]")
        priya.click("[data-role=family-colleagues] [data-action=confirm]")
        expect(family).to_be_hidden()
        expect(colleagues).to_have_text([PRIYA])
        assert screens.problems == []
    finally:
        screens.close()
        server.stop()
