"""The first run, in a real browser: the set-up link printed at start, the first staff
account, signing in, and starting a meeting from the home page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.support.harness import ServerProcess


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
