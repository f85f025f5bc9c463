"""The plan, the decision and minutes in real browsers, and the review meeting after them.

The facilitator (laptop) and two participants (Sam on a laptop, Gran on a phone) fill in the
map and the family's plan with who will do what by when, answer a scale, and write down
the decision. The facilitator pauses changes and takes minutes; Sam agrees, Gran does not
and says why; the facilitator marks them agreed. The minutes page and its PDF hold all of
it. Then the review meeting starts from those minutes: last meeting's cards and numbers,
the review's first questions, and the steps whose day has passed marked overdue.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.support.harness import ROOT, ServerProcess, create_meeting
from tests.support.pages import LAPTOP, PHONE, Screens, join, round_of, show_scales_tab, vote
from tests.support.readme_pictures import keep_for_readme

ARTIFACTS = ROOT / "tests" / "artifacts"
PDFTOPPM = "/usr/bin/pdftoppm"
MARKING = "OFFICIAL \N{EN DASH} SENSITIVE"
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
NEXT_MONTH = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

# section, text, who will do it, by when
MAP_CARDS = [
    ("harm", "Leo came to school with a bruise on his arm", "", ""),
    ("strengths", "Gran walks the children to school every day", "", ""),
    ("next_steps", "Sam will go to the parenting course", "Sam", YESTERDAY),
]
PLAN_CARDS = [
    ("plan_rules", "Sam will call Gran when things get hard", "Sam", NEXT_MONTH),
    ("plan_helpers", "Gran: 07700 900123, any time of day", "Gran", ""),
    ("plan_working", "Leo and Ava go to school every day", "Ms Okafor", YESTERDAY),
]
OUTCOME = "Keep going with the plan, with the same help"
NOTE = "Priya will visit every two weeks."
REASON = "Dad was not asked what he thinks"


def add_card(page: Page, section: str, text: str, owner: str = "", due: str = "") -> Locator:
    """Through the section's own editor; who and by when where the section has them."""
    place = page.locator(f"[data-section={section}]")
    place.locator("[data-action=add-card]").click()
    editor = place.locator(".add-slot")
    editor.locator("[data-field=card-text]").fill(text)
    if owner:
        editor.locator("[data-field=owner]").fill(owner)
    if due:
        editor.locator("[data-field=due]").fill(due)
    editor.locator("[data-action=save]").click()
    card = place.locator("[data-card-id]", has_text=text)
    expect(card).not_to_have_class(re.compile("is-pending"))
    editor.locator("[data-action=cancel]").click()
    return card


def minutes_item(page: Page) -> Locator:
    return page.locator("[data-role=minutes-list] [data-minutes='1']")


