"""The words of a page: Jinja2's gettext (`_("…")`, `{% trans %}`) in the language of
each render, dates written as that language writes them, and people's own words kept in
their own direction inside them (`bdi`, `user_dir`).

One environment serves every language: the gettext it installs reads the render's own
`page_language` (which `Web.page` and the documents set), so each template is compiled once,
and a page can never be rendered in another request's language, as swapping the
translations of a shared environment could between two requests at once. Newstyle gettext:
`_("Hello %(name)s", name=x)` escapes `x` and fills it in. A macro imported from another
template needs `with context` to see the page's language.
"""

from __future__ import annotations

from datetime import date

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .. import i18n
from ..text_direction import user_dir

LANGUAGE = "page_language"  # the variable of the render context that names its language


def render_language(context: Context) -> str:
    language = context.get(LANGUAGE)
    return language.code if isinstance(language, i18n.Language) else i18n.DEFAULT


@pass_context
def page_gettext(context: Context, message: str) -> str:
    return str(i18n.translations(render_language(context)).gettext(message))


@pass_context
def page_ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return str(i18n.translations(render_language(context)).ngettext(singular, plural, count))


@pass_context
def page_pgettext(context: Context, where: str, message: str) -> str:
    return str(i18n.translations(render_language(context)).pgettext(where, message))


@pass_context
def page_npgettext(context: Context, where: str, singular: str, plural: str, count: int) -> str:
    words = i18n.translations(render_language(context))
    return str(words.npgettext(where, singular, plural, count))


@pass_context
def long_date(context: Context, value: str | None) -> str:
    """ "2026-11-27..." as "27 November 2026": how people write dates, in the page's
    language."""
    if not value:
        return ""
    return i18n.format_date(date.fromisoformat(value[:10]), render_language(context))


@pass_context
def bdi(context: Context, text: str | None) -> Markup:
    """People's own words isolated in a `<bdi>`, so that they keep their direction inside a
    sentence of the page's language: `_("said by %(name)s", name=who | bdi)`. The PDF's
    HTML says the direction outright (WeasyPrint has no `dir="auto"`)."""
    direction = user_dir(context, text)
    attribute = Markup(' dir="%s"') % direction if direction != "auto" else ""
    return Markup("<bdi%s>%s</bdi>") % (attribute, escape(text or ""))


def install(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    # `{% trans %}` blocks lose their line breaks and indents, as babel.cfg extracts them.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=page_gettext,
        ngettext=page_ngettext,
        pgettext=page_pgettext,
        npgettext=page_npgettext,
        newstyle=True,
    )
    env.filters["long_date"] = long_date
    env.filters["bdi"] = bdi
    env.globals["user_dir"] = user_dir  # dir="…" of people's own words
