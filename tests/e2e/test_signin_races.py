"""Sign-in limits and the one-time set-up link under requests sent all at once, against a
real server on each store (SQLite, Redis): each try is reserved before the password hash is
checked, so no more tries are checked than the limits allow, and the set-up link, used
several times at once, makes one account.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import httpx

from server.staff import ACCOUNT_FAILURES, ADDRESS_FAILURES
from tests.support.harness import ServerProcess, staff_command

PRIYA = "priya@council.example"
PASSWORD = "a long password 1"


class Computer:
    """One browser at `address`: its CSRF cookie, and forms posted many at once."""

    def __init__(self, base_url: str, address: str) -> None:
        self.http = httpx.AsyncClient(
            base_url=base_url,
            transport=httpx.AsyncHTTPTransport(local_address=address),
            limits=httpx.Limits(max_connections=None),
            timeout=120,
        )

    async def post_at_once(self, page: str, forms: list[dict[str, str]]) -> Counter[int]:
        """Each form posted from `page` at the same moment; how many got each status."""
        csrf = re.search(r'name="csrf" value="([^"]+)"', (await self.http.get(page)).text)
        assert csrf
        answers = await asyncio.gather(
            *(self.http.post(page, data={**form, "csrf": csrf.group(1)}) for form in forms)
        )
        await self.http.aclose()
        return Counter(answer.status_code for answer in answers)


async def test_wrong_passwords_at_once_are_checked_no_more_often_than_the_limits(
    store_server: ServerProcess, store_env: dict[str, str]
) -> None:
    staff_command(store_env, "add", PRIYA, password=PASSWORD)
    at_priya = [{"email": PRIYA, "password": f"guess number {n}"} for n in range(40)]
    answers = await Computer(store_server.url, "127.0.0.2").post_at_once("/signin", at_priya)
    assert answers == {401: ACCOUNT_FAILURES, 429: 40 - ACCOUNT_FAILURES}

    at_many = [{"email": f"guess{n}@council.example", "password": "x" * 12} for n in range(60)]
    answers = await Computer(store_server.url, "127.0.0.3").post_at_once("/signin", at_many)
    assert answers == {401: ADDRESS_FAILURES, 429: 60 - ADDRESS_FAILURES}

    # Refused tries were not counted against Priya at her own computer.
    mine = await Computer(store_server.url, "127.0.0.4").post_at_once(
        "/signin", [{"email": PRIYA, "password": PASSWORD}]
    )
    assert mine == {303: 1}


async def test_the_setup_link_used_four_times_at_once_makes_one_account(
    store_server: ServerProcess, store_env: dict[str, str]
) -> None:
    codes = re.findall(r"/setup#([A-Za-z0-9_-]+)", store_server.log())
    assert len(codes) == 1, store_server.log()
    forms = [
        {"code": codes[0], "email": f"first{n}@council.example", "password": PASSWORD}
        for n in range(4)
    ]
    answers = await Computer(store_server.url, "127.0.0.2").post_at_once("/setup", forms)
    assert answers == {303: 1, 403: 3}
    accounts = staff_command(store_env, "list").splitlines()
    assert len(accounts) == 1, accounts
