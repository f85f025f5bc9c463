"""Scaling together in real browsers: Debian's Chromium driven by Playwright.

The facilitator (laptop), three people on phones and the meeting-room screen join one
meeting through its links. The facilitator asks everyone; each phone gives a number that
only it shows; the facilitator shows the answers and every screen draws the same dots,
while only the facilitator's screen raises the worry about a very low number.
"""

from __future__ import annotations

import re
from itertools import combinations

from playwright.sync_api import (
    Page,
    expect,
)

from tests.support.harness import ROOT, ServerProcess, create_meeting
from tests.support.pages import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    Screens,
    join,
    round_of,
    show_scales_tab,
    vote,
)
from tests.support.readme_pictures import keep_for_readme

ARTIFACTS = ROOT / "tests" / "artifacts"
WORRY = (
    "Someone scored the children's safety at {} or below. Please talk about immediate safety now."
)

# name, role, number, reason: one number at or below the worry threshold (2)
PEOPLE = [
    ("Sam", "parent", 7, "Leo has been going to school every day"),
    ("Gran", "network", 5, "Things are calmer when I am there"),
    ("Ms Okafor", "professional", 2, "Leo told his teacher he is scared at home"),
]


def dots(page: Page, scale_id: str) -> list[tuple[str, int, str]]:
    """(name, number, group) of every dot in the newest revealed round's picture."""
    plot = round_of(page, scale_id, "revealed").first.locator("svg[data-role=dot-plot]")
    found = []
    for dot in plot.locator("[data-dot]").all():
        found.append(
            (
                dot.get_attribute("data-name") or "",
                int(dot.get_attribute("data-value") or "-1"),
                dot.get_attribute("data-group") or "",
            )
        )
        # Each dot is labelled with its person's name, next to it.
        expect(dot.locator("text")).to_have_text(dot.get_attribute("data-name") or "")
    return sorted(found)


def table_numbers(page: Page, scale_id: str) -> list[tuple[str, int]]:
    rows = round_of(page, scale_id, "revealed").first.locator(
        "table[data-role=vote-table] tbody tr"
    )
    return sorted(
        (row.locator(".vote-name").inner_text(), int(row.locator(".cell-number").inner_text()))
        for row in rows.all()
    )


def assert_no_overlap(page: Page, scale_id: str) -> None:
    """No dot or name in the picture covers another (dots at one number are stacked)."""
    plot = round_of(page, scale_id, "revealed").first.locator("svg[data-role=dot-plot]")
    boxes = [dot.bounding_box() for dot in plot.locator("[data-dot]").all()]
    assert all(boxes)
    for a, b in combinations(boxes, 2):
        apart = (
            a["x"] + a["width"] <= b["x"] + 0.5
            or b["x"] + b["width"] <= a["x"] + 0.5
            or a["y"] + a["height"] <= b["y"] + 0.5
            or b["y"] + b["height"] <= a["y"] + 0.5
        )
        assert apart, f"{a} overlaps {b}"


