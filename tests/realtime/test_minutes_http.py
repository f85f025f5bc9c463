"""Minutes over the wire: a real server process (with an API key) and real Socket.IO clients.

Ops go through the real transport; the minutes are read back as the page, PDF, JSON and
Markdown, with their access rules and headers; and review meetings start from them.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import io
import json
import re
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from server.board.minutes_content import canonical
from server.board.model import Outcome
from server.board.template import OUTCOME_LABELS, REVIEW_PROMPTS
from tests.support.harness import API_KEY, Client, ServerProcess

KEY = {"Authorization": f"Bearer {API_KEY}"}
MARKING = "OFFICIAL \N{EN DASH} SENSITIVE"
TITLE = "Family meeting for Ava"
XSS = "<img src=x onerror=alert(1)>"
REASON = "Dad was not asked <script>alert(2)</script>"

# The cards of `room`: key -> (section, text, owner, due), added by the named client.
CARDS: dict[str, tuple[str, str, str | None, str | None]] = {
    "c_xss": ("harm", XSS, None, None),
    "c_walks": ("strengths", "Gran walks them to school every day", None, None),
    "c_step": ("next_steps", "Sam books a GP appointment for Leo", "Sam", "2026-12-15"),
    "c_rule": ("plan_rules", "No drinking when the children are home", "Dad", "2026-12-31"),
    "c_help": ("plan_helpers", "Gran on 07700 900123, any time", "Gran", None),
}
ADDED_BY = {
    "c_xss": "facilitator",
    "c_walks": "parent",
    "c_step": "parent",
    "c_rule": "gran",
    "c_help": "gran",
}
FORMATS = ["", ".pdf", ".json", ".md"]


def create_meeting(server: ServerProcess, title: str = TITLE) -> dict[str, Any]:
    answer = httpx.post(f"{server.url}/api/meetings", json={"title": title}, headers=KEY)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def get(
    server: ServerProcess, path: str, cookie: str | None = None, key: bool = False
) -> httpx.Response:
    headers = dict(KEY) if key else {}
    if cookie is not None:
        headers["Cookie"] = cookie
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        return await http.get(path, headers=headers)


async def post_review(
    server: ServerProcess, meeting_id: str, cookie: str | None = None, key: bool = False
) -> httpx.Response:
    headers = dict(KEY) if key else {}
    if cookie is not None:
        headers["Cookie"] = cookie
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        return await http.post(f"/api/meetings/{meeting_id}/review", headers=headers)


async def ok(client: Client, op_type: str, **fields: Any) -> dict[str, Any]:
    ack = await client.op(op_type, **fields)
    assert ack["ok"] is True, (op_type, ack)
    return ack


async def refused(client: Client, op_type: str, code: str, **fields: Any) -> None:
    ack = await client.op(op_type, **fields)
    assert (ack["ok"], ack.get("code")) == (False, code), (op_type, ack)


def overall_scale(client: Client) -> str:
    assert client.state is not None
    return next(s["id"] for s in client.state["board"]["scales"] if s["overall"])


async def add_cards(room: dict[str, Any]) -> None:
    for card_id, (section, text, owner, due) in CARDS.items():
        fields: dict[str, Any] = {"section": section, "text": text, "card_id": card_id}
        if owner is not None:
            fields["owner"] = owner
        if due is not None:
            fields["due"] = due
        await ok(room[ADDED_BY[card_id]], "card.add", **fields)


async def reveal_round(room: dict[str, Any], parent: int = 7, gran: int = 3) -> None:
    facilitator: Client = room["facilitator"]
    scale = overall_scale(facilitator)
    await ok(facilitator, "round.open", scale_id=scale)
    await ok(room["parent"], "vote.cast", scale_id=scale, value=parent, reason="He goes to school")
    await ok(room["gran"], "vote.cast", scale_id=scale, value=gran, reason="Dad still drinks")
    await ok(facilitator, "round.reveal", scale_id=scale)


@pytest.fixture
async def room(room: dict[str, Any]) -> dict[str, Any]:
    """The people of a meeting (tests/realtime/conftest.py), and a board with a card in the
    map and the plan, one revealed round and the decision."""
    room = {**room, "id": room["meeting"]["id"]}
    await add_cards(room)
    await reveal_round(room)
    await ok(
        room["facilitator"],
        "decision.set",
        outcome="step_down",
        next_review="2027-03-01",
        note="We meet again in March",
    )
    return room


async def take_and_sign(room: dict[str, Any], label: str = "End of meeting") -> int:
    """Minutes taken (their number), Sam agreeing and Gran disagreeing with a reason."""
    ack = await ok(room["facilitator"], "minutes.take", label=label)
    board = (await get(room["server"], f"/api/meetings/{room['id']}", key=True)).json()
    number = max(m["number"] for m in board["minutes"])
    await ok(room["parent"], "minutes.sign", minutes=number, stance="agree")
    await ok(room["gran"], "minutes.sign", minutes=number, stance="disagree", reason=REASON)
    assert ack["seq"] > 0
    return number


def squashed(text: str) -> str:
    """Text without any whitespace: PDF text extraction breaks lines where it likes."""
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def footer_hash(page: str) -> str:
    found = re.search(r'<code data-role="hash">([0-9a-f]{64})</code>', page)
    assert found, "the page shows the hash in its footer"
    return found.group(1)


# --- the ops over the transport -------------------------------------------------------------


async def test_minutes_are_announced_without_their_content(room: dict[str, Any]) -> None:
    facilitator: Client = room["facilitator"]
    parent: Client = room["parent"]
    ack = await ok(facilitator, "minutes.take", label="End of meeting")
    await parent.wait_for(lambda: any(r["seq"] == ack["seq"] for r in parent.applied()))
    record = next(r for r in parent.applied() if r["seq"] == ack["seq"])
    (change,) = record["changes"]
    assert (change["entity"], change["id"]) == ("minutes", "1")
    value = change["value"]
    assert (value["number"], value["status"], value["label"]) == (1, "draft", "End of meeting")
    assert re.fullmatch(r"[0-9a-f]{64}", value["hash"])
    assert value["taken_by"] == facilitator.me["id"] and value["signoffs"] == []
    text = json.dumps(record)
    for _, card_text, _, _ in CARDS.values():
        assert card_text not in text
    assert "He goes to school" not in text


async def test_signing_and_agreeing_over_the_transport(room: dict[str, Any]) -> None:
    facilitator: Client = room["facilitator"]
    await ok(facilitator, "meeting.lock")  # the usual end of a meeting
    await ok(facilitator, "minutes.take")
    await refused(facilitator, "decision.set", "locked", outcome="close")
    await refused(room["display"], "minutes.sign", "forbidden", minutes=1, stance="agree")
    await refused(room["parent"], "minutes.sign", "not_found", minutes=2, stance="agree")
    await refused(room["parent"], "minutes.sign", "invalid", minutes=1, stance="disagree")
    await refused(room["parent"], "minutes.agree", "forbidden", minutes=1)
    await refused(room["parent"], "minutes.take", "forbidden")
    await ok(room["parent"], "minutes.sign", minutes=1, stance="disagree", reason="Not yet")
    await ok(room["parent"], "minutes.sign", minutes=1, stance="agree")  # replaces
    await ok(room["gran"], "minutes.sign", minutes=1, stance="agree")
    ack = await ok(facilitator, "minutes.agree", minutes=1)
    await refused(room["gran"], "minutes.sign", "invalid", minutes=1, stance="agree")
    await room["gran"].wait_for(lambda: any(r["seq"] == ack["seq"] for r in room["gran"].applied()))
    board = (await get(room["server"], f"/api/meetings/{room['id']}", key=True)).json()
    (minutes,) = board["minutes"]
    assert (minutes["status"], minutes["agreed_by"]) == ("agreed", facilitator.me["id"])
    assert [(s["name"], s["role"], s["stance"]) for s in minutes["signoffs"]] == [
        ("Sam", "parent", "agree"),
        ("Gran", "network", "agree"),
    ]
    assert board["decision"]["outcome"] == "step_down"


# --- the four outputs -----------------------------------------------------------------------


async def test_the_outputs_are_private_downloads_named_after_meeting_and_date(
    room: dict[str, Any],
) -> None:
    await take_and_sign(room)
    base = f"/m/{room['id']}/minutes/1"
    taken_at = (await get(room["server"], base + ".json", room["parent"].cookie)).json()["minutes"][
        "taken_at"
    ]
    stem = f"kinboard-family-meeting-for-ava-{taken_at[:10]}-minutes-1"
    expected = {
        "": ("text/html", None),
        ".pdf": ("application/pdf", f'attachment; filename="{stem}.pdf"'),
        ".json": ("application/json", f'attachment; filename="{stem}.json"'),
        ".md": ("text/markdown", f'attachment; filename="{stem}.md"'),
    }
    for suffix, (media, disposition) in expected.items():
        answer = await get(room["server"], base + suffix, room["parent"].cookie)
        assert answer.status_code == 200, (suffix, answer.text[:300])
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["content-type"].startswith(media)
        assert answer.headers.get("content-disposition") == disposition
        assert answer.headers["x-content-type-options"] == "nosniff"
    listing = await get(
        room["server"], f"/api/meetings/{room['id']}/minutes", room["parent"].cookie
    )
    assert listing.headers["cache-control"] == "no-store"


async def test_the_json_hash_recomputes_and_is_the_one_on_the_page(room: dict[str, Any]) -> None:
    await take_and_sign(room)
    server, cookie = room["server"], room["parent"].cookie
    document = (await get(server, f"/m/{room['id']}/minutes/1.json", cookie)).json()
    recomputed = hashlib.sha256(canonical(document["content"]).encode("utf-8")).hexdigest()
    assert recomputed == document["minutes"]["sha256"]
    page = (await get(server, f"/m/{room['id']}/minutes/1", cookie)).text
    assert footer_hash(page) == recomputed
    markdown = (await get(server, f"/m/{room['id']}/minutes/1.md", cookie)).text
    assert f"`{recomputed}`" in markdown
    board = (await get(server, f"/api/meetings/{room['id']}", cookie)).json()
    assert board["minutes"][0]["hash"] == recomputed
    listing = (await get(server, f"/api/meetings/{room['id']}/minutes", cookie)).json()
    assert listing["minutes"][0]["hash"] == recomputed
    # The content is what the board was, by name.
    content = document["content"]
    cards = {
        card["id"]: card
        for column in content["columns"]
        for section in column["sections"]
        for card in section["cards"]
    }
    assert set(cards) == set(CARDS)
    for card_id, (_, text, owner, due) in CARDS.items():
        assert (cards[card_id]["text"], cards[card_id]["owner"], cards[card_id]["due"]) == (
            text,
            owner,
            due,
        )
    # Everyone who joined, with their role; not the meeting room screen.
    assert sorted((p["name"], p["role"]) for p in content["people"]) == [
        ("Gran", "network"),
        ("Priya", "facilitator"),
        ("Sam", "parent"),
    ]
    (round_,) = content["scales"][0]["rounds"]
    assert [(v["name"], v["role"], v["value"], v["reason"]) for v in round_["votes"]] == [
        ("Sam", "parent", 7, "He goes to school"),
        ("Gran", "network", 3, "Dad still drinks"),
    ]
    assert content["decision"]["outcome"] == "step_down"
    assert [(s["name"], s["stance"], s["reason"]) for s in document["minutes"]["signoffs"]] == [
        ("Sam", "agree", None),
        ("Gran", "disagree", REASON),
    ]


async def test_the_pdf_has_every_card_the_decision_and_the_signoffs(room: dict[str, Any]) -> None:
    await take_and_sign(room)
    await ok(room["facilitator"], "minutes.agree", minutes=1)
    answer = await get(room["server"], f"/m/{room['id']}/minutes/1.pdf", room["parent"].cookie)
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF-")
    text = squashed(pdf_text(answer.content))
    for _, card_text, owner, due in CARDS.values():
        assert squashed(card_text) in text, card_text
        if owner:
            assert squashed(f"who: {owner}") in text
        if due:
            assert squashed(f"by {due}") in text
    assert squashed(OUTCOME_LABELS[Outcome.STEP_DOWN]) in text
    assert squashed("Next review: 1 March 2027") in text
    assert squashed("We meet again in March") in text
    assert squashed("Sam agreed") in text
    assert squashed(f"Gran did not agree, because: {REASON}") in text
    assert squashed("He goes to school") in text and squashed("Dad still drinks") in text
    assert squashed(MARKING) in text
    assert squashed("Page 1 of") in text
    document = (await get(room["server"], f"/m/{room['id']}/minutes/1.json", key=True)).json()
    assert document["minutes"]["sha256"] in text


async def test_the_page_is_marked_printable_and_escapes_user_text(room: dict[str, Any]) -> None:
    await take_and_sign(room)
    answer = await get(room["server"], f"/m/{room['id']}/minutes/1", room["parent"].cookie)
    page = answer.text
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    # The marking at the top, before the heading, and in the footer.
    top = page.index('class="marking marking-top"')
    assert top < page.index("<h1 ") < page.index("<footer")
    footer = page[page.index("<footer") :]
    assert MARKING in page[top : page.index("<h1 ")] and MARKING in footer
    # User text is text, not markup.
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert html.escape(XSS, quote=False) in page
    assert html.escape(REASON, quote=False) in page
    # Names in a <bdi>: their own direction, whatever the page's.
    assert "Gran</bdi> did not agree, because:" in page and "Sam</bdi> agreed" in page
    assert OUTCOME_LABELS[Outcome.STEP_DOWN] in html.unescape(page)
    # A print stylesheet with page numbers, and a way to save a copy.
    assert '<link rel="stylesheet" href="/print/minutes.css">' in page
    assert f'href="/m/{room["id"]}/minutes/1.pdf"' in page and "Save my copy" in page
    css = (await get(room["server"], "/print/minutes.css")).text
    assert "@page" in css and "counter(page)" in css and "@media print" in css
    assert "OFFICIAL \\2013  SENSITIVE" in css


async def test_the_markdown_escapes_user_markup(room: dict[str, Any]) -> None:
    await take_and_sign(room)
    markdown = (await get(room["server"], f"/m/{room['id']}/minutes/1.md", key=True)).text
    assert markdown.startswith(f"**{MARKING}**") and markdown.rstrip().endswith(f"**{MARKING}**")
    assert r"\<img src=x onerror=alert\(1\)\>" in markdown
    assert not re.search(r"(?<!\\)[<>]", markdown)  # no unescaped angle bracket at all
    assert "Gran did not agree: Dad was not asked \\<script\\>" in markdown


async def test_the_api_lists_minutes_with_working_links(room: dict[str, Any]) -> None:
    await take_and_sign(room)
    await ok(room["facilitator"], "minutes.agree", minutes=1)
    await take_and_sign(room, label="After the break")
    server = room["server"]
    listing = (await get(server, f"/api/meetings/{room['id']}/minutes", key=True)).json()
    first, second = listing["minutes"]
    assert (first["number"], first["status"], first["label"]) == (1, "agreed", "End of meeting")
    assert (second["number"], second["status"], second["label"]) == (2, "draft", "After the break")
    assert first["hash"] != second["hash"]
    base = f"{server.url}/m/{room['id']}/minutes/2"
    assert second["urls"] == {
        "html": base,
        "pdf": f"{base}.pdf",
        "json": f"{base}.json",
        "md": f"{base}.md",
    }
    for url in second["urls"].values():
        answer = await get(server, url.removeprefix(server.url), room["gran"].cookie)
        assert answer.status_code == 200, url


# --- access ---------------------------------------------------------------------------------

OUTPUTS = [
    "/m/{id}/minutes/1",
    "/m/{id}/minutes/1.pdf",
    "/m/{id}/minutes/1.json",
    "/m/{id}/minutes/1.md",
    "/api/meetings/{id}/minutes",
]


@pytest.mark.parametrize("path", OUTPUTS)
async def test_minutes_are_for_the_meetings_participants_and_the_api_key(
    room: dict[str, Any], path: str
) -> None:
    await ok(room["facilitator"], "minutes.take")
    server = room["server"]
    url = path.format(id=room["id"])
    other = create_meeting(server, "Another family")
    stranger = await Client.join(
        server.url, other["links"]["participant"], "Eve", role="parent", connect=False
    )
    # No session, a session of another meeting, that session under this meeting's cookie
    # name: 403; a wrong API key: 401; and nothing of the minutes.
    borrowed = stranger.cookie.replace(f"kb_{other['id']}=", f"kb_{room['id']}=")
    assert borrowed != stranger.cookie
    for cookie in (None, stranger.cookie, borrowed):
        answer = await get(server, url, cookie)
        assert answer.status_code == 403, (cookie, answer.status_code)
        assert "content-disposition" not in answer.headers
        assert CARDS["c_walks"][1] not in answer.text
        assert answer.headers["cache-control"] == "no-store"
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        wrong = await http.get(url, headers={"Authorization": "Bearer " + "w" * 32})
    assert wrong.status_code == 401
    assert CARDS["c_walks"][1] not in wrong.text
    for cookie, key in ((None, True), (room["parent"].cookie, False)):
        answer = await get(server, url, cookie, key=key)
        assert answer.status_code == 200, (key, answer.text[:300])
        assert answer.headers["cache-control"] == "no-store"


async def test_an_unknown_minutes_number_is_404(room: dict[str, Any]) -> None:
    await ok(room["facilitator"], "minutes.take")
    server = room["server"]
    for number in ("2", "0", "99999999999999999999"):
        for suffix in FORMATS:
            url = f"/m/{room['id']}/minutes/{number}{suffix}"
            for cookie, key in ((room["parent"].cookie, False), (None, True)):
                answer = await get(server, url, cookie, key=key)
                assert answer.status_code == 404, (url, key, answer.status_code)
                assert "content-disposition" not in answer.headers
    for suffix in FORMATS:
        answer = await get(server, f"/m/no-such-meeting/minutes/1{suffix}", key=True)
        assert answer.status_code == 404


async def test_minutes_before_any_are_taken_are_404_and_the_listing_is_empty(
    room: dict[str, Any],
) -> None:
    server = room["server"]
    for suffix in FORMATS:
        answer = await get(server, f"/m/{room['id']}/minutes/1{suffix}", room["parent"].cookie)
        assert answer.status_code == 404
    listing = await get(server, f"/api/meetings/{room['id']}/minutes", room["parent"].cookie)
    assert (listing.status_code, listing.json()) == (200, {"minutes": []})


@pytest.mark.parametrize(
    "suffix",
    [
        ".exe",
        ".html",
        ".PDF",
        ".Json",
        ".pdf.exe",
        ".txt",
        ".js",
        ".svg",
        ".md.",
        "pdf",
        ".",
        "/pdf",
    ],
)
async def test_a_bad_extension_is_404(room: dict[str, Any], suffix: str) -> None:
    await ok(room["facilitator"], "minutes.take")
    answer = await get(room["server"], f"/m/{room['id']}/minutes/1{suffix}", room["parent"].cookie)
    assert answer.status_code == 404, answer.status_code
    assert "content-disposition" not in answer.headers
    assert CARDS["c_walks"][1] not in answer.text


# --- frozen ---------------------------------------------------------------------------------


async def test_the_served_minutes_never_change(room: dict[str, Any]) -> None:
    await take_and_sign(room)
    server, cookie = room["server"], room["parent"].cookie
    before_json = (await get(server, f"/m/{room['id']}/minutes/1.json", cookie)).json()
    before_md = (await get(server, f"/m/{room['id']}/minutes/1.md", cookie)).text
    facilitator: Client = room["facilitator"]
    await ok(room["parent"], "card.edit", card_id="c_walks", text="EDITED-AFTER")
    await ok(room["gran"], "card.edit", card_id="c_rule", owner="NEW-OWNER", due="2030-01-01")
    await ok(room["gran"], "card.move", card_id="c_help", section="danger", after=None)
    await ok(facilitator, "card.delete", card_id="c_xss")
    await ok(facilitator, "card.add", section="goals", text="ADDED-AFTER")
    await ok(facilitator, "meeting.edit", title="RENAMED-AFTER")
    await ok(facilitator, "decision.set", outcome="escalate", note="CHANGED-AFTER")
    after_json = (await get(server, f"/m/{room['id']}/minutes/1.json", cookie)).json()
    assert after_json["content"] == before_json["content"]
    assert after_json["minutes"]["sha256"] == before_json["minutes"]["sha256"]
    assert (await get(server, f"/m/{room['id']}/minutes/1.md", cookie)).text == before_md
    page = (await get(server, f"/m/{room['id']}/minutes/1", cookie)).text
    assert footer_hash(page) == before_json["minutes"]["sha256"]
    for marker in ("EDITED-AFTER", "NEW-OWNER", "ADDED-AFTER", "RENAMED-AFTER", "CHANGED-AFTER"):
        assert marker not in page
    assert html.escape(XSS, quote=False) in page
    # The file keeps the name it was taken under.
    pdf = await get(server, f"/m/{room['id']}/minutes/1.pdf", cookie)
    assert "family-meeting-for-ava" in pdf.headers["content-disposition"]
    # New minutes record the changed board.
    await ok(facilitator, "minutes.take")
    second = (await get(server, f"/m/{room['id']}/minutes/2.json", cookie)).json()
    text = json.dumps(second["content"])
    for marker in ("EDITED-AFTER", "NEW-OWNER", "ADDED-AFTER", "RENAMED-AFTER", "CHANGED-AFTER"):
        assert marker in text
    assert second["minutes"]["sha256"] != before_json["minutes"]["sha256"]


# --- review meetings ------------------------------------------------------------------------


def cards_by_text(board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {card["text"]: card for card in board["cards"]}


async def test_a_review_needs_minutes(room: dict[str, Any]) -> None:
    answer = await post_review(room["server"], room["id"], room["facilitator"].cookie)
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid")
    answer = await post_review(room["server"], room["id"], key=True)
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid")


async def test_only_the_facilitator_or_the_api_key_starts_a_review(room: dict[str, Any]) -> None:
    await ok(room["facilitator"], "minutes.take")
    server = room["server"]
    other = create_meeting(server, "Another family")
    other_facilitator = await Client.join(
        server.url, other["links"]["facilitator"], "Olu", connect=False
    )
    borrowed = other_facilitator.cookie.replace(f"kb_{other['id']}=", f"kb_{room['id']}=")
    for cookie in (
        room["parent"].cookie,
        room["gran"].cookie,
        room["display"].cookie,
        None,
        other_facilitator.cookie,
        borrowed,
    ):
        answer = await post_review(server, room["id"], cookie)
        assert answer.status_code == 403, (cookie, answer.text)
        assert answer.json()["error"]["code"] == "forbidden"
    unknown = await post_review(server, "no-such-meeting", key=True)
    assert unknown.status_code == 404
    for cookie, key in ((room["facilitator"].cookie, False), (None, True)):
        answer = await post_review(server, room["id"], cookie, key=key)
        assert answer.status_code == 201, answer.text
        assert answer.headers["cache-control"] == "no-store"
        made = answer.json()
        assert set(made) == {"id", "family_id", "links"} and made["id"] != room["id"]
        assert set(made["links"]) == {"facilitator", "participant", "display"}
        assert all(link.startswith(f"{server.url}/join#") for link in made["links"].values())


async def test_the_review_starts_from_the_minutes_with_last_times_numbers(
    room: dict[str, Any],
) -> None:
    await take_and_sign(room)
    server = room["server"]
    made = (await post_review(server, room["id"], room["facilitator"].cookie)).json()
    board = (await get(server, f"/api/meetings/{made['id']}", key=True)).json()
    meeting = board["meeting"]
    assert (meeting["kind"], meeting["previous"], meeting["title"]) == (
        "review",
        room["id"],
        f"Review: {TITLE}",
    )
    cards = cards_by_text(board)
    assert set(cards) == {text for _, text, _, _ in CARDS.values()}
    for section, text, owner, due in CARDS.values():
        card = cards[text]
        assert (card["section"], card["owner"], card["due"]) == (section, owner, due)
        assert card["from_last_meeting"] is True
    (scale,) = board["scales"]
    assert scale["overall"] is True
    (point,) = scale["history"]
    document = (await get(server, f"/m/{room['id']}/minutes/1.json", key=True)).json()
    assert (point["meeting_id"], point["date"]) == (
        room["id"],
        document["minutes"]["taken_at"][:10],
    )
    assert [(v["name"], v["role"], v["value"]) for v in point["votes"]] == [
        ("Sam", "parent", 7),
        ("Gran", "network", 3),
    ]
    assert point["medians"] == {"family": 7, "network": 3}
    # Nobody has voted yet in the new meeting; nothing decided, no minutes, nobody joined.
    assert board["rounds"] == [] and board["decision"] is None and board["minutes"] == []
    assert board["participants"] == []
    # Joining it: the two review questions come with the template.
    parent = await Client.join(server.url, made["links"]["participant"], "Sam", role="parent")
    try:
        assert parent.state is not None
        assert parent.state["template"]["review_prompts"] == list(REVIEW_PROMPTS)
        assert len(REVIEW_PROMPTS) == 2
        state_cards = parent.state["board"]["cards"]
        assert len(state_cards) == len(CARDS)
        assert all(card["from_last_meeting"] for card in state_cards)
        assert parent.state["board"]["scales"][0]["history"][0]["medians"] == point["medians"]
    finally:
        await parent.close()


async def test_the_review_starts_from_the_last_agreed_minutes_not_a_later_draft(
    room: dict[str, Any],
) -> None:
    await take_and_sign(room)
    facilitator: Client = room["facilitator"]
    await ok(facilitator, "minutes.agree", minutes=1)
    # After minutes 1: a new card, a deleted card, other numbers; minutes 2 stays a draft.
    await ok(room["parent"], "card.add", section="goals", text="ONLY-IN-MINUTES-2")
    await ok(facilitator, "card.delete", card_id="c_walks")
    await reveal_round(room, parent=1, gran=10)
    await ok(facilitator, "minutes.take", label="Draft two")
    server = room["server"]
    made = (await post_review(server, room["id"], key=True)).json()
    board = (await get(server, f"/api/meetings/{made['id']}", key=True)).json()
    cards = cards_by_text(board)
    assert "ONLY-IN-MINUTES-2" not in cards
    assert CARDS["c_walks"][1] in cards
    assert set(cards) == {text for _, text, _, _ in CARDS.values()}
    (point,) = board["scales"][0]["history"]
    assert [v["value"] for v in point["votes"]] == [7, 3]
    assert point["medians"] == {"family": 7, "network": 3}


async def test_without_agreed_minutes_the_review_starts_from_the_last(
    room: dict[str, Any],
) -> None:
    facilitator: Client = room["facilitator"]
    await ok(facilitator, "minutes.take")
    await ok(room["parent"], "card.add", section="goals", text="ONLY-IN-MINUTES-2")
    await reveal_round(room, parent=1, gran=10)
    await ok(facilitator, "minutes.take")
    made = (await post_review(room["server"], room["id"], facilitator.cookie)).json()
    board = (await get(room["server"], f"/api/meetings/{made['id']}", key=True)).json()
    assert "ONLY-IN-MINUTES-2" in cards_by_text(board)
    (point,) = board["scales"][0]["history"]
    assert [v["value"] for v in point["votes"]] == [1, 10]
    assert point["medians"] == {"family": 1, "network": 10}


async def test_the_reviews_minutes_chart_each_groups_middle_number_over_the_meetings(
    room: dict[str, Any],
) -> None:
    await take_and_sign(room)
    server = room["server"]
    made = (await post_review(server, room["id"], room["facilitator"].cookie)).json()
    facilitator = await Client.join(server.url, made["links"]["facilitator"], "Priya")
    parent = await Client.join(server.url, made["links"]["participant"], "Sam", role="parent")
    try:
        scale = overall_scale(facilitator)
        await ok(facilitator, "round.open", scale_id=scale)
        await ok(parent, "vote.cast", scale_id=scale, value=9)
        await ok(facilitator, "vote.cast", scale_id=scale, value=4)
        await ok(facilitator, "round.reveal", scale_id=scale)
        await ok(facilitator, "minutes.take")
        page = (await get(server, f"/m/{made['id']}/minutes/1", key=True)).text
    finally:
        await facilitator.close()
        await parent.close()
    chart = page[page.index('data-role="trend"') : page.index("</figure>")]
    # Last time family 7 and network 3; this time family 9 and professionals 4.
    assert chart.count("<polyline") == 3
    assert "This meeting" in chart
    assert chart.count("<circle") == 4
    family = re.search(r'<polyline points="([^"]+)"[^>]*stroke="#E69F00"', chart)
    assert family is not None
    (x1, y1), (x2, y2) = (map(float, p.split(",")) for p in family.group(1).split())
    assert x2 > x1 and y2 < y1  # later, and higher on the 0-10 line: 7 then 9


# --- PDF renders: shared, cached, one at a time per meeting -------------------------------


def pdf_renders(server: ServerProcess, meeting_id: str) -> int:
    """How many PDFs the server has rendered for this meeting (one log line each)."""
    return server.log().count(f"rendered a PDF for meeting {meeting_id} ")


async def test_concurrent_pdf_requests_share_one_render_and_later_ones_get_the_same_bytes(
    room: dict[str, Any],
) -> None:
    await take_and_sign(room)
    path = f"/m/{room['id']}/minutes/1.pdf"
    screen = room["display"].cookie
    answers = await asyncio.gather(*(get(room["server"], path, screen) for _ in range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.content for a in answers}) == 1
    assert pdf_renders(room["server"], room["id"]) == 1
    again = await get(room["server"], path, room["parent"].cookie)
    assert again.content == answers[0].content
    assert pdf_renders(room["server"], room["id"]) == 1


async def test_a_pdf_is_rendered_again_once_its_signoffs_change(room: dict[str, Any]) -> None:
    await take_and_sign(room)
    path = f"/m/{room['id']}/minutes/1.pdf"
    draft = await get(room["server"], path, room["parent"].cookie)
    await ok(room["facilitator"], "minutes.agree", minutes=1)
    agreed = await get(room["server"], path, room["parent"].cookie)
    assert pdf_renders(room["server"], room["id"]) == 2
    assert draft.content != agreed.content
    assert squashed("Marked agreed") in squashed(pdf_text(agreed.content))
