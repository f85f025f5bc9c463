"""JSON for the sockets and the store, through orjson: several times faster than the
standard library at the packets and records every op makes, with the same answers.

orjson is stricter than the standard library in some places and looser in one: it refuses
lone surrogates, numbers that overflow a double, and integers, str subclasses, dataclasses
and datetimes it cannot or should not write as plain JSON; and it reads an integer too long
for 64 bits as a float, which would slip past the limit on integer length. Whatever it
refuses, and any result holding such a float, goes to the standard library instead, so the
answer (and every refusal) is exactly the strict reader's and writer's.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from .board import parsing

# Anything not plain JSON (str subclasses such as enums, dataclasses, datetimes) is handed
# to the standard library, which writes or refuses it as it always has.
_PLAIN = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS
_PLAIN |= orjson.OPT_PASSTHROUGH_DATETIME
# orjson reads integers beyond 64 bits as floats: any float this large may have been one.
_INTEGER_RANGE = float(2**63)


def dumps(data: Any) -> str:
    """Compact JSON, UTF-8 text as it is (the standard library's fallback: \\u escapes)."""
    try:
        return orjson.dumps(data, option=_PLAIN).decode()
    except TypeError:  # lone surrogates, huge integers, non-str keys, enums and the like
        # \u escapes here: a lone surrogate written as it is could not be sent as UTF-8.
        return json.dumps(data, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """JSON Kinboard wrote itself (the store's records)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    return data if _plain(data, max_depth=None) else json.loads(text)


def read_client_json(text: str | bytes, *, text_only: bool) -> Any:
    """A client's JSON with `parsing.read_json`'s limits and answers (Invalid), read fast
    when it is plainly within them."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return parsing.read_json(text, text_only=text_only)
    if not _plain(data, max_depth=parsing.MAX_JSON_DEPTH):
        return parsing.read_json(text, text_only=text_only)
    return data


def _plain(data: Any, max_depth: int | None) -> bool:
    """No float that may have been a long integer, and not nested deeper than `max_depth`.
    (orjson's strings are always text: it refuses lone surrogates.)"""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            items: Any = value.values()
        elif isinstance(value, list):
            items = value
        else:
            if isinstance(value, float) and abs(value) >= _INTEGER_RANGE:
                return False
            continue
        if max_depth is not None and depth > max_depth:
            return False
        pending.extend((item, depth + 1) for item in items)
    return True
