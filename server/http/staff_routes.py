"""Staff pages: signing in and out, the first account's set-up, the meeting list, starting,
opening and sharing meetings."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..board.errors import Forbidden, KinboardError, Unauthorized
from ..security import cookie_name, staff_cookie_name
from ..staff import LONGEST_SECONDS
from .replies import http_status, json_ok
from .web import Web


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
            Route("/api/meetings/{meeting_id}/share", self.api_share, methods=["POST"]),
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
            return self.web.page(
                request, "signin.html", status=http_status(error), message=error.message
            )
        # A fresh session at every sign-in: end whatever session this browser had.
        await self.staff.sign_out(self.web.staff_token(request))
        return self._signed_in(token)

    async def signout(self, request: Request) -> Response:
        await self.web.form(request)
        await self.staff.sign_out(self.web.staff_token(request))
        response = self._to_signin()
        response.delete_cookie(
            staff_cookie_name(self.settings),
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
            return self.web.page(
                request, "setup.html", status=http_status(error), message=error.message
            )
        return self._signed_in(token)

    # --- meetings ---

    async def home(self, request: Request) -> Response:
        session = await self.web.staff_session(request)
        if session is None:
            return self._to_signin()
        mine = await self.staff.meetings_of(session.email)
        meetings = await self.services.boards.meetings(mine)
        return self.web.page(request, "home.html", meetings=meetings, staff=session.email)

    async def create_from_form(self, request: Request) -> Response:
        """The home page's "New meeting" form: the creator becomes its facilitator."""
        session = await self.web.staff_session(request)
        if session is None:
            return self._to_signin()
        form = await self.web.form(request)
        meeting = await self.services.meetings.create(
            form.get("title"), form.get("vocabulary"), form.get("kind")
        )
        await self.staff.add_to_meeting(meeting.id, session.email)
        return await self._enter(meeting.id, form.get("name") or session.email)

    async def open_meeting(self, request: Request) -> Response:
        """A staff member with the meeting opens its board as a facilitator."""
        session = await self.web.staff_session(request)
        if session is None:
            return self._to_signin()
        meeting_id = request.path_params["meeting_id"]
        await self.web.form(request)
        if session.email not in await self.staff.meeting_staff(meeting_id):
            raise Forbidden("This meeting has not been shared with you.")
        return await self._enter(meeting_id, session.email)

    async def _enter(self, meeting_id: str, name: Any) -> Response:
        """Come in as the facilitator, under `name` as posted (`as_facilitator` checks it)."""
        joined = await self.services.joining.as_facilitator(meeting_id, name)
        response = RedirectResponse(f"/m/{meeting_id}", status_code=303)
        self.web.set_cookie(
            response,
            cookie_name(self.settings, meeting_id),
            joined.session_token,
            self.settings.session_hours * 3600,
        )
        return response

    async def api_share(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        session = await self.web.staff_session(request)
        if session is None:
            raise Unauthorized("Please sign in.")
        data = await self.web.json_body(request)
        await self.staff.share(meeting_id, session.email, data.get("email"))
        return json_ok({"staff": await self.staff.meeting_staff(meeting_id)})
