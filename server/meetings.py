"""Starting a meeting, its links, and joining one: shared by the pages, the API and sockets."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .board import minutes as minutes_core
from .board import ops, parsing, scaling
from .board.errors import Forbidden, Invalid, LinkGone, LinkInvalid, NotFound
from .board.model import (
    MAX_TITLE,
    SELF_CHOSEN_ROLES,
    Board,
    Kind,
    LinkKind,
    Meeting,
    Minutes,
    MinutesStatus,
    Participant,
    Role,
    Snapshot,
    Vocabulary,
)
from .clock import Clock, iso
from .security import LinkKeys, hash_token, new_id, new_session_token
from .settings import Settings
from .store import Commit, Link, Session, Store

LINK_ROLE = {LinkKind.FACILITATOR: Role.FACILITATOR, LinkKind.DISPLAY: Role.VIEWER}
DISPLAY_NAME = "Meeting room screen"

# How a committed op reaches the meeting's sockets; realtime provides it.
Publish = Callable[[str, Commit], Awaitable[None]]


@dataclass(frozen=True)
class Joined:
    session_token: str
    participant: Participant
    meeting_id: str
    link_kind: LinkKind


@dataclass(frozen=True)
class Auth:
    """Who is asking: a participant of one meeting (by session) or an integration (API key)."""

    session: Session | None = None
    api_key: bool = False


class Meetings:
    def __init__(
        self, settings: Settings, store: Store, keys: LinkKeys, clock: Clock, publish: Publish
    ) -> None:
        self.settings = settings
        self.store = store
        self.keys = keys
        self.clock = clock
        self.publish = publish

    # --- creating ---

    async def create(self, title: Any, vocabulary: Any = None, kind: Any = None) -> Meeting:
        now = iso(self.clock())
        meeting = Meeting(
            id=new_id(nbytes=9),
            title=parsing.clean_title(title),
            kind=_choice(Kind, kind, Kind.INITIAL, "kind"),
            vocabulary=_choice(Vocabulary, vocabulary, Vocabulary.SAFETY, "vocabulary"),
            created_at=now,
        )
        overall = scaling.overall_scale(meeting.vocabulary, new_id("s_"), now, created_by="")
        return await self._start(Board(meeting, scales=MappingProxyType({overall.id: overall})))

    async def _add_link(self, meeting_id: str, kind: LinkKind) -> Link:
        now = self.clock()
        link_id = new_id("l_")
        link = Link(
            id=link_id,
            meeting_id=meeting_id,
            kind=kind,
            token_hash=hash_token(self.keys.token(link_id)),
            created_at=now,
            expires_at=now + self.settings.link_days * 86400,
        )
        await self.store.add_link(link)
        return link

    async def link_urls(self, meeting_id: str) -> dict[str, str]:
        """The newest live link of each kind, as absolute URLs with the token in the fragment."""
        urls: dict[str, str] = {}
        for link in await self.store.meeting_links(meeting_id):
            if self._usable(link):
                urls[link.kind.value] = f"{self.settings.base_url}/join#{self.keys.token(link.id)}"
        return urls

    def _usable(self, link: Link) -> bool:
        return not link.revoked and (link.expires_at is None or link.expires_at > self.clock())

    # --- joining ---

    async def preview(self, token: Any) -> tuple[Link, Meeting]:
        link = await self._valid_link(token)
        board, _ = await self.store.load(link.meeting_id)
        return link, board.meeting

    async def join(self, token: Any, name: Any, role: Any = None) -> Joined:
        link = await self._valid_link(token)
        if link.kind is LinkKind.PARTICIPANT:
            chosen = _choice(Role, role, None, "role")
            if chosen not in SELF_CHOSEN_ROLES:
                raise Invalid("Please choose who you are in this meeting.")
        else:
            chosen = LINK_ROLE[link.kind]
        if link.kind is LinkKind.DISPLAY and (name is None or name == ""):
            name = DISPLAY_NAME
        name = parsing.clean_name(name)
        participant_id = new_id("p_")
        commit = await self.commit(
            link.meeting_id,
            f"join:{participant_id}",
            participant_id,
            ops.ParticipantJoin(participant_id, name, chosen),
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
            )
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

    async def commit(self, meeting_id: str, op_key: str, by: str, op: ops.Op) -> Commit:
        """Apply one op through the store and publish what it changed."""
        now = iso(self.clock())
        op_id = op_key.rsplit(":", 1)[-1]
        # Whatever the op makes (a card, a round, a scale) takes this id if it needs one.
        context = ops.Context(actor=by, now=now, new_id=new_id())
        return await self.store.update(
            meeting_id,
            op_key,
            op_id,
            by,
            now,
            lambda board: ops.apply(board, op, context),
            after_commit=lambda commit: self.publish(meeting_id, commit),
        )

    async def snapshot(self, meeting_id: str, auth: Auth) -> tuple[Board, int]:
        """The board for someone allowed to read it."""
        if not auth.api_key and (auth.session is None or auth.session.meeting_id != meeting_id):
            raise Forbidden("You are not part of this meeting.")
        try:
            return await self.store.load(meeting_id)
        except NotFound:
            if auth.api_key:
                raise
            raise Forbidden("You are not part of this meeting.") from None

    async def facilitated(self, meeting_id: str, auth: Auth, doing: str) -> Board:
        """The board, for the meeting's facilitator or an integration with the API key."""
        board, _ = await self.snapshot(meeting_id, auth)
        if not auth.api_key:
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
        for link_kind in LinkKind:
            await self._add_link(board.meeting.id, link_kind)
        return board.meeting


def _review_title(title: str) -> str:
    return title if title.startswith("Review: ") else f"Review: {title}"[:MAX_TITLE]


def _choice(enum: Any, value: Any, default: Any, name: str) -> Any:
    if value is None or value == "":
        return default
    return parsing.parse_enum(enum, value, name)
