"""Quick exit in a real browser: on every page the family sees, "Exit this page" and the
Shift key pressed 3 times each leave at once for the neutral site the server names
(KINBOARD_EXIT_URL, here a page of our own on a free port), sending it nothing of the
meeting; Back does not come back to the board. Staff's own board has no such button."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.harness import API_KEY, ServerProcess, create_meeting, free_port
from tests.support.pages import (
    LAPTOP,
    PASSWORD,
    PHONE,
    Screens,
    add_card,
    add_staff,
    connected,
    join,
    new_meeting,
    sign_in,
)

KEY = {"Authorization": f"Bearer {API_KEY}"}
PRIYA = "priya@council.example"


class NeutralSite:
    """A stand-in for the weather forecast: any path answers a small page; every request
    is kept (its path and headers) to show what reached it."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                body = b"<!doctype html><title>Weather</title><h1>Sunny spells</h1>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        # Another host than Kinboard's 127.0.0.1 (cookies do not tell ports apart), as the
        # real neutral site is.
        self.url = f"http://localhost:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[NeutralSite]:
    neutral = NeutralSite()
    yield neutral
    neutral.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, site: NeutralSite) -> Iterator[ServerProcess]:
    data = tmp_path_factory.mktemp("quick-exit")
    process = ServerProcess(data, env={"KINBOARD_EXIT_URL": f"{site.url}/weather"}).start()
    add_staff(process, PRIYA)
    yield process
    process.stop()


@pytest.fixture
def meeting(server: ServerProcess) -> dict[str, Any]:
    return create_meeting(server.url, "Family meeting for Ava")


def left_for_the_exit(page: Page, site: NeutralSite, came_from: str) -> None:
    """The page is the neutral site's, reached with nothing of ours; Back goes to where the
    browser was before the family's page, never to it."""
    expect(page).to_have_url(f"{site.url}/weather")
    expect(page.locator("h1")).to_have_text("Sunny spells")
    headers = [h for path, h in site.requests if path == "/weather"][-1]
    assert {name.lower() for name in headers} & {"referer", "cookie"} == set()
    # Later, so that evaluate's answer is not lost to the navigation it starts.
    page.evaluate("setTimeout(() => history.back(), 0)")
    expect(page).to_have_url(came_from)


def from_elsewhere(page: Page, site: NeutralSite, url: str) -> str:
    """Open `url` after another site, as a family member would; that site's address."""
    before = f"{site.url}/start"
    page.goto(before)
    page.goto(url)
    return before


def family_board(screens: Screens, meeting: dict[str, Any], **screen: Any) -> Page:
    page = screens.open(**screen)
    join(page, meeting["links"]["participant"], "Sam", "parent")
    return page


def test_the_button_leaves_the_board_at_once(
    screens: Screens, site: NeutralSite, meeting: dict[str, Any]
) -> None:
    page = family_board(screens, meeting, **PHONE)
    board = page.url
    before = from_elsewhere(page, site, board)
    connected(page)
    button = page.locator("[data-role=quick-exit-button]")
    expect(button).to_have_text("Emergency Exit this page")
    expect(button).to_be_in_viewport()
    button.click()
    left_for_the_exit(page, site, before)
    assert screens.problems == []


def test_shift_three_times_leaves_the_board_but_typing_capitals_does_not(
    screens: Screens, site: NeutralSite, meeting: dict[str, Any]
) -> None:
    page = family_board(screens, meeting, **LAPTOP)
    before = from_elsewhere(page, site, page.url)
    connected(page)
    # Capital letters are typed with Shift held: that is not the shortcut.
    add_card(page, "strengths", "Gran And Leo Bake On Sundays")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    status = page.locator("[data-role=quick-exit-status]")
    expect(status).to_have_text("Shift, press 1 more time to exit.")
    page.keyboard.press("Shift")
    left_for_the_exit(page, site, before)
    assert screens.problems == []


def test_the_join_page_and_our_plan_have_it_too(
    screens: Screens, site: NeutralSite, server: ServerProcess, meeting: dict[str, Any]
) -> None:
    link = meeting["links"]["participant"]
    page = screens.open(**PHONE)
    before = from_elsewhere(page, site, link)
    expect(page.locator("[data-role=join-form]")).to_be_visible()
    page.fill("input[name=name]", "Sam Ahmed")  # a capital S and A, with Shift
    expect(page).to_have_url(f"{server.url}/join")
    for _ in range(3):
        page.keyboard.press("Shift")
    left_for_the_exit(page, site, before)
    # The join page had its token only in the fragment, which no request carries.
    token = link.split("#", 1)[1]
    assert all(token not in path for path, _ in site.requests)

    family = family_board(screens, meeting, **PHONE)
    before = from_elsewhere(family, site, f"{server.url}/m/{meeting['id']}/plan")
    expect(family.locator("[data-role=our-plan]")).to_be_visible()
    family.click("[data-role=quick-exit-button]")
    left_for_the_exit(family, site, before)
    assert screens.problems == []


def test_staff_and_the_room_screen_have_no_exit_button(
    screens: Screens, server: ServerProcess
) -> None:
    priya = screens.open(**LAPTOP)
    sign_in(priya, server.url, PRIYA, PASSWORD)
    new_meeting(priya, "Family meeting for Leo", "Priya, social worker")
    expect(priya.locator("[data-role=quick-exit]")).to_have_count(0)
    meeting_id = priya.url.rsplit("/", 1)[1]
    links = httpx.get(f"{server.url}/api/meetings/{meeting_id}/links", headers=KEY).json()
    display = screens.open(**LAPTOP)
    join(display, links["display"], "")
    expect(display.locator("[data-role=quick-exit]")).to_have_count(0)
    assert screens.problems == []
