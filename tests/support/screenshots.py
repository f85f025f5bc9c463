"""Makes the README's picture of a board: `python -m tests.screenshots`.

Starts Kinboard on a free port with a scratch data dir, fills a meeting the way a family
meeting might (through the real protocol), and photographs the facilitator's board in
Chromium into docs/board.png.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.harness import Client, ServerProcess, create_meeting, token_of
from tests.support.services import CHROMIUM

DOCS = Path(__file__).resolve().parents[2] / "docs"

CARDS = [
    ("parent", "harm", "Leo came to school with a bruise on his arm in March", "School"),
    ("facilitator", "danger", "We are worried Leo could be hurt again when Dad drinks", None),
    ("parent", "complicating", "Sam works nights and the children are alone sometimes", "Sam"),
    ("gran", "strengths", "Gran walks Ava and Leo to school every day", "Gran"),
    ("parent", "strengths", "Sam has not had a drink for six weeks", "Sam"),
    ("gran", "safety", "Leo calls Gran when he feels scared, and she comes", "Leo"),
    ("facilitator", "goals", "Ava and Leo are safe and looked after every night", None),
    ("parent", "next_steps", "Sam asks Gran to stay on work nights, starting Monday", "Sam"),
    ("gran", "next_steps", "Mr Khan checks in with Leo every Friday", "Mr Khan (school)"),
]


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
    for who, card, stance in [
        ("gran", "c4", "agree"),
        ("facilitator", "c4", "agree"),
        ("parent", "c5", "agree"),
        ("parent", "c1", "disagree"),
    ]:
        assert (await people[who].op("card.react", card_id=card, stance=stance))["ok"]
    for client in people.values():
        await client.close()
    return meeting["id"], links["facilitator"]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess(Path(scratch)).start()
        try:
            _, link = asyncio.run(fill(server.url))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{server.url}/join#{token_of(link)}")
                page.fill("input[name=name]", "Priya (social worker)")
                page.click("[data-role=join-form] [type=submit]")
                page.wait_for_selector("[data-role=connection][data-state=connected]")
                page.wait_for_selector("[data-card-id]")
                page.screenshot(path=str(DOCS / "board.png"))
                browser.close()
        finally:
            server.stop()
    print(f"wrote {DOCS / 'board.png'}")


if __name__ == "__main__":
    main()
