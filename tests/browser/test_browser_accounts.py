"""Staff management in a real browser, by keyboard: an administrator adds a colleague from
the Accounts page (who sets up their account with the one-time link), shares a meeting with
them from the Share panel and stops sharing it, downloads a person's data and erases the
meeting from the board's staff menu, each after its in-page "Are you sure?"."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.support.harness import API_KEY, ServerProcess
from tests.support.pages import LAPTOP, PASSWORD, PHONE, Screens, add_staff, connected, join

ADA = "ada@council.example"
BEA = "bea@council.example"
KEY = {"Authorization": f"Bearer {API_KEY}"}


def press(page: Page, selector: str, key: str = "Enter") -> None:
    page.locator(selector).focus()
    page.keyboard.press(key)


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/signin")
    page.locator("input[name=email]").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".signout")).to_contain_text(email)


def test_an_administrator_adds_a_colleague_shares_and_erases_by_keyboard(
    server: ServerProcess, screens: Screens
) -> None:
    add_staff(server, ADA, admin=True)
    ada, bea = screens.open(**LAPTOP), screens.open(**LAPTOP)
    sign_in(ada, server.url, ADA)

    # Accounts: a set-up link for Bea, shown once.
    press(ada, "[data-action=accounts]")
    expect(ada.locator("h1")).to_have_text("Accounts")
    ada.locator("#email").focus()
    ada.keyboard.type(BEA)
    ada.keyboard.press("Enter")
    link = ada.locator("[data-field=setup-link]")
    expect(link).to_be_visible()
    setup_link = link.input_value()
    expect(ada.locator("[data-role=invitations]")).to_contain_text(BEA)

    # Bea sets up her account with it and is signed in.
    bea.goto(setup_link)
    bea.locator("input[name=email]").focus()
    bea.keyboard.type(BEA)
    bea.keyboard.press("Tab")
    bea.keyboard.type(PASSWORD)
    bea.keyboard.press("Enter")
    expect(bea.locator(".signout")).to_contain_text(BEA)
    expect(bea.locator("[data-action=accounts]")).to_have_count(0)  # not an administrator
    ada.goto(server.url + "/accounts")
    expect(ada.locator(f"[data-account='{BEA}']")).to_contain_text("Yes")

    # Ada starts a meeting and shares it with Bea from the Share panel.
    ada.goto(server.url + "/")
    ada.locator("#title").focus()
    ada.keyboard.type("Family meeting for Ava")
    ada.locator("#name").fill("")
    ada.locator("#name").focus()
    ada.keyboard.type("Ada, social worker")
    ada.keyboard.press("Enter")
    connected(ada)
    meeting_id = ada.url.rsplit("/", 1)[1]
    links = httpx.get(f"{server.url}/api/meetings/{meeting_id}/links", headers=KEY).json()
    family = screens.open(**PHONE)
    join(family, links["participant"], "Sam", "parent")
    expect(family.locator("[data-role=staff-toggle]")).to_have_count(0)

    press(ada, "[data-role=share-toggle]")
    colleagues = ada.locator("[data-role=colleagues] .colleague-email")
    expect(colleagues).to_have_text([ADA])
    ada.locator("input[name=colleague-email]").focus()
    ada.keyboard.type(BEA)
    ada.keyboard.press("Enter")
    expect(colleagues).to_have_text([ADA, BEA])
    bea.goto(server.url + "/")
    expect(bea.locator("[data-role=meeting-list] button")).to_have_text(["Family meeting for Ava"])

    # ... and stops sharing it: "No" has the focus, so Shift+Tab reaches "Yes".
    press(ada, f"[data-email='{BEA}'] [data-action=unshare]")
    expect(ada.locator(f"[data-email='{BEA}'] [data-action=cancel]")).to_be_focused()
    ada.keyboard.press("Shift+Tab")
    ada.keyboard.press("Enter")
    expect(colleagues).to_have_text([ADA])
    bea.goto(server.url + "/")
    expect(bea.locator("[data-role=meeting-list] button")).to_have_count(0)

    # The staff menu: Sam's data, after a question that Escape answers "No".
    press(ada, "[data-role=staff-toggle]")
    menu = ada.locator("[data-role=staff-menu]")
    expect(menu).to_be_visible()
    menu.locator("[data-field=person]").select_option(label="Sam")
    press(ada, "[data-action=export-person]")
    expect(menu.locator(".confirm-question")).to_have_text(
        "Download everything Kinboard holds about Sam? Keep the file as safely as the case record."
    )
    ada.keyboard.press("Escape")
    expect(menu.locator(".confirm")).to_have_count(0)
    expect(menu.locator("[data-action=export-person]")).to_be_focused()
    ada.keyboard.press("Enter")
    ada.keyboard.press("Shift+Tab")
    with ada.expect_download() as downloading:
        ada.keyboard.press("Enter")
    download = downloading.value
    assert download.suggested_filename.startswith(f"kinboard-{meeting_id}-")
    held = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert "Sam" in json.dumps(held)
    expect(ada).to_have_url(f"{server.url}/m/{meeting_id}")  # the board stays open

    # Erasing: "No" keeps it; "Yes" erases it, and Ada is back at her list.
    press(ada, "[data-action=erase-meeting]")
    question = menu.locator(".confirm-question")
    expect(question).to_have_text(
        "This deletes everything about this meeting. It cannot be undone."
    )
    ada.keyboard.press("Enter")  # "No" has the focus
    expect(menu.locator(".confirm")).to_have_count(0)
    assert httpx.get(f"{server.url}/api/meetings/{meeting_id}", headers=KEY).status_code == 200
    press(ada, "[data-action=erase-meeting]")
    ada.keyboard.press("Shift+Tab")
    ada.keyboard.press("Enter")
    expect(ada).to_have_url(server.url + "/")
    expect(ada.locator("[data-role=meeting-list] button")).to_have_count(0)
    assert httpx.get(f"{server.url}/api/meetings/{meeting_id}", headers=KEY).status_code == 404
    expect(family.locator("[data-role=session-ended]")).to_be_visible(timeout=10_000)
    assert screens.problems == []
