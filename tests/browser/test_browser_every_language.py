"""Every page and state in every shipped language, in one walk per language: axe-core finds
no WCAG 2.2 A/AA violation; `<html>` has the page's `lang` and `dir` (`rtl` for Arabic
and Urdu, the board's columns then reading from the right); and a Polish or Arabic page
shows no English the catalogues translate ("English left over": a visible string, or an
aria-label, title, placeholder or alt, that is an English msgid whose translation is
another).

One server and one meeting serve every language: a revealed round on the overall scale,
an open one on a second scale, cards in Arabic and English, minutes agreed. A page's
language comes from the browser's (Accept-Language: the context's `locale`), as a family
member's phone gives it: the join page offers it, and joining keeps it for them; the room
screen and the minutes are in the meeting's, which the walk sets to its language first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest
from playwright.sync_api import Page, expect

from server import catalogues, i18n
from tests.support.axe import assert_accessible
from tests.support.harness import BackgroundLoop, Client, ServerProcess, create_meeting
from tests.support.pages import (
    LAPTOP,
    PASSWORD,
    PHONE,
    Screens,
    add_staff,
    join,
    join_as_child,
    new_meeting,
    sign_in,
)

CODES = [language.code for language in i18n.LANGUAGES]
# Languages whose pages are read for English left over: one left to right, one right to left.
NO_ENGLISH = {"pl", "ar"}
STAFF = "olu.adeyemi@council.example"
# What people wrote: none of it is a msgid.
CARDS = [
    ("strengths", "الجدة تمشي معهم إلى المدرسة كل يوم"),
    ("strengths", "Aunt Rose phones Leo every evening"),
    ("harm", "Leo came to school with a bruise on his arm"),
    ("next_steps", "سام يتصل بالجدة قبل العمل ليلاً"),
    ("plan_rules", "Gran stays over on the nights Sam works"),
]
QUESTION = "How sure are we that Leo sleeps well?"
LABELS = {"low_label": "He wakes up every night", "high_label": "He sleeps all night"}
PEOPLE_WROTE = {"Kinboard", "Family meeting for Leo Adeyemi", QUESTION, *LABELS.values()}
PEOPLE_WROTE |= {text for _, text in CARDS}
# Every visible string of the page, and the names people read or hear on its elements.
SHOWN = """() => {
  const shown = new Set([document.title]);
  const visible = el => el.checkVisibility({ visibilityProperty: true });
  const words = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = words.nextNode(); node; node = words.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest('script, style') && visible(parent)) shown.add(node.data);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (!visible(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) shown.add(el.getAttribute(name));
    }
  }
  return [...shown];
}"""
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


def plain(text: str) -> str:
    return " ".join(text.split())


@cache
def untranslated(code: str) -> frozenset[str]:
    """The code's msgids (whole, without placeholders) that the language's catalogue says
    otherwise, or has not translated yet (empty or fuzzy): on its page, each is English
    left over."""
    target = catalogues.read_catalogue(catalogues.po_path(catalogues.LOCALE, code), code)
    english: dict[str, set[str]] = {}
    for message in catalogues.extract():
        if isinstance(message.id, str) and message.id and not PLACEHOLDER.search(message.id):
            ours = target.get(message.id, message.context)
            said = plain(ours.string) if ours and ours.string and not ours.fuzzy else None
            english.setdefault(plain(message.id), set()).add(said or "")
    return frozenset(msgid for msgid, said in english.items() if msgid not in said)


@dataclass(frozen=True)
class Meeting:
    id: str
    links: dict[str, str]


async def fill(url: str, links: dict[str, str]) -> None:
    """Cards, a revealed round on the overall scale, agreed minutes (and so a plan), and an
    open round on another scale."""
    priya = await Client.join(url, links["facilitator"], "Priya Shah")
    voters = [
        await Client.join(url, links["participant"], name, role)
        for name, role in (("Sam Lee", "parent"), ("عمي توم", "network"))
    ]
    try:
        for section, text in CARDS:
            assert (await priya.op("card.add", section=section, text=text))["ok"]
        assert priya.state is not None
        overall = next(s for s in priya.state["board"]["scales"] if s["overall"])["id"]
        assert (await priya.op("round.open", scale_id=overall))["ok"]
        for voter, value in zip(voters, (4, 7), strict=True):
            assert (await voter.op("vote.cast", scale_id=overall, value=value))["ok"]
        assert (await priya.op("round.reveal", scale_id=overall))["ok"]
        for op_type, fields in (("minutes.take", {}), ("minutes.agree", {"minutes": 1})):
            assert (await priya.op(op_type, **fields))["ok"], op_type
        added = await priya.op("scale.add", scale_id="s_sleep", question=QUESTION, **LABELS)
        assert added["ok"], added
        assert (await priya.op("round.open", scale_id="s_sleep"))["ok"]
    finally:
        for client in (priya, *voters):
            await client.close()


async def speak(url: str, link: str, code: str) -> None:
    """The meeting's language: the room screen's and the minutes'."""
    priya = await Client.join(url, link, "Priya Shah")
    try:
        assert (await priya.op("meeting.language", language=code))["ok"]
    finally:
        await priya.close()


@pytest.fixture(scope="module")
def meeting(server: ServerProcess) -> Meeting:
    made = create_meeting(server.url, "Family meeting for Leo Adeyemi")
    background = BackgroundLoop(timeout=60)
    try:
        background.run(fill(server.url, made["links"]))
    finally:
        background.close()
    add_staff(server, STAFF)
    return Meeting(made["id"], made["links"])


