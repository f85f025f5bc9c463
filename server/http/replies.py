"""Errors mapped to HTTP statuses and JSON answers, in one place."""

from __future__ import annotations

import math
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from .. import i18n
from ..board.errors import (
    Closed,
    Duplicate,
    Forbidden,
    Internal,
    Invalid,
    KinboardError,
    LinkGone,
    LinkInvalid,
    LinkOff,
    Locked,
    MinutesTaken,
    NotFound,
    RateLimited,
    StoreFailed,
    TooLarge,
    TooLong,
    TooMany,
    TooSlow,
    Unauthorized,
    Unavailable,
    UnknownOutcome,
)
from ..security import cookie_value

HTTP_STATUS: dict[type[KinboardError], int] = {
    Invalid: 400,
    TooLong: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    LinkInvalid: 404,
    Locked: 409,
    Closed: 409,
    MinutesTaken: 409,
    Duplicate: 409,
    TooMany: 409,
    TooSlow: 408,
    TooLarge: 413,
    LinkGone: 410,
    LinkOff: 410,
    RateLimited: 429,
    Internal: 500,
    Unavailable: 503,
    StoreFailed: 503,
    UnknownOutcome: 503,
}

NO_STORE = {"Cache-Control": "no-store"}


def http_status(error: KinboardError) -> int:
    return HTTP_STATUS.get(type(error), 400)


def asker_language(headers: Headers) -> str:
    """The language of a request's answers: the one chosen in this browser (on joining,
    or on a page), else the best of the browser's own, else English."""
    chosen = cookie_value(headers.get("cookie"), i18n.COOKIE)
    return i18n.page_language(chosen, headers.get("accept-language")).code


def refusal_headers(error: KinboardError) -> dict[str, str]:
    """What a refusal's answer says beside its status, as JSON or as a page: how to sign in
    (401), and when trying again will work (429: whole seconds, rounded up)."""
    headers: dict[str, str] = {}
    if isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="kinboard"'
    if isinstance(error, RateLimited) and error.retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
    return headers


def http_error(error: KinboardError, language: str = i18n.DEFAULT) -> JSONResponse:
    """The refusal as JSON, its message in `language` (the code is the same in every one)."""
    return JSONResponse(
        {"error": {"code": error.code, "message": i18n.refusal(error, language)}},
        status_code=http_status(error),
        headers={**NO_STORE, **refusal_headers(error)},
    )


def json_ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=NO_STORE)
