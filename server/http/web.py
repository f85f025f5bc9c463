"""What every HTTP handler shares: pages, JSON bodies, cookies, forms with CSRF tokens, and
who is asking."""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..board.errors import Forbidden, Internal, Invalid, KinboardError
from ..meetings import Auth, Meetings
from ..security import (
    RateLimiter,
    api_key_matches,
    cookie_value,
    csrf_cookie_name,
    csrf_matches,
    origin_allowed,
    session_token_from_cookies,
    staff_cookie_name,
)
from ..settings import Settings
from ..staff import Staff, StaffSession
from .replies import http_error, http_status

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MAX_BODY = 64 * 1024


class Web:
    def __init__(self, settings: Settings, meetings: Meetings, staff: Staff) -> None:
        self.settings = settings
        self.meetings = meetings
        self.staff = staff
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.templates.env.filters["long_date"] = long_date
        # Joining (and asking about a link) per address: a burst, then one every 5 s, so
        # nobody can try tokens by the thousand.
        self.join_limiter = RateLimiter(
            burst=settings.join_burst,
            per_second=0.2,
            message="Too many tries from here. Please wait a minute and try again.",
        )

    # --- pages ---

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        """A page; one with a form gets a CSRF token, set as a cookie the first time."""
        cookie = cookie_value(request.headers.get("cookie"), csrf_cookie_name(self.settings))
        token = cookie if cookie and len(cookie) >= 20 else secrets.token_urlsafe(32)
        response = self.templates.TemplateResponse(
            request, name, {**context, "csrf": token}, status_code=status
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
        return self.page(request, "error.html", status=http_status(error), message=error.message)

    # --- the one answer to every refusal ---

    async def refused(self, request: Request, error: Exception) -> Response:
        """Any `KinboardError` a handler raises: JSON under /api/, the error page elsewhere."""
        assert isinstance(error, KinboardError)
        if request.url.path.startswith("/api/"):
            return http_error(error)
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
        form = await request.form()
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
        body = await request.body()
        if len(body) > MAX_BODY:
            raise Invalid("That request is too large.")
        try:
            data = json.loads(body)
        except ValueError:
            raise Invalid("That is not valid JSON.") from None
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

    def has_api_key(self, request: Request) -> bool:
        return api_key_matches(self.settings, request.headers.get("authorization"))

    def staff_token(self, request: Request) -> str | None:
        return cookie_value(request.headers.get("cookie"), staff_cookie_name(self.settings))

    async def staff_session(self, request: Request) -> StaffSession | None:
        return await self.staff.session(self.staff_token(request))

    async def auth(self, request: Request, meeting_id: str) -> Auth:
        if self.has_api_key(request):
            return Auth(api_key=True)
        token = session_token_from_cookies(self.settings, request.headers.get("cookie"), meeting_id)
        session = await self.meetings.session(token, meeting_id)
        staff = await self.staff_session(request)
        if staff is not None and staff.email in await self.staff.meeting_staff(meeting_id):
            return Auth(session=session, staff=staff.email)
        return Auth(session=session)

    def client_address(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"


def long_date(value: str | None) -> str:
    """ "2026-11-27..." as "27 November 2026": how people write dates."""
    if not value:
        return ""
    day = date.fromisoformat(value[:10])
    return f"{day.day} {day:%B %Y}"
