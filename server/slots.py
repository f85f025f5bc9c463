"""Periodic work spread over its period: each meeting has its own slot of it, by its id, so
a worker with many meetings sends a steady trickle of heartbeats and presence writes rather
than a burst of them all at once (500 meetings' heartbeats are 5,000 packets)."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable

SLOTS = 10


def slot_of(meeting_id: str) -> int:
    """The meeting's slot: the same on every worker and after every restart."""
    return zlib.crc32(meeting_id.encode()) % SLOTS


async def every_slot(period: float, work: Callable[[int], Awaitable[None]]) -> None:
    """`work(slot)` for each slot in turn, one every `period / SLOTS` seconds, for ever.
    Kept to the loop's clock, so each slot comes round every `period` however long the
    work takes."""
    loop = asyncio.get_running_loop()
    due = loop.time()
    slot = 0
    while True:
        due += period / SLOTS
        await asyncio.sleep(max(0.0, due - loop.time()))
        await work(slot)
        slot = (slot + 1) % SLOTS
