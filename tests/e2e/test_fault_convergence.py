"""Convergence under faults: a Hypothesis state machine drives three people on two workers
(sharing Redis) with random card ops, lost acks, reconnects to either worker and resends of
old op ids. After every run each client's board (its `state`, then `applied` in seq order,
`sync` for gaps) equals the server's, and no op id is applied twice.

The servers and clients are asyncio; the state machine is not. One event loop runs in a
background thread and each rule hands it a coroutine.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import redis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from tests.support.faults import Replica, assert_converged
from tests.support.harness import BackgroundLoop, create_meeting, start_workers, stop_all
from tests.support.services import REDIS_URL, need_redis

pytestmark = pytest.mark.redis


WHO = st.integers(0, 2)  # 0 the facilitator, 1 a parent, 2 a child
SECTIONS = st.sampled_from(["harm", "strengths", "goals"])
TEXTS = st.sampled_from(["Gran helps", "Dad cooks tea", "School run", ""])  # "" is refused
CARD = st.integers(0, 40)  # an index into the cards added so far (any state)
AFTER = st.integers(-1, 40)  # -1: the top of the section


class FaultyMeeting(RuleBasedStateMachine):
    loop: ClassVar[BackgroundLoop]
    urls: ClassVar[list[str]]
    stats: ClassVar[dict[str, int]]

    def __init__(self) -> None:
        super().__init__()
        meeting = create_meeting(self.urls[0], "Convergence under faults")
        links = meeting["links"]
        people = [
            (links["facilitator"], "Priya", None),
            (links["participant"], "Sam", "parent"),
            (links["participant"], "Ava", "child"),
        ]
        self.clients = [
            self.loop.run(Replica.join(self.urls[n % 2], link, name, role))
            for n, (link, name, role) in enumerate(people)
        ]
        self.cards: list[str] = []  # every card id added, live or not
        self.sent: list[tuple[int, dict[str, Any]]] = []
        self.committed: dict[tuple[str, str], int] = {}  # (participant, op id) -> seq
        self.count = 0
        self.stats["runs"] += 1

    # --- helpers ---

    def _op(self, op_type: str, **fields: Any) -> dict[str, Any]:
        self.count += 1
        return {"id": f"o_{self.count}", "type": op_type, **fields}

    def _card(self, index: int) -> str:
        return self.cards[index % len(self.cards)] if self.cards else "c_none"

    def _after(self, index: int) -> str | None:
        return None if index < 0 or not self.cards else self._card(index)

    def _answered(self, who: int, op: dict[str, Any], answer: dict[str, Any]) -> None:
        """Check an answer against every earlier one for the same op id: once committed,
        an op id always answers its first seq, as a duplicate."""
        key = (self.clients[who].id, op["id"])
        if answer["ok"]:
            if key in self.committed:
                assert answer == {"ok": True, "seq": self.committed[key], "duplicate": True}
                self.stats["duplicates"] += 1
            elif answer.get("duplicate"):  # its ack was lost: committed before we knew
                self.committed[key] = answer["seq"]
            else:
                self.committed[key] = answer["seq"]
                self.stats["committed"] += 1
        else:
            assert key not in self.committed, f"a committed op was refused: {answer}"
            self.stats["refused"] += 1

    def _send(self, who: int, op: dict[str, Any]) -> dict[str, Any]:
        answer = self.loop.run(self.clients[who].deliver(op))
        self._answered(who, op, answer)
        self.sent.append((who, op))
        return answer

    # --- ops ---

    @rule(who=WHO, section=SECTIONS, text=TEXTS, after=AFTER)
    def add(self, who: int, section: str, text: str, after: int) -> None:
        card_id = f"c_{self.count + 1}"
        op = self._op(
            "card.add", section=section, text=text, card_id=card_id, after=self._after(after)
        )
        if self._send(who, op)["ok"]:
            self.cards.append(card_id)

    @rule(who=WHO, card=CARD, text=TEXTS)
    def edit(self, who: int, card: int, text: str) -> None:
        self._send(who, self._op("card.edit", card_id=self._card(card), text=text))

    @rule(who=WHO, card=CARD, section=SECTIONS, after=AFTER)
    def move(self, who: int, card: int, section: str, after: int) -> None:
        op = self._op("card.move", card_id=self._card(card), section=section)
        op["after"] = self._after(after)
        self._send(who, op)

    @rule(who=WHO, card=CARD)
    def delete(self, who: int, card: int) -> None:
        self._send(who, self._op("card.delete", card_id=self._card(card)))

    @rule(who=WHO, card=CARD)
    def restore(self, who: int, card: int) -> None:
        self._send(who, self._op("card.restore", card_id=self._card(card)))

    @rule(who=WHO, card=CARD, stance=st.sampled_from(["agree", "disagree", None]))
    def react(self, who: int, card: int, stance: str | None) -> None:
        self._send(who, self._op("card.react", card_id=self._card(card), stance=stance))

    # --- faults ---

    @rule(
        who=WHO,
        section=SECTIONS,
        card=CARD,
        worker=st.integers(0, 1),
        add=st.booleans(),
        wait=st.sampled_from([None, 0.0, 0.05]),
    )
    def lose_ack(
        self, who: int, section: str, card: int, worker: int, add: bool, wait: float | None
    ) -> None:
        """Send an op and drop the connection: at once (the op is lost with it, unsent) or
        after `wait` (the server commits it and the ack is lost). Either way the client
        reconnects (to either worker), syncs and resends the same id."""
        client = self.clients[who]
        if add:
            card_id = f"c_{self.count + 1}"
            op = self._op("card.add", section=section, text="Typed offline", card_id=card_id)
        else:
            op = self._op("card.react", card_id=self._card(card), stance="agree")

        async def lose() -> dict[str, Any]:
            assert client.sio is not None
            client.queue.append(op)
            await client.sio.emit("op", op)  # no callback: the client never sees an ack
            if wait is not None:
                await asyncio.sleep(wait)
            await client.disconnect()
            await client.connect(self.urls[worker])  # and `sync`s from its last seq
            return await client.deliver(op)

        answer = self.loop.run(lose())
        self._answered(who, op, answer)
        self.sent.append((who, op))
        if answer["ok"]:
            self.stats["acks lost" if "duplicate" in answer else "ops lost in the drop"] += 1
            if add:
                self.cards.append(op["card_id"])

    @rule(who=WHO, worker=st.integers(0, 1))
    def reconnect(self, who: int, worker: int) -> None:
        """Drop the connection while the others go on; come back to either worker."""
        client = self.clients[who]

        async def again() -> None:
            await client.disconnect()
            await asyncio.sleep(0.05)
            await client.connect(self.urls[worker])

        self.loop.run(again())

    @rule(who=WHO, pick=st.integers(0, 100))
    def resend(self, who: int, pick: int) -> None:
        """Send an old op again with its id: a committed one answers its first seq."""
        mine = [op for sender, op in self.sent if sender == who]
        if mine:
            self._send(who, mine[pick % len(mine)])

    # --- the end of a run ---

    def teardown(self) -> None:
        try:
            self.loop.run(assert_converged(self.urls[0], self.clients, self.committed))
        finally:
            for client in self.clients:
                self.loop.run(client.close())


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[list[str]]:
    """Two workers sharing the test Redis under a key prefix of their own."""
    need_redis()
    prefix = f"kbtest-{secrets.token_hex(6)}"
    workers = start_workers(tmp_path, REDIS_URL, prefix=prefix)
    try:
        yield [worker.url for worker in workers]
    finally:
        stop_all(*workers)
        client = redis.Redis.from_url(REDIS_URL)
        try:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


def test_every_board_converges_and_no_op_is_applied_twice(cluster: list[str]) -> None:
    loop = BackgroundLoop()
    FaultyMeeting.loop = loop
    FaultyMeeting.urls = cluster
    FaultyMeeting.stats = dict.fromkeys(
        ["runs", "committed", "refused", "duplicates", "acks lost", "ops lost in the drop"],
        0,
    )
    try:
        run_state_machine_as_test(
            FaultyMeeting,
            settings=settings(
                max_examples=15,
                stateful_step_count=25,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        loop.close()
    stats = FaultyMeeting.stats
    print("convergence: " + ", ".join(f"{value} {name}" for name, value in stats.items()))
    assert stats["committed"] and stats["duplicates"] and stats["acks lost"], "faults not exercised"
