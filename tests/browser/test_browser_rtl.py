"""The board right to left, as an Arabic page: the columns and each card mirrored, people's
own words in their own direction (an Arabic card and a Polish one side by side), nothing to
scroll sideways on a phone or a projector, and the dot plot of a revealed round running from
0 on the right, with no name covering another or running off the picture.
The browsers ask for Arabic (Accept-Language), so every page is in Arabic.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.harness import BackgroundLoop, Client, ServerProcess, create_meeting
from tests.support.pages import PHONE, PROJECTOR, Screens, join, show_scales_tab

ARABIC_CARD = "الجدة تمشي معهم إلى المدرسة كل يوم"
POLISH_CARD = "Babcia odprowadza dzieci do szkoły."
# Arabic and Polish names, numbers at both ends and in the middle, two at one number.
VOTERS = [
    ("سام", "parent", 0),
    ("Babcia Ola", "network", 10),
    ("عمي توم", "network", 6),
    ("Ms Okafor", "professional", 6),
]
ARABIC = re.compile(r"[\u0600-\u06ff]")
ARABIC_BROWSER = {"locale": "ar"}  # Accept-Language: ar, so the pages are in Arabic


async def fill(server: ServerProcess, links: dict[str, str]) -> None:
    """The two cards, and a revealed round on the overall scale."""
    facilitator = await Client.join(server.url, links["facilitator"], "Priya")
    voters = [await Client.join(server.url, links["participant"], n, r) for n, r, _ in VOTERS]
    try:
        for text in (ARABIC_CARD, POLISH_CARD):
            ack = await facilitator.op("card.add", section="strengths", text=text)
            assert ack["ok"], ack
        assert facilitator.state is not None
        scale = next(s for s in facilitator.state["board"]["scales"] if s["overall"])["id"]
        assert (await facilitator.op("round.open", scale_id=scale))["ok"]
        for voter, (_, _, value) in zip(voters, VOTERS, strict=True):
            assert (await voter.op("vote.cast", scale_id=scale, value=value))["ok"]
        assert (await facilitator.op("round.reveal", scale_id=scale))["ok"]
    finally:
        for client in (facilitator, *voters):
            await client.close()


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, selector
    return found


def fits(page: Page, width: int) -> None:
    scrolled: Any = page.evaluate("document.scrollingElement.scrollWidth")
    assert scrolled <= width, f"{scrolled} px wide on a {width} px screen"


def assert_dot_plot_reads_right_to_left(page: Page) -> None:
    plot = page.locator("[data-status=revealed] svg[data-role=dot-plot]").first
    expect(plot.locator("[data-dot]")).to_have_count(len(VOTERS))
    edges = plot.bounding_box()
    assert edges
    ticks = {t.text_content(): t.bounding_box() for t in plot.locator(".plot-tick text").all()}
    assert ticks["0"] and ticks["10"] and ticks["5"]
    assert ticks["10"]["x"] < ticks["5"]["x"] < ticks["0"]["x"]  # 0 on the right
    # "What 0 means" stands on the right too, where 0 is.
    assert box(page, ".dot-plot .anchor-low")["x"] > box(page, ".dot-plot .anchor-high")["x"]
    for dot in plot.locator("[data-dot]").all():
        name = dot.get_attribute("data-name") or ""
        label = dot.locator("text")
        expect(label).to_have_text(name)  # written whole, in its own direction
        expect(label).to_have_attribute("direction", "rtl" if ARABIC.match(name) else "ltr")
    # Every dot's box (the dot and its name, halo included) from one layout, read at once.
    marks = plot.evaluate(
        """svg => [...svg.querySelectorAll('[data-dot]')].map(dot => {
            const r = dot.getBoundingClientRect();
            return {name: dot.dataset.name, left: r.left, right: r.right,
                    top: r.top, bottom: r.bottom};
        })"""
    )
    assert len(marks) == len(VOTERS)
    for mark in marks:
        assert edges["x"] - 0.5 <= mark["left"], mark
        assert mark["right"] <= edges["x"] + edges["width"] + 0.5, mark
    for a, b in combinations(marks, 2):
        apart = (
            a["right"] <= b["left"] + 0.5
            or b["right"] <= a["left"] + 0.5
            or a["bottom"] <= b["top"] + 0.5
            or b["bottom"] <= a["top"] + 0.5
        )
        assert apart, f"{a} overlaps {b}"


def test_the_board_mirrors_right_to_left_and_keeps_each_persons_words_their_way(
    server: ServerProcess, screens: Screens
) -> None:
    meeting = create_meeting(server.url, "اجتماع عائلة أحمد")
    background = BackgroundLoop(timeout=60)
    try:
        background.run(fill(server, meeting["links"]))
    finally:
        background.close()

    projector = screens.open(**PROJECTOR, **ARABIC_BROWSER)
    join(projector, meeting["links"]["facilitator"], "Priya")
    assert projector.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    expect(projector.locator("[data-role=title]")).to_have_attribute("dir", "auto")
    # The columns read from the right: the first stands right of the second.
    columns = projector.locator("#map-view [data-column]")
    first, second = (columns.nth(n).bounding_box() for n in (0, 1))
    assert first and second
    assert first["x"] > second["x"] + second["width"] - 1, (first, second)
    # Each card's words in their own direction, whatever the page's.
    for text, direction in ((ARABIC_CARD, "rtl"), (POLISH_CARD, "ltr")):
        words = projector.locator(".card-text", has_text=text)
        expect(words).to_have_attribute("dir", "auto")
        assert words.evaluate("node => getComputedStyle(node).direction") == direction
    card = projector.locator("[data-card-id]", has_text=ARABIC_CARD)
    edges: Any = card.evaluate(
        "node => [getComputedStyle(node).borderRightWidth, getComputedStyle(node).borderLeftWidth]"
    )
    assert edges == ["6px", "1px"], edges  # the coloured edge is at the start: the right
    # A text field takes its direction from what is typed in it.
    card.locator("[data-action=edit]").click()
    expect(card.locator("textarea")).to_have_attribute("dir", "auto")
    card.locator("[data-action=cancel]").click()
    assert_dot_plot_reads_right_to_left(projector)
    fits(projector, 1920)

    phone = screens.open(**PHONE, **ARABIC_BROWSER)
    join(phone, meeting["links"]["participant"], "الجدة", "network")
    fits(phone, 360)
    show_scales_tab(phone)
    assert_dot_plot_reads_right_to_left(phone)
    fits(phone, 360)
    assert screens.problems == []
