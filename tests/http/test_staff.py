"""Staff accounts: signing in and out, session limits, lock-out, no account enumeration, the
one-time set-up code, the `kinboard staff` command, and which meetings each staff member
may see, open and share.

In-process with a clock the tests move; argon2id runs with small parameters except where
the cost itself is what is measured (`fast_hashing`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

import server.staff
from server.staff import IDLE_SECONDS, LONGEST_SECONDS
from tests.support.inprocess import (
    BASE,
    KEY,
    PASSWORD,
    Browser,
    Kin,
    MovableClock,
    fast_hashing,
    start,
)

ROOT = Path(__file__).resolve().parents[2]
PRIYA = "priya@council.example"
BEA = "bea@council.example"
CAL = "cal@council.example"
WRONG = "That email and password do not match an account."


@pytest.fixture
def no_failure_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed sign-ins wait 0.4 s each (the same for every failure); lock-out tests make
    dozens of them."""
    monkeypatch.setattr(server.staff, "FAILURE_DELAY", 0.0)


def problem(answer: object) -> str:
    found = re.search(r'role="alert"[^>]*>([^<]*)<', answer.text)  # type: ignore[attr-defined]
    return found.group(1) if found else ""


def meeting_ids(kin: Kin) -> set[str]:
    return {meeting.id for meeting in kin.run(kin.store.list_meetings)}


# --- signing in ---------------------------------------------------------------------------


