"""The staff home page with many families, one command:

    .venv/bin/python -m bench.families --stores sqlite,redis

A store is filled with 10,000 meetings in 3,000 families, 500 of them one staff member's
(the rest shared out among 49 colleagues), most with agreed minutes, a plan and a next
review; then that staff member's home page (pages 1 and 10) and a search by name and by
case reference are asked for, each many times, through the whole application in-process.
The time is the server's: from the request reaching the application to its last byte
(no network). The target: under 100 ms each, on both stores. The figure goes into
docs/benchmarks.md (`--no-docs` to skip).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shlex
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import redis.asyncio as aioredis
from starlette.testclient import TestClient

from server.app import asgi_app
from server.board.model import Board, Kind, Meeting
from server.board.scales import overall_scale
from server.clock import iso
from server.services import build_services
from server.settings import Settings
from server.store import Store
from server.store.records import Family, FamilyMeeting
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore

from . import report
from .stats import Histogram

STAFF = "bench@council.example"
PASSWORD = "a long benchmark password"
TARGET_MS = 100.0
# Calls in flight while filling the store.
FILLING = 64


class ServerTime:
    """ASGI middleware: how long each HTTP request spent in the application."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last_ms = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.last_ms = (time.perf_counter() - started) * 1000


async def fill(store: Store, meetings: int, families: int, mine: int, seed: int) -> None:
    """`meetings` meetings in `families` families, `mine` of them STAFF's; each meeting
    with its staff record, each family listed for its staff."""
    rng = random.Random(seed)
    colleagues = [f"colleague{n:02d}@council.example" for n in range(49)]
    owners = [STAFF] * mine + [rng.choice(colleagues) for _ in range(families - mine)]
    # Every family has one meeting; the rest go to random families (chains of 1 to ~8).
    chains = [1] * families
    for _ in range(meetings - families):
        chains[rng.randrange(families)] += 1
    # Every meeting of the last 150 days, so none is old enough to be closed as idle
    # (KINBOARD_IDLE_CLOSE_DAYS) while the pages are measured.
    start = time.time() - 150 * 86400
    pending: list[Awaitable[Any]] = []

    async def later(call: Awaitable[Any]) -> None:
        pending.append(call)
        if len(pending) >= FILLING:
            await asyncio.gather(*pending)
            pending.clear()

    for n, (owner, length) in enumerate(zip(owners, chains, strict=True)):
        family = Family(
            id=f"f_bench{n:05d}",
            name=f"{rng.choice(SURNAMES)} family",
            created_at=iso(start),
            case_ref=f"CR-{n:06d}",
            owner=owner,
        )
        await store.add_family(family, None)
        for k in range(length):
            at = start + n + k * min(18, 150 // length) * 86400
            meeting = Meeting(
                id=f"m_bench{n:05d}_{k}",
                title=f"{'Review: ' if k else ''}Meeting for the {family.name}",
                kind=Kind.REVIEW if k else Kind.INITIAL,
                created_at=iso(at),
            )
            scale = overall_scale(meeting.vocabulary, f"s_{meeting.id}", meeting.created_at, "")
            await later(store.create(Board(meeting, scales=MappingProxyType({scale.id: scale}))))
            record = {"meeting_id": meeting.id, "staff": [owner]}
            await later(store.put_record("meeting_staff", meeting.id, record))
            agreed = k < length - 1 or rng.random() < 0.6
            seen = FamilyMeeting(
                meeting_id=meeting.id,
                title=meeting.title,
                kind=meeting.kind.value,
                status="closed" if k < length - 1 else "open",
                created_at=meeting.created_at,
                minutes=1 if agreed else None,
                plan=("Gran picks the children up on Fridays", "Mum calls the school weekly")
                if agreed
                else (),
                plan_size=6 if agreed else 0,
                decision="continue" if agreed else None,
                next_review=iso(at + 18 * 86400)[:10] if agreed else None,
            )
            await later(store.put_family_meeting(family.id, seen))
            await later(store.list_family_for(owner, family.id, at))
    await asyncio.gather(*pending)


SURNAMES = (
    "Khan",
    "Smith",
    "Jones",
    "Okafor",
    "Nowak",
    "Patel",
    "Murphy",
    "Kowalski",
    "Ahmed",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Clarke",
    "Jackson",
)


def measure(
    store_kind: str, store: Callable[[], Store], data_dir: Path, rounds: int
) -> dict[str, Histogram]:
    settings = replace(
        Settings(), base_url="http://bench", allowed_origins=("http://bench",), data_dir=data_dir
    )
    services = build_services(settings, store())
    timed = ServerTime(asgi_app(services))
    asked = {
        "home page 1": "/",
        "home page 10": "/?page=10",
        "search by name": "/?q=khan",
        "search by case reference": "/?q=cr-000042",
    }
    results = {name: Histogram() for name in asked}
    with TestClient(timed, base_url="http://bench") as client:
        client.portal.call(services.staff.add, STAFF, PASSWORD)
        signin = client.get("/signin")
        csrf = signin.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        answer = client.post(
            "/signin",
            data={"csrf": csrf, "email": STAFF, "password": PASSWORD},
            headers={"Origin": "http://bench"},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        for name, path in asked.items():
            page = client.get(path)
            assert page.status_code == 200 and 'data-family="' in page.text, (name, page.text)
        for _ in range(rounds):
            for name, path in asked.items():
                assert client.get(path).status_code == 200
                results[name].add(timed.last_ms)
    print(f"{store_kind}: measured", flush=True)
    return results


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.families", description=__doc__)
    parser.add_argument("--stores", default="sqlite,redis")
    parser.add_argument("--meetings", type=int, default=10_000)
    parser.add_argument("--families", type=int, default=3_000)
    parser.add_argument("--mine", type=int, default=500, help="families of the one staff member")
    parser.add_argument("--rounds", type=int, default=100, help="requests of each kind")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-docs", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # `kill` (SIGTERM) still deletes the Redis keys on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    command = "python -m bench.families " + " ".join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])
    )
    load = os.getloadavg()[0]
    rows = []
    for kind in args.stores.split(","):
        # On tmpfs where there is one: filling makes some 36,000 writes, each fsynced.
        base = "/dev/shm" if Path("/dev/shm").is_dir() else None
        with tempfile.TemporaryDirectory(prefix="kbbench-families-", dir=base) as tmp:
            prefix = f"kbbench-{secrets.token_hex(4)}"

            def new_store(kind: str = kind, tmp: str = tmp, prefix: str = prefix) -> Store:
                if kind == "redis":
                    return RedisStore(args.redis_url, prefix)
                return SQLiteStore(Path(tmp) / "kinboard.sqlite3")

            try:
                began = time.perf_counter()
                asyncio.run(_filled(new_store(), args))
                print(f"{kind}: filled in {time.perf_counter() - began:.0f} s", flush=True)
                for name, h in measure(kind, new_store, Path(tmp), args.rounds).items():
                    rows.append((kind, name, h))
            finally:
                if kind == "redis":
                    asyncio.run(_delete_keys(args.redis_url, prefix))
    body = _report(command, args, rows, load)
    print(body)
    if not args.no_docs:
        report.update_docs("families", body)
    return 0 if all(h.percentile(99) < TARGET_MS for _, _, h in rows) else 1


async def _filled(store: Store, args: argparse.Namespace) -> None:
    await store.open()
    try:
        await fill(store, args.meetings, args.families, args.mine, args.seed)
    finally:
        await store.close()


async def _delete_keys(url: str, prefix: str) -> None:
    client = aioredis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        for n in range(0, len(keys), 1000):
            await client.delete(*keys[n : n + 1000])
    finally:
        await client.aclose()


def _report(
    command: str, args: argparse.Namespace, rows: list[tuple[str, str, Histogram]], load: float
) -> str:
    lines = [
        f"Command: `{command}`",
        "",
        f"Machine: {report.machine()}; load average {load:.2f} at the start",
        "",
        f"Data: {args.meetings:,} meetings in {args.families:,} families, {args.mine} of them "
        f"the one staff member's; {args.rounds} requests of each kind, after one each to warm up.",
        "",
        "| store | request | server time p50 / p99 / max (ms) | under 100 ms (p99) |",
        "|---|---|---|---|",
    ]
    for kind, name, h in rows:
        verdict = "yes" if h.percentile(99) < TARGET_MS else "**no**"
        lines.append(f"| {kind} | {name} | {report.triple(h)} | {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
