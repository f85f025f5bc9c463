"""Minutes PDFs through the renderer's own pool, with real WeasyPrint renders: one render at
a time per meeting, other meetings not held up behind it, each document rendered once."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from pathlib import Path

from server import documents
from server.documents import PdfRenderer

BASE = "http://testserver"


def page(meeting: str, number: int) -> str:
    return f"<html><body><h1>Minutes {number} of {meeting}</h1></body></html>"


class Watched:
    """The real renderer, watched: how many renders of each meeting run at once, and an
    optional gate that holds the renders of one meeting until it is opened."""

    def __init__(self, held: str | None = None) -> None:
        self.held = held
        self.gate = threading.Event()
        self.started = threading.Event()
        self.lock = threading.Lock()
        self.running: Counter[str] = Counter()
        self.most: Counter[str] = Counter()

    def __call__(self, html: str, base_url: str, stylesheet: Path) -> bytes:
        meeting = html.split(" of ", 1)[1].split("<", 1)[0]
        with self.lock:
            self.running[meeting] += 1
            self.most[meeting] = max(self.most[meeting], self.running[meeting])
        try:
            if meeting == self.held:
                self.started.set()
                assert self.gate.wait(30), "the test never opened the gate"
            return documents.to_pdf(html, base_url, stylesheet)
        finally:
            with self.lock:
                self.running[meeting] -= 1


async def test_another_meetings_pdf_is_not_held_up_behind_a_meetings_render() -> None:
    watched = Watched(held="a")
    renderer = PdfRenderer(render=watched)
    held = asyncio.create_task(renderer.pdf("a", page("a", 1), BASE))
    assert await asyncio.to_thread(watched.started.wait, 30)
    other = await asyncio.wait_for(renderer.pdf("b", page("b", 1), BASE), 30)
    assert other.startswith(b"%PDF-")
    assert not held.done()
    watched.gate.set()
    assert (await asyncio.wait_for(held, 30)).startswith(b"%PDF-")
    assert renderer.renders == 2


async def test_a_meetings_documents_are_rendered_one_at_a_time() -> None:
    watched = Watched()
    renderer = PdfRenderer(render=watched, threads=3)
    pdfs = await asyncio.gather(*(renderer.pdf("a", page("a", n), BASE) for n in (1, 2, 3)))
    assert len(set(pdfs)) == 3
    assert watched.most["a"] == 1
    assert renderer.renders == 3


async def test_the_same_document_asked_for_at_once_is_rendered_once_and_then_cached() -> None:
    renderer = PdfRenderer(render=Watched())
    pdfs = await asyncio.gather(*(renderer.pdf("a", page("a", 1), BASE) for _ in range(5)))
    assert len(set(pdfs)) == 1 and renderer.renders == 1
    assert await renderer.pdf("a", page("a", 1), BASE) == pdfs[0]
    assert renderer.renders == 1


async def test_the_cache_keeps_the_documents_asked_for_most_recently() -> None:
    renderer = PdfRenderer(render=Watched(), cache_size=2)
    for n in (1, 2, 1, 3):  # 1 was asked for again after 2: 2 is the one let go
        await renderer.pdf("a", page("a", n), BASE)
    assert renderer.renders == 3
    await renderer.pdf("a", page("a", 1), BASE)
    assert renderer.renders == 3
    await renderer.pdf("a", page("a", 2), BASE)
    assert renderer.renders == 4
