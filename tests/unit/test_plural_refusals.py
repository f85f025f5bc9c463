"""Refusals whose words hold a number (`Nn_`, a `PluralMsgid`) take each language's plural
form for it, from the shipped catalogues: Polish "1 znak", "2 znaki", "5 znaków",
"22 znaki"; Romanian "1 caracter", "2 caractere", "20 de caractere"; and English "1 step",
"3 steps"."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog

from server import catalogues, i18n
from server.board import agenda, houses, parsing
from server.board.errors import Invalid, Nn_, PluralMsgid, TooLong, TooMany

CHARACTERS = (("znak", "znaki", "znaków"), ("caracter", "caractere", "de caractere"))
# Each refusal's counted noun, in Polish (one, few, many) and Romanian (one, few, other),
# by its English plural's ending.
NOUNS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "characters.": CHARACTERS,
    "{high} days.": (("dnia", "dni", "dni"), ("zi", "zile", "de zile")),
    "steps.": (("etap", "etapy", "etapów"), ("pas", "pași", "de pași")),
    "most} cards.": (("kartkę", "kartki", "kartek"), ("cartonaș", "cartonașe", "de cartonașe")),
    "brought back): this one has no room for more.": (
        ("kartkę", "kartki", "kartek"),
        ("cartonaș", "cartonașe", "de cartonașe"),
    ),
    "harm cards.": (("kartkę", "kartki", "kartek"), ("cartonaș", "cartonașe", "de cartonașe")),
    "A drawing can have at most {most} lines.": (
        ("linię", "linie", "linii"),
        ("linie", "linii", "de linii"),
    ),
    "points.": (("punkt", "punkty", "punktów"), ("punct", "puncte", "de puncte")),
    "hours: please check the time.": (("godzinę", "godziny", "godzin"), ("oră", "ore", "de ore")),
    "The family's plan can have at most {most} lines.": (
        ("linijkę", "linijki", "linijek"),
        ("rând", "rânduri", "de rânduri"),
    ),
    "letters.": (("literę", "litery", "liter"), ("literă", "litere", "de litere")),
    "things at most.": (("rzecz", "rzeczy", "rzeczy"), ("lucru", "lucruri", "de lucruri")),
    "people join it.": (("osoba", "osoby", "osób"), ("persoană", "persoane", "de persoane")),
    "scales.": (("skalę", "skale", "skal"), ("scală", "scale", "de scale")),
    "minutes and try again.": (("minutę", "minuty", "minut"), ("minut", "minute", "de minute")),
    "translations.": (
        ("tłumaczenie", "tłumaczenia", "tłumaczeń"),
        ("traducere", "traduceri", "de traduceri"),
    ),
}
POLISH = {1: 0, 2: 1, 5: 2, 22: 1}  # a number: the form of its noun
ROMANIAN = {1: 0, 2: 1, 20: 2}


def template() -> Catalog:
    return catalogues.extract()


def refusal_msgids() -> list[PluralMsgid]:
    """Every refusal of the code whose words hold a number, as the code's `Nn_` makes it:
    the plurals Babel finds outside the client, counted by the one number they hold."""
    found = []
    for message in template():
        if not message.pluralizable or not any(
            not filename.startswith(catalogues.CLIENT_SOURCES) and filename.endswith(".py")
            for filename, _ in message.locations
        ):
            continue
        singular, plural = message.id
        numbers = set(re.findall(r"\{(\w+)\}", plural)) - {"low", "number"}
        assert len(numbers) == 1, plural
        found.append(Nn_(singular, plural, numbers.pop()))
    return found


REFUSALS = refusal_msgids()


def nouns_of(msgid: PluralMsgid) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    [nouns] = [nouns for ending, nouns in NOUNS.items() if msgid.plural.endswith(ending)]
    return nouns


def test_the_scan_finds_the_refusals_that_count() -> None:
    texts = {msgid.plural for msgid in REFUSALS}
    assert len(REFUSALS) >= 40
    assert agenda._NO_STEP.plural in texts
    assert parsing.CARD_TEXT.too_long.plural in texts
    assert "A password needs at least {least} characters." in texts


@pytest.mark.parametrize("msgid", REFUSALS, ids=lambda msgid: msgid.plural[:50])
def test_polish_and_romanian_count_with_the_right_form(msgid: PluralMsgid) -> None:
    polish, romanian = nouns_of(msgid)
    for code, forms, numbers in (("pl", polish, POLISH), ("ro", romanian, ROMANIAN)):
        for number, form in numbers.items():
            params = {"low": 1, "number": 9, msgid.counted: number}
            words = i18n.translate(msgid, params, code)
            assert f"{number} {forms[form]}" in words, (code, number, words)
            assert words != msgid.english(params).format(**params)


@pytest.mark.parametrize("code", ["pl", "ro", "ar", "cy", "ur"])
def test_each_refusal_has_every_plural_form_of_the_language(code: str) -> None:
    catalogue = catalogues.read_catalogue(catalogues.po_path(catalogues.LOCALE, code), code)
    for msgid in REFUSALS:
        message = catalogue.get(str(msgid))
        assert message is not None and message.pluralizable, msgid
        assert len(message.string) == catalogue.num_plurals, msgid
        assert all(f"{{{msgid.counted}}}" in form for form in message.string), msgid
        assert not message.fuzzy


def test_the_agenda_says_how_many_steps_it_has_in_english_too() -> None:
    one = Invalid(agenda._NO_STEP, number=2, count=1)
    three = Invalid(agenda._NO_STEP, number=5, count=3)
    assert one.message == "There is no step 2: the agenda has 1 step."
    assert three.message == "There is no step 5: the agenda has 3 steps."
    assert i18n.refusal(one, "en") == one.message
    assert i18n.refusal(Invalid(agenda._NO_STEP, number=9, count=22), "pl") == (
        "Nie ma etapu 9: plan spotkania ma 22 etapy."
    )
    assert i18n.refusal(Invalid(agenda._NO_STEP, number=9, count=5), "pl") == (
        "Nie ma etapu 9: plan spotkania ma 5 etapów."
    )
    assert i18n.refusal(Invalid(agenda._NO_PLACE, number=9, count=20), "ro") == (
        "Nu există locul 9: ordinea de zi are în total 20 de pași."
    )


def test_a_child_is_told_how_many_letters_and_things_in_their_language() -> None:
    words = parsing.Words(22, houses._WORDS.too_long, houses._WORDS.invalid)
    with pytest.raises(TooLong) as too_long:
        parsing.words("x" * 23, words)
    assert i18n.refusal(too_long.value, "pl") == "To dużo słów! Możesz napisać najwyżej 22 litery."
    assert i18n.refusal(too_long.value, "ro").endswith("cel mult 22 de litere.")
    full = TooMany(houses._HOUSES_FULL, most=2)
    assert i18n.refusal(full, "pl") == "Twoje domki są pełne: mieszczą najwyżej 2 rzeczy."
    assert i18n.refusal(full, "ro") == "Casele tale sunt pline: încap cel mult 2 lucruri."
    assert i18n.refusal(TooMany(houses._HOUSES_FULL, most=1), "ro") == (
        "Casele tale sunt pline: încape cel mult 1 lucru."
    )


def test_arabic_and_welsh_take_their_own_forms_too() -> None:
    card = parsing.CARD_TEXT.too_long
    arabic = [i18n.translate(card, {"most": n}, "ar") for n in (2, 5, 22, 2000)]
    assert ["حرفين" in arabic[0], "أحرف" in arabic[1], "حرفًا" in arabic[2]] == [True] * 3
    assert arabic[3].endswith("2000 حرف على الأكثر.")
    steps = [i18n.translate(agenda._TOO_MANY_STEPS, {"most": n}, "cy") for n in (2, 3, 20)]
    assert steps == [
        "Gall agenda gael 2 gam ar y mwyaf.",
        "Gall agenda gael 3 cham ar y mwyaf.",
        "Gall agenda gael 20 cam ar y mwyaf.",
    ]


def test_a_plural_refusal_is_english_where_a_catalogue_lacks_it() -> None:
    made = Nn_("{most} apple at most.", "{most} apples at most.", "most")
    assert i18n.translate(made, {"most": 1}, "pl") == "1 apple at most."
    assert i18n.translate(made, {"most": 4}, "pl") == "4 apples at most."
    assert TooMany(made, most=4).message == "4 apples at most."
