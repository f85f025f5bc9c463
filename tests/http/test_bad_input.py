"""Every malformed body, on every route that reads JSON or a form, is refused with a clear
code and changes nothing: never a 500, never a traceback in the log."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.inprocess import KEY, Browser, Kin, token_of

PRIYA = "priya@council.example"

# JSON bodies no client of ours sends, as raw bytes on the wire.
BAD_JSON = {
    "nested-10000-deep": b"[" * 10_000 + b"]" * 10_000,
    "nested-deep-in-a-field": b'{"name": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    "nested-40-deep": b'{"name": ' + b'{"a": ' * 40 + b"1" + b"}" * 41,
    "integer-of-5000-digits": b'{"days": ' + b"9" * 5000 + b"}",
    "integer-of-101-digits": b'{"days": ' + b"9" * 101 + b"}",
    "lone-surrogate-escape": b'{"name": "Sam \\ud800", "title": "\\udfff"}',
    "lone-surrogate-in-a-key": b'{"\\ud800": 1}',
    "surrogate-bytes": b'{"name": "\xed\xa0\x80"}',  # not UTF-8
    "not-utf8": b'{"name": "\xff\xfe"}',
    "nan": b'{"days": NaN}',
    "infinity": b'{"days": -Infinity}',
    "garbled": b'{"name": "Sam", ',
    "empty": b"",
    "array": b'["name", "Sam"]',
    "string": b'"Sam"',
    "null": b"null",
    "number": b"42",
}


@pytest.fixture
def no_tracebacks(caplog: pytest.LogCaptureFixture) -> Callable[[], None]:
    caplog.set_level(logging.INFO)

    def check() -> None:
        crashed = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
        assert not crashed, [r.getMessage() for r in crashed]

    return check


def json_routes(kin: Kin) -> dict[str, tuple[str, str, Browser, dict[str, str]]]:
    """Every route that reads a JSON body: (method, path, who asks, their headers)."""
    meeting = kin.new_meeting()
    mid = meeting["id"]
    kin.add_staff(PRIYA)
    priya = kin.browser("192.0.2.50")
    priya.sign_in(PRIYA)
    stranger = kin.browser("192.0.2.60")
    return {
        "join": ("POST", "/api/join", stranger, {}),
        "join-preview": ("POST", "/api/join/preview", stranger, {}),
        "meetings-create": ("POST", "/api/meetings", stranger, KEY),
        "person-link": ("POST", f"/api/meetings/{mid}/people-links", stranger, KEY),
        "link-expiry": ("PATCH", f"/api/meetings/{mid}/people-links/l_x", stranger, KEY),
        "share": ("POST", f"/api/meetings/{mid}/share", priya, {}),
    }


@pytest.mark.parametrize("body", BAD_JSON.values(), ids=BAD_JSON.keys())
def test_malformed_json_is_refused_invalid_on_every_route(
    kin: Kin, body: bytes, no_tracebacks: Callable[[], None]
) -> None:
    routes = json_routes(kin)
    for name, (method, path, who, headers) in routes.items():
        answer = who.request(
            method, path, content=body, headers={"Content-Type": "application/json", **headers}
        )
        assert answer.status_code == 400, (name, answer.status_code, answer.text)
        assert answer.json()["error"]["code"] == "invalid", (name, answer.text)
    no_tracebacks()


def test_a_lone_surrogate_in_a_join_name_is_refused_and_nobody_joins(
    kin: Kin, no_tracebacks: Callable[[], None]
) -> None:
    meeting = kin.new_meeting()
    token = token_of(meeting["links"]["participant"])
    for name in ["\ud800", "Sam \udfff", "\udc00\ud800"]:
        body = json.dumps({"token": token, "name": name, "role": "parent"})  # "\\ud800"
        answer = kin.browser().post(
            "/api/join", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["code"] == "invalid"
    assert kin.board(meeting["id"]).participants == {}
    assert kin.browser().join(meeting["links"]["participant"], "Sam \U0001f600").status_code == 200
    no_tracebacks()


def test_a_lone_surrogate_in_a_title_is_refused_and_no_meeting_is_made(
    kin: Kin, no_tracebacks: Callable[[], None]
) -> None:
    before = kin.run(kin.store.list_meetings)
    answer = kin.client.post(
        "/api/meetings",
        content=b'{"title": "Review \\ud83d"}',
        headers={"Content-Type": "application/json", **KEY},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "invalid"
    assert kin.run(kin.store.list_meetings) == before
    no_tracebacks()


def _multipart(fields: dict[str, Any], charset: str = "utf-8") -> tuple[bytes, dict[str, str]]:
    boundary = "kinboardboundary"
    parts = []
    for name, value in fields.items():
        disposition = f'form-data; name="{name}"'
        if isinstance(value, tuple):  # a file
            disposition += f'; filename="{value[0]}"'
            value = value[1]
        parts.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n{value}\r\n")
    body = ("".join(parts) + f"--{boundary}--\r\n").encode("latin-1")
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}; charset={charset}"}


@pytest.mark.parametrize("path", ["/signin", "/setup", "/meetings", "/signout"])
def test_garbled_forms_are_refused_cleanly_on_every_staff_form(
    kin: Kin, path: str, no_tracebacks: Callable[[], None]
) -> None:
    kin.add_staff(PRIYA)
    priya = kin.browser()
    priya.sign_in(PRIYA)
    csrf = priya.csrf()
    # A charset that turns "\\ud800" into a lone surrogate; a file where words go; a
    # part without a name.
    words = {"email": "\\ud800@council.example", "password": "\\udfff", "title": "\\ud800"}
    sneaky, sneaky_headers = _multipart({"csrf": csrf, **words}, charset="raw_unicode_escape")
    filed, filed_headers = _multipart(
        {"csrf": csrf, "email": ("a.txt", PRIYA), "title": ("t", "x")}
    )
    nameless = (
        b"--kinboardboundary\r\nContent-Disposition: form-data\r\n\r\nx\r\n--kinboardboundary--"
    )
    for body, headers in [
        (sneaky, sneaky_headers),
        (filed, filed_headers),
        (nameless, filed_headers),
    ]:
        answer = priya.post(path, content=body, headers={"Origin": "null", **headers})
        assert answer.status_code == 400, (path, answer.status_code, answer.text)
    assert priya.signed_in()
    assert kin.run(kin.store.list_meetings) == []
    no_tracebacks()
