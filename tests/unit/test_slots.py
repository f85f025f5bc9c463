"""Periodic work in slots: each meeting's slot is fixed by its id, and every slot comes round
once a period, in turn, at an even pace."""

from __future__ import annotations

import asyncio
import contextlib
import time

from server.slots import SLOTS, every_slot, slot_of


def test_a_meetings_slot_is_fixed_by_its_id_and_the_meetings_spread_over_all() -> None:
    ids = [f"meeting{n}" for n in range(1000)]
    assert [slot_of(i) for i in ids] == [slot_of(i) for i in ids]
    counts = [sum(1 for i in ids if slot_of(i) == slot) for slot in range(SLOTS)]
    assert min(counts) > 1000 / SLOTS / 2, counts


async def test_every_slot_comes_round_once_a_period_in_turn() -> None:
    period = 0.5
    seen: list[tuple[int, float]] = []

    async def work(slot: int) -> None:
        seen.append((slot, time.monotonic()))
        await asyncio.sleep(0.02)  # work that takes time does not slow the round

    started = time.monotonic()
    running = asyncio.create_task(every_slot(period, work))
    await asyncio.sleep(period * 2 + period / SLOTS / 2)
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    assert [slot for slot, _ in seen] == [*range(SLOTS), *range(SLOTS)]
    for n, (_, at) in enumerate(seen, start=1):
        # Never early, and never later by the work's time added up (0.4 s by the end).
        assert -0.01 < at - started - n * period / SLOTS < 0.1, (n, at - started)
