"""Staff e-mail addresses, as accounts and shares keep them."""

from __future__ import annotations

import re
from typing import Any

from .board.errors import Invalid

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def clean_email(value: Any) -> str:
    if not isinstance(value, str) or not _EMAIL.fullmatch(value.strip()) or len(value) > 254:
        raise Invalid("Please give an email address like name@council.gov.uk.")
    return value.strip().lower()
