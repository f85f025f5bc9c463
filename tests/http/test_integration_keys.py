"""Integration keys: each scope allows exactly its calls (KINBOARD_API_KEY all of them), a
revoked key is refused at once, only administrators manage keys, the audit log names the
key and the store never holds its token; the `kinboard keys` and `staff admin` commands.

In-process with a clock the tests move."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route

from server.staff import STAFF_LOG
from tests.support.inprocess import (
    BASE,
    EVIL,
    KEY,
    PASSWORD,
    Browser,
    Kin,
    MovableClock,
    fast_hashing,
    start,
)

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "ada@council.example"
PRIYA = "priya@council.example"
SCOPES = ("meetings:create", "meetings:read", "minutes:read")

# Every route that takes a key, and the scope it needs ("everything": KINBOARD_API_KEY only).
NEEDS: dict[tuple[str, str], str] = {
    ("POST", "/api/meetings"): "meetings:create",
    ("POST", "/api/meetings/{meeting_id}/review"): "meetings:create",
    ("GET", "/api/meetings/{meeting_id}"): "meetings:read",
    ("GET", "/api/meetings/{meeting_id}/links"): "meetings:read",
    ("GET", "/api/meetings/{meeting_id}/people-links"): "meetings:read",
    ("GET", "/api/meetings/{meeting_id}/minutes"): "minutes:read",
    ("GET", "/m/{meeting_id}/minutes/{number:int}"): "minutes:read",
    ("GET", "/m/{meeting_id}/minutes/{number:int}.{fmt}"): "minutes:read",
    ("GET", "/m/{meeting_id}/plan"): "minutes:read",
    ("GET", "/m/{meeting_id}/plan/easy-read"): "minutes:read",
    ("GET", "/m/{meeting_id}/plan/easy-read.pdf"): "minutes:read",
    ("GET", "/m/{meeting_id}"): "everything",
    ("GET", "/m/{meeting_id}/display"): "everything",
    ("GET", "/m/{meeting_id}/houses"): "everything",
    ("GET", "/m/{meeting_id}/qr.svg"): "everything",
    ("POST", "/api/meetings/{meeting_id}/people-links"): "everything",
    ("PATCH", "/api/meetings/{meeting_id}/people-links/{link_id}"): "everything",
    ("DELETE", "/api/meetings/{meeting_id}/people-links/{link_id}"): "everything",
    ("POST", "/api/meetings/{meeting_id}/links/{kind}/renew"): "everything",
    ("DELETE", "/api/meetings/{meeting_id}/links/{kind}"): "everything",
    ("GET", "/m/{meeting_id}/activity"): "everything",
    ("GET", "/m/{meeting_id}/activity.csv"): "everything",
    ("DELETE", "/api/meetings/{meeting_id}"): "everything",
    ("GET", "/api/meetings/{meeting_id}/participants/{participant_id}/export"): "everything",
    ("POST", "/api/meetings/{meeting_id}/invite-same-people"): "everything",
    ("GET", "/api/families"): "meetings:read",
    ("GET", "/api/families/{family_id}/meetings"): "meetings:read",
}
# A first meeting has nobody from a meeting before to invite: refused invalid, not forbidden.
REFUSED_FOR_WHAT_IT_IS = {("POST", "/api/meetings/{meeting_id}/invite-same-people"): 400}
# The routes that never take a key: people, staff and administrators only, or nobody.
NO_KEY = {
    ("GET", "/"),
    ("GET", "/join"),
    ("POST", "/language"),
    ("GET", "/signin"),
    ("POST", "/signin"),
    ("POST", "/signout"),
    ("GET", "/setup"),
    ("POST", "/setup"),
    ("POST", "/meetings"),
    ("POST", "/m/{meeting_id}/open"),
    ("GET", "/api/meetings/{meeting_id}/share"),
    ("POST", "/api/meetings/{meeting_id}/share"),
    ("DELETE", "/api/meetings/{meeting_id}/share/{email}"),
    ("GET", "/api/families/{family_id}/share"),
    ("POST", "/api/families/{family_id}/share"),
    ("DELETE", "/api/families/{family_id}/share/{email}"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/print/minutes.css"),
    ("GET", "/print/plan.css"),
    ("GET", "/print/easy-read.css"),
    ("GET", "/accessibility"),
    ("POST", "/api/join/preview"),
    ("POST", "/api/join"),
    ("GET", "/api/keys"),
    ("POST", "/api/keys"),
    ("DELETE", "/api/keys/{key_id}"),
    ("GET", "/accounts"),
    ("POST", "/accounts"),
    ("POST", "/accounts/change"),
}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/meetings"): {"title": "Started by the case system"},
    ("POST", "/api/meetings/{meeting_id}/people-links"): {"name": "Gran", "role": "network"},
    ("PATCH", "/api/meetings/{meeting_id}/people-links/{link_id}"): {"days": 30},
}


def app_routes(kin: Kin) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in kin.pages.routes
        if isinstance(route, Route)
        for method in route.methods or {"GET"}
        if method != "HEAD"
    }


def admin(kin: Kin) -> Browser:
    kin.run(kin.staff.add, ADMIN, PASSWORD, admin=True)
    browser = kin.browser("192.0.2.50")
    assert browser.sign_in(ADMIN).status_code == 303
    return browser


def new_key(browser: Browser, name: str, *scopes: str) -> tuple[str, dict[str, str]]:
    answer = browser.post("/api/keys", json={"name": name, "scopes": list(scopes)})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"], {"Authorization": f"Bearer {answer.json()['token']}"}


def meeting_with_minutes(kin: Kin) -> dict[str, str]:
    """A meeting with a facilitator, a per-person link and minutes number 1, agreed (so
    that there is a plan, in easy read too)."""
    meeting = kin.new_meeting(family={"name": "Khan family", "case_ref": "CR-KEYS"})
    facilitator = kin.browser("192.0.2.60").join(meeting["links"]["facilitator"], "Fay", role=None)
    assert facilitator.status_code == 200, facilitator.text
    participant = facilitator.json()["participant"]["id"]
    link = kin.client.post(
        f"/api/meetings/{meeting['id']}/people-links",
        json={"name": "Gran", "role": "network"},
        headers=KEY,
    )
    assert link.status_code == 201, link.text
    kin.op(meeting["id"], participant, "minutes.take")
    kin.op(meeting["id"], participant, "minutes.agree", minutes=1)
    return {
        "meeting_id": meeting["id"],
        "participant_id": participant,
        "link_id": link.json()["id"],
        "number": "1",
        "fmt": "json",
        "kind": "participant",
        "family_id": meeting["family_id"],
    }


def call(kin: Kin, route: tuple[str, str], values: dict[str, str], headers: dict[str, str]) -> Any:
    method, path = route
    if route == ("GET", "/api/families"):
        path += "?case_ref=CR-KEYS"
    for name, value in values.items():
        path = path.replace("{" + name + ":int}", value).replace("{" + name + "}", value)
    return kin.client.request(
        method, path, json=BODIES.get(route), headers=headers, follow_redirects=False
    )


def test_every_route_that_takes_a_key_names_its_scope(kin: Kin) -> None:
    assert set(NEEDS) | NO_KEY == app_routes(kin)
    assert not set(NEEDS) & NO_KEY


@pytest.mark.parametrize("scope", SCOPES)
def test_each_scope_allows_exactly_its_calls(kin: Kin, scope: str) -> None:
    key_id, headers = new_key(admin(kin), f"Case system ({scope})", scope)
    values = meeting_with_minutes(kin)
    allowed = {route for route, needed in NEEDS.items() if needed == scope}
    # Refused calls first: each changes nothing, so the allowed ones find everything there.
    for route in sorted(NEEDS, key=lambda r: r in allowed):
        before = kin.board(values["meeting_id"]), kin.audit(values["meeting_id"])
        answer = call(kin, route, values, headers)
        if route in allowed:
            assert answer.status_code in (200, 201), (route, answer.text)
        else:
            assert answer.status_code == 403, (route, answer.status_code)
            if route[1].startswith("/api/"):  # pages answer with the error page
                assert answer.json()["error"]["code"] == "forbidden"
            assert (kin.board(values["meeting_id"]), kin.audit(values["meeting_id"])) == before
    if scope == "minutes:read":
        # The audit log names the key that read the minutes: its id, never its token.
        readings = [e for e in kin.audit(values["meeting_id"]) if e["event"].startswith("minutes")]
        assert {e["by"] for e in readings} == {f"key:{key_id}"}
        assert headers["Authorization"].split()[1] not in str(kin.audit(values["meeting_id"]))


def test_the_full_key_allows_every_call(kin: Kin) -> None:
    values = meeting_with_minutes(kin)
    # Erasing last: the other calls need the meeting.
    for route in sorted(NEEDS, key=lambda r: r == ("DELETE", "/api/meetings/{meeting_id}")):
        answer = call(kin, route, values, KEY)
        expected = REFUSED_FOR_WHAT_IT_IS.get(route)
        assert answer.status_code in ((expected,) if expected else (200, 201, 204)), (
            route,
            answer.text,
        )
    # The erase went through; the create and the review made two meetings.
    kept = [m.title for m in kin.run(kin.store.list_meetings)]
    assert sorted(kept) == ["Review: Family meeting", "Started by the case system"]


def test_the_full_key_is_named_in_the_audit_log(kin: Kin) -> None:
    values = meeting_with_minutes(kin)
    assert call(kin, ("GET", "/m/{meeting_id}/minutes/{number:int}"), values, KEY).is_success
    (reading,) = [e for e in kin.audit(values["meeting_id"]) if e["event"] == "minutes.viewed"]
    assert reading["by"] == "key:env"


def test_a_revoked_key_is_refused_at_once(kin: Kin) -> None:
    ada = admin(kin)
    key_id, headers = new_key(ada, "Case system", "meetings:create", "meetings:read")
    kept_id, kept = new_key(ada, "Another system", "meetings:read")
    meeting = kin.client.post("/api/meetings", json={"title": "Review"}, headers=headers)
    assert meeting.status_code == 201
    url = f"/api/meetings/{meeting.json()['id']}"
    assert kin.client.get(url, headers=headers).status_code == 200

    revoked = ada.request("DELETE", f"/api/keys/{key_id}", headers={"Origin": BASE})
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    for answer in (
        kin.client.get(url, headers=headers),
        kin.client.post("/api/meetings", json={"title": "After"}, headers=headers),
    ):
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"]["code"] == "unauthorized"
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert [m.title for m in kin.run(kin.store.list_meetings)] == ["Review"]
    # The other key, and the listing that still names the revoked one.
    assert kin.client.get(url, headers=kept).status_code == 200
    listed = {k["id"]: k for k in ada.get("/api/keys").json()["keys"]}
    assert listed[key_id]["revoked_at"] and listed[kept_id]["revoked_at"] is None
    assert listed[key_id]["revoked_by"] == ADMIN
    assert all("token" not in k and "token_hash" not in k for k in listed.values())
    # Revoking again changes nothing; an unknown id is 404.
    again = ada.request("DELETE", f"/api/keys/{key_id}", headers={"Origin": BASE})
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]
    assert ada.request("DELETE", "/api/keys/k_none").status_code == 404


@pytest.mark.parametrize(
    "token",
    ["kbk.k_none.abc", "kbk..", "not-a-key", "kbk", "k" * 32],
)
def test_an_unknown_key_is_unauthorized(kin: Kin, token: str) -> None:
    answer = kin.client.post(
        "/api/meetings", json={"title": "X"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 401
    assert kin.run(kin.store.list_meetings) == []


def test_a_key_with_a_forged_secret_is_refused(kin: Kin) -> None:
    _, headers = new_key(admin(kin), "Case system", "meetings:create")
    token = headers["Authorization"].split()[1]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    answer = kin.client.post(
        "/api/meetings", json={"title": "X"}, headers={"Authorization": f"Bearer {forged}"}
    )
    assert answer.status_code == 401
    assert kin.run(kin.store.list_meetings) == []


def test_the_store_keeps_only_the_keys_hash(kin: Kin) -> None:
    key_id, headers = new_key(admin(kin), "Case system", "minutes:read")
    token = headers["Authorization"].split()[1]
    (record,) = kin.run(kin.store.list_records, "key")
    assert token not in str(record) and len(record["token_hash"]) == 64
    staff_log = kin.audit(STAFF_LOG)
    (added,) = [e for e in staff_log if e["event"] == "key.added"]
    assert (added["key"], added["name"], added["staff"]) == (key_id, "Case system", ADMIN)
    assert token not in str(staff_log)
    assert token.encode() not in b"".join(p.read_bytes() for p in kin.settings.data_dir.glob("*"))


def test_only_administrators_manage_keys(kin: Kin) -> None:
    ada = admin(kin)
    key_id, _ = new_key(ada, "Case system", "meetings:read")
    kin.add_staff(PRIYA)
    priya = kin.browser("192.0.2.70")
    assert priya.sign_in(PRIYA).status_code == 303
    stranger = kin.browser("192.0.2.80")
    before = kin.run(kin.store.list_records, "key")
    for browser, status in ((priya, 403), (stranger, 401)):
        answers = [
            browser.get("/api/keys"),
            browser.post("/api/keys", json={"name": "Mine", "scopes": ["meetings:read"]}),
            browser.request("DELETE", f"/api/keys/{key_id}"),
        ]
        assert [a.status_code for a in answers] == [status] * 3, [a.text for a in answers]
    # Nor does any integration key, the full one included.
    assert kin.client.get("/api/keys", headers=KEY).status_code == 401
    # An administrator's browser on another site's page, or a form post, changes nothing.
    forged = [
        ada.post("/api/keys", json={"name": "Evil", "scopes": SCOPES}, headers={"Origin": EVIL}),
        ada.request("DELETE", f"/api/keys/{key_id}", headers={"Origin": EVIL}),
        ada.post("/api/keys", data={"name": "Form", "scopes": "meetings:read"}),
    ]
    assert [a.status_code for a in forged] == [403, 403, 400]
    assert kin.run(kin.store.list_records, "key") == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "X", "scopes": []}, "one or more scopes"),
        ({"name": "X"}, "one or more scopes"),
        ({"name": "X", "scopes": ["everything"]}, "There is no scope 'everything'"),
        ({"name": "X", "scopes": ["meetings:delete"]}, "There is no scope"),
        ({"name": "X", "scopes": "meetings:read"}, "one or more scopes"),
        ({"name": " ", "scopes": ["meetings:read"]}, "needs some words"),
        ({"name": "x" * 81, "scopes": ["meetings:read"]}, "at most 80"),
        ({"name": "Case system", "scopes": ["minutes:read"]}, "with that name already"),
    ],
)
def test_a_bad_key_is_refused_and_nothing_is_made(
    kin: Kin, body: dict[str, Any], message: str
) -> None:
    ada = admin(kin)
    new_key(ada, "Case system", "meetings:read")
    before = kin.run(kin.store.list_records, "key")
    answer = ada.post("/api/keys", json=body)
    assert answer.status_code == 400 and message in answer.json()["error"]["message"]
    assert kin.run(kin.store.list_records, "key") == before


def test_the_first_account_is_an_administrator(kin: Kin) -> None:
    code = kin.run(kin.staff.setup_code)
    kin.run(kin.staff.set_up, code, ADMIN, PASSWORD)
    first = kin.run(kin.staff.find, ADMIN)
    assert first is not None and first.admin
    kin.add_staff(PRIYA)
    priya = kin.run(kin.staff.find, PRIYA)
    assert priya is not None and not priya.admin
    # The last administrator stays one until there is another.
    with pytest.raises(Exception, match="last administrator"):
        kin.run(kin.staff.set_admin, ADMIN, False, "test")
    kin.run(kin.staff.set_admin, PRIYA, True, "test")
    kin.run(kin.staff.set_admin, ADMIN, False, "test")
    assert [m.email for m in kin.run(kin.staff.members) if m.admin] == [PRIYA]


def kinboard(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env={"PATH": "", "KINBOARD_DATA_DIR": str(data)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_keys_and_admin_commands(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_hashing(monkeypatch)
    data = tmp_path / "data"
    added = kinboard(data, "staff", "add", "--admin", ADMIN, stdin=PASSWORD + "\n")
    assert added.stdout.strip() == f"Added {ADMIN} as an administrator.", added.stderr
    assert kinboard(data, "staff", "add", PRIYA, stdin=PASSWORD + "\n").returncode == 0
    assert kinboard(data, "staff", "unadmin", ADMIN).returncode == 1  # the last one
    assert kinboard(data, "staff", "admin", PRIYA).stdout.strip() == (
        f"{PRIYA} is now an administrator."
    )
    assert kinboard(data, "staff", "unadmin", ADMIN).returncode == 0
    listed = dict(
        (line.split("\t")[0], line.split("\t")[3:])
        for line in kinboard(data, "staff", "list").stdout.splitlines()
    )
    assert listed == {ADMIN: [], PRIYA: ["administrator"]}

    made = kinboard(
        data, "keys", "add", "Case system", "--scope", "minutes:read", "--scope", "meetings:read"
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.split()[-1]
    assert token.startswith("kbk.")
    wrong = kinboard(data, "keys", "add", "Other", "--scope", "meetings:delete")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
    (line,) = kinboard(data, "keys", "list").stdout.splitlines()
    key_id, name, scopes, state = line.split("\t")
    assert (name, scopes, state) == ("Case system", "meetings:read minutes:read", "active")

    for kin in start(data, clock, api_key=None):
        auth = {"Authorization": f"Bearer {token}"}
        meeting = kin.run(kin.services.meetings.create, "Family meeting", None, None)
        assert kin.client.get(f"/api/meetings/{meeting.id}", headers=auth).status_code == 200
        assert kin.client.post("/api/meetings", json={}, headers=auth).status_code == 403
        revoked = kinboard(data, "keys", "revoke", key_id)
        assert revoked.returncode == 0 and "refused from now on" in revoked.stdout
        # Revoked beside the running server: its next request is refused.
        assert kin.client.get(f"/api/meetings/{meeting.id}", headers=auth).status_code == 401
    assert kinboard(data, "keys", "list").stdout.split("\t")[3].startswith("revoked ")
    assert kinboard(data, "keys", "revoke", "k_none").returncode == 1
