"""Fault tolerance, end to end, each test printing the figure it measures and asserting its
bound: a lost ack, a missed broadcast, Redis restarted or hanging. (A worker killed behind
nginx is in test_fault_failover.py; the Hypothesis convergence run in
test_fault_convergence.py; both use the helpers here.)

Real server processes, a Redis of the test's own (AOF `everysec`, `noeviction`, a password,
its own port and directory) where a test needs to stop, freeze or pause it, and
python-socketio clients that behave as protocol.md asks a client to (`Replica`): apply
`applied` in seq order, `sync` on a gap or a later heartbeat seq, keep unacknowledged ops
queued and resend them with the same ids.

With KINBOARD_REQUIRE_REDIS=1 a missing `redis-server` fails these tests instead of skipping
them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
import redis
import socketio

from .harness import API_KEY, ServerProcess, create_meeting, free_port, token_of

# The bounds the issue sets.
REFUSED_WITHIN = 2.0  # an op while Redis is away is refused `unavailable` by then
REPAIRED_WITHIN = 2.0  # a gap is filled by then after the message or heartbeat revealing it
RECONNECTED_WITHIN = 5.0  # after a worker dies, its clients are back (through nginx) by then
RESUMED_WITHIN = 5.0  # after Redis is back, workers and clients work again by then
# The server beats every 5 s; a little more for scheduling.
HEARTBEAT_WITHIN = 5.0 + 0.75

# Answers that pass: the server remembers nothing, so the client keeps the op and resends it.
PASSING_CODES = {"unavailable", "rate_limited"}


def _required(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0", "false")


def need_program(name: str, variable: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
    if path:
        return path
    message = f"{name} is not installed"
    if _required(variable):
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
    same port and directory, frozen (SIGSTOP) and paused."""

    def __init__(self, directory: Path) -> None:
        self.binary = need_program("redis-server", "KINBOARD_REQUIRE_REDIS")
        self.directory = directory
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
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


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


def start_workers(
    root: Path,
    redis_url: str,
    count: int = 2,
    prefix: str = "kb",
    base_url: str | None = None,
    origins: list[str] | None = None,
) -> list[ServerProcess]:
    """`count` workers sharing one Redis and one secret key, each on its own port."""
    ports = [free_port() for _ in range(count)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    shared = {
        "REDIS_URL": redis_url,
        "KINBOARD_REDIS_PREFIX": prefix,
        "KINBOARD_SECRET_KEY": secrets.token_urlsafe(40),
        "KINBOARD_ALLOWED_ORIGINS": ",".join(origins or urls),
        "KINBOARD_BASE_URL": base_url or urls[0],
    }
    workers = [
        ServerProcess(root / f"worker{n}", env=shared, port=port) for n, port in enumerate(ports)
    ]
    with ThreadPoolExecutor(count) as pool:  # start together: each takes a second or two
        started = [pool.submit(worker.start) for worker in workers]
    try:
        for future in started:
            future.result()
    except BaseException:
        stop_all(*workers)
        raise
    return workers


def stop_all(*processes: ServerProcess) -> None:
    for process in processes:
        process.stop()


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
            self.base_url,
            headers={"Cookie": self.cookie, "Origin": self.base_url},
            auth={"meeting_id": self.meeting_id},
            transports=["websocket"],
            wait_timeout=10,
        )
        await asyncio.wait_for(self.online.wait(), 10)

    async def _on_connect(self) -> None:
        self._note("connect", None)
        if self.seq is not None:  # a reconnect: catch up from the log first
            self._spawn(self._catch_up())

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
        assert self.sio is not None and self.seq is not None
        since = self.seq
        answer = await self.sio.call("sync", {"since": since}, timeout=5)
        self.syncs.append((since, answer))
        assert answer["ok"], answer
        if "board" in answer:
            self._load(answer["board"], answer["seq"])
        else:
            for record in answer["changes"]:
                self._receive(record)
        self.known_seq = max(self.known_seq, answer["seq"])

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
    assert client.sio is not None
    answer = await client.sio.call("sync", {"since": 0}, timeout=10)
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


