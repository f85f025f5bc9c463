"""User text stays text, everywhere, in a real browser.

A corpus of more than 200 cross-site scripting payloads (script tags, event handlers,
javascript: and data: URLs, srcdoc, CSS, template literals, entities and encodings,
polyglots, mutation-XSS nesting, unicode tricks, SVG and MathML, broken quotes), each
tagged with its own marker XSS<n> and each trying to set `window.__pwned` or open a
dialog, goes in wherever people write: card text (a sample through the page, the rest over
the real Socket.IO protocol), "who said it" and "who will do it", participant names,
meeting titles, a scale's words, vote reasons in a revealed round, the decision, and the
minutes with their sign-offs. The board, the meeting-room display, the join page and the
minutes page are then opened in Chromium: every payload must show as the very text the
server holds, no element or attribute from a payload may exist, no dialog may open, no
script may run, and the Content Security Policy must never have had to step in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.support.harness import API_KEY, BackgroundLoop, Client, ServerProcess, create_meeting
from tests.support.pages import LAPTOP, PROJECTOR, WAIT_MS

# --- the corpus ------------------------------------------------------------------------------

# What a payload tries to run; {m} is its marker, so a payload that ever ran is named.
SCRIPTS = [
    "window.__pwned='{m}'",
    "alert('{m}')",
    "top['con'+'firm']('{m}')",
]

# Classic vectors; {js} is one of SCRIPTS, {m} the marker.
VECTORS = [
    # script elements
    "<script>{js}</script>",
    "<ScRiPt>{js}</sCrIpT>",
    "<script src=data:text/javascript,{js}></script>",
    "<script>/*</script><script>{js}//*/</script>",
    "<scr<script>ipt>{js}</scr</script>ipt>",
    '"><script>{js}</script>',
    "'><script>{js}</script>",
    "</textarea><script>{js}</script>",
    "</title><script>{js}</script>",
    "</p></div><script>{js}</script><div><p>",
    # event handlers
    "<img src=x onerror={js}>",
    '<img src="x" onerror="{js}">',
    '<img src=x onerror="javascript:{js}">',
    "<img/src=x/onerror={js}>",
    "<img src=`x`onerror={js}>",
    '<img """><script>{js}</script>">',
    "<svg onload={js}>",
    "<svg/onload={js}//",
    "<body onload={js}>",
    "<body onpageshow={js}>",
    "<iframe onload={js}></iframe>",
    "<details open ontoggle={js}>",
    "<video><source onerror={js}></video>",
    "<video src=x onerror={js}>",
    "<audio src=x onerror={js}>",
    "<input autofocus onfocus={js}>",
    "<select autofocus onfocus={js}></select>",
    "<textarea autofocus onfocus={js}></textarea>",
    "<marquee onstart={js}>{m}</marquee>",
    "<div onmouseover={js} style=position:fixed;inset:0>hover</div>",
    "<x contenteditable onfocus={js} autofocus>",
    "<object data=x onerror={js}></object>",
    "<style onload={js}></style>",
    "<form><button formaction=javascript:{js}>go</button></form>",
    # javascript: and data: URLs
    '<a href="javascript:{js}">click me</a>',
    "<a href=JaVaScRiPt:{js}>click</a>",
    "<a href=' javascript:{js}'>x</a>",
    '<a href="data:text/html,<script>{js}</script>">x</a>',
    '<iframe src="javascript:{js}"></iframe>',
    '<iframe src="data:text/html,<script>{js}</script>"></iframe>',
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<base href="javascript:{js}//">',
    '<link rel=import href="data:text/html,<script>{js}</script>">',
    # srcdoc
    '<iframe srcdoc="<script>parent.{js}</script>"></iframe>',
    "<iframe srcdoc='&lt;img src=x onerror={js}&gt;'></iframe>",
    # CSS
    '<div style="background:url(javascript:{js})">x</div>',
    '<div style="width:expression({js})">x</div>',
    "<style>@import 'javascript:{js}';</style>",
    "<style>*{background:url('javascript:{js}')}</style>",
    # template literals and client-side templates
    "${{js}}",
    "`${{js}}`",
    '{{constructor.constructor("{js}")()}}',
    "{{{{js}}}}",
    "#{{js}}",
    # entities and encodings
    "&lt;script&gt;{js}&lt;/script&gt;",
    "&#60;script&#62;{js}&#60;/script&#62;",
    "&#x3C;img src=x onerror={js}&#x3E;",
    "%3Cscript%3E{js}%3C%2Fscript%3E",
    "\\u003cscript\\u003e{js}\\u003c/script\\u003e",
    "\\x3cimg src=x onerror={js}\\x3e",
    "<img src=x onerror=&#x61;&#x6C;&#x65;&#x72;&#x74;('{m}')>",
    "<a href=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{js}>x</a>",
    "+ADw-script+AD4-{js}+ADw-/script+AD4-",
    # mutation XSS: nesting that a sanitiser and a parser read differently
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
    "<svg><style><img src=x onerror={js}></style></svg>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror={js}>",
    '<svg></p><style><a id="</style><img src=1 onerror={js}>">',
    "<template><img src=x onerror={js}></template>",
    '<xmp><p title="</xmp><img src=x onerror={js}>">',
    "<![CDATA[<img src=x onerror={js}>]]>",
    '<!--<img src="--><img src=x onerror={js}//">',
    # SVG and MathML
    "<svg><script>{js}</script></svg>",
    '<svg><a xlink:href="javascript:{js}"><text x=20 y=20>{m}</text></a></svg>',
    "<svg><animate onbegin={js} attributeName=x dur=1s>",
    "<svg><set onbegin={js} attributeName=x to=1>",
    '<svg><foreignObject><iframe srcdoc="<script>parent.{js}</script>"></iframe>'
    "</foreignObject></svg>",
    '<math><maction actiontype="statusline" xlink:href="javascript:{js}">x</maction></math>',
    '<math href="javascript:{js}">click</math>',
    # broken quotes and attribute breaking
    '" onmouseover="{js}" x="',
    "' onfocus='{js}' autofocus x='",
    '"><img src=x onerror={js}>',
    "'\"><svg onload={js}>",
    '" autofocus onfocus={js} "',
]

