"""The languages Kinboard speaks: the one list that a person's and a meeting's language
are checked against (here, so that the pure core can check them) and that `server/i18n.py`
finds catalogues for and offers in the chooser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import Invalid


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, as in `lang="…"`
    name: str  # in the language itself, as the chooser offers it
    direction: str = "ltr"


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English"),
    Language("cy", "Cymraeg"),
    Language("pl", "Polski"),
    Language("ro", "Română"),
    Language("ar", "العربية", "rtl"),
    Language("ur", "اردو", "rtl"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
DEFAULT = "en"


def language_code(value: Any) -> str:
    """A language code Kinboard speaks, or Invalid naming the ones it does."""
    if not isinstance(value, str) or value not in BY_CODE:
        raise Invalid(
            "We do not have that language. Choose one of: {codes}.",
            codes=", ".join(BY_CODE),
        )
    return value
