"""What every HTTP handler shares: pages, JSON bodies, cookies, forms with CSRF tokens, and
who is asking."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from .. import documents, i18n
from ..board import parsing
from ..board.errors import (
    N_,
    Closed,
    Forbidden,
    Internal,
    Invalid,
    KinboardError,
    Msgid,
    NotFound,
)
from ..board.model import Board, Participant, Status
from ..board.roles import PLAN_READERS, Role
from ..board.visibility import ANYONE, STAFF, Viewer
from ..keys import IntegrationKey, Scope
from ..security import (
    RateLimiter,
    cookie_value,
    csrf_cookie_name,
    csrf_matches,
    origin_allowed,
    session_token_from_cookies,
    staff_cookie_name,
)
from ..services import Services
from ..sessions import plan_reader
from ..staff import StaffSession
from ..store import Session
from . import page_words
from .replies import asker_language, http_error, http_status, refusal_headers

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOT_OUR_FORM = N_("That is not a form from this site. Please go back, reload it, and try again.")


@dataclass(frozen=True)
class Auth:
    """Who is asking: a participant of one meeting (by session), a staff member the
    meeting belongs to, or an integration (by its key, allowed the route's scope)."""

    session: Session | None = None
    key: IntegrationKey | None = None
    staff: str | None = None

    @property
    def staff_or_key(self) -> bool:
        return self.key is not None or self.staff is not None

    @property
    def who(self) -> str:
        """For the audit log: a participant id, a staff email, or the key's id."""
        if self.session is not None:
            return self.session.participant_id
        if self.key is not None:
            return self.key.who
        assert self.staff is not None
        return self.staff


class Web:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = settings = services.settings
        self.staff = services.staff
        self.pdfs = documents.PdfRenderer()  # one pool for every PDF: minutes, easy read
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        # Every word a page shows is `_("…")` or `{% trans %}`, in the page's language.
        page_words.install(self.templates.env)
        # Where "Exit this page" (templates/quick_exit.html) leaves for.
        self.templates.env.globals["exit_url"] = settings.exit_url
        # Joining (and asking about a link) per address: a burst, then one every 5 s, so
        # nobody can try tokens by the thousand.
        self.join_limiter = RateLimiter(
            burst=settings.join_burst,
            per_second=0.2,
            refusal=N_("Too many tries from here. Please wait a minute and try again."),
        )

    # --- pages ---

    def page_language(self, request: Request) -> i18n.Language:
        """The language a page is shown in: the one chosen in this browser (on joining, or
        by POST /language), else the best of the browser's own, else English."""
        return i18n.BY_CODE[asker_language(request.headers)]

    def words(self, language: i18n.Language) -> dict[str, Any]:
        """What every page's template is given to speak `language`: the language itself
        (`lang` and `dir`, and the templates' gettext) and the client's words of it."""
        return {"page_language": language, "words_json": i18n.client_words_json(language.code)}

    def page(
        self,
        request: Request,
        name: str,
        refused: KinboardError | None = None,
        language: i18n.Language | None = None,
        **context: Any,
    ) -> Response:
        """A page, in `language` (the page's own by default), answering `refused`'s status
        and headers if it shows a refusal; one with a form gets a CSRF token, set as a
        cookie the first time."""
        cookie = cookie_value(request.headers.get("cookie"), csrf_cookie_name(self.settings))
        token = cookie if cookie and len(cookie) >= 20 else secrets.token_urlsafe(32)
        speaking = self.words(language or self.page_language(request))
        response = self.templates.TemplateResponse(
            request,
            name,
            {**context, **speaking, "csrf": token},
            status_code=200 if refused is None else http_status(refused),
            headers=None if refused is None else refusal_headers(refused),
        )
        if token != cookie:
            response.set_cookie(
                csrf_cookie_name(self.settings),
                token,
                path="/",
                httponly=True,
                samesite="strict",
                secure=self.settings.secure_cookies,
            )
        return response

    def error_page(self, request: Request, error: KinboardError) -> Response:
        message = self.refusal(request, error)
        return self.page(request, "error.html", refused=error, message=message)

    # --- the one answer to every refusal, in the asker's language ---

    def refusal(self, request: Request, error: KinboardError) -> str:
        """What a refusal says, in the asker's language (a page's form shows it too)."""
        return i18n.refusal(error, asker_language(request.headers))

    async def refused(self, request: Request, error: Exception) -> Response:
        """Any `KinboardError` a handler raises: JSON under /api/, the error page elsewhere."""
        assert isinstance(error, KinboardError)
        if request.url.path.startswith("/api/"):
            return http_error(error, asker_language(request.headers))
        return self.error_page(request, error)

    async def crashed(self, request: Request, error: Exception) -> Response:
        """A bug: answered `internal` (asking again will not help); Starlette logs it."""
        return await self.refused(request, Internal("Something went wrong on the server."))

    async def form(self, request: Request) -> FormData:
        """A posted form from one of our own pages, or Forbidden. The CSRF token is what
        proves it; a foreign `Origin` is refused outright. (Browsers send `Origin: null`
        for our own forms, because our pages ask for no referrer.)"""
        origin = request.headers.get("origin")
        if origin not in (None, "null") and not origin_allowed(self.settings, origin):
            raise Forbidden("Please use the form on this site.")
        try:
            form = await request.form()
        except HTTPException:  # Starlette could not read it as a form
            raise Invalid(NOT_OUR_FORM) from None
        # Our forms upload no files, and carry only text (a charset a client chose can
        # make any string of one).
        for name, value in form.multi_items():
            if not isinstance(value, str) or not (parsing.is_text(name) and parsing.is_text(value)):
                raise Invalid(NOT_OUR_FORM)
        cookie = cookie_value(request.headers.get("cookie"), csrf_cookie_name(self.settings))
        if not csrf_matches(cookie, form.get("csrf")):
            raise Forbidden(
                "This page was open too long. Please go back, reload it, and try again."
            )
        return form

    def same_site(self, request: Request) -> None:
        """Refuse a change asked for by another site's page (browsers always send `Origin`
        with such requests), even one with no body, which needs no CORS preflight."""
        origin = request.headers.get("origin")
        if origin is not None and not origin_allowed(self.settings, origin):
            raise Forbidden("Requests from other sites are not accepted.")

    async def json_body(self, request: Request) -> dict[str, Any]:
        """A JSON object, from our own pages (same origin) or an integration."""
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Invalid("Send JSON, with Content-Type: application/json.")
        self.same_site(request)
        body = await request.body()  # at most 64 KiB: BodyLimit has read it
        data = parsing.read_json(body)
        if not isinstance(data, dict):
            raise Invalid("Send a JSON object.")
        return data

    def set_cookie(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
        )

    # --- who is asking ---

    async def integration(self, request: Request, scope: Scope) -> IntegrationKey | None:
        """The integration key the request carries, allowed `scope` (every route that takes
        a key names the scope it needs); None without one. Unauthorized for an unknown or
        revoked key, Forbidden for a key without the scope."""
        key = await self.services.keys.find(request.headers.get("authorization"))
        if key is not None and not key.allows(scope):
            if scope is Scope.EVERYTHING:
                raise Forbidden("Only KINBOARD_API_KEY can do this, not an integration key.")
            raise Forbidden(
                "This integration key does not have the scope {scope}.", scope=scope.value
            )
        return key

    def staff_token(self, request: Request) -> str | None:
        return cookie_value(request.headers.get("cookie"), staff_cookie_name(self.settings))

    async def staff_session(self, request: Request) -> StaffSession | None:
        return await self.staff.session(self.staff_token(request))

    async def auth(self, request: Request, meeting_id: str, scope: Scope) -> Auth:
        """Who is asking about this meeting; a key must have `scope`."""
        key = await self.integration(request, scope)
        if key is not None:
            return Auth(key=key)
        token = session_token_from_cookies(self.settings, request.headers.get("cookie"), meeting_id)
        session = await self.services.sessions.find(token, meeting_id)
        staff = await self.staff_session(request)
        if staff is not None and staff.email in await self.staff.meeting_staff(meeting_id):
            return Auth(session=session, staff=staff.email)
        return Auth(session=session)

    async def readable(self, meeting_id: str, auth: Auth) -> tuple[Board, int]:
        """The board and seq, for someone allowed to read it. Once the meeting has closed,
        only its staff (and the API key) read the board; the family read "Our plan"
        (`plan_readable`)."""
        board, seq = await self._board(meeting_id, auth)
        if board.meeting.status is Status.CLOSED and not auth.staff_or_key:
            raise Closed("This meeting has ended. What was agreed is on the page “Our plan”.")
        return board, seq

    async def plan_readable(self, meeting_id: str, auth: Auth) -> Board:
        """The board, for reading its agreed plan: by its staff, the API key, or one of the
        family (a parent, child or family friend still in the meeting, or someone who
        opened a family member's own link after it closed)."""
        board, _ = await self._board(meeting_id, auth)
        if auth.staff_or_key:
            return board
        assert auth.session is not None
        me = board.participants.get(auth.session.participant_id)
        if me is None:
            allowed = auth.session.participant_id == plan_reader(auth.session.link_id)
        else:
            allowed = not me.removed and me.role in PLAN_READERS
        if not allowed:
            raise Forbidden("This plan is kept for the family.")
        return board

    async def plan_reader(self, request: Request) -> tuple[Auth, Board]:
        """Who asks for "Our plan" (or its easy read), and the board, for someone who may read
        the plan (`plan_readable`)."""
        meeting_id = request.path_params["meeting_id"]
        auth = await self.auth(request, meeting_id, Scope.MINUTES_READ)
        try:
            return auth, await self.plan_readable(meeting_id, auth)
        except Forbidden:
            raise Forbidden(
                "To see your plan, please open the link the facilitator gave you."
            ) from None

    async def _board(self, meeting_id: str, auth: Auth) -> tuple[Board, int]:
        if not auth.staff_or_key and (
            auth.session is None or auth.session.meeting_id != meeting_id
        ):
            raise Forbidden("You are not part of this meeting.")
        try:
            return await self.services.boards.load(meeting_id)
        except NotFound:
            if auth.staff_or_key:
                raise
            raise Forbidden("You are not part of this meeting.") from None

    @staticmethod
    def participant(board: Board, auth: Auth) -> Participant | None:
        """The asker as a participant of this board, if they are one (still in it)."""
        me = board.participants.get(auth.session.participant_id) if auth.session else None
        return me if me is not None and not me.removed else None

    def meeting_page_language(self, request: Request, board: Board, auth: Auth) -> i18n.Language:
        """A meeting's page for its reader: a participant's own language (chosen on
        joining or on the board), the room screen's the meeting's (the facilitator sets
        it); anyone not in the meeting, their browser's."""
        me = self.participant(board, auth)
        if me is None:
            return self.page_language(request)
        return i18n.BY_CODE[board.meeting.language if me.role is Role.VIEWER else me.language]

    def document_language(self, request: Request, board: Board, auth: Auth) -> i18n.Language:
        """The minutes and "Our plan" are in the meeting's language, the record the
        meeting keeps; a family member's own copy in their own: their participant's, or
        after the meeting (a family link's plan-only session), the one their browser chose
        on joining."""
        me = self.participant(board, auth)
        if me is not None and me.role in PLAN_READERS:
            return i18n.BY_CODE[me.language]
        if me is None and not auth.staff_or_key:
            return self.page_language(request)
        return i18n.BY_CODE[board.meeting.language]

    @staticmethod
    def viewer(board: Board, auth: Auth) -> Viewer:
        """Whom the visibility rule reads for: staff and keys as a facilitator, a participant
        as themselves; anyone not on the board (a family link's plan-only session) sees only
        what everyone may see."""
        if auth.staff_or_key:
            return STAFF
        me = board.participants.get(auth.session.participant_id) if auth.session else None
        return me.viewer if me is not None else ANYONE

    async def facilitated(self, meeting_id: str, auth: Auth, refusal: Msgid) -> Board:
        """The board, for the meeting's facilitator, its staff or the API key; else
        Forbidden with `refusal` ("Only the facilitator can ...")."""
        board, _ = await self.readable(meeting_id, auth)
        if not auth.staff_or_key:
            assert auth.session is not None
            me = board.participants.get(auth.session.participant_id)
            if me is None or me.role is not Role.FACILITATOR:
                raise Forbidden(refusal)
        return board

    def client_address(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"
