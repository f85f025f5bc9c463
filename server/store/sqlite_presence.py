"""Presence in memory, since the embedded store serves a single process."""

from __future__ import annotations

from collections.abc import Mapping

from .records import Presence


class MemoryPresence:
    # Each meeting's sockets: (their entry, when it expires).
    _presence: dict[str, dict[str, tuple[Presence, float]]]

    async def presence_put(
        self, meeting_id: str, socket_id: str, entry: Presence, expires_at: float
    ) -> None:
        self._presence.setdefault(meeting_id, {})[socket_id] = (entry, expires_at)

    async def presence_put_many(
        self, meeting_id: str, entries: Mapping[str, Presence], expires_at: float
    ) -> None:
        mine = self._presence.setdefault(meeting_id, {})
        mine.update((socket_id, (entry, expires_at)) for socket_id, entry in entries.items())

    async def presence_drop(self, meeting_id: str, socket_id: str) -> None:
        self._presence.get(meeting_id, {}).pop(socket_id, None)

    async def presence_sockets(self, meeting_id: str, now: float) -> dict[str, Presence]:
        entries = self._presence.get(meeting_id, {})
        for socket_id in [s for s, (_, expires) in entries.items() if expires <= now]:
            del entries[socket_id]
        return {socket_id: entry for socket_id, (entry, _) in entries.items()}