def test_everyone_answers_in_secret_and_sees_the_same_picture(
    server: ServerProcess, screens: Screens
) -> None:
    links = create_meeting(server.url, "Family meeting for Ava and Leo")["links"]
    facilitator = screens.open(**LAPTOP)
    join(facilitator, links["facilitator"], "Priya")
    phones: dict[str, Page] = {}
    for name, role, _, _ in PEOPLE:
        phones[name] = screens.open(**PHONE)
        join(phones[name], links["participant"], name, role)
    display = screens.open(**PROJECTOR)
    join(display, links["display"], "")
    # Ms Okafor came in by the family link: she counts as a worker once Priya confirms her.
    facilitator.click("[data-role=share-toggle]")
    okafor = facilitator.locator("[data-role=people] .people-item", has_text="Ms Okafor")
    okafor.locator("[data-action=confirm-worker]").click()
    expect(okafor.locator("[data-action=confirm-worker]")).to_be_hidden()
    facilitator.click("[data-role=share-toggle]")

    # A new meeting has its overall scale, with what 0 and 10 mean beside the numbers.
    scale = facilitator.locator("[data-scale-id]")
    expect(scale).to_have_count(1)
    scale_id = scale.get_attribute("data-scale-id") or ""
    anchors = scale.locator(".anchors").first
    expect(anchors).to_contain_text("0 = We are sure the children will be hurt")
    expect(anchors).to_contain_text("10 = We are confident the children are safe")

    scale.locator("[data-action=open-round]").click()
    expect(round_of(facilitator, scale_id, "open")).to_have_count(1)
    expect(round_of(display, scale_id, "open")).to_have_count(1)
    # The room screen shows who has answered but can not vote.
    expect(display.locator("[data-action=vote]")).to_have_count(0)

    for answered, (name, _, number, reason) in enumerate(PEOPLE, start=1):
        phone = phones[name]
        show_scales_tab(phone)
        buttons = round_of(phone, scale_id, "open").locator("[data-action=vote]")
        expect(buttons).to_have_count(11)
        for button in buttons.all():  # big enough for a finger, all on a 360px screen
            box = button.bounding_box()
            assert box and box["width"] >= 44 and box["height"] >= 44
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        vote(phone, scale_id, number, reason)
        for page in (facilitator, display):
            expect(round_of(page, scale_id, "open").locator("[data-role=answered]")).to_have_text(
                f"{answered} of 4 {'has' if answered == 1 else 'have'} answered"
            )
    assert phones["Sam"].evaluate("document.documentElement.scrollWidth") <= 360

    # Before the answers are shown: names, never numbers. Each phone shows only its own.
    for page in (facilitator, display, *phones.values()):
        names = round_of(page, scale_id, "open").locator(".answered-names")
        expect(names).to_contain_text("Ms Okafor")
        assert not re.search(r"\d", names.inner_text())
        expect(page.locator("[data-dot]")).to_have_count(0)
        expect(page.locator("table[data-role=vote-table]")).to_have_count(0)
    expect(facilitator.locator("[data-role=my-vote]")).not_to_contain_text("You said")
    for name, _, number, _ in PEOPLE:
        text = phones[name].locator("body").inner_text()
        others = [other for _, _, other, _ in PEOPLE if other != number]
        assert f"You said {number}." in text
        assert not any(f"You said {other}" in text for other in others)

    scale.locator("[data-action=reveal-round]").click()

    expected_dots = sorted(
        [("Sam", 7, "family"), ("Gran", 5, "network"), ("Ms Okafor", 2, "professionals")]
    )
    expected_numbers = sorted((name, number) for name, _, number, _ in PEOPLE)
    for page in (facilitator, display, *phones.values()):
        revealed = round_of(page, scale_id, "revealed")
        expect(revealed).to_have_count(1)
        expect(revealed.locator("svg[data-role=dot-plot] [data-dot]")).to_have_count(3)
        assert dots(page, scale_id) == expected_dots
        assert table_numbers(page, scale_id) == expected_numbers
        expect(revealed.locator("[data-role=spread]")).to_have_text(
            "Family 7, network 5, professionals 2: a gap of 5"
        )
        assert_no_overlap(page, scale_id)
    # Reasons and who recorded them are in the table.
    expect(facilitator.locator("table[data-role=vote-table]")).to_contain_text(
        "Leo told his teacher he is scared at home"
    )

    # The worry about a very low number is raised on the facilitator's screen only.
    expect(facilitator.locator("[data-role=worry-flag]")).to_have_text(WORRY.format(2))
    expect(facilitator.locator("[data-role=worry-flag]")).to_have_attribute("role", "alert")
    for page in (display, *phones.values()):
        expect(page.locator("[data-role=worry-flag]:visible")).to_have_count(0)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    facilitator.locator(f"[data-scale-id={scale_id}]").screenshot(
        path=ARTIFACTS / "scaling-revealed.png", animations="disabled"
    )
    keep_for_readme(ARTIFACTS / "scaling-revealed.png", "scaling.png")
    display.screenshot(path=ARTIFACTS / "scaling-display.png")
    phones["Sam"].locator(f"[data-scale-id={scale_id}]").screenshot(
        path=ARTIFACTS / "scaling-phone.png"
    )
    assert screens.problems == []


