"""Integration keys: named keys with scopes that case-record systems call the API with.

A key is shown once, when it is made; the store keeps only its SHA-256 (a random key of
256 bits needs no slow hash). `KINBOARD_API_KEY`, where set, is one more key with every
scope, so that existing set-ups keep working.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from .board import parsing
from .board.errors import N_, Invalid, Nn_, NotFound, Unauthorized
from .clock import Clock, iso
from .security import hash_token, new_id
from .settings import Settings
from .staff import STAFF_LOG
from .store.roles import AuditLog, Records


class Scope(StrEnum):
    """What a key may do. Each API route that takes a key names the one it needs."""

    MEETINGS_CREATE = "meetings:create"
    MEETINGS_READ = "meetings:read"
    MINUTES_READ = "minutes:read"
    # Given to no named key: the board's own pages, changing links, the activity log,
    # erasing and subject-access exports, which only KINBOARD_API_KEY reaches.
    EVERYTHING = "everything"


GRANTABLE = (Scope.MEETINGS_CREATE, Scope.MEETINGS_READ, Scope.MINUTES_READ)
KEY_NAME = parsing.Words.required(
    80,
    Nn_(
        "A key's name can be at most {most} character.",
        "A key's name can be at most {most} characters.",
        "most",
    ),
    N_("A key's name needs some words."),
)
# The id is in the token, so that finding the key is one read of its record.
_PREFIX = "kbk"


@dataclass(frozen=True)
class IntegrationKey:
    id: str
    name: str
    scopes: tuple[Scope, ...]
    created_at: str
    created_by: str
    token_hash: str = ""
    revoked_at: str | None = None
    revoked_by: str | None = None

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def who(self) -> str:
        """For the audit log: the key's id (never its token); its name is in the list."""
        return f"key:{self.id}"

    def to_json(self) -> dict[str, Any]:
        """What administrators see: everything but the hash."""
        return {
            "id": self.id,
            "name": self.name,
            "scopes": [scope.value for scope in self.scopes],
            "created_at": self.created_at,
            "created_by": self.created_by,
            "revoked_at": self.revoked_at,
            "revoked_by": self.revoked_by,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> IntegrationKey:
        return cls(**{**data, "scopes": tuple(Scope(s) for s in data["scopes"])})


FULL_KEY = IntegrationKey("env", "KINBOARD_API_KEY", tuple(Scope), "", "")


def clean_scopes(value: Any) -> tuple[Scope, ...]:
    names = ", ".join(scope.value for scope in GRANTABLE)
    if not isinstance(value, list) or not value:
        raise Invalid("A key needs one or more scopes of: {scopes}.", scopes=names)
    chosen = []
    for item in value:
        if not isinstance(item, str) or item not in {s.value for s in GRANTABLE}:
            raise Invalid(
                "There is no scope {scope!r}. The scopes are: {scopes}.", scope=item, scopes=names
            )
        if Scope(item) not in chosen:
            chosen.append(Scope(item))
    return tuple(scope for scope in GRANTABLE if scope in chosen)


class IntegrationKeys:
    def __init__(
        self, settings: Settings, records: Records, audit_log: AuditLog, clock: Clock
    ) -> None:
        self._full = settings.api_key
        self._records = records
        self._audit_log = audit_log
        self._clock = clock

    async def add(self, name: Any, scopes: Any, by: str) -> tuple[IntegrationKey, str]:
        """A new key and its token, which is shown this once and never kept."""
        name = parsing.words(name, KEY_NAME)
        chosen = clean_scopes(scopes)
        if any(key.name == name and key.revoked_at is None for key in await self.all()):
            raise Invalid("There is a key with that name already.")
        key_id = new_id("k_")
        token = f"{_PREFIX}.{key_id}.{secrets.token_urlsafe(32)}"
        key = IntegrationKey(key_id, name, chosen, iso(self._clock()), by, hash_token(token))
        await self._save(key)
        await self._log("key.added", key, by)
        return key, token

    async def all(self) -> list[IntegrationKey]:
        """Every key ever made, revoked ones too (old audit entries name them), oldest first."""
        records = await self._records.list_records("key")
        keys = [IntegrationKey.from_record(data) for data in records]
        return sorted(keys, key=lambda key: (key.created_at, key.id))

    async def revoke(self, key_id: Any, by: str) -> IntegrationKey:
        """Refused from the next request on, on every worker: each request reads the key."""
        data = await self._records.get_record("key", key_id) if isinstance(key_id, str) else None
        if data is None:
            raise NotFound("There is no key with that id.")
        key = IntegrationKey.from_record(data)
        if key.revoked_at is None:
            key = replace(key, revoked_at=iso(self._clock()), revoked_by=by)
            await self._save(key)
            await self._log("key.revoked", key, by)
        return key

    async def find(self, authorization: str | None) -> IntegrationKey | None:
        """The key a request's `Authorization: Bearer <key>` names; None without a bearer
        key; Unauthorized for one that is unknown or revoked."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        if self._full and hmac.compare_digest(token.encode(), self._full.encode()):
            return FULL_KEY
        prefix, _, rest = token.partition(".")
        key_id = rest.partition(".")[0]
        data = await self._records.get_record("key", key_id) if prefix == _PREFIX else None
        if data is not None:
            key = IntegrationKey.from_record(data)
            if hmac.compare_digest(key.token_hash, hash_token(token)) and key.revoked_at is None:
                return key
        raise Unauthorized("That integration key is not valid: it is unknown or was revoked.")

    async def _save(self, key: IntegrationKey) -> None:
        await self._records.put_record(
            "key", key.id, {**key.to_json(), "token_hash": key.token_hash}
        )

    async def _log(self, event: str, key: IntegrationKey, by: str) -> None:
        entry = {"at": iso(self._clock()), "event": event, "staff": by, "key": key.id}
        await self._audit_log.append_audit(STAFF_LOG, {**entry, "name": key.name})
