"""Looking after a meeting: per-person links, the activity log, erasing, and a person's
data (subject access). For the meeting's facilitator and staff, or the API key."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..board import export
from ..board.errors import N_, Forbidden, Msgid, NotFound
from ..keys import Scope
from .replies import NO_STORE, json_ok
from .web import Auth, Web

AUDIT_COLUMNS = ("at", "event", "by", "role", "link_id", "op", "entities", "staff", "participant")


class AdminRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.services = web.services
        self.links = web.services.links

    def routes(self) -> list[Route]:
        return [
            Route("/api/meetings/{meeting_id}/people-links", self.api_person_links),
            Route(
                "/api/meetings/{meeting_id}/people-links",
                self.api_add_person_link,
                methods=["POST"],
            ),
            Route(
                "/api/meetings/{meeting_id}/people-links/{link_id}",
                self.api_change_link,
                methods=["PATCH", "DELETE"],
            ),
            Route(
                "/api/meetings/{meeting_id}/invite-same-people",
                self.api_invite_same_people,
                methods=["POST"],
            ),
            Route(
                "/api/meetings/{meeting_id}/links/{kind}/renew",
                self.api_renew_link,
                methods=["POST"],
            ),
            Route(
                "/api/meetings/{meeting_id}/links/{kind}",
                self.api_turn_off_link,
                methods=["DELETE"],
            ),
            Route("/m/{meeting_id}/activity", self.activity_page),
            Route("/m/{meeting_id}/activity.csv", self.activity_csv),
            Route("/api/meetings/{meeting_id}", self.api_erase, methods=["DELETE"]),
            Route(
                "/api/meetings/{meeting_id}/participants/{participant_id}/export",
                self.api_export,
            ),
        ]

    async def _facilitated(
        self, request: Request, refusal: Msgid, scope: Scope
    ) -> tuple[str, Auth, str]:
        """(meeting id, auth, who is acting) for the facilitator, the meeting's staff, or
        a key with `scope`."""
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, scope)
        await self.web.facilitated(meeting_id, auth, refusal)
        return meeting_id, auth, auth.who

    async def _staff_only(self, request: Request, refusal: Msgid) -> tuple[str, str]:
        meeting_id = request.path_params["meeting_id"]
        auth = await self.web.auth(request, meeting_id, Scope.EVERYTHING)
        if not auth.staff_or_key:
            raise Forbidden(refusal)
        return meeting_id, auth.staff or auth.who

    # --- per-person links ---

    async def api_person_links(self, request: Request) -> Response:
        meeting_id, _, _ = await self._facilitated(
            request, N_("Only the facilitator can see the links."), Scope.MEETINGS_READ
        )
        return json_ok({"links": await self.links.person_links(meeting_id)})

    async def api_add_person_link(self, request: Request) -> Response:
        meeting_id, _, by = await self._facilitated(
            request, N_("Only the facilitator can make links."), Scope.EVERYTHING
        )
        data = await self.web.json_body(request)
        link = await self.links.add_person_link(
            meeting_id,
            data.get("name"),
            data.get("role"),
            data.get("days"),
            by,
            data.get("language"),
        )
        links = await self.links.person_links(meeting_id)
        return json_ok(next(item for item in links if item["id"] == link.id), status=201)

    async def api_invite_same_people(self, request: Request) -> Response:
        """A review's fresh person links for the people of the meeting before, in one step."""
        self.web.same_site(request)
        meeting_id, auth, by = await self._facilitated(
            request, N_("Only the facilitator can invite the same people."), Scope.EVERYTHING
        )
        board, _ = await self.web.readable(meeting_id, auth)
        links = await self.services.meetings.invite_same_people(board, by)
        return json_ok({"links": links}, status=201)

    async def api_change_link(self, request: Request) -> Response:
        link_id = request.path_params["link_id"]
        self.web.same_site(request)
        meeting_id, _, by = await self._facilitated(
            request, N_("Only the facilitator can change links."), Scope.EVERYTHING
        )
        if request.method == "DELETE":
            await self.links.revoke_link(meeting_id, link_id, by)
        else:
            data = await self.web.json_body(request)
            await self.links.set_link_expiry(meeting_id, link_id, data.get("days"), by)
        links = await self.links.person_links(meeting_id)
        return json_ok(next(item for item in links if item["id"] == link_id))

    async def api_renew_link(self, request: Request) -> Response:
        self.web.same_site(request)
        meeting_id, auth, by = await self._facilitated(
            request, N_("Only the facilitator can renew links."), Scope.EVERYTHING
        )
        url = await self.links.renew_general_link(
            meeting_id, request.path_params["kind"], by, auth.session
        )
        links = await self.links.urls(meeting_id)
        assert url in links.values()
        return json_ok(links)

    async def api_turn_off_link(self, request: Request) -> Response:
        self.web.same_site(request)
        meeting_id, auth, by = await self._facilitated(
            request, N_("Only the facilitator can turn links off."), Scope.EVERYTHING
        )
        await self.links.turn_off_general_link(
            meeting_id, request.path_params["kind"], by, auth.session
        )
        return json_ok(await self.links.urls(meeting_id))

    # --- activity ---

    async def _entries(self, request: Request) -> tuple[str, list[dict[str, Any]]]:
        meeting_id, _ = await self._staff_only(
            request, N_("Only the meeting's staff can see the activity.")
        )
        return meeting_id, await self.services.audit.entries(meeting_id)

    async def activity_page(self, request: Request) -> Response:
        meeting_id, entries = await self._entries(request)
        rows = [[_cell(entry.get(column)) for column in AUDIT_COLUMNS] for entry in entries]
        board, _ = await self.services.boards.load(meeting_id)
        return self.web.page(
            request,
            "activity.html",
            meeting_id=meeting_id,
            columns=AUDIT_COLUMNS,
            rows=rows,
            outlook=await self.services.retention.outlook(board.meeting),
        )

    async def activity_csv(self, request: Request) -> Response:
        meeting_id, entries = await self._entries(request)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(AUDIT_COLUMNS)
        for entry in entries:
            writer.writerow([_csv_safe(_cell(entry.get(column))) for column in AUDIT_COLUMNS])
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={
                **NO_STORE,
                "Content-Disposition": f'attachment; filename="kinboard-activity-{meeting_id}.csv"',
            },
        )

    # --- erasing and subject access ---

    async def api_erase(self, request: Request) -> Response:
        self.web.same_site(request)
        meeting_id, who = await self._staff_only(
            request, N_("Only the meeting's staff can erase the meeting.")
        )
        await self.services.retention.erase(meeting_id, who)
        return Response(status_code=204, headers=NO_STORE)

    async def api_export(self, request: Request) -> Response:
        participant_id = request.path_params["participant_id"]
        meeting_id, _ = await self._staff_only(
            request, N_("Only the meeting's staff can export a person's data.")
        )
        board, _ = await self.services.boards.load(meeting_id)
        if participant_id not in board.participants:
            raise NotFound("There is no such person in this meeting.")
        audit = await self.services.audit.entries(meeting_id)
        data = export.encode_person(board, participant_id)
        data["activity"] = [
            entry
            for entry in audit
            if participant_id in (entry.get("by"), entry.get("participant"))
        ]
        return Response(
            json.dumps(data, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers={
                **NO_STORE,
                "Content-Disposition": (
                    f'attachment; filename="kinboard-{meeting_id}-{participant_id}.json"'
                ),
            },
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with these as formulas; make them plain text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
