"""The leak suite's tools, for any secret kept from some people in a meeting (hidden cards, a
child's items not shared yet, private family time): everything one person was sent, channel
by channel, and the checks that a secret's words and ids are in none of it, or are there
for those who may see it.

A secret is found by markers: words and ids that nothing else in the meeting holds. Every
channel's answer is searched as text (JSON, HTML, Markdown, the text of a PDF), so a leak in
any shape is found.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from pypdf import PdfReader

from tests.support.harness import Client

# What one person was sent: channel name -> what came on it.
Sent = dict[str, Any]
Get = Callable[[str], httpx.Response]


@dataclass(frozen=True)
class Secret:
    """What must not reach someone: its `markers` (words, ids) appear nowhere else. The
    first is its words: letters and digits only, which no format escapes (Markdown would
    escape `-` and `_`)."""

    name: str
    markers: tuple[str, ...]

    def found_in(self, data: Any) -> set[str]:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        return {marker for marker in self.markers if marker in text}


def assert_kept(secret: Secret, sent: Sent, who: str) -> None:
    """No channel of `sent` holds any of the secret's markers."""
    leaks = {channel: found for channel, data in sent.items() if (found := secret.found_in(data))}
    assert not leaks, f"{secret.name} reached {who}: {leaks}"


def assert_shown(secret: Secret, sent: Sent, who: str, channels: Iterable[str]) -> None:
    """Each of `channels` holds the secret's first marker (its words): the check above looks
    where the secret would be."""
    for channel in channels:
        assert secret.markers[0] in secret.found_in(sent[channel]), (secret.name, who, channel)


def as_client(base_url: str, cookie: str) -> Get:
    """GET as a participant, by their session cookie."""

    def get(path: str) -> httpx.Response:
        return httpx.get(f"{base_url}{path}", headers={"Cookie": cookie}, timeout=20)

    return get


def received(client: Client, acks: Iterable[Any] = ()) -> Sent:
    """What came over a socket: `state`, every `applied`, `presence` and `heartbeat`, and the
    acks of the ops it sent."""
    sent: Sent = {}
    for event, data in client.events:
        sent.setdefault(f"socket {event}", []).append(data)
    sent["acks"] = list(acks)
    return sent


async def synced(client: Client) -> Sent:
    """`sync` from the start (a whole board for anyone who came in after it), and from just
    before the client's own arrival (the log from there)."""
    assert client.state is not None
    arrived = client.state["seq"]
    return {
        "sync from 0": await client.sio.call("sync", {"since": 0}, timeout=10),
        "sync from arrival": await client.sio.call(
            "sync", {"since": max(arrived - 1, 0)}, timeout=10
        ),
    }


def editing(client: Client, who: str) -> str | None:
    """What the last `presence` `client` was sent says `who` is editing."""
    presence = [data for event, data in client.events if event == "presence"]
    entries = [e for e in presence[-1]["online"] if e["participant_id"] == who] if presence else []
    return entries[0]["editing"] if entries else None


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def over_http(get: Get, meeting_id: str, minutes: Iterable[int] = (), plan: bool = False) -> Sent:
    """Every HTTP answer one person can ask for: the board (API), the board and display
    pages, each minutes' page and downloads, and (`plan`) "Our plan" and its easy read (page
    and PDF). Each is kept whatever its status, so a refusal is searched too."""
    paths = {
        "api board": f"/api/meetings/{meeting_id}",
        "api minutes": f"/api/meetings/{meeting_id}/minutes",
        "board page": f"/m/{meeting_id}",
        "display page": f"/m/{meeting_id}/display",
    }
    for number in minutes:
        base = f"/m/{meeting_id}/minutes/{number}"
        paths |= {
            f"minutes {number}": base,
            f"minutes {number} md": f"{base}.md",
            f"minutes {number} json": f"{base}.json",
            f"minutes {number} pdf": f"{base}.pdf",
        }
    if plan:
        paths["our plan"] = f"/m/{meeting_id}/plan"
        paths["easy read"] = f"/m/{meeting_id}/plan/easy-read"
        paths["easy read pdf"] = f"/m/{meeting_id}/plan/easy-read.pdf"
    sent: Sent = {}
    for channel, path in paths.items():
        answer = get(path)
        is_pdf = answer.headers.get("content-type", "").startswith("application/pdf")
        sent[channel] = pdf_text(answer.content) if is_pdf else answer.text
        sent[f"{channel} status"] = answer.status_code
    return sent


def status_of(sent: Mapping[str, Any], channel: str) -> int:
    status: int = sent[f"{channel} status"]
    return status
