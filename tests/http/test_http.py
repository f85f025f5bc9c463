"""HTTP: pages, the JSON API, joining by link, cookies and security headers.

These run the real application in-process (Starlette's TestClient runs its lifespan and
the embedded store), with a clock the tests can move.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from server.staff import Staff
from server.store import Store
from server.store.redis import RedisStore
from server.store.sqlite import SQLiteStore
from tests.support.inprocess import MovableClock

BASE = "http://testserver"
API_KEY = "k" * 32
KEY_HEADER = {"Authorization": f"Bearer {API_KEY}"}


def make_client(
    tmp_path: Path, clock: MovableClock, store: Store | None = None, **overrides: Any
) -> TestClient:
    settings = replace(
        Settings(),
        base_url=BASE,
        allowed_origins=(BASE,),
        data_dir=tmp_path,
        **{"api_key": API_KEY, **overrides},
    )
    store = store or SQLiteStore(tmp_path / "kinboard.sqlite3")
    return TestClient(create_app(settings, store=store, clock=clock), base_url=BASE)


@pytest.fixture
def client(tmp_path: Path, clock: MovableClock) -> Iterator[TestClient]:
    with make_client(tmp_path, clock) as test_client:
        yield test_client


def new_meeting(client: TestClient, **fields: Any) -> dict[str, Any]:
    answer = client.post(
        "/api/meetings", json={"title": "Family meeting", **fields}, headers=KEY_HEADER
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def meeting_titles(tmp_path: Path) -> list[str]:
    """What the store holds, read beside the running app."""

    async def read() -> list[str]:
        store = SQLiteStore(tmp_path / "kinboard.sqlite3")
        await store.open()
        try:
            return [meeting.title for meeting in await store.list_meetings()]
        finally:
            await store.close()

    return asyncio.run(read())


def add_staff(tmp_path: Path, clock: MovableClock, email: str, password: str) -> None:
    async def add() -> None:
        store = SQLiteStore(tmp_path / "kinboard.sqlite3")
        await store.open()
        try:
            await Staff(store, clock).add(email, password)
        finally:
            await store.close()

    asyncio.run(add())


def sign_in(client: TestClient, email: str, password: str) -> Any:
    page = client.get("/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, page.text
    return client.post(
        "/signin",
        data={"email": email, "password": password, "csrf": csrf.group(1)},
        headers={"Origin": BASE},
        follow_redirects=False,
    )


def csrf_of(page: Any) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def token(link: str) -> str:
    return link.split("#", 1)[1]


def join(client: TestClient, link: str, name: str = "Sam", role: str | None = None) -> Any:
    body: dict[str, Any] = {"token": token(link), "name": name}
    if role is not None:
        body["role"] = role
    return client.post("/api/join", json=body)


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


def test_readiness_says_why_when_the_store_does_not_answer(
    tmp_path: Path, clock: MovableClock
) -> None:
    # Nothing listens on port 1: the app starts, and says it is not ready.
    with make_client(tmp_path, clock, store=RedisStore("redis://127.0.0.1:1/0")) as offline:
        answer = offline.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable"
    assert answer.json()["reason"]


def test_strangers_are_not_told_where_redis_is_but_the_log_says(
    tmp_path: Path, clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    # A made-up address, so that it is found only where something printed it.
    with make_client(tmp_path, clock, store=RedisStore("redis://127.0.0.9:1/0")) as offline:
        answers = [
            offline.get("/readyz"),
            offline.post("/api/join", json={"token": "x" * 43, "name": "Sam"}),
            offline.post("/api/join/preview", json={"token": "x" * 43}),
        ]
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert "127.0.0.9" not in answer.text and "redis" not in answer.text.lower()
    logged = [r.getMessage() for r in caplog.records if r.name == "kinboard.store"]
    assert len(logged) == 1 and "127.0.0.9" in logged[0]  # once while it goes on


def test_create_meeting_gives_three_absolute_links_with_the_token_in_the_fragment(
    client: TestClient,
) -> None:
    meeting = new_meeting(client, vocabulary="wellbeing", kind="review")
    assert set(meeting["links"]) == {"facilitator", "participant", "display"}
    tokens = set()
    for link in meeting["links"].values():
        assert link.startswith(f"{BASE}/join#")
        tokens.add(token(link))
        assert len(token(link)) == 43  # 256 bits, base64url
    assert len(tokens) == 3
    facilitator = join(client, meeting["links"]["facilitator"], "Priya")
    board = client.get(f"/api/meetings/{meeting['id']}").json()
    assert facilitator.status_code == 200
    assert board["meeting"]["vocabulary"] == "wellbeing"
    assert board["meeting"]["kind"] == "review"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"title": "   "}, 400, "invalid"),
        ({"title": "x" * 201}, 400, "too_long"),
        ({"title": "ok", "vocabulary": "danger"}, 400, "invalid"),
        ({"title": "ok", "kind": "party"}, 400, "invalid"),
    ],
)
def test_create_meeting_refuses_bad_input(
    client: TestClient, tmp_path: Path, body: dict[str, Any], status: int, code: str
) -> None:
    answer = client.post("/api/meetings", json=body, headers=KEY_HEADER)
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
    assert meeting_titles(tmp_path) == []


def test_the_api_takes_only_json(client: TestClient, tmp_path: Path) -> None:
    answer = client.post("/api/meetings", data={"title": "Form post"}, headers=KEY_HEADER)
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid")
    assert meeting_titles(tmp_path) == []


def test_with_an_api_key_creating_needs_the_bearer_key(tmp_path: Path, clock: MovableClock) -> None:
    with make_client(tmp_path, clock, api_key=API_KEY) as keyed:
        refused = keyed.post("/api/meetings", json={"title": "Without the key"})
        wrong = keyed.post(
            "/api/meetings",
            json={"title": "With a wrong key"},
            headers={"Authorization": "Bearer " + "x" * 32},
        )
        assert refused.status_code == 401 and wrong.status_code == 401
        assert refused.json()["error"]["code"] == "unauthorized"
        page = keyed.get("/").text
        assert "Without the key" not in page and "With a wrong key" not in page
        made = keyed.post(
            "/api/meetings",
            json={"title": "With the key"},
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
        assert made.status_code == 201
        # The key also reads a meeting, without a session.
        read = keyed.get(
            f"/api/meetings/{made.json()['id']}", headers={"Authorization": f"Bearer {API_KEY}"}
        )
        assert read.status_code == 200 and read.json()["meeting"]["title"] == "With the key"
        missing = keyed.get("/api/meetings/nope", headers={"Authorization": f"Bearer {API_KEY}"})
        assert missing.status_code == 404


@pytest.mark.parametrize(
    ("link", "role", "expected"),
    [
        ("facilitator", None, "facilitator"),
        ("facilitator", "parent", "facilitator"),  # the link decides, not the joiner
        ("display", None, "viewer"),
        ("participant", "parent", "parent"),
        ("participant", "child", "child"),
        ("participant", "network", "network"),
        ("participant", "professional", "professional"),
    ],
)
def test_join_gives_the_links_role(
    client: TestClient, link: str, role: str | None, expected: str
) -> None:
    meeting = new_meeting(client)
    answer = join(client, meeting["links"][link], "Sam", role)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["meeting_id"] == meeting["id"]
    assert data["participant"]["role"] == expected
    assert data["participant"]["name"] == "Sam"
    # The room screen opens the display, a child their three houses, everyone else the board.
    suffix = {"viewer": "/display", "child": "/houses"}.get(expected, "")
    assert data["board_url"] == f"/m/{meeting['id']}{suffix}"


def test_the_display_may_join_without_a_name(client: TestClient) -> None:
    meeting = new_meeting(client)
    answer = client.post("/api/join", json={"token": token(meeting["links"]["display"])})
    assert answer.json()["participant"]["name"] == "Meeting room screen"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": "Sam"}, 400, "invalid"),  # a participant link needs a role
        ({"name": "Sam", "role": "facilitator"}, 400, "invalid"),
        ({"name": "Sam", "role": "viewer"}, 400, "invalid"),
        ({"name": "", "role": "parent"}, 400, "invalid"),
        ({"role": "parent"}, 400, "invalid"),
        ({"name": "x" * 81, "role": "parent"}, 400, "too_long"),
    ],
)
def test_join_refuses_bad_input_and_adds_nobody(
    client: TestClient, body: dict[str, Any], status: int, code: str
) -> None:
    meeting = new_meeting(client)
    facilitator = join(client, meeting["links"]["facilitator"], "Priya")
    assert facilitator.status_code == 200
    answer = client.post(
        "/api/join", json={"token": token(meeting["links"]["participant"]), **body}
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
    board = client.get(f"/api/meetings/{meeting['id']}").json()
    assert [p["name"] for p in board["participants"]] == ["Priya"]


def test_an_unknown_token_is_404_link_invalid(client: TestClient) -> None:
    for bad in ("A" * 43, "short", 12345, None):
        answer = client.post("/api/join", json={"token": bad, "name": "Sam", "role": "parent"})
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "link_invalid"
        preview = client.post("/api/join/preview", json={"token": bad})
        assert preview.status_code == 404


def test_an_expired_link_is_410(client: TestClient, clock: MovableClock) -> None:
    meeting = new_meeting(client)
    clock.now += 8 * 86400  # links last 7 days
    answer = join(client, meeting["links"]["participant"], "Sam", "parent")
    assert (answer.status_code, answer.json()["error"]["code"]) == (410, "link_gone")


async def test_a_revoked_link_is_410(tmp_path: Path, clock: MovableClock) -> None:
    with make_client(tmp_path, clock) as client:
        meeting = new_meeting(client)
    # Revoke it in the store directly; with no newer family link, it is turned off.
    store = SQLiteStore(tmp_path / "kinboard.sqlite3")
    await store.open()
    links = await store.meeting_links(meeting["id"])
    participant = next(link for link in links if link.kind.value == "participant")
    await store.add_link(replace(participant, revoked=True))
    await store.close()
    with make_client(tmp_path, clock) as client:
        answer = join(client, meeting["links"]["participant"], "Sam", "parent")
        assert (answer.status_code, answer.json()["error"]["code"]) == (410, "link_off")
        preview = client.post(
            "/api/join/preview", json={"token": token(meeting["links"]["participant"])}
        )
        assert preview.status_code == 410


def test_join_preview_says_what_kind_of_link_it_is(client: TestClient) -> None:
    meeting = new_meeting(client, title="Meeting for <Ava>")
    answer = client.post(
        "/api/join/preview", json={"token": token(meeting["links"]["participant"])}
    ).json()
    assert answer["meeting"] == {
        "id": meeting["id"],
        "title": "Meeting for <Ava>",
        "status": "open",
    }
    assert answer["link"] == "participant"
    assert set(answer["roles"]) == {"parent", "child", "network", "professional"}


def test_the_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    meeting = new_meeting(client)
    answer = join(client, meeting["links"]["participant"], "Sam", "parent")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"kb_{meeting['id']}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here


def test_over_https_the_cookie_is_secure_with_the_host_prefix(
    tmp_path: Path, clock: MovableClock
) -> None:
    https = "https://kinboard.example.org"
    settings = replace(
        Settings(), base_url=https, allowed_origins=(https,), data_dir=tmp_path, api_key=API_KEY
    )
    store = SQLiteStore(tmp_path / "kinboard.sqlite3")
    with TestClient(create_app(settings, store=store, clock=clock), base_url=https) as client:
        meeting = new_meeting(client)
        answer = join(client, meeting["links"]["participant"], "Sam", "parent")
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith(f"__Host-kb_{meeting['id']}=")
        assert "Secure" in cookie
        assert "Strict-Transport-Security" in answer.headers


def test_reading_a_meeting_needs_a_session_of_that_meeting(
    client: TestClient, tmp_path: Path
) -> None:
    meeting = new_meeting(client)
    other = new_meeting(client, title="Another family")
    url = f"/api/meetings/{meeting['id']}"
    assert client.get(url).status_code == 403
    join(client, other["links"]["participant"], "Sam", "parent")
    assert client.get(url).status_code == 403  # a session of another meeting
    join(client, meeting["links"]["participant"], "Sam", "parent")
    answer = client.get(url)
    assert answer.status_code == 200
    assert set(answer.json()) == {
        "seq",
        "meeting",
        "participants",
        "cards",
        "scales",
        "rounds",
        "decision",
        "minutes",
        "agenda",
        "focus",
        "timer",
        "readiness",
        "family_time",
        "family_plan",
        "house_items",
        "translations",
    }
    assert answer.headers["cache-control"] == "no-store"


def test_a_session_expires(client: TestClient, clock: MovableClock) -> None:
    meeting = new_meeting(client)
    join(client, meeting["links"]["participant"], "Sam", "parent")
    url = f"/api/meetings/{meeting['id']}"
    assert client.get(url).status_code == 200
    clock.now += 25 * 3600
    assert client.get(url).status_code == 403


def test_only_the_facilitator_sees_the_links(client: TestClient) -> None:
    meeting = new_meeting(client)
    url = f"/api/meetings/{meeting['id']}/links"
    join(client, meeting["links"]["participant"], "Sam", "parent")
    assert client.get(url).status_code == 403
    join(client, meeting["links"]["facilitator"], "Priya")
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.json() == meeting["links"]  # the same links, derived again


def test_pages_need_a_session_and_escape_user_text(client: TestClient) -> None:
    title = '<script>alert("x")</script> & family'
    meeting = new_meeting(client, title=title)
    refused = client.get(f"/m/{meeting['id']}")
    assert refused.status_code == 403
    assert "open the link the facilitator gave you" in refused.text
    join(client, meeting["links"]["facilitator"], "Priya")
    for path in (f"/m/{meeting['id']}", f"/m/{meeting['id']}/display"):
        page = client.get(path)
        assert page.status_code == 200
        assert title not in page.text
        assert html.escape(title) in page.text.replace("&#34;", "&quot;")
    qr = client.get(f"/m/{meeting['id']}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.startswith("<svg")
    assert 'xmlns="http://www.w3.org/2000/svg"' in qr.text  # or an <img> will not show it


def test_an_unknown_meeting_page_is_404(client: TestClient) -> None:
    assert client.get("/m/no-such-meeting").status_code == 403  # no session: no hint either way
    assert client.get("/api/meetings/no-such-meeting").status_code == 403


@pytest.mark.parametrize("path", ["/", "/join", "/healthz", "/api/meetings/x", "/m/x"])
def test_security_headers_on_every_answer(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


def test_the_home_form_starts_a_meeting_with_its_creator_as_facilitator(
    tmp_path: Path, clock: MovableClock
) -> None:
    add_staff(tmp_path, clock, "priya@council.example", "a long password 1")
    with make_client(tmp_path, clock) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/signin"
        assert sign_in(client, "priya@council.example", "a long password 1").status_code == 303
        home = client.get("/")
        form = {
            "title": "Meeting for <Ava>",
            "name": "Priya",
            "vocabulary": "safety",
            "kind": "initial",
            "csrf": csrf_of(home),
        }
        answer = client.post(
            "/meetings", data=form, headers={"Origin": BASE}, follow_redirects=False
        )
        assert answer.status_code == 303
        meeting_url = answer.headers["location"]
        meeting_id = meeting_url.rsplit("/", 1)[1]
        board = client.get(f"/api/meetings/{meeting_id}").json()
        assert board["meeting"]["title"] == "Meeting for <Ava>"
        assert [(p["name"], p["role"]) for p in board["participants"]] == [("Priya", "facilitator")]
        assert client.get(meeting_url).status_code == 200
        home = client.get("/").text
        assert "Meeting for &lt;Ava&gt;" in home and "Meeting for <Ava>" not in home


@pytest.mark.parametrize("forged", ["origin", "csrf"])
def test_the_home_form_refuses_a_forged_post(
    tmp_path: Path, clock: MovableClock, forged: str
) -> None:
    add_staff(tmp_path, clock, "priya@council.example", "a long password 1")
    with make_client(tmp_path, clock) as client:
        sign_in(client, "priya@council.example", "a long password 1")
        form = {"title": "Forged meeting", "name": "Mallory", "csrf": csrf_of(client.get("/"))}
        headers = {"Origin": BASE}
        if forged == "origin":
            headers["Origin"] = "http://evil.example"
        else:
            form["csrf"] = "x" * 43
        answer = client.post("/meetings", data=form, headers=headers, follow_redirects=False)
        assert answer.status_code == 403
        assert meeting_titles(tmp_path) == []


def test_renewing_the_family_link_stops_the_old_one_and_keeps_who_joined(
    client: TestClient,
) -> None:
    meeting = new_meeting(client)
    old = meeting["links"]["participant"]
    assert join(client, old, "Sam", "parent").status_code == 200
    url = f"/api/meetings/{meeting['id']}/links/participant/renew"
    assert client.post(url).status_code == 403  # a parent may not
    renewed = client.post(url, headers=KEY_HEADER)
    assert renewed.status_code == 200
    links = renewed.json()
    assert links["participant"] != old
    assert links["facilitator"] == meeting["links"]["facilitator"]
    assert join(client, old, "Mallory", "parent").status_code == 410
    assert join(client, links["participant"], "Gran", "network").status_code == 200
    board = client.get(f"/api/meetings/{meeting['id']}").json()  # Gran's session
    assert {p["name"] for p in board["participants"]} == {"Sam", "Gran"}
    person = client.post(f"/api/meetings/{meeting['id']}/links/person/renew", headers=KEY_HEADER)
    assert (person.status_code, person.json()["error"]["code"]) == (400, "invalid")