# Vectors whose code is fixed (they carry only the marker).
FIXED = [
    # the well-known polyglot (0xSobky)
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert('{m}') )//%0D%0A%0d%0a//</stYle/"
    "</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert('{m}')//>\\x3e",
    "'\"-->]]>*/</script></style></title></textarea><script>alert('{m}')</script>",
    "javascript://'/</title></style></textarea></script>--><p\" onclick=alert('{m}')//>*/"
    "alert('{m}')/*",
    '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
    "<img src=x onerror=eval(atob('d2luZG93Ll9fcHduZWQ9MQ=='))>",
    "<img src=x onerror=import('data:text/javascript,window.__pwned=1')>",
    # unicode tricks
    "\uff1cscript\uff1ealert('{m}')\uff1c/script\uff1e",
    "<scr\u200bipt>alert('{m}')</scr\u200bipt>",
    "<img src=x one\u200drror=alert('{m}')>",
    "<\u0455cript>alert('{m}')</\u0455cript>",
    "\u202e>tpircs/<)'{m}'(trela>tpircs<",
    "<img src=x onerror=alert('{m}')\u2028>",
    "\u2029<svg onload=alert('{m}')>\u2029",
    "<img src=x onerror=\u0061lert('{m}')>",
    "<a href=\"java\tscript:alert('{m}')\">tab</a>",
    "<a href=\"java&#x0A;script:alert('{m}')\">newline</a>",
    "<img src=x onerror=alert('{m}')>\U0001f600\U0001f46a",
    "\u02bc><script>alert('{m}')</script>",  # a modifier letter that looks like a quote
    "<script>alert('{m}')</script>\r\n<img src=x onerror=alert('{m}')>",
]


def build_corpus() -> list[str]:
    corpus: list[str] = []

    def add(text: str) -> None:
        marker = f"XSS{len(corpus)}"
        corpus.append(f"{marker} {text.replace('{m}', marker)}")

    for vector in VECTORS:
        for script in SCRIPTS:
            add(vector.replace("{js}", script))
    for vector in FIXED:
        add(vector)
    return corpus


