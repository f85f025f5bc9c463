"""Security over HTTP, in-process: CSRF on every form, the JSON API's content type and
Origin rules, security headers and cookie flags on every route, guessing link tokens and
per-person links. (A meeting's data, its audit log and its erasing are in
test_meeting_data.py.)

The real application runs in-process (Starlette's TestClient runs its lifespan) with a
clock the tests move; the helpers are in tests/support/inprocess.py.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from server.clock import iso
from tests.support.inprocess import (
    BASE,
    EVIL,
    HTTPS,
    PASSWORD,
    Browser,
    Kin,
    MovableClock,
    fast_hashing,
    joined,
    staff_with_meeting,
    start,
    token_of,
)

CSP_NEEDS = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")


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
        "email": "bea@council.example",
        "family_id": "f_none",
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
        # and the language chosen on joining: a preference, not a secret, its name fixed
        kept = {f"{prefix}kb_csrf", f"{prefix}kb_staff", f"{prefix}kb_{meeting_id}"}
        assert names == kept | {"kinboard-lang"}
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


@pytest.mark.slow
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
        refused = guesser.join(meeting["links"]["participant"], "Sam")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "5"
        clock.now += 5
        assert guesser.join(meeting["links"]["participant"], "Sam").status_code == 200
        assert guesser.join(meeting["links"]["participant"], "Sam").status_code == 429
        # The family at another address is not affected.
        family = kin.browser("203.0.113.20")
        assert family.join(meeting["links"]["participant"], "Ava", "child").status_code == 200


@pytest.mark.slow
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
