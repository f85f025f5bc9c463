"""Reading the fields of a client's op: types, lengths and choices, with clear refusals."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeGuard

from .errors import N_, Invalid, Msgid, Nn_, TooLong
from .limits import MAX_ATTRIBUTION, MAX_ID, MAX_NAME, MAX_TEXT, MAX_TITLE
from .template import SECTIONS

_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Unset:
    """Marks an optional field the op did not mention (as opposed to one set to null)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


# The largest whole number a browser holds exactly, and SQLite stores.
MAX_WHOLE = 2**53 - 1


def is_text(value: str) -> bool:
    """Whether `value` can be written as UTF-8. JSON's "\\ud800" escapes decode to lone
    UTF-16 surrogates: valid JSON, but no text, and the store cannot encode them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_id(value: Any) -> TypeGuard[str]:
    """Client-chosen ids (ops, cards): 1-64 letters, digits, - or _."""
    return (
        isinstance(value, str) and 0 < len(value) <= MAX_ID and bool(_ID_PATTERN.fullmatch(value))
    )


class Fields:
    def __init__(self, raw: Mapping[str, Any], op_type: str) -> None:
        self._raw = raw
        self._type = op_type
        self._seen = {"id", "type"}

    def reject_unknown(self) -> None:
        extra = sorted(set(self._raw) - self._seen)
        if extra:
            raise Invalid(
                "{op} does not take {fields}.", op=self._type, fields=", ".join(map(repr, extra))
            )

    def get(self, name: str, *, required: bool = False, nullable: bool = False) -> Any:
        self._seen.add(name)
        if name not in self._raw:
            if required:
                raise Invalid("{op} needs {field}.", op=self._type, field=name)
            return UNSET
        value = self._raw[name]
        if value is None and not nullable:
            raise Invalid("{field} must not be null.", field=name)
        return value

    def string(self, name: str, *, required: bool = False, nullable: bool = False) -> Any:
        value = self.get(name, required=required, nullable=nullable)
        if value is UNSET or value is None:
            return value
        if not isinstance(value, str) or not is_text(value):
            raise Invalid("{field} must be a string.", field=name)
        return value

    def card_id(
        self, name: str = "card_id", *, required: bool = True, nullable: bool = False
    ) -> Any:
        value = self.string(name, required=required, nullable=nullable)
        if isinstance(value, str) and not is_id(value):
            raise Invalid("{field} must be letters, digits, - or _ (at most 64).", field=name)
        return value

    def section(self) -> str:
        value = self.string("section", required=True)
        if value not in SECTIONS:
            raise Invalid("There is no section called {section!r}.", section=value)
        return str(value)

    def enum(self, name: str, enum: type, *, required: bool = False, nullable: bool = False) -> Any:
        value = self.get(name, required=required, nullable=nullable)
        if value is UNSET or value is None:
            return value
        return parse_enum(enum, value, name)


def parse_enum(enum: Any, value: Any, name: str) -> Any:
    """`enum(value)`, or Invalid listing the choices."""
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise Invalid("{field} must be one of: {choices}.", field=name, choices=choices) from None


@dataclass(frozen=True)
class Words:
    """One kind of words people type, and how each refusal of them reads (`too_long` with
    `{most}`, the limit)."""

    limit: int
    too_long: Msgid
    invalid: Msgid  # the refusal of anything but a string
    blank: Msgid | None = None  # the refusal of no words; None: optional, no words give ""
    keep_lines: bool = False  # trim the ends only, keeping the writer's lines and spacing

    @classmethod
    def optional(cls, limit: int, too_long: Msgid, invalid: Msgid) -> Words:
        return cls(limit, too_long, invalid)

    @classmethod
    def required(cls, limit: int, too_long: Msgid, needed: Msgid) -> Words:
        return cls(limit, too_long, needed, needed)


CARD_TEXT = Words(
    MAX_TEXT,
    Nn_(
        "A card can have at most {most} character.",
        "A card can have at most {most} characters.",
        "most",
    ),
    N_("text must be a string."),
    N_("A card needs some words."),
    keep_lines=True,
)
ATTRIBUTION = Words.optional(
    MAX_ATTRIBUTION,
    Nn_(
        "Who said it can be at most {most} character.",
        "Who said it can be at most {most} characters.",
        "most",
    ),
    N_("Who said it must be words or null."),
)
NAME = Words.required(
    MAX_NAME,
    Nn_(
        "A name can be at most {most} character.",
        "A name can be at most {most} characters.",
        "most",
    ),
    N_("Please tell us your name."),
)
TITLE = Words.required(
    MAX_TITLE,
    Nn_(
        "A title can be at most {most} character.",
        "A title can be at most {most} characters.",
        "most",
    ),
    N_("The meeting needs a title."),
)


NOT_TEXT = N_("That has characters that are not text (a broken emoji?). Please type it again.")


def words(value: Any, kind: Words) -> str:
    """`value` read as `kind`: trimmed, each run of whitespace made one space (unless
    `keep_lines`), refused past its limit or holding no text; "" for optional words left
    out (None) or blank."""
    if value is None and kind.blank is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(kind.invalid)
    if not is_text(value):
        raise Invalid(NOT_TEXT)
    text = value.strip() if kind.keep_lines else " ".join(value.split())
    if not text and kind.blank is not None:
        raise Invalid(kind.blank)
    if len(text) > kind.limit:
        raise TooLong(kind.too_long, most=kind.limit)
    return text


def whole_number(value: Any, low: int, high: int | None, refusal: Msgid, **params: object) -> int:
    """A whole number from `low` to `high` (None: up to MAX_WHOLE): not 3.5, not true,
    not "7". `refusal` may say `{low}`, `{high}` and any of `params`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise Invalid(refusal, low=low, high=high, **params)
    if value > (MAX_WHOLE if high is None else high):
        raise Invalid(refusal, low=low, high=high, **params)
    return value


# How deep a client's JSON may nest, and how many digits its numbers may have: far past
# anything Kinboard sends, well short of what is costly to read (or crashes a reader).
MAX_JSON_DEPTH = 32
MAX_DIGITS = 100


def read_json(raw: str | bytes, *, text_only: bool = True) -> Any:
    """A client's JSON, or Invalid: nested at most MAX_JSON_DEPTH deep, no number longer
    than MAX_DIGITS, no NaN or Infinity, and (`text_only`) no key or string that is not
    text. Without `text_only` such strings are left to the fields that read them, so that
    an op holding one is refused like any other bad op."""
    try:
        data = json.loads(raw, parse_int=_json_int, parse_constant=_json_constant)
    except RecursionError:
        raise Invalid("That JSON is nested too deeply.") from None
    except ValueError:  # not JSON, or bytes that are not UTF-8
        raise Invalid("That is not valid JSON.") from None
    _check_json(data, text_only)
    return data


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise Invalid("That JSON has a number far too long.")
    return int(digits)


def _json_constant(name: str) -> Any:
    raise Invalid("{name} is not a JSON number.", name=name)


def _check_json(data: Any, text_only: bool) -> None:
    """Depth and text, walked without recursion (the depth is the client's to choose)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if text_only and not is_text(value):
                raise Invalid(NOT_TEXT)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise Invalid("That JSON is nested too deeply.")
        items = [*value, *value.values()] if isinstance(value, dict) else value
        pending.extend((item, depth + 1) for item in items)


def iso_date(value: Any, name: str) -> str:
    """A calendar date as YYYY-MM-DD."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise Invalid("{field} must be a date like 2026-12-31.", field=name)
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise Invalid("{field} must be a date like 2026-12-31.", field=name) from None
