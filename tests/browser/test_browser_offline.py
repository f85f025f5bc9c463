"""Nothing lost: changes made offline in a real browser arrive once each when it is back.

Two people share a meeting. One loses the network, adds five cards and changes one of
them while the page says it is offline and counts the waiting changes; back online, the
other screen and the server end with exactly those changes, none twice.
"""

from __future__ import annotations

import time
from collections import Counter

from playwright.sync_api import Page, expect

from tests.support.harness import ServerProcess, create_meeting
from tests.support.pages import LAPTOP, WAIT_MS, Screens, join

SECTION = "strengths"
ADDED = [f"Gran can help on day {day}" for day in range(1, 6)]
CHANGED = ("Gran can help on day 3", "Gran and Mr Khan can help on day 3")


def cards_by_text(page: Page) -> Counter[str]:
    return Counter(
        page.locator(f"[data-section={SECTION}] [data-card-id] .card-text").all_text_contents()
    )


def test_changes_made_offline_arrive_once_each(server: ServerProcess, screens: Screens) -> None:
    meeting = create_meeting(server.url, "Family meeting with a patchy network")
    links = meeting["links"]
    away = screens.open(**LAPTOP)
    join(away, links["participant"], "Sam", "parent")
    stays = screens.open(**LAPTOP)
    join(stays, links["facilitator"], "Priya")

    connection = away.locator("[data-role=connection]")
    away.context.set_offline(True)
    expect(connection).to_have_attribute("data-state", "offline")

    section = away.locator(f"[data-section={SECTION}]")
    section.locator("[data-action=add-card]").click()
    editor = section.locator(".add-slot [data-field=card-text]")
    for text in ADDED:  # the editor stays open for the next card
        editor.fill(text)
        editor.press("Enter")
        expect(section.locator("[data-card-id]", has_text=text)).to_have_class("card is-pending")
    away.keyboard.press("Escape")
    old, new = CHANGED
    card = section.locator("[data-card-id]", has_text=old)
    card.locator("[data-action=edit]").click()
    card.locator("[data-field=card-text]").fill(new)
    card.locator("[data-field=card-text]").press("Enter")

    expected = Counter(new if text == old else text for text in ADDED)
    expect(connection).to_have_text(
        "Offline \N{EN DASH} your changes are kept and will be sent (6 waiting)"
    )
    expect(connection).to_have_attribute("data-waiting", "6")
    assert cards_by_text(away) == expected
    expect(stays.locator(f"[data-section={SECTION}] [data-card-id]")).to_have_count(0)

    started = time.monotonic()
    away.context.set_offline(False)
    expect(stays.locator(f"[data-section={SECTION}] [data-card-id]", has_text=new)).to_have_count(
        1, timeout=WAIT_MS
    )
    expect(stays.locator(f"[data-section={SECTION}] [data-card-id]")).to_have_count(5)
    expect(connection).to_have_attribute("data-state", "connected")
    expect(connection).to_have_attribute("data-waiting", "0")
    expect(away.locator(".card.is-pending")).to_have_count(0)
    converged = time.monotonic() - started
    print(f"\nback online: the other screen had every change after {converged:.2f} s")

    # Exactly those changes, once each, on both screens and on the server.
    assert cards_by_text(stays) == expected
    assert cards_by_text(away) == expected
    answer = stays.request.get(f"{server.url}/api/meetings/{meeting['id']}")
    assert answer.ok, answer.text()
    on_server = Counter(c["text"] for c in answer.json()["cards"] if c["section"] == SECTION)
    assert on_server == expected
    # The browser logs each attempt to reconnect while offline; nothing else went wrong.
    assert [p for p in screens.problems if "ERR_INTERNET_DISCONNECTED" not in p] == []
