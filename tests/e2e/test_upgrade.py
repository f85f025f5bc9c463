"""Data written by the release before data versions (tests/fixtures/v1, made by
tests/support/make_upgrade_fixture.py) is upgraded in place, once, by this release's real
server on both stores, and everything in it still works; data of a newer release is
refused with a clear message."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from server.store.migrations import VERSION
from tests.support.faults import RedisServer
from tests.support.harness import ROOT, Client, ServerProcess, start_workers, stop_all
from tests.support.redis_dump import dump, load

FIXTURES = ROOT / "tests/fixtures/v1"
UPGRADED = re.compile(r"Kinboard upgraded its data from version (\d+) to (\d+)")


@dataclass
class OldData:
    """A copy of the fixture of one store, and how a server runs on it."""

    kind: str
    data_dir: Path
    env: dict[str, str]
    facts: dict[str, Any]

    def server(self) -> ServerProcess:
        # The fixture's meetings were last used the day it was made: however long ago that
        # is, they are neither purged nor closed for being idle before the test looks.
        kept = {"KINBOARD_RETENTION_DAYS": "36500", "KINBOARD_IDLE_CLOSE_DAYS": "36500"}
        return ServerProcess(self.data_dir, env={**kept, **self.env})


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def old_data(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OldData]:
    kind = request.param
    source = FIXTURES / kind
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    shutil.copy(source / "secret.key", data_dir / "secret.key")
    facts = json.loads((source / "facts.json").read_text())
    if kind == "sqlite":
        shutil.copy(source / "kinboard.sqlite3", data_dir / "kinboard.sqlite3")
        yield OldData(kind, data_dir, {}, facts)
        return
    redis_server = RedisServer(tmp_path / "redis").start()
    try:
        with redis_server.admin() as admin:
            load(admin, json.loads((source / "dump.json").read_text()), "kb")
        yield OldData(kind, data_dir, {"REDIS_URL": redis_server.url}, facts)
    finally:
        redis_server.stop()


def last_change(old_data: OldData, meeting_id: str) -> float:
    """When the activity index says the meeting last changed."""
    if old_data.kind == "sqlite":
        with sqlite3.connect(old_data.data_dir / "kinboard.sqlite3") as db:
            (at,) = db.execute(
                "SELECT at FROM activity WHERE meeting_id = ?", (meeting_id,)
            ).fetchone()
        return float(at)
    with redis_of(old_data) as admin:
        at = admin.zscore("kb:activity", meeting_id)
    assert at is not None
    return float(at)


def canonical_sha256(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def upgrades_in(log: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in UPGRADED.findall(log)]


async def test_a_store_of_the_previous_release_is_upgraded_once_and_works(
    old_data: OldData,
) -> None:
    facts = old_data.facts
    meeting_id = facts["meeting_id"]
    started = time.time()
    server = old_data.server().start()
    try:
        assert upgrades_in(server.log()) == [(n, n + 1) for n in range(1, VERSION)]
        # The meeting's last change is its last op of the older release, not the upgrade's.
        assert last_change(old_data, meeting_id) < started - 1
        staff = httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=10)
        signin = {"email": facts["staff_email"], "password": facts["staff_password"]}
        answer = staff.post("/signin", data={"csrf": csrf(staff.get("/signin")), **signin})
        assert answer.status_code == 303, answer.text
        home = staff.get("/")
        assert home.status_code == 200, home.text
        # Each first meeting has a family named after it, holding it and its review, in order.
        closed_id = facts["closed_meeting_id"]
        families = re.findall(r'data-family="([^"]+)"', home.text)
        assert sorted(families) == sorted([f"f_{meeting_id}", f"f_{closed_id}"])
        family = f"f_{meeting_id}"
        assert "Family meeting for the Lark children</h3>" in home.text
        chain = re.findall(r'action="/m/([^/"]+)/open"', home.text)
        assert sorted(chain) == sorted([meeting_id, facts["review_id"], closed_id])
        assert chain.index(meeting_id) + 1 == chain.index(facts["review_id"])

        # The first account of the older release is the administrator now.
        assert staff.get("/api/keys").status_code == 200

        form = {"csrf": csrf(home), "name": facts["facilitator_name"]}
        answer = staff.post(f"/m/{meeting_id}/open", data=form)
        assert answer.status_code == 303, answer.text
        assert staff.get(f"/m/{meeting_id}").status_code == 200
        cookie = "; ".join(f"{k}={v}" for k, v in staff.cookies.items())

        facilitator = Client(server.url, meeting_id, cookie, {}, origin=server.url)
        await facilitator.connect()
        assert facilitator.state is not None
        board = facilitator.state["board"]
        assert sorted(card["text"] for card in board["cards"]) == facts["cards"]
        rounds = {r["scale_id"]: r for r in board["rounds"]}
        revealed, still_open = rounds[facts["revealed_scale"]], rounds[facts["open_scale"]]
        assert revealed["status"] == "revealed" and len(revealed["votes"]) == 4
        assert revealed["summary"]["groups"]
        assert still_open["status"] == "open" and len(still_open["answered"]) == 2
        assert still_open["votes"] == []
        # The facilitator the older release made of a reopening, named by the e-mail, is
        # renamed; the family is sent the e-mail nowhere.
        names = sorted(p["name"] for p in board["participants"])
        fay = facts["facilitator_name"]  # the first one, and the staff participant now
        assert names == sorted(["Aunt Mo", "Facilitator", fay, fay, "Meeting room screen", "Robin"])
        assert facts["staff_email"] not in json.dumps(facilitator.state)
        (minutes,) = board["minutes"]
        assert minutes["status"] == "agreed" and len(minutes["signoffs"]) == 2

        document = staff.get(f"/m/{meeting_id}/minutes/1.json").json()
        assert document["minutes"]["sha256"] == facts["minutes_sha256"]
        assert canonical_sha256(document["content"]) == facts["minutes_sha256"]

        ack = await facilitator.op("card.add", section="strengths", text="Added after upgrading")
        assert ack["ok"], ack
        vote = await facilitator.op("vote.cast", scale_id=facts["open_scale"], value=6)
        assert vote["ok"], vote
        # A plan card of the older release keeps who will do it aside when moved out of
        # the plan, and has it again when moved back.
        rule = next(c for c in board["cards"] if c["section"] == "plan_rules")
        for section in ("strengths", "plan_rules"):
            moved = await facilitator.op(
                "card.move", card_id=rule["id"], section=section, after=None
            )
            assert moved["ok"], moved
        await facilitator.wait_for(lambda: len(facilitator.applied("card")) >= 3)
        back = facilitator.applied("card")[-1]["changes"][0]["value"]
        assert back["section"] == "plan_rules" and back["owner"] == rule["owner"] == "Robin"
        await facilitator.close()

        # The review, which the older release gave nobody, opens for its meeting's staff.
        review_id = facts["review_id"]
        answer = staff.post(f"/m/{review_id}/open", data=form)
        assert answer.status_code == 303, answer.text
        review = staff.get(f"/api/meetings/{review_id}")
        assert review.status_code == 200, review.text
        carried = [card for card in review.json()["cards"] if card["from_last_meeting"]]
        assert len(carried) == len(facts["cards"])
        # The colleague it was shared with has the family in their list, and is no
        # administrator.
        colleague = httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=10)
        signin = {"email": facts["colleague_email"], "password": facts["colleague_password"]}
        answer = colleague.post("/signin", data={"csrf": csrf(colleague.get("/signin")), **signin})
        assert answer.status_code == 303, answer.text
        assert re.findall(r'data-family="([^"]+)"', colleague.get("/").text) == [family]
        assert colleague.get("/api/keys").status_code == 403
        colleague.close()
        # The closed meeting's parent reads "Our plan" by their own link.
        parent = httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=10)
        token = facts["closed_parent_link"].split("#", 1)[1]
        answer = parent.post("/api/join", json={"token": token, "name": "Kim"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["board_url"] == f"/m/{closed_id}/plan"
        plan = parent.get(f"/m/{closed_id}/plan")
        assert plan.status_code == 200 and "Sundays in the park" in plan.text
        parent.close()
        # Its staff erase the closed meeting.
        erased = staff.delete(f"/api/meetings/{closed_id}")
        assert erased.status_code == 204, erased.text
        assert closed_id not in staff.get("/").text
        activity = staff.get(f"/m/{meeting_id}/activity.csv")
        assert activity.status_code == 200
        assert activity.text.count("\n") - 1 > facts["audit_entries"]
        staff.close()
    finally:
        server.stop()

    again = old_data.server().start()
    try:
        assert upgrades_in(again.log()) == []  # once: not again at the next start
    finally:
        again.stop()


@pytest.mark.redis
def test_two_workers_starting_together_upgrade_a_redis_once(tmp_path: Path) -> None:
    redis_server = RedisServer(tmp_path / "redis").start()
    try:
        with redis_server.admin() as admin:
            load(admin, json.loads((FIXTURES / "redis/dump.json").read_text()), "kb")
        workers = start_workers(tmp_path, redis_server.url, count=2)
        try:
            logs = [upgrades_in(worker.log()) for worker in workers]
        finally:
            stop_all(*workers)
        assert sorted(logs) == [[], [(n, n + 1) for n in range(1, VERSION)]]
        with redis_server.admin() as admin:
            assert admin.get("kb:schema") == str(VERSION)
            assert admin.get("kb:schema:lock") is None
    finally:
        redis_server.stop()


def redis_of(old_data: OldData) -> redis.Redis:
    return redis.Redis.from_url(old_data.env["REDIS_URL"], decode_responses=True)


def mark_newer(old_data: OldData) -> None:
    """Mark the copy as written by a release two versions ahead of this one."""
    if old_data.kind == "sqlite":
        with sqlite3.connect(old_data.data_dir / "kinboard.sqlite3") as db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, until REAL)")
            db.execute("INSERT INTO meta (key, value) VALUES ('version', ?)", (str(VERSION + 2),))
    else:
        with redis_of(old_data) as admin:
            admin.set("kb:schema", str(VERSION + 2))


def contents(old_data: OldData) -> Any:
    if old_data.kind == "sqlite":
        with sqlite3.connect(old_data.data_dir / "kinboard.sqlite3") as db:
            tables = ("meetings", "records", "secrets", "oplog", "kv", "audit", "meta")
            return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    with redis_of(old_data) as admin:
        return dump(admin, "kb")


def test_data_of_a_newer_release_is_refused_and_left_as_it_was(old_data: OldData) -> None:
    mark_newer(old_data)
    before = contents(old_data)
    done = subprocess.run(
        [sys.executable, "-m", "server", "serve"],
        cwd=ROOT,
        env=old_data.server().env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"data version {VERSION + 2}" in done.stderr
    assert f"this release knows versions up to {VERSION}" in done.stderr
    assert "Traceback" not in done.stderr
    assert contents(old_data) == before
