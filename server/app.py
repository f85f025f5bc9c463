"""Assembles Kinboard: settings, store, services, Starlette and Socket.IO. Nothing else."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import socketio
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from .clock import Clock, system_clock
from .meetings import Meetings
from .realtime import Realtime
from .routes import Routes
from .security import LinkKeys, SecurityHeaders, load_secret
from .settings import Settings
from .store import Store, store_for

CLIENT_DIST = Path(__file__).resolve().parent.parent / "client" / "dist"


def create_app(
    settings: Settings, store: Store | None = None, clock: Clock = system_clock
) -> ASGIApp:
    store = store if store is not None else store_for(settings)
    keys = LinkKeys(load_secret(settings))
    realtime: Realtime | None = None

    async def publish(meeting_id, commit):  # type: ignore[no-untyped-def]
        assert realtime is not None
        await realtime.publish(meeting_id, commit)

    meetings = Meetings(settings, store, keys, clock, publish)
    realtime = Realtime(settings, meetings)
    routes = Routes(settings, meetings, realtime.broadcasting)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        realtime.start()
        try:
            yield
        finally:
            await realtime.stop()
            await store.close()

    CLIENT_DIST.mkdir(parents=True, exist_ok=True)
    web = Starlette(
        routes=[
            *routes.routes(),
            Mount("/static", StaticFiles(directory=str(CLIENT_DIST)), name="static"),
        ],
        lifespan=lifespan,
    )
    app = socketio.ASGIApp(realtime.sio, other_asgi_app=web, socketio_path="socket.io")
    return SecurityHeaders(app, settings)
