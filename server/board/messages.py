"""The core's fixed words that people read, marked for the catalogues.

The core knows no one's language (it has no I/O and serves every reader alike), so it
keeps its words in English: `N_("…")` only marks a msgid for Babel to extract (babel.cfg's
keywords) and returns it unchanged. Each reader sees it in their own language where it is
shown: the client through `t()` (client/src/template-words.js), the server's pages and
documents through `server/i18n.py`."""

from __future__ import annotations


def N_(text: str) -> str:
    """gettext's usual name for the marker, which Babel and translators know."""
    return text