CORPUS = build_corpus()

# Where each kind of text goes, within the server's limits.
MAX_NAME = 80  # participant names, "who said it", "who will do it"
MAX_TITLE = 200
MAX_LABEL = 120  # a scale's ends, the minutes' name
MAX_REASON = 500
PAGE_SAMPLE = 5  # cards typed into the page itself
PEOPLE = 24  # participants joined with payloads as names, each answering a scale
TITLED_MEETINGS = 8
ROLES = ["parent", "child", "network", "professional"]


def short(limit: int) -> list[str]:
    """The payloads that fit in `limit` characters."""
    return [text for text in CORPUS if len(text) <= limit]


def collapsed(text: str) -> str:
    """Names and titles as the server keeps them: runs of white space made one space."""
    return " ".join(text.split())


# --- running the Socket.IO clients beside Playwright ------------------------------------------


@pytest.fixture
def background() -> Iterator[BackgroundLoop]:
    """The harness's async Socket.IO clients stay connected there while Playwright's sync
    API owns the test's thread."""
    running = BackgroundLoop(timeout=60)
    yield running
    running.close()


async def ok(client: Client, op_type: str, **fields: Any) -> dict[str, Any]:
    ack = await client.op(op_type, **fields)
    assert ack.get("ok"), (op_type, ack)
    return ack


# --- the meeting, written in by everyone over the real protocol -------------------------------


