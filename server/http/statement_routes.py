"""The accessibility statement (/accessibility), in the format of the model statement for
the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018; who runs the service and where problems are reported come from the
operator's settings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .web import Web

# When the statement was prepared and Kinboard last tested against WCAG 2.2 AA: moved on
# whenever the statement is reviewed (docs/operations.md, "The accessibility statement").
PREPARED = "2026-12-01"


class StatementRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web

    def routes(self) -> list[Route]:
        return [Route("/accessibility", self.statement)]

    async def statement(self, request: Request) -> Response:
        settings = self.web.settings
        contact = settings.accessibility_contact or ""
        is_email = "@" in contact and not contact.startswith(("http://", "https://"))
        return self.web.page(
            request,
            "accessibility.html",
            base_url=settings.base_url,
            operator=settings.operator,
            contact_email=contact if is_email else None,
            contact_url=contact if contact and not is_email else None,
            prepared=PREPARED,
        )
