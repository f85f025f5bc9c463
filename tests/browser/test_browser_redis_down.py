"""While Redis is down, a page keeps what people type, says saving is paused, and sends it
all once Redis is back: in a real browser against a worker on the test's own Redis."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.support.faults import RedisServer
from tests.support.harness import API_KEY, create_meeting, start_workers, stop_all
from tests.support.pages import LAPTOP, add_card, join
from tests.support.services import need_redis


@pytest.mark.redis
def test_saving_pauses_while_redis_is_down_and_nothing_typed_is_lost(
    tmp_path: Path, browser: Browser
) -> None:
    need_redis()  # redis-server must be installed; the test runs its own on a free port
    own_redis = RedisServer(tmp_path / "redis").start()
    (worker,) = start_workers(tmp_path, own_redis.url, count=1)
    try:
        meeting = create_meeting(worker.url, "Saving while Redis restarts")
        context = browser.new_context(**LAPTOP)
        try:
            page = context.new_page()
            join(page, meeting["links"]["participant"], "Sam", "parent")
            add_card(page, "strengths", "Before the break")

            own_redis.stop()
            started = time.monotonic()
            page.click("[data-section=strengths] [data-action=add-card]")
            editor = page.locator("[data-section=strengths] [data-field=card-text]")
            editor.fill("Typed while saving was paused")
            editor.press("Enter")
            connection = page.locator("[data-role=connection]")
            paused = "Saving paused \N{EN DASH} trying again"
            expect(connection).to_contain_text(paused, timeout=5_000)
            print(f"'Saving paused' shown {time.monotonic() - started:.2f} s after Redis stopped")

            own_redis.start()
            back = time.monotonic()
            expect(connection).to_have_text("Connected", timeout=20_000)
            print(f"saved {time.monotonic() - back:.2f} s after Redis was back")
            expect(
                page.locator("[data-section=strengths] [data-card-id]", has_text="Typed while")
            ).not_to_have_class("is-pending")
        finally:
            context.close()
        answer = httpx.get(
            f"{worker.url}/api/meetings/{meeting['id']}",
            headers={"Authorization": f"Bearer {API_KEY}"},
            timeout=10,
        ).json()
        texts = sorted(card["text"] for card in answer["cards"])
        assert texts == ["Before the break", "Typed while saving was paused"]
    finally:
        stop_all(worker)
        own_redis.stop()
