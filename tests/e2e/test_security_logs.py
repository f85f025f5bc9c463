"""The server's log, captured whole over a realistic session, keeps no secret and no word
anyone wrote: no link token, password, session or CSRF token, API key or secret key, and the
set-up code only in the one line printed at start for the person installing Kinboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from tests.support.harness import API_KEY, Client, ServerProcess

EMAIL = "priya@council.example"
PASSWORD = "correct horse battery 1"
WRONG_PASSWORD = "incorrect donkey staple 2"
TITLE = "Meeting for the Okafor children"
WORDS = {
    "card": "LOGCARD Dad hit Leo with a belt",
    "gran card": "LOGCARD Gran takes them to school",
    "edited": "LOGCARD Dad hit Leo, said Ava",
    "refused": "LOGCARD refused because the section is wrong",
    "too long": "LOGCARD " + "x" * 2_100,
    "reason": "LOGREASON he still drinks every night",
    "sign-off": "LOGSIGN the plan forgets Dad's brother",
}


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def cookie_values(header: str) -> list[str]:
    return [part.split("=", 1)[1] for part in header.split("; ") if "=" in part]


async def realistic_session(server: ServerProcess, secrets: dict[str, str]) -> None:
    origin = {"Origin": server.url}
    found = re.search(r"/setup#([A-Za-z0-9_-]+)", server.log())
    assert found, server.log()
    secrets["set-up code"] = found.group(1)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as staff:
        token = csrf(await staff.get("/setup"))
        secrets["csrf token"] = token
        made = await staff.post(
            "/setup",
            data={
                "code": secrets["set-up code"],
                "email": EMAIL,
                "password": PASSWORD,
                "csrf": token,
            },
            headers=origin,
        )
        assert made.status_code == 303, made.text
        secrets["first staff session"] = staff.cookies["kb_staff"]
        await staff.post("/signout", data={"csrf": token}, headers=origin)
        wrong = await staff.post(
            "/signin",
            data={"email": EMAIL, "password": WRONG_PASSWORD, "csrf": token},
            headers=origin,
        )
        assert wrong.status_code == 401
        signed = await staff.post(
            "/signin", data={"email": EMAIL, "password": PASSWORD, "csrf": token}, headers=origin
        )
        assert signed.status_code == 303
        secrets["staff session"] = staff.cookies["kb_staff"]
        started = await staff.post(
            "/meetings", data={"title": TITLE, "name": "Priya", "csrf": token}, headers=origin
        )
        assert started.status_code == 303
        meeting_id = started.headers["location"].rsplit("/", 1)[1]
        secrets["staff's facilitator session"] = staff.cookies[f"kb_{meeting_id}"]
        assert (await staff.get(f"/m/{meeting_id}")).status_code == 200
        links = (await staff.get(f"/api/meetings/{meeting_id}/links")).json()
        person = await staff.post(
            f"/api/meetings/{meeting_id}/people-links", json={"name": "Gran", "role": "network"}
        )
        assert person.status_code == 201
        for kind, link in {**links, "person": person.json()["url"]}.items():
            secrets[f"{kind} link token"] = link.split("#", 1)[1]

        facilitator = await Client.join(server.url, links["facilitator"], "Fran")
        parent = await Client.join(server.url, links["participant"], "Sam", role="parent")
        gran = await Client.join(server.url, person.json()["url"], "ignored")
        display = await Client.join(server.url, links["display"], "")
        clients = [facilitator, parent, gran, display]
        for n, client in enumerate(clients):
            secrets[f"participant session {n}"] = cookie_values(client.cookie)[0]
        try:
            await run_the_meeting(facilitator, parent, gran)
            for path in ("", ".md", ".json", ".pdf"):
                answer = await staff.get(f"/m/{meeting_id}/minutes/1{path}")
                assert answer.status_code == 200, path
            assert (await staff.get(f"/m/{meeting_id}/activity.csv")).status_code == 200
            export = f"/api/meetings/{meeting_id}/participants/{parent.me['id']}/export"
            assert (await staff.get(export)).status_code == 200
            revoke = await staff.delete(
                f"/api/meetings/{meeting_id}/people-links/{person.json()['id']}"
            )
            assert revoke.status_code == 200
            await staff.post("/signout", data={"csrf": token}, headers=origin)
        finally:
            for client in clients:
                await client.close()


async def ok(client: Client, op_type: str, **fields: Any) -> dict[str, Any]:
    ack = await client.op(op_type, **fields)
    assert ack["ok"] is True, (op_type, ack)
    return ack


async def run_the_meeting(facilitator: Client, parent: Client, gran: Client) -> None:
    await ok(parent, "card.add", section="harm", text=WORDS["card"], card_id="c_log")
    await ok(gran, "card.add", section="strengths", text=WORDS["gran card"])
    await ok(parent, "card.edit", card_id="c_log", text=WORDS["edited"])
    await ok(gran, "card.react", card_id="c_log", stance="agree")
    for text, section in ((WORDS["refused"], "no_such_section"), (WORDS["too long"], "harm")):
        ack = await parent.op("card.add", section=section, text=text)
        assert ack["ok"] is False
    assert facilitator.state is not None
    scale = next(s["id"] for s in facilitator.state["board"]["scales"] if s["overall"])
    await ok(facilitator, "round.open", scale_id=scale)
    await ok(parent, "vote.cast", scale_id=scale, value=4, reason=WORDS["reason"])
    await ok(facilitator, "round.reveal", scale_id=scale)
    await ok(facilitator, "minutes.take")
    await ok(gran, "minutes.sign", minutes=1, stance="disagree", reason=WORDS["sign-off"])


async def test_the_servers_whole_log_keeps_no_secret_and_no_word_anyone_wrote(
    tmp_path: Path,
) -> None:
    server = ServerProcess(tmp_path / "data").start()
    secrets: dict[str, str] = {}
    try:
        await realistic_session(server, secrets)
    finally:
        server.stop()
    log = server.log()
    assert "POST /api/join" in log and "WebSocket /socket.io/" in log  # it is the whole log
    secrets["password"] = PASSWORD
    secrets["wrong password"] = WRONG_PASSWORD
    secrets["API key"] = API_KEY
    secrets["secret key"] = (tmp_path / "data" / "secret.key").read_text().strip()

    code = secrets.pop("set-up code")
    lines_with_code = [line for line in log.splitlines() if code in line]
    assert len(lines_with_code) == 1 and lines_with_code[0].strip().endswith(f"/setup#{code}")
    assert log.count(code) == 1

    leaked = {name: value for name, value in secrets.items() if value in log}
    assert leaked == {}, f"in the log: {sorted(leaked)}"
    said = [name for name, text in WORDS.items() if text[:30] in log]
    assert said == [], f"words in the log: {said}"
    assert "LOGCARD" not in log and "LOGREASON" not in log and "LOGSIGN" not in log
    assert TITLE not in log
