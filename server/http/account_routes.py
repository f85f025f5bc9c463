"""The Accounts page, for administrators: adding a colleague (by a one-time set-up link),
disabling and enabling accounts, making and unmaking administrators. Plain forms with
CSRF tokens; every change is in the staff audit log."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..board.errors import Invalid, KinboardError
from ..emails import clean_email
from ..staff import SETUP_HOURS, StaffMember
from .web import Web

# What each button of an account's row does, and what the page then says.
CHANGES = {
    "disable": "{email} can no longer sign in. Their sessions have ended.",
    "enable": "{email} can sign in again.",
    "admin": "{email} is now an administrator.",
    "unadmin": "{email} is no longer an administrator.",
}


class AccountRoutes:
    def __init__(self, web: Web) -> None:
        self.web = web
        self.staff = web.services.staff
        self.settings = web.settings

    def routes(self) -> list[Route]:
        return [
            Route("/accounts", self.page),
            Route("/accounts", self.add, methods=["POST"]),
            Route("/accounts/change", self.change, methods=["POST"]),
        ]

    async def _admin(self, request: Request) -> StaffMember | None:
        """The signed-in administrator; None without a staff session (then the caller sends
        them to sign in); Forbidden, shown as the error page, for anyone else."""
        session = await self.web.staff_session(request)
        return None if session is None else await self.staff.admin(session)

    async def _show(
        self,
        request: Request,
        me: StaffMember,
        refused: KinboardError | None = None,
        **context: Any,
    ) -> Response:
        return self.web.page(
            request,
            "accounts.html",
            refused=refused,
            me=me.email,
            members=sorted(await self.staff.members(), key=lambda m: m.email),
            invitations=await self.staff.invitations(),
            setup_hours=SETUP_HOURS,
            **context,
        )

    async def page(self, request: Request) -> Response:
        me = await self._admin(request)
        if me is None:
            return RedirectResponse("/signin", status_code=303)
        return await self._show(request, me)

    async def add(self, request: Request) -> Response:
        """A set-up link for a new colleague, shown this once to hand over."""
        me = await self._admin(request)
        if me is None:
            return RedirectResponse("/signin", status_code=303)
        form = await self.web.form(request)
        email = form.get("email")
        try:
            code = await self.staff.invite(email, form.get("admin") == "yes", me.email)
        except KinboardError as error:
            problem = self.web.refusal(request, error)
            return await self._show(request, me, refused=error, problem=problem, typed=email)
        return await self._show(
            request,
            me,
            # In the fragment, as the first account's: never sent to a server in a URL.
            link=f"{self.settings.base_url}/setup#{code}",
            invited=clean_email(email),
        )

    async def change(self, request: Request) -> Response:
        me = await self._admin(request)
        if me is None:
            return RedirectResponse("/signin", status_code=303)
        form = await self.web.form(request)
        email, change = form.get("email"), form.get("change")
        try:
            if change == "disable":
                await self.staff.disable(email, me.email)
            elif change == "enable":
                await self.staff.enable(email, me.email)
            elif change in ("admin", "unadmin"):
                await self.staff.set_admin(email, change == "admin", me.email)
            else:
                raise Invalid("That is not a change this page makes.")
        except KinboardError as error:
            problem = self.web.refusal(request, error)
            return await self._show(request, me, refused=error, problem=problem)
        if me.email == clean_email(email) and change in ("disable", "unadmin"):
            # They have given up what this page needs: take them home.
            return RedirectResponse("/", status_code=303)
        return await self._show(
            request, me, done=CHANGES[str(change)].format(email=clean_email(email))
        )
