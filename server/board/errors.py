"""Every refusal the core (and the layers around it) can give, each with a stable code."""

from __future__ import annotations


class KinboardError(Exception):
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(KinboardError):
    code = "invalid"


class Forbidden(KinboardError):
    code = "forbidden"


class Locked(KinboardError):
    code = "locked"


class NotFound(KinboardError):
    code = "not_found"


class TooLong(KinboardError):
    code = "too_long"


class TooMany(KinboardError):
    code = "too_many"


class RateLimited(KinboardError):
    code = "rate_limited"


class Unauthorized(KinboardError):
    code = "unauthorized"


class LinkInvalid(KinboardError):
    code = "link_invalid"


class LinkGone(KinboardError):
    code = "link_gone"


class Unavailable(KinboardError):
    code = "unavailable"


class RoundClosed(KinboardError):
    code = "round_closed"


class SessionEnded(Forbidden):
    """The caller's session ended (taken out, link turned off): refused like any forbidden
    op, and their socket is closed."""
