"""Who is who in real browsers: a signed-in facilitator sets right the name someone joined
with, and confirms a worker who came in by the family link; the person's own phone and
everyone else's follow at once."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.support.harness import API_KEY, ServerProcess
from tests.support.pages import (
    PHONE,
    Screens,
    join,
    priyas_meeting,
)

KEY = {"Authorization": f"Bearer {API_KEY}"}
SAYS = "Says they are a worker"
WORKER = "Worker (school, health, social care...)"


def test_the_facilitator_corrects_a_name_and_confirms_a_worker(
    server: ServerProcess, screens: Screens
) -> None:
    priya, meeting_id, links = priyas_meeting(screens, server)
    kim, sam = screens.open(**PHONE), screens.open(**PHONE)
    join(kim, links["participant"], "Km", "professional")
    join(sam, links["participant"], "Sam", "parent")

    # Everyone sees that Kim only says she is a worker.
    kim_on_sam = sam.locator("[data-role=presence] .person", has_text="Km")
    expect(kim_on_sam.locator(".person-role")).to_have_text(SAYS)
    priya.click("[data-role=share-toggle]")
    person = priya.locator("[data-role=people] .people-item", has_text="Km")
    expect(person.locator(".person-role")).to_have_text(SAYS)
    # Sam is not a worker: there is nothing of Sam's to confirm.
    sam_item = priya.locator("[data-role=people] .people-item", has_text="Sam")
    expect(sam_item.locator("[data-action=confirm-worker]")).to_be_hidden()

    # Priya sets Kim's name right, by the keyboard: the name alone leaves her unconfirmed.
    person.locator("[data-action=correct-person]").click()
    name = person.locator("[data-field=their-name]")
    expect(name).to_be_focused()
    name.fill("Kim Lee")
    name.press("Enter")
    kim_on_kim = kim.locator("[data-role=presence] .person.is-me")
    expect(kim_on_kim.locator(".person-name")).to_have_text("Kim Lee")
    expect(kim_on_kim.locator(".person-role")).to_have_text(SAYS)
    expect(sam.locator("[data-role=presence] .person", has_text="Kim Lee")).to_have_count(1)

    # Priya confirms her: every screen says she is a worker.
    person = priya.locator("[data-role=people] .people-item", has_text="Kim Lee")
    person.locator("[data-action=confirm-worker]").click()
    expect(person.locator(".person-role")).to_have_text(WORKER)
    expect(person.locator("[data-action=confirm-worker]")).to_be_hidden()
    expect(kim_on_kim.locator(".person-role")).to_have_text(WORKER)
    kim_on_sam = sam.locator("[data-role=presence] .person", has_text="Kim Lee")
    expect(kim_on_sam.locator(".person-role")).to_have_text(WORKER)

    # And Sam, who picked the wrong role, is set right too (with the role list).
    sam_item.locator("[data-action=correct-person]").click()
    sam_item.locator("[data-field=their-role]").select_option("network")
    sam_item.locator("[data-action=save-correction]").click()
    sam_me = sam.locator("[data-role=presence] .person.is-me .person-role")
    expect(sam_me).to_have_text("Family, friend or support person")

    board = httpx.get(f"{server.url}/api/meetings/{meeting_id}", headers=KEY).json()
    people = {p["name"]: (p["role"], p["unconfirmed"]) for p in board["participants"]}
    assert people["Kim Lee"] == ("professional", False)
    assert people["Sam"] == ("network", False)
    assert screens.problems == []
