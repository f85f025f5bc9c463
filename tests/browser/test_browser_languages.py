"""A language per person, in a real browser: the join page offers the browser's own
language first, a parent joins in Polish and the board speaks Polish to her; the
facilitator's list shows who reads it in another language; she changes hers on the board,
and the page comes back in it with nothing lost."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.harness import ServerProcess, create_meeting
from tests.support.pages import LAPTOP, Screens, add_card, join


def test_a_parent_joins_in_polish_and_changes_to_english_on_the_board(
    server: ServerProcess, screens: Screens
) -> None:
    links = create_meeting(server.url, "Family meeting for Ava")["links"]
    priya = screens.open(**LAPTOP)
    join(priya, links["facilitator"], "Priya (social worker)")
    ola = screens.open(**LAPTOP, locale="pl-PL")
    ola.goto(links["participant"])
    chooser = ola.locator("select[name=language]")
    expect(chooser).to_have_value("pl")  # from the browser's Accept-Language
    ola.fill("input[name=name]", "Ola")
    ola.check("input[name=role][value=parent]")
    ola.locator("[data-role=join-form] [type=submit]").click()
    expect(ola.locator("html")).to_have_attribute("lang", "pl")
    expect(ola.locator("[data-role=connection]")).to_have_attribute("data-state", "connected")
    expect(ola.locator("#presence-heading")).to_have_text("Kto tu jest")  # the Polish catalogue
    mine = ola.locator("[data-role=my-language]")
    expect(mine).to_have_value("pl")

    # The facilitator's list of people names Ola's language.
    priya.click("[data-role=share-toggle]")
    expect(priya.locator(".people-who", has_text="Ola").locator(".person-language")).to_have_text(
        "Polski"
    )

    # Ola changes to English on the board: the page comes back in English, her card kept.
    add_card(ola, "strengths", "Babcia odbiera dzieci ze szkoły")
    mine.select_option("en")
    expect(ola.locator("html")).to_have_attribute("lang", "en")
    expect(ola.locator("#presence-heading")).to_have_text("Who is here")
    expect(ola.locator("[data-role=my-language]")).to_have_value("en")
    expect(ola.locator(".card-text", has_text="Babcia odbiera dzieci ze szkoły")).to_be_visible()
    expect(priya.locator(".people-who", has_text="Ola").locator(".person-language")).to_be_hidden()
    assert screens.problems == []
