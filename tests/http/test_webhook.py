"""The webhook, against a real HTTP server on a free port: agreed minutes are POSTed once
agreed, signed, with one idempotency key for every attempt; a failure is retried on a
doubling wait up to an hour (by the injectable clock), for a day; two workers never make
one attempt together; an erased meeting's delivery goes with it; the settings refuse what
cannot work.

In-process with a clock the tests move; the wait before the first retry is 0.05 s."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.board.minutes import MinutesAgree
from server.settings import Settings, SettingsError
from server.store.redis import RedisStore
from server.webhook import Delivery
from tests.support.inprocess import KEY, Kin, MovableClock, fast_hashing, start
from tests.support.receiver import Receiver
from tests.support.services import REDIS_URL

SECRET = "webhook-secret-" + "s" * 32
BASE_WAIT = 0.05


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def hooked(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    clock: MovableClock,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Kin]:
    """The app with the webhook on, on either store (deliveries and claims live there)."""
    fast_hashing(monkeypatch)
    store = None
    if request.param == "redis":
        store = RedisStore(REDIS_URL, prefix=request.getfixturevalue("redis_prefix"))
    yield from start(
        tmp_path,
        clock,
        store,
        webhook_url=receiver.url,
        webhook_secret=SECRET,
        webhook_retry_seconds=BASE_WAIT,
    )


def agreed_meeting(kin: Kin) -> tuple[str, str]:
    """A meeting whose facilitator has taken minutes 1 and just agreed them."""
    meeting = kin.new_meeting()
    joined = kin.browser("192.0.2.60").join(meeting["links"]["facilitator"], "Fay", role=None)
    facilitator = joined.json()["participant"]["id"]
    kin.op(meeting["id"], facilitator, "minutes.take")
    agree(kin, meeting["id"], facilitator, "o_agree")
    return meeting["id"], facilitator


def agree(kin: Kin, meeting_id: str, facilitator: str, op_id: str) -> Any:
    return kin.run(
        kin.services.boards.commit,
        meeting_id,
        f"{facilitator}:{op_id}",
        facilitator,
        MinutesAgree(1),
        op_type="minutes.agree",
    )


def pending(kin: Kin) -> list[Delivery]:
    return kin.run(kin.services.webhook.pending)


def settle(kin: Kin, until: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, pending(kin)
        time.sleep(0.02)


def past_attempt(kin: Kin, attempt: int) -> bool:
    """Nothing pending, or the next attempt is a later one than `attempt`. The store is read
    once: between two reads the last attempt may have ended the delivery."""
    waiting = pending(kin)
    return not waiting or waiting[0].attempt > attempt


def test_agreed_minutes_are_posted_signed_and_a_500_is_retried(
    hooked: Kin, clock: MovableClock, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    meeting_id, facilitator = agreed_meeting(hooked)
    (first,) = receiver.wait_for(1)
    assert first.status == 500
    assert first.signed_by(SECRET)
    assert not first.signed_by(SECRET + "x")
    assert first.headers["content-type"] == "application/json"
    # The body is the minutes JSON download, byte for byte.
    download = hooked.client.get(f"/m/{meeting_id}/minutes/1.json", headers=KEY)
    assert first.body == download.content
    minutes = hooked.board(meeting_id).minutes["1"]
    assert first.headers["idempotency-key"] == f"{meeting_id}.1.{minutes.hash}"
    assert first.headers["x-kinboard-attempt"] == "1"

    # Kept in the store for the next attempt, which waits for the clock.
    (waiting,) = pending(hooked)
    assert waiting.attempt == 2
    assert 0.8 * BASE_WAIT <= waiting.next_at - clock.now <= 1.2 * BASE_WAIT
    time.sleep(0.4)
    assert len(receiver.received) == 1
    clock.now += 1
    second = receiver.wait_for(2)[1]
    assert second.status == 200 and second.signed_by(SECRET)
    assert second.body == first.body
    assert second.headers["idempotency-key"] == first.headers["idempotency-key"]
    assert second.headers["x-kinboard-attempt"] == "2"
    settle(hooked, lambda: not pending(hooked))
    delivered = [e for e in hooked.audit(meeting_id) if e["event"] == "webhook.delivered"]
    assert [(e["minutes"], e["attempts"], e["status"]) for e in delivered] == [(1, 2, 200)]

    # Delivered once: a resend of the agreeing op (its ack lost), or agreeing again, sends
    # nothing more, however long one waits.
    assert agree(hooked, meeting_id, facilitator, "o_agree").duplicate
    agree(hooked, meeting_id, facilitator, "o_again")
    clock.now += 3 * 86400
    time.sleep(0.4)
    assert len(receiver.received) == 2 and not pending(hooked)


def test_minutes_taken_but_not_agreed_are_not_sent(hooked: Kin, receiver: Receiver) -> None:
    meeting = hooked.new_meeting()
    joined = hooked.browser().join(meeting["links"]["facilitator"], "Fay", role=None)
    facilitator = joined.json()["participant"]["id"]
    hooked.op(meeting["id"], facilitator, "minutes.take")
    hooked.op(meeting["id"], facilitator, "minutes.sign", minutes=1, stance="agree")
    time.sleep(0.4)
    assert receiver.received == [] and pending(hooked) == []


def test_a_failing_delivery_waits_longer_each_time_up_to_an_hour_then_stops_after_a_day(
    hooked: Kin, clock: MovableClock, receiver: Receiver
) -> None:
    receiver.statuses = [500] * 1000
    meeting_id, _ = agreed_meeting(hooked)
    started = clock.now
    waits = []
    while True:
        count = len(waits) + 1
        receiver.wait_for(count)
        settle(hooked, lambda n=count: past_attempt(hooked, n))
        if not pending(hooked):
            break
        (delivery,) = pending(hooked)
        waits.append(delivery.next_at - clock.now)
        clock.now = delivery.next_at
    for attempt, wait in enumerate(waits, start=1):
        expected = min(BASE_WAIT * 2 ** (attempt - 1), 3600)
        assert 0.8 * expected <= wait <= 1.2 * expected, (attempt, wait)
    assert max(waits) > 0.8 * 3600  # it did reach the hour
    assert clock.now - started <= 24 * 3600 < clock.now - started + 1.2 * 3600
    assert len(receiver.received) == len(waits) + 1
    assert len({r.headers["idempotency-key"] for r in receiver.received}) == 1
    (failed,) = [e for e in hooked.audit(meeting_id) if e["event"] == "webhook.failed"]
    assert failed["attempts"] == len(receiver.received) and failed["status"] == 500


def test_workers_never_make_one_attempt_together(hooked: Kin, receiver: Receiver) -> None:
    receiver.delay = 0.5  # every attempt overlaps the others
    webhook = hooked.services.webhook

    async def many_workers() -> list[int]:
        async with httpx.AsyncClient(timeout=5) as client:
            return await asyncio.gather(*(webhook.deliver_due(client) for _ in range(6)))

    agreed_meeting(hooked)
    made = hooked.run(many_workers)
    time.sleep(1.0)  # the app's own two workers had their chance too
    assert len(receiver.received) == 1
    assert sum(made) <= 1


def test_an_erased_meetings_delivery_is_dropped(
    hooked: Kin, clock: MovableClock, receiver: Receiver
) -> None:
    receiver.stop()  # the case-record system is down
    meeting_id, _ = agreed_meeting(hooked)
    settle(hooked, lambda: pending(hooked)[0].attempt == 2)
    assert hooked.client.delete(f"/api/meetings/{meeting_id}", headers=KEY).status_code == 204
    receiver.start()
    clock.now += 3600
    settle(hooked, lambda: not pending(hooked))
    time.sleep(0.2)
    assert receiver.received == []
    assert hooked.run(hooked.store.audit, meeting_id) == []  # nothing written after the erase


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KINBOARD_WEBHOOK_URL": "ftp://records.example/hook"}, "http:// or https://"),
        ({"KINBOARD_WEBHOOK_URL": "records.example/hook"}, "http:// or https://"),
        ({"KINBOARD_WEBHOOK_URL": "https:///hook"}, "http:// or https://"),
        ({"KINBOARD_WEBHOOK_URL": "https://records.example/hook"}, "needs KINBOARD_WEBHOOK_SECRET"),
        (
            {
                "KINBOARD_WEBHOOK_URL": "https://records.example/hook",
                "KINBOARD_WEBHOOK_SECRET": "x",
            },
            "at least 32 characters",
        ),
        ({"KINBOARD_WEBHOOK_SECRET": SECRET}, "KINBOARD_WEBHOOK_URL is not"),
        ({"KINBOARD_WEBHOOK_RETRY_SECONDS": "0"}, "above 0"),
        ({"KINBOARD_WEBHOOK_RETRY_SECONDS": "soon"}, "above 0"),
        ({"KINBOARD_WEBHOOK_RETRY_SECONDS": "nan"}, "above 0"),
    ],
)
def test_the_settings_refuse_a_webhook_that_cannot_work(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_the_webhook_settings() -> None:
    settings = Settings.from_env(
        {
            "KINBOARD_WEBHOOK_URL": "https://records.example/hook",
            "KINBOARD_WEBHOOK_SECRET": SECRET,
            "KINBOARD_WEBHOOK_RETRY_SECONDS": "0.5",
        }
    )
    assert (settings.webhook_url, settings.webhook_secret) == (
        "https://records.example/hook",
        SECRET,
    )
    assert settings.webhook_retry_seconds == 0.5
    assert Settings.from_env({}).webhook_retry_seconds == 30
