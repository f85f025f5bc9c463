"""Fixtures of the browser tests: the built client, one Chromium for the whole folder, and
the pages of one test (the server per module is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.harness import ROOT
from tests.support.markers import mark_folder
from tests.support.pages import CHROMIUM_ARGS, Screens
from tests.support.services import CHROMIUM, need_chromium


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_folder(items, Path(__file__).parent, pytest.mark.browser, pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def client_bundle() -> None:
    if not (ROOT / "client" / "dist" / "board.js").exists():
        pytest.fail("client/dist is not built: run `make test` or `cd client && npm run build`")


# One Chromium for the whole folder: the first browser test launches it, the last closes it.
# Not session-scoped: while sync Playwright is open its event loop counts as running, and
# the async tests of the folders after this one could not start theirs.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    need_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screens(browser: Browser) -> Iterator[Screens]:
    opened = Screens(browser)
    yield opened
    opened.close()
