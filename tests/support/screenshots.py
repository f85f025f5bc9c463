"""Makes the README's pictures of a board: `python -m tests.support.screenshots [board]
[board-ar]` (both when none is named). Never run by the tests.

Starts Kinboard on a free port with a scratch data dir, fills a meeting the way a family
meeting might (through the real protocol: a worry statement paired with its safety goal,
written with the composers), and photographs the facilitator's board in Chromium into
docs/board.png; and an Arabic family's meeting, cards in Arabic and English, as the room's
projector shows it (1920 x 1080, the facilitator's board in Arabic) into docs/board-ar.png.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tests.support.harness import Client, ServerProcess, create_meeting, token_of
from tests.support.services import CHROMIUM

DOCS = Path(__file__).resolve().parents[2] / "docs"

CARDS = [
    ("parent", "harm", "Leo came to school with a bruise on his arm in March", "School"),
    ("parent", "complicating", "Sam works nights and the children are alone sometimes", "Sam"),
    ("gran", "strengths", "Gran walks Ava and Leo to school every day", "Gran"),
    ("parent", "strengths", "Sam has not had a drink for six weeks", "Sam"),
    ("gran", "safety", "Leo calls Gran when he feels scared, and she comes", "Leo"),
    ("parent", "next_steps", "Sam asks Gran to stay on work nights, starting Monday", "Sam"),
    ("gran", "next_steps", "Mr Khan checks in with Leo every Friday", "Mr Khan (school)"),
    (
        "facilitator",
        "bottom_lines",
        "Ava and Leo are never left alone with Dad when he has been drinking",
        "Children's services",
    ),
]
STATEMENT = {
    "card_id": "s_worry",
    "who": "Children's services and Gran",
    "happened": "Dad drinks and shouts",
    "worry": "Ava and Leo could be hurt or frightened",
    "likely": "likely to happen soon, at night",
    "harms": ["c0"],
}
GOAL = {
    "card_id": "s_goal",
    "statement_id": "s_worry",
    "will_do": "Dad will not drink when he looks after Ava and Leo",
    "seen_by": "Gran and the social worker",
    "how_often": "every week",
    "how_long": "the next 6 months",
    "due": "2027-06-01",
}


async def fill(url: str) -> tuple[str, str]:
    meeting = create_meeting(url, "Family meeting for Ava and Leo")
    links = meeting["links"]
    people = {
        "facilitator": await Client.join(url, links["facilitator"], "Priya (social worker)"),
        "parent": await Client.join(url, links["participant"], "Sam", "parent"),
        "gran": await Client.join(url, links["participant"], "Gran", "network"),
    }
    for n, (who, section, text, said_by) in enumerate(CARDS):
        ack = await people[who].op(
            "card.add", section=section, text=text, attributed_to=said_by, card_id=f"c{n}"
        )
        assert ack["ok"], ack
    for op_type, fields in [("statement.add", STATEMENT), ("goal.add", GOAL)]:
        ack = await people["facilitator"].op(op_type, **fields)
        assert ack["ok"], ack
    for who, card, stance in [
        ("gran", "c3", "agree"),
        ("facilitator", "c3", "agree"),
        ("parent", "c4", "agree"),
        ("parent", "s_worry", "disagree"),
    ]:
        assert (await people[who].op("card.react", card_id=card, stance=stance))["ok"]
    for client in people.values():
        await client.close()
    return meeting["id"], links["facilitator"]


ARABIC_CARDS = [
    ("harm", "جاء ليو إلى المدرسة وعلى ذراعه كدمة في مارس", "المدرسة"),
    ("complicating", "سام يعمل ليلاً ويبقى الأطفال وحدهم أحياناً", "سام"),
    ("strengths", "الجدة تمشي مع آفا وليو إلى المدرسة كل يوم", "الجدة"),
    ("strengths", "Aunt Rose phones the children every evening", "Aunt Rose"),
    ("safety", "يتصل ليو بالجدة عندما يخاف، فتأتي", "ليو"),
    ("next_steps", "يطلب سام من الجدة أن تبقى في ليالي العمل، من يوم الاثنين", "سام"),
    ("next_steps", "Mr Khan checks in with Leo every Friday", "Mr Khan (school)"),
]


async def fill_arabic(url: str) -> str:
    meeting = create_meeting(url, "اجتماع عائلة أحمد من أجل آفا وليو")
    link = meeting["links"]["facilitator"]
    priya = await Client.join(url, link, "بريا (أخصائية اجتماعية)", language="ar")
    try:
        assert (await priya.op("meeting.language", language="ar"))["ok"]
        for n, (section, text, said_by) in enumerate(ARABIC_CARDS):
            ack = await priya.op(
                "card.add", section=section, text=text, attributed_to=said_by, card_id=f"a{n}"
            )
            assert ack["ok"], ack
    finally:
        await priya.close()
    return str(link)


def arabic_board(browser: Browser, url: str, link: str) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="ar")
    page.goto(f"{url}/join#{token_of(link)}")
    page.fill("input[name=name]", "بريا")
    page.click("[data-role=join-form] [type=submit]")
    page.wait_for_selector("[data-role=connection][data-state=connected]")
    page.wait_for_selector("[data-card-id]")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    # The title and the map, as the room sees them once the meeting is under way.
    page.evaluate("() => window.scrollTo(0, document.querySelector('#map-view').offsetTop - 64)")
    page.screenshot(path=str(DOCS / "board-ar.png"))


def english_board(browser: Browser, url: str, link: str) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{url}/join#{token_of(link)}")
    page.fill("input[name=name]", "Priya (social worker)")
    page.click("[data-role=join-form] [type=submit]")
    page.wait_for_selector("[data-role=connection][data-state=connected]")
    page.wait_for_selector("[data-card-id]")
    page.wait_for_selector("[data-role=sets] [data-goal]")
    # The map and, below it, the worry statement beside its safety goal.
    sets = page.locator("[data-role=sets]").bounding_box()
    assert sets is not None
    bottom = sets["y"] + sets["height"] + 16
    clip = {"x": 0, "y": 0, "width": 1440, "height": bottom}
    page.screenshot(path=str(DOCS / "board.png"), full_page=True, clip=clip)


def main(names: list[str]) -> None:
    wanted = names or ["board", "board-ar"]
    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess(Path(scratch)).start()
        try:
            # Filled first: sync Playwright's loop would stop asyncio.run from running.
            links = {}
            if "board" in wanted:
                links["board"] = asyncio.run(fill(server.url))[1]
            if "board-ar" in wanted:
                links["board-ar"] = asyncio.run(fill_arabic(server.url))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                if "board" in links:
                    english_board(browser, server.url, links["board"])
                if "board-ar" in links:
                    arabic_board(browser, server.url, links["board-ar"])
                browser.close()
        finally:
            server.stop()
    for name in wanted:
        print(f"wrote {DOCS / name}.png")


if __name__ == "__main__":
    main(sys.argv[1:])
