"""Request bodies: at most 64 KiB, refused while they arrive, and read within a time limit.

The body is read here, before the app sees the request, so that no handler (Starlette's
`request.body()`, forms, engine.io's long-polling) ever buffers more than the limit, and a
client that sends its body slowly holds a connection for seconds, not for ever.
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..board.errors import KinboardError, TooLarge, TooSlow
from .replies import asker_language, http_error

MAX_BODY = 64 * 1024
# The whole body must have arrived by then: 64 KiB take well under a second on any line.
BODY_SECONDS = 10.0


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            if _declared_length(scope) > MAX_BODY:
                raise TooLarge("That request is too large.")
            async with asyncio.timeout(BODY_SECONDS):
                body = await _read(receive)
        except TimeoutError:
            await _refuse(TooSlow("That request took too long to arrive."), scope, receive, send)
            return
        except KinboardError as error:
            await _refuse(error, scope, receive, send)
            return
        if body is None:  # the client went away
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # only `http.disconnect` is left to come
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        # The HTTP parser has already refused a malformed or repeated Content-Length.
        if name == b"content-length" and value.isdigit():
            return int(value)
    return 0


async def _read(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise TooLarge("That request is too large.")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _refuse(error: KinboardError, scope: Scope, receive: Receive, send: Send) -> None:
    response = http_error(error, asker_language(Headers(scope=scope)))
    # The rest of the body is not wanted: the connection closes after this answer.
    response.headers["Connection"] = "close"
    await response(scope, receive, send)
