"""Integration keys, for administrators: listing, making (the token is shown once) and
revoking. JSON, from our own pages only, as the other staff JSON routes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .replies import json_ok
from .web import Web


class KeyRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.keys = web.services.keys
        self.staff = web.services.staff

    def routes(self) -> list[Route]:
        return [
            Route("/api/keys", self.api_list),
            Route("/api/keys", self.api_add, methods=["POST"]),
            Route("/api/keys/{key_id}", self.api_revoke, methods=["DELETE"]),
        ]

    async def _admin(self, request: Request) -> str:
        return (await self.staff.admin(await self.web.staff_session(request))).email

    async def api_list(self, request: Request) -> Response:
        await self._admin(request)
        return json_ok({"keys": [key.to_json() for key in await self.keys.all()]})

    async def api_add(self, request: Request) -> Response:
        by = await self._admin(request)
        data = await self.web.json_body(request)
        key, token = await self.keys.add(data.get("name"), data.get("scopes"), by)
        return json_ok({**key.to_json(), "token": token}, status=201)

    async def api_revoke(self, request: Request) -> Response:
        self.web.same_site(request)
        by = await self._admin(request)
        key = await self.keys.revoke(request.path_params["key_id"], by)
        return json_ok(key.to_json())