def test_a_worry_gets_its_own_scale_and_an_answer_is_recorded_for_someone(
    server: ServerProcess, screens: Screens
) -> None:
    links = create_meeting(server.url, "Review meeting")["links"]
    facilitator = screens.open(**LAPTOP)
    join(facilitator, links["facilitator"], "Priya")
    parent = screens.open(**PHONE)
    join(parent, links["participant"], "Sam", "parent")

    # A worry statement on the map gets a scale of its own.
    worry = "Leo could get hurt when the adults argue"
    danger = facilitator.locator("[data-section=danger]")
    danger.locator("[data-action=add-card]").click()
    danger.locator("[data-field=card-text]").fill(worry)
    danger.locator("[data-field=card-text]").press("Enter")
    card = danger.locator("[data-card-id]", has_text=worry)
    expect(card).not_to_have_class(re.compile("is-pending"))
    facilitator.keyboard.press("Escape")
    card.locator("[data-action=scale-for-card]").click()
    scale = facilitator.locator("[data-scale-id]", has_text=f"About this worry: {worry}")
    expect(scale).to_have_count(1)
    expect(card.locator("[data-action=scale-for-card]")).to_have_text(
        "See the scale for this worry"
    )
    scale_id = scale.get_attribute("data-scale-id") or ""

    # The facilitator changes the words; everyone sees them.
    scale.locator("[data-action=edit-scale]").click()
    scale.locator("[data-field=scale-low]").fill("It will happen again")
    scale.locator("[data-field=scale-high]").fill("It will not happen again")
    scale.locator("[data-action=save-scale]").click()
    show_scales_tab(parent)
    parent_scale = parent.locator(f"[data-scale-id={scale_id}]")
    expect(parent_scale.locator(".anchors").first).to_have_text(
        "0 = It will happen again10 = It will not happen again"
    )

    scale.locator("[data-action=open-round]").click()
    # An answer for Grandad, who has no phone.
    scale.locator("[data-action=record-vote]").click()
    scale.locator("[data-field=behalf-name]").fill("Grandad")
    scale.locator("[data-field=behalf-role]").select_option("network")
    scale.locator("[data-field=behalf-value]").select_option("1")
    scale.locator("[data-field=behalf-reason]").fill("I worry when I hear shouting")
    scale.locator("[data-action=save-recorded-vote]").click()
    answered = round_of(facilitator, scale_id, "open").locator("[data-role=answered]")
    expect(answered).to_have_text("1 of 3 has answered")
    expect(round_of(parent, scale_id, "open").locator(".answered-names")).to_have_text(
        "Grandad (recorded by the facilitator)"
    )

    # Voting again replaces the first number.
    vote(parent, scale_id, 4, "")
    vote(parent, scale_id, 6, "Dad has gone to his course")
    expect(answered).to_have_text("2 of 3 have answered")

    # With the threshold at 0, a 1 raises no worry; at 1 it does.
    threshold = facilitator.locator("[data-field=worry-threshold]")
    threshold.fill("0")
    threshold.press("Tab")
    scale.locator("[data-action=reveal-round]").click()
    revealed = round_of(facilitator, scale_id, "revealed")
    expect(revealed.locator("[data-dot]")).to_have_count(2)
    assert dots(facilitator, scale_id) == [("Grandad", 1, "network"), ("Sam", 6, "family")]
    expect(revealed.locator("tbody tr", has_text="Grandad")).to_contain_text(
        "recorded by the facilitator"
    )
    expect(scale.locator("[data-role=worry-flag]")).to_be_hidden()
    threshold.fill("1")
    threshold.press("Tab")
    expect(scale.locator("[data-role=worry-flag]")).to_have_text(WORRY.format(1))
    expect(parent.locator("[data-role=worry-flag]:visible")).to_have_count(0)

    # Asking again keeps the earlier round, faded, below the new one.
    scale.locator("[data-action=open-round]").click()
    expect(round_of(parent, scale_id, "open")).to_have_count(1)
    expect(round_of(parent, scale_id, "revealed")).to_have_class(re.compile("is-earlier"))
    expect(round_of(parent, scale_id, "open").locator("[data-role=my-vote]")).to_have_text(
        "Choose a number. Only you can see it until the answers are shown."
    )

    # Removing a scale asks first.
    scale.locator("[data-action=delete-scale]").click()
    scale.locator("[data-action=confirm-delete-scale]").click()
    expect(parent.locator(f"[data-scale-id={scale_id}]")).to_have_count(0)
    assert screens.problems == []


def test_one_phone_joining_twice_is_shown_to_the_facilitator_who_leaves_one_out(
    server: ServerProcess, screens: Screens
) -> None:
    links = create_meeting(server.url, "Family meeting")["links"]
    facilitator = screens.open(**LAPTOP)
    join(facilitator, links["facilitator"], "Priya")
    scale = facilitator.locator("[data-scale-id]")
    scale_id = scale.get_attribute("data-scale-id") or ""
    scale.locator("[data-action=open-round]").click()
    # Sam's phone answers, joins the family link again (the same browser) and answers again.
    phone = screens.open(**PHONE)
    join(phone, links["participant"], "Sam", "parent")
    show_scales_tab(phone)
    vote(phone, scale_id, 7, "")
    join(phone, links["participant"], "Sam", "parent")
    show_scales_tab(phone)
    vote(phone, scale_id, 8, "")

    twice = round_of(facilitator, scale_id, "open").locator("[data-role=likely-twice]")
    expect(twice).to_be_visible()
    expect(twice).to_contain_text("came from the same phone or computer")
    buttons = twice.locator("[data-action=leave-out]")
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_have_accessible_name("Leave out this answer from Sam")
    assert not re.search(r"\d", twice.inner_text())  # names only, never a number
    # Nobody else is shown the hint.
    expect(phone.locator("[data-role=likely-twice]:visible")).to_have_count(0)

    # By keyboard: to the second answer's button, and Enter.
    buttons.first.focus()
    facilitator.keyboard.press("Tab")
    expect(buttons.nth(1)).to_be_focused()
    facilitator.keyboard.press("Enter")
    expect(twice).to_be_hidden()
    left_out = round_of(facilitator, scale_id, "open").locator("[data-role=left-out]")
    expect(left_out).to_have_text(
        "Sam's answer was left out by Priya, as a second answer from the same person."
    )
    expect(round_of(facilitator, scale_id, "open").locator("[data-role=answered]")).to_have_text(
        "1 of 2 has answered"
    )
    scale.locator("[data-action=reveal-round]").click()
    # Only the answer kept is shown, once the round is revealed.
    revealed = round_of(facilitator, scale_id, "revealed")
    expect(revealed.locator("table[data-role=vote-table] tbody tr")).to_have_count(1)
    assert table_numbers(facilitator, scale_id) == [("Sam", 7)]
    assert screens.problems == []
