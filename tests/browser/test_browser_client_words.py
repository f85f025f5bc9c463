"""The client's words in a real browser, under the pages' real CSP: a parent who joined in
Polish reads the map, the steps, the roles, the overall scale and a plural in Polish (the
template's words too), while the facilitator's English board is as it always was."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.support.harness import ServerProcess, create_meeting
from tests.support.pages import LAPTOP, Screens, join, round_of


def join_in_polish(page: Page, link: str, name: str) -> None:
    page.goto(link)
    page.fill("input[name=name]", name)
    page.check("input[name=role][value=parent]")
    page.locator("select[name=language]").select_option("pl")
    page.locator("[data-role=join-form] [type=submit]").click()
    expect(page.locator("[data-role=connection]")).to_have_attribute("data-state", "connected")


def test_a_polish_parent_reads_the_board_in_polish_and_the_facilitator_in_english(
    tmp_path: Path, browser: Browser
) -> None:
    server = ServerProcess(tmp_path / "data").start()
    screens = Screens(browser)
    try:
        links = create_meeting(server.url, "Family meeting for Ava")["links"]
        priya, ewa = screens.open(**LAPTOP), screens.open(**LAPTOP)
        join(priya, links["facilitator"], "Priya")
        join_in_polish(ewa, links["participant"], "Ewa")

        # The map's headings and the meeting's first step come from the server in English.
        expect(ewa.locator("#column-worries-heading")).to_have_text("Co nas martwi?")
        expect(priya.locator("#column-worries-heading")).to_have_text("What are we worried about?")
        expect(ewa.locator("[data-role=step-now]")).to_have_text("Etap 1 z 9: Powitanie i cel")
        expect(priya.locator("[data-role=step-now]")).to_have_text(
            "Step 1 of 9: Welcome and purpose"
        )
        priya_on_ewa = ewa.locator("[data-role=presence] .person", has_text="Priya")
        expect(priya_on_ewa.locator(".person-role")).to_have_text("Osoba prowadząca")

        # The overall scale's words, and how many have answered: Polish plurals.
        scale = priya.locator("[data-scale-id]")
        scale_id = scale.get_attribute("data-scale-id") or ""
        expect(ewa.locator(f"[data-scale-id='{scale_id}'] .scale-question")).to_contain_text(
            "W skali od 0 do 10"
        )
        scale.locator("[data-action=open-round]").click()
        answered = round_of(ewa, scale_id, "open").locator("[data-role=answered]")
        expect(answered).to_have_text(re.compile(r"^Odpowiedziało 0 z \d+$"))
        round_of(ewa, scale_id, "open").locator("[data-action=vote][data-value='7']").click()
        expect(answered).to_have_text(re.compile(r"^Odpowiedział\(a\) 1 z \d+$"))
        expect(round_of(priya, scale_id, "open").locator("[data-role=answered]")).to_have_text(
            re.compile(r"^1 of \d+ has answered$")
        )
        assert screens.problems == []
    finally:
        screens.close()
        server.stop()
