"""An interpreter in real browsers: the facilitator makes Olga's link as an interpreter into
Polish in the Share panel; Olga translates a card from her board; Ewa, who joined in Polish,
sees the translation under the original, marked as Olga's, while Sam, who reads English, and
the room screen never get it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.harness import ServerProcess
from tests.support.pages import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    Screens,
    add_card,
    join,
    priyas_meeting,
    round_of,
    show_scales_tab,
    vote,
)

ORIGINAL = "Gran walks them to school"
POLISH = "Babcia odprowadza je do szkoły"
REASON = "He goes to school every day"
POLISH_REASON = "Chodzi codziennie do szkoły"
STATEMENT_PARTS = {
    "who": "Children's services",
    "happened": "Dad shouts",
    "worry": "Ava could be frightened",
    "likely": "likely",
}
POLISH_STATEMENT = "Służby martwią się, że Ava może się bać"


def olgas_link(office: Page) -> str:
    office.click("[data-role=share-toggle]")
    form = office.locator("[data-role=new-person-link]")
    form.locator("input[name=person-name]").fill("Olga")
    language = form.locator("select[name=person-language]")
    expect(language).to_be_hidden()  # only an interpreter's link names a language
    form.locator("select[name=person-role]").select_option("interpreter")
    language.select_option("pl")
    form.locator("[data-action=make-person-link]").click()
    row = office.locator("[data-role=people-links] [data-link-id]")
    expect(row).to_contain_text("Interpreter (Polski)")
    link = row.locator("input.link-input").input_value()
    office.click("[data-role=share-toggle]")
    return link


def test_an_interpreter_translates_a_card_and_a_polish_parent_sees_it_under_the_original(
    server: ServerProcess, screens: Screens
) -> None:
    priya, _, links = priyas_meeting(screens, server)
    olga_link = olgas_link(priya)
    sam, ewa, olga = screens.open(**PHONE), screens.open(**PHONE), screens.open(**LAPTOP)
    join(sam, links["participant"], "Sam", "parent")
    join(ewa, links["participant"], "Ewa", "parent", "pl")
    join(olga, olga_link, "", None)
    screen = screens.open(**PROJECTOR)
    join(screen, links["display"], "")

    add_card(priya, "strengths", ORIGINAL)
    card = olga.locator("[data-card-id]", has_text=ORIGINAL)
    expect(card).to_have_count(1)
    # An interpreter translates; she does not add, move or agree.
    expect(olga.locator("[data-action=add-card]").first).to_be_hidden()
    expect(card.locator("[data-action=agree]")).to_be_disabled()
    card.locator("[data-action=translate]").click()
    form = card.locator("[data-role=translate-form]")
    expect(form.locator("label")).to_contain_text("Polish")
    form.locator("textarea").fill(POLISH)
    form.locator("[data-action=save-translation]").click()
    expect(form).to_have_count(0)
    expect(card.locator("[data-action=translate]")).to_be_focused()

    for page in (ewa, olga, priya):
        shown = page.locator("[data-card-id]", has_text=ORIGINAL)
        expect(shown.locator(".card-text")).to_have_text(ORIGINAL)  # the original stays
        translation = shown.locator("[data-role=translation]")
        expect(translation.locator(".translation-text")).to_have_text(POLISH)
        expect(translation.locator(".translation-text")).to_have_attribute("lang", "pl")
        expect(translation.locator(".translation-text")).to_have_attribute("dir", "auto")
        # In the words of each page's language: Ewa's may be Polish.
        by = "translated by Olga (interpreter)" if page is not ewa else "Olga"
        expect(translation.locator(".translation-by")).to_contain_text(by)

    # A worry statement is a card too: its translation shows in the set beside its goals.
    priya.click("[data-section=danger] [data-action=compose-statement]")
    composer = priya.locator("[data-composer=statement]")
    for part, words in STATEMENT_PARTS.items():
        composer.locator(f"[data-part={part}]").fill(words)
    composer.locator("[data-action=save]").click()
    statement = olga.locator("[data-section=danger] [data-card-id]")
    statement.locator("[data-action=translate]").click()
    statement.locator("textarea").fill(POLISH_STATEMENT)
    statement.locator("[data-action=save-translation]").click()
    in_set = ewa.locator("[data-role=sets] [data-set] [data-role=translation]")
    expect(in_set.locator(".translation-text")).to_have_text(POLISH_STATEMENT)

    # A reason given with a number, once the answers are shown, is translated too.
    scale = priya.locator("[data-scale-id]")
    scale_id = scale.get_attribute("data-scale-id") or ""
    scale.locator("[data-action=open-round]").click()
    show_scales_tab(sam)
    vote(sam, scale_id, 6, REASON)
    scale.locator("[data-action=reveal-round]").click()
    row = round_of(olga, scale_id, "revealed").locator("tr[data-voter]")
    row.locator("[data-action=translate-reason]").click()
    row.locator("textarea").fill(POLISH_REASON)
    row.locator("[data-action=save-translation]").click()
    show_scales_tab(ewa)
    reason = round_of(ewa, scale_id, "revealed").locator("tr[data-voter] .cell-reason")
    expect(reason).to_contain_text(REASON)
    expect(reason.locator("[data-role=translation] .translation-text")).to_have_text(POLISH_REASON)
    expect(reason.locator(".translation-by")).to_contain_text("Olga")

    for page in (sam, screen):
        expect(page.locator("[data-card-id]", has_text=ORIGINAL)).to_have_count(1)
        expect(round_of(page, scale_id, "revealed")).to_contain_text(REASON)
        expect(page.locator("[data-role=translation]")).to_have_count(0)
        expect(page.locator("body")).not_to_contain_text("Babcia")
        expect(page.locator("body")).not_to_contain_text("codziennie")
        expect(page.locator("body")).not_to_contain_text("martwią")
    assert screens.problems == []
