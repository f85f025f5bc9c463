"""Reading the fields of a client's op: types, lengths and choices, with clear refusals."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .errors import Invalid, TooLong
from .limits import MAX_ATTRIBUTION, MAX_ID, MAX_NAME, MAX_TEXT, MAX_TITLE
from .template import SECTIONS

_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Unset:
    """Marks an optional field the op did not mention (as opposed to one set to null)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def is_id(value: Any) -> bool:
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
            raise Invalid(f"{self._type} does not take {', '.join(map(str, extra))}.")

    def get(self, name: str, *, required: bool = False, nullable: bool = False) -> Any:
        self._seen.add(name)
        if name not in self._raw:
            if required:
                raise Invalid(f"{self._type} needs {name}.")
            return UNSET
        value = self._raw[name]
        if value is None and not nullable:
            raise Invalid(f"{name} must not be null.")
        return value

    def string(self, name: str, *, required: bool = False, nullable: bool = False) -> Any:
        value = self.get(name, required=required, nullable=nullable)
        if value is UNSET or value is None:
            return value
        if not isinstance(value, str):
            raise Invalid(f"{name} must be a string.")
        return value

    def card_id(
        self, name: str = "card_id", *, required: bool = True, nullable: bool = False
    ) -> Any:
        value = self.string(name, required=required, nullable=nullable)
        if isinstance(value, str) and not is_id(value):
            raise Invalid(f"{name} must be letters, digits, - or _ (at most 64).")
        return value

    def section(self) -> str:
        value = self.string("section", required=True)
        if value not in SECTIONS:
            raise Invalid(f"There is no section called {value!r}.")
        return value

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
        raise Invalid(f"{name} must be one of: {choices}.") from None


def card_text(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str):
        raise Invalid("text must be a string.")
    if not text:
        raise Invalid("A card needs some words.")
    if len(text) > MAX_TEXT:
        raise TooLong(f"A card can have at most {MAX_TEXT} characters.")
    return text


def attribution(value: Any) -> str | None:
    return short_text(value, "Who said it", MAX_ATTRIBUTION)


def clean_name(value: Any) -> str:
    """A participant's display name: 1-80 characters after trimming."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid("Please tell us your name.")
    value = " ".join(value.split())
    if len(value) > MAX_NAME:
        raise TooLong(f"A name can be at most {MAX_NAME} characters.")
    return value


def clean_title(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("The meeting needs a title.")
    value = " ".join(value.split())
    if len(value) > MAX_TITLE:
        raise TooLong(f"A title can be at most {MAX_TITLE} characters.")
    return value


def scale_number(value: Any, name: str) -> int:
    """A whole number on the 0-10 scale (not 3.5, not true, not "7")."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise Invalid(f"{name} is a whole number from 0 to 10.")
    return value


def iso_date(value: Any, name: str) -> str:
    """A calendar date as YYYY-MM-DD."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise Invalid(f"{name} must be a date like 2026-12-31.")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise Invalid(f"{name} must be a date like 2026-12-31.") from None


def short_text(value: Any, name: str, limit: int) -> str | None:
    """Optional words: trimmed, None when empty, TooLong past `limit`."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{name} must be words or null.")
    value = " ".join(value.split())
    if len(value) > limit:
        raise TooLong(f"{name} can be at most {limit} characters.")
    return value or None
