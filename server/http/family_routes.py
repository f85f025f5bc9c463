"""The families API: a family by its case reference, and a family's chain of meetings. For
a signed-in staff member (their own families) or a key with `meetings:read`. Sharing a whole
family with a colleague is for its owner, signed in (no key's scope covers it)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..board.errors import Forbidden, Invalid, NotFound, Unauthorized
from ..emails import clean_email
from ..keys import Scope
from ..staff import StaffSession
from ..store.records import Family, FamilyMeeting
from .replies import json_ok
from .web import Web


class FamilyRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.services = web.services
        self.families = web.services.families
        self.staff = web.services.staff
        self.settings = web.settings

    def routes(self) -> list[Route]:
        return [
            Route("/api/families", self.api_families),
            Route("/api/families/{family_id}/meetings", self.api_family_meetings),
            Route("/api/families/{family_id}/share", self.api_family_shared_with),
            Route("/api/families/{family_id}/share", self.api_share_family, methods=["POST"]),
            Route(
                "/api/families/{family_id}/share/{email}",
                self.api_unshare_family,
                methods=["DELETE"],
            ),
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

    # --- sharing a whole family ---

    async def _owned(self, request: Request) -> tuple[StaffSession, str, list[str]]:
        """The signed-in owner, the family's id and its meetings' ids, first meeting first.
        Its owner is whoever started the first meeting of it that is still kept."""
        session = await self.web.staff_session(request)
        if session is None:
            raise Unauthorized("Please sign in.")
        family = await self.families.readable(request.path_params["family_id"], session.email)
        meetings = [m.meeting_id for m in await self.families.chain(family.id)]
        staff = await self.staff.meeting_staff(meetings[0]) if meetings else []
        if staff[:1] != [session.email]:
            raise Forbidden("Only the person who started the family's first meeting can do this.")
        return session, family.id, meetings

    async def _family_sharing(self, family_id: str) -> Response:
        return json_ok({"staff": await self.staff.family_shares(family_id)})

    async def api_family_shared_with(self, request: Request) -> Response:
        _, family_id, _ = await self._owned(request)
        return await self._family_sharing(family_id)

    async def api_share_family(self, request: Request) -> Response:
        """Each meeting of the family, and each started in it later, is the colleague's
        too. As for one meeting, the answer is the same whether or not the e-mail has an
        account."""
        data = await self.web.json_body(request)
        session, family_id, meetings = await self._owned(request)
        email = clean_email(data.get("email"))
        shares = await self.staff.family_shares(family_id)
        if email != session.email and email not in shares:
            await self.staff.keep_family_shares(family_id, [*shares, email])
        for meeting_id in meetings:
            await self.staff.add_to_meeting(meeting_id, email)
            await self.services.audit.record(
                meeting_id, "staff.family_shared", by=session.email, staff=email, family=family_id
            )
        await self.families.list_for(meetings[0], email)
        return await self._family_sharing(family_id)

    async def api_unshare_family(self, request: Request) -> Response:
        """The colleague has none of the family's meetings any more, whether they came with
        the family or one by one; their meeting sessions and sockets end."""
        self.web.same_site(request)
        session, family_id, meetings = await self._owned(request)
        email = clean_email(request.path_params["email"])
        if email == session.email:
            raise Invalid("You started this family's meetings: they stay yours.")
        shares = await self.staff.family_shares(family_id)
        if email not in shares:
            raise NotFound("This family is not shared with that e-mail.")
        await self.staff.keep_family_shares(family_id, [e for e in shares if e != email])
        joining, sessions = self.services.joining, self.services.sessions
        for meeting_id in meetings:
            if await self.staff.remove_from_meeting(meeting_id, email):
                participant = joining.staff_participant(meeting_id, email)
                await sessions.end(meeting_id, participant_id=participant)
            await self.services.audit.record(
                meeting_id, "staff.family_unshared", by=session.email, staff=email, family=family_id
            )
        await self.families.unlist(email, family_id)
        return await self._family_sharing(family_id)

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
