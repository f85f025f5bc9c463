"""A family's journey in real browsers, as its people would walk it: Fay signs in and starts
the first meeting for the Khan family; Sam joins on her phone by her own link; the plan is
written, the minutes taken and agreed. Later Fay opens the family on the meeting-room screen,
starts the review from the agreed minutes and invites the same people in one step (Sam's
fresh link opens the review as her). When the first meeting is closed, Sam's phone shows
"Our plan" with a PDF to keep, and the family's chain lists both meetings."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.support.harness import ServerProcess
from tests.support.pages import (
    LAPTOP,
    PASSWORD,
    PHONE,
    PROJECTOR,
    Screens,
    add_card,
    add_staff,
    connected,
    new_meeting,
    sign_in,
)

FAY = "fay@council.example"
CASE_REF = "KB-2026-0142"
WORRY = "Zara missed school three days last week"
PLAN = "Mum walks Zara to school every morning"


def sign_in_as_fay(page: Page, server: ServerProcess) -> None:
    sign_in(page, server.url, FAY, PASSWORD)
    expect(page.locator(".signout")).to_contain_text(FAY)


def minutes_item(page: Page) -> Locator:
    return page.locator("[data-role=minutes-list] [data-minutes='1']")


def test_sign_in_open_a_family_start_the_review_invite_the_same_people_and_see_our_plan(
    server: ServerProcess, screens: Screens
) -> None:
    add_staff(server, FAY)

    # Fay starts the first meeting for a new family.
    office = screens.open(**LAPTOP)
    sign_in_as_fay(office, server)
    meeting_id = new_meeting(
        office,
        "Family meeting for Zara",
        "Fay, social worker",
        family_name="Khan family",
        case_ref=CASE_REF,
    )

    # A link of Sam's own, from the Share panel.
    office.click("[data-role=share-toggle]")
    form = office.locator("[data-role=new-person-link]")
    form.locator("input[name=person-name]").fill("Sam")
    form.locator("select[name=person-role]").select_option("parent")
    form.locator("[data-action=make-person-link]").click()
    sams_link_row = office.locator("[data-role=people-links] [data-link-id]")
    expect(sams_link_row).to_have_count(1)
    expect(sams_link_row).to_contain_text("Sam")
    sams_link = sams_link_row.locator("input.link-input").input_value()
    assert "/join#" in sams_link, sams_link
    office.click("[data-role=share-toggle]")

    phone = screens.open(**PHONE)
    phone.goto(sams_link)
    phone.locator("[data-role=join-form] [type=submit]").click()
    connected(phone)

    # The worry from Sam's phone, the plan from Fay.
    add_card(phone, "harm", WORRY)
    expect(office.locator("[data-section=harm] [data-card-id]", has_text=WORRY)).to_be_visible()
    office.click("[data-view=plan]")
    add_card(office, "plan_rules", PLAN)
    phone.click("[data-view=plan]")
    expect(phone.locator("[data-section=plan_rules] [data-card-id]", has_text=PLAN)).to_be_visible()

    # Minutes taken, Sam agrees, Fay marks them agreed.
    office.click("[data-action=pause-for-minutes]")
    expect(phone.locator("[data-role=status-banner]")).to_be_visible()
    office.fill("[data-field=minutes-label]", "End of the first meeting")
    office.click("[data-action=take-minutes]")
    expect(minutes_item(phone)).to_contain_text("Minutes 1: End of the first meeting")
    minutes_item(phone).locator("[data-action=sign-agree]").click()
    expect(minutes_item(phone).locator("[data-role=my-signoff]")).to_have_text("You said: I agree.")
    expect(minutes_item(office).locator("[data-role=signoffs]")).to_contain_text("Sam agrees")
    minutes_item(office).locator("[data-action=agree-minutes]").click()
    for page in (office, phone):
        expect(minutes_item(page).locator("[data-role=minutes-status]")).to_have_text("Agreed")

    # Weeks later, on the meeting-room screen: Fay finds the family on her home page.
    room = screens.open(**PROJECTOR)
    sign_in_as_fay(room, server)
    room.fill("#q", CASE_REF)
    room.click("[data-role=family-search] [type=submit]")
    families = room.locator("[data-role=family-list] > li")
    expect(families).to_have_count(1)
    khan = families.first
    expect(khan.locator("h3")).to_contain_text("Khan family")
    expect(khan.locator("h3")).to_contain_text(f"case {CASE_REF}")
    expect(khan.locator("[data-role=family-plan]")).to_contain_text(PLAN)
    khan.locator("[data-role=meeting-list] button", has_text="Family meeting for Zara").click()
    connected(room)
    expect(room).to_have_url(f"{server.url}/m/{meeting_id}")

    # The review, from the agreed minutes, and the same people invited to it.
    room.click("[data-view=plan]")
    room.click("[data-action=start-review]")
    expect(room.locator("a[data-action=open-review]")).to_be_visible()
    room.click("[data-action=invite-same-people]")
    invited = room.locator("[data-role=invited-links] li")
    expect(invited).to_have_count(1)
    expect(invited).to_contain_text(re.compile(r"Link for Sam \(.+\), to send them"))
    fresh = invited.locator("input.link-input")
    expect(fresh).to_have_value(re.compile(r"/join#"))
    review_link = fresh.input_value()
    assert review_link != sams_link
    # The fresh link is Sam's own in the review: it opens the review board as her.
    review_phone = screens.open(**PHONE)
    review_phone.goto(review_link)
    expect(review_phone.locator("[data-role=joining-as]")).to_contain_text("You are joining as Sam")
    review_phone.locator("[data-role=join-form] [type=submit]").click()
    connected(review_phone)
    expect(review_phone.locator("[data-role=title]")).to_have_text(
        "Review: Family meeting for Zara"
    )

    # Fay ends the first meeting; Sam's phone shows what they agreed.
    room.click("[data-role=share-toggle]")
    closing = room.locator(".close-meeting")
    closing.locator("[data-action=close-meeting]").click()
    closing.locator("[data-action=confirm]").click()
    expect(phone.locator("[data-role=meeting-closed]")).to_contain_text("This meeting has ended.")
    phone.locator("[data-action=our-plan]").click()
    expect(phone).to_have_url(f"{server.url}/m/{meeting_id}/plan")
    plan = phone.locator("[data-role=our-plan]")
    expect(plan.locator("h1")).to_have_text("Our plan")
    expect(plan.locator("[data-role=plan-item]")).to_contain_text(PLAN)
    expect(plan.locator("[data-role=plan-ended]")).to_contain_text("The meeting has ended.")
    pdf_path = plan.locator("[data-action=plan-pdf]").get_attribute("href")
    assert pdf_path == f"/m/{meeting_id}/minutes/1.pdf", pdf_path
    pdf = phone.context.request.get(server.url + pdf_path)
    assert pdf.status == 200, pdf.text()
    assert pdf.body().startswith(b"%PDF")

    # The family's chain on Fay's home page: the first meeting, closed, then the review.
    room.goto(f"{server.url}/?q={CASE_REF}")
    chain = room.locator("[data-role=family-list] > li [data-role=meeting-list] > li")
    expect(chain).to_have_count(2)
    expect(chain.first).to_contain_text("Family meeting for Zara")
    expect(chain.first).to_contain_text("closed")
    expect(chain.last).to_contain_text("Review: Family meeting for Zara")
    assert screens.problems == []