def test_signing_in_opens_a_staff_session_with_a_safe_cookie_and_is_logged(kin: Kin) -> None:
    kin.add_staff(PRIYA)
    priya = kin.browser()
    home = priya.get("/")
    assert (home.status_code, home.headers["location"]) == (303, "/signin")
    answer = priya.sign_in("  Priya@Council.Example ")  # as typed
    assert (answer.status_code, answer.headers["location"]) == (303, "/")
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("kb_staff="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert f"Max-Age={LONGEST_SECONDS}" in cookie
    assert priya.signed_in()
    assert f"Signed in as {PRIYA}" in priya.get("/").text
    entries = kin.audit(server.staff.STAFF_LOG)
    assert [(e["event"], e["staff"]) for e in entries] == [("staff.signin", PRIYA)]


@pytest.mark.slow
def test_unknown_email_wrong_password_and_disabled_account_answer_alike_and_as_slowly(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real argon2id cost: a missing account must cost as much as a wrong password."""
    # Every failure waits the same 0.4 s on top; leave it out so the rest is what is measured.
    monkeypatch.setattr(server.staff, "FAILURE_DELAY", 0.0)
    for kin in start(tmp_path, clock):
        kin.add_staff(PRIYA)
        kin.add_staff("gone@council.example")
        kin.run(kin.staff.disable, "gone@council.example", "test")
        cases = {
            "unknown email": ("nobody@council.example", PASSWORD),
            "wrong password": (PRIYA, "not the password 1"),
            "disabled account": ("gone@council.example", PASSWORD),  # the right password
        }
        browser = kin.browser()
        times: dict[str, list[float]] = {name: [] for name in cases}
        answers = {}
        for _ in range(3):  # under the lock-out's 5 per account
            for name, (email, password) in cases.items():
                token = browser.csrf()
                began = time.perf_counter()
                answer = browser.post(
                    "/signin",
                    data={"email": email, "password": password, "csrf": token},
                    headers={"Origin": BASE},
                )
                times[name].append(time.perf_counter() - began)
                answers[name] = answer
        fastest = {name: min(took) for name, took in times.items()}
        print(
            "sign-in failure times, fastest of 3 (s):", {k: round(v, 3) for k, v in fastest.items()}
        )
        for name, answer in answers.items():
            assert answer.status_code == 401, name
            assert problem(answer) == WRONG, name
            assert "kb_staff" not in answer.headers.get("set-cookie", ""), name
        bodies = {answer.text for answer in answers.values()}
        assert len(bodies) == 1, "the three pages differ"
        # Timing is noisy on a shared machine; a missing decoy hash would make one case take
        # a few milliseconds against argon2id's tenths of a second.
        slowest, quickest = max(fastest.values()), min(fastest.values())
        assert quickest > 0.5 * slowest, fastest
        assert statistics.mean(fastest.values()) > 0.05  # argon2id really ran each time


# --- session limits ----------------------------------------------------------------------


def test_thirty_idle_minutes_sign_a_staff_member_out(kin: Kin, clock: MovableClock) -> None:
    kin.add_staff(PRIYA)
    priya = kin.browser()
    priya.sign_in(PRIYA)
    clock.now += IDLE_SECONDS - 60
    assert priya.signed_in()
    clock.now += IDLE_SECONDS - 60  # used a minute before the limit: the clock starts again
    assert priya.signed_in()
    clock.now += IDLE_SECONDS + 1
    home = priya.get("/")
    assert (home.status_code, home.headers["location"]) == (303, "/signin")
    # Gone for good, also for the API.
    clock.now += 1
    refused = priya.post("/api/meetings", json={"title": "After the idle limit"})
    assert refused.status_code == 401
    assert meeting_ids(kin) == set()


def test_active_use_keeps_a_session_but_never_past_eight_hours(
    kin: Kin, clock: MovableClock
) -> None:
    kin.add_staff(PRIYA)
    priya = kin.browser()
    priya.sign_in(PRIYA)
    began = clock.now
    while clock.now + 25 * 60 - began <= LONGEST_SECONDS:
        clock.now += 25 * 60
        assert priya.signed_in(), f"signed out after {(clock.now - began) / 3600:.2f} h"
    clock.now += 25 * 60  # 8 h 20 min after signing in, active all along
    assert not priya.signed_in()


def test_signing_out_ends_the_session_and_a_copy_of_the_cookie_stops_working(kin: Kin) -> None:
    kin.add_staff(PRIYA)
    priya = kin.browser()
    priya.sign_in(PRIYA)
    token = priya.cookie("kb_staff")
    assert token
    answer = priya.form("/signout", {}, page="/")
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin")
    assert any(c.startswith("kb_staff=") for c in answer.headers.get_list("set-cookie"))
    assert not priya.signed_in()
    # Someone who kept a copy of the cookie (a shared computer) gets nothing with it.
    copy = kin.browser("192.0.2.99")
    home = copy.get("/", headers={"Cookie": f"kb_staff={token}"})
    assert (home.status_code, home.headers["location"]) == (303, "/signin")
    made = copy.post("/api/meetings", json={"title": "x"}, headers={"Cookie": f"kb_staff={token}"})
    assert made.status_code == 401


def test_each_sign_in_starts_a_new_session_and_ends_the_previous_one(kin: Kin) -> None:
    kin.add_staff(PRIYA)
    priya = kin.browser()
    # A cookie planted before signing in (session fixation) is never the session.
    planted = "planted-session-token-" + "x" * 20
    priya.sign_in(PRIYA)
    first = priya.cookie("kb_staff")
    priya.sign_in(PRIYA)
    second = priya.cookie("kb_staff")
    assert first and second and first != second != planted
    assert priya.signed_in()
    old = kin.browser("192.0.2.50")
    home = old.get("/", headers={"Cookie": f"kb_staff={first}"})
    assert (home.status_code, home.headers["location"]) == (303, "/signin")
    fixated = kin.browser("192.0.2.51")
    token = fixated.csrf()
    answer = fixated.post(
        "/signin",
        data={"email": PRIYA, "password": PASSWORD, "csrf": token},
        headers={"Origin": BASE, "Cookie": f"kb_csrf={token}; kb_staff={planted}"},
    )
    assert answer.status_code == 303
    assert f"kb_staff={planted}" not in answer.headers["set-cookie"]


# --- lock-out ----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_from_that_address_for_15_minutes(
    kin: Kin, clock: MovableClock, no_failure_delay: None
) -> None:
    kin.add_staff(PRIYA)
    kin.add_staff(BEA)
    stranger = "198.51.100.7"
    for n in range(5):
        answer = kin.browser(stranger).sign_in(PRIYA, f"guess number {n}")
        assert answer.status_code == 401, n
    locked = kin.browser(stranger)
    answer = locked.sign_in(PRIYA)  # the right password
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "900"  # the whole 15 minutes, at most
    assert problem(answer) == "Too many tries. Please wait 15 minutes and try again."
    assert not locked.signed_in()
    # The stranger cannot lock Priya out: at her own computer she signs in.
    assert kin.browser("203.0.113.77").sign_in(PRIYA).status_code == 303
    # Another account, from the stranger's address, is not affected.
    assert kin.browser(stranger).sign_in(BEA).status_code == 303
    clock.now += 14 * 60
    assert kin.browser(stranger).sign_in(PRIYA).status_code == 429
    clock.now += 60 + 1
    again = kin.browser(stranger)
    assert again.sign_in(PRIYA).status_code == 303
    assert again.signed_in()


def test_twenty_failures_from_one_address_lock_that_address_for_15_minutes(
    kin: Kin, clock: MovableClock, no_failure_delay: None
) -> None:
    kin.add_staff(PRIYA)
    guesser = kin.browser("198.51.100.200")
    for n in range(20):
        answer = guesser.sign_in(f"guess{n}@council.example", "some password 1")
        assert answer.status_code == 401, n
    answer = guesser.sign_in(PRIYA)  # a real account and its right password
    assert answer.status_code == 429
    assert not guesser.signed_in()
    # Elsewhere the account works.
    assert kin.browser("203.0.113.5").sign_in(PRIYA).status_code == 303
    clock.now += 15 * 60 + 1
    assert guesser.sign_in(PRIYA).status_code == 303
    assert guesser.signed_in()


# --- the set-up code ---------------------------------------------------------------------


def printed_setup_code(out: str) -> str:
    found = re.findall(r"/setup#([A-Za-z0-9_-]+)", out)
    assert len(found) == 1, out
    return found[0]


def set_up(browser: Browser, code: str, email: str) -> object:
    return browser.form(
        "/setup", {"code": code, "email": email, "password": PASSWORD}, page="/setup"
    )


def test_the_setup_code_makes_the_first_account_once(
    tmp_path: Path,
    clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    fast_hashing(monkeypatch)
    for kin in start(tmp_path, clock):
        code = printed_setup_code(capfd.readouterr().out)
        first = kin.browser()
        assert first.get("/setup").status_code == 200
        wrong = set_up(first, code[:-2] + "xx", PRIYA)
        assert wrong.status_code == 403  # type: ignore[attr-defined]
        assert kin.run(kin.staff.members) == []
        answer = set_up(first, code, PRIYA)
        assert answer.status_code == 303  # type: ignore[attr-defined]
        assert first.signed_in()
        again = set_up(kin.browser("192.0.2.66"), code, "mallory@evil.example")
        assert again.status_code == 403  # type: ignore[attr-defined]
        assert "used or has expired" in problem(again)
        assert [m.email for m in kin.run(kin.staff.members)] == [PRIYA]
    # Started again with an account: no set-up link is offered any more.
    for _ in start(tmp_path, clock):
        assert "/setup#" not in capfd.readouterr().out


def test_the_setup_code_is_refused_once_an_account_exists(
    tmp_path: Path,
    clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    fast_hashing(monkeypatch)
    for kin in start(tmp_path, clock):
        code = printed_setup_code(capfd.readouterr().out)
        kin.add_staff(PRIYA)  # say, with `kinboard staff add`
        answer = set_up(kin.browser(), code, "mallory@evil.example")
        assert answer.status_code == 403  # type: ignore[attr-defined]
        assert [m.email for m in kin.run(kin.staff.members)] == [PRIYA]


# --- `kinboard staff` ----------------------------------------------------------------------


def kinboard(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINBOARD_", "REDIS_"))}
    env["KINBOARD_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_the_staff_command_adds_lists_disables_and_enables_accounts(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_hashing(monkeypatch)  # for the in-process part; the command hashes for real
    data = tmp_path / "data"
    added = kinboard(data, "staff", "add", "Priya@Council.Example", stdin=PASSWORD + "\n")
    assert (added.returncode, added.stdout.strip()) == (0, f"Added {PRIYA}."), added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    again = kinboard(data, "staff", "add", PRIYA, stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "already" in again.stderr
    short = kinboard(data, "staff", "add", BEA, stdin="short\n")
    assert short.returncode == 1 and "at least 12" in short.stderr
    assert kinboard(data, "staff", "add", BEA, stdin=PASSWORD + "\n").returncode == 0
    listed = kinboard(data, "staff", "list")
    assert listed.returncode == 0
    lines = sorted(listed.stdout.strip().splitlines())
    assert [line.split("\t")[:2] for line in lines] == [[BEA, "active"], [PRIYA, "active"]]
    assert re.fullmatch(r"added \d{4}-\d\d-\d\d", lines[0].split("\t")[2])

    # What is stored: an argon2id hash, never the password.
    db = data / "kinboard.sqlite3"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT data FROM kv WHERE kind = 'staff'").fetchall()
    hashes = [re.search(r'"password_hash":"([^"]+)"', row[0]).group(1) for row in rows]  # type: ignore[union-attr]
    assert len(hashes) == 2 and all(h.startswith("$argon2id$") for h in hashes)
    assert all("m=65536" in h for h in hashes), hashes  # the library's default cost
    assert PASSWORD.encode() not in b"".join(p.read_bytes() for p in data.glob("kinboard*"))

    disabled = kinboard(data, "staff", "disable", PRIYA)
    assert disabled.returncode == 0 and "can no longer sign in" in disabled.stdout
    states = dict(
        line.split("\t")[:2] for line in kinboard(data, "staff", "list").stdout.split("\n") if line
    )
    assert states == {PRIYA: "disabled", BEA: "active"}
    missing = kinboard(data, "staff", "disable", "nobody@council.example")
    assert missing.returncode == 1

    for kin in start(data, clock):
        refused = kin.browser().sign_in(PRIYA)
        assert (refused.status_code, problem(refused)) == (401, WRONG)
        bea = kin.browser()
        assert bea.sign_in(BEA).status_code == 303 and bea.signed_in()

    enabled = kinboard(data, "staff", "enable", PRIYA)
    assert (enabled.returncode, enabled.stdout.strip()) == (0, f"{PRIYA} can sign in again.")
    states = dict(
        line.split("\t")[:2] for line in kinboard(data, "staff", "list").stdout.split("\n") if line
    )
    assert states == {PRIYA: "active", BEA: "active"}


def test_disabling_an_account_ends_its_open_sessions(kin: Kin) -> None:
    kin.add_staff(PRIYA)
    priya = kin.browser()
    priya.sign_in(PRIYA)
    assert priya.signed_in()
    kin.run(kin.staff.disable, PRIYA, "test")
    assert not priya.signed_in()


# --- whose meetings -----------------------------------------------------------------------


def start_meeting(staff: Browser, title: str, name: str) -> str:
    answer = staff.form("/meetings", {"title": title, "name": name}, page="/")
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[1]


def signed_in(kin: Kin, email: str, address: str) -> Browser:
    kin.add_staff(email)
    browser = kin.browser(address)
    assert browser.sign_in(email).status_code == 303
    return browser


def test_staff_cannot_see_or_open_a_colleagues_meeting_until_it_is_shared(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    bea = signed_in(kin, BEA, "192.0.2.2")
    theirs = start_meeting(bea, "Meeting for the Okafor children", "Bea")
    mine = start_meeting(priya, "Meeting for Ava", "Priya")
    facilitator = kin.board(theirs).participants
    (bea_pid,) = facilitator

    assert "Okafor" in bea.get("/").text
    assert "Okafor" not in priya.get("/").text and "Meeting for Ava" in priya.get("/").text

    def refused() -> None:
        opened = priya.form(f"/m/{theirs}/open", {}, page="/")
        assert opened.status_code == 403
        assert priya.cookie(f"kb_{theirs}") is None
        for path in (
            f"/api/meetings/{theirs}",
            f"/m/{theirs}",
            f"/m/{theirs}/activity",
            f"/m/{theirs}/activity.csv",
            f"/api/meetings/{theirs}/participants/{bea_pid}/export",
            f"/api/meetings/{theirs}/people-links",
            f"/api/meetings/{theirs}/links",
            f"/api/meetings/{theirs}/minutes",
        ):
            assert priya.get(path).status_code == 403, path
        made = priya.post(
            f"/api/meetings/{theirs}/people-links", json={"name": "Gran", "role": "network"}
        )
        assert made.status_code == 403
        erased = priya.request("DELETE", f"/api/meetings/{theirs}")
        assert erased.status_code == 403
        assert theirs in meeting_ids(kin)
        shared = priya.post(f"/api/meetings/{theirs}/share", json={"email": PRIYA})
        assert shared.status_code == 403
        assert len(kin.board(theirs).participants) == 1

    refused()
    # Bea shares it with Priya.
    shared = bea.post(f"/api/meetings/{theirs}/share", json={"email": PRIYA})
    family = kin.run(kin.services.families.family_of, theirs)
    assert (shared.status_code, shared.json()) == (
        200,
        {"staff": [BEA, PRIYA], "started_by_you": True, "family_id": family},
    )
    assert priya.get(f"/api/meetings/{theirs}/share").json() == {
        "staff": [BEA, PRIYA],
        "started_by_you": False,
        "family_id": family,
    }
    assert "Okafor" in priya.get("/").text
    # With her staff session alone (no participant session yet) she can read and look after it.
    for path in (
        f"/api/meetings/{theirs}",
        f"/m/{theirs}/activity",
        f"/m/{theirs}/activity.csv",
        f"/api/meetings/{theirs}/participants/{bea_pid}/export",
        f"/api/meetings/{theirs}/people-links",
    ):
        assert priya.get(path).status_code == 200, path
    opened = priya.form(f"/m/{theirs}/open", {"name": "Priya, family support"}, page="/")
    assert (opened.status_code, opened.headers["location"]) == (303, f"/m/{theirs}")
    assert priya.cookie(f"kb_{theirs}")
    roles = sorted(p.role.value for p in kin.board(theirs).participants.values())
    assert roles == ["facilitator", "facilitator"]
    # Sharing went one way only.
    assert "Meeting for Ava" not in bea.get("/").text
    assert bea.get(f"/api/meetings/{mine}").status_code == 403
    # And a shared meeting can be erased by the colleague too.
    assert priya.request("DELETE", f"/api/meetings/{theirs}").status_code == 204
    assert theirs not in meeting_ids(kin)
    assert "Okafor" not in bea.get("/").text


def test_only_the_staff_member_who_started_a_meeting_can_share_it(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    bea = signed_in(kin, BEA, "192.0.2.2")
    cal = signed_in(kin, CAL, "192.0.2.3")
    meeting = start_meeting(priya, "Meeting for Ava", "Priya")
    assert bea.post(f"/api/meetings/{meeting}/share", json={"email": BEA}).status_code == 403
    assert priya.post(f"/api/meetings/{meeting}/share", json={"email": BEA}).status_code == 200
    # Bea has the meeting now, but may not pass it on.
    onward = bea.post(f"/api/meetings/{meeting}/share", json={"email": CAL})
    assert onward.status_code == 403
    assert cal.get(f"/api/meetings/{meeting}").status_code == 403
    # Nor without signing in; and what is not an e-mail is refused.
    anonymous = kin.browser("192.0.2.9")
    assert anonymous.post(f"/api/meetings/{meeting}/share", json={"email": CAL}).status_code == 401
    assert anonymous.get(f"/api/meetings/{meeting}/share").status_code == 401
    assert cal.get(f"/api/meetings/{meeting}/share").status_code == 403
    for junk in ("not an e-mail", 7, None):
        refused = priya.post(f"/api/meetings/{meeting}/share", json={"email": junk})
        assert refused.status_code == 400
    assert kin.run(kin.staff.meeting_staff, meeting) == [PRIYA, BEA]


def test_sharing_answers_alike_whether_or_not_the_email_has_an_account(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    kin.add_staff(BEA)
    kin.add_staff(CAL)
    kin.run(kin.staff.disable, CAL, "test")
    meeting = start_meeting(priya, "Meeting for Ava", "Priya")
    nobody = "dan@council.example"

    def shared_with(email: str) -> tuple[int, list[str]]:
        answer = priya.post(f"/api/meetings/{meeting}/share", json={"email": email})
        body = answer.json()
        assert set(body) == {"staff", "started_by_you", "family_id"}, body
        # Only the e-mail it was shared with is new: nothing says if it has an account.
        return answer.status_code, body["staff"][-1:]

    assert shared_with(BEA) == (200, [BEA])
    assert shared_with(CAL) == (200, [CAL])  # disabled
    assert shared_with(" Dan@Council.Example ") == (200, [nobody])  # no account
    entries = [e for e in kin.audit(meeting) if e["event"] == "staff.shared"]
    assert [(e["by"], e["staff"]) for e in entries] == [(PRIYA, BEA), (PRIYA, CAL), (PRIYA, nobody)]
    # When Dan is given an account, the meeting is there for him.
    dan = signed_in(kin, nobody, "192.0.2.4")
    assert "Meeting for Ava" in dan.get("/").text
    assert dan.get(f"/api/meetings/{meeting}").status_code == 200


def test_the_owner_stops_sharing_and_the_colleagues_way_in_ends(kin: Kin) -> None:
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    bea = signed_in(kin, BEA, "192.0.2.2")
    cal = signed_in(kin, CAL, "192.0.2.3")
    meeting = start_meeting(priya, "Meeting for Ava", "Priya")
    for colleague in (BEA, CAL):
        shared = priya.post(f"/api/meetings/{meeting}/share", json={"email": colleague})
        assert shared.status_code == 200
    opened = bea.form(f"/m/{meeting}/open", {"name": "Bea"}, page="/")
    assert opened.status_code == 303 and bea.cookie(f"kb_{meeting}")
    # The board page offers the meeting's staff the list of who has it; nobody else.
    assert "data-staff" in bea.get(f"/m/{meeting}").text
    links = kin.run(kin.services.links.urls, meeting)
    chair = kin.browser("192.0.2.6")
    assert chair.join(links["facilitator"], "Independent chair", None).status_code == 200
    assert "data-staff" not in chair.get(f"/m/{meeting}").text
    assert chair.get(f"/api/meetings/{meeting}/share").status_code == 401

    def unshare(who: Browser, email: str, **kwargs: object) -> int:
        return who.request("DELETE", f"/api/meetings/{meeting}/share/{email}", **kwargs).status_code  # type: ignore[arg-type]

    # Only the owner, from our own pages, and never herself.
    assert unshare(bea, CAL) == 403
    assert unshare(cal, BEA) == 403
    assert unshare(kin.browser("192.0.2.9"), BEA) == 401
    assert unshare(priya, BEA, headers={"Origin": "http://evil.example"}) == 403
    assert unshare(priya, PRIYA) == 400
    assert unshare(priya, "dan@council.example") == 404
    assert unshare(priya, "not-an-email") == 400
    assert kin.run(kin.staff.meeting_staff, meeting) == [PRIYA, BEA, CAL]
    assert [e for e in kin.audit(meeting) if e["event"] == "staff.unshared"] == []

    answer = priya.request("DELETE", f"/api/meetings/{meeting}/share/{BEA}")
    assert answer.json()["staff"] == [PRIYA, CAL]
    # Bea's way in is gone: the list, opening it, her staff reading, and the meeting
    # session she had opened it with (which a copy of her cookie would still carry).
    assert "Meeting for Ava" not in bea.get("/").text
    assert bea.form(f"/m/{meeting}/open", {"name": "Bea"}, page="/").status_code == 403
    for path in (
        f"/api/meetings/{meeting}",
        f"/m/{meeting}/activity",
        f"/api/meetings/{meeting}/share",
    ):
        assert bea.get(path).status_code == 403, path
    bea_alone = kin.browser("192.0.2.5")
    bea_alone.set_cookie(f"kb_{meeting}", bea.cookie(f"kb_{meeting}") or "")
    assert bea_alone.get(f"/api/meetings/{meeting}").status_code == 403
    # Cal keeps hers; the log says who took it from whom.
    assert cal.get(f"/api/meetings/{meeting}").status_code == 200
    (entry,) = [e for e in kin.audit(meeting) if e["event"] == "staff.unshared"]
    assert (entry["by"], entry["staff"]) == (PRIYA, BEA)


def test_the_meeting_list_and_starting_meetings_need_a_signed_in_staff_member(
    kin: Kin,
) -> None:
    anonymous = kin.browser()
    home = anonymous.get("/")
    assert (home.status_code, home.headers["location"]) == (303, "/signin")
    form = anonymous.form("/meetings", {"title": "Anonymous meeting", "name": "X"})
    assert (form.status_code, form.headers["location"]) == (303, "/signin")
    api = anonymous.post("/api/meetings", json={"title": "Anonymous meeting"})
    assert (api.status_code, api.json()["error"]["code"]) == (401, "unauthorized")
    wrong_key = anonymous.post(
        "/api/meetings",
        json={"title": "Anonymous meeting"},
        headers={"Authorization": "Bearer " + "w" * 32},
    )
    assert wrong_key.status_code == 401
    assert meeting_ids(kin) == set()
    # The API key still starts meetings (an integration); they belong to no staff member.
    keyed = anonymous.post("/api/meetings", json={"title": "From the case system"}, headers=KEY)
    assert keyed.status_code == 201
    assert kin.run(kin.staff.meeting_staff, keyed.json()["id"]) == []
    # A signed-in staff member starts one over JSON too, and it is theirs.
    priya = signed_in(kin, PRIYA, "192.0.2.1")
    made = priya.post("/api/meetings", json={"title": "Priya's JSON meeting"})
    assert made.status_code == 201
    assert kin.run(kin.staff.meeting_staff, made.json()["id"]) == [PRIYA]
    assert "Priya&#39;s JSON meeting" in priya.get("/").text
    assert "From the case system" not in priya.get("/").text
    # Signed out: no more.
    priya.form("/signout", {}, page="/")
    after = priya.form("/meetings", {"title": "After signing out", "name": "P"})
    assert after.headers["location"] == "/signin"
    assert len(meeting_ids(kin)) == 2
