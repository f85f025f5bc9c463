"""After the meeting, on a phone: Gran joined by her own link; the facilitator agrees the
minutes and ends the meeting. Gran's board says it has ended, and opening it again shows
"Our plan": the plan they agreed, in large type that fits the phone, read aloud in a voice of
its language, with a PDF to keep, and in easy read. Her link still opens it on another
phone; nothing she could change is offered."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.support.axe import assert_accessible
from tests.support.harness import API_KEY, BackgroundLoop, Client, ServerProcess, create_meeting
from tests.support.pages import PHONE, WAIT_MS, Screens
from tests.support.speech import FAKE_SPEECH, spoken
from tests.support.wcag import small_targets

KEY = {"Authorization": f"Bearer {API_KEY}"}
PLAN = "Gran picks Ava up from school on Mondays"
# One long word and many short ones: the easy read page wraps them, never scrolls sideways.
LONG = "Mum rings the helpline " + "www.example.org/help/" * 4 + " and then" * 40


def person_link(server: ServerProcess, meeting_id: str, name: str, role: str) -> str:
    answer = httpx.post(
        f"{server.url}/api/meetings/{meeting_id}/people-links",
        json={"name": name, "role": role},
        headers=KEY,
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["url"])


async def agree_and_close(server: ServerProcess, link: str) -> None:
    facilitator = await Client.join(server.url, link, "Priya")
    try:
        for op_type, fields in (
            ("card.add", {"section": "plan_rules", "text": PLAN, "owner": "Gran"}),
            ("card.add", {"section": "danger", "text": LONG}),  # in easy read only
            ("decision.set", {"outcome": "continue", "next_review": "2027-03-01"}),
            ("minutes.take", {}),
            ("minutes.agree", {"minutes": 1}),
            ("meeting.close", {}),
        ):
            ack = await facilitator.op(op_type, **fields)
            assert ack.get("ok"), (op_type, ack)
    finally:
        await facilitator.close()


def fits_the_phone(page: Page) -> None:
    width: Any = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, width  # the phone's width: nothing to scroll sideways


def read_aloud(phone: Page) -> None:
    """ "Read our plan aloud": offered once there is a voice of the page's language, it reads
    each section and step with who and when in that voice; a second press stops it."""
    read = phone.locator("[data-action=read-plan]")
    expect(read).to_be_hidden()
    phone.evaluate("__addVoice({ name: 'Daniel', lang: 'en-GB', default: false })")
    expect(read).to_have_text("Read our plan aloud")
    read.click()
    expect(read).to_have_attribute("aria-pressed", "true")
    said = spoken(phone)
    assert {(s["voice"], s["lang"]) for s in said} == {("Daniel", "en-GB")}
    texts = [s["text"] for s in said]
    assert PLAN in texts and "Who: Gran" in texts
    assert texts[-1] == "The next meeting is on 1 March 2027."
    read.click()
    expect(read).to_have_attribute("aria-pressed", "false")
    assert small_targets(phone) == []


def in_easy_read(phone: Page) -> None:
    """ "Our plan in easy read", from the plan: larger type still, fits the phone, each
    picture decorative beside words that say the same, at the start of its line (the right,
    in a right-to-left page), and a PDF to keep."""
    phone.locator("[data-action=easy-read]").click()
    easy = phone.locator("[data-role=easy-read]")
    expect(easy.locator("h1")).to_have_text("Our plan in easy read")
    items = easy.locator("[data-role=easy-read-item]")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Mum rings the helpline")
    expect(items.last).to_contain_text(PLAN)
    expect(items.last.locator("[data-role=easy-read-who]")).to_have_text("Who: Gran")
    expect(easy.locator("[data-role=easy-read-next-review]")).to_have_text(
        "Our next meeting is on 1 March 2027."
    )
    size: Any = items.last.evaluate("item => parseFloat(getComputedStyle(item).fontSize)")
    assert size >= 24, size  # larger than "Our plan"
    fits_the_phone(phone)
    assert_accessible(phone, "Our plan in easy read")
    assert small_targets(phone) == []
    pictures: Any = easy.locator("img").evaluate_all(
        """pictures => pictures.map(p => ({
            alt: p.getAttribute('alt'), loaded: p.complete && p.naturalWidth > 0,
            beside: p.parentElement.textContent.trim()}))"""
    )
    assert len(pictures) == 5  # worries, we will do, who, what next, the next meeting
    for picture in pictures:
        assert picture["loaded"], picture
        assert picture["alt"] is not None and (picture["alt"] or picture["beside"]), picture
    first_picture = "[data-part] .er-heading img"

    def picture_is_left_of_heading() -> bool:
        picture = easy.locator(first_picture).first.bounding_box()
        heading = easy.locator("[data-part] h2").first.bounding_box()
        assert picture is not None and heading is not None
        return bool(picture["x"] < heading["x"])

    assert picture_is_left_of_heading()
    phone.evaluate("document.documentElement.dir = 'rtl'")
    assert not picture_is_left_of_heading()
    fits_the_phone(phone)
    with phone.expect_download() as download:
        easy.locator("[data-action=easy-read-pdf]").click()
    saved = download.value.path()
    assert saved is not None and saved.read_bytes().startswith(b"%PDF")


def test_a_family_member_opens_our_plan_on_a_phone_after_the_meeting_closes(
    server: ServerProcess, screens: Screens
) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava")
    gran_link = person_link(server, meeting["id"], "Gran", "network")
    phone = screens.open(**PHONE)
    phone.add_init_script(FAKE_SPEECH)  # a French voice only, at first
    phone.goto(gran_link)
    phone.locator("[data-role=join-form] [type=submit]").click()
    expect(phone.locator("[data-role=connection]")).to_have_attribute(
        "data-state", "connected", timeout=WAIT_MS
    )

    background = BackgroundLoop(timeout=60)
    try:
        background.run(agree_and_close(server, meeting["links"]["facilitator"]))
    finally:
        background.close()

    # Her board stays in front of her and says the meeting has ended.
    expect(phone.locator("[data-role=meeting-closed]")).to_contain_text("This meeting has ended.")
    expect(phone.locator("[data-action=add-card]:visible")).to_have_count(0)

    phone.locator("[data-action=our-plan]").click()
    expect(phone).to_have_url(f"{server.url}/m/{meeting['id']}/plan")
    # Opening the board again leads there too.
    phone.goto(f"{server.url}/m/{meeting['id']}")
    expect(phone).to_have_url(f"{server.url}/m/{meeting['id']}/plan")
    plan = phone.locator("[data-role=our-plan]")
    expect(plan.locator("h1")).to_have_text("Our plan")
    expect(plan.locator("[data-role=plan-item]")).to_contain_text(PLAN)
    expect(plan.locator("[data-role=plan-item]")).to_contain_text("Who: Gran")
    expect(plan.locator("[data-role=next-review]")).to_have_text(
        "The next meeting is on 1 March 2027."
    )
    expect(plan.locator("[data-role=plan-ended]")).to_contain_text("The meeting has ended.")
    size: Any = plan.locator("[data-role=plan-item]").evaluate(
        "item => parseFloat(getComputedStyle(item).fontSize)"
    )
    assert size >= 18, size  # large type
    fits_the_phone(phone)
    read_aloud(phone)
    with phone.expect_download() as download:
        plan.locator("[data-action=plan-pdf]").click()
    saved = download.value.path()
    assert saved is not None and saved.read_bytes().startswith(b"%PDF")
    in_easy_read(phone)

    # On another phone (no cookie of this meeting) her own link still opens the plan.
    other = screens.open(**PHONE)
    other.goto(gran_link)
    button = other.locator("[data-role=join-form] [type=submit]")
    expect(button).to_have_text("Open our plan")
    expect(other.locator("[data-role=joining-as]")).to_contain_text("Hello Gran.")
    button.click()
    expect(other).to_have_url(f"{server.url}/m/{meeting['id']}/plan")
    expect(other.locator("[data-role=plan-item]")).to_contain_text(PLAN)
    fits_the_phone(other)
    assert screens.problems == []
