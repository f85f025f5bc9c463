"""Which meetings each staff member may open: a meeting's staff, its owner (who started it)
first, and the colleagues it, or its whole family, is shared with."""

from __future__ import annotations

from typing import Any

from .board.errors import N_, Forbidden, Invalid, Msgid, NotFound
from .emails import clean_email
from .store import Store


class MeetingSharing:
    """Part of `Staff`: its meeting lists."""

    store: Store

    async def meeting_staff(self, meeting_id: str) -> list[str]:
        data = await self.store.get_record("meeting_staff", meeting_id)
        return list(data["staff"]) if data else []

    async def add_to_meeting(self, meeting_id: str, email: str) -> None:
        staff = await self.meeting_staff(meeting_id)
        if email not in staff:
            await self.store.put_record(
                "meeting_staff", meeting_id, {"meeting_id": meeting_id, "staff": [*staff, email]}
            )

    async def share(self, meeting_id: str, owner: str, colleague: Any) -> str:
        """The meeting's owner (who started it) gives it to a colleague by e-mail; the
        e-mail, cleaned. Whether an account has that e-mail makes no difference (one made
        for it later has the meeting), so sharing tells nobody who has an account."""
        email = clean_email(colleague)
        await self._owned(
            meeting_id, owner, N_("Only the person who started the meeting can share it.")
        )
        await self.add_to_meeting(meeting_id, email)
        return email

    async def unshare(self, meeting_id: str, owner: str, colleague: Any) -> str:
        """The owner takes the meeting back from a colleague; the e-mail, cleaned."""
        email = clean_email(colleague)
        await self._owned(
            meeting_id,
            owner,
            N_("Only the person who started the meeting can stop sharing it."),
        )
        if email == owner:
            raise Invalid("You started this meeting: it stays yours.")
        if not await self.remove_from_meeting(meeting_id, email):
            raise NotFound("This meeting is not shared with that e-mail.")
        return email

    async def family_shares(self, family_id: str) -> list[str]:
        """The colleagues a whole family is shared with: each meeting of it, now and later,
        is theirs too."""
        data = await self.store.get_record("family_staff", family_id)
        return list(data["staff"]) if data else []

    async def keep_family_shares(self, family_id: str, staff: list[str]) -> None:
        await self.store.put_record(
            "family_staff", family_id, {"family_id": family_id, "staff": staff}
        )

    async def remove_from_meeting(self, meeting_id: str, email: str) -> bool:
        """Whether `email` (never the owner) had the meeting and has it no longer."""
        staff = await self.meeting_staff(meeting_id)
        if email not in staff[1:]:
            return False
        await self.store.put_record(
            "meeting_staff",
            meeting_id,
            {"meeting_id": meeting_id, "staff": [e for e in staff if e != email]},
        )
        return True

    async def _owned(self, meeting_id: str, owner: str, refusal: Msgid) -> list[str]:
        """The meeting's staff, its owner first, if `owner` is its owner."""
        staff = await self.meeting_staff(meeting_id)
        if not staff or staff[0] != owner:
            raise Forbidden(refusal)
        return staff
