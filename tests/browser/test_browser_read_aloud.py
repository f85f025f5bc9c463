"""Reading the board aloud, in a real browser. Headless Chromium may have no voices, so the
page is given a stand-in for the browser's speechSynthesis (what it would say is
recorded): with no voice for the person's language the speaker buttons are hidden; once
one arrives (voices come after the page loads) they show (big enough, named, passing
axe), "Read this column" reads the heading, its question and each card with who said it,
in that voice, and a second press stops it. A card's own button works by keyboard."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.harness import ServerProcess, create_meeting
from tests.support.pages import LAPTOP, Screens, add_card, join
from tests.support.speech import FAKE_SPEECH, spoken

STRENGTH = "Gran takes Ava to school every day"
SAFETY = "Ava knows who to call"


def test_the_board_is_read_aloud_in_a_voice_of_the_persons_language(
    server: ServerProcess, screens: Screens
) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava")
    page = screens.open(**LAPTOP)
    page.add_init_script(FAKE_SPEECH)
    join(page, meeting["links"]["facilitator"], "Priya")
    add_card(page, "strengths", STRENGTH, said_by="Gran")
    add_card(page, "safety", SAFETY)
    column = page.locator("[data-column=working_well] .column-header [data-action=read-aloud]")
    card_button = page.locator("[data-card-id]", has_text=STRENGTH).locator(
        "[data-action=read-aloud]"
    )

    # No voice for English: nothing offered.
    expect(column).to_be_hidden()
    expect(card_button).to_be_hidden()
    page.evaluate("__addVoice({ name: 'Daniel', lang: 'en-GB', default: false })")
    expect(column).to_be_visible()
    expect(card_button).to_be_visible()
    expect(page.locator("[data-read=plan]")).to_have_attribute("aria-label", "Read our plan aloud")
    expect(column).to_have_accessible_name("Read this column aloud")
    expect(column).to_have_accessible_description("What's working well?")
    box = column.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24, box
    assert_accessible(page, "the board with its read-aloud buttons")

    column.click()
    expect(column).to_have_attribute("aria-pressed", "true")
    said = spoken(page)
    assert [s["text"] for s in said] == [
        "What's working well?",
        "What is going well already? Who helps? What keeps the children safe now?",
        "Existing strengths",
        STRENGTH,
        "said by Gran",
        "Existing safety",
        SAFETY,
    ]
    assert {(s["voice"], s["lang"]) for s in said} == {("Daniel", "en-GB")}
    # A second press stops it.
    column.click()
    expect(column).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__cancels") >= 1

    # A card's own button, by keyboard; it is done when the last sentence is read.
    card_button.focus()
    page.keyboard.press("Enter")
    expect(card_button).to_have_attribute("aria-pressed", "true")
    assert [s["text"] for s in spoken(page)] == [STRENGTH, "said by Gran"]
    page.evaluate("__finish()")
    expect(card_button).to_have_attribute("aria-pressed", "false")
    assert not screens.problems, screens.problems
