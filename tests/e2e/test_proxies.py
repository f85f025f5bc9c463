"""Who a client is, behind the shipped nginx: a real nginx (deploy/nginx.conf) in front of a
real worker, clients at two source addresses. nginx connects to the worker from an address
of its own (127.0.0.3), as compose's nginx is another container. With
KINBOARD_TRUSTED_PROXIES naming nginx, each client is counted under its own address, and a
stranger cannot lock anyone else out; without it, X-Forwarded-For is believed from no one.

nginx is skipped when missing, unless KINBOARD_REQUIRE_NGINX=1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.harness import ServerProcess, create_meeting, staff_command, token_of
from tests.support.nginx import Nginx

NGINX_ADDRESS = "127.0.0.3"
FAMILY = "127.0.0.1"
STRANGER = "127.0.0.2"
JOIN_BURST = 5
PRIYA = "priya@council.example"
PASSWORD = "a long password 1"


class NginxElsewhere(Nginx):
    """deploy/nginx.conf, connecting to the workers from NGINX_ADDRESS."""

    def render(self) -> Path:
        conf = super().render()
        site = self.directory / "kinboard.conf"
        text, binds = re.subn(
            r"(?m)^(\s*)(proxy_pass\s+http://kinboard;)",
            rf"\g<1>\g<2>\n\g<1>proxy_bind {NGINX_ADDRESS};",
            site.read_text(),
        )
        assert binds == 1, "deploy/nginx.conf should proxy_pass to the workers once"
        site.write_text(text)
        return conf


class Person:
    """A browser on a computer at `address`."""

    def __init__(self, base_url: str, address: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(
            base_url=base_url, transport=httpx.HTTPTransport(local_address=address), timeout=30
        )

    def join(self, token: str, claims: str | None = None) -> int:
        """The status of a join; `claims` is an X-Forwarded-For the client sends itself."""
        headers = {} if claims is None else {"X-Forwarded-For": claims}
        body = {"token": token, "name": "Sam", "role": "parent"}
        return self.http.post("/api/join", json=body, headers=headers).status_code

    def sign_in(self, email: str, password: str) -> int:
        page = self.http.get("/signin")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf, page.text
        answer = self.http.post(
            "/signin",
            data={"email": email, "password": password, "csrf": csrf.group(1)},
            headers={"Origin": self.base_url},
        )
        return answer.status_code


@dataclass
class Site:
    proxy: Nginx
    worker: ServerProcess
    family_token: str


@contextmanager
def site(tmp_path: Path, trusted: str | None) -> Iterator[Site]:
    """One worker (the embedded store) behind nginx; `trusted` is KINBOARD_TRUSTED_PROXIES."""
    proxy = NginxElsewhere(tmp_path / "nginx", [])
    data = tmp_path / "data"
    staff_command({"KINBOARD_DATA_DIR": str(data)}, "add", PRIYA, password=PASSWORD)
    env = {
        "KINBOARD_BASE_URL": proxy.url,
        "KINBOARD_ALLOWED_ORIGINS": proxy.url,
        "KINBOARD_JOIN_BURST": str(JOIN_BURST),
        **({} if trusted is None else {"KINBOARD_TRUSTED_PROXIES": trusted}),
    }
    worker = ServerProcess(data, env)
    # The same worker twice: the shipped upstream names two.
    proxy.upstreams = [worker.port, worker.port]
    try:
        worker.start()
        proxy.start()
        meeting = create_meeting(worker.url)
        yield Site(proxy, worker, token_of(meeting["links"]["participant"]))
    finally:
        proxy.stop()
        worker.stop()


def junk_joins_until_refused(person: Person, claims: bool = False) -> list[int]:
    """Joins with made-up tokens (each claiming another address, if `claims`), as many as
    one address may make, and one more."""
    return [
        person.join(f"junk-{n}", claims=f"198.51.100.{n}" if claims else None)
        for n in range(JOIN_BURST + 1)
    ]


def test_behind_nginx_each_client_is_counted_under_its_own_address(tmp_path: Path) -> None:
    with site(tmp_path, trusted=NGINX_ADDRESS) as kin:
        stranger = Person(kin.proxy.url, STRANGER)
        family = Person(kin.proxy.url, FAMILY)
        # Claiming other addresses does not help: nginx says who is asking.
        answers = junk_joins_until_refused(stranger, claims=True)
        assert 429 not in answers[:-1] and answers[-1] == 429, answers
        assert family.join(kin.family_token) == 200, "the stranger's joins slowed the family"

        # Wrong passwords at Priya's account lock the stranger out of it, not Priya.
        assert [stranger.sign_in(PRIYA, f"guess number {n}") for n in range(5)] == [401] * 5
        assert stranger.sign_in(PRIYA, PASSWORD) == 429
        assert family.sign_in(PRIYA, PASSWORD) == 303


def test_without_trusted_proxies_nobody_chooses_the_address_they_are_counted_under(
    tmp_path: Path,
) -> None:
    with site(tmp_path, trusted=None) as kin:
        # Straight to the worker from 127.0.0.1, which uvicorn would believe by default.
        direct = Person(kin.worker.url, FAMILY)
        answers = junk_joins_until_refused(direct, claims=True)
        assert 429 not in answers[:-1] and answers[-1] == 429, answers
    with site(tmp_path / "again", trusted=None) as kin:
        # Through nginx, then, everyone is nginx: the reason compose names it.
        answers = junk_joins_until_refused(Person(kin.proxy.url, STRANGER))
        assert answers[-1] == 429, answers
        assert Person(kin.proxy.url, FAMILY).join(kin.family_token) == 429
