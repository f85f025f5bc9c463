"""The families API: a family by its case reference, and a family's chain of meetings. For
a signed-in staff member (their own families) or a key with `meetings:read`."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..board.errors import Invalid, Unauthorized
from ..keys import Scope
from ..store.records import Family, FamilyMeeting
from .replies import json_ok
from .web import Web


class FamilyRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.families = web.services.families
        self.settings = web.settings

    def routes(self) -> list[Route]:
        return [
            Route("/api/families", self.api_families),
            Route("/api/families/{family_id}/meetings", self.api_family_meetings),
        ]

    async def _staff(self, request: Request) -> str | None:
        """The signed-in staff member asking (None: a key with meetings:read asks)."""
        if await self.web.integration(request, Scope.MEETINGS_READ) is not None:
            return None
        session = await self.web.staff_session(request)
        if session is None:
            raise Unauthorized(
                "Reading families needs a signed-in staff member or a key with meetings:read."
            )
        return session.email

    async def api_families(self, request: Request) -> Response:
        """?case_ref=: the family with that case reference (404 if none). A staff member
        may instead page through their own list (?q=, ?page=)."""
        staff = await self._staff(request)
        query = request.query_params
        if "case_ref" in query:
            family = await self.families.by_case_ref(query.get("case_ref"))
            await self.families.readable(family.id, staff)
            chains = {family.id: await self.families.chain(family.id)}
            return json_ok({"families": [self._family(family, chains[family.id])]})
        if staff is None:
            raise Invalid("Ask for a family by its case reference: /api/families?case_ref=...")
        listed = await self.families.page(staff, query.get("q"), query.get("page"))
        return json_ok(
            {
                "families": [self._family(item.family, item.meetings) for item in listed.families],
                "page": listed.page,
                "pages": listed.pages,
                "total": listed.total,
            }
        )

    async def api_family_meetings(self, request: Request) -> Response:
        staff = await self._staff(request)
        family = await self.families.readable(request.path_params["family_id"], staff)
        chain = await self.families.chain(family.id)
        return json_ok({"family": self._family(family, ()), "meetings": self._meetings(chain)})

    def _family(self, family: Family, chain: Any) -> dict[str, Any]:
        data = {
            "id": family.id,
            "name": family.name,
            "case_ref": family.case_ref,
            "children": [{"name": c.name, "age": c.age} for c in family.children],
            "created_at": family.created_at,
        }
        return {**data, "meetings": self._meetings(chain)} if chain else data

    def _meetings(self, chain: Any) -> list[dict[str, Any]]:
        return [self._meeting(meeting) for meeting in chain]

    def _meeting(self, meeting: FamilyMeeting) -> dict[str, Any]:
        base = f"{self.settings.base_url}/m/{meeting.meeting_id}"
        return {
            "id": meeting.meeting_id,
            "title": meeting.title,
            "kind": meeting.kind,
            "status": meeting.status,
            "created_at": meeting.created_at,
            "agreed_minutes": meeting.minutes,
            "agreed_minutes_url": f"{base}/minutes/{meeting.minutes}" if meeting.minutes else None,
            "plan": list(meeting.plan),
            "plan_size": meeting.plan_size,
            "decision": meeting.decision,
            "next_review": meeting.next_review,
        }
