"""The webhook: agreed minutes POSTed to the case-record system, signed, at least once.

A delivery is a small record in the store (kind "webhook") naming the minutes, written
when they are agreed, before the op is acknowledged. The body is made at each attempt
from the board, the same document as the minutes JSON download (agreed minutes never
change, so every attempt sends the same bytes); the store therefore holds no second copy
of the minutes, and erasing the meeting drops its deliveries. Workers (several per
process, and in every process) claim an attempt with an atomic counter before sending it,
so that no two send it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import random
from dataclasses import asdict, dataclass, replace
from typing import Any

import httpx

from . import documents
from .audit import Audit
from .board.errors import KinboardError, NotFound
from .board.model import Minutes
from .board.visibility import STAFF
from .clock import Clock
from .settings import Settings
from .store.roles import BoardLog, Counters, Records

log = logging.getLogger("kinboard.webhook")

WORKERS = 2
TIMEOUT_SECONDS = 5.0
# A claimed attempt that never finishes (its worker stopped mid-send) is tried again
# after this long: the longest one attempt can take, its connect, send and read each
# allowed TIMEOUT_SECONDS.
CLAIM_SECONDS = 3 * TIMEOUT_SECONDS
LONGEST_WAIT = 3600.0
GIVE_UP_AFTER = 24 * 3600.0
POLL_SECONDS = 1.0
# A delivered one is remembered this long, so that a resend of the agreeing op (its
# first ack lost) does not send the minutes again.
DELIVERED_KEPT = 30 * 86400.0


@dataclass(frozen=True)
class Delivery:
    id: str  # also the Idempotency-Key: the same for every attempt
    meeting_id: str
    number: int
    created_at: float
    next_at: float
    attempt: int = 1  # the attempt to make next


def delivery_id(meeting_id: str, minutes: Minutes) -> str:
    return f"{meeting_id}.{minutes.number}.{minutes.hash}"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(settings: Settings, attempt: int) -> float:
    """The wait after failed attempt `attempt` (1, 2, ...): the base doubling up to an
    hour, give or take a fifth, so that many deliveries failing together spread out."""
    wait = min(settings.webhook_retry_seconds * 2 ** (attempt - 1), LONGEST_WAIT)
    return wait * random.uniform(0.8, 1.2)


class Webhook:
    def __init__(
        self,
        settings: Settings,
        records: Records,
        counters: Counters,
        boards: BoardLog,
        audit: Audit,
        clock: Clock,
    ) -> None:
        self._settings = settings
        self._records = records
        self._counters = counters
        self._boards = boards
        self._audit = audit
        self._clock = clock
        self._due = asyncio.Event()

    @property
    def configured(self) -> bool:
        return self._settings.webhook_url is not None

    async def agreed(self, meeting_id: str, minutes: Minutes) -> None:
        """Keep a delivery of these agreed minutes, once (again after a resend of the op)."""
        if not self.configured:
            return
        key = delivery_id(meeting_id, minutes)
        for kind in ("webhook", "webhook_sent"):
            if await self._records.get_record(kind, key) is not None:
                return
        now = self._clock()
        delivery = Delivery(key, meeting_id, minutes.number, now, now)
        await self._records.put_record("webhook", key, asdict(delivery))
        self._due.set()

    async def pending(self) -> list[Delivery]:
        return [Delivery(**data) for data in await self._records.list_records("webhook")]

    # --- delivering ---

    async def deliver_forever(self) -> None:
        """The app's background task: WORKERS workers, until cancelled."""
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
            await asyncio.gather(*(self._work(client) for _ in range(WORKERS)))

    async def _work(self, client: httpx.AsyncClient) -> None:
        poll = min(POLL_SECONDS, self._settings.webhook_retry_seconds)
        while True:
            try:
                sent = await self.deliver_due(client)
            except KinboardError as error:  # the store is away: try again later
                log.warning("could not look for webhook deliveries: %s", error.message)
                sent = 0
            except Exception:  # a bug: logged, and this worker carries on with the others
                log.exception("webhook delivery failed")
                sent = 0
            if not sent:
                self._due.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._due.wait(), poll)

    async def deliver_due(self, client: httpx.AsyncClient) -> int:
        """Make every attempt that is due and that this worker claims; how many it made."""
        now = self._clock()
        due = [d for d in await self.pending() if d.next_at <= now]
        random.shuffle(due)  # workers start at different ones
        made = 0
        for delivery in due:
            if await self._claim(delivery):
                await self._attempt(client, delivery)
                made += 1
        return made

    async def _claim(self, seen: Delivery) -> bool:
        """This attempt is ours alone: the counter's first 1, and the delivery still
        waiting for this very attempt (another worker may have made it meanwhile)."""
        now = self._clock()
        claim = f"{seen.id}.{seen.attempt}"
        until = now + CLAIM_SECONDS
        if await self._counters.add_to_counter("webhook_claim", claim, 1, now, until) != 1:
            return False
        data = await self._records.get_record("webhook", seen.id)
        return data is not None and Delivery(**data).attempt == seen.attempt

    async def _attempt(self, client: httpx.AsyncClient, delivery: Delivery) -> None:
        try:
            body = await self._body(delivery)
        except NotFound:  # the meeting was erased: so is what it would have sent
            await self._records.delete_record("webhook", delivery.id)
            return
        status, problem = await self._post(client, delivery, body)
        if problem is None:
            await self._records.put_record(
                "webhook_sent",
                delivery.id,
                {"id": delivery.id},
                expires_at=self._clock() + DELIVERED_KEPT,
            )
            await self._records.delete_record("webhook", delivery.id)
            await self._record(delivery, "webhook.delivered", status=status)
            return
        now = self._clock()
        next_at = now + backoff(self._settings, delivery.attempt)
        if next_at > delivery.created_at + GIVE_UP_AFTER:
            log.warning(
                "gave up delivering minutes %s of meeting %s after %s attempts: %s",
                delivery.number,
                delivery.meeting_id,
                delivery.attempt,
                problem,
            )
            await self._records.delete_record("webhook", delivery.id)
            await self._record(delivery, "webhook.failed", status=status)
            return
        wait = next_at - now
        log.info("webhook attempt %s failed (%s); next in %.0f s", delivery.attempt, problem, wait)
        later = replace(delivery, attempt=delivery.attempt + 1, next_at=next_at)
        await self._records.put_record("webhook", delivery.id, asdict(later))

    async def _body(self, delivery: Delivery) -> bytes:
        board, _ = await self._boards.load(delivery.meeting_id)
        minutes = board.minutes.get(str(delivery.number))
        snapshot = board.snapshots.get(str(delivery.number))
        if minutes is None or snapshot is None:
            raise NotFound("Those minutes are gone.")
        return documents.to_json(documents.minutes_view(minutes, snapshot.body, STAFF)).encode()

    async def _post(
        self, client: httpx.AsyncClient, delivery: Delivery, body: bytes
    ) -> tuple[int | None, str | None]:
        """(the status, None) on a 2xx; (the status or None, what went wrong) otherwise."""
        settings = self._settings
        assert settings.webhook_url is not None and settings.webhook_secret is not None
        headers = {
            "Content-Type": "application/json",
            "X-Kinboard-Signature": signature(settings.webhook_secret, body),
            "Idempotency-Key": delivery.id,
            "X-Kinboard-Attempt": str(delivery.attempt),
        }
        try:
            answer = await client.post(settings.webhook_url, content=body, headers=headers)
        except httpx.HTTPError as error:
            return None, type(error).__name__
        if 200 <= answer.status_code < 300:
            return answer.status_code, None
        return answer.status_code, f"answered {answer.status_code}"

    async def _record(self, delivery: Delivery, event: str, **fields: Any) -> None:
        await self._audit.record(
            delivery.meeting_id,
            event,
            by="webhook",
            minutes=delivery.number,
            attempts=delivery.attempt,
            **fields,
        )
