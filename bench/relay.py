"""The transport floor: a bare python-socketio relay that only re-broadcasts.

It speaks the same client flow as Kinboard (POST /api/meetings, POST /api/join with a
`kb_<meeting>` cookie, Socket.IO connect with `auth.meeting_id`, `op` with an ack,
`applied` to the room, `editing` -> `presence`), so the load generator runs unchanged
against it. There is no store, no rule and no session check: whatever Kinboard costs on
top of this is Kinboard's own.

    python -m bench.relay --port 8765
"""

from __future__ import annotations

import argparse
import gc
import logging
import secrets
from datetime import UTC, datetime
from itertools import count
from typing import Any

import socketio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server import collector

# Kinboard's transport settings (server/realtime.py and server/__main__.py), so that the
# floor is measured with the same websocket limits and pings.
MAX_MESSAGE = 64 * 1024
OVERALL_SCALE = {"id": "s_overall", "overall": True}


class Relay:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            cors_allowed_origins=[],
            max_http_buffer_size=MAX_MESSAGE,
            ping_interval=10,
            ping_timeout=10,
        )
        self.seq: dict[str, int] = {}  # per-room counter, Kinboard's `seq`
        self.online: dict[str, dict[str, str | None]] = {}  # room -> participant -> editing
        self.socket: dict[str, tuple[str, str]] = {}  # sid -> (room, participant)
        self._ids = count(1)
        self.sio.on("connect", self.on_connect)
        self.sio.on("disconnect", self.on_disconnect)
        self.sio.on("op", self.on_op)
        self.sio.on("editing", self.on_editing)

    # --- HTTP: just enough for the generator to create meetings and join them ---

    async def create_meeting(self, request: Request) -> JSONResponse:
        meeting_id = f"m{next(self._ids)}"
        self.seq[meeting_id] = 0
        links = {
            kind: f"{self.base_url}/join#{kind}.{meeting_id}.{secrets.token_hex(8)}"
            for kind in ("facilitator", "participant", "display")
        }
        return JSONResponse({"id": meeting_id, "links": links}, status_code=201)

    async def join(self, request: Request) -> JSONResponse:
        body = await request.json()
        kind, meeting_id, _ = str(body["token"]).split(".", 2)
        role = "facilitator" if kind == "facilitator" else body.get("role", "parent")
        participant = {"id": f"p{next(self._ids)}", "name": body.get("name"), "role": role}
        response = JSONResponse({"meeting_id": meeting_id, "participant": participant})
        response.set_cookie(f"kb_{meeting_id}", participant["id"], httponly=True)
        return response

    async def healthz(self, request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    # --- Socket.IO ---

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        room = auth.get("meeting_id") if isinstance(auth, dict) else None
        if not isinstance(room, str):
            raise socketio.exceptions.ConnectionRefusedError("no_session")
        participant = _cookie_value(environ.get("HTTP_COOKIE", ""), f"kb_{room}") or sid
        self.socket[sid] = (room, participant)
        self.online.setdefault(room, {})[participant] = None
        await self.sio.enter_room(sid, room)
        state = {
            "seq": self.seq.get(room, 0),
            "me": {"id": participant},
            "board": {"cards": [], "scales": [OVERALL_SCALE]},
        }
        await self.sio.emit("state", state, to=sid)
        await self._presence(room)

    async def on_disconnect(self, sid: str, *_: Any) -> None:
        room, participant = self.socket.pop(sid, ("", ""))
        self.online.get(room, {}).pop(participant, None)

    async def on_op(self, sid: str, data: Any) -> dict[str, Any]:
        room, participant = self.socket[sid]
        seq = self.seq[room] = self.seq.get(room, 0) + 1
        op_id = data.get("id") if isinstance(data, dict) else None
        # The op itself stands in for the changed entity: about the size of Kinboard's.
        applied = {
            "seq": seq,
            "op_id": op_id,
            "by": participant,
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "changes": [{"entity": "op", "id": op_id, "value": data}],
        }
        await self.sio.emit("applied", applied, room=room)
        return {"ok": True, "seq": seq}

    async def on_editing(self, sid: str, data: Any) -> None:
        room, participant = self.socket[sid]
        card_id = data.get("card_id") if isinstance(data, dict) else None
        self.online.setdefault(room, {})[participant] = card_id
        await self._presence(room)

    async def _presence(self, room: str) -> None:
        online = [{"participant_id": p, "editing": e} for p, e in self.online[room].items()]
        await self.sio.emit("presence", {"online": online}, room=room)

    def app(self) -> socketio.ASGIApp:
        web = Starlette(
            routes=[
                Route("/healthz", self.healthz),
                Route("/api/meetings", self.create_meeting, methods=["POST"]),
                Route("/api/join", self.join, methods=["POST"]),
            ]
        )
        return socketio.ASGIApp(self.sio, other_asgi_app=web, socketio_path="socket.io")


def _cookie_value(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Bare Socket.IO relay (the transport floor).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    relay = Relay(f"http://{args.host}:{args.port}")
    # Its collector's pauses, measured and reported as Kinboard's are (SIGUSR1), with
    # Python's default settings: the floor's own pauses.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    gc.callbacks.append(collector.PAUSES)
    collector.report_on_signal()
    # The same uvicorn settings as `python -m server serve`.
    uvicorn.run(
        relay.app(),
        host=args.host,
        port=args.port,
        ws_max_size=MAX_MESSAGE,
        log_level="warning",
        server_header=False,
    )


if __name__ == "__main__":
    main()
