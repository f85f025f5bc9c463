"""The Redis store's families: each family's keys share its hash tag, as each staff
member's do."""

from __future__ import annotations

import json
from typing import cast

from ..board import codec
from .records import Family, FamilyMeeting, FamilyPage
from .redis_records import RedisRecords


class RedisFamilies(RedisRecords):
    def _staff_key(self, email: str, name: str) -> str:
        return f"{self.prefix}:{{staff:{email}}}:{name}"

    def _case_key(self, case_ref: str) -> str:
        return f"{self.prefix}:family_case:{case_ref}"

    def _same_key(self, owner: str, fingerprint: str) -> str:
        return f"{self.prefix}:family_same:{owner}:{fingerprint}"

    async def add_family(self, family: Family, fingerprint: str | None) -> str | None:
        async with self._redis_call() as r:
            # Each claim is one SET NX, so two families made at once cannot both have it.
            if family.case_ref is not None and not await r.set(
                self._case_key(family.case_ref), family.id, nx=True
            ):
                return "case_ref"
            if fingerprint is not None and not await r.set(
                self._same_key(family.owner, fingerprint), family.id, nx=True
            ):
                if family.case_ref is not None:
                    await r.delete(self._case_key(family.case_ref))
                return "fingerprint"
            data = {**family.to_json(), "fingerprint": fingerprint}
            await r.set(self._key(family.id, "family"), codec.dumps(data))
        return None

    async def family(self, family_id: str) -> Family | None:
        async with self._redis_call() as r:
            raw = cast(str | None, await r.get(self._key(family_id, "family")))
        return None if raw is None else _family(raw)

    async def family_by_case_ref(self, case_ref: str) -> Family | None:
        async with self._redis_call() as r:
            family_id = cast(str | None, await r.get(self._case_key(case_ref)))
        return None if family_id is None else await self.family(family_id)

    async def put_family_meeting(self, family_id: str, meeting: FamilyMeeting) -> None:
        async with self._redis_call() as r:
            await self._put_family_meeting_script(
                keys=[self._key(family_id, "meetings")],
                args=[meeting.meeting_id, codec.dumps(meeting.to_json()), meeting.seq],
            )
            await r.set(self._key(meeting.meeting_id, "family"), family_id)

    async def meeting_family(self, meeting_id: str) -> str | None:
        async with self._redis_call() as r:
            return cast(str | None, await r.get(self._key(meeting_id, "family")))

    async def family_meetings(self, family_ids: list[str]) -> dict[str, list[FamilyMeeting]]:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            for family_id in family_ids:
                pipe.hvals(self._key(family_id, "meetings"))
            rows = await pipe.execute()
        return {
            family_id: sorted(
                (FamilyMeeting.from_json(json.loads(row)) for row in chain),
                key=lambda m: (m.created_at, m.meeting_id),
            )
            for family_id, chain in zip(family_ids, rows, strict=True)
        }

    async def list_family_for(self, email: str, family_id: str, active: float) -> None:
        family = await self.family(family_id)
        if family is None:
            return
        async with self._redis_call() as r:
            await self._list_family_script(
                keys=[self._staff_key(email, "families")], args=[family_id, repr(active)]
            )
            async with r.pipeline(transaction=False) as pipe:
                pipe.hset(self._staff_key(email, "search"), family_id, family.search_text)
                pipe.sadd(self._key(family_id, "staff"), email)
                await pipe.execute()

    async def unlist_family_for(self, email: str, family_id: str) -> None:
        async with self._redis_call() as r, r.pipeline(transaction=False) as pipe:
            pipe.zrem(self._staff_key(email, "families"), family_id)
            pipe.hdel(self._staff_key(email, "search"), family_id)
            pipe.srem(self._key(family_id, "staff"), email)
            await pipe.execute()

    async def lists_family(self, email: str, family_id: str) -> bool:
        async with self._redis_call() as r:
            return await r.zscore(self._staff_key(email, "families"), family_id) is not None

    async def staff_families(self, email: str, search: str, offset: int, limit: int) -> FamilyPage:
        index = self._staff_key(email, "families")
        async with self._redis_call() as r:
            if search:
                texts = cast(dict[str, str], await r.hgetall(self._staff_key(email, "search")))
                ordered = cast(list[str], await r.zrevrange(index, 0, -1))
                matching = [f for f in ordered if search in texts.get(f, "")]
                total, ids = len(matching), matching[offset : offset + limit]
            else:
                total = await r.zcard(index)
                ids = cast(list[str], await r.zrevrange(index, offset, offset + limit - 1))
            async with r.pipeline(transaction=False) as pipe:
                for family_id in ids:
                    pipe.get(self._key(family_id, "family"))
                rows = await pipe.execute()
        return FamilyPage(tuple(_family(row) for row in rows if row is not None), total)

    async def _leave_family(self, meeting_id: str) -> None:
        """Take an erased meeting out of its family; a family left with none goes too."""
        family_id = await self.meeting_family(meeting_id)
        if family_id is None:
            return
        async with self._redis_call() as r:
            await r.hdel(self._key(family_id, "meetings"), meeting_id)
            if await r.hlen(self._key(family_id, "meetings")):
                return
            raw = await r.get(self._key(family_id, "family"))
            staff = cast(set[str], await r.smembers(self._key(family_id, "staff")))
            kinds = await self._record_kinds(r)
            async with r.pipeline(transaction=False) as pipe:
                self._drop_records(pipe, kinds, family_id)  # who it is shared with, say
                for email in staff:
                    pipe.zrem(self._staff_key(email, "families"), family_id)
                    pipe.hdel(self._staff_key(email, "search"), family_id)
                if raw is not None:
                    data = json.loads(raw)
                    if data.get("case_ref") is not None:
                        pipe.delete(self._case_key(data["case_ref"]))
                    if data.get("fingerprint") is not None:
                        pipe.delete(self._same_key(data["owner"], data["fingerprint"]))
                pipe.delete(
                    *(self._key(family_id, name) for name in ("family", "meetings", "staff"))
                )
                await pipe.execute()


def _family(raw: str) -> Family:
    data = json.loads(raw)
    data.pop("fingerprint", None)
    return Family.from_json(data)
