"""Right to left in the minutes: people's own words keep their direction on any page (the
browser's `dir="auto"`, said outright for WeasyPrint), and Arabic and Urdu minutes PDFs are
laid out in Noto Naskh Arabic and Noto Nastaliq Urdu with their letters joined."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from typing import Any

import pytest
from pypdf import PdfReader

from server import documents
from server.board.languages import BY_CODE
from server.board.visibility import STAFF
from server.http.web import Web
from server.text_direction import direction_of
from tests.support.inprocess import BASE, Kin, joined

ARABIC_TITLE = "اجتماع عائلة أحمد"
# م stands alone, at the start, in the middle and at the end of a word here, and ل at the
# start and at the end: joined letters are drawn with a glyph for each place.
ARABIC_CARD = "الجدة تمشي معهم إلى المدرسة كل يوم"
POLISH_CARD = "Babcia odprowadza dzieci do szkoły."
URDU_CARD = "نانی بچوں کو ہر روز اسکول لے جاتی ہیں"


def test_the_direction_of_peoples_words_is_their_first_letter_that_has_one() -> None:
    assert direction_of(ARABIC_CARD) == "rtl"
    assert direction_of("اردو میں لکھا") == "rtl"
    assert direction_of(POLISH_CARD) == "ltr"
    assert direction_of("12, " + ARABIC_CARD + " Gran") == "rtl"
    assert direction_of("(7) Gran " + ARABIC_CARD) == "ltr"
    assert direction_of("12 + 3") == direction_of("") == direction_of(None) == "auto"


def minutes_html(kin: Kin, for_pdf: bool, lang: str = "en") -> str:
    """A meeting with an Arabic title, an Arabic, a Polish and an Urdu card; its minutes 1
    in `lang` as the minutes page (or the PDF's HTML) renders them."""
    meeting = kin.new_meeting(title=ARABIC_TITLE)
    facilitator = joined(kin.browser(), meeting["links"]["facilitator"], "Priya", None)
    for text in (ARABIC_CARD, POLISH_CARD, URDU_CARD):
        kin.op(meeting["id"], facilitator, "card.add", section="strengths", text=text)
    kin.op(meeting["id"], facilitator, "minutes.take")
    board = kin.board(meeting["id"])
    view: dict[str, Any] = documents.minutes_view(
        board.minutes["1"], board.snapshots["1"].body, STAFF, BY_CODE[lang]
    )
    template = Web(kin.services).templates.get_template("minutes.html")
    return template.render(**view, for_pdf=for_pdf, file_base="/m/x/minutes/1")


CARD_TEXT = re.compile(r'<span class="card-text" dir="(\w+)">([^<]*)</span>')


def card_dirs(html: str) -> dict[str, str]:
    return {text: direction for direction, text in CARD_TEXT.findall(html)}


def test_the_minutes_page_leaves_each_cards_direction_to_the_browser(kin: Kin) -> None:
    html = minutes_html(kin, for_pdf=False)
    assert card_dirs(html) == {ARABIC_CARD: "auto", POLISH_CARD: "auto", URDU_CARD: "auto"}
    assert f'<h1 dir="auto">{ARABIC_TITLE}</h1>' in html


@pytest.mark.parametrize(
    ("lang", "font", "card"),
    [("ar", "NotoNaskhArabic", ARABIC_CARD), ("ur", "NotoNastaliqUrdu", URDU_CARD)],
)
def test_arabic_and_urdu_minutes_pdfs_are_right_to_left_in_noto_with_joined_letters(
    kin: Kin, lang: str, font: str, card: str
) -> None:
    html = minutes_html(kin, for_pdf=True, lang=lang)
    assert f'<html lang="{lang}" dir="rtl">' in html
    # WeasyPrint has no dir="auto": each card's direction is written out.
    assert card_dirs(html) == {ARABIC_CARD: "rtl", POLISH_CARD: "ltr", URDU_CARD: "rtl"}
    assert f'<h1 dir="rtl">{ARABIC_TITLE}</h1>' in html
    pdf = PdfReader(io.BytesIO(documents.to_pdf(html, BASE)))
    # Tagged, in the page's language: a screen reader reads it in Arabic or Urdu.
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    assert pdf.trailer["/Root"]["/Lang"] == lang

    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert POLISH_CARD in text
    glyphs = glyphs_by_letter(pdf)
    assert font in glyphs, f"the fonts are {sorted(glyphs)}"
    # Joined: letters are drawn in their forms at the start, middle and end of words, so the
    # font draws more glyphs than the title and the card have letters.
    letters = set((ARABIC_TITLE + card).replace(" ", ""))
    drawn = set().union(*glyphs[font].values())
    assert len(drawn) > len(letters), (len(drawn), len(letters))
    if lang == "ar":  # (Nastaliq's glyphs do not map back to their letters one by one)
        assert ARABIC_TITLE in text and card in text
        assert set(card.replace(" ", "")) <= set(glyphs[font])
        assert len(glyphs[font]["م"]) >= 3 and len(glyphs[font]["ل"]) >= 2, glyphs[font]


def glyphs_by_letter(pdf: PdfReader) -> dict[str, dict[str, set[str]]]:
    """Each embedded font's letters (by its name, letters and digits only) and the glyphs
    drawn for each, from the font's ToUnicode map."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = re.sub(r"[^A-Za-z0-9]", "", str(font["/BaseFont"]).split("+")[-1])
            cmap = font["/ToUnicode"].get_object().get_data().decode()
            for glyph, code in re.findall(
                r"<([0-9a-f]+)>\s*<([0-9a-f]{4})>", cmap.split("endcodespacerange")[-1]
            ):
                found[name][chr(int(code, 16))].add(glyph)
    return found


def test_the_minutes_trend_runs_from_the_right_in_a_right_to_left_language() -> None:
    scale = {
        "history": [
            {"date": "2026-09-01", "medians": {"family": 3, "professionals": 2}},
            {"date": "2026-10-01", "medians": {"family": 5, "professionals": 4}},
        ],
        "rounds": [{"summary": {"groups": [{"group": "family", "median": 7}]}}],
    }
    labels = {"family": "Family", "network": "Network", "professionals": "Professionals"}
    ltr, rtl = (documents.trend_chart(scale, labels, code) for code in ("en", "ar"))
    assert ltr and rtl
    width = ltr["width"]
    assert [x for x, _ in rtl["x_labels"]] == [round(width - x, 1) for x, _ in ltr["x_labels"]]
    assert rtl["x_labels"][0][0] > rtl["x_labels"][-1][0]  # the oldest meeting on the right
    for left, right in zip(ltr["series"], rtl["series"], strict=True):
        assert [(round(width - x, 1), y) for x, y, _ in left["dots"]] == [
            (x, y) for x, y, _ in right["dots"]
        ]
    assert rtl["y_ticks"] == ltr["y_ticks"]
    # The numbers beside the lines: before them left to right, after them right to left.
    assert ltr["numbers"] == (4, "start") and ltr["numbers"][0] < ltr["grid"][0]
    assert rtl["numbers"] == (width - 4, "end") and rtl["numbers"][0] > rtl["grid"][1]
