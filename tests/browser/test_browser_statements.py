"""Writing a worry statement and its safety goal together, in real browsers.

The facilitator composes a worry statement from its parts (picking the harm card it
names) and changes the sentence before saving; then its safety goal, with a by when; then
the pair's own scale, answered and shown. Sam, the parent, watches on another screen, following
the facilitator: each card she spotlights comes into his view, and the pair appears side
by side with its scale's result. One part is changed later, and
the sentence is made again. A bottom line says who set it. The minutes PDF lists the set
with its scale.
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
from tests.support.pages import LAPTOP, Screens, add_card, join, round_of, vote

ARTIFACTS = ROOT / "tests" / "artifacts"
PDFTOTEXT = "/usr/bin/pdftotext"
NEXT_MONTH = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

HARM = "Dad drank and shouted at Mum on Friday night"
SENTENCE = (
    "Children's services and Gran are worried that if Dad drinks and shouts again, Ava and "
    "Leo could be hurt or frightened. We think this is likely to happen soon."
)
OUR_SENTENCE = SENTENCE.replace("likely to happen soon", "likely to happen soon, at night")
# Words are words: markup typed into a part stays text on every screen and in the PDF.
MARKUP = "<img src=x onerror=alert(1)>"
GOAL = (
    "Dad will not drink when he looks after Ava and Leo. Gran and the social worker will "
    f"see this every week, for the next 6 months {MARKUP}."
)


def fill_parts(form: Locator, parts: dict[str, str]) -> None:
    for name, words in parts.items():
        form.locator(f"[data-part={name}]").fill(words)


def set_of(page: Page) -> Locator:
    return page.locator("[data-role=sets] [data-set]")


def test_the_facilitator_writes_a_statement_and_its_goal_while_a_parent_watches(
    server: ServerProcess, screens: Screens
) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava and Leo")
    links = meeting["links"]
    facilitator = screens.open(**LAPTOP)
    join(facilitator, links["facilitator"], "Priya")
    sam = screens.open(**LAPTOP)
    join(sam, links["participant"], "Sam", "parent")
    add_card(facilitator, "harm", HARM)
    # Sam chooses to follow the facilitator.
    sam.check("[data-field=follow]")

    # The worry statement, part by part; picking the harm card starts "what happened".
    facilitator.click("[data-section=danger] [data-action=compose-statement]")
    form = facilitator.locator("[data-composer=statement]")
    fill_parts(form, {"who": "Children's services and Gran"})
    form.locator("[data-harm]").check()
    expect(form.locator("[data-part=happened]")).to_have_value(HARM)
    fill_parts(
        form,
        {
            "happened": "Dad drinks and shouts",
            "worry": "Ava and Leo could be hurt or frightened",
            "likely": "likely to happen soon",
        },
    )
    sentence = form.locator("[data-field=sentence]")
    expect(sentence).to_have_value(SENTENCE)
    # The group changes the sentence before saving.
    sentence.fill(OUR_SENTENCE)
    form.locator("[data-action=save]").click()
    statement = sam.locator("[data-section=danger] [data-card-id]")
    expect(statement.locator(".card-text")).to_have_text(OUR_SENTENCE)
    expect(set_of(sam)).to_have_count(1)
    expect(set_of(sam).locator(".set-none")).to_have_text("No safety goal yet.")
    spotlight(facilitator, sam, statement.get_attribute("data-card-id") or "")

    # Its safety goal, with a by when.
    facilitator.locator("[data-section=danger] [data-card-id]").locator(
        "[data-action=compose-goal]"
    ).click()
    goal_form = facilitator.locator("[data-composer=goal]")
    expect(goal_form.locator(".composer-statement")).to_have_text(f"For this worry: {OUR_SENTENCE}")
    fill_parts(
        goal_form,
        {
            "will_do": "Dad will not drink when he looks after Ava and Leo",
            "seen_by": "Gran and the social worker",
            "how_often": "every week",
            "how_long": f"the next 6 months {MARKUP}",
        },
    )
    goal_form.locator("[data-field=due]").fill(NEXT_MONTH)
    expect(goal_form.locator("[data-field=sentence]")).to_have_value(GOAL)
    goal_form.locator("[data-action=save]").click()

    # Sam sees the pair side by side, the goal with its by when.
    pair = set_of(sam)
    expect(pair.locator(".set-text")).to_have_text(OUR_SENTENCE)
    expect(pair.locator("[data-goal]")).to_contain_text(GOAL)
    expect(pair.locator("[data-goal] .card-due")).to_contain_text("By: ")
    goal = sam.locator("[data-section=goals] [data-card-id]")
    expect(goal.locator(".card-text")).to_have_text(GOAL)
    spotlight(facilitator, sam, goal.get_attribute("data-card-id") or "")
    expect(pair.locator("[data-role=set-result]")).to_have_text("Not scaled yet.")
    for page in (facilitator, sam):
        assert page.locator("img[src=x]").count() == 0

    # The pair's own scale, started from the pair, answered and shown.
    set_of(facilitator).locator("[data-action=scale]").click()
    scale = facilitator.locator("[data-scale-id]", has_text="About this worry")
    expect(scale).to_be_visible()
    scale_id = scale.get_attribute("data-scale-id") or ""
    scale.locator("[data-action=open-round]").click()
    vote(sam, scale_id, 5, "")
    vote(facilitator, scale_id, 3, "")
    scale.locator("[data-action=reveal-round]").click()
    expect(round_of(sam, scale_id, "revealed")).to_be_visible()
    expect(pair.locator("[data-role=set-result]")).to_have_text(
        "Last scale: Family 5, professionals 3: a gap of 2"
    )

    # One part changed later: the sentence is made again from the parts.
    card = facilitator.locator("[data-section=danger] [data-card-id]")
    card.locator("[data-action=edit]").click()
    editing = card.locator("[data-composer=statement]")
    expect(editing.locator("[data-part=who]")).to_have_value("Children's services and Gran")
    expect(editing.locator("[data-harm]")).to_be_checked()
    fill_parts(editing, {"who": "Children's services, Gran and the school"})
    expect(editing.locator("[data-field=sentence]")).to_have_value(OUR_SENTENCE)  # theirs stays
    editing.locator("[data-action=compose-again]").click()
    editing.locator("[data-action=save]").click()
    changed = SENTENCE.replace(
        "Children's services and Gran", "Children's services, Gran and the school"
    )
    expect(pair.locator(".set-text")).to_have_text(changed)

    # A bottom line, set by the council unless someone says otherwise.
    facilitator.click("[data-section=bottom_lines] [data-action=add-card]")
    line = facilitator.locator("[data-section=bottom_lines] .add-slot")
    expect(line.locator("[data-field=attributed-to]")).to_have_value("Children's services")
    line.locator("[data-field=card-text]").fill(
        "Ava and Leo are never left alone with Dad when he has been drinking"
    )
    line.locator("[data-action=save]").click()
    expect(sam.locator("[data-section=bottom_lines] .card-said-by")).to_have_text(
        "set by Children's services"
    )

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    facilitator.screenshot(path=ARTIFACTS / "statement-and-goal.png", full_page=True)

    # The minutes PDF lists the set with its scale.
    facilitator.click("[data-view=plan]")
    facilitator.click("[data-action=pause-for-minutes]")
    facilitator.click("[data-action=take-minutes]")
    expect(facilitator.locator("[data-role=minutes-list] [data-minutes='1']")).to_be_visible()
    pdf = facilitator.request.get(f"{server.url}/m/{meeting['id']}/minutes/1.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    path = ARTIFACTS / "statement-minutes.pdf"
    path.write_bytes(pdf.body())
    text = pdf_text(path)
    sets = text.split("Worries and safety goals", 1)[1]
    assert "What we are worried about: Children's services, Gran and the school are" in sets
    assert "What we will need to see: Dad will not drink when he looks after Ava" in sets
    assert f"for the next 6 months {MARKUP}" in sets
    assert "Last scale" not in sets and "Family 5, professionals 3: a gap of 2" in sets
    assert "set by Children's services" in text

    # The review, months later: the pair is still a pair, and its goal is overdue.
    facilitator.click("[data-action=agree-minutes]")
    facilitator.click("[data-action=start-review]")
    review_link = facilitator.locator("a[data-action=open-review]")
    expect(review_link).to_have_attribute("href", re.compile(r"/join#"))
    href = review_link.get_attribute("href")
    assert href is not None
    later = screens.open(**LAPTOP)
    months_on = datetime.date.today() + datetime.timedelta(days=120)
    later.clock.set_fixed_time(datetime.datetime.combine(months_on, datetime.time(10)))
    join(later, href, "Priya")
    review_pair = set_of(later)
    expect(review_pair.locator(".set-text")).to_have_text(changed)
    expect(review_pair.locator("[data-goal]")).to_contain_text(GOAL)
    goal_card = later.locator("[data-section=goals] [data-card-id]")
    expect(goal_card.locator("[data-role=from-last-meeting]")).to_be_visible()
    expect(goal_card.locator("[data-role=overdue]")).to_have_text("Overdue")
    # The parts came along: the statement is still changed part by part.
    later.locator("[data-section=danger] [data-card-id] [data-action=edit]").click()
    expect(later.locator("[data-composer=statement] [data-part=likely]")).to_have_value(
        "likely to happen soon"
    )
    assert screens.problems == []


def spotlight(facilitator: Page, follower: Page, card_id: str) -> None:
    """The facilitator spotlights a card; the follower's screen goes to it."""
    facilitator.locator("[data-field=spotlight]").select_option(f"card:{card_id}")
    facilitator.click("[data-action=spotlight]")
    card = follower.locator(f"[data-card-id={card_id}]")
    expect(card).to_have_class(re.compile(r"\bis-spotlit\b"))
    expect(card).to_be_in_viewport()


def pdf_text(pdf: Path) -> str:
    """The PDF's words, one space between each (lines joined)."""
    if not os.access(PDFTOTEXT, os.X_OK):
        pytest.fail(f"{PDFTOTEXT} is missing (poppler-utils)")
    out = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    return " ".join(out.split())
