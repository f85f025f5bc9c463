"""Assembles Kinboard: the services, Starlette and Socket.IO around them. Nothing else."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import socketio
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from .board.errors import KinboardError
from .broadcast import Broadcaster
from .clock import Clock, system_clock
from .frames import FrameCheck
from .http.account_routes import AccountRoutes
from .http.admin_routes import AdminRoutes
from .http.body_limit import BodyLimit
from .http.easy_read_routes import EasyReadRoutes
from .http.family_routes import FamilyRoutes
from .http.headers import SecurityHeaders
from .http.key_routes import KeyRoutes
from .http.routes import Routes
from .http.staff_routes import StaffRoutes
from .http.statement_routes import StatementRoutes
from .http.web import Web
from .realtime import Realtime
from .services import Services, build_services
from .settings import Settings
from .staff import SETUP_HOURS
from .store import Store

CLIENT_DIST = Path(__file__).resolve().parent.parent / "client" / "dist"
# Each language's plain words for professional jargon, which the client hints with.
PLAIN_WORDS = Path(__file__).resolve().parent / "plain_words"
# On shutdown, the background work and the store are given this long to stop.
STOP_WITHIN = 3.0


class Kinboard:
    """The assembled ASGI app, and `closing`: what its server calls first when it stops."""

    def __init__(self, app: ASGIApp, broadcaster: Broadcaster) -> None:
        self.app = app
        self.closing = broadcaster.close_all

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def create_app(
    settings: Settings, store: Store | None = None, clock: Clock = system_clock
) -> Kinboard:
    return asgi_app(build_services(settings, store, clock))


def asgi_app(services: Services) -> Kinboard:
    """The pages, the API and the sockets, over these services."""
    settings = services.settings
    realtime = Realtime(
        settings,
        services.clock,
        services.broadcaster,
        services.boards,
        services.sessions,
        services.presence,
    )
    web = Web(services)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.store.open()
        await _offer_setup(services)
        realtime.start()
        background = [asyncio.create_task(services.retention.purge_every_hour())]
        if services.webhook.configured:
            background.append(asyncio.create_task(services.webhook.deliver_forever()))
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            # Every acknowledged op is already committed: a store that does not answer
            # (Redis paused) must not keep the process from exiting.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(STOP_WITHIN):
                    await realtime.stop()
                    await services.store.close()

    CLIENT_DIST.mkdir(parents=True, exist_ok=True)
    pages = Starlette(
        routes=[
            *StaffRoutes(web).routes(),
            *Routes(web).routes(),
            *EasyReadRoutes(web).routes(),
            *AdminRoutes(web).routes(),
            *FamilyRoutes(web).routes(),
            *KeyRoutes(web).routes(),
            *AccountRoutes(web).routes(),
            *StatementRoutes(web).routes(),
            Mount("/static/plain-words", StaticFiles(directory=str(PLAIN_WORDS))),
            Mount("/static", StaticFiles(directory=str(CLIENT_DIST)), name="static"),
        ],
        exception_handlers={KinboardError: web.refused, Exception: web.crashed},
        lifespan=lifespan,
    )
    app = socketio.ASGIApp(
        services.broadcaster.sio, other_asgi_app=pages, socketio_path="socket.io"
    )
    checked = FrameCheck(app, services.broadcaster.sio)
    return Kinboard(SecurityHeaders(BodyLimit(checked), settings), services.broadcaster)


async def _offer_setup(services: Services) -> None:
    """Like a notebook server's token: the one way in before any staff account exists."""
    try:
        code = await services.staff.setup_code()
    except KinboardError as error:  # the store may come later; /readyz says so meanwhile
        print(f"Kinboard could not check for staff accounts: {error.message}", flush=True)
        return
    if code is not None:
        print(
            "Kinboard has no staff account yet. Create the first one here (this link "
            f"works once, for {SETUP_HOURS} hours):\n"
            f"    {services.settings.base_url}/setup#{code}",
            flush=True,
        )