class Meeting:
    """The main meeting: who is in it and what they wrote (as the server keeps it)."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.title = CORPUS[0][:MAX_TITLE]
        created = create_meeting(server.url, self.title)
        self.id: str = created["id"]
        self.links: dict[str, str] = created["links"]
        self.facilitator: Client | None = None
        self.people: list[Client] = []
        self.titled: list[dict[str, Any]] = []

    async def fill(self) -> None:
        url, links = self.server.url, self.links
        names = short(MAX_NAME)
        self.facilitator = await Client.join(url, links["facilitator"], names[0])
        self.people = list(
            await asyncio.gather(
                *(
                    Client.join(url, links["participant"], names[1 + n], ROLES[n % len(ROLES)])
                    for n in range(PEOPLE)
                )
            )
        )
        template = self.facilitator.state["template"]
        sections = [s["key"] for column in template["columns"] for s in column["sections"]]
        timed = set(template["timed_sections"])
        facilitator = self.facilitator

        # A scale whose words are payloads, the decision, and a round to answer.
        labels = short(MAX_LABEL)
        await ok(
            facilitator,
            "scale.add",
            scale_id="s_xss",
            question=CORPUS[1][:300],
            low_label=labels[2],
            high_label=labels[3],
        )
        await ok(facilitator, "decision.set", outcome="continue", note=CORPUS[4])
        overall = next(s for s in facilitator.state["board"]["scales"] if s["overall"])["id"]
        await ok(facilitator, "round.open", scale_id=overall)

        # Every payload as a card (all but the page's sample), shared out among the people;
        # those short enough also as "who said it" and, in timed sections, "who will do it".
        async def write(person: Client, n: int) -> None:
            for index in range(PAGE_SAMPLE + n, len(CORPUS), PEOPLE):
                text, section = CORPUS[index], sections[index % len(sections)]
                fields: dict[str, Any] = {
                    "card_id": f"c_xss{index}",
                    "section": section,
                    "text": text,
                }
                if len(text) + 5 <= MAX_NAME:
                    fields["attributed_to"] = f"said {text}"
                    if section in timed:
                        fields["owner"] = f"does {text}"
                await ok(person, "card.add", **fields)
            reason = CORPUS[(n * 7) % len(CORPUS)][:MAX_REASON]
            await ok(person, "vote.cast", scale_id=overall, value=n % 11, reason=reason)

        await asyncio.gather(*(write(person, n) for n, person in enumerate(self.people)))
        await ok(facilitator, "round.reveal", scale_id=overall)
        await ok(facilitator, "minutes.take", label=labels[5])

        async def sign(person: Client, n: int) -> None:
            if n % 2:
                await ok(person, "minutes.sign", minutes=1, stance="agree")
            else:
                reason = CORPUS[-1 - n][:MAX_REASON]
                await ok(person, "minutes.sign", minutes=1, stance="disagree", reason=reason)

        await asyncio.gather(*(sign(person, n) for n, person in enumerate(self.people)))

        # More meetings, each titled with a payload of another kind; a facilitator's
        # session for each.
        titles = [text[:MAX_TITLE] for text in CORPUS[10::33][:TITLED_MEETINGS]]
        for title in titles:
            created = await asyncio.to_thread(create_meeting, url, title)
            joined = await Client.join(url, created["links"]["facilitator"], "Priya", connect=False)
            self.titled.append({**created, "cookie": joined.cookie})

    async def close(self) -> None:
        for client in [self.facilitator, *self.people]:
            if client is not None:
                await client.close()

    def board(self, meeting_id: str | None = None) -> dict[str, Any]:
        answer = httpx.get(
            f"{self.server.url}/api/meetings/{meeting_id or self.id}",
            headers={"Authorization": f"Bearer {API_KEY}"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()


# --- what every page must (not) have ---------------------------------------------------------

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""

# Nothing a payload could have made: no event-handler attribute anywhere (the pages add
# listeners, never on* attributes), no script but ours (and the page's catalogue of words),
# no frame, object, media or other active element, no image but the QR code, no
# javascript:, data: or vbscript: URL.
FOREIGN = """
() => {
  const found = [];
  const urlAttribute = /^(href|src|action|formaction|xlink:href|data|srcdoc|poster|background)$/i;
  const activeUrl = /^\\s*(javascript|data|vbscript):/i;
  for (const element of document.querySelectorAll('*')) {
    const name = element.localName;
    for (const { name: attribute, value } of element.attributes) {
      if (/^on/i.test(attribute)) found.push(`${name}[${attribute}]`);
      if (attribute === 'srcdoc') found.push(`${name}[srcdoc]`);
      const favicon = name === 'link' && element.rel === 'icon';
      if (urlAttribute.test(attribute) && activeUrl.test(value) && !favicon) {
        found.push(`${name}[${attribute}=${value.slice(0, 40)}]`);
      }
    }
  }
  for (const script of document.scripts) {
    // Ours: a bundle from /static/, or the one catalogue of the page's words (data, never run).
    const catalogue = script.id === 'kinboard-words' && script.type === 'application/json'
      && !script.src && document.querySelectorAll('[id=kinboard-words]').length === 1;
    const ours = catalogue || (script.src && new URL(script.src).pathname.startsWith('/static/'));
    if (!ours) found.push(`script ${script.outerHTML.slice(0, 60)}`);
  }
  const active = [
    'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'base',
    'meta[http-equiv]', 'video', 'audio', 'source', 'marquee', 'math', 'details', 'isindex',
    'keygen', 'template', 'xmp', 'body style', 'foreignObject', 'animate', 'set',
  ].join(', ');
  for (const element of document.querySelectorAll(active)) {
    found.push(`element ${element.localName}`);
  }
  // Our own stylesheets may sit in the body (the quick-exit partial's); no other link may.
  for (const link of document.querySelectorAll('body link')) {
    const ours = link.rel === 'stylesheet' && new URL(link.href).pathname.startsWith('/static/');
    if (!ours || link.attributes.length !== 2) found.push(`link ${link.outerHTML.slice(0, 60)}`);
  }
  for (const image of document.images) {
    if (!new URL(image.src).pathname.endsWith('/qr.svg')) found.push(`img ${image.src}`);
  }
  return found;
}
"""


class Screens:
    """Pages that note every dialog, page error and console complaint."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []

    def open(self, **options: Any) -> Page:
        context = self.browser.new_context(**options)
        context.add_init_script(WATCH_CSP)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        return page

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def screens(browser: Browser) -> Iterator[Screens]:
    opened = Screens(browser)
    yield opened
    opened.close()


def assert_inert(page: Page, where: str) -> None:
    assert page.evaluate(FOREIGN) == [], where
    assert page.evaluate("window.__pwned") is None, where
    assert page.evaluate("window.__cspViolations") == [], where


