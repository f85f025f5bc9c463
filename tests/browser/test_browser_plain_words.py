"""Plain words while writing, in a real browser: typing "Non-engagement" into a new card
shows a calm hint (in a polite live region) with plainer words; "Use this" puts them in
its place, and the card saves with them. A card that keeps its jargon saves just the
same, and a worry statement's parts have the hint too. The hints come from the server's
list for the person's language, served as a cacheable file."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.harness import ServerProcess, create_meeting
from tests.support.pages import LAPTOP, Screens, join

HINT = "Some people may not know the words “Non-engagement”. You could say:"


def test_jargon_gets_a_plain_words_hint_that_never_stops_saving(
    server: ServerProcess, screens: Screens
) -> None:
    meeting = create_meeting(server.url, "Family meeting for Ava")
    page = screens.open(**LAPTOP)
    join(page, meeting["links"]["facilitator"], "Priya")
    listed = page.request.get(f"{server.url}/static/plain-words/en.json")
    assert listed.ok and "no-store" not in listed.headers.get("cache-control", "")

    section = page.locator("[data-section=complicating]")
    section.locator("[data-action=add-card]").click()
    text = section.locator("[data-field=card-text]")
    hints = section.locator("[data-role=plain-words]")
    expect(hints).to_have_attribute("aria-live", "polite")
    text.fill("Non-engagement with the core group")
    expect(hints).to_contain_text(HINT)
    expect(hints).to_contain_text("core group")
    hints.get_by_role("button", name="Use this: not coming to meetings").click()
    expect(text).to_have_value("Not coming to meetings with the core group")
    expect(text).to_be_focused()
    expect(hints).not_to_contain_text("Non-engagement")
    text.press("Enter")
    saved = section.locator("[data-card-id]", has_text="Not coming to meetings with the core group")
    expect(saved).not_to_have_class("is-pending")
    expect(hints).to_be_empty()  # the editor stays open, cleared, for the next card

    # Keeping the jargon is fine: it saves as written.
    text.fill("Section 47 enquiry last year")
    expect(hints).to_contain_text("Section 47 enquiry")
    text.press("Enter")
    expect(
        section.locator("[data-card-id]", has_text="Section 47 enquiry last year")
    ).not_to_have_class("is-pending")

    # A worry statement's parts are hinted too.
    page.click("[data-section=danger] [data-action=compose-statement]")
    composer = page.locator("[data-composer=statement]")
    composer.locator("input[data-part]").first.fill("Safeguarding team")
    expect(composer.locator("[data-role=plain-words]").first).to_contain_text("Safeguarding")
    assert not screens.problems, screens.problems
