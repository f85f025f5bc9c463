"""Every refusal the core (and the layers around it) can give, each with a stable code."""

from __future__ import annotations

from collections.abc import Mapping


class Msgid(str):
    """An English message written as data rather than where it is raised (a kind of words'
    refusals, a message several places raise): marked with `N_` so that Babel finds it."""


def N_(text: str) -> Msgid:
    return Msgid(text)


class PluralMsgid(Msgid):
    """A msgid that holds a number (`Nn_`): the English singular, with its `plural`; the
    number of the param named `counted` chooses the form, in each language its own
    (ngettext), so that Polish says "20 etapów" and "2 etapy"."""

    plural: str
    counted: str

    def __new__(cls, singular: str, plural: str, counted: str) -> PluralMsgid:
        made = super().__new__(cls, singular)
        made.plural = plural
        made.counted = counted
        return made

    def __getnewargs__(self) -> tuple[str, str, str]:  # type: ignore[override]  # copy, pickle
        return str(self), self.plural, self.counted

    def english(self, params: Mapping[str, object]) -> str:
        """The English form for the params' number: the singular for 1, else the plural."""
        return str(self) if params.get(self.counted) == 1 else self.plural


def Nn_(singular: str, plural: str, counted: str) -> PluralMsgid:
    """Marks a refusal's words that hold a number: `counted` names the param that is it."""
    return PluralMsgid(singular, plural, counted)


class KinboardError(Exception):
    """`text` is the English message and the catalogue's msgid, with `{name}` placeholders
    filled from `params` (see `server/i18n.py`); `message` is it filled in, in English.
    `text` is always written out where the error is made, or is a `Msgid` (see
    tests/unit/test_messages.py), never built: each language's words are looked up by it;
    a `PluralMsgid` (`Nn_`) where the words hold a number."""

    code = "error"

    def __init__(self, text: str, **params: object) -> None:
        self.text = text
        self.params = params
        english = text.english(params) if isinstance(text, PluralMsgid) else text
        self.message = english.format(**params) if params else english
        super().__init__(self.message)


class Invalid(KinboardError):
    code = "invalid"


class Forbidden(KinboardError):
    code = "forbidden"


class Locked(KinboardError):
    code = "locked"


class Closed(KinboardError):
    """The meeting has ended: nothing in it changes any more (its plan can still be read)."""

    code = "closed"


class MinutesTaken(KinboardError):
    """What stays as the minutes recorded it: a child's houses once minutes are taken."""

    code = "minutes_taken"


class NotFound(KinboardError):
    code = "not_found"


class Duplicate(KinboardError):
    """Something that must be one of a kind exists already (a family's case reference)."""

    code = "duplicate"


class TooLong(KinboardError):
    code = "too_long"


class TooMany(KinboardError):
    code = "too_many"


class TooLarge(KinboardError):
    """A request body over the limit, refused while it is still arriving."""

    code = "too_large"


class TooSlow(KinboardError):
    """A request whose body did not arrive in time."""

    code = "too_slow"


class RateLimited(KinboardError):
    """Too much at once: the same again will work after `retry_after` seconds."""

    code = "rate_limited"

    def __init__(self, text: str, retry_after: float | None = None, **params: object) -> None:
        super().__init__(text, **params)
        self.retry_after = retry_after


class Unauthorized(KinboardError):
    code = "unauthorized"


class LinkInvalid(KinboardError):
    code = "link_invalid"


class LinkGone(KinboardError):
    code = "link_gone"


class LinkOff(KinboardError):
    """A general link the facilitator has turned off, with no newer one of its kind."""

    code = "link_off"


class Unavailable(KinboardError):
    code = "unavailable"


class StoreFailed(Unavailable):
    """The store answered, but with a failure (a full disk, Redis out of memory), rather
    than not answering: the same `unavailable` for the caller; the worker counts these to
    say whether it is ready."""


class UnknownOutcome(KinboardError):
    """The commit was sent to the store but no answer came: it may or may not have been
    applied. Sending the op again with the same id tells (a duplicate if it was)."""

    code = "unknown_outcome"


class Internal(KinboardError):
    """Something unexpected (a bug) went wrong: trying the same again will not help."""

    code = "internal"


class RoundClosed(KinboardError):
    code = "round_closed"


class AlreadyVoted(KinboardError):
    """A vote recorded for someone who has voted on their own device already."""

    code = "already_voted"


class FamilyTimeRunning(KinboardError):
    """Family time is on already (started twice, or a stage change while it runs)."""

    code = "family_time_running"


class FamilyTimeNotRunning(KinboardError):
    """Family time is not on: there is nothing to ask about, answer or end."""

    code = "family_time_not_running"


class SessionEnded(Forbidden):
    """The caller's session ended (taken out, link turned off): refused like any forbidden
    op, and their socket is closed."""


class ConnectionRefused(KinboardError):
    """Why a socket is not let in; the code is the reason the client is given."""


class OriginNotAllowed(ConnectionRefused):
    code = "origin_not_allowed"


class NoSession(ConnectionRefused):
    code = "no_session"


class SessionInvalid(ConnectionRefused):
    code = "session_invalid"


class TooManyConnections(ConnectionRefused):
    code = "too_many_connections"
