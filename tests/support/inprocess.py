"""The application in-process (Starlette's TestClient), a clock the test moves, and browsers
(cookie jars with an address of their own) that use it."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Iterator
from dataclasses import replace
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

import server.staff
from server.app import asgi_app
from server.board import ops
from server.services import Services, build_services
from server.settings import Settings
from server.store import Commit, Store
from server.store.sqlite import SQLiteStore

BASE = "http://testserver"
HTTPS = "https://kinboard.example.org"
API_KEY = "security-test-api-key-0123456789"
KEY = {"Authorization": f"Bearer {API_KEY}"}
EVIL = "http://evil.example"
PASSWORD = "a long password 1"


# --- the application, in-process ----------------------------------------------------------


class MovableClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class ClientAddress:
    """Takes the caller's address from `X-Test-Address` (tests only), so that one
    TestClient can play several computers."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"x-test-address":
                    scope = {**scope, "client": (value.decode(), 40000)}
        await self.app(scope, receive, send)


class Kin:
    """The running application, its services, and browsers (cookie jars) that use it."""

    def __init__(self, client: TestClient, services: Services) -> None:
        self.client = client
        self.services = services
        self.settings = services.settings
        self.store = services.store
        self.staff = services.staff
        wrapped: Any = client.app
        while not hasattr(wrapped, "other_asgi_app"):
            wrapped = wrapped.app
        self.pages = wrapped.other_asgi_app  # the Starlette app: its routes

    def run(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Call one of the app's coroutines on the app's own event loop."""
        return self.client.portal.call(functools.partial(function, *args, **kwargs))

    def browser(self, address: str = "192.0.2.10") -> Browser:
        return Browser(self, address)

    def add_staff(self, email: str, password: str = PASSWORD) -> None:
        self.run(self.staff.add, email, password)

    def new_meeting(self, title: str = "Family meeting", **fields: Any) -> dict[str, Any]:
        answer = self.client.post("/api/meetings", json={"title": title, **fields}, headers=KEY)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def op(self, meeting_id: str, by: str, op_type: str, **fields: Any) -> Commit:
        """Commit an op as participant `by`, the way the socket handler does."""
        op_id, op = ops.parse_op({"id": f"o_{secrets.token_hex(6)}", "type": op_type, **fields})
        joins = [e for e in self.audit(meeting_id) if e["event"] == "join" and e["by"] == by]
        link_id = joins[0]["link_id"] if joins else ""
        return self.run(
            self.services.boards.commit,
            meeting_id,
            f"{by}:{op_id}",
            by,
            op,
            op_type=op_type,
            link_id=link_id,
        )

    def board(self, meeting_id: str) -> Any:
        board, _ = self.run(self.store.load, meeting_id)
        return board

    def audit(self, meeting_id: str) -> list[dict[str, Any]]:
        return self.run(self.store.audit, meeting_id)


class Browser:
    """One person's browser: its own cookies and its own address."""

    def __init__(self, kin: Kin, address: str) -> None:
        self.kin = kin
        self.jar = CookieJar()
        self.address = address

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        client = self.kin.client
        client.cookies = self.jar  # type: ignore[assignment]  # shares the jar
        headers = {"X-Test-Address": self.address, **kwargs.pop("headers", {})}
        kwargs.setdefault("follow_redirects", False)
        return client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def set_cookie(self, name: str, value: str) -> None:
        self.kin.client.cookies = self.jar  # type: ignore[assignment]
        self.kin.client.cookies.set(name, value, domain="testserver.local")

    def csrf(self, page: str = "/signin") -> str:
        return csrf_of(self.get(page))

    def form(
        self, url: str, data: dict[str, Any], origin: str | None = BASE, page: str | None = None
    ) -> httpx.Response:
        """Post a form the way our pages do: with the page's CSRF token and our Origin."""
        token = self.csrf(page or "/signin")
        headers = {} if origin is None else {"Origin": origin}
        return self.post(url, data={"csrf": token, **data}, headers=headers)

    def sign_in(self, email: str, password: str = PASSWORD, origin: str = BASE) -> httpx.Response:
        return self.form("/signin", {"email": email, "password": password}, origin=origin)

    def signed_in(self) -> bool:
        answer = self.get("/")
        return answer.status_code == 200 and "Signed in as" in answer.text

    def join(self, link: str, name: str = "Sam", role: str | None = "parent") -> httpx.Response:
        body: dict[str, Any] = {"token": token_of(link), "name": name}
        if role is not None:
            body["role"] = role
        return self.post("/api/join", json=body)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def token_of(link: str) -> str:
    return link.split("#", 1)[1]


def settings_for(tmp_path: Path, base_url: str = BASE, **overrides: Any) -> Settings:
    return replace(
        Settings(),
        base_url=base_url,
        allowed_origins=(base_url,),
        data_dir=tmp_path,
        **{"api_key": API_KEY, **overrides},
    )


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small parameters: what most tests check does not depend on the cost,
    and the real one takes up to a second a hash on a busy machine."""
    monkeypatch.setattr(server.staff, "PasswordHasher", cheap_hasher)


def start(
    tmp_path: Path,
    clock: MovableClock,
    store: Store | None = None,
    base_url: str = BASE,
    **overrides: Any,
) -> Iterator[Kin]:
    settings = settings_for(tmp_path, base_url, **overrides)
    store = store or SQLiteStore(tmp_path / "kinboard.sqlite3")
    services = build_services(settings, store, clock)
    with TestClient(ClientAddress(asgi_app(services)), base_url=base_url) as client:
        yield Kin(client, services)


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
