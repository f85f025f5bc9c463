"""Starting a meeting, its links, and joining one: shared by the pages, the API and sockets."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .board import minutes as minutes_core
from .board import ops, parsing, scaling
from .board.errors import Forbidden, Invalid, KinboardError, LinkGone, LinkInvalid, NotFound
from .board.limits import MAX_LINK_DAYS, MAX_TITLE
from .board.meeting import MeetingClose, ParticipantJoin, ParticipantRemove
from .board.model import (
    Board,
    Kind,
    LinkKind,
    Meeting,
    Minutes,
    MinutesStatus,
    Participant,
    Snapshot,
    Vocabulary,
)
from .board.roles import SELF_CHOSEN_ROLES, Role
from .clock import Clock, iso, parse_iso
from .security import (
    LinkKeys,
    hash_token,
    new_id,
    new_session_token,
    session_token_from_cookies,
)
from .settings import Settings
from .store import Commit, Link, OpRecord, Session, Store, Update

log = logging.getLogger("kinboard.meetings")

LINK_ROLE = {LinkKind.FACILITATOR: Role.FACILITATOR, LinkKind.DISPLAY: Role.VIEWER}
# The three links every meeting has; per-person links are made by the facilitator.
GENERAL_LINKS = (LinkKind.FACILITATOR, LinkKind.PARTICIPANT, LinkKind.DISPLAY)
DISPLAY_NAME = "Meeting room screen"

# How a committed op reaches the meeting's sockets; realtime provides it.
Publish = Callable[[str, Commit], Awaitable[None]]
# How ended sessions close their sockets on every worker; realtime provides it.
Disconnect = Callable[[str, set[str]], Awaitable[None]]


@dataclass(frozen=True)
class Joined:
    session_token: str
    participant: Participant
    meeting_id: str
    link_kind: LinkKind


@dataclass(frozen=True)
class Auth:
    """Who is asking: a participant of one meeting (by session), a staff member the
    meeting belongs to, or an integration (API key)."""

    session: Session | None = None
    api_key: bool = False
    staff: str | None = None

    @property
    def staff_or_key(self) -> bool:
        return self.api_key or self.staff is not None

    @property
    def who(self) -> str:
        """For the audit log: a participant id, a staff email, or "api"."""
        if self.session is not None:
            return self.session.participant_id
        return self.staff or "api"


class Meetings:
    def __init__(
        self, settings: Settings, store: Store, keys: LinkKeys, clock: Clock, publish: Publish
    ) -> None:
        self.settings = settings
        self.store = store
        self.keys = keys
        self.clock = clock
        self.publish = publish
        self.disconnect: Disconnect = _nobody

    # --- creating ---

    async def create(self, title: Any, vocabulary: Any = None, kind: Any = None) -> Meeting:
        now = iso(self.clock())
        meeting = Meeting(
            id=new_id(nbytes=9),
            title=parsing.words(title, parsing.TITLE),
            kind=_choice(Kind, kind, Kind.INITIAL, "kind"),
            vocabulary=_choice(Vocabulary, vocabulary, Vocabulary.SAFETY, "vocabulary"),
            created_at=now,
        )
        overall = scaling.overall_scale(meeting.vocabulary, new_id("s_"), now, created_by="")
        return await self._start(Board(meeting, scales=MappingProxyType({overall.id: overall})))

    async def _add_link(
        self,
        meeting_id: str,
        kind: LinkKind,
        name: str | None = None,
        role: Role | None = None,
        days: int | None = None,
    ) -> Link:
        now = self.clock()
        link_id = new_id("l_")
        link = Link(
            id=link_id,
            meeting_id=meeting_id,
            kind=kind,
            token_hash=hash_token(self.keys.token(link_id)),
            created_at=now,
            expires_at=now + (days or self.settings.link_days) * 86400,
            name=name,
            role=role,
        )
        await self.store.add_link(link)
        return link

    def link_url(self, link: Link) -> str:
        return f"{self.settings.base_url}/join#{self.keys.token(link.id)}"

    async def link_urls(self, meeting_id: str) -> dict[str, str]:
        """The newest live general link of each kind, as absolute URLs with the token in the
        fragment."""
        urls: dict[str, str] = {}
        for link in await self.store.meeting_links(meeting_id):
            if link.kind in GENERAL_LINKS and self._usable(link):
                urls[link.kind.value] = self.link_url(link)
        return urls

    async def family_link(self, meeting_id: str, auth: Auth) -> str | None:
        """The family link, for its QR code: for the facilitator and the meeting-room
        screen only, not for someone invited by a link of their own to pass on."""
        board, _ = await self.snapshot(meeting_id, auth)
        if not auth.staff_or_key:
            assert auth.session is not None
            me = board.participants.get(auth.session.participant_id)
            if me is None or me.removed or me.role not in (Role.FACILITATOR, Role.VIEWER):
                raise Forbidden("Only the facilitator and the meeting-room screen show this.")
        return (await self.link_urls(meeting_id)).get(LinkKind.PARTICIPANT.value)

    async def person_links(self, meeting_id: str) -> list[dict[str, Any]]:
        return [
            {
                "id": link.id,
                "name": link.name,
                "role": link.role.value if link.role else None,
                "url": self.link_url(link),
                "expires_at": iso(link.expires_at) if link.expires_at else None,
                "revoked": link.revoked,
                "usable": self._usable(link),
            }
            for link in await self.store.meeting_links(meeting_id)
            if link.kind is LinkKind.PERSON
        ]

    async def add_person_link(
        self, meeting_id: str, name: Any, role: Any, days: Any, by: str
    ) -> Link:
        """A link for one named person with a preset role ("Grandma, network")."""
        name = parsing.words(name, parsing.NAME)
        chosen = _choice(Role, role, None, "role")
        if chosen not in SELF_CHOSEN_ROLES:
            raise Invalid("Please choose who the person is in this meeting.")
        link = await self._add_link(
            meeting_id, LinkKind.PERSON, name, chosen, _link_days(days, self.settings.link_days)
        )
        await self.audit(meeting_id, "link.created", by=by, link_id=link.id, role=chosen.value)
        return link

    async def renew_general_link(self, meeting_id: str, kind: Any, by: str) -> str:
        """A new family or meeting-room link; the old one stops letting anyone join (the
        people who joined with it stay: take them out one by one if need be)."""
        chosen = parsing.parse_enum(LinkKind, kind, "kind")
        if chosen not in (LinkKind.PARTICIPANT, LinkKind.DISPLAY):
            raise Invalid("Only the family link and the meeting-room link can be renewed.")
        for link in await self.store.meeting_links(meeting_id):
            if link.kind is chosen and not link.revoked:
                await self.store.add_link(replace(link, revoked=True))
        link = await self._add_link(meeting_id, chosen)
        await self.audit(meeting_id, "link.renewed", by=by, link_id=link.id, link=chosen.value)
        return self.link_url(link)

    async def _person_link(self, meeting_id: str, link_id: str) -> Link:
        for link in await self.store.meeting_links(meeting_id):
            if link.id == link_id and link.kind is LinkKind.PERSON:
                return link
        raise NotFound("There is no such person's link in this meeting.")

    async def set_link_expiry(self, meeting_id: str, link_id: str, days: Any, by: str) -> Link:
        link = await self._person_link(meeting_id, link_id)
        days = _link_days(days, self.settings.link_days)
        changed = replace(link, expires_at=self.clock() + days * 86400)
        await self.store.add_link(changed)
        await self.audit(meeting_id, "link.expiry_changed", by=by, link_id=link.id, days=days)
        return changed

    async def revoke_link(self, meeting_id: str, link_id: str, by: str) -> Link:
        """Turn a link off and end, on every worker, the sessions opened with it."""
        link = await self._person_link(meeting_id, link_id)
        revoked = replace(link, revoked=True)
        await self.store.add_link(revoked)
        ended = await self.store.end_sessions(meeting_id, link_id=link.id)
        await self.disconnect(meeting_id, ended)
        await self.audit(meeting_id, "link.revoked", by=by, link_id=link.id)
        return revoked

    def _usable(self, link: Link) -> bool:
        return not link.revoked and (link.expires_at is None or link.expires_at > self.clock())

    # --- joining ---

    async def preview(self, token: Any) -> tuple[Link, Meeting]:
        link = await self._valid_link(token)
        board, _ = await self.store.load(link.meeting_id)
        return link, board.meeting

    async def join(
        self, token: Any, name: Any, role: Any = None, cookies: str | None = None
    ) -> Joined:
        """`cookies`: the browser's Cookie header. When it still holds a session of this
        meeting, the join is marked as from the same browser (`Participant.device`)."""
        link = await self._valid_link(token)
        earlier = session_token_from_cookies(self.settings, cookies, link.meeting_id)
        before = await self.session(earlier, link.meeting_id)
        if link.kind is LinkKind.PARTICIPANT:
            chosen = _choice(Role, role, None, "role")
            if chosen not in SELF_CHOSEN_ROLES:
                raise Invalid("Please choose who you are in this meeting.")
        elif link.kind is LinkKind.PERSON:
            assert link.role is not None
            chosen, name = link.role, link.name
        else:
            chosen = LINK_ROLE[link.kind]
        if link.kind is LinkKind.DISPLAY and (name is None or name == ""):
            name = DISPLAY_NAME
        name = parsing.words(name, parsing.NAME)
        participant_id = new_id("p_")
        commit = await self.commit(
            link.meeting_id,
            f"join:{participant_id}",
            participant_id,
            ParticipantJoin(
                participant_id, name, chosen, device=before.participant_id if before else None
            ),
        )
        token_value = new_session_token()
        now = self.clock()
        await self.store.add_session(
            Session(
                token_hash=hash_token(token_value),
                meeting_id=link.meeting_id,
                participant_id=participant_id,
                created_at=now,
                expires_at=now + self.settings.session_hours * 3600,
                link_id=link.id,
                joined_seq=commit.seq,
            )
        )
        await self.audit(
            link.meeting_id,
            "join",
            by=participant_id,
            role=chosen.value,
            link_id=link.id,
            link=link.kind.value,
        )
        return Joined(
            token_value,
            commit.board.participants[participant_id],
            link.meeting_id,
            link.kind,
        )

    async def _valid_link(self, token: Any) -> Link:
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            raise LinkInvalid("This link does not work. Please ask the facilitator for a new one.")
        link = await self.store.find_link(hash_token(token))
        if link is None:
            raise LinkInvalid("This link does not work. Please ask the facilitator for a new one.")
        if not self._usable(link):
            raise LinkGone("This link has expired or was turned off. Please ask for a new one.")
        return link

    # --- sessions and ops ---

    async def session(self, token: str | None, meeting_id: str) -> Session | None:
        """The live session this token opens for this meeting, if any."""
        if not token:
            return None
        session = await self.store.find_session(hash_token(token))
        if session is None or session.meeting_id != meeting_id:
            return None
        if session.expires_at <= self.clock():
            return None
        return session

    async def commit(
        self,
        meeting_id: str,
        op_key: str,
        by: str,
        op: ops.Op,
        op_type: str = "",
        session: Session | None = None,
        link_id: str = "",
    ) -> Commit:
        """Apply one op through the store, with its audit entry (ids only, never text) in
        the same commit, refused if the caller's `session` has ended meanwhile; publish
        what it changed, and end the sessions it ends. (`link_id` names the link for the
        audit log when there is no session, as for the server's own ops.)"""
        now = iso(self.clock())
        op_id = op_key.rsplit(":", 1)[-1]
        # Whatever the op makes (a card, a round, a scale) takes this id if it needs one.
        context = ops.Context(actor=by, now=now, new_id=new_id())

        def audit_entry(record: OpRecord, board: Board) -> dict[str, Any]:
            actor = board.participants.get(by)
            return {
                "at": now,
                "event": "op",
                "by": by,
                "role": actor.role.value if actor else None,
                "link_id": session.link_id if session else link_id,
                "op": op_type,
                "seq": record.seq,
                "entities": [f"{c['entity']}:{c['id']}" for c in record.changes],
            }

        joining = isinstance(op, ParticipantJoin)
        commit = await self.store.update(
            Update(
                meeting_id,
                op_key,
                op_id,
                by,
                now,
                lambda board: ops.apply(board, op, context),
                after_commit=lambda commit: self.publish(meeting_id, commit),
                session_hash=session.token_hash if session else None,
                audit=None if joining else audit_entry,
            )
        )
        if commit.record is not None and isinstance(op, ParticipantRemove | MeetingClose):
            await self._after_ending(meeting_id, by, op)
        return commit

    async def _after_ending(
        self, meeting_id: str, by: str, op: ParticipantRemove | MeetingClose
    ) -> None:
        """The op is committed whatever happens here: a failure is logged, never refused."""
        try:
            if isinstance(op, ParticipantRemove):
                await self.end_sessions(meeting_id, op.participant_id)
                await self.audit(
                    meeting_id, "participant.removed", by=by, participant=op.participant_id
                )
            else:
                await self.end_sessions(meeting_id)
        except KinboardError as error:
            log.warning("could not end sessions after %s: %s", type(op).__name__, error.message)

    async def end_sessions(self, meeting_id: str, participant_id: str | None = None) -> None:
        """End a participant's (or everyone's) sessions and sockets, on every worker."""
        ended = await self.store.end_sessions(meeting_id, participant_id=participant_id)
        if participant_id is not None:
            ended.add(participant_id)
        await self.disconnect(meeting_id, ended)

    async def erase(self, meeting_id: str) -> None:
        """Remove everything held about the meeting, now, and close its sockets."""
        await self.store.load(meeting_id)  # NotFound for an unknown meeting
        await self.end_sessions(meeting_id)
        await self.store.erase(meeting_id)

    async def purge_expired(self) -> list[str]:
        """Erase closed meetings whose retention period has passed; their ids."""
        cutoff = self.clock() - self.settings.retention_days * 86400
        purged = []
        for meeting in await self.store.list_meetings():
            if meeting.closed_at and parse_iso(meeting.closed_at) <= cutoff:
                await self.erase(meeting.id)
                purged.append(meeting.id)
        return purged

    async def audit(self, meeting_id: str, event: str, **fields: Any) -> None:
        await self.store.append_audit(
            meeting_id, {"at": iso(self.clock()), "event": event, **fields}
        )

    async def snapshot(self, meeting_id: str, auth: Auth) -> tuple[Board, int]:
        """The board for someone allowed to read it."""
        if not auth.staff_or_key and (
            auth.session is None or auth.session.meeting_id != meeting_id
        ):
            raise Forbidden("You are not part of this meeting.")
        try:
            return await self.store.load(meeting_id)
        except NotFound:
            if auth.staff_or_key:
                raise
            raise Forbidden("You are not part of this meeting.") from None

    async def facilitated(self, meeting_id: str, auth: Auth, doing: str) -> Board:
        """The board, for the meeting's facilitator or an integration with the API key."""
        board, _ = await self.snapshot(meeting_id, auth)
        if not auth.staff_or_key:
            assert auth.session is not None
            me = board.participants.get(auth.session.participant_id)
            if me is None or me.role is not Role.FACILITATOR:
                raise Forbidden(f"Only the facilitator can {doing}.")
        return board

    async def minutes_document(
        self, meeting_id: str, number: int, auth: Auth
    ) -> tuple[Minutes, Snapshot]:
        board, _ = await self.snapshot(meeting_id, auth)
        minutes = board.minutes.get(str(number))
        snapshot = board.snapshots.get(str(number))
        if minutes is None or snapshot is None:
            raise NotFound(f"There are no minutes number {number} for this meeting.")
        return minutes, snapshot

    async def create_review(self, meeting_id: str, auth: Auth) -> Meeting:
        """The next meeting, starting from the last agreed minutes (or the last minutes)."""
        board = await self.facilitated(meeting_id, auth, "start the review meeting")
        if not board.minutes:
            raise Invalid("Take the minutes first: the review starts from them.")
        agreed = [m for m in board.minutes.values() if m.status is MinutesStatus.AGREED]
        basis = max(agreed or board.minutes.values(), key=lambda m: m.number)
        content = json.loads(board.snapshots[basis.id].body)
        now = iso(self.clock())
        meeting = Meeting(
            id=new_id(nbytes=9),
            title=_review_title(board.meeting.title),
            kind=Kind.REVIEW,
            vocabulary=board.meeting.vocabulary,
            previous=meeting_id,
            created_at=now,
            worry_threshold=board.meeting.worry_threshold,
        )
        review = minutes_core.review_board(content, meeting, now)
        if not any(scale.overall for scale in review.scales.values()):
            overall = scaling.overall_scale(meeting.vocabulary, new_id("s_"), now, created_by="")
            review = replace(
                review, scales=MappingProxyType({**review.scales, overall.id: overall})
            )
        return await self._start(review)

    async def _start(self, board: Board) -> Meeting:
        """Store a new meeting's first board and make its three links."""
        await self.store.create(board)
        for link_kind in GENERAL_LINKS:
            await self._add_link(board.meeting.id, link_kind)
        return board.meeting


async def _nobody(meeting_id: str, participants: set[str]) -> None:
    """No sockets to close until realtime is wired in."""


def _link_days(value: Any, default: int) -> int:
    if value is None:
        return default
    return parsing.whole_number(
        value, 1, MAX_LINK_DAYS, f"A link can last from 1 to {MAX_LINK_DAYS} days."
    )


def _review_title(title: str) -> str:
    return title if title.startswith("Review: ") else f"Review: {title}"[:MAX_TITLE]


def _choice(enum: Any, value: Any, default: Any, name: str) -> Any:
    if value is None or value == "":
        return default
    return parsing.parse_enum(enum, value, name)