def texts(page: Page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "nodes => nodes.map((node) => node.textContent)")


def said(card: dict[str, Any]) -> str:
    """A bottom line is set by someone; every other card is said by them."""
    return "set by" if card["section"] == "bottom_lines" else "said by"


def assert_cards_shown(page: Page, cards: list[dict[str, Any]], where: str) -> None:
    """Each card's words, "who said it" and "who will do it" exactly as the server keeps
    them, as text."""
    shown = page.evaluate(
        """(cards) => cards.map((card) => {
          const element = document.querySelector(`[data-card-id="${card.id}"]`);
          return element && {
            text: element.querySelector('.card-text').textContent,
            saidBy: element.querySelector('.card-said-by').textContent,
            owner: element.querySelector('.card-owner').textContent,
          };
        })""",
        cards,
    )
    wrong = [
        (card["id"], seen)
        for card, seen in zip(cards, shown, strict=True)
        if seen
        != {
            "text": card["text"],
            "saidBy": f"{said(card)} {card['attributed_to']}" if card.get("attributed_to") else "",
            "owner": f"Who: {card['owner']}" if card.get("owner") else "",
        }
    ]
    assert wrong == [], where


# --- the test --------------------------------------------------------------------------------


def test_every_payload_stays_text_on_every_page(
    server: ServerProcess, browser: Browser, screens: Screens, background: BackgroundLoop
) -> None:
    assert len(CORPUS) >= 200 and len(set(CORPUS)) == len(CORPUS)
    assert all(text.startswith(f"XSS{n} ") for n, text in enumerate(CORPUS))

    meeting = Meeting(server)
    background.run(meeting.fill(), timeout=120)
    try:
        check_pages(server, meeting, screens)
    finally:
        background.run(meeting.close())


