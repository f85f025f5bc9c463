"""The minutes' and the plan's own words in the reader's language (Markdown, the page and
the PDF's HTML, "Our plan"), what people wrote exactly as they wrote it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from server import documents, i18n, minutes_markdown, plans
from server.board.model import Board, Outcome, Vocabulary
from server.board.roles import Role
from server.board.template import OUTCOME_LABELS, OVERALL_SCALE, ROLE_LABELS
from server.board.visibility import STAFF
from server.http import page_words
from server.http.web import TEMPLATES
from tests.support.catalogues import speaking
from tests.support.minutes import CARDS, TITLE, signed_board

POLISH = {
    "Minutes {number} ({status}), taken {taken}": (
        "Protokół {number} ({status}), sporządzony {taken}"
    ),
    "minutes status\x04agreed": "przyjęty",
    "Who was there": "Kto był obecny",
    "What was decided": "Co postanowiono",
    "Agreeing the minutes": "Przyjęcie protokołu",
    "{name} agreed": "{name} zgadza się",
    "{name} did not agree: {reason}": "{name} nie zgadza się: {reason}",
    "who: {name}": "kto: {name}",
    "said by {name}": "powiedział(a) {name}",
    "Next review: {day}": "Następny przegląd: {day}",
    "Marked agreed on {day}": "Przyjęto {day}",
    "SHA-256 of the minutes: {hash}": "SHA-256 protokołu: {hash}",
    "Name": "Imię",
    ROLE_LABELS[Role.PARENT]: "Rodzic lub opiekun",
    OUTCOME_LABELS[Outcome.CONTINUE]: "Kontynuujemy plan",
    OVERALL_SCALE[Vocabulary.SAFETY].question: "Gdzie jesteście na skali od 0 do 10?",
    OVERALL_SCALE[Vocabulary.SAFETY].low_label: "Na pewno stanie się krzywda",
    OVERALL_SCALE[Vocabulary.SAFETY].high_label: "Dzieci są bezpieczne",
    "Scale: {question}": "Skala: {question}",
    "Scale: %(question)s": "Skala: %(question)s",
    # The page's words (templates/minutes.html, templates/plan.html).
    "Minutes %(number)s": "Protokół %(number)s",
    "taken %(day)s": "sporządzony %(day)s",
    "Our plan": "Nasz plan",
    "We agreed this plan on %(day)s.": "Ten plan przyjęliśmy %(day)s.",
}


@pytest.fixture(autouse=True)
def polish(tmp_path: Path) -> Iterator[None]:
    with speaking(tmp_path, {"pl": POLISH}):
        yield


def view_of(board: Board, code: str) -> dict[str, Any]:
    minutes, body = board.minutes["1"], board.snapshots["1"].body
    return documents.minutes_view(minutes, body, STAFF, i18n.BY_CODE[code])


def test_markdown_minutes_have_their_fixed_words_in_polish_and_peoples_words_as_written() -> None:
    board = signed_board()
    md = minutes_markdown.to_markdown(view_of(board, "pl"))
    lines = md.splitlines()
    assert "Protokół 1 (przyjęty), sporządzony 2026-11-27: End of meeting" in lines
    assert "## Kto był obecny" in lines and "## Who was there" not in lines
    assert "- Sam (Rodzic lub opiekun)" in lines
    assert "- Kontynuujemy plan" in lines
    assert "- Następny przegląd: 2027-03-01" in lines
    assert "- Sam zgadza się" in lines
    assert "- Gran nie zgadza się: Dad was not asked" in lines  # her reason, as she wrote it
    assert f"SHA-256 protokołu: `{board.minutes['1'].hash}`" in lines
    assert "| Imię | Who | Number | Why |" in lines  # untranslated ones stay English
    assert lines[0] == "**OFFICIAL \N{EN DASH} SENSITIVE**"  # the UK marking, as written
    flat = md.replace("\\", "")
    assert "powiedział(a) School" in flat
    assert f"# {TITLE}" in lines
    for _, text, owner, _due in CARDS.values():
        assert text in flat
        if owner:
            assert f"kto: {owner}" in flat


def test_english_minutes_are_the_same_with_or_without_a_language() -> None:
    board = signed_board()
    minutes, body = board.minutes["1"], board.snapshots["1"].body
    english = minutes_markdown.to_markdown(documents.minutes_view(minutes, body, STAFF))
    assert english == minutes_markdown.to_markdown(view_of(board, "en"))
    assert "## Who was there" in english.splitlines()


def render(template: str, **context: Any) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    page_words.install(env)
    env.globals["exit_url"] = "https://www.bbc.co.uk/weather"
    return env.get_template(template).render(**context)


def test_the_minutes_page_and_pdf_html_are_in_the_views_language() -> None:
    view = view_of(signed_board(), "pl")
    page = render("minutes.html", **view, for_pdf=True, file_base="/m/x/minutes/1")
    assert '<html lang="pl" dir="ltr">' in page
    assert "Protokół 1" in page and "sporządzony 27 listopada 2026" in page
    assert "Kto był obecny" not in page or '<h2 id="people">' in page
    assert "Rodzic lub opiekun" in page  # roles through the view's role_of
    assert "End of meeting" in page


def test_the_overall_scales_words_are_the_readers_and_a_written_scales_as_written() -> None:
    view = view_of(signed_board(), "pl")
    lines = minutes_markdown.to_markdown(view).splitlines()
    assert "## Skala: Gdzie jesteście na skali od 0 do 10?" in lines
    assert "0 = Na pewno stanie się krzywda; 10 = Dzieci są bezpieczne" in lines
    assert "## Skala: How safe is Leo?" in lines and "0 = Not safe; 10 = Safe" in lines
    page = render("minutes.html", **view, for_pdf=True, file_base="/m/x/minutes/1")
    assert "Skala: <bdi" in page and "Gdzie jesteście na skali od 0 do 10?</bdi>" in page
    assert "Na pewno stanie się krzywda</bdi>" in page and "Dzieci są bezpieczne</bdi>" in page
    assert OVERALL_SCALE[Vocabulary.SAFETY].low_label not in page
    assert "How safe is Leo?</bdi>" in page and "Not safe</bdi>" in page


def test_our_plan_is_in_the_readers_language() -> None:
    board = signed_board()
    plan = plans.plan_view(board, STAFF, "pl")
    assert plan is not None and plan["decision_words"] == "Kontynuujemy plan"
    page = render(
        "plan.html",
        plan=plan,
        meeting=board.meeting,
        kept_until=None,
        staff=True,
        page_language=i18n.BY_CODE["pl"],
        words_json=i18n.client_words_json("pl"),
    )
    assert '<html lang="pl" dir="ltr">' in page
    assert "<h1>Nasz plan</h1>" in page
    assert "Ten plan przyjęliśmy" in page
