"""What the heartbeat asks the broadcaster: which meetings' sockets on this worker heard
their latest seq in an `applied` since the last beat (`Broadcaster.take_heard`)."""

from __future__ import annotations

from types import MappingProxyType

from server.board.model import Board, Meeting
from server.broadcast import Broadcaster
from server.presence import PresenceTracker
from server.settings import Settings
from server.slots import slot_of
from server.store import Commit
from server.store.records import OpRecord
from server.store.sqlite_presence import MemoryPresence

NOW = 1_796_202_000.0  # 2026-12-02 09:00 UTC


def commit(meeting_id: str, seq: int) -> Commit:
    board = Board(Meeting(meeting_id, "A meeting"), scales=MappingProxyType({}))
    return Commit(seq, OpRecord(seq, f"o_{seq}", "p_sam", "2026-12-02T09:00:00Z", ()), board)


def broadcaster() -> Broadcaster:
    class Presence(MemoryPresence):
        def __init__(self) -> None:
            self._presence = {}

    return Broadcaster(Settings(), PresenceTracker(Presence(), lambda: NOW), lambda: NOW)


async def test_a_meeting_heard_its_latest_seq_until_its_slot_has_beaten() -> None:
    sent = broadcaster()
    await sent.publish("m_ann", commit("m_ann", 3))
    await sent.publish("m_ann", commit("m_ann", 4))
    slot = slot_of("m_ann")
    other = (slot + 1) % 10
    assert sent.take_heard(other) == {}
    assert sent.take_heard(slot) == {"m_ann": 4}
    assert sent.take_heard(slot) == {}  # the next beat asks about the time since this one
    await sent.publish("m_ann", commit("m_ann", 5))
    assert sent.take_heard(None) == {"m_ann": 5}


async def test_a_socket_that_joins_makes_the_next_beat_tell_the_room_its_seq() -> None:
    sent = broadcaster()
    await sent.publish("m_ann", commit("m_ann", 3))
    await sent.publish("m_ben", commit("m_ben", 7))
    sent.forget_heard("m_ann")
    assert sent.take_heard(None) == {"m_ben": 7}
