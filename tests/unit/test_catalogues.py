"""The catalogue tooling (server/catalogues.py) on a small source tree of its own: what is
extracted, how a .po is kept up to date, what the compiled client JSON holds, and what
the completeness check fails on."""

from __future__ import annotations

import gettext
import json
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from server import catalogues
from server.board import errors

SOURCES = {
    "server/refusals.py": (
        "from .board.errors import Invalid\n"
        "from .i18n import gettext, ngettext\n"
        "def refuse(most):\n"
        '    raise Invalid("A board holds at most {most} cards.", most=most)\n'
        'SAVE = gettext("en", "Save")\n'
    ),
    "templates/page.html": '<h1>{{ _("Welcome, %(name)s", name=who) }}</h1>\n',
    "client/src/words.js": (
        "export const save = () => t('Save');\n"
        "export const said = (name) => t(`said by {name}`, { name });\n"
        "export const cards = (n) => tn('{count} card', '{count} cards', n);\n"
        "export const move = () => tc('verb', 'Move');\n"
    ),
}
POLISH = {
    "A board holds at most {most} cards.": "Tablica mieści najwyżej {most} kart.",
    "Save": "Zapisz",
    "Welcome, %(name)s": "Witaj, %(name)s",
    "said by {name}": "powiedział(a) {name}",
    "{count} card": ("{count} karta", "{count} karty", "{count} kart"),
    "Move": "Przenieś",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copy(catalogues.ROOT / "babel.cfg", tmp_path / "babel.cfg")
    for name, text in SOURCES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def translate(locale: Path, code: str, words: dict[str, str | tuple[str, ...]]) -> Catalog:
    path = catalogues.po_path(locale, code)
    catalogue = catalogues.read_catalogue(path, code)
    for message in catalogue:
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if msgid in words:
            message.string = words[msgid]
    path.write_bytes(catalogues.po_bytes(catalogue))
    return catalogue


def test_every_refusal_class_is_a_keyword_of_the_python_extraction() -> None:
    with (catalogues.ROOT / "babel.cfg").open() as config:
        _, options = parse_mapping_cfg(config)
    keywords = options["server/**.py"]["keywords"]
    classes, todo = set(), [errors.KinboardError]
    while todo:
        cls = todo.pop()
        classes.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    assert classes <= set(keywords)
    assert all(keywords[name] is None for name in classes)  # the msgid is the first argument


def test_python_templates_and_client_are_extracted_with_their_kinds(tree: Path) -> None:
    template = catalogues.extract(tree)
    found = {(message.context, message.id): message for message in template if message.id}
    assert set(found) == {
        (None, "A board holds at most {most} cards."),
        (None, "Save"),
        (None, "Welcome, %(name)s"),
        (None, "said by {name}"),
        (None, ("{count} card", "{count} cards")),
        ("verb", "Move"),
    }
    assert "python-brace-format" in found[None, "said by {name}"].flags
    assert "python-brace-format" in found[None, "A board holds at most {most} cards."].flags
    assert "python-format" in found[None, "Welcome, %(name)s"].flags
    # One message used in the server and the client is one entry, with both files.
    assert {name for name, _ in found[None, "Save"].locations} == {
        "server/refusals.py",
        "client/src/words.js",
    }


def test_messages_creates_each_language_with_its_plural_forms_and_keeps_it(tree: Path) -> None:
    locale = tree / "locale"
    changed = catalogues.update(tree, locale, ["pl", "ar"])
    assert set(changed) == {
        locale / "messages.pot",
        catalogues.po_path(locale, "pl"),
        catalogues.po_path(locale, "ar"),
    }
    polish = catalogues.po_path(locale, "pl").read_text(encoding="utf-8")
    assert polish.startswith("# Kinboard's words in Polish (pl).\n# These are first translations")
    assert "Plural-Forms: nplurals=3;" in polish
    assert "nplurals=6;" in catalogues.po_path(locale, "ar").read_text(encoding="utf-8")
    translate(locale, "pl", POLISH)
    assert catalogues.update(tree, locale, ["pl", "ar"]) == []  # nothing new: nothing written
    # A changed message is new, for the translator to write: no guess from a similar one.
    words = tree / "server/refusals.py"
    words.write_text(words.read_text().replace("Save", "Save it"))
    catalogues.update(tree, locale, ["pl"])
    catalogue = catalogues.read_catalogue(catalogues.po_path(locale, "pl"), "pl")
    saved = catalogue.get("Save it")
    assert saved is not None and not saved.fuzzy and saved.string == ""
    assert catalogue.get("Save") is not None  # still used by the client
    assert catalogue.get("Welcome, %(name)s").string == "Witaj, %(name)s"  # others kept


def test_compiled_catalogues_give_the_server_and_the_client_their_words(tree: Path) -> None:
    locale = tree / "locale"
    catalogues.update(tree, locale, ["pl"])
    translate(locale, "pl", POLISH)
    catalogues.compile_all(locale, ["pl"])
    folder = locale / "pl" / "LC_MESSAGES"
    with (folder / "messages.mo").open("rb") as mo:
        server = gettext.GNUTranslations(mo)
    assert server.gettext("Save") == "Zapisz"
    assert server.ngettext("{count} card", "{count} cards", 22) == "{count} karty"
    words = json.loads((folder / "client.json").read_text(encoding="utf-8"))
    assert words == {
        "lang": "pl",
        "dir": "ltr",
        "plural": words["plural"],
        "messages": {
            "Save": "Zapisz",
            "said by {name}": "powiedział(a) {name}",
            "{count} card": ["{count} karta", "{count} karty", "{count} kart"],
            "verb\u0004Move": "Przenieś",
        },
    }  # the server's and the templates' own words stay out of the page's JSON
    index = gettext.c2py(words["plural"])  # the same C expression the client evaluates
    assert [index(n) for n in (1, 2, 4, 5, 12, 22, 25, 101)] == [0, 1, 1, 2, 2, 1, 2, 2]


def test_the_templates_words_the_client_shows_are_in_its_catalogue(tree: Path) -> None:
    template = tree / "server/board/template.py"
    template.parent.mkdir(parents=True)
    template.write_text(
        'from .messages import N_\nHEADING = N_("What are we worried about?")\n', encoding="utf-8"
    )
    locale = tree / "locale"
    catalogues.update(tree, locale, ["pl"])
    translate(locale, "pl", {**POLISH, "What are we worried about?": "Co nas martwi?"})
    catalogues.compile_all(locale, ["pl"])
    words = json.loads((locale / "pl/LC_MESSAGES/client.json").read_text(encoding="utf-8"))
    assert words["messages"]["What are we worried about?"] == "Co nas martwi?"
    assert "A board holds at most {most} cards." not in words["messages"]


def test_the_pictures_names_are_messages_in_their_own_context(tree: Path) -> None:
    pictures = {"pictures": [{"id": "1F600", "name": "happy"}, {"id": "1F436", "name": "dog"}]}
    (tree / "server/pictures.json").write_text(json.dumps(pictures), encoding="utf-8")
    locale = tree / "locale"
    catalogues.update(tree, locale, ["pl"])
    catalogue = catalogues.read_catalogue(catalogues.po_path(locale, "pl"), "pl")
    dog = catalogue.get("dog", context="picture")
    assert dog is not None and catalogue.get("dog") is None
    dog.string = "pies"
    catalogues.po_path(locale, "pl").write_bytes(catalogues.po_bytes(catalogue))
    catalogues.compile_all(locale, ["pl"])
    words = json.loads((locale / "pl/LC_MESSAGES/client.json").read_text(encoding="utf-8"))
    assert words["messages"]["picture\u0004dog"] == "pies"


def test_arabic_client_plural_has_six_forms(tree: Path) -> None:
    locale = tree / "locale"
    catalogues.update(tree, locale, ["ar"])
    catalogues.compile_all(locale, ["ar"])
    words = json.loads((locale / "ar/LC_MESSAGES/client.json").read_text(encoding="utf-8"))
    assert (words["lang"], words["dir"], words["messages"]) == ("ar", "rtl", {})
    index = gettext.c2py(words["plural"])
    assert [index(n) for n in (0, 1, 2, 3, 11, 100)] == [0, 1, 2, 3, 4, 5]


def test_check_names_every_missing_empty_fuzzy_obsolete_and_wrong_message(tree: Path) -> None:
    locale = tree / "locale"
    catalogues.update(tree, locale, ["pl"])
    assert sorted(catalogues.check(tree, locale, ["pl"])["pl"]) == [
        f"empty: {msgid!r}{where}"
        for msgid, where in [
            ("A board holds at most {most} cards.", ""),
            ("Move", " [verb]"),
            ("Save", ""),
            ("Welcome, %(name)s", ""),
            ("said by {name}", ""),
            ("{count} card", ""),
        ]
    ]
    catalogue = translate(locale, "pl", POLISH)
    assert catalogues.check(tree, locale, ["pl"]) == {"pl": []}
    assert catalogues.main(["check", "pl", "--root", str(tree), "--locale", str(locale)]) == 0

    saved = catalogue.get("Save")
    assert saved is not None
    saved.flags.add("fuzzy")
    said = catalogue.get("said by {name}")
    assert said is not None
    said.string = "powiedział(a) {imie}"
    welcome = catalogue.get("Welcome, %(name)s")
    assert welcome is not None
    welcome.string = "Witaj, %(imie)s"
    catalogue.add("Gone from the code", "Nie ma", locations=[("server/old.py", None)])
    catalogue.delete("Move", context="verb")
    catalogues.po_path(locale, "pl").write_bytes(catalogues.po_bytes(catalogue))
    found = catalogues.check(tree, locale, ["pl"])["pl"]
    assert sorted(found) == [
        "fuzzy: 'Save'",
        "missing: 'Move' [verb]",
        "obsolete (not in the code any more): 'Gone from the code'",
        "unknown named placeholder 'imie': 'Welcome, %(name)s'",
        "unknown named placeholder 'imie': 'said by {name}'",
    ]
    assert catalogues.main(["check", "pl", "--root", str(tree), "--locale", str(locale)]) == 1


def test_check_fails_on_a_language_without_a_catalogue(tree: Path) -> None:
    report = catalogues.check(tree, tree / "locale", ["cy"])
    assert report == {"cy": [f"no catalogue at {catalogues.po_path(tree / 'locale', 'cy')}"]}


def test_obsolete_entries_kept_in_a_po_fail_the_check(tree: Path) -> None:
    locale = tree / "locale"
    catalogues.update(tree, locale, ["pl"])
    catalogue = translate(locale, "pl", POLISH)
    catalogue.obsolete["Old words"] = catalogue.get("Save")
    path = catalogues.po_path(locale, "pl")
    with path.open("wb") as file:
        write_po(file, catalogue)  # as a translator's tool may leave it (#~ entries)
    assert catalogues.check(tree, locale, ["pl"])["pl"] == [
        "obsolete (not in the code any more): 'Save'"
    ]


def test_check_refuses_a_language_kinboard_does_not_ship(tree: Path) -> None:
    with pytest.raises(SystemExit):
        catalogues.main(["check", "de", "--root", str(tree)])


def test_the_shipped_catalogues_are_complete() -> None:
    """Every language Kinboard ships has every message of the code translated: none missing,
    empty or fuzzy (`python -m server.catalogues check` names what is left)."""
    report = catalogues.check(catalogues.ROOT, catalogues.LOCALE, catalogues.translated_codes())
    assert report == {code: [] for code in catalogues.translated_codes()}, report
