"""The gettext catalogues under server/locale/: the words taken from the code, each
language's .po kept up to date, compiled for the server (.mo) and the client (JSON), and
checked for completeness.

    python -m server.catalogues messages       (make messages) extract into messages.pot and
                                               update every language's .po, adding new ones
    python -m server.catalogues compile        (make setup) messages.mo and client.json
    python -m server.catalogues check [LANG…]  fails on a missing, empty, fuzzy or obsolete
                                               message, or a translation whose {names} differ

What to extract is babel.cfg's: Python (gettext and the refusal classes), the templates
(Jinja2's extractor) and the client (`t`, `tn`, `tc`). The client's JSON holds only the
messages the client's code uses, in the format at the top of client/src/i18n.js.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from . import i18n

ROOT = Path(__file__).resolve().parents[1]
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
PROJECT = "Kinboard"
# The client's own words, the template's (server/board/template.py, marked N_), which the
# server sends in English and each page shows in its reader's language, and the names of
# the pictures a child chooses from (server/pictures.json).
CLIENT_SOURCES = ("client/", "server/board/template.py", "server/pictures.json")
CONTEXT_SEPARATOR = "\u0004"  # gettext's, as client/src/i18n.js reads it
HEADER = """\
# Kinboard's words in {name} ({code}).
# These are first translations: a council's translators should review them before they
# are used with families. `make messages` adds new and changed messages; fill in each one
# (none empty, none fuzzy) and `python -m server.catalogues check {code}` says what is left.
#"""
PLACEHOLDER = re.compile(r"\{(\w+)\}")


# --- extracting and updating ---


def extract(root: Path = ROOT) -> Catalog:
    """Every message the code under `root` uses, as babel.cfg says where to look."""
    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    template = Catalog(project=PROJECT, fuzzy=False)
    # No default keywords: each section of babel.cfg names its own.
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords={}, comment_tags=("TRANSLATORS:",)
    ):
        template.add(
            message,
            locations=[(filename, None)],  # type: ignore[list-item]  # Babel's "no line"
            auto_comments=comments,
            context=context,
        )
    return template


