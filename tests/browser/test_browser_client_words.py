"""The client's words in a real browser, under the pages' real CSP: a parent who joined in
Polish reads the map, the steps, the roles, the overall scale and a plural in Polish (the
template's words too), while the facilitator's English board is as it always was."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.harness import ServerProcess, create_meeting
from tests.support.pages import LAPTOP, Screens, join, round_of


def test_a_polish_parent_reads_the_board_in_polish_and_the_facilitator_in_english(
    server: ServerProcess, screens: Screens
) -> None:
    links = create_meeting(server.url, "Family meeting for Ava")["links"]
    priya, ewa = screens.open(**LAPTOP), screens.open(**LAPTOP)
    join(priya, links["facilitator"], "Priya")
    join(ewa, links["participant"], "Ewa", "parent", "pl")

    # The map's headings and the meeting's first step come from the server in English.
    expect(ewa.locator("#column-worries-heading")).to_have_text("Co nas martwi?")
    expect(priya.locator("#column-worries-heading")).to_have_text("What are we worried about?")
    expect(ewa.locator("[data-role=step-now]")).to_have_text("Etap 1 z 9: Powitanie i cel")
    expect(priya.locator("[data-role=step-now]")).to_have_text("Step 1 of 9: Welcome and purpose")
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
