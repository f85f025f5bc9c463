"""Write tests/fixtures/v1/: the data an older Kinboard release leaves, on both stores.

    python -m tests.support.make_upgrade_fixture /tmp/kb-old

runs the release checked out at that path (with its own .venv, `pip install -e .`) as a
real server, once on the embedded SQLite store and once on a Redis of its own, and drives
it through its HTTP API, sockets and `kinboard staff` as people would: the first staff
account made from the set-up link, a meeting shared with a colleague's account, with
cards in every column, a revealed round and an open one, person links, minutes taken,
signed and agreed, a review meeting, and a closed meeting with a parent's own link. It
then keeps the SQLite file, each run's secret key, a JSON dump of the Redis keys, and what
a test needs to know (ids, the staff passwords, the minutes' SHA-256) in facts.json. See
tests/fixtures/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import socketio

from tests.support.faults import RedisServer
from tests.support.harness import ROOT, free_port, token_of
from tests.support.redis_dump import dump

STAFF_EMAIL = "fay.worker@council.example"
STAFF_PASSWORD = "an old release's password"
FACILITATOR_NAME = "Fay, social worker"
COLLEAGUE_EMAIL = "sam.colleague@council.example"
COLLEAGUE_PASSWORD = "a colleague's old password"
PREFIX = "kb"


class OldServer:
    """`kinboard serve` of the old checkout, as its users ran it."""

    def __init__(self, checkout: Path, data_dir: Path, redis_url: str | None) -> None:
        self.checkout = checkout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir.parent / f"{data_dir.name}.log"
        self.env = {
            "PATH": "/usr/bin:/bin",
            "KINBOARD_HOST": "127.0.0.1",
            "KINBOARD_PORT": str(self.port),
            "KINBOARD_DATA_DIR": str(data_dir),
            "KINBOARD_JOIN_BURST": "1000",
            **({"REDIS_URL": redis_url, "KINBOARD_REDIS_PREFIX": PREFIX} if redis_url else {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> OldServer:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(self.checkout / ".venv/bin/kinboard"), "serve"],
                cwd=self.checkout,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while "/setup#" not in self.log_path.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the old server did not start: {self.log_path.read_text()}")
            time.sleep(0.1)
        return self

    def staff_add(self, email: str, password: str) -> None:
        """`kinboard staff add` of the old release, beside its running server."""
        subprocess.run(
            [str(self.checkout / ".venv/bin/kinboard"), "staff", "add", email],
            cwd=self.checkout,
            env=self.env,
            input=password + "\n",
            text=True,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def setup_code(self) -> str:
        found = re.search(r"/setup#(\S+)", self.log_path.read_text())
        assert found
        return found.group(1)

    def __exit__(self, *_: Any) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(20)


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


class Person:
    """One browser: its cookies, and a socket once it has joined."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(base_url=url, timeout=20, headers={"Origin": url})
        self.sio = socketio.AsyncClient(reconnection=False)
        self.state: dict[str, Any] = {}
        self.meeting_id = ""

    async def form(self, page: str, path: str, data: dict[str, str]) -> httpx.Response:
        token = _csrf(await self.http.get(page))
        answer = await self.http.post(path, data={"csrf": token, **data})
        assert answer.status_code == 303, answer.text
        return answer

    async def join(self, link: str, name: str, role: str | None = None) -> None:
        body = {"token": token_of(link), "name": name, **({"role": role} if role else {})}
        answer = await self.http.post("/api/join", json=body)
        answer.raise_for_status()
        await self.connect(answer.json()["meeting_id"])

    async def connect(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        got = asyncio.Event()

        async def on_state(data: dict[str, Any]) -> None:
            self.state = data
            got.set()

        self.sio.on("state", on_state)
        cookies = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        await self.sio.connect(
            self.url,
            headers={"Cookie": cookies, "Origin": self.url},
            auth={"meeting_id": meeting_id},
            transports=["websocket"],
        )
        await asyncio.wait_for(got.wait(), 10)

    async def op(self, op_type: str, **fields: Any) -> dict[str, Any]:
        """One op, waiting out the rate limit as the client does."""
        n = 0
        while True:
            n += 1
            message = {"id": f"o_{op_type.replace('.', '_')}_{n}_{time.monotonic_ns()}"}
            ack = await self.sio.call("op", {**message, "type": op_type, **fields}, timeout=10)
            if ack.get("code") != "rate_limited":
                assert ack["ok"], ack
                return ack
            await asyncio.sleep(0.5)

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
        await self.http.aclose()


async def drive(server: OldServer) -> dict[str, Any]:
    """What people do in a first meeting and after it; what a test needs to know of it."""
    url = server.url
    staff, parent, aunt, screen = Person(url), Person(url), Person(url), Person(url)
    try:
        await staff.form(
            "/setup",
            "/setup",
            {"code": server.setup_code(), "email": STAFF_EMAIL, "password": STAFF_PASSWORD},
        )
        started = await staff.form(
            "/",
            "/meetings",
            {
                "title": "Family meeting for the Lark children",
                "vocabulary": "safety",
                "kind": "initial",
                "name": FACILITATOR_NAME,
            },
        )
        meeting_id = started.headers["location"].rsplit("/", 1)[1]
        await staff.connect(meeting_id)
        server.staff_add(COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD)
        shared = await staff.http.post(
            f"/api/meetings/{meeting_id}/share", json={"email": COLLEAGUE_EMAIL}
        )
        assert shared.status_code == 200, shared.text
        links = (await staff.http.get(f"/api/meetings/{meeting_id}/links")).json()
        made = []
        for name, role in (("Robin", "parent"), ("Grandad Joe", "network")):
            answer = await staff.http.post(
                f"/api/meetings/{meeting_id}/people-links",
                json={"name": name, "role": role, "days": 14},
            )
            assert answer.status_code == 201, answer.text
            made.append(answer.json())
        revoked = await staff.http.delete(
            f"/api/meetings/{meeting_id}/people-links/{made[1]['id']}"
        )
        assert revoked.status_code == 200, revoked.text
        await parent.join(made[0]["url"], "Robin")
        await aunt.join(links["participant"], "Aunt Mo", "network")
        await screen.join(links["display"], "")

        async def card(person: Person, section: str, text: str, **fields: Any) -> str:
            ack = await person.op("card.add", section=section, text=text, **fields)
            return str(ack["seq"])

        await card(staff, "harm", "Ellie came to school with a bruise in October")
        await card(staff, "danger", "We worry Ellie may be hurt again when the adults argue")
        await card(parent, "complicating", "Money is tight since the job went")
        await card(parent, "strengths", "Robin walks both children to school every day")
        await card(aunt, "safety", "Aunt Mo has the children at weekends", attributed_to="Mo")
        await card(staff, "goals", "The children feel safe at home")
        await card(
            staff, "next_steps", "Family group meeting booked", owner="Fay", due="2026-12-15"
        )
        await card(staff, "plan_rules", "No arguing in front of the children", owner="Robin")
        board = staff.state["board"]
        ids = {c["text"]: c["id"] for c in (await _board(staff))["cards"]}
        bruise = ids["Ellie came to school with a bruise in October"]
        await parent.op("card.react", card_id=bruise, stance="agree")
        await aunt.op("card.react", card_id=bruise, stance="disagree")
        gone = await staff.op("card.add", section="strengths", text="A card added by mistake")
        assert gone["ok"]
        mistake = {c["text"]: c["id"] for c in (await _board(staff))["cards"]}[
            "A card added by mistake"
        ]
        await staff.op("card.delete", card_id=mistake)

        (overall,) = [s for s in board["scales"] if s["overall"]]
        await staff.op("round.open", scale_id=overall["id"])
        await staff.op("vote.cast", scale_id=overall["id"], value=4, reason="The bruise")
        await parent.op("vote.cast", scale_id=overall["id"], value=8)
        await aunt.op("vote.cast", scale_id=overall["id"], value=6, reason="Weekends are good")
        await staff.op(
            "vote.cast",
            scale_id=overall["id"],
            value=7,
            on_behalf_of={"name": "Grandad Joe", "role": "network"},
        )
        await staff.op("round.reveal", scale_id=overall["id"])
        await staff.op(
            "scale.add",
            question="How sure are we that school knows what to look for?",
            low_label="Not sure at all",
            high_label="Completely sure",
            card_id=bruise,
        )
        second = next(s for s in (await _board(staff))["scales"] if not s["overall"])
        await staff.op("round.open", scale_id=second["id"])
        await parent.op("vote.cast", scale_id=second["id"], value=5)
        await aunt.op("vote.cast", scale_id=second["id"], value=3, reason="They did not call")

        await staff.op(
            "decision.set", outcome="continue", next_review="2027-03-01", note="Review in March"
        )
        await staff.op("minutes.take", label="First meeting")
        await parent.op("minutes.sign", minutes=1, stance="agree")
        await aunt.op("minutes.sign", minutes=1, stance="disagree", reason="Weekends too short")
        await staff.op("minutes.agree", minutes=1)
        minutes = (await staff.http.get(f"/m/{meeting_id}/minutes/1.json")).json()

        review = await staff.http.post(f"/api/meetings/{meeting_id}/review")
        assert review.status_code == 201, review.text
        closed = await closed_meeting(staff)
        # Opening the meeting again from the staff list, as today's release does it.
        await staff.form("/", f"/m/{meeting_id}/open", {})
        activity = await staff.http.get(f"/m/{meeting_id}/activity.csv")
        assert activity.status_code == 200 and activity.text.count("\n") > 10, activity.text
        return {
            "staff_email": STAFF_EMAIL,
            "staff_password": STAFF_PASSWORD,
            "facilitator_name": FACILITATOR_NAME,
            "colleague_email": COLLEAGUE_EMAIL,
            "colleague_password": COLLEAGUE_PASSWORD,
            "meeting_id": meeting_id,
            "review_id": review.json()["id"],
            "minutes_sha256": minutes["minutes"]["sha256"],
            "cards": sorted(ids),
            "revealed_scale": overall["id"],
            "open_scale": second["id"],
            "person_link_ids": [link["id"] for link in made],
            "audit_entries": activity.text.count("\n") - 1,
            **closed,
        }
    finally:
        for person in (staff, parent, aunt, screen):
            await person.close()


async def closed_meeting(staff: Person) -> dict[str, Any]:
    """A second family's meeting, its minutes agreed, closed; a parent's own link to it."""
    closer = Person(staff.url)
    closer.http.cookies.update(staff.http.cookies)
    try:
        started = await closer.form(
            "/",
            "/meetings",
            {"title": "Family meeting for the Finch children", "name": FACILITATOR_NAME},
        )
        meeting_id = started.headers["location"].rsplit("/", 1)[1]
        await closer.connect(meeting_id)
        link = await closer.http.post(
            f"/api/meetings/{meeting_id}/people-links", json={"name": "Kim", "role": "parent"}
        )
        assert link.status_code == 201, link.text
        await closer.op("card.add", section="plan_rules", text="Sundays in the park", owner="Kim")
        await closer.op("minutes.take")
        await closer.op("minutes.agree", minutes=1)
        await closer.op("meeting.close")
    finally:
        await closer.close()
    return {"closed_meeting_id": meeting_id, "closed_parent_link": link.json()["url"]}


async def _board(person: Person) -> dict[str, Any]:
    answer = await person.http.get(f"/api/meetings/{person.meeting_id}")
    answer.raise_for_status()
    return answer.json()


def _copy_sqlite(source: Path, target: Path) -> None:
    """One file, no write-ahead log beside it."""
    with sqlite3.connect(source) as db, sqlite3.connect(target) as copy:
        db.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("VACUUM")


def make(checkout: Path, out: Path, work: Path) -> None:
    for kind in ("sqlite", "redis"):
        target = out / kind
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        data_dir = work / kind
        redis_server = RedisServer(work / f"{kind}-redis").start() if kind == "redis" else None
        try:
            with OldServer(checkout, data_dir, redis_server.url if redis_server else None) as old:
                facts = asyncio.run(drive(old))
            if redis_server is not None:
                with redis_server.admin() as admin:
                    keys = dump(admin, PREFIX)
                (target / "dump.json").write_text(json.dumps(keys, indent=1) + "\n")
            else:
                _copy_sqlite(data_dir / "kinboard.sqlite3", target / "kinboard.sqlite3")
        finally:
            if redis_server is not None:
                redis_server.stop()
        shutil.copy(data_dir / "secret.key", target / "secret.key")
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True, check=True
        ).stdout.strip()
        (target / "facts.json").write_text(
            json.dumps({"written_by": commit, **facts}, indent=1) + "\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="the older release's checkout, with .venv")
    parser.add_argument("--out", type=Path, default=ROOT / "tests/fixtures/v1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        make(args.checkout.resolve(), args.out, Path(work))


if __name__ == "__main__":
    main()
