"""Assembles Kinboard: settings, store, services, Starlette and Socket.IO. Nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import socketio
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from .board.errors import KinboardError
from .clock import Clock, system_clock
from .http.admin_routes import AdminRoutes
from .http.headers import SecurityHeaders
from .http.routes import Routes
from .http.staff_routes import StaffRoutes
from .http.web import Web
from .meetings import Meetings
from .realtime import Realtime
from .security import LinkKeys, load_secret
from .settings import Settings
from .staff import SETUP_HOURS, Staff
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
    meetings.disconnect = realtime.end_participants
    staff = Staff(store, clock)
    web = Web(settings, meetings, staff)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        try:
            code = await staff.setup_code()
        except KinboardError as error:  # the store may come later; /readyz says so meanwhile
            print(f"Kinboard could not check for staff accounts: {error.message}", flush=True)
            code = None
        if code is not None:
            # Like a notebook server's token: the one way in before any account exists.
            print(
                "Kinboard has no staff account yet. Create the first one here (this link "
                f"works once, for {SETUP_HOURS} hours):\n    {settings.base_url}/setup#{code}",
                flush=True,
            )
        realtime.start()
        purging = asyncio.create_task(_purge_every_hour(meetings))
        try:
            yield
        finally:
            purging.cancel()
            await realtime.stop()
            await store.close()

    CLIENT_DIST.mkdir(parents=True, exist_ok=True)
    pages = Starlette(
        routes=[
            *StaffRoutes(web, meetings, staff).routes(),
            *Routes(web, realtime.broadcasting).routes(),
            *AdminRoutes(web).routes(),
            Mount("/static", StaticFiles(directory=str(CLIENT_DIST)), name="static"),
        ],
        exception_handlers={KinboardError: web.refused, Exception: web.crashed},
        lifespan=lifespan,
    )
    app = socketio.ASGIApp(realtime.sio, other_asgi_app=pages, socketio_path="socket.io")
    return SecurityHeaders(app, settings)


async def _purge_every_hour(meetings: Meetings) -> None:
    """Retention: closed meetings are erased once their time is up."""
    log = logging.getLogger("kinboard.retention")
    while True:
        try:
            for meeting_id in await meetings.purge_expired():
                log.info("erased meeting %s: its retention period had passed", meeting_id)
        except KinboardError as error:
            log.warning("could not purge old meetings: %s", error.message)
        await asyncio.sleep(3600)
