"""Fixtures of the browser tests: one Chromium for the whole session, a server per module,
and the pages of one test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.harness import ROOT, ServerProcess
from tests.support.pages import CHROMIUM_ARGS, Screens
from tests.support.services import CHROMIUM, need_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    if not (ROOT / "client" / "dist" / "board.js").exists():
        pytest.fail("client/dist is not built: run `make test` or `cd client && npm run build`")
    process = ServerProcess(tmp_path_factory.mktemp("browser")).start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
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
