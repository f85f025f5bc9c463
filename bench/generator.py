"""One load-generator process: its share of the meetings, every participant of each.

All participants of a meeting live in the same process, so the time an op was sent, its
ack, and its `applied` at every other participant are compared on one clock without any
cross-process bookkeeping. The orchestrator (bench/run.py) drives the phases over a pipe:

    setup (create meetings, join) -> "connect" -> "run" (window) -> results
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import aiohttp

from . import workload
from .sio import SioClient, event_payload
from .stats import Histogram

ACK_TIMEOUT = 10.0
LAG_TICK = 0.05  # the event-loop lag probe's period


@dataclass(frozen=True)
class GeneratorConfig:
    index: int
    urls: tuple[str, ...]  # one per server worker
    meetings: int
    participants: int
    rate: float  # ops per second per participant
    seed: int
    api_key: str = ""  # Kinboard's KINBOARD_API_KEY, to start meetings
    # With several workers: "participant" puts participant j of every meeting on worker
    # j % workers (every meeting spans the workers, as with per-client sticky routing);
    # "meeting" puts all of meeting n on worker n % workers (routing by meeting).
    split: str = "participant"


@dataclass(frozen=True)
class Window:
    """Monotonic times shared by all processes (CLOCK_MONOTONIC is system-wide)."""

    start: float  # ops start before this (warm-up) but are measured from here
    end: float  # no op is sent after this
    drain: float  # seconds to wait for the last acks and deliveries
    interval: float = 0.0  # > 0: also keep histograms per interval (soak)


@dataclass(slots=True)
class Sent:
    """An op in flight: who sent it, when, and which participants have seen it applied."""

    t: float
    meeting: Meeting
    sender: int
    measured: bool
    got: int
    acked: bool


@dataclass
class Participant:
    index: int  # within the meeting: its bit in Sent.got
    url: str
    cookie: str
    me: dict[str, Any]
    author: workload.Author
    sio: SioClient | None = None
    last_seq: int = 0
    ahead: set[int] = field(default_factory=set)


@dataclass
class Meeting:
    id: str
    participants: list[Participant] = field(default_factory=list)
    board: workload.Board = field(default_factory=workload.Board)

    @property
    def everyone(self) -> int:
        return (1 << len(self.participants)) - 1


@dataclass
class Results:
    ack: Histogram = field(default_factory=Histogram)
    fanout: Histogram = field(default_factory=Histogram)
    lag: Histogram = field(default_factory=Histogram)
    ack_by_interval: dict[int, Histogram] = field(default_factory=dict)
    fanout_by_interval: dict[int, Histogram] = field(default_factory=dict)
    sent: int = 0  # ops sent in the window
    sent_total: int = 0
    acked: int = 0  # of the ops sent in the window
    refused: Counter[str] = field(default_factory=Counter)
    no_ack: int = 0
    lost_ops: int = 0  # acked, yet some participant never saw it applied
    missing_deliveries: int = 0
    duplicated: int = 0  # an op id or a seq delivered twice to one client
    refused_applied: int = 0  # deliveries of ops whose ack said they were refused
    deliveries: int = 0  # `applied` received in the window
    presence: int = 0  # `presence` received in the window
    editing_sent: int = 0
    cpu_seconds: float = 0.0
    window_seconds: float = 0.0
    connections: int = 0
    errors: list[str] = field(default_factory=list)


class Generator:
    def __init__(self, config: GeneratorConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.prefix = f"g{config.index}x"  # every measured op id starts with this
        self.meetings: list[Meeting] = []
        self.pending: dict[str, Sent] = {}
        self.refused_ids: set[str] = set()
        self.results = Results()
        self.window: Window | None = None
        self._ids = 0
        self._texts = 0
        self.http: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Future[None]] = set()

    # --- setup ---

    async def setup(self) -> None:
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0),
            cookie_jar=aiohttp.DummyCookieJar(),  # we send each participant's cookie ourselves
            timeout=aiohttp.ClientTimeout(total=60),
        )
        gate = asyncio.Semaphore(8)
        self.meetings = list(
            await asyncio.gather(*(self._create(n, gate) for n in range(self.config.meetings)))
        )

    async def _create(self, n: int, gate: asyncio.Semaphore) -> Meeting:
        assert self.http is not None
        urls = self.config.urls
        async with gate:
            title = f"Bench meeting {self.config.index}-{n}"
            headers = {"Authorization": f"Bearer {self.config.api_key}"}
            async with self.http.post(
                f"{urls[0]}/api/meetings", json={"title": title}, headers=headers
            ) as r:
                r.raise_for_status()
                created = await r.json()
            meeting = Meeting(created["id"])
            # Joins one after the other: each is a commit on this meeting anyway.
            for j in range(self.config.participants):
                kind = "facilitator" if j == 0 else "participant"
                token = created["links"][kind].split("#", 1)[1]
                body = {"token": token, "name": f"Person {j}"}
                if j:
                    body["role"] = workload.ROLES[j % len(workload.ROLES)]
                url = urls[(j if self.config.split == "participant" else n) % len(urls)]
                async with self.http.post(f"{url}/api/join", json=body) as r:
                    r.raise_for_status()
                    joined = await r.json()
                    cookie = "; ".join(f"{k}={v.value}" for k, v in r.cookies.items())
                author = workload.Author(tag=f"{j}", facilitator=j == 0)
                meeting.participants.append(
                    Participant(j, url, cookie, joined["participant"], author)
                )
            return meeting

    async def connect(self) -> int:
        gate = asyncio.Semaphore(32)

        async def one(meeting: Meeting, p: Participant) -> None:
            async with gate:
                await self._connect(meeting, p)

        await asyncio.gather(*(one(m, p) for m in self.meetings for p in m.participants))
        # The facilitator opens a round on the overall scale, so votes are possible.
        for meeting in self.meetings:
            facilitator = meeting.participants[0].sio
            assert facilitator is not None and meeting.board.scale_id is not None
            op = {"id": f"s{self.prefix}{meeting.id}", "type": "round.open"}
            ack = await facilitator.call_and_wait("op", {**op, "scale_id": meeting.board.scale_id})
            if not ack.get("ok"):
                raise RuntimeError(f"round.open refused: {ack}")
            meeting.board.round_open = True
        self.results.connections = sum(len(m.participants) for m in self.meetings)
        return self.results.connections

    async def _connect(self, meeting: Meeting, p: Participant) -> None:
        assert self.http is not None
        got_state = asyncio.get_running_loop().create_future()

        def on_event(name: str, raw: str) -> None:
            if name == "applied":
                self._applied(meeting, p, raw)
            elif name == "presence":
                self._presence()
            elif name == "state" and not got_state.done():
                got_state.set_result(event_payload(raw))

        p.sio = SioClient(on_event)
        headers = {"Cookie": p.cookie, "Origin": p.url}
        await p.sio.connect(self.http, p.url, headers, {"meeting_id": meeting.id})
        state = await asyncio.wait_for(got_state, 20)
        p.last_seq = state["seq"]
        if p.index == 0:
            scales = state["board"].get("scales", [])
            overall = [s for s in scales if s.get("overall")] or scales
            meeting.board.scale_id = overall[0]["id"]

    # --- receiving ---

    def _applied(self, meeting: Meeting, p: Participant, raw: str) -> None:
        now = time.monotonic()
        record = event_payload(raw)
        window = self.window
        if window is not None and window.start <= now <= window.end:
            self.results.deliveries += 1
        self._see_seq(p, record["seq"])
        op_id = record["op_id"]
        sent = self.pending.get(op_id)
        if sent is None:
            if op_id in self.refused_ids:
                # Refused (`unavailable`: the store timed out) yet committed after all. The
                # client would resend it and get `duplicate: true`: no harm, but worth a count.
                self.results.refused_applied += 1
            elif isinstance(op_id, str) and op_id.startswith(self.prefix):
                # Ours, and everyone had it already: a second delivery.
                self.results.duplicated += 1
            return
        bit = 1 << p.index
        if sent.got & bit:
            self.results.duplicated += 1
            return
        sent.got |= bit
        if sent.measured and p.index != sent.sender:
            ms = (now - sent.t) * 1000
            self.results.fanout.add(ms)
            self._by_interval(self.results.fanout_by_interval, sent.t, ms)
        if sent.acked and sent.got == meeting.everyone:
            del self.pending[op_id]

    def _see_seq(self, p: Participant, seq: int) -> None:
        """Count a seq this client has had before as a duplicate. Seqs mostly come in order,
        so a watermark plus the few that arrived early is all there is to keep."""
        if seq <= p.last_seq or seq in p.ahead:
            self.results.duplicated += 1
            return
        if seq == p.last_seq + 1:
            p.last_seq = seq
            while p.last_seq + 1 in p.ahead:
                p.last_seq += 1
                p.ahead.discard(p.last_seq)
        else:
            p.ahead.add(seq)
            if len(p.ahead) > 1000:  # a real gap: loss is counted by op id, move on
                p.last_seq = min(p.ahead)
                p.ahead.discard(p.last_seq)

    def _presence(self) -> None:
        window = self.window
        if window is not None and window.start <= time.monotonic() <= window.end:
            self.results.presence += 1

    def _by_interval(self, table: dict[int, Histogram], t: float, ms: float) -> None:
        window = self.window
        if window is not None and window.interval > 0:
            key = int((t - window.start) // window.interval)
            table.setdefault(key, Histogram()).add(ms)

    # --- sending ---

    async def run(self, window: Window) -> Results:
        self.window = window
        lag = asyncio.create_task(self._probe_lag(window))
        await asyncio.gather(
            *(self._participant(m, p, window) for m in self.meetings for p in m.participants)
        )
        await self._drain(window)
        await lag
        self._count_leftovers()
        return self.results

    async def _participant(self, meeting: Meeting, p: Participant, window: Window) -> None:
        interval = 1.0 / self.config.rate
        # Random phase, jittered spacing: a smooth total load, as from independent people.
        next_at = time.monotonic() + self.rng.uniform(0, interval)
        while next_at < window.end:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            try:
                await self._act(meeting, p, window)
            except (ConnectionError, RuntimeError) as error:
                self.results.errors.append(f"{meeting.id}/{p.index}: {error!r}")
                return
            next_at += interval * self.rng.uniform(0.5, 1.5)

    async def _act(self, meeting: Meeting, p: Participant, window: Window) -> None:
        assert p.sio is not None
        self._texts += 1
        action = workload.next_action(self.rng, meeting.board, p.author, self._texts)
        self._ids += 1
        op_id = f"{self.prefix}{self._ids}"
        op = {"id": op_id, **action.op}
        if action.editing is not None:
            await p.sio.emit("editing", {"card_id": action.editing})
            self.results.editing_sent += 1
        now = time.monotonic()
        measured = window.start <= now <= window.end
        sent = Sent(now, meeting, p.index, measured, 0, False)
        self.pending[op_id] = sent
        self.results.sent_total += 1
        if measured:
            self.results.sent += 1
        sio = p.sio

        def on_ack(ack: Any) -> None:
            ms = (time.monotonic() - sent.t) * 1000
            if not isinstance(ack, dict) or not ack.get("ok"):
                code = ack.get("code", "?") if isinstance(ack, dict) else "?"
                self.results.refused[f"{op['type']}:{code}"] += 1
                self.pending.pop(op_id, None)
                self.refused_ids.add(op_id)
            else:
                sent.acked = True
                if measured:
                    self.results.acked += 1
                if ack.get("duplicate"):
                    self.results.duplicated += 1
                workload.acked(op, meeting.board, p.author)
                if sent.got == meeting.everyone:
                    self.pending.pop(op_id, None)
            if measured:
                self.results.ack.add(ms)
                self._by_interval(self.results.ack_by_interval, sent.t, ms)
            if action.editing is not None:
                # Done typing: presence goes back to "not editing".
                task = asyncio.ensure_future(_quietly(sio.emit("editing", {"card_id": None})))
                self._tasks.add(task)  # keep a reference until it is done
                task.add_done_callback(self._tasks.discard)

        await sio.call("op", op, on_ack)

    async def _drain(self, window: Window) -> None:
        """Wait for the last acks and deliveries: until nothing is pending, or nothing has
        moved for `window.drain` seconds (an overloaded server may still be catching up,
        and what it delivers late is late, not lost), or at most a minute."""
        deadline = window.end + 60
        last, still_since = -1, time.monotonic()
        while self.pending and time.monotonic() < deadline:
            progress = len(self.pending) + sum(s.got.bit_count() for s in self.pending.values())
            if progress != last:
                last, still_since = progress, time.monotonic()
            elif time.monotonic() - still_since >= window.drain:
                return
            await asyncio.sleep(0.1)

    def _count_leftovers(self) -> None:
        for sent in self.pending.values():
            if not sent.acked:
                self.results.no_ack += 1
                continue
            missing = sent.meeting.everyone & ~sent.got
            if missing:
                self.results.lost_ops += 1
                self.results.missing_deliveries += bin(missing).count("1")

    async def _probe_lag(self, window: Window) -> None:
        """How late the event loop wakes up: if the generator is busy, its own delays would
        be counted as the server's latency."""
        await asyncio.sleep(max(0.0, window.start - time.monotonic()))
        cpu0, wall0 = time.process_time(), time.monotonic()
        while time.monotonic() < window.end:
            before = time.monotonic()
            await asyncio.sleep(LAG_TICK)
            self.results.lag.add((time.monotonic() - before - LAG_TICK) * 1000)
        self.results.cpu_seconds = time.process_time() - cpu0
        self.results.window_seconds = time.monotonic() - wall0

    async def close(self) -> None:
        await asyncio.gather(
            *(_quietly(p.sio.close()) for m in self.meetings for p in m.participants if p.sio),
        )
        if self.http is not None:
            await self.http.close()


async def _quietly(awaitable: Any) -> None:
    with contextlib.suppress(Exception):
        await awaitable


def process_main(conn: Connection, config: GeneratorConfig) -> None:
    """Entry point of a generator process (multiprocessing target)."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # plain asyncio works, just slower
        pass
    asyncio.run(_serve(conn, config))


async def _serve(conn: Connection, config: GeneratorConfig) -> None:
    loop = asyncio.get_running_loop()
    generator = Generator(config)
    try:
        await generator.setup()
        conn.send(("joined", None))
        while True:
            command, argument = await loop.run_in_executor(None, conn.recv)
            if command == "connect":
                conn.send(("connected", await generator.connect()))
            elif command == "run":
                conn.send(("results", await generator.run(argument)))
            elif command == "close":
                break
    except Exception as error:  # tell the orchestrator rather than hang it
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        await generator.close()
        conn.send(("closed", json.dumps({"index": config.index})))