def test_minutes_are_taken_signed_agreed_and_start_the_review(
    server: ServerProcess, screens: Screens
) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava and Leo")
    links = meeting["links"]
    facilitator = screens.open(**LAPTOP)
    join(facilitator, links["facilitator"], "Priya")
    sam = screens.open(**LAPTOP)
    join(sam, links["participant"], "Sam", "parent")
    gran = screens.open(**PHONE)
    join(gran, links["participant"], "Gran", "network")

    # The map, with who and by when on a next step.
    for section, text, owner, due in MAP_CARDS:
        add_card(sam, section, text, owner, due)
    step = facilitator.locator("[data-section=next_steps] [data-card-id]")
    expect(step.locator(".card-owner")).to_have_text("Who: Sam")
    expect(step.locator(".card-due")).to_contain_text("By: ")
    # Not a review meeting: nothing is overdue yet.
    expect(facilitator.locator("[data-role=overdue]:visible")).to_have_count(0)

    # The plan is a view of its own, not a fourth column of the map.
    for page in (facilitator, sam):
        expect(page.locator("[data-section=plan_rules]")).to_be_hidden()
        page.click("[data-view=plan]")
        expect(page.locator("[data-section=plan_rules]")).to_be_visible()
        expect(page.locator("[data-section=harm]")).to_be_hidden()
    gran.click("[data-view=plan]")
    expect(gran.locator("[data-section=plan_helpers]")).to_be_visible()
    add_card(facilitator, *PLAN_CARDS[0])
    add_card(gran, *PLAN_CARDS[1])
    add_card(sam, *PLAN_CARDS[2])
    assert gran.evaluate("document.documentElement.scrollWidth") <= 360
    helpers = sam.locator("[data-section=plan_helpers] [data-card-id]")
    expect(helpers).to_contain_text(PLAN_CARDS[1][1])
    expect(helpers.locator(".card-owner")).to_have_text("Who: Gran")

    # Who will do it can be changed where it was written.
    rules = facilitator.locator("[data-section=plan_rules] [data-card-id]")
    rules.locator("[data-action=edit]").click()
    rules.locator("[data-field=owner]").fill("Sam and Gran")
    rules.locator("[data-action=save]").click()
    expect(sam.locator("[data-section=plan_rules] .card-owner")).to_have_text("Who: Sam and Gran")

    # A revealed round: family 7, network 5, professionals 3.
    scale = facilitator.locator("[data-scale-id]")
    scale_id = scale.get_attribute("data-scale-id") or ""
    scale.locator("[data-action=open-round]").click()
    vote(sam, scale_id, 7, "Things are calmer at home")
    show_scales_tab(gran)
    vote(gran, scale_id, 5, "")
    vote(facilitator, scale_id, 3, "Leo told his teacher he is scared")
    scale.locator("[data-action=reveal-round]").click()
    expect(round_of(sam, scale_id, "revealed").locator("[data-role=spread]")).to_have_text(
        "Family 7, network 5, professionals 3: a gap of 4"
    )

    # The decision, written down by the facilitator, seen by everyone.
    decision = facilitator.locator("[data-role=decision]")
    decision.locator("input[name=outcome][value=continue]").check()
    decision.locator("input[name=next_review]").fill(NEXT_MONTH)
    decision.locator("textarea[name=note]").fill(NOTE)
    decision.locator("[data-action=save-decision]").click()
    gran.click("[data-view=plan]")
    for page in (sam, gran):
        expect(page.locator("[data-role=decision]")).to_have_count(0)
        current = page.locator("[data-role=current-decision]")
        expect(current).to_contain_text(OUTCOME)
        expect(current).to_contain_text(NOTE)
        expect(current).to_contain_text("Next review: ")

    # Pause changes first (suggested), then take the minutes.
    expect(sam.locator("[data-action=take-minutes]")).to_be_hidden()
    facilitator.click("[data-action=pause-for-minutes]")
    expect(sam.locator("[data-role=status-banner]")).to_be_visible()
    facilitator.fill("[data-field=minutes-label]", "End of the first meeting")
    facilitator.click("[data-action=take-minutes]")
    for page in (facilitator, sam, gran):
        expect(minutes_item(page)).to_contain_text("Minutes 1: End of the first meeting")
        expect(minutes_item(page).locator("[data-role=minutes-status]")).to_have_text(
            "Draft \N{EN DASH} not agreed yet"
        )

    # Sam agrees; Gran, on her phone, does not, and has to say why.
    minutes_item(sam).locator("[data-action=sign-agree]").click()
    expect(minutes_item(sam).locator("[data-role=my-signoff]")).to_have_text("You said: I agree.")
    grans = minutes_item(gran)
    grans.locator("[data-action=sign-disagree]").click()
    expect(grans.locator("[role=alert]")).to_have_text(
        "Please say why you don't agree, so that it is written down."
    )
    grans.locator("textarea[data-field=signoff-reason]").fill(REASON)
    grans.locator("[data-action=sign-disagree]").click()
    expect(grans.locator("[data-role=my-signoff]")).to_have_text(
        f"You said: I don't agree, because: {REASON}"
    )
    signoffs = minutes_item(facilitator).locator("[data-role=signoffs]")
    expect(signoffs).to_contain_text("Sam agrees")
    expect(signoffs).to_contain_text(f"Gran does not agree: {REASON}")
    assert gran.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    gran.screenshot(path=ARTIFACTS / "minutes-phone.png")

    # Agreed: nobody signs any more.
    minutes_item(facilitator).locator("[data-action=agree-minutes]").click()
    for page in (facilitator, sam, gran):
        expect(minutes_item(page).locator("[data-role=minutes-status]")).to_have_text("Agreed")
        expect(minutes_item(page).locator("[data-action=sign-agree]")).to_be_hidden()
    facilitator.screenshot(path=ARTIFACTS / "minutes-board.png", full_page=True)

    # The minutes page, in Sam's browser: everything, the sign-offs, agreed, marked, hashed.
    listing = sam.request.get(f"{server.url}/api/meetings/{meeting['id']}/minutes").json()
    sha256 = listing["minutes"][0]["hash"]
    assert re.fullmatch(r"[0-9a-f]{64}", sha256)
    minutes_item(sam).locator("a[data-action=open-minutes]").click()
    expect(sam).to_have_url(f"{server.url}/m/{meeting['id']}/minutes/1")
    page_text = sam.locator("body")
    for _, text, _, _ in MAP_CARDS + PLAN_CARDS:
        expect(page_text).to_contain_text(text)
    expect(page_text).to_contain_text("who: Sam and Gran")
    expect(page_text).to_contain_text(OUTCOME)
    expect(page_text).to_contain_text(NOTE)
    expect(page_text).to_contain_text("Sam agreed")
    expect(page_text).to_contain_text(f"Gran did not agree, because: {REASON}")
    expect(sam.locator("[data-role=minutes-status]")).to_have_text("Agreed")
    expect(sam.locator(".marking")).to_have_text([MARKING, MARKING])
    expect(sam.locator("[data-role=hash]")).to_have_text(sha256)

    # "Save my copy": the PDF, its first page as a picture for the README.
    with sam.expect_download() as download_info:
        sam.click("[data-action=save-copy]")
    pdf = ARTIFACTS / "minutes.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    picture_of_first_page(pdf)

    # The review meeting, from the agreed minutes.
    facilitator.click("[data-action=start-review]")
    review_link = facilitator.locator("a[data-action=open-review]")
    expect(review_link).to_be_visible()
    expect(review_link).to_have_attribute("href", re.compile(r"/join#"))
    # Open it as the link would (the join page takes the token off the address at once,
    # so reading the address after a click races with it).
    href = review_link.get_attribute("href")
    assert href is not None
    join(facilitator, href, "Priya")
    expect(facilitator.locator("[data-role=title]")).to_have_text(
        "Review: Family meeting for Ava and Leo"
    )
    prompts = facilitator.locator("[data-role=review-prompts]")
    expect(prompts).to_contain_text("What difference has the plan made so far?")
    expect(prompts).to_contain_text("Are you still worried? What needs to happen differently?")
    carried = facilitator.locator("[data-role=from-last-meeting]:visible")
    expect(carried).to_have_count(len(MAP_CARDS))
    expect(carried.first).to_have_text("From last meeting")
    # A step whose day has passed is overdue now, in words.
    overdue = facilitator.locator("[data-card-id]:has([data-role=overdue]:visible)")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text(MAP_CARDS[2][1])
    expect(overdue.locator("[data-role=overdue]")).to_have_text("Overdue")
    # Last time's numbers beside the scale, with their trend and its table.
    review_scale = facilitator.locator("[data-scale-id]").first
    expect(review_scale.locator("[data-role=last-time]")).to_have_text(
        "Last time: Family 7, network 5, professionals 3"
    )
    trend = review_scale.locator("svg[data-role=trend]")
    expect(trend.locator("[data-group]")).to_have_count(3)
    expect(review_scale.locator("[data-role=trend-table] tbody tr")).to_have_count(1)
    # This meeting's shown answers join the trend.
    review_scale.locator("[data-action=open-round]").click()
    review_scale.locator("[data-action=vote][data-value='4']").click()
    review_scale.locator("[data-action=reveal-round]").click()
    rows = review_scale.locator("[data-role=trend-table] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.last).to_contain_text("Today")
    expect(trend.locator("[data-group=professionals] [data-value]")).to_have_count(2)
    expect(trend.locator("text", has_text="Today")).to_have_count(1)
    review_scale.screenshot(path=ARTIFACTS / "review-trend.png")
    facilitator.click("[data-view=plan]")
    expect(facilitator.locator("[data-role=from-last-meeting]:visible")).to_have_count(
        len(PLAN_CARDS)
    )
    expect(facilitator.locator("[data-role=overdue]:visible")).to_have_count(1)
    facilitator.screenshot(path=ARTIFACTS / "review-plan.png", full_page=True)
    assert screens.problems == []


def picture_of_first_page(pdf: Path) -> None:
    """The PDF's first page as tests/artifacts/minutes-page1.png (and docs/minutes.png, when
    asked)."""
    if not os.access(PDFTOPPM, os.X_OK):
        message = f"{PDFTOPPM} is missing: no picture of the minutes' first page"
        if os.environ.get("KINBOARD_REQUIRE_BROWSER", "") not in ("", "0", "false"):
            pytest.fail(message + " (KINBOARD_REQUIRE_BROWSER is set)")
        print(message)
        return
    out = ARTIFACTS / "minutes-page1"
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, out],
        check=True,
        timeout=60,
    )
    keep_for_readme(out.with_suffix(".png"), "minutes.png")
