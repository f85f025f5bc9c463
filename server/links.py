"""The links that let people join a meeting: the three every meeting has, per-person links,
their URLs, expiry, renewing and turning them off."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .audit import Audit
from .board import parsing
from .board.errors import Invalid, LinkGone, LinkInvalid, LinkOff, Msgid, Nn_, NotFound
from .board.limits import MAX_LINK_DAYS
from .board.model import LinkKind
from .board.roles import PERSON_LINK_ROLES, PLAN_READERS, SELF_CHOSEN_ROLES, Role
from .board.translations import INTERPRETED
from .clock import Clock, iso
from .security import LinkKeys, hash_token, new_id
from .sessions import Sessions
from .settings import Settings
from .store import Link, Session
from .store.roles import LinksAndSessions

# The three links every meeting has; per-person links are made by the facilitator.
GENERAL_LINKS = (LinkKind.FACILITATOR, LinkKind.PARTICIPANT, LinkKind.DISPLAY)


class Links:
    def __init__(
        self,
        settings: Settings,
        store: LinksAndSessions,
        keys: LinkKeys,
        clock: Clock,
        sessions: Sessions,
        audit: Audit,
    ) -> None:
        self._settings = settings
        self._store = store
        self._keys = keys
        self._clock = clock
        self._sessions = sessions
        self._audit = audit

    async def make_general(self, meeting_id: str) -> None:
        """A new meeting's three links."""
        for kind in GENERAL_LINKS:
            await self._add(meeting_id, kind)

    async def _add(
        self,
        meeting_id: str,
        kind: LinkKind,
        name: str | None = None,
        role: Role | None = None,
        days: int | None = None,
        language: str | None = None,
    ) -> Link:
        now = self._clock()
        link_id = new_id("l_")
        link = Link(
            id=link_id,
            meeting_id=meeting_id,
            kind=kind,
            token_hash=hash_token(self._keys.token(link_id)),
            created_at=now,
            expires_at=now + (days or self._settings.link_days) * 86400,
            name=name,
            role=role,
            language=language,
        )
        await self._store.add_link(link)
        return link

    def url(self, link: Link) -> str:
        return f"{self._settings.base_url}/join#{self._keys.token(link.id)}"

    async def urls(self, meeting_id: str) -> dict[str, str]:
        """The newest live general link of each kind, as absolute URLs with the token in the
        fragment."""
        urls: dict[str, str] = {}
        for link in await self._store.meeting_links(meeting_id):
            if link.kind in GENERAL_LINKS and self._usable(link):
                urls[link.kind.value] = self.url(link)
        return urls

    async def person_links(self, meeting_id: str) -> list[dict[str, Any]]:
        return [
            {
                "id": link.id,
                "name": link.name,
                "role": link.role.value if link.role else None,
                "language": link.language,
                "url": self.url(link),
                "expires_at": iso(link.expires_at) if link.expires_at else None,
                "revoked": link.revoked,
                "usable": self._usable(link),
            }
            for link in await self._store.meeting_links(meeting_id)
            if link.kind is LinkKind.PERSON
        ]

    async def add_person_link(
        self, meeting_id: str, name: Any, role: Any, days: Any, by: str, language: Any = None
    ) -> Link:
        """A link for one named person with a preset role ("Grandma, network"); an
        interpreter's also says the language they translate into ("Olga, interpreter,
        Polish")."""
        name = parsing.words(name, parsing.NAME)
        chosen: Role | None = choice(Role, role, None, "role")
        if chosen not in PERSON_LINK_ROLES:
            raise Invalid("Please choose who the person is in this meeting.")
        interprets = _interpreted(language) if chosen is Role.INTERPRETER else None
        if chosen is not Role.INTERPRETER and language is not None:
            raise Invalid("Only an interpreter's link has a language.")
        days = _link_days(days, self._settings.link_days)
        link = await self._add(meeting_id, LinkKind.PERSON, name, chosen, days, interprets)
        await self._audit.record(
            meeting_id, "link.created", by=by, link_id=link.id, role=chosen.value
        )
        return link

    async def renew_general_link(
        self, meeting_id: str, kind: Any, by: str, caller: Session | None = None
    ) -> str:
        """A new general link of this kind, which also turns it back on; the old one stops
        letting anyone join at once. (See `turn_off_general_link` for who stays.)"""
        chosen = parsing.parse_enum(LinkKind, kind, "kind")
        await self._turn_off(meeting_id, chosen, caller)
        link = await self._add(meeting_id, chosen)
        await self._audit.record(
            meeting_id, "link.renewed", by=by, link_id=link.id, link=chosen.value
        )
        return self.url(link)

    async def turn_off_general_link(
        self, meeting_id: str, kind: Any, by: str, caller: Session | None = None
    ) -> None:
        """Nobody joins by this kind of link until a new one is made. The people who came
        in by a family or room-screen link stay (take them out one by one if need be);
        those who came in by the facilitator link are taken out, but for the `caller`
        turning it off: a leaked facilitator link is full control of the meeting."""
        chosen = parsing.parse_enum(LinkKind, kind, "kind")
        await self._turn_off(meeting_id, chosen, caller)
        await self._audit.record(meeting_id, "link.turned_off", by=by, link=chosen.value)

    async def _turn_off(self, meeting_id: str, kind: LinkKind, caller: Session | None) -> None:
        if kind not in GENERAL_LINKS:
            raise Invalid("Only the facilitator, family and meeting-room links work this way.")
        for link in await self._store.meeting_links(meeting_id):
            if link.kind is kind and not link.revoked:
                await self._store.add_link(replace(link, revoked=True))
                if kind is LinkKind.FACILITATOR:
                    await self._sessions.end(meeting_id, link_id=link.id, keep=caller)

    async def _person_link(self, meeting_id: str, link_id: str) -> Link:
        for link in await self._store.meeting_links(meeting_id):
            if link.id == link_id and link.kind is LinkKind.PERSON:
                return link
        raise NotFound("There is no such person's link in this meeting.")

    async def set_link_expiry(self, meeting_id: str, link_id: str, days: Any, by: str) -> Link:
        link = await self._person_link(meeting_id, link_id)
        days = _link_days(days, self._settings.link_days)
        changed = replace(link, expires_at=self._clock() + days * 86400)
        await self._store.add_link(changed)
        await self._audit.record(
            meeting_id, "link.expiry_changed", by=by, link_id=link.id, days=days
        )
        return changed

    async def revoke_link(self, meeting_id: str, link_id: str, by: str) -> Link:
        """Turn a link off and end, on every worker, the sessions opened with it."""
        link = await self._person_link(meeting_id, link_id)
        revoked = replace(link, revoked=True)
        await self._store.add_link(revoked)
        await self._sessions.end(meeting_id, link_id=link.id)
        await self._audit.record(meeting_id, "link.revoked", by=by, link_id=link.id)
        return revoked

    async def valid(self, token: Any) -> Link:
        """The usable link this token opens, or a refusal that says why not."""
        link = await self.find(token)
        await self.check(link)
        return link

    async def find(self, token: Any) -> Link:
        """The link this token is, usable or not; LinkInvalid if it is none."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            raise LinkInvalid("This link does not work. Please ask the facilitator for a new one.")
        link = await self._store.find_link(hash_token(token))
        if link is None:
            raise LinkInvalid("This link does not work. Please ask the facilitator for a new one.")
        return link

    async def check(self, link: Link) -> None:
        """Refuse a link that has expired or been turned off, saying which."""
        if not self._usable(link):
            if (
                link.revoked
                and link.kind in GENERAL_LINKS
                and not any(
                    other.kind is link.kind and self._usable(other)
                    for other in await self._store.meeting_links(link.meeting_id)
                )
            ):
                raise LinkOff(
                    "The facilitator has turned this link off, so nobody can join with it "
                    "now. Please ask them if you should be in this meeting."
                )
            raise LinkGone("This link has expired or was turned off. Please ask for a new one.")

    def _usable(self, link: Link) -> bool:
        return not link.revoked and (link.expires_at is None or link.expires_at > self._clock())


def opens_plan(link: Link) -> bool:
    """A family member's own link, not turned off: once the meeting has closed it opens
    "Our plan", past its expiry too, until the meeting is purged."""
    return link.kind is LinkKind.PERSON and not link.revoked and link.role in PLAN_READERS


def choice(enum: Any, value: Any, default: Any, name: str) -> Any:
    """One of `enum`'s values by name, or `default` when none is given."""
    if value is None or value == "":
        return default
    return parsing.parse_enum(enum, value, name)


def chosen_role(value: Any, refusal: Msgid) -> Role:
    """A role people may be given or choose themselves, or Invalid with `refusal`."""
    role: Role | None = choice(Role, value, None, "role")
    if role is None or role not in SELF_CHOSEN_ROLES:
        raise Invalid(refusal)
    return role


def _interpreted(value: Any) -> str:
    """The language an interpreter's link translates into, or Invalid."""
    if value is None or value == "":
        raise Invalid("Please choose the language the interpreter translates into.")
    if not isinstance(value, str) or value not in INTERPRETED:
        raise Invalid(
            "An interpreter can translate into one of: {codes}.",
            codes=", ".join(sorted(INTERPRETED)),
        )
    return value


def _link_days(value: Any, default: int) -> int:
    if value is None:
        return default
    return parsing.whole_number(
        value,
        1,
        MAX_LINK_DAYS,
        Nn_(
            "A link can last from {low} to {high} day.",
            "A link can last from {low} to {high} days.",
            "high",
        ),
    )
