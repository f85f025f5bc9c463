"""The activity index on Redis moves at most once a minute of a meeting's ops (it costs a
round trip of its own there); on SQLite every commit writes it in its transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from server.store.activity_notes import NOTE_EVERY
from server.store.board_log import activity_time
from server.store.roles import Store, Update
from tests.store.test_store_contract import MID, T1, first_board, mutation
from tests.support.stores import OpenStore


def later(seconds: float) -> str:
    at = datetime.fromisoformat(T1) + timedelta(seconds=seconds)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def add_card_at(store: Store, card_id: str, at: str) -> None:
    message = {"type": "card.add", "section": "strengths", "text": f"Card {card_id}"}
    await store.update(
        Update(
            MID,
            f"p_mum:o_{card_id}",
            f"o_{card_id}",
            "p_mum",
            at,
            mutation(message, now=at, new_id=card_id),
        )
    )


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
async def test_on_redis_a_busy_meetings_entry_moves_once_a_minute(open_store: OpenStore) -> None:
    store = await open_store()
    await store.create(first_board())
    reader = await open_store()
    await add_card_at(store, "c1", later(0))
    await add_card_at(store, "c2", later(30))
    assert await reader.last_activity([MID]) == {MID: activity_time(later(0))}
    await add_card_at(store, "c3", later(NOTE_EVERY))
    assert await reader.last_activity([MID]) == {MID: activity_time(later(NOTE_EVERY))}
    # Another worker keeps its own minute: its first op of the meeting moves the entry.
    other = await open_store()
    await add_card_at(other, "c4", later(NOTE_EVERY + 5))
    assert await reader.last_activity([MID]) == {MID: activity_time(later(NOTE_EVERY + 5))}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_on_sqlite_every_commit_moves_the_entry(open_store: OpenStore) -> None:
    store = await open_store()
    await store.create(first_board())
    await add_card_at(store, "c1", later(0))
    await add_card_at(store, "c2", later(30))
    assert await store.last_activity([MID]) == {MID: activity_time(later(30))}
