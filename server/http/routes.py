"""HTTP: the pages (Jinja2) and the JSON API. Handlers parse, call the services, reply."""

from __future__ import annotations

import dataclasses
import io
import re
from typing import Any

import segno
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import documents, i18n, minutes_markdown, plans
from ..board import codec, wire
from ..board.errors import N_, Closed, Forbidden, KinboardError, NotFound, Unauthorized
from ..board.languages import language_code
from ..board.model import Board, LinkKind, Minutes, MinutesStatus, Snapshot
from ..board.roles import SELF_CHOSEN_ROLES, Role
from ..board.template import ROLE_LABELS
from ..clock import iso
from ..families import FamilyChoice
from ..keys import Scope
from ..security import cookie_name
from .replies import json_ok
from .web import Auth, Web

LANGUAGE_KEPT = 365 * 24 * 3600  # seconds a browser keeps its chosen language
# A path on this site to go back to: not "//host" nor "/\\host", which leave it.
LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\\]*")


class Routes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.settings = web.settings
        self.services = web.services

    def routes(self) -> list[Route]:
        return [
            Route("/join", self.join_page),
            Route("/language", self.choose_language, methods=["POST"]),
            Route("/m/{meeting_id}", self.board_page),
            Route("/m/{meeting_id}/display", self.display_page),
            Route("/m/{meeting_id}/houses", self.houses_page),
            Route("/m/{meeting_id}/plan", self.plan_page),
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
            Route("/print/plan.css", self.plan_css),
            Route("/api/join/preview", self.api_join_preview, methods=["POST"]),
            Route("/api/join", self.api_join, methods=["POST"]),
        ]

    def _set_session_cookie(self, response: Response, meeting_id: str, token: str) -> None:
        self.web.set_cookie(
            response,
            cookie_name(self.settings, meeting_id),
            token,
            self.settings.session_hours * 3600,
        )

    # --- pages ---

    async def join_page(self, request: Request) -> Response:
        return self.web.page(
            request,
            "join.html",
            languages=i18n.LANGUAGES,
            chosen_language=self.web.page_language(request).code,
        )

    async def choose_language(self, request: Request) -> Response:
        """The language of this browser's pages (the `kinboard-lang` cookie), from a form
        with `language` and `next`, the page on this site to go back to. An unknown
        language is refused and changes nothing."""
        form = await self.web.form(request)
        code = language_code(form.get("language"))
        back = form.get("next")
        target = back if isinstance(back, str) and LOCAL_PATH.fullmatch(back) else "/"
        response = RedirectResponse(target, status_code=303)
        self.web.set_cookie(response, i18n.COOKIE, code, LANGUAGE_KEPT)
        return response

    async def _meeting_page(self, request: Request, template: str) -> Response:
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, Scope.EVERYTHING)
        try:
            board, _ = await self.web.readable(meeting_id, auth)
        except Closed:
            # After the meeting, the family's way back in shows them what was agreed.
            return RedirectResponse(f"/m/{meeting_id}/plan", status_code=303)
        except Forbidden:
            raise Forbidden(
                "To see this board, please open the link the facilitator gave you."
            ) from None
        # The meeting's staff are offered who has the meeting (nobody else may see it).
        return self.web.page(
            request,
            template,
            language=self.web.meeting_page_language(request, board, auth),
            meeting_id=meeting_id,
            title=board.meeting.title,
            staff=auth.staff is not None,
        )

    async def board_page(self, request: Request) -> Response:
        return await self._meeting_page(request, "board.html")

    async def display_page(self, request: Request) -> Response:
        return await self._meeting_page(request, "display.html")

    async def houses_page(self, request: Request) -> Response:
        """The child's three houses: the page a child's link opens."""
        return await self._meeting_page(request, "houses.html")

    async def plan_page(self, request: Request) -> Response:
        """ "Our plan": the plan of the latest agreed minutes, in the family's words, read
        only; after the meeting has closed too, until it is purged."""
        auth, board = await self.web.plan_reader(request)
        language = self.web.document_language(request, board, auth)
        view = plans.plan_view(board, self.web.viewer(board, auth), language.code)
        if view is not None:
            await self.services.audit.record_once_a_minute(
                board.meeting.id, "plan.viewed", by=auth.who, minutes=view["number"]
            )
        purge_at = self.services.retention.purge_at(board.meeting)
        return self.web.page(
            request,
            "plan.html",
            language=language,
            meeting=board.meeting,
            plan=view,
            language_name=documents.language_name,
            kept_until=iso(purge_at) if purge_at is not None else None,
            staff=auth.staff is not None,
        )

    async def qr_code(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, Scope.EVERYTHING)
        url = await self._family_link(meeting_id, auth)
        if url is None:
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
        svg = io.BytesIO()
        segno.make(url, error="m").save(svg, kind="svg", xmldecl=False, scale=8, border=2)
        return Response(
            svg.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
        )

    async def _family_link(self, meeting_id: str, auth: Auth) -> str | None:
        """The family link, for its QR code: for the facilitator and the meeting-room
        screen only, not for someone invited by a link of their own to pass on."""
        board, _ = await self.web.readable(meeting_id, auth)
        if not auth.staff_or_key:
            assert auth.session is not None
            me = board.participants.get(auth.session.participant_id)
            if me is None or me.removed or me.role not in (Role.FACILITATOR, Role.VIEWER):
                raise Forbidden("Only the facilitator and the meeting-room screen show this.")
        return (await self.services.links.urls(meeting_id)).get(LinkKind.PARTICIPANT.value)

    # --- health ---

    async def healthz(self, request: Request) -> Response:
        return json_ok({"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        try:
            await self.services.ping()
        except KinboardError as error:
            return json_ok({"status": "unavailable", "reason": error.message}, status=503)
        if self.services.boards.saving_fails():
            reason = "Changes cannot be saved: the store refuses to write them (see the log)."
            return json_ok({"status": "unavailable", "reason": reason}, status=503)
        if not self.services.broadcaster.broadcasting():
            reason = "This worker does not receive the other workers' changes (Redis pub/sub)."
            return json_ok({"status": "unavailable", "reason": reason}, status=503)
        return json_ok({"status": "ready"})

    # --- JSON API ---

    async def api_create(self, request: Request) -> Response:
        key = await self.web.integration(request, Scope.MEETINGS_CREATE)
        staff = None if key is not None else await self.web.staff_session(request)
        if staff is None and key is None:
            raise Unauthorized(
                "Starting a meeting needs a signed-in staff member or the API key "
                "(Authorization: Bearer <key>)."
            )
        data = await self.web.json_body(request)
        meeting = await self.services.meetings.create(
            data.get("title"),
            data.get("vocabulary"),
            data.get("kind"),
            FamilyChoice.from_json(data),
            staff.email if staff is not None else None,
        )
        return await self._started(meeting.id)

    async def _started(self, meeting_id: str) -> Response:
        links = await self.services.links.urls(meeting_id)
        family = await self.services.families.family_of(meeting_id)
        return json_ok({"id": meeting_id, "family_id": family, "links": links}, status=201)

    async def api_meeting(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, Scope.MEETINGS_READ)
        board, seq = await self.web.readable(meeting_id, auth)
        answer = {"seq": seq, **wire.encode_board(board, self.web.viewer(board, auth))}
        if auth.staff_or_key:
            # For staff pages: when it is erased, or closes for being idle.
            outlook = await self.services.retention.outlook(board.meeting)
            answer["retention"] = dataclasses.asdict(outlook)
        return json_ok(answer)

    async def api_links(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, Scope.MEETINGS_READ)
        await self.web.facilitated(
            meeting_id, auth, N_("Only the facilitator can see the meeting's links.")
        )
        links = await self.services.links.urls(meeting_id)
        return json_ok(links)

    async def api_join_preview(self, request: Request) -> Response:
        self.web.join_limiter.check(self.web.client_address(request), self.services.clock())
        data = await self.web.json_body(request)
        link, meeting = await self.services.joining.preview(data.get("token"))
        return json_ok(
            {
                "meeting": {"id": meeting.id, "title": meeting.title, "status": meeting.status},
                "link": link.kind.value,
                "roles": {role.value: ROLE_LABELS[role] for role in SELF_CHOSEN_ROLES},
                # A per-person link says who it is for: the join page only confirms.
                "person": {"name": link.name, "role": link.role.value}
                if link.kind is LinkKind.PERSON and link.role
                else None,
            }
        )

    async def api_join(self, request: Request) -> Response:
        self.web.join_limiter.check(self.web.client_address(request), self.services.clock())
        data = await self.web.json_body(request)
        joined = await self.services.joining.join(
            data.get("token"),
            data.get("name"),
            data.get("role"),
            request.headers.get("cookie"),
            # The join page sends the one chosen; a client that sends none gets its browser's.
            data.get("language", i18n.negotiate(request.headers.get("accept-language"))),
        )
        if joined.participant is None:
            response = json_ok(
                {"meeting_id": joined.meeting_id, "board_url": f"/m/{joined.meeting_id}/plan"}
            )
            self._set_session_cookie(response, joined.meeting_id, joined.session_token)
            return response
        suffix = "/display" if joined.link_kind is LinkKind.DISPLAY else ""
        if joined.participant.role is Role.CHILD:
            suffix = "/houses"
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
        # Their next pages and refusals, before and after this meeting, are in it too.
        self.web.set_cookie(response, i18n.COOKIE, joined.participant.language, LANGUAGE_KEPT)
        return response

    # --- minutes ---

    async def _minutes_view(self, request: Request, event: str, **fields: Any) -> dict[str, Any]:
        """The minutes, for someone allowed to read them; the reading is in the audit log
        (once a minute for the same person, minutes and format)."""
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, Scope.MINUTES_READ)
        number = request.path_params["number"]
        board, minutes, snapshot = await self._minutes_document(meeting_id, number, auth)
        await self.services.audit.record_once_a_minute(
            meeting_id, event, by=auth.who, minutes=number, **fields
        )
        viewer = self.web.viewer(board, auth)
        language = self.web.document_language(request, board, auth)
        return documents.minutes_view(minutes, snapshot.body, viewer, language)

    async def _minutes_document(
        self, meeting_id: str, number: int, auth: Auth
    ) -> tuple[Board, Minutes, Snapshot]:
        try:
            board, _ = await self.web.readable(meeting_id, auth)
            agreed_only = False
        except Closed:
            # After the meeting, the family read the minutes they agreed, and only those.
            board = await self.web.plan_readable(meeting_id, auth)
            agreed_only = True
        minutes = board.minutes.get(str(number))
        snapshot = board.snapshots.get(str(number))
        if (
            minutes is None
            or snapshot is None
            or (agreed_only and minutes.status is not MinutesStatus.AGREED)
        ):
            raise NotFound("There are no minutes number {number} for this meeting.", number=number)
        return board, minutes, snapshot

    def _minutes_html(self, view: dict[str, Any], for_pdf: bool) -> str:
        base = f"/m/{view['meeting']['id']}/minutes/{view['number']}"
        return self.web.templates.get_template("minutes.html").render(
            **view, for_pdf=for_pdf, file_base=base
        )

    async def minutes_page(self, request: Request) -> Response:
        view = await self._minutes_view(request, "minutes.viewed")
        return HTMLResponse(self._minutes_html(view, for_pdf=False))

    async def minutes_file(self, request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("pdf", "json", "md"):
            raise NotFound("Minutes come as .pdf, .json or .md.")
        view = await self._minutes_view(request, "minutes.downloaded", format=fmt)
        if fmt == "pdf":
            html = self._minutes_html(view, for_pdf=True)
            body: bytes | str = await self.web.pdfs.pdf(
                view["meeting"]["id"], html, self.settings.base_url
            )
            media = "application/pdf"
        elif fmt == "json":
            body, media = documents.to_json(view), "application/json"
        else:
            body, media = minutes_markdown.to_markdown(view), "text/markdown; charset=utf-8"
        name = documents.file_name(
            view["meeting"]["title"], view["taken_at"], f"minutes-{view['number']}", fmt
        )
        disposition = f'attachment; filename="{name}"'
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
        )

    async def minutes_css(self, request: Request) -> Response:
        return FileResponse(documents.STYLESHEET, media_type="text/css")

    async def plan_css(self, request: Request) -> Response:
        return FileResponse(plans.PLAN_STYLESHEET, media_type="text/css")

    async def api_minutes(self, request: Request) -> Response:
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, Scope.MINUTES_READ)
        board, _ = await self.web.readable(meeting_id, auth)
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
        self.web.same_site(request)
        auth = await self.web.auth(request, meeting_id, Scope.MEETINGS_CREATE)
        board = await self.web.facilitated(
            meeting_id, auth, N_("Only the facilitator can start the review meeting.")
        )
        meeting = await self.services.meetings.create_review(board)
        return await self._started(meeting.id)
