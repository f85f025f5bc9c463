"""Security over HTTP, in-process: CSRF on every form, the JSON API's content type and
Origin rules, security headers and cookie flags on every route, guessing link tokens,
per-person links, the audit log and its CSV, retention and erasing (SQLite and Redis), and
a person's data export.

The real application runs in-process (Starlette's TestClient runs its lifespan) with a
clock the tests move. The helpers here are shared with test_staff.py and
test_security_realtime.py.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from starlette.routing import Route

import server.staff
from server.clock import iso
from server.http.admin_routes import AUDIT_COLUMNS
from server.retention import ERASURE_LOG
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore
from tests.support.inprocess import (
    BASE,
    EVIL,
    HTTPS,
    KEY,
    PASSWORD,
    Browser,
    Kin,
    MovableClock,
    fast_hashing,
    start,
    token_of,
)
from tests.support.services import REDIS_URL, need_redis

CSP_NEEDS = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")


def staff_with_meeting(
    kin: Kin, email: str = "priya@council.example", origin: str = BASE
) -> tuple[Browser, str]:
    """A signed-in staff member and a meeting they started from the home page."""
    kin.add_staff(email)
    staff = kin.browser()
    assert staff.sign_in(email, origin=origin).status_code == 303
    answer = staff.form(
        "/meetings", {"title": "Meeting for Ava", "name": "Priya"}, page="/", origin=origin
    )
    assert answer.status_code == 303, answer.text
    return staff, answer.headers["location"].rsplit("/", 1)[1]


def joined(browser: Browser, link: str, name: str, role: str | None = "parent") -> str:
    answer = browser.join(link, name, role)
    assert answer.status_code == 200, answer.text
    return answer.json()["participant"]["id"]


# --- CSRF: every HTML form ----------------------------------------------------------------

FORMS = ["signin", "signout", "setup", "new meeting", "open meeting"]
# A post with the right token and no `Origin` (or `Origin: null`, which Chrome sends for our
# forms since our pages ask for no referrer) is our own form, not a forgery.
FORGERIES = ["no token", "wrong token", "another browser's token", "foreign origin"]


def forged_post(
    kin: Kin, browser: Browser, url: str, data: dict[str, Any], page: str, forgery: str
) -> httpx.Response:
    token = browser.csrf(page)
    fields = dict(data)
    headers = {"Origin": BASE}
    if forgery == "wrong token":
        fields["csrf"] = secrets.token_urlsafe(32)
    elif forgery == "another browser's token":
        fields["csrf"] = kin.browser("203.0.113.66").csrf()  # the attacker's own, valid token
    elif forgery == "foreign origin":
        fields["csrf"], headers["Origin"] = token, EVIL
    return browser.post(url, data=fields, headers=headers)


@pytest.mark.parametrize("forgery", FORGERIES)
@pytest.mark.parametrize("form", FORMS)
def test_a_forged_form_post_changes_nothing(kin: Kin, form: str, forgery: str) -> None:
    if form == "setup":
        code = kin.run(kin.staff.setup_code)
        browser = kin.browser()
        data = {"code": code, "email": "priya@council.example", "password": PASSWORD}
        answer = forged_post(kin, browser, "/setup", data, "/setup", forgery)
        assert answer.status_code == 403
        assert kin.run(kin.staff.members) == []
        assert browser.cookie("kb_staff") is None
        # The code still works from the real form.
        assert browser.form("/setup", data, page="/setup").status_code == 303
        return
    kin.add_staff("priya@council.example")
    browser = kin.browser()
    if form == "signin":
        data = {"email": "priya@council.example", "password": PASSWORD}
        answer = forged_post(kin, browser, "/signin", data, "/signin", forgery)
        assert answer.status_code == 403
        assert browser.cookie("kb_staff") is None and not browser.signed_in()
        return
    browser.sign_in("priya@council.example")
    if form == "signout":
        answer = forged_post(kin, browser, "/signout", {}, "/", forgery)
        assert answer.status_code == 403
        assert browser.signed_in()
    elif form == "new meeting":
        data = {"title": "Forged meeting", "name": "Mallory"}
        answer = forged_post(kin, browser, "/meetings", data, "/", forgery)
        assert answer.status_code == 403
        assert kin.run(kin.store.list_meetings) == []
    else:
        made = browser.post("/api/meetings", json={"title": "Meeting for Ava"})
        meeting_id = made.json()["id"]
        answer = forged_post(kin, browser, f"/m/{meeting_id}/open", {}, "/", forgery)
        assert answer.status_code == 403
        assert browser.cookie(f"kb_{meeting_id}") is None
        assert kin.board(meeting_id).participants == {}


# --- the JSON API: JSON only, and not from other sites ------------------------------------


@pytest.fixture
def looked_after(kin: Kin) -> dict[str, Any]:
    """A signed-in staff member (who is also the meeting's facilitator), a meeting with a
    per-person link and minutes."""
    staff, meeting_id = staff_with_meeting(kin)
    (facilitator,) = kin.board(meeting_id).participants
    link = staff.post(
        f"/api/meetings/{meeting_id}/people-links", json={"name": "Gran", "role": "network"}
    )
    assert link.status_code == 201
    kin.op(meeting_id, facilitator, "minutes.take")
    links = kin.run(kin.services.links.urls, meeting_id)
    return {
        "staff": staff,
        "meeting_id": meeting_id,
        "facilitator": facilitator,
        "link_id": link.json()["id"],
        "person_link": link.json()["url"],
        "links": links,
    }


def json_routes(m: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    mid = m["meeting_id"]
    return [
        ("POST", "/api/meetings", {"title": "Sent as a form"}),
        ("POST", "/api/join", {"token": token_of(m["links"]["participant"]), "name": "X"}),
        ("POST", "/api/join/preview", {"token": token_of(m["links"]["participant"])}),
        ("POST", f"/api/meetings/{mid}/share", {"email": "priya@council.example"}),
        ("POST", f"/api/meetings/{mid}/people-links", {"name": "Mallory", "role": "network"}),
        ("PATCH", f"/api/meetings/{mid}/people-links/{m['link_id']}", {"days": 90}),
    ]


def state_of(kin: Kin, meeting_id: str) -> Any:
    return (
        sorted(m.id for m in kin.run(kin.store.list_meetings)),
        kin.board(meeting_id),
        kin.run(kin.store.meeting_links, meeting_id),
        kin.run(kin.staff.meeting_staff, meeting_id),
    )


@pytest.mark.parametrize("content_type", ["form", "text/plain"])
def test_the_json_api_takes_only_json(
    kin: Kin, looked_after: dict[str, Any], content_type: str
) -> None:
    staff: Browser = looked_after["staff"]
    before = state_of(kin, looked_after["meeting_id"])
    for method, path, body in json_routes(looked_after):
        if content_type == "form":
            answer = staff.request(method, path, data=body, headers={"Origin": BASE})
        else:  # what a cross-site form can send without a CORS preflight
            answer = staff.request(
                method,
                path,
                content=json.dumps(body),
                headers={"Origin": BASE, "Content-Type": "text/plain"},
            )
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["error"]["code"] == "invalid"
    assert state_of(kin, looked_after["meeting_id"]) == before


def test_the_json_api_refuses_other_sites(kin: Kin, looked_after: dict[str, Any]) -> None:
    staff: Browser = looked_after["staff"]
    before = state_of(kin, looked_after["meeting_id"])
    for method, path, body in json_routes(looked_after):
        answer = staff.request(method, path, json=body, headers={"Origin": EVIL})
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["error"]["code"] == "forbidden"
    assert state_of(kin, looked_after["meeting_id"]) == before
    # Our own pages (same Origin) and integrations (no Origin) are served.
    same = staff.post("/api/meetings", json={"title": "Ours"}, headers={"Origin": BASE})
    assert same.status_code == 201


def test_state_changing_api_calls_without_a_body_refuse_other_sites(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid = looked_after["meeting_id"]
    before = state_of(kin, mid)
    answers = [
        staff.post(f"/api/meetings/{mid}/review", headers={"Origin": EVIL}),
        staff.request(
            "DELETE",
            f"/api/meetings/{mid}/people-links/{looked_after['link_id']}",
            headers={"Origin": EVIL},
        ),
        staff.request("DELETE", f"/api/meetings/{mid}", headers={"Origin": EVIL}),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert state_of(kin, mid) == before


# --- security headers and cookies on every route ------------------------------------------


def check_headers(answer: httpx.Response, path: str, https: bool = False) -> None:
    headers = answer.headers
    where = f"{answer.request.method} {path} -> {answer.status_code}"
    csp = headers.get("content-security-policy", "")
    for needed in CSP_NEEDS:
        assert needed in csp, (where, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (where, csp)
    assert headers.get("referrer-policy") == "no-referrer", where
    assert headers.get("x-content-type-options") == "nosniff", where
    if not path.startswith("/static/"):
        assert headers.get("cache-control") == "no-store", where
    if https:
        hsts = headers.get("strict-transport-security", "")
        assert hsts == "max-age=31536000; includeSubDomains", (where, hsts)


def every_route(kin: Kin, m: dict[str, Any], spare: str) -> list[tuple[str, str]]:
    """(method, path) for every route the app has, with real ids filled in."""
    values = {
        "meeting_id": m["meeting_id"],
        "link_id": m["link_id"],
        "participant_id": m["facilitator"],
        "number": "1",
        "fmt": "md",
        "kind": "participant",
        "key_id": "k_none",
    }
    calls = []
    for route in kin.pages.routes:
        if not isinstance(route, Route):
            continue
        path = route.path
        for name, value in values.items():
            path = re.sub(r"\{" + name + r"(:[a-z]+)?\}", value, path)
        assert "{" not in path, path
        for method in sorted(route.methods or {"GET"}):
            if method == "HEAD":
                continue
            if (method, route.path) == ("DELETE", "/api/meetings/{meeting_id}"):
                path = f"/api/meetings/{spare}"  # erase a meeting of its own, last
            calls.append((method, path))
    calls.sort(key=lambda call: call[0] == "DELETE")
    calls += [
        ("GET", "/static/styles.css"),
        ("GET", "/static/no-such-file.js"),
        ("GET", "/no-such-page"),
        ("GET", "/socket.io/?EIO=4&transport=polling"),
    ]
    return calls


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_route_answers_with_the_security_headers(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    fast_hashing(monkeypatch)
    base = BASE if scheme == "http" else HTTPS
    for kin in start(tmp_path, clock, base_url=base):
        staff, meeting_id = staff_with_meeting(kin, origin=base)
        (facilitator,) = kin.board(meeting_id).participants
        link = staff.post(
            f"/api/meetings/{meeting_id}/people-links", json={"name": "Gran", "role": "network"}
        ).json()
        kin.op(meeting_id, facilitator, "minutes.take")
        spare = staff.post("/api/meetings", json={"title": "To erase"}).json()["id"]
        m = {"meeting_id": meeting_id, "facilitator": facilitator, "link_id": link["id"]}
        calls = every_route(kin, m, spare)
        assert len(calls) > 25
        anonymous = kin.browser("192.0.2.200")
        for method, path in calls:
            for who in (staff, anonymous):
                body = {} if method in ("POST", "PATCH") else None
                answer = who.request(method, path, json=body, headers={"Origin": base})
                check_headers(answer, path, https=scheme == "https")
        # Static files may be cached, but carry the rest of the policy.
        static = anonymous.get("/static/styles.css")
        assert static.status_code == 200


def set_cookies(answer: httpx.Response) -> list[str]:
    return answer.headers.get_list("set-cookie")


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_cookie_is_httponly_and_samesite_and_over_https_secure_and_host_only(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    fast_hashing(monkeypatch)
    https = scheme == "https"
    base = HTTPS if https else BASE
    for kin in start(tmp_path, clock, base_url=base):
        code = kin.run(kin.staff.setup_code)
        browser = kin.browser()
        seen = set_cookies(browser.get("/setup"))
        data = {"code": code, "email": "priya@council.example", "password": PASSWORD}
        seen += set_cookies(browser.form("/setup", data, page="/setup", origin=base))
        seen += set_cookies(browser.sign_in("priya@council.example", origin=base))
        made = browser.form("/meetings", {"title": "Meeting", "name": "P"}, page="/", origin=base)
        seen += set_cookies(made)
        meeting_id = made.headers["location"].rsplit("/", 1)[1]
        seen += set_cookies(browser.form(f"/m/{meeting_id}/open", {}, page="/", origin=base))
        links = kin.run(kin.services.links.urls, meeting_id)
        seen += set_cookies(kin.browser("192.0.2.7").join(links["participant"], "Sam"))
        names = {cookie.split("=", 1)[0] for cookie in seen}
        prefix = "__Host-" if https else ""
        assert names == {f"{prefix}kb_csrf", f"{prefix}kb_staff", f"{prefix}kb_{meeting_id}"}
        for cookie in seen:
            attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
            assert "httponly" in attributes, cookie
            assert any(a in ("samesite=lax", "samesite=strict") for a in attributes), cookie
            assert "path=/" in attributes, cookie
            assert not any(a.startswith("domain=") for a in attributes), cookie
            assert ("secure" in attributes) == https, cookie
        csrf = next(c for c in seen if c.startswith(f"{prefix}kb_csrf="))
        assert "samesite=strict" in csrf.lower()
        if https:
            hsts = browser.get("/").headers["strict-transport-security"]
            assert hsts == "max-age=31536000; includeSubDomains"
        else:
            assert "strict-transport-security" not in browser.get("/").headers


def test_signing_out_over_https_deletes_the_host_cookie_with_a_valid_set_cookie(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_hashing(monkeypatch)
    for kin in start(tmp_path, clock, base_url=HTTPS):
        kin.add_staff("priya@council.example")
        browser = kin.browser()
        browser.sign_in("priya@council.example", origin=HTTPS)
        answer = browser.form("/signout", {}, page="/", origin=HTTPS)
        (deletion,) = [c for c in set_cookies(answer) if c.startswith("__Host-kb_staff=")]
        attributes = [part.strip().lower() for part in deletion.split(";")[1:]]
        assert "secure" in attributes and "path=/" in attributes, deletion


# --- guessing link tokens -----------------------------------------------------------------


async def guess_tokens(kin: Kin, address: str, count: int) -> list[int]:
    """POST `count` random tokens, alternately to /api/join and /api/join/preview, from one
    address, as fast as the app answers (on the app's own event loop)."""
    transport = httpx.ASGITransport(app=kin.client.app, client=(address, 40000))
    statuses = []
    async with httpx.AsyncClient(transport=transport, base_url=kin.settings.base_url) as http:
        for n in range(count):
            path = "/api/join" if n % 2 == 0 else "/api/join/preview"
            body = {"token": secrets.token_urlsafe(32), "name": "Guess", "role": "parent"}
            statuses.append((await http.post(path, json=body)).status_code)
    return statuses


def test_ten_thousand_random_tokens_join_nothing_and_the_address_is_slowed_to_a_crawl(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_hashing(monkeypatch)
    for kin in start(tmp_path, clock, join_burst=20):
        meeting = kin.new_meeting()
        statuses = kin.run(guess_tokens, kin, "198.51.100.66", 10_000)
        counts = {status: statuses.count(status) for status in sorted(set(statuses))}
        print(f"10,000 guesses from one address: {counts}")
        assert 200 not in counts and 410 not in counts
        # The first 20 are looked up (and unknown); every one after that is refused unread.
        assert statuses[:20] == [404] * 20
        assert statuses[20:] == [429] * (10_000 - 20)
        assert kin.board(meeting["id"]).participants == {}
        # The limiter refills slowly: one more try every 5 seconds, even with a real link.
        guesser = kin.browser("198.51.100.66")
        assert guesser.join(meeting["links"]["participant"], "Sam").status_code == 429
        clock.now += 5
        assert guesser.join(meeting["links"]["participant"], "Sam").status_code == 200
        assert guesser.join(meeting["links"]["participant"], "Sam").status_code == 429
        # The family at another address is not affected.
        family = kin.browser("203.0.113.20")
        assert family.join(meeting["links"]["participant"], "Ava", "child").status_code == 200


def test_without_the_limit_no_random_token_is_accepted_either(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_hashing(monkeypatch)
    for kin in start(tmp_path, clock, join_burst=100_000):
        meeting = kin.new_meeting()
        statuses = kin.run(guess_tokens, kin, "198.51.100.67", 2_000)
        assert set(statuses) == {404}
        assert kin.board(meeting["id"]).participants == {}


# --- per-person links ---------------------------------------------------------------------


def test_a_per_person_link_names_the_person_and_role_and_can_be_shortened_and_revoked(
    kin: Kin, clock: MovableClock, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid = looked_after["meeting_id"]
    links_path = f"/api/meetings/{mid}/people-links"
    made = staff.post(links_path, json={"name": "Grandma Rose", "role": "network", "days": 3})
    assert made.status_code == 201
    link = made.json()
    assert (link["name"], link["role"], link["revoked"], link["usable"]) == (
        "Grandma Rose",
        "network",
        False,
        True,
    )
    assert link["expires_at"] == iso(clock.now + 3 * 86400)
    assert link["url"].startswith(f"{BASE}/join#") and len(token_of(link["url"])) == 43
    preview = kin.browser().post("/api/join/preview", json={"token": token_of(link["url"])})
    assert preview.json()["person"] == {"name": "Grandma Rose", "role": "network"}
    # Whatever the joiner sends, the link decides who they are.
    rose = kin.browser("203.0.113.30")
    answer = rose.join(link["url"], "Mallory", "professional")
    assert answer.status_code == 200
    me = answer.json()["participant"]
    assert (me["name"], me["role"]) == ("Grandma Rose", "network")
    assert rose.get(f"/api/meetings/{mid}").status_code == 200
    # Its expiry can be changed: one day from now.
    one = f"{links_path}/{link['id']}"
    changed = staff.request("PATCH", one, json={"days": 1})
    assert changed.status_code == 200
    assert changed.json()["expires_at"] == iso(clock.now + 86400)
    for bad in (0, 91, "3", True, 1.5):
        assert staff.request("PATCH", one, json={"days": bad}).status_code == 400, bad

    # Another person's link, revoked: their sessions end at once, and the link is gone.
    uncle = staff.post(links_path, json={"name": "Uncle Joe", "role": "network"}).json()
    joe, joe_again = kin.browser("203.0.113.31"), kin.browser("203.0.113.32")
    joined(joe, uncle["url"], "Joe")
    joined(joe_again, uncle["url"], "Joe")  # a second device
    revoked = staff.request("DELETE", f"{links_path}/{uncle['id']}")
    assert revoked.status_code == 200
    assert (revoked.json()["revoked"], revoked.json()["usable"]) == (True, False)
    for browser in (joe, joe_again):
        assert browser.get(f"/api/meetings/{mid}").status_code == 403
        assert browser.get(f"/m/{mid}").status_code == 403
    for path in ("/api/join", "/api/join/preview"):
        gone = kin.browser("203.0.113.33").post(
            path, json={"token": token_of(uncle["url"]), "name": "Joe"}
        )
        assert (gone.status_code, gone.json()["error"]["code"]) == (410, "link_gone"), path
    # Rose, on her own link, is untouched.
    assert rose.get(f"/api/meetings/{mid}").status_code == 200

    # A day later Rose's shortened link no longer works (her session lasts its own time).
    clock.now += 86400 + 1
    late = kin.browser("203.0.113.34").join(link["url"], "Rose")
    assert (late.status_code, late.json()["error"]["code"]) == (410, "link_gone")
    events = [
        (e["event"], e.get("link_id"))
        for e in kin.audit(mid)
        if e.get("link_id") in (link["id"], uncle["id"])
    ]
    assert events == [
        ("link.created", link["id"]),
        ("join", link["id"]),
        ("link.expiry_changed", link["id"]),
        ("link.created", uncle["id"]),
        ("join", uncle["id"]),
        ("join", uncle["id"]),
        ("link.revoked", uncle["id"]),
    ]


def test_only_the_facilitator_or_staff_look_after_per_person_links(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    mid = looked_after["meeting_id"]
    parent = kin.browser("203.0.113.40")
    joined(parent, looked_after["links"]["participant"], "Sam")
    path = f"/api/meetings/{mid}/people-links"
    assert parent.get(path).status_code == 403
    assert parent.post(path, json={"name": "Uncle", "role": "network"}).status_code == 403
    one = f"{path}/{looked_after['link_id']}"
    assert parent.request("PATCH", one, json={"days": 90}).status_code == 403
    assert parent.request("DELETE", one).status_code == 403
    staff: Browser = looked_after["staff"]
    for body in (
        {"name": "Uncle", "role": "facilitator"},
        {"name": "Uncle", "role": "viewer"},
        {"name": "", "role": "network"},
        {"name": "Uncle"},
    ):
        assert staff.post(path, json=body).status_code == 400, body
    assert staff.request("DELETE", f"{path}/l_nosuchlink").status_code == 404
    (link,) = staff.get(path).json()["links"]
    assert link["usable"] and not link["revoked"]


def test_expired_and_revoked_general_links_are_gone(
    kin: Kin, clock: MovableClock, looked_after: dict[str, Any]
) -> None:
    mid = looked_after["meeting_id"]
    links = looked_after["links"]
    (participant,) = [
        link for link in kin.run(kin.store.meeting_links, mid) if link.kind.value == "participant"
    ]
    kin.run(kin.store.add_link, replace(participant, revoked=True))
    answer = kin.browser().join(links["participant"], "Sam")
    # No newer family link: it is turned off, and says so.
    assert (answer.status_code, answer.json()["error"]["code"]) == (410, "link_off")
    clock.now += kin.settings.link_days * 86400 + 1
    for kind in ("facilitator", "display"):
        answer = kin.browser().join(links[kind], "Sam", None)
        assert (answer.status_code, answer.json()["error"]["code"]) == (410, "link_gone"), kind
        preview = kin.browser().post("/api/join/preview", json={"token": token_of(links[kind])})
        assert preview.status_code == 410


def test_revoking_a_general_link_through_the_people_links_api_answers_cleanly(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    mid = looked_after["meeting_id"]
    (participant,) = [
        link for link in kin.run(kin.store.meeting_links, mid) if link.kind.value == "participant"
    ]
    staff: Browser = looked_after["staff"]
    answer = staff.request("DELETE", f"/api/meetings/{mid}/people-links/{participant.id}")
    assert answer.status_code in (200, 404)


# --- a meeting with everything in it -------------------------------------------------------

# Every piece of text written in `full_meeting`, by who wrote it.
SAM_TEXTS = ("SAM-CARD Sam walks Leo to school", "SAM-REVEALED he goes", "SAM-OPEN maybe")
GRAN_TEXTS = (
    "GRAN-CARD Dad shouted at Leo",
    "GRAN-REVEALED still drinking",
    "GRAN-OPEN worried",
    "GRAN-SIGNOFF the plan misses Dad",
)
FACILITATOR_TEXT = "FAC-CARD We all want Leo safe at home"


def full_meeting(kin: Kin, meeting_id: str, facilitator: str) -> dict[str, Any]:
    """A parent (general link) and a grandmother (her own link) join; cards, stances, a
    revealed round, an open round and signed minutes."""
    links = kin.run(kin.services.links.urls, meeting_id)
    person = kin.run(
        kin.services.links.add_person_link, meeting_id, "Gran", "network", None, facilitator
    )
    sam_browser, gran_browser = kin.browser("203.0.113.50"), kin.browser("203.0.113.51")
    sam = joined(sam_browser, links["participant"], "Sam", "parent")
    gran = joined(gran_browser, kin.services.links.url(person), "ignored", None)

    def do(by: str, op_type: str, **fields: Any) -> None:
        kin.op(meeting_id, by, op_type, **fields)

    do(sam, "card.add", section="strengths", text=SAM_TEXTS[0], card_id="c_sam")
    do(gran, "card.add", section="harm", text=GRAN_TEXTS[0], card_id="c_gran")
    do(facilitator, "card.add", section="goals", text=FACILITATOR_TEXT, card_id="c_fac")
    do(sam, "card.react", card_id="c_sam", stance="agree")
    do(gran, "card.react", card_id="c_gran", stance="agree")
    do(sam, "card.react", card_id="c_fac", stance="agree")
    overall = next(s.id for s in kin.board(meeting_id).scales.values() if s.overall)
    do(facilitator, "round.open", scale_id=overall)
    do(sam, "vote.cast", scale_id=overall, value=7, reason=SAM_TEXTS[1])
    do(gran, "vote.cast", scale_id=overall, value=3, reason=GRAN_TEXTS[1])
    do(facilitator, "round.reveal", scale_id=overall)
    do(
        facilitator,
        "scale.add",
        scale_id="s_school",
        question="Is Leo going to school?",
        low_label="Never",
        high_label="Every day",
    )
    do(facilitator, "round.open", scale_id="s_school")
    do(sam, "vote.cast", scale_id="s_school", value=6, reason=SAM_TEXTS[2])
    do(gran, "vote.cast", scale_id="s_school", value=2, reason=GRAN_TEXTS[2])
    do(facilitator, "minutes.take")
    do(sam, "minutes.sign", minutes=1, stance="agree")
    do(gran, "minutes.sign", minutes=1, stance="disagree", reason=GRAN_TEXTS[3])
    return {
        "sam": sam,
        "gran": gran,
        "sam_browser": sam_browser,
        "gran_browser": gran_browser,
        "person_link": person.id,
        "links": links,
        "texts": (*SAM_TEXTS, *GRAN_TEXTS, FACILITATOR_TEXT),
    }


# --- the audit log ------------------------------------------------------------------------


def csv_rows(answer: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(answer.text)))


def test_the_audit_log_records_who_did_what_and_never_what_they_wrote(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    sam, gran = people["sam"], people["gran"]
    kin.op(mid, facilitator, "participant.remove", participant_id=gran)
    sam_browser: Browser = people["sam_browser"]
    assert sam_browser.get(f"/m/{mid}/minutes/1").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.json").status_code == 200
    entries = kin.audit(mid)
    links = {link.kind.value: link.id for link in kin.run(kin.store.meeting_links, mid)}

    joins = {e["by"]: e for e in entries if e["event"] == "join"}
    assert (joins[sam]["role"], joins[sam]["link_id"]) == ("parent", links["participant"])
    assert (joins[gran]["role"], joins[gran]["link_id"]) == ("network", people["person_link"])
    assert joins[facilitator]["role"] == "facilitator"
    ops_ = [e for e in entries if e["event"] == "op"]
    card = next(e for e in ops_ if e["op"] == "card.add" and e["by"] == sam)
    assert (card["role"], card["link_id"], card["entities"]) == (
        "parent",
        links["participant"],
        ["card:c_sam"],
    )
    assert isinstance(card["seq"], int) and card["at"]
    gran_card = next(e for e in ops_ if e["op"] == "card.add" and e["by"] == gran)
    assert (gran_card["role"], gran_card["link_id"]) == ("network", people["person_link"])
    assert {e["op"] for e in ops_} >= {
        "card.add",
        "card.react",
        "round.open",
        "vote.cast",
        "round.reveal",
        "scale.add",
        "minutes.take",
        "minutes.sign",
        "participant.remove",
    }
    assert any(e["event"] == "link.created" for e in entries)
    removed = next(e for e in entries if e["event"] == "participant.removed")
    assert (removed["by"], removed["participant"]) == (facilitator, gran)
    viewed = [e for e in entries if e["event"] == "minutes.viewed"]
    downloaded = [e for e in entries if e["event"] == "minutes.downloaded"]
    assert [(e["by"], e["minutes"]) for e in viewed] == [(sam, 1)]
    assert sorted(e["format"] for e in downloaded) == ["json", "md"]
    signins = kin.audit(server.staff.STAFF_LOG)
    assert [(e["event"], e["staff"]) for e in signins] == [
        ("staff.signin", "priya@council.example")
    ]

    # Never what anyone wrote: not in the log, the Activity page or the CSV.
    page = staff.get(f"/m/{mid}/activity")
    sheet = staff.get(f"/m/{mid}/activity.csv")
    assert page.status_code == sheet.status_code == 200
    assert sheet.headers["content-disposition"].startswith("attachment;")
    assert sheet.headers["cache-control"] == "no-store"
    everything = json.dumps(entries) + page.text + sheet.text
    for text in (*people["texts"], "Is Leo going to school?", "Meeting for Ava"):
        assert text not in everything, text
        assert html.escape(text) not in page.text, text
    rows = csv_rows(sheet)
    assert rows[0] == list(AUDIT_COLUMNS)
    assert len(rows) == len(entries) + 1


def test_reading_the_same_minutes_again_within_a_minute_is_written_down_once(
    kin: Kin, looked_after: dict[str, Any], clock: MovableClock
) -> None:
    mid = looked_after["meeting_id"]
    sam_browser = kin.browser("203.0.113.50")
    sam = joined(sam_browser, looked_after["links"]["participant"], "Sam")
    gran_browser = kin.browser("203.0.113.51")
    gran = joined(gran_browser, looked_after["person_link"], "ignored", None)

    def reads() -> list[tuple[str, str, str | None]]:
        return [
            (e["event"], e["by"], e.get("format"))
            for e in kin.audit(mid)
            if e["event"] in ("minutes.viewed", "minutes.downloaded")
        ]

    for _ in range(5):
        assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
        assert sam_browser.get(f"/m/{mid}/minutes/1").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.json").status_code == 200
    assert gran_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    once = [
        ("minutes.downloaded", sam, "md"),
        ("minutes.viewed", sam, None),
        ("minutes.downloaded", sam, "json"),  # another file
        ("minutes.downloaded", gran, "md"),  # another person
    ]
    assert reads() == once
    clock.now += 59
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert reads() == once
    clock.now += 1
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert sam_browser.get(f"/m/{mid}/minutes/1.md").status_code == 200
    assert reads() == [*once, ("minutes.downloaded", sam, "md")]


def test_the_activity_page_and_csv_are_for_the_meetings_staff_only(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    mid = looked_after["meeting_id"]
    facilitator = kin.browser("203.0.113.60")  # the facilitator's link, but not staff
    joined(facilitator, looked_after["links"]["facilitator"], "Fran", None)
    parent = kin.browser("203.0.113.61")
    joined(parent, looked_after["links"]["participant"], "Sam")
    for who in (facilitator, parent, kin.browser("203.0.113.62")):
        for path in (f"/m/{mid}/activity", f"/m/{mid}/activity.csv"):
            assert who.get(path).status_code == 403, path
    for path in (f"/m/{mid}/activity", f"/m/{mid}/activity.csv"):
        assert looked_after["staff"].get(path).status_code == 200
        assert kin.browser().get(path, headers=KEY).status_code == 200


def test_activity_csv_cells_cannot_run_as_spreadsheet_formulas(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    mid = looked_after["meeting_id"]
    dangerous = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
    for column, value in zip(("by", "role", "link_id", "op", "staff"), dangerous, strict=True):
        kin.run(kin.store.append_audit, mid, {"at": "2027-01-01", "event": "test", column: value})
    kin.run(kin.store.append_audit, mid, {"at": "x", "event": "test", "entities": ["=1", "b"]})
    # End to end: a staff member whose email starts with "=" makes a link without having
    # joined the meeting, so the log names them by email.
    odd = "=cmd@evil.example"
    kin.add_staff(odd)
    kin.run(kin.staff.add_to_meeting, mid, odd)
    other = kin.browser("203.0.113.70")
    other.sign_in(odd)
    made = other.post(f"/api/meetings/{mid}/people-links", json={"name": "X", "role": "network"})
    assert made.status_code == 201
    rows = csv_rows(looked_after["staff"].get(f"/m/{mid}/activity.csv"))
    cells = [cell for row in rows[1:] for cell in row]
    for value in [*dangerous, "=1 b", odd]:
        assert "'" + value in cells, value
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


# --- retention and erasing ------------------------------------------------------------------


def sqlite_everything(path: Path) -> str:
    """Every row of every table, as text."""
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert {"meetings", "records", "oplog", "links", "sessions", "kv", "audit"} <= set(tables)
        rows = [
            f"{table}: {row!r}" for table in tables for row in db.execute(f"SELECT * FROM {table}")
        ]
    return "\n".join(rows)


def redis_everything(prefix: str) -> str:
    """Every key under the prefix and its whole value, as text."""
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    lines = []
    for key in client.scan_iter(match=f"{prefix}:*", count=500):
        kind = client.type(key)
        if kind == "string":
            value: Any = client.get(key)
        elif kind == "hash":
            value = client.hgetall(key)
        elif kind == "set":
            value = sorted(client.smembers(key))
        elif kind == "list":
            value = client.lrange(key, 0, -1)
        elif kind == "zset":
            value = client.zrange(key, 0, -1)
        else:
            value = f"<{kind}>"
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    client.close()
    return "\n".join(lines)


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if request.param == "sqlite":
        path = tmp_path / "kinboard.sqlite3"
        yield {"store": SQLiteStore(path), "dump": lambda: sqlite_everything(path), "extra": {}}
        return
    need_redis()
    prefix = f"kbtest-{secrets.token_hex(6)}"
    yield {
        "store": RedisStore(REDIS_URL, prefix=prefix),
        "dump": lambda: redis_everything(prefix),
        "extra": {"redis_url": REDIS_URL, "redis_prefix": prefix},
    }
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def kin_on(
    backend: dict[str, Any], tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Kin]:
    fast_hashing(monkeypatch)
    yield from start(tmp_path, clock, store=backend["store"], **backend["extra"])


def traces(kin: Kin, meeting_id: str, people: dict[str, Any]) -> list[str]:
    """What must not outlive the meeting: its id, its people's ids, its links' ids and
    token hashes, and every word written in it."""
    links = kin.run(kin.store.meeting_links, meeting_id)
    return [
        meeting_id,
        *kin.board(meeting_id).participants,
        *(link.id for link in links),
        *(link.token_hash for link in links),
        *people["texts"],
    ]


def leftovers(dump: str, what: list[str]) -> list[str]:
    """What is still there, apart from the log of erasures (a line of its own in a dump)."""
    kept = "\n".join(line for line in dump.splitlines() if ERASURE_LOG not in line)
    return [trace for trace in what if trace in kept]


def erasures(kin: Kin) -> list[tuple[str, str]]:
    entries = kin.audit(ERASURE_LOG)
    assert all(set(e) == {"at", "event", "meeting_id", "by"} for e in entries), entries
    assert {e["event"] for e in entries} <= {"meeting.erased"}
    return [(e["meeting_id"], e["by"]) for e in entries]


def test_a_closed_meeting_is_purged_completely_once_its_retention_period_has_passed(
    kin_on: Kin, backend: dict[str, Any], clock: MovableClock
) -> None:
    kin = kin_on
    staff, doomed = staff_with_meeting(kin)
    (facilitator,) = kin.board(doomed).participants
    people = full_meeting(kin, doomed, facilitator)
    kept = kin.new_meeting(title="Still going")
    kept_parent = kin.browser("203.0.113.80")
    kept_id = joined(kept_parent, kept["links"]["participant"], "Kim")
    kin.op(kept["id"], kept_id, "card.add", section="goals", text="KEPT-CARD Kim's goal")
    later = kin.new_meeting(title="Closed two days later")
    later_facilitator = joined(
        kin.browser("203.0.113.81"), later["links"]["facilitator"], "F", None
    )

    kin.op(doomed, facilitator, "meeting.close")
    # Closing ends every session of the meeting at once; staff still read it as staff.
    sam_browser: Browser = people["sam_browser"]
    assert sam_browser.get(f"/api/meetings/{doomed}").status_code == 403
    assert staff.cookie(f"kb_{doomed}") is not None
    session = kin.run(kin.services.sessions.find, staff.cookie(f"kb_{doomed}"), doomed)
    assert session is None  # the facilitator's own participant session ended too
    assert staff.get(f"/api/meetings/{doomed}").status_code == 200
    assert kin.browser().join(people["links"]["participant"], "Late").status_code == 409

    what = traces(kin, doomed, people)
    assert leftovers(backend["dump"](), what) == what  # all there before: the check can fail
    clock.now += 2 * 86400
    kin.op(later["id"], later_facilitator, "meeting.close")
    clock.now += kin.settings.retention_days * 86400 - 2 * 86400 - 60
    assert kin.run(kin.services.retention.purge_expired) == []
    assert kin.board(doomed).meeting.status.value == "closed"
    clock.now += 120
    assert erasures(kin) == []
    assert kin.run(kin.services.retention.purge_expired) == [doomed]
    assert leftovers(backend["dump"](), what) == []
    # Only the record that it was erased, by whom and when, outlives it.
    assert erasures(kin) == [(doomed, "retention")]
    assert kin.audit(ERASURE_LOG)[0]["at"] == iso(clock.now)
    # The other meetings are whole.
    assert [c.text for c in kin.board(kept["id"]).cards.values()] == ["KEPT-CARD Kim's goal"]
    assert kin.board(later["id"]).meeting.status.value == "closed"
    clock.now += 2 * 86400
    assert kin.run(kin.services.retention.purge_expired) == [later["id"]]
    assert kin.board(kept["id"]).meeting.status.value == "open"
    assert erasures(kin) == [(doomed, "retention"), (later["id"], "retention")]


def test_erasing_a_meeting_removes_everything_about_it_at_once(
    kin_on: Kin, backend: dict[str, Any]
) -> None:
    kin = kin_on
    staff, doomed = staff_with_meeting(kin)
    (facilitator,) = kin.board(doomed).participants
    people = full_meeting(kin, doomed, facilitator)
    other = kin.new_meeting(title="Another family")
    what = traces(kin, doomed, people)
    assert leftovers(backend["dump"](), what) == what
    sam_browser: Browser = people["sam_browser"]
    assert sam_browser.request("DELETE", f"/api/meetings/{doomed}").status_code == 403
    assert erasures(kin) == []
    assert staff.request("DELETE", f"/api/meetings/{doomed}").status_code == 204
    assert leftovers(backend["dump"](), what) == []
    assert erasures(kin) == [(doomed, "priya@council.example")]
    assert sam_browser.get(f"/api/meetings/{doomed}").status_code == 403
    assert staff.get(f"/api/meetings/{doomed}").status_code in (403, 404)
    assert "Meeting for Ava" not in staff.get("/").text
    assert kin.browser().join(people["links"]["participant"], "Sam").status_code == 404
    assert kin.board(other["id"]).meeting.title == "Another family"
    assert staff.request("DELETE", f"/api/meetings/{doomed}").status_code in (403, 404)
    assert erasures(kin) == [(doomed, "priya@council.example")]  # nothing more was erased
    # Neither a meeting's staff nor anyone else reads the log of erasures as a meeting's.
    for who in (staff, sam_browser):
        assert who.get(f"/m/{ERASURE_LOG}/activity").status_code in (403, 404)


def erased_words_on_disk(kin: Kin, tmp_path: Path, checkpoint: bool) -> list[str]:
    staff, doomed = staff_with_meeting(kin)
    (facilitator,) = kin.board(doomed).participants
    people = full_meeting(kin, doomed, facilitator)
    assert staff.request("DELETE", f"/api/meetings/{doomed}").status_code == 204
    if checkpoint:
        with sqlite3.connect(tmp_path / "kinboard.sqlite3") as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("kinboard.sqlite3*"))
    assert raw
    return [text for text in people["texts"] if text.encode() in raw]


def test_an_erased_meetings_words_are_not_left_in_free_pages_of_the_database_file(
    kin: Kin, tmp_path: Path
) -> None:
    # Holds because this SQLite is built with SECURE_DELETE on; the store does not ask for it.
    assert erased_words_on_disk(kin, tmp_path, checkpoint=True) == []


def test_an_erased_meetings_words_are_not_left_in_the_write_ahead_log(
    kin: Kin, tmp_path: Path
) -> None:
    assert erased_words_on_disk(kin, tmp_path, checkpoint=False) == []


def test_failed_sign_ins_at_unknown_emails_are_forgotten_once_their_window_ends(
    kin_on: Kin, backend: dict[str, Any], clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a stranger types as an e-mail (perhaps someone's real address) is kept only
    as long as the sign-in limit needs it."""
    monkeypatch.setattr(server.staff, "FAILURE_DELAY", 0.0)
    kin = kin_on
    kin.add_staff("priya@council.example")
    typed = "no-such-person@elsewhere.example"
    stranger = kin.browser("203.0.113.66")
    assert stranger.sign_in(typed, "a guessed password").status_code == 401
    assert typed in backend["dump"]()
    if backend["extra"]:  # Redis forgets it by itself, on its own clock
        client = redis.Redis.from_url(REDIS_URL)
        (key,) = client.scan_iter(match=f"{backend['extra']['redis_prefix']}:counter:*{typed}")
        assert 0 < client.pttl(key) <= (server.staff.FAILURE_WINDOW + 60) * 1000
        client.close()
        return
    clock.now += server.staff.FAILURE_WINDOW - 1
    assert kin.browser("203.0.113.67").sign_in("priya@council.example").status_code == 303
    assert typed in backend["dump"]()  # still counted while its window lasts
    clock.now += 1
    assert kin.browser("203.0.113.68").sign_in("priya@council.example").status_code == 303
    assert typed not in backend["dump"]()


# --- a person's data (subject access) -------------------------------------------------------


def test_a_persons_export_has_all_of_theirs_and_none_of_anyone_elses(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    sam, gran = people["sam"], people["gran"]
    path = f"/api/meetings/{mid}/participants/{sam}/export"
    assert people["sam_browser"].get(path).status_code == 403  # staff only
    answer = staff.get(path)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"].startswith("attachment;")
    data = answer.json()
    assert (data["participant"]["id"], data["participant"]["name"]) == (sam, "Sam")
    assert [c["text"] for c in data["cards_added"]] == [SAM_TEXTS[0]]
    assert sorted((s["card_id"], s["stance"]) for s in data["agree_or_disagree"]) == [
        ("c_fac", "agree"),
        ("c_sam", "agree"),
    ]
    assert [(v["value"], v["reason"]) for v in data["votes"]] == [(7, SAM_TEXTS[1])]
    assert data["answered_open_rounds"] == [{"scale_id": "s_school", "round": 1}]
    assert [(s["minutes"], s["stance"]) for s in data["minutes_sign_offs"]] == [(1, "agree")]
    assert {e["event"] for e in data["activity"]} == {"join", "op"}
    assert all(sam in (e.get("by"), e.get("participant")) for e in data["activity"])
    text = answer.text
    for theirs in (*GRAN_TEXTS, "Gran", "ignored"):
        assert theirs not in text, theirs
    assert {v["voter"] for v in data["votes"]} == {sam}
    # An unknown person, or one of another meeting, is 404.
    assert staff.get(f"/api/meetings/{mid}/participants/p_nobody/export").status_code == 404
    assert gran in kin.board(mid).participants


@pytest.mark.parametrize("asker", ["staff", "api key"])
def test_a_persons_export_leaves_out_an_open_rounds_number_and_reason_until_the_reveal(
    kin: Kin, looked_after: dict[str, Any], asker: str
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    path = f"/api/meetings/{mid}/participants/{people['sam']}/export"

    def export() -> httpx.Response:
        answer = staff.get(path) if asker == "staff" else kin.client.get(path, headers=KEY)
        assert answer.status_code == 200, answer.text
        return answer

    before = export()
    assert SAM_TEXTS[2] not in before.text
    assert [v["value"] for v in before.json()["votes"]] == [7]  # the revealed round only
    assert before.json()["answered_open_rounds"] == [{"scale_id": "s_school", "round": 1}]
    kin.op(mid, facilitator, "round.reveal", scale_id="s_school")
    after = export().json()
    assert [(v["value"], v["reason"]) for v in after["votes"]] == [
        (7, SAM_TEXTS[1]),
        (6, SAM_TEXTS[2]),
    ]
    assert after["answered_open_rounds"] == []


def test_a_persons_export_names_no_other_participant(
    kin: Kin, looked_after: dict[str, Any]
) -> None:
    staff: Browser = looked_after["staff"]
    mid, facilitator = looked_after["meeting_id"], looked_after["facilitator"]
    people = full_meeting(kin, mid, facilitator)
    sam, gran = people["sam"], people["gran"]
    kin.op(mid, gran, "card.react", card_id="c_sam", stance="disagree")  # Gran's view of it
    text = staff.get(f"/api/meetings/{mid}/participants/{sam}/export").text
    assert [pid for pid in (gran, facilitator) if pid in text] == []
