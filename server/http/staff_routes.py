"""Staff pages: signing in and out, the first account's set-up, the meeting list, starting,
opening and sharing meetings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..board import parsing
from ..board.errors import Forbidden, KinboardError, Unauthorized
from ..board.template import OUTCOME_LABELS
from ..clock import iso
from ..families import FamilyChoice
from ..security import cookie_name, csrf_cookie_name, staff_cookie_name
from ..staff import LONGEST_SECONDS, StaffSession
from .replies import json_ok
from .web import Web

# The name offered to a staff member who has not chosen one yet: never their e-mail.
DEFAULT_NAME = "Facilitator"


class StaffRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.services = web.services
        self.staff = web.services.staff
        self.settings = web.settings

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home),
            Route("/signin", self.signin_page),
            Route("/signin", self.signin, methods=["POST"]),
            Route("/signout", self.signout, methods=["POST"]),
            Route("/setup", self.setup_page),
            Route("/setup", self.setup, methods=["POST"]),
            Route("/meetings", self.create_from_form, methods=["POST"]),
            Route("/m/{meeting_id}/open", self.open_meeting, methods=["POST"]),
            Route("/api/meetings/{meeting_id}/share", self.api_shared_with),
            Route("/api/meetings/{meeting_id}/share", self.api_share, methods=["POST"]),
            Route("/api/meetings/{meeting_id}/share/{email}", self.api_unshare, methods=["DELETE"]),
        ]

    def _to_signin(self) -> Response:
        return RedirectResponse("/signin", status_code=303)

    def _signed_in(self, token: str) -> Response:
        response = RedirectResponse("/", status_code=303)
        self.web.set_cookie(response, staff_cookie_name(self.settings), token, LONGEST_SECONDS)
        return response

    # --- signing in and out ---

    async def signin_page(self, request: Request) -> Response:
        return self.web.page(request, "signin.html")

    async def signin(self, request: Request) -> Response:
        try:
            form = await self.web.form(request)
            address = self.web.client_address(request)
            token = await self.staff.sign_in(form.get("email"), form.get("password"), address)
        except KinboardError as error:
            message = self.web.refusal(request, error)
            return self.web.page(request, "signin.html", refused=error, message=message)
        # A fresh session at every sign-in: end whatever session this browser had.
        await self.staff.sign_out(self.web.staff_token(request))
        return self._signed_in(token)

    async def signout(self, request: Request) -> Response:
        await self.web.form(request)
        await self.staff.sign_out(self.web.staff_token(request))
        response = self._to_signin()
        # The meetings opened here end with the staff session; their cookies go too, so
        # that the next person at a shared computer finds nothing of them.
        prefix, kept = cookie_name(self.settings, ""), csrf_cookie_name(self.settings)
        ours = {n for n in request.cookies if n.startswith(prefix) and n != kept}
        for name in sorted({staff_cookie_name(self.settings), *ours}):
            response.delete_cookie(
                name,
                path="/",
                secure=self.settings.secure_cookies,
                httponly=True,
                samesite="lax",
            )
        return response

    async def setup_page(self, request: Request) -> Response:
        return self.web.page(request, "setup.html")

    async def setup(self, request: Request) -> Response:
        try:
            form = await self.web.form(request)
            password = form.get("password")
            member = await self.staff.set_up(form.get("code"), form.get("email"), password)
            address = self.web.client_address(request)
            token = await self.staff.sign_in(member.email, password, address)
        except KinboardError as error:
            message = self.web.refusal(request, error)
            return self.web.page(request, "setup.html", refused=error, message=message)
        return self._signed_in(token)

    # --- meetings ---

    async def home(self, request: Request) -> Response:
        session = await self.web.staff_session(request)
        if session is None:
            return self._to_signin()
        families = self.services.families
        query = request.query_params
        listed = await families.page(session.email, query.get("q"), query.get("page"))
        chosen = query.get("family")
        member = await self.staff.find(session.email)
        retention = self.services.retention
        return self.web.page(
            request,
            "home.html",
            listed=listed,
            # When each closed meeting's records are deleted, as ISO times.
            purge_dates={
                meeting.meeting_id: iso(retention.purge_after(meeting.closed_at))
                for item in listed.families
                for meeting in item.meetings
                if meeting.closed_at
            },
            # When each meeting not closed yet, and soon to close for being idle, does.
            idle_warnings=await retention.idle_warnings(
                [
                    meeting.meeting_id
                    for item in listed.families
                    for meeting in item.meetings
                    if not meeting.closed_at
                ]
            ),
            outcomes={outcome.value: words for outcome, words in OUTCOME_LABELS.items()},
            chosen=await families.readable(chosen, session.email) if chosen else None,
            staff=session.email,
            admin=member is not None and member.admin,
            offered=await self._name_to_offer(session.email),
        )

    async def _name_to_offer(self, email: str) -> str:
        member = await self.staff.find(email)
        return member.display_name if member and member.display_name else DEFAULT_NAME

    async def create_from_form(self, request: Request) -> Response:
        """The home page's "New meeting" form, for a family of theirs or a new one: the
        creator becomes its facilitator."""
        session = await self.web.staff_session(request)
        if session is None:
            return self._to_signin()
        form = await self.web.form(request)
        name = parsing.words(form.get("name") or DEFAULT_NAME, parsing.NAME)
        meeting = await self.services.meetings.create(
            form.get("title"),
            form.get("vocabulary"),
            form.get("kind"),
            FamilyChoice.from_form(form),
            session.email,
        )
        return await self._enter(meeting.id, session, name)

    async def open_meeting(self, request: Request) -> Response:
        """A staff member of the meeting (its owner, or a colleague it is shared with)
        opens its board as their one facilitator participant, at any time while it
        exists, whatever became of its links. The first time, they say how the family
        will see them."""
        session = await self.web.staff_session(request)
        if session is None:
            return self._to_signin()
        meeting_id = request.path_params["meeting_id"]
        form = await self.web.form(request)
        if session.email not in await self.staff.meeting_staff(meeting_id):
            raise Forbidden("This meeting has not been shared with you.")
        board, _ = await self.services.boards.load(meeting_id)
        joining = self.services.joining
        if joining.staff_participant(meeting_id, session.email) in board.participants:
            return await self._enter(meeting_id, session, None)
        try:
            name = parsing.words(form.get("name"), parsing.NAME)
        except KinboardError as error:
            asked = form.get("name") is not None
            return self.web.page(
                request,
                "open.html",
                refused=error if asked else None,
                message=self.web.refusal(request, error) if asked else None,
                meeting_id=meeting_id,
                title=board.meeting.title,
                offered=await self._name_to_offer(session.email),
            )
        return await self._enter(meeting_id, session, name)

    async def _enter(self, meeting_id: str, session: StaffSession, name: str | None) -> Response:
        """Into the board, with a meeting session bound to this staff session."""
        token = await self.services.joining.as_staff(
            meeting_id,
            session.email,
            name,
            session.token_hash,
            session.created_at + LONGEST_SECONDS,
        )
        if name is not None:
            await self.staff.keep_display_name(session.email, name)
        response = RedirectResponse(f"/m/{meeting_id}", status_code=303)
        self.web.set_cookie(
            response,
            cookie_name(self.settings, meeting_id),
            token,
            self.settings.session_hours * 3600,
        )
        return response

    # --- sharing ---

    async def _signed_in_staff(self, request: Request) -> StaffSession:
        session = await self.web.staff_session(request)
        if session is None:
            raise Unauthorized("Please sign in.")
        return session

    async def _sharing(self, meeting_id: str, session: StaffSession) -> Response:
        """Who has the meeting (its owner first), whether the caller started it, and its
        family (which its owner may share whole)."""
        staff = await self.staff.meeting_staff(meeting_id)
        return json_ok(
            {
                "staff": staff,
                "started_by_you": staff[:1] == [session.email],
                "family_id": await self.services.families.family_of(meeting_id),
            }
        )

    async def api_shared_with(self, request: Request) -> Response:
        session = await self._signed_in_staff(request)
        meeting_id = request.path_params["meeting_id"]
        if session.email not in await self.staff.meeting_staff(meeting_id):
            raise Forbidden("This meeting has not been shared with you.")
        return await self._sharing(meeting_id, session)

    async def api_share(self, request: Request) -> Response:
        session = await self._signed_in_staff(request)
        meeting_id = request.path_params["meeting_id"]
        data = await self.web.json_body(request)
        email = await self.staff.share(meeting_id, session.email, data.get("email"))
        await self.services.audit.record(meeting_id, "staff.shared", by=session.email, staff=email)
        # The colleague finds its family in their list from now on.
        await self.services.families.list_for(meeting_id, email)
        return await self._sharing(meeting_id, session)

    async def api_unshare(self, request: Request) -> Response:
        self.web.same_site(request)
        session = await self._signed_in_staff(request)
        meeting_id = request.path_params["meeting_id"]
        email = await self.staff.unshare(meeting_id, session.email, request.path_params["email"])
        # Their way in goes with it: the meeting sessions they opened it with, and sockets.
        participant = self.services.joining.staff_participant(meeting_id, email)
        await self.services.sessions.end(meeting_id, participant_id=participant)
        await self.services.meetings.unshared(meeting_id, email)
        await self.services.audit.record(
            meeting_id, "staff.unshared", by=session.email, staff=email
        )
        return await self._sharing(meeting_id, session)
