"""Who is online in each meeting, per socket, on every worker: kept in the store with an
expiry, so that sockets fade away unless refreshed; a dead worker's stop counting at once
(the Redis store tells live workers from dead ones)."""

from __future__ import annotations

from collections.abc import Mapping

from .clock import Clock
from .store import Presence
from .store.roles import PresenceMap

# Presence entries live this long unless their worker refreshes them.
PRESENCE_TTL = 60.0


class PresenceTracker:
    def __init__(self, store: PresenceMap, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def put(
        self, meeting_id: str, socket_id: str, participant_id: str, editing: str | None
    ) -> None:
        """This socket is online (editing that card, if any) for the next PRESENCE_TTL."""
        await self._store.presence_put(
            meeting_id, socket_id, Presence(participant_id, editing), self._clock() + PRESENCE_TTL
        )

    async def put_many(self, meeting_id: str, entries: Mapping[str, Presence]) -> None:
        """These sockets of one meeting are online for the next PRESENCE_TTL: one write."""
        await self._store.presence_put_many(meeting_id, entries, self._clock() + PRESENCE_TTL)

    async def drop(self, meeting_id: str, socket_id: str) -> None:
        await self._store.presence_drop(meeting_id, socket_id)

    async def online(self, meeting_id: str) -> list[Presence]:
        """Who is online (one entry per participant)."""
        return await self._store.presence(meeting_id, self._clock())

    async def sockets(self, meeting_id: str) -> dict[str, Presence]:
        """Each live socket's entry, by socket id."""
        return await self._store.presence_sockets(meeting_id, self._clock())