def readyz(url: str, timeout: float = 5.0) -> tuple[int, dict[str, Any], float]:
    started = time.monotonic()
    answer = httpx.get(f"{url}/readyz", timeout=timeout)
    return answer.status_code, answer.json(), time.monotonic() - started


# --- lost ack ---------------------------------------------------------------------------


def commit_waiting(admin: redis.Redis) -> bool:
    """Whether a commit script is held by CLIENT PAUSE WRITE."""
    return any("b" in c["flags"] and c["cmd"] in ("evalsha", "eval") for c in admin.client_list())


async def test_lost_ack_the_resent_op_is_applied_exactly_once(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    (worker,) = start_workers(tmp_path, own_redis.url, count=1)
    sam = gran = None
    try:
        meeting = create_meeting(worker.url, "Lost ack")
        links = meeting["links"]
        sam = await Replica.join(worker.url, links["participant"], "Sam", "parent")
        gran = await Replica.join(worker.url, links["participant"], "Gran", "network")
        op = card_add("o_lost", "Gran walks them to school", "c_lost")
        acks: list[Any] = []
        assert sam.sio is not None

        # Redis holds writes, so the op stops at its commit; the socket drops meanwhile.
        with own_redis.admin() as admin:
            admin.client_pause(5000, all=False)
            held_from = time.monotonic()
            try:
                await sam.sio.emit("op", op, callback=lambda *answer: acks.append(answer))
                await wait_until(lambda: commit_waiting(admin), 0.5, "the commit reaches Redis")
                await sam.sio.disconnect()
            finally:
                admin.client_unpause()
            held = time.monotonic() - held_from
        assert held < 0.8, f"the commit was held {held:.2f} s, near the store's time-out"

        # The server commits it: the room hears it, the sender never hears the ack.
        await wait_until(lambda: gran.seq is not None and gran.seq > sam.seq, 5, "commit")
        committed = [r for _, e, r in gran.events if e == "applied" and r["op_id"] == "o_lost"]
        assert len(committed) == 1
        seq = committed[0]["seq"]
        await asyncio.sleep(0.3)
        assert acks == [], "the ack reached a disconnected client"

        # The client reconnects, syncs (its card is there) and resends the same op id.
        started = time.monotonic()
        await sam.connect()
        assert ("card", "c_lost") in sam.view()
        answer = await sam.send(op)
        took = time.monotonic() - started
        assert answer == {"ok": True, "seq": seq, "duplicate": True}

        await asyncio.sleep(0.3)  # a second `applied` would have arrived by now
        heard = [r for _, e, r in gran.events if e == "applied" and r["op_id"] == "o_lost"]
        assert len(heard) == 1, "the resent op was broadcast again"
        board = await assert_converged(worker.url, [sam, gran], {(sam.id, "o_lost"): seq})
        assert board["seq"] == seq
        assert [c["id"] for c in board["cards"] if c["text"] == op["text"]] == ["c_lost"]
        print(
            f"lost ack: commit held {held:.2f} s while the socket dropped; reconnect, sync and "
            f"resend answered duplicate (seq {seq}) in {took:.2f} s; applied once"
        )
    finally:
        for client in (sam, gran):
            if client is not None:
                await client.close()
        worker.stop()


# --- missed broadcast -------------------------------------------------------------------


def numsub(admin: redis.Redis, channel: str) -> int:
    return int(dict(admin.pubsub_numsub(channel)).get(channel, 0))


async def test_a_missed_broadcast_is_repaired_by_the_heartbeat_or_the_next_message(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    first, second = start_workers(tmp_path, own_redis.url)
    ann = ben = None
    admin = own_redis.admin()
    try:
        meeting = create_meeting(first.url, "Missed broadcast")
        links = meeting["links"]
        ann = await Replica.join(first.url, links["facilitator"], "Ann")
        ben = await Replica.join(second.url, links["participant"], "Ben", "parent")
        assert ann.sio is not None

        ack = await ann.send(card_add("o_1", "Warm-up", "c_1"))
        assert ack is not None and ack["ok"]
        await wait_until(lambda: ben.seq == ack["seq"], 5, "a broadcast reaches the other worker")

        async def until_second_worker_listens() -> None:
            """Until a broadcast from the first worker reaches the second again: Ann says
            she is editing nothing, and Ben, on the second worker, hears the presence."""
            started = time.monotonic()
            while time.monotonic() - started < 5:
                asked = time.monotonic()
                await ann.sio.emit("editing", {"card_id": None})
                await asyncio.sleep(0.1)
                if any(at > asked for at in ben.times("presence")):
                    return
            raise AssertionError("the second worker does not hear the first again")

        async def missed_by_second_worker(op: dict[str, Any]) -> tuple[dict[str, Any], float]:
            """Commit `op` on the first worker while the second does not listen: freeze it,
            drop every pub/sub connection, commit, thaw it; it re-subscribes 0.5 s later."""
            assert second.process is not None
            second.process.send_signal(signal.SIGSTOP)
            try:
                admin.client_kill_filter(_type="pubsub")
                answer = await ann.send(op)
                committed_at = time.monotonic()
                assert answer is not None and answer["ok"], answer
            finally:
                second.process.send_signal(signal.SIGCONT)
            await until_second_worker_listens()
            return answer, committed_at

        # 1. A quiet room: only the heartbeat can reveal the gap.
        ack2, committed_at = await missed_by_second_worker(card_add("o_2", "Quiet", "c_2"))
        mine = [r for _, e, r in ann.events if e == "applied" and r["seq"] == ack2["seq"]]
        assert len(mine) == 1
        assert all(r["seq"] != ack2["seq"] for _, e, r in ben.events if e == "applied")
        await wait_until(
            lambda: ben.seq == ack2["seq"], HEARTBEAT_WITHIN + REPAIRED_WITHIN, "heartbeat repair"
        )
        beats = [(at, d) for at, e, d in ben.events if e == "heartbeat" and at > committed_at]
        beat_at, beat = beats[0]
        assert beat == {"seq": ack2["seq"]}, "the heartbeat names the room's latest seq"
        assert beat_at - committed_at <= HEARTBEAT_WITHIN
        revealed_by, repaired_in = ben.repairs[-1]
        assert revealed_by == "heartbeat"
        assert repaired_in <= REPAIRED_WITHIN
        since, answer = ben.syncs[-1]
        assert since == ack2["seq"] - 1
        assert answer == {"ok": True, "seq": ack2["seq"], "changes": mine}, "exactly the missed op"
        print(
            f"missed broadcast, quiet room: heartbeat {beat_at - committed_at:.2f} s after the "
            f"commit named seq {beat['seq']}; sync repaired it in {repaired_in:.3f} s"
        )

        # 2. A busy room: the worker beats as soon as it listens again, and the next
        # `applied` would reveal the gap too; either way it is repaired at once.
        await missed_by_second_worker(card_add("o_3", "Missed", "c_3"))
        ack4 = await ann.send(card_add("o_4", "Next", "c_4"))
        assert ack4 is not None and ack4["ok"]
        await wait_until(lambda: ben.seq == ack4["seq"], 2 * REPAIRED_WITHIN, "gap repair")
        revealed_by, repaired_in = ben.repairs[-1]
        assert revealed_by in ("applied", "heartbeat")
        assert repaired_in <= REPAIRED_WITHIN
        since, answer = ben.syncs[-1]
        assert since == ack2["seq"]
        assert [r["op_id"] for r in answer["changes"]][:1] == ["o_3"]
        print(f"missed broadcast, busy room: {revealed_by} revealed it; {repaired_in:.2f} s")

        await assert_converged(first.url, [ann, ben])
    finally:
        for client in (ann, ben):
            if client is not None:
                await client.close()
        admin.close()
        stop_all(first, second)


async def test_a_dropped_pubsub_connection_leaves_one_subscription_per_worker(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    (worker,) = start_workers(tmp_path, own_redis.url, count=1)
    admin = own_redis.admin()
    try:
        if numsub(admin, "kb:socketio") != 1:
            pytest.fail("the worker should subscribe once at start")
        admin.client_kill_filter(_type="pubsub")
        await asyncio.sleep(1.5)  # the worker re-subscribes within 0.5 s
        if readyz(worker.url)[0] != 200:
            pytest.fail("the worker should be listening again")
        subscribers = numsub(admin, "kb:socketio")
        print(f"pub/sub dropped: one worker now holds {subscribers} subscriber connection(s)")
        assert subscribers == 1, "a subscriber connection that nobody reads was left behind"
    finally:
        admin.close()
        worker.stop()


async def test_an_erased_meeting_does_not_silence_the_heartbeat_of_others(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    first, second = start_workers(tmp_path, own_redis.url)
    admin = own_redis.admin()
    gone = kept = None
    try:
        # Two meetings with a socket each on the second worker, the erased one first.
        erased = create_meeting(first.url, "Erased meeting")
        other = create_meeting(first.url, "Another meeting")
        gone = await Replica.join(second.url, erased["links"]["participant"], "Sam", "parent")
        kept = await Replica.join(second.url, other["links"]["participant"], "Ava", "child")

        # Erase the first while the second worker does not hear the other's broadcasts, so
        # the message that should close its socket there is lost (pub/sub: at most once).
        assert second.process is not None
        second.process.send_signal(signal.SIGSTOP)
        try:
            admin.client_kill_filter(_type="pubsub")
            answer = httpx.delete(
                f"{first.url}/api/meetings/{erased['id']}",
                headers={"Authorization": f"Bearer {API_KEY}"},
                timeout=10,
            )
        finally:
            second.process.send_signal(signal.SIGCONT)
        resumed_at = time.monotonic()
        if answer.status_code != 204:
            pytest.fail(f"erasing answered {answer.status_code}: {answer.text}")

        def beat_since(client: Replica) -> bool:
            return any(at > resumed_at for at in client.times("heartbeat"))

        await wait_until(lambda: beat_since(kept), HEARTBEAT_WITHIN, "the other meeting's beat")
        await wait_until(
            lambda: any(at > resumed_at for at in gone.times("disconnect")),
            HEARTBEAT_WITHIN,
            "the erased meeting's socket is closed",
        )
    finally:
        for client in (gone, kept):
            if client is not None:
                await client.close()
        admin.close()
        stop_all(first, second)


# --- Redis away -----------------------------------------------------------------------


async def test_redis_restarted_workers_and_clients_resume_and_nothing_acked_is_lost(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    first, second = start_workers(tmp_path, own_redis.url)
    ann = ben = None
    try:
        meeting = create_meeting(first.url, "Redis restart")
        links = meeting["links"]
        ann = await Replica.join(first.url, links["facilitator"], "Ann")
        ben = await Replica.join(second.url, links["participant"], "Ben", "parent")
        for client, n in ((ann, 1), (ben, 2)):
            answer = await client.send(card_add(f"o_before_{n}", f"Before {n}", f"c_b{n}"))
            assert answer is not None and answer["ok"]

        own_redis.stop(signal.SIGTERM)
        down_at = time.monotonic()

        # While Redis is away: ops are refused at once with `unavailable` and stay queued.
        refused_in = []
        for client, n in ((ann, 1), (ben, 2)):
            op = card_add(f"o_queued_{n}", f"Queued {n}", f"c_q{n}")
            started = time.monotonic()
            answer = await client.send(op, timeout=10)
            refused_in.append(time.monotonic() - started)
            assert answer is not None and answer["code"] == "unavailable", answer
            assert answer["ok"] is False
            assert client.queue == [op]
        assert max(refused_in) <= REFUSED_WITHIN
        for worker in (first, second):
            status, body, _ = readyz(worker.url)
            assert status == 503 and body["status"] == "unavailable", body
        await asyncio.sleep(max(0.0, 1.5 - (time.monotonic() - down_at)))

        own_redis.start()  # the same port, directory and AOF
        back_at = time.monotonic()

        # Every worker is ready again, and the queued ops go through, each once.
        await wait_until(
            lambda: all(readyz(w.url)[0] == 200 for w in (first, second)),
            RESUMED_WITHIN,
            "workers ready",
            step=0.1,
        )
        ready_in = time.monotonic() - back_at
        for client in (ann, ben):
            await client.resend_queue()
            assert client.queue == []
        accepted_in = time.monotonic() - back_at
        for client in (ann, ben):
            for n in (1, 2):
                answer = client.answers.get(f"o_queued_{n}")
                if answer is not None:
                    assert answer["ok"] and "duplicate" not in answer, answer
        final = (await fetch_board(first.url, ann))["seq"]
        await wait_until(
            lambda: ann.seq == ben.seq == final, RESUMED_WITHIN, "both clients hear both ops"
        )
        converged_in = time.monotonic() - back_at
        assert converged_in <= RESUMED_WITHIN

        acked = {(c.id, op_id): seq for c in (ann, ben) for op_id, seq in c.acked().items()}
        assert len(acked) == 4
        board = await assert_converged(first.url, [ann, ben], acked)
        assert {c["id"] for c in board["cards"]} >= {"c_b1", "c_b2", "c_q1", "c_q2"}

        # The heartbeat carries on after the outage, on both workers.
        await wait_until(
            lambda: all(
                any(at > back_at and d["seq"] == final for at, e, d in c.events if e == "heartbeat")
                for c in (ann, ben)
            ),
            HEARTBEAT_WITHIN,
            "a heartbeat after Redis came back",
        )
        print(
            f"Redis restart: ops refused in {max(refused_in):.3f} s while down; after Redis was "
            f"back workers ready in {ready_in:.2f} s, queued ops accepted in {accepted_in:.2f} s, "
            f"clients converged in {converged_in:.2f} s"
        )
    finally:
        for client in (ann, ben):
            if client is not None:
                await client.close()
        stop_all(first, second)


async def test_redis_that_hangs_ops_are_refused_within_two_seconds(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    (worker,) = start_workers(tmp_path, own_redis.url, count=1)
    sam = None
    try:
        meeting = create_meeting(worker.url, "Redis hangs")
        sam = await Replica.join(worker.url, meeting["links"]["participant"], "Sam", "parent")
        answer = await sam.send(card_add("o_1", "Before", "c_1"))
        assert answer is not None and answer["ok"]

        own_redis.signal(signal.SIGSTOP)  # Redis takes connections but answers nothing
        try:
            op = card_add("o_2", "While Redis hangs", "c_2")
            started = time.monotonic()
            answer = await sam.send(op, timeout=10)
            refused_in = time.monotonic() - started
            status, body, readyz_in = readyz(worker.url)
        finally:
            own_redis.signal(signal.SIGCONT)
        back_at = time.monotonic()
        assert answer is not None and answer["code"] == "unavailable", answer
        assert refused_in <= REFUSED_WITHIN
        assert status == 503 and body["status"] == "unavailable", body
        assert readyz_in <= REFUSED_WITHIN + 0.5
        assert sam.queue == [op]

        await sam.resend_queue()
        assert sam.queue == [] and sam.answers["o_2"]["ok"]
        accepted_in = time.monotonic() - back_at
        assert accepted_in <= RESUMED_WITHIN
        await wait_until(lambda: readyz(worker.url)[0] == 200, RESUMED_WITHIN, "ready", step=0.1)
        await assert_converged(worker.url, [sam], {(sam.id, k): v for k, v in sam.acked().items()})
        print(
            f"Redis hung: op refused `unavailable` in {refused_in:.2f} s, /readyz 503 in "
            f"{readyz_in:.2f} s; the queued op went through {accepted_in:.2f} s after Redis woke"
        )
    finally:
        if sam is not None:
            await sam.close()
        worker.stop()
