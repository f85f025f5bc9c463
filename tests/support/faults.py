"""What the fault tests share: the bounds they assert, a Redis of the test's own, workers
sharing one Redis, and a client that does what protocol.md asks of one (`Replica`): apply
`applied` in seq order, `sync` on a gap or a later heartbeat seq, keep unacknowledged ops
queued and resend them with the same ids.

With KINBOARD_REQUIRE_REDIS=1 a missing `redis-server` fails these tests instead of skipping
them.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
import redis
import socketio

from tests.support.harness import free_port, token_of
from tests.support.services import required

# The bounds the issue sets.
REFUSED_WITHIN = 2.0  # an op while Redis is away is refused `unavailable` by then
REPAIRED_WITHIN = 2.0  # a gap is filled by then after the message or heartbeat revealing it
RECONNECTED_WITHIN = 5.0  # after a worker dies, its clients are back (through nginx) by then
RESUMED_WITHIN = 5.0  # after Redis is back, workers and clients work again by then
# The server beats every 5 s; a little more for scheduling.
HEARTBEAT_WITHIN = 5.0 + 0.75
# A room that heard an `applied` since its last beat is told nothing then: one beat more.
HEARTBEAT_AFTER_OPS_WITHIN = 5.0 + HEARTBEAT_WITHIN

# Answers that pass: the client keeps the op and resends it with its id. After a refusal
# the server remembers nothing; after `unknown_outcome` the resend may be a duplicate.
PASSING_CODES = {"unavailable", "unknown_outcome", "rate_limited"}


def need_program(name: str, variable: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
    if path:
        return path
    message = f"{name} is not installed"
    if required(variable):
        pytest.fail(f"{message} ({variable} is set)")
    pytest.skip(message)


async def wait_until(
    condition: Callable[[], Any], timeout: float, what: str = "condition", step: float = 0.02
) -> float:
    """Poll until `condition()` is true; the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(step)
    return time.monotonic() - started


# --- a Redis of the test's own -------------------------------------------------------------