class Walk:
    """Checks each page of one language as the walk reaches it, collecting what is wrong."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.direction = i18n.BY_CODE[code].direction
        self.english = untranslated(code) - PEOPLE_WROTE if code in NO_ENGLISH else frozenset()
        self.left_over: dict[str, set[str]] = {}

    def check(self, page: Page, what: str) -> None:
        html = page.locator("html")
        expect(html).to_have_attribute("lang", self.code)
        expect(html).to_have_attribute("dir", self.direction)
        assert_accessible(page, f"{what} in {self.code}")
        shown: list[str] = page.evaluate(SHOWN)
        found = {plain(text) for text in shown} & self.english
        if found:
            self.left_over[what] = found


def columns_read_from_the_right(page: Page) -> None:
    columns = page.locator("#map-view [data-column]")
    first, second = (columns.nth(n).bounding_box() for n in (0, 1))
    assert first and second
    assert first["x"] > second["x"] + second["width"] - 1, (first, second)


def walk_staff_pages(walk: Walk, screens: Screens, url: str) -> None:
    page = screens.open(**LAPTOP, locale=walk.code)
    for path, what in (
        ("/accessibility", "the accessibility statement"),
        ("/signin", "sign-in"),
        ("/m/nothing-here", "the error page of a meeting that is not there"),
        ("/setup", "set-up"),
    ):
        page.goto(url + path)
        walk.check(page, what)
    # A wrong set-up code: the page says why, in its language.
    page.fill("input[name=code]", "not-the-code")
    page.fill("input[name=email]", "someone@council.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-role=setup-form] [type=submit]")
    expect(page.locator("[data-role=setup-problem]")).to_be_visible()
    walk.check(page, "set-up refused")
    sign_in(page, url, STAFF, PASSWORD)
    expect(page.locator("[data-role=new-meeting]")).to_be_visible()
    walk.check(page, "the staff home page")
    # A meeting of their own, and its activity, which only its staff may see.
    own = new_meeting(page, f"Review for the Adeyemi family {walk.code}", "Olu Adeyemi")
    page.goto(f"{url}/m/{own}/activity")
    expect(page.locator("[data-role=activity]")).to_be_visible()
    walk.check(page, "the activity page")


def walk_facilitator_pages(walk: Walk, screens: Screens, url: str, meeting: Meeting) -> None:
    priya = screens.open(**LAPTOP, locale=walk.code)
    join(priya, meeting.links["facilitator"], f"Priya {walk.code.upper()}")
    expect(priya.locator("[data-round-id][data-status=revealed]")).to_have_count(1)
    expect(priya.locator("[data-round-id][data-status=open]")).to_have_count(1)
    walk.check(priya, "the facilitator's board, a scale open and one revealed")
    if walk.direction == "rtl":
        columns_read_from_the_right(priya)
    priya.click("[data-role=share-toggle]")
    expect(priya.locator("[data-role=share-panel]")).to_be_visible()
    walk.check(priya, "the Share and settings panel")
    priya.click("[data-role=share-toggle]")
    priya.click("[data-view=plan]")
    expect(priya.locator("[data-role=minutes-list] [data-minutes='1']")).to_be_visible()
    walk.check(priya, "the board's plan view")
    priya.goto(f"{url}/m/{meeting.id}/minutes/1")
    expect(priya.locator("[data-role=minutes-status]")).to_be_visible()
    walk.check(priya, "the minutes")


def walk_family_pages(walk: Walk, screens: Screens, url: str, meeting: Meeting) -> None:
    sam = screens.open(**LAPTOP, locale=walk.code)
    sam.goto(meeting.links["participant"])
    expect(sam.locator("[data-role=join-form]")).to_be_visible()
    walk.check(sam, "the join page")
    join(sam, meeting.links["participant"], f"Sam {walk.code.upper()}", "parent")
    walk.check(sam, "a parent's board")
    for path, shown, what in (
        ("/plan", "[data-role=plan-item]", "our plan"),
        ("/plan/easy-read", "[data-role=easy-read-item]", "our plan in easy read"),
    ):
        sam.goto(f"{url}/m/{meeting.id}{path}")
        expect(sam.locator(shown).first).to_be_visible()
        walk.check(sam, what)
    sam.goto(f"{url}/m/{meeting.id}/activity")
    walk.check(sam, "the error page of a page that is not theirs")
    phone = screens.open(**PHONE, locale=walk.code)
    join(phone, meeting.links["participant"], f"Babcia {walk.code.upper()}", "network")
    phone.evaluate("() => window.scrollTo(0, 0)")
    walk.check(phone, "the board on a phone")
    child = screens.open(**PHONE, locale=walk.code)
    join_as_child(child, meeting.links["participant"], f"Ava {walk.code.upper()}")
    walk.check(child, "a child's three houses")
    display = screens.open(**LAPTOP, locale=walk.code)
    join(display, meeting.links["display"], "")
    walk.check(display, "the display")


@pytest.mark.parametrize("code", CODES)
def test_every_page_in_every_language_is_accessible_in_its_own_words_and_direction(
    code: str, server: ServerProcess, meeting: Meeting, screens: Screens
) -> None:
    background = BackgroundLoop(timeout=60)
    try:
        background.run(speak(server.url, meeting.links["facilitator"], code))
    finally:
        background.close()
    walk = Walk(code)
    walk_staff_pages(walk, screens, server.url)
    walk_facilitator_pages(walk, screens, server.url, meeting)
    walk_family_pages(walk, screens, server.url, meeting)
    assert not walk.left_over, f"English left over in {code}: {walk.left_over}"
    # The two error pages' own answers are the only errors.
    assert all("status of 40" in problem for problem in screens.problems), screens.problems
