"""The application served by uvicorn on a free port, in this process on a thread of its own,
with a clock the test moves: real sockets and real HTTP, and time that can jump a day."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from server.app import asgi_app
from server.services import Services, build_services
from server.store.sqlite import SQLiteStore
from tests.support.harness import free_port
from tests.support.inprocess import PASSWORD, MovableClock, csrf_of, settings_for


class LiveServer:
    def __init__(self, tmp_path: Path, clock: MovableClock) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        settings = settings_for(tmp_path, self.url, join_burst=100_000)
        self.services: Services = build_services(
            settings, SQLiteStore(tmp_path / "kinboard.sqlite3"), clock
        )
        port = int(self.url.rsplit(":", 1)[1])
        config = uvicorn.Config(
            asgi_app(self.services), host="127.0.0.1", port=port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            await self.server.serve()

        asyncio.run(main())

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.should_exit = True
        self.thread.join(15)

    def run(self, function: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        """Call one of the app's coroutines on the server's own event loop."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(function(*args), self.loop).result(10)


class StaffBrowser:
    """A staff member's browser against a live server: its own cookie jar."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, follow_redirects=False, timeout=10)

    def form(self, path: str, data: dict[str, str], page: str = "/signin") -> httpx.Response:
        token = csrf_of(self.http.get(page))
        return self.http.post(path, data={"csrf": token, **data}, headers={"Origin": self.url})

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        answer = self.form("/signin", {"email": email, "password": password})
        assert answer.status_code == 303, answer.text

    def start_meeting(self, name: str, kind: str = "initial") -> str:
        fields = {"title": "Meeting for Ava", "name": name, "kind": kind}
        answer = self.form("/meetings", fields, page="/")
        assert answer.status_code == 303, answer.text
        return answer.headers["location"].rsplit("/", 1)[1]

    def meeting_cookie(self, meeting_id: str) -> str:
        value = self.http.cookies.get(f"kb_{meeting_id}")
        assert value
        return f"kb_{meeting_id}={value}"

    def close(self) -> None:
        self.http.close()
