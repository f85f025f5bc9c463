"""Real Kinboard server processes on free ports, and real Socket.IO clients that join them."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import socketio

ROOT = Path(__file__).resolve().parents[2]
# Test servers run with an API key so that tests can start meetings as an integration would.
API_KEY = "test-api-key-" + "k" * 24

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`python -m server serve` in a child process, as a user would run it."""

    def __init__(
        self, data_dir: Path, env: Mapping[str, str] | None = None, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.data_dir = data_dir
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "KINBOARD_HOST": "127.0.0.1",
            "KINBOARD_PORT": str(self.port),
            "KINBOARD_DATA_DIR": str(data_dir),
            "KINBOARD_API_KEY": API_KEY,
            # Every test client joins from 127.0.0.1: lift the per-address limit.
            "KINBOARD_JOIN_BURST": "100000",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / f"server-{self.port}.log"

    def start(self) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # The child writes to its own copy of the file; ours is closed at once.
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server", "serve"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_workers(
    root: Path,
    redis_url: str,
    count: int = 2,
    prefix: str = "kb",
    base_url: str | None = None,
    origins: list[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> list[ServerProcess]:
    """`count` workers sharing one Redis and one secret key, each on its own port; `env`
    adds to the environment they share."""
    ports = [free_port() for _ in range(count)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    shared = {
        "REDIS_URL": redis_url,
        "KINBOARD_REDIS_PREFIX": prefix,
        "KINBOARD_SECRET_KEY": secrets.token_urlsafe(40),
        "KINBOARD_ALLOWED_ORIGINS": ",".join(origins or urls),
        "KINBOARD_BASE_URL": base_url or urls[0],
        **(env or {}),
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


def create_meeting(base_url: str, title: str = "Family meeting", **fields: Any) -> dict[str, Any]:
    answer = httpx.post(
        f"{base_url}/api/meetings",
        json={"title": title, **fields},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()


def staff_command(env: Mapping[str, str], *args: str, password: str = "") -> str:
    """`kinboard staff ...` with the store settings in `env` (and a password on stdin)."""
    done = subprocess.run(
        [sys.executable, "-m", "server", "staff", *args],
        cwd=ROOT,
        env={"PATH": "", **env},
        input=password + "\n",
        text=True,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return done.stdout


def token_of(link: str) -> str:
    return link.split("#", 1)[1]


@dataclass
class Client:
    """One participant: joins by a link over HTTP, then talks over a real Socket.IO socket."""

    base_url: str
    meeting_id: str
    cookie: str
    me: dict[str, Any]
    origin: str = ""
    sio: socketio.AsyncClient = field(
        default_factory=lambda: socketio.AsyncClient(reconnection=False)
    )
    events: list[tuple[str, Any]] = field(default_factory=list)
    state: dict[str, Any] | None = None

    @classmethod
    async def join(
        cls,
        base_url: str,
        link: str,
        name: str,
        role: str | None = None,
        connect: bool = True,
        cookie: str = "",
        language: str | None = None,
    ) -> Client:
        """`cookie`: the cookies of an earlier join, to join again from the same browser;
        `language`: as chosen on the join page."""
        async with httpx.AsyncClient(base_url=base_url) as http:
            body: dict[str, Any] = {"token": token_of(link), "name": name}
            if role:
                body["role"] = role
            if language:
                body["language"] = language
            headers = {"Cookie": cookie} if cookie else {}
            answer = await http.post("/api/join", json=body, headers=headers)
            answer.raise_for_status()
            data = answer.json()
        cookie = "; ".join(f"{k}={v}" for k, v in answer.cookies.items())
        client = cls(base_url, data["meeting_id"], cookie, data["participant"], origin=base_url)
        if connect:
            await client.connect()
        return client

    async def connect(self, origin: str | None = None) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("*", self._record)
        got_state = asyncio.Event()

        async def on_state(data: Any) -> None:
            self.state = data
            self.events.append(("state", data))
            got_state.set()

        self.sio.on("state", on_state)
        await self.sio.connect(
            self.base_url,
            headers={"Cookie": self.cookie, "Origin": origin or self.origin},
            auth={"meeting_id": self.meeting_id},
            transports=["websocket"],
            wait_timeout=10,
        )
        await asyncio.wait_for(got_state.wait(), 10)

    async def _record(self, event: str, data: Any) -> None:
        self.events.append((event, data))

    async def op(self, op_type: str, op_id: str | None = None, **fields: Any) -> dict[str, Any]:
        message = {"id": op_id or f"o_{secrets.token_hex(6)}", "type": op_type, **fields}
        return await self.sio.call("op", message, timeout=10)

    async def send(self, message: Any) -> dict[str, Any]:
        return await self.sio.call("op", message, timeout=10)

    def applied(self, entity: str | None = None) -> list[dict[str, Any]]:
        """The `applied` records received, or only those that change `entity`."""
        return [
            data
            for event, data in self.events
            if event == "applied"
            and (entity is None or any(c["entity"] == entity for c in data["changes"]))
        ]

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"condition not met within {timeout} s; events: {self.events[-5:]}")

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


async def between_heartbeats(clients: list[Client], period: float, quiet: float) -> None:
    """Returns when none of `clients`' workers will beat for `quiet` seconds. Each beat also
    drops sockets whose session has ended: a test of a lost disconnect must act between them.
    Workers beat on phases of their own, so this waits for the beat due soonest until the
    next one is far enough off. A beat in a room that heard an `applied` since the one before
    sends no heartbeat: the first one seen may come a period later."""

    def beats(client: Client) -> int:
        return sum(1 for event, _ in client.events if event == "heartbeat")

    async def next_beat(client: Client) -> float:
        seen = beats(client)
        await client.wait_for(lambda: beats(client) > seen, 2 * period + 2)
        return time.monotonic()

    due = {id(client): await next_beat(client) + period for client in clients}
    for _ in range(len(clients) + 1):
        soonest = min(clients, key=lambda client: due[id(client)])
        if due[id(soonest)] - time.monotonic() >= quiet:
            return
        due[id(soonest)] = await next_beat(soonest) + period
    raise AssertionError(f"no {quiet} s without a heartbeat")


async def disconnected_within(clients: list[Client], seconds: float) -> float:
    """Wait until every one of `clients` has been disconnected; how long that took."""
    began = time.monotonic()
    for client in clients:
        await client.wait_for(lambda c=client: not c.sio.connected, timeout=seconds)
    return time.monotonic() - began


async def refusal(client: Client, origin: str | None = None, cookie: str | None = None) -> str:
    """Try to open one more socket as `client`; the reason it was refused ("" if it was not)."""
    sio = socketio.AsyncClient(reconnection=False)
    reasons: list[Any] = []
    sio.on("connect_error", reasons.append)
    headers = {"Origin": origin or client.origin}
    cookie = client.cookie if cookie is None else cookie
    if cookie:
        headers["Cookie"] = cookie
    try:
        await sio.connect(
            client.base_url,
            headers=headers,
            auth={"meeting_id": client.meeting_id},
            transports=["websocket"],
            wait_timeout=5,
        )
    except socketio.exceptions.ConnectionError:
        (reason,) = reasons
        return reason["message"] if isinstance(reason, dict) else str(reason)
    await sio.disconnect()
    return ""


@asynccontextmanager
async def people_of_a_meeting(
    server: ServerProcess, display: bool = True
) -> AsyncIterator[dict[str, Any]]:
    """A new meeting with a facilitator, a parent, a grandparent and (unless not asked for)
    the display connected."""
    meeting = create_meeting(server.url, "Family meeting for Ava")
    links = meeting["links"]
    clients = {
        "facilitator": await Client.join(server.url, links["facilitator"], "Priya"),
        "parent": await Client.join(server.url, links["participant"], "Sam", role="parent"),
        "gran": await Client.join(server.url, links["participant"], "Gran", role="network"),
    }
    if display:
        clients["display"] = await Client.join(server.url, links["display"], "")
    try:
        yield {"meeting": meeting, "server": server, **clients}
    finally:
        for client in clients.values():
            await client.close()


class BackgroundLoop:
    """An asyncio event loop in its own thread, for async clients driven from sync code (a
    Hypothesis state machine, Playwright's sync API)."""

    def __init__(self, timeout: float = 30) -> None:
        self.timeout = timeout
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return future.result(timeout or self.timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