def extract_pictures(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterable[tuple[int, str, tuple[str, str], list[str]]]:
    """babel.cfg's `pictures` extractor: each picture's name in pictures.json, a msgid in
    the context "picture" (as `tc('picture', name)` looks it up)."""
    for picture in json.load(fileobj)["pictures"]:
        yield 1, "tc", ("picture", picture["name"]), []


def po_path(locale_dir: Path, code: str) -> Path:
    return locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def translated_codes() -> list[str]:
    """The shipped languages that have a catalogue: all but English, the msgids' own."""
    return [language.code for language in i18n.LANGUAGES if language.code != i18n.DEFAULT]


def read_catalogue(path: Path, code: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=code, domain=DOMAIN)


def new_catalogue(code: str) -> Catalog:
    """An empty catalogue with Babel's Plural-Forms for the language."""
    name = Locale.parse(code).english_name
    catalogue = Catalog(
        locale=code,
        domain=DOMAIN,
        project=PROJECT,
        language_team=f"Kinboard's {name} translators",
        fuzzy=False,
    )
    catalogue.header_comment = HEADER.format(name=name, code=code)
    return catalogue


def po_bytes(catalogue: Catalog) -> bytes:
    # File names without line numbers: a line moving in the code changes no catalogue.
    buffer = BytesIO()
    write_po(
        buffer, catalogue, width=100, ignore_obsolete=True, include_previous=True,
        include_lineno=False,
    )  # fmt: skip
    return buffer.getvalue()


def write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def update(root: Path, locale_dir: Path, codes: Iterable[str]) -> list[Path]:
    """`make messages`: messages.pot from the code and each .po updated from it: new
    and changed messages empty, gone ones dropped. No guesses from similar messages:
    Babel's would offer "Cancel" for "Change", one removed fuzzy flag from being shown."""
    template = extract(root)
    pot = locale_dir / f"{DOMAIN}.pot"
    if pot.exists():
        # The first creation date stays, so that two changes made at once do not clash on it.
        template.creation_date = read_catalogue(pot).creation_date
    changed = [pot] if write_if_changed(pot, po_bytes(template)) else []
    for code in codes:
        path = po_path(locale_dir, code)
        catalogue = read_catalogue(path, code) if path.exists() else new_catalogue(code)
        catalogue.update(template, no_fuzzy_matching=True, update_creation_date=True)
        if write_if_changed(path, po_bytes(catalogue)):
            changed.append(path)
    return changed


# --- compiling ---


def forms(value: object) -> tuple[str, ...]:
    """A message's msgid or msgstr as its forms (one, or one per plural form)."""
    if isinstance(value, tuple | list):
        return tuple(str(form) for form in value)
    return (str(value),) if value else ("",)


def is_translated(message: Message) -> bool:
    return bool(message.id) and all(forms(message.string)) and not message.fuzzy


def client_words(catalogue: Catalog, language: i18n.Language) -> dict[str, Any]:
    """The client's catalogue of one language (client/src/i18n.js reads it from the page)."""
    messages: dict[str, Any] = {}
    for message in catalogue:
        if not is_translated(message) or not any(
            filename.startswith(CLIENT_SOURCES) for filename, _line in message.locations
        ):
            continue
        msgid = forms(message.id)[0]
        key = f"{message.context}{CONTEXT_SEPARATOR}{msgid}" if message.context else msgid
        strings = forms(message.string)
        messages[key] = list(strings) if message.pluralizable else strings[0]
    return {
        "lang": language.code,
        "dir": language.direction,
        "plural": catalogue.plural_expr,
        "messages": messages,
    }


def compile_all(locale_dir: Path, codes: Iterable[str]) -> list[Path]:
    """messages.mo for the server and client.json for the client, beside each .po."""
    written = []
    for code in codes:
        path = po_path(locale_dir, code)
        catalogue = read_catalogue(path, code)
        mo = BytesIO()
        write_mo(mo, catalogue, use_fuzzy=False)
        words = client_words(catalogue, i18n.BY_CODE[code])
        client = json.dumps(words, ensure_ascii=False, sort_keys=True, indent=1)
        for target, content in (
            (path.with_suffix(".mo"), mo.getvalue()),
            (path.with_name(i18n.CLIENT_CATALOGUE), client.encode("utf-8") + b"\n"),
        ):
            write_if_changed(target, content)
            written.append(target)
    return written


# --- checking ---


def describe(message: Message) -> str:
    msgid = forms(message.id)[0]
    where = f" [{message.context}]" if message.context else ""
    return f"{msgid!r}{where}"


def placeholders(strings: Iterable[str]) -> set[str]:
    return {name for string in strings for name in PLACEHOLDER.findall(string)}


def problems(template: Catalog, catalogue: Catalog) -> list[str]:
    """What keeps one language's catalogue from being complete for the code's messages."""
    found = []
    for message in template:
        if not message.id:
            continue
        ours = catalogue.get(message.id, message.context)
        strings = ("",) if ours is None else forms(ours.string)
        if ours is None:
            found.append(f"missing: {describe(message)}")
        elif not all(strings):
            found.append(f"empty: {describe(message)}")
        elif ours.fuzzy:
            found.append(f"fuzzy: {describe(message)}")
        elif "python-brace-format" in message.flags:
            for name in sorted(placeholders(strings) - placeholders(forms(message.id))):
                found.append(f"unknown named placeholder {name!r}: {describe(message)}")
        for error in [] if ours is None or not all(strings) else ours.check(catalogue):
            found.append(f"{error}: {describe(message)}")
    for message in catalogue:
        if message.id and template.get(message.id, message.context) is None:
            found.append(f"obsolete (not in the code any more): {describe(message)}")
    for message in catalogue.obsolete.values():
        found.append(f"obsolete (not in the code any more): {describe(message)}")
    return found


def check(root: Path, locale_dir: Path, codes: Iterable[str]) -> dict[str, list[str]]:
    """Every problem of each language's catalogue (a missing one is one problem)."""
    template = extract(root)
    report = {}
    for code in codes:
        path = po_path(locale_dir, code)
        if not path.exists():
            report[code] = [f"no catalogue at {path}"]
        else:
            report[code] = problems(template, read_catalogue(path, code))
    return report


# --- the command ---


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.catalogues", description=__doc__)
    parser.add_argument("command", choices=("messages", "compile", "check"))
    parser.add_argument("languages", nargs="*", help="codes (default: every shipped one)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the source tree")
    parser.add_argument("--locale", type=Path, default=LOCALE, help="the catalogues' folder")
    args = parser.parse_args(argv)
    codes = args.languages or translated_codes()
    unknown = [code for code in codes if code not in i18n.BY_CODE or code == i18n.DEFAULT]
    if unknown:
        parser.error(f"not a translated language of server/i18n.py: {', '.join(unknown)}")
    if args.command == "messages":
        for path in update(args.root, args.locale, codes):
            print(f"updated {path}")
        return 0
    if args.command == "compile":
        compile_all(args.locale, codes)
        return 0
    report = check(args.root, args.locale, codes)
    for code, found in report.items():
        for problem in found:
            print(f"{code}: {problem}")
    total = sum(len(found) for found in report.values())
    print(f"{total} problems in {', '.join(codes)}" if total else f"complete: {', '.join(codes)}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
