"""The services every entry point (pages, API, sockets, the command line's server) shares,
built in one order: the presence tracker and the broadcaster first, then the services that
publish and close sockets through it."""

from __future__ import annotations

from dataclasses import dataclass

from .audit import Audit
from .boards import Boards
from .broadcast import Broadcaster
from .clock import Clock, system_clock
from .families import Families
from .joining import Joining
from .keys import IntegrationKeys
from .links import Links
from .meetings import Meetings
from .presence import PresenceTracker
from .retention import Retention
from .security import LinkKeys, load_secret
from .sessions import Sessions
from .settings import Settings
from .staff import Staff
from .store import Store, store_for
from .webhook import Webhook


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    # Opened and closed by the app; callers use the services, never the store itself.
    store: Store
    broadcaster: Broadcaster
    presence: PresenceTracker
    audit: Audit
    sessions: Sessions
    links: Links
    boards: Boards
    joining: Joining
    meetings: Meetings
    retention: Retention
    staff: Staff
    keys: IntegrationKeys
    families: Families
    webhook: Webhook

    async def ping(self) -> None:
        """Raise Unavailable when the store does not answer."""
        await self.store.ping()


def build_services(
    settings: Settings, store: Store | None = None, clock: Clock = system_clock
) -> Services:
    store = store if store is not None else store_for(settings)
    presence = PresenceTracker(store, clock)
    broadcaster = Broadcaster(settings, presence, clock)
    audit = Audit(store, store, clock)
    staff = Staff(store, clock)

    async def staff_live(token_hash: str, use: bool) -> bool:
        return await staff.live(token_hash, use) is not None

    sessions = Sessions(settings, store, clock, broadcaster.end_participants, staff_live)
    keys = LinkKeys(load_secret(settings))
    links = Links(settings, store, keys, clock, sessions, audit)
    families = Families(store, clock)
    webhook = Webhook(settings, store, store, store, audit, clock)
    boards = Boards(
        store,
        clock,
        broadcaster.publish,
        sessions,
        audit,
        families.noted,
        webhook,
        broadcaster.refresh,
    )
    return Services(
        settings=settings,
        clock=clock,
        store=store,
        broadcaster=broadcaster,
        presence=presence,
        audit=audit,
        sessions=sessions,
        links=links,
        boards=boards,
        joining=Joining(settings, keys, links, boards, sessions, audit),
        meetings=Meetings(boards, links, families, staff, clock),
        retention=Retention(settings, store, clock, sessions, audit, boards, records=store),
        staff=staff,
        keys=IntegrationKeys(settings, store, store, clock),
        families=families,
        webhook=webhook,
    )
