""" "Our plan in easy read": its page and PDF, for whoever may read "Our plan" (the family,
staff, the API key) and nobody else; the agreed plan's items as they were written, one a
line, each who / when a line of its own with its picture; large type in the PDF too."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from server.documents import MARKING
from tests.support.inprocess import KEY, Kin, joined
from tests.support.secrets import pdf_text

WORRY = "Ava was left alone at night"
STRENGTH = "Gran visits every Sunday"
# A long item, with lines of its own: shown whole, as it was written.
LONG = (
    "Mum calls Gran <b>before</b> she gets upset, and Gran comes round straight away "
    "or takes the children to hers for the night\nand they have tea together"
)
LONG_HTML = LONG.replace("<b>", "&lt;b&gt;").replace("</b>", "&lt;/b&gt;")
HELPER = "Jo the family support worker, 01632 960 123"
BOTTOM_LINE = "The children are never left alone with someone who has been drinking"
NEXT_STEP = "Book the parenting course"
DRAFT = "DRAFT-ONLY words nobody agreed"
HEADINGS = (
    "What we are worried about",
    "What is going well",
    "What we will do",
    "Who will help",
    "Things that must not happen",
    "What will happen next",
)


@pytest.fixture
def agreed(kin: Kin) -> dict[str, Any]:
    """A meeting whose minutes 1 are agreed, with later draft minutes; Sam came by the
    family link, Jo (a worker) by hers. The meeting is still open."""
    meeting = kin.new_meeting(title="Meeting for Ava")
    mid, links = meeting["id"], meeting["links"]
    priya = joined(kin.browser("203.0.113.1"), links["facilitator"], "Priya", None)
    sam, jo = kin.browser("203.0.113.2"), kin.browser("203.0.113.3")
    sam_id = joined(sam, links["participant"], "Sam", "parent")
    joined(jo, links["participant"], "Jo", "professional")
    for section, text, more in (
        ("danger", WORRY, {}),
        ("strengths", STRENGTH, {}),
        ("plan_rules", LONG, {"owner": "Gran", "due": "2027-01-15"}),
        ("plan_helpers", HELPER, {}),
        ("bottom_lines", BOTTOM_LINE, {"attributed_to": "Children's services"}),
        ("next_steps", NEXT_STEP, {"owner": "Sam", "due": "2027-02-01"}),
    ):
        kin.op(mid, priya, "card.add", section=section, text=text, **more)
    kin.op(mid, priya, "decision.set", outcome="continue", next_review="2027-03-01")
    kin.op(mid, priya, "minutes.take")
    kin.op(mid, priya, "minutes.agree", minutes=1)
    kin.op(mid, priya, "card.add", section="plan_rules", text=DRAFT)
    kin.op(mid, priya, "minutes.take")
    return {"id": mid, "sam": sam, "sam_id": sam_id, "jo": jo, "priya": priya}


def structure_tags(pdf: PdfReader) -> Counter[str]:
    """How many elements of each kind the PDF's structure tree holds (H1, LI, Figure...)."""
    kinds: Counter[str] = Counter()
    pending = [pdf.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if isinstance(node, ArrayObject):
            pending.extend(node)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                kinds[str(node["/S"])[1:]] += 1
            if "/K" in node:
                pending.append(node["/K"])
    return kinds


def font_sizes(body: bytes) -> dict[str, float]:
    """Each piece of the PDF's text, and the size in points it is drawn at."""
    sizes: dict[str, float] = {}

    def seen(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = round(size * abs(tm[3]) * abs(cm[3]), 1)

    for page in PdfReader(io.BytesIO(body)).pages:
        page.extract_text(visitor_text=seen)
    return sizes


def test_a_parent_reads_the_easy_read_plan_one_item_a_line_with_who_and_when(
    kin: Kin, agreed: dict[str, Any]
) -> None:
    mid, sam = agreed["id"], agreed["sam"]
    assert f'href="/m/{mid}/plan/easy-read"' in sam.get(f"/m/{mid}/plan").text
    page = sam.get(f"/m/{mid}/plan/easy-read")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Our plan in easy read</h1>" in html
    for heading in HEADINGS:
        assert f">{heading}</h2>" in html, heading
    # Nobody wrote what would go under these: they are left out.
    assert "Signs that things are not OK" not in html
    # People's words as they wrote them (escaped, their lines kept), each an item of its own.
    items = re.findall(r'<li class="er-item" data-role="easy-read-item">(.*?)</li>', html, re.S)
    assert len(items) == 6
    long_item = next(item for item in items if "straight away" in item)
    assert f'<p class="er-text" dir="auto">{LONG_HTML}</p>' in long_item
    # Who and when: lines of their own, each with its picture first.
    who = re.search(r'<p class="er-row" data-role="easy-read-who">(.*?)</p>', long_item)
    assert who is not None and who.group(1).startswith('<img class="er-picture')
    assert 'Who: <bdi dir="auto">Gran</bdi>' in who.group(1)
    assert "When: by 15 January 2027" in long_item
    assert 'Who said this: <bdi dir="auto">Children&#39;s services</bdi>' in html
    assert "We will keep going with the plan." in html
    assert "Our next meeting is on 1 March 2027." in html
    assert "We agreed it on" in html and DRAFT not in html
    # Every picture is a bundled one, decorative (its words are beside it).
    pictures = re.findall(r"<img [^>]*>", html)
    assert len(pictures) >= 10
    for picture in pictures:
        assert re.search(r'src="/static/pictures/[0-9A-F]+\.svg" alt=""', picture), picture
    assert "Pictures: OpenMoji (openmoji.org), CC BY-SA 4.0" in html
    assert 'data-role="quick-exit"' in html
    assert f'href="/m/{mid}/plan/easy-read.pdf"' in html
    assert any(
        e["event"] == "plan.viewed" and e.get("easy_read") and e["by"] == agreed["sam_id"]
        for e in kin.audit(mid)
    )


def test_the_easy_read_pdf_has_the_items_in_large_type(
    kin: Kin, agreed: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    mid = agreed["id"]
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        answer = agreed["sam"].get(f"/m/{mid}/plan/easy-read.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="kinboard-meeting-for-ava-'
        f'{kin.board(mid).minutes["1"].agreed_at[:10]}-our-plan-easy-read-1.pdf"'
    )
    text = " ".join(pdf_text(answer.content).split())
    for words in (*HEADINGS, WORRY, STRENGTH, HELPER, BOTTOM_LINE, NEXT_STEP):
        assert words in text, words
    assert "Mum calls Gran <b>before</b> she gets upset" in text
    assert "Who: Gran" in text and "When: by 15 January 2027" in text
    assert "Our next meeting is on 1 March 2027." in text
    assert "Pictures: OpenMoji (openmoji.org), CC BY-SA 4.0" in text
    assert DRAFT not in text
    # The pictures (the bundled SVGs) are drawn in it, and nothing is small but the marking.
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []
    # Tagged (PDF/UA-1), in English, with its headings and list items in reading order and
    # the pictures drawn beside them as backgrounds, not figures a screen reader stops at.
    pdf = PdfReader(io.BytesIO(answer.content))
    assert pdf.trailer["/Root"]["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert pdf.trailer["/Root"]["/Lang"] == "en"
    tags = structure_tags(pdf)
    assert tags["H1"] == 1 and tags["LI"] >= 4 and "Figure" not in tags
    assert len(pdf.pages[0]["/Resources"]["/XObject"]) >= 10
    sizes = font_sizes(answer.content)
    assert sizes.pop(MARKING) >= 10  # the marking, at the top of each page
    assert any(LONG[:20] in words for words in sizes)
    small = {words: size for words, size in sizes.items() if size < 18}
    assert not small
    assert any(e["event"] == "plan.downloaded" and e.get("easy_read") for e in kin.audit(mid))


def test_the_easy_read_plan_is_refused_to_whoever_may_not_read_the_plan(
    kin: Kin, agreed: dict[str, Any]
) -> None:
    mid = agreed["id"]
    kin.op(mid, agreed["priya"], "meeting.close")
    jo, stranger = agreed["jo"], kin.browser("198.51.100.66")
    for browser in (jo, stranger):
        for url in (f"/m/{mid}/plan", f"/m/{mid}/plan/easy-read", f"/m/{mid}/plan/easy-read.pdf"):
            answer = browser.get(url)
            assert answer.status_code == 403, (url, answer.text)
            assert "please open the link the facilitator gave you" in answer.text
            assert WORRY not in answer.text
    # The family still read it after the close; the API key reads it too.
    assert agreed["sam"].get(f"/m/{mid}/plan/easy-read").status_code == 200
    assert agreed["sam"].get(f"/m/{mid}/plan/easy-read.pdf").status_code == 200
    assert kin.client.get(f"/m/{mid}/plan/easy-read", headers=KEY).status_code == 200


def test_before_any_minutes_are_agreed_the_easy_read_page_says_so(kin: Kin) -> None:
    meeting = kin.new_meeting(title="Meeting for Leo")
    mid, links = meeting["id"], meeting["links"]
    priya = joined(kin.browser("203.0.113.9"), links["facilitator"], "Priya", None)
    sam = kin.browser("203.0.113.10")
    joined(sam, links["participant"], "Sam", "parent")
    kin.op(mid, priya, "card.add", section="plan_rules", text=DRAFT)
    kin.op(mid, priya, "minutes.take")
    page = sam.get(f"/m/{mid}/plan/easy-read")
    assert page.status_code == 200
    assert "There is no agreed plan yet." in page.text and DRAFT not in page.text
    assert sam.get(f"/m/{mid}/plan/easy-read.pdf").status_code == 404


def test_the_easy_read_plan_speaks_the_readers_language_and_keeps_their_words(
    kin: Kin, agreed: dict[str, Any]
) -> None:
    mid, sam = agreed["id"], agreed["sam"]
    kin.op(mid, agreed["sam_id"], "participant.language", language="pl")  # chosen on the board
    page = sam.get(f"/m/{mid}/plan/easy-read").text
    assert '<html lang="pl" dir="ltr">' in page
    assert ">Co nas martwi</h2>" in page and ">Kto pomoże</h2>" in page
    assert 'Kto: <bdi dir="auto">Gran</bdi>' in page
    assert f'<p class="er-text" dir="auto">{LONG_HTML}</p>' in page  # as it was written
    pdf = " ".join(pdf_text(sam.get(f"/m/{mid}/plan/easy-read.pdf").content).split())
    assert "Co nas martwi" in pdf and "Kto: Gran" in pdf and WORRY in pdf
    kin.op(mid, agreed["sam_id"], "participant.language", language="ar")
    arabic = sam.get(f"/m/{mid}/plan/easy-read").text
    assert '<html lang="ar" dir="rtl">' in arabic and ">ما يقلقنا</h2>" in arabic
