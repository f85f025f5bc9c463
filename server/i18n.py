"""Languages: which Kinboard speaks, and the words of each, from gettext catalogues.

Every word Kinboard shows is an English msgid in the code (templates: `_("…")` and
`{% trans %}`; Python: the error classes and `gettext`; the client: `t`, `tn`, `tc` from
`client/src/i18n.js`), with `{name}` placeholders in Python and the client and
`%(name)s` in templates. The catalogues under `server/locale/` give the other languages.
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass


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


def translations(code: str) -> gettext_module.NullTranslations:
    """The words of one language (English, the msgids themselves, until its catalogue is
    compiled)."""
    return gettext_module.NullTranslations()
