"""Links, sessions, origins and rate limits."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import secrets
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

from .board.errors import N_, Msgid, RateLimited
from .settings import Settings


def hash_token(token: str) -> str:
    """What the store keeps instead of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_id(prefix: str = "", nbytes: int = 9) -> str:
    return prefix + secrets.token_urlsafe(nbytes)


class LinkKeys:
    """Link tokens derived from the server's secret: HMAC-SHA256(secret, link id).

    The store keeps only each token's hash, yet the facilitator's Share panel can show the
    same link again: the server re-derives it from the link id.
    """

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def token(self, link_id: str) -> str:
        digest = hmac.new(self._secret, f"link:{link_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def staff_participant(self, meeting_id: str, email: str) -> str:
        """A staff member's one participant id in a meeting: the same at every opening on
        every device, and telling nothing of their e-mail."""
        message = f"staff:{meeting_id}:{email}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return "p_" + base64.urlsafe_b64encode(digest[:12]).decode()


def load_secret(settings: Settings) -> bytes:
    """KINBOARD_SECRET_KEY, or a key kept in the data dir (made on first start, mode 0600)."""
    if settings.secret_key:
        return settings.secret_key.encode()
    path = Path(settings.data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
    path.chmod(0o600)  # also one an older version or a careless copy left readable
    return path.read_text().strip().encode()


def cookie_name(settings: Settings, meeting_id: str) -> str:
    # __Host- binds the cookie to this host over https (no Domain, Path=/, Secure).
    return f"{'__Host-' if settings.secure_cookies else ''}kb_{meeting_id}"


def session_token_from_cookies(
    settings: Settings, header: str | None, meeting_id: str
) -> str | None:
    return cookie_value(header, cookie_name(settings, meeting_id))


def staff_cookie_name(settings: Settings) -> str:
    return f"{'__Host-' if settings.secure_cookies else ''}kb_staff"


def csrf_cookie_name(settings: Settings) -> str:
    return f"{'__Host-' if settings.secure_cookies else ''}kb_csrf"


def cookie_value(header: str | None, name: str) -> str | None:
    if not header:
        return None
    cookies = SimpleCookie()
    try:
        cookies.load(header)
    except CookieError:
        return None
    morsel = cookies.get(name)
    return morsel.value if morsel else None


def csrf_matches(cookie: str | None, submitted: object) -> bool:
    """Double-submit check: the form's hidden token equals the browser's CSRF cookie,
    which another site can neither read nor set."""
    return (
        isinstance(cookie, str)
        and isinstance(submitted, str)
        and len(cookie) >= 20
        and hmac.compare_digest(cookie, submitted)
    )


def origin_allowed(settings: Settings, origin: str | None) -> bool:
    return origin is not None and origin.rstrip("/") in settings.allowed_origins


TOO_MUCH_AT_ONCE = N_("That was a lot of changes at once. Please wait a moment.")


@dataclass
class RateLimiter:
    """A token bucket per key: `burst` at once, then `per_second`."""

    burst: int
    per_second: float
    refusal: Msgid = TOO_MUCH_AT_ONCE
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def check(self, key: str, now: float) -> None:
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.per_second)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            # Until the bucket holds one token again, to the next tenth of a second.
            raise RateLimited(self.refusal, math.ceil((1 - tokens) / self.per_second * 10) / 10)
        self._buckets[key] = (tokens - 1, now)

    def forget(self, key: str) -> None:
        self._buckets.pop(key, None)
