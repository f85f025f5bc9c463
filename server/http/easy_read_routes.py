""" "Our plan in easy read": its page and its PDF, read by whoever may read "Our plan"
(`Web.plan_reader`), each as the visibility rule lets them see it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from .. import documents, plans
from ..board.errors import NotFound
from ..board.model import Board
from ..clock import iso
from .web import Auth, Web


class EasyReadRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.services = web.services

    def routes(self) -> list[Route]:
        return [
            Route("/m/{meeting_id}/plan/easy-read", self.page),
            Route("/m/{meeting_id}/plan/easy-read.pdf", self.pdf),
            Route("/print/easy-read.css", self.stylesheet),
        ]

    async def _view(
        self, request: Request, event: str
    ) -> tuple[Board, Auth, dict[str, Any] | None]:
        auth, board = await self.web.plan_reader(request)
        view = plans.easy_read_view(board, self.web.viewer(board, auth))
        if view is not None:
            await self.services.audit.record_once_a_minute(
                board.meeting.id, event, by=auth.who, minutes=view["number"], easy_read=True
            )
        return board, auth, view

    async def page(self, request: Request) -> Response:
        board, auth, view = await self._view(request, "plan.viewed")
        purge_at = self.services.retention.purge_at(board.meeting)
        return self.web.page(
            request,
            "easy_read.html",
            language=self.web.document_language(request, board, auth),
            meeting=board.meeting,
            plan=view,
            pictures=plans.PAGE_PICTURES,
            kept_until=iso(purge_at) if purge_at is not None else None,
            staff=auth.staff is not None,
            for_pdf=False,
            language_name=documents.language_name,
        )

    async def pdf(self, request: Request) -> Response:
        board, auth, view = await self._view(request, "plan.downloaded")
        if view is None:
            raise NotFound("There is no agreed plan from this meeting yet.")
        html = self.web.templates.get_template("easy_read.html").render(
            meeting=board.meeting,
            plan=view,
            pictures=plans.pictures_for_pdf(),
            staff=auth.staff is not None,
            for_pdf=True,
            language_name=documents.language_name,
            **self.web.words(self.web.document_language(request, board, auth)),
        )
        body = await self.web.pdfs.pdf(
            board.meeting.id, html, self.web.settings.base_url, plans.EASY_READ_STYLESHEET
        )
        what = f"our-plan-easy-read-{view['number']}"
        name = documents.file_name(board.meeting.title, view["agreed_at"], what, "pdf")
        return Response(
            body,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )

    async def stylesheet(self, request: Request) -> Response:
        return FileResponse(plans.EASY_READ_STYLESHEET, media_type="text/css")