def check_pages(server: ServerProcess, meeting: Meeting, screens: Screens) -> None:
    names = short(MAX_NAME)
    facilitator = screens.open(**LAPTOP)

    # Through the page: a name, a handful of cards (one said by someone), a new title.
    facilitator.goto(meeting.links["facilitator"])
    expect(facilitator.locator("[data-role=join-title]")).to_have_text(
        f"You are joining: {collapsed(meeting.title)}"
    )
    facilitator.fill("input[name=name]", names[-1])
    facilitator.locator("[data-role=join-form] [type=submit]").click()
    expect(facilitator.locator("[data-role=connection]")).to_have_attribute(
        "data-state", "connected"
    )
    section = facilitator.locator("[data-section=harm]")
    in_harm = len([c for c in meeting.board()["cards"] if c["section"] == "harm"])
    section.locator("[data-action=add-card]").click()
    editor = section.locator(".add-slot [data-field=card-text]")
    for index in range(PAGE_SAMPLE):
        editor.fill(CORPUS[index])
        if index == 0:
            section.locator(".add-slot [data-field=attributed-to]").fill(names[-2])
        editor.press("Enter")
    expect(section.locator("[data-card-id]")).to_have_count(in_harm + PAGE_SAMPLE)
    expect(section.locator("[data-card-id].is-pending")).to_have_count(0)
    facilitator.click("[data-role=share-toggle]")
    page_title = CORPUS[2][:MAX_TITLE]
    title_input = facilitator.locator("input[name=title]")
    title_input.fill(page_title)
    title_input.press("Enter")
    expect(facilitator.locator("[data-role=title]")).to_have_text(collapsed(page_title))

    board = meeting.board()
    cards = board["cards"]
    assert len(cards) == len(CORPUS)
    assert {card["text"] for card in cards} == {text.strip() for text in CORPUS}
    assert board["meeting"]["title"] == collapsed(page_title)

    # The facilitator's board: cards, everyone's names, the scales, the revealed answers,
    # the decision and the minutes with what people said.
    expect(facilitator.locator("[data-role=presence] li")).to_have_count(PEOPLE + 2)
    assert_cards_shown(facilitator, cards, "board")
    participants = [p["name"] for p in board["participants"]]
    assert sorted(texts(facilitator, "[data-role=people] .person-name")) == sorted(participants)
    assert sorted(texts(facilitator, "[data-role=presence] .person-name")) == sorted(
        [p.me["name"] for p in [meeting.facilitator, *meeting.people]] + [collapsed(names[-1])]
    )
    round_ = next(r for r in board["rounds"] if r["status"] == "revealed")
    assert sorted(texts(facilitator, ".vote-table .vote-name")) == sorted(
        v["name"] for v in round_["votes"]
    )
    assert sorted(texts(facilitator, ".vote-table .reason-text")) == sorted(
        v["reason"] for v in round_["votes"] if v["reason"]
    )
    scale = next(s for s in board["scales"] if s["id"] == "s_xss")
    assert scale["question"] in texts(facilitator, ".scale-question")
    assert f"0 = {scale['low_label']}" in texts(facilitator, ".anchor-low")
    assert texts(facilitator, ".decision-note") == [board["decision"]["note"]]
    (minutes,) = board["minutes"]
    assert texts(facilitator, ".minutes-title") == [f"Minutes 1: {minutes['label']}"]
    said = set(texts(facilitator, "[data-role=signoffs] li"))
    for signoff in minutes["signoffs"]:
        if signoff["stance"] == "disagree":
            assert f"{signoff['name']} does not agree: {signoff['reason']}" in said
    assert_inert(facilitator, "the facilitator's board")

    # The meeting-room screen, joined with a name that is a payload.
    room = screens.open(**PROJECTOR)
    room.goto(meeting.links["display"])
    room.fill("input[name=name]", names[-3])
    room.locator("[data-role=join-form] [type=submit]").click()
    expect(room.locator("[data-role=connection]")).to_have_attribute("data-state", "connected")
    expect(room.locator("[data-role=title]")).to_have_text(collapsed(page_title))
    assert_cards_shown(room, cards, "display")
    assert sorted(texts(room, ".vote-table .reason-text")) == sorted(
        v["reason"] for v in round_["votes"] if v["reason"]
    )
    assert texts(room, ".decision-note") == [board["decision"]["note"]]
    assert_inert(room, "the display")

    # The minutes page: the board as it was frozen, every name and reason in it. It is
    # HTML from the server, whose parser reads a CR LF as one LF.
    facilitator.goto(f"{server.url}/m/{meeting.id}/minutes/1")
    frozen = facilitator.evaluate("document.body.textContent")
    missing = [
        text
        for text in [
            collapsed(meeting.title),
            minutes["label"],
            board["decision"]["note"],
            # the cards written before the minutes were taken (not the page's sample)
            *(card["text"] for card in cards if card["id"].startswith("c_xss")),
            *(v["name"] for v in round_["votes"]),
            *(v["reason"] for v in round_["votes"] if v["reason"]),
            *(s["reason"] for s in minutes["signoffs"] if s["reason"]),
        ]
        if text.replace("\r\n", "\n") not in frozen
    ]
    assert missing == []
    assert_inert(facilitator, "the minutes page")

    # Meetings titled with payloads: the join page and the board say the title as text.
    for titled in meeting.titled:
        title = meeting.board(titled["id"])["meeting"]["title"]
        facilitator.goto(titled["links"]["participant"])
        expect(facilitator.locator("[data-role=join-title]")).to_have_text(
            f"You are joining: {title}"
        )
        assert_inert(facilitator, f"the join page of {titled['id']}")
        # The joiner's cookies: the session's and the language chosen on joining.
        cookies = [part.split("=", 1) for part in titled["cookie"].split("; ")]
        facilitator.context.add_cookies(
            [{"name": name, "value": value, "url": server.url} for name, value in cookies]
        )
        facilitator.goto(f"{server.url}/m/{titled['id']}")
        expect(facilitator.locator("[data-role=title]")).to_have_text(title)
        assert facilitator.title() == f"{title} \N{EN DASH} Kinboard"
        expect(facilitator.locator("[data-role=connection]")).to_have_attribute(
            "data-state", "connected"
        )
        assert_inert(facilitator, f"the board of {titled['id']}")

    assert screens.problems == []
