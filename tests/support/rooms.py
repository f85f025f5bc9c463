"""A meeting of named people on real sockets, its facilitator a signed-in staff member:
what the leak suites of the secrets (hidden cards, a child's items, family time) share."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.harness import Client
from tests.support.inprocess import KEY, MovableClock, fast_hashing
from tests.support.live import LiveServer, StaffBrowser

PRIYA = "priya@council.example"
PASSWORD = "a long password 1"


@contextmanager
def staffed_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """A live server in this process, with Priya's staff account, on a clock tests move."""
    fast_hashing(monkeypatch)
    with LiveServer(tmp_path, MovableClock()) as server:
        server.run(server.services.staff.add, PRIYA, PASSWORD)
        yield server


@dataclass
class Room:
    live: LiveServer
    staff: StaffBrowser
    id: str
    people: dict[str, Client]
    acks: dict[str, list[Any]]

    async def op(self, name: str, op_type: str, **fields: Any) -> dict[str, Any]:
        ack = await self.people[name].op(op_type, **fields)
        self.acks.setdefault(name, []).append(ack)
        return ack

    async def join(self, name: str, role: str | None) -> Client:
        """`name` joins by the family link as `role`; with no role, the room's screen."""
        links = self.live.run(self.live.services.links.urls, self.id)
        link = links["display"] if role is None else links["participant"]
        client = await Client.join(self.live.url, link, "" if role is None else name, role)
        self.people[name] = client
        return client

    def pid(self, name: str) -> str:
        person: str = self.people[name].me["id"]
        return person

    async def everyone_has(self, seq: int) -> None:
        for client in self.people.values():
            await client.wait_for(lambda c=client: any(r["seq"] == seq for r in c.applied()))

    def record(self, name: str, seq: int) -> dict[str, Any]:
        return next(r for r in self.people[name].applied() if r["seq"] == seq)

    def now(self) -> str:
        state = self.people["Priya"].state
        assert state is not None
        now: str = state["now"]
        return now

    def export(self, name: str) -> httpx.Response:
        """`name`'s subject-access export, as Priya downloads it (it must be given)."""
        answer = self.staff.http.get(
            f"/api/meetings/{self.id}/participants/{self.pid(name)}/export"
        )
        assert answer.status_code == 200, answer.text
        return answer

    def key(self, path: str) -> httpx.Response:
        return httpx.get(f"{self.live.url}{path}", headers=KEY, timeout=20)


@asynccontextmanager
async def staffed_room(
    live: LiveServer, family: dict[str, str], kind: str = "initial"
) -> AsyncIterator[Room]:
    """Priya signs in, starts a meeting and comes in on a socket; `family` (name: role) join
    by the family link. Everyone's sockets are closed afterwards."""
    staff = StaffBrowser(live.url)
    staff.sign_in(PRIYA)
    meeting_id = staff.start_meeting("Priya, social worker", kind)
    priya = Client(live.url, meeting_id, staff.meeting_cookie(meeting_id), {}, origin=live.url)
    await priya.connect()
    assert priya.state is not None
    priya.me = priya.state["me"]
    room = Room(live, staff, meeting_id, {"Priya": priya}, {})
    try:
        for name, role in family.items():
            await room.join(name, role)
        yield room
    finally:
        for client in room.people.values():
            await client.close()
        staff.close()
