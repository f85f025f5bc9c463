"""HTTP: the pages (Jinja2) and the JSON API. Handlers parse, call the services, reply."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import segno
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from . import documents
from .board import codec
from .board.errors import Forbidden, Invalid, KinboardError, NotFound, Unauthorized
from .board.model import ROLE_LABELS, SELF_CHOSEN_ROLES, LinkKind, Vocabulary
from .meetings import Auth, Meetings
from .replies import http_error, http_status, json_ok
from .security import api_key_matches, cookie_name, origin_allowed, session_token_from_cookies
from .settings import Settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MAX_BODY = 64 * 1024


class Routes:
    def __init__(
        self, settings: Settings, meetings: Meetings, broadcasting: Callable[[], bool]
    ) -> None:
        self.settings = settings
        self.meetings = meetings
        self.broadcasting = broadcasting
        self.templates = Jinja2Templates(directory=str(TEMPLATES))

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home),
            Route("/meetings", self.create_from_form, methods=["POST"]),
            Route("/join", self.join_page),
            Route("/m/{meeting_id}", self.board_page),
            Route("/m/{meeting_id}/display", self.display_page),
            Route("/m/{meeting_id}/qr.svg", self.qr_code),
            Route("/healthz", self.healthz),
            Route("/readyz", self.readyz),
            Route("/api/meetings", self.api_create, methods=["POST"]),
            Route("/api/meetings/{meeting_id}", self.api_meeting),
            Route("/api/meetings/{meeting_id}/links", self.api_links),
            Route("/api/meetings/{meeting_id}/minutes", self.api_minutes),
            Route("/api/meetings/{meeting_id}/review", self.api_review, methods=["POST"]),
            Route("/m/{meeting_id}/minutes/{number:int}", self.minutes_page),
            Route("/m/{meeting_id}/minutes/{number:int}.{fmt}", self.minutes_file),
            Route("/print/minutes.css", self.minutes_css),
            Route("/api/join/preview", self.api_join_preview, methods=["POST"]),
            Route("/api/join", self.api_join, methods=["POST"]),
        ]

    # --- helpers ---

    def _page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def _error_page(self, request: Request, error: KinboardError) -> Response:
        return self._page(request, "error.html", status=http_status(error), message=error.message)

    async def _auth(self, request: Request, meeting_id: str) -> Auth:
        if api_key_matches(self.settings, request.headers.get("authorization")):
            return Auth(api_key=True)
        token = session_token_from_cookies(self.settings, request.headers.get("cookie"), meeting_id)
        return Auth(session=await self.meetings.session(token, meeting_id))

    def _require_api_key(self, request: Request) -> None:
        if self.settings.api_key and not api_key_matches(
            self.settings, request.headers.get("authorization")
        ):
            raise Unauthorized("This needs the API key: Authorization: Bearer <key>.")

    async def _json_body(self, request: Request) -> dict[str, Any]:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Invalid("Send JSON, with Content-Type: application/json.")
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

    def _set_session_cookie(self, response: Response, meeting_id: str, token: str) -> None:
        response.set_cookie(
            cookie_name(self.settings, meeting_id),
            token,
            max_age=self.settings.session_hours * 3600,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
        )

    # --- pages ---

    async def home(self, request: Request) -> Response:
        meetings = await self.meetings.store.list_meetings()
        return self._page(
            request, "home.html", meetings=meetings, vocabularies=[v.value for v in Vocabulary]
        )

    async def create_from_form(self, request: Request) -> Response:
        """The home page's "New meeting" form: the creator becomes the facilitator."""
        if not origin_allowed(self.settings, request.headers.get("origin")):
            return self._error_page(request, Forbidden("Please start the meeting from this site."))
        form = await request.form()
        try:
            meeting = await self.meetings.create(
                form.get("title"), form.get("vocabulary"), form.get("kind")
            )
            links = await self.meetings.store.meeting_links(meeting.id)
            facilitator = next(link for link in links if link.kind is LinkKind.FACILITATOR)
            joined = await self.meetings.join(
                self.meetings.keys.token(facilitator.id), form.get("name")
            )
        except KinboardError as error:
            return self._error_page(request, error)
        response = RedirectResponse(f"/m/{meeting.id}", status_code=303)
        self._set_session_cookie(response, meeting.id, joined.session_token)
        return response

    async def join_page(self, request: Request) -> Response:
        return self._page(request, "join.html")

    async def _meeting_page(self, request: Request, template: str) -> Response:
        meeting_id = request.path_params["meeting_id"]
        try:
            board, _ = await self.meetings.snapshot(
                meeting_id, await self._auth(request, meeting_id)
            )
        except KinboardError as error:
            if isinstance(error, Forbidden):
                error = Forbidden(
                    "To see this board, please open the link the facilitator gave you."
                )
            return self._error_page(request, error)
        return self._page(request, template, meeting_id=meeting_id, title=board.meeting.title)

    async def board_page(self, request: Request) -> Response:
        return await self._meeting_page(request, "board.html")

    async def display_page(self, request: Request) -> Response:
        return await self._meeting_page(request, "display.html")

    async def qr_code(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        try:
            await self.meetings.snapshot(meeting_id, await self._auth(request, meeting_id))
            url = (await self.meetings.link_urls(meeting_id)).get(LinkKind.PARTICIPANT.value)
        except KinboardError as error:
            return http_error(error)
        if url is None:
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
        svg = io.BytesIO()
        segno.make(url, error="m").save(svg, kind="svg", xmldecl=False, scale=8, border=2)
        return Response(
            svg.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
        )

    # --- health ---

    async def healthz(self, request: Request) -> Response:
        return json_ok({"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        try:
            await self.meetings.store.ping()
        except KinboardError as error:
            return json_ok({"status": "unavailable", "reason": error.message}, status=503)
        if not self.broadcasting():
            reason = "This worker does not receive the other workers' changes (Redis pub/sub)."
            return json_ok({"status": "unavailable", "reason": reason}, status=503)
        return json_ok({"status": "ready"})

    # --- JSON API ---

    async def api_create(self, request: Request) -> Response:
        try:
            self._require_api_key(request)
            data = await self._json_body(request)
            meeting = await self.meetings.create(
                data.get("title"), data.get("vocabulary"), data.get("kind")
            )
            links = await self.meetings.link_urls(meeting.id)
        except KinboardError as error:
            return http_error(error)
        return json_ok({"id": meeting.id, "links": links}, status=201)

    async def api_meeting(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        try:
            board, seq = await self.meetings.snapshot(
                meeting_id, await self._auth(request, meeting_id)
            )
        except KinboardError as error:
            return http_error(error)
        return json_ok({"seq": seq, **codec.encode_board(board)})

    async def api_links(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        try:
            auth = await self._auth(request, meeting_id)
            await self.meetings.facilitated(meeting_id, auth, "see the meeting's links")
            links = await self.meetings.link_urls(meeting_id)
        except KinboardError as error:
            return http_error(error)
        return json_ok(links)

    async def api_join_preview(self, request: Request) -> Response:
        try:
            data = await self._json_body(request)
            link, meeting = await self.meetings.preview(data.get("token"))
        except KinboardError as error:
            return http_error(error)
        return json_ok(
            {
                "meeting": {"id": meeting.id, "title": meeting.title},
                "link": link.kind.value,
                "roles": {role.value: ROLE_LABELS[role] for role in SELF_CHOSEN_ROLES},
            }
        )

    async def api_join(self, request: Request) -> Response:
        try:
            data = await self._json_body(request)
            joined = await self.meetings.join(data.get("token"), data.get("name"), data.get("role"))
        except KinboardError as error:
            return http_error(error)
        suffix = "/display" if joined.link_kind is LinkKind.DISPLAY else ""
        response = json_ok(
            {
                "meeting_id": joined.meeting_id,
                "participant": {
                    "id": joined.participant.id,
                    "name": joined.participant.name,
                    "role": joined.participant.role.value,
                },
                "board_url": f"/m/{joined.meeting_id}{suffix}",
            }
        )
        self._set_session_cookie(response, joined.meeting_id, joined.session_token)
        return response

    # --- minutes ---

    async def _minutes_view(self, request: Request) -> dict[str, Any]:
        meeting_id = request.path_params["meeting_id"]
        minutes, snapshot = await self.meetings.minutes_document(
            meeting_id, request.path_params["number"], await self._auth(request, meeting_id)
        )
        return documents.minutes_view(minutes, snapshot.body)

    def _minutes_html(self, view: dict[str, Any], for_pdf: bool) -> str:
        base = f"/m/{view['meeting']['id']}/minutes/{view['number']}"
        return self.templates.get_template("minutes.html").render(
            **view, for_pdf=for_pdf, file_base=base
        )

    async def minutes_page(self, request: Request) -> Response:
        try:
            view = await self._minutes_view(request)
        except KinboardError as error:
            return self._error_page(request, error)
        return HTMLResponse(self._minutes_html(view, for_pdf=False))

    async def minutes_file(self, request: Request) -> Response:
        fmt = request.path_params["fmt"]
        try:
            if fmt not in ("pdf", "json", "md"):
                raise NotFound("Minutes come as .pdf, .json or .md.")
            view = await self._minutes_view(request)
        except KinboardError as error:
            return http_error(error)
        if fmt == "pdf":
            html = self._minutes_html(view, for_pdf=True)
            body: bytes | str = await asyncio.to_thread(
                documents.to_pdf, html, self.settings.base_url
            )
            media = "application/pdf"
        elif fmt == "json":
            body, media = documents.to_json(view), "application/json"
        else:
            body, media = documents.to_markdown(view), "text/markdown; charset=utf-8"
        disposition = f'attachment; filename="{documents.file_name(view, fmt)}"'
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
        )

    async def minutes_css(self, request: Request) -> Response:
        return FileResponse(documents.STYLESHEET, media_type="text/css")

    async def api_minutes(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        try:
            board, _ = await self.meetings.snapshot(
                meeting_id, await self._auth(request, meeting_id)
            )
        except KinboardError as error:
            return http_error(error)
        listing = []
        for minutes in sorted(board.minutes.values(), key=lambda m: m.number):
            base = f"{self.settings.base_url}/m/{meeting_id}/minutes/{minutes.number}"
            listing.append(
                {
                    **codec.encode_entity(minutes),
                    "urls": {"html": base, **{f: f"{base}.{f}" for f in ("pdf", "json", "md")}},
                }
            )
        return json_ok({"minutes": listing})

    async def api_review(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        try:
            meeting = await self.meetings.create_review(
                meeting_id, await self._auth(request, meeting_id)
            )
            links = await self.meetings.link_urls(meeting.id)
        except KinboardError as error:
            return http_error(error)
        return json_ok({"id": meeting.id, "links": links}, status=201)