class RedisServer:
    """`redis-server` on a free port with its own directory: AOF `everysec`, `noeviction`
    and a password, as in docker-compose.yml. It can be stopped and started again on the
    same port and directory, frozen (SIGSTOP) and paused. `options` add to its command
    line (a replica's, a cluster node's: redis_topology.py); servers of one group share
    `password`."""

    def __init__(
        self, directory: Path, password: str | None = None, options: Sequence[str] = ()
    ) -> None:
        self.binary = need_program("redis-server", "KINBOARD_REQUIRE_REDIS")
        self.directory = directory
        self.port = free_port()
        self.password = password or secrets.token_urlsafe(16)
        self.options = tuple(options)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def admin(self) -> redis.Redis:
        return redis.Redis(
            port=self.port, password=self.password, socket_timeout=2, decode_responses=True
        )

    def answers(self) -> bool:
        try:
            with self.admin() as admin:
                return bool(admin.ping())
        except (redis.RedisError, OSError):
            return False

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        # The same command line every time, so a restart finds the same AOF.
        self.process = subprocess.Popen(
            [
                self.binary,
                *("--bind", "127.0.0.1", "--port", str(self.port)),
                *("--dir", str(self.directory), "--logfile", "redis.log"),
                *("--appendonly", "yes", "--appendfsync", "everysec", "--save", ""),
                *("--maxmemory-policy", "noeviction", "--requirepass", self.password),
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = (self.directory / "redis.log").read_text(errors="replace")
                raise RuntimeError(f"redis-server did not start: {log[-2000:]}")
            time.sleep(0.02)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen Redis cannot stop
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def signal(self, sig: int) -> None:
        assert self.process is not None
        self.process.send_signal(sig)


# --- a client that does what protocol.md asks of one ----------------------------------------

View = dict[tuple[str, str], Any]


def board_view(board: dict[str, Any]) -> View:
    """A board (from `state`, `sync` or the API) as {(entity, id): value}."""
    view: View = {("meeting", board["meeting"]["id"]): board["meeting"]}
    for key, entity in (
        ("participants", "participant"),
        ("cards", "card"),
        ("scales", "scale"),
        ("rounds", "round"),
    ):
        for value in board.get(key, []):
            view[(entity, value["id"])] = value
    return view


class Replica:
    """One participant's client, reduced to what protocol.md asks of it.

    It applies `applied` in seq order (buffering an early one), asks `sync` when a gap is
    not filled within a second or a heartbeat names a later seq, keeps every op it sent in a
    queue until the server answers it (other than `unavailable` / `rate_limited`), and after
    a reconnect first `sync`s from its last seq, then is ready to resend the queue.
    """

    GAP_WAIT = 1.0

    def __init__(
        self,
        base_url: str,
        meeting_id: str,
        cookie: str,
        me: dict[str, Any],
        local_address: str | None = None,
    ) -> None:
        self.base_url = base_url
        self.meeting_id = meeting_id
        self.cookie = cookie
        self.me = me
        self.local_address = local_address
        self.sio: socketio.AsyncClient | None = None
        self.http: aiohttp.ClientSession | None = None
        self.entities: View = {}
        self.seq: int | None = None
        self.connections = 0  # made so far: any after the first is a reconnect
        self.known_seq = 0  # the latest seq any message or heartbeat has named
        self.early: dict[int, dict[str, Any]] = {}
        self.queue: list[dict[str, Any]] = []
        self.answers: dict[str, dict[str, Any]] = {}  # op id -> its final answer
        self.events: list[tuple[float, str, Any]] = []
        self.online = asyncio.Event()  # connected and caught up: ops may be sent
        self.gap_since: float | None = None
        self.gap_revealed_by: str | None = None
        self.repairs: list[tuple[str, float]] = []  # (revealed by, seconds until filled)
        self.syncs: list[tuple[int, dict[str, Any]]] = []  # (since, answer)
        self._gap_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    async def join(
        cls,
        base_url: str,
        link: str,
        name: str,
        role: str | None = None,
        local_address: str | None = None,
        reconnection: bool = False,
    ) -> Replica:
        body: dict[str, Any] = {"token": token_of(link), "name": name}
        if role:
            body["role"] = role
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            answer = await http.post("/api/join", json=body)
            answer.raise_for_status()
        data = answer.json()
        cookie = "; ".join(f"{k}={v}" for k, v in answer.cookies.items())
        client = cls(base_url, data["meeting_id"], cookie, data["participant"], local_address)
        await client.connect(reconnection=reconnection)
        return client

    @property
    def id(self) -> str:
        return str(self.me["id"])

    def _note(self, event: str, data: Any) -> None:
        self.events.append((time.monotonic(), event, data))

    def times(self, event: str) -> list[float]:
        return [at for at, name, _ in self.events if name == event]

    # --- the connection ---

    async def connect(self, base_url: str | None = None, reconnection: bool = False) -> None:
        """Connect (to `base_url`, another worker, if given) and wait until caught up."""
        if base_url is not None:
            self.base_url = base_url
        if self.local_address is not None and self.http is None:
            connector = aiohttp.TCPConnector(local_addr=(self.local_address, 0))
            self.http = aiohttp.ClientSession(connector=connector)
        sio = socketio.AsyncClient(reconnection=reconnection, http_session=self.http)
        sio.on("state", self._on_state)
        sio.on("applied", self._on_applied)
        sio.on("heartbeat", self._on_heartbeat)
        sio.on("presence", lambda data: self._note("presence", data))
        sio.on("connect", self._on_connect)
        sio.on("disconnect", self._on_disconnect)
        self.sio = sio
        self.online.clear()
        await sio.connect(
            # As the page does: the meeting in the URL, which nginx routes by.
            f"{self.base_url}?meeting={self.meeting_id}",
            headers={"Cookie": self.cookie, "Origin": self.base_url},
            auth={"meeting_id": self.meeting_id},
            transports=["websocket"],
            wait_timeout=10,
        )
        await asyncio.wait_for(self.online.wait(), 10)

    async def _on_connect(self) -> None:
        self._note("connect", None)
        # A reconnect: catch up from the log first. (The first connection's `state` may be
        # handled before its `connect`: that is no reason to catch up.)
        if self.seq is not None and self.connections:
            self._spawn(self._catch_up())
        self.connections += 1

    async def _catch_up(self) -> None:
        with contextlib.suppress(socketio.exceptions.SocketIOError):
            await self.repair()
            self.online.set()

    async def _on_disconnect(self, *_: Any) -> None:
        self._note("disconnect", None)
        self.online.clear()

    async def _on_state(self, data: dict[str, Any]) -> None:
        self._note("state", data)
        if self.seq is None:
            self._load(data["board"], data["seq"])
            self.online.set()

    async def disconnect(self) -> None:
        if self.sio is not None and self.sio.connected:
            await self.sio.disconnect()

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._gap_task is not None:
            self._gap_task.cancel()
        if self.sio is not None:
            with contextlib.suppress(Exception):
                await self.sio.disconnect()
        if self.http is not None:
            await self.http.close()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- the board ---

    def _load(self, board: dict[str, Any], seq: int) -> None:
        self.entities = board_view(board)
        self.seq = seq
        self.known_seq = max(self.known_seq, seq)
        self.early = {s: r for s, r in self.early.items() if s > seq}
        self._drain()

    def _receive(self, record: dict[str, Any]) -> None:
        if self.seq is not None and record["seq"] > self.seq:
            self.early[record["seq"]] = record
            self._drain()

    def _drain(self) -> None:
        assert self.seq is not None
        while self.seq + 1 in self.early:
            record = self.early.pop(self.seq + 1)
            for change in record["changes"]:
                key = (change["entity"], change["id"])
                if change.get("deleted"):
                    self.entities.pop(key, None)
                else:
                    self.entities[key] = change["value"]
            self.seq = record["seq"]
        self.known_seq = max(self.known_seq, self.seq)
        if self.gap_since is not None and not self.behind():
            assert self.gap_revealed_by is not None
            self.repairs.append((self.gap_revealed_by, time.monotonic() - self.gap_since))
            self.gap_since = self.gap_revealed_by = None

    def behind(self) -> bool:
        return self.seq is None or bool(self.early) or self.known_seq > self.seq

    def view(self) -> View:
        return dict(self.entities)

    async def _on_applied(self, record: dict[str, Any]) -> None:
        self._note("applied", record)
        self.known_seq = max(self.known_seq, record["seq"])
        self._receive(record)
        if self.behind():  # an early one: give the missing one a second, then sync
            self._gap_revealed("applied", self.GAP_WAIT)

    async def _on_heartbeat(self, data: dict[str, Any]) -> None:
        self._note("heartbeat", data)
        self.known_seq = max(self.known_seq, data["seq"])
        if self.behind():  # missed a broadcast (pub/sub is at most once): sync now
            self._gap_revealed("heartbeat", 0.0)

    def _gap_revealed(self, by: str, wait: float) -> None:
        if self.gap_since is None:
            self.gap_since, self.gap_revealed_by = time.monotonic(), by
        if self._gap_task is None or self._gap_task.done():
            self._gap_task = asyncio.create_task(self._fill_gap(wait))

    async def _fill_gap(self, wait: float) -> None:
        await asyncio.sleep(wait)
        if self.behind() and self.sio is not None and self.sio.connected:
            with contextlib.suppress(socketio.exceptions.SocketIOError):
                await self.repair()

    async def repair(self) -> None:
        """`sync` from the last applied seq, and apply what it returns."""
        assert self.seq is not None
        since = self.seq
        answer = await self.sync(since)
        self.syncs.append((since, answer))
        assert answer["ok"], answer
        if "board" in answer:
            self._load(answer["board"], answer["seq"])
        else:
            for record in answer["changes"]:
                self._receive(record)
        self.known_seq = max(self.known_seq, answer["seq"])

    async def sync(self, since: int, timeout: float = 5.0) -> dict[str, Any]:
        """`sync` from `since`; `rate_limited` (a lot of catching up at once) is waited out
        as the page does, for its `retry_after`, and asked again."""
        assert self.sio is not None
        while True:
            answer: dict[str, Any] = await self.sio.call("sync", {"since": since}, timeout=timeout)
            if answer.get("code") != "rate_limited":
                return answer
            await asyncio.sleep(answer["retry_after"])

    async def catch_up(self, seq: int, timeout: float = 3.0) -> None:
        """Wait until this client has applied `seq`; then fill any gap left with `sync`."""
        with contextlib.suppress(AssertionError):
            await wait_until(lambda: self.seq is not None and self.seq >= seq, timeout)
        if self.seq is None or self.seq < seq:
            await self.repair()

    # --- ops ---

    async def send(self, op: dict[str, Any], timeout: float = 3.0) -> dict[str, Any] | None:
        """Send (or resend) one op, queued until the server has answered it for good."""
        if op not in self.queue:
            self.queue.append(op)
        if self.sio is None:
            return None
        try:
            answer: dict[str, Any] = await self.sio.call("op", op, timeout=timeout)
        except socketio.exceptions.SocketIOError:  # not connected, or no answer in time
            return None
        self._note("answer", (op["id"], answer))
        if answer.get("ok") or answer.get("code") not in PASSING_CODES:
            with contextlib.suppress(ValueError):
                self.queue.remove(op)
            self.answers.setdefault(op["id"], answer)
        return answer

    async def resend_queue(self) -> None:
        for op in list(self.queue):
            await self.send(op)

    async def deliver(self, op: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send `op` until the server answers it for good (waiting out `rate_limited`)."""
        deadline = time.monotonic() + timeout
        while True:
            answer = await self.send(op)
            if answer is not None and (answer["ok"] or answer["code"] not in PASSING_CODES):
                return answer
            if time.monotonic() > deadline:
                raise AssertionError(f"{op['id']} not answered for good: {answer}")
            await asyncio.sleep(0.2)

    def acked(self) -> dict[str, int]:
        """op id -> seq of every op the server acknowledged as committed."""
        return {op_id: a["seq"] for op_id, a in self.answers.items() if a.get("ok")}


async def fetch_board(base_url: str, client: Replica) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.get(
            f"{base_url}/api/meetings/{client.meeting_id}", headers={"Cookie": client.cookie}
        )
    answer.raise_for_status()
    return answer.json()


async def full_log(client: Replica) -> list[dict[str, Any]]:
    """Every committed op of the meeting, from `sync` since 0."""
    answer = await client.sync(0, timeout=10)
    assert answer["ok"] and "changes" in answer, answer
    return answer["changes"]


async def assert_converged(
    base_url: str, clients: list[Replica], acked: dict[tuple[str, str], int] | None = None
) -> dict[str, Any]:
    """Every client's board equals the server's; no op id is applied twice; every
    acknowledged op ((participant, op id) -> seq) is in the log at its seq."""
    board = await fetch_board(base_url, clients[0])
    for client in clients:
        await client.catch_up(board["seq"])
        assert client.seq == board["seq"], (client.me["name"], client.seq, board["seq"])
        assert client.view() == board_view(board), f"{client.me['name']} differs from the server"
    log = await full_log(clients[0])
    assert [record["seq"] for record in log] == list(range(1, board["seq"] + 1))
    keys = [(record["by"], record["op_id"]) for record in log]
    twice = {key for key in keys if keys.count(key) > 1}
    assert not twice, f"applied twice: {twice}"
    at = {key: record["seq"] for key, record in zip(keys, log, strict=True)}
    for key, seq in (acked or {}).items():
        assert at.get(key) == seq, f"acknowledged op {key} (seq {seq}) is not in the log there"
    return board


def card_add(op_id: str, text: str, card_id: str, section: str = "strengths") -> dict[str, Any]:
    return {"id": op_id, "type": "card.add", "section": section, "text": text, "card_id": card_id}


async def keep_adding_cards(client: Replica, name: str, stop: asyncio.Event) -> None:
    """A person adding a card every 0.25 s: when the connection is back (and caught up),
    resend what is queued first, in order, with the same ids."""
    n = 0
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(client.online.wait(), 0.25)
        if not client.online.is_set():
            continue
        await client.resend_queue()
        n += 1
        await client.send(card_add(f"o_{name}_{n}", f"{name} {n}", f"c_{name}_{n}"), timeout=2)
        await asyncio.sleep(0.25)
